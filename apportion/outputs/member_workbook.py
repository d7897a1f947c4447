"""Where each cell of a member's workbook is written: its Contribution sheet (the cover
totals and a live line per unit, with a chart), how its shares were made, how each figure
was calculated, the year end and plan where the budget has them, and the provenance."""

from __future__ import annotations

from collections.abc import Sequence

from apportion.model import Apportionment
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    MONEY,
    NUMBER,
    PERCENT,
    Book,
    CellValue,
    Column,
    Row,
    absolute,
    exact,
    money_col,
    share_formula,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import Chart, Formula, Series
from apportion.outputs.unit_line import LINE_COLUMNS, unit_line
from apportion.outputs.wording import describe_basis
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet
from apportion.rules.explain import member_steps


def member_workbook(result: Apportionment, member: str, provenance: Provenance) -> Book:
    """A member's contribution: cover totals, a live line per unit, shares, workings, provenance."""
    total = result.member_total(member)
    book = Book(result, f"{member}: contribution {result.budget.year}", provenance)
    sheet = book.sheet("Contribution", f"Contribution of {member}", member)
    rows = [unit_line(u, share) for u in result.units if (share := u.share_of(member)) is not None]
    top = 8
    span = book.table(sheet, top, LINE_COLUMNS, rows, total_label="Total")
    total_row = span.last + 1
    c = span.letters
    cover = (
        ("Net cash payable", Formula(f"={c['cash']}{total_row}", total.cash_amount), "NetCashPayable"),
        ("In-kind value", Formula(f"={c['in_kind']}{total_row}", total.in_kind_amount), "InKindValue"),
        ("Total contribution (cash + in kind)", Formula("=C4+C5", total.total_amount), "TotalContribution"),
    )
    for offset, (label, formula, name) in enumerate(cover):
        book.put(sheet, 4 + offset, 1, label, font=BOLD)
        book.put(sheet, 4 + offset, 3, formula, MONEY, font=BOLD)
        book.name(name, sheet, f"C{4 + offset}")
    book.finish(sheet, top, frozen_columns=2)
    notes = [f"{w.unit}: {w.text}" for w in result.warnings if w.member == member]
    for offset, note in enumerate(notes, start=total_row + 2):
        book.put(sheet, offset, 1, f"Note: {note}")
    if rows:
        cash = [c.key for c in LINE_COLUMNS].index("cash") + 1
        sheet.charts.append(
            Chart(
                "bar",
                f"{member}: net cash payable by unit",
                [Series(absolute(sheet, span.first, cash, span.last, cash), absolute(sheet, top, cash, top, cash))],
                absolute(sheet, span.first, 1, span.last, 1),
                (total_row + 4 + len(notes), 1),
                MONEY,
                legend=False,
            )
        )
    write_shares_sheet(book, (member,))
    write_how_sheet(book, member)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end, member)
    if result.plan_years:
        write_plan_sheet(book, member)
    write_provenance_sheet(book)
    return book


SHARES_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("member", "Member", 20),
    Column("basis", "Basis", 34),
    Column("value", "Member's value in the basis (or fixed amount)", 16, NUMBER),
    Column("total", "Participants' total", 16, NUMBER),
    Column("share", "Re-normalised share", 14, PERCENT),
    Column("source", "Source", 60),
)


def write_shares_sheet(book: Book, members: Sequence[str]) -> None:
    """For each unit and member: the basis value, the participants' total and the share."""
    sheet = book.sheet("Shares", "Shares used, re-normalised over each unit's participants")
    rows: list[Row] = []
    for unit_result in book.result.units:
        unit = unit_result.unit
        source = unit.basis.source.describe() if unit.basis.source else ""
        for member in members:
            share = unit_result.share_of(member)
            if share is None:
                continue
            row: dict[str, CellValue] = {"code": unit.code, "member": member, "basis": describe_basis(unit), "source": source}
            if share.is_fixed or unit.fixed_amounts:
                row |= {"value": unit.fixed_amounts.get(member, share.weight), "share": exact(share.share)}
            else:
                row |= {"value": share.weight, "total": unit_result.weight_total}
                row["share"] = share_formula(exact(share.share))
            rows.append(row)
    span = book.table(sheet, 4, SHARES_COLUMNS, rows)
    book.excel_table(sheet, "Shares", span)
    book.finish(sheet, 4)


HOW_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("step", "Step", 34),
    Column("working", "Working", 110, wrap=True),
    money_col("amount", "Amount"),
)


def write_how_sheet(book: Book, member: str) -> None:
    """Each unit's figures from budget lines to the member's net cash payable."""
    sheet = book.sheet("How this was calculated", f"How this was calculated: {member}", member)
    rows = [
        {"code": unit_result.unit.code, "step": step.label, "working": step.working, "amount": step.amount}
        for unit_result, steps in member_steps(book.result, member)
        for step in steps
    ]
    book.table(sheet, 4, HOW_COLUMNS, rows)
    book.finish(sheet, 4)
