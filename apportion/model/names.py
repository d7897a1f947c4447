"""The names of the files a run writes: fixed names, and member workbooks named for their
member, safe on every operating system."""

from __future__ import annotations

import re
import unicodedata

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
SUMMARY_NAME = "summary.xlsx"
CSV_NAME = "contributions.csv"
INSTALMENTS_NAME = "instalments.csv"
YEAR_END_NAME = "year-end.csv"
EXITS_NAME = "exit-settlements.csv"
JOURNAL_NAME = "journal.beancount"
COMPARISON_BOOK, COMPARISON_CSV = "comparison.xlsx", "comparison.csv"
SWEEP_BOOK, SWEEP_CSV = "sweep.xlsx", "sweep.csv"
MONITORING_BOOK, POSITIONS_CSV, VARIANCE_SHARES_CSV = "monitoring.xlsx", "monitoring.csv", "monitoring-members.csv"
MOVEMENT_BOOK, MOVEMENT_CSV = "monitoring-comparison.xlsx", "monitoring-comparison.csv"
REPORT_NAME = "report.html"  # the panel report
MANIFEST_NAME = "datapackage.json"  # what a run wrote, and from what (a Frictionless Data Package)
RESERVED_STEMS = {"summary", "contributions", "instalments", "year-end", "exit-settlements"}


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
