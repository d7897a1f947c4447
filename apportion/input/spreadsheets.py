"""Where a finance officer's own spreadsheet becomes rows: bases and budget lines read
from a CSV or xlsx file that the budget file names (file, sheet, columns).

Both are read in one pass by this one reader, within stated limits: at most 20 MB on
disk and 100,000 rows; an xlsx at most 50 MB unzipped, its cells where a spreadsheet has
cells (:mod:`apportion.input.xlsx`). A CSV is read with Python's csv module, as UTF-8 with
commas, each row numbered as a spreadsheet program numbers it (a blank line is a row too).
Whatever a file holds, what cannot be read is a problem naming the file and the place,
never an exception.

Numbers keep the text they were stored as, so a cell showing 1234.56 is read as exactly
Decimal('1234.56'). A number a spreadsheet worked out (=1/3, saved as 0.333333333333333)
is rounded to 12 decimal places, half to even; a formula with no saved value, or one that
shows an error, is a problem naming the cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from apportion.model import InputFile, Message, Place

MAX_BYTES = 20_000_000
MAX_ROWS = 100_000
PLACES = Decimal("1E-12")  # a computed number is rounded to 12 decimal places
SUFFIXES = (".csv", ".xlsx")
NO_VALUE = object()  # a formula cell with no saved value


class CellError(NamedTuple):
    """A cell that shows an error (#DIV/0!, #REF!) instead of a value."""

    shown: str


class Cell(NamedTuple):
    """A value read from a spreadsheet, and where it was: for messages that point at it."""

    file: str
    sheet: str | None
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    value: Any

    def place(self) -> str:
        sheet = f"sheet {self.sheet}, " if self.sheet else ""
        return f"{sheet}row {self.row}, column {self.column}"

    def problem(self, message: str) -> Message:
        return Message(message, Place(self.file, 0, self.place()))

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value).strip()


class TableRead(NamedTuple):
    rows: list[dict[str, Cell]]
    input_file: InputFile


class Unreadable(Exception):
    """A table that cannot be read: the message, and where in the file (a sheet)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


Grid = Iterator[tuple[int, Mapping[int, Any]]]  # (row number, the row's values by column, 0 for A)


def read_table(path: Path, sheet: str | None, columns: Sequence[str], problems: list[Message]) -> TableRead | None:
    """The rows of a CSV file or an xlsx sheet, keeping only ``columns`` (which must exist).

    Problems (missing file, unknown sheet or column, a file too large, an unsaved formula)
    are added to ``problems`` with the file's name; None is returned if the table cannot be read.
    """
    name = str(path)
    try:
        raw = read_bytes(path)
        if path.suffix.lower() == ".csv":
            grid, sheet = csv_grid(raw, sheet)
        else:
            from apportion.input.xlsx import xlsx_grid  # only an xlsx needs the XML parser

            grid, sheet = xlsx_grid(raw, sheet)
        rows = table_rows(name, sheet, grid, columns, problems)
    except Unreadable as error:
        problems.append(Message(str(error), Place(name, 0, error.where)))
        return None
    return TableRead(rows, InputFile(name, hashlib.sha256(raw).hexdigest()))


def table_rows(
    name: str, sheet: str | None, grid: Grid, columns: Sequence[str], problems: list[Message]
) -> list[dict[str, Cell]]:
    at = column_places(next(grid, None), sheet, columns)
    rows = []
    for number, values in grid:
        cells = row_cells(name, sheet, number, values, at)
        faults = [cell for cell in cells.values() if isinstance(cell.value, CellError)]
        for cell in faults:
            problems.append(cell.problem(f"the cell shows the error {cell.value.shown}; correct its formula and save the file"))
        unsaved = [cell for cell in cells.values() if cell.value is NO_VALUE]
        for cell in unsaved:
            problems.append(
                cell.problem("the cell holds a formula with no saved value; open the file in a spreadsheet program and save it")
            )
        if unsaved or faults or all(cell.value is None or cell.text == "" for cell in cells.values()):
            continue  # a blank row
        rows.append(cells)
    return rows


def column_places(header: tuple[int, Mapping[int, Any]] | None, sheet: str | None, columns: Sequence[str]) -> dict[str, int]:
    """Where each column asked for is, by its heading in the first row (the first such column)."""
    headings: dict[str, int] = {}
    for index, value in sorted((header[1] if header else {}).items()):
        headings.setdefault(str(value).strip() if value is not None else "", index)
    missing = [column for column in columns if column not in headings]
    if missing:
        where = f"sheet {sheet}" if sheet is not None else ""
        named = ", ".join(repr(m) for m in missing)
        shown = ", ".join(h for h in headings if h)
        columns = f"the columns are: {shown[:1000]}{'...' if len(shown) > 1000 else ''}" if shown else "row 1 has no headings"
        raise Unreadable(f"no column {named}; {columns}", where)
    return {column: headings[column] for column in columns}


def row_cells(name: str, sheet: str | None, number: int, values: Mapping[int, Any], at: dict[str, int]) -> dict[str, Cell]:
    return {column: Cell(name, sheet, number, column, values.get(i)) for column, i in at.items()}


def read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        kind = path.suffix or "a file with no extension"
        raise Unreadable(f"apportion reads .csv and .xlsx files, not {kind}; save the sheet as .xlsx or .csv")
    try:
        raw, size = read_regular_file(path, MAX_BYTES)
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from error
    if size > MAX_BYTES:
        raise Unreadable(f"the file is {size:,} bytes, more than apportion reads ({MAX_BYTES:,})")
    return raw


def read_regular_file(path: Path, limit: int) -> tuple[bytes, int]:
    """A regular file's bytes and its size, reading nothing of one over ``limit`` bytes (and
    never more than ``limit`` + 1, whatever its size said). Raises OSError for anything but
    a regular file: a device such as /dev/zero, a pipe, a folder. Opened without waiting, so
    a named pipe nobody writes to is refused rather than waited on for ever."""
    import errno
    import os
    import stat

    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:  # noqa: PTH123 - a descriptor, not a path
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, a pipe or a folder)")
        if status.st_size > limit:
            return b"", status.st_size
        raw = handle.read(limit + 1)
    return raw, max(len(raw), status.st_size)


# --- CSV -------------------------------------------------------------------------------------


def csv_grid(raw: bytes, sheet: str | None) -> tuple[Grid, None]:
    """A CSV file's rows of text: UTF-8 with commas, or a message naming what it is instead."""
    if sheet is not None:
        raise Unreadable("a CSV file has no sheets; remove sheet:")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:1000]:
        raise Unreadable("the file is UTF-16 text; save it as CSV UTF-8 (comma delimited)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text (byte {error.start}); save it as CSV UTF-8 (comma delimited)") from error
    first = text.split("\n", 1)[0]
    for separator, called in ((";", "semicolons"), ("\t", "tabs")):
        if first.count(separator) > first.count(","):
            raise Unreadable(f"the file separates its columns with {called}; save it as CSV with commas (comma delimited)")
    if text.count("\n") + (not text.endswith("\n")) > MAX_ROWS + 1:  # the rows after the header row
        raise Unreadable(f"the file has more than {MAX_ROWS:,} rows; apportion reads at most {MAX_ROWS:,}")

    def rows() -> Grid:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, dict(enumerate(row))
        except csv.Error as error:
            what = (
                'a quoted cell is never closed (a " without its pair)'
                if "end of data" in str(error)
                else f"line {reader.line_num}: {error}"
            )
            raise Unreadable(f"cannot read as CSV: {what}; save it again as CSV UTF-8 (comma delimited)") from error

    return rows(), None
