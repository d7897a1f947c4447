"""The all-or-nothing folder writer: never a file lost, never a file half-written.

* The folder is checked first (:func:`check_target`): apportion writes into a new or empty
  folder, or, with ``force``, one that holds only what an earlier run wrote there, as its
  datapackage.json lists them and unchanged since. Every file is at the top of the folder
  but members' ledger journals, in the one folder apportion makes, ``ledger/``; it is
  apportion's only where an earlier run wrote ledgers there, and is removed when a later
  run writes none, once empty. It refuses, naming the files, a folder
  that holds anything else or an input of this run, and refuses folders no one means
  (the top of the file system, the home folder, the folders above the current one).
* A folder given as a symbolic link is written into where the link points; the link is
  never renamed or replaced. A new folder, and every file, takes the user's umask; an
  existing folder keeps its own mode.
* Everything is written into a hidden staging folder inside the target and moved into
  place file by file only when all is complete, datapackage.json last, with SIGTERM,
  SIGINT and SIGHUP held back for those few moments. Any failure or signal before then
  removes the staging folder and leaves what the folder held as it was. One run writes
  into a folder at a time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from apportion.model import OutputError
from apportion.model.names import LEDGER_FOLDER, MANIFEST_NAME
from apportion.outputs.manifest import FileRecord, names_of, recorded_files, sha256_of

STAGING = ".apportion-staging-"  # the hidden folder a run writes into before it moves the files into place
HELD_BACK = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}

Writer = Callable[[Path], list[FileRecord]]  # writes a run's files into a folder, datapackage.json last


# --- where apportion may write -----------------------------------------------------------


def check_target(out_dir: Path, *, force: bool, inputs: Sequence[str | Path] = ()) -> dict[str, str]:
    """Refuse a folder apportion must not write into, saying what it holds and what to do.

    Returns the files an earlier run wrote there (name -> SHA-256), which a forced run may
    replace. Raises OutputError otherwise.
    """
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
    if not folder.exists():
        return {}
    entries = [entry for entry in folder.iterdir() if not entry.name.startswith(STAGING)]
    if not entries:
        return {}
    earlier = recorded_files(folder)
    if earlier is None:
        raise OutputError(
            f"{out_dir} holds {names_of(entries)} but no {MANIFEST_NAME}, so apportion cannot tell which files it wrote; "
            "choose another --out, or move those files away"
        )
    others = [name for name, path in contents(folder, earlier) if name != MANIFEST_NAME and not written(name, path, earlier)]
    if others:
        raise OutputError(
            f"{out_dir} holds files apportion did not write: {names_of(others)}; it replaces only its own outputs, "
            "so choose another --out, or move those files away"
        )
    changed = [name for name, digest in earlier.items() if (folder / name).is_file() and sha256_of(folder / name) != digest]
    if changed:
        raise OutputError(
            f"{out_dir}: {names_of(changed)} changed after apportion wrote them; it will not overwrite them, "
            "so choose another --out, or move them away"
        )
    if not force:
        raise OutputError(f"{out_dir} holds the outputs of an earlier run; add --force to replace them, or choose another --out")
    return earlier


def contents(folder: Path, earlier: dict[str, str]) -> list[tuple[str, Path]]:
    """What the folder holds, by name: its entries, and the files in ledger/ where the earlier
    run wrote members' ledgers there (so only then is ledger/ apportion's: a folder of that
    name it did not make, or a link, is not)."""
    found = []
    for entry in folder.iterdir():
        if entry.name.startswith(STAGING):
            continue
        if entry.name == LEDGER_FOLDER and made_ledger(earlier) and entry.is_dir() and not entry.is_symlink():
            found += [(f"{LEDGER_FOLDER}/{child.name}", child) for child in entry.iterdir()]
        else:
            found.append((entry.name, entry))
    return found


def made_ledger(names: Iterable[str]) -> bool:
    """Whether a run wrote (or writes) members' ledgers, in the ledger/ folder it made."""
    return any(name.startswith(f"{LEDGER_FOLDER}/") for name in names)


def written(name: str, path: Path, earlier: dict[str, str]) -> bool:
    """Whether the earlier run wrote this file: it lists it, and it is a file (in ledger/, not a link)."""
    return name in earlier and path.is_file() and not ("/" in name and path.is_symlink())


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
    check_target(out_dir, force=force, inputs=inputs)
    folder = out_dir.resolve()
    created = make_folder(folder)
    try:
        with locked(folder, out_dir):
            staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
            try:
                records = write(staging)
                earlier = check_target(out_dir, force=True, inputs=inputs)  # nothing changed while it was written
                commit(staging, folder, [record.name for record in records], earlier)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
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


def commit(staging: Path, folder: Path, names: list[str], earlier: dict[str, str]) -> None:
    """Move each new file into place, then remove what the earlier run wrote that this one
    did not; signals wait until it is done."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_BACK) if hasattr(signal, "pthread_sigmask") else None
    try:
        ledger = folder / LEDGER_FOLDER
        if made_ledger(names):
            if ledger.is_symlink() or (ledger.exists() and not ledger.is_dir()):
                raise OutputError(f"{ledger} is not a folder apportion made; move it away")
            ledger.mkdir(exist_ok=True)
        for name in names:
            os.replace(staging / name, folder / name)
        for name in set(earlier) - set(names):
            (folder / name).unlink(missing_ok=True)
        if made_ledger(earlier) and not made_ledger(names):
            remove_if_empty(ledger)  # the ledger/ folder an earlier run made, now empty
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


def put(folder: Path, name: str, data: bytes) -> FileRecord:
    """Write one file of a run (a member's ledger in the ledger/ folder, made where it is not)."""
    if "/" in name:
        (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return FileRecord.of(name, data)
