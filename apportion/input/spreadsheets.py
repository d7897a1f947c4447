"""Where a finance officer's own spreadsheet becomes rows: bases and budget lines read
from a CSV or xlsx file that the budget file names (file, sheet, columns).

Both are read in one pass, within stated limits checked before anything is parsed: at
most 20 MB on disk, an xlsx at most 50 MB unzipped, at most 100,000 rows. A CSV is read
with Python's csv module, as UTF-8 with commas, each row numbered as a spreadsheet program
numbers it (a blank line is a row too). An xlsx's sheet is read straight from its XML,
through defusedxml, so a hostile workbook cannot expand entities or reach out.

Numbers keep the text they were stored as, so a cell showing 1234.56 is read as exactly
Decimal('1234.56'). A number a spreadsheet worked out (=1/3, saved as 0.333333333333333)
is rounded to 12 decimal places, half to even; a formula with no saved value, or one that
shows an error, is a problem naming the cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from apportion.model import InputFile, Message, Place

MAX_BYTES = 20_000_000
MAX_UNZIPPED = 50_000_000
MAX_PARTS = 10_000
MAX_ROWS = 100_000
PLACES = Decimal("1E-12")  # a computed number is rounded to 12 decimal places
SUFFIXES = (".csv", ".xlsx")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
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


Grid = Iterator[tuple[int, list[Any]]]  # (row number, the row's values from column A)


def read_table(path: Path, sheet: str | None, columns: Sequence[str], problems: list[Message]) -> TableRead | None:
    """The rows of a CSV file or an xlsx sheet, keeping only ``columns`` (which must exist).

    Problems (missing file, unknown sheet or column, a file too large, an unsaved formula)
    are added to ``problems`` with the file's name; None is returned if the table cannot be read.
    """
    name = str(path)
    try:
        raw = read_bytes(path)
        grid, sheet = csv_grid(raw, sheet) if path.suffix.lower() == ".csv" else xlsx_grid(raw, sheet)
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


def column_places(header: tuple[int, list[Any]] | None, sheet: str | None, columns: Sequence[str]) -> dict[str, int]:
    """Where each column asked for is, by its heading in the first row."""
    headings = [str(value).strip() if value is not None else "" for value in (header[1] if header else [])]
    missing = [column for column in columns if column not in headings]
    if missing:
        where = f"sheet {sheet}" if sheet is not None else ""
        named = ", ".join(repr(m) for m in missing)
        raise Unreadable(f"no column {named}; the columns are: {', '.join(h for h in headings if h)}", where)
    return {column: headings.index(column) for column in columns}


def row_cells(name: str, sheet: str | None, number: int, values: list[Any], at: dict[str, int]) -> dict[str, Cell]:
    return {column: Cell(name, sheet, number, column, values[i] if i < len(values) else None) for column, i in at.items()}


def read_bytes(path: Path) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        kind = path.suffix or "a file with no extension"
        raise Unreadable(f"apportion reads .csv and .xlsx files, not {kind}; save the sheet as .xlsx or .csv")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(f"the file is {size:,} bytes, more than apportion reads ({MAX_BYTES:,})")
        return path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from error


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
    if text.count("\n") > MAX_ROWS:
        raise Unreadable(f"the file has more than {MAX_ROWS:,} rows; apportion reads at most {MAX_ROWS:,}")

    def rows() -> Grid:
        try:
            yield from enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1)
        except csv.Error as error:
            raise Unreadable(f"cannot read as CSV: {error}") from error

    return rows(), None


# --- xlsx ------------------------------------------------------------------------------------


def xlsx_grid(raw: bytes, sheet: str | None) -> tuple[Grid, str]:
    """A sheet's rows (the first sheet unless one is named), and the sheet's name."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise Unreadable(
            "cannot read as an xlsx workbook: it is not a zip file, as every .xlsx file is; "
            "is it an .xlsx saved by a spreadsheet program?"
        ) from error
    unzipped = sum(info.file_size for info in infos)
    if len(infos) > MAX_PARTS or unzipped > MAX_UNZIPPED:
        raise Unreadable(
            f"the workbook unzips to {unzipped:,} bytes in {len(infos):,} parts; apportion reads at most {MAX_UNZIPPED:,}"
        )
    try:
        sheets = sheet_parts(archive)
        if sheet is not None and sheet not in sheets:
            raise Unreadable(f"there is no sheet {sheet!r}; the sheets are: {', '.join(sheets)}")
        chosen = sheet if sheet is not None else next(iter(sheets))
        strings = shared_strings(archive)
        return sheet_rows(archive.read(sheets[chosen]), strings, chosen), chosen
    except (KeyError, StopIteration, zipfile.BadZipFile, ValueError, SyntaxError) as error:
        raise Unreadable(
            f"cannot read as an xlsx workbook ({type(error).__name__}); is it an .xlsx saved by a spreadsheet program?"
        ) from error


def parse(data: bytes) -> Any:
    from defusedxml.ElementTree import fromstring  # no entities, no DTDs, no reaching out

    return fromstring(data)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the part that holds it, in the workbook's order."""
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in parse(archive.read("xl/_rels/workbook.xml.rels")).iter(f"{RELS}Relationship")
    }
    sheets = {}
    for element in parse(archive.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
        target = targets[element.get(f"{DOC_RELS}id")]
        sheets[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return sheets


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    return [
        "".join(t.text or "" for t in item.iter(f"{MAIN}t"))
        for item in parse(archive.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")
    ]


_REF = re.compile(r"([A-Z]+)(\d+)")


def sheet_rows(data: bytes, strings: list[str], sheet: str) -> Grid:
    """The sheet's rows in order, blank rows included, each a list of values from column A."""
    from defusedxml.ElementTree import iterparse

    expected = 1
    for _, element in iterparse(io.BytesIO(data)):
        if element.tag != f"{MAIN}row":
            continue
        number = int(element.get("r") or expected)
        if number > MAX_ROWS + 1:
            raise Unreadable(f"the sheet has more than {MAX_ROWS:,} rows; apportion reads at most {MAX_ROWS:,}", f"sheet {sheet}")
        while expected < number:  # rows the file leaves out are blank
            yield expected, []
            expected += 1
        values: list[Any] = []
        for cell in element.iter(f"{MAIN}c"):
            match = _REF.match(cell.get("r", ""))
            column = column_number(match.group(1)) if match else len(values) + 1
            values.extend([None] * (column - 1 - len(values)))
            values.append(cell_value(cell, strings))
        element.clear()
        yield number, values
        expected = number + 1


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def cell_value(cell: Any, strings: list[str]) -> Any:
    """A cell's value as the budget file's values are read: numbers as exact Decimals."""
    kind = cell.get("t", "n")
    value = cell.find(f"{MAIN}v")
    text = value.text if value is not None else None
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
    if text is None:
        return NO_VALUE if cell.find(f"{MAIN}f") is not None else None
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return text == "1"
    if kind == "e":
        return CellError(text)
    if kind == "str":
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return number.quantize(PLACES, rounding=ROUND_HALF_EVEN).normalize() if number.as_tuple().exponent < -12 else number  # type: ignore[operator]
