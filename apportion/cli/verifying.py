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
    from apportion.audit.verify import remade_from, remade_run, report_lines
    from apportion.audit.verify import verify as verify_outputs
    from apportion.cli.monitoring import recorded_report

    with reported(ctx):
        recorded = recorded_in(folder)
        result, journal, notes = recorded_or_given(budget, folder, recorded, shares, options)
        make = recorded_report(budget, recorded, result)  # a monitoring report's files, if FOLDER holds one
        remade = remade_run(result, journal=journal) if make is None else remade_from(result, make)
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
) -> tuple[Any, bool, list[str]]:
    """The run to check a folder against: the one its outputs record, unless a scenario,
    what-ifs or a shares file are given. Returns the result, whether a journal is expected,
    and notes saying which run is checked."""
    from apportion.input.budget_file import load_budget
    from apportion.input.recorded_run import recorded_changes, recorded_input
    from apportion.model.names import JOURNAL_NAME
    from apportion.rules.calculate import apportion
    from apportion.rules.prepare import prepare

    given = shares is not None or options.get("scenario") is not None or any(options.get(key) for key in WHAT_IF_OPTIONS)
    if recorded is None:
        note = f"{folder} has no datapackage.json that apportion can read, so what run made it is not known"
        return load_run(budget, shares, options), (folder / JOURNAL_NAME).is_file(), [note]
    if given:
        note = f"checking the scenario and what-ifs given here; the outputs record {recorded.describe()}"
        return load_run(budget, shares, options), recorded.journal, [note]
    recorded_shares = recorded_input(budget, recorded.shares, folder, "apportion.asked.shares") if recorded.shares else None
    loaded = load_budget(budget, recorded_shares)
    changes = recorded_changes(recorded, folder, loaded)
    result = apportion(prepare(loaded, recorded.scenario, changes, recorded.what_ifs_from, recorded.revised_from))
    notes = (
        [f"checking the run the outputs record: {recorded.describe()}"] if recorded.describe() != "the budget as written" else []
    )
    return result, recorded.journal, notes
