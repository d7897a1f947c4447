"""Membership that changes part-way through a year: a unit split into periods.

When a member joins or leaves a unit on a date, the unit's year is split in two: the
period with the member and the period without. Every budget line, income line, officers
in kind and fixed amount is split between the periods in proportion to their length
(days, or whole months where the file says so), by largest remainder, so the two periods
add up exactly to the year. Each period is then apportioned as a unit of its own, among
the members who belong in it, and both appear in the outputs, named by their dates.
Changes are applied in turn, each to the periods the ones before it made: it splits the
period its date falls in, the same way, and drops the member from the periods wholly
without it, so that two changes to one unit (one member joining and another leaving, or
one member joining and later leaving) make three periods.

Worked example: Staffordshire leaves a £1,000,000 unit shared 50/50 with West Midlands on
1 October 2013. The period with it runs 1 April to 30 September 2013, 183 of 365 days:
£1,000,000 x 183/365 = £501,369.86 (largest remainder), of which each pays half,
£250,684.93. The rest, £498,630.14, falls to West Midlands alone. Staffordshire pays
£250,684.93 for the year; West Midlands £749,315.07. Pro-rating a whole year (a member
who joins on 1 April) gives the full-year figures exactly.

Each period is rounded on its own, as any unit is, so that its parts add up to it and the
workbooks prove its split penny by penny; a member's year is the sum of its rounded
periods, which can differ by up to a penny a period from its exact annual share rounded
once (docs/config.md, membership, works an example). With ``period_rounding: once for the
year`` the periods are not rounded: :mod:`apportion.rules.year_rounding` adds up each member's
exact parts and rounds its year once. Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import BudgetLine, MembershipChange, Unit
from apportion.model.messages import PeriodError
from apportion.model.money import allocate
from apportion.rules.scenarios import ScenarioError, without


def financial_year(year: str) -> tuple[date, date]:
    """'2013/14' -> (1 April 2013, 31 March 2014)."""
    match = re.match(r"\s*(\d{4})", year)
    if not match:
        raise PeriodError(f"membership changes need a financial year such as 2013/14, not {year!r}")
    start = date(int(match.group(1)), 4, 1)
    return start, date(start.year + 1, 3, 31)


class Span(NamedTuple):
    """A unit in a part of the year: the part as it will be apportioned, the unit as
    written (whose code and name the part's are made from), and the part's first and last days."""

    unit: Unit
    written: Unit
    first: date
    last: date


def check_date(change: MembershipChange, year: str) -> None:
    """The change's date in the financial year (and the 1st of a month, by months)."""
    start, end = financial_year(year)
    if not start <= change.on <= end:
        raise PeriodError(f"{change.describe()}: the date is outside the financial year {long_date(start)} to {long_date(end)}")
    if change.by_months and change.on.day != 1:
        raise PeriodError(f"{change.describe()}: pro-rating by months needs the first day of a month")


def part_before(change: MembershipChange, span: Span) -> Fraction:
    """The part of the span before the change's date, by days or by whole months."""
    if not change.by_months:
        return Fraction((change.on - span.first).days, (span.last - span.first).days + 1)
    after = span.last + timedelta(days=1)
    if span.first.day != 1 or after.day != 1:
        raise PeriodError(
            f"{change.describe()}: pro-rating by months needs whole months, but another change makes a period "
            f"{long_date(span.first)} to {long_date(span.last)}; pro-rate this change by days"
        )
    return Fraction(months_between(span.first, change.on), months_between(span.first, after))


def months_between(first: date, later: date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def split_unit(unit: Unit, change: MembershipChange, year: str) -> tuple[Unit, ...]:
    """The unit as the periods with and without the member (or itself, for a whole year)."""
    return apply_membership((unit,), (change,), year)


def apply_change(span: Span, change: MembershipChange) -> tuple[Span, ...]:
    """The span split at the change's date, or, where the date is not inside it, the span
    as it is (the member in throughout) or without the member (out throughout)."""
    if span.written.code not in change.units or change.member not in span.unit.participants:
        return (span,)
    if span.first < change.on <= span.last:
        return split_span(span, change)
    member_in = (change.on > span.last) != change.joins  # a leaver is in before its date; a joiner from it
    if member_in:
        return (span,)
    refuse_activity(span.unit, change)
    return (dated(Span(drop(span.unit, change.member), span.written, span.first, span.last)),)


def refuse_activity(unit: Unit, change: MembershipChange) -> None:
    if unit.activity is not None:
        raise PeriodError(
            f"{change.describe()}: {unit.origin or unit.code} charges by activity over the whole year; for a member "
            "joining or leaving it part-way, give the activity of each period as a unit of its own"
        )


def split_span(span: Span, change: MembershipChange) -> tuple[Span, ...]:
    """The span as the periods with and without the member, split by their lengths."""
    refuse_activity(span.unit, change)
    before = part_before(change, span)
    share_in = 1 - before if change.joins else before
    weights = {"in": share_in, "out": 1 - share_in}
    unit = span.unit

    def split(amount: Decimal) -> dict[str, Decimal]:
        return allocate(amount, weights)

    def part(label: str) -> Unit:
        lines = tuple(BudgetLine(line.name, line.kind, split(line.amount)[label]) for line in unit.lines)
        income = tuple(i._replace(amount=split(i.amount)[label]) for i in unit.income)
        in_kind = tuple(o._replace(value_amount=split(o.value_amount)[label]) for o in unit.in_kind)
        fixed = {m: split(a)[label] for m, a in unit.fixed_amounts.items()}
        return unit._replace(lines=lines, income=income, in_kind=in_kind, fixed_amounts=fixed)

    with_member, without_member = part("in"), drop(part("out"), change.member)
    last_before = change.on - timedelta(days=1)
    first, then = (with_member, without_member) if not change.joins else (without_member, with_member)
    return (
        dated(Span(first, span.written, span.first, last_before)),
        dated(Span(then, span.written, change.on, span.last)),
    )


def dated(span: Span) -> Span:
    """The part named by its dates: 'UNIFORMED 1 Apr-30 Sep 2013', 'Uniformed (1 April 2013 to 30 September 2013)'."""
    written, a, b = span.written, span.first, span.last
    return span._replace(
        unit=span.unit._replace(
            origin=written.origin or written.code,
            code=f"{written.code} {a.day} {a:%b}-{b.day} {b:%b %Y}",
            name=f"{written.name} ({a.day} {a:%B %Y} to {b.day} {b:%B %Y})",
        )
    )


def drop(unit: Unit, member: str) -> Unit:
    """The unit without the member (the period before it joins or after it leaves)."""
    try:
        return without(unit, member)
    except ScenarioError as error:
        raise PeriodError(str(error)) from error


def apply_membership(units: tuple[Unit, ...], changes: tuple[MembershipChange, ...], year: str) -> tuple[Unit, ...]:
    """Every unit a membership change applies to, split into its periods, in order of the
    changes: each splits the period its date falls in, as it would split the whole year."""
    start, end = financial_year(year)
    spans = [Span(unit, unit, start, end) for unit in units]
    for change in changes:
        check_date(change, year)
        spans = [part for span in spans for part in apply_change(span, change)]
    return tuple(span.unit for span in spans)
