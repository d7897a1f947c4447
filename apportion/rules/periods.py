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

The same split serves the year's other changes, each applied in turn after the membership
changes: a budget line or a unit that starts or stops on a date (``from:``, ``until:``) splits
the unit there, its amount being for a whole year and the periods it does not run in
losing it; and a revision recorded in the file splits each unit it changes on its date,
the periods from then on taking the changed figures. Every amount of a period is worked
from the figure for the whole year in force then, by replaying the splits that made the
period (each by largest remainder), so a figure that does not change adds up over the
periods to itself exactly, and a changed one counts for its days: a grant of £3,650,000 a
year cut by 10% from 1 July 2018 gives £910,000.00 (91/365 days) and, of the rest of
the year, £2,466,000.00 (274/365 of £3,285,000).

Each period is rounded on its own, as any unit is, so that its parts add up to it and the
workbooks prove its split penny by penny; a member's year is the sum of its rounded
periods, which can differ by up to a penny a period from its exact annual share rounded
once (docs/config.md, membership, works an example). With ``period_rounding: once for the
year`` the periods are not rounded: :mod:`apportion.rules.year_rounding` adds up each member's
exact parts and rounds its year once. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import MembershipChange, Unit
from apportion.model.budget import Revision
from apportion.model.messages import PeriodError
from apportion.model.money import allocate
from apportion.model.records import Period
from apportion.rules.scenarios import ScenarioError, without


def financial_year(year: str) -> tuple[date, date]:
    """'2013/14' -> (1 April 2013, 31 March 2014)."""
    match = re.match(r"\s*(\d{4})", year)
    if not match:
        raise PeriodError(f"membership changes need a financial year such as 2013/14, not {year!r}")
    start = date(int(match.group(1)), 4, 1)
    return start, date(start.year + 1, 3, 31)


class Split(NamedTuple):
    """One cut that made a period: the part before a date and the part from it, and which
    of them this period is (``in``: the part with a member, or the part before the date)."""

    weights: Mapping[str, Fraction]
    label: str
    by_months: bool


class Span(NamedTuple):
    """A unit in a part of the year: the unit as in force then for the whole year (the
    revisions before it applied), the unit as written (whose code and name the part's are
    made from), the part's first and last days, the members not in it, and the splits
    that made it, which its amounts are worked through."""

    annual: Unit
    written: Unit
    first: date
    last: date
    out: tuple[str, ...] = ()
    chain: tuple[Split, ...] = ()

    @property
    def participants(self) -> tuple[str, ...]:
        return tuple(m for m in self.annual.participants if m not in self.out)


def check_date(change: MembershipChange, year: str) -> None:
    """The change's date in the financial year (and the 1st of a month, by months)."""
    check_on(change.on, change.by_months, change.describe(), year)


def check_on(on: date, by_months: bool, what: str, year: str) -> None:
    start, end = financial_year(year)
    if not start <= on <= end:
        raise PeriodError(f"{what}: the date is outside the financial year {long_date(start)} to {long_date(end)}")
    if by_months and on.day != 1:
        raise PeriodError(f"{what}: pro-rating by months needs the first day of a month")


def part_before(on: date, by_months: bool, what: str, span: Span) -> Fraction:
    """The part of the span before ``on``, by days or by whole months."""
    if not by_months:
        return Fraction((on - span.first).days, (span.last - span.first).days + 1)
    after = span.last + timedelta(days=1)
    if span.first.day != 1 or after.day != 1:
        raise PeriodError(
            f"{what}: pro-rating by months needs whole months, but another change makes a period "
            f"{long_date(span.first)} to {long_date(span.last)}; pro-rate this change by days"
        )
    return Fraction(months_between(span.first, on), months_between(span.first, after))


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
    if span.written.code not in change.units or change.member not in span.participants:
        return (span,)
    if span.first < change.on <= span.last:
        refuse_activity(span.annual, change)
        before, after = cut(span, change.on, change.by_months, change.describe(), joins=change.joins)
        if change.joins:
            return (before._replace(out=(*before.out, change.member)), after)
        return (before, after._replace(out=(*after.out, change.member)))
    member_in = (change.on > span.last) != change.joins  # a leaver is in before its date; a joiner from it
    if member_in:
        return (span,)
    refuse_activity(span.annual, change)
    return (span._replace(out=(*span.out, change.member)),)


def refuse_activity(unit: Unit, change: MembershipChange) -> None:
    if unit.activity is not None:
        raise PeriodError(
            f"{change.describe()}: {unit.origin or unit.code} charges by activity over the whole year; for a member "
            "joining or leaving it part-way, give the activity of each period as a unit of its own"
        )


def cut(span: Span, on: date, by_months: bool, what: str, *, joins: bool = False) -> tuple[Span, Span]:
    """The span as its parts before ``on`` and from it. The part with the member (before a
    leaver goes, from a joiner's coming; for any other change, before it) is ``in``, as the
    split of each amount names it, so the largest remainder breaks a tie the same way."""
    before = part_before(on, by_months, what, span)
    share_in = 1 - before if joins else before
    weights = {"in": share_in, "out": 1 - share_in}
    first, then = ("out", "in") if joins else ("in", "out")
    return (
        span._replace(last=on - timedelta(days=1), chain=(*span.chain, Split(weights, first, by_months))),
        span._replace(first=on, chain=(*span.chain, Split(weights, then, by_months))),
    )


def part_of(amount: Decimal, chain: tuple[Split, ...]) -> Decimal:
    """The part of a year's ``amount`` the splits make: each split by largest remainder."""
    for split in chain:
        amount = allocate(amount, split.weights)[split.label]
    return amount


def runs_in(starts: date | None, stops: date | None, span: Span) -> bool:
    """Whether a line (or a unit) that runs from ``starts`` to ``stops`` runs in the span
    (which a change of its own has made lie wholly inside or outside those days)."""
    return (starts is None or span.first >= starts) and (stops is None or span.last <= stops)


def made(span: Span, year: str) -> Unit:
    """The span as the unit to apportion: each amount its part of the year's, the lines
    that do not run in it dropped, the members not in it dropped, named by its dates."""
    unit = span.annual
    if not span.chain:
        whole = reduce_members(unit, span.out)
        return dated(whole, span, year) if span.out else whole
    lines = tuple(
        line._replace(amount=part_of(line.amount, span.chain), annual_amount=line.amount)
        for line in unit.lines
        if runs_in(line.starts, line.stops, span)
    )
    income = tuple(i._replace(amount=part_of(i.amount, span.chain), annual_amount=i.amount) for i in unit.income)
    in_kind = tuple(o._replace(value_amount=part_of(o.value_amount, span.chain)) for o in unit.in_kind)
    fixed = {m: part_of(a, span.chain) for m, a in unit.fixed_amounts.items()}
    part = reduce_members(unit._replace(lines=lines, income=income, in_kind=in_kind, fixed_amounts=fixed), span.out)
    return dated(part, span, year)


def reduce_members(unit: Unit, out: tuple[str, ...]) -> Unit:
    for member in out:
        unit = drop(unit, member)
    return unit


def dated(unit: Unit, span: Span, year: str) -> Unit:
    """The part named by its dates: 'UNIFORMED 1 Apr-30 Sep 2013', 'Uniformed (1 April 2013 to 30 September 2013)'."""
    written, a, b = span.written, span.first, span.last
    return unit._replace(
        origin=written.origin or written.code,
        code=f"{written.code} {a.day} {a:%b}-{b.day} {b:%b %Y}",
        name=f"{written.name} ({a.day} {a:%B %Y} to {b.day} {b:%B %Y})",
        period=period_of(span, year),
    )


def period_of(span: Span, year: str) -> Period:
    """The span's exact part of the year, in the measure its splits were made in."""
    part = Fraction(1)
    for split in span.chain:
        part *= split.weights[split.label]
    start, end = financial_year(year)
    if all(split.by_months for split in span.chain):
        return Period(span.first, span.last, part, f"{months_between(span.first, span.last + timedelta(days=1))}/12 months")
    if not any(split.by_months for split in span.chain):
        return Period(span.first, span.last, part, f"{(span.last - span.first).days + 1}/{(end - start).days + 1} days")
    return Period(span.first, span.last, part, f"{part.numerator}/{part.denominator} of the year")


def drop(unit: Unit, member: str) -> Unit:
    """The unit without the member (the period before it joins or after it leaves)."""
    try:
        return without(unit, member)
    except ScenarioError as error:
        raise PeriodError(str(error)) from error


def apply_membership(units: tuple[Unit, ...], changes: tuple[MembershipChange, ...], year: str) -> tuple[Unit, ...]:
    """Every unit a membership change applies to, split into its periods, in order of the
    changes: each splits the period its date falls in, as it would split the whole year."""
    return apply_periods(units, changes, (), year)


def apply_periods(
    units: tuple[Unit, ...], changes: tuple[MembershipChange, ...], revised: tuple[tuple[Revision, tuple[Unit, ...]], ...],
    year: str,
) -> tuple[Unit, ...]:  # fmt: skip
    """Every unit split into the periods the year's changes make, in turn: the membership
    changes (in the file's order), then the days lines and units start and stop on, then
    each revision (with the units as it leaves them, for the whole year), in date order.
    A unit whose budget does not run in a period has no part for it."""
    start, end = financial_year(year)
    spans = [Span(unit, unit, start, end) for unit in units]
    for change in changes:
        check_date(change, year)
        spans = [part for span in spans for part in apply_change(span, change)]
    for on in sorted({day for unit in units for day in window_days(unit)}):
        spans = [part for span in spans for part in cut_at(span, on, on in window_days(span.written), "")]
    for revision, revised_units in revised:
        check_on(revision.on, revision.by_months, revision.describe(), year)
        changed = {unit.code: unit for unit in revised_units}
        spans = [part for span in spans for part in revise(span, revision, changed.get(span.written.code))]
    kept = [span for span in spans if runs_in(span.written.starts, span.written.stops, span)]
    return tuple(made(span, year) for span in kept)


def window_days(unit: Unit) -> set[date]:
    """The days a unit is cut on because it, or one of its lines, starts or stops: its
    first day, and the day after its last."""
    days = set()
    for starts, stops in ((unit.starts, unit.stops), *((line.starts, line.stops) for line in unit.lines)):
        if starts is not None:
            days.add(starts)
        if stops is not None:
            days.add(stops + timedelta(days=1))
    return days


def cut_at(span: Span, on: date, applies: bool, what: str) -> tuple[Span, ...]:
    if not applies or not span.first < on <= span.last:
        return (span,)
    return cut(span, on, False, what or f"{span.written.code} from {long_date(on)}")


def revise(span: Span, revision: Revision, changed: Unit | None) -> tuple[Span, ...]:
    """The span with the revision's figures from its date: cut there where the date falls
    inside it, the part from the date (or the whole span, wholly after it) at the revised
    unit's figures for the whole year."""
    if changed is None or changed == span.annual or span.last < revision.on:
        return (span,)
    if span.first >= revision.on:
        return (span._replace(annual=changed),)
    before, after = cut(span, revision.on, revision.by_months, revision.describe())
    return before, after._replace(annual=changed)
