"""Write a run's outputs into a folder, all or nothing.

Everything is written into a fresh temporary folder beside the target and moved into
place at the end, so an error midway leaves no partial output. An existing target is
replaced only when the caller says so (``force``), and only after the new outputs are
complete.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from apportion.calculate import Apportionment
from apportion.errors import OutputError
from apportion.journal import journal_text
from apportion.names import file_stem
from apportion.provenance import provenance_of
from apportion.report import CSV_COLUMNS, csv_rows
from apportion.workbooks import comparison_workbook, member_workbook, save_workbook, summary_workbook, sweep_workbook

if TYPE_CHECKING:
    from apportion.compare import Comparison
    from apportion.sweep import Sweep


def check_target(out_dir: Path, *, force: bool) -> None:
    """Refuse to overwrite an existing, non-empty folder unless forced; refuse a file."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a folder; choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise OutputError(f"{out_dir} already holds files; choose another --out, or add --force to replace them")


CSV_NAME = "contributions.csv"
JOURNAL_NAME = "journal.beancount"
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
    names = [CSV_NAME]
    (folder / CSV_NAME).write_text(contributions_csv(result), encoding="utf-8", newline="")
    books: list[str | None] = [None, *result.budget.member_names]  # the summary, then each member's
    for done, name in enumerate(save_books(result, folder, books), start=1):
        names.append(name)
        if progress is not None:
            progress(done, len(books))
    if journal:
        (folder / JOURNAL_NAME).write_text(journal_text(result), encoding="utf-8", newline="")
        names.append(JOURNAL_NAME)
    return names


def book_name(member: str | None) -> str:
    """summary.xlsx, or the member's workbook (thames-valley.xlsx)."""
    return "summary.xlsx" if member is None else f"{file_stem(member)}.xlsx"


def save_books(result: Apportionment, folder: Path, members: list[str | None]) -> Iterator[str]:
    """Save the summary (None) and the members' workbooks, yielding each file name as it is written.

    A large run's workbooks are independent of one another, so they are made by one forked
    process per core; each process inherits the calculated result and writes whole files.
    """
    lines = sum(len(unit.shares) for unit in result.units) * (1 + len(result.plan_years))
    workers = min(os.cpu_count() or 1, len(members))
    if lines < PARALLEL_FROM or workers < 2 or not can_fork():
        for member in members:
            yield save_book(result, folder, member)
        return
    import multiprocessing  # only a large run pays for importing it
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED  # noqa: PLW0603 - handed to the forked processes, which inherit it
    _SHARED = result
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(save_shared, [folder] * len(members), members)
    finally:
        _SHARED = None


_SHARED: Apportionment | None = None


def can_fork() -> bool:
    return hasattr(os, "fork") and os.name == "posix"


def save_shared(folder: Path, member: str | None) -> str:
    assert _SHARED is not None  # noqa: S101 - set before the processes are forked
    return save_book(_SHARED, folder, member)


def save_book(result: Apportionment, folder: Path, member: str | None) -> str:
    """One workbook: the summary (member None), or the member's."""
    name = book_name(member)
    with cycle_collector_paused():
        book = summary_workbook(result) if member is None else member_workbook(result, result.member_total(member))
        save_workbook(book, folder / name)
    return name


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


def contributions_csv(result: Apportionment) -> str:
    """The tidy lines, after '#' lines of provenance. Text is quoted, numbers are not."""
    buffer = io.StringIO()
    for key, value in provenance_of(result).items():
        buffer.write(f"# {key}: {value}\n")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(result))
    return buffer.getvalue()


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

    def write(folder: Path) -> list[str]:
        save_workbook(comparison_workbook(comparison), folder / "comparison.xlsx")
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(
            ("member", "unit", "before", "after", "change", "share_of_cost_change", "levy_change", "in_kind_credit_change")
        )
        for d in (*comparison.units, *comparison.members):
            rules = dict(d.by_rule)
            writer.writerow((d.member, d.unit or "all units", d.before_amount, d.after_amount, d.change_amount,
                             rules["share of cost"], rules["levy"], rules["in-kind credit"]))  # fmt: skip
        (folder / "comparison.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
        return ["comparison.xlsx", "comparison.csv"]

    return write_atomically(out_dir, write, force=force)


def write_sweep(sweep: Sweep, out_dir: Path, *, force: bool = False) -> list[Path]:
    """sweep.csv (each member's range) and sweep.xlsx (the range and every outcome, with a chart)."""

    def write(folder: Path) -> list[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        writer.writerow(("member", "minimum", "minimum_at", "median", "median_at", "maximum", "maximum_at"))
        for e in sweep.exposures():
            writer.writerow((e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at,
                             e.maximum_amount, e.maximum_at))  # fmt: skip
        (folder / "sweep.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
        save_workbook(sweep_workbook(sweep), folder / "sweep.xlsx")
        return ["sweep.csv", "sweep.xlsx"]

    return write_atomically(out_dir, write, force=force)
