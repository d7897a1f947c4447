"""Medium-term plans: each year's figures worked by hand from the budget year's."""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner
from openpyxl import load_workbook

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, read_contributions

PLAN = EXAMPLES / "east-midlands-mtfp-2013-17.yaml"


def test_each_year_is_inflated_and_saves_its_phase():
    result = apportion(load_budget(PLAN))
    years = [(y.budget.year, y.units[0].unit.gross_amount, y.units[0].unit.net_amount) for y in (result, *result.plan_years)]
    # £20,931,299 x 1.02 = 21,349,924.98, less 40% of £2.4m; x 1.02^2 = 21,776,923.4796 -> .48,
    # less 70%; x 1.02^3 = 22,212,461.946... -> .95, less the whole £2.4m.
    assert years == [
        ("2013/14", D("20931299.00"), D("20931299.00")),
        ("2014/15", D("21349924.98"), D("20389924.98")),
        ("2015/16", D("21776923.48"), D("20096923.48")),
        ("2016/17", D("22212461.95"), D("19812461.95")),
    ]


def test_the_second_year_split_by_hand():
    # 2,038,992,498p at 27.3/22.8/22.2/14.9/12.8%: floors 556,644,951 (.954), 464,890,289 (.544),
    # 452,656,334 (.556), 303,809,882 (.202), 260,991,039 (.744); 3p left: Notts, Lincs, Derbys.
    year = apportion(load_budget(PLAN)).plan_years[0]
    assert {t.member: t.cash_amount for t in year.member_totals} == {
        "Nottinghamshire": D("5566449.52"),
        "Leicestershire": D("4648902.89"),
        "Derbyshire": D("4526563.35"),
        "Northamptonshire": D("3038098.82"),
        "Lincolnshire": D("2609910.40"),
    }


def test_outputs_have_a_column_a_year(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(PLAN), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Medium-term plan" in result.stdout
    rows = read_contributions(tmp_path / "out" / "contributions.csv")
    by_year: dict[str, Decimal] = {}
    for row in rows:
        by_year[row["year"]] = by_year.get(row["year"], Decimal(0)) + Decimal(row["amount"])
    assert by_year == {
        "2013/14": D("20931299.00"),
        "2014/15": D("20389924.98"),
        "2015/16": D("20096923.48"),
        "2016/17": D("19812461.95"),
    }
    sheet = load_workbook(tmp_path / "out" / "nottinghamshire.xlsx")["Plan"]
    assert [c.value for c in sheet[4]] == ["Unit code", "2013/14", "2014/15", "2015/16", "2016/17"]
    assert sheet["C5"].value == 5566449.52
    assert CliRunner().invoke(cli, ["verify", str(PLAN), str(tmp_path / "out")]).output == "reproduced\n"
