"""The workings: each step's words and figure, read off the split, for people to check."""

from __future__ import annotations

from decimal import Decimal

from apportion.model import Basis, BasisKind, BudgetLine, ChargingModel, Income, LineKind, Unit
from apportion.model.money import D
from apportion.rules.explain import unit_steps
from apportion.rules.explain_text import money_ratio, ordinal, ratio_text
from apportion.rules.split import apportion_unit

SE = {"Hampshire": D("25"), "Kent": D("22"), "Sussex": D("20"), "Thames Valley": D("18"), "Surrey": D("15")}


def levy_unit() -> Unit:
    # docs/domain.md: pay 4,000,000, non-pay 1,000,000, grant 1,000,000, led by Sussex at 2%.
    return Unit(
        "ROCU", "Regional unit", tuple(SE), Basis("formula", BasisKind.SHARES, SE),
        (BudgetLine("Salaries", LineKind.PAY, D("4000000.00")), BudgetLine("Premises", LineKind.NON_PAY, D("1000000.00"))),
        (Income("Grant", D("1000000.00")),), model=ChargingModel.LEAD_FORCE, lead="Sussex", levy_rate=D("2"),
    )  # fmt: skip


def steps_of(member: str) -> dict[str, tuple[str, Decimal | None]]:
    result = apportion_unit(levy_unit())
    return {step.label: (step.working, step.amount) for step in unit_steps(result, member, tuple(SE))}


def test_a_payer_is_walked_from_the_budget_lines_to_its_cash():
    steps = steps_of("Kent")
    assert steps["Pay: Salaries"] == ("budget line", D("4000000.00"))
    assert steps["Spending"] == ("pay £4,000,000.00 + non-pay £1,000,000.00", D("5000000.00"))
    assert steps["Income: Grant"] == ("netted off before the split", D("-1000000.00"))
    assert steps["Net budget"] == ("spending £5,000,000.00 - income £1,000,000.00", D("4000000.00"))
    # 22 of the participants' 100: exactly 22%, so 4,000,000 x 22 / 100 = 880,000 with no rounding.
    assert steps["Share"][0].endswith("Kent 22% of the participants' total 100 (all 5 members); re-normalised share = 22%")
    assert steps["Exact share of cost"][0] == "£4,000,000.00 x 22 / 100 = £880,000.00"
    assert steps["Share of cost (rounded)"] == ("£880,000.00 is exact to the penny; no rounding", D("880000.00"))
    # levy: 2% x 22% x 4,000,000 = 17,600, the pot 2% x 80% x 4m = 64,000, Kent 22/80 of it.
    assert steps["Levy payable"][0] == (
        "2% x pay £4,000,000.00 x share 22%; the levy pot £64,000.00, rounded once to £64,000.00, is split among "
        "the payers by share: x 27.5% of it = £17,600.00"
    )
    assert steps["Net cash payable"] == ("share of cost £880,000.00 + levy £17,600.00", D("897600.00"))


def test_the_lead_is_shown_the_levy_it_receives():
    working, amount = steps_of("Sussex")["Levy receivable"]
    assert working == (
        "Sussex leads ROCU: 2% x pay £4,000,000.00 x the other participants' shares 80% = £64,000.00, rounded to the penny"
    )
    assert amount == D("-64000.00")


def test_a_member_outside_the_unit_is_told_it_pays_nothing():
    result = apportion_unit(levy_unit()._replace(participants=("Kent", "Sussex")))
    assert [(s.label, s.amount) for s in unit_steps(result, "Surrey")] == [("Not a participant", D("0.00"))]


def test_the_pence_left_over_are_explained_in_plain_words():
    # 100p in thirds: 33p each and 1p over; equal remainders and weights go to the name first: Avon.
    unit = Unit("U", "Unit", ("Avon", "Kent", "Dorset"), Basis("equal", BasisKind.EQUAL, dict.fromkeys(("Avon", "Kent", "Dorset"), D(1))),
                (BudgetLine("Costs", LineKind.NON_PAY, D("1.00")),))  # fmt: skip
    result = apportion_unit(unit)
    avon = {s.label: s.working for s in unit_steps(result, "Avon")}
    kent = {s.label: s.working for s in unit_steps(result, "Kent")}
    assert avon["Share of cost (rounded)"] == (
        "£0.333333... rounded down to £0.33 (remainder 0.333... of a penny); 1 penny was left over after rounding every "
        "part down; it goes to the largest remainder (ties: larger weight, then name). Avon is 1st in that "
        "queue, so it receives it"
    )
    assert kent["Share of cost (rounded)"].endswith("Kent is 3rd in that queue, so it does not receive it")


def test_two_pence_left_over_are_counted_in_the_plural():
    # 2p in thirds (0.666...p each): floors of nothing, 2p over, to Avon and Dorset by name.
    unit = Unit("U", "Unit", ("Avon", "Kent", "Dorset"), Basis("equal", BasisKind.EQUAL, dict.fromkeys(("Avon", "Kent", "Dorset"), D(1))),
                (BudgetLine("Costs", LineKind.NON_PAY, D("0.02")),))  # fmt: skip
    text = {s.label: s.working for s in unit_steps(apportion_unit(unit), "Kent")}["Share of cost (rounded)"]
    assert "; 2 pence were left over after rounding every part down; they go one each to the largest remainders" in text
    assert text.endswith("Kent is 3rd in that queue, so it does not receive one")


def test_figures_are_shown_exactly_and_marked_where_they_do_not_end():
    assert ratio_text(1, 3) == "0.333333..."
    assert ratio_text(1, 8) == "0.125"
    assert money_ratio(2679206272, 1000) == "£2,679,206.272"
    assert money_ratio(-1, 3) == "-£0.333333..."
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "112th",
    ]


# S's 3,600 is charged to U1..U8 by drivers 8 down to 1 (of 36). A and B share U1..U7 equally;
# U8 is B's alone.
EIGHT_UNITS = "\n".join([
    "collaboration: Test", "year: 2024/25", "members: [A, B]", "units:",
    *(f"  - {{code: U{i}, basis: equal, pay: {{Staff: 1000}}}}" for i in range(1, 8)),
    "  - {code: U8, participants: [B], basis: equal, pay: {Staff: 1000}}",
    "  - {code: S, support: {drivers: {U1: 8, U2: 7, U3: 6, U4: 5, U5: 4, U6: 3, U7: 2, U8: 1}}, pay: {Staff: 3600}}",
])  # fmt: skip


def test_a_members_share_of_a_support_unit_names_its_six_largest_terms_and_counts_the_rest(write_yaml):
    from apportion.input.budget_file import load_budget
    from apportion.rules.calculate import apportion

    result = apportion(load_budget(write_yaml(EIGHT_UNITS + "\n")))
    results = {unit_result.unit.code: unit_result for unit_result in result.units}
    share = {m: next(s.working for s in unit_steps(results["S"], m, ("A", "B"), results) if s.label == "Share") for m in "AB"}
    # A bears half of what rests in each of U1..U7, the largest first: 8/36 = 22.222222...%,
    # 7/36 = 19.444444...%, 6/36 = 16.666667...%, 5/36 = 13.888889...%, 4/36 = 11.111111...%,
    # 3/36 = 8.333333...%, and U7's 2/36 is the one more (U8 is not A's); 35/72 = 48.611111...%.
    assert share["A"] == (
        "A bears 50% of U1's 22.222222...% + 50% of U2's 19.444444...% + 50% of U3's 16.666667...% + 50% of U4's "
        "13.888889...% + 50% of U5's 11.111111...% + 50% of U6's 8.333333...% + 1 more = 48.611111...% of S's own cost"
    )
    # B takes part in all eight: the six largest, and two more; 1/2 x 35/36 + 1/36 = 37/72.
    assert share["B"].endswith("+ 2 more = 51.388889...% of S's own cost")


def test_parts_are_named_the_largest_first_however_close_and_equal_ones_in_their_order():
    from fractions import Fraction

    from apportion.rules.explain_charges import largest_first

    # b exceeds a by 10^-40, past the 30 decimals the sort looks at first; c equals a and comes after it.
    third = Fraction(1, 3)
    parts = {"a": third, "b": third + Fraction(1, 10**40), "c": third, "d": Fraction(0)}
    assert [code for code, _ in largest_first(parts)] == ["b", "a", "c", "d"]


def test_a_basis_is_named_in_words_in_every_working_not_by_its_key():
    # East Midlands 2013/14 splits by the basis the file keys `funding_formula`, and its
    # reserves and accounts note are in the same shares. A reader of the How sheet, the year
    # end and the accounts note sees "funding formula", never the key with its underscore.
    from apportion.api import apportion, load
    from apportion.rules.explain import member_steps
    from apportion.rules.explain_year import accounts_steps, year_end_steps
    from tests.conftest import EXAMPLES

    result = apportion(load(EXAMPLES / "east-midlands-2013-14.yaml"))
    assert result.year_end is not None and result.accounts is not None  # the example has both
    workings = []
    for member in result.budget.member_names:
        workings += [step.working for _, steps in member_steps(result, member) for step in steps]
        workings += [step.working for step in year_end_steps(result, member)]
        for line in result.accounts.lines:
            workings += [step.working for step in accounts_steps(result, member, line.name)]
    assert not [text for text in workings if "funding_formula" in text]
    shares = [text for text in workings if text.startswith("basis funding formula (source: Nottinghamshire OPCC")]
    assert len(shares) == 5 * len(result.units)  # each member's share of each unit
    assert any(text.endswith("of the collaboration, in funding formula") for text in workings)  # the accounts note


def test_a_basis_key_is_spaced_but_a_units_code_is_shown_as_written():
    from apportion.rules.explain_text import as_words

    assert as_words("funding_formula") == "funding formula"  # a basis's key, known to be one
    bases = {"funding_formula"}
    assert as_words("funding_formula", bases) == "funding formula"
    assert as_words("ROCU_EM", bases) == "ROCU_EM"  # shares held in a unit's: its code as written
    assert as_words("ROCU_EM's shares", bases) == "ROCU_EM's shares"
