"""The names of the files a run writes: fixed names, and member workbooks named for their
member, safe on every operating system."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
SUMMARY_NAME = "summary.xlsx"
CSV_NAME = "contributions.csv"
INSTALMENTS_NAME = "instalments.csv"
YEAR_END_NAME = "year-end.csv"
EXITS_NAME = "exit-settlements.csv"
ACCOUNTS_NAME = "accounts.csv"
LEDGER_FOLDER = "ledger"  # the one folder apportion makes inside an output folder: each member's ledger journals
JOURNAL_NAME = "journal.beancount"
COMPARISON_BOOK, COMPARISON_CSV = "comparison.xlsx", "comparison.csv"
SWEEP_BOOK, SWEEP_CSV = "sweep.xlsx", "sweep.csv"
MONITORING_BOOK, POSITIONS_CSV, VARIANCE_SHARES_CSV = "monitoring.xlsx", "monitoring.csv", "monitoring-members.csv"
MOVEMENT_BOOK, MOVEMENT_CSV = "monitoring-comparison.xlsx", "monitoring-comparison.csv"
REPORT_NAME = "report.html"  # the panel report
MANIFEST_NAME = "datapackage.json"  # what a run wrote, and from what (a Frictionless Data Package)
RESERVED_STEMS = {"summary", "contributions", "instalments", "year-end", "accounts", "exit-settlements"}
LEDGER_FILE = re.compile(rf"{LEDGER_FOLDER}/[a-z0-9]+(-[a-z0-9]+)*\.csv")


def file_stem(name: str) -> str:
    """'Thames Valley' -> 'thames-valley': lower case letters, digits and single hyphens.

    The stem never contains a path separator or '..', so a workbook cannot be written
    outside the output folder; a Windows device name gets a trailing '-member'.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-") or "member"
    if stem in WINDOWS_RESERVED:
        stem += "-member"
    return stem


def book_name(member: str | None) -> str:
    """summary.xlsx, or the member's workbook (thames-valley.xlsx)."""
    return SUMMARY_NAME if member is None else f"{file_stem(member)}.xlsx"


def ledger_name(member: str) -> str:
    """ledger/thames-valley.csv: a member's ledger journals, in the one subfolder apportion makes."""
    return f"{LEDGER_FOLDER}/{file_stem(member)}.csv"


def is_ledger_name(name: str) -> bool:
    return LEDGER_FILE.fullmatch(name) is not None


def ledgers_of(names: Iterable[str]) -> set[str]:
    """The members' ledgers a run writing ``names`` could write: one for each member's
    workbook it writes (thames-valley.xlsx: ledger/thames-valley.csv), a run's only."""
    if CSV_NAME not in names:
        return set()
    return {
        f"{LEDGER_FOLDER}/{name.removesuffix('.xlsx')}.csv" for name in names if name.endswith(".xlsx") and name != SUMMARY_NAME
    }


def is_output_name(name: str) -> bool:
    """Whether apportion could have written a file of this name in an output folder: a name
    at its top, or a member's ledger journals in ledger/ (never a link, a '..' or another folder)."""
    if not any(c in name for c in "/\\\x00"):
        return name not in ("", ".", "..", LEDGER_FOLDER)
    return LEDGER_FILE.fullmatch(name) is not None
