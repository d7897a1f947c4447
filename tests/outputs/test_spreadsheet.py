"""The SpreadsheetML writer: neutral cells in, a package every reader opens out."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from apportion.outputs.spreadsheet import Chart, Formula, Series, Style, Workbook


def small_book() -> Workbook:
    book = Workbook()
    book.title = "Test"
    sheet = book.add_sheet("It's a sheet")
    money = book.style(Style('"£"#,##0.00'))
    sheet.put(1, 1, "Net cash payable", 0)
    sheet.put(1, 2, Decimal("1234.56"), money)
    sheet.put(2, 1, "=1+1", 0)  # text from an input: stays text
    sheet.put(2, 2, Formula("=B1*2", Decimal("2469.12")), money)
    sheet.put(3, 1, "Net cash payable", 0)  # the same text again: one shared string
    sheet.put(3, 2, None, 0)  # nothing: no cell
    sheet.charts.append(Chart("bar", "Cash", [Series("'It''s a sheet'!$B$1:$B$2")], "'It''s a sheet'!$A$1:$A$2", (5, 1)))
    return book


def test_each_kind_of_value_becomes_its_kind_of_cell():
    book = small_book()
    read = load_workbook(io.BytesIO(book.to_bytes()))
    sheet = read["It's a sheet"]
    assert sheet["B1"].value == 1234.56
    assert sheet["B1"].number_format == '"£"#,##0.00'
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "=B1*2"
    assert sheet["B3"].value is None
    assert book.formulas == {("It's a sheet", "B2"): Decimal("2469.12")}  # apportion's figure for the formula


def test_text_is_shared_once_and_the_package_is_complete():
    data = small_book().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        strings = archive.read("xl/sharedStrings.xml").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert strings.count("<t>Net cash payable</t>") == 1
    assert {"xl/workbook.xml", "xl/styles.xml", "xl/theme/theme1.xml", "xl/charts/chart1.xml", "docProps/core.xml"} <= names
    for name in names - {"[Content_Types].xml"}:
        if not name.endswith(".rels"):
            assert f'PartName="/{name}"' in types, f"{name} has no content type"


def test_the_same_workbook_gives_the_same_bytes():
    assert small_book().to_bytes() == small_book().to_bytes()


def test_a_number_as_read_from_the_file_counts_in_its_columns_width_and_total():
    # A basis value read from the budget keeps the text it was typed as (a Decimal of its
    # own kind); a column of them was sized as if each were nil (the Lines sheet's values).
    from apportion.input.values import number
    from apportion.outputs.sheets import WHOLE, figures_of, widest_of

    cells = [number("1234567"), None, number("89")]
    figures = figures_of(cells, set(map(type, cells)))
    assert figures == [Decimal(1234567), Decimal(89)]
    assert widest_of(figures, WHOLE) == len("1,234,567")
