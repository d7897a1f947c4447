"""The files of a run beside its workbooks: its CSVs (contributions, instalments, the year
end, the accounts note, the exit settlements), before the workbooks; the journal and each member's ledger, after
them, where asked; and the Table Schema of each CSV, for datapackage.json."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from apportion.model import Apportionment
from apportion.model.names import ACCOUNTS_NAME, CSV_NAME, EXITS_NAME, INSTALMENTS_NAME, JOURNAL_NAME, YEAR_END_NAME
from apportion.outputs.csv_files import (
    ACCOUNTS_FIELDS,
    ACCOUNTS_KEY,
    CONTRIBUTION_FIELDS,
    CONTRIBUTION_KEY,
    EXIT_FIELDS,
    EXIT_KEY,
    INSTALMENT_FIELDS,
    INSTALMENT_KEY,
    YEAR_END_FIELDS,
    YEAR_END_KEY,
    accounts_csv,
    contributions_csv,
    exits_csv,
    instalments_csv,
    year_end_csv,
)
from apportion.outputs.journal import journal_text
from apportion.outputs.ledger import ledger_files, ledger_schemas
from apportion.outputs.manifest import Field, Run


def table_files(result: Apportionment) -> Iterator[tuple[str, bytes]]:
    """The CSVs of a run, before its workbooks: contributions, instalments, the year end, the accounts note,
    the exit settlements."""
    yield CSV_NAME, contributions_csv(result).encode("utf-8")
    if result.instalments:
        yield INSTALMENTS_NAME, instalments_csv(result).encode("utf-8")
    if has_member_year_end(result):
        yield YEAR_END_NAME, year_end_csv(result).encode("utf-8")
    if result.accounts is not None:
        yield ACCOUNTS_NAME, accounts_csv(result).encode("utf-8")
    if result.exits:
        yield EXITS_NAME, exits_csv(result).encode("utf-8")


def later_files(result: Apportionment, run: Run) -> Iterator[tuple[str, bytes]]:
    """The files of a run after its workbooks: the journal and each member's ledger journals, where asked."""
    if run.journal:
        yield JOURNAL_NAME, journal_text(result).encode("utf-8")
    if run.ledger is not None:
        yield from ledger_files(result, run.ledger)


def run_schemas(result: Apportionment, run: Run) -> dict[str, tuple[Sequence[Field], Sequence[str]]]:
    """Each CSV a run may write, with its columns and primary key."""
    schemas: dict[str, tuple[Sequence[Field], Sequence[str]]] = {
        CSV_NAME: (CONTRIBUTION_FIELDS, CONTRIBUTION_KEY),
        INSTALMENTS_NAME: (INSTALMENT_FIELDS, INSTALMENT_KEY),
        YEAR_END_NAME: (YEAR_END_FIELDS, YEAR_END_KEY),
        ACCOUNTS_NAME: (ACCOUNTS_FIELDS, ACCOUNTS_KEY),
        EXITS_NAME: (EXIT_FIELDS, EXIT_KEY),
    }
    return schemas | (ledger_schemas(result, run.ledger) if run.ledger is not None else {})


def has_member_year_end(result: Apportionment) -> bool:
    """A year end with a part for each member: a settlement in shares, reserves or capital."""
    outcome = result.year_end
    return outcome is not None and bool(any(s.parts for s in outcome.settlements) or outcome.reserves or outcome.capital)
