"""The panel report's year: this year against last year (the bridge from last year's
total to this year's, by cause), the monitoring position, and the year end. Pure.

The bridge reuses the comparison's attribution by rule (:func:`apportion.rules.compare.differences`):
for each member in both years, the change in its total contribution is the change in its
share of cost, support charges, income returned, levy and in kind (the in-kind credit and
the value given, together); a member that joined or left moves the total by all it pays
or paid, as a membership change. The causes add up exactly to the change, and their shown
figures to the change between the two totals shown.
"""

from __future__ import annotations

from decimal import Decimal

from apportion.model import Apportionment
from apportion.model.money import ZERO
from apportion.model.monitoring import Actual
from apportion.model.report import YearFigures
from apportion.rules.compare import RULES, Difference, differences, shares_of
from apportion.rules.monitoring import monitor
from apportion.rules.report_figures import (
    POSITION,
    Bridge,
    Cause,
    MemberRow,
    Monitoring,
    Reason,
    Settled,
    YearEnd,
    shown_column,
    shown_one,
    total_of,
)

IN_KIND_VALUE = ("in_kind_amount", "in kind given")
IN_KIND = "in kind"
MEMBERSHIP = "membership changes"
CAUSES = ("share of cost", "support charges", "income returned", "levy", IN_KIND, MEMBERSHIP)


def bridge(result: Apportionment, last: YearFigures, rows: tuple[MemberRow, ...], step: Decimal) -> Bridge:
    """From last year's total contribution to this year's, by cause; ``rows``: the members' table."""
    members = [row.member for row in rows]
    codes = list(dict.fromkeys([*(code for _, code in last.shares), *(u.unit.code for u in result.units)]))
    member_rows, unit_rows = differences(last.shares, shares_of(result), members, codes, (*RULES, IN_KIND_VALUE))
    statuses = {row.member: row.status for row in rows}
    exact = dict.fromkeys(CAUSES, ZERO)
    for difference in member_rows:
        if statuses[difference.member]:
            exact[MEMBERSHIP] += total_change(difference)
            continue
        for rule, amount in causes_of(difference):
            exact[rule] += amount
    start = total_of(tuple(row.last_year for row in rows if row.last_year is not None))
    end = total_of(tuple(row.total for row in rows))
    given = {cause: amount for cause, amount in exact.items() if amount or cause == CAUSES[0]}
    shown = shown_column(given, step, end.shown - start.shown)
    names = {**last.units, **{u.unit.code: u.unit.name for u in result.units}}
    return Bridge(
        last_year=last.year,
        this_year=result.budget.year,
        start=start,
        causes=tuple(Cause(cause, amount) for cause, amount in shown.items()),
        end=end,
        joiners=tuple((row.member, row.total) for row in rows if row.status == "joined"),
        leavers=tuple((row.member, row.last_year) for row in rows if row.status == "left" and row.last_year is not None),
        reasons=tuple(reason(d, unit_rows, statuses[d.member], names, set(last.units)) for d in member_rows),
    )


def causes_of(difference: Difference) -> list[tuple[str, Decimal]]:
    """The change by cause: the comparison's rules, with the in-kind credit and the value given as one."""
    found: dict[str, Decimal] = {}
    for rule, amount in difference.by_rule:
        cause = IN_KIND if rule in ("in-kind credit", IN_KIND_VALUE[1]) else rule
        found[cause] = found.get(cause, ZERO) + amount
    return list(found.items())


def total_change(difference: Difference) -> Decimal:
    """The change in the total contribution: every rule's, the value given in kind too."""
    return sum((amount for _, amount in difference.by_rule), ZERO)


def reason(  # noqa: PLR0917 - a member's difference and what names it
    member: Difference, unit_rows: tuple[Difference, ...], status: str, names: dict[str, str], last_units: set[str]
) -> Reason:
    """The unit and cause of the member's largest change in the year."""
    change = total_change(member)
    if status:
        return Reason(member.member, change, "", "", f"{MEMBERSHIP}: it {status}", False)
    own = [row for row in unit_rows if row.member == member.member]
    largest = max(own, key=lambda row: abs(total_change(row)), default=None)
    if largest is None or not total_change(largest):
        return Reason(member.member, change, "", "", "", False)
    cause = max(causes_of(largest), key=lambda pair: abs(pair[1]))[0]
    code = largest.unit
    return Reason(member.member, change, code, names.get(code, code), cause, code not in last_units)


def monitoring_position(result: Apportionment, period: int | None, step: Decimal) -> Monitoring | None:
    """The position at the end of ``period``, or of the latest period every unit with actuals
    has figures for; None where the file gives no actuals (or none for the first period)."""
    monitoring = result.budget.monitoring
    if monitoring is None or not monitoring.actuals:
        return None
    chosen = period if period is not None else latest_period(monitoring.actuals)
    if not chosen:
        return None
    report = monitor(result, monitoring, chosen)
    columns = {
        "budget": {u.unit: u.budget_amount for u in report.units},
        "to_date": {u.unit: u.profile_amount for u in report.units},
        "actual": {u.unit: u.spent_amount for u in report.units},
        "forecast": {u.unit: u.forecast_amount for u in report.units},
    }
    shown = {name: shown_column(amounts, step) for name, amounts in columns.items()}
    explained = {a.unit: a.explanation for a in monitoring.actuals if a.period == chosen and a.explanation}
    units = []
    for position in report.units:
        row = {name: shown[name][position.unit] for name in columns}
        row["variance_to_date"] = row["to_date"].minus(row["actual"])
        row["variance"] = row["budget"].minus(row["forecast"])
        units.append((position, {name: row[name] for name in POSITION}, explained.get(position.unit, "")))
    totals = {name: total_of(tuple(row[name] for _, row, _ in units)) for name in POSITION}
    by_member = {m: report.member_variance(m) for m in report.members}
    members = shown_column(by_member, step, totals["variance"].shown)
    return Monitoring(report, tuple(units), totals, tuple(members.items()), total_of(members))


def latest_period(actuals: tuple[Actual, ...]) -> int:
    """The last period every unit with actuals has figures for, from the first on."""
    periods: dict[str, set[int]] = {}
    for actual in actuals:
        periods.setdefault(actual.unit, set()).add(actual.period)
    reach = []
    for given in periods.values():
        count = 0
        while count + 1 in given:
            count += 1
        reach.append(count)
    return min(reach)


def year_end_figures(result: Apportionment, step: Decimal) -> YearEnd | None:
    """The out-turn against budget and its settlement, the reserves and the capital financing."""
    outcome = result.year_end
    if outcome is None or not (outcome.settlements or outcome.reserves_opening is not None or outcome.capital_programme):
        return None
    settled = []
    for s in outcome.settlements:
        budget, outturn = shown_one(s.budget_amount, step), shown_one(s.outturn_amount, step)
        settled.append(Settled(s, budget, outturn, budget.minus(outturn)))
    reserves: dict[str, Decimal] = {}
    if outcome.reserves_opening is not None:
        reserves["Reserves at the start of the year"] = outcome.reserves_opening
        reserves |= dict(outcome.reserve_transfers)
        for member, amount in outcome.leaver_payments:
            reserves[f"Paid to {member}, leaving"] = amount
        to_reserves = sum((s.variance_amount for s in outcome.settlements if s.settlement.value == "reserves"), ZERO)
        if to_reserves:
            reserves["Out-turn variances transferred to reserves"] = to_reserves
        if outcome.capital_from_reserves:
            reserves["Capital programme financed from reserves"] = -outcome.capital_from_reserves
    reserve_rows = shown_column(reserves, step)
    capital = shown_column(dict(outcome.capital_financing), step)
    members = result.budget.member_names
    whole = total_of(reserve_rows).shown if outcome.reserves else None
    closing = shown_column({m: outcome.member_reserves(m) for m in members}, step, whole)
    returned = sum((row.variance.shown for row in settled if row.settlement.parts), Decimal(0))
    settlement = shown_column({m: -outcome.member_settlement(m) for m in members}, step, returned)
    return YearEnd(
        outcome=outcome,
        settled=tuple(settled),
        reserves=tuple(reserve_rows.items()),
        closing=total_of(reserve_rows) if reserves else None,
        capital=tuple(capital.items()),
        programme=total_of(capital) if capital else None,
        members=tuple((m, closing[m], settlement[m]) for m in members),
        member_totals=(total_of(closing), total_of(settlement)),
    )
