"""An xlsx sheet read as rows, within bounds checked as it is read, whatever the file holds.

An xlsx file is a zip of XML parts. Each part is unzipped through one counter, so the
parts read add up to at most 50 MB whatever their headers claim; the XML is parsed through
defusedxml (no entities, no DTDs, no reaching out), the sheet and its shared strings as a
stream, one row at a time. A cell's place must be one a spreadsheet has (column A to XFD,
row 1 to 1,048,576, rows in order), and a reference to a shared string must be to one the
workbook holds. Anything else is :class:`~apportion.input.spreadsheets.Unreadable`, naming
what is wrong and where, never an exception of the parser's.

A cell formatted as a date is read as the date it shows (2013-04-01, not 41365).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from apportion.input.spreadsheets import MAX_ROWS, NO_VALUE, PLACES, CellError, Grid, Unreadable

MAX_UNZIPPED = 50_000_000
MAX_PARTS = 10_000
MAX_COLUMN = 16_384  # XFD, a spreadsheet's last column
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NOT_XLSX = "is it an .xlsx saved by a spreadsheet program?"
RESAVE = "open the file in a spreadsheet program and save it again"
# the number formats a spreadsheet program shows as dates, by their built-in ids
DATE_FORMATS = {14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)}
# what the zip library raises for a damaged or unusual archive (a version it does not read,
# a header cut short, a field past its size, a password)
UNZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, OverflowError,
                struct.error)  # fmt: skip
_REF = re.compile(r"([A-Z]{1,10})([1-9][0-9]{0,9})")
_ROW = re.compile(r"[1-9][0-9]{0,6}")


def xlsx_grid(raw: bytes, sheet: str | None) -> tuple[Grid, str]:
    """A sheet's rows (the first sheet unless one is named), and the sheet's name."""
    parts = Parts(raw)
    if "xl/workbook.xml" not in parts.names and "mimetype" in parts.names:
        raise Unreadable("the file is an OpenDocument spreadsheet (.ods) named .xlsx; save it as .xlsx (Excel 2007-365)")
    with reading("the workbook"):
        sheets = sheet_parts(parts)
        if not sheets:
            raise Unreadable(f"the workbook lists no sheets; {NOT_XLSX}")
        if sheet is not None and sheet not in sheets:
            raise Unreadable(f"there is no sheet {sheet!r}; the sheets are: {', '.join(sheets)}")
        chosen = sheet if sheet is not None else next(iter(sheets))
        strings = shared_strings(parts)
        dates = date_styles(parts)
        data = parts.read(sheets[chosen])
    return sheet_rows(parts, data, Values(strings, dates), chosen), chosen


class Parts:
    """The workbook's parts, unzipped through one counter of the bytes read so far."""

    def __init__(self, raw: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = self.archive.infolist()
        except UNZIP_ERRORS as error:
            raise Unreadable(
                f"cannot read as an xlsx workbook: it is not a zip file, as every .xlsx file is; {NOT_XLSX}"
            ) from error
        claimed = sum(info.file_size for info in infos)
        if len(infos) > MAX_PARTS or claimed > MAX_UNZIPPED:
            raise Unreadable(
                f"the workbook unzips to {claimed:,} bytes in {len(infos):,} parts; apportion reads at most {MAX_UNZIPPED:,}"
            )
        self.names = {info.filename for info in infos}
        self.unzipped = 0

    def read(self, name: str) -> bytes:
        """A part's bytes; the parts read so far may not pass :data:`MAX_UNZIPPED`, whatever the zip claims."""
        if name not in self.names:
            raise Unreadable(f"the workbook has no part {name}; {NOT_XLSX}")
        with self.archive.open(name) as stream:
            data = stream.read(MAX_UNZIPPED - self.unzipped + 1)
        self.unzipped += len(data)
        if self.unzipped > MAX_UNZIPPED:
            raise Unreadable(f"the workbook unzips to more than {MAX_UNZIPPED:,} bytes; apportion reads at most {MAX_UNZIPPED:,}")
        return data

    def optional(self, name: str) -> bytes | None:
        return self.read(name) if name in self.names else None


@contextmanager
def reading(what: str, where: str = "") -> Iterator[None]:
    """Turns whatever the zip and XML libraries raise into :class:`Unreadable`, saying what was being read."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    try:
        yield
    except DefusedXmlException as error:
        raise Unreadable(f"{what} declares entities or a DTD, which apportion does not read; {RESAVE}", where) from error
    except ParseError as error:
        raise Unreadable(f"{what} is not well-formed XML ({error}); {RESAVE}", where) from error
    except UNZIP_ERRORS as error:
        raise Unreadable(f"{what} is damaged: it cannot be unzipped ({error}); {RESAVE}", where) from error
    except (KeyError, ValueError, IndexError) as error:
        raise Unreadable(f"cannot read {what} ({type(error).__name__}); {NOT_XLSX}", where) from error


def parse(data: bytes) -> Any:
    from defusedxml.ElementTree import fromstring  # no entities, no DTDs, no reaching out

    return fromstring(data)


def stream(data: bytes, tag: str) -> Iterator[Any]:
    """Each element ``tag`` of an XML part as it is parsed, cleared once the caller is done with it."""
    from defusedxml.ElementTree import iterparse

    for _, element in iterparse(io.BytesIO(data)):
        if element.tag == tag:
            yield element
            element.clear()


def sheet_parts(parts: Parts) -> dict[str, str]:
    """Each sheet's name and the part that holds it, in the workbook's order."""
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in parse(parts.read("xl/_rels/workbook.xml.rels")).iter(f"{RELS}Relationship")
    }
    sheets = {}
    for element in parse(parts.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
        target = targets.get(element.get(f"{DOC_RELS}id"))
        if target is None:
            raise Unreadable(f"the workbook lists sheet {element.get('name', '')!r} without its part; {NOT_XLSX}")
        sheets[element.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return sheets


def shared_strings(parts: Parts) -> list[str]:
    """The workbook's shared strings, each the text of its runs (not of its phonetic guides)."""
    data = parts.optional("xl/sharedStrings.xml")
    if data is None:
        return []
    texts = (f"{MAIN}t", f"{MAIN}r/{MAIN}t")
    return ["".join(t.text or "" for path in texts for t in item.findall(path)) for item in stream(data, f"{MAIN}si")]


def date_styles(parts: Parts) -> tuple[set[int], date]:
    """The cell styles (by index) whose number format shows a date, and the day serial 0 stands for."""
    epoch = date(1899, 12, 30)
    for element in parse(parts.read("xl/workbook.xml")).iter(f"{MAIN}workbookPr"):
        if element.get("date1904") in ("1", "true"):
            epoch = date(1904, 1, 1)
    data = parts.optional("xl/styles.xml")
    if data is None:
        return set(), epoch
    styles = parse(data)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in styles.iter(f"{MAIN}numFmt")}
    formats = [int(xf.get("numFmtId", 0)) for xfs in styles.iter(f"{MAIN}cellXfs") for xf in xfs.iter(f"{MAIN}xf")]
    shown = {index for index, number in enumerate(formats) if number in DATE_FORMATS or shows_a_date(custom.get(number, ""))}
    return shown, epoch


def shows_a_date(code: str) -> bool:
    """A number format that shows a date: it has days or years, or months where no time is shown."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", code).casefold()
    return "d" in bare or "y" in bare or ("m" in bare and "h" not in bare and "s" not in bare)


class Values:
    """What a cell's value is read as: its shared strings and the styles that show dates."""

    def __init__(self, strings: list[str], dates: tuple[set[int], date]) -> None:
        self.strings = strings
        self.date_styles, self.epoch = dates

    def of(self, cell: Any, ref: str, where: str) -> Any:
        """A cell's value as the budget file's values are read: numbers as exact Decimals, dates as dates."""
        kind = cell.get("t", "n")
        value = cell.find(f"{MAIN}v")
        text = value.text if value is not None else None
        if kind == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
        if text is None:
            return NO_VALUE if cell.find(f"{MAIN}f") is not None else None
        if kind == "s":
            return self.shared(text, ref, where)
        if kind == "b":
            return text == "1"
        if kind == "e":
            return CellError(text)
        if kind in ("str", "d"):
            return text
        return self.number(text, cell.get("s"))

    def shared(self, text: str, ref: str, where: str) -> str:
        index = int(text) if text.strip().isdigit() and len(text.strip()) < 10 else -1
        if not 0 <= index < len(self.strings):
            held = f"holds {len(self.strings):,}, numbered from 0" if self.strings else "holds none"
            raise Unreadable(
                f"cell {ref} refers to shared string {text.strip()[:20]!r}, but the workbook {held}; {RESAVE}", where
            )
        return self.strings[index]

    def number(self, text: str, style: str | None) -> Any:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if style is not None and style.isdigit() and int(style) in self.date_styles and number.is_finite():
            day = self.day(number)
            if day is not None:
                return day
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -12 and number.adjusted() > -30:
            return number.quantize(PLACES, rounding=ROUND_HALF_EVEN).normalize()  # a number the spreadsheet worked out
        return number

    def day(self, serial: Decimal) -> date | None:
        """The date a day serial shows (whole days; the time of day is not read), or None past 9999."""
        if not 1 <= serial < 2_958_466:
            return None
        days = int(serial)
        if self.epoch.year == 1899 and days < 61:  # the 1900 system counts a 29 February 1900 that never was
            days += 1
        return self.epoch + timedelta(days=days)


def sheet_rows(parts: Parts, data: bytes, values: Values, sheet: str) -> Grid:
    """The sheet's rows in order, blank rows included, each its values by column (0 for A)."""
    where = f"sheet {sheet}"
    expected = 1
    with reading("the sheet", where):
        for element in stream(data, f"{MAIN}row"):
            number = row_number(element.get("r"), expected, where)
            while expected < number:  # rows the file leaves out are blank
                yield expected, {}
                expected += 1
            yield number, row_values(element, number, values, where)
            expected = number + 1


def row_number(given: str | None, expected: int, where: str) -> int:
    if given is None:
        return expected
    if not _ROW.fullmatch(given):
        raise Unreadable(f"a row is numbered {given[:20]!r}, not 1, 2, 3 ...; {RESAVE}", where)
    number = int(given)
    if number > MAX_ROWS + 1:
        raise Unreadable(f"the sheet has more than {MAX_ROWS:,} rows; apportion reads at most {MAX_ROWS:,}", where)
    if number < expected:
        raise Unreadable(f"row {number} comes after row {expected - 1}; {RESAVE}", where)
    return number


def row_values(element: Any, number: int, values: Values, where: str) -> dict[int, Any]:
    """A row's values by column; each cell where a spreadsheet can have one."""
    found: dict[int, Any] = {}
    for cell in element.iter(f"{MAIN}c"):
        given = cell.get("r")
        if given is None:
            column = max(found, default=-1) + 1
        else:
            match = _REF.fullmatch(given)
            if match is None or int(match.group(2)) != number:
                raise Unreadable(f"a cell of row {number} is at {given[:20]!r}, not a cell of that row; {RESAVE}", where)
            column = column_number(match.group(1)) - 1
        if column >= MAX_COLUMN:
            raise Unreadable(f"cell {given or number} is past column XFD, the last a spreadsheet has; {RESAVE}", where)
        found[column] = values.of(cell, given or f"{column_letters(column)}{number}", where)
    return found


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
