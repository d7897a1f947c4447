"""The command line: thin commands over the loader, the core and the writers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from apportion import __version__
from apportion.errors import ApportionError, InputError

BUDGET = click.Path(path_type=Path, dir_okay=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apportion")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Work out who pays what for a police collaboration, to the penny.

    Reads a budget file (YAML) describing the members, their shares and each unit's
    budget and charging rules, and writes each member's contribution workbook, a
    summary workbook and the tidy lines as CSV.

    Example:

        apportion run examples/east-midlands-2013-14.yaml --out out/east-midlands
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("budget", type=BUDGET)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder to write the outputs into."
)
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.option("--force", is_flag=True, help="Replace the outputs already in --out.")
@click.option("--journal", is_flag=True, help="Also write journal.beancount, a double-entry journal of the contributions.")
@click.pass_context
def run(ctx: click.Context, budget: Path, out_dir: Path, shares: Path | None, force: bool, journal: bool) -> None:  # noqa: PLR0917 - click passes options by name
    """Apportion BUDGET and write the outputs into --out.

    Writes <member>.xlsx for each member, summary.xlsx and contributions.csv, and
    prints each member's totals. Nothing is written if the budget has any problem.

    Example:

        apportion run examples/east-midlands-2013-14.yaml --out out/east-midlands
    """
    from apportion.calculate import apportion
    from apportion.console import show_totals, show_warnings
    from apportion.loader import load_budget
    from apportion.write import check_target, write_outputs

    with reported(ctx):
        check_target(out_dir, force=force)
        result = apportion(load_budget(budget, shares))
        written = write_outputs(result, out_dir, force=force, journal=journal)
        show_totals(result)
        show_warnings(result.warnings)
        click.echo(f"Wrote {len(written)} files to {out_dir}")


@cli.command()
@click.argument("budget", type=BUDGET)
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.pass_context
def validate(ctx: click.Context, budget: Path, shares: Path | None) -> None:
    """Check BUDGET (and its shares file) and report every problem; write nothing.

    BUDGET may also be a shares file (bases and defaults only), checked on its own.

    Example:

        apportion validate examples/east-midlands-2013-14.yaml
    """
    from apportion.calculate import apportion
    from apportion.console import show_warnings
    from apportion.loader import is_shares_file, load_budget, load_shares_file

    with reported(ctx):
        if shares is None and is_shares_file(budget):
            bases = load_shares_file(budget)
            click.echo(f"{budget}: valid shares file ({len(bases)} bas{'es' if len(bases) != 1 else 'is'})")
            return
        loaded = load_budget(budget, shares)
        result = apportion(loaded)
        show_warnings(result.warnings)
        units = len(loaded.units)
        click.echo(f"{budget}: valid ({len(loaded.members)} members, {units} unit{'s' if units != 1 else ''})")


@cli.command()
@click.argument("budget", type=BUDGET)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--shares", "shares", type=BUDGET, help="The shares file the outputs were made with, if not the budget's own.")
@click.pass_context
def verify(ctx: click.Context, budget: Path, folder: Path, shares: Path | None) -> None:
    """Recompute BUDGET and compare every figure with the outputs in FOLDER.

    Prints 'reproduced' and exits 0 when every cell of every workbook and every line of
    the CSV is what BUDGET produces and the input files are those recorded; otherwise lists
    each difference (file, sheet, cell, member, unit, item, expected, found) and exits 1.

    Example:

        apportion verify examples/east-midlands-2013-14.yaml out/east-midlands
    """
    from apportion.calculate import apportion
    from apportion.loader import load_budget
    from apportion.verify import iter_lines
    from apportion.verify import verify as verify_outputs

    with reported(ctx):
        report = verify_outputs(apportion(load_budget(budget, shares)), folder)
    for line in iter_lines(report):
        click.echo(line)
    if report.reproduced:
        click.echo("reproduced")
        return
    count = len(report.mismatches)
    reasons = [f"{count} difference{'s' if count != 1 else ''}"] if count else []
    if report.inputs_changed:
        reasons.append("the inputs differ from those recorded")
    click.echo(f"not reproduced: {'; '.join(reasons)}")
    sys.exit(1)


@cli.command()
@click.argument("budget", type=BUDGET)
@click.option("--member", required=True, help="The member whose figures to explain.")
@click.option("--unit", "unit_code", help="Only this unit (its code); default: every unit the member takes part in.")
@click.option("--shares", "shares", type=BUDGET, help="Use this shares file instead of the one the budget names.")
@click.pass_context
def explain(ctx: click.Context, budget: Path, member: str, unit_code: str | None, shares: Path | None) -> None:
    """Show, step by step, how a member's contribution is worked out.

    From each unit's budget lines to the net budget, the member's re-normalised share,
    the exact share, the rounding (and why an extra penny went where it did), the levy,
    officers in kind and net cash payable.

    Example:

        apportion explain examples/east-midlands-2013-14.yaml --member Lincolnshire
    """
    from apportion.calculate import apportion
    from apportion.console import show_explanation
    from apportion.loader import load_budget

    with reported(ctx):
        result = apportion(load_budget(budget, shares))
    names = {name.casefold(): name for name in result.budget.member_names}
    if member.casefold() not in names:
        raise click.BadParameter(f"{member!r} is not a member; members are: {', '.join(names.values())}", param_hint="--member")
    codes = {unit.unit.code.casefold(): unit.unit.code for unit in result.units}
    if unit_code is not None and unit_code.casefold() not in codes:
        raise click.BadParameter(f"{unit_code!r} is not a unit; units are: {', '.join(codes.values())}", param_hint="--unit")
    show_explanation(result, names[member.casefold()], codes[unit_code.casefold()] if unit_code else None)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of budget files, for editors that validate YAML.

    Example:

        apportion schema > budget.schema.json
    """
    from apportion.schema import BUDGET_SCHEMA

    click.echo(json.dumps(BUDGET_SCHEMA, indent=2))


class reported:  # noqa: N801 - used as a context manager, reads as a clause
    """Turn the library's errors into messages and exit codes (1: the operation failed)."""

    def __init__(self, ctx: click.Context) -> None:
        self.debug = bool(ctx.obj and ctx.obj.get("debug"))

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> None:
        if error is None or self.debug or not isinstance(error, ApportionError):
            return
        if isinstance(error, InputError):
            from apportion.console import show_problems

            show_problems(error.problems)
        else:
            click.echo(f"Error: {error}", err=True)
        sys.exit(1)


def main() -> None:
    cli()
