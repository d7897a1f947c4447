"""Bases and budget lines read from the finance officer's own CSV or xlsx."""

from __future__ import annotations

import hashlib
import textwrap

import pytest
from openpyxl import Workbook

from apportion.input.budget_file import load_budget
from apportion.model import InputError
from apportion.model.money import D
from apportion.rules.calculate import apportion

HEAD = "collaboration: East Midlands\nyear: 2013/14\nmembers: [Nottinghamshire, Leicestershire, Derbyshire, Northamptonshire, Lincolnshire]\n"


def budget(write_yaml, body):
    return write_yaml(HEAD + textwrap.dedent(body))


def shares_workbook(path, rows, *, percent_format=True, sheet="Funding formula"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["Force", "Share of formula"])
    for force, share in rows:
        ws.append([force, share])
        if percent_format:
            ws.cell(ws.max_row, 2).number_format = "0.0%"
    book.save(path)


def test_shares_from_an_xlsx_with_percentage_cells(write_yaml, tmp_path):
    # Cells shown as 27.3% hold 0.273: declared as unit: fraction. The split must be the
    # docs/domain.md table: £5,714,244.63, £4,772,336.17, £4,646,748.38, £3,118,763.55, £2,679,206.27.
    shares_workbook(
        tmp_path / "formula.xlsx",
        [
            ("Nottinghamshire", 0.273),
            ("Leicestershire", 0.228),
            ("Derbyshire", 0.222),
            ("Northamptonshire", 0.149),
            ("Lincolnshire", 0.128),
        ],
    )
    loaded = load_budget(budget(write_yaml, """
        bases:
          funding_formula:
            unit: fraction
            shares_from: {file: formula.xlsx, sheet: Funding formula, member_column: Force, value_column: Share of formula}
        units: [{code: EM, basis: funding_formula, non_pay: {Budget: 20931299}}]
    """))  # fmt: skip
    cash = [s.cash_amount for s in apportion(loaded).units[0].shares]
    assert cash == [D("5714244.63"), D("4772336.17"), D("4646748.38"), D("3118763.55"), D("2679206.27")]
    digest = hashlib.sha256((tmp_path / "formula.xlsx").read_bytes()).hexdigest()
    assert loaded.input_files[-1].sha256 == digest


def test_drivers_and_lines_from_csv(write_yaml, tmp_path):
    (tmp_path / "population.csv").write_text('Force,Population\nNottinghamshire,"1,091,000"\nDerbyshire,1018000\n')
    (tmp_path / "budget.csv").write_text(
        'Unit,Line,Kind,Amount\nFS,Staff,pay,"£3,786,299"\nFS,Consumables,Non-pay,1200000.50\nFS,Grant,income,250000\nOTHER,Ignored,pay,1\n'
    )
    loaded = load_budget(budget(write_yaml, """
        bases:
          population:
            drivers_from: {file: population.csv, member_column: Force, value_column: Population}
        units:
          - code: FS
            participants: [Nottinghamshire, Derbyshire]
            basis: population
            lines_from: {file: budget.csv, unit_column: Unit, name_column: Line, kind_column: Kind, amount_column: Amount}
    """))  # fmt: skip
    unit = loaded.units[0]
    assert [(line.name, line.amount) for line in unit.lines] == [("Staff", D("3786299.00")), ("Consumables", D("1200000.50"))]
    assert unit.net_amount == D("4736299.50")
    # 473,629,950p x 1,091,000 / 2,109,000 = 245,011,984.566p; x 1,018,000 / 2,109,000 = 228,617,965.434p.
    # The floors leave 1p, which goes to the larger remainder, Nottinghamshire's.
    cash = {s.member: s.cash_amount for s in apportion(loaded).units[0].shares}
    assert cash == {"Nottinghamshire": D("2450119.85"), "Derbyshire": D("2286179.65")}


@pytest.mark.parametrize(
    ("csv_text", "spec", "expected"),
    [
        (
            "Force,Share\nNottinghamshire,60%\nLincs,40%\n",
            "member_column: Force, value_column: Share",
            "shares.csv: row 3, column Force: 'Lincs' is not a member; members are: Nottinghamshire, Leicestershire, "
            "Derbyshire, Northamptonshire, Lincolnshire",
        ),
        (
            "Force,Share\nNottinghamshire,60%\nLincolnshire,forty\n",
            "member_column: Force, value_column: Share",
            "shares.csv: row 3, column Share: 'forty' is not a percentage; write it like '27.3%'",
        ),
        (
            "Force,Share\nNottinghamshire,60%\n",
            "member_column: Force, value_column: Shares",
            "shares.csv: no column 'Shares'; the columns are: Force, Share",
        ),
    ],
)
def test_errors_name_the_file_row_and_column(write_yaml, tmp_path, csv_text, spec, expected):
    (tmp_path / "shares.csv").write_text(csv_text)
    path = budget(write_yaml, f"""
        bases:
          f: {{shares_from: {{file: shares.csv, {spec}}}}}
        units: [{{code: U, basis: f, non_pay: {{x: 1}}}}]
    """)  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_budget(path)
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [expected]


def test_unknown_sheet_lists_the_sheets(write_yaml, tmp_path):
    shares_workbook(tmp_path / "formula.xlsx", [("Nottinghamshire", 1)], sheet="2013-14")
    path = budget(write_yaml, """
        bases:
          f: {unit: fraction, shares_from: {file: formula.xlsx, sheet: "2014-15", member_column: Force, value_column: Share of formula}}
        units: [{code: U, basis: f, non_pay: {x: 1}}]
    """)  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_budget(path)
    assert str(caught.value.problems[0]).endswith("formula.xlsx: there is no sheet '2014-15'; the sheets are: 2013-14")


def test_xlsx_is_parsed_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_a_number_a_spreadsheet_computed_is_rounded_to_12_places(write_yaml, tmp_path):
    # =1/3 and =2/3 saved as LibreOffice saves them, to 15 digits: 0.333333333333333 and
    # 0.666666666666667. Rounded half to even at 12 places: 0.333333333333 and 0.666666666667.
    book = Workbook()
    sheet = book.active
    sheet.append(["Force", "Weight"])
    sheet.append(["Derbyshire", 0.333333333333333])
    sheet.append(["Lincolnshire", 0.666666666666667])
    book.save(tmp_path / "computed.xlsx")
    path = budget(
        write_yaml,
        """
        bases:
          weights:
            drivers_from: {file: computed.xlsx, member_column: Force, value_column: Weight}
        units:
          - {code: U, basis: weights, participants: [Derbyshire, Lincolnshire], non_pay: {Costs: 1000000}}
    """,
    )
    weights = load_budget(path).bases["weights"].weights
    assert weights == {"Derbyshire": D("0.333333333333"), "Lincolnshire": D("0.666666666667")}


def test_rows_are_numbered_as_a_spreadsheet_numbers_them_and_told_in_that_order(write_yaml, tmp_path):
    rows = ["Force,Share", "Derbyshire,40%", ""] + [f"Lincs {n},1%" for n in range(1, 10)]
    (tmp_path / "shares.csv").write_text("\n".join(rows) + "\n")
    path = budget(
        write_yaml,
        """
        bases:
          formula: {shares_from: {file: shares.csv, member_column: Force, value_column: Share}}
        units:
          - {code: U, basis: formula, participants: [Derbyshire], non_pay: {Costs: 1}}
    """,
    )
    with pytest.raises(InputError) as caught:
        load_budget(path)
    places = [p.place.where for p in caught.value.problems]
    # the blank line is row 3, so 'Lincs 1' is row 4 and 'Lincs 9' row 12, told after row 4, not before
    assert places[:2] == ["row 4, column Force", "row 5, column Force"]
    assert places[8] == "row 12, column Force"


def test_a_period_typed_as_a_date_is_read_as_its_month(write_yaml, tmp_path):
    # A finance officer types 01/04/2013 in the period column: the cell holds 41365 (days
    # since 30 December 1899) shown as a date. It is April 2013, M1 of 2013/14; 30/06/2013
    # (41455) is June, M3. A cell of that number not shown as a date stays a number.
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Unit", "Month", "Spent"])
    sheet.append(["FS", datetime.date(2013, 4, 1), 1000])
    sheet.append(["FS", datetime.date(2013, 6, 30), 2000])
    book.save(tmp_path / "actuals.xlsx")
    loaded = load_budget(budget(write_yaml, """
        units: [{code: FS, basis: equal, non_pay: {Budget: 120000}}]
        monitoring:
          periods: monthly
          actuals_from: {file: actuals.xlsx, unit_column: Unit, period_column: Month, actual_column: Spent}
    """))  # fmt: skip
    assert [(a.period, a.spent_amount) for a in loaded.monitoring.actuals] == [(1, D("1000.00")), (3, D("2000.00"))]


def test_a_date_in_the_1904_system_and_a_number_not_shown_as_a_date():
    from apportion.input.xlsx import xlsx_grid
    from tests.input.workbooks import number_cell, row, workbook_parts, zipped

    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    parts = workbook_parts(row(1, number_cell("A1", "41365", 1), number_cell("B1", "41365")), styles=styles)
    import datetime

    grid, _ = xlsx_grid(zipped(parts), None)
    assert dict(next(grid)[1]) == {0: datetime.date(2013, 4, 1), 1: D("41365")}
    # a Mac workbook counting from 1 January 1904: 39903 days on is 1 April 2013
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("<sheets>", '<workbookPr date1904="1"/><sheets>')
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace("41365", "39903")
    grid, _ = xlsx_grid(zipped(parts), None)
    assert next(grid)[1][0] == datetime.date(2013, 4, 1)


def test_a_sheet_of_lines_several_units_share_is_read_once(write_yaml, tmp_path, monkeypatch):
    # Three units read their lines from one sheet by unit_column: the file is read and
    # parsed once, and each unit gets its own rows (FS: 300 + 200; DOGS: 50; AIR: 7).
    from apportion.input import spreadsheets

    (tmp_path / "lines.csv").write_text(
        "Unit,Line,Kind,Amount\nFS,Staff,pay,300\nDOGS,Kennels,non-pay,50\nFS,Kit,non-pay,200\nAIR,Fuel,non-pay,7\n"
    )
    reads = []
    real = spreadsheets.read_table
    monkeypatch.setattr(spreadsheets, "read_table", lambda *args: reads.append(args[0]) or real(*args))
    spec = "{file: lines.csv, unit_column: Unit, name_column: Line, kind_column: Kind, amount_column: Amount}"
    loaded = load_budget(budget(write_yaml, f"""
        units:
          - {{code: FS, basis: equal, lines_from: {spec}}}
          - {{code: DOGS, basis: equal, lines_from: {spec}}}
          - {{code: AIR, basis: equal, lines_from: {spec}}}
    """))  # fmt: skip
    assert [unit.gross_amount for unit in loaded.units] == [D("500.00"), D("50.00"), D("7.00")]
    assert len(reads) == 1
    assert [f.path for f in loaded.input_files].count(str(tmp_path / "lines.csv")) == 1


def test_validate_reads_the_budget_file_once(write_yaml, monkeypatch):
    import yaml
    from click.testing import CliRunner

    from apportion.cli import cli

    path = budget(write_yaml, "units: [{code: FS, basis: equal, pay: {Staff: 100}}]\n")
    composed = []
    real = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda *args, **kwargs: composed.append(1) or real(*args, **kwargs))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert len(composed) == 1
