"""The panel report: ``apportion report``, and what ``run --report`` and ``verify`` share
with it (last year's figures, the monitoring period, the sweep, as asked and as recorded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from apportion.cli.commands import cli
from apportion.cli.options import (
    BUDGET,
    checked_out,
    debug_option,
    named_factor,
    reported,
    resolved_what_ifs,
    scenario_named,
    scenario_options,
    sweep_options,
    swept,
    what_ifs,
)

PREVIOUS_HELP = "Last year's budget file, or the folder last year's run wrote (its datapackage.json), to compare with."


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder to write report.html into."
)
@click.option("--previous", type=click.Path(path_type=Path, exists=True), help=PREVIOUS_HELP)
@click.option("--period", help="The monitoring period to report (Q2, M6); default: the latest every unit has actuals for.")
@sweep_options
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option("--force", is_flag=True, help="Replace the report already in --out.")
@scenario_options
@click.pass_context
def report(  # noqa: PLR0917 - click passes options by name
    ctx: click.Context, /, budget: Path, out_dir: Path, previous: Path | None, period: str | None, shares: Path | None,
    force: bool, **options: Any,
) -> None:  # fmt: skip
    """Write the panel report on BUDGET: report.html, for the screen and for A4 paper.

    The collaboration's financial paper for its Police and Crime Panel or joint committee:
    a cover (from the budget file's report: section), a summary in words, what each member
    pays, this year against last (--previous), the units and how each is shared, funding,
    monitoring (where the file gives actuals), reserves and capital (its year end), risks
    (its scenarios, and a sweep's exposure with the sweep's options), and appendices: each
    member's figures to the penny, a glossary, and the files the figures come from. One
    self-contained file: no script, nothing fetched. --scenario and the what-ifs report on
    a variant of the budget.

    Examples:

    \b
        apportion report examples/east-midlands-2013-14.yaml --previous examples/east-midlands-2012-13.yaml --out out/em-report
        apportion report examples/south-east-rocu-2014-15-lead-force.yaml --grant all=-30%:10%:5% --out out/se-report
    """
    from apportion.cli.terminal import show_totals, show_warnings
    from apportion.outputs.report.written import write_report

    with reported(ctx):
        checked_out(out_dir, force, budget, shares, *previous_files(previous))
        loaded, result = load_variant(budget, shares, options)
        panel = panel_of(budget, loaded, result, previous, period, options)
        written = write_report(panel, result, out_dir, force=force)
    show_totals(result)
    show_warnings(result.warnings)
    click.echo(f"Wrote {', '.join(path.name for path in written)} to {out_dir}")


def previous_files(previous: Path | None) -> list[Path]:
    """The files last year's figures are read from, which no output folder may hold."""
    from apportion.model.names import CSV_NAME, MANIFEST_NAME

    if previous is None:
        return []
    folder = previous if previous.is_dir() else previous.parent if previous.name == MANIFEST_NAME else None
    return [folder / MANIFEST_NAME, folder / CSV_NAME] if folder is not None else [previous]


def load_variant(budget: Path, shares: Path | None, options: dict[str, Any]) -> tuple[Any, Any]:
    """The budget as written, and the run of the variant asked for."""
    from apportion.input.budget_file import load_budget
    from apportion.rules.calculate import apportion
    from apportion.rules.prepare import prepare

    changes = what_ifs(options)
    loaded = load_budget(budget, shares)
    scenario = scenario_named(loaded, options.get("scenario"))
    revised = options.get("revised_from")
    prepared = prepare(
        loaded, scenario, resolved_what_ifs(changes, loaded), options.get("from_year"), revised.date() if revised else None
    )
    return loaded, apportion(prepared)


def panel_of(  # noqa: PLR0917 - what the report is asked for, as typed
    budget: Path, loaded: Any, result: Any, previous: Path | None, period: str | None, options: dict[str, Any]
) -> Any:
    """The report's figures, as asked for on the command line; what was asked is recorded in them."""
    from apportion.outputs.provenance import relative

    factors, draws, seed = swept(options)
    factors = [named_factor(f, loaded) for f in factors]
    sweep = {key: options[key] for key in ("grants", "levy_rates", "member_shares") if options.get(key)}
    sweep |= {key: options[key] for key in ("pay_inflation", "non_pay_inflation", "draws") if options.get(key)}
    asked = {
        "previous": relative(str(previous), budget.parent) if previous is not None else None,
        "period": period,
        "sweep": {**{k: list(v) if isinstance(v, tuple) else v for k, v in sweep.items()}, "seed": seed} if factors else None,
    }
    return make_panel(loaded, result, previous, period, (factors, draws, seed), asked)


def make_panel(  # noqa: PLR0917 - the runs, and what the report shows besides
    loaded: Any, result: Any, previous: Path | None, period: str | None, sweep: tuple[list[Any], int | None, int],
    asked: dict[str, Any],
) -> Any:  # fmt: skip
    """Last year's figures read, the period parsed, and the report worked out."""
    from apportion.api import last_year
    from apportion.model.invoicing import year_start
    from apportion.model.messages import PeriodError
    from apportion.model.monitoring import parse_period
    from apportion.rules.report import Request, panel_report
    from apportion.rules.sweep_factors import SweepError

    last = last_year(previous) if previous is not None else None
    monitoring = result.budget.monitoring
    number = None
    if period is not None:
        if monitoring is None:
            raise click.BadParameter("the budget file has no monitoring: section to report", param_hint="'--period'")
        try:
            number = parse_period(period, monitoring.periods, year_start(result.budget.year))
        except PeriodError as error:
            raise click.BadParameter(str(error), param_hint="'--period'") from None
    inputs = (*(last.inputs if last else ()), *(monitoring.input_files if monitoring else ()))
    factors, draws, seed = sweep
    request = Request(last, number, tuple(factors), draws, seed, inputs, asked)
    try:
        return panel_report(result, loaded, request)
    except SweepError as error:  # a sweep that cannot be made, as the sweep command says
        raise click.UsageError(str(error)) from None


def recorded_panel(budget: Path, folder: Path, recorded: Any, result: Any) -> Any:
    """The panel report FOLDER records (its datapackage.json's ``asked.report``), made again
    from ``result`` with last year's files and the sweep as they were asked for then; None
    where FOLDER holds no report."""
    from apportion.cli.verifying import shares_of
    from apportion.input.budget_file import load_budget
    from apportion.input.recorded_run import recorded_input
    from apportion.model.names import MANIFEST_NAME

    if recorded is None or recorded.report is None:
        return None
    asked = recorded.report
    loaded = load_budget(budget, shares_of(budget, folder, recorded, None))
    sweep = asked.get("sweep")
    given = sweep.items() if isinstance(sweep, dict) else ()
    options = {key: tuple(value) if isinstance(value, list) else value for key, value in given}
    factors, draws, seed = swept(options)
    factors = [named_factor(f, loaded) for f in factors]
    previous, path = asked.get("previous"), None
    where = "apportion.asked.report.previous"
    if isinstance(previous, str) and (budget.parent / previous).is_dir():  # last year's folder: its package may be read
        path = recorded_input(budget, f"{previous}/{MANIFEST_NAME}", folder, where).parent
    elif previous is not None:
        path = recorded_input(budget, previous, folder, where)
    period = asked.get("period") if isinstance(asked.get("period"), str) else None
    return make_panel(loaded, result, path, period, (factors, draws, seed), asked)
