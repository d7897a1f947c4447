"""How a workbook differs from what apportion writes, cell by cell, once it is known to be
small enough to read.

Before a byte of it is parsed, the package is measured against the workbook apportion
writes: how many parts it has, how large each is uncompressed (as the zip's directory says,
and no more is ever inflated), and how many cells its merged areas and links span (openpyxl
makes a cell of each). Anything beyond stops there, named. Then each sheet is compared
where either workbook has a cell, never across a sheet's whole extent, so a cell typed at
XFD1048576 costs what any other does: the value, the value stored beside a formula (what a
reader sees who does not recalculate), the number format, the font and the fill; then the
rows and columns hidden, the sheet's state, the document's properties and names; and if
none of that differs, the parts that do.
"""

from __future__ import annotations

import bisect
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any, NamedTuple

from apportion.audit.differences import at, clipped, shown
from apportion.model import Message
from apportion.model.messages import counted

PARTS_OVER = 50  # parts a workbook may hold beyond those apportion writes
SPAN_OVER = 10_000  # cells a sheet's merged areas and links may span beyond apportion's
SPANS = re.compile(rb'<(?:\w+:)?(?:mergeCell|hyperlink)\b[^>]*?\bref="([^"]{0,200})"')


def part_most(expected: int) -> int:
    """The most bytes read of a part (or a file) where apportion writes ``expected``."""
    return 2 * expected + (1 << 20)


def workbook_differences(name: str, expected: bytes, found: bytes, member: str = "") -> Iterator[Message]:
    want_parts = parts_of(expected)
    try:
        found_parts = bounded_parts(found, want_parts)
        got, got_stored = loaded(found)
    except TooLarge as error:
        yield at(name, error.part, f"{error}; the workbook was not read further")
        return
    except Exception as error:  # noqa: BLE001 - any failure to read untrusted bytes as a workbook
        kind = "an empty file" if not found else f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        yield at(name, "", f"not a workbook ({clipped(kind.rstrip(': '))}); it is not what apportion writes")
        return
    want, want_stored = loaded(expected)
    told = 0
    for message in sheet_differences(name, Books(want, got, want_stored, got_stored), member):
        told += 1
        yield message
    for message in property_differences(name, want, got):
        told += 1
        yield message
    if told:
        return
    for part in sorted(set(want_parts) | set(found_parts)):
        if part not in found_parts:
            yield at(name, part, "missing part of the workbook")
        elif part not in want_parts:
            yield at(name, part, "added: a part apportion does not write")
        elif want_parts[part] != found_parts[part]:
            yield at(name, part, "this part of the workbook differs from what apportion writes")


class TooLarge(ValueError):
    """A workbook larger, in some part, than any apportion writes."""

    def __init__(self, part: str, text: str) -> None:
        super().__init__(text)
        self.part = part


@functools.lru_cache(maxsize=4)
def parts_of(data: bytes) -> dict[str, bytes]:
    """Every part of a workbook apportion wrote (trusted: its own bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def bounded_parts(found: bytes, want: dict[str, bytes]) -> dict[str, bytes]:
    """The parts of an untrusted workbook, once its directory shows none larger than apportion
    could write (TooLarge otherwise); each part inflated no further than its stated size."""
    with zipfile.ZipFile(io.BytesIO(found)) as archive:
        infos = archive.infolist()
        if len(infos) > len(want) + PARTS_OVER:
            raise TooLarge("", f"the workbook has {len(infos):,} parts, where apportion writes {len(want):,}")
        largest = max((len(data) for data in want.values()), default=0)
        for info in infos:
            most = part_most(len(want.get(info.filename, b"")) or largest)
            if info.file_size > most:
                raise TooLarge(info.filename, f"the part is {info.file_size:,} bytes uncompressed, more than apportion "
                                              f"reads of it ({most:,})")  # fmt: skip
        parts = {info.filename: archive.read(info) for info in infos}
    for part, data in parts.items():
        span, most = spanned(data), spanned(want.get(part, b"")) + SPAN_OVER
        if span > most:
            raise TooLarge(part, f"its merged areas and links span {span:,} cells, more than apportion reads ({most:,})")
    return parts


def spanned(xml: bytes) -> int:
    """How many cells a sheet's merged areas and hyperlinks span."""
    from openpyxl.utils.cell import range_boundaries

    total = 0
    for match in SPANS.finditer(xml):
        try:
            low_column, low_row, high_column, high_row = range_boundaries(match.group(1).decode("ascii"))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue  # openpyxl refuses it too
        rows = (high_row or 1_048_576) - (low_row or 1) + 1
        total += max(rows, 1) * max((high_column or 16_384) - (low_column or 1) + 1, 1)
    return total


@functools.lru_cache(maxsize=4)
def loaded(data: bytes) -> tuple[Any, Any]:
    """The workbook with its formulas, and with the values stored beside them."""
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)), load_workbook(io.BytesIO(data), data_only=True)


class Books(NamedTuple):
    """The workbook apportion writes and the one found, each with its formulas and with its stored values."""

    want: Any
    got: Any
    want_stored: Any
    got_stored: Any


def sheet_differences(name: str, books: Books, member: str) -> Iterator[Message]:
    for title in books.want.sheetnames:
        if title not in books.got.sheetnames:
            yield at(name, title, "the sheet is missing")
            continue
        sheets = Books(*(book[title] for book in books))
        yield from cells_differences(name, sheets, member)
    for title in books.got.sheetnames:
        if title not in books.want.sheetnames:
            yield at(name, title, "added: a sheet apportion does not write")


class Facts(NamedTuple):
    """What a reader sees of a cell: its value (or formula), the value stored beside a
    formula, its number format, font and fill."""

    value: Any
    stored: Any
    number_format: str
    font: str
    fill: str


NO_CELL = Facts(None, None, "General", "", "none")
STORED = "stored value: "
UNSTORED = (
    "{} as apportion writes them, but saved with no value (as a program that does not calculate saves them): "
    "a reader who does not recalculate sees them blank"
)


def facts_of(sheet: Any, stored: Any, row: int, column: int) -> Facts:
    cell = sheet._cells.get((row, column))  # the cells present: never the sheet's whole extent
    if cell is None:
        return NO_CELL
    kept = stored._cells.get((row, column)) if cell.data_type == "f" else None
    value = money_shown(cell.value, cell.number_format)
    return Facts(value, money_shown(kept.value, cell.number_format) if kept is not None else None,
                 cell.number_format, font_of(cell), fill_of(cell))  # fmt: skip


def cells_differences(name: str, sheets: Books, member: str) -> Iterator[Message]:
    want, got = sheets.want, sheets.got
    title = want.title
    if want.sheet_state != got.sheet_state:
        yield at(name, title, f"the sheet is {got.sheet_state}; apportion writes it {want.sheet_state}")
    headings = headings_of(want)
    unstored = []  # formulas as apportion writes them, saved with no value
    for row, column in sorted(set(want._cells) | set(got._cells)):
        expected = facts_of(want, sheets.want_stored, row, column)
        found = facts_of(got, sheets.got_stored, row, column)
        if expected == found:
            continue
        where = f"{title}!{coordinate(row, column)}"
        facts = list(cell_facts(expected, found))
        if expected._replace(stored=None) == found and facts and facts[0][0] == STORED:
            unstored.append(where)
            continue
        about, unit = labels(want, headings, row, column, member)
        for what, expected_value, found_value in facts:
            yield at(name, where, f"{about}{what}expected {expected_value}, found {found_value}", member=member, unit=unit)
    if unstored:
        yield at(name, unstored[0] if len(unstored) == 1 else title, UNSTORED.format(counted(len(unstored), "formula")))
    for row in sorted(set(want.row_dimensions) | set(got.row_dimensions)):
        hidden = hidden_in(got.row_dimensions, row)
        if hidden != hidden_in(want.row_dimensions, row):
            yield at(name, f"{title}!{row}:{row}", "the row is hidden" if hidden else "the row is shown")
    for letter in sorted(set(want.column_dimensions) | set(got.column_dimensions)):
        hidden = hidden_in(got.column_dimensions, letter)
        if hidden != hidden_in(want.column_dimensions, letter):
            yield at(name, f"{title}!{letter}:{letter}", "the column is hidden" if hidden else "the column is shown")


def hidden_in(dimensions: Any, key: object) -> bool:
    dimension = dimensions.get(key)  # .get: indexing would add a row or column to the sheet
    return bool(dimension is not None and dimension.hidden)


def coordinate(row: int, column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(column)}{row}" if 1 <= column <= 18_278 else f"R{row}C{column}"


def cell_facts(expected: Facts, found: Facts) -> Iterator[tuple[str, str, str]]:
    """(what, expected, found) for each fact of a cell that differs."""
    if not same_value(expected.value, found.value):
        yield "", with_stored(expected), with_stored(found)
    elif not same_value(expected.stored, found.stored):
        yield STORED, shown(expected.stored), shown(found.stored)
    if NO_CELL in (expected, found) or (expected.value in (None, "") and found.value in (None, "")):
        return  # a cell added or removed is told by its value; a blank one's format is no one's to see
    for what, want, got in (
        ("number format: ", repr(expected.number_format), repr(found.number_format)),
        ("font: ", expected.font, found.font),
        ("fill: ", expected.fill, found.fill),
    ):
        if want != got:
            yield what, clipped(want), clipped(got)


def with_stored(facts: Facts) -> str:
    """A cell's value as a message shows it, with the value stored beside a formula."""
    if isinstance(facts.value, str) and facts.value.startswith("=") and facts.stored is not None:
        return f"{shown(facts.value)} (stored {shown(facts.stored)})"
    return shown(facts.value)


def font_of(cell: Any) -> str:
    font = cell.font
    colour = font.color.rgb if font.color is not None and isinstance(font.color.rgb, str) else "automatic"
    parts = [f"{font.name} {font.sz:g}pt" if font.sz else str(font.name), f"colour {colour}"]
    parts += [word for word, on in (("bold", font.b), ("italic", font.i), ("underlined", font.u), ("struck", font.strike)) if on]
    return ", ".join(parts)


def fill_of(cell: Any) -> str:
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return "none"
    colour = fill.fgColor.rgb if fill.fgColor is not None and isinstance(fill.fgColor.rgb, str) else "automatic"
    return f"{fill.fill_type} {colour}"


def same_value(expected: Any, found: Any) -> bool:
    if expected in (None, "") and found in (None, ""):
        return True
    return bool(expected == found)


class Pounds(str):
    """An amount as a message shows it: pounds and pence."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def money_shown(value: Any, number_format: str | None) -> Any:
    """A cell's value, an amount in pounds and pence where its format is money."""
    if isinstance(value, int | float) and not isinstance(value, bool) and "£" in (number_format or ""):
        return Pounds(f"{value:.2f}")
    return value


def headings_of(sheet: Any) -> dict[int, list[tuple[int, str]]]:
    """Each column's headings (apportion fills its header cells), by row, in order."""
    headings: dict[int, list[tuple[int, str]]] = {}
    for (row, column), cell in sorted(sheet._cells.items()):
        if cell.fill is not None and cell.fill.fill_type == "solid":
            headings.setdefault(column, []).append((row, str(cell.value or "")))
    return headings


def labels(sheet: Any, headings: dict[int, list[tuple[int, str]]], row: int, column: int, member: str) -> tuple[str, str]:
    """('member Kent, unit ROCU, item Net cash payable: ', 'ROCU') from the workbook's member,
    the cell's row (its first column) and the heading above it in its column."""
    above = headings.get(column, [])
    index = bisect.bisect_left(above, (row, "")) - 1
    heading = above[index][1] if index >= 0 else ""
    first = sheet._cells.get((row, 1))
    first_value = first.value if first is not None else None
    unit = first_value if isinstance(first_value, str) and heading and first_value != heading else ""
    firsts = headings.get(1, [])
    at = bisect.bisect_left(firsts, (row, "")) - 1
    by_member = at >= 0 and firsts[at][1] == "Member"  # a table with a row a member (the summary's own)
    parts = [f"member {member}"] if member else []
    parts += [f"{'member' if by_member else 'unit'} {unit}"] if unit else []
    parts += [f"item {heading}"] if heading else []
    return (", ".join(parts) + ": " if parts else ""), unit


def property_differences(name: str, want: Any, got: Any) -> Iterator[Message]:
    for key in ("title", "subject", "creator", "created", "modified"):
        expected, found = getattr(want.properties, key), getattr(got.properties, key)
        if expected != found:
            yield at(name, f"document properties {key}", f"expected {shown(expected)}, found {shown(found)}")
    want_custom = {p.name: p.value for p in want.custom_doc_props.props}
    got_custom = {p.name: p.value for p in got.custom_doc_props.props}
    for key in sorted(set(want_custom) | set(got_custom), key=str):
        if want_custom.get(key) != got_custom.get(key):
            where = f"document properties {shown(str(key))}"
            yield at(name, where, f"expected {shown(want_custom.get(key))}, found {shown(got_custom.get(key))}")
    want_names = {n: str(v.attr_text) for n, v in want.defined_names.items()}
    got_names = {n: str(v.attr_text) for n, v in got.defined_names.items()}
    for key in sorted(set(want_names) | set(got_names), key=str):
        if want_names.get(key) != got_names.get(key):
            yield at(name, f"name {shown(str(key))}", f"expected {shown(want_names.get(key))}, found {shown(got_names.get(key))}")
