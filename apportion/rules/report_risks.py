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
from apportion.rules.explain_text import Step
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
            lowest_at=e.minimum_at.replace(" of all ", " of all units "),
            highest_at=e.maximum_at.replace(" of all ", " of all units "),
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


UNIT_STEPS = ("Pay: ", "Non-pay: ", "Income: ", "Spending", "Net budget", "Own net cost")


def workings(result: Apportionment) -> tuple[tuple[tuple[str, str, tuple[Step, ...]], ...], tuple[Workings, ...]]:
    """Each unit's budget lines to its net budget, once; and each member's figures from there,
    step by step, to the penny (the steps ``explain`` shows, the unit's own not repeated)."""
    units: dict[str, tuple[str, str, tuple[Step, ...]]] = {}
    found = []
    for member in result.budget.member_names:
        own = []
        for unit, steps in member_steps(result, member):
            shared = 0
            while shared < len(steps) and steps[shared].label.startswith(UNIT_STEPS):
                shared += 1
            units.setdefault(unit.unit.code, (unit.unit.code, unit.unit.name, tuple(steps[:shared])))
            own.append((unit.unit.code, unit.unit.name, tuple(steps[shared:])))
        year_end = tuple(year_end_steps(result, member)) if has_year_end(result) else ()
        total = result.member_total(member)
        found.append(Workings(member, tuple(own), year_end, total.cash_amount, total.in_kind_amount))
    order = [u.unit.code for u in result.units if u.unit.code in units]
    return tuple(units[code] for code in order), tuple(found)
