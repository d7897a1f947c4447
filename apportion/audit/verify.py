"""Recompute a budget's outputs and compare them with a folder: the auditor's check.

apportion makes, in memory, every file the run would write (the workbooks, the CSV, the
journal if the run wrote one, and datapackage.json, which records the inputs' hashes and
what the run was asked for) and compares each with the folder's, byte for byte. Equal bytes
are reproduced, with nothing parsed. Only a file that differs is read to say how
(:mod:`apportion.audit.differences`): cell by cell, with number formats, fonts and what is
hidden, line by line, key by key; and a file that cannot be read is still named. A file
missing, or one apportion does not write, is a difference too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from apportion.audit.differences import explain
from apportion.model import VERSION, Apportionment, InputFile, Message, Place, Severity
from apportion.model.names import MANIFEST_NAME, book_name
from apportion.outputs.files import actuals_of, checked_files
from apportion.outputs.folder import STAGING
from apportion.outputs.manifest import FileRecord, sha256_of
from apportion.outputs.provenance import provenance_of
from apportion.rules.report_figures import PanelReport


@dataclass
class Verification:
    """What verify found: the files that differ, each difference, and notes on the inputs."""

    differences: list[Message] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files that differ, missing or added
    notes: list[str] = field(default_factory=list)
    inputs_changed: bool = False

    @property
    def reproduced(self) -> bool:
        return not self.files and not self.inputs_changed

    def differ(self, name: str, messages: list[Message]) -> None:
        self.files.append(name)
        self.differences.extend(messages)


def verify(
    result: Apportionment,
    folder: Path,
    *,
    journal: bool = False,
    parallel: bool = True,
    made: Sequence[tuple[str, bytes]] | None = None,
    panel: PanelReport | None = None,
) -> Verification:
    """Compare the outputs in ``folder`` with those ``result`` makes (with the journal if
    ``journal``, the panel report if ``panel``), file by file; or, given ``made``, with those
    files (a monitoring report's, whose inputs include the spreadsheets of actuals, or a
    panel report's, whose inputs include last year's files)."""
    report = Verification()
    recorded = recorded_package(folder)
    if recorded is not None:
        also = panel.inputs if panel is not None else actuals_of(result) if made is not None else ()
        check_inputs(result, recorded, report, also)
    members = {book_name(member): member for member in result.budget.member_names}
    expected_names = set()

    def unlike(name: str, data: bytes) -> bytes | None:
        """None if the folder's file has the same bytes (read a block at a time, nothing
        parsed); else the bytes it should have. Run where the file is made."""
        path = folder / name
        if path.is_file() and path.stat().st_size == len(data) and sha256_of(path) == hashlib.sha256(data).hexdigest():
            return None
        return data

    files = (
        checked_files(result, unlike, journal=journal, parallel=parallel, report=panel)
        if made is None
        else ((FileRecord.of(name, data), unlike(name, data)) for name, data in made)
    )
    for record, data in files:
        name = record.name
        expected_names.add(name)
        path = folder / name
        if data is None:
            continue
        if not path.is_file():
            report.differ(name, [difference(name, "", "the file is missing")])
            continue
        report.differ(name, explain(name, data, path.read_bytes(), members.get(name, "")))
    for path in sorted(folder.iterdir()):
        if path.name in expected_names:
            continue
        if path.name.startswith(STAGING):
            report.notes.append(f"{path.name} is what an interrupted apportion run left; it may be removed")
            continue
        report.differ(path.name, [difference(path.name, "", "apportion does not write this file here")])
    return report


def difference(name: str, where: str, text: str) -> Message:
    return Message(text, Place(name, 0, where), Severity.DIFFERENCE)


def recorded_package(folder: Path) -> dict[str, object] | None:
    try:
        package = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return package if isinstance(package, dict) else None


def check_inputs(result: Apportionment, package: dict[str, object], report: Verification, also: Sequence[InputFile] = ()) -> None:
    """Say plainly when the inputs or the version differ from those the outputs record."""
    record = package.get("apportion")
    if not isinstance(record, dict):
        return
    version = record.get("version")
    if isinstance(version, str) and version != VERSION:
        report.notes.append(f"the outputs were made by apportion {version}; this is apportion {VERSION}")
    recorded = {}
    for entry in record.get("inputs", []) if isinstance(record.get("inputs"), list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            recorded[entry["path"]] = str(entry.get("hash", "")).removeprefix("sha256:")
    for path, digest in provenance_of(result, also).inputs:
        if path not in recorded:
            report.inputs_changed = True
            report.notes.append(f"{path} is an input now, but the outputs record no such input")
        elif recorded[path] != digest:
            report.inputs_changed = True
            report.notes.append(f"{path} differs from the input recorded: recorded sha256 {recorded[path]}, now {digest}")


def report_lines(report: Verification) -> Iterator[str]:
    """The notes, then each difference, file by file ('summary.xlsx: Summary!C5: ...')."""
    yield from (f"note: {note}" for note in report.notes)
    yield from (str(message) for message in report.differences)
