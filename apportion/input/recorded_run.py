"""What a folder of outputs records it was made from, read back for ``verify``: the scenario,
the what-ifs (written as a budget file's scenario changes), the shares file given in place
of the budget's own, and whether the journal and the members' ledgers were written
(datapackage.json, ``apportion.asked``).

The record is a claim like any other: an input file it names is read only if it is a
regular file, named relative to the budget file, no larger than the readers read, and the
same size when read as its entry says (not a device, and not the likes of /proc, whose
files say they are empty).
"""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, NamedTuple

from apportion.input.reader import Reader
from apportion.input.scenarios import read_change
from apportion.input.yaml_file import MAX_BYTES, Document
from apportion.model import Budget, Change, InputError, Member, Message
from apportion.model.ledger import LAYOUTS
from apportion.model.messages import problem
from apportion.model.names import MANIFEST_NAME


class RecordedRun(NamedTuple):
    """The run a folder's outputs were made by, as its datapackage.json records it."""

    scenario: str | None
    what_ifs: tuple[Any, ...]  # changes as a budget file writes them, read once the budget is loaded
    shares: str | None  # relative to the budget file
    journal: bool
    label: str = ""  # the variant in words, as the outputs name it
    what_ifs_from: str | None = None  # the plan year the what-ifs took effect from
    revised_from: date | None = None  # the date the variant revised the instalments from
    kind: str = "run"  # what wrote the folder: run, compare, sweep, monitor or report
    period: str | None = None  # a monitoring report's period ('Q2'), or two compared ('Q1:Q2')
    compared: dict[str, Any] | None = None  # a comparison's scenario compared from, and other budget
    sweep: dict[str, Any] | None = None  # a sweep's ranges (as typed), draws and seed
    ledger: str | None = None  # the layout the members' ledgers were written in
    report: dict[str, Any] | None = None  # what the panel report was asked to show, where the folder holds one

    def describe(self) -> str:
        if not (self.scenario or self.what_ifs or self.shares):
            return "the budget as written"
        shares = f" with the shares file {self.shares}" if self.shares else ""
        return f"{self.label or 'the budget as written'}{shares}"


def recorded_run(package: dict[str, Any]) -> RecordedRun | None:
    """The run a folder's datapackage.json (parsed, within bounds) records, or None if it records none."""
    try:
        asked = package["apportion"]["asked"]
        scenario, what_ifs, shares = asked.get("scenario"), asked.get("what_ifs", []), asked.get("shares")
        journal = asked.get("journal", False)
        label = package["apportion"].get("scenario", "")
        from_year = asked.get("what_ifs_from")
        revised = date.fromisoformat(asked["revised_from"]) if "revised_from" in asked else None
        kind, period = package["apportion"].get("kind", "run"), asked.get("period")
        ledger = asked.get("ledger")
        compared, sweep = asked.get("compared"), asked.get("sweep")
        report = asked.get("report")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not (scenario is None or isinstance(scenario, str)) or not isinstance(what_ifs, list):
        return None
    shares = shares if isinstance(shares, str) else None
    return RecordedRun(
        scenario, tuple(what_ifs), shares, journal is True, label if isinstance(label, str) else "",
        from_year if isinstance(from_year, str) else None, revised,
        kind if isinstance(kind, str) else "run", period if isinstance(period, str) else None,
        compared if isinstance(compared, dict) else None, sweep if isinstance(sweep, dict) else None,
        ledger if isinstance(ledger, str) and ledger in LAYOUTS else None,
        report if isinstance(report, dict) else None,
    )  # fmt: skip


def recorded_changes(run: RecordedRun, folder: Path, budget: Budget) -> list[Change]:
    """The recorded what-ifs as changes to ``budget``; InputError if one no longer fits it."""
    document = Document(str(folder / MANIFEST_NAME), root={"what_ifs": list(run.what_ifs)})
    problems: list[Message] = []
    reader = Reader(document, problems, members={m.name: Member(m.name, m.kind) for m in budget.members})
    reader.bases = budget.bases
    changes = [
        read_change(reader, entry, ("apportion", "asked", "what_ifs", i), budget.units) for i, entry in enumerate(run.what_ifs)
    ]
    if problems:
        raise InputError(problems)
    return [change for change in changes if change is not None]


def recorded_input(budget: Path, path: object, folder: Path, where: str) -> Path:
    """The input file a folder's datapackage.json names at ``where`` (relative to the budget
    file's folder), if it may be read; InputError saying why not otherwise."""
    manifest = str(folder / MANIFEST_NAME)

    def refused(why: str) -> InputError:
        return InputError([problem(manifest, 0, where, f"{path!r} {why}; give the file on the command line instead")])

    if not isinstance(path, str) or not path or "\x00" in path:
        raise refused("is not the name of a file")
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() or PureWindowsPath(path).drive:
        raise refused("is not named relative to the budget file, as apportion records its inputs")
    target = budget.parent / path
    try:
        status = target.stat()
        if not stat.S_ISREG(status.st_mode):
            raise refused("is not a regular file")
        if status.st_size > MAX_BYTES:
            raise refused(f"is {status.st_size:,} bytes, more than apportion reads ({MAX_BYTES:,})")
        with target.open("rb", buffering=0) as stream:
            if len(stream.read(MAX_BYTES + 1)) != status.st_size:
                raise refused("reads differently from its size, as no file apportion reads does")
    except OSError as error:
        raise refused(f"cannot be read: {error.strerror or error}") from None
    return target
