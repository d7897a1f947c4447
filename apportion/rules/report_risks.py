"""The panel report's risks and workings: the file's scenarios side by side (each member's
change in net cash payable under each, against the budget as written), a sweep's
exposure (each member's lowest, median and highest net cash payable), and each member's
figures worked step by step (the ``explain`` trail). Pure."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from apportion.model import Apportionment, Budget
from apportion.model.money import ZERO, plain
from apportion.rules.calculate import apportion
from apportion.rules.explain import member_steps
from apportion.rules.explain_year import has_year_end, year_end_steps
from apportion.rules.prepare import prepare
from apportion.rules.report_figures import Exposure, ScenarioColumn, Sensitivity, Workings, shown_column, shown_one, total_of
from apportion.rules.sweep_factors import Factor, Input

if TYPE_CHECKING:
    from apportion.rules.report import Request


def scenario_columns(result: Apportionment, written: Budget, step: Decimal) -> tuple[ScenarioColumn, ...]:
    """Each of the file's scenarios: each member's change in net cash payable against the budget as written."""
    if not written.scenarios:
        return ()
    base = apportion(prepare(written)) if result.budget.scenario else result
    columns = []
    for scenario in written.scenarios:
        after = apportion(prepare(written, scenario.name))
        members = dict.fromkeys([*base.budget.member_names, *after.budget.member_names])
        changes = {m: cash_of(after, m) - cash_of(base, m) for m in members}
        shown = shown_column(changes, step)
        columns.append(ScenarioColumn(scenario.name, scenario.description or "", shown, total_of(shown)))
    return tuple(columns)


def cash_of(result: Apportionment, member: str) -> Decimal:
    total = result.totals_by_member.get(member)
    return total.cash_amount if total is not None else ZERO


def sensitivity(written: Budget, request: Request, step: Decimal) -> Sensitivity:
    """Each member's range of net cash payable over the sweep's outcomes (each figure shown on its own: no total)."""
    from apportion.rules.sweep import sweep  # numpy: only a report with a sweep pays for importing it

    swept = sweep(written, request.factors, request.draws, request.seed)
    base = apportion(prepare(written))
    exposures = tuple(
        Exposure(
            member=e.member,
            budget=shown_one(cash_of(base, e.member), step),
            lowest=shown_one(e.minimum_amount, step),
            median=shown_one(e.median_amount, step),
            highest=shown_one(e.maximum_amount, step),
            lowest_at=e.minimum_at,
            highest_at=e.maximum_at,
        )
        for e in swept.exposures()
    )
    varied = tuple(varied_text(factor) for factor in swept.factors)
    widest = max(exposures, key=lambda e: (e.highest.exact - e.lowest.exact, e.member)).member if exposures else ""
    return Sensitivity(varied, len(swept.outcomes), swept.draws is not None, exposures, widest)


def varied_text(factor: Factor) -> str:
    """'grants of all units -30% to +10%, in steps of 5%'."""
    signed = factor.input is not Input.LEVY_RATE
    start = factor.describe(factor.start).replace(" all ", " all units ")
    return f"{start} to {plain(factor.stop, signed=signed)}%, in steps of {plain(factor.step)}%"


def workings(result: Apportionment) -> tuple[Workings, ...]:
    """Each member's figures worked step by step, to the penny."""
    found = []
    for member in result.budget.member_names:
        units = tuple((u.unit.code, u.unit.name, tuple(steps)) for u, steps in member_steps(result, member))
        year_end = tuple(year_end_steps(result, member)) if has_year_end(result) else ()
        total = result.member_total(member)
        found.append(Workings(member, units, year_end, total.cash_amount, total.in_kind_amount))
    return tuple(found)
