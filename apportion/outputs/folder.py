"""The all-or-nothing folder writer: never a file lost, never a file half-written, whatever
stops the run.

* The folder is checked first (:func:`check_target`): apportion writes into a new or empty
  folder or, with ``force``, one that holds only what an earlier run wrote there. Its
  datapackage.json is a claim, not a fact: a forced run replaces or removes only regular
  files directly in the folder whose names its own writer gives (the files it writes, and
  the other fixed names of its kind of output, such as a journal it does not write this
  time), that the manifest lists and that are unchanged since; and members' ledgers, in
  ``ledger/``, the one folder apportion makes, only where the manifest lists ledgers in it
  and it is a folder, not a link (a run that writes none removes it once empty). Anything else (a workbook of
  a member it does not write, a link, a folder, a manifest listing a path apportion never
  writes) refuses the run, naming it. So do a folder holding an input of this run and
  folders no one means (the top of the file system, the home folder, the folders above the
  current one).
* A folder given as a symbolic link is written into where the link points; the link is
  never renamed or replaced. A new folder, and every file, takes the user's umask; an
  existing folder keeps its own mode.
* Everything is written into a hidden staging folder inside the target and moved into
  place only when all is complete, journalled (:mod:`apportion.outputs.moves`): any error
  or signal before then removes the staging folder and leaves the folder as it was, and a
  kill or a power cut at any moment leaves a staging folder from which the next run makes
  the folder whole, saying whether it holds the earlier run or the new one. One run
  writes into a folder at a time.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path

from apportion.model import OutputError
from apportion.model import names as named
from apportion.model.names import MANIFEST_NAME
from apportion.outputs.manifest import FileRecord, names_of, recorded_files
from apportion.outputs.moves import STAGING, begin, commit, discard, recover
from apportion.outputs.read_back import Entry, Kind, Unreadable, digest_of, entries, ledger_entries

Writer = Callable[[Path], list[FileRecord]]  # writes a run's files into a folder, datapackage.json last
# The fixed names of each kind of output (a run's beside its members' workbooks): a run may
# remove a file of an earlier run of its kind that it does not write this time.
KINDS_OF_OUTPUT = (
    frozenset(
        {
            named.CSV_NAME,
            named.INSTALMENTS_NAME,
            named.YEAR_END_NAME,
            named.ACCOUNTS_NAME,
            named.EXITS_NAME,
            named.SUMMARY_NAME,
            named.JOURNAL_NAME,
        }
    ),  # fmt: skip
    frozenset({named.COMPARISON_BOOK, named.COMPARISON_CSV}),
    frozenset({named.SWEEP_BOOK, named.SWEEP_CSV}),
    frozenset({named.MONITORING_BOOK, named.POSITIONS_CSV, named.VARIANCE_SHARES_CSV}),
    frozenset({named.MOVEMENT_BOOK, named.MOVEMENT_CSV}),
)


# --- where apportion may write -----------------------------------------------------------


class FolderMadeWhole(UserWarning):
    """A library caller's folder held what a stopped run left, and apportion finished or
    removed it before writing (the command line prints the same words as a note)."""


def check_target(out_dir: Path, *, force: bool, inputs: Sequence[str | Path] = ()) -> list[str]:
    """Refuse a folder apportion must not write into, saying what it holds and what to do
    (OutputError). A folder a stopped run left unfinished is first made whole; the notes
    returned say how."""
    notes = make_whole(out_dir, inputs)
    if out_dir.exists():
        earlier_run(out_dir.resolve(), out_dir, force=force)
    return notes


def make_whole(out_dir: Path, inputs: Sequence[str | Path] = ()) -> list[str]:
    """Finish, or remove, what a stopped run left in the folder (:func:`recover`), if it may
    be written into at all; notes saying what was done."""
    folder = target_folder(out_dir, inputs)
    if not folder.exists() or not any(entry.name.startswith(STAGING) for entry in listed(folder, out_dir)):
        return []
    with locked(folder, out_dir):
        return recover(folder, out_dir)


def target_folder(out_dir: Path, inputs: Sequence[str | Path]) -> Path:
    """The folder ``out_dir`` names, if it may be written into at all."""
    if out_dir.is_symlink() and not out_dir.exists():
        raise OutputError(f"{out_dir} is a link to {os.readlink(out_dir)}, which does not exist; choose another --out")
    folder = out_dir.resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder; choose another --out")
    unmeant = unmeant_folders()
    if folder in unmeant:
        raise OutputError(
            f"{out_dir} is {unmeant[folder]}; give the outputs a folder of their own, such as {out_dir / 'outputs'}"
        )
    held = [Path(p) for p in inputs if folder in Path(p).resolve().parents]
    if held:
        raise OutputError(f"{out_dir} holds {names_of(held)}, an input of this run; give the outputs a folder of their own")
    return folder


def earlier_run(folder: Path, out_dir: Path, *, force: bool, names: Collection[str] | None = None) -> dict[str, str]:
    """The SHA-256 of each file an earlier run wrote in ``folder`` (datapackage.json too),
    which a forced run writing ``names`` (None: not yet known) may replace or remove;
    OutputError naming anything else the folder holds."""
    found = [entry for entry in listed(folder, out_dir) if not entry.name.startswith(STAGING)]
    if not found:
        return {}
    if MANIFEST_NAME not in {entry.name for entry in found}:
        raise OutputError(
            f"{out_dir} holds {names_of(e.name for e in found)} but no {MANIFEST_NAME}, so apportion cannot tell which "
            "files it wrote; choose another --out, or move those files away"
        )
    try:
        recorded = recorded_files(folder)
    except Unreadable as error:
        raise OutputError(
            f"{out_dir}: its {MANIFEST_NAME} {error}, so apportion cannot tell which files it wrote; "
            "choose another --out, or move those files away"
        ) from None
    found = with_ledgers(folder, out_dir, found, recorded)
    not_files = [entry for entry in found if entry.kind is not Kind.FILE]
    if not_files:
        what = ", ".join(f"{entry.name} ({entry.kind})" for entry in not_files[:5])
        raise OutputError(
            f"{out_dir} holds {what}; apportion writes only files and never replaces anything else, "
            "so choose another --out, or move it away"
        )
    others = [entry.name for entry in found if entry.name != MANIFEST_NAME and entry.name not in recorded]
    if others:
        raise OutputError(
            f"{out_dir} holds files apportion did not write: {names_of(others)}; it replaces only its own outputs, "
            "so choose another --out, or move those files away"
        )
    ours = set(names).union(*(kind for kind in KINDS_OF_OUTPUT if kind & set(names))) if names is not None else set()
    ours |= named.ledgers_of(ours)  # and the ledgers of the members whose workbooks it writes
    unwritten = [entry.name for entry in found if entry.name not in ours] if names is not None else []
    if unwritten:
        raise OutputError(
            f"{out_dir} holds {names_of(unwritten)}, which this run does not write; apportion replaces or removes "
            "only the files of its own kind of output, so choose another --out, or move them away"
        )
    digests = {entry.name: digest(folder, entry.name) for entry in found}
    changed = [name for name, sha256 in digests.items() if name != MANIFEST_NAME and sha256 != recorded[name]]
    if changed:
        raise OutputError(
            f"{out_dir}: {names_of(changed)} changed after apportion wrote them; it will not overwrite them, "
            "so choose another --out, or move them away"
        )
    if not force:
        raise OutputError(f"{out_dir} holds the outputs of an earlier run; add --force to replace them, or choose another --out")
    return digests


def with_ledgers(folder: Path, out_dir: Path, found: list[Entry], recorded: dict[str, str]) -> list[Entry]:
    """The folder's entries with, in place of ledger/, the files in it: where ledger/ is a
    folder (not a link) and the earlier run's manifest lists members' ledgers in it, so that
    apportion made it. Otherwise ledger/ stays one entry, which is not apportion's."""
    made = any(named.is_ledger_name(name) for name in recorded)
    ledger = next((entry for entry in found if entry.name == named.LEDGER_FOLDER and entry.kind is Kind.FOLDER), None)
    if ledger is None or not made:
        return found
    try:
        inside = ledger_entries(folder)
    except OSError as error:
        raise OutputError(f"cannot read {out_dir / named.LEDGER_FOLDER}: {error.strerror or error}") from error
    return [entry for entry in found if entry is not ledger] + inside


def listed(folder: Path, out_dir: Path) -> list[Entry]:
    try:
        return entries(folder)
    except OSError as error:
        raise OutputError(f"cannot read {out_dir}: {error.strerror or error}") from error


def digest(folder: Path, name: str) -> str:
    try:
        return digest_of(folder, name)
    except Unreadable as error:
        raise OutputError(f"{folder / name} {error}") from None


def unmeant_folders() -> dict[Path, str]:
    """Folders no one means as --out, with what each is."""
    cwd = Path.cwd().resolve()
    unmeant = {parent: "a folder above the current one" for parent in cwd.parents}
    unmeant[Path.home().resolve()] = "your home folder"
    unmeant[Path("/")] = "the top of the file system"
    return unmeant


# --- writing, all or nothing -------------------------------------------------------------


def write_atomically(out_dir: Path, write: Writer, *, force: bool, inputs: Sequence[str | Path] = ()) -> list[Path]:
    """Run ``write`` into a staging folder inside ``out_dir`` and move what it wrote into place.

    ``write`` returns the records of the files it wrote, datapackage.json last.
    """
    for note in check_target(out_dir, force=force, inputs=inputs):
        warnings.warn(note, FolderMadeWhole, stacklevel=3)  # the command line has made it whole, and said so, first
    folder = out_dir.resolve()
    created = make_folder(folder)
    try:
        with locked(folder, out_dir):
            recover(folder, out_dir)  # a run stopped since the check
            staging = begin(folder)
            try:
                records = write(staging)
                replaced = earlier_run(folder, out_dir, force=force, names={record.name for record in records})
            except BaseException:
                discard(staging)
                raise
            commit(staging, folder, out_dir, records, replaced)
    except BaseException as error:
        if created:
            remove_if_empty(folder)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {out_dir}: {error.strerror or error}") from error
        raise
    return [out_dir / record.name for record in records]


def make_folder(folder: Path) -> bool:
    """Create the folder (and its parents) with the user's umask; True if this run made it."""
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as error:
        raise OutputError(f"cannot make {folder}: {error.strerror or error}") from error
    return True


def remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


@contextlib.contextmanager
def locked(folder: Path, out_dir: Path) -> Iterator[None]:
    """One run writes into a folder at a time: a second is refused while the first writes."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system: no lock
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another apportion run is writing into {out_dir}; try again when it has finished") from None
        yield
    finally:
        os.close(descriptor)


def put(folder: Path, name: str, data: bytes) -> FileRecord:
    """Write one file of a run (a member's ledger in the ledger/ folder, made where it is not)."""
    if named.is_ledger_name(name):
        (folder / named.LEDGER_FOLDER).mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return FileRecord.of(name, data)
