"""The files each kind of run writes, and where they are made: a run's CSVs, summary and
member workbooks, journal, members' ledgers and datapackage.json; a comparison's; a sweep's.

A large run's workbooks are made by one forked process per core, which stop when the run
stops. :func:`output_files` makes the same files in memory, for ``verify``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from apportion.model import Apportionment, InputFile
from apportion.model.names import (
    COMPARISON_BOOK,
    COMPARISON_CSV,
    MANIFEST_NAME,
    MONITORING_BOOK,
    MOVEMENT_BOOK,
    MOVEMENT_CSV,
    POSITIONS_CSV,
    REPORT_NAME,
    SWEEP_BOOK,
    SWEEP_CSV,
    VARIANCE_SHARES_CSV,
    book_name,
)
from apportion.outputs.csv_files import (
    COMPARISON_FIELDS,
    COMPARISON_KEY,
    MOVEMENT_FIELDS,
    MOVEMENT_KEY,
    POSITION_FIELDS,
    POSITION_KEY,
    SWEEP_FIELDS,
    SWEEP_KEY,
    VARIANCE_SHARE_FIELDS,
    VARIANCE_SHARE_KEY,
    comparison_csv,
    movement_csv,
    positions_csv,
    sweep_csv,
    variance_shares_csv,
)
from apportion.outputs.folder import put, write_atomically
from apportion.outputs.manifest import FileRecord, Run, both_sides, compared, package_text, run_record, swept
from apportion.outputs.member_workbook import member_workbook
from apportion.outputs.provenance import Provenance, provenance_of
from apportion.outputs.report.written import report_of
from apportion.outputs.run_files import later_files, run_schemas, table_files
from apportion.outputs.sheets import Book
from apportion.outputs.summary_workbook import summary_workbook

if TYPE_CHECKING:
    from apportion.model.monitoring import MonitoringReport, PeriodComparison
    from apportion.rules.compare import Comparison
    from apportion.rules.report_figures import PanelReport
    from apportion.rules.sweep import Sweep

A_RUN = Run()  # a run asking for no journal and no ledger
PARALLEL_FROM = 5_000  # member-unit lines from which workbooks are written by several processes

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (workbooks written, workbooks to write)


def write_outputs(  # noqa: PLR0913, PLR0917 - the run, the folder and what to write besides
    result: Apportionment, out_dir: Path, *, force: bool = False, journal: bool = False, ledger: str | None = None,
    progress: Progress | None = None, report: PanelReport | None = None,
) -> list[Path]:  # fmt: skip
    """Write contributions.csv, summary.xlsx and one workbook per member into ``out_dir`` (and
    journal.beancount, the members' ledgers in the layout ``ledger`` and the panel report, if
    asked), then datapackage.json. Returns the paths written. Raises OutputError if the folder
    may not be written (see check_target) or cannot be."""
    inputs = [f.path for f in (*result.budget.input_files, *(report.inputs if report else ()))]
    run = Run(journal=journal, ledger=ledger)
    write = lambda folder: write_files(result, folder, run, progress=progress, report=report)  # noqa: E731
    return write_atomically(out_dir, write, force=force, inputs=inputs)


def output_files(
    result: Apportionment, run: Run = A_RUN, *, parallel: bool = True, report: PanelReport | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every file a run writes, by name, with its bytes, made in memory one at a time
    (datapackage.json last)."""
    for record, data in checked_files(result, lambda _name, data: data, run, parallel=parallel, report=report):
        yield record.name, data


def checked_files(
    result: Apportionment, check: Callable[[str, bytes], T], run: Run = A_RUN, *, parallel: bool = True,
    report: PanelReport | None = None,
) -> Iterator[tuple[FileRecord, T]]:  # fmt: skip
    """Every file a run writes, made in memory (datapackage.json last), each handed to
    ``check`` where it is made: what ``verify`` compares a folder with. A large run's
    workbooks are made on every core, as :func:`write_outputs` makes them, and only what
    ``check`` returns comes back from each."""
    provenance = provenance_of(result)
    records = []

    def made(name: str, data: bytes) -> tuple[FileRecord, T]:
        record = FileRecord.of(name, data)
        records.append(record)
        return record, check(name, data)

    for name, data in table_files(result):
        yield made(name, data)
    members: list[str | None] = [None, *result.budget.member_names]

    def book(result: Apportionment, provenance: Provenance, _folder: Path | None, member: str | None) -> tuple[FileRecord, T]:
        with cycle_collector_paused():
            name = book_name(member)
            data = make_book(result, provenance, member).to_bytes()
        return FileRecord.of(name, data), check(name, data)

    books = (
        in_parallel(result, provenance, None, members, book)
        if parallel
        else (book(result, provenance, None, member) for member in members)
    )
    for record, checked in books:
        records.append(record)
        yield record, checked
    for name, data in later_files(result, run):
        yield made(name, data)
    if report is not None:
        provenance, data = report_of(report, result)  # its inputs (last year's files, the actuals) are the run's too
        yield made(REPORT_NAME, data)
    yield made(MANIFEST_NAME, run_package(result, provenance, records, run, report).encode("utf-8"))


def run_package(
    result: Apportionment, provenance: Provenance, records: Sequence[FileRecord], run: Run, report: PanelReport | None = None
) -> str:
    budget = result.budget
    title = f"{budget.collaboration}, {budget.year}: contributions"
    schemas = run_schemas(result, run)
    run = run._replace(report=report.asked if report is not None else None)
    return package_text(title, records, schemas, run_record(budget, provenance, run))


def write_files(
    result: Apportionment, folder: Path, run: Run = A_RUN, *, progress: Progress | None = None,
    report: PanelReport | None = None,
) -> list[FileRecord]:  # fmt: skip
    provenance = provenance_of(result)  # once, for every file that records it
    records = [put(folder, name, data) for name, data in table_files(result)]
    books: list[str | None] = [None, *result.budget.member_names]  # the summary, then each member's
    for done, record in enumerate(save_books(result, provenance, folder, books), start=1):
        records.append(record)
        if progress is not None:
            progress(done, len(books))
    records += [put(folder, name, data) for name, data in later_files(result, run)]
    if report is not None:
        provenance, data = report_of(report, result)  # its inputs (last year's files, the actuals) are the run's too
        records.append(put(folder, REPORT_NAME, data))
    records.append(put(folder, MANIFEST_NAME, run_package(result, provenance, records, run, report).encode("utf-8")))
    return records


def save_books(result: Apportionment, provenance: Provenance, folder: Path, members: list[str | None]) -> Iterator[FileRecord]:
    """Save the summary (None) and the members' workbooks, yielding each file's record as it is written."""
    return in_parallel(result, provenance, folder, members, save_book)


Task = Callable[[Apportionment, Provenance, Path | None, str | None], T]


def in_parallel(
    result: Apportionment, provenance: Provenance, folder: Path | None, members: list[str | None], task: Task[T]
) -> Iterator[T]:
    """``task`` for each member's workbook (None: the summary), in order.

    A large run's workbooks are independent of one another, so they are made by one forked
    process per core; each inherits the calculated result. If the run stops (an error, a
    signal), the processes are stopped with it.
    """
    lines = sum(len(unit.shares) for unit in result.units) * (1 + len(result.plan_years))
    workers = min(os.cpu_count() or 1, len(members))
    if lines < PARALLEL_FROM or workers < 2 or not can_fork():
        for member in members:
            yield task(result, provenance, folder, member)
        return
    import multiprocessing  # only a large run pays for importing it

    global _SHARED  # noqa: PLW0603 - handed to the forked processes, which inherit it
    _SHARED = (result, provenance, folder, task)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=worker_started) as pool:
            yield from pool.imap(run_shared, members)
    finally:
        _SHARED = None


_SHARED: tuple[Apportionment, Provenance, Path | None, Task[object]] | None = None


def can_fork() -> bool:
    return hasattr(os, "fork") and os.name == "posix"


def worker_started() -> None:
    """In each worker: Ctrl-C is the parent's to handle; SIGTERM (how the parent stops it)
    simply ends it; and it ends too if the parent dies (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_shared(member: str | None) -> object:
    assert _SHARED is not None  # noqa: S101 - set before the processes are forked
    result, provenance, folder, task = _SHARED
    return task(result, provenance, folder, member)


def make_book(result: Apportionment, provenance: Provenance, member: str | None) -> Book:
    """The summary (member None), or the member's workbook."""
    return summary_workbook(result, provenance) if member is None else member_workbook(result, member, provenance)


def save_book(result: Apportionment, provenance: Provenance, folder: Path | None, member: str | None) -> FileRecord:
    """Make and write one workbook."""
    assert folder is not None  # noqa: S101 - a folder to write in is given with this task
    name = book_name(member)
    with cycle_collector_paused():
        return save_workbook(make_book(result, provenance, member), folder / name)


def save_workbook(book: Book, path: Path) -> FileRecord:
    """Write the .xlsx; the same workbook always gives the same bytes."""
    return put(path.parent, path.name, book.to_bytes())


@contextlib.contextmanager
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


# --- comparisons and sweeps --------------------------------------------------------------


def write_comparison(comparison: Comparison, out_dir: Path, *, force: bool = False) -> list[Path]:
    """comparison.xlsx and comparison.csv (member, unit, before, after, change), all or nothing."""
    inputs = [f.path for side in (comparison.before, comparison.after) for f in side.budget.input_files]
    return write_made(comparison_files(comparison), inputs, out_dir, force=force)


def comparison_files(comparison: Comparison) -> list[tuple[str, bytes]]:
    """Every file of a comparison, by name, with its bytes (datapackage.json last, recording
    both sides: each budget's inputs, the scenario compared from, and the other budget)."""
    from apportion.outputs.comparison_workbook import comparison_workbook

    before, after = provenance_of(comparison.before), provenance_of(comparison.after)
    files = [
        (COMPARISON_BOOK, comparison_workbook(comparison, before, after).to_bytes()),
        (COMPARISON_CSV, comparison_csv(comparison).encode("utf-8")),
    ]
    budget = comparison.after.budget
    title = f"{budget.collaboration}, {budget.year}: comparison"
    extra = run_record(budget, both_sides(comparison, before, after), Run(kind="compare", compared=compared(comparison)))
    records = [FileRecord.of(name, data) for name, data in files]
    text = package_text(title, records, {COMPARISON_CSV: (COMPARISON_FIELDS, COMPARISON_KEY)}, extra)
    return [*files, (MANIFEST_NAME, text.encode("utf-8"))]


def write_sweep(sweep: Sweep, base: Apportionment, out_dir: Path, *, force: bool = False) -> list[Path]:
    """sweep.csv (each member's range) and sweep.xlsx (the range and every outcome, with
    charts); ``base`` is the budget as written, apportioned once by the caller."""
    return write_made(sweep_files(sweep, base), [f.path for f in base.budget.input_files], out_dir, force=force)


def sweep_files(sweep: Sweep, base: Apportionment) -> list[tuple[str, bytes]]:
    """Every file of a sweep, by name, with its bytes (datapackage.json last, recording what
    was varied over which range, and the draws and their seed); ``base``: the budget as written, apportioned."""
    from apportion.outputs.sweep_workbook import sweep_workbook

    budget = base.budget
    provenance = provenance_of(base)
    files = [
        (SWEEP_CSV, sweep_csv(sweep).encode("utf-8")),
        (SWEEP_BOOK, sweep_workbook(sweep, base, provenance).to_bytes()),
    ]
    title = f"{budget.collaboration}, {budget.year}: sensitivity sweep"
    extra = run_record(budget, provenance, Run(kind="sweep", swept=swept(sweep)))
    records = [FileRecord.of(name, data) for name, data in files]
    text = package_text(title, records, {SWEEP_CSV: (SWEEP_FIELDS, SWEEP_KEY)}, extra)
    return [*files, (MANIFEST_NAME, text.encode("utf-8"))]


def write_monitoring(report: MonitoringReport, result: Apportionment, out_dir: Path, *, force: bool = False) -> list[Path]:
    """monitoring.xlsx, monitoring.csv (each unit's position) and monitoring-members.csv
    (each member's share of each variance), then datapackage.json, all or nothing."""
    return write_made(monitoring_files(report, result), monitored(result), out_dir, force=force)


def monitoring_files(report: MonitoringReport, result: Apportionment) -> list[tuple[str, bytes]]:
    """Every file of a monitoring report, by name, with its bytes (datapackage.json last): what verify compares."""
    from apportion.outputs.monitoring_workbook import monitoring_workbook

    budget = result.budget
    provenance = provenance_of(result, also=actuals_of(result))._replace(revisions=report.revisions)  # as revised to then
    files = [
        (MONITORING_BOOK, monitoring_workbook(report, result, provenance).to_bytes()),
        (POSITIONS_CSV, positions_csv(report, budget.year).encode("utf-8")),
        (VARIANCE_SHARES_CSV, variance_shares_csv(report, budget.year).encode("utf-8")),
    ]
    title = f"{budget.collaboration}, {budget.year}: monitoring at the end of {report.describe()}"
    extra = run_record(budget, provenance, Run(kind="monitor", period=report.name))
    schemas = {
        POSITIONS_CSV: (POSITION_FIELDS, POSITION_KEY),
        VARIANCE_SHARES_CSV: (VARIANCE_SHARE_FIELDS, VARIANCE_SHARE_KEY),
    }
    records = [FileRecord.of(name, data) for name, data in files]
    return [*files, (MANIFEST_NAME, package_text(title, records, schemas, extra).encode("utf-8"))]


def write_movement(comparison: PeriodComparison, result: Apportionment, out_dir: Path, *, force: bool = False) -> list[Path]:
    """monitoring-comparison.xlsx and .csv: what moved from one period's report to the next, all or nothing."""
    return write_made(movement_files(comparison, result), monitored(result), out_dir, force=force)


def movement_files(comparison: PeriodComparison, result: Apportionment) -> list[tuple[str, bytes]]:
    """Every file of a comparison of two periods' reports, by name, with its bytes (datapackage.json last)."""
    from apportion.outputs.monitoring_workbook import movement_workbook

    budget = result.budget
    provenance = provenance_of(result, also=actuals_of(result))
    before, after = comparison.before, comparison.after
    files = [
        (MOVEMENT_BOOK, movement_workbook(comparison, result, provenance).to_bytes()),
        (MOVEMENT_CSV, movement_csv(comparison).encode("utf-8")),
    ]
    title = f"{budget.collaboration}, {budget.year}: monitoring, {before.describe()} to {after.describe()}"
    extra = run_record(budget, provenance, Run(kind="monitor", period=f"{before.name}:{after.name}"))
    records = [FileRecord.of(name, data) for name, data in files]
    text = package_text(title, records, {MOVEMENT_CSV: (MOVEMENT_FIELDS, MOVEMENT_KEY)}, extra)
    return [*files, (MANIFEST_NAME, text.encode("utf-8"))]


def actuals_of(result: Apportionment) -> tuple[InputFile, ...]:
    """The spreadsheets of actuals a monitoring report is made from, beside the budget's own inputs."""
    return result.budget.monitoring.input_files if result.budget.monitoring else ()


def monitored(result: Apportionment) -> list[str]:
    """The files a monitoring report is made from: the budget's, and the spreadsheets of actuals."""
    return [f.path for f in (*result.budget.input_files, *actuals_of(result))]


def write_made(files: Sequence[tuple[str, bytes]], inputs: Sequence[str], out_dir: Path, *, force: bool) -> list[Path]:
    """Files made in memory, written all or nothing (``inputs``: files the folder may not hold)."""
    return write_atomically(out_dir, lambda folder: [put(folder, name, data) for name, data in files], force=force, inputs=inputs)
