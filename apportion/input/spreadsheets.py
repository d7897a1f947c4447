"""Where a finance officer's own spreadsheet becomes rows: bases and budget lines read
from a CSV or xlsx file that the budget file names (file, sheet, columns).

Read with pandas; xlsx through openpyxl, which parses the workbook's XML with defusedxml
(a dependency of apportion), so a hostile workbook cannot expand entities or reach out.
Numbers keep the text they were written with (CSV) or the shortest text of the stored
number (xlsx), so a cell showing 1234.56 is read as exactly Decimal('1234.56').
"""

import hashlib
import io
import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from apportion.model import InputFile, Message, Place

MAX_BYTES = 20_000_000
SUFFIXES = (".csv", ".xlsx")


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


def read_table(path: Path, sheet: str | None, columns: Sequence[str], problems: list[Message]) -> TableRead | None:
    """The rows of a CSV file or an xlsx sheet, keeping only ``columns`` (which must exist).

    Problems (missing file, unknown sheet or column, unreadable workbook) are added to
    ``problems`` with the file's name, and None is returned.
    """
    name = str(path)
    try:
        raw = read_bytes(path)
        frame, sheet = read_csv(raw, sheet) if path.suffix.lower() == ".csv" else read_xlsx(raw, sheet)
        headings = [str(heading).strip() for heading in frame.columns]
        missing = [column for column in columns if column not in headings]
        if missing:
            where = f"sheet {sheet}" if sheet is not None else ""
            raise Unreadable(f"no column {', '.join(repr(m) for m in missing)}; the columns are: {', '.join(headings)}", where)
    except Unreadable as error:
        problems.append(Message(str(error), Place(name, 0, error.where)))
        return None
    frame.columns = headings
    rows = []
    for index, record in enumerate(frame[list(columns)].itertuples(index=False, name=None), start=2):
        cells = {column: Cell(name, sheet, index, column, plain(value)) for column, value in zip(columns, record, strict=True)}
        if all(cell.value is None or cell.text == "" for cell in cells.values()):
            continue  # a blank row
        rows.append(cells)
    return TableRead(rows, InputFile(name, hashlib.sha256(raw).hexdigest()))


def read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        kind = path.suffix or "a file with no extension"
        raise Unreadable(f"apportion reads .csv and .xlsx files, not {kind}; save the sheet as .xlsx or .csv")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from error
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"the file is larger than {MAX_BYTES:,} bytes")
    return raw


def read_csv(raw: bytes, sheet: str | None) -> tuple[Any, None]:
    """A CSV file's cells as text (no sheet: a CSV file has none)."""
    import pandas as pd  # only budgets that name a spreadsheet pay for importing pandas

    if sheet is not None:
        raise Unreadable("a CSV file has no sheets; remove sheet:")
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig"), None
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise Unreadable(f"cannot read as CSV: {first_line(error)}") from error


def read_xlsx(raw: bytes, sheet: str | None) -> tuple[Any, str]:
    """A sheet's cells (the first sheet unless one is named) and the sheet's name."""
    import pandas as pd

    try:
        workbook = pd.ExcelFile(io.BytesIO(raw), engine="openpyxl")
        sheets = list(workbook.sheet_names)
        if sheet is not None and sheet not in sheets:
            raise Unreadable(f"there is no sheet {sheet!r}; the sheets are: {', '.join(sheets)}")
        sheet = sheet if sheet is not None else sheets[0]
        return pd.read_excel(workbook, sheet_name=sheet, dtype=object), sheet
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of a third-party parser on untrusted bytes
        what = f"{type(error).__name__}: {first_line(error)}"
        raise Unreadable(f"cannot read as an xlsx workbook ({what}); is it an .xlsx saved by a spreadsheet program?") from error


def plain(value: Any) -> Any:
    """A spreadsheet value as the loader reads YAML values: numbers as exact Decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value):  # an empty cell
            return None
        return Decimal(repr(value))
    return value


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0]
