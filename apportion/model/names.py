"""Names: the files a run writes (fixed names, and member workbooks named for their
member, safe on every operating system), and when two names a person reads are the same.

Two members, or two units, may not have names a reader could take for one another: names
that differ only in capitals (Kent, KENT), only in how Unicode writes the same characters
(NFKC: a full-width Ｋent, a ligature), or only in characters that look alike (Kent with a
Cyrillic К). The last is Unicode's confusables check (Technical Standard #39, section 4):
two names are confusable when their *skeletons* are equal, each character replaced by the
prototype it is mistaken for (Cyrillic К by Latin K, digit 1 by l, m by rn), from the data
Unicode publishes, which the confusable-homoglyphs library ships.
"""

from __future__ import annotations

import functools
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


# The rows of Unicode's confusables data among ASCII characters, so that names in ASCII
# alone are checked without loading the whole table (tests/model/test_names.py holds
# them to the data).
ASCII_PROTOTYPES = {"1": "l", "I": "l", "|": "l", "0": "O", "`": "'", '"': "''", "m": "rn", "%": "º/₀"}


def name_key(name: str) -> str:
    """What two names that differ only in capitals or Unicode's form have in common."""
    return unicodedata.normalize("NFKC", name).casefold()


def skeleton(name: str) -> str:
    """The name's skeleton (Unicode TS #39): each character replaced by the prototype it may
    be mistaken for, after NFKC so that full-width and compatibility forms count as theirs."""
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name))
    table = ASCII_PROTOTYPES if text.isascii() else prototypes()
    return unicodedata.normalize("NFD", "".join(table.get(char, char) for char in text))


def confusion(name: str, other: str) -> str | None:
    """How ``name`` could be taken for ``other`` ('it differs only in capitals'), or None."""
    if name == other:
        return None
    if unicodedata.normalize("NFKC", name) == unicodedata.normalize("NFKC", other):
        return "it is the same characters in another of Unicode's forms (NFKC)"
    if name_key(name) == name_key(other):
        return "it differs only in capitals"
    if skeleton(name) == skeleton(other):
        differ = [char for char in name if char not in other] or [char for char in other if char not in name]
        shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'a character')}" for c in dict.fromkeys(differ))
        return f"it looks the same, written with {shown or 'characters that look alike'}"
    return None


class NameRegister:
    """Names given so far (members, or unit codes), to tell a new one that could be taken for one of them."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.skeletons: dict[str, str] = {}

    def clash(self, name: str) -> tuple[str, str] | None:
        """(the name it could be taken for, how), or None; a name without a clash is added."""
        for earlier in (self.keys.get(name_key(name)), self.skeletons.get(skeleton(name))):
            how = confusion(name, earlier) if earlier is not None else None
            if earlier is not None and how is not None:
                return earlier, how
        self.keys.setdefault(name_key(name), name)
        self.skeletons.setdefault(skeleton(name), name)
        return None


@functools.cache
def prototypes() -> dict[str, str]:
    """Each character of Unicode's confusables data and the prototype it is mistaken for.

    The library holds each pair both ways; Unicode's table maps every character to one
    prototype that maps to nothing, so each group is a star: the prototype is the one
    mistaken for several (or for a string of several characters). In a pair, either may
    stand for both, and the ASCII one (else the lower) is taken, as the equality of
    skeletons does not depend on which."""
    from confusable_homoglyphs.confusables import confusables_data  # a table of 9,619 characters: loaded only when needed

    def clean(text: str) -> str:  # the library marks right-to-left characters with U+200E
        return text.replace("\u200e", "")

    pairs: dict[str, set[str]] = {}
    for char, entries in confusables_data.items():
        pairs.setdefault(clean(char), set()).update(clean(entry["c"]) for entry in entries)
    table = {}
    for char, others in pairs.items():
        if len(char) != 1 or len(others) != 1:
            continue  # a prototype of several, or a string of characters: it stands for itself
        (other,) = others
        if len(other) > 1 or len(pairs.get(other, ())) > 1:
            table[char] = other
        else:
            table[char] = min(char, other, key=lambda c: (not c.isascii(), c))
    return {char: prototype for char, prototype in table.items() if char != prototype}


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
