"""The Instalments sheet: how each member's net cash payable is invoiced, each instalment
with its due date and reference, and a check that they add up to what it pays."""

from __future__ import annotations

from datetime import date

from apportion.model.invoicing import Instalment
from apportion.model.money import ZERO
from apportion.outputs.sheets import BOLD, MONEY, Book, Column, money_col
from apportion.outputs.spreadsheet import Formula, Sheet

INSTALMENTS = "Instalments"
DATE = "d mmm yyyy"
EPOCH = date(1899, 12, 30)  # a spreadsheet's day 0: a date is the days since, shown in DATE
COLUMNS = (
    Column("member", "Member", 22, wrap=True),
    Column("label", "Instalment", 11),
    Column("due", "Due", 13, DATE),
    money_col("amount", "Amount", total=True),
    Column("reference", "Invoice reference", 34),
)
TOP = 6


def write_instalments_sheet(book: Book, member: str | None = None, payable: str | None = None) -> Sheet | None:
    """Every member's instalments (the summary), or one member's; ``payable`` is the cell
    that holds what the member (or the collaboration) pays, which the instalments must
    add up to. None where the budget says nothing of invoicing."""
    result = book.result
    invoicing = result.budget.invoicing
    chosen = [i for i in result.instalments if member is None or i.member == member]
    if invoicing is None or not chosen:
        return None
    whose = f"{member}'s" if member else "Each member's"
    sheet = book.sheet(INSTALMENTS, f"{whose} net cash payable, invoiced in instalments", member or "")
    how = invoicing.of(member).describe() if member else describe_all(book)
    book.put(sheet, 3, 1, f"Invoiced {how}; each instalment is the year's net cash payable divided equally, the pence")
    book.put(sheet, 4, 1, "left over one each to the earliest instalments. A negative instalment is a credit note.")
    days = sorted({r.on for r in result.budget.revisions_in_force})
    if days:
        # One row is free above the table: a line that fits the printed page, however many revisions.
        first = days[0]
        when = f"{first.day} {first:%B %Y}" + (f" ({len(days)} revisions)" if len(days) > 1 else "")
        text = f"Revised from {when}: instalments due before a revision as invoiced; those from it make up the rest."
        book.put(sheet, 5, 1, text)
    rows = [row_of(i) for i in chosen]
    span = book.table(sheet, TOP, COLUMNS if member is None else COLUMNS[1:], rows, total_label="Total")
    if payable is not None:
        total_row = span.last + 1
        amount = span.letters["amount"]
        expected = sum((i.amount for i in chosen), ZERO)
        book.put(sheet, total_row + 2, 1, "Net cash payable", font=BOLD)
        book.put(sheet, total_row + 2, 3 if member else 4, Formula(f"={payable}", expected), MONEY, font=BOLD)
        book.put(sheet, total_row + 3, 1, "Difference (nil)")
        check = f"={amount}{total_row}-{amount}{total_row + 2}"
        book.put(sheet, total_row + 3, 3 if member else 4, Formula(check, ZERO), MONEY)
    book.finish(sheet, TOP, frozen_columns=1 if member is None else 0)
    return sheet


def row_of(instalment: Instalment) -> dict[str, object]:
    return {
        "member": instalment.member,
        "label": instalment.label,
        "due": (instalment.due - EPOCH).days,
        "amount": instalment.amount,
        "reference": instalment.reference,
    }


def describe_all(book: Book) -> str:
    invoicing = book.result.budget.invoicing
    assert invoicing is not None  # noqa: S101 - only called with invoicing
    own = ", ".join(f"{name} {schedule.describe()}" for name, schedule in invoicing.members.items())
    return invoicing.schedule.describe() + (f" ({own})" if own else "")
