"""Where each member's ledger journals are written: ``ledger/<member>.csv``, in the column
layout its ledger imports (:data:`apportion.model.ledger.LAYOUTS`).

The journals are the member's side of the year's postings (:mod:`apportion.rules.postings`);
here each line only gets its codes from the budget's ``ledger:`` mapping (account code,
cost centre, what its description begins with: by default, as the collaboration's invoice
references do, its initials, and the year) and its columns from the layout. A CSV as
the other CSVs are written (RFC 4180, UTF-8, text quoted, numbers bare): debits and credits
in pounds and pence, dates as 2013-04-15.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from apportion.model import Apportionment
from apportion.model.ledger import FIELDS, LAYOUTS, Codes, Layout, LedgerMapping
from apportion.model.names import ledger_name
from apportion.model.postings import Journal
from apportion.outputs.csv_files import Value, table_text
from apportion.outputs.manifest import Field
from apportion.rules.instalments import prefix_of
from apportion.rules.postings import member_journals


def layout_of(result: Apportionment, member: str, asked: str) -> Layout:
    """The layout ``--ledger`` asked for, or the one the member's own codes name."""
    codes = (result.budget.ledger or LedgerMapping()).of(member)
    return LAYOUTS[codes.layout or asked]


def ledger_fields(layout: Layout) -> tuple[Field, ...]:
    """The layout's columns, with the Table Schema type and meaning of each, for datapackage.json."""
    fields = []
    for heading, field in layout.columns:
        if field.startswith("="):
            fields.append(Field(heading, "string", f"always {field[1:]}"))
        else:
            kind, text = FIELDS[field]
            fields.append(Field(heading, kind, text))
    return tuple(fields)


def ledger_csv(result: Apportionment, member: str, asked: str) -> str:
    """The member's journals for the year in its layout, a row a line."""
    budget = result.budget
    codes = (budget.ledger or LedgerMapping()).of(member)
    if not codes.description:  # the collaboration's initials and the year, as its invoices begin
        initials = budget.invoicing.prefix if budget.invoicing and budget.invoicing.prefix else prefix_of(budget.collaboration)
        codes = codes._replace(description=f"{initials} {budget.year}")
    layout = layout_of(result, member, asked)
    rows = [[row[field] if not field.startswith("=") else field[1:] for _heading, field in layout.columns]
            for journal in member_journals(result, member) for row in journal_rows(journal, codes)]  # fmt: skip
    return table_text(ledger_fields(layout), rows)


def ledger_files(result: Apportionment, asked: str) -> Iterator[tuple[str, bytes]]:
    """Each member's ledger, by name (ledger/thames-valley.csv), in the layout asked for or its own."""
    for member in result.budget.member_names:
        yield ledger_name(member), ledger_csv(result, member, asked).encode("utf-8")


def ledger_schemas(result: Apportionment, asked: str) -> dict[str, tuple[Sequence[Field], Sequence[str]]]:
    """Each member's ledger's columns, for datapackage.json."""
    return {ledger_name(m): (ledger_fields(layout_of(result, m, asked)), ()) for m in result.budget.member_names}


def journal_rows(journal: Journal, codes: Codes) -> Iterator[dict[str, Value]]:
    """Each line of a journal as every field a layout may ask for."""
    prefix = f"{codes.description} " if codes.description else ""
    for number, line in enumerate(journal.lines, start=1):
        account, centre = codes.code(line.account), codes.centre(line.unit)
        yield {
            "member": journal.member,
            "journal": journal.number,
            "journal_description": prefix + journal.description,
            "line": Decimal(number),
            "date": journal.on.isoformat(),
            "account": account,
            "account_name": line.account.value,
            "cost_centre": centre,
            "account_display": f"{account}-{centre}" if centre else account,
            "description": prefix + line.description,
            "debit": line.amount if line.amount > 0 else "",
            "credit": -line.amount if line.amount < 0 else "",
            "amount": line.amount,
            "currency": "GBP",
            "reference": journal.reference,
            "due_date": journal.due.isoformat() if journal.due else "",
            "unit": line.unit,
            "party": line.party,
        }
