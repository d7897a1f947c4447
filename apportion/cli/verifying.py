"""The verify command: make again what a folder of outputs records it was made from, and
compare every file with the folder's."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from apportion.cli.commands import cli
from apportion.cli.options import BUDGET, WHAT_IF_OPTIONS, debug_option, load_run, reported, scenario_options
from apportion.model.messages import counted, shown


@cli.command()
@debug_option
@click.argument("budget", type=BUDGET)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--shares", "shares", type=BUDGET, help="The shares file the outputs were made with, if not the budget's own.")
@scenario_options
@click.pass_context
def verify(ctx: click.Context, /, budget: Path, folder: Path, shares: Path | None, **options: Any) -> None:
    """Recompute BUDGET and compare every output with the files in FOLDER.

    Reruns the scenario and what-ifs the outputs record (in datapackage.json) unless others
    are given here, makes every file the run writes and compares each with FOLDER's, byte for
    byte. Prints 'reproduced' and exits 0 when every file is the same and the input files
    are those recorded; otherwise names each file that differs and how (sheet and cell,
    line, or key; member, unit and item; expected and found) and exits 1. Nothing in FOLDER
    is trusted: only its regular files are read, each only if no larger than apportion
    could write there.

    Examples:

    \b
        apportion verify examples/east-midlands-2013-14.yaml out/east-midlands
    """
    from apportion.audit.verify import report_lines
    from apportion.audit.verify import verify as verify_outputs

    with reported(ctx):
        remade, notes = remade_for(budget, folder, shares, options)
        report = verify_outputs(folder, remade)
    for line in [*(f"note: {note}" for note in notes), *report_lines(report)]:
        click.echo(shown(line))
    if report.reproduced:
        click.echo("reproduced")
        return
    count = len(report.files)
    reasons = [f"{counted(count, 'file')} differ{'' if count != 1 else 's'} ({', '.join(report.files)})"] if count else []
    if report.inputs_changed:
        reasons.append("the inputs differ from those recorded")
    if report.stopped:
        reasons.append(f"a run was stopped before it finished ({', '.join(report.stopped)})")
    click.echo(shown(f"not reproduced: {'; '.join(reasons)}"))
    sys.exit(1)


def remade_for(budget: Path, folder: Path, shares: Path | None, options: dict[str, Any]) -> tuple[Any, list[str]]:
    """What FOLDER is checked against (a run's outputs, a monitoring report, a comparison or a
    sweep, as its datapackage.json records), and notes saying which run is checked."""
    from apportion.audit.verify import remade_comparison, remade_from, remade_report, remade_run, remade_sweep
    from apportion.cli.monitoring import recorded_report
    from apportion.cli.report import recorded_panel

    recorded = recorded_in(folder)
    if recorded is not None and recorded.kind in ("compare", "sweep"):
        if given(None, options):
            what = "comparison" if recorded.kind == "compare" else "sweep"
            raise click.UsageError(f"{folder} holds a {what}, which verify makes again as recorded: give no scenario or what-if")
        if recorded.kind == "compare":
            return remade_comparison(compared_again(budget, folder, recorded, shares)), []
        return remade_sweep(*swept_again(budget, folder, recorded, shares)), []
    result, run, notes = recorded_or_given(budget, folder, recorded, shares, options)
    panel = recorded_panel(budget, folder, recorded, result)  # the panel report, if FOLDER holds one
    if panel is not None and recorded.kind == "report":
        return remade_report(result, panel), notes
    make = recorded_report(budget, recorded, result)  # a monitoring report's files, if FOLDER holds one
    return (remade_run(result, run, panel=panel) if make is None else remade_from(result, make)), notes


def given(shares: Path | None, options: dict[str, Any]) -> bool:
    """Whether a shares file, a scenario or a what-if is given on the command line."""
    return shares is not None or options.get("scenario") is not None or any(options.get(key) for key in WHAT_IF_OPTIONS)


def recorded_in(folder: Path) -> Any:
    """The run FOLDER's datapackage.json records, or None if it cannot be read as one."""
    from apportion.input.recorded_run import recorded_run
    from apportion.outputs.read_back import Unreadable, read_package

    try:
        return recorded_run(read_package(folder))
    except Unreadable:
        return None


def recorded_or_given(
    budget: Path, folder: Path, recorded: Any, shares: Path | None, options: dict[str, Any]
) -> tuple[Any, Any, list[str]]:
    """The run to check a folder against: the one its outputs record, unless a scenario,
    what-ifs or a shares file are given. Returns the result, what the run wrote beside its
    workbooks and CSVs (the journal, the members' ledgers: a Run), and notes saying which
    run is checked."""
    from apportion.input.budget_file import load_budget
    from apportion.input.recorded_run import recorded_changes
    from apportion.model.names import JOURNAL_NAME
    from apportion.outputs.manifest import Run
    from apportion.rules.calculate import apportion
    from apportion.rules.prepare import prepare

    if recorded is None:
        note = f"{folder} has no datapackage.json that apportion can read, so what run made it is not known"
        return load_run(budget, shares, options), Run(journal=(folder / JOURNAL_NAME).is_file()), [note]
    run = Run(journal=recorded.journal, ledger=recorded.ledger)
    if given(shares, options):
        note = f"checking the scenario and what-ifs given here; the outputs record {recorded.describe()}"
        return load_run(budget, shares, options), run, [note]
    loaded = load_budget(budget, shares_of(budget, folder, recorded, None))
    changes = recorded_changes(recorded, folder, loaded)
    result = apportion(prepare(loaded, recorded.scenario, changes, recorded.what_ifs_from, recorded.revised_from))
    notes = (
        [f"checking the run the outputs record: {recorded.describe()}"] if recorded.describe() != "the budget as written" else []
    )
    return result, run, notes


def shares_of(budget: Path, folder: Path, recorded: Any, shares: Path | None) -> Path | None:
    """The shares file given, or the one the outputs record (if it may be read), or none."""
    from apportion.input.recorded_run import recorded_input

    if shares is not None or not recorded.shares:
        return shares
    return recorded_input(budget, recorded.shares, folder, "apportion.asked.shares")


def compared_again(budget: Path, folder: Path, recorded: Any, shares: Path | None) -> Any:
    """The comparison FOLDER records, made again: BUDGET (or its scenario compared from)
    against the other budget, if one, with the scenario and what-ifs recorded."""
    from apportion.input.budget_file import load_budget
    from apportion.input.recorded_run import recorded_changes, recorded_input
    from apportion.rules.calculate import apportion
    from apportion.rules.compare import compare
    from apportion.rules.prepare import prepare

    spec = recorded.compared or {}
    shares = shares_of(budget, folder, recorded, shares)
    from_scenario = spec.get("from_scenario") if isinstance(spec.get("from_scenario"), str) else None
    before = apportion(prepare(load_budget(budget, shares), from_scenario, []))
    other = recorded_input(budget, spec["other"], folder, "apportion.asked.compared.other") if spec.get("other") else budget
    loaded = load_budget(other, shares)
    changes = recorded_changes(recorded, folder, loaded)
    after = apportion(prepare(loaded, recorded.scenario, changes, recorded.what_ifs_from, recorded.revised_from))
    return compare(before, after)


def swept_again(budget: Path, folder: Path, recorded: Any, shares: Path | None) -> tuple[Any, Any]:
    """The sweep FOLDER records, made again (the same ranges, draws and seed), and the budget
    as written, apportioned."""
    import os

    from apportion.cli.options import factor, named_factor
    from apportion.input.budget_file import load_budget
    from apportion.model import InputError
    from apportion.model.messages import problem
    from apportion.model.names import MANIFEST_NAME
    from apportion.rules.calculate import apportion
    from apportion.rules.sweep import sweep
    from apportion.rules.sweep_factors import Input, SweepError

    loaded = load_budget(budget, shares_of(budget, folder, recorded, shares))
    spec = recorded.sweep or {}
    where = "apportion.asked.sweep"

    def refused(place: str, text: str) -> InputError:
        return InputError([problem(str(folder / MANIFEST_NAME), 0, place, f"{text}; it is not what apportion records")])

    ranges, draws, seed = spec.get("ranges"), spec.get("draws"), spec.get("seed")
    if not isinstance(ranges, list) or not ranges:
        raise refused(f"{where}.ranges", "no range is recorded")
    if not all(value is None or (isinstance(value, int) and not isinstance(value, bool)) for value in (draws, seed)):
        raise refused(where, "the draws and the seed are not whole numbers")
    factors = []
    for index, entry in enumerate(ranges):
        place = f"{where}.ranges[{index}]"
        try:
            kind = Input(entry["input"]) if isinstance(entry, dict) else None
            text = entry["range"] if isinstance(entry, dict) and isinstance(entry.get("range"), str) else None
            if kind is None or text is None:
                raise refused(place, "not an input and a range")
            factors.append(named_factor(factor(kind, text, place), loaded))
        except (ValueError, KeyError, TypeError, click.BadParameter) as error:
            raise refused(place, getattr(error, "message", None) or str(error)) from None
    try:
        made = sweep(loaded, factors, draws, seed if seed is not None else 1, threads=min(os.cpu_count() or 1, 4))
    except (ValueError, SweepError) as error:
        raise refused(where, str(error)) from None
    return made, apportion(loaded)
