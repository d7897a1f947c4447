"""The steps of the charging structures beyond a plain split, for people: a support unit's
cost charged through the units it serves, an activity unit's rate x quantity and its
balance, and a composite basis's blend. Read off the core's results, as
:mod:`apportion.rules.explain` is; nothing is computed here that the core did not compute
but the percentages it shows (a blend's parts by :func:`apportion.rules.basis_kinds.blend_parts`,
the one working of a blend, which the calculation adds up).
"""

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import format_gbp, plain
from apportion.model.records import BasisKind, SupportMethod
from apportion.model.results import MemberShare, SupportFlows, UnitResult
from apportion.rules.basis_kinds import blend_parts
from apportion.rules.explain_text import Step, as_words, exact_of, money_exact, percent_exact, rounding_step, split_steps


def parts_text(parts: Mapping[str, Fraction] | Sequence[tuple[str, Fraction]], limit: int = 8) -> str:
    """'EMSOU-SOC 40%, ICT 10%, ...' (the largest first, at most ``limit`` named; a sequence: in its order)."""
    ordered = largest_first(parts) if isinstance(parts, Mapping) else parts
    shown = [f"{code} {percent_exact(part)}" for code, part in ordered[:limit]]
    more = len(ordered) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def largest_first(parts: Mapping[str, Fraction]) -> list[tuple[str, Fraction]]:
    """The parts, the largest first (equal parts in their order). Sorted by their first 30
    decimals, then exactly: 30 reciprocal support units' parts are fractions of hundreds of
    digits, which compared exactly at every step of a sort took seconds."""
    return sorted(parts.items(), key=lambda item: (-(item[1].numerator * 10**30 // item[1].denominator), -item[1]))


def totals_text(flows: SupportFlows, code: str) -> str:
    """How a support unit's total cost is worked: its own net cost and what is charged in."""
    charged_in = {t: flows.charges[t][code] for t in flows.order if code in flows.charges[t]}
    if not charged_in:
        return f"its own net cost {format_gbp(flows.own[code])}; nothing is charged to it"
    into = " + ".join(f"{percent_exact(flows.fractions[t][code])} of {t}'s total cost" for t in charged_in)
    how = "solving the equations for every support unit at once" if flows.method is SupportMethod.RECIPROCAL else "step-down"
    return f"its own net cost {format_gbp(flows.own[code])} + {into} ({how}) = {money_exact(flows.totals[code])}"


class SupportWords(NamedTuple):
    """What a support unit's steps say alike to every member: how its cost is charged out and
    where it comes to rest; and its resting places, the largest first (worded once for a run,
    not once for each of 50 members)."""

    steps: tuple[Step, ...]
    resting: tuple[tuple[str, Fraction], ...]


def support_words(unit_result: UnitResult) -> SupportWords:
    """A support unit's steps up to where its own cost comes to rest (none for a unit that is not one)."""
    unit, flows = unit_result.unit, unit_result.flows
    if flows is None or unit.support is None:
        return SupportWords((), ())
    code = unit.code
    steps = [
        Step(
            "Charged to the units it serves",
            f"{code} has no members of its own; its cost is shared among the units it serves "
            f"{unit.support.describe()}: {parts_text(flows.fractions[code])}",
        )
    ]
    if flows.dropped.get(code):
        steps.append(Step(
            "Left out (step-down)",
            f"{', '.join(flows.dropped[code])} were charged out before {code} and are not charged back to; "
            f"{code}'s driver is re-normalised over the rest",
        ))  # fmt: skip
    steps.append(Step("Total cost charged out", totals_text(flows, code), None))
    steps += [
        Step(f"Total cost of {other}", totals_text(flows, other), None)
        for other in flows.order
        if other != code and code in flows.fractions[other]
    ]
    resting = tuple(largest_first(flows.ends[code]))
    where = f"of {code}'s own net cost, through every stage: {parts_text(resting)}"
    steps.append(Step("Where its own cost comes to rest", where))
    return SupportWords(tuple(steps), resting)


SHOWN_TERMS = 6  # of a member's share of a support unit's cost: the terms named, the largest first


def support_steps(
    unit_result: UnitResult, share: MemberShare, results: Mapping[str, UnitResult], words: SupportWords | None = None
) -> Iterator[Step]:
    """From a support unit's own net cost, through every unit it reaches, to the member's part
    (``words``: :func:`support_words` of the unit, where they are made once for every member)."""
    if unit_result.flows is None or unit_result.unit.support is None:
        return
    words = words if words is not None else support_words(unit_result)
    yield from words.steps
    member = share.member
    terms, count = [], 0
    for target, part in words.resting:
        result = results.get(target)
        member_share = result.by_member.get(member) if result else None
        if result is None or member_share is None or member_share.weight is None:
            continue
        count += 1
        if count <= SHOWN_TERMS:  # only the terms named are worked out: a member may be reached through 500 units
            of_unit = Fraction(member_share.weight) / Fraction(result.weight_total)
            terms.append(f"{percent_exact(of_unit)} of {target}'s {percent_exact(part)}")
    shown = " + ".join(terms) + (f" + {count - SHOWN_TERMS} more" if count > SHOWN_TERMS else "")
    code = unit_result.unit.code
    yield Step("Share", f"{member} bears {shown} = {percent_exact(share.share)} of {code}'s own cost")
    if share.cost_workings is not None:
        working = share.cost_workings
        yield Step(
            "Exact support charge",
            f"{format_gbp(unit_result.cost_to_split_amount)} x {percent_exact(share.share)} = {exact_of(working)}",
        )
        yield rounding_step("Support charge (rounded, once for all stages)", working, member)


def activity_steps(unit_result: UnitResult, share: MemberShare) -> Iterator[Step]:
    """Rate x quantity, what the rates recover, and the member's part of the balance."""
    activity = unit_result.unit.activity
    if activity is None or share.activity_amount is None or share.quantity is None:
        return
    period = f" ({activity.period})" if activity.period else ""
    yield Step(
        "Activity charge",
        f"{plain(share.quantity, grouped=True)} {activity.measure}{period} x £{activity.rate_amount:,.2f}, to the penny",
        share.activity_amount,
    )
    recovered = unit_result.recovered_amount or Decimal(0)
    balance = unit_result.cost_to_split_amount - recovered
    side = "under-recovery, shared" if balance >= 0 else "over-recovery, returned"
    yield Step(
        "Balance",
        f"cost {format_gbp(unit_result.cost_to_split_amount)} - the rates' {format_gbp(recovered)} ({side} by "
        f"{as_words(activity.balance.name)})",
        balance,
    )
    if share.cost_workings is not None:
        labels = ("Share of the balance", "Share of the balance (rounded)")
        yield from split_steps(*labels, format_gbp(balance), share.cost_workings, share.member)
    yield Step("Share of cost", "activity charge + share of the balance", share.cost_amount)


def blend_text(unit_result: UnitResult, share: MemberShare) -> str:
    """A composite basis's blend for one member: each part re-normalised, then weighted."""
    basis = unit_result.unit.activity.balance if unit_result.unit.activity else unit_result.unit.basis
    if basis.kind is not BasisKind.COMPOSITE:
        return ""
    terms = [
        f"{plain(part.percent)}% x {as_words(part.basis.name)} {percent_exact(part.shares[share.member])}"
        for part in blend_parts(basis, list(unit_result.weights))
    ]
    return f"blend of {' + '.join(terms)}, each re-normalised over the participants"
