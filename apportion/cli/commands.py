"""The commands: each a thin shell over the library (load, prepare, apportion, write),
with its --help text and examples."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from apportion.cli.options import (
    BUDGET,
    SWEEP_OPTIONS,
    Commands,
    check_scenarios,
    checked_out,
    debug_option,
    ledger_option,
    load_run,
    named_factor,
    note_line,
    plan_year_of,
    reported,
    scenario_options,
    stopped_by_signals,
    sweep_factors,
    sweep_options,
    typed_name,
)
from apportion.model.messages import counted
from apportion.model.version import VERSION


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, prog_name="apportion")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Work out who pays what for a police collaboration, to the penny.

    Reads a budget file (YAML) describing the members, their shares and each unit's
    budget and charging rules, and writes each member's contribution workbook, a
    summary workbook and the tidy lines as CSV.

    Examples:

    \b
        apportion run examples/east-midlands-2013-14.yaml --out out/east-midlands
    """
    ctx.obj = {"debug": debug}


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder to write the outputs into."
)
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option("--force", is_flag=True, help="Replace the outputs already in --out.")
@click.option("--journal", is_flag=True, help="Also write journal.beancount, a double-entry journal of the contributions.")
@ledger_option
@click.option("--report", "with_report", is_flag=True, help="Also write report.html, the panel report (apportion report).")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, exists=True),
    help="With --report: last year's budget file, or the folder its run wrote, to compare with.",
)
@scenario_options
@click.pass_context
def run(  # noqa: PLR0917 - click passes options by name
    ctx: click.Context, /, budget: Path, out_dir: Path, shares: Path | None, force: bool, journal: bool, with_report: bool,
    previous: Path | None, **options: Any,
) -> None:  # fmt: skip
    """Apportion BUDGET and write the outputs into --out.

    Writes <member>.xlsx for each member, summary.xlsx and contributions.csv, and
    prints each member's totals. Nothing is written if the budget has any problem.
    --scenario and the what-if options run a variant of the budget without editing it.
    --report also writes report.html, the panel report, recorded so that verify
    reproduces it.

    Examples:

    \b
        apportion run examples/east-midlands-2013-14-units.yaml --out out/east-midlands-units
        apportion run examples/east-midlands-2013-14.yaml --without Lincolnshire --out out/em-without-lincs
        apportion run examples/west-midlands-2013-14.yaml --grant-set WMROCU=0 --out out/wm-without-the-grant
        apportion run examples/east-midlands-2013-14.yaml --ledger dynamics-365 --out out/em-ledgers
        apportion run examples/east-midlands-2013-14.yaml --report --previous examples/east-midlands-2012-13.yaml --out out/em
    """
    from apportion.cli.terminal import progress_bar, show_plan, show_the_year, show_totals, show_warnings, show_year_end
    from apportion.outputs.files import write_outputs

    if previous is not None and not with_report:
        raise click.UsageError("--previous is for the panel report: give --report too")
    with reported(ctx):
        from apportion.cli.report import previous_files

        checked_out(out_dir, force, budget, shares, *previous_files(previous))
        panel = None
        if with_report:
            from apportion.cli.report import load_variant, panel_of

            loaded, result = load_variant(budget, shares, options)
            panel = panel_of(budget, loaded, result, previous, None, options)
        else:
            result = load_run(budget, shares, options, with_postings=journal or options["ledger"] is not None)
        with progress_bar("Writing workbooks") as progress:
            written = write_outputs(
                result,
                out_dir,
                force=force,
                journal=journal,
                ledger=options["ledger"],
                progress=progress,
                report=panel,
            )
        show_totals(result)
        show_the_year(result)
        show_plan(result)
        show_year_end(result)
        show_warnings(result.warnings)
        click.echo(f"Wrote {len(written)} files to {out_dir}")


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.pass_context
def validate(ctx: click.Context, budget: Path, shares: Path | None) -> None:
    """Check BUDGET (and its shares file) and report every problem; write nothing.

    BUDGET may also be a shares file (bases and defaults only), checked on its own.

    Examples:

    \b
        apportion validate examples/east-midlands-2013-14.yaml
    """
    from apportion.cli.terminal import show_warnings
    from apportion.input.budget_file import is_shares_file, load_budget, load_shares_file
    from apportion.input.yaml_file import read_yaml
    from apportion.rules.calculate import apportion

    with reported(ctx):
        doc = read_yaml(budget)  # read once, whichever kind of file it is
        if shares is None and is_shares_file(doc):
            bases = load_shares_file(budget, doc)
            click.echo(f"{budget}: valid shares file ({len(bases)} bas{'es' if len(bases) != 1 else 'is'})")
            return
        loaded = load_budget(budget, shares, doc)
        result = apportion(loaded)
        check_scenarios(loaded)
        show_warnings(result.warnings)
        units = len(loaded.units)
        click.echo(f"{budget}: valid ({counted(len(loaded.members), 'member')}, {counted(units, 'unit')})")


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.option("--member", required=True, help="The member whose figures to explain.")
@click.option("--unit", "unit_code", help="Only this unit (its code); default: every unit the member takes part in.")
@click.option("--year", "plan_year", help="A later year of the budget's plan, such as 2015/16 (default: the budget's own).")
@click.option("--accounts", "accounts_line", metavar="LINE", help="Only its part of this line of the accounts note.")
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@scenario_options
@click.pass_context
def explain(  # noqa: PLR0913, PLR0917 - click passes options by name
    ctx: click.Context, /, budget: Path, member: str, unit_code: str | None, plan_year: str | None,
    accounts_line: str | None, shares: Path | None, **options: Any,
) -> None:  # fmt: skip
    """Show, step by step, how a member's contribution is worked out.

    From each unit's budget lines to the net budget, the member's re-normalised share,
    the exact share, the rounding (and why an extra penny went where it did), the levy,
    officers in kind and net cash payable; then the year end (its part of the out-turn,
    the reserves and the capital financing), where the budget has one. --year explains a
    later year of the budget's plan; --accounts, its part of a line of the accounts note.

    Examples:

    \b
        apportion explain examples/east-midlands-2013-14.yaml --member Lincolnshire
        apportion explain examples/east-midlands-mtfp-2013-17.yaml --member Derbyshire --year 2015/16
        apportion explain examples/east-midlands-2013-14.yaml --member Derbyshire --accounts "Vehicles and equipment"
    """
    from apportion.cli.terminal import show_explanation

    with reported(ctx):
        result = load_run(budget, shares, options)
    result = plan_year_of(result, plan_year)
    name = typed_name(member, result.budget.member_names, "member", "--member")
    codes = [unit.code for unit in result.budget.units]  # the units as the file writes them
    code = typed_name(unit_code, codes, "unit", "--unit") if unit_code else None
    show_explanation(result, name, code, note_line(result, accounts_line) if accounts_line else None)


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.argument("other", type=BUDGET, required=False)
@click.option("--from-scenario", "from_scenario", help="The scenario to compare from (default: the budget as written).")
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write comparison.xlsx and comparison.csv here.",
)
@click.option("--force", is_flag=True, help="Replace the outputs already in --out.")
@click.option("--period", help="Compare the monitoring reports: at the end of this period (Q2, M6) against the one before.")
@click.option("--from-period", "from_period", help="With --period: the earlier period to compare from (default: the one before).")
@scenario_options
@click.pass_context
def compare(  # noqa: PLR0917 - click passes options by name
    ctx: click.Context,
    /,
    budget: Path,
    other: Path | None,
    from_scenario: str | None,
    shares: Path | None,
    out_dir: Path | None,
    force: bool,
    period: str | None,
    from_period: str | None,
    **options: Any,
) -> None:
    """Compare two runs: each member's contribution before and after, and why it changed.

    Before is BUDGET (or its --from-scenario); after is OTHER if given, else BUDGET, with
    --scenario and the what-if options applied. Prints a table per member (before, after,
    difference, change, and which rule moved it) and, with --out, writes a workbook with
    the comparison per member and per unit. With --period, compares BUDGET's monitoring
    reports instead: what moved in each unit's spending, forecast and variance, and in
    each member's share of it, since the period before (or --from-period).

    Examples:

    \b
        apportion compare examples/east-midlands-2013-14.yaml --without Lincolnshire
        apportion compare examples/east-midlands-2013-14.yaml --period Q2
        apportion compare examples/south-east-rocu-2014-15-lead-force.yaml --host-force "all=Thames Valley"
        apportion compare examples/east-midlands-2013-14-support.yaml --support-method step-down
    """
    from apportion.cli.terminal import show_comparison, show_warnings
    from apportion.outputs.files import write_comparison
    from apportion.rules.compare import compare as compare_runs

    if period is not None or from_period is not None:
        from apportion.cli.monitoring import compare_periods

        compare_periods(ctx, budget, shares, (from_period, period), out_dir, force, other or from_scenario or options)
        return
    with reported(ctx):
        if out_dir is not None:
            checked_out(out_dir, force, budget, shares, other)
        before = load_run(budget, shares, {"scenario": from_scenario}, "--from-scenario")
        after = load_run(other or budget, shares, options)
        comparison = compare_runs(before, after)
        if out_dir is not None:
            write_comparison(comparison, out_dir, force=force)
    show_comparison(comparison)
    # what run prints for each budget: a warning both runs share is said once
    shared = [w for w in after.warnings if w in before.warnings]
    show_warnings(shared)
    show_warnings([w for w in before.warnings if w not in shared], "before")
    show_warnings([w for w in after.warnings if w not in shared], "after")
    if out_dir is not None:
        click.echo(f"Wrote comparison.xlsx and comparison.csv to {out_dir}")


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@sweep_options
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Also write sweep.xlsx and sweep.csv here."
)
@click.option("--force", is_flag=True, help="Replace the outputs already in --out.")
@click.pass_context
def sweep(ctx: click.Context, /, budget: Path, shares: Path | None, out_dir: Path | None, force: bool, **varied: Any) -> None:
    """Each member's lowest, median and highest contribution over a range of outcomes.

    Budgets are set before grants, pay awards and levy rates are known: this varies one or
    more of them over a range (every combination of the steps, or --draws random outcomes)
    and shows, per member, the range of its net cash payable and the outcome that gives
    each figure. The median is the member's figure in the outcome in the middle when the
    outcomes are put in order of it (of an even number, the lower of the two in the
    middle). STEP defaults to 1%. Computed in integer pence, penny-identical to running
    each outcome through the Decimal engine.

    Examples:

    \b
        apportion sweep examples/south-east-rocu-2014-15-lead-force.yaml --grant all=-30%:10%:5%
        apportion sweep examples/south-east-rocu-2014-15-lead-force.yaml --levy-rate all=1%:3%:0.1% --draws 100
    """
    from apportion.cli.terminal import progress_bar, show_sweep
    from apportion.input.budget_file import load_budget
    from apportion.rules.sweep import sweep as run_sweep
    from apportion.rules.sweep_factors import SweepError

    factors = sweep_factors(*(varied[key] for key in SWEEP_OPTIONS))
    draws, seed = varied["draws"], varied["seed"]
    with reported(ctx):
        if out_dir is not None:
            checked_out(out_dir, force, budget, shares)
        loaded = load_budget(budget, shares)
        factors = [named_factor(f, loaded) for f in factors]
        try:
            with progress_bar("Sweeping units") as progress:
                result = run_sweep(loaded, factors, draws, seed, progress, threads=min(os.cpu_count() or 1, 4))
        except SweepError as error:
            raise click.UsageError(str(error)) from None
        if out_dir is not None:
            from apportion.outputs.files import write_sweep
            from apportion.rules.calculate import apportion

            write_sweep(result, apportion(loaded), out_dir, force=force)
    show_sweep(result)
    if out_dir is not None:
        click.echo(f"Wrote sweep.xlsx and sweep.csv to {out_dir}")


@cli.command()
@debug_option
@click.option("--reference", is_flag=True, help="Print every section's keys as Markdown tables instead (docs/config.md).")
def schema(reference: bool) -> None:
    """Print the JSON Schema of budget files, for editors that validate YAML.

    The schema, the keys each section of a budget file allows and the key reference at
    the end of docs/config.md are all made from one description of the file.

    Examples:

    \b
        apportion schema > budget.schema.json
    """
    if reference:
        from apportion.input.description import SECTIONS
        from apportion.input.keys import reference_of

        click.echo(reference_of(SECTIONS))
        return
    import json  # only this command writes JSON

    from apportion.input.schema import BUDGET_SCHEMA

    click.echo(json.dumps(BUDGET_SCHEMA, indent=2))


def main() -> None:
    """The command: SIGTERM and SIGHUP stop it as Ctrl-C does, cleanly (outputs are all or nothing)."""
    with stopped_by_signals():
        cli()
