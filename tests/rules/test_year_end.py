"""Year end against the sources: East Midlands' settlement, reserves and capital, and
West Midlands' match funding and firearms-licensing saving."""

from __future__ import annotations

from fractions import Fraction

import pytest
from openpyxl import load_workbook

from apportion.input.budget_file import load_budget
from apportion.model import InputError
from apportion.model.limits import LimitError
from apportion.model.money import D
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from apportion.rules.year_end import shares_held_in, written_units, year_end
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


RETURNED = """
collaboration: C
year: 2024/25
members: [A, B]
units:
  - code: U
    basis: equal
    non_pay: {Costs: 1000}
    income: {Fees: {amount: 400, member: A}}
year_end:
  outturn: {U: 500}
"""


def test_income_returned_by_a_split_of_its_own_has_no_part_in_the_out_turns_shares(write_yaml):
    # U's 1,000 is shared equally, 500 each; the fees of 400 are returned to A alone, so the
    # unit's net budget is 1,000 - 400 = 600. An out-turn of 500 is 100 under, returned in
    # the members' shares of U's cost, half each: 50.00 to A and to B (the fees are A's
    # already, and weigh nothing in it).
    (settled,) = outcome(write_yaml(RETURNED)).settlements
    assert (settled.budget_amount, settled.variance_amount) == (D("600.00"), D("100.00"))
    assert dict(settled.parts) == {"A": D("-50.00"), "B": D("-50.00")}


def test_an_over_spend_of_a_nil_budget_is_charged_in_the_units_shares(write_yaml):
    # Costs of 1,000 met by a grant of 1,000: a nil budget, so nothing to weigh the shares
    # by but the shares themselves, 60/40. An out-turn of 100 is an over-spend of 100,
    # charged 60.00 to A and 40.00 to B.
    text = RETURNED.replace("basis: equal", "basis: {shares: {A: 60%, B: 40%}}").replace(
        "{Fees: {amount: 400, member: A}}", "{Grant: 1000}"
    )
    (settled,) = outcome(write_yaml(text.replace("{U: 500}", "{U: 100}"))).settlements
    assert (settled.budget_amount, settled.variance_amount) == (D("0.00"), D("-100.00"))
    assert dict(settled.parts) == {"A": D("60.00"), "B": D("40.00")}


def test_what_the_reserves_and_the_accounts_are_held_in(write_yaml):
    # In a basis: its drivers 5 : 3 : 2 of 10, 1/2, 3/10 and 1/5. In a unit's shares: its
    # year, by months C pays 20% of April to September's 50,000, 10,000 of the 100,000, A
    # 25,000 + 5/8 of 50,000 = 56,250, B 15,000 + 18,750 = 33,750: 9/16, 27/80, 1/10.
    path = write_yaml("""
        collaboration: C
        year: 2013/14
        members: [A, B, C]
        bases:
          formula: {drivers: {A: 5, B: 3, C: 2}}
        units:
          - {code: U, participants: all, basis: formula, non_pay: {Costs: 100000}}
        membership:
          - {member: C, leaves: 2013-10-01, units: [U], pro_rata: months}
    """)
    result = apportion(load_budget(path))
    parts_of = written_units(result.units)
    assert shares_held_in(result, "formula", parts_of) == (
        {"A": Fraction(1, 2), "B": Fraction(3, 10), "C": Fraction(1, 5)},
        "formula",
    )
    assert shares_held_in(result, "U", parts_of) == (
        {"A": Fraction(9, 16), "B": Fraction(27, 80), "C": Fraction(1, 10)},
        "U's shares",
    )


OVER = "£{:,}.00, more than apportion handles (under £10,000,000,000,000, what a spreadsheet holds to the penny)"


def test_year_end_figures_past_what_a_spreadsheet_holds_are_refused(write_yaml):
    # Every amount given, and every total of them, is under £10 trillion, but the year
    # end's own figures reach it; the first to reach it is named.
    # 1. U1 (A's alone): costs 1tn less a grant of 4tn, net -3tn; its out-turn of 3tn is
    #    6tn over. U2 (B's) the same: 12tn over in all, though each member is charged 6tn.
    head = "collaboration: C\nyear: 2024/25\nmembers: [A, B]\nbases:\n  formula: {shares: {A: 50%, B: 50%}}\nunits:\n"
    unit = "  - {code: %s, participants: [%s], basis: equal, non_pay: {X: %d}, income: {Grant: %d}}\n"
    tn = 10**12
    text = head + unit % ("U1", "A", tn, 4 * tn) + unit % ("U2", "B", tn, 4 * tn)
    with pytest.raises(LimitError) as caught:
        outcome(write_yaml(text + f"year_end:\n  outturn: {{U1: {3 * tn}, U2: {3 * tn}}}\n", "all.yaml"))
    assert str(caught.value) == "at the year end, the under-spends in all would be -" + OVER.format(12 * tn)
    # 2. U1's out-turn 7.5tn: 10.5tn over, charged to A; U2 (1tn, no grant) out-turns at
    #    nil, 1tn under: 9.5tn over in all, but A's settlement is 10.5tn.
    text = head + unit % ("U1", "A", tn, 4 * tn) + unit % ("U2", "B", tn, 0)
    with pytest.raises(LimitError) as caught:
        outcome(write_yaml(text + f"year_end:\n  outturn: {{U1: {75 * 10**11}, U2: 0}}\n", "settled.yaml"))
    assert str(caught.value) == "at the year end, A's settlement would be " + OVER.format(105 * 10**11)
    # 3. Sent to the reserves: U1 (8tn, A's) out-turns at nil, 8tn under; U2 (£1, B's) at
    #    8tn + £1, 8tn over: nil in all, and the reserves close at their opening 5tn. But A
    #    holds half the opening, 2.5tn, and U1's 8tn: 10.5tn.
    text = head + unit % ("U1", "A", 8 * tn, 0) + unit % ("U2", "B", 1, 0)
    text += f"year_end:\n  outturn: {{U1: 0, U2: {8 * tn + 1}}}\n  settlement: reserves\n  shares: formula\n"
    with pytest.raises(LimitError) as caught:
        outcome(write_yaml(text + f"  reserves: {{opening: {5 * tn}}}\n", "reserves.yaml"))
    assert str(caught.value) == "at the year end, A's part of the closing reserves would be " + OVER.format(105 * 10**11)


POT = """
collaboration: C
year: 2024/25
members: [A, B]
units:
  - {code: U, basis: equal, non_pay: {Costs: 1000}}
  - code: POT
    basis: equal
    income: {Receipts: {amount: 400, basis: {shares: {A: 75%, B: 25%}}}}
year_end:
  outturn: {U: 1000, POT: 0}
  shares: POT
  reserves: {opening: 100}
"""


def test_a_pot_of_receipts_is_settled_and_holds_as_its_receipts_are_returned(write_yaml):
    # POT has no spending of its own: its receipts of 400 are returned 75/25, A 300 and B
    # 100, its net budget -400. Its out-turn of nil (no receipts came in) is 400 over:
    # charged back in those shares, A 300.00 and B 100.00. U is spent as budgeted. The
    # reserves, held in POT's shares: 100 opening, A 75.00 and B 25.00.
    ended = outcome(write_yaml(POT))
    _, pot = ended.settlements
    assert (pot.unit, pot.budget_amount, pot.variance_amount) == ("POT", D("-400.00"), D("-400.00"))
    assert dict(pot.parts) == {"A": D("300.00"), "B": D("100.00")}
    (opening,) = ended.reserves
    assert dict(opening.parts) == {"A": D("75.00"), "B": D("25.00")}


def test_a_pot_that_brings_in_more_than_budgeted_has_an_out_turn_below_nil(write_yaml):
    # POT budgets receipts of 400, returned 75/25: its net budget is -400. 500 came in: its
    # net out-turn is -500, an under-spend of 100 (more brought in than budgeted), returned in
    # the same shares: A 75.00, B 25.00. U is spent as budgeted.
    ended = outcome(write_yaml(POT.replace("outturn: {U: 1000, POT: 0}", "outturn: {U: 1000, POT: -500}")))
    _, pot = ended.settlements
    assert (pot.outturn_amount, pot.budget_amount, pot.variance_amount) == (D("-500.00"), D("-400.00"), D("100.00"))
    assert dict(pot.parts) == {"A": D("-75.00"), "B": D("-25.00")}
