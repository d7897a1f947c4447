"""Support units: a net cost charged to the units a support unit serves, and through them
to their members.

A support unit (regional business support, the host's HR and finance for the
collaboration, a shared ICT service) has no members of its own. Its cost is shared among
the units it serves by a driver: their pay, their spending, their headcount, equal parts,
or percentages or values by unit. With ``a[s][u]`` the part of s's total cost charged to
u, and ``own[s]`` its own net cost (spending less income):

* **Step-down** charges the support units out one by one, in order of stage: each takes
  what earlier ones charged it, ``T[s] = own[s] + sum over earlier t of a[t][s] T[t]``,
  and charges all of it to the units it serves that have not been charged out already
  (its driver re-normalised over them). A unit charged out is never charged back to.
* **Reciprocal** charges every support unit to every unit it serves at once:
  ``T[s] = own[s] + sum over all t of a[t][s] T[t]``, simultaneous equations solved
  exactly over fractions (Gauss-Jordan elimination), not by iterating to a tolerance.
  They have a solution exactly when every support unit's cost reaches, through some chain
  of charges, a unit with members; a set of units that charge all their cost to each
  other has none, and is named.

Either way, ``ends[s][o]`` is the part of s's own cost that comes to rest at the unit with
members o (the parts add up to 1). Nothing is rounded here: a member's part of a support
unit is ``own[s] x sum over o of ends[s][o] x its share of o``, rounded once, by largest
remainder, in :mod:`apportion.rules.split`, so no penny is lost or made between
stages. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from apportion.model import Support, SupportDriver, SupportMethod, Unit, UnitRole
from apportion.model.messages import ApportionError
from apportion.model.money import to_fraction
from apportion.model.results import SupportFlows

DIVIDED_BY_LINES = (SupportDriver.PAY, SupportDriver.GROSS_COST)  # a period's own lines measure these


class SupportError(ApportionError):
    """Support charges that cannot be worked out: costs that never reach a unit with members."""


def charge_order(units: Sequence[Unit]) -> list[Unit]:
    """The support units in the order step-down charges them out: by stage, then as listed."""
    support = [unit for unit in units if unit.role is UnitRole.SUPPORT]
    return sorted(support, key=lambda unit: (unit.support.stage or 0) if unit.support else 0)


def driver_value(support: Support, served: Unit) -> Fraction:
    """What the support unit's driver measures of one unit it serves."""
    driver = support.driver
    if driver is SupportDriver.PAY:
        return to_fraction(served.pay_amount)
    if driver is SupportDriver.GROSS_COST:
        return to_fraction(served.gross_amount)
    if driver is SupportDriver.HEADCOUNT:
        return to_fraction(served.headcount or Decimal(0))
    if driver is SupportDriver.EQUAL:
        return Fraction(1)
    return to_fraction(support.weights.get(served.origin or served.code, Decimal(0)))


def charge_fractions(
    unit: Unit, by_code: Mapping[str, list[Unit]], closed: set[str]
) -> tuple[dict[str, Fraction], tuple[str, ...], dict[str, Fraction]]:
    """The parts of a support unit's cost each unit it serves takes, its driver
    re-normalised over those not ``closed``; the ones left out because they were; and the
    driver's value for each. A
    served unit split into periods (a member joining or leaving) is served in its periods,
    its driver value divided between them by their spending (their pay, for a driver of pay)."""
    assert unit.support is not None  # noqa: S101 - only support units are charged out
    open_units = [code for code in unit.support.serves if code not in closed and code in by_code]
    values = {}
    for code in open_units:
        parts = by_code[code]
        if len(parts) == 1:
            values[parts[0].code] = driver_value(unit.support, parts[0])
            continue
        whole = driver_value(unit.support, parts[0]._replace(lines=tuple(line for p in parts for line in p.lines)))
        spending = sum((to_fraction(p.gross_amount) for p in parts), Fraction(0))
        for part in parts:
            own = driver_value(unit.support, part) if unit.support.driver in DIVIDED_BY_LINES else None
            values[part.code] = own if own is not None else whole * to_fraction(part.gross_amount) / spending
    total = sum(values.values(), Fraction(0))
    if total == 0:
        raise SupportError(
            f"{unit.code}: the units it is charged to ({', '.join(open_units) or 'none'}) have no "
            f"{unit.support.driver.value.replace('_', ' ')} to share its cost by"
        )
    dropped = tuple(code for code in unit.support.serves if code in closed)
    return {code: value / total for code, value in values.items() if value}, dropped, {c: v for c, v in values.items() if v}


def support_flows(units: Sequence[Unit], method: SupportMethod) -> SupportFlows | None:
    """How every support unit's cost is charged out, or None where there are none."""
    order = charge_order(units)
    if not order:
        return None
    by_code: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.role is not UnitRole.RETURNED_INCOME:
            by_code.setdefault(unit.origin or unit.code, []).append(unit)
    own = {unit.code: unit.net_amount for unit in order}
    support_codes = [unit.code for unit in order]
    fractions: dict[str, dict[str, Fraction]] = {}
    dropped: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, Fraction]] = {}
    closed: set[str] = set()
    for unit in order:
        shut = closed | {unit.code} if method is SupportMethod.STEP_DOWN else {unit.code}
        fractions[unit.code], dropped[unit.code], values[unit.code] = charge_fractions(unit, by_code, shut)
        closed.add(unit.code)
    check_reaches_members(support_codes, fractions)
    totals = solve_totals(support_codes, own, fractions)
    charges = {s: {u: part * totals[s] for u, part in fractions[s].items()} for s in support_codes}
    ends = solve_ends(support_codes, fractions)
    kept = {s: d for s, d in dropped.items() if d}
    return SupportFlows(method, tuple(support_codes), own, fractions, totals, charges, ends, kept, values)


def check_reaches_members(support: Sequence[str], fractions: Mapping[str, Mapping[str, Fraction]]) -> None:
    """Every support unit's cost must reach a unit with members; name those whose never does."""
    reaches = {s for s in support if any(u not in fractions for u in fractions[s])}
    changed = True
    while changed:
        changed = False
        for s in support:
            if s not in reaches and any(u in reaches for u in fractions[s]):
                reaches.add(s)
                changed = True
    stuck = [s for s in support if s not in reaches]
    if stuck:
        raise SupportError(
            f"{' and '.join(stuck)} charge all of their cost to each other, so none of it reaches a unit with "
            "members: let one of them serve a unit with members"
        )


def solve_totals(
    support: Sequence[str], own: Mapping[str, Decimal], fractions: Mapping[str, Mapping[str, Fraction]]
) -> dict[str, Fraction]:
    """``T[s] - sum over t of a[t][s] T[t] = own[s]`` for every support unit s, exactly."""
    index = {s: i for i, s in enumerate(support)}
    size = len(support)
    matrix = [[Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    for t in support:
        for s, part in fractions[t].items():
            if s in index:
                matrix[index[s]][index[t]] -= part
    right = [[to_fraction(own[s])] for s in support]
    solved = gauss_jordan(matrix, right)
    return {s: solved[index[s]][0] for s in support}


def solve_ends(support: Sequence[str], fractions: Mapping[str, Mapping[str, Fraction]]) -> dict[str, dict[str, Fraction]]:
    """``E[s][o] - sum over t of a[s][t] E[t][o] = a[s][o]``: where each support unit's own
    cost comes to rest among the units with members o."""
    index = {s: i for i, s in enumerate(support)}
    targets = list(dict.fromkeys(u for s in support for u in fractions[s] if u not in index))
    size = len(support)
    matrix = [[Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    right = [[Fraction(0)] * len(targets) for _ in range(size)]
    for s in support:
        for u, part in fractions[s].items():
            if u in index:
                matrix[index[s]][index[u]] -= part
            else:
                right[index[s]][targets.index(u)] += part
    solved = gauss_jordan(matrix, right)
    return {s: {o: solved[index[s]][j] for j, o in enumerate(targets) if solved[index[s]][j]} for s in support}


def gauss_jordan(matrix: list[list[Fraction]], right: list[list[Fraction]]) -> list[list[Fraction]]:
    """X with ``matrix x X = right``, exactly. The matrix is I - A for the charges A among
    support units, which check_reaches_members has shown to be invertible."""
    size = len(matrix)
    rows = [matrix[i][:] + right[i][:] for i in range(size)]
    for column in range(size):
        pivot = next(r for r in range(column, size) if rows[r][column] != 0)
        rows[column], rows[pivot] = rows[pivot], rows[column]
        lead = rows[column][column]
        rows[column] = [value / lead for value in rows[column]]
        for r in range(size):
            factor = rows[r][column]
            if r != column and factor:
                rows[r] = [value - factor * top for value, top in zip(rows[r], rows[column], strict=True)]
    return [row[size:] for row in rows]


def support_pay(flows: SupportFlows | None, units: Sequence[Unit], code: str) -> Fraction:
    """The pay of support units whose cost comes to rest at unit ``code``: what a levy on
    pay including support charged in adds to the unit's own pay."""
    if flows is None:
        return Fraction(0)
    by_code = {unit.code: unit for unit in units}
    return sum((to_fraction(by_code[s].pay_amount) * flows.ends[s].get(code, Fraction(0)) for s in flows.order), Fraction(0))
