"""How a file differs from what apportion writes, in words an auditor can check.

Read only when the bytes differ. A workbook is compared sheet by sheet and cell by cell:
the value, the number format, the font, the fill, and whether the row, column or sheet is
hidden; then its names and document properties; and if none of that differs, the parts of
the package that do. A CSV or the journal is compared line by line; datapackage.json key
by key. Whatever cannot be read is still named, with what is wrong with it.
"""

from __future__ import annotations

import difflib
import io
import json
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from apportion.model import Message, Place, Severity
from apportion.model.messages import counted
from apportion.model.money import plain

MOST = 200  # differences told a file; the rest are counted


def explain(name: str, expected: bytes, found: bytes, member: str = "") -> list[Message]:
    """At least one message saying how ``found`` differs from ``expected`` (the file
    ``name``; ``member``, the member whose workbook it is)."""
    if name.endswith(".xlsx"):
        messages = list(workbook_differences(name, expected, found, member))
    elif name.endswith(".json"):
        messages = list(json_differences(name, expected, found))
    else:
        messages = list(line_differences(name, expected, found))
    if not messages:
        messages = [at(name, "", "the file's bytes differ from what apportion writes")]
    if len(messages) > MOST:
        more = len(messages) - MOST
        messages = [*messages[:MOST], at(name, "", f"... and {counted(more, 'more difference')} in this file")]
    return messages


def at(name: str, where: str, text: str, *, member: str = "", unit: str = "") -> Message:
    return Message(text, Place(name, 0, where), Severity.DIFFERENCE, unit, member)


def shown(value: Any) -> str:
    if value is None or value == "":
        return "(nothing)"
    if isinstance(value, Decimal):
        return plain(value)
    return repr(value) if isinstance(value, str) else str(value)


# --- lines ---------------------------------------------------------------------------------


def line_differences(name: str, expected: bytes, found: bytes) -> Iterator[Message]:
    try:
        found_lines = found.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        yield at(name, "", f"not UTF-8 text (byte {error.start}); it is not what apportion writes")
        return
    expected_lines = expected.decode("utf-8").splitlines()
    matcher = difflib.SequenceMatcher(a=expected_lines, b=found_lines, autojunk=False)
    for tag, first, last, found_first, found_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = max(last - first, found_last - found_first)
        for offset in range(pairs):
            want = expected_lines[first + offset] if first + offset < last else None
            got = found_lines[found_first + offset] if found_first + offset < found_last else None
            if want is not None and got is not None:
                yield at(name, f"line {found_first + offset + 1}", f"expected {want!r}, found {got!r}")
            elif want is not None:
                yield at(name, f"line {first + offset + 1}", f"missing: {want!r}")
            else:
                yield at(name, f"line {found_first + offset + 1}", f"added: {got!r} (apportion does not write this line)")


# --- datapackage.json ----------------------------------------------------------------------


def json_differences(name: str, expected: bytes, found: bytes) -> Iterator[Message]:
    try:
        got = json.loads(found.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        yield at(name, "", f"not JSON ({error}); it is not what apportion writes")
        return
    yield from (at(name, path, text) for path, text in walk(json.loads(expected.decode("utf-8")), got, ""))


def walk(want: Any, got: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            inner = f"{path}.{key}" if path else str(key)
            if key not in got:
                yield inner, f"missing (expected {shown(want[key])})"
            else:
                yield from walk(want[key], got[key], inner)
        for key in got:
            if key not in want:
                yield (f"{path}.{key}" if path else str(key)), f"added: {shown(got[key])}"
    elif isinstance(want, list) and isinstance(got, list):
        for index in range(max(len(want), len(got))):
            inner = f"{path}[{index}]"
            if index >= len(got):
                yield inner, "missing"
            elif index >= len(want):
                yield inner, f"added: {shown(got[index])}"
            else:
                yield from walk(want[index], got[index], inner)
    elif want != got:
        yield path, f"expected {shown(want)}, found {shown(got)}"


# --- workbooks -----------------------------------------------------------------------------


def workbook_differences(name: str, expected: bytes, found: bytes, member: str = "") -> Iterator[Message]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(found)) as archive:
            found_parts = {info.filename: archive.read(info) for info in archive.infolist()}
        got = load_workbook(io.BytesIO(found))
    except Exception as error:  # noqa: BLE001 - any failure to read untrusted bytes as a workbook
        kind = "an empty file" if not found else f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
        yield at(name, "", f"not a workbook ({kind.rstrip(': ')}); it is not what apportion writes")
        return
    want = load_workbook(io.BytesIO(expected))
    told = list(sheet_differences(name, want, got, member))
    told += list(property_differences(name, want, got))
    yield from told
    if not told:
        with zipfile.ZipFile(io.BytesIO(expected)) as archive:
            expected_parts = {info.filename: archive.read(info) for info in archive.infolist()}
        for part in sorted(set(expected_parts) | set(found_parts)):
            if part not in found_parts:
                yield at(name, part, "missing part of the workbook")
            elif part not in expected_parts:
                yield at(name, part, "added: a part apportion does not write")
            elif expected_parts[part] != found_parts[part]:
                yield at(name, part, "this part of the workbook differs from what apportion writes")


def sheet_differences(name: str, want: Any, got: Any, member: str) -> Iterator[Message]:
    for title in want.sheetnames:
        if title not in got.sheetnames:
            yield at(name, title, "the sheet is missing")
            continue
        yield from cells_differences(name, want[title], got[title], member)
    for title in got.sheetnames:
        if title not in want.sheetnames:
            yield at(name, title, "added: a sheet apportion does not write")


def cells_differences(name: str, want: Any, got: Any, member: str) -> Iterator[Message]:
    title = want.title
    if want.sheet_state != got.sheet_state:
        yield at(name, title, f"the sheet is {got.sheet_state}; apportion writes it {want.sheet_state}")
    rows = max(want.max_row, got.max_row)
    columns = max(want.max_column, got.max_column)
    for row in range(1, rows + 1):
        if bool(got.row_dimensions[row].hidden) != bool(want.row_dimensions[row].hidden):
            yield at(name, f"{title}!{row}:{row}", "the row is hidden" if got.row_dimensions[row].hidden else "the row is shown")
        for column in range(1, columns + 1):
            expected, found = want.cell(row, column), got.cell(row, column)
            for what, expected_value, found_value in cell_facts(expected, found):
                about, unit = labels(want, row, column, member)
                text = f"{about}{what}expected {expected_value}, found {found_value}"
                yield at(name, f"{title}!{expected.coordinate}", text, member=member, unit=unit)
    for letter, dimension in got.column_dimensions.items():
        if bool(dimension.hidden) != bool(want.column_dimensions[letter].hidden):
            yield at(name, f"{title}!{letter}:{letter}", "the column is hidden" if dimension.hidden else "the column is shown")


def cell_facts(expected: Any, found: Any) -> Iterator[tuple[str, str, str]]:
    """(what, expected, found) for each fact of a cell that differs."""
    if not same_value(expected.value, found.value):
        yield "", money_shown(expected), money_shown(found)
    if expected.value is None and found.value is None:
        return
    if expected.number_format != found.number_format:
        yield "number format: ", repr(expected.number_format), repr(found.number_format)
    want_font, got_font = font_of(expected), font_of(found)
    if want_font != got_font:
        yield "font: ", want_font, got_font
    want_fill, got_fill = fill_of(expected), fill_of(found)
    if want_fill != got_fill:
        yield "fill: ", want_fill, got_fill


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


def money_shown(cell: Any) -> str:
    """A cell's value as a message shows it: amounts in pounds and pence."""
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "£" in (cell.number_format or ""):
        return f"{value:.2f}"
    return shown(value)


def labels(sheet: Any, row: int, column: int, member: str) -> tuple[str, str]:
    """('member Kent, unit ROCU, item Net cash payable: ', 'ROCU') from the workbook's member,
    the cell's row (its first column) and the heading of its column (apportion fills headers)."""
    heading = ""
    for above in range(row - 1, 0, -1):
        cell = sheet.cell(above, column)
        if cell.fill is not None and cell.fill.fill_type == "solid":
            heading = str(cell.value or "")
            break
    first = sheet.cell(row, 1).value
    unit = first if isinstance(first, str) and heading and first != heading else ""
    parts = [f"member {member}"] if member else []
    parts += [f"unit {unit}"] if unit else []
    parts += [f"item {heading}"] if heading else []
    return (", ".join(parts) + ": " if parts else ""), unit


def property_differences(name: str, want: Any, got: Any) -> Iterator[Message]:
    for key in ("title", "subject", "creator", "created", "modified"):
        expected, found = getattr(want.properties, key), getattr(got.properties, key)
        if expected != found:
            yield at(name, f"document properties {key}", f"expected {shown(expected)}, found {shown(found)}")
    want_custom = {p.name: p.value for p in want.custom_doc_props.props}
    got_custom = {p.name: p.value for p in got.custom_doc_props.props}
    for key in sorted(set(want_custom) | set(got_custom)):
        if want_custom.get(key) != got_custom.get(key):
            yield at(
                name, f"document properties {key}", f"expected {shown(want_custom.get(key))}, found {shown(got_custom.get(key))}"
            )
    want_names = {n: str(v.attr_text) for n, v in want.defined_names.items()}
    got_names = {n: str(v.attr_text) for n, v in got.defined_names.items()}
    for key in sorted(set(want_names) | set(got_names)):
        if want_names.get(key) != got_names.get(key):
            yield at(name, f"name {key}", f"expected {shown(want_names.get(key))}, found {shown(got_names.get(key))}")
