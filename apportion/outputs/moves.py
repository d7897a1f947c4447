"""Moving a run's files into place, journalled, so that no moment of a kill or a power cut
leaves a folder that is part one run and part another for good.

A run writes its files into a hidden staging folder inside the output folder. The staging
folder's journal (``.apportion-run.json``) says first that the run is writing. When every
file is written and on the disk, the journal is replaced, in one rename, by the list of
moves: each file's name and SHA-256, and that of the file it replaces. Only then are the
files moved into place, one rename each, datapackage.json last.

Whatever stops the run, the next run into the folder (:func:`recover`) finds the staging
folder and makes the folder whole: a run stopped while writing is removed, so the folder is
as that run found it; a run stopped while moving is finished, so the folder holds that run
whole. Each is said in a note. It moves a file only over the one the journal says it
replaces, and removes only a staging folder that holds nothing but regular files and its
journal; anything else refuses the run, naming it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from apportion.model import OutputError
from apportion.model.names import LEDGER_FOLDER, is_ledger_name, is_output_name
from apportion.outputs.manifest import SHA256, FileRecord
from apportion.outputs.read_back import PACKAGE_MOST, Kind, Unreadable, digest_of, entries, ledger_entries, parse_json, read_file

STAGING = ".apportion-staging-"  # the hidden folder a run writes into before it moves the files into place
JOURNAL = ".apportion-run.json"  # in the staging folder: what the run is doing
DRAFT = f"{JOURNAL}.draft"  # the journal's next state, before it replaces the journal
HELD_BACK = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


class Move(NamedTuple):
    """A file to move into place: its name, its SHA-256, and that of the file it replaces (None: none)."""

    name: str
    sha256: str
    replaces: str | None


def begin(folder: Path) -> Path:
    """A new staging folder in ``folder``, its journal saying the run is writing."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
    try:
        write_journal(staging, {"state": "writing"})
    except BaseException:
        discard(staging)
        raise
    return staging


def commit(staging: Path, folder: Path, out_dir: Path, records: Sequence[FileRecord], earlier: dict[str, str]) -> None:
    """Put every file on the disk, journal the moves, then move each file into place
    (``records`` in order, datapackage.json last) and remove the earlier run's files this
    one does not write; ``earlier``: the SHA-256 of each file of the earlier run. SIGTERM,
    SIGINT and SIGHUP wait until it is done; a kill or a power cut is the next run's to finish."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_BACK) if hasattr(signal, "pthread_sigmask") else None
    try:
        moves = [Move(record.name, record.sha256, earlier.get(record.name)) for record in records]
        written = {record.name for record in records}
        removals = [Move(name, sha256, None) for name, sha256 in sorted(earlier.items()) if name not in written]
        try:
            for move in moves:
                synced(staging / move.name)
            write_journal(
                staging, {"state": "moving", "files": [m._asdict() for m in moves], "removes": [m._asdict() for m in removals]}
            )
        except BaseException:
            discard(staging)
            raise
        try:
            finish(staging, folder, out_dir, moves, removals, checked=True)
        except OSError as error:
            raise OutputError(
                f"cannot move the files into {out_dir}: {error.strerror or error}; the next run into it finishes the moves"
            ) from error
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def recover(folder: Path, out_dir: Path) -> list[str]:
    """Make whole a folder that a stopped run left staging folders in (call it holding the
    folder's lock, so that none is a run still writing); notes saying what was done."""
    notes = []
    for entry in entries(folder):
        if not entry.name.startswith(STAGING):
            continue
        staging = folder / entry.name
        if entry.kind is not Kind.FOLDER:
            raise OutputError(f"{out_dir} holds {entry.name}, {entry.kind}, which apportion did not leave; move it away")
        journal = journalled(staging, out_dir)
        if journal is None:
            discard(staging)
            notes.append(
                f"{out_dir}: a run stopped before it moved its files into place left {entry.name}; apportion removed it, "
                "so the folder is as that run found it"
            )
        else:
            finish(staging, folder, out_dir, *journal)
            notes.append(
                f"{out_dir}: a run stopped while it moved its files into place; apportion finished moving them, "
                "so the folder holds that run's outputs, whole"
            )
    return notes


def journalled(staging: Path, out_dir: Path) -> tuple[list[Move], list[Move]] | None:
    """The moves and removals a staging folder's journal lists; None if its run was still writing.
    OutputError if apportion did not leave it: holding anything but regular files, or a
    journal it cannot read, or a file its journal does not list."""
    not_ours = f"{out_dir} holds {staging.name}, which apportion did not leave"
    try:
        found = {entry.name: entry.kind for entry in entries(staging)}
        if found.get(LEDGER_FOLDER) is Kind.FOLDER:  # the members' ledgers it wrote
            del found[LEDGER_FOLDER]
            found |= {entry.name: entry.kind for entry in ledger_entries(staging)}
    except OSError as error:
        raise OutputError(f"{not_ours} (it cannot be read: {error.strerror or error}); move it away") from None
    others = [name for name, kind in found.items() if kind is not Kind.FILE]
    if others:
        raise OutputError(f"{not_ours} (it holds {others[0]!r}, which is not a file); move it away")
    if JOURNAL not in found:
        if set(found) <= {DRAFT}:
            return None  # stopped as it began
        raise OutputError(f"{not_ours} (it has no journal); move it away")
    try:
        state = parse_json(read_file(staging, JOURNAL, PACKAGE_MOST))
    except Unreadable as error:
        raise OutputError(f"{not_ours} (its journal {error}); move it away") from None
    if state.get("state") == "writing":
        return None
    moves, removals = moves_of(state.get("files")), moves_of(state.get("removes"))
    if state.get("state") != "moving" or not moves or removals is None:
        raise OutputError(f"{not_ours} (its journal is not one apportion writes); move it away")
    stray = set(found) - {JOURNAL, DRAFT} - {move.name for move in moves}
    if stray:
        raise OutputError(f"{not_ours} (it holds {min(stray)!r}, which its journal does not list); move it away")
    return moves, removals


def moves_of(listed: object) -> list[Move] | None:
    """The moves a journal lists; None if any is not one apportion writes."""
    moves = [move_of(item) for item in listed] if isinstance(listed, list) else [None]
    return None if None in moves else [move for move in moves if move is not None]


def move_of(item: object) -> Move | None:
    if not isinstance(item, dict):
        return None
    name, sha256, replaces = item.get("name"), item.get("sha256"), item.get("replaces")
    if not (isinstance(name, str) and is_output_name(name) and isinstance(sha256, str) and SHA256.fullmatch(sha256)):
        return None
    if replaces is not None and not (isinstance(replaces, str) and SHA256.fullmatch(replaces)):
        return None
    return Move(name, sha256, replaces)


def finish(staging: Path, folder: Path, out_dir: Path, moves: list[Move], removals: list[Move], *, checked: bool = False) -> None:
    """The moves a run (or one stopped) has yet to make, each over the file it was to
    replace only, then the earlier run's files it does not write, each if unchanged.
    ``checked``: the files were hashed as they were written and those they replace just
    now, by the run itself (a run stopped is checked again). The ledger/ folder is made
    for members' ledgers where there is none, and removed, once empty, where the run
    writes none."""
    ledger = folder / LEDGER_FOLDER
    if any(is_ledger_name(move.name) for move in moves):
        with contextlib.suppress(FileExistsError):
            ledger.mkdir()
        if not ledger.is_dir() or ledger.is_symlink():
            raise OutputError(f"{out_dir}: {LEDGER_FOLDER} is not a folder apportion made; move it away and run again")
    for move in moves:
        if not os.path.lexists(staging / move.name):
            continue  # moved before the run stopped
        if checked:
            os.replace(staging / move.name, folder / move.name)
            continue
        if digest_of(staging, move.name) != move.sha256:
            raise OutputError(
                f"{out_dir}: {move.name}, waiting in {staging.name} to be moved into place, is not what its run wrote; "
                f"the folder holds part of two runs: move {staging.name} away and write the outputs again"
            )
        try:
            now: str | None = digest_of(folder, move.name) if os.path.lexists(folder / move.name) else None
        except Unreadable:
            now = "not a file"
        if now != move.replaces:
            raise OutputError(
                f"{out_dir}: {move.name} changed while a run moved its files into place; "
                "apportion will not overwrite it, so move it away and run again"
            )
        os.replace(staging / move.name, folder / move.name)
    for removal in removals:
        with contextlib.suppress(Unreadable, FileNotFoundError):
            if digest_of(folder, removal.name) == removal.sha256:
                (folder / removal.name).unlink()
    if any(is_ledger_name(r.name) for r in removals) and not any(is_ledger_name(m.name) for m in moves):
        with contextlib.suppress(OSError):
            ledger.rmdir()  # the ledger/ folder an earlier run made, now empty (a link is not a folder rmdir removes)
    synced(folder)
    discard(staging)


def write_journal(staging: Path, state: dict[str, object]) -> None:
    """Replace the journal in one rename, on the disk before and after."""
    draft = staging / DRAFT
    draft.write_text(json.dumps(state), encoding="utf-8")
    synced(draft)
    os.replace(draft, staging / JOURNAL)
    synced(staging)


def synced(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # a file system that cannot sync a folder
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
