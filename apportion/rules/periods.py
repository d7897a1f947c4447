"""Membership that changes part-way through a year: a unit split into periods.

When a member joins or leaves a unit on a date, the unit's year is split in two: the
period with the member and the period without. Every budget line, income line, officers
in kind and fixed amount is split between the periods in proportion to their length
(days, or whole months where the file says so), by largest remainder, so the two periods
add up exactly to the year. Each period is then apportioned as a unit of its own, among
the members who belong in it, and both appear in the outputs, named by their dates.

Worked example: Staffordshire leaves a £1,000,000 unit shared 50/50 with West Midlands on
1 October 2013. The period with it runs 1 April to 30 September 2013, 183 of 365 days:
£1,000,000 x 183/365 = £501,369.86 (largest remainder), of which each pays half,
£250,684.93. The rest, £498,630.14, falls to West Midlands alone. Staffordshire pays
£250,684.93 for the year; West Midlands £749,315.07. Pro-rating a whole year (a member
who joins on 1 April) gives the full-year figures exactly.
Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from apportion.model import BudgetLine, MembershipChange, Unit
from apportion.model.messages import ApportionError
from apportion.model.money import allocate
from apportion.rules.scenarios import ScenarioError, without


class PeriodError(ApportionError):
    """A membership change that cannot be applied (a date outside the year, say)."""


def financial_year(year: str) -> tuple[date, date]:
    """'2013/14' -> (1 April 2013, 31 March 2014)."""
    match = re.match(r"\s*(\d{4})", year)
    if not match:
        raise PeriodError(f"membership changes need a financial year such as 2013/14, not {year!r}")
    start = date(int(match.group(1)), 4, 1)
    return start, date(start.year + 1, 3, 31)


def in_fraction(change: MembershipChange, year: str) -> Fraction:
    """The part of the year in which the member belongs to the unit."""
    start, end = financial_year(year)
    if not start <= change.on <= end:
        raise PeriodError(f"{change.describe()}: the date is outside the financial year {long_date(start)} to {long_date(end)}")
    if change.by_months:
        if change.on.day != 1:
            raise PeriodError(f"{change.describe()}: pro-rating by months needs the first day of a month")
        before = (change.on.year - start.year) * 12 + change.on.month - start.month
        part = Fraction(before, 12)
    else:
        part = Fraction((change.on - start).days, (end - start).days + 1)
    return 1 - part if change.joins else part


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def split_unit(unit: Unit, change: MembershipChange, year: str) -> tuple[Unit, ...]:
    """The unit as the periods with and without the member (or itself, for a whole year)."""
    share_in = in_fraction(change, year)
    if share_in == 1:
        return (unit,)
    if unit.activity is not None:
        raise PeriodError(
            f"{change.describe()}: {unit.code} charges by activity over the whole year; for a member joining or "
            "leaving it part-way, give the activity of each period as a unit of its own"
        )
    start, end = financial_year(year)
    weights = {"in": share_in, "out": 1 - share_in}

    def split(amount: Decimal) -> dict[str, Decimal]:
        return allocate(amount, weights)

    def part(label: str) -> Unit:
        lines = tuple(BudgetLine(line.name, line.kind, split(line.amount)[label]) for line in unit.lines)
        income = tuple(i._replace(amount=split(i.amount)[label]) for i in unit.income)
        in_kind = tuple(o._replace(value_amount=split(o.value_amount)[label]) for o in unit.in_kind)
        fixed = {m: split(a)[label] for m, a in unit.fixed_amounts.items()}
        return unit._replace(lines=lines, income=income, in_kind=in_kind, fixed_amounts=fixed)

    first_day_out = change.on
    member_first = not change.joins  # a leaver is in first; a joiner is in last
    with_member, without_member = part("in"), part("out")
    without_member = drop(without_member, change.member)
    if member_first:
        periods = ((with_member, start, first_day_out - timedelta(days=1)), (without_member, first_day_out, end))
    else:
        periods = ((without_member, start, first_day_out - timedelta(days=1)), (with_member, first_day_out, end))
    return tuple(
        period._replace(
            origin=unit.origin or unit.code,
            code=f"{unit.code} {a.day} {a:%b}-{b.day} {b:%b %Y}",
            name=f"{unit.name} ({a.day} {a:%B %Y} to {b.day} {b:%B %Y})",
        )
        for period, a, b in periods
        if period_has_days(a, b)
    )


def period_has_days(first: date, last: date) -> bool:
    return first <= last


def drop(unit: Unit, member: str) -> Unit:
    """The unit without the member (the period before it joins or after it leaves)."""
    try:
        return without(unit, member)
    except ScenarioError as error:
        raise PeriodError(str(error)) from error


def apply_membership(units: tuple[Unit, ...], changes: tuple[MembershipChange, ...], year: str) -> tuple[Unit, ...]:
    """Every unit a membership change applies to, split into its periods."""
    for change in changes:
        split: list[Unit] = []
        for unit in units:
            split.extend(split_unit(unit, change, year) if unit.code in change.units else (unit,))
        units = tuple(split)
    return units
