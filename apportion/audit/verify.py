"""Recompute a budget's outputs and compare them with a folder: the auditor's check.

apportion makes, in memory, every file the run would write (the workbooks, the CSVs, the
journal and the members' ledgers if the run wrote them, and datapackage.json, which records the inputs' hashes and
what the run was asked for) and compares each with the folder's, byte for byte. Equal bytes
are reproduced, with nothing parsed. Only a file that differs is read to say how
(:mod:`apportion.audit.differences`): cell by cell, line by line, key by key; and a file
that cannot be read is still named.

Nothing in the folder is trusted: only regular files directly in it (and in ledger/, where
apportion writes members' ledgers, itself a folder and not a link) are opened, never
through a link (a link, a folder, a device is named for what it is, and not read); a file
larger than apportion could write there is not read at all; what is read is measured before
it is parsed. A file missing, one apportion does not write, or a staging folder a stopped
run left (the folder may then hold part of two runs) is a difference too.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.audit.differences import explain, most_bytes
from apportion.audit.inputs import matched, recorded_inputs, renamed
from apportion.model import VERSION, Apportionment, Message, OutputError, Place, Severity
from apportion.model.names import LEDGER_FOLDER, MANIFEST_NAME, book_name
from apportion.outputs.files import A_RUN, actuals_of, checked_files, comparison_files, sweep_files
from apportion.outputs.manifest import FileRecord, Run, both_sides
from apportion.outputs.moves import STAGING
from apportion.outputs.provenance import provenance_of
from apportion.outputs.read_back import Entry, Kind, Unreadable, digest_of, entries, ledger_entries, read_file, read_package

if TYPE_CHECKING:
    from apportion.rules.compare import Comparison
    from apportion.rules.report_figures import PanelReport
    from apportion.rules.sweep import Sweep

STOPPED = (
    "left by a run that was stopped before it finished: the folder may hold part of one run and part of another "
    "(the next run into it makes it whole)"
)


@dataclass
class Verification:
    """What verify found: the files that differ, each difference, and notes on the inputs."""

    differences: list[Message] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files that differ, missing or added
    notes: list[str] = field(default_factory=list)
    inputs_changed: bool = False
    stopped: list[str] = field(default_factory=list)  # staging folders a stopped run left

    @property
    def reproduced(self) -> bool:
        return not self.files and not self.inputs_changed and not self.stopped

    def differ(self, name: str, messages: list[Message]) -> None:
        self.files.append(name)
        self.differences.extend(messages)


Check = Callable[[str, bytes], bytes | None]  # a file's bytes -> None if the folder's are the same
Made = Iterable[tuple[FileRecord, bytes | None]]


class Remade(NamedTuple):
    """What a folder is checked against: the inputs read now (names relative to the budget
    file, SHA-256), the workbooks' members, and the files, made with the inputs named as
    the outputs record them (``files(renames, check)``: each file's record, and what
    ``check`` returns of its bytes, run where the file is made)."""

    inputs: tuple[tuple[str, str], ...]
    files: Callable[[Mapping[str, str], Check], Made]
    members: Mapping[str, str] = {}  # a member's workbook -> the member


def remade_run(result: Apportionment, run: Run = A_RUN, *, parallel: bool = True, panel: PanelReport | None = None) -> Remade:
    """A run's outputs (with the journal and the members' ledgers where ``run`` asks for them,
    the panel report if ``panel``, whose inputs include last year's files and the actuals)."""

    def files(renames: Mapping[str, str], check: Check) -> Made:
        return checked_files(renamed(result, renames), check, run, parallel=parallel, report=panel)

    members = {book_name(member): member for member in result.budget.member_names}
    return Remade(provenance_of(result, panel.inputs if panel is not None else ()).inputs, files, members)


def remade_report(result: Apportionment, panel: PanelReport) -> Remade:
    """The panel report written on its own (``apportion report``), and its datapackage.json."""
    from apportion.outputs.report.written import report_files

    def files(renames: Mapping[str, str], check: Check) -> Made:
        return checked(report_files(panel, renamed(result, renames)), check)

    return Remade(provenance_of(result, panel.inputs).inputs, files)


def remade_from(result: Apportionment, make: Callable[[Apportionment], Sequence[tuple[str, bytes]]]) -> Remade:
    """Files ``make`` makes from ``result`` (a monitoring report's, whose inputs include the
    spreadsheets of actuals)."""

    def files(renames: Mapping[str, str], check: Check) -> Made:
        return checked(make(renamed(result, renames)), check)

    return Remade(provenance_of(result, actuals_of(result)).inputs, files)


def remade_comparison(comparison: Comparison) -> Remade:
    """A comparison's outputs, its inputs those of both sides, named from the first budget's folder."""
    first = comparison.before.budget.input_files
    base = Path(first[0].path).parent if first else Path()

    def files(renames: Mapping[str, str], check: Check) -> Made:
        before, after = (renamed(side, renames, base) for side in (comparison.before, comparison.after))
        return checked(comparison_files(comparison._replace(before=before, after=after)), check)

    before, after = provenance_of(comparison.before), provenance_of(comparison.after)
    return Remade(both_sides(comparison, before, after).inputs, files)


def remade_sweep(sweep: Sweep, base: Apportionment) -> Remade:
    """A sweep's outputs (``base``: the budget as written, apportioned)."""

    def files(renames: Mapping[str, str], check: Check) -> Made:
        return checked(sweep_files(sweep, renamed(base, renames)), check)

    return Remade(provenance_of(base).inputs, files)


def checked(files: Iterable[tuple[str, bytes]], check: Check) -> Made:
    return ((FileRecord.of(name, data), check(name, data)) for name, data in files)


def verify(folder: Path, remade: Remade) -> Verification:
    """Compare the outputs in ``folder`` with those ``remade`` makes, file by file, and the
    inputs it reads with those the folder records."""
    report = Verification()
    try:
        found = {entry.name: entry for entry in entries(folder)}
        if LEDGER_FOLDER in found and found[LEDGER_FOLDER].kind is Kind.FOLDER:  # where apportion writes members' ledgers
            del found[LEDGER_FOLDER]
            found |= {entry.name: entry for entry in ledger_entries(folder)}
    except OSError as error:
        raise OutputError(f"cannot read {folder}: {error.strerror or error}") from error
    renames: dict[str, str] = {}
    with contextlib.suppress(Unreadable):
        if MANIFEST_NAME in found:
            renames = check_inputs(read_package(folder), remade.inputs, report)
    expected_names = set()

    def unlike(name: str, data: bytes) -> bytes | None:
        """None if the folder's file has the same bytes (read a block at a time, nothing
        parsed); else the bytes it should have. Run where the file is made."""
        entry = found.get(name)
        if entry is not None and entry.kind is Kind.FILE and entry.size == len(data):
            with contextlib.suppress(Unreadable):
                if digest_of(folder, name) == hashlib.sha256(data).hexdigest():
                    return None
        return data

    for record, data in remade.files(renames, unlike):
        expected_names.add(record.name)
        if data is not None:
            report.differ(record.name, differences_of(folder, record.name, found.get(record.name), data, remade.members))
    for name, entry in sorted(found.items()):
        if name.startswith(STAGING):
            report.stopped.append(name)
            report.differences.append(difference(name, "", STOPPED))
        elif name not in expected_names:
            what = "this file" if entry.kind is Kind.FILE else f"{entry.kind} (not followed or read), nor anything"
            report.differ(name, [difference(name, "", f"apportion does not write {what} here")])
    return report


def differences_of(folder: Path, name: str, entry: Entry | None, expected: bytes, members: Mapping[str, str]) -> list[Message]:
    """How the folder's ``name`` differs from ``expected``, once it is known to be a regular
    file no larger than apportion could write there."""
    if entry is None:
        return [difference(name, "", "the file is missing")]
    if entry.kind is not Kind.FILE:
        return [difference(name, "", f"{entry.kind}, where apportion writes a file; it was not followed or read")]
    most = most_bytes(len(expected))
    if entry.size > most:
        return [difference(name, "", f"the file is {entry.size:,} bytes, more than apportion reads here ({most:,}); "
                                     "it is not what apportion writes")]  # fmt: skip
    try:
        data = read_file(folder, name, most)
    except Unreadable as error:
        return [difference(name, "", f"the file {error}")]
    return explain(name, expected, data, members.get(name, ""))


def difference(name: str, where: str, text: str) -> Message:
    return Message(text, Place(name, 0, where), Severity.DIFFERENCE)


def check_inputs(package: dict[str, Any], inputs: Sequence[tuple[str, str]], report: Verification) -> dict[str, str]:
    """Say plainly when the inputs or the version differ from those the outputs record;
    the inputs whose names only differ, to make the outputs with the names recorded."""
    record = package.get("apportion")
    version = record.get("version") if isinstance(record, dict) else None
    if isinstance(version, str) and version != VERSION:
        report.notes.append(f"the outputs were made by apportion {version}; this is apportion {VERSION}")
    if not isinstance(record, dict):
        return {}
    matching = matched(inputs, recorded_inputs(package))
    report.notes += matching.notes
    report.inputs_changed = matching.changed
    return matching.renames


def report_lines(report: Verification) -> Iterator[str]:
    """The notes, then each difference, file by file ('summary.xlsx: Summary!C5: ...')."""
    yield from (f"note: {note}" for note in report.notes)
    yield from (str(message) for message in report.differences)
