"""The workbooks, as a user's spreadsheet program shows them (recalculated in LibreOffice),
and as written: formats, live formulas, tables, names, charts and text that stays text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from apportion.input.budget_file import load_budget
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, books_of, recalculate


@pytest.fixture(scope="module")
def em_units(tmp_path_factory):
    folder = tmp_path_factory.mktemp("em")
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml")), folder / "out")
    return folder / "out"


@pytest.fixture(scope="module")
def shown(em_units, tmp_path_factory):
    """The workbooks' values as LibreOffice computes them."""
    paths = sorted(em_units.glob("*.xlsx"))
    copies = recalculate(paths, tmp_path_factory.mktemp("lo"))
    return {name: load_workbook(path, data_only=True) for name, path in copies.items()}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_member_cover_shows_cash_in_kind_and_total(em_units, shown):
    written = load_workbook(em_units / "lincolnshire.xlsx")["Contribution"]
    sheet = shown["lincolnshire.xlsx"]["Contribution"]
    assert sheet["A1"].value == "East Midlands regional police collaboration, 2013/14"
    assert sheet["A2"].value == "Contribution of Lincolnshire"
    assert load_workbook(em_units / "lincolnshire.xlsx").sheetnames[:2] == ["Statement", "Contribution"]
    cash, in_kind, total = (money(sheet.cell(row, 3).value) for row in (4, 5, 6))
    # Lincolnshire's in kind, from the example: 10 x 55,000 + 593,237 = 1,143,237.
    assert in_kind == Decimal("1143237.00")
    assert total == cash + in_kind
    assert written["C6"].value == "=C4+C5"
    assert written["C4"].number_format == '"£"#,##0.00;[Red]-"£"#,##0.00'
    assert written.freeze_panes == "C9"


def test_member_unit_lines_add_up_to_the_cover(shown):
    sheet = shown["derbyshire.xlsx"]["Contribution"]
    header = [cell.value for cell in sheet[8]]
    assert header[:4] == ["Unit code", "Unit", "Basis", "Share"]
    assert header[-2:] == ["Net cash payable", "Worked on"]
    rows = [row for row in sheet.iter_rows(min_row=9, values_only=True) if row[0] and row[0] != "Total"]
    # Derbyshire takes part in all five units, Forensic Services and the Protective Unit included.
    assert [row[0] for row in rows] == ["EMSOU-SOC", "EMSOU-MC", "EMSOU-FS", "EMSOU-SB", "EM-PPU"]
    fs = next(row for row in rows if row[0] == "EMSOU-FS")
    assert fs[3] == pytest.approx(222 / 623, abs=1e-10)  # 22.2 of the three forces' 62.3
    assert sum(money(row[-2]) for row in rows) == money(sheet["C4"].value)


def lines_row(sheet, unit, member):
    header = [cell.value for cell in sheet[4]]
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == unit and sheet.cell(r, 3).value == member)
    return row, {heading: sheet.cell(row, index).value for index, heading in enumerate(header, start=1)}


def test_the_lines_sheet_proves_the_largest_remainder_split(em_units, shown):
    # Forensic Services, £4,986,299 over Derbyshire 22.2, Lincolnshire 12.8, Nottinghamshire 27.3
    # (62.3): 498,629,900p x 12.8 / 62.3 = 102,447,234.671p for Lincolnshire; the floors leave 2p,
    # which go to the largest remainders, Nottinghamshire's (.697) then Lincolnshire's (.671);
    # Derbyshire's (.632) is third and gets none (worked by hand in test_examples).
    written = load_workbook(em_units / "lincolnshire.xlsx")["Lines"]
    sheet = shown["lincolnshire.xlsx"]["Lines"]
    row, line = lines_row(sheet, "EMSOU-FS", "Lincolnshire")
    assert line["Rounded down (pence)"] == 102447234
    assert line["Remainder (of a penny)"] == pytest.approx(0.671, abs=1e-3)
    assert (line["Place in queue"], line["Pence left over"], line["Extra penny"]) == (2, 2, 1)
    assert money(line["Share of cost"]) == Decimal("1024472.35")
    assert written[f"N{row}"].value == f"=IF(L{row}<=M{row},1,0)"
    assert written[f"O{row}"].value == f"=SIGN(H{row})*(J{row}+N{row})/100"
    _, derbyshire = lines_row(sheet, "EMSOU-FS", "Derbyshire")
    assert (derbyshire["Place in queue"], derbyshire["Extra penny"]) == (3, 0)
    assert money(derbyshire["Share of cost"]) == Decimal("1776819.22")


def test_the_amount_split_is_worked_from_the_budget_lines(em_units, shown):
    written = load_workbook(em_units / "summary.xlsx")["Reconciliation"]
    sheet = shown["summary.xlsx"]["Reconciliation"]
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value == "EMSOU-FS")
    assert written[f"B{row}"].value.startswith("=SUMPRODUCT((Inputs!$A$5:$A$")
    assert '="pay")' in written[f"B{row}"].value
    # Forensic Services: pay 3,786,299 and non-pay 1,200,000, no income: net 4,986,299
    assert [money(sheet.cell(row, c).value) for c in (2, 3, 4, 5)] == [
        Decimal("3786299.00"), Decimal("1200000.00"), Decimal("0.00"), Decimal("4986299.00"),
    ]  # fmt: skip


def test_member_not_in_a_unit_has_no_line_for_it(em_units):
    sheet = load_workbook(em_units / "northamptonshire.xlsx")["Contribution"]
    codes = [row[0] for row in sheet.iter_rows(min_row=9, values_only=True) if row[0] and row[0] != "Total"]
    assert "EMSOU-FS" not in codes
    assert "EM-PPU" not in codes


def test_the_inputs_name_each_basis_source(em_units):
    sheet = load_workbook(em_units / "nottinghamshire.xlsx")["Inputs"]
    bases = [row[4] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1] == "Basis"]
    assert all(basis.endswith("source: Nottinghamshire OPCC, Regional Collaboration - Further Update (2013), para 5.5; "
                              "data year 2013/14") for basis in bases)  # fmt: skip


def test_summary_matrix_totals(shown):
    sheet = shown["summary.xlsx"]["Summary"]
    header = [cell.value for cell in sheet[4]]
    assert header[:2] == ["Unit code", "Unit"]
    assert header[2:7] == ["Nottinghamshire", "Leicestershire", "Derbyshire", "Northamptonshire", "Lincolnshire"]
    total_row = next(row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == "Total")
    # The source's revenue budget, £20,931,299, and officers in kind, £8,933,237.
    assert money(total_row[7]) == Decimal("20931299.00")
    assert sum(money(v) for v in total_row[2:7]) == Decimal("20931299.00")
    grand = next(row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == "Total contribution")
    assert sum(money(v) for v in grand[2:7]) == Decimal("20931299.00") + Decimal("8933237.00")


def test_tables_names_charts_and_print_setup(em_units):
    summary = load_workbook(em_units / "summary.xlsx")
    assert "UnitLines" in summary["Lines"].tables
    assert len(summary["Summary"]._charts) == 2
    member = load_workbook(em_units / "derbyshire.xlsx")
    assert member.defined_names["NetCashPayable"].attr_text == "'Contribution'!$C$4"
    sheet = member["Contribution"]
    assert len(sheet._charts) == 1
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.oddHeader.center.text == "East Midlands regional police collaboration, 2013/14: Derbyshire"


def test_text_from_inputs_never_becomes_a_formula(tmp_path, write_yaml):
    path = write_yaml("""
        collaboration: "=HYPERLINK(\\"http://x\\")"
        year: 2024/25
        members: ["=1+1", "+B", "-C", "@D"]
        units:
          - code: "=A1"
            basis: equal
            non_pay: {"=SUM(A1:A9)": 100}
    """)
    write_outputs(apportion(load_budget(path)), tmp_path / "out")
    written = load_workbook(tmp_path / "out" / "summary.xlsx")
    texts = {'=HYPERLINK("http://x"), 2024/25', "=1+1", "+B", "-C", "@D", "=A1", "=SUM(A1:A9)"}
    found = set()
    for sheet in written.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in texts:
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate} holds {cell.value!r} as {cell.data_type}"
                    found.add(cell.value)
    assert found == texts
    shown = load_workbook(recalculate([tmp_path / "out" / "summary.xlsx"], tmp_path / "lo")["summary.xlsx"], data_only=True)
    assert shown["Summary"]["C4"].value == "=1+1"
    assert shown["Summary"]["A5"].value == "=A1"
    # and the formulas that match on those names still find them: £100 in four equal parts
    assert [shown["Summary"].cell(5, c).value for c in range(3, 7)] == [25, 25, 25, 25]


def test_every_part_of_every_workbook_is_well_formed_and_declared(em_units):
    import zipfile
    from xml.etree import ElementTree

    for path in sorted(em_units.glob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for name in names:
                ElementTree.fromstring(archive.read(name))  # raises on malformed XML
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
            declared = {e.get("PartName") for e in types if e.get("PartName")}
            parts = {f"/{n}" for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
            assert parts == declared, f"{path.name}: {parts ^ declared}"
            assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
            # Charts take their colours from the theme: LibreOffice draws a chart in a
            # workbook without one as empty axes (seen when the theme was missing).
            assert b"theme/theme1.xml" in archive.read("xl/_rels/workbook.xml.rels")
            assert b'<a:accent1><a:srgbClr val="4F81BD"/>' in archive.read("xl/theme/theme1.xml")


def test_sweep_and_comparison_workbooks_open_with_their_charts(tmp_path):
    from apportion.model import Without
    from apportion.outputs.comparison_workbook import comparison_workbook
    from apportion.outputs.provenance import provenance_of
    from apportion.outputs.sweep_workbook import sweep_workbook
    from apportion.rules.compare import compare as compare_runs
    from apportion.rules.prepare import prepare
    from apportion.rules.sweep import sweep
    from apportion.rules.sweep_factors import Factor, Input

    budget = load_budget(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    one = sweep(budget, [Factor(Input.GRANT, "all", Decimal(-30), Decimal(10), Decimal(5))])
    two = sweep(budget, [Factor(Input.GRANT, "all", Decimal(-30), Decimal(10), Decimal(5)),
                         Factor(Input.LEVY_RATE, "all", Decimal(1), Decimal(3), Decimal(1))], draws=20)  # fmt: skip
    after = apportion(prepare(budget, None, [Without("Kent")]))
    before = apportion(budget)
    (tmp_path / "one.xlsx").write_bytes(sweep_workbook(one, before, provenance_of(before)).to_bytes())
    (tmp_path / "two.xlsx").write_bytes(sweep_workbook(two, before, provenance_of(before)).to_bytes())
    comparison = comparison_workbook(compare_runs(before, after), provenance_of(before), provenance_of(after))
    (tmp_path / "comparison.xlsx").write_bytes(comparison.to_bytes())
    one_book, two_book = load_workbook(tmp_path / "one.xlsx"), load_workbook(tmp_path / "two.xlsx")
    assert len(one_book["Exposure"]._charts) == 2  # the ranges, and every outcome by grant change
    assert len(two_book["Exposure"]._charts) == 1  # random draws have no order to draw a line through
    assert [c.value for c in two_book["Outcomes"][4]][:2] == ["grant all (%)", "levy rate all (%)"]
    assert two_book["Varied"]["C5"].number_format == "0.0##%"  # the percentages shown as percentages, not money
    assert two_book["Varied"]["C5"].value == -0.3
    assert "Provenance" in one_book.sheetnames
    assert one_book["Exposure"]["A1"].value == "South East regional organised crime units, 2014/15"
    # Kent's highest, by hand in test_sweep: £2,027,168.00 at a 30% cut
    kent = next(row for row in one_book["Exposure"].iter_rows(min_row=5, values_only=True) if row[0] == "Kent")
    assert (kent[5], kent[6]) == (2027168, "grants of all -30%")
    copies = recalculate([tmp_path / "one.xlsx", tmp_path / "two.xlsx", tmp_path / "comparison.xlsx"], tmp_path / "lo")
    members = load_workbook(copies["comparison.xlsx"], data_only=True)["Members"]
    assert members["A3"].value.startswith("Before: South East regional organised crime units 2014/15")
    assert members["A6"].value == "Member"  # the table, after the before and after lines


def test_text_xml_cannot_hold_is_replaced_not_left_to_break_the_file():
    from apportion.outputs.spreadsheet import escape

    assert escape('a & b < "c" > d') == "a &amp; b &lt; &quot;c&quot; &gt; d"
    assert escape("bell\x07 here") == "bell\ufffd here"
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_the_table_of_column_letters_is_the_letters_worked_out_one_by_one():
    from apportion.outputs.spreadsheet import LETTERS

    assert [LETTERS[n] for n in (1, 26, 27, 52, 702, 703, 999)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA", "ALK"]
    assert LETTERS[1:] == [column_letter(n) for n in range(1, len(LETTERS))]


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: the letters worked out one by one, as the table must hold them."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def test_a_member_with_nothing_at_the_year_end_gets_no_empty_year_end_sheet():
    # West Midlands 2013/14's year end: WMROCU's match funding (the collaboration's) and
    # West Midlands' firearms saving; no settlement. Only West Midlands has a figure of its own.
    books = books_of(apportion(load_budget(EXAMPLES / "west-midlands-2013-14.yaml")))
    with_year_end = {name for name, book in books.items() if "Year end" in [s.title for s in book.workbook.sheets]}
    assert with_year_end == {"summary.xlsx", "west-midlands.xlsx"}
