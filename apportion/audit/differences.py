"""How a file differs from what apportion writes, in words an auditor can check.

Read only when the bytes differ, and only once the file is known to be no larger than
apportion could write there (:func:`most_bytes`). A workbook is compared cell by cell
(:mod:`apportion.audit.workbooks`); a CSV or the journal line by line, a moved line said
to have moved (:mod:`apportion.audit.lines`); datapackage.json key by key, once it is known
not to nest deeper than apportion's. Whatever cannot be read is still named, with what is
wrong with it. A file's first MOST differences are told, the rest counted, and no value is
shown longer than SHOWN_MOST characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from apportion.model import Message, Place, Severity
from apportion.model.messages import counted
from apportion.model.money import plain

MOST = 200  # differences told a file; the rest are counted
SHOWN_MOST = 200  # characters of a value shown; the rest are counted
LINES_OVER = 1_000  # lines a text file may have beyond twice apportion's


def most_bytes(expected: int) -> int:
    """The most bytes read of a file where apportion writes ``expected``: twice as many, and
    a megabyte; a larger file is not what apportion writes, and is not read."""
    return 2 * expected + (1 << 20)


def explain(name: str, expected: bytes, found: bytes, member: str = "") -> list[Message]:
    """At least one message saying how ``found`` differs from ``expected`` (the file
    ``name``; ``member``, the member whose workbook it is): the first MOST, then a count."""
    if name.endswith(".xlsx"):
        from apportion.audit.workbooks import workbook_differences

        told = workbook_differences(name, expected, found, member)
    elif name.endswith(".json"):
        told = json_differences(name, expected, found)
    else:
        told = line_differences(name, expected, found)
    messages = list(islice(told, MOST))
    more = sum(1 for _ in told)
    if not messages:
        messages = [at(name, "", "the file's bytes differ from what apportion writes")]
    if more:
        messages.append(at(name, "", f"... and {counted(more, 'more difference')} in this file"))
    return messages


def at(name: str, where: str, text: str, *, member: str = "", unit: str = "") -> Message:
    return Message(text, Place(name, 0, where), Severity.DIFFERENCE, unit, member)


def shown(value: Any) -> str:
    if value is None or value == "":
        return "(nothing)"
    if isinstance(value, Decimal):
        return clipped(plain(value) if value.is_finite() else str(value))
    if isinstance(value, str):
        return repr(value) if len(value) <= SHOWN_MOST else f"{value[:SHOWN_MOST]!r}... ({len(value):,} characters)"
    return clipped(str(value))


def quoted(text: str) -> str:
    """A line of text as a message shows it: quoted, even when empty, and clipped."""
    return shown(text) if text else "''"


def clipped(text: str) -> str:
    return text if len(text) <= SHOWN_MOST else f"{text[:SHOWN_MOST]}... ({len(text):,} characters)"


# --- lines ---------------------------------------------------------------------------------


def line_differences(name: str, expected: bytes, found: bytes) -> Iterator[Message]:
    from apportion.audit.lines import line_changes

    try:
        found_lines = found.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        yield at(name, "", f"not UTF-8 text (byte {error.start}); it is not what apportion writes")
        return
    expected_lines = expected.decode("utf-8").splitlines()
    most = 2 * len(expected_lines) + LINES_OVER
    if len(found_lines) > most:
        yield at(name, "", f"the file has {len(found_lines):,} lines, more than apportion reads here ({most:,}); "
                           "it is not what apportion writes")  # fmt: skip
        return
    for kind, line, found_line, want, got in line_changes(expected_lines, found_lines):
        if kind == "changed":
            yield at(name, f"line {found_line}", f"expected {quoted(want)}, found {quoted(got)}")
        elif kind == "missing":
            yield at(name, f"line {line}", f"missing: {quoted(want)}")
        elif kind == "added":
            yield at(name, f"line {found_line}", f"added: {quoted(got)} (apportion does not write this line)")
        else:
            yield at(name, f"line {found_line}", f"moved: {quoted(got)} (apportion writes it at line {line})")


# --- datapackage.json ----------------------------------------------------------------------


def json_differences(name: str, expected: bytes, found: bytes) -> Iterator[Message]:
    from apportion.outputs.read_back import Unreadable, parse_json

    try:
        got = parse_json(found)
    except Unreadable as error:
        yield at(name, "", f"the file {error}; it is not what apportion writes")
        return
    yield from (at(name, path, text) for path, text in walk(parse_json(expected), got, ""))


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
                yield clipped(f"{path}.{key}" if path else str(key)), f"added: {shown(got[key])}"
    elif isinstance(want, list) and isinstance(got, list):
        for index in range(max(len(want), len(got))):
            inner = f"{path}[{index}]"
            if index >= len(got):
                yield inner, "missing"
            elif index >= len(want):
                yield inner, f"added: {shown(got[index])}"
            else:
                yield from walk(want[index], got[index], inner)
    elif want != got or type(want) is not type(got):
        yield path, f"expected {shown(want)}, found {shown(got)}"
