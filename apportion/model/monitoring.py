"""Spending against budget through the year: the periods of a financial year, the actual
spending and forecast out-turns a finance officer reports, and the monitoring report made
of them (worked by :mod:`apportion.rules.monitoring`).

A year of quarters runs Q1 (April to June) to Q4 (January to March); a year of months, M1
(April) to M12 (March). An actual is a unit's net spending in one period (spending less
its income, as its net budget is); a forecast is the out-turn for the whole year expected
at the end of that period.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from apportion.model.invoicing import add_months
from apportion.model.messages import PeriodError, Place

if TYPE_CHECKING:
    from apportion.model.budget import InputFile


class Periods(StrEnum):
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def in_year(self) -> int:
        return 4 if self is Periods.QUARTERLY else 12

    @property
    def letter(self) -> str:
        return "Q" if self is Periods.QUARTERLY else "M"

    @property
    def noun(self) -> str:
        return "quarter" if self is Periods.QUARTERLY else "month"


def period_name(periods: Periods, number: int) -> str:
    """'Q2', 'M6'."""
    return f"{periods.letter}{number}"


def period_dates(periods: Periods, first_day: date, number: int) -> tuple[date, date]:
    """The first and last days of period ``number`` of a year starting ``first_day``."""
    months = 12 // periods.in_year
    start = add_months(first_day, months * (number - 1))
    after = add_months(first_day, months * number)
    return start, date.fromordinal(after.toordinal() - 1)


def describe_period(periods: Periods, first_day: date, number: int) -> str:
    """'Q2 (July to September 2013)', 'M6 (September 2013)'."""
    start, end = period_dates(periods, first_day, number)
    if periods is Periods.MONTHLY:
        return f"{period_name(periods, number)} ({start:%B %Y})"
    first = f"{start:%B}" if start.year == end.year else f"{start:%B %Y}"
    return f"{period_name(periods, number)} ({first} to {end:%B %Y})"


MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): number for number, name in enumerate(calendar.month_abbr) if name}


def parse_period(text: str, periods: Periods, first_day: date) -> int:
    """'Q2' (or 'q2') -> 2; for months also 'M6', '2013-09', 'September', 'September 2013'.

    Raises PeriodError naming the year's periods for anything else, saying so where a
    period is before or after the year."""
    given = str(text).strip()
    match = re.fullmatch(rf"{periods.letter}(\d+)", given, re.IGNORECASE)
    if match:
        number = int(match.group(1))
        if 1 <= number <= periods.in_year:
            return number
        if number > periods.in_year:
            raise PeriodError(f"{given} is after the year, which has {every_period(periods, first_day)}")
    if periods is Periods.MONTHLY:
        month = month_of(given, first_day)
        if month is not None:
            number = (month.year - first_day.year) * 12 + month.month - first_day.month + 1
            if 1 <= number <= periods.in_year:
                return number
            where = "after" if number > periods.in_year else "before"
            raise PeriodError(f"{given} ({month:%B %Y}) is {where} the year, which has {every_period(periods, first_day)}")
    forms = f"{periods.letter}1 to {periods.letter}{periods.in_year}"
    if periods is Periods.MONTHLY:
        forms += f", {first_day:%Y-%m} or {first_day:%B %Y}"
    raise PeriodError(
        f"{given!r} is not a {periods.noun} of the year; write {forms}: the year has {every_period(periods, first_day)}"
    )


def every_period(periods: Periods, first_day: date) -> str:
    """'4 quarters, Q1 (April to June 2013) to Q4 (January to March 2014)', for a message."""
    last = describe_period(periods, first_day, periods.in_year)
    return f"{periods.in_year} {periods.noun}s, {describe_period(periods, first_day, 1)} to {last}"


def month_of(text: str, first_day: date) -> date | None:
    """'2013-09', 'September 2013', 'Sep 2013' or 'September' (the one in the year) -> its first day;
    a date in it ('2013-09-30', as a spreadsheet's date cell is read) too."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(-\d{1,2})?", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    words = text.split()
    if words and words[0].casefold() in MONTHS:
        month = MONTHS[words[0].casefold()]
        if len(words) == 1:
            return date(first_day.year + (month < first_day.month), month, 1)
        if len(words) == 2 and words[1].isdigit() and len(words[1]) == 4:
            return date(int(words[1]), month, 1)
    return None


class Actual(NamedTuple):
    """A unit's net spending in one period, and (where given) the year's forecast out-turn
    as it stood at the period's end; ``place`` is where it was written."""

    unit: str
    period: int  # 1 is the year's first period
    spent_amount: Decimal
    forecast_amount: Decimal | None
    place: Place
    explanation: str | None = None  # why the figures are what they are, as the finance officer wrote it


class Monitoring(NamedTuple):
    """What the budget file says about monitoring: the periods, the actuals, the files they came from."""

    periods: Periods
    actuals: tuple[Actual, ...]
    input_files: tuple[InputFile, ...] = ()  # actuals_from: spreadsheets (not inputs of the budget run)


class UnitPosition(NamedTuple):
    """A unit's position at the end of a period: the figures a monitoring report is made of."""

    unit: str  # the unit's code, as written
    name: str
    budget_amount: Decimal  # the unit's net budget for the year
    profile_amount: Decimal  # the budget to date, spread evenly over the periods (largest remainder)
    spent_amount: Decimal  # actual net spending to date
    forecast_amount: Decimal  # the forecast out-turn for the year
    forecast_given: bool  # False: actual to date plus the budget for the rest of the year
    by_period: tuple[Decimal, ...]  # the actual in each period to date

    @property
    def variance_to_date_amount(self) -> Decimal:
        """Positive: spent less than the budget to date."""
        return self.profile_amount - self.spent_amount

    @property
    def variance_amount(self) -> Decimal:
        """Positive: a forecast under-spend."""
        return self.budget_amount - self.forecast_amount


class VarianceShare(NamedTuple):
    """A member's share of a unit's forecast variance: positive, an under-spend that would come back to it."""

    unit: str
    member: str
    share: Fraction  # its share of the unit's cost for the year (a part-year member: for its periods)
    budget_amount: Decimal  # what it pays for the unit this year (cash share of cost)
    exact_variance: Fraction  # the unit's variance x share, before rounding
    variance_amount: Decimal


class MonitoringReport(NamedTuple):
    """The position at the end of a period: each unit's, and each member's share of each variance."""

    periods: Periods
    period: int
    first_day: date
    units: tuple[UnitPosition, ...]
    shares: tuple[VarianceShare, ...]
    members: tuple[str, ...]
    revisions: str = ""  # which of the year's revisions the budget compared with includes, where the file has any

    @property
    def name(self) -> str:
        return period_name(self.periods, self.period)

    def describe(self) -> str:
        return describe_period(self.periods, self.first_day, self.period)

    @property
    def period_end(self) -> date:
        return period_dates(self.periods, self.first_day, self.period)[1]

    def member_variance(self, member: str) -> Decimal:
        return sum((s.variance_amount for s in self.shares if s.member == member), Decimal(0))


class PeriodComparison(NamedTuple):
    """Two periods' monitoring reports of one budget: what moved from the first to the second."""

    before: MonitoringReport
    after: MonitoringReport

    def units(self) -> list[tuple[str, UnitPosition | None, UnitPosition | None]]:
        """Each unit in either report, in the later report's order: (code, before, after)."""
        before = {u.unit: u for u in self.before.units}
        after = {u.unit: u for u in self.after.units}
        codes = [*after, *(code for code in before if code not in after)]
        return [(code, before.get(code), after.get(code)) for code in codes]

    def members(self) -> list[tuple[str, Decimal, Decimal]]:
        """Each member's share of the forecast variance in each report: (member, before, after)."""
        names = [*self.after.members, *(m for m in self.before.members if m not in self.after.members)]
        return [(m, self.before.member_variance(m), self.after.member_variance(m)) for m in names]

    def member_units(self) -> list[tuple[str, str, Decimal, Decimal]]:
        """Each member's share of each unit's variance in each report: (member, unit, before, after)."""
        before = {(s.member, s.unit): s.variance_amount for s in self.before.shares}
        after = {(s.member, s.unit): s.variance_amount for s in self.after.shares}
        keys = [*after, *(key for key in before if key not in after)]
        zero = Decimal(0)
        return [(m, u, before.get((m, u), zero), after.get((m, u), zero)) for m, u in keys]
