"""Sensitivity sweeps: each member's exposure when inputs are not yet known.

Budgets are set before grants are announced, pay awards settled or levy rates agreed, so a
finance officer wants each member's lowest, median and highest contribution over the range
of outcomes, and the outcome that gives each. A sweep varies one or more inputs (a
:class:`~apportion.rules.sweep_factors.Factor` each) over every combination of their steps,
or over random draws from their ranges, and recomputes every member's net cash payable in
every outcome, unit by unit (:mod:`apportion.rules.sweep_units`). A budget whose units
depend on each other or are more than a split (support units, activity charges, income
returned by a split of its own) is recomputed whole, outcome by outcome, by the Decimal
engine: slower, and the same definition. Pure: no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from apportion.model import ALL_UNITS, Budget, PeriodRounding, Unit, UnitRole
from apportion.model.money import PENNY, plain
from apportion.rules.calculate import split_year
from apportion.rules.prepare import prepare
from apportion.rules.sweep_factors import MAX_OUTCOMES, Factor, Input, Percentages, SweepError, pence, vary_unit
from apportion.rules.sweep_units import unit_cash

THREADS_FROM = 100_000  # outcomes x units from which units are split on several threads


class Exposure(NamedTuple):
    """One member's range over the sweep, with the outcome that gives each figure."""

    member: str
    minimum_amount: Decimal
    minimum_at: str
    median_amount: Decimal
    median_at: str
    maximum_amount: Decimal
    maximum_at: str


class Sweep(NamedTuple):
    factors: tuple[Factor, ...]
    outcomes: tuple[tuple[Decimal, ...], ...]  # each outcome's value of each factor
    members: tuple[str, ...]
    cash_pence: np.ndarray  # (outcomes, members) int64: net cash payable in pence
    draws: int | None = None  # random draws (None: every combination of the steps)
    seed: int | None = None

    def describe(self, index: int, *, short: bool = False) -> str:
        """The outcome at ``index`` in words ('grants of all units -12.5%'); short: just the value if one factor."""
        values = self.outcomes[index]
        if short and len(self.factors) == 1:
            factor = self.factors[0]
            return f"{plain(values[0])}%" if factor.input is Input.LEVY_RATE else f"{plain(values[0], signed=True)}%"
        return "; ".join(factor.describe(value) for factor, value in zip(self.factors, values, strict=True))

    def exposures(self, *, short: bool = False) -> list[Exposure]:
        """Lowest, median (the lower of two middles) and highest, and the outcome giving each
        (the first such outcome where several give the same figure)."""
        rows = []
        count = len(self.outcomes)
        orders = np.argsort(self.cash_pence, axis=0, kind="stable")  # each member's outcomes, lowest first
        highest = np.argmax(self.cash_pence, axis=0)
        for index, member in enumerate(self.members):
            column = self.cash_pence[:, index]
            low, mid, high = int(orders[0, index]), int(orders[(count - 1) // 2, index]), int(highest[index])
            rows.append(
                Exposure(
                    member,
                    pounds(column[low]),
                    self.describe(low, short=short),
                    pounds(column[mid]),
                    self.describe(mid, short=short),
                    pounds(column[high]),
                    self.describe(high, short=short),
                )  # fmt: skip
            )
        return rows


def pounds(amount_pence: np.integer | int) -> Decimal:
    return (Decimal(int(amount_pence)) / 100).quantize(PENNY)


def outcomes_of(factors: Sequence[Factor], draws: int | None = None, seed: int = 1) -> list[tuple[Decimal, ...]]:
    """Every combination of the factors' steps, or ``draws`` outcomes drawn at random (from
    ``seed``, so a sweep can be rerun) from those steps."""
    steps = [factor.steps() for factor in factors]
    if draws is None:
        count = int(np.prod([len(s) for s in steps], dtype=object))
        if count > MAX_OUTCOMES:
            raise SweepError(f"{count:,} combinations is more than {MAX_OUTCOMES:,}; take larger steps, or --draws")
        return list(itertools.product(*steps))
    if not 1 <= draws <= MAX_OUTCOMES:
        raise SweepError(f"--draws must be 1 to {MAX_OUTCOMES:,}")
    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, len(s), size=draws) for s in steps]
    return [tuple(s[int(p[i])] for s, p in zip(steps, picks, strict=True)) for i in range(draws)]


def check_factors(budget: Budget, factors: Sequence[Factor]) -> None:
    """Refuse factors that name nothing, or would make an amount or weight negative."""
    codes = [unit.code for unit in budget.units]
    for factor in factors:
        if factor.input in (Input.GRANT, Input.LEVY_RATE) and factor.target not in (ALL_UNITS, *codes):
            raise SweepError(f"{factor.target!r} is not a unit; units are: {', '.join(codes)}, or all")
        if factor.input is Input.SHARE and factor.target not in budget.member_names:
            raise SweepError(f"{factor.target!r} is not a member; members are: {', '.join(budget.member_names)}")
        if not any(factor.applies_to(unit) for unit in budget.units):
            raise SweepError(f"{factor.input.value} of {factor.target or 'every unit'} changes nothing in this budget")
        floor = Decimal(0) if factor.input is Input.LEVY_RATE else Decimal(-100)
        if factor.start < floor:
            raise SweepError(f"the {factor.input.value} cannot go below {plain(floor)}%")
        if factor.input is Input.SHARE and factor.start == -100:
            raise SweepError(
                f"a 100% fall would leave {factor.target} no share; to see {factor.target} leave, "
                f"run apportion compare BUDGET --without {factor.target!r}"
            )


def sweep(
    budget: Budget,
    factors: Sequence[Factor],
    draws: int | None = None,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    *,
    threads: int = 1,
) -> Sweep:
    """Every member's net cash payable in every outcome of the factors; ``progress`` is told
    (units done, units) as each unit is added in."""
    check_factors(budget, factors)
    outcomes = outcomes_of(factors, draws, seed)
    columns = [Percentages.of([outcome[i] for outcome in outcomes], f.places()) for i, f in enumerate(factors)]
    members = budget.member_names
    if needs_the_whole_budget(budget):
        totals = whole_budget_totals(budget, factors, outcomes, progress)
        return Sweep(tuple(factors), tuple(outcomes), members, totals, draws, seed if draws is not None else None)
    totals = np.zeros((len(outcomes), len(members)), dtype=np.int64)

    def cash_of(unit: Unit) -> np.ndarray:
        return unit_cash(unit, factors, columns, budget.membership, budget.year)

    # numpy lets go of the interpreter while it works, so two units can be split at once
    workers = threads if len(outcomes) * len(budget.units) >= THREADS_FROM else 1
    with ThreadPoolExecutor(workers) as pool:
        cashes = pool.map(cash_of, budget.units)
        for done, (unit, cash) in enumerate(zip(budget.units, cashes, strict=True), start=1):
            add(totals, cash, unit.participants, members)
            if progress is not None:
                progress(done, len(budget.units))
    return Sweep(tuple(factors), tuple(outcomes), members, totals, draws, seed if draws is not None else None)


def needs_the_whole_budget(budget: Budget) -> bool:
    """Whether a unit's figures depend on other units, or are more than a split of its cost
    (or of its periods of membership): a revision or a line that starts or stops in the year
    changes a unit's figures part-way, which the Decimal engine works through."""
    return (
        any(
            unit.role is not UnitRole.SERVICE
            or unit.activity is not None
            or any(line.is_returned for line in unit.income)
            or unit.starts
            or unit.stops
            or any(line.starts or line.stops for line in unit.lines)
            for unit in budget.units
        )
        or bool(budget.membership and budget.period_rounding is PeriodRounding.ONCE_FOR_THE_YEAR)
        or bool(budget.revisions)
    )


def whole_budget_totals(
    budget: Budget,
    factors: Sequence[Factor],
    outcomes: Sequence[tuple[Decimal, ...]],
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """(outcomes, members) net cash in pence, the whole budget through the Decimal engine
    outcome by outcome."""
    rows = []
    for done, values in enumerate(outcomes, start=1):
        varied = replace(budget, units=tuple(vary_unit(unit, factors, values) for unit in budget.units))
        rows.append([pence(total.cash_amount) for total in split_year(prepare(varied)).member_totals])
        if progress is not None:
            progress(done, len(outcomes))
    return np.array(rows, dtype=np.int64).reshape(len(outcomes), len(budget.member_names))


def add(totals: np.ndarray, cash: np.ndarray, participants: tuple[str, ...], members: tuple[str, ...]) -> None:
    """Add a unit's (outcomes, participants) cash into the (outcomes, members) totals."""
    if participants == members:
        totals += cash
    else:
        totals[:, [members.index(m) for m in participants]] += cash
