"""Each member's net cash payable as the instalments it is invoiced in.

A member's annual net cash payable N is split into n instalments (n = 1, 2, 3, 4, 6 or 12)
of N / n each, rounded by largest remainder: every instalment is N / n rounded down to the
penny, and the pence left over go one each to the earliest instalments. So the
instalments add up to N exactly, and differ by a penny at most. A credit (N below nil) is
split the same way, as credit notes.

Due dates are evenly spaced through the financial year (1 April to 31 March), 12 / n
months apart: in advance, on the first day of each period; in arrears, on its last day;
or from a first due date the file gives, on the same day of each later period (the last
day of a shorter month); or on the dates the file gives one by one. References are made
from the collaboration, the year, the member and the instalment, so a rerun of the same
budget gives the same references.

Invoicing follows membership: a member that leaves the collaboration in the year is
invoiced only the instalments due while it is a member (before its leaving date), a
member that joins only those due from its joining; its net cash payable is split over
those. Where none falls due while it is a member, the whole falls due on the day it leaves
(or joins). A member's own schedule (``invoicing: members:``) is kept as the file gives
it, with a warning for each date outside its membership. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from apportion.model import Apportionment, Budget
from apportion.model.invoicing import Instalment, Invoicing, Schedule, Timing, add_months, year_start
from apportion.model.messages import Message, Severity
from apportion.model.money import ZERO, allocate

LABELS = {1: "Y", 2: "H", 4: "Q", 12: "M"}


def due_dates(schedule: Schedule, year: str) -> list[date]:
    """When each instalment of the year is due."""
    if schedule.due:
        return list(schedule.due)
    start, interval = year_start(year), 12 // schedule.instalments
    if schedule.first_due is not None:
        return [add_months(schedule.first_due, k * interval) for k in range(schedule.instalments)]
    if schedule.timing is Timing.ADVANCE:
        return [add_months(start, k * interval) for k in range(schedule.instalments)]
    return [add_months(start, (k + 1) * interval) - timedelta(days=1) for k in range(schedule.instalments)]


def label(schedule: Schedule, number: int) -> str:
    letter = LABELS.get(schedule.instalments, "I")
    return f"{letter}{number:02d}" if schedule.instalments > 9 else f"{letter}{number}"  # noqa: PLR2004 - two digits from 10


def prefix_of(collaboration: str) -> str:
    """'East Midlands regional police collaboration' -> 'EMRPC'."""
    return "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", collaboration)).upper() or "INV"


def code_of(name: str) -> str:
    """'Thames Valley' -> 'THAMES-VALLEY': a member as a reference spells it."""
    return "-".join(re.findall(r"[A-Za-z0-9]+", name)).upper() or "MEMBER"


class Membership(NamedTuple):
    """When a member that joins or leaves the collaboration in the year is a member."""

    joins: date | None = None
    leaves: date | None = None  # its first day out

    def holds(self, day: date) -> bool:
        return (self.joins is None or day >= self.joins) and (self.leaves is None or day < self.leaves)

    def describe(self) -> str:
        return " and ".join(
            f"{verb} on {on.day} {on:%B %Y}" for verb, on in (("joins", self.joins), ("leaves", self.leaves)) if on
        )


def memberships(budget: Budget) -> dict[str, Membership]:
    """The members that join or leave the collaboration in the year (every unit they take
    part in), and when."""
    dates: dict[str, Membership] = {}
    for change in budget.membership:
        units = {unit.code for unit in budget.units if change.member in unit.participants}
        if set(change.units) < units:
            continue
        was = dates.get(change.member, Membership())
        dates[change.member] = was._replace(joins=change.on) if change.joins else was._replace(leaves=change.on)
    return dates


def member_dates(member: str, invoicing: Invoicing, year: str, membership: Membership) -> list[tuple[int, date]]:
    """The member's instalments, numbered, that it is invoiced: those due while it is a
    member, or, on a schedule of its own, all of them."""
    dated = list(enumerate(due_dates(invoicing.of(member), year), start=1))
    if member in invoicing.members:
        return dated
    return [(number, due) for number, due in dated if membership.holds(due)]


def instalments(result: Apportionment, invoicing: Invoicing) -> tuple[tuple[Instalment, ...], tuple[Message, ...]]:
    """Every member's instalments, member by member in the budget's order, then by due
    date; and a warning for each instalment a member's own schedule makes due while it is
    not a member."""
    budget = result.budget
    prefix = invoicing.prefix or prefix_of(budget.collaboration)
    members = memberships(budget)
    out: list[Instalment] = []
    warnings: list[Message] = []
    for total in result.member_totals:
        if not total.cash_amount:
            continue
        schedule = invoicing.of(total.member)
        membership = members.get(total.member, Membership())
        dated = member_dates(total.member, invoicing, budget.year, membership)
        for _, due in dated:
            if not membership.holds(due):
                warnings.append(Message(
                    f"invoicing.members.{total.member}: an instalment falls due on {due.day} {due:%B %Y}, while "
                    f"{total.member} is not a member (it {membership.describe()}); it is invoiced as the file says",
                    severity=Severity.WARNING,
                ))  # fmt: skip
        if not dated:
            on = membership.leaves or membership.joins or year_start(budget.year)
            tag = "L" if membership.leaves else "J"
            out.append(Instalment(total.member, 1, tag, on, total.cash_amount, reference(prefix, budget.year, total.member, tag)))
            continue
        parts = split(total.cash_amount, len(dated))
        for (number, due), amount in zip(dated, parts, strict=True):
            tag = label(schedule, number)
            out.append(Instalment(total.member, number, tag, due, amount, reference(prefix, budget.year, total.member, tag)))
    return tuple(out), tuple(warnings)


def reference(prefix: str, year: str, member: str, tag: str) -> str:
    """'EMRC-1314-NOTTINGHAMSHIRE-Q1'."""
    return f"{prefix}-{year_code(year)}-{code_of(member)}-{tag}"


def year_code(year: str) -> str:
    """'2013/14' -> '1314'."""
    digits = re.sub(r"\D", "", year)
    return digits[2:] if len(digits) == 6 else digits or "YEAR"  # noqa: PLR2004 - 2013/14 -> 1314


def split(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` in ``count`` parts a penny apart at most, the earliest the larger."""
    parts = allocate(amount, {f"{k:02d}": 1 for k in range(1, count + 1)})  # ties go by name: 01 first
    return [parts[f"{k:02d}"] for k in range(1, count + 1)]


def revised(result: Apportionment, invoicing: Invoicing, invoiced: Sequence[Instalment], on: date) -> tuple[Instalment, ...]:
    """The instalments when the contributions change from ``on``: those due before it stay as
    ``invoiced``; the ones due from it share what is left to invoice (the new net cash
    payable less what was invoiced) by the same rule, a credit note where the change is more
    than was left. Where none fall due from ``on``, one adjustment (label ADJ) falls due on it."""
    budget = result.budget
    prefix = invoicing.prefix or prefix_of(budget.collaboration)
    members = memberships(budget)
    out: list[Instalment] = []
    for total in result.member_totals:
        before = [i for i in invoiced if i.member == total.member and i.due < on]
        rest = total.cash_amount - sum((i.amount for i in before), ZERO)
        schedule = invoicing.of(total.member)
        membership = members.get(total.member, Membership())
        later = [(n, due) for n, due in member_dates(total.member, invoicing, budget.year, membership) if due >= on]
        out += before
        if not rest and not later:
            continue
        if not later:
            out.append(
                Instalment(total.member, len(before) + 1, "ADJ", on, rest, reference(prefix, budget.year, total.member, "ADJ"))
            )
            continue
        for (number, due), amount in zip(later, split(rest, len(later)), strict=True):
            tag = label(schedule, number)
            out.append(Instalment(total.member, number, tag, due, amount, reference(prefix, budget.year, total.member, tag)))
    return tuple(i for i in out if i.amount or i.due < on)
