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
@click.pass_context
def run(ctx: click.Context, budget: Path, out_dir: Path, shares: Path | None, force: bool) -> None:
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
        written = write_outputs(result, out_dir, force=force)
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
