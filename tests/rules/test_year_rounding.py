"""period_rounding: once for the year: a unit split into periods, each member's exact parts
of the periods added up and rounded once, worked by hand in the comments."""

from __future__ import annotations

from fractions import Fraction

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


FIXED_YAML = """
collaboration: A fixed amount and a unit not split (illustrative)
year: 2024/25
members: [A, B, C]
units:
  - code: ROADS
    participants: [A, B, C]
    basis: {fixed: {A: 100}, remainder: equal}
    non_pay: {Operations: 1000}
  - code: DOGS
    basis: equal
    non_pay: {Dogs: 90}
membership:
  - {member: C, joins: 2024-08-01, units: [ROADS], pro_rata: months}
period_rounding: once for the year
"""


def test_a_fixed_amount_is_its_periods_added_up_and_a_unit_not_split_is_left_as_it_is(write_yaml):
    # ROADS: April to July is 4/12 of £1,000, 333.33 (the spare penny to August to March's
    # 666.67), and of A's fixed £100, 33.33 (66.67 after). April to July B alone shares
    # 333.33 - 33.33 = 300.00; August to March B and C share 666.67 - 66.67 = 600.00, 300
    # each. The year: A's fixed 33.33 + 66.67 = 100.00; B's exact 600, C's 300, which split
    # the 900 left exactly. Shares of the year's 1,000: A 1/10, B 3/5, C 3/10.
    # DOGS is whole, 30 each, and stays where it was, after ROADS.
    result = apportion(load_budget(write_yaml(FIXED_YAML)))
    roads, dogs = result.units
    assert (roads.unit.code, dogs.unit.code) == ("ROADS", "DOGS") and len(roads.periods) == 2 and not dogs.periods
    assert {s.member: s.cash_amount for s in roads.shares} == {"A": D("100.00"), "B": D("600.00"), "C": D("300.00")}
    assert {s.member: s.share for s in roads.shares} == {"A": Fraction(1, 10), "B": Fraction(3, 5), "C": Fraction(3, 10)}
    assert [s.basis for s in roads.shares] == ["fixed amount", *["equal, by period, rounded once for the year"] * 2]
    assert roads.fixed_total_amount == D("100.00") and roads.unit.fixed_amounts == {"A": D("100.00")}
    assert {s.member: s.cash_amount for s in dogs.shares} == {"A": D("30.00"), "B": D("30.00"), "C": D("30.00")}
    assert {t.member: t.cash_amount for t in result.member_totals} == {"A": D("130.00"), "B": D("630.00"), "C": D("330.00")}


def test_a_nil_year_leaves_everyone_nothing(write_yaml):
    # Spending of £1,000 met by a grant of £1,000: each period's net budget is nil, so every
    # part is nil, and the year (nil) is split equally, into nothing: no one pays or is owed.
    text = JOINER_YAML.replace("non_pay: {Operations: 1000}", "non_pay: {Operations: 1000}\n    income: {Grant: 1000}")
    result = apportion(load_budget(write_yaml(text + ONCE)))
    (unit,) = result.units
    assert {s.member: (s.cash_amount, s.share) for s in unit.shares} == dict.fromkeys("ABC", (D("0.00"), 0))
    assert not result.warnings


def test_a_surplus_year_is_returned_in_the_members_exact_parts_rounded_once(write_yaml):
    # Spending £1,000 and income £1,300: a surplus of £300, -100.00 for April to July
    # (4/12) and -200.00 for August to March. A and B each return -50 + -66.666... =
    # -116.666...; C -66.666.... Rounded once: 11,666p + 11,666p + 6,666p = 29,998p, 2p
    # left with equal remainders (.666...), to the larger parts first, A and B: A and B
    # -116.67 each, C -66.66. One warning, for the unit as written.
    text = JOINER_YAML.replace("non_pay: {Operations: 1000}", "non_pay: {Operations: 1000}\n    income: {Grant: 1300}")
    result = apportion(load_budget(write_yaml(text + ONCE)))
    (unit,) = result.units
    assert {s.member: s.cash_amount for s in unit.shares} == {"A": D("-116.67"), "B": D("-116.67"), "C": D("-66.66")}
    assert {s.member: s.share for s in unit.shares} == {"A": Fraction(7, 18), "B": Fraction(7, 18), "C": Fraction(2, 9)}
    assert [(w.unit, w.text) for w in result.warnings] == [
        (
            "ROADS",
            "income (£1,300.00) exceeds spending (£1,000.00); the surplus of £300.00 is returned to the participants in their shares",
        )
    ]


def test_a_unit_in_three_periods_is_one_unit_for_the_year(write_yaml):
    # C joins on 1 August and B leaves on 1 January, by months: April to July (A, B) 4/12 of
    # 1,000, 333.33|33; August to December (A, B, C) 5/12, 416.66|67; January to March (A,
    # C) 3/12, 250.00; the spare penny to the second: 416.67. Exact parts: A 166.665 +
    # 138.89 + 125 = 430.555, B 166.665 + 138.89 = 305.555, C 138.89 + 125 = 263.89;
    # rounded down 999.99, the penny to the equal remainders' larger part, A: 430.56,
    # 305.55, 263.89. One unit, where its first period was, not one for each later period.
    text = JOINER_YAML + "  - {member: B, leaves: 2025-01-01, pro_rata: months}\n" + ONCE
    result = apportion(load_budget(write_yaml(text)))
    (unit,) = result.units
    assert len(unit.periods) == 3
    assert {s.member: s.cash_amount for s in unit.shares} == {"A": D("430.56"), "B": D("305.55"), "C": D("263.89")}


def test_parts_of_pence_and_a_member_with_nothing_are_split_as_they_are(write_yaml):
    # Drivers 2, 1 and 0, C joining on 1 October by months: 0.90 a year is 0.45 for each
    # half; April to September A 0.30, B 0.15; October to March A 0.30, B 0.15, C nil. The
    # year: A 0.60, B 0.30, C 0.00, exactly: each part under a pound, and C's nil, are
    # still parts of the year's sum, not a reason to split it equally.
    text = """
collaboration: Pence (illustrative)
year: 2024/25
members: [A, B, C]
bases:
  small: {drivers: {A: 2, B: 1, C: 0}}
units:
  - code: ROADS
    basis: small
    non_pay: {Operations: 0.90}
membership:
  - {member: C, joins: 2024-10-01, pro_rata: months}
"""
    result = apportion(load_budget(write_yaml(text + ONCE)))
    (unit,) = result.units
    assert {s.member: s.cash_amount for s in unit.shares} == {"A": D("0.60"), "B": D("0.30"), "C": D("0.00")}


NET_PAY_LEVY = """
collaboration: A levy on net pay (illustrative)
year: 2024/25
members: [A, B, C]
units:
  - code: ROCU
    basis: equal
    model: lead-force
    lead: A
    levy_rate: RATE
    levy_base: net_pay
    pay: {Staff: 1000}
    non_pay: {Costs: 1000}
    income: {Grant: 1000}
membership:
  - {member: C, joins: 2025-01-01, pro_rata: months}
period_rounding: once for the year
"""


def test_a_levy_on_net_pay_is_rounded_once_for_the_year(write_yaml):
    # The year's base: pay x net / gross = 1,000 x 1,000 / 2,000 = 500; 2% of it is 10.
    # April to December (9/12): pay, costs and grant 750 each, base 375; B's exact levy
    # 2% x 375 x 1/2 = 3.75. January to March: base 125, B's and C's 2% x 125 x 1/3 =
    # 0.8333... each. The year: B 4.58333..., C 0.8333...; the pot 5.41666... rounds once to
    # 5.42, split 11:2 between them: 4.586... and 0.833..., the penny left to B's larger
    # remainder: B 4.59, C 0.83; A, the lead, receives 5.42.
    result = apportion(load_budget(write_yaml(NET_PAY_LEVY.replace("RATE", "2%"))))
    (unit,) = result.units
    assert {s.member: s.levy_amount for s in unit.shares} == {"A": D("-5.42"), "B": D("4.59"), "C": D("0.83")}
    # A levy rate of nil: no levy for anyone.
    result = apportion(load_budget(write_yaml(NET_PAY_LEVY.replace("RATE", "0%"))))
    (unit,) = result.units
    assert {s.member: s.levy_amount for s in unit.shares} == dict.fromkeys("ABC", D("0.00"))


SUPPORT_LEVY_YAML = """
collaboration: A levy on pay and support pay, a member joining (illustrative)
year: 2024/25
members: [A, B, C]
units:
  - code: X
    basis: equal
    model: lead-force
    lead: A
    levy_rate: 2%
    levy_includes_support: true
    pay: {Staff: 12000}
  - code: Y
    participants: [A, B]
    basis: {shares: {A: 25%, B: 75%}}
    pay: {Staff: 36000}
  - code: S
    support: {by: pay, units: [X, Y]}
    pay: {Staff: 8000}
membership:
  - {member: C, joins: 2024-10-01, units: [X], pro_rata: months}
period_rounding: once for the year
"""


def test_a_levy_on_pay_including_support_is_rounded_once_for_the_year(write_yaml):
    # X is split at 1 October, 6/12 each side: pay 6,000 in each half. S's 8,000 is charged
    # by pay to X's halves (6,000 each) and Y (36,000): 1/8, 1/8 and 3/4, so each half of X
    # has 1,000 of support pay in its levy base: 7,000, and 2% of it is 140.
    # April to September (A, B): B's exact levy 140 x 1/2 = 70. October to March (A, B, C):
    # B's and C's 140 x 1/3 = 46.666... each. The year: B 116.666..., C 46.666...; the pot
    # 163.333... rounds once to 163.33, split 5:2: B 116.6642..., C 46.6657...; floors
    # 116.66 + 46.66 = 163.32, the penny to C's larger remainder: B 116.66, C 46.67; A, the
    # lead, receives 163.33. (Rounded by period, B would pay 70.00 + 46.67 and C 46.66.)
    # The year's levy base is X's pay and the support pay of both halves: 12,000 + 2,000 =
    # 14,000, 2% of it 280; each levy is its part of 280: B 116.666.../280 = 5/12, C 1/6,
    # and the lead's 163.333.../280 = 7/12.
    # X's cost, 12,000: A and B 3,000 each in the first half, all three 2,000 in the second:
    # A and B 5,000, C 2,000.
    result = apportion(load_budget(write_yaml(SUPPORT_LEVY_YAML)))
    x = result.units[0]
    assert x.unit.code == "X" and len(x.periods) == 2
    assert x.support_pay_amount == 2000
    assert x.levy_base_amount == 14000
    assert {s.member: s.levy_amount for s in x.shares} == {"A": D("-163.33"), "B": D("116.66"), "C": D("46.67")}
    assert {s.member: s.levy_share for s in x.shares} == {"A": Fraction(7, 12), "B": Fraction(5, 12), "C": Fraction(1, 6)}
    assert {s.member: s.cost_amount for s in x.shares} == {"A": D("5000.00"), "B": D("5000.00"), "C": D("2000.00")}
