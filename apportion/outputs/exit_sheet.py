"""The Exit settlement sheet: what a member leaving the collaboration settles, in words, line
by line, and when it is paid; in the leaver's workbook, in each other member's (what it
receives), and in the summary (every member's part). Every figure is the rules' own
(:mod:`apportion.rules.exits`); the sheet adds them up in formulas and works none out again."""

from __future__ import annotations

from collections.abc import Container
from datetime import date

from apportion.model.money import ZERO, format_gbp
from apportion.model.results import ExitSettlement
from apportion.outputs.instalment_sheet import DATE, EPOCH
from apportion.outputs.sheets import BOLD, Book, CellValue, Column, money_col
from apportion.outputs.spreadsheet import Sheet
from apportion.rules.explain_text import as_words, percent_exact

EXIT_SETTLEMENT = "Exit settlement"


def write_exit_sheet(book: Book, member: str | None = None) -> Sheet | None:
    """Each exit settlement the member (or, in the summary, anyone) has a part in; None where there is none."""
    result = book.result
    settlements = [s for s in result.exits if member is None or s.part_of(member) or s.member == member]
    if not settlements:
        return None
    leavers = " and ".join(s.member for s in settlements)
    if member is None or any(s.member == member for s in settlements):
        title = f"Exit settlement of {leavers}"
    else:
        title = f"{member}'s part in the exit settlement of {leavers}"
    sheet = book.sheet(EXIT_SETTLEMENT, title, member or "")
    row = 4
    for settled in settlements:
        row = write_settlement(book, sheet, settled, member, row) + 2
    book.finish(sheet, 4, portrait=True)
    return sheet


def in_words(settled: ExitSettlement, member: str | None, bases: Container[str] = ()) -> str:
    """'Warwickshire leaves the collaboration on 1 October 2018 ... It pays £10,540,000.00 in settlement ...'."""
    leaver = settled.member
    notice = settled.notice_given
    given = f", having given notice on {long_date(notice)}" if notice else ""
    amount = settled.amount
    paid = "pays" if amount >= 0 else "is paid"
    days = sorted({i.due for i in settled.instalments if i.member == leaver})
    when = (
        f" in {len(days)} instalments from {long_date(days[0])} to {long_date(days[-1])}" if len(days) > 1
        else f" on {long_date(days[0])}" if days else ""
    )  # fmt: skip
    share = percent_exact(settled.share)
    text = (
        f"{leaver} leaves the collaboration on {long_date(settled.leaves)}{given}. On the exit terms, worked in its "
        f"share of {share} ({as_words(settled.basis, bases)}), it {paid} {format_gbp(abs(amount))} in settlement{when}."
    )
    if member is not None and member != leaver:
        part = settled.part_of(member)
        text += f" {member} {'receives' if part < 0 else 'pays'} {format_gbp(abs(part))} of it, on the same dates."
    reserves = sum((line.amount for line in settled.lines if line.from_reserves), ZERO)
    if reserves:
        text += (
            f" Its part of the reserves, {format_gbp(-reserves)}, is paid out of the reserves and set against the "
            "settlement; the other members do not pay it."
        )
    return text


def write_settlement(book: Book, sheet: Sheet, settled: ExitSettlement, member: str | None, row: int) -> int:
    """The settlement's words, its lines (the leaver's and every other member's part), its
    instalments; returns the last row written."""
    row = book.put_text(sheet, row, in_words(settled, member, book.result.budget.bases), width=95) + 1
    others = [m for m in book.result.budget.member_names if m != settled.member and settled.part_of(m)]
    columns = (
        Column("item", "Item", 26, wrap=True),
        Column("working", "How it is worked", 48, wrap=True),
        money_col("leaver", f"{settled.member} pays (+) / is paid (-)", total=True),
        *(money_col(f"m{i}", f"{other} pays (+) / receives (-)", total=True) for i, other in enumerate(others)),
    )
    rows: list[dict[str, CellValue]] = []
    for line in settled.lines:
        parts = dict(line.others)
        rows.append({
            "item": line.item, "working": line.working, "leaver": line.amount,
            **{f"m{i}": parts.get(other, ZERO) for i, other in enumerate(others)},
        })  # fmt: skip
    span = book.table(sheet, row, columns, rows, total_label="Settlement")
    row = span.last + 3
    book.put(sheet, row, 1, "Paid on", font=BOLD)
    chosen = [i for i in settled.instalments if member is None or i.member in (member, settled.member)]
    paid = [
        {"who": f"{i.member}, {i.label}", "reference": i.reference, "due": (i.due - EPOCH).days, "amount": i.amount}
        for i in chosen
    ]
    paid_columns = (  # in the columns above, as wide as they are
        Column("who", "Member, instalment", 20, wrap=True),
        Column("reference", "Reference", 34),
        Column("due", "Due", 13, DATE),
        money_col("amount", "Pays (+) / receives (-)", total=False),
    )
    paid_span = book.table(sheet, row + 1, paid_columns, paid)
    return paid_span.last


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
