"""The library under the command line: load a budget, prepare a variant, apportion it,
write its outputs, and each other command too (monitor, compare, explain, sweep, verify),
each returning the library's own records, with their figures as pandas DataFrames.

Each function is the one the command line calls; the command line adds only words and
exit codes. Errors are raised as :class:`~apportion.model.InputError` (every problem of
the files, each with its place), :class:`~apportion.rules.scenarios.ScenarioError`,
:class:`~apportion.model.PeriodError` or :class:`~apportion.model.OutputError`, all
:class:`~apportion.model.ApportionError`. Figures stay ``Decimal``, in the DataFrames too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apportion.input.budget_file import load_budget
from apportion.input.names import matched
from apportion.input.what_ifs import read_what_ifs, resolved, sweep_range
from apportion.model import Apportionment, Budget, Change, Prepared
from apportion.model.invoicing import year_start
from apportion.model.monitoring import MonitoringReport, parse_period
from apportion.outputs.csv_files import (
    COMPARISON_FIELDS,
    CSV_COLUMNS,
    POSITION_FIELDS,
    SWEEP_FIELDS,
    VARIANCE_SHARE_FIELDS,
    comparison_rows,
    csv_rows,
    position_rows,
    sweep_rows,
    variance_share_rows,
)
from apportion.outputs.files import write_outputs as write_folder
from apportion.rules.calculate import apportion
from apportion.rules.compare import Comparison
from apportion.rules.compare import compare as compare_runs
from apportion.rules.explain import member_steps
from apportion.rules.explain_year import has_year_end, year_end_steps
from apportion.rules.monitoring import MonitoringError
from apportion.rules.monitoring import monitor as monitor_period
from apportion.rules.prepare import prepare as prepare_budget

if TYPE_CHECKING:
    import pandas as pd

    from apportion.audit.verify import Verification
    from apportion.model.report import YearFigures
    from apportion.rules.report_figures import PanelReport
    from apportion.rules.sweep import Sweep
    from apportion.rules.sweep_factors import Factor

__all__ = [
    "apportion", "compare", "differences", "explain", "exposures", "last_year", "lines", "load", "monitor", "positions",
    "prepare", "report", "run", "sweep", "totals", "variance_shares", "verify", "what_ifs", "write_outputs", "write_report",
]  # fmt: skip


def load(path: str | PathLike[str], shares: str | PathLike[str] | None = None) -> Budget:
    """Read and check a budget file (and its shares file, or ``shares`` in its place)."""
    return load_budget(Path(path), Path(shares) if shares is not None else None)


def what_ifs(**options: Iterable[str]) -> list[Change]:
    """The command line's what-ifs as changes, each option a list of what it takes:
    ``without``, ``grant_change``, ``grant_set``, ``host_force``, ``lead_force``,
    ``business_support`` and ``support_method``: ``what_ifs(without=["Kent"],
    grant_change=["all=-20%"], support_method="step-down")``."""
    return read_what_ifs(options)


def prepare(
    budget: Budget, scenario: str | None = None, what_ifs: Sequence[Change] = (), *, from_year: str | None = None,
    revised_from: date | None = None,
) -> Prepared:  # fmt: skip
    """The budget's named scenario and what-ifs applied (names matched as the command line
    matches them: exactly, else ignoring case), its periods and plan years made: the
    what-ifs from a later year of the plan with ``from_year`` ('2015/16'), the instalments
    revised from ``revised_from`` (a date in the year), as ``run --from-year`` and
    ``--revised-from`` make them."""
    name = matched(scenario, [s.name for s in budget.scenarios], "scenario") if scenario is not None else None
    return prepare_budget(budget, name, resolved(what_ifs, budget), from_year, revised_from)


def run(
    path: str | PathLike[str], shares: str | PathLike[str] | None = None, *, scenario: str | None = None,
    what_ifs: Sequence[Change] = (), from_year: str | None = None, revised_from: date | None = None,
) -> Apportionment:  # fmt: skip
    """What ``apportion run`` works out, without writing it: the budget file loaded, the
    variant asked for prepared (as :func:`prepare`), and apportioned."""
    budget = load(path, shares)
    return apportion(prepare(budget, scenario, what_ifs, from_year=from_year, revised_from=revised_from))


def write_outputs(
    result: Apportionment, folder: str | PathLike[str], *, force: bool = False, journal: bool = False,
    ledger: str | None = None,
) -> list[Path]:  # fmt: skip
    """Write the member workbooks, the summary and contributions.csv into ``folder`` (and the
    journal, and each member's ledger journals in the layout ``ledger``, if asked), all or nothing."""
    return write_folder(result, Path(folder), force=force, journal=journal, ledger=ledger)


def lines(result: Apportionment) -> pd.DataFrame:
    """The tidy lines (the rows of contributions.csv), amounts as Decimal: one row per year,
    unit, member and item."""
    import pandas as pd

    return pd.DataFrame(list(csv_rows(result)), columns=list(CSV_COLUMNS))


def totals(result: Apportionment) -> pd.DataFrame:
    """Each member's net cash payable, in-kind value and total contribution (Decimal)."""
    import pandas as pd

    rows: Mapping[str, list[object]] = {
        "member": [t.member for t in result.member_totals],
        "net_cash_payable": [t.cash_amount for t in result.member_totals],
        "in_kind_value": [t.in_kind_amount for t in result.member_totals],
        "total_contribution": [t.total_amount for t in result.member_totals],
    }
    return pd.DataFrame(rows)


def monitor(result: Apportionment, period: str) -> MonitoringReport:
    """``apportion monitor``: each unit's position at the end of ``period`` ('Q2', 'M6',
    '2013-09') and each member's share of its variance. Raises PeriodError for a period
    the year does not have, MonitoringError where the budget has no monitoring."""
    monitoring = result.budget.monitoring
    if monitoring is None:
        raise MonitoringError("the budget file has no monitoring: section; give the actuals there (docs/config.md, monitoring)")
    return monitor_period(result, monitoring, parse_period(period, monitoring.periods, year_start(result.budget.year)))


def compare(before: Apportionment, after: Apportionment) -> Comparison:
    """``apportion compare``: each member's and unit's figures before and after, and the rule that moved them."""
    return compare_runs(before, after)


def explain(result: Apportionment, member: str, unit: str | None = None) -> pd.DataFrame:
    """``apportion explain``: each step from a unit's budget lines to the member's cash (for
    one unit, or for every unit it takes part in, then the year end), a row a step: unit,
    step, working and amount (Decimal, or None for a step without a figure)."""
    import pandas as pd

    name = matched(member, result.budget.member_names, "member")
    rows = [
        (unit_result.unit.code, step.label, step.working, step.amount)
        for unit_result, steps in member_steps(result, name, unit)
        for step in steps
    ]
    if unit is None and has_year_end(result):
        rows += [("year end", step.label, step.working, step.amount) for step in year_end_steps(result, name)]
    return pd.DataFrame(rows, columns=["unit", "step", "working", "amount"])


# each range sweep() takes: the input it varies, and whether it names a unit or a member
RANGES = {
    "grant": ("grant", "unit"), "levy_rate": ("levy rate", "unit"), "share": ("share", "member"),
    "pay_inflation": ("pay inflation", ""), "non_pay_inflation": ("non-pay inflation", ""),
}  # fmt: skip


def sweep(budget: Budget, *, draws: int | None = None, seed: int = 1, **ranges: str | Iterable[str]) -> Sweep:
    """``apportion sweep``: each member's net cash payable in every outcome, the ranges
    written as the command line takes them: ``sweep(budget, grant=["all=-30%:10%:5%"],
    pay_inflation="0%:4%:0.5%")`` (``grant``, ``levy_rate``, ``share``, ``pay_inflation``,
    ``non_pay_inflation``). Raises SweepError for a range it cannot sweep."""
    from apportion.rules.sweep import sweep as run_sweep

    return run_sweep(budget, factors_of(budget, ranges), draws, seed)


def factors_of(budget: Budget, ranges: Mapping[str, str | Iterable[str]], called: str = "sweep") -> list[Factor]:
    """The factors the ranges name, as :func:`sweep` takes them."""
    from apportion.rules.sweep_factors import Factor, Input

    unknown = sorted(set(ranges) - set(RANGES))
    if unknown:
        raise TypeError(f"{called}() has no range {', '.join(unknown)}; it takes {', '.join(RANGES)}")
    names = {"unit": [unit.code for unit in budget.units], "member": list(budget.member_names)}
    factors = []
    for key, (varied, names_a) in RANGES.items():
        given = ranges.get(key, ())
        for text in [given] if isinstance(given, str) else given:
            target, start, stop, step = sweep_range(text, f"--{key.replace('_', '-')}", targeted=bool(names_a))
            if names_a and target != "all":
                target = matched(target, names[names_a], names_a, also=", or all" if names_a == "unit" else "")
            factors.append(Factor(Input(varied), target, start, stop, step))
    return factors


def last_year(previous: str | PathLike[str]) -> YearFigures:
    """Last year's figures, for :func:`report`: from the folder its run wrote (or that folder's
    datapackage.json), or by running its budget file."""
    from apportion.input.last_year import is_output_folder, read_last_year
    from apportion.rules.report import year_figures

    path = Path(previous)
    return read_last_year(path) if is_output_folder(path) else year_figures(apportion(prepare_budget(load_budget(path))))


def report(  # noqa: PLR0917 - the run, and what the report shows besides
    result: Apportionment, budget: Budget | None = None, *, previous: str | PathLike[str] | None = None,
    period: str | None = None, draws: int | None = None, seed: int = 1, **ranges: str | Iterable[str],
) -> PanelReport:  # fmt: skip
    """``apportion report``: the panel report's figures, for :func:`write_report`. ``budget``:
    the budget as written, whose scenarios and sweep the risks show (default: ``result``'s);
    ``previous``: last year's budget file or output folder; ``period``: the monitoring
    period (default: the latest every unit has actuals for); the ranges as :func:`sweep`
    takes them, for each member's exposure. Raises MonitoringError, SweepError, InputError."""
    from apportion.outputs.provenance import relative
    from apportion.rules.report import Request, panel_report

    written = budget or result.budget
    last = last_year(previous) if previous is not None else None
    monitoring = result.budget.monitoring
    number = parse_period(period, monitoring.periods, year_start(result.budget.year)) if period and monitoring else None
    if period and monitoring is None:
        raise MonitoringError("the budget file has no monitoring: section to report on")
    base = Path(written.input_files[0].path).parent if written.input_files else Path()
    asked = {"previous": relative(str(previous), base) if previous is not None else None, "period": period, "sweep": None}
    inputs = (*(last.inputs if last else ()), *(monitoring.input_files if monitoring else ()))
    factors = tuple(factors_of(written, ranges, "report"))
    return panel_report(result, written, Request(last, number, factors, draws, seed, inputs, asked))


def write_report(panel: PanelReport, result: Apportionment, folder: str | PathLike[str], *, force: bool = False) -> list[Path]:
    """Write report.html and its datapackage.json into ``folder``, all or nothing."""
    from apportion.outputs.report.written import write_report as write

    return write(panel, result, Path(folder), force=force)


def verify(
    result: Apportionment, folder: str | PathLike[str], *, journal: bool = False, ledger: str | None = None
) -> Verification:
    """``apportion verify``: every file ``result``'s run writes (with the journal if
    ``journal``, the members' ledgers in the layout ``ledger``), made in memory and compared
    with ``folder``'s, byte for byte; the record says whether it is reproduced, which files
    differ and how."""
    from apportion.audit.verify import remade_run
    from apportion.audit.verify import verify as verify_outputs
    from apportion.outputs.manifest import Run

    return verify_outputs(Path(folder), remade_run(result, Run(journal=journal, ledger=ledger)))


def frame(fields: Iterable[Any], rows: Iterable[Sequence[object]]) -> pd.DataFrame:
    """Rows of one of the CSV files as a DataFrame with its columns (figures stay Decimal)."""
    import pandas as pd

    return pd.DataFrame(list(rows), columns=[field.name for field in fields])


def differences(comparison: Comparison) -> pd.DataFrame:
    """A comparison's rows, as comparison.csv holds them: each unit's and member's before,
    after and change, and the change by rule."""
    return frame(COMPARISON_FIELDS, comparison_rows(comparison))


def exposures(swept: Sweep) -> pd.DataFrame:
    """A sweep's rows, as sweep.csv holds them: each member's lowest, median and highest net
    cash payable and the outcome that gives each."""
    return frame(SWEEP_FIELDS, sweep_rows(swept))


def positions(report: MonitoringReport, result: Apportionment) -> pd.DataFrame:
    """A monitoring report's units, as monitoring.csv holds them."""
    return frame(POSITION_FIELDS, position_rows(report, result.budget.year))


def variance_shares(report: MonitoringReport, result: Apportionment) -> pd.DataFrame:
    """Each member's share of each unit's variance, as monitoring-members.csv holds them."""
    return frame(VARIANCE_SHARE_FIELDS, variance_share_rows(report, result.budget.year))
