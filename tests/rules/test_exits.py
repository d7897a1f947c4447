"""A member's exit settlement (apportion/rules/exits.py), in small budgets worked by hand in
the comments: a percentage of named costs, thirds rounded by largest remainder, a member
with no part, the reserves left behind or taken, shares read off a unit on the day before
the leaver goes, and the instalments' dates and references."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.rules.calculate import apportion

THIRDS = """
collaboration: Exit test
year: 2024/25
members: [A, B, C, D]
bases:
  agreed: {drivers: {A: 1, B: 1, C: 1, D: 0}}
units:
  - code: U
    basis: agreed
    non_pay: {Costs: 3650}
membership:
  - member: C
    leaves: 2024-10-01
    exit:
      shares: agreed
      costs: {of: {Redundancy: 1000, ICT: 1000}, share: 12.5%}
      assets: {Vehicles: 100}
      liabilities: {Provisions: 200}
invoicing:
  instalments: quarterly
  reference_prefix: XT
year_end:
  reserves: {opening: 300}
  leaver: LEAVER
"""


def lines(settled):
    return [(line.item, line.amount, line.others, line.from_reserves) for line in settled.lines]


def test_a_percentage_of_the_costs_and_thirds_by_largest_remainder(write_yaml):
    # On 30 September A, B and C hold a third each of agreed, D nothing (a driver of 0).
    # Exit costs: 12.5% of 1,000 + 1,000 = 250.00, C pays; the others receive it in their
    # shares of those who stay, A and B a half each: 125.00 each, D nothing.
    # Vehicles, 100: 33.33|33 each for A, B and C, the penny left to A (equal remainders and
    # weights go by name): C's part 33.33 is paid to it; A and B pay it, 16.66|5 each, the
    # penny to A: 16.67 and 16.66.
    # Provisions, 200: 66.66|67 each, the two pence to A and B: C's part 66.66, which it
    # pays, A and B receive 33.33 each.
    # Reserves left behind: no line. C: 250.00 - 33.33 + 66.66 = 283.33; A -125.00 + 16.67 -
    # 33.33 = -141.66; B -125.00 + 16.66 - 33.33 = -141.67 (together -283.33); D nil.
    budget = load_budget(write_yaml(THIRDS.replace("LEAVER", "leaves it behind")))
    (settled,) = apportion(budget).exits
    assert settled.share == Fraction(1, 3)
    assert lines(settled) == [
        ("Exit costs", D("250.00"), (("A", D("-125.00")), ("B", D("-125.00")), ("D", D("0.00"))), False),
        ("Asset: Vehicles", D("-33.33"), (("A", D("16.67")), ("B", D("16.66")), ("D", D("0.00"))), False),
        ("Liability: Provisions", D("66.66"), (("A", D("-33.33")), ("B", D("-33.33")), ("D", D("0.00"))), False),
    ]
    # Each part in words: the percentage as the terms write it and the named costs, £2,000
    # in all; C's share, a third, is 33.333333...% (it does not end); the leaving date in
    # full; an asset paid to it, a liability paid by it.
    assert [line.working for line in settled.lines] == [
        "12.5% of the exit costs £2,000.00 (Redundancy £1,000.00; ICT £1,000.00), rounded to the penny",
        "its share 33.333333...% of £100.00 at 1 October 2024, paid to it by the members who stay",
        "its share 33.333333...% of £200.00 at 1 October 2024, paid by it to the members who stay",
    ]
    assert (settled.amount, settled.part_of("A"), settled.part_of("B"), settled.part_of("D")) == (
        D("283.33"), D("-141.66"), D("-141.67"), D("0.00"),
    )  # fmt: skip
    # Paid on the day it leaves (no payments: given), in one instalment each; D, with no
    # part, none. The references are the invoices' (prefix XT, year 2425), the leaver's
    # tag, and for a member who stays its own code after it.
    assert [(i.member, i.number, i.label, i.due, i.amount, i.reference) for i in settled.instalments] == [
        ("C", 1, "EXIT1", date(2024, 10, 1), D("283.33"), "XT-2425-C-EXIT1"),
        ("A", 1, "EXIT1", date(2024, 10, 1), D("-141.66"), "XT-2425-C-EXIT1-A"),
        ("B", 1, "EXIT1", date(2024, 10, 1), D("-141.67"), "XT-2425-C-EXIT1-B"),
    ]


def test_the_reserves_taken_as_the_year_end_says(write_yaml):
    # The year end says a leaver takes its share: C's third of the opening 300.00 is
    # 100.00, paid to it out of the reserves (no member pays it): C 283.33 - 100.00 = 183.33.
    budget = load_budget(write_yaml(THIRDS.replace("LEAVER", "takes its share")))
    (settled,) = apportion(budget).exits
    assert lines(settled)[-1] == ("Its part of the reserves", D("-100.00"), (), True)
    assert settled.amount == D("183.33")
    assert settled.part_of("A") == D("-141.66")


def test_an_agreed_nil_cost_is_owed_by_no_one(write_yaml):
    # An agreed amount of nil: a line of nil, with no part for the members who stay.
    text = THIRDS.replace("LEAVER", "leaves it behind").replace(
        "costs: {of: {Redundancy: 1000, ICT: 1000}, share: 12.5%}", "costs: 0"
    )
    (settled,) = apportion(load_budget(write_yaml(text))).exits
    assert lines(settled)[0] == ("Exit costs", D("0.00"), (), False)
    assert settled.amount == D("-33.33") + D("66.66")


def test_its_share_of_the_named_costs_by_largest_remainder(write_yaml):
    # No percentage: C pays its share, a third, of the named costs, 2,000, split with the
    # others' shares by largest remainder: 666.66|67 each, the two pence to A and B (equal
    # remainders and weights go by name), C's part 666.66. A and B receive it in halves,
    # 333.33 each; D, with no share, nothing.
    text = THIRDS.replace("LEAVER", "leaves it behind").replace(", share: 12.5%}", "}")
    (settled,) = apportion(load_budget(write_yaml(text))).exits
    assert lines(settled)[0] == (
        "Exit costs", D("666.66"), (("A", D("-333.33")), ("B", D("-333.33")), ("D", D("0.00"))), False,
    )  # fmt: skip
    assert settled.lines[0].working == (
        "its share 33.333333...% of the exit costs £2,000.00 (Redundancy £1,000.00; ICT £1,000.00), by largest remainder"
    )


IN_A_UNITS_SHARES = """
collaboration: Exit test
year: 2024/25
members: [A, B, C, D]
bases:
  held: {shares: {A: 40%, B: 30%, C: 20%, D: 10%}}
units:
  - code: U
    basis: held
    non_pay: {Costs: 3650}
membership:
  - member: D
    joins: 2024-09-30
  - member: C
    leaves: 2024-10-01
    exit:
      shares: U
      costs: 1000
      reserves: takes its share
      payments: [2024-10-01, 2025-04-01]
year_end:
  shares: held
  reserves: {opening: 500}
"""


def test_an_agreed_amount_in_a_units_shares_on_the_day_before_it_leaves(write_yaml):
    # D joins U on 30 September and C leaves on 1 October: on 30 September, the day before
    # C leaves, all four are in U (a period of that one day), in U's shares 40/30/20/10.
    # C pays the agreed 1,000; A, B and D, who stay, receive it in their shares of 80: A
    # 500.00, B 375.00, D 125.00. The terms say C takes its share of the reserves (the year
    # end says nothing, so it would leave it): the opening 500 is held by those in at the
    # start, A, B and C, 40/30/20: 222.22|2, 166.66|7, 111.11|1, the penny to B; C's 111.11
    # is paid to it out of the reserves. C: 1,000 - 111.11 = 888.89, in two instalments on
    # the dates given: 444.45 (the odd penny first) and 444.44; A -250.00, B -187.50 and
    # D -62.50 on each. No invoicing: the references' prefix is the collaboration's
    # initials, ET.
    (settled,) = apportion(load_budget(write_yaml(IN_A_UNITS_SHARES))).exits
    assert (settled.share, settled.basis) == (Fraction(1, 5), "U's shares")
    assert lines(settled) == [
        ("Exit costs", D("1000"), (("A", D("-500.00")), ("B", D("-375.00")), ("D", D("-125.00"))), False),
        ("Its part of the reserves", D("-111.11"), (), True),
    ]
    assert [line.working for line in settled.lines] == [
        "the amount the exit terms agree",
        "its part of the opening reserves £500.00 (held), paid out of the reserves",
    ]
    first, second = date(2024, 10, 1), date(2025, 4, 1)
    assert [(i.member, i.number, i.due, i.amount, i.reference) for i in settled.instalments] == [
        ("C", 1, first, D("444.45"), "ET-2425-C-EXIT1"),
        ("C", 2, second, D("444.44"), "ET-2425-C-EXIT2"),
        ("A", 1, first, D("-250.00"), "ET-2425-C-EXIT1-A"),
        ("A", 2, second, D("-250.00"), "ET-2425-C-EXIT2-A"),
        ("B", 1, first, D("-187.50"), "ET-2425-C-EXIT1-B"),
        ("B", 2, second, D("-187.50"), "ET-2425-C-EXIT2-B"),
        ("D", 1, first, D("-62.50"), "ET-2425-C-EXIT1-D"),
        ("D", 2, second, D("-62.50"), "ET-2425-C-EXIT2-D"),
    ]


POT_SHARES = """
collaboration: Exit test
year: 2024/25
members: [A, B, C]
units:
  - {code: U, basis: equal, non_pay: {Costs: 3650}}
  - code: POT
    basis: equal
    income: {Receipts: {amount: 400, basis: {shares: {A: 50%, B: 30%, C: 20%}}}}
membership:
  - member: C
    leaves: 2024-10-01
    exit:
      shares: POT
      costs: 1000
"""


def test_an_exit_in_a_pot_of_receipts_shares_takes_them_on_the_day_before_it_leaves(write_yaml):
    # POT only returns its receipts, 50/30/20. C leaves on 1 October, so POT's receipts are
    # returned in two periods: to A, B and C 50/30/20 until 30 September, then to A and B
    # 50/30 re-normalised. On 30 September, the day before C leaves, its share is 20%, not a
    # share of the year (about 10%). The agreed 1,000 goes to A and B in their shares of 80:
    # A 625.00, B 375.00.
    (settled,) = apportion(load_budget(write_yaml(POT_SHARES))).exits
    assert (settled.share, settled.basis) == (Fraction(1, 5), "POT's shares")
    assert lines(settled) == [("Exit costs", D("1000"), (("A", D("-625.00")), ("B", D("-375.00"))), False)]
