"""The inputs a folder's outputs were made from, matched by content: a file's name is
informational.

datapackage.json records each input by its path (relative to the budget file) and its
SHA-256. An input read now is the one recorded when the contents are the same, whatever it
is called: verify then says that only the name differs, and makes the outputs again with
the recorded name, so that a byte-identical budget saved under another name reproduces.
An input whose contents are not recorded, or a recorded one not read now, means the inputs
differ.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from apportion.model import Apportionment, Budget, InputFile
from apportion.outputs.provenance import relative

Named = tuple[str, str]  # (path relative to the budget file's folder, SHA-256)


class Matching(NamedTuple):
    """How the inputs read now match those recorded."""

    renames: dict[str, str]  # an input's name now -> its recorded name, where only the name differs
    notes: list[str]
    changed: bool  # an input read now is not recorded, or one recorded is not read now


def recorded_inputs(package: Mapping[str, Any]) -> list[Named]:
    """The inputs a parsed datapackage.json records (what is not a path and a hash is passed over)."""
    record = package.get("apportion")
    entries = record.get("inputs") if isinstance(record, dict) else None
    return [
        (entry["path"], str(entry.get("hash", "")).removeprefix("sha256:"))
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    ]


def matched(now: Sequence[Named], recorded: Sequence[Named]) -> Matching:
    """Each input read now matched to a recorded one: by name and content, else by content."""
    unmatched = list(recorded)
    pending = []
    for entry in now:
        if entry in unmatched:
            unmatched.remove(entry)
        else:
            pending.append(entry)
    renames, notes, changed = {}, [], False
    for path, digest in pending:
        same = next((entry for entry in unmatched if entry[1] == digest and "\x00" not in entry[0]), None)
        if same is not None:
            unmatched.remove(same)
            renames[path] = same[0]
            notes.append(f"{path} has the content of the input the outputs record as {same[0]} (sha256 {digest}); "
                         "only the name differs")  # fmt: skip
            continue
        changed = True
        before = next((entry for entry in unmatched if entry[0] == path), None)
        if before is None:
            notes.append(f"{path} is an input now, but the outputs record no such input")
        else:
            unmatched.remove(before)
            notes.append(f"{path} differs from the input recorded: recorded sha256 {before[1]}, now {digest}")
    for path, digest in unmatched:
        changed = True
        notes.append(f"the outputs record the input {path!r} (sha256 {digest}), which this run does not read")
    return Matching(renames, notes, changed)


def renamed(result: Apportionment, renames: Mapping[str, str], base: Path | None = None) -> Apportionment:
    """``result`` with its input files named as recorded (``renames``, names relative to
    ``base``, by default the budget file's folder), so that its outputs record those names."""
    budget = renamed_budget(result.budget, renames, base)
    return result if budget is result.budget else dataclasses.replace(result, budget=budget)


def renamed_budget(budget: Budget, renames: Mapping[str, str], base: Path | None = None) -> Budget:
    """``budget`` with its input files (and its spreadsheets of actuals) named as recorded."""
    if not renames or not budget.input_files:
        return budget
    folder = (base or Path(budget.input_files[0].path).parent).absolute()

    def named(files: tuple[InputFile, ...]) -> tuple[InputFile, ...]:
        return tuple(
            f._replace(path=str(folder / renames[relative(f.path, folder)])) if relative(f.path, folder) in renames else f
            for f in files
        )

    monitoring = budget.monitoring._replace(input_files=named(budget.monitoring.input_files)) if budget.monitoring else None
    return dataclasses.replace(budget, input_files=named(budget.input_files), monitoring=monitoring)
