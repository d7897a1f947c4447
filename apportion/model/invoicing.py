"""How members are invoiced through the year, and the instalments that come of it."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

EMPTY: Mapping[str, Schedule] = MappingProxyType({})


class Timing(StrEnum):
    ADVANCE = "in advance"  # due at the start of each period
    ARREARS = "in arrears"  # due at its end


COUNTS = (1, 2, 3, 4, 6, 12)  # instalments a year: each divides the year into whole months


class Schedule(NamedTuple):
    """Instalments in the year: how many (1, 2, 3, 4, 6 or 12, evenly spaced), when."""

    instalments: int = 4
    timing: Timing = Timing.ADVANCE
    first_due: date | None = None  # the first due date; the others follow at the same interval
    due: tuple[date, ...] = ()  # or the due dates, given one by one

    def describe(self) -> str:
        if self.due:
            return f"on {len(self.due)} date{'s' if len(self.due) != 1 else ''} given"
        every = {1: "once a year", 2: "half-yearly", 4: "quarterly", 12: "monthly"}.get(
            self.instalments, f"{self.instalments} a year"
        )
        return f"{every}, {self.timing.value}"


class Invoicing(NamedTuple):
    """The collaboration's schedule, members' own schedules, and what references begin with."""

    schedule: Schedule = Schedule()
    members: Mapping[str, Schedule] = EMPTY
    prefix: str = ""  # default: the initials of the collaboration's name

    def of(self, member: str) -> Schedule:
        return self.members.get(member, self.schedule)


class Instalment(NamedTuple):
    """One invoice (or credit note, when negative) to a member."""

    member: str
    number: int  # 1, 2, ... in the year
    label: str  # "Q1", "M01", "H2", "I3"
    due: date
    amount: Decimal  # + payable by the member, - a credit to it
    reference: str  # stable across reruns of the same budget


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of a shorter month; a month's last
    day stays a month's last day (30 June, then 30 September and 31 December)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if at_month_end else min(day.day, last))


def year_start(year: str) -> date:
    match = re.match(r"\s*(\d{4})", year)
    return date(int(match.group(1)) if match else 1970, 4, 1)
