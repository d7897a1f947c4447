"""Where a unit's ``in_kind:`` becomes the model: the officers each participant seconds
instead of cash, as a value or as officers x cost each."""

from __future__ import annotations

from typing import Any

from apportion.input.description import OFFICERS
from apportion.input.reader import Reader
from apportion.input.yaml_file import Path_
from apportion.model import OfficersInKind
from apportion.model.limits import MAX_MONEY, OVER_LIMIT
from apportion.model.money import format_gbp, round_penny, to_fraction


def read_in_kind(reader: Reader, value: Any, path: Path_, participants: tuple[str, ...]) -> list[OfficersInKind]:
    """in_kind: member: value, or member: {officers: n, cost_each: amount}."""
    result = []
    for member, raw in (reader.named(value, path, "in-kind values by member") or {}).items():
        where = (*path, member)
        name = reader.member_name(member, where, "a member giving officers in kind")
        if name is not None and name not in participants:
            reader.problem(where, f"{name!r} gives officers in kind but does not take part in the unit; add it to participants:")
            name = None
        oik = read_officers(reader, raw, where, name)
        if oik is not None:
            result.append(oik)
    return result


def read_officers(reader: Reader, raw: Any, where: Path_, name: str | None) -> OfficersInKind | None:
    """A value, or {officers, cost_each}: valued at officers x cost each, rounded to the penny."""
    if not isinstance(raw, dict):
        amount = reader.money(raw, where)
        return OfficersInKind(name, amount) if name and amount is not None else None
    spec = reader.mapping(raw, where, OFFICERS.names, "officers and cost each")
    if spec is None:
        return None
    officers = reader.number(spec.get("officers"), (*where, "officers"), "a number of officers")
    cost_each = reader.money(spec.get("cost_each"), (*where, "cost_each"))
    if not name or officers is None or cost_each is None:
        return None
    value = round_penny(to_fraction(officers) * to_fraction(cost_each))
    if value >= MAX_MONEY:
        reader.problem(where, f"{officers} officers x {format_gbp(cost_each)} = {format_gbp(value)}, {OVER_LIMIT}")
        return None
    return OfficersInKind(name, value, officers, cost_each)
