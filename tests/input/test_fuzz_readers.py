"""The spreadsheet readers (actuals, lines and bases) fed random and mutated CSV and xlsx
files: each ends in a budget or in problems told, never in a traceback, a hang or memory
growing past 300 MB.

The files are made from a fixed seed, so the suite runs the same cases every time, in a
few seconds. FUZZ_SECONDS=600 python -m pytest tests/input/test_fuzz_readers.py runs
new cases (from a seed of the clock, printed on failure) for that long instead.
"""

from __future__ import annotations

import io
import os
import random
import signal
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from apportion.input.budget_file import load_budget
from apportion.model import InputError
from tests.input.workbooks import DATE_STYLE, MAIN, number_cell, row, text_cell, workbook_parts, zipped

HEAD = "collaboration: Fuzz\nyear: 2024/25\nmembers: [Derbyshire, Leicestershire]\n"
UNIT = "units:\n  - {code: ROCU, basis: equal, pay: {Staff: 1000}}\n"
READERS = {
    "actuals": HEAD + UNIT + "monitoring:\n  periods: monthly\n  actuals_from: {file: FILE, unit_column: unit, "
    "period_column: period, actual_column: spent, forecast_column: forecast}\n",
    "lines": HEAD + "units:\n  - code: ROCU\n    basis: equal\n    lines_from: {file: FILE, unit_column: unit, "
    "name_column: line, kind_column: kind, amount_column: amount}\n",
    "bases": HEAD + "bases:\n  population:\n    drivers_from: {file: FILE, member_column: member, value_column: value}\n"
    "  formula:\n    unit: fraction\n    shares_from: {file: FILE, member_column: member, value_column: share}\n"
    + "units:\n  - {code: ROCU, basis: population, pay: {Staff: 1000}}\n  - {code: ROADS, basis: formula, pay: {Staff: 5}}\n",
}
HEADINGS = ["unit", "period", "spent", "forecast", "line", "kind", "amount", "member", "value", "share"]
CELLS = ["ROCU", "Derbyshire", "Leicestershire", "M1", "Q2", "2024-05", "pay", "non-pay", "income", "Staff", "100",
         "1,234.50", "-5", "£3,000", "27.3%", "0.273", "1e999999", "", " ", "=SUM(A1)", "#REF!", "\u202e", "\x00", "'", '"']  # fmt: skip
MAX_MEMORY = 300 * 1024 * 1024
CASE_SECONDS = 20  # a case still reading after this long is a hang


def seed_rows(rng: random.Random) -> list[list[str]]:
    """A sheet of plausible rows: every heading the readers ask for, and cells of every kind."""
    headings = HEADINGS[:]
    rng.shuffle(headings)
    rows = [headings]
    for _ in range(rng.randint(0, 12)):
        rows.append([rng.choice(CELLS) for _ in headings])
    return rows


def csv_text(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(cells) for cells in rows).encode("utf-8", "surrogatepass")


def xlsx_parts(rng: random.Random, rows: list[list[str]]) -> dict[str, str]:
    """A workbook of the rows: each cell a shared string, an inline string, a number (some shown as dates) or a formula."""
    strings: list[str] = []
    body = []
    for number, cells in enumerate(rows, start=1):
        written = []
        for column, text in enumerate(cells):
            ref = f"{chr(65 + column)}{number}"
            kind = rng.randrange(4)
            if kind == 0:
                strings.append(text)
                written.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            elif kind == 1 or not text.replace(".", "").isdigit():
                written.append(text_cell(ref, text.replace("\x00", "")))
            elif kind == 2:
                written.append(number_cell(ref, text, rng.choice([None, 1])))
            else:
                written.append(f'<c r="{ref}"><f>1+1</f>{rng.choice(["", "<v>2</v>"])}</c>')
        body.append(row(number, *written))
    return workbook_parts("".join(body), strings=[s.replace("\x00", "") for s in strings], styles=DATE_STYLE)


def mutated(rng: random.Random, data: bytes) -> bytes:
    """The bytes with a few flipped, cut, repeated or inserted."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        choice = rng.randrange(5)
        if choice == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif choice == 1:
            del data[at : at + rng.randint(1, 64)]
        elif choice == 2:
            data[at:at] = data[at : at + rng.randint(1, 64)] * rng.randint(1, 20)
        elif choice == 3:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            data[at:at] = rng.choice([b",", b'"', b"\n", b"\r", b"<", b">", b"&", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf"])
    return bytes(data)


def hostile_xml(rng: random.Random) -> str:
    """Sheet XML that a careless or hostile writer might make: cells anywhere, rows in any order, any type."""
    body = []
    for _ in range(rng.randint(1, 20)):
        number = rng.choice([str(rng.randint(1, 30)), "0", "-1", "1048577", "99999999999", "two", ""])
        cells = []
        for _ in range(rng.randint(0, 6)):
            ref = rng.choice(["A", "B", "ZZ", "XFD", "XFE", "ZZZZZZ", "a", ""]) + rng.choice([number, "1", "x", ""])
            kind = rng.choice(["s", "n", "b", "e", "str", "inlineStr", "d", "x"])
            value = rng.choice(["0", "5", "-1", "99999999999", "1E+999999", "NaN", "Infinity", "abc", "", "45383"])
            cells.append(f'<c r="{ref}" t="{kind}" s="{rng.choice(["0", "1", "9", "x"])}"><v>{value}</v></c>')
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    return f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(body)}</sheetData></worksheet>'


def files(rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """(suffix, bytes) of one case of each kind."""
    rows = seed_rows(rng)
    yield ".csv", csv_text(rows)
    yield ".csv", mutated(rng, csv_text(rows))
    yield ".csv", bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
    parts = xlsx_parts(rng, rows)
    yield ".xlsx", zipped(dict(parts))
    yield ".xlsx", mutated(rng, zipped(dict(parts)))
    name = rng.choice(sorted(parts))
    yield ".xlsx", zipped({**parts, name: mutated(rng, parts[name].encode()).decode("utf-8", "replace")})
    yield ".xlsx", zipped({**parts, "xl/worksheets/sheet1.xml": hostile_xml(rng)})


@contextmanager
def watched(seconds: int) -> Iterator[None]:
    """Raises TimeoutError in the case that is still running after ``seconds``."""

    def stop(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"still reading after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_case(folder: Path, reader: str, suffix: str, data: bytes) -> list[str]:
    """Loads the budget that reads ``data`` as ``reader``'s spreadsheet: the problems told (none for a budget)."""
    sheet = folder / f"sheet{suffix}"
    sheet.write_bytes(data)
    path = folder / "budget.yaml"
    path.write_text(READERS[reader].replace("FILE", sheet.name), encoding="utf-8")
    try:
        load_budget(path)
    except InputError as error:
        told = [str(problem) for problem in error.problems]
        assert all(told)
        return told
    return []


def fuzz(folder: Path, seed: int, keep_going: Callable[[int], bool]) -> int:
    """Runs cases from ``seed`` while ``keep_going(cases so far)``; returns how many ran."""
    rng = random.Random(seed)
    cases = 0
    tracemalloc.start()
    try:
        while keep_going(cases):
            for suffix, data in files(rng):
                for reader in READERS:
                    with watched(CASE_SECONDS):
                        try:
                            read_case(folder, reader, suffix, data)
                        except Exception as error:
                            raise AssertionError(f"seed {seed}, case {cases}: {reader} reading {data[:200]!r}") from error
                    cases += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_MEMORY, f"seed {seed}: the readers took {peak:,} bytes"
    return cases


def test_the_readers_tell_problems_and_never_fail_on_random_and_mutated_files(tmp_path):
    seconds = float(os.environ.get("FUZZ_SECONDS", "0"))
    if seconds:
        seed = time.time_ns()
        deadline = time.monotonic() + seconds
        cases = fuzz(tmp_path, seed, lambda _: time.monotonic() < deadline)
    else:
        cases = fuzz(tmp_path, 2024, lambda done: done < 1_000)
    assert cases >= 1_000


def test_a_workbook_unzipping_to_the_limit_is_read_within_bounds(tmp_path):
    # a 50 MB sheet of blank space compresses to some 50 KB: it is read as a stream, in
    # well under the memory the readers are allowed, and told as having no columns
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>' + " " * 49_000_000 + "</sheetData></worksheet>"
    parts = {**workbook_parts(""), "xl/worksheets/sheet1.xml": sheet}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    tracemalloc.start()
    try:
        with watched(CASE_SECONDS):
            told = read_case(tmp_path, "bases", ".xlsx", buffer.getvalue())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert told == [
        f"{tmp_path / 'sheet.xlsx'}: sheet Sheet1: no column 'member', {column}; row 1 has no headings"
        for column in ("'share'", "'value'")
    ]
    assert peak < MAX_MEMORY
