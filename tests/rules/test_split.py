"""A unit's split (rules/split.py): shares, share of cost, levy, in kind and cash, each with
its figures worked by hand in the comments."""

from __future__ import annotations

from fractions import Fraction

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import Basis, BasisKind, BudgetLine, Income, LineKind, Unit
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.split import apportion_unit
from apportion.rules.support import SupportError
from tests.rules.test_drivers import ACTIVITY, RETURNED

# X is lead-force (A leads, 2%), its levy on its own pay and the support charged to it; S,
# a support unit of 8,000 pay, is charged to X and Y by their pay, 10,000 and 30,000.
LEVY_WITH_SUPPORT = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: X
    basis: {shares: {A: 60%, B: 40%}}
    model: lead-force
    lead: A
    levy_rate: 2%
    levy_includes_support: true
    pay: {Staff: 10000}
  - code: Y
    basis: {shares: {A: 25%, B: 75%}}
    pay: {Staff: 30000}
  - code: S
    support: {by: pay, units: [X, Y]}
    pay: {Staff: 8000}
"""


def test_a_levy_on_pay_including_support_adds_the_support_pay_charged_in(write_yaml):
    # S's cost comes to rest 10,000/40,000 = 1/4 in X, so X's levy base is its own pay and a
    # quarter of S's: 10,000 + 8,000 / 4 = 12,000. The pot: 2% x 12,000 x B's 40% = £96.00,
    # paid by B and received by A (on X's own pay alone it would be £80.00).
    # S among the members: A 1/4 x 60% + 3/4 x 25% = 33.75% of 8,000 = 2,700; B 5,300.
    # A: X 6,000 - 96 + Y 7,500 + S 2,700 = 16,104; B: 4,000 + 96 + 22,500 + 5,300 = 31,896.
    result = apportion(load_budget(write_yaml(LEVY_WITH_SUPPORT)))
    x = result.units[0]
    assert x.support_pay_amount == 2000
    assert x.levy_base_amount == Fraction(12000)
    assert {s.member: s.levy_amount for s in x.shares} == {"A": D("-96.00"), "B": D("96.00")}
    assert {t.member: t.cash_amount for t in result.member_totals} == {"A": D("16104.00"), "B": D("31896.00")}
    assert x.shares[0].levy_basis == "levy 2% of gross_pay and support pay charged in"


def test_a_levy_on_pay_including_support_where_no_support_unit_is_charged_in_is_on_pay(write_yaml):
    # Without S, nothing is charged in: X's base is its own pay, 10,000, and the pot 2% x
    # 10,000 x B's 40% = £80.00.
    text = LEVY_WITH_SUPPORT.split("  - code: S\n", maxsplit=1)[0]
    x = apportion(load_budget(write_yaml(text))).units[0]
    assert x.support_pay_amount == 0
    assert x.levy_base_amount == Fraction(10000)
    assert {s.member: s.levy_amount for s in x.shares} == {"A": D("-80.00"), "B": D("80.00")}


def test_a_levy_on_pay_including_support_leaves_out_support_that_does_not_reach_the_unit(write_yaml):
    # T, 5,000 of pay, serves Y alone: none of it comes to rest in X, whose base is still
    # 10,000 + 2,000 = 12,000, and the pot £96.00, as without T.
    text = LEVY_WITH_SUPPORT + "  - code: T\n    support: {by: pay, units: [Y]}\n    pay: {Staff: 5000}\n"
    x = apportion(load_budget(write_yaml(text))).units[0]
    assert x.support_pay_amount == 2000
    assert x.levy_base_amount == Fraction(12000)
    assert {s.member: s.levy_amount for s in x.shares} == {"A": D("-96.00"), "B": D("96.00")}


def warnings_of(text: str, write_yaml) -> list[tuple[str, str, str]]:
    return [(w.unit, w.member, w.text) for w in apportion(load_budget(write_yaml(text))).warnings]


IN_KIND = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: U
    basis: {shares: {A: 50%, B: 50%}}
    non_pay: {Costs: 100000}
    in_kind: {A: IN_KIND}
    in_kind_treatment: offset
"""


def test_in_kind_worth_exactly_a_members_share_is_no_credit_and_no_warning(write_yaml):
    # Cash 100,000 and A's 100,000 in kind: the total cost 200,000, half each. A's share,
    # 100,000, less its 100,000 in kind leaves it nothing to pay and nothing owed: no warning.
    # A penny more in kind (100,000.01) raises the total to 200,000.01: A's share, 100,000.01
    # (the spare penny to A, the name first), less 100,000.01 is still nil; two pence more,
    # 100,000.03: A's share 100,000.02 less 100,000.03 is a credit of a penny, and a warning.
    assert warnings_of(IN_KIND.replace("IN_KIND", "100000"), write_yaml) == []
    assert warnings_of(IN_KIND.replace("IN_KIND", "100000.01"), write_yaml) == []
    assert warnings_of(IN_KIND.replace("IN_KIND", "100000.03"), write_yaml) == [
        ("U", "A", "A's in-kind value (£100,000.03) exceeds its share of the unit's total cost (£100,000.02); "
                   "it is owed a credit of £0.01"),
    ]  # fmt: skip


def test_in_kind_of_a_pound_or_less_that_exceeds_a_share_is_warned_of(write_yaml):
    # Spending of £0.90 and A's £1.00 in kind: the total cost £1.90, £0.95 each. A's share,
    # £0.95, less its £1.00 in kind is a credit of £0.05: a warning, however small the value.
    text = IN_KIND.replace("IN_KIND", "1.00").replace("Costs: 100000", "Costs: 0.90")
    assert warnings_of(text, write_yaml) == [
        ("U", "A", "A's in-kind value (£1.00) exceeds its share of the unit's total cost (£0.95); "
                   "it is owed a credit of £0.05"),
    ]  # fmt: skip


def test_a_surplus_warns_once_for_the_unit_and_not_for_members_owed_it(write_yaml):
    # Spending 100,000 and income 100,000 is no surplus: no warning. Income of 130,000 is a
    # surplus of 30,000, returned 15,000 to each member: one warning, for the unit; a
    # member's credit from a surplus is not an in-kind credit.
    text = IN_KIND.replace("    in_kind: {A: IN_KIND}\n    in_kind_treatment: offset\n", "    income: {Grant: INCOME}\n")
    assert warnings_of(text.replace("INCOME", "100000"), write_yaml) == []
    assert warnings_of(text.replace("INCOME", "130000"), write_yaml) == [
        ("U", "", "income (£130,000.00) exceeds spending (£100,000.00); the surplus of £30,000.00 is returned to the "
                  "participants in their shares"),
    ]  # fmt: skip


def test_income_returned_by_a_split_of_its_own_is_no_surplus_to_warn_of(write_yaml):
    # each income split of its own is a unit of income alone (net below nil): not a surplus
    assert warnings_of(RETURNED, write_yaml) == []


def test_an_activity_units_lines_say_the_quantity_and_the_share_of_the_balance(write_yaml):
    # A flies 1,200 hours at £50: £60,000; B 600 hours, £30,000; C 400, £20,000: 110,000
    # of a net cost of 100,000, so 10,000 is returned 50:30:20. Each member's line of the
    # balance is its share of the balance basis: A 1/2, B 3/10, C 1/5. Its share of the
    # unit is what it pays of the cost: A 60,000 - 5,000 = 55,000 of 100,000 = 11/20;
    # B 30,000 - 3,000 = 27,000, 27/100; C 20,000 - 2,000 = 18,000, 9/50 (adding up to 1).
    text = ACTIVITY.replace("RATE", "50").replace("BALANCE", "balance: size").replace("A: 800", "A: 1200")
    (air,) = apportion(load_budget(write_yaml(text))).units
    assert [s.activity_basis for s in air.shares] == [
        "1,200 flying hours x £50.00", "600 flying hours x £50.00", "400 flying hours x £50.00",
    ]  # fmt: skip
    assert [s.balance_share for s in air.shares] == [Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]
    assert [s.cash_amount for s in air.shares] == [D("55000.00"), D("27000.00"), D("18000.00")]
    assert [s.share for s in air.shares] == [Fraction(11, 20), Fraction(27, 100), Fraction(9, 50)]


def test_an_activity_unit_of_no_net_cost_shares_by_its_balance_basis(write_yaml):
    # Spending of 105,000 met by a grant of 105,000: nothing to recover. At £50 an hour the
    # rates charge A 40,000, B 30,000 and C 20,000, 90,000 over the nil cost, returned
    # 50:30:20: A 40,000 - 45,000 = -5,000, B 30,000 - 27,000 = 3,000, C 20,000 - 18,000 =
    # 2,000, adding up to nil. A share of nothing is no ratio to it: each member's share is
    # its share of the balance basis, 50 of 100 = 1/2, 3/10 and 1/5.
    text = ACTIVITY.replace("RATE", "50").replace("BALANCE", "balance: size").replace("Grant: 5000", "Grant: 105000")
    (air,) = apportion(load_budget(write_yaml(text))).units
    assert [s.share for s in air.shares] == [Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]
    assert [s.cash_amount for s in air.shares] == [D("-5000.00"), D("3000.00"), D("2000.00")]


def test_a_unit_without_activity_has_no_share_of_a_balance(write_yaml):
    (unit,) = apportion(load_budget(write_yaml(IN_KIND.replace("IN_KIND", "0")))).units
    assert [(s.activity_amount, s.balance_share, s.activity_basis) for s in unit.shares] == [(None, 0, "")] * 2


def test_a_nil_unit_with_a_fixed_amount_gives_that_member_no_share():
    # A library caller may split a unit whose net budget is nil (its spending met by its
    # income): A's fixed amount (nil) is no part of nothing, and B shares what is left, all
    # of it (as in any unit without fixed amounts); each pays nothing.
    unit = Unit("U", "Unit", ("A", "B"), Basis("equal", BasisKind.EQUAL, {}), (BudgetLine("Costs", LineKind.NON_PAY, D("100.00")),),
                income=(Income("Grant", D("100.00")),), fixed_amounts={"A": D("0.00")})  # fmt: skip
    result = apportion_unit(unit)
    assert [(s.member, s.share, s.cash_amount) for s in result.shares] == [("A", 0, D("0.00")), ("B", 1, D("0.00"))]


EVERY_ONE_FIXED = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: X
    participants: [A, B]
    basis: {fixed: {A: 600, B: 400}, remainder: equal}
    pay: {Staff: 1000}
"""


def test_a_unit_whose_participants_all_pay_fixed_amounts_that_meet_its_budget(write_yaml):
    # A pays its fixed 600 and B its 400 of the unit's 1,000, nothing being left to share
    # by the basis: shares 600/1,000 = 3/5 and 2/5.
    (x,) = apportion(load_budget(write_yaml(EVERY_ONE_FIXED))).units
    assert [(s.member, s.share, s.cash_amount, s.basis) for s in x.shares] == [
        ("A", Fraction(3, 5), D("600.00"), "fixed amount"), ("B", Fraction(2, 5), D("400.00"), "fixed amount"),
    ]  # fmt: skip


def test_support_charged_to_a_unit_whose_participants_all_pay_fixed_amounts_is_refused(write_yaml):
    # no one shares X by its basis, so no one can bear the support it is charged
    text = EVERY_ONE_FIXED + "  - code: S\n    support: {by: pay, units: [X]}\n    pay: {Staff: 100}\n"
    with pytest.raises(
        SupportError, match="^X: every participant pays a fixed amount, so no one bears the support charged to it$"
    ):
        apportion(load_budget(write_yaml(text)))


# LEVY_WITH_SUPPORT with a third member, C, taking part in X with no share
SUPPORT_SHARED = LEVY_WITH_SUPPORT.replace("[A, B]", "[A, B, C]").replace("{A: 60%, B: 40%}", "{A: 60%, B: 40%, C: 0%}")


def test_a_support_units_members_weigh_in_percentage_points_of_where_its_cost_comes_to_rest(write_yaml):
    # S's 8,000 comes to rest by pay, 10,000 of 40,000 (1/4) in X and 3/4 in Y. Each member's
    # weight is 100 x the sum over X and Y of that part x its share there: A 100 x (1/4 x 3/5
    # + 3/4 x 1/4) = 100 x (12/80 + 15/80) = 33.75 points; B 100 x (1/4 x 2/5 + 3/4 x 3/4) =
    # 100 x (8/80 + 45/80) = 66.25; C, with nothing of X, 0, so C takes no part in S. The
    # points add up to 100; the shares are 27/80 and 53/80 of 8,000: 2,700 and 5,300.
    # A support unit charges no levy (base, pot and total nil); Y charges none either, so no
    # support pay is added to a levy base of its (X's takes 2,000, as in the test above).
    x, y, s = apportion(load_budget(write_yaml(SUPPORT_SHARED))).units
    assert s.unit.participants == ("A", "B")
    assert s.weights == {"A": Fraction(3375, 100), "B": Fraction(6625, 100)}
    assert s.weight_total == 100
    assert [(sh.member, sh.weight, sh.share, sh.cost_amount) for sh in s.shares] == [
        ("A", Fraction(3375, 100), Fraction(27, 80), D("2700.00")), ("B", Fraction(6625, 100), Fraction(53, 80), D("5300.00")),
    ]  # fmt: skip
    assert (s.levy_base_amount, s.levy_pot_exact, s.levy_total_amount) == (0, 0, D("0.00"))
    assert (x.support_pay_amount, y.support_pay_amount) == (2000, 0)
