"""Composite drivers, activity charges and income with its own split, with the pennies
worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.explain import unit_steps

COMPOSITE = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
bases:
  calls: {drivers: {A: 50, B: 30, C: 20}}
  population: {drivers: {A: 2, B: 1, C: 1}}
  officers: {drivers: {A: 3, B: 3, C: 4}}
  blend: {composite: {calls: 40%, population: 40%, officers: 20%}}
units:
  - code: PAIR
    participants: [A, B]
    basis: blend
    pay: {Staff: 10000}
  - code: ALL
    basis: blend
    pay: {Staff: 1000.03}
"""


def cash_by_unit(result) -> dict[str, dict[str, Decimal]]:
    return {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}


def test_a_composite_re_normalises_each_part_over_the_participants_then_blends(write_yaml):
    # PAIR (A and B): calls 50:30 -> 0.625, 0.375; population 2:1 -> 2/3, 1/3; officers 3:3 -> halves.
    # A = 0.4 x 0.625 + 0.4 x 2/3 + 0.2 x 0.5 = 0.616666...; B = 0.15 + 0.133333 + 0.1 = 0.383333...
    # 10,000: A 6,166.666..., B 3,833.333...: floors 9,999.99, the penny to A (0.67p against 0.33p).
    # ALL: calls 0.5, 0.3, 0.2; population 0.5, 0.25, 0.25; officers 0.3, 0.3, 0.4:
    # A = 0.2 + 0.2 + 0.06 = 0.46; B = 0.12 + 0.1 + 0.06 = 0.28; C = 0.08 + 0.1 + 0.08 = 0.26.
    # 1,000.03: A 460.0138, B 280.0084, C 260.0078: floors 1,000.01; the two pennies left go
    # to B (0.84p) and C (0.78p) before A (0.38p).
    result = apportion(load_budget(write_yaml(COMPOSITE)))
    assert cash_by_unit(result) == {
        "PAIR": {"A": D("6166.67"), "B": D("3833.33")},
        "ALL": {"A": D("460.01"), "B": D("280.01"), "C": D("260.01")},
    }


def test_a_composite_whose_part_a_member_lacks_is_re_normalised_without_it(write_yaml):
    # calls given for A and B only: in ALL, C's part of calls is nothing; the other parts
    # carry C. A = 0.4 x 50/80 + 0.4 x 0.5 + 0.2 x 0.3 = 0.51; B = 0.4 x 30/80 + 0.1 + 0.06
    # = 0.31; C = 0 + 0.1 + 0.08 = 0.18. 1,000.00: A 510, B 310, C 180.
    text = COMPOSITE.replace("calls: {drivers: {A: 50, B: 30, C: 20}}", "calls: {drivers: {A: 50, B: 30, C: 0}}")
    result = apportion(load_budget(write_yaml(text.replace("1000.03", "1000"))))
    assert cash_by_unit(result)["ALL"] == {"A": D("510.00"), "B": D("310.00"), "C": D("180.00")}


WITH_EQUAL = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
bases:
  population: {drivers: {A: 2, B: 1, C: 1}}
  blend: {composite: {population: 50%, equal: 50%}}
units:
  - code: ALL
    basis: blend
    non_pay: {Costs: 1000}
  - code: FIXED
    basis: {fixed: {C: 100}, remainder: blend}
    non_pay: {Costs: 1000}
"""


def test_a_composite_with_an_equal_part_is_the_same_blend_in_the_split_and_in_the_workings(write_yaml):
    # ALL: population 2:1:1 -> 1/2, 1/4, 1/4; equal -> 1/3 each. A = 50 x 1/2 + 50 x 1/3 =
    # 41.666...%, B = C = 50 x 1/4 + 50 x 1/3 = 29.166...%. £1,000: 416.666..., 291.666...
    # and 291.666...; floors 999.98, the two pennies to the tied remainders (2/3 of a penny
    # each) by larger weight, A, then by name, B: A 416.67, B 291.67, C 291.66.
    # FIXED: C pays £100; the £900 left is blended over A and B alone: population 2/3 and
    # 1/3, equal 1/2 each: A = 50 x 2/3 + 50 x 1/2 = 58.333...%, B 41.666...%: 525 and 375.
    result = apportion(load_budget(write_yaml(WITH_EQUAL)))
    assert cash_by_unit(result) == {
        "ALL": {"A": D("416.67"), "B": D("291.67"), "C": D("291.66")},
        "FIXED": {"A": D("525.00"), "B": D("375.00"), "C": D("100.00")},
    }
    share = {unit.unit.code: next(s.working for s in unit_steps(unit, "A") if s.label == "Share") for unit in result.units}
    assert "blend of 50% x population 50% + 50% x equal 33.333333...%, each re-normalised" in share["ALL"]
    assert "= 41.666667...%" in share["ALL"]
    assert "blend of 50% x population 66.666667...% + 50% x equal 50%, each re-normalised" in share["FIXED"]
    assert "= 58.333333...%" in share["FIXED"]


ACTIVITY = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
bases:
  size: {shares: {A: 50%, B: 30%, C: 20%}}
units:
  - code: AIR
    activity:
      measure: flying hours
      rate: RATE
      quantities: {A: 800, B: 600, C: 400}
      BALANCE
    pay: {Crews: 80000}
    non_pay: {Fuel: 25000}
    income: {Grant: 5000}
"""


def activity(rate: str, balance: str = "balance: size") -> str:
    return ACTIVITY.replace("RATE", rate).replace("BALANCE", balance)


def test_an_activity_charge_with_the_under_recovery_shared_by_a_basis(write_yaml):
    # Net cost 80,000 + 25,000 - 5,000 = 100,000. At £50 an hour the rates recover
    # 40,000 + 30,000 + 20,000 = 90,000; the 10,000 not recovered goes 50:30:20.
    # A 40,000 + 5,000 = 45,000; B 30,000 + 3,000 = 33,000; C 20,000 + 2,000 = 22,000.
    result = apportion(load_budget(write_yaml(activity("50"))))
    shares = {s.member: s for s in result.units[0].shares}
    assert {m: s.cash_amount for m, s in shares.items()} == {"A": D("45000.00"), "B": D("33000.00"), "C": D("22000.00")}
    assert {m: s.activity_amount for m, s in shares.items()} == {"A": D(40000), "B": D(30000), "C": D(20000)}
    assert {m: s.cost_amount - s.activity_amount for m, s in shares.items()} == {"A": 5000, "B": 3000, "C": 2000}


def test_an_over_recovery_is_returned_by_the_same_basis(write_yaml):
    # At £60 an hour: 48,000 + 36,000 + 24,000 = 108,000, 8,000 over the cost, returned
    # 50:30:20: A 48,000 - 4,000 = 44,000; B 36,000 - 2,400 = 33,600; C 24,000 - 1,600 = 22,400.
    result = apportion(load_budget(write_yaml(activity("60"))))
    assert cash_by_unit(result)["AIR"] == {"A": D("44000.00"), "B": D("33600.00"), "C": D("22400.00")}


def test_with_no_balance_named_the_quantities_share_what_the_rates_leave(write_yaml):
    # At £50 the 10,000 not recovered goes 800:600:400: A 4,444.444, B 3,333.333,
    # C 2,222.222: floors 9,999.99, the penny to A (0.44p). A 44,444.45; B 33,333.33; C 22,222.22.
    result = apportion(load_budget(write_yaml(activity("50", balance=""))))
    assert cash_by_unit(result)["AIR"] == {"A": D("44444.45"), "B": D("33333.33"), "C": D("22222.22")}


RETURNED = """\
collaboration: Test
year: 2024/25
members: [A, B, C]
bases:
  origin: {shares: {A: 10%, B: 20%, C: 70%}}
units:
  - code: U
    basis: {shares: {A: 50%, B: 30%, C: 20%}}
    pay: {Staff: 50000}
    income:
      Grant: 5000
      Fees: {amount: 9000, basis: origin}
      Range hire: {amount: 1000, member: C}
  - code: POCA
    participants: [A, B]
    income:
      Receipts: {amount: 310.01, basis: origin}
"""


def test_income_with_its_own_split_and_a_unit_of_income_only(write_yaml):
    # U: the grant is netted off: 45,000 by 50:30:20 = 22,500, 13,500, 9,000. The fees are
    # returned 10:20:70 = 900, 1,800, 6,300; the range hire to C alone.
    # POCA, A and B only: origin re-normalised to 1/3 and 2/3 of 310.01: 103.3366 and
    # 206.6733: floors 310.00, the penny to A (0.67p against 0.33p): 103.34 and 206.67.
    # A = 22,500 - 900 - 103.34 = 21,496.66; B = 13,500 - 1,800 - 206.67 = 11,493.33;
    # C = 9,000 - 6,300 - 1,000 = 1,700. All: 50,000 - 5,000 - 9,000 - 1,000 - 310.01 = 34,689.99.
    budget = load_budget(write_yaml(RETURNED))
    result = apportion(budget)
    cash = {t.member: t.cash_amount for t in result.member_totals}
    assert cash == {"A": D("21496.66"), "B": D("11493.33"), "C": D("1700.00")}
    assert sum(cash.values()) == D("34689.99")
    returned = {(u.unit.code, s.member): s.returned_amount for u in result.units for s in u.shares if s.returned_amount}
    assert returned == {
        ("U Fees", "A"): D("-900.00"), ("U Fees", "B"): D("-1800.00"), ("U Fees", "C"): D("-6300.00"),
        ("U Range hire", "C"): D("-1000.00"),
        ("POCA Receipts", "A"): D("-103.34"), ("POCA Receipts", "B"): D("-206.67"),
    }  # fmt: skip
    # payable and returned shown apart, netting to each member's total
    for total in result.member_totals:
        parts = [s for u in result.units if (s := u.share_of(total.member))]
        assert sum(s.service_cost_amount for s in parts) + sum(s.returned_amount for s in parts) == total.cash_amount
