"""Where a leaving member's ``exit:`` becomes the model: the terms it leaves the
collaboration on (settled by :mod:`apportion.rules.exits`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from apportion.input.budget_lines import read_amounts
from apportion.input.description import EXIT, EXIT_COSTS
from apportion.input.reader import Reader, long_date
from apportion.input.yaml_file import Path_
from apportion.input.year_end import read_holding
from apportion.model import MembershipChange, Unit
from apportion.model.budget import ExitTerms, Leaver, YearEnd


def read_exit(
    reader: Reader, value: Any, where: Path_, change: MembershipChange, units: Sequence[Unit], *, year_end: YearEnd | None
) -> ExitTerms | None:
    """exit: {notice_given, costs, reserves, assets, liabilities, shares, payments}, for a
    member that leaves every unit it takes part in."""
    path = (*where, "exit")
    spec = reader.mapping(value, path, EXIT.names, "the terms the member leaves on")
    if spec is None:
        return None
    count = reader.count()
    if change.joins:
        reader.problem(
            path,
            f"{change.member} joins, and exit: terms are for a member that leaves the collaboration; remove them, "
            "or give leaves: instead of joins:",
        )
        return None
    theirs = [unit.code for unit in units if change.member in unit.participants]
    staying = [code for code in theirs if code not in change.units]
    if staying:
        reader.problem(
            path,
            f"{change.member} leaves {', '.join(change.units)} but stays in {', '.join(staying)}, so it does not leave the "
            "collaboration; exit: terms are for a member that leaves every unit it takes part in",
        )
        return None
    notice = reader.day(spec["notice_given"], (*path, "notice_given")) if "notice_given" in spec else None
    if notice is not None and notice > change.on:
        reader.problem(
            (*path, "notice_given"), f"notice given on {long_date(notice)} is after it leaves on {long_date(change.on)}"
        )
    amount, named, share = read_costs(reader, spec.get("costs"), (*path, "costs")) if "costs" in spec else (None, {}, None)
    reserves = reader.choice(spec["reserves"], (*path, "reserves"), Leaver) if "reserves" in spec else None
    if reserves == Leaver.TAKES_IT and (year_end is None or year_end.reserves_opening is None):
        reader.problem(
            (*path, "reserves"), "there are no reserves to take a share of; give the opening reserves under year_end: reserves:"
        )
    assets = dict(read_amounts(reader, spec.get("assets"), (*path, "assets")))
    liabilities = dict(read_amounts(reader, spec.get("liabilities"), (*path, "liabilities")))
    held = year_end.shares if year_end is not None else None
    shares = read_holding(reader, spec.get("shares", held), (*path, "shares"), units)
    payments = read_payments(reader, spec.get("payments"), (*path, "payments"), change.on) if "payments" in spec else ()
    if reader.count() > count:
        return None
    return ExitTerms(change.member, change.on, notice, amount, named, share, Leaver(reserves) if reserves else None,
                     assets, liabilities, shares, payments)  # fmt: skip


def read_costs(reader: Reader, value: Any, path: Path_) -> tuple[Decimal | None, dict[str, Decimal], Decimal | None]:
    """costs: an amount, or {of: {name: amount}, share: 31%}."""
    if not isinstance(value, dict):
        return reader.money(value, path), {}, None
    spec = reader.mapping(value, path, EXIT_COSTS.names, "the exit costs: of: and share:")
    if spec is None:
        return None, {}, None
    if "of" not in spec:
        reader.problem(path, "give of: the named exit costs (name: amount), and share: the part the leaver pays")
    named = dict(read_amounts(reader, spec.get("of"), (*path, "of")))
    share = reader.percent(spec["share"], (*path, "share")) if "share" in spec else None
    return None, named, share


def read_payments(reader: Reader, value: Any, path: Path_, leaves: date) -> tuple[date, ...]:
    """payments: the dates the settlement is paid on, in order, from the year's start on."""
    if not isinstance(value, list) or not value:
        reader.problem(path, "expected a list of the dates the settlement is paid on, such as [2018-10-01, 2019-10-01]")
        return ()
    days = [reader.day(raw, (*path, index)) for index, raw in enumerate(value)]
    given = [day for day in days if day is not None]
    if given != sorted(set(given)):
        reader.problem(path, "give the payment dates in order, each once")
    for index, day in enumerate(days):
        if day is not None and day < leaves:
            reader.in_year(day, (*path, index), "the settlement is paid in the year or after it")
    return tuple(given) if len(given) == len(days) else ()
