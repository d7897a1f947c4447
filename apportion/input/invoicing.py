"""Where ``invoicing:`` becomes the model: how many instalments, in advance or in arrears,
the first due date, the references' prefix, and members' own schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from apportion.input.description import INVOICING, SCHEDULE
from apportion.input.reader import Reader
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model.invoicing import COUNTS, Invoicing, Schedule, Timing, add_months, year_start

NAMED_COUNTS = {"yearly": 1, "half-yearly": 2, "quarterly": 4, "monthly": 12}


def read_invoicing(reader: Reader, value: Any, path: Path_, year: str) -> Invoicing | None:
    """invoicing: {instalments, timing, first_due, reference_prefix, members: {member: schedule}}."""
    spec = reader.mapping(value, path, INVOICING.names, "how the members are invoiced")
    if spec is None:
        return None
    schedule = read_schedule(reader, spec, path, year, Schedule())
    members: dict[str, Schedule] = {}
    own = reader.named(spec["members"], (*path, "members"), "members' own schedules") if "members" in spec else {}
    for name, body in (own or {}).items():
        where = (*path, "members", name)
        member = reader.member_name(name, where, "a schedule of its own is for")
        detail = reader.mapping(body, where, SCHEDULE.names, "the member's own schedule")
        if member and detail is not None:
            # a member's schedule starts from the collaboration's and changes what it gives
            base = schedule or Schedule()
            start = base._replace(first_due=None) if "instalments" in detail or "timing" in detail else base
            mine = read_schedule(reader, detail, where, year, start)
            if mine is not None:
                members[member] = mine
    prefix = reader.optional_text(spec, "reference_prefix", path, "what every invoice reference begins with")
    if schedule is None:
        return None
    return Invoicing(schedule, members, prefix or "")


def read_schedule(reader: Reader, spec: dict[str, Any], path: Path_, year: str, start: Schedule) -> Schedule | None:
    if "due" in spec:
        return read_due(reader, spec, path, start)
    count = read_count(reader, spec["instalments"], (*path, "instalments")) if "instalments" in spec else start.instalments
    timing = start.timing
    if "timing" in spec:
        chosen = reader.choice(spec["timing"], (*path, "timing"), [timing.value for timing in Timing])
        timing = Timing(chosen) if chosen else timing
    first = read_first_due(reader, spec["first_due"], (*path, "first_due"), year, count) if "first_due" in spec else None
    if count is None or ("first_due" in spec and first is None):
        return None
    return Schedule(count, timing, first or start.first_due)


def read_due(reader: Reader, spec: dict[str, Any], path: Path_, start: Schedule) -> Schedule | None:
    """due: the dates, one by one, in the year and in order; instead of instalments: and first_due:."""
    value = spec["due"]
    if "instalments" in spec or "first_due" in spec:
        reader.problem(path, "give the due dates one by one under due:, or instalments: (and first_due:), not both")
        return None
    if not isinstance(value, list) or not value:
        reader.problem((*path, "due"), f"expected a list of due dates such as [2018-04-15, 2018-07-15], found {describe(value)}")
        return None
    count = reader.count()
    days = [reader.day(raw, (*path, "due", index)) for index, raw in enumerate(value)]
    for index, day in enumerate(days):
        if day is not None:
            reader.in_year(day, (*path, "due", index))
    given = [day for day in days if day is not None]
    if given != sorted(set(given)):
        reader.problem((*path, "due"), "give the due dates in order, each once")
    if reader.count() > count:
        return None
    return start._replace(instalments=len(given), first_due=None, due=tuple(given))


def read_count(reader: Reader, value: Any, path: Path_) -> int | None:
    if isinstance(value, str) and value in NAMED_COUNTS:
        return NAMED_COUNTS[value]
    if isinstance(value, Decimal | int) and not isinstance(value, bool) and value in COUNTS:
        return int(value)
    named = ", ".join(NAMED_COUNTS)
    reader.problem(path, f"{describe(value)} is not a number of instalments; give {named}, or 1, 2, 3, 4, 6 or 12 in the year")
    return None


def read_first_due(reader: Reader, value: Any, path: Path_, year: str, count: int | None) -> date | None:
    """The first due date, in the financial year, leaving room for the others in it too."""
    try:
        first = date.fromisoformat(str(value))
    except ValueError:
        reader.problem(path, f"{describe(value)} is not a date; write it as 2013-04-15")
        return None
    start = year_start(year)
    end = date(start.year + 1, 3, 31)
    if not start <= first <= end:
        reader.problem(
            path, f"{long_date(first)} is outside the financial year {long_date(start)} to {long_date(end)}; give a date in it"
        )
        return None
    if count:
        last = add_months(first, (count - 1) * (12 // count))
        if last > end:
            reader.problem(
                path,
                f"the last of {count} instalments from {long_date(first)} would fall due on {long_date(last)}, after the "
                f"year ends on {long_date(end)}; give an earlier first_due",
            )
            return None
    return first


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
