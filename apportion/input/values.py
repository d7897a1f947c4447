"""Values as a person writes them: money, numbers and percentages, read exactly from text.

Each kind of value is read in one place here, by a YAML section, a spreadsheet cell or
the command line alike. The ``parse_`` functions turn text (or a number the YAML reader
already made a Decimal) into a Decimal, or None; the ``check_`` functions also say what
is wrong, in words a finance officer can act on, for the caller to place at a line or a
cell. No value ever passes through a float.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from apportion.model.limits import MAX_MONEY, OVER_LIMIT
from apportion.model.messages import UNPRINTABLE
from apportion.model.money import PENNY, format_gbp, plain

MAX_NAME = 100  # characters of a name or code: it becomes a file name, a sheet's header, a journal account
# How large a budget may be: as much as benchmarks/limits.py shows validates and runs (every
# output) within 10 s and 1 GB each on a 2-core machine, with support units or without, and
# more than a police collaboration needs (README.md's benchmarks).
# members: England and Wales have 43 forces, a national collaboration with others 50 to 100;
# 500 members sharing 50 units (the member lines' limit) run in some 7 s
MAX_MEMBERS = 500
# units: a regional collaboration has tens, a national one hundreds; the summary has a column
# each (a spreadsheet's column letters run to 1,000 here: apportion.outputs.spreadsheet)
MAX_UNITS = 500
# member-unit lines: a row each on the summary's Lines sheet. 43 forces sharing 500 units
# (21,500) run in some 3 s, 25,000 in some 7 s; 50,000 took 11 to 14 s, 100,000 25 s
MAX_LINES = 25_000
# support units charged reciprocally: 30 each charging every other, by drivers of 15 digits and
# 12 decimal places, and 170 units with members take some 2 s to solve exactly (40: 7 s); 30
# serving 470 units with 50 members validate in some 3.5 s and run in some 9 s
MAX_RECIPROCAL = 30
# where support units' costs come to rest: a support unit in a unit with members its cost
# reaches (through others too), a row each on the summary's Support in units sheet. 250
# support units charged to 250 units with 2 members (50,000) run in some 3 s
MAX_RESTS = 50_000
MAX_AMOUNT = MAX_MONEY  # any one amount; sums are held to the same limit (apportion.model.limits)
MAX_NUMBER = 10**15
MAX_PLACES = 12
_MONEY_TEXT = re.compile(r"^(-)?£?\s*(-)?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PERCENT_TEXT = re.compile(r"^([-+]?\d+(\.\d+)?)\s*(%?)$")

Checked = tuple[Decimal | None, str]  # the value, or None and what is wrong with it

_NAMES = {"\n": "a new line", "\r": "a carriage return", "\t": "a tab", "\x1b": "an escape character"}


class Number(Decimal):
    """A number in the file, exactly, with the text it was written as: a member called
    007 or 1.0e+3 is read as that text wherever a name is wanted, and a message shows the
    number as it was typed."""

    text: str


def number(text: str) -> Number:
    """The number ``text`` writes (digits grouped by _ as YAML allows); raises InvalidOperation."""
    value = Number(text.replace("_", ""))
    value.text = text
    return value


def unprintable(text: str) -> str | None:
    """What is wrong with a text that holds a character no field may hold, or None.

    Leading and trailing spaces and new lines are not counted (a YAML block scalar ends
    with one); any within the text is."""
    match = UNPRINTABLE.search(text.strip())
    if match is None:
        if text.isascii():  # no invisible character is ASCII
            return None
        invisible = next((char for char in text if not char.isprintable() and unicodedata.category(char) == "Cf"), None)
        if invisible is None:
            return None
        # a zero-width space or joiner, a soft hyphen: two names that print the same are two names
        return f"holds an invisible character (U+{ord(invisible):04X} {unicodedata.name(invisible, '')}); delete it"
    char = match.group()
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        kind = "a text-direction control"
    else:
        kind = _NAMES.get(char, "a control character")
    return f"holds {kind} (U+{ord(char):04X}); write it on one line, with letters, digits, spaces and punctuation only"


def parse_money(value: Any) -> Decimal | None:
    """1250000, 1250000.5, '£1,250,000.50', '1,250,000' -> Decimal; anything else None."""
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    match = _MONEY_TEXT.match(value.strip())
    if not match or (match.group(1) and match.group(2)):
        return None
    sign = "-" if match.group(1) or match.group(2) else ""
    return Decimal(sign + match.group(3).replace(",", "") + (match.group(5) or ""))


def parse_signed_money(value: Any) -> Decimal | None:
    """An amount that may be negative, in whole pence: -400000, '-£400,000'."""
    amount = parse_money(value)
    if amount is None or too_large(amount, MAX_AMOUNT) or amount != amount.quantize(PENNY):
        return None
    return amount.quantize(PENNY)


def too_large(number: Decimal, limit: int) -> bool:
    """``abs(number) >= limit``, told from the number's digits and exponent alone, so that
    even 1e999999999 is refused rather than overflowing the arithmetic that would compare it."""
    if not number.is_finite():
        return True
    if number.adjusted() >= len(str(limit)):  # at least 10 times the limit, a power of ten
        return True
    return number.copy_abs() >= limit


def too_fine(number: Decimal, places: int) -> bool:
    """More decimal places than ``places`` (1E-13 has 13), told from the exponent alone."""
    exponent = number.as_tuple().exponent
    return bool(number) and isinstance(exponent, int) and exponent < -places


def as_written(number: Decimal) -> str:
    """A number in a message as the file wrote it (YAML keeps the text), else in plain
    digits, or in an exponent where plain digits would run to pages (1E+999999)."""
    text = str(getattr(number, "text", ""))
    if text:
        return text if len(text) <= 40 else text[:40] + "..."
    if -30 <= number.adjusted() <= 30:
        return plain(number)
    return f"{number:E}"


def parse_number(value: Any) -> Decimal | None:
    """A plain number, given as a number or as text ('1,091,000'); anything else None."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        try:
            written = number(value.replace(",", "").strip())
        except InvalidOperation:
            return None
        written.text = value.strip()
        return written if written.is_finite() else None
    return None


def parse_percent(value: Any, *, bare: bool = False) -> Decimal | None:
    """'27.3%', '-20%', '+5 %' -> Decimal('27.3'), Decimal('-20'), Decimal('5'): the one
    reading of percentage text, for the budget file and the command line alike. With
    ``bare``, the sign may be left off where the place says the value is in percent."""
    if not isinstance(value, str):
        return None
    match = _PERCENT_TEXT.match(value.strip())
    if not match or not (bare or match.group(3)):
        return None
    return Decimal(match.group(1))


def check_signed_money(value: Any, what: str) -> Checked:
    """An amount that may be negative (``what``: 'the net spending in the period'), in whole pence."""
    amount = parse_money(value)
    if amount is None:
        return None, f"{describe(value)} is not an amount; give {what} in pounds, such as 1,204,331.50 or -45,000"
    return in_pence(amount)


def in_pence(amount: Decimal) -> Checked:
    """An amount under the limit, in whole pence."""
    if too_large(amount, MAX_AMOUNT):
        shown = format_gbp(amount) if amount.adjusted() < 30 else as_written(amount)
        return None, f"{shown} is {OVER_LIMIT}; is a decimal point missing?"
    if amount != amount.quantize(PENNY):
        return None, f"{plain(amount)} has fractions of a penny; give pounds and pence (at most two decimal places)"
    return amount.quantize(PENNY), ""


def check_money(value: Any) -> Checked:
    """An amount in pounds, >= 0, at most two decimal places: 1250000, '£1,250,000.00'."""
    amount = parse_money(value)
    if amount is None:
        return None, f"{describe(value)} is not an amount of money; write pounds such as 1250000 or '£1,250,000.00'"
    if amount < 0:
        return None, (
            f"{format_gbp(amount)} is negative; give spending as a positive amount and record grants and income under income:"
        )
    return in_pence(amount)


def check_number(value: Any, what: str) -> Checked:
    """A non-negative plain number: a driver value or a count of officers."""
    number = parse_number(value)
    if number is None or number < 0:
        return None, f"{describe(value)} is not {what}; give a number of 0 or more"
    return plausible(number)


def plausible(number: Decimal) -> Checked:
    """Refuse numbers so large or so finely divided that they can only be mistakes."""
    if too_large(number, MAX_NUMBER) or too_fine(number, MAX_PLACES):
        return (
            None,
            f"{as_written(number)} is out of range; give a number under {MAX_NUMBER:,} with at most {MAX_PLACES} decimal places",
        )
    return number, ""


def check_percent(value: Any, unit: str | None = None) -> Checked:
    """'27.3%' -> Decimal('27.3'). Bare numbers only where the basis declares its unit:
    ``percent`` (27.3) or ``fraction`` (0.273, as a spreadsheet stores a cell shown as 27.3%)."""
    if isinstance(value, Decimal) and unit in ("percent", "fraction"):
        if too_large(value, MAX_NUMBER) or too_fine(value, MAX_PLACES + 2):
            return plausible(value)
        percent = value * 100 if unit == "fraction" else value
    elif isinstance(value, Decimal):
        return None, f"{plain(value)} is ambiguous; write a percentage with its sign, such as '{plain(value)}%'"
    elif (percent_text := parse_percent(value)) is not None and not str(value).strip().startswith("+"):
        percent = percent_text
    else:
        return None, f"{describe(value)} is not a percentage; write it like '27.3%'"
    if percent < 0:
        return None, f"{plain(percent)}% is negative; shares and rates are 0% or more"
    return plausible(percent)


def describe(value: Any) -> str:
    """How a YAML value reads in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{value} (yes/no)"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    written = getattr(value, "text", None) if isinstance(value, Decimal) else None
    return repr(written if written is not None else str(value))


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'model'?)' where a close option exists, else '': first one that
    differs only in capitals or in how its characters are written ('rocu' for 'ROCU')."""
    import difflib  # only a file with a mistake needs it

    from apportion.model.names import name_key, skeleton

    choices = list(options)
    same = [option for option in choices if name_key(option) == name_key(word)]
    same = same or [option for option in choices if skeleton(option) == skeleton(word)]
    close = same or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
