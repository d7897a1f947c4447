"""Income with a split of its own: each such line becomes a unit of its own, of returned
income, so that it is split like any unit and every output shows it as a line of its own.

An income line that names a basis (or a member) is not netted off the unit's cost; it is
returned to the unit's participants by that basis, re-normalised over them, by largest
remainder (or to the one member). The unit of returned income is coded ``UNIT INCOME``
("CMPG POCA receipts"), its net cost is minus the income, and each participant's part is
negative: cash it receives. A unit with no spending of its own (a pot of receipts only) is
left out once its income is returned. Pure: no I/O.
"""

from collections.abc import Iterator
from decimal import Decimal

from apportion.model import Basis, BasisKind, Unit, UnitRole


def split_returned_income(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """Every unit, then a unit of returned income after it for each such line it has."""
    return tuple(part for unit in units for part in parts_of(unit))


def parts_of(unit: Unit) -> Iterator[Unit]:
    returned = [line for line in unit.income if line.is_returned]
    if not returned:
        yield unit
        return
    pooled = tuple(line for line in unit.income if not line.is_returned)
    if unit.lines or pooled or unit.in_kind:
        yield unit._replace(income=pooled)
    for line in returned:
        if line.member is not None:
            basis = Basis(line.member, BasisKind.SHARES, {line.member: Decimal(100)}, description=f"to {line.member} alone")
            participants: tuple[str, ...] = (line.member,)
        else:
            assert line.basis is not None  # noqa: S101 - a returned line has a basis or a member
            basis, participants = line.basis, unit.participants
            if basis.kind is BasisKind.EQUAL:
                basis = basis._replace(weights=dict.fromkeys(participants, Decimal(1)))
        yield Unit(
            code=f"{unit.code} {line.name}",
            name=f"{unit.name}: {line.name}, returned",
            participants=participants,
            basis=basis,
            lines=(),
            income=(line._replace(basis=None, member=None),),
            place=unit.place,
            role=UnitRole.RETURNED_INCOME,
            origin=unit.origin or unit.code,
            period=unit.period,  # a period's income is returned among those in it then
        )
