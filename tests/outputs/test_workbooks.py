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
    assert header[:4] == ["Unit code", "Unit", "Basis", "Share of the unit's cost"]
    assert header[-2:] == ["Net cash payable", "Worked on"]
    rows = []
    for row in sheet.iter_rows(min_row=9, values_only=True):
        if row[0] == "Total":
            break
        rows.append(row)
    # Derbyshire takes part in all five units, Forensic Services and the Protective Unit included.
    assert [row[0] for row in rows] == ["EMSOU-SOC", "EMSOU-MC", "EMSOU-FS", "EMSOU-SB", "EM-PPU"]
    fs = next(row for row in rows if row[0] == "EMSOU-FS")
    assert fs[3] == pytest.approx(222 / 623, abs=1e-10)  # 22.2 of the three forces' 62.3
    assert sum(money(row[-2]) for row in rows) == money(sheet["C4"].value)


def lines_row(sheet, unit, member=None):
    """The row of a unit's line (the member's, on the summary's Lines) and its cells by heading."""
    header = [cell.value for cell in sheet[4]]
    row = next(
        r for r in range(5, sheet.max_row + 1)
        if sheet.cell(r, 1).value == unit and (member is None or sheet.cell(r, 2).value == member)
    )  # fmt: skip
    return row, {heading: sheet.cell(row, index).value for index, heading in enumerate(header, start=1)}


FS_QUEUE = {  # Forensic Services' queue, worked by hand below
    "Nottinghamshire": (1, 1), "Lincolnshire": (2, 1), "Derbyshire": (3, 0),
}  # fmt: skip


def test_a_members_lines_show_why_it_did_or_did_not_get_a_penny(em_units, shown):
    # Forensic Services, £4,986,299 over Derbyshire 22.2, Lincolnshire 12.8, Nottinghamshire 27.3
    # (62.3): 498,629,900p x 12.8 / 62.3 = 102,447,234.671p for Lincolnshire; the floors leave 2p,
    # which go to the largest remainders, Nottinghamshire's (.697) then Lincolnshire's (.671);
    # Derbyshire's (.632) is third and gets none (worked by hand in test_examples). The queue
    # stopped at Lincolnshire's remainder, .671.
    written = load_workbook(em_units / "lincolnshire.xlsx")["Lines"]
    sheet = shown["lincolnshire.xlsx"]["Lines"]
    assert [sheet.cell(r, 1).value for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value != "Total"] == [
        "EMSOU-SOC", "EMSOU-MC", "EMSOU-FS", "EMSOU-SB",
    ]  # its own line for each of its four units, and no other member's  # fmt: skip
    row, line = lines_row(sheet, "EMSOU-FS")
    assert line["Rounded down (pence)"] == 102447234
    assert line["Remainder (of a penny)"] == pytest.approx(0.671, abs=1e-3)
    assert (line["Place in the unit's queue"], line["Pence left over in the unit"], line["Extra penny"]) == (2, 2, 1)
    assert line["Remainder of the last to get a penny"] == pytest.approx(0.671, abs=1e-3)
    assert money(line["Share of cost"]) == Decimal("1024472.35")
    letters = {cell.value: cell.column_letter for cell in written[4]}
    place, left = letters["Place in the unit's queue"], letters["Pence left over in the unit"]
    assert written[f"{letters['Extra penny']}{row}"].value == f"=IF({place}{row}<={left}{row},1,0)"
    summary = shown["summary.xlsx"]["Lines"]
    proved = int(line["Its queue proved in summary.xlsx"].removeprefix("Lines row "))
    assert (summary.cell(proved, 1).value, summary.cell(proved, 2).value) == ("EMSOU-FS", "Lincolnshire")
    _, derbyshire = lines_row(shown["derbyshire.xlsx"]["Lines"], "EMSOU-FS")
    assert (derbyshire["Place in the unit's queue"], derbyshire["Extra penny"]) == (3, 0)
    assert money(derbyshire["Share of cost"]) == Decimal("1776819.22")


def test_the_summary_proves_each_queue_with_formulas(em_units, shown):
    written = load_workbook(em_units / "summary.xlsx")["Lines"]
    sheet = shown["summary.xlsx"]["Lines"]
    letters = {cell.value: cell.column_letter for cell in written[4]}
    place_at, left_at = letters["Place in the unit's queue"], letters["Pence left over in the unit"]
    for member, (place, extra) in FS_QUEUE.items():
        row, line = lines_row(sheet, "EMSOU-FS", member)
        # recalculated from the remainders alone: the place and the pence left over are formulas
        assert (line["Place in the unit's queue"], line["Pence left over in the unit"], line["Extra penny"]) == (place, 2, extra)
        assert line["Remainder of the last to get a penny"] == pytest.approx(0.671, abs=1e-3)
        assert written[f"{place_at}{row}"].value.startswith("=1+SUMPRODUCT(")
        assert written[f"{left_at}{row}"].value.startswith("=ROUND(ABS(")


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


def test_the_summary_has_a_row_a_member_and_each_member_by_unit(shown):
    sheet = shown["summary.xlsx"]["Summary"]
    header = [cell.value for cell in sheet[4]][:5]
    assert header == [
        "Member", "Share of the net cash payable", "Net cash payable", "In-kind value", "Total contribution (cash + in kind)",
    ]  # fmt: skip
    rows = []
    for row in sheet.iter_rows(min_row=5, max_col=5, values_only=True):
        rows.append(row)
        if row[0] == "Total":
            break
    *members, total = rows
    assert len(members) == 5
    cash = [money(row[2]) for row in members]
    assert cash == sorted(cash, reverse=True)  # the largest first
    # The source's revenue budget, £20,931,299, and officers in kind, £8,933,237.
    assert sum(cash) == money(total[2]) == Decimal("20931299.00")
    assert sum(money(row[3]) for row in members) == money(total[3]) == Decimal("8933237.00")
    assert money(total[4]) == Decimal("20931299.00") + Decimal("8933237.00")
    assert [row[1] for row in members] == pytest.approx([float(c / Decimal("20931299.00")) for c in cash], abs=1e-12)
    assert total[1] == pytest.approx(1)
    by_unit = shown["summary.xlsx"]["By unit"]
    assert [cell.value for cell in by_unit[4]][:6] == ["Member", "EMSOU-SOC", "EMSOU-MC", "EMSOU-FS", "EMSOU-SB", "EM-PPU"]
    members_by_unit: dict = {}
    for row in by_unit.iter_rows(min_row=5, values_only=True):
        members_by_unit.setdefault(row[0], row)  # the cash table's rows (the in-kind table follows)
    # Northamptonshire takes no part in Forensic Services or the Protective Unit: no figure, not £0
    assert members_by_unit["Northamptonshire"][3] is None
    assert money(members_by_unit["Total"][6]) == Decimal("20931299.00")


def test_tables_names_charts_and_print_setup(em_units):
    summary = load_workbook(em_units / "summary.xlsx")
    assert "UnitLines" in summary["Lines"].tables
    assert len(summary["Summary"]._charts) == 1  # five members: a pie
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
    # the members in order of what they pay (all alike: then by name), each a row
    assert [shown["Summary"].cell(row, 1).value for row in range(5, 9)] == ["+B", "-C", "=1+1", "@D"]
    assert shown["Lines"]["A5"].value == "=A1"
    # and the formulas that match on those names still find them (no wildcard, no operator):
    # £100 in four equal parts
    assert [shown["Summary"].cell(row, 3).value for row in range(5, 9)] == [25, 25, 25, 25]


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
    assert (kent[5], kent[6]) == ("=MAX(Outcomes!$C$5:$C$13)", "grants of all units -30%")  # Kent's column of the 9 outcomes
    copies = recalculate([tmp_path / "one.xlsx", tmp_path / "two.xlsx", tmp_path / "comparison.xlsx"], tmp_path / "lo")
    kent = next(
        row for row in load_workbook(copies["one.xlsx"], data_only=True)["Exposure"].iter_rows(min_row=5, values_only=True)
        if row[0] == "Kent"
    )  # fmt: skip
    assert kent[5] == 2027168
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


def test_whose_shares_a_year_end_part_is_in_reads_as_a_sentence(tmp_path):
    # East Midlands 2013/14 holds its reserves and capital financing in the basis the file
    # describes as "Each PCC's share of the funding formula for government grant". Said
    # mid-sentence on the year end sheet, it is "shares by each PCC's share of ...", not
    # "shares by Each PCC's share ...".
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")), tmp_path / "out")
    sheet = load_workbook(tmp_path / "out" / "leicestershire.xlsx")["Year end"]
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and "shares by" in c]
    assert texts, "the year end names whose shares its parts are in"
    assert "in shares by each PCC's share of the funding formula for government grant" in texts[0]
    assert not [t for t in texts if "shares by Each" in t]


# A and B share X 60/40, B and C share Y equally. S1 (£1,000) serves X alone, S2 (£600) Y alone.
TWO_REACHES = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
support_method: step-down
units:
  - {code: X, participants: [A, B], basis: {shares: {A: 60%, B: 40%}}, pay: {Staff: 10000}}
  - {code: Y, participants: [B, C], basis: equal, pay: {Staff: 20000}}
  - {code: S1, support: {by: pay, units: [X]}, pay: {Staff: 1000}}
  - {code: S2, support: {by: pay, units: [Y]}, pay: {Staff: 600}}
"""


def test_a_members_support_sheet_holds_the_support_units_that_reach_it_and_names_the_summarys_rows(write_yaml, tmp_path):
    write_outputs(apportion(load_budget(write_yaml(TWO_REACHES))), tmp_path / "out")
    c = load_workbook(recalculate([tmp_path / "out" / "c.xlsx"], tmp_path / "lo")["c.xlsx"], data_only=True)
    assert "Support in units" not in c.sheetnames  # every resting place is the summary's
    rows = list(c["Support charges"].iter_rows(min_row=4, max_row=6, values_only=True))
    # S2's cost rests in Y alone, half of it C's: £300.00 of its £600; S1 does not reach C.
    assert [row[:7] for row in rows[1:]] == [("S2", 600, 0, 600, 0, 0.5, 300), ("Total", 600, 0, 600, 0, None, 300)]
    where = rows[1][7]
    # the summary's totals (from row 5) are S1's and S2's; its charges (header 4 + 2 + 4, from row 11) S1's to X, S2's to Y
    assert where == "Support charges rows 6, 12; Support in units row 6"
    summary = load_workbook(tmp_path / "out" / "summary.xlsx")
    assert summary["Support charges"]["A6"].value == "S2"  # the rows named are S2's in the summary
    assert [summary["Support charges"][f"{column}12"].value for column in "AB"] == ["S2", "Y"]
    assert [summary["Support in units"][f"{column}6"].value for column in "AB"] == ["S2", "Y"]


def test_a_description_is_lowered_mid_sentence_only_where_it_begins_with_a_common_word():
    from types import SimpleNamespace

    from apportion.model import Basis, BasisKind
    from apportion.outputs.year_sheets import shares_words

    def said(description):
        basis = Basis("held", BasisKind.SHARES, {"A": Decimal(100)}, description=description)
        return shares_words(SimpleNamespace(result=SimpleNamespace(budget=SimpleNamespace(bases={"held": basis}))), "held")

    assert said("Each PCC's share of the funding formula") == "shares by each PCC's share of the funding formula"
    assert said("Home Office formula allocations") == "shares by Home Office formula allocations"  # a name keeps its capitals
    assert said("PCC shares") == "shares by PCC shares"
    assert shares_words(SimpleNamespace(result=SimpleNamespace(budget=SimpleNamespace(bases={}))), "U") == "U"  # a unit's
