"""Sensitivity sweeps: each member's exposure when a grant is not yet known.

Budgets are set before grants are announced, so a finance officer wants, for a range of
grant outcomes, each member's lowest, middle and highest contribution and the outcome that
gives each. A sweep changes one unit's grants (or every unit's) by each of many
percentages and recomputes every member's net cash payable, vectorised in integer pence
(:mod:`apportion.fast`), penny-identical to running each scenario through the Decimal
engine: the grant change is rounded half up to the penny exactly as a scenario's is, and
each unit's cost is split by the same largest-remainder rule. A unit whose levy depends on
income (levy_base: net_pay) is worked through the Decimal engine, scenario by scenario.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import numpy as np

from apportion.calculate import apportion_unit, participant_weights
from apportion.fast import allocate_pence
from apportion.model import ALL_UNITS, Budget, IncomeChange, InKindTreatment, LevyBase, Unit
from apportion.money import PENNY, round_penny, to_fraction
from apportion.scenarios import change_income


@dataclass(frozen=True)
class Exposure:
    """One member's range over the sweep, with the grant change that gives each figure."""

    member: str
    minimum_amount: Decimal
    minimum_change: Decimal
    median_amount: Decimal
    median_change: Decimal
    maximum_amount: Decimal
    maximum_change: Decimal


@dataclass(frozen=True)
class Sweep:
    unit: str
    changes: tuple[Decimal, ...]  # percentages, one per scenario
    members: tuple[str, ...]
    cash_pence: np.ndarray  # (scenarios, members) int64: net cash payable in pence

    def exposures(self) -> list[Exposure]:
        """Lowest, middle (the lower of two middles) and highest, and the change giving each."""
        rows = []
        count = len(self.changes)
        for index, member in enumerate(self.members):
            column = self.cash_pence[:, index]
            order = np.argsort(column, kind="stable")
            low, mid, high = int(order[0]), int(order[(count - 1) // 2]), int(order[-1])
            rows.append(
                Exposure(
                    member,
                    pounds(column[low]),
                    self.changes[low],
                    pounds(column[mid]),
                    self.changes[mid],
                    pounds(column[high]),
                    self.changes[high],
                )  # fmt: skip
            )
        return rows


def pounds(amount_pence: np.integer | int) -> Decimal:
    return (Decimal(int(amount_pence)) / 100).quantize(PENNY)


def percentage_steps(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """start, start + step, ... up to stop (inclusive)."""
    if step <= 0 or stop < start:
        raise ValueError("the sweep needs FROM <= TO and a positive STEP")
    count = int((stop - start) / step) + 1
    return [start + step * i for i in range(count)]


def sweep_grants(budget: Budget, unit_code: str, changes: Sequence[Decimal]) -> Sweep:
    """Every member's net cash payable when the grants of ``unit_code`` (or all) change by each percentage."""
    members = budget.member_names
    totals = np.zeros((len(changes), len(members)), dtype=np.int64)
    for unit in budget.units:
        affected = bool(unit.income) and unit_code in (ALL_UNITS, unit.code)
        cash = unit_cash(unit, changes if affected else [Decimal(0)] * len(changes))
        for column, member in enumerate(unit.participants):
            totals[:, members.index(member)] += cash[:, column]
    return Sweep(unit_code, tuple(changes), members, totals)


def unit_cash(unit: Unit, changes: Sequence[Decimal]) -> np.ndarray:
    """(scenarios, participants) net cash in pence for one unit."""
    if unit.levy_base is LevyBase.NET_PAY and unit.lead is not None and any(changes):
        return decimal_engine(unit, changes)
    base = apportion_unit(unit)  # levy and in-kind credits do not depend on the grant
    deltas = grant_deltas(pence(unit.income_amount), changes)
    offset = pence(unit.in_kind_amount) if unit.in_kind_treatment is InKindTreatment.OFFSET else 0
    fixed_total = pence(sum(unit.fixed_amounts.values(), Decimal(0)))
    rest = pence(unit.net_amount) - deltas + offset - fixed_total
    weights = participant_weights(unit)
    names = list(weights)
    split = allocate_pence(rest, list(weights.values()), names) if names else np.zeros((len(changes), 0), dtype=np.int64)
    cash = np.zeros((len(changes), len(unit.participants)), dtype=np.int64)
    for column, share in enumerate(base.shares):
        cost = split[:, names.index(share.member)] if share.member in weights else pence(unit.fixed_amounts[share.member])
        cash[:, column] = cost + pence(share.levy_amount) + pence(share.in_kind_credit_amount)
    return cash


@lru_cache(maxsize=4)
def as_fractions(changes: tuple[Decimal, ...]) -> tuple[list[int], int]:
    """The changes (percent) as integers over one denominator: n / (100 x 10^places)."""
    places = max((-int(p.as_tuple().exponent) for p in changes), default=0)
    scale = 10 ** max(places, 0)
    return [int(p * scale) for p in changes], 100 * scale


def grant_deltas(income_pence: int, changes: Sequence[Decimal]) -> np.ndarray:
    """income x change%, in pence, rounded half away from zero, as round_penny does; vectorised.

    With every change as an integer over 10^places: delta = income x n / (100 x 10^places),
    and rounding half up of |x| / d is floor((2|x| + d) / 2d).
    """
    numerators, denominator = as_fractions(tuple(changes))
    if abs(income_pence) * max((abs(n) for n in numerators), default=0) * 2 + denominator >= 2**62:
        income = Fraction(income_pence, 100)
        return np.array([pence(round_penny(income * to_fraction(p) / 100)) for p in changes], dtype=np.int64)
    products = income_pence * np.array(numerators, dtype=np.int64)
    magnitudes = (2 * np.abs(products) + denominator) // (2 * denominator)
    rounded: np.ndarray = np.sign(products) * magnitudes
    return rounded


def decimal_engine(unit: Unit, changes: Sequence[Decimal]) -> np.ndarray:
    rows = []
    for change in changes:
        changed = change_income(unit, IncomeChange(unit.code, percent=change)) if change else unit
        rows.append([pence(share.cash_amount) for share in apportion_unit(changed).shares])
    return np.array(rows, dtype=np.int64)


def pence(amount: Decimal | Fraction) -> int:
    return int(Decimal(amount) * 100) if isinstance(amount, Decimal) else int(amount * 100)
