"""The year's postings: each movement of money (or of value in kind) the run gives rise to,
worked out once (:mod:`apportion.rules.postings`), and each member's journals made of them.

A :class:`Posting` is a fact, not an account: who pays what for which unit, when, and to
whom. The collaboration's double-entry journal (``journal.beancount``) and each member's
ledger journals (``ledger/<member>.csv``) are two views of the same postings: each names
the accounts a posting moves between from its own side, and neither works a figure out.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from apportion.model.money import ZERO


class PostingKind(StrEnum):
    """What a posting is."""

    GRANT = "grant"  # a unit's grant or other income, netted off its budget (the collaboration's)
    SHARE_OF_NET_COST = "share of net cost"  # a member's share of a unit's cost
    SHARE_OF_TOTAL_COST = "share of total cost"  # ... of its cost with every officer in kind (in kind offset)
    SUPPORT_CHARGE = "support charge"  # a support unit's cost, through the units the member pays for
    INCOME_RETURNED = "income returned"  # income returned to the member by a split of its own (negative)
    LEVY = "levy"  # a member's levy, payable to the unit's lead
    IN_KIND_OFFSET = "in kind, offset"  # officers seconded in kind, credited against its share
    IN_KIND_ADDITIONAL = "in kind, additional"  # officers seconded in kind, beside its cash
    INSTALMENT = "instalment"  # an instalment of its net cash payable falling due
    SETTLEMENT = "settlement"  # its part of a unit's out-turn: returned (-) or charged (+)
    RESERVES = "reserves"  # a movement of the collaboration's reserves, with each member's part


COSTS = (PostingKind.SHARE_OF_NET_COST, PostingKind.SHARE_OF_TOTAL_COST, PostingKind.SUPPORT_CHARGE,
         PostingKind.INCOME_RETURNED)  # fmt: skip
IN_KIND = (PostingKind.IN_KIND_OFFSET, PostingKind.IN_KIND_ADDITIONAL)


class Posting(NamedTuple):
    """One movement, with what each view needs to post it."""

    kind: PostingKind
    on: date
    amount: Decimal  # what the member pays (+) or is credited (-); a grant, the income; reserves, the movement
    unit: str = ""  # the unit's code as the results name it (a period's, returned income's)
    origin: str = ""  # the unit as the budget file writes it
    member: str = ""  # whose posting it is
    holder: str = ""  # the unit's lead or host, who keeps its account ("": none)
    name: str = ""  # a grant's name; an instalment's label; a reserves movement's name
    reference: str = ""  # an instalment's invoice reference
    parts: tuple[tuple[str, Decimal], ...] = ()  # a reserves movement: each member's part
    basis: str = ""  # a reserves movement: whose shares the parts are in


class Account(StrEnum):
    """The accounts of a member's own ledger that its journals post to; the budget's
    ``ledger:`` mapping gives each its code in the member's chart of accounts."""

    CONTRIBUTION = "contribution"  # expense: its share of each unit's cost
    LEVY = "levy"  # expense: the levy it pays the lead
    IN_KIND = "in_kind"  # expense: officers seconded in kind, beside its cash
    IN_KIND_RECHARGE = "in_kind_recharge"  # credit: the pay of the officers it seconds, recharged to the unit
    PAYABLE = "payable"  # what it owes the collaboration
    BANK = "bank"  # what it pays its instalments from
    SETTLEMENT = "settlement"  # its part of a unit's out-turn, returned or charged
    LEVY_INCOME = "levy_income"  # a lead: the levy its partners pay it, which it keeps from its own payment
    RECEIVABLE = "receivable"  # a lead or host: what each partner owes the unit it keeps
    PARTNER_INCOME = "partner_income"  # a lead or host: the partners' contributions to the unit it keeps


class JournalLine(NamedTuple):
    """A line of a member's journal: + a debit, - a credit."""

    account: Account
    amount: Decimal
    unit: str  # the unit as the budget file writes it, for its cost centre ("" none)
    description: str
    party: str = ""  # the partner a receivable is owed by


class Journal(NamedTuple):
    """One balanced journal of a member's ledger."""

    member: str
    number: str  # unique in the member's ledger, the same each time the budget is run
    on: date
    description: str
    lines: tuple[JournalLine, ...]
    reference: str = ""  # an instalment's invoice reference
    due: date | None = None  # an instalment's due date

    @property
    def balance(self) -> Decimal:
        """Debits less credits: nil for every journal apportion makes."""
        return sum((line.amount for line in self.lines), ZERO)

    def amounts(self, account: Account) -> Iterator[Decimal]:
        """The amounts of its lines on ``account``."""
        return (line.amount for line in self.lines if line.account is account)
