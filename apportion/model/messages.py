"""Something to tell the user, with its place, and the errors apportion raises.

One record, :class:`Message`, serves every kind of thing apportion tells a person: a
problem with an input (a YAML line, a spreadsheet cell), a warning about a unit (where the
unit is written), or a difference ``verify`` found (a sheet and cell of an output). Its
:class:`Place` travels with the records the message is about, as beancount's entries carry
their ``meta``, so a warning about a unit can say where that unit is written.
"""

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

# Characters no name, code, description or note may hold: C0 and C1 controls (NUL, ESC, tab,
# new lines), DEL, the line and paragraph separators, and the bidirectional overrides and
# isolates, which can make text read differently from what it is (a name shown reversed).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Text as it may safely reach a terminal or a log: each character of :data:`UNPRINTABLE`
    written as its code (``\\u202e``), so it cannot move the cursor, colour or reverse what follows."""
    if not UNPRINTABLE.search(text):
        return text
    return UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def counted(count: int, one: str, many: str = "") -> str:
    """'1 penny', '2 pence', '1 problem', '3 problems': a count in plain English."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


class Place(NamedTuple):
    """Where something is: a file, the line in it, and the place as a person reads it
    (``units[ROCU].basis``, ``sheet Shares, row 3, column value``, ``Contribution!C4``)."""

    file: str = ""
    line: int = 0
    where: str = ""

    def __str__(self) -> str:
        head = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return ": ".join(part for part in (head, self.where) if part)

    def at(self, where: str) -> "Place":
        """The same file and line, a place within it."""
        return self._replace(where=where)


NOWHERE = Place()


class Severity(StrEnum):
    ERROR = "error"  # the input must be fixed before anything is written
    WARNING = "warning"  # the run goes on; a person must see it
    DIFFERENCE = "difference"  # an output is not what the inputs produce


class Message(NamedTuple):
    """One thing to tell the user: what, where, how serious, and what it is about."""

    text: str
    place: Place = NOWHERE
    severity: Severity = Severity.ERROR
    unit: str = ""  # the unit's code, where it is about a unit
    member: str = ""  # the member, where it is about one

    def __str__(self) -> str:
        place = str(self.place)
        return f"{place}: {self.text}" if place else self.text


def problem(file: str, line: int, where: str, text: str) -> Message:
    """An input problem at a file, line and place."""
    return Message(text, Place(file, line, where))


class ApportionError(Exception):
    """Base class for every error apportion reports to its user."""


class InputError(ApportionError):
    """The input files have problems; all of them are listed."""

    def __init__(self, problems: Sequence[Message], untold: int = 0) -> None:
        self.problems = tuple(problems)
        self.count = len(self.problems) + untold - (1 if untold else 0)  # the "... and N more" line is not one
        super().__init__(f"{counted(self.count, 'problem')} found")


class PeriodError(ApportionError):
    """A date or period the year does not hold: a monitoring period that is not one of the
    year's, or a membership change that cannot be applied in it (the message says why)."""


class OutputError(ApportionError):
    """The outputs could not be written where asked."""
