"""Where support units become the model: a unit's ``support:``, the ``unit_bases:`` it
may name, and the checks that need every unit read first (the units each serves exist,
the stages agree with the charges, every support unit's cost reaches a unit with members).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any, NamedTuple

from apportion.input.bases import check_weight, weights_add_up
from apportion.input.description import SUPPORT, UNIT_BASIS
from apportion.input.reader import Reader
from apportion.input.values import did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import BasisKind, Support, SupportDriver, SupportMethod, Unit, UnitRole

GIVEN = ("by", "shares", "drivers", "basis")
MAX_RESTS = 100_000  # a row each on the Support in units sheet: a support unit, a unit with members its cost reaches
DRIVERS = {"pay": SupportDriver.PAY, "gross_cost": SupportDriver.GROSS_COST, "headcount": SupportDriver.HEADCOUNT,
           "equal": SupportDriver.EQUAL}  # fmt: skip
# What a support unit may not hold: it has no members of its own.
NOT_FOR_SUPPORT = ("participants", "basis", "in_kind", "activity", "lead", "levy_rate", "levy_base", "levy_includes_support")


class UnitBasis(NamedTuple):
    """A basis of values by unit (``unit_bases:``), for a support unit to name."""

    driver: SupportDriver  # SHARES or DRIVERS
    weights: dict[str, Decimal]
    path: Path_


def read_unit_bases(reader: Reader, value: Any) -> dict[str, UnitBasis]:
    """unit_bases: name: {shares: | drivers: by unit code}; the codes are checked once the units are read."""
    found = {}
    for name, raw in (reader.named(value, ("unit_bases",), "named bases of values by unit") or {}).items():
        path = ("unit_bases", name)
        spec = reader.mapping(raw, path, UNIT_BASIS.names, "a basis of values by unit")
        if spec is None:
            continue
        given = [key for key in ("shares", "drivers") if key in spec]
        if len(given) != 1:
            reader.problem(path, "give exactly one of shares: (percentages by unit) or drivers: (values by unit)")
            continue
        weights = read_unit_weights(reader, spec[given[0]], (*path, given[0]), BasisKind(given[0]))
        if weights is not None:
            found[name] = UnitBasis(SupportDriver(given[0]), weights, path)
    return found


def read_unit_weights(reader: Reader, value: Any, path: Path_, kind: BasisKind) -> dict[str, Decimal] | None:
    """unit code: percentage or value."""
    table = reader.named(value, path, "values by unit code")
    if table is None:
        return None
    weights = {}
    for code, raw in table.items():
        weight = reader.checked(check_weight(kind, raw, None), (*path, code))
        if weight is None:
            return None
        weights[str(code)] = weight
    return weights if weights_add_up(reader, weights, path, kind) else None


def read_support(reader: Reader, value: Any, path: Path_, unit_bases: Mapping[str, UnitBasis]) -> Support | None:
    """support: by: pay (and units:), shares: or drivers: by unit, or basis: a unit basis; stage:."""
    spec = reader.mapping(value, path, SUPPORT.names, "how the unit's cost is charged to the units it serves")
    if spec is None:
        return None
    given = [key for key in GIVEN if key in spec]
    if len(given) != 1:
        reader.problem(
            path,
            "give exactly one of by: (pay, gross_cost, headcount or equal), shares: or drivers: by unit, "
            "or basis: naming one of unit_bases:",
        )
        return None
    stage = read_stage(reader, spec["stage"], (*path, "stage")) if "stage" in spec else None
    if "units" in spec and given[0] != "by":
        reader.problem((*path, "units"), f"the units it serves are the ones its {given[0]}: name; remove units:")
        return None
    if given[0] == "by":
        driver = reader.choice(spec["by"], (*path, "by"), DRIVERS)
        serves = read_codes(reader, spec["units"], (*path, "units")) if "units" in spec else ()
        return Support(DRIVERS[driver], serves, stage=stage) if driver and serves is not None else None
    if given[0] == "basis":
        name = spec["basis"]
        if name not in unit_bases:
            known = list(unit_bases)
            listed = ", ".join(known) if known else "none (the file has no unit_bases:)"
            hint = did_you_mean(str(name), known)
            reader.problem((*path, "basis"), f"{name!r} is not one of unit_bases:{hint}; they are: {listed}")
            return None
        named = unit_bases[name]
        return Support(named.driver, tuple(named.weights), named.weights, stage, str(name))
    weights = read_unit_weights(reader, spec[given[0]], (*path, given[0]), BasisKind(given[0]))
    return Support(SupportDriver(given[0]), tuple(weights), weights, stage) if weights is not None else None


def read_stage(reader: Reader, value: Any, path: Path_) -> int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value() and value >= 1:
        return int(value)
    reader.problem(path, f"{value!r} is not a stage; give a whole number, 1 for the first charged out")
    return None


def read_codes(reader: Reader, value: Any, path: Path_) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
        reader.problem(path, "expected a list of unit codes, such as [EMSOU-SOC, EMSOU-MC]")
        return None
    return tuple(value)


def check_support(
    reader: Reader, units: list[Unit], paths: Mapping[str, Path_], method: SupportMethod, unread: AbstractSet[str] = frozenset()
) -> list[Unit]:
    """The units each support unit serves (every unit with members where it names none),
    checked against the units read (``unread``: units with problems of their own, already
    told); then the stages against the charges, and that every support unit's cost
    reaches a unit with members."""
    support = [unit for unit in units if unit.role is UnitRole.SUPPORT]
    if not support or unread:  # with a unit unread, the charges among them cannot be told apart from its problems
        return units
    count = reader.count()
    by_code = {unit.code: unit for unit in units}
    service = tuple(u.code for u in units if u.role is UnitRole.SERVICE)
    resolved = {}
    for given in support:
        assert given.support is not None  # noqa: S101 - a support unit has its support
        listed = bool(given.support.serves) and not given.support.weights  # by: with units:
        serves = given.support.serves or service
        unit = given._replace(support=given.support._replace(serves=serves))
        check_served(reader, unit, by_code, (*paths[unit.code], "support"), listed=listed)
        resolved[unit.code] = unit
    if reader.count() == count:
        check_stages(reader, list(resolved.values()), paths, method)
    if reader.count() == count:
        check_reaches_members(reader, list(resolved.values()), paths)
    if reader.count() == count:
        check_rests(reader, list(resolved.values()))
    return [resolved.get(unit.code, unit) for unit in units]


def check_rests(reader: Reader, support: Sequence[Unit]) -> None:
    """Where the support units' costs come to rest, a row each of the Support in units sheet
    (each support unit, each unit with members its cost reaches, through others too),
    within what apportion handles: counted in the order they are charged out, last first,
    and given up as soon as there are too many."""
    serves = {unit.code: unit.support.serves if unit.support else () for unit in support}
    order = sorted(support, key=lambda unit: (unit.support.stage or 0) if unit.support else 0)
    reach: dict[str, set[str]] = {code: set() for code in serves}
    rests = 0
    changed = True
    while changed:  # once under step-down; again while reciprocal charges go round a circle
        changed = False
        for unit in reversed(order):
            found = reach[unit.code]
            before = len(found)
            for code in serves[unit.code]:
                found.update(reach[code] if code in reach else (code,))
            changed = changed or len(found) != before
            rests += len(found) - before
            if rests > MAX_RESTS:
                reader.problem(
                    ("units",),
                    f"the support units' costs come to rest in units with members more than {MAX_RESTS:,} times (each "
                    "support unit in each unit its cost reaches, through the support units it is charged to as well), "
                    "more than apportion handles; charge each to fewer units, or fewer support units one to the next",
                )
                return


def check_served(reader: Reader, unit: Unit, by_code: Mapping[str, Unit], where: Path_, *, listed: bool) -> None:
    """Each unit a support unit serves exists, is not itself, has spending, and has what the
    driver measures; the driver has something to share by."""
    assert unit.support is not None  # noqa: S101 - a support unit has its support
    support, count = unit.support, reader.count()
    for index, code in enumerate(support.serves):
        at = (*where, "units", index) if listed else where
        if code not in by_code:
            codes = list(by_code)
            reader.problem(at, f"{code!r} is not a unit{did_you_mean(code, codes)}; units are: {', '.join(codes)}")
        elif code == unit.code:
            reader.problem(at, f"{unit.code} serves itself; a support unit's cost goes to the other units it serves")
        elif not by_code[code].lines:
            reader.problem(at, f"{code} has no spending of its own for {unit.code}'s cost to be added to")
        elif support.driver is SupportDriver.HEADCOUNT and by_code[code].headcount is None:
            reader.problem(at, f"{unit.code} is shared by headcount, but {code} has none; give {code} a headcount:")
    if reader.count() == count and not any(driver_of(support, by_code[code]) for code in support.serves):
        measure = support.driver.value.replace("_", " ")
        reader.problem(where, f"{unit.code} is shared by {measure}, but the units it serves have none to share it by")


def driver_of(support: Support, served: Unit) -> Decimal:
    """What a support unit's driver measures of a unit it serves (as the rules measure it)."""
    if support.driver is SupportDriver.PAY:
        return served.pay_amount
    if support.driver is SupportDriver.GROSS_COST:
        return served.gross_amount
    if support.driver is SupportDriver.HEADCOUNT:
        return served.headcount or Decimal(0)
    if support.driver is SupportDriver.EQUAL:
        return Decimal(1)
    return support.weights.get(served.code, Decimal(0))


def check_stages(reader: Reader, support: Sequence[Unit], paths: Mapping[str, Path_], method: SupportMethod) -> None:
    """Stages for every support unit or none; under step-down, no unit charged back to one
    charged out before it."""
    staged = {unit.code for unit in support if unit.support and unit.support.stage is not None}
    if staged and len(staged) != len(support):
        missing = [unit.code for unit in support if unit.code not in staged]
        reader.problem((*paths[missing[0]], "support"), f"give {', '.join(missing)} a stage: too, or no support unit one")
        return
    if method is not SupportMethod.STEP_DOWN:
        return
    order = sorted(support, key=lambda unit: (unit.support.stage or 0) if unit.support else 0)
    position = {unit.code: index for index, unit in enumerate(order)}
    for unit in order:
        assert unit.support is not None  # noqa: S101
        for code in unit.support.serves:
            if code in position and position[code] < position[unit.code]:
                when = (
                    f"at stage {unit.support.stage}, after {code} (stage {order[position[code]].support.stage})"  # type: ignore[union-attr]
                    if unit.support.stage is not None
                    else f"after {code}, which is listed before it"
                )
                reader.problem(
                    (*paths[unit.code], "support"),
                    f"{unit.code} is charged out {when}: under step-down a unit charged out is not charged back to; "
                    f"take {code} out of the units {unit.code} serves, charge {unit.code} out first, "
                    "or set support_method: reciprocal",
                )


def check_reaches_members(reader: Reader, support: Sequence[Unit], paths: Mapping[str, Path_]) -> None:
    """Every support unit's cost must reach, through some chain of charges, a unit with members.

    Searched back from the units with members along the charges, each followed once."""
    codes = {unit.code for unit in support}
    charged_by: dict[str, list[str]] = {}
    reaches = []
    for unit in support:
        served = unit.support.serves if unit.support else ()
        for code in served:
            charged_by.setdefault(code, []).append(unit.code)
        if any(code not in codes for code in served):
            reaches.append(unit.code)
    found = set(reaches)
    while reaches:
        for code in charged_by.get(reaches.pop(), ()):
            if code not in found:
                found.add(code)
                reaches.append(code)
    stuck = [unit.code for unit in support if unit.code not in found]
    if stuck:
        reader.problem(
            (*paths[stuck[0]], "support"),
            f"{' and '.join(stuck)} charge all of their cost to each other, so none of it reaches a unit with members: "
            "let one of them serve a unit with members",
        )
