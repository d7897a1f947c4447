"""How each figure was reached, step by step, for people: the same steps on the
workbook's "How this was calculated" sheet and in ``apportion explain``.

Pure: the steps are read off the core's results (including the workings of each
largest-remainder split); nothing is computed here that the core did not compute.
"""

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import format_gbp, plain
from apportion.model.records import BasisKind, ChargingModel, InKindTreatment, LevyBase, LineKind, Unit, UnitRole
from apportion.model.results import Apportionment, MemberShare, UnitResult
from apportion.rules.basis_kinds import rule_of
from apportion.rules.explain_charges import SupportWords, activity_steps, blend_text, support_steps, support_words
from apportion.rules.explain_text import (
    Step,
    as_words,
    exact_of,
    money_exact,
    percent_exact,
    ratio_text,
    rounding_step,
    split_steps,
    total_text,
)


class ShareWords(NamedTuple):
    """What a unit's share steps say alike to every participant: how its basis shares the
    cost, the participants' total, the amount split and the weights' total (worded once for
    a run, not once for each of 43 members)."""

    basis: str  # "basis funding_formula (source: ...)", or "equal shares among 12 participants"
    total: str  # "1,234 (all 43 members)": the participants' total in the basis, and who they are
    whole: str  # the amount split: "£1,000.00", or "£1,000.00 less fixed amounts £100.00"
    weights: str  # the total of the weights the split shares by, as its workings give it


def unit_steps(
    unit_result: UnitResult, member: str, members: Sequence[str] = (), results: Mapping[str, UnitResult] | None = None
) -> Iterator[Step]:
    """Every step from a unit's budget lines to the member's net cash payable (``members``:
    the collaboration's, so a unit everyone takes part in can say so rather than list them;
    ``results``: every unit's, by code, which a support unit's charges pass through)."""
    share = unit_result.share_of(member)
    if share is None:
        code = unit_result.unit.code
        yield Step("Not a participant", f"{member} does not take part in {code}; it pays nothing for it", Decimal("0.00"))
        return
    yield from budget_steps(unit_result)
    yield from charge_steps(unit_result, share, members, results)


def budget_steps(unit_result: UnitResult) -> Iterator[Step]:
    """A unit's budget, the same for each participant: its lines, its spending, its income
    and its net budget (a unit returning income: its lines and the income it returns)."""
    unit = unit_result.unit
    for line in unit.lines:
        yield Step(f"{'Pay' if line.kind is LineKind.PAY else 'Non-pay'}: {line.name}", for_the_part(unit, line.annual_amount),
                   line.amount)  # fmt: skip
    pay, non_pay, income_total = unit_result.pay_amount, unit_result.non_pay_amount, unit_result.income_amount
    spending = pay + non_pay
    returned = unit.role is UnitRole.RETURNED_INCOME
    if not returned:
        yield Step("Spending", f"pay {format_gbp(pay)} + non-pay {format_gbp(non_pay)}", spending)
    for income in unit.income:
        how = f"returned to the participants by {as_words(unit.basis.name)}" if returned else "netted off before the split"
        if income.annual_amount is not None:
            how = f"{for_the_part(unit, income.annual_amount)}, {how}"
        yield Step(f"Income: {income.name}", how, -income.amount)
    if not returned:
        label = "Own net cost" if unit.role is UnitRole.SUPPORT else "Net budget"
        yield Step(label, f"spending {format_gbp(spending)} - income {format_gbp(income_total)}", spending - income_total)


def charge_steps(
    unit_result: UnitResult, share: MemberShare, members: Sequence[str] = (), results: Mapping[str, UnitResult] | None = None,
    words: SupportWords | ShareWords | None = None,
) -> Iterator[Step]:  # fmt: skip
    """From a unit's budget to a participant's net cash payable (see :func:`unit_steps`;
    ``words``: the unit's :func:`unit_words`, where they are made once for every member)."""
    unit = unit_result.unit
    if unit.role is UnitRole.SUPPORT:
        yield from support_steps(unit_result, share, results or {}, words if isinstance(words, SupportWords) else None)
        yield Step("Net cash payable", f"support charge {format_gbp(share.cost_amount)}", share.cash_amount)
        return
    returned = unit.role is UnitRole.RETURNED_INCOME
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET and unit.in_kind
    if offset:
        net = unit_result.pay_amount + unit_result.non_pay_amount - unit_result.income_amount
        yield Step(
            "Total cost shared",
            f"net budget {format_gbp(net)} + officers in kind from all participants "
            f"{format_gbp(unit_result.in_kind_total_amount)} (in kind offset)",
            unit_result.cost_to_split_amount,
        )
    if unit.activity is not None:
        yield from activity_steps(unit_result, share)
    else:
        yield from share_steps(unit_result, share, members, words if isinstance(words, ShareWords) else None)
    yield from levy_steps(unit_result, share)
    yield from in_kind_steps(unit_result, share)
    parts = [f"{'income returned' if returned else 'share of cost'} {format_gbp(share.cost_amount)}"]
    if share.levy_amount:
        parts.append(f"levy {format_gbp(share.levy_amount)}")
    if share.in_kind_credit_amount:
        parts.append(f"in-kind credit {format_gbp(share.in_kind_credit_amount)}")
    yield Step("Net cash payable", " + ".join(parts), share.cash_amount)


def unit_words(unit_result: UnitResult, members: Sequence[str] = ()) -> SupportWords | ShareWords:
    """What a unit's steps say alike to every participant, to be made once for a run: a
    support unit's :func:`~apportion.rules.explain_charges.support_words`, another's
    :func:`share_words`."""
    if unit_result.unit.role is UnitRole.SUPPORT:
        return support_words(unit_result)
    return share_words(unit_result, members)


def for_the_part(unit: Unit, annual: Decimal | None) -> str:
    """'budget line', or for a part of the year, '£146,000,000.00 a year x 91/365 days (1 April
    2018 to 30 June 2018), by largest remainder'."""
    if annual is None or unit.period is None:
        return "budget line"
    return f"{format_gbp(annual)} a year x {unit.period.describe()}, by largest remainder"


def share_words(unit_result: UnitResult, members: Sequence[str] = ()) -> ShareWords:
    """A unit's :class:`ShareWords` (``members``: the collaboration's, as for :func:`unit_steps`)."""
    unit = unit_result.unit
    basis = unit.basis
    participants = [m for m in unit.participants if m not in unit.fixed_amounts] if unit.fixed_amounts else unit.participants
    total = ""
    if basis.kind is BasisKind.EQUAL:
        how = f"equal shares among {len(participants)} participants"
    else:
        source = f" (source: {basis.source.describe()})" if basis.source else ""
        source += f" (period: {basis.period})" if basis.period else ""
        how = f"basis {as_words(basis.name)}{source}"
        if basis.kind is not BasisKind.COMPOSITE:
            who = f"all {len(members)} members" if tuple(participants) == tuple(members) else ", ".join(participants)
            total = f"{weight_text(unit_result.weight_total)} ({who})"
    cost = unit_result.cost_to_split_amount
    fixed_total = sum(unit.fixed_amounts.values(), Decimal(0))
    whole = f"{format_gbp(cost)} less fixed amounts {format_gbp(fixed_total)}" if unit.fixed_amounts else format_gbp(cost)
    working = next((share.cost_workings for share in unit_result.shares if share.cost_workings is not None), None)
    return ShareWords(how, total, whole, total_text(working) if working is not None else "")


def share_steps(
    unit_result: UnitResult, share: MemberShare, members: Sequence[str] = (), words: ShareWords | None = None
) -> Iterator[Step]:
    """The member's share and its part of the cost (``words``: the unit's :func:`share_words`,
    where they are made once for every member)."""
    unit = unit_result.unit
    if share.is_fixed:
        yield Step("Fixed amount", f"{share.member} pays a fixed amount agreed for {unit.code}", share.cost_amount)
        return
    if unit_result.periods:
        yield from period_steps(unit_result, share)
        return
    words = words if words is not None else share_words(unit_result, members)
    basis = unit.basis
    if basis.kind is BasisKind.EQUAL:
        how = words.basis
    else:
        weight = share.weight if share.weight is not None else Decimal(0)
        value = weight_text(weight, percent=rule_of(basis).in_percent)
        if basis.kind is BasisKind.COMPOSITE:
            how = f"{words.basis}: {blend_text(unit_result, share)} = {value}"
        else:
            how = f"{words.basis}: {share.member} {value} of the participants' total {words.total}"
    yield Step("Share", f"{how}; re-normalised share = {percent_exact(share.share)}")
    if share.cost_workings is not None:
        labels = ("Exact share of cost", "Share of cost (rounded)")
        yield from split_steps(*labels, words.whole, share.cost_workings, share.member, total=words.weights)


def period_steps(unit_result: UnitResult, share: MemberShare) -> Iterator[Step]:
    """Rounded once for the year: the member's exact part of each period, added up, then rounded."""
    parts = []
    for period in unit_result.periods:
        own = period.share_of(share.member)
        if own is not None and own.cost_workings is not None:
            working = own.cost_workings
            of = format_gbp(period.cost_to_split_amount - period.fixed_total_amount)
            exact = money_exact(Fraction(*working.exact_ratio))
            parts.append(f"{period.unit.code}: {percent_exact(Fraction(working.units, working.total_units))} of {of} = {exact}")
    year = percent_exact(share.share)
    yield Step("Share", f"by period, rounded once for the year: {'; '.join(parts)}; share of the year = {year}")
    if share.cost_workings is not None:
        whole = format_gbp(unit_result.cost_to_split_amount - unit_result.fixed_total_amount)
        yield from split_steps(
            "Exact share of cost for the year", "Share of cost (rounded once)", whole, share.cost_workings, share.member
        )


def weight_text(weight: Decimal | Fraction, *, percent: bool = False) -> str:
    """A basis value as written (a blend's with '...' where it does not end)."""
    text = plain(weight, grouped=not percent) if isinstance(weight, Decimal) else percent_exact(weight / 100)[:-1]
    return f"{text}%" if percent else text


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
    if unit_result.support_pay_amount:
        base_text += f" (of which support pay charged in {money_exact(unit_result.support_pay_amount)})"
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
    """The steps for each unit the member takes part in (or the one unit asked for, with
    its parts: its periods, and income it returns by a split of its own)."""
    members = result.budget.member_names
    results = {unit_result.unit.code: unit_result for unit_result in result.units}
    for unit_result in result.units:
        if unit_code is not None and unit_code not in (unit_result.unit.code, unit_result.unit.origin):
            continue
        if unit_code is None and unit_result.share_of(member) is None:
            continue
        yield unit_result, list(unit_steps(unit_result, member, members, results))
