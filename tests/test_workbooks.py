"""The workbooks, read back as a user's spreadsheet program would see their values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apportion.calculate import apportion
from apportion.loader import load_budget
from apportion.write import write_outputs

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def em_units(tmp_path_factory):
    out = tmp_path_factory.mktemp("em") / "out"
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml")), out)
    return out


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_member_cover_shows_cash_in_kind_and_total(em_units):
    sheet = load_workbook(em_units / "lincolnshire.xlsx")["Contribution"]
    assert sheet["A1"].value == "East Midlands regional police collaboration, 2013/14"
    assert sheet["A2"].value == "Contribution of Lincolnshire"
    cash, in_kind, total = (money(sheet.cell(row, 3).value) for row in (4, 5, 6))
    # Lincolnshire's in kind, from the example: 10 x 55,000 + 593,237 = 1,143,237.
    assert in_kind == Decimal("1143237.00")
    assert total == cash + in_kind
    assert sheet["C4"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert sheet.freeze_panes == "C9"


def test_member_unit_lines_add_up_to_the_cover(em_units):
    sheet = load_workbook(em_units / "derbyshire.xlsx")["Contribution"]
    header = [cell.value for cell in sheet[8]]
    assert header[0] == "Unit code"
    assert header[-1] == "Net cash payable"
    rows = [row for row in sheet.iter_rows(min_row=9, values_only=True) if row[0] and row[0] != "Total"]
    # Derbyshire takes part in all five units, Forensic Services and the Protective Unit included.
    assert [row[0] for row in rows] == ["EMSOU-SOC", "EMSOU-MC", "EMSOU-FS", "EMSOU-SB", "EM-PPU"]
    fs = next(row for row in rows if row[0] == "EMSOU-FS")
    assert fs[3] == "22.2%"
    assert fs[4] == pytest.approx(222 / 623, abs=1e-10)
    assert sum(money(row[11]) for row in rows) == money(sheet["C4"].value)


def test_member_not_in_a_unit_has_no_line_for_it(em_units):
    sheet = load_workbook(em_units / "northamptonshire.xlsx")["Contribution"]
    codes = [row[0] for row in sheet.iter_rows(min_row=9, values_only=True) if row[0] and row[0] != "Total"]
    assert "EMSOU-FS" not in codes
    assert "EM-PPU" not in codes


def test_shares_sheet_names_its_source(em_units):
    sheet = load_workbook(em_units / "nottinghamshire.xlsx")["Shares"]
    sources = {row[6] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert sources == {"Nottinghamshire OPCC, Regional Collaboration - Further Update (2013), para 5.5; data year 2013/14"}


def test_summary_matrix_totals(em_units):
    sheet = load_workbook(em_units / "summary.xlsx")["Summary"]
    header = [cell.value for cell in sheet[4]]
    assert header[:2] == ["Unit code", "Unit"]
    assert header[2:7] == ["Nottinghamshire", "Leicestershire", "Derbyshire", "Northamptonshire", "Lincolnshire"]
    total_row = next(row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == "Total")
    assert money(total_row[7]) == Decimal("20931299.00")
    assert sum(money(v) for v in total_row[2:7]) == Decimal("20931299.00")


def test_text_from_inputs_never_becomes_a_formula(tmp_path, write_yaml):
    path = write_yaml("""
        collaboration: "=HYPERLINK(\\"http://x\\")"
        year: 2024/25
        members: ["=1+1", B]
        units:
          - code: "=A1"
            basis: equal
            non_pay: {"=SUM(A1:A9)": 100}
    """)
    write_outputs(apportion(load_budget(path)), tmp_path / "out")
    book = load_workbook(tmp_path / "out" / "summary.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} became a formula: {cell.value}"
    assert book["Summary"]["C4"].value == "=1+1"
