"""Where each cell is written: the member workbooks and the summary workbook.

Amounts are whole-penny Decimals from the core and are written as they are, with a money
number format; shares are written as fractions rounded to 10 places with a percentage
format (display only: every amount was computed from the exact share).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from apportion import __version__
from apportion.calculate import Apportionment, MemberTotal, UnitResult
from apportion.explain import member_steps
from apportion.money import ZERO, round_decimal
from apportion.provenance import provenance_of
from apportion.report import describe_basis, describe_in_kind, describe_model, weight_text

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
PERCENT = "0.0000%"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FIXED_TIME = datetime(2000, 1, 1)  # documents carry no wall-clock time, so a rerun is byte-identical
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class Column:
    """A table column: its heading, width and number format."""

    def __init__(self, heading: str, width: int = 14, number_format: str | None = None) -> None:
        self.heading = heading
        self.width = width
        self.number_format = number_format


def money_col(heading: str) -> Column:
    return Column(heading, 18, MONEY)


def write_table(
    sheet: Worksheet,
    top: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    total_row: Sequence[Any] | None = None,
) -> int:
    """Write a header and rows from row ``top``; returns the next free row."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(top, index)
        set_value(cell, column.heading)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, column.width)
    row_number = top
    for row_number, values in enumerate(rows, start=top + 1):
        write_row(sheet, row_number, columns, values)
    if total_row is not None:
        row_number += 1
        write_row(sheet, row_number, columns, total_row, font=BOLD)
    return row_number + 2


def finish_sheet(sheet: Worksheet, header_row: int, frozen_columns: int = 0) -> None:
    """Freeze the header (and key columns), give wrapped headings room, print A4 landscape."""
    sheet.freeze_panes = sheet.cell(header_row + 1, frozen_columns + 1)
    sheet.row_dimensions[header_row].height = 45
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_row(sheet: Worksheet, row: int, columns: Sequence[Column], values: Sequence[Any], font: Font | None = None) -> None:
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = sheet.cell(row, index)
        set_value(cell, value)
        if column.number_format and isinstance(value, Decimal):
            cell.number_format = column.number_format
        if font is not None:
            cell.font = font


def set_value(cell: Any, value: Any) -> None:
    """Write a value; text from the inputs is always text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def write_title(sheet: Worksheet, result: Apportionment, subtitle: str) -> None:
    budget = result.budget
    set_value(sheet["A1"], f"{budget.collaboration}, {budget.year}")
    sheet["A1"].font = TITLE
    set_value(sheet["A2"], subtitle)
    sheet["A2"].font = BOLD


def new_workbook(result: Apportionment, title: str) -> Workbook:
    """A workbook whose document properties carry the run's provenance and no clock time."""
    book = Workbook()
    props = book.properties
    props.creator = f"apportion {__version__}"
    props.title = title
    props.subject = f"{result.budget.collaboration}, {result.budget.year}"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    for index, (key, value) in enumerate(provenance_of(result).items(), start=1):
        book.custom_doc_props.append(StringProperty(name=f"{index:02d} {key}", value=value))
    return book


def save_workbook(book: Workbook, path: Path) -> None:
    """Save so that the same workbook always gives the same bytes.

    openpyxl stamps the save time into the document and the zip entries; the document's
    times are fixed in new_workbook, and the entries are rewritten here with a fixed time.
    """
    buffer = io.BytesIO()
    ExcelWriter(book, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))


def write_provenance_sheet(sheet: Worksheet, result: Apportionment) -> None:
    write_title(sheet, result, "Provenance: what made this workbook, from which inputs")
    columns = (Column("Key", 22), Column("Value", 110))
    write_table(sheet, 4, columns, provenance_of(result).items())
    finish_sheet(sheet, 4)


HOW_COLUMNS = (Column("Unit code", 14), Column("Step", 34), Column("Working", 110), money_col("Amount"))


def write_how_sheet(sheet: Worksheet, result: Apportionment, member: str) -> None:
    """Each unit's figures from budget lines to the member's net cash payable."""
    write_title(sheet, result, f"How this was calculated: {member}")
    rows = [
        (unit_result.unit.code, step.label, step.working, step.amount)
        for unit_result, steps in member_steps(result, member)
        for step in steps
    ]
    write_table(sheet, 4, HOW_COLUMNS, rows)
    for row in sheet.iter_rows(min_row=5, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    finish_sheet(sheet, 4)


def share_cell(result: UnitResult, member: str) -> Decimal:
    share = result.share_of(member)
    return round_decimal(share.share, 10) if share else ZERO


# --- member workbook --------------------------------------------------------------------

UNIT_COLUMNS = (
    Column("Unit code", 14),
    Column("Unit", 34),
    Column("Basis", 34),
    Column("Member's value in the basis", 16),
    Column("Re-normalised share", 14, PERCENT),
    money_col("Unit net budget (after grants and income)"),
    money_col("Cost shared (net budget, plus in kind under offset)"),
    money_col("Share of cost"),
    money_col("Levy payable (+) / receivable (-)"),
    money_col("In-kind value"),
    money_col("In-kind credit"),
    money_col("Net cash payable"),
)


def member_workbook(result: Apportionment, total: MemberTotal) -> Workbook:
    """A member's contribution: a cover with its totals, a line per unit, the shares used."""
    member = total.member
    book = new_workbook(result, f"{member}: contribution {result.budget.year}")
    sheet = book.active
    sheet.title = "Contribution"
    write_title(sheet, result, f"Contribution of {member}")
    cover = (
        ("Net cash payable", total.cash_amount),
        ("In-kind value", total.in_kind_amount),
        ("Total contribution (cash + in kind)", total.total_amount),
    )
    for offset, (label, amount) in enumerate(cover):
        sheet.cell(4 + offset, 1, label).font = BOLD
        cell = sheet.cell(4 + offset, 3, amount)
        cell.number_format = MONEY
        cell.font = BOLD
    rows = []
    for unit_result in result.units:
        share = unit_result.share_of(member)
        if share is None:
            continue
        unit = unit_result.unit
        rows.append((
            unit.code, unit.name, describe_basis(unit), weight_text(unit_result, member), share_cell(unit_result, member),
            unit.net_amount, unit_result.cost_to_split_amount, share.cost_amount, share.levy_amount,
            share.in_kind_amount, share.in_kind_credit_amount, share.cash_amount,
        ))  # fmt: skip
    totals = ("Total", "", "", "", None, None, None, *(sum_column(rows, i) for i in range(7, 12)))
    top = 8
    next_row = write_table(sheet, top, UNIT_COLUMNS, rows, total_row=totals)
    finish_sheet(sheet, top, frozen_columns=2)
    notes = [str(w) for w in result.warnings if w.member == member]
    for offset, note in enumerate(notes):
        set_value(sheet.cell(next_row + offset, 1), f"Note: {note}")
    write_shares_sheet(book.create_sheet("Shares"), result, members=(member,))
    write_how_sheet(book.create_sheet("How this was calculated"), result, member)
    write_provenance_sheet(book.create_sheet("Provenance"), result)
    return book


def sum_column(rows: Sequence[Sequence[Any]], index: int) -> Decimal:
    return sum((row[index] for row in rows), ZERO)


SHARES_COLUMNS = (
    Column("Unit code", 14),
    Column("Member", 20),
    Column("Basis", 34),
    Column("Member's value in the basis", 16),
    Column("Participants' total", 16),
    Column("Re-normalised share", 14, PERCENT),
    Column("Source", 60),
)


def write_shares_sheet(sheet: Worksheet, result: Apportionment, members: Sequence[str]) -> None:
    """For each unit and member: the basis value, the participants' total and the share."""
    write_title(sheet, result, "Shares used, re-normalised over each unit's participants")
    rows = []
    for unit_result in result.units:
        unit = unit_result.unit
        source = unit.basis.source.describe() if unit.basis.source else ""
        for member in members:
            if unit_result.share_of(member) is None:
                continue
            rows.append((
                unit.code, member, describe_basis(unit), weight_text(unit_result, member),
                f"{unit_result.weight_total:,}", share_cell(unit_result, member), source,
            ))  # fmt: skip
    write_table(sheet, 4, SHARES_COLUMNS, rows)
    finish_sheet(sheet, 4)


# --- summary workbook -------------------------------------------------------------------


def summary_workbook(result: Apportionment) -> Workbook:
    """Units x members, the reconciliation of every unit, the inputs and the shares."""
    book = new_workbook(result, f"{result.budget.collaboration}: contributions {result.budget.year}")
    write_matrix(book.active, result)
    write_reconciliation(book.create_sheet("Reconciliation"), result)
    write_inputs(book.create_sheet("Inputs"), result)
    write_shares_sheet(book.create_sheet("Shares"), result, members=result.budget.member_names)
    write_provenance_sheet(book.create_sheet("Provenance"), result)
    if result.warnings:
        sheet = book.create_sheet("Warnings")
        write_title(sheet, result, "Warnings")
        for offset, warning in enumerate(result.warnings):
            set_value(sheet.cell(4 + offset, 1), str(warning))
    return book


def write_matrix(sheet: Worksheet, result: Apportionment) -> None:
    sheet.title = "Summary"
    write_title(sheet, result, "Net cash payable by unit and member (in-kind value below)")
    members = result.budget.member_names
    columns = (
        Column("Unit code", 14),
        Column("Unit", 34),
        *(money_col(m) for m in members),
        money_col("Total (= unit net budget)"),
    )
    totals = result.member_totals()

    def matrix_rows(amount_of: str) -> list[tuple[Any, ...]]:
        rows = []
        for unit_result in result.units:
            amounts = [getattr(s, amount_of) if (s := unit_result.share_of(m)) else ZERO for m in members]
            rows.append((unit_result.unit.code, unit_result.unit.name, *amounts, sum(amounts, ZERO)))
        return rows

    cash_total = ("Total", "", *(t.cash_amount for t in totals), sum((t.cash_amount for t in totals), ZERO))
    next_row = write_table(sheet, 4, columns, matrix_rows("cash_amount"), total_row=cash_total)
    finish_sheet(sheet, 4, frozen_columns=2)
    if any(unit.unit.in_kind for unit in result.units):
        sheet.cell(next_row, 1, "In-kind value by unit and member").font = BOLD
        kind_total = ("Total", "", *(t.in_kind_amount for t in totals), sum((t.in_kind_amount for t in totals), ZERO))
        next_row = write_table(sheet, next_row + 1, columns, matrix_rows("in_kind_amount"), total_row=kind_total)
        grand = ("Total contribution", "", *(t.total_amount for t in totals), sum((t.total_amount for t in totals), ZERO))
        write_row(sheet, next_row, columns, grand, font=BOLD)


RECONCILIATION_COLUMNS = (
    Column("Unit code", 14),
    money_col("Spending (pay + non-pay)"),
    money_col("Grants and income"),
    money_col("Net budget"),
    money_col("In kind offset"),
    money_col("Cost shared"),
    money_col("Sum of members' shares of cost"),
    money_col("Levy payable"),
    money_col("Levy receivable"),
    money_col("In-kind credits"),
    money_col("Sum of members' net cash"),
    money_col("Difference from net budget"),
)


def write_reconciliation(sheet: Worksheet, result: Apportionment) -> None:
    """Each unit's parts add up to its cost; the last column is zero when they do."""
    write_title(sheet, result, "Reconciliation: the members' parts add up to each unit's net budget")
    rows = []
    for unit_result in result.units:
        unit, shares = unit_result.unit, unit_result.shares
        cash = sum((s.cash_amount for s in shares), ZERO)
        rows.append((
            unit.code, unit.gross_amount, unit.income_amount, unit.net_amount,
            unit_result.cost_to_split_amount - unit.net_amount, unit_result.cost_to_split_amount,
            sum((s.cost_amount for s in shares), ZERO),
            sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO),
            sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO),
            sum((s.in_kind_credit_amount for s in shares), ZERO),
            cash, cash - unit.net_amount,
        ))  # fmt: skip
    totals = ("Total", *(sum_column(rows, i) for i in range(1, 12)))
    write_table(sheet, 4, RECONCILIATION_COLUMNS, rows, total_row=totals)
    finish_sheet(sheet, 4, frozen_columns=1)


INPUT_COLUMNS = (Column("Unit code", 14), Column("Item", 44), Column("Kind", 16), Column("Detail", 44), money_col("Amount"))


def write_inputs(sheet: Worksheet, result: Apportionment) -> None:
    """The budget as read: each unit's rules, lines, income and officers in kind."""
    write_title(sheet, result, "Inputs: each unit's rules and budget as read from the budget file")
    rows: list[tuple[Any, ...]] = []
    for unit_result in result.units:
        unit = unit_result.unit
        rows.append((unit.code, unit.name, "unit", f"participants: {', '.join(unit.participants)}", None))
        rows.append((unit.code, "Basis", "rule", describe_basis(unit), None))
        rows.append((unit.code, "Charging model", "rule", describe_model(unit), None))
        rows.append((unit.code, "Officers in kind", "rule", describe_in_kind(unit), None))
        rows.extend((unit.code, line.name, line.kind.value, "", line.amount) for line in unit.lines)
        rows.extend((unit.code, income.name, "income", "", income.amount) for income in unit.income)
        for oik in unit.in_kind:
            detail = f"{oik.officers} officers x £{oik.cost_each_amount:,.2f}" if oik.officers is not None else ""
            rows.append((unit.code, f"Officers in kind: {oik.member}", "in kind", detail, oik.value_amount))
    next_row = write_table(sheet, 4, INPUT_COLUMNS, rows)
    finish_sheet(sheet, 4)
    sheet.cell(next_row, 1, "Input files").font = BOLD
    for offset, input_file in enumerate(result.budget.input_files, start=1):
        set_value(sheet.cell(next_row + offset, 1), Path(input_file.path).name)
    sheet.cell(next_row + len(result.budget.input_files) + 1, 1, f"Made by apportion {__version__}")
