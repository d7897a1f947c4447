"""Each member's own ledger: the codes its journals post to (the budget's ``ledger:``
mapping), and the column layouts ``run --ledger FORMAT`` writes its journals in.

A layout is one declaration: its name, what it is, and its columns, each a heading and the
field of a journal line it holds (:data:`FIELDS`) or a fixed text (``=Ledger``). Adding a
layout is adding one to :data:`LAYOUTS`.
"""

from collections.abc import Mapping
from typing import NamedTuple

from apportion.model.postings import Account
from apportion.model.records import EMPTY


class Codes(NamedTuple):
    """One member's codes: an account code for each of :class:`Account`, a cost centre for
    each unit, what every line's description begins with, and its own layout."""

    accounts: Mapping[str, str] = EMPTY  # an Account's value -> its code (default: the account's name)
    cost_centres: Mapping[str, str] = EMPTY  # a unit's code -> its cost centre
    cost_centre: str = ""  # for a unit with none of its own (default: the unit's code)
    description: str = ""  # what every line's description begins with
    layout: str | None = None  # the layout its ledger imports, where it differs from --ledger's

    def code(self, account: Account) -> str:
        return self.accounts.get(account.value, account.value)

    def centre(self, unit: str) -> str:
        if not unit:
            return ""
        return self.cost_centres.get(unit, self.cost_centre or unit)

    def over(self, default: "Codes") -> "Codes":
        """These codes over ``default``'s: a member's own given key by key over the collaboration's."""
        return Codes(
            {**default.accounts, **self.accounts}, {**default.cost_centres, **self.cost_centres},
            self.cost_centre or default.cost_centre, self.description or default.description, self.layout or default.layout,
        )  # fmt: skip


class LedgerMapping(NamedTuple):
    """``ledger:``: the codes for every member, and a member's own over them."""

    default: Codes = Codes()
    members: Mapping[str, Codes] = EMPTY  # a member's own codes, as given

    def of(self, member: str) -> Codes:
        own = self.members.get(member)
        return own.over(self.default) if own is not None else self.default

    def over(self, base: "LedgerMapping") -> "LedgerMapping":
        """This mapping over ``base`` (a budget's over its shares file's), key by key."""
        members = {name: codes.over(base.members[name]) if name in base.members else codes
                   for name, codes in self.members.items()}  # fmt: skip
        return LedgerMapping(self.default.over(base.default), {**base.members, **members})


# The fields of a journal line a layout's columns may hold: name -> (Table Schema type, what it holds).
FIELDS = {
    "member": ("string", "the member whose ledger it is"),
    "journal": ("string", "the journal's number, unique in the member's ledger and the same each run"),
    "journal_description": ("string", "what the journal is"),
    "line": ("integer", "the line's number in its journal, from 1"),
    "date": ("date", "the journal's date (an instalment's: its due date)"),
    "account": ("string", "the account's code in the member's chart of accounts"),
    "account_name": ("string", "which of apportion's accounts it is: " + ", ".join(a.value for a in Account)),
    "cost_centre": ("string", "the unit's cost centre in the member's ledger"),
    "account_display": ("string", "the account and cost centre joined by '-', as a ledger shows a combination"),
    "description": ("string", "what the line is"),
    "debit": ("number", "the amount debited in pounds, or blank"),
    "credit": ("number", "the amount credited in pounds, or blank"),
    "amount": ("number", "the amount in pounds: + a debit, - a credit"),
    "currency": ("string", "GBP"),
    "reference": ("string", "an instalment's invoice reference"),
    "due_date": ("date", "an instalment's due date"),
    "unit": ("string", "the unit's code as the budget file writes it"),
    "party": ("string", "the partner a receivable is owed by"),
}


class Layout(NamedTuple):
    """A column layout for ledger journals: each column a heading and a field (or ``=text``)."""

    name: str
    title: str
    columns: tuple[tuple[str, str], ...]


PLAIN = Layout(
    "plain", "apportion's own layout: a column for each field, debits and credits apart",
    tuple((name, name) for name in ("member", "journal", "line", "date", "account", "cost_centre", "description", "debit",
                                    "credit", "reference", "due_date", "unit", "party", "account_name")),
)  # fmt: skip
DYNAMICS_365 = Layout(
    "dynamics-365",
    "Microsoft Dynamics 365 Finance, the General journal data entity (LedgerJournalEntity), imported through Data "
    "management: a batch and voucher a journal, each line a ledger account and cost centre",
    (("JOURNALBATCHNUMBER", "journal"), ("LINENUMBER", "line"), ("JOURNALNAME", "=GenJrn"),
     ("DESCRIPTION", "journal_description"), ("TRANSDATE", "date"), ("VOUCHER", "journal"), ("ACCOUNTTYPE", "=Ledger"),
     ("ACCOUNTDISPLAYVALUE", "account_display"), ("TEXT", "description"), ("DEBITAMOUNT", "debit"),
     ("CREDITAMOUNT", "credit"), ("CURRENCYCODE", "currency"), ("DOCUMENT", "reference"), ("DUEDATE", "due_date")),
)  # fmt: skip
LAYOUTS = {layout.name: layout for layout in (PLAIN, DYNAMICS_365)}
