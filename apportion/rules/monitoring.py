"""Quarterly (or monthly) monitoring: each unit's spending against its budget at the end
of a period, its forecast out-turn, and each member's share of the forecast variance.
Pure: read off an apportionment and the actuals.

For each unit (as written: a unit split into periods by a member joining or leaving is
reported as one):

* budget: its net budget for the year, what the members fund in cash;
* budget to date: the budget spread evenly over the year's periods (largest remainder,
  the earlier periods taking the odd pennies), added up to the period reported;
* actual to date: the net spending of each period to date, as reported;
* forecast out-turn: the one reported at the end of the period, or, where none was, the
  actual to date plus the budget for the rest of the year;
* variance: budget - forecast (positive: an under-spend), and to date, budget to date -
  actual to date.

With revisions recorded in the file, the budget is the budget as revised by the end of
the period: a revision in force from a later day is left out until a later report, and
the report says which it includes.

A member's share of a unit's variance is in proportion to its exact share of the unit's
cost for the year, the same split that settles the out-turn at the year end: its share of
each period it belongs to, weighted by that period's net budget, so that a member that
joins in the year shares only in the periods it is in. An activity unit's variance is
shared as what its rates do not recover is (its balance basis). The shares of each unit's
variance add up to it exactly (largest remainder).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction

from apportion.model import Apportionment, UnitResult
from apportion.model.invoicing import year_start
from apportion.model.limits import check_figure
from apportion.model.messages import ApportionError
from apportion.model.money import ZERO, allocate
from apportion.model.monitoring import (
    Actual,
    Monitoring,
    MonitoringReport,
    UnitPosition,
    VarianceShare,
    period_dates,
    period_name,
)
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare
from apportion.rules.year_end import cost_parts, written_units, year_shares


class MonitoringError(ApportionError):
    """Actuals that cannot make a report: none given, or a period's missing for a unit."""


def monitor(result: Apportionment, monitoring: Monitoring | None, period: int) -> MonitoringReport:
    """The position of every unit with actuals, and each member's share of its variance, at the end of ``period``."""
    if monitoring is None:
        raise MonitoringError("the budget file has no monitoring: section; give the actuals there (docs/config.md, monitoring)")
    first_day = year_start(result.budget.year)
    result = revised_to(result, period_dates(monitoring.periods, first_day, period)[1])
    by_unit = written_units(result.units)
    actuals: dict[str, dict[int, Actual]] = {}
    for actual in monitoring.actuals:
        actuals.setdefault(actual.unit, {})[actual.period] = actual
    check_complete(actuals, by_unit, monitoring, period)
    names = {unit.code: unit.name for unit in result.budget.units}
    positions, shares = [], []
    for code, parts in by_unit.items():
        if code not in actuals:
            continue
        position = unit_position(code, names.get(code, code), parts, actuals[code], monitoring.periods.in_year, period)
        positions.append(position)
        shares.extend(variance_shares(code, parts, position.variance_amount))
    members = tuple(m for m in result.budget.member_names if any(s.member == m for s in shares))
    revisions = result.budget.revisions_text() if result.budget.revisions else ""
    report = MonitoringReport(monitoring.periods, period, first_day, tuple(positions), tuple(shares), members, revisions)
    return check_limits(report)


def revised_to(result: Apportionment, last_day: date) -> Apportionment:
    """The year as revised by ``last_day``: a revision in force only from a later day left out."""
    budget = result.budget
    if not any(revision.on > last_day for revision in budget.revisions_in_force):
        return result
    return apportion(prepare(budget, revised_to=last_day))


FIGURES: dict[str, Callable[[UnitPosition], Decimal]] = {
    "budget to date": lambda position: position.profile_amount,
    "actual to date": lambda position: position.spent_amount,
    "forecast out-turn": lambda position: position.forecast_amount,
    "variance to date": lambda position: position.variance_to_date_amount,
    "forecast variance": lambda position: position.variance_amount,
}


def check_limits(report: MonitoringReport) -> MonitoringReport:
    """Every figure of the report, each unit's and in all, under what a spreadsheet holds; raises LimitError."""
    for what, figure in FIGURES.items():
        for position in report.units:
            check_figure(f"{report.name}: {position.unit}'s {what}", figure(position))
        check_figure(f"{report.name}: the units' {what} in all", sum((figure(p) for p in report.units), ZERO))
    for member in report.members:
        check_figure(f"{report.name}: {member}'s share of the forecast variances", report.member_variance(member))
    return report


def check_complete(
    actuals: Mapping[str, Mapping[int, Actual]],
    by_unit: Mapping[str, list[UnitResult]],
    monitoring: Monitoring,
    period: int,
) -> None:
    """Every unit with actuals has one for each period to the one reported."""
    periods = monitoring.periods
    missing = []
    for code in by_unit:
        if code not in actuals:
            continue
        gaps = [period_name(periods, p) for p in range(1, period + 1) if p not in actuals[code]]
        if gaps:
            missing.append(f"{code} ({', '.join(gaps)})")
    if missing:
        raise MonitoringError(
            f"no actual for {'; '.join(missing)}: give each unit's net spending for every {periods.noun} to "
            f"{period_name(periods, period)} (0 where nothing was spent)"
        )
    if not any(code in actuals for code in by_unit):
        raise MonitoringError("the monitoring: section gives no actuals for any unit")


def unit_position(  # noqa: PLR0917 - the unit, its parts and actuals, and the period
    code: str, name: str, parts: list[UnitResult], actuals: Mapping[int, Actual], count: int, period: int
) -> UnitPosition:
    """The unit's budget, budget to date, actual to date and forecast at the end of ``period``."""
    budget = sum((part.net_amount for part in parts), ZERO)
    profile = allocate(budget, {f"{p:02d}": 1 for p in range(1, count + 1)}) if budget else {}
    profile_to_date = sum((profile.get(f"{p:02d}", ZERO) for p in range(1, period + 1)), ZERO)
    by_period = tuple(actuals[p].spent_amount for p in range(1, period + 1))
    spent = sum(by_period, ZERO)
    reported = actuals[period].forecast_amount
    forecast = reported if reported is not None else spent + budget - profile_to_date
    return UnitPosition(code, name, budget, profile_to_date, spent, forecast, reported is not None, by_period)


def variance_shares(code: str, parts: list[UnitResult], variance: Decimal) -> list[VarianceShare]:
    """Each participant's share of the unit's variance, in its exact share of the unit's year."""
    shares = year_shares(parts)
    if not shares:
        return []
    paid: dict[str, Decimal] = {}
    for part in cost_parts(parts):
        for share in part.shares:
            paid[share.member] = paid.get(share.member, ZERO) + share.cost_amount
    split = allocate(variance, shares) if variance else dict.fromkeys(shares, ZERO)
    return [
        VarianceShare(code, member, share, paid[member], Fraction(variance) * share, split[member])
        for member, share in shares.items()
    ]
