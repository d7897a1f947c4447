"""Write a run's outputs into a folder, all or nothing.

Everything is written into a fresh temporary folder beside the target and moved into
place at the end, so an error midway leaves no partial output. An existing target is
replaced only when the caller says so (``force``), and only after the new outputs are
complete.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from apportion.model import Apportionment, OutputError
from apportion.model.names import (
    COMPARISON_BOOK,
    COMPARISON_CSV,
    CSV_NAME,
    JOURNAL_NAME,
    SWEEP_BOOK,
    SWEEP_CSV,
    book_name,
)
from apportion.outputs.csv_files import comparison_csv, contributions_csv, sweep_csv
from apportion.outputs.journal import journal_text
from apportion.outputs.member_workbook import member_workbook
from apportion.outputs.provenance import Provenance, provenance_of
from apportion.outputs.sheets import Book
from apportion.outputs.summary_workbook import summary_workbook

if TYPE_CHECKING:
    from apportion.rules.compare import Comparison
    from apportion.rules.sweep import Sweep


def check_target(out_dir: Path, *, force: bool) -> None:
    """Refuse to overwrite an existing, non-empty folder unless forced; refuse a file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise OutputError(f"{out_dir} already holds files; choose another --out, or add --force to replace them")


PARALLEL_FROM = 5_000  # member-unit lines from which workbooks are written by several processes

Progress = Callable[[int, int], None]  # (workbooks written, workbooks to write)


def write_outputs(
    result: Apportionment, out_dir: Path, *, force: bool = False, journal: bool = False, progress: Progress | None = None
) -> list[Path]:
    """Write contributions.csv, summary.xlsx and one workbook per member into ``out_dir``
    (and journal.beancount, if asked).

    Returns the paths written (in ``out_dir``). Raises OutputError if the folder exists
    and ``force`` is not set, or if it cannot be written.
    """
    return write_atomically(out_dir, lambda folder: write_files(result, folder, journal=journal, progress=progress), force=force)


def write_atomically(out_dir: Path, write: Callable[[Path], list[str]], *, force: bool) -> list[Path]:
    """Run ``write`` into a fresh folder beside ``out_dir`` and move the result into place."""
    check_target(out_dir, force=force)
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as error:
        raise OutputError(f"cannot write in {parent}: {error.strerror or error}") from error
    try:
        names = write(staging)
        replace_folder(staging, out_dir)
    except OSError as error:
        raise OutputError(f"cannot write {out_dir}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in names]


def write_files(result: Apportionment, folder: Path, *, journal: bool = False, progress: Progress | None = None) -> list[str]:
    provenance = provenance_of(result)  # once, for every file that records it
    names = [CSV_NAME]
    (folder / CSV_NAME).write_text(contributions_csv(result, provenance), encoding="utf-8", newline="")
    books: list[str | None] = [None, *result.budget.member_names]  # the summary, then each member's
    for done, name in enumerate(save_books(result, provenance, folder, books), start=1):
        names.append(name)
        if progress is not None:
            progress(done, len(books))
    if journal:
        (folder / JOURNAL_NAME).write_text(journal_text(result), encoding="utf-8", newline="")
        names.append(JOURNAL_NAME)
    return names


def save_books(result: Apportionment, provenance: Provenance, folder: Path, members: list[str | None]) -> Iterator[str]:
    """Save the summary (None) and the members' workbooks, yielding each file name as it is written.

    A large run's workbooks are independent of one another, so they are made by one forked
    process per core; each process inherits the calculated result and writes whole files.
    """
    lines = sum(len(unit.shares) for unit in result.units) * (1 + len(result.plan_years))
    workers = min(os.cpu_count() or 1, len(members))
    if lines < PARALLEL_FROM or workers < 2 or not can_fork():
        for member in members:
            yield save_book(result, provenance, folder, member)
        return
    import multiprocessing  # only a large run pays for importing it
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED  # noqa: PLW0603 - handed to the forked processes, which inherit it
    _SHARED = (result, provenance)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(save_shared, [folder] * len(members), members)
    finally:
        _SHARED = None


_SHARED: tuple[Apportionment, Provenance] | None = None


def can_fork() -> bool:
    return hasattr(os, "fork") and os.name == "posix"


def save_shared(folder: Path, member: str | None) -> str:
    assert _SHARED is not None  # noqa: S101 - set before the processes are forked
    return save_book(*_SHARED, folder, member)


def make_book(result: Apportionment, provenance: Provenance, member: str | None) -> Book:
    """The summary (member None), or the member's workbook."""
    return summary_workbook(result, provenance) if member is None else member_workbook(result, member, provenance)


def save_book(result: Apportionment, provenance: Provenance, folder: Path, member: str | None) -> str:
    """Make and write one workbook."""
    name = book_name(member)
    with cycle_collector_paused():
        save_workbook(make_book(result, provenance, member), folder / name)
    return name


def save_workbook(book: Book, path: Path) -> None:
    """Write the .xlsx; the same workbook always gives the same bytes."""
    path.write_bytes(book.to_bytes())


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Making a workbook creates millions of small objects that form no cycles; Python's
    cycle collector would otherwise rescan the growing heap again and again (a third of
    the time of a national run). Reference counting still frees everything as it goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def replace_folder(staging: Path, out_dir: Path) -> None:
    """Move the finished outputs into place; an old folder is removed only after that."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_comparison(comparison: Comparison, out_dir: Path, *, force: bool = False) -> list[Path]:
    """comparison.xlsx and comparison.csv (member, unit, before, after, change), all or nothing."""
    from apportion.outputs.comparison_workbook import comparison_workbook

    def write(folder: Path) -> list[str]:
        book = comparison_workbook(comparison, provenance_of(comparison.before), provenance_of(comparison.after))
        (folder / COMPARISON_BOOK).write_bytes(book.to_bytes())
        (folder / COMPARISON_CSV).write_text(comparison_csv(comparison), encoding="utf-8", newline="")
        return [COMPARISON_BOOK, COMPARISON_CSV]

    return write_atomically(out_dir, write, force=force)


def write_sweep(sweep: Sweep, out_dir: Path, *, force: bool = False) -> list[Path]:
    """sweep.csv (each member's range) and sweep.xlsx (the range and every outcome, with a chart)."""
    from apportion.outputs.sweep_workbook import sweep_workbook

    def write(folder: Path) -> list[str]:
        (folder / SWEEP_CSV).write_text(sweep_csv(sweep), encoding="utf-8", newline="")
        (folder / SWEEP_BOOK).write_bytes(sweep_workbook(sweep).to_bytes())
        return [SWEEP_CSV, SWEEP_BOOK]

    return write_atomically(out_dir, write, force=force)
