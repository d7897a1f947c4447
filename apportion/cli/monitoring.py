"""The monitoring command: spending against budget at the end of a quarter or month, and
each member's share of the variance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from apportion.cli.commands import cli
from apportion.cli.options import BUDGET, checked_out, debug_option, reported


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.option("--period", required=True, help="The quarter (Q1 to Q4) or month (M1 to M12, or 2013-09) to report at the end of.")
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Also write the report into this folder."
)
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option("--force", is_flag=True, help="Replace the outputs already in --out.")
@click.pass_context
def monitor(ctx: click.Context, /, budget: Path, period: str, out_dir: Path | None, shares: Path | None, force: bool) -> None:  # noqa: PLR0917
    """Report spending against BUDGET at the end of a period, and each member's share of the variance.

    Reads the actual spending (and forecast out-turns) from the budget's monitoring:
    section, and prints each unit's budget, budget to date, actual to date and forecast
    out-turn with the variances, and each member's share of the forecast variance in its
    share of each unit. --out writes monitoring.xlsx (with live formulas and a chart),
    monitoring.csv and monitoring-members.csv.

    Examples:

    \b
        apportion monitor examples/east-midlands-2013-14.yaml --period Q2
        apportion monitor examples/east-midlands-2013-14.yaml --period Q2 --out out/em-q2
    """
    from apportion.cli.terminal import show_monitoring
    from apportion.outputs.files import write_monitoring

    with reported(ctx):
        if out_dir is not None:
            checked_out(out_dir, force, budget, shares)
        result, (report,) = reports(budget, shares, [(period, "--period")])
        written = write_monitoring(report, result, out_dir, force=force) if out_dir is not None else []
    show_monitoring(report, result)
    if out_dir is not None:
        click.echo(f"Wrote {len(written)} files to {out_dir}")


def reports(budget: Path, shares: Path | None, periods: list[tuple[str | None, str]]) -> tuple[Any, list[Any]]:
    """The budget's run and its monitoring report at the end of each period given (as typed,
    with its option); a period typed as None is the one before the next in the list."""
    from apportion.input.budget_file import load_budget
    from apportion.model.invoicing import year_start
    from apportion.model.messages import PeriodError
    from apportion.model.monitoring import parse_period
    from apportion.rules.calculate import apportion
    from apportion.rules.monitoring import MonitoringError, monitor

    loaded = load_budget(budget, shares)
    monitoring = loaded.monitoring
    if monitoring is None:
        raise MonitoringError(f"{budget} has no monitoring: section; give the actuals there (docs/config.md, monitoring)")
    numbers: list[int | None] = []
    for text, option in periods:
        try:
            numbers.append(parse_period(text, monitoring.periods, year_start(loaded.year)) if text else None)
        except PeriodError as error:
            raise click.BadParameter(str(error), param_hint=f"'{option}'") from None
    if numbers[0] is None:  # the period before the one compared with
        earlier = (numbers[1] or 1) - 1
        if earlier < 1:
            raise click.BadParameter("the first period has none before it to compare with", param_hint="'--period'")
        numbers[0] = earlier
    result = apportion(loaded)
    return result, [monitor(result, monitoring, number) for number in numbers if number is not None]


def compare_periods(  # noqa: PLR0917 - the compare command's options, passed on
    ctx: click.Context, budget: Path, shares: Path | None, periods: tuple[str | None, str | None], out_dir: Path | None,
    force: bool, others: Any,
) -> None:  # fmt: skip
    """compare --period: what moved in BUDGET's monitoring report from one period to the next
    (``others``: another budget, scenario or what-ifs asked for too, which it refuses)."""
    from_period, period = periods
    if period is None or (others if not isinstance(others, dict) else any(others.values())):
        raise click.UsageError(
            "--period compares one budget's monitoring reports: give --period, and no OTHER budget, scenario or what-if"
        )
    from apportion.cli.terminal import show_period_comparison
    from apportion.model.monitoring import PeriodComparison
    from apportion.outputs.files import write_movement

    with reported(ctx):
        if out_dir is not None:
            checked_out(out_dir, force, budget, shares)
        result, (before, after) = reports(budget, shares, [(from_period, "--from-period"), (period, "--period")])
        comparison = PeriodComparison(before, after)
        written = write_movement(comparison, result, out_dir, force=force) if out_dir is not None else []
    show_period_comparison(comparison)
    if out_dir is not None:
        click.echo(f"Wrote {len(written)} files to {out_dir}")


def recorded_report(budget: Path, recorded: Any, result: Any) -> Callable[[Any], list[tuple[str, bytes]]] | None:
    """How to make again, from ``result`` (its inputs as named in the outputs), the files of
    the monitoring report (or comparison of two) a folder ``recorded``; None where the folder
    holds a run's outputs."""
    from apportion.model.monitoring import PeriodComparison
    from apportion.outputs.files import monitoring_files, movement_files

    if recorded is None or recorded.kind != "monitor" or not recorded.period:
        return None
    periods = recorded.period.split(":")
    _, made = reports(budget, result.budget.shares_given and Path(result.budget.shares_given), [(p, "period") for p in periods])
    if len(made) == 2:
        comparison = PeriodComparison(*made)
        return lambda named: movement_files(comparison, named)
    report = made[0]
    return lambda named: monitoring_files(report, named)
