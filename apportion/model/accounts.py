"""A collaboration's own books at the year end, and each member's part of them.

Police bodies account for a collaboration as a joint operation (IFRS 11): each member's
statement of accounts shows its share of the collaboration's income, expenditure, assets,
liabilities and reserves, in the shares the collaboration agreement holds them in.
:class:`Accounts` is what the budget file gives (``year_end: accounts:``: the balance
sheet, and last year's figures); :class:`AccountsNote` is what the rules work out: every
line of the note with each member's part of it, the parts adding up to the line.
"""

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import ZERO, Allocation
from apportion.model.records import EMPTY


class NoteSection(StrEnum):
    """The parts of a joint-operation note, in the order it shows them."""

    INCOME = "income"
    EXPENDITURE = "expenditure"
    ASSETS = "assets"
    LIABILITIES = "liabilities"
    RESERVES = "reserves"


BALANCE_SHEET = (NoteSection.ASSETS, NoteSection.LIABILITIES, NoteSection.RESERVES)
PAY, NON_PAY, SUPPORT = "Pay", "Non-pay", "Support services"
OUTTURN = "Under-spend (-) or over-spend (+) at out-turn"
EXPENDITURE_LINES = (PAY, NON_PAY, SUPPORT, OUTTURN)  # the expenditure lines of a note, by name


class BalanceSheetLine(NamedTuple):
    """A line of the collaboration's balance sheet: 'Cash', 'Creditors', 'Usable reserves'."""

    name: str
    amount: Decimal


class Accounts(NamedTuple):
    """``year_end: accounts:``: the collaboration's balance sheet at the year end (assets less
    liabilities equal reserves; the reader refuses one that does not balance), whose shares
    the members hold it in, what the collaboration is, and last year's figures."""

    assets: tuple[BalanceSheetLine, ...] = ()
    liabilities: tuple[BalanceSheetLine, ...] = ()
    reserves: tuple[BalanceSheetLine, ...] = ()
    shares: str | None = None  # a basis, or a unit's code; None: the year end's shares
    nature: str = ""  # what the collaboration is and does, in the note's words
    last_year: Mapping[str, Decimal] = EMPTY  # a line of the note -> the collaboration's figure last year
    last_year_shares: str | None = None  # the basis last year's figures were held in; None: this year's

    def lines(self, section: NoteSection) -> tuple[BalanceSheetLine, ...]:
        return {NoteSection.ASSETS: self.assets, NoteSection.LIABILITIES: self.liabilities}.get(section, self.reserves)


class NoteLine(NamedTuple):
    """One line of the note: the collaboration's figure and how each member's part of it was
    rounded (largest remainder, so the parts add up to the figure); last year's likewise.

    On the last line of the reserves, a member's part is its largest-remainder part adjusted
    by what rounding the other lines left its balance sheet out by (``adjustments``), so that
    its assets less liabilities equal its reserves; the adjustments add up to nil, so the
    parts still add up to the line."""

    section: NoteSection
    name: str
    amount: Decimal
    workings: Mapping[str, Allocation]  # member -> its part, with how it was rounded
    last_year: Decimal | None = None
    last_year_parts: Mapping[str, Decimal] = EMPTY
    adjustments: Mapping[str, Decimal] = EMPTY  # member -> added so its balance sheet balances

    def part_of(self, member: str) -> Decimal:
        working = self.workings.get(member)
        rounded = working.amount if working is not None else ZERO
        return rounded + self.adjustments.get(member, ZERO)

    @property
    def balances(self) -> bool:
        """Whether the line is the one that balances each member's balance sheet."""
        return bool(self.adjustments)


class AccountsNote(NamedTuple):
    """The joint-operation note: every line, each member's part, and whose shares they are in."""

    nature: str
    basis: str  # the shares the parts are in, in words
    shares: Mapping[str, Fraction]  # member -> its exact share
    lines: tuple[NoteLine, ...]
    last_year_basis: str = ""
    last_year_shares: Mapping[str, Fraction] = EMPTY

    def section(self, section: NoteSection) -> tuple[NoteLine, ...]:
        return tuple(line for line in self.lines if line.section is section)

    def total(self, section: NoteSection, member: str | None = None) -> Decimal:
        """A section's total: the collaboration's, or (given) a member's part of it."""
        lines = self.section(section)
        if member is None:
            return sum((line.amount for line in lines), ZERO)
        return sum((line.part_of(member) for line in lines), ZERO)

    def line(self, name: str) -> NoteLine | None:
        return next((line for line in self.lines if line.name == name), None)

    @property
    def has_last_year(self) -> bool:
        return any(line.last_year is not None for line in self.lines)
