"""Each member's net cash payable as the instalments it is invoiced in.

A member's annual net cash payable N is split into n instalments (n = 1, 2, 3, 4, 6 or 12)
of N / n each, rounded by largest remainder: every instalment is N / n rounded down to the
penny, and the pence left over go one each to the earliest instalments. So the
instalments add up to N exactly, and differ by a penny at most. A credit (N below nil) is
split the same way, as credit notes.

Due dates are evenly spaced through the financial year (1 April to 31 March), 12 / n
months apart: in advance, on the first day of each period; in arrears, on its last day;
or from a first due date the file gives, on the same day of each later period (the last
day of a shorter month). References are made from the collaboration, the year, the member
and the instalment, so a rerun of the same budget gives the same references. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from apportion.model import Apportionment
from apportion.model.invoicing import Instalment, Invoicing, Schedule, Timing, add_months, year_start
from apportion.model.money import ZERO, allocate

COUNTS = (1, 2, 3, 4, 6, 12)
LABELS = {1: "Y", 2: "H", 4: "Q", 12: "M"}


def due_dates(schedule: Schedule, year: str) -> list[date]:
    """When each instalment of the year is due."""
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


def instalments(result: Apportionment, invoicing: Invoicing) -> tuple[Instalment, ...]:
    """Every member's instalments, member by member in the budget's order, then by due date."""
    budget = result.budget
    prefix = invoicing.prefix or prefix_of(budget.collaboration)
    out: list[Instalment] = []
    for total in result.member_totals:
        if not total.cash_amount:
            continue
        schedule = invoicing.of(total.member)
        parts = split(total.cash_amount, schedule.instalments)
        for number, (due, amount) in enumerate(zip(due_dates(schedule, budget.year), parts, strict=True), start=1):
            tag = label(schedule, number)
            out.append(Instalment(total.member, number, tag, due, amount, reference(prefix, budget.year, total.member, tag)))
    return tuple(out)


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
    out: list[Instalment] = []
    for total in result.member_totals:
        before = [i for i in invoiced if i.member == total.member and i.due < on]
        rest = total.cash_amount - sum((i.amount for i in before), ZERO)
        schedule = invoicing.of(total.member)
        later = [(n, due) for n, due in enumerate(due_dates(schedule, budget.year), start=1) if due >= on]
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
