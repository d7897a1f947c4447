"""The Accounts note sheet: each member's share of the collaboration's books, laid out as the
joint-operation note of a statement of accounts (IFRS 11), in the member's workbook; and in
the summary, the collaboration's figures with every member's part beside them.

Each member's figure is a live formula of the collaboration's figure beside it and the
member's share above it: ``=ROUND(B12*C$9,2)``, with ``+0.01`` (or ``-0.01``) where the
largest-remainder split gave it a penny more (or less) than rounding its own part would,
so that the members' parts add up to the line; and on the last line of the reserves, its
net assets less its other reserves, so that its balance sheet balances. Totals are sums.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial

from apportion.model.accounts import AccountsNote, NoteLine, NoteSection
from apportion.model.money import PENNY, ZERO, round_decimal
from apportion.outputs.sheets import BOLD, PLACES, Book, CellValue, Column, Row, Styled, money_col
from apportion.outputs.spreadsheet import LETTERS, Formula, Sheet

ACCOUNTS_NOTE = "Accounts note"
SHARE = "0.00##%"
TITLES = {
    NoteSection.INCOME: "Income",
    NoteSection.EXPENDITURE: "Expenditure",
    NoteSection.ASSETS: "Assets",
    NoteSection.LIABILITIES: "Liabilities",
    NoteSection.RESERVES: "Reserves",
}


def write_accounts_note(book: Book, member: str | None = None) -> None:
    """The note for a member, or (None) the collaboration's with every member's part."""
    result = book.result
    note = result.accounts
    if note is None or (member is not None and member not in note.shares):
        return
    budget = result.budget
    members = [member] if member else [m for m in budget.member_names if m in note.shares]
    whose = f"{member}'s share of" if member else "Each member's share of"
    sheet = book.sheet(ACCOUNTS_NOTE, f"Accounts note: {whose} {budget.collaboration} (a joint operation)", member or "")
    row = 4
    for text in paragraphs(book, note, member):
        row = book.put_text(sheet, row, text, 100) + 1
    write_table(book, sheet, row + 1, note, members, summary=member is None)


def paragraphs(book: Book, note: AccountsNote, member: str | None) -> list[str]:
    budget = book.result.budget
    who = member or "Each member"
    basis = budget.bases.get(note.basis)
    held = f"{basis.description} ({note.basis})" if basis is not None and basis.description else note.basis
    texts = [
        f"{budget.collaboration} is a joint operation: {who} shows in its own statement of accounts its share of the "
        "collaboration's income, expenditure, assets, liabilities and reserves (IFRS 11, Joint Arrangements, as the "
        "accounting code police bodies follow adopts it)."
    ]
    if note.nature:
        texts.append(note.nature)
    texts.append(
        f"The shares are those the collaboration agreement holds it in: {held}, on the first row of the table. Each "
        "member's figure is the collaboration's times its share, rounded to the penny; where the members' parts would "
        "not then add up to the collaboration's figure, a penny goes by largest remainder (a +0.01 or -0.01 in the "
        "figure's formula), and its last line of reserves is its net assets less its other reserves, so that its "
        "balance sheet balances."
    )
    if note.has_last_year and note.last_year_basis:
        texts.append(f"Last year's figures are in last year's shares: {note.last_year_basis}.")
    texts.append(
        "Income and expenditure are the year's budget, with the under-spend or over-spend at out-turn; the assets, "
        f"liabilities and reserves are the collaboration's at the end of {budget.year}, as its accounts give them."
    )
    return texts


def write_table(book: Book, sheet: Sheet, top: int, note: AccountsNote, members: list[str], *, summary: bool) -> None:
    """The shares on row ``top``, the headings below them, then each section: its lines, its
    total, and the net cost of services and the net assets where they fall."""
    year = book.result.budget.year
    last_year = note.has_last_year and not summary
    before = previous(year)
    columns = [Column("line", "", 54), money_col("collab", f"Collaboration, {year} (£)")]
    columns += [money_col(f"m{i}", f"{m} (£)" if summary else f"{m}'s share, {year} (£)") for i, m in enumerate(members)]
    if summary:
        columns += [money_col("total", "Members' parts added up (£)"), money_col("difference", "Difference (nil)")]
    if last_year:
        columns += [money_col("lcollab", f"Collaboration, {before} (£)")]
        columns += [money_col(f"l{i}", f"{m}'s share, {before} (£)") for i, m in enumerate(members)]
    table = Table(note, members, {column.key: LETTERS[index] for index, column in enumerate(columns, start=1)}, top + 1)
    book.table(sheet, top, columns, table.rows())
    book.finish(sheet, top, frozen_columns=1, portrait=not summary)


class Table:
    """The note's rows, each figure a formula whose value is worked from the note."""

    def __init__(self, note: AccountsNote, members: list[str], letters: dict[str, str], share_row: int) -> None:
        self.note, self.members, self.letters, self.share_row = note, members, letters, share_row
        self.share = {m: written(note.shares[m]) for m in members}
        self.last_share = {m: written(note.last_year_shares.get(m, 0)) for m in members}
        self.out: list[Row] = []

    @property
    def next_row(self) -> int:
        return self.share_row + len(self.out)

    def figure(self, key: str, line: NoteLine) -> Decimal | None:
        """The figure in a column for a line: the collaboration's, a member's part, last year's."""
        if key in ("collab", "total"):
            return line.amount
        if key == "difference":
            return ZERO
        if key == "lcollab":
            return line.last_year
        member = self.members[int(key[1:])]
        if key.startswith("m"):
            return line.part_of(member)
        return line.last_year_parts.get(member, ZERO) if line.last_year is not None else None

    def rows(self) -> list[Row]:
        """The share row, then each section: a heading (where it has lines), its lines, its total."""
        note = self.note
        shares: dict[str, CellValue] = {"line": Styled("Share of the joint operation", font=BOLD)}
        for i, m in enumerate(self.members):
            shares[f"m{i}"] = Styled(self.share[m], SHARE)
            if "lcollab" in self.letters:
                shares[f"l{i}"] = Styled(self.last_share[m], SHARE)
        self.out.append(shares)
        totals: dict[NoteSection, int] = {}
        net_assets = 0
        for section in NoteSection:
            lines = note.section(section)
            self.out.append({})
            if lines:
                self.out.append({"line": Styled(TITLES[section], font=BOLD)})
            first = self.next_row
            for line in lines:
                self.out.append(self.line_cells(line, net_assets, first))
            totals[section] = self.next_row
            self.total(f"Total {TITLES[section].lower()}", summed(first, totals[section] - 1),
                       partial(self.section_sum, section=section))  # fmt: skip
            if section is NoteSection.EXPENDITURE:
                self.gap("Net cost of services (expenditure less income)", totals, section, NoteSection.INCOME)
            if section is NoteSection.LIABILITIES:
                net_assets = self.next_row
                self.gap("Net assets (assets less liabilities)", totals, NoteSection.ASSETS, section)
        return self.out

    def section_sum(self, key: str, section: NoteSection) -> Decimal | None:
        """A section's total in a column; None in last year's where none of its lines has a figure."""
        figures = [self.figure(key, line) for line in self.note.section(section)]
        if key.startswith("l") and all(figure is None for figure in figures):
            return None
        return sum((figure or ZERO for figure in figures), ZERO)

    def total(self, label: str, text: Callable[[str, str], str], value: Callable[[str], Decimal | None]) -> None:
        """A row of a formula a column (none in a column of last year's with no figures for it)."""
        cells: dict[str, CellValue] = {"line": Styled(label, font=BOLD)}
        for key, letter in self.letters.items():
            figure = value(key) if key != "line" else None
            if figure is not None:
                cells[key] = Styled(Formula(text(key, letter), figure), font=BOLD)
        self.out.append(cells)

    def gap(self, label: str, totals: dict[NoteSection, int], plus: NoteSection, minus: NoteSection) -> None:
        def value(key: str) -> Decimal | None:
            added, taken = self.section_sum(key, plus), self.section_sum(key, minus)
            return None if added is None or taken is None else added - taken

        self.total(label, lambda _key, c: f"={c}{totals[plus]}-{c}{totals[minus]}", value)

    def line_cells(self, line: NoteLine, net_assets: int, first: int) -> Row:
        """A line: the collaboration's figure, and each member's part as a formula of it."""
        row, letters = self.next_row, self.letters
        cells: dict[str, CellValue] = {"line": line.name, "collab": line.amount}
        for i, m in enumerate(self.members):
            letter, part = letters[f"m{i}"], line.part_of(m)
            if line.balances and net_assets:
                others = f"-SUM({letter}{first}:{letter}{row - 1})" if row > first else ""
                cells[f"m{i}"] = Formula(f"={letter}{net_assets}{others}", part)
            else:
                share = f"{letter}${self.share_row}"
                cells[f"m{i}"] = Formula(rounded(line.amount, f"$B{row}", share, self.share[m], part), part)
            if "lcollab" in letters and line.last_year is not None:
                last = line.last_year_parts.get(m, ZERO)
                figure, share = f"${letters['lcollab']}{row}", f"{letters[f'l{i}']}${self.share_row}"
                cells[f"l{i}"] = Formula(rounded(line.last_year, figure, share, self.last_share[m], last), last)
        if "lcollab" in letters:
            cells["lcollab"] = line.last_year
        if "total" in letters:
            first_member, last_member = letters["m0"], letters[f"m{len(self.members) - 1}"]
            cells["total"] = Formula(f"=SUM({first_member}{row}:{last_member}{row})", line.amount)
            cells["difference"] = Formula(f"={letters['total']}{row}-B{row}", ZERO)
        return cells


def summed(first: int, last: int) -> Callable[[str, str], str]:
    """A column's SUM of rows ``first`` to ``last`` (nil where there are none)."""
    return lambda _key, letter: f"=SUM({letter}{first}:{letter}{last})" if last >= first else "=0"


def written(share: Fraction | int) -> Decimal:
    """A share as the sheet holds it, to 10 decimals; the members' formulas use it as written."""
    return round_decimal(Fraction(share), PLACES)


def rounded(amount: Decimal, figure: str, share_cell: str, share: Decimal, part: Decimal) -> str:
    """``=ROUND(figure*share,2)``, with what the largest-remainder split added to it."""
    adjustment = part - (amount * share).quantize(PENNY, rounding=ROUND_HALF_UP)
    return f"=ROUND({figure}*{share_cell},2)" + (f"{adjustment:+f}" if adjustment else "")


def previous(year: str) -> str:
    """'2013/14' -> '2012/13': last year, as the budget writes its year."""
    match = re.fullmatch(r"\s*(\d{4})\s*/\s*(\d{2})\s*", year)
    if not match:
        return "last year"
    first = int(match.group(1)) - 1
    return f"{first}/{(first + 1) % 100:02d}"
