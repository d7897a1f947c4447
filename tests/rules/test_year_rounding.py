"""period_rounding: once for the year: a unit split into periods, each member's exact parts
of the periods added up and rounded once, worked by hand in the comments."""

from __future__ import annotations

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.sweep import needs_the_whole_budget
from tests.outputs.test_spreadsheet_engine import recalculates_to_the_penny
from tests.rules.test_periods import JOINER_YAML

ONCE = "period_rounding: once for the year\n"


def test_a_member_year_is_its_exact_share_rounded_once(write_yaml):
    # April to July costs £333.33 and August to March £666.67 (4/12 and 8/12 of £1,000, the
    # spare penny to the larger remainder). Exact parts: A and B 16,666.5p + 22,222.333...p
    # = 38,888.833...p each, C 22,222.333...p; rounded down 38,888 + 38,888 + 22,222 =
    # 99,998p, so 2p are left, to the larger remainders .833 (A and B) before C's .333:
    # A 388.89, B 388.89, C 222.22 (each period rounded on its own gives 388.90 and 388.88).
    result = apportion(load_budget(write_yaml(JOINER_YAML + ONCE)))
    (unit,) = result.units
    assert unit.unit.code == "ROADS" and len(unit.periods) == 2
    assert {s.member: s.cash_amount for s in unit.shares} == {"A": D("388.89"), "B": D("388.89"), "C": D("222.22")}
    assert {t.member: t.cash_amount for t in result.member_totals} == {"A": D("388.89"), "B": D("388.89"), "C": D("222.22")}
    # the queue: C's remainder is smallest, so it is third and gets no penny of the two
    assert unit.by_member["C"].cost_workings.rank == 3 and unit.by_member["C"].cost_workings.pence_left_over == 2


LEVY_YAML = """
collaboration: A member joins in the year (illustrative)
year: 2024/25
members: [A, B, C]
units:
  - code: ROCU
    basis: equal
    model: lead-force
    lead: A
    pay: {Staff: 1000}
    non_pay: {Costs: 1}
    income: {Grant: 100}
    in_kind: {C: 121}
    in_kind_treatment: offset
membership:
  - {member: C, joins: 2025-01-01, pro_rata: months}
period_rounding: once for the year
"""


def test_the_levy_and_in_kind_are_rounded_once_for_the_year(write_yaml):
    # April to December is 9/12: pay 750, costs 0.75, grant 75; January to March pay 250,
    # costs 0.25, grant 25 and C's 30.25 in kind (121 x 3/12). Cost shared: 675.75 and
    # 225.25 + 30.25 = 255.50; the year 931.25.
    # Exact shares of cost: A and B 337.875 + 85.1666... = 423.041666..., C 85.1666...;
    # rounded down 423.04 + 423.04 + 85.16 = 931.24, 1p left, to the largest remainder:
    # C's .666... (A's and B's are .1666...): A 423.04, B 423.04, C 85.17.
    # The levy, 2%: B's exact levy is 2% x 750 x 1/2 = 7.50 and 2% x 250 x 1/3 = 1.666...,
    # 9.1666... in all; C's 1.666.... The pot, 10.8333..., is rounded once, 10.83, and split
    # by the exact levies (11/13 and 2/13), as levy.py splits any pot: 9.16384... and
    # 1.66615...; floors 9.16 + 1.66 = 10.82, the 1p to C (.615 against .384): B 9.16,
    # C 1.67; the lead receives 10.83. Each period on its own would give B 7.50 + 1.67 (the
    # 3.33 pot of January to March halved, the tie to the name first) = 9.17 and C 1.66.
    result = apportion(load_budget(write_yaml(LEVY_YAML)))
    (unit,) = result.units
    cost = {s.member: s.cost_amount for s in unit.shares}
    levy = {s.member: s.levy_amount for s in unit.shares}
    assert cost == {"A": D("423.04"), "B": D("423.04"), "C": D("85.17")}
    assert levy == {"A": D("-10.83"), "B": D("9.16"), "C": D("1.67")}
    assert unit.by_member["C"].in_kind_credit_amount == D("-30.25")
    cash = {s.member: s.cash_amount for s in unit.shares}
    assert sum(cash.values()) == unit.net_amount == D("901.00")


def test_sweep_recomputes_such_a_budget_whole(write_yaml):
    # the sweep's per-unit engine rounds each period; once for the year, it takes the Decimal
    # engine, whose figures are run's
    assert not needs_the_whole_budget(load_budget(write_yaml(JOINER_YAML)))
    assert needs_the_whole_budget(load_budget(write_yaml(JOINER_YAML + ONCE)))


def test_workbooks_rounded_once_recalculate_to_the_penny(write_yaml, tmp_path):
    # the Lines sheet proves the once-for-the-year split by the same formulas as any unit's:
    # each value is the member's exact part of the year, and the levy's share its exact levy
    # over rate x the year's pay
    recalculates_to_the_penny(apportion(load_budget(write_yaml(LEVY_YAML))), tmp_path)
