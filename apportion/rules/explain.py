"""How each figure was reached, step by step, for people: the same steps on the
workbook's "How this was calculated" sheet and in ``apportion explain``.

Pure: the steps are read off the core's results (including the workings of each
largest-remainder split); nothing is computed here that the core did not compute.
"""

from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import Allocation, format_gbp, plain, round_ratio
from apportion.model.records import BasisKind, ChargingModel, InKindTreatment, LevyBase, LineKind
from apportion.model.results import Apportionment, MemberShare, UnitResult


class Step(NamedTuple):
    """One step of a derivation: what it is, how it is worked, and the figure it gives."""

    label: str
    working: str
    amount: Decimal | None = None


# Each figure is given as a fraction, or as the integers numerator / denominator (not
# necessarily in lowest terms) that the core's workings hold: a national run words some
# 200,000 figures, and making each a Fraction first would cost a greatest common divisor.


def ends_within(numerator: int, denominator: int, places: int) -> bool:
    """Whether numerator / denominator ends within ``places`` decimals (so showing that many is exact)."""
    return bool(numerator * 10**places % denominator == 0)


def ratio_text(numerator: int, denominator: int, places: int = 6) -> str:
    """numerator / denominator (denominator > 0) as decimals, with '...' where it does not end there."""
    shown = round_ratio(numerator, denominator, places)
    if ends_within(numerator, denominator, places):
        return f"{shown.normalize():f}"
    return f"{shown}..."


def money_exact(value: Fraction) -> str:
    """£ with commas, to the exact value (more places than pence where it has them)."""
    return money_ratio(value.numerator, value.denominator)


def money_ratio(numerator: int, denominator: int) -> str:
    """:func:`money_exact` of numerator / denominator pounds (denominator > 0)."""
    sign = "-" if numerator < 0 else ""
    shown = round_ratio(abs(numerator), denominator, 6)
    text = f"{shown:,.6f}".rstrip("0")
    if text.endswith("."):
        text += "00"
    elif len(text.split(".")[1]) < 2:
        text += "0"
    return f"{sign}£{text}{'' if ends_within(numerator, denominator, 6) else '...'}"


def exact_of(working: Allocation) -> str:
    """The part before rounding, in £, from the split's integers."""
    return money_ratio(*working.exact_ratio)


def percent_exact(share: Fraction) -> str:
    return ratio_text(share.numerator * 100, share.denominator, 6) + "%"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rounding_step(label: str, working: Allocation, member: str) -> Step:
    """Why a part is what it is: its floor, its remainder, and the queue for left-over pence."""
    if working.remainder_units == 0 and not working.extra_penny:
        return Step(label, f"{exact_of(working)} is exact to the penny; no rounding", working.amount)
    got = "receives" if working.extra_penny else "does not receive"
    if working.pence_left_over == 0:
        queue = "no pence were left over after rounding every part down"
    else:
        queue = (
            f"{working.pence_left_over} pence were left over after rounding every part down; they go one each to "
            f"the largest remainders (ties: larger weight, then name). {member} is {ordinal(working.rank)} in that "
            f"queue, so it {got} one"
        )
    return Step(
        label,
        f"{exact_of(working)} rounded down to {format_gbp(working.floor)} "
        f"(remainder {ratio_text(working.remainder_units, working.total_units, 3)} of a penny); {queue}",
        working.amount,
    )


def unit_steps(unit_result: UnitResult, member: str, members: Sequence[str] = ()) -> Iterator[Step]:
    """Every step from a unit's budget lines to the member's net cash payable (``members``:
    the collaboration's, so a unit everyone takes part in can say so rather than list them)."""
    unit = unit_result.unit
    share = unit_result.share_of(member)
    if share is None:
        yield Step("Not a participant", f"{member} does not take part in {unit.code}; it pays nothing for it", Decimal("0.00"))
        return
    for line in unit.lines:
        yield Step(f"{'Pay' if line.kind is LineKind.PAY else 'Non-pay'}: {line.name}", "budget line", line.amount)
    pay, non_pay, income_total = unit_result.pay_amount, unit_result.non_pay_amount, unit_result.income_amount
    spending = pay + non_pay
    yield Step("Spending", f"pay {format_gbp(pay)} + non-pay {format_gbp(non_pay)}", spending)
    for income in unit.income:
        yield Step(f"Income: {income.name}", "netted off before the split", -income.amount)
    net = spending - income_total
    yield Step("Net budget", f"spending {format_gbp(spending)} - income {format_gbp(income_total)}", net)
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET and unit.in_kind
    if offset:
        yield Step(
            "Total cost shared",
            f"net budget {format_gbp(net)} + officers in kind from all participants "
            f"{format_gbp(unit_result.in_kind_total_amount)} (in kind offset)",
            unit_result.cost_to_split_amount,
        )
    yield from share_steps(unit_result, share, members)
    yield from levy_steps(unit_result, share)
    yield from in_kind_steps(unit_result, share)
    parts = [f"share of cost {format_gbp(share.cost_amount)}"]
    if share.levy_amount:
        parts.append(f"levy {format_gbp(share.levy_amount)}")
    if share.in_kind_credit_amount:
        parts.append(f"in-kind credit {format_gbp(share.in_kind_credit_amount)}")
    yield Step("Net cash payable", " + ".join(parts), share.cash_amount)


def share_steps(unit_result: UnitResult, share: MemberShare, members: Sequence[str] = ()) -> Iterator[Step]:
    unit = unit_result.unit
    cost = unit_result.cost_to_split_amount
    if share.is_fixed:
        yield Step("Fixed amount", f"{share.member} pays a fixed amount agreed for {unit.code}", share.cost_amount)
        return
    basis = unit.basis
    weight = share.weight if share.weight is not None else Decimal(0)
    value = f"{plain(weight)}%" if basis.kind is BasisKind.SHARES else plain(weight, grouped=True)
    source = f" (source: {basis.source.describe()})" if basis.source else ""
    participants = [m for m in unit.participants if m not in unit.fixed_amounts] if unit.fixed_amounts else unit.participants
    if basis.kind is BasisKind.EQUAL:
        how = f"equal shares among {len(participants)} participants"
    else:
        who = f"all {len(members)} members" if tuple(participants) == tuple(members) else ", ".join(participants)
        total = plain(unit_result.weight_total, grouped=True)
        how = f"basis {basis.name}{source}: {share.member} {value} of the participants' total {total} ({who})"
    yield Step("Share", f"{how}; re-normalised share = {percent_exact(share.share)}")
    fixed_total = sum(unit.fixed_amounts.values(), Decimal(0))
    rest = f"{format_gbp(cost)} less fixed amounts {format_gbp(fixed_total)}" if unit.fixed_amounts else format_gbp(cost)
    if share.cost_workings is not None:
        working = share.cost_workings
        yield Step(
            "Exact share of cost",
            f"{rest} x {ratio_text(working.units, working.scale)} / {ratio_text(working.total_units, working.scale)} "
            f"= {exact_of(working)}",
        )
        yield rounding_step("Share of cost (rounded)", working, share.member)


def levy_steps(unit_result: UnitResult, share: MemberShare) -> Iterator[Step]:
    unit = unit_result.unit
    if unit.model is not ChargingModel.LEAD_FORCE:
        if unit.model is ChargingModel.HOST_FORCE:
            yield Step(
                "Levy", f"none: host-force model, hosted by {unit.lead}; business support is a budget line", Decimal("0.00")
            )
        return
    base = money_exact(unit_result.levy_base_amount)
    base_text = f"pay {base}" if unit.levy_base is LevyBase.GROSS_PAY else f"pay net of income {base}"
    if share.member == unit.lead:
        others = 1 - share.share
        yield Step(
            "Levy receivable",
            f"{share.member} leads {unit.code}: {plain(unit.levy_rate)}% x {base_text} x the other participants' shares "
            f"{percent_exact(others)} = {money_exact(unit_result.levy_pot_exact)}, rounded to the penny",
            share.levy_amount,
        )
    elif share.levy_workings is not None:
        working = share.levy_workings
        yield Step(
            "Levy payable",
            f"{plain(unit.levy_rate)}% x {base_text} x share {percent_exact(share.share)}; the levy pot "
            f"{money_exact(unit_result.levy_pot_exact)}, rounded once to {format_gbp(unit_result.levy_total_amount)}, "
            f"is split among the payers by share: x {ratio_text(working.units * 100, working.total_units)}% of it "
            f"= {exact_of(working)}",
        )
        yield rounding_step("Levy payable (rounded)", share.levy_workings, share.member)
    else:
        yield Step("Levy payable", f"{plain(unit.levy_rate)}% levy comes to nothing", share.levy_amount)


def in_kind_steps(unit_result: UnitResult, share: MemberShare) -> Iterator[Step]:
    unit = unit_result.unit
    for oik in unit.in_kind:
        if oik.member != share.member:
            continue
        what = (
            f"{oik.officers} officers x {format_gbp(oik.cost_each_amount)}" if oik.cost_each_amount is not None else "value given"
        )
        if unit.in_kind_treatment is InKindTreatment.OFFSET:
            yield Step("In-kind credit", f"{what}, credited against the share of total cost", -oik.value_amount)
        else:
            yield Step("In kind (additional)", f"{what}, reported beside the cash; it does not reduce the cash", oik.value_amount)


def member_steps(result: Apportionment, member: str, unit_code: str | None = None) -> Iterator[tuple[UnitResult, list[Step]]]:
    """The steps for each unit the member takes part in (or the one unit asked for)."""
    members = result.budget.member_names
    for unit_result in result.units:
        if unit_code is not None and unit_result.unit.code != unit_code:
            continue
        if unit_code is None and unit_result.share_of(member) is None:
            continue
        yield unit_result, list(unit_steps(unit_result, member, members))
