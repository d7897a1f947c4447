"""The accounts note: each member's part of the collaboration's income, expenditure, assets,
liabilities and reserves, worked by hand in the comments; every line's parts add up to it,
and every member's own balance sheet balances."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model.accounts import NoteSection
from apportion.model.money import D
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES

SMALL = """
collaboration: Three forces
year: 2024/25
members: [Avon, Bath, Cork]
bases:
  formula: {shares: {Avon: 45%, Bath: 35%, Cork: 20%}}
units:
  - code: ROCU
    basis: formula
    pay: {Salaries: 1000}
    non_pay: {Premises: 500}
    income: {Grant: 300}
year_end:
  outturn: {ROCU: 1150}
  accounts:
    assets: {Vehicles: 1000.05, Cash: 333.33}
    liabilities: {Creditors: 111.11}
    reserves: {Usable: 1000, Capital adjustment: 222.27}
    last_year: {Cash: 100, Usable: 100}
"""


def parts(note, name):
    line = note.line(name)
    return {member: line.part_of(member) for member in ("Avon", "Bath", "Cork")}


def test_a_small_note_worked_by_hand(write_yaml):
    note = apportion(load_budget(write_yaml(SMALL))).accounts
    # Income: the grant, 300 x 45/35/20% = 135, 105, 60. Expenditure: pay 450, 350, 200;
    # non-pay 225, 175, 100; out-turn 1,150 against a net budget of 1,200, an under-spend of
    # 50 shown as -50: -22.50, -17.50, -10.
    assert parts(note, "Grant") == {"Avon": D("135.00"), "Bath": D("105.00"), "Cork": D("60.00")}
    assert parts(note, "Pay") == {"Avon": D("450.00"), "Bath": D("350.00"), "Cork": D("200.00")}
    assert parts(note, "Non-pay") == {"Avon": D("225.00"), "Bath": D("175.00"), "Cork": D("100.00")}
    # No support units: Support services is nil, with no figure for last year, and left out.
    assert [(line.section, line.name) for line in note.lines] == [
        (NoteSection.INCOME, "Grant"),
        (NoteSection.EXPENDITURE, "Pay"),
        (NoteSection.EXPENDITURE, "Non-pay"),
        (NoteSection.EXPENDITURE, "Under-spend (-) or over-spend (+) at out-turn"),
        (NoteSection.ASSETS, "Vehicles"),
        (NoteSection.ASSETS, "Cash"),
        (NoteSection.LIABILITIES, "Creditors"),
        (NoteSection.RESERVES, "Usable"),
        (NoteSection.RESERVES, "Capital adjustment"),
    ]
    assert note.line("Under-spend (-) or over-spend (+) at out-turn").amount == D("-50.00")
    assert parts(note, "Under-spend (-) or over-spend (+) at out-turn") == {"Avon": D("-22.50"), "Bath": D("-17.50"),
                                                                            "Cork": D("-10.00")}  # fmt: skip
    # Vehicles 1,000.05: exactly 450.0225, 350.0175, 200.01; rounded down 450.02 + 350.01 +
    # 200.01 = 1,000.04, and the penny left goes to the largest remainder, Bath's (.75p).
    assert parts(note, "Vehicles") == {"Avon": D("450.02"), "Bath": D("350.02"), "Cork": D("200.01")}
    # Cash 333.33: 149.9985, 116.6655, 66.666; down to 333.31, two pence left: Avon (.85p), Cork (.6p).
    assert parts(note, "Cash") == {"Avon": D("150.00"), "Bath": D("116.66"), "Cork": D("66.67")}
    # Creditors 111.11: 49.9995, 38.8885, 22.222; down to 111.09, two pence: Avon (.95p), Bath (.85p).
    assert parts(note, "Creditors") == {"Avon": D("50.00"), "Bath": D("38.89"), "Cork": D("22.22")}
    assert parts(note, "Usable") == {"Avon": D("450.00"), "Bath": D("350.00"), "Cork": D("200.00")}
    # Capital adjustment 222.27: 100.0215, 77.7945, 44.454; down to 222.26, a penny to Bath
    # (.45p): 100.02, 77.80, 44.45. But then Bath's balance sheet is a penny out: assets
    # 350.02 + 116.66 less creditors 38.89 is 427.79, its reserves 350.00 + 77.80 = 427.80; and
    # Cork's a penny the other way: 200.01 + 66.67 - 22.22 = 244.46 against 200.00 + 44.45. The
    # last line of the reserves takes that up: Bath 77.79, Cork 44.46; still 222.27 in all.
    line = note.line("Capital adjustment")
    assert {m: w.amount for m, w in line.workings.items()} == {"Avon": D("100.02"), "Bath": D("77.80"), "Cork": D("44.45")}
    assert parts(note, "Capital adjustment") == {"Avon": D("100.02"), "Bath": D("77.79"), "Cork": D("44.46")}
    # Last year: cash 100 and usable reserves 100, split the same way; the rest not given.
    assert note.line("Cash").last_year_parts == {"Avon": D("45.00"), "Bath": D("35.00"), "Cork": D("20.00")}
    assert note.line("Vehicles").last_year is None


def members_balance(note):
    for member in note.shares:
        assets = note.total(NoteSection.ASSETS, member)
        assert assets - note.total(NoteSection.LIABILITIES, member) == note.total(NoteSection.RESERVES, member), member


def lines_add_up(note):
    for line in note.lines:
        assert sum((line.part_of(member) for member in note.shares), Decimal(0)) == line.amount, line.name


def test_every_line_adds_up_and_every_members_balance_sheet_balances(write_yaml):
    note = apportion(load_budget(write_yaml(SMALL))).accounts
    lines_add_up(note)
    members_balance(note)


def test_the_east_midlands_note_is_the_sources_reserves_member_by_member():
    # The source's regional reserves, £874,960 at 31 March 2014, in the funding-formula shares:
    # 874,960 x 27.3% = 238,864.08, x 22.8% = 199,490.88, x 22.2% = 194,241.12, x 14.9% =
    # 130,369.04, x 12.8% = 111,994.88: each exact to the penny, adding up to 874,960. Each is
    # also the member's closing reserves on the Year end sheet (Nottinghamshire: 329,627.85 +
    # 12,285.00 - 103,048.77 = 238,864.08).
    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml"))
    note = result.accounts
    reserves = note.line("Regional reserves (usable)")
    assert reserves.amount == D("874960.00")
    assert {m: reserves.part_of(m) for m in note.shares} == {
        "Nottinghamshire": D("238864.08"), "Leicestershire": D("199490.88"), "Derbyshire": D("194241.12"),
        "Northamptonshire": D("130369.04"), "Lincolnshire": D("111994.88"),
    }  # fmt: skip
    assert {m: result.year_end.member_reserves(m) for m in note.shares} == {m: reserves.part_of(m) for m in note.shares}
    # and a year before, the source's £1,207,428, as the year end's opening reserves were split
    assert reserves.last_year_parts == dict(result.year_end.reserves[0].parts)
    lines_add_up(note)
    members_balance(note)


PENCE = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=60, deadline=None)
@given(figures=st.lists(PENCE, min_size=4, max_size=4), weights=st.lists(st.integers(1, 1000), min_size=3, max_size=3))
def test_any_balance_sheet_is_split_so_that_lines_add_up_and_members_balance(tmp_path_factory, figures, weights):
    # assets a + b, liabilities c, reserves r and the rest (which may be negative), in pence
    a, b, c, r = (Decimal(x).scaleb(-2) for x in figures)
    avon, bath, cork = weights
    text = SMALL.replace(
        "{shares: {Avon: 45%, Bath: 35%, Cork: 20%}}", f"{{drivers: {{Avon: {avon}, Bath: {bath}, Cork: {cork}}}}}"
    )
    text = text.replace("{Vehicles: 1000.05, Cash: 333.33}", f"{{Vehicles: {a}, Cash: {b}}}")
    text = text.replace("{Creditors: 111.11}", f"{{Creditors: {c}}}")
    text = text.replace("{Usable: 1000, Capital adjustment: 222.27}", f"{{Usable: {r}, Capital adjustment: {a + b - c - r}}}")
    path = tmp_path_factory.mktemp("note") / "budget.yaml"
    path.write_text(text)
    note = apportion(load_budget(path)).accounts
    lines_add_up(note)
    members_balance(note)


def test_last_years_figures_in_last_years_shares_and_each_members_last_year_balanced(write_yaml):
    # Last year in thirds (formula_last, drivers 1, 1, 1). Vehicles 100.01: 33.33|67 each,
    # the two pence to Avon and Bath (equal remainders and weights go by name): 33.34, 33.34,
    # 33.33. Cash 0.01: the penny to Avon. Usable 50.01 and Capital adjustment 50.01: 16.67
    # each, exactly. Avon's assets 33.35 against its reserves 33.34: a penny out, which the
    # last line of the reserves takes up: 16.68; Cork's 33.33 against 33.34: 16.66.
    text = SMALL.replace(
        "  formula: {shares: {Avon: 45%, Bath: 35%, Cork: 20%}}",
        "  formula: {shares: {Avon: 45%, Bath: 35%, Cork: 20%}}\n  formula_last: {drivers: {Avon: 1, Bath: 1, Cork: 1}}",
    ).replace(
        "last_year: {Cash: 100, Usable: 100}",
        "last_year: {Vehicles: 100.01, Cash: 0.01, Usable: 50.01, Capital adjustment: 50.01}\n    last_year_shares: formula_last",
    )
    note = apportion(load_budget(write_yaml(text))).accounts
    assert note.last_year_basis == "formula_last"
    assert note.line("Vehicles").last_year_parts == {"Avon": D("33.34"), "Bath": D("33.34"), "Cork": D("33.33")}
    assert note.line("Cash").last_year_parts == {"Avon": D("0.01"), "Bath": D("0.00"), "Cork": D("0.00")}
    assert note.line("Usable").last_year_parts == {"Avon": D("16.67"), "Bath": D("16.67"), "Cork": D("16.67")}
    assert note.line("Capital adjustment").last_year_parts == {"Avon": D("16.68"), "Bath": D("16.67"), "Cork": D("16.66")}
    # This year's are in this year's shares, as before (Vehicles: 450.02, 350.02, 200.01).
    assert parts(note, "Vehicles") == {"Avon": D("450.02"), "Bath": D("350.02"), "Cork": D("200.01")}


def test_last_years_figures_that_do_not_balance_are_split_and_not_adjusted(write_yaml):
    # Last year's cash 10 and capital adjustment 5 (the rest not given) do not balance: each
    # is split in this year's shares and no more: 4.50, 3.50, 2.00 and 2.25, 1.75, 1.00.
    text = SMALL.replace("last_year: {Cash: 100, Usable: 100}", "last_year: {Cash: 10, Capital adjustment: 5}")
    note = apportion(load_budget(write_yaml(text))).accounts
    assert note.last_year_basis == ""
    assert note.line("Capital adjustment").last_year_parts == {"Avon": D("2.25"), "Bath": D("1.75"), "Cork": D("1.00")}


def test_a_balance_sheet_with_no_reserves(write_yaml):
    # Cash 100 and creditors 100, no reserves: each split 45/35/20, nothing adjusted.
    text = SMALL.replace("{Vehicles: 1000.05, Cash: 333.33}", "{Cash: 100}").replace("{Creditors: 111.11}", "{Creditors: 100}")
    text = text.replace("    reserves: {Usable: 1000, Capital adjustment: 222.27}\n", "").replace(
        "    last_year: {Cash: 100, Usable: 100}\n", ""
    )
    note = apportion(load_budget(write_yaml(text))).accounts
    assert [line.name for line in note.lines if line.section is not NoteSection.INCOME][-2:] == ["Cash", "Creditors"]
    assert parts(note, "Cash") == parts(note, "Creditors") == {"Avon": D("45.00"), "Bath": D("35.00"), "Cork": D("20.00")}
    members_balance(note)


def test_a_single_line_of_reserves_takes_up_each_members_pennies(write_yaml):
    # SMALL's assets and creditors (parts as in the note worked by hand above), all the
    # reserves in one line of 1,222.27. Avon's balance sheet: 450.02 + 150.00 - 50.00 =
    # 550.02; Bath's 350.02 + 116.66 - 38.89 = 427.79; Cork's 200.01 + 66.67 - 22.22 = 244.46.
    # The line by largest remainder: exactly 550.0215, 427.7945, 244.454; down to 1,222.26, the
    # penny to Bath (.45p): 550.02, 427.80, 244.45. Bath is a penny over its balance sheet and
    # Cork a penny under: the line, the last of the reserves, takes that up: 427.79 and 244.46.
    text = SMALL.replace("{Usable: 1000, Capital adjustment: 222.27}", "{Usable: 1222.27}")
    note = apportion(load_budget(write_yaml(text))).accounts
    line = note.line("Usable")
    assert {m: w.amount for m, w in line.workings.items()} == {"Avon": D("550.02"), "Bath": D("427.80"), "Cork": D("244.45")}
    assert line.adjustments == {"Avon": D("0.00"), "Bath": D("-0.01"), "Cork": D("0.01")}
    assert parts(note, "Usable") == {"Avon": D("550.02"), "Bath": D("427.79"), "Cork": D("244.46")}


def test_last_years_out_turn_is_shown_in_a_year_with_none_given(write_yaml):
    # No out-turn this year, but last year's under-spend of 50 is given: the line is in the
    # note, nil this year (each part nil), last year's -50 split 45/35/20: -22.50, -17.50, -10.
    text = SMALL.replace("  outturn: {ROCU: 1150}\n", "").replace(
        "last_year: {Cash: 100, Usable: 100}", 'last_year: {"Under-spend (-) or over-spend (+) at out-turn": -50}'
    )
    note = apportion(load_budget(write_yaml(text))).accounts
    line = note.line("Under-spend (-) or over-spend (+) at out-turn")
    assert (line.section, line.amount, line.last_year) == (NoteSection.EXPENDITURE, D("0.00"), D("-50.00"))
    assert not line.amount.is_signed()  # written 0.00, not -0.00
    assert parts(note, line.name) == {"Avon": D("0.00"), "Bath": D("0.00"), "Cork": D("0.00")}
    assert line.last_year_parts == {"Avon": D("-22.50"), "Bath": D("-17.50"), "Cork": D("-10.00")}
