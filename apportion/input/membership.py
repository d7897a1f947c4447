"""Where ``membership:`` becomes the model: members joining or leaving units part-way
through the year (split into periods by :mod:`apportion.rules.periods`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from apportion.input.description import MEMBERSHIP_CHANGE
from apportion.input.exits import read_exit
from apportion.input.reader import Reader
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model import MembershipChange, Unit
from apportion.model.budget import ExitTerms, YearEnd


def read_membership(
    reader: Reader, value: Any, path: Path_, units: Sequence[Unit], year_end: YearEnd | None = None
) -> tuple[list[MembershipChange], list[ExitTerms]]:
    """membership: [{member, joins or leaves: date, units, pro_rata: days | months, exit}]."""
    changes = []
    places = []
    exits = []
    for where, spec in reader.entries(value, path, MEMBERSHIP_CHANGE.names, "membership changes", "a membership change"):
        change = read_membership_change(reader, spec, where, units)
        if change is not None:
            changes.append(change)
            places.append(where)
            terms = read_exit(reader, spec["exit"], where, change, units, year_end=year_end) if "exit" in spec else None
            if terms is not None:
                exits.append(terms)
    check_in_turn(reader, changes, places)
    return changes, exits


def check_in_turn(reader: Reader, changes: Sequence[MembershipChange], places: Sequence[Path_]) -> None:
    """A member's changes to a unit, in date order, alternate: it cannot join a unit it is
    already in from that date (having joined before), nor leave one it has already left."""
    seen: dict[tuple[str, str], MembershipChange] = {}
    for change, where in sorted(zip(changes, places, strict=True), key=lambda pair: pair[0].on):
        for code in change.units:
            before = seen.get((change.member, code))
            if before is not None and before.joins == change.joins:
                verb, other = ("joins", "leaves") if change.joins else ("leaves", "joins")
                reader.problem(
                    where,
                    f"{change.describe()}, but it {verb} {code} on {before.on.day} {before.on:%B %Y} already; give one "
                    f"date it {verb}, or the date it {other} in between",
                )
            seen[(change.member, code)] = change


def read_membership_change(reader: Reader, spec: dict[str, Any], where: Path_, units: Sequence[Unit]) -> MembershipChange | None:
    member = reader.member_name(spec.get("member"), (*where, "member"), "the member who joins or leaves")
    given = [key for key in ("joins", "leaves") if key in spec]
    if len(given) != 1:
        reader.problem(where, "give one of joins: or leaves:, with a date such as 2013-10-01")
        return None
    try:
        on = date.fromisoformat(str(spec[given[0]]))
    except ValueError:
        reader.problem((*where, given[0]), f"{describe(spec[given[0]])} is not a date; write it as 2013-10-01")
        return None
    if not reader.in_year(on, (*where, given[0])):
        return None
    pro_rata = reader.choice(spec.get("pro_rata", "days"), (*where, "pro_rata"), ("days", "months"))
    codes = [unit.code for unit in units if member in unit.participants]
    if "units" in spec:
        chosen = spec["units"] if isinstance(spec["units"], list) else [spec["units"]]
        for code in chosen:
            if code not in codes:
                reader.problem(
                    (*where, "units"), f"{member} does not take part in a unit {code!r}; its units are: {', '.join(codes)}"
                )
        codes = [str(code) for code in chosen if code in codes]
    if member and pro_rata and codes:
        return MembershipChange(member, on, given[0] == "joins", tuple(codes), pro_rata == "months")
    return None
