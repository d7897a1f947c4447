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
  exactly over fractions, not by iterating to a tolerance.
  They have a solution exactly when every support unit's cost reaches, through some chain
  of charges, a unit with members; a set of units that charge all their cost to each
  other has none, and is named. They are solved a circle at a time: the units that
  charge each other round a circle (a strongly connected group) together, by exact
  fraction-free elimination, and every other unit as step-down solves it.

Either way, ``ends[s][o]`` is the part of s's own cost that comes to rest at the unit with
members o (the parts add up to 1). Nothing is rounded here: a member's part of a support
unit is ``own[s] x sum over o of ends[s][o] x its share of o``, rounded once, by largest
remainder, in :mod:`apportion.rules.split`, so no penny is lost or made between
stages. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
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
    if not open_units:  # a step-down what-if on support units written to be charged reciprocally
        raise SupportError(
            f"{unit.code}: under step-down every unit it serves ({', '.join(unit.support.serves)}) is charged out "
            f"before it, so its cost reaches no unit with members: let {unit.code} serve a unit with members too, "
            "or charge the support units reciprocally"
        )
    if total == 0:
        raise SupportError(
            f"{unit.code}: the units it is charged to ({', '.join(open_units)}) have no "
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
    """Every support unit's cost must reach a unit with members; name those whose never does.

    Searched back from the units with members along the charges, so each charge is
    followed once (a chain of 5,000 support units takes 5,000 steps, not 5,000 passes)."""
    charged_by: dict[str, list[str]] = {}
    reaches = []
    for s in support:
        for u in fractions[s]:
            charged_by.setdefault(u, []).append(s)
        if any(u not in fractions for u in fractions[s]):
            reaches.append(s)
    found = set(reaches)
    while reaches:
        for s in charged_by.get(reaches.pop(), ()):
            if s not in found:
                found.add(s)
                reaches.append(s)
    stuck = [s for s in support if s not in found]
    if stuck:
        raise SupportError(
            f"{' and '.join(stuck)} charge all of their cost to each other, so none of it reaches a unit with "
            "members: let one of them serve a unit with members"
        )


def solve_totals(
    support: Sequence[str], own: Mapping[str, Decimal], fractions: Mapping[str, Mapping[str, Fraction]]
) -> dict[str, Fraction]:
    """``T[s] - sum over t of a[t][s] T[t] = own[s]`` for every support unit s, exactly.

    Solved a group of units that charge each other in a circle at a time, the groups in
    the order the charges run (so that what charges a group in is known before it); under
    step-down every group is one unit and each total is a sum of those charged in."""
    totals: dict[str, Fraction] = {}
    incoming: dict[str, list[tuple[str, Fraction]]] = {s: [] for s in support}
    for t in support:
        for u, part in fractions[t].items():
            if u in incoming:
                incoming[u].append((t, part))
    for group in reversed(circles(support, fractions)):  # a group's charges in come from groups solved before it
        inside = set(group)
        known = [to_fraction(own[s]) + sum((part * totals[t] for t, part in incoming[s] if t not in inside), Fraction(0))
                 for s in group]  # fmt: skip
        if len(group) == 1:
            totals[group[0]] = known[0]
            continue
        # I - A transposed within the group, each column t scaled by D[t], the lowest common
        # denominator of t's parts, so the matrix is of integers: T[t] = D[t] x U[t]
        scale = {t: lcm_of_denominators(fractions[t].values()) for t in group}
        matrix = [[int(s == t) * scale[t] - int(fractions[t].get(s, 0) * scale[t]) for t in group] for s in group]
        solved = solve_exact(matrix, [[value] for value in known])
        totals.update({t: solved[i][0] * scale[t] for i, t in enumerate(group)})
    return {s: totals[s] for s in support}


def solve_ends(support: Sequence[str], fractions: Mapping[str, Mapping[str, Fraction]]) -> dict[str, dict[str, Fraction]]:
    """``E[s][o] - sum over t of a[s][t] E[t][o] = a[s][o]``: where each support unit's own
    cost comes to rest among the units with members o; solved group by group, the groups
    charged last first (what a group charges on to is known before it)."""
    index = {s: i for i, s in enumerate(support)}
    targets = list(dict.fromkeys(u for s in support for u in fractions[s] if u not in index))
    place = {o: i for i, o in enumerate(targets)}
    ends: dict[str, dict[str, Fraction]] = {}
    for group in circles(support, fractions):
        inside = set(group)
        known: list[dict[str, Fraction]] = []
        for s in group:
            row: dict[str, Fraction] = {}
            for u, part in fractions[s].items():
                if u not in index:
                    row[u] = row.get(u, Fraction(0)) + part
                elif u not in inside:
                    for o, end in ends[u].items():
                        row[o] = row.get(o, Fraction(0)) + part * end
            known.append(row)
        if len(group) == 1:
            ends[group[0]] = known[0]
            continue
        # I - A within the group, each row s scaled by D[s] to make it of integers
        scale = {s: lcm_of_denominators(fractions[s].values()) for s in group}
        columns = list(dict.fromkeys(o for row in known for o in row))
        matrix = [[int(s == t) * scale[s] - int(fractions[s].get(t, 0) * scale[s]) for t in group] for s in group]
        right = [[row.get(o, Fraction(0)) * scale[s] for o in columns] for s, row in zip(group, known, strict=True)]
        solved = solve_exact(matrix, right)
        ends.update({s: dict(zip(columns, solved[i], strict=True)) for i, s in enumerate(group)})
    return {s: {o: ends[s][o] for o in sorted(ends[s], key=place.__getitem__) if ends[s][o]} for s in support}


def circles(support: Sequence[str], fractions: Mapping[str, Mapping[str, Fraction]]) -> list[list[str]]:
    """The support units in groups that charge each other in a circle (strongly connected
    components, by Tarjan's algorithm, without recursion), each group before every group
    that charges it: the first charges no other. Under step-down each group is one unit."""
    position = {s: i for i, s in enumerate(support)}
    number: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in support:
        if root in number:
            continue
        work = [(root, iter([u for u in fractions[root] if u in fractions]))]
        number[root] = low[root] = len(number)
        stack.append(root)
        on_stack.add(root)
        while work:
            s, charged = work[-1]
            step = next(charged, None)
            if step is not None:
                if step not in number:
                    number[step] = low[step] = len(number)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter([u for u in fractions[step] if u in fractions])))
                elif step in on_stack:
                    low[s] = min(low[s], number[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[s])
            if low[s] == number[s]:
                group = []
                while True:
                    t = stack.pop()
                    on_stack.discard(t)
                    group.append(t)
                    if t == s:
                        break
                groups.append(sorted(group, key=position.__getitem__))
    return groups


def lcm_of_denominators(parts: Iterable[Fraction]) -> int:
    return math.lcm(1, *(part.denominator for part in parts))


def solve_exact(matrix: list[list[int]], right: list[list[Fraction]]) -> list[list[Fraction]]:
    """X with ``matrix x X = right``, exactly, for a square matrix of integers that is
    invertible (I - A for charges A among support units that all reach a unit with members).

    Fraction-free (Bareiss) elimination over whole numbers, each equation multiplied through
    by its right side's lowest common denominator first: each step's entries are
    determinants of minors, divided exactly by the step before's pivot, so they grow no
    larger than the answer needs, and no fraction is reduced until the end (Gauss-Jordan
    over fractions reduces every one, and grows them far faster). Back substitution finds
    det x X in whole numbers too."""
    size, width = len(matrix), len(right[0]) if right else 0
    rows = []
    for coefficients, values in zip(matrix, right, strict=True):
        scale = math.lcm(1, *(value.denominator for value in values))
        rows.append([*(c * scale for c in coefficients), *(int(value * scale) for value in values)])
    previous = 1
    for k in range(size):
        pivot = next(r for r in range(k, size) if rows[r][k] != 0)
        rows[k], rows[pivot] = rows[pivot], rows[k]
        top, lead = rows[k], rows[k][k]
        for i in range(k + 1, size):
            row, factor = rows[i], rows[i][k]
            rows[i] = [*row[: k + 1], *((value * lead - factor * above) // previous for value, above in
                                        zip(row[k + 1 :], top[k + 1 :], strict=True))]  # fmt: skip
        previous = lead
    det = previous
    solved: list[list[int]] = [[] for _ in range(size)]  # det x X, whole numbers
    for i in reversed(range(size)):
        row = rows[i]
        solved[i] = [
            (det * row[size + c] - sum(row[j] * solved[j][c] for j in range(i + 1, size) if row[j])) // row[i]
            for c in range(width)
        ]
    return [[Fraction(solved[i][c], det) for c in range(width)] for i in range(size)]


def support_pay(flows: SupportFlows | None, units: Sequence[Unit], code: str) -> Fraction:
    """The pay of support units whose cost comes to rest at unit ``code``: what a levy on
    pay including support charged in adds to the unit's own pay."""
    if flows is None:
        return Fraction(0)
    by_code = {unit.code: unit for unit in units}
    return sum((to_fraction(by_code[s].pay_amount) * flows.ends[s].get(code, Fraction(0)) for s in flows.order), Fraction(0))
