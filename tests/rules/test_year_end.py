"""Year end against the sources: East Midlands' settlement, reserves and capital, and
West Midlands' match funding and firearms-licensing saving."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from apportion.input.budget_file import load_budget
from apportion.model import InputError
from apportion.model.money import D
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from apportion.rules.year_end import year_end
from tests.conftest import EXAMPLES, recalculate

EM = EXAMPLES / "east-midlands-2013-14.yaml"
WM = EXAMPLES / "west-midlands-2013-14.yaml"


def outcome(path):
    result = apportion(load_budget(path))
    return year_end(result, result.budget.year_end)


def test_east_midlands_under_spend_is_returned_in_funding_formula_shares():
    # Source: budget £20,931,299, forecast £20,699,816, under-spend £231,483.
    # 23,148,300p at 27.3/22.8/22.2/14.9/12.8%: 6,319,485.9, 5,277,812.4, 5,138,922.6,
    # 3,449,096.7, 2,962,982.4p; the floors leave 3p, to Nottinghamshire (.9),
    # Northamptonshire (.7) and Derbyshire (.6).
    result = outcome(EM)
    (settlement,) = result.settlements
    assert settlement.variance_amount == D("231483.00")
    assert dict(settlement.parts) == {
        "Nottinghamshire": D("-63194.86"),
        "Leicestershire": D("-52778.12"),
        "Derbyshire": D("-51389.23"),
        "Northamptonshire": D("-34490.97"),
        "Lincolnshire": D("-29629.82"),
    }


def test_east_midlands_reserves_and_capital_reconcile_to_the_source():
    # 1,207,428 + 45,000 (illustrative other movements) - 377,468 drawn for capital = 874,960.
    result = outcome(EM)
    assert result.reserves_closing == D("874960.00")
    assert result.capital_programme == D("420471.00")
    assert sum(amount for _, amount in result.capital_financing) == D("420471.00")


def test_west_midlands_match_and_saving():
    result = outcome(WM)
    (match,) = result.matches
    # £2m grant; £3m spend - £2m = £1m of the forces' cash, and 20 officers x £50,000 in kind.
    assert (match.grant_amount, match.cash_amount, match.in_kind_amount) == (D("2000000.00"), D("1000000.00"), D("1000000.00"))
    assert match.shortfall_amount == 0
    (saving,) = result.savings
    # Source para 19: "£195,585. This is a saving over our previous model of £135,128".
    assert (saving.contribution_amount, saving.saving_amount) == (D("195585.00"), D("135128.00"))


def test_year_end_sheet_recalculates(tmp_path):
    write_outputs(apportion(load_budget(EM)), tmp_path / "out")
    sheet = load_workbook(recalculate([tmp_path / "out" / "summary.xlsx"], tmp_path / "lo")["summary.xlsx"], data_only=True)[
        "Year end"
    ]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert values["Closing reserves"] == pytest.approx(874960)
    assert values["Capital programme"] == pytest.approx(420471)


def test_capital_financing_must_add_up(write_yaml):
    path = write_yaml("""
        collaboration: C
        year: 2013/14
        members: [A, B]
        units: [{code: U, basis: equal, non_pay: {x: 100}}]
        year_end:
          capital: {programme: 420471, financing: {reserves: 377468, fund: 43000}}
    """)
    with pytest.raises(InputError) as caught:
        load_budget(path)
    assert caught.value.problems[0].text == "the financing adds up to £420,468.00, £3.00 short of the programme of £420,471.00"
