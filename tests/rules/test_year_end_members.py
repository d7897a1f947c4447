"""The year end member by member: each member's part of the reserves, of each movement and
of the capital financing, and a leaving member's claim, worked by hand in the comments."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.outputs.csv_files import year_end_csv
from apportion.rules.calculate import apportion
from apportion.rules.year_end import YearEndError
from tests.conftest import EXAMPLES

MEMBERS = ("Nottinghamshire", "Leicestershire", "Derbyshire", "Northamptonshire", "Lincolnshire")


def test_the_east_midlands_reserves_member_by_member():
    # Reserves £1,207,428 at 1 April 2013 in the funding-formula shares 27.3/22.8/22.2/14.9/12.8%:
    #   329,627.844  275,293.584  268,049.016  179,906.772  154,550.784; floors add up to
    #   1,207,427.98, so 2p go to the largest remainders: Derbyshire (.6), then Nottinghamshire
    #   (.4, the tie with Leicestershire and Lincolnshire broken by the larger weight).
    # Capital from reserves £377,468: 103,048.764  86,062.704  83,797.896  56,242.732  48,315.904;
    #   floors 377,467.98, 2p to Derbyshire (.6) and Nottinghamshire (.4, larger weight).
    # Nottinghamshire closes at 329,627.85 + 12,285.00 - 103,048.77 = 238,864.08.
    outcome = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")).year_end
    opening, movement, capital = outcome.reserves
    assert dict(opening.parts) == {
        "Nottinghamshire": D("329627.85"),
        "Leicestershire": D("275293.58"),
        "Derbyshire": D("268049.02"),
        "Northamptonshire": D("179906.77"),
        "Lincolnshire": D("154550.78"),
    }
    assert capital.part_of("Nottinghamshire") == D("-103048.77") and capital.part_of("Derbyshire") == D("-83797.90")
    assert outcome.member_reserves("Nottinghamshire") == D("238864.08")
    # every column adds up to its figure, and the closing parts to the source's £874,960
    for column in outcome.reserves:
        assert sum(part for _, part in column.parts) == column.amount
    assert sum(outcome.member_reserves(m) for m in MEMBERS) == outcome.reserves_closing == D("874960")
    # the capital programme: the reserves' part is the same money as the reserves drawn
    reserves, fund = outcome.capital
    assert [(m, -p) for m, p in capital.parts] == list(reserves.parts)
    assert sum(p for _, p in fund.parts) == D("43003")


LEAVER = """
collaboration: Test
year: 2013/14
members: [A, B, C]
bases:
  formula: {shares: {A: 50%, B: 30%, C: 20%}}
units:
  - {code: U, participants: all, basis: formula, non_pay: {Costs: 100000}}
membership:
  - {member: C, leaves: 2013-10-01, units: [U]}
year_end:
  reserves:
    opening: 100000.01
    transfers: {Interest: 10000}
  capital:
    programme: 30000
    financing: {reserves: 30000}
"""


def test_a_leaver_leaves_its_part_of_the_opening_reserves_behind(write_yaml):
    # Opening 100,000.01 at 50/30/20: 50,000.005, 30,000.003, 20,000.002; floors leave 1p,
    # to A (.5). C leaves on 1 October: its 20,000.00 passes to A and B in 50:30, 12,500.00
    # and 7,500.00. The year's movements are A's and B's: interest 10,000 -> 6,250 / 3,750;
    # capital drawn 30,000 -> -18,750 / -11,250.
    # A: 50,000.01 + 12,500 + 6,250 - 18,750 = 50,000.01;  B: 30,000 + 7,500 + 3,750 - 11,250 = 30,000;  C: 0.
    outcome = apportion(load_budget(write_yaml(LEAVER))).year_end
    assert [c.name for c in outcome.reserves] == [
        "Opening reserves",
        "Left behind by C",
        "Interest",
        "Capital financed from reserves",
    ]
    left = outcome.reserves[1]
    assert (left.amount, dict(left.parts)) == (D("0"), {"C": D("-20000.00"), "A": D("12500.00"), "B": D("7500.00")})
    assert {m: outcome.member_reserves(m) for m in "ABC"} == {"A": D("50000.01"), "B": D("30000.00"), "C": D("0.00")}
    assert outcome.reserves_closing == D("80000.01")  # 100,000.01 + 10,000 - 30,000


def test_a_leaver_that_takes_its_share_is_paid_it_out_of_the_reserves(write_yaml):
    # As above, but C is paid its 20,000.00: the reserves close at 100,000.01 + 10,000 - 30,000
    # - 20,000 = 60,000.01; A 50,000.01 + 6,250 - 18,750 = 37,500.01, B 30,000 + 3,750 - 11,250 = 22,500.
    text = LEAVER.replace("  reserves:\n", "  leaver: takes its share\n  reserves:\n")
    outcome = apportion(load_budget(write_yaml(text))).year_end
    paid = outcome.reserves[1]
    assert (paid.name, paid.amount, paid.parts) == ("Paid to C on leaving", D("-20000.00"), (("C", D("-20000.00")),))
    assert outcome.leaver_payments == (("Paid to C on leaving", D("-20000.00")),)
    assert {m: outcome.member_reserves(m) for m in "ABC"} == {"A": D("37500.01"), "B": D("22500.00"), "C": D("0.00")}
    assert outcome.reserves_closing == D("60000.01") == sum(outcome.member_reserves(m) for m in "ABC")


def test_year_end_csv_holds_each_members_own_items(write_yaml):
    result = apportion(load_budget(write_yaml(LEAVER)))
    rows = list(csv.DictReader(io.StringIO(year_end_csv(result))))
    for member in "ABC":
        mine = [r for r in rows if r["member"] == member]
        closing = next(Decimal(r["amount"]) for r in mine if r["item"] == "reserves_closing")
        movements = [Decimal(r["amount"]) for r in mine if r["item"] in ("reserves_opening", "reserves_movement")]
        assert sum(movements) == closing
    interest = [Decimal(r["amount"]) for r in rows if r["name"] == "Interest"]
    assert sum(interest) == D("10000")


@settings(max_examples=30, deadline=None)
@given(
    opening=st.integers(0, 10**10),
    transfer=st.integers(-(10**8), 10**8),
    drawn=st.integers(0, 10**8),
    weights=st.lists(st.integers(1, 500), min_size=2, max_size=4),
)
def test_every_column_and_every_members_row_adds_up(tmp_path_factory, opening, transfer, drawn, weights):
    names = "ABCD"[: len(weights)]
    drivers = ", ".join(f"{n}: {w}" for n, w in zip(names, weights, strict=True))
    text = f"""
collaboration: T
year: 2024/25
members: [{", ".join(names)}]
bases:
  formula: {{drivers: {{{drivers}}}}}
units:
  - {{code: U, participants: all, basis: formula, non_pay: {{Costs: 1000}}}}
year_end:
  reserves: {{opening: {Decimal(opening) / 100}, transfers: {{Other: {Decimal(transfer) / 100}}}}}
  capital: {{programme: {Decimal(drawn) / 100}, financing: {{reserves: {Decimal(drawn) / 100}}}}}
"""
    path = tmp_path_factory.mktemp("ye") / "budget.yaml"
    path.write_text(text)
    outcome = apportion(load_budget(path)).year_end
    for column in outcome.reserves:
        assert sum((part for _, part in column.parts), Decimal(0)) == column.amount
    assert sum(outcome.member_reserves(m) for m in names) == outcome.reserves_closing


def test_a_part_year_member_settles_its_periods_and_holds_the_opening_reserves_of_1_april(tmp_path):
    # West Midlands and Staffordshire share UNIFORMED (£1,000,000) 50/50; Staffordshire leaves
    # on 1 October 2013. The period with it is 183/365 of the year, £501,369.86, half each:
    # Staffordshire pays £250,684.93 of the £1,000,000, West Midlands £749,315.07.
    # An out-turn of £990,000 is an under-spend of £10,000, returned in those shares of the year:
    #   Staffordshire 10,000 x 250,684.93 / 1,000,000 = 2,506.8493 -> 2,506.85
    #   West Midlands 10,000 x 749,315.07 / 1,000,000 = 7,493.1507 -> 7,493.15
    # The opening reserves of £10,000 are held as at 1 April, 50/50; Staffordshire leaves its
    # £5,000.00 behind, to West Midlands, the one member staying.
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(EXAMPLES.parent / "configs", tmp_path / "configs")
    path = tmp_path / "examples" / "west-midlands-uniformed-operations-2013-14.yaml"
    path.write_text(path.read_text() + "year_end:\n  outturn: {UNIFORMED: 990000}\n  reserves: {opening: 10000}\n")
    outcome = apportion(load_budget(path)).year_end
    (settled,) = outcome.settlements
    assert dict(settled.parts) == {"West Midlands": D("-7493.15"), "Staffordshire": D("-2506.85")}
    opening, left = outcome.reserves
    assert dict(opening.parts) == {"West Midlands": D("5000.00"), "Staffordshire": D("5000.00")}
    assert dict(left.parts) == {"Staffordshire": D("-5000.00"), "West Midlands": D("5000.00")}
    assert outcome.member_reserves("West Midlands") == D("10000.00")


# LEAVER's C leaving by months, U's out-turn sent to the reserves, and no capital
TO_RESERVES = (
    LEAVER.replace("units: [U]}", "units: [U], pro_rata: months}")
    .replace("year_end:\n", "year_end:\n  outturn: {U: 90000}\n  settlement: reserves\n")
    .split("  capital:")[0]
)


def test_an_under_spend_sent_to_the_reserves_is_held_by_the_members_who_stay(write_yaml):
    # C leaves on 1 October, by months: April to September's 50,000 is A 25,000, B 15,000,
    # C 10,000; October to March's 50,000 is A and B's at 50:30, 31,250 and 18,750. U's
    # year: A 56,250, B 33,750, C 10,000. The out-turn of 90,000 is 10,000 under, sent to the
    # reserves, not returned: no member settles anything. It is held by those who stay, in
    # their shares of U's year, 56,250 : 33,750 = 5/8 : 3/8: A 6,250.00, B 3,750.00.
    # Opening 100,000.01 at 50/30/20: A 50,000.01 (the penny: remainder .5), B 30,000.00,
    # C 20,000.00, whose part passes to A and B at 50:30 = 5/8 : 3/8, 12,500.00 and
    # 7,500.00; the interest too: 6,250.00 and 3,750.00.
    # A: 50,000.01 + 12,500 + 6,250 + 6,250 = 75,000.01; B: 30,000 + 7,500 + 3,750 + 3,750 =
    # 45,000.00; C nil. Closing: 100,000.01 + 10,000 + 10,000 = 120,000.01.
    outcome = apportion(load_budget(write_yaml(TO_RESERVES))).year_end
    (settled,) = outcome.settlements
    assert (settled.variance_amount, settled.parts) == (D("10000.00"), ())
    assert [outcome.member_settlement(m) for m in "ABC"] == [0, 0, 0]
    opening, left, interest, to_reserves = outcome.reserves
    assert (to_reserves.name, to_reserves.amount) == ("Under-spend of U to reserves", D("10000.00"))
    assert dict(to_reserves.parts) == {"A": D("6250.00"), "B": D("3750.00")}
    assert {m: outcome.member_reserves(m) for m in "ABC"} == {"A": D("75000.01"), "B": D("45000.00"), "C": D("0.00")}
    assert outcome.reserves_closing == D("120000.01")
    # the exact share each part is rounded from (what a member's year-end explanation
    # shows as its percentage): the opening in the basis, the movements among A and B
    assert dict(opening.shares) == {"A": Fraction(1, 2), "B": Fraction(3, 10), "C": Fraction(1, 5)}
    for column in (left, interest, to_reserves):
        assert dict(column.shares) == {"A": Fraction(5, 8), "B": Fraction(3, 8)}


ONE_UNIT_LEFT = """
collaboration: Test
year: 2024/25
members: [A, B]
bases:
  formula: {shares: {A: 60%, B: 40%}}
units:
  - {code: ROADS, basis: formula, non_pay: {Operations: 1200}}
  - {code: DOGS, basis: formula, non_pay: {Dogs: 1200}}
membership:
  - {member: B, leaves: 2024-10-01, units: [ROADS], pro_rata: months}
year_end:
  reserves: {opening: 1000, transfers: {Interest: 100}}
"""


def test_a_member_leaving_one_unit_keeps_its_part_of_the_reserves(write_yaml):
    # B leaves ROADS but stays in DOGS: it stays a member of the collaboration, so it leaves
    # nothing behind and shares in the movements. Opening 1,000 at 60/40: A 600, B 400;
    # interest 100: A 60, B 40. B closes at 440.
    outcome = apportion(load_budget(write_yaml(ONE_UNIT_LEFT))).year_end
    assert [c.name for c in outcome.reserves] == ["Opening reserves", "Interest"]
    assert {m: outcome.member_reserves(m) for m in "AB"} == {"A": D("660.00"), "B": D("440.00")}


def test_capital_financed_without_reserves_is_held_in_the_basis(write_yaml):
    # No reserves, a capital programme of 1,000 financed by a fund: no reserves to show, and
    # the fund's 1,000 held 60/40, A 600, B 400.
    text = ONE_UNIT_LEFT.replace(
        "  reserves: {opening: 1000, transfers: {Interest: 100}}", "  capital: {programme: 1000, financing: {fund: 1000}}"
    )
    outcome = apportion(load_budget(write_yaml(text))).year_end
    assert (outcome.reserves, outcome.reserves_closing) == ((), None)
    (fund,) = outcome.capital
    assert (fund.name, fund.amount, dict(fund.parts)) == ("fund", D("1000"), {"A": D("600.00"), "B": D("400.00")})
    assert outcome.member_reserves("A") == 0


def test_reserves_no_member_staying_has_a_share_of_are_refused(write_yaml):
    # The reserves are held in a basis that gives only C a share, and C leaves: its 1,000.00
    # left behind would pass to A and B, who have none, and so to no one (the members'
    # parts would add up to nil, not the 1,100 the reserves close at). Refused, saying why.
    text = LEAVER.replace(
        "  formula: {shares: {A: 50%, B: 30%, C: 20%}}",
        "  formula: {shares: {A: 50%, B: 30%, C: 20%}}\n  held: {drivers: {A: 0, B: 0, C: 1}}",
    )
    text = text.replace("year_end:\n", "year_end:\n  shares: held\n").replace("opening: 100000.01", "opening: 1000")
    path = write_yaml(text)
    with pytest.raises(YearEndError) as caught:
        apportion(load_budget(path))
    assert str(caught.value) == (
        f"{path}: year_end: Left behind by C (£1,000.00) would be held by no one: no member that holds it has a share in "
        "held (a member leaving in the year holds none of the year's movements, one joining none of the opening "
        "reserves); give one a share there, or hold the reserves and capital in other shares (year_end: shares:)"
    )


UNDER_SPEND_OF_OTHERS = """
collaboration: Test
year: 2013/14
members: [A, B, C, D]
bases:
  formula: {shares: {A: 50%, B: 50%}}
  pair: {shares: {C: 50%, D: 50%}}
units:
  - {code: U, participants: [A, B], basis: formula, non_pay: {Costs: 100000}}
  - {code: V, participants: [C, D], basis: pair, non_pay: {Costs: 50000}}
year_end:
  outturn: {U: 100000, V: 40000}
  settlement: reserves
  shares: U
  reserves:
    opening: 1000
"""


def test_an_under_spend_to_the_reserves_is_held_by_its_own_units_members_who_stay(write_yaml):
    # The reserves are held in U's shares (A and B, 50/50): the opening 1,000 is A 500.00 and
    # B 500.00. V (C and D, 50/50) spends 40,000 of 50,000 and sends the 10,000 under-spend to
    # the reserves, held by those who stay in their shares of V's year: C 5,000.00 and
    # D 5,000.00 (no one leaves). The reserves close at 11,000.00, every pound held.
    outcome = apportion(load_budget(write_yaml(UNDER_SPEND_OF_OTHERS))).year_end
    opening, under = outcome.reserves
    assert dict(opening.parts) == {"A": D("500.00"), "B": D("500.00")}
    assert (under.amount, dict(under.parts)) == (D("10000.00"), {"C": D("5000.00"), "D": D("5000.00")})
    assert outcome.reserves_closing == D("11000.00")
    assert sum(outcome.member_reserves(m) for m in "ABCD") == D("11000.00")


POT_OF_TWO_LINES = """
collaboration: Test
year: 2013/14
members: [A, B]
bases:
  formula: {shares: {A: 50%, B: 50%}}
units:
  - {code: U, participants: all, basis: formula, non_pay: {Costs: 100000}}
  - code: POT
    participants: all
    basis: formula
    income:
      Range hire: {amount: 85000, member: A}
      POCA receipts: {amount: 100000, basis: formula}
year_end:
  shares: POT
  reserves:
    opening: 1000
    transfers: {Interest: 1000}
"""


def test_reserves_held_in_a_pot_of_two_lines_are_held_in_both_from_the_first_day(write_yaml):
    # POT returns 85,000 to A alone and 100,000 50/50: of 185,000, A has 85,000 + 50,000 =
    # 135,000 and B 50,000, from the first day to the last. The opening 1,000 and the interest
    # 1,000 are each held so: A 1,000 x 135/185 = 729.729..., 729.73; B 270.27.
    outcome = apportion(load_budget(write_yaml(POT_OF_TWO_LINES))).year_end
    opening, interest = outcome.reserves
    assert dict(opening.parts) == {"A": D("729.73"), "B": D("270.27")}
    assert dict(interest.parts) == {"A": D("729.73"), "B": D("270.27")}


JOINS_AS_COSTS_START = """
collaboration: C
year: 2024/25
members: [A, B, C]
units:
  - code: U
    basis: equal
    non_pay:
      Costs: {amount: 3000, from: 2024-10-01}
membership:
  - member: C
    joins: 2024-10-01
year_end:
  outturn: {U: 1200}
"""


def test_a_period_with_a_nil_budget_has_no_weight_in_the_years_shares(write_yaml):
    # U costs nothing until 1 October, when its costs start and C joins: April to September
    # (A and B) is nil; October to March (A, B and C) is 3,000 x 182/365 = 1,495.890...,
    # 1,495.89. The year's shares are that period's, a third each. The out-turn of 1,200 is
    # 295.89 under, returned a third each: 98.63 to A, B and C (not more to A and B for the
    # nil months).
    outcome = apportion(load_budget(write_yaml(JOINS_AS_COSTS_START))).year_end
    (settled,) = outcome.settlements
    assert (settled.budget_amount, settled.variance_amount) == (D("1495.89"), D("295.89"))
    assert dict(settled.parts) == {"A": D("-98.63"), "B": D("-98.63"), "C": D("-98.63")}
