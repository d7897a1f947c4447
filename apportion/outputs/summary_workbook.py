"""Where each cell of the summary workbook is written: units x members, the
reconciliation of every unit, every member's line for every unit, the inputs as read, the
year end and plan where the budget has them, the provenance and the warnings.

The Summary's figures are each a member's line on the Lines sheet, worked from the
Reconciliation's figures for its unit, which are worked from the Inputs
(:mod:`apportion.outputs.unit_sheets`).
"""

from __future__ import annotations

from apportion.model import Apportionment
from apportion.model.money import ZERO
from apportion.outputs.accounts_sheet import write_accounts_note
from apportion.outputs.instalment_sheet import INSTALMENTS, write_instalments_sheet
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    MONEY,
    Book,
    CellValue,
    Column,
    Span,
    absolute,
    inches,
    money_col,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import Chart, Formula, Series, Sheet
from apportion.outputs.support_sheet import SUPPORT, SUPPORT_IN_UNITS, write_support_sheet
from apportion.outputs.unit_sheets import INPUTS, LINES, RECONCILIATION, Places, write_inputs, write_lines, write_reconciliation
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet

SUMMARY = "Summary"


def summary_workbook(result: Apportionment, provenance: Provenance) -> Book:
    """Units x members, the reconciliation, every member's line, the inputs and the provenance."""
    book = Book(result, f"{result.budget.collaboration}: contributions {result.budget.year}", provenance)
    summary = book.sheet(SUMMARY, "Net cash payable by unit and member (in-kind value below)", "summary")
    lines = write_lines(book, result.units)
    write_reconciliation(book, result.units, write_inputs(book, result.units), lines)
    payable = write_matrix(book, summary, lines)
    if result.support_flows is not None:
        write_support_sheet(book, result.support_flows, lines)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end)
    write_accounts_note(book)
    if result.plan_years:
        write_plan_sheet(book)
    write_instalments_sheet(book, payable=payable)
    write_provenance_sheet(book)
    if result.warnings:
        sheet = book.sheet("Warnings", "Warnings")
        row = 4
        for warning in result.warnings:
            row = book.put_text(sheet, row, f"{warning.unit}: {warning.text}")
    book.order(SUMMARY, RECONCILIATION, LINES, SUPPORT, SUPPORT_IN_UNITS, INSTALMENTS, INPUTS)
    return book


def write_matrix(book: Book, sheet: Sheet, places: Places) -> str:
    """Each member's net cash (and in-kind value) for each unit: its line on the Lines sheet.
    Returns the cell of the collaboration's net cash payable."""
    result = book.result
    members = result.budget.member_names
    totals = result.member_totals

    def block(top: int, key: str, amount_of: str, label: str, heading: str) -> Span:
        columns = (
            Column("code", "Unit code", 12),
            Column("unit", "Unit", 26, wrap=True),
            *(money_col(f"m{i}", member, total=True) for i, member in enumerate(members)),
            money_col("all", heading, total=True),
        )
        rows = []
        for unit_result in result.units:
            row: dict[str, CellValue] = {"code": unit_result.unit.code, "unit": unit_result.unit.name}
            for i, member in enumerate(members):
                share = unit_result.share_of(member)
                amount = getattr(share, amount_of) if share else ZERO
                at = places.lines.get((unit_result.unit.code, member))
                row[f"m{i}"] = Formula(f"={LINES}!${places.lines_span.letters[key]}${at}", amount) if at else ZERO
            unit_total = sum((getattr(s, amount_of) for s in unit_result.shares), ZERO)
            row["all"] = lambda r, c, t=unit_total: Formula(f"=SUM({c['m0']}{r}:{c[f'm{len(members) - 1}']}{r})", t)
            rows.append(row)
        return book.table(sheet, top, columns, rows, total_label=label)

    cash = block(4, "cash", "cash_amount", "Total", "Total (= unit net budget)")
    book.finish(sheet, 4, frozen_columns=2)
    next_row = cash.last + 3
    if any(unit.unit.in_kind for unit in result.units):
        book.put(sheet, next_row, 1, "In-kind value by unit and member", font=BOLD)
        kind = block(next_row + 1, "in_kind", "in_kind_amount", "Total", "Total in kind")
        grand_row = kind.last + 2
        book.put(sheet, grand_row, 1, "Total contribution", font=BOLD)
        for i, t in enumerate(totals):
            letter = cash.letters[f"m{i}"]
            grand = Formula(f"={letter}{cash.last + 1}+{letter}{kind.last + 1}", t.total_amount)
            book.put(sheet, grand_row, 3 + i, grand, MONEY, font=BOLD)
        next_row = grand_row + 3
    last_column = 2 + len(members)
    categories = absolute(sheet, cash.header, 3, cash.header, last_column)
    by_unit = [
        Series(
            absolute(sheet, r, 3, r, last_column),
            absolute(sheet, r, 2, r, 2),
            cached=[s.cash_amount if (s := u.share_of(m)) else ZERO for m in members],
            title_text=u.unit.name,
        )  # fmt: skip
        for r, u in zip(range(cash.first, cash.last + 1), result.units, strict=True)
    ]
    # the charts go on a printed page of their own below the tables, side by side, inside the printed width
    sheet.breaks.append(next_row - 2)
    sheet.charts.append(
        Chart("stacked", "Net cash payable by member, stacked by unit", by_unit, categories, (next_row, 1), WHOLE_POUNDS,
              cached_categories=list(members), size=(CHART_WIDTH, 10.0))
    )  # fmt: skip
    total = [Series(absolute(sheet, cash.last + 1, 3, cash.last + 1, last_column), cached=[t.cash_amount for t in totals])]
    sheet.charts.append(
        Chart("pie", "Share of the total net cash payable", total, categories, (next_row, column_after(sheet, CHART_WIDTH)),
              legend=False, cached_categories=list(members), size=(CHART_WIDTH, 10.0))
    )  # fmt: skip
    return f"{SUMMARY}!${cash.letters['all']}${cash.last + 1}"


CHART_WIDTH = 12.5  # cm: two side by side fit across landscape A4


def column_after(sheet: Sheet, centimetres: float) -> int:
    """The first column that starts at least ``centimetres`` from the sheet's left edge."""
    across, column = 0.0, 1
    while across < centimetres / 2.54:
        across += inches(sheet.widths.get(column, 8.43))
        column += 1
    return column


WHOLE_POUNDS = '"£"#,##0'
