"""Recompute a budget and compare every figure with the outputs in a folder.

An auditor's check that a folder of outputs is exactly what a budget produces: every
cell of every workbook, every line of the CSV (and the journal, where there is one),
plus the provenance they record (the input files' SHA-256 and the version that made them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from apportion.model import VERSION, Apportionment, Message, Place, Severity
from apportion.model.money import PENNY
from apportion.model.names import CSV_NAME, JOURNAL_NAME, book_name
from apportion.outputs.csv_files import contributions_csv
from apportion.outputs.folder import make_book
from apportion.outputs.journal import journal_text
from apportion.outputs.provenance import INPUT_KEY, VERSION_KEY, Provenance, parse_input, provenance_of
from apportion.outputs.sheets import Book
from apportion.outputs.spreadsheet.workbook import HEADER_RGB

PROVENANCE_SHEET = "Provenance"


def mismatch(  # noqa: PLR0917 - a difference is named by all of these
    file: str, sheet: str, cell: str, member: str, unit: str, item: str, expected: str, found: str
) -> Message:
    """One figure (or file) that is not what the budget produces, where it is and what it is about."""
    labels = (("member", member), ("unit", unit), ("item", item))
    about = ", ".join(f"{k} {v}" for k, v in labels if v)
    figures = f"expected {expected or '(nothing)'}, found {found or '(nothing)'}"
    where = "!".join(part for part in (sheet, cell) if part)
    return Message(f"{about}: {figures}" if about else figures, Place(file, 0, where), Severity.DIFFERENCE, unit, member)


@dataclass
class Verification:
    """What verify found: mismatches (figures and files) and notes on provenance."""

    mismatches: list[Message] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inputs_changed: bool = False

    @property
    def reproduced(self) -> bool:
        return not self.mismatches and not self.inputs_changed


def verify(result: Apportionment, folder: Path) -> Verification:
    """Compare the outputs in ``folder`` with those ``result`` would write."""
    report = Verification()
    provenance = provenance_of(result)
    expected_books = {book_name(m): as_written(make_book(result, provenance, m)) for m in (None, *result.budget.member_names)}
    found_names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    for name in sorted(found_names - set(expected_books) - {CSV_NAME, JOURNAL_NAME}):
        if name.endswith(".xlsx"):
            report.mismatches.append(mismatch(name, "", "", "", "", "file", "(no such file)", "a workbook"))
    check_csv(result, provenance, folder / CSV_NAME, report)
    for name, expected in expected_books.items():
        path = folder / name
        if not path.exists():
            report.mismatches.append(mismatch(name, "", "", "", "", "file", "a workbook", "(missing)"))
            continue
        member = expected["Contribution"]["A2"].value.removeprefix("Contribution of ") if "Contribution" in expected else ""
        compare_workbook(name, expected, load_workbook(path), member, report)
    if (folder / JOURNAL_NAME).exists():
        compare_text(JOURNAL_NAME, journal_text(result), (folder / JOURNAL_NAME).read_text(encoding="utf-8"), report)
    return report


def check_csv(result: Apportionment, provenance: Provenance, path: Path, report: Verification) -> None:
    """The CSV's provenance lines and its rows, keyed by unit, member and item."""
    if not path.exists():
        report.mismatches.append(mismatch(CSV_NAME, "", "", "", "", "file", "contributions.csv", "(missing)"))
        return
    found_text = path.read_text(encoding="utf-8")
    expected_text = contributions_csv(result, provenance)
    check_provenance(result, recorded_provenance(found_text), report)
    expected_rows = csv_rows_by_key(expected_text)
    found_rows = csv_rows_by_key(found_text)
    for key, (line, row) in expected_rows.items():
        unit, member, item = key
        if key not in found_rows:
            report.mismatches.append(mismatch(CSV_NAME, "", f"line {line}", member, unit, item, row["amount"], "(row missing)"))
            continue
        found_line, found = found_rows[key]
        for column, value in row.items():
            if found.get(column) != value:
                report.mismatches.append(
                    mismatch(CSV_NAME, "", f"line {found_line} {column}", member, unit, item, value, found.get(column) or "")
                )
    for key, (line, row) in found_rows.items():
        if key not in expected_rows:
            unit, member, item = key
            found_amount = row.get("amount", "")
            report.mismatches.append(mismatch(CSV_NAME, "", f"line {line}", member, unit, item, "(no such row)", found_amount))


def csv_rows_by_key(text: str) -> dict[tuple[str, str, str], tuple[int, dict[str, str]]]:
    """Rows by (unit, member, item); a plan year's unit reads 'UNIT (YEAR)' beyond the first year."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    rows: dict[tuple[str, str, str], tuple[int, dict[str, str]]] = {}
    first_year = None
    for (line_number, _), row in zip(numbered[1:], reader, strict=False):
        year = row.get("year") or ""
        first_year = first_year or year
        unit = row.get("unit") or ""
        key = (unit if year == first_year else f"{unit} ({year})", row.get("member") or "", row.get("item") or "")
        rows.setdefault(key, (line_number, {k: v for k, v in row.items() if k is not None}))
    return rows


def recorded_provenance(text: str) -> list[tuple[str, str]]:
    items = []
    for line in text.splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        items.append((key, value))
    return items


def check_provenance(result: Apportionment, recorded: list[tuple[str, str]], report: Verification) -> None:
    """Say plainly when the inputs or the version differ from those recorded."""
    versions = [value for key, value in recorded if key == VERSION_KEY]
    if versions and versions[0] != VERSION:
        report.notes.append(f"the outputs were made by apportion {versions[0]}; this is apportion {VERSION}")
    recorded_inputs = [parse_input(value) for key, value in recorded if key == INPUT_KEY]
    for index, current in enumerate(result.budget.input_files):
        if index >= len(recorded_inputs):
            report.inputs_changed = True
            report.notes.append(f"{current.path} is an input now but none is recorded in its place")
            continue
        before = recorded_inputs[index]
        if before.sha256 != current.sha256:
            report.inputs_changed = True
            report.notes.append(
                f"{current.path} differs from the input recorded ({before.path}): "
                f"recorded sha256 {before.sha256}, now {current.sha256}"
            )


def as_written(book: Book) -> Workbook:
    """The workbook apportion would write now, read back as the file on disk is read."""
    return load_workbook(io.BytesIO(book.to_bytes()))


def compare_workbook(name: str, expected: Workbook, found: Workbook, member: str, report: Verification) -> None:
    for sheet_name in expected.sheetnames:
        if sheet_name == PROVENANCE_SHEET:
            continue  # checked once, from the CSV, with plain words
        if sheet_name not in found.sheetnames:
            report.mismatches.append(mismatch(name, sheet_name, "", member, "", "sheet", "the sheet", "(missing)"))
            continue
        compare_sheet(name, expected[sheet_name], found[sheet_name], member, report)
    for sheet_name in found.sheetnames:
        if sheet_name not in expected.sheetnames:
            report.mismatches.append(mismatch(name, sheet_name, "", member, "", "sheet", "(no such sheet)", "a sheet"))


def compare_sheet(name: str, expected: Worksheet, found: Worksheet, member: str, report: Verification) -> None:
    rows = max(expected.max_row, found.max_row)
    columns = max(expected.max_column, found.max_column)
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            want = expected.cell(row, column).value
            got = found.cell(row, column).value
            if same_value(want, got):
                continue
            header = header_above(expected, row, column)
            money = "£" in (expected.cell(row, column).number_format or "")
            unit = expected.cell(row, 1).value or found.cell(row, 1).value or ""
            report.mismatches.append(
                mismatch(
                    name,
                    expected.title,
                    expected.cell(row, column).coordinate,
                    member or (header if name == "summary.xlsx" else ""),
                    str(unit),
                    header,
                    show(want, money),
                    show(got, money),
                )
            )


def header_above(sheet: Worksheet, row: int, column: int) -> str:
    """The heading of the table a cell is in: the nearest header-styled cell above it."""
    for above in range(row - 1, 0, -1):
        cell = sheet.cell(above, column)
        if cell.fill is not None and cell.fill.fgColor is not None and cell.fill.fgColor.rgb == HEADER_RGB:
            return str(cell.value or "")
    return ""


def same_value(expected: Any, found: Any) -> bool:
    if expected in (None, "") and found in (None, ""):
        return True
    if isinstance(expected, Decimal | int | float) and isinstance(found, Decimal | int | float):
        return as_decimal(expected) == as_decimal(found)
    return bool(expected == found)


def as_decimal(value: Decimal | int | float) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - NaN from a hand-edited cell
        return Decimal(0)


def show(value: Any, money: bool = False) -> str:
    """A cell's value as a message shows it: amounts in pounds and pence."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        number = as_decimal(value)
        return str(number.quantize(PENNY)) if money and number == number.quantize(PENNY) else str(number)
    return str(value)


def compare_text(name: str, expected: str, found: str, report: Verification) -> None:
    expected_lines, found_lines = expected.splitlines(), found.splitlines()
    for number, (want, got) in enumerate(zip(expected_lines, found_lines, strict=False), start=1):
        if want != got:
            report.mismatches.append(mismatch(name, "", f"line {number}", "", "", "", want, got))
    for number in range(len(found_lines) + 1, len(expected_lines) + 1):
        report.mismatches.append(mismatch(name, "", f"line {number}", "", "", "", expected_lines[number - 1], "(missing)"))
    for number in range(len(expected_lines) + 1, len(found_lines) + 1):
        report.mismatches.append(mismatch(name, "", f"line {number}", "", "", "", "(no such line)", found_lines[number - 1]))


def iter_lines(report: Verification) -> Iterator[str]:
    yield from (f"note: {note}" for note in report.notes)
    yield from (str(m) for m in report.mismatches)
