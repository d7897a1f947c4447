"""Where a unit's ``basis:`` becomes the model: a named basis, ``equal``, one given inline,
or fixed amounts with a remainder; and the checks that every participant has a value in
it and that fixed amounts fit the net budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from apportion.input.bases import read_basis
from apportion.input.description import FIXED_BASIS, INLINE_BASIS
from apportion.input.reader import Reader
from apportion.input.values import describe, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import Basis, BasisKind, Unit
from apportion.model.money import format_gbp

EQUAL = "equal"


def read_simple_basis(reader: Reader, value: Any, path: Path_) -> Basis | None:
    """A named basis, 'equal' or one inline, without fixed amounts (an activity unit's
    balance, an income line's return)."""
    if isinstance(value, dict) and "fixed" in value:
        reader.problem((*path, "fixed"), "fixed amounts are not allowed here; give a named basis, equal, or shares: inline")
        return None
    basis, _ = read_unit_basis(reader, value, path, str(path[-1]))
    return basis


def read_unit_basis(reader: Reader, value: Any, path: Path_, code: str) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis: a named basis, 'equal', inline shares/drivers, or fixed amounts + remainder.

    A basis in ``reader.broken`` was declared but has problems of its own, already reported.
    """
    if isinstance(value, str):
        return named_basis(reader, value, path), {}
    if isinstance(value, dict) and "fixed" in value:
        return read_fixed_basis(reader, value, path, code)
    if isinstance(value, dict):
        name = value.get("name", f"{code} shares")
        return read_basis(reader, str(name), value, path, INLINE_BASIS.names), {}
    reader.problem(path, f"expected a basis name, 'equal', or shares: inline, found {describe(value)}")
    return None, {}


def named_basis(reader: Reader, value: str, path: Path_) -> Basis | None:
    if value == EQUAL:
        return Basis(EQUAL, BasisKind.EQUAL, {})
    if value in reader.bases:
        return reader.bases[value]
    if value in reader.broken or reader.bases_unknown:
        return None
    known = [*reader.bases, *sorted(reader.broken), EQUAL]
    reader.problem(path, f"{value!r} is not a basis{did_you_mean(value, known)}; bases are: {', '.join(known)}")
    return None


def read_fixed_basis(reader: Reader, value: Any, path: Path_, code: str) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis: {fixed: {member: amount}, remainder: basis}."""
    spec = reader.mapping(value, path, FIXED_BASIS.names, "fixed amounts with a remainder basis")
    if spec is None:
        return None, {}
    fixed: dict[str, Decimal] = {}
    for member, raw in (reader.named(spec["fixed"], (*path, "fixed"), "amounts by member") or {}).items():
        name = reader.member_name(member, (*path, "fixed", member), "a member paying a fixed amount")
        amount = reader.money(raw, (*path, "fixed", member))
        if name is not None and amount is not None:
            fixed[name] = amount
    if "remainder" not in spec:
        reader.problem(path, "fixed amounts need a remainder: basis for the rest of the cost, such as remainder: funding_formula")
        return None, fixed
    remainder, nested = read_unit_basis(reader, spec["remainder"], (*path, "remainder"), code)
    if nested:
        reader.problem((*path, "remainder"), "the remainder basis cannot itself have fixed amounts")
    return remainder, fixed


def check_basis_covers(
    reader: Reader, path: Path_, basis: Basis, fixed: Mapping[str, Decimal], participants: tuple[str, ...],
    *, key: Path_ = ("basis",),
) -> None:  # fmt: skip
    """Every participant not paying a fixed amount needs a weight; the weights need a total.
    ``key`` is where the basis is given under the unit (an activity unit's balance: basis)."""
    for member in fixed:
        if member not in participants:
            reader.problem(
                (*path, "basis", "fixed", member),
                f"{member!r} pays a fixed amount but does not take part; add it to participants:",
            )
    shared = [m for m in participants if m not in fixed]
    where = (*path, *key)
    parts = [part for part, _ in basis.parts] if basis.kind is BasisKind.COMPOSITE else [basis]
    for part in parts:
        if part.kind is BasisKind.EQUAL:
            continue
        of = f" (which {basis.name!r} blends)" if part is not basis else ""
        missing = [m for m in shared if m not in part.weights]
        if missing:
            reader.problem(
                where,
                f"basis {part.name!r}{of} has no value for {', '.join(missing)}, who take{'s' if len(missing) == 1 else ''} "
                "part; add a value to the basis or list the unit's participants:",
            )
        elif shared and sum((part.weights[m] for m in shared), Decimal(0)) == 0:
            reader.problem(where, f"basis {part.name!r}{of} gives every participant 0; no one would pay")


def check_fixed_amounts(reader: Reader, path: Path_, unit: Unit) -> None:
    """Fixed amounts must fit inside a positive net budget, and fill it if no one else pays."""
    if not unit.fixed_amounts:
        return
    fixed_total = sum(unit.fixed_amounts.values(), Decimal(0))
    net = unit.net_amount
    where = (*path, "basis", "fixed")
    if net <= 0:
        reader.problem(where, f"fixed amounts need a positive net budget; this unit's is {format_gbp(net)}")
    elif fixed_total > net:
        reader.problem(
            where, f"fixed amounts total {format_gbp(fixed_total)}, more than the unit's net budget of {format_gbp(net)}"
        )
    elif fixed_total != net and all(m in unit.fixed_amounts for m in unit.participants):
        reader.problem(
            where,
            f"every participant pays a fixed amount, but they total {format_gbp(fixed_total)}"
            f" against a net budget of {format_gbp(net)}",
        )


def check_new_values(reader: Reader, where: Path_, what: str, bases: Mapping[str, Basis], units: Sequence[Unit]) -> None:
    """Each basis in ``bases`` (a plan year's, a scenario's new values) gives a value to every
    participant of each unit shared by it, itself or blended in a composite, and not 0 to
    them all. ``what``: 'in 2025/26 (shares-2025.yaml), basis' or 'with these values, basis'."""
    for unit in units:
        shared = [m for m in unit.participants if m not in unit.fixed_amounts]
        for name in names_used(unit) if shared else ():
            new = bases.get(name)
            if new is None or new.kind is BasisKind.EQUAL:
                continue
            missing = [m for m in shared if m not in new.weights]
            if missing:
                takes = "takes" if len(missing) == 1 else "take"
                reader.problem(
                    where,
                    f"{what} {name!r} has no value for {', '.join(missing)}, who {takes} part in {unit.code}; give each one",
                )
            elif not any(new.weights[m] for m in shared):
                reader.problem(where, f"{what} {name!r} gives every participant of {unit.code} 0; no one would pay")


def names_used(unit: Unit) -> list[str]:
    """The name of every basis a unit is shared by: its own, its activity's balance, its
    income's, and those any of them blends."""
    used = (unit.basis, *((unit.activity.balance,) if unit.activity else ()), *(i.basis for i in unit.income if i.basis))
    return list(dict.fromkeys(part.name for basis in used if basis for part in (basis, *(p for p, _ in basis.parts))))
