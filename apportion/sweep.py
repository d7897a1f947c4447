"""Sensitivity sweeps: each member's exposure when inputs are not yet known.

Budgets are set before grants are announced, pay awards settled or levy rates agreed, so a
finance officer wants each member's lowest, middle and highest contribution over the range
of outcomes, and the outcome that gives each. A sweep varies one or more inputs (a
:class:`Factor` each: a unit's grants, a lead-force levy rate, a member's share, pay or
non-pay inflation) over every combination of their steps, or over random draws from their
ranges, and recomputes every member's net cash payable in every outcome.

Two engines, one answer. :func:`vary_unit` makes the changed unit and the Decimal engine
apportions it: that is the definition. :func:`unit_cash` computes the same figures for all
outcomes at once in integer pence with numpy (:mod:`apportion.fast`), rounding each changed
amount half up to the penny exactly as the Decimal engine does, and splitting by the same
largest-remainder rule; a unit it cannot vectorise (fixed amounts under a lead-force levy)
goes through the Decimal engine outcome by outcome. Tests hold the two to the penny.
Pure: no I/O.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Context, Decimal
from enum import StrEnum
from fractions import Fraction
from math import prod
from typing import NamedTuple

import numpy as np

from apportion.calculate import apportion_unit, participant_weights
from apportion.fast import allocate_pence, integer_weights
from apportion.model import (
    ALL_UNITS,
    BasisKind,
    Budget,
    BudgetLine,
    ChargingModel,
    IncomeChange,
    InKindTreatment,
    LevyBase,
    LineKind,
    MembershipChange,
    Unit,
)
from apportion.money import PENNY, round_penny, to_fraction
from apportion.periods import apply_membership
from apportion.scenarios import change_income

MAX_OUTCOMES = 1_000_000
THREADS_FROM = 100_000  # outcomes x units from which units are split on several threads
EXACT = Context(prec=200)  # wide enough that no product of two input figures is rounded
SAFE = 2**62  # int64 products below this cannot overflow


class Input(StrEnum):
    GRANT = "grant"
    LEVY_RATE = "levy rate"
    SHARE = "share"
    PAY_INFLATION = "pay inflation"
    NON_PAY_INFLATION = "non-pay inflation"


class Factor(NamedTuple):
    """One input a sweep varies, over FROM to TO (percent) in steps of STEP.

    ``target`` is a unit code or "all" (grant, levy rate), a member (share), or "" (inflation).
    A grant or share changes by the percentage; a levy rate is set to it; inflation raises
    every pay (or non-pay) line by it, each line rounded to the penny.
    """

    input: Input
    target: str
    start: Decimal
    stop: Decimal
    step: Decimal

    def steps(self) -> list[Decimal]:
        return percentage_steps(self.start, self.stop, self.step)

    def places(self) -> int:
        """Decimals enough for every step: start + step x i has no more than start and step."""
        return max(0, -int(self.start.as_tuple().exponent), -int(self.step.as_tuple().exponent))

    def describe(self, value: Decimal) -> str:
        if self.input is Input.GRANT:
            return f"grants of {self.target} {value:+}%"
        if self.input is Input.LEVY_RATE:
            return f"levy rate of {self.target} {value}%"
        if self.input is Input.SHARE:
            return f"{self.target}'s basis values {value:+}%"
        return f"{self.input.value} {value}%"

    def applies_to(self, unit: Unit) -> bool:
        if self.input is Input.GRANT:
            return bool(unit.income) and self.target in (ALL_UNITS, unit.code)
        if self.input is Input.LEVY_RATE:
            return unit.model is ChargingModel.LEAD_FORCE and self.target in (ALL_UNITS, unit.code)
        if self.input is Input.SHARE:
            return self.target in participant_weights(unit) and unit.basis.kind is not BasisKind.EQUAL
        kind = LineKind.PAY if self.input is Input.PAY_INFLATION else LineKind.NON_PAY
        return any(line.kind is kind for line in unit.lines)


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
        """The outcome at ``index`` in words ('grants of all -12.5%'); short: just the value if one factor."""
        values = self.outcomes[index]
        if short and len(self.factors) == 1:
            factor = self.factors[0]
            return f"{values[0]}%" if factor.input is Input.LEVY_RATE else f"{values[0]:+}%"
        return "; ".join(factor.describe(value) for factor, value in zip(self.factors, values, strict=True))

    def exposures(self, *, short: bool = False) -> list[Exposure]:
        """Lowest, middle (the lower of two middles) and highest, and the outcome giving each
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


def percentage_steps(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """start, start + step, ... up to stop (inclusive)."""
    if step <= 0 or stop < start:
        raise ValueError("the sweep needs FROM <= TO and a positive STEP")
    count = int((stop - start) / step) + 1
    if count > MAX_OUTCOMES:
        raise ValueError(f"{count:,} steps is more than {MAX_OUTCOMES:,}; take a larger STEP")
    return [start + step * i for i in range(count)]


def outcomes_of(factors: Sequence[Factor], draws: int | None = None, seed: int = 1) -> list[tuple[Decimal, ...]]:
    """Every combination of the factors' steps, or ``draws`` outcomes drawn at random (from
    ``seed``, so a sweep can be rerun) from those steps."""
    steps = [factor.steps() for factor in factors]
    if draws is None:
        count = int(np.prod([len(s) for s in steps], dtype=object))
        if count > MAX_OUTCOMES:
            raise ValueError(f"{count:,} combinations is more than {MAX_OUTCOMES:,}; take larger steps, or --draws")
        return list(itertools.product(*steps))
    if not 1 <= draws <= MAX_OUTCOMES:
        raise ValueError(f"--draws must be 1 to {MAX_OUTCOMES:,}")
    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, len(s), size=draws) for s in steps]
    return [tuple(s[int(p[i])] for s, p in zip(steps, picks, strict=True)) for i in range(draws)]


def check_factors(budget: Budget, factors: Sequence[Factor]) -> None:
    """Refuse factors that name nothing, or would make an amount or weight negative."""
    codes = [unit.code for unit in budget.units]
    for factor in factors:
        if factor.input in (Input.GRANT, Input.LEVY_RATE) and factor.target not in (ALL_UNITS, *codes):
            raise ValueError(f"{factor.target!r} is not a unit; units are: {', '.join(codes)}, or all")
        if factor.input is Input.SHARE and factor.target not in budget.member_names:
            raise ValueError(f"{factor.target!r} is not a member; members are: {', '.join(budget.member_names)}")
        if not any(factor.applies_to(unit) for unit in budget.units):
            raise ValueError(f"{factor.input.value} of {factor.target or 'every unit'} changes nothing in this budget")
        floor = Decimal(0) if factor.input is Input.LEVY_RATE else Decimal(-100)
        if factor.start < floor:
            raise ValueError(f"the {factor.input.value} cannot go below {floor}%")
        if factor.input is Input.SHARE and factor.start == -100:
            raise ValueError(
                f"a 100% fall would leave {factor.target} no share; to see {factor.target} leave, "
                f"run apportion compare BUDGET --without {factor.target!r}"
            )


def sweep(
    budget: Budget,
    factors: Sequence[Factor],
    draws: int | None = None,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Sweep:
    """Every member's net cash payable in every outcome of the factors; ``progress`` is told
    (units done, units) as each unit is added in."""
    check_factors(budget, factors)
    outcomes = outcomes_of(factors, draws, seed)
    columns = [Percentages.of([outcome[i] for outcome in outcomes], f.places()) for i, f in enumerate(factors)]
    members = budget.member_names
    totals = np.zeros((len(outcomes), len(members)), dtype=np.int64)

    def cash_of(unit: Unit) -> np.ndarray:
        return unit_cash(unit, factors, columns, budget.membership, budget.year)

    # numpy lets go of the interpreter while it works, so two units can be split at once
    workers = min(os.cpu_count() or 1, 4) if len(outcomes) * len(budget.units) >= THREADS_FROM else 1
    with ThreadPoolExecutor(workers) as pool:
        cashes = pool.map(cash_of, budget.units)
        for done, (unit, cash) in enumerate(zip(budget.units, cashes, strict=True), start=1):
            add(totals, cash, unit.participants, members)
            if progress is not None:
                progress(done, len(budget.units))
    return Sweep(tuple(factors), tuple(outcomes), members, totals, draws, seed if draws is not None else None)


def add(totals: np.ndarray, cash: np.ndarray, participants: tuple[str, ...], members: tuple[str, ...]) -> None:
    """Add a unit's (outcomes, participants) cash into the (outcomes, members) totals."""
    if participants == members:
        totals += cash
    else:
        totals[:, [members.index(m) for m in participants]] += cash


# --- the definition: the changed unit, through the Decimal engine ----------------------


def vary_unit(unit: Unit, factors: Sequence[Factor], values: Sequence[Decimal]) -> Unit:
    """The unit as it is in one outcome (factors applied in order)."""
    for factor, value in zip(factors, values, strict=True):
        if not factor.applies_to(unit):
            continue
        if factor.input is Input.GRANT:
            unit = change_income(unit, IncomeChange(unit.code, percent=value))
        elif factor.input is Input.LEVY_RATE:
            unit = unit._replace(levy_rate=value)
        elif factor.input is Input.SHARE:
            weights = dict(unit.basis.weights)
            weights[factor.target] = EXACT.multiply(weights[factor.target], 100 + value).scaleb(-2, EXACT)
            unit = unit._replace(basis=unit.basis._replace(weights=weights))
        else:
            kind = LineKind.PAY if factor.input is Input.PAY_INFLATION else LineKind.NON_PAY
            uplift = 1 + to_fraction(value) / 100
            lines = tuple(
                BudgetLine(line.name, line.kind, round_penny(to_fraction(line.amount) * uplift)) if line.kind is kind else line
                for line in unit.lines
            )
            unit = unit._replace(lines=lines)
    return unit


def decimal_engine(
    unit: Unit, factors: Sequence[Factor], columns: Sequence[Sequence[Decimal]],
    membership: Sequence[MembershipChange] = (), year: str = "",
) -> np.ndarray:  # fmt: skip
    """(outcomes, participants) net cash in pence, one outcome at a time; a unit whose
    membership changes in the year is split into its periods after the factors are applied."""
    index = {member: i for i, member in enumerate(unit.participants)}
    rows = []
    for values in zip(*columns, strict=True):
        varied = vary_unit(unit, factors, values)
        periods = apply_membership((varied,), tuple(membership), year) if membership else (varied,)
        row = [0] * len(index)
        for period in periods:
            for share in apportion_unit(period).shares:
                row[index[share.member]] += pence(share.cash_amount)
        rows.append(row)
    return np.array(rows, dtype=np.int64).reshape(len(columns[0]), len(unit.participants))


# --- the same figures, vectorised ------------------------------------------------------


class Percentages(NamedTuple):
    """A factor's value in every outcome, as exact fractions over one denominator:
    p% = numerator / denominator, with denominator = 100 x 10^(decimal places)."""

    values: tuple[Decimal, ...]
    numerators: np.ndarray  # int64, or Python integers (object) where they would not fit
    denominator: int
    widest: int  # the largest |numerator|

    @classmethod
    def of(cls, values: Sequence[Decimal], places: int | None = None) -> Percentages:
        """``places``: decimals enough for every value, where the caller knows them (a
        factor's steps have no more than its FROM and STEP); otherwise read off each value."""
        if places is None:
            places = max((-int(p.as_tuple().exponent) for p in set(values)), default=0)
        places = max(places, 0)
        numerators = [int(p.scaleb(places)) for p in values]
        widest = max((abs(n) for n in numerators), default=0)
        return cls(tuple(values), np.array(numerators, dtype=np.int64 if widest < SAFE else object), 100 * 10**places, widest)


def unit_cash(
    unit: Unit, factors: Sequence[Factor], columns: Sequence[Sequence[Decimal] | Percentages],
    membership: Sequence[MembershipChange] = (), year: str = "",
) -> np.ndarray:  # fmt: skip
    """(outcomes, participants) net cash in pence for one unit, all outcomes at once."""
    percentages = [c if isinstance(c, Percentages) else Percentages.of(c) for c in columns]
    count = len(percentages[0].values) if percentages else 1  # no columns: the unit as it is
    values = [c.values for c in percentages]
    active = {f.input: (f, column) for f, column in zip(factors, percentages, strict=True) if f.applies_to(unit)}
    changing = [change for change in membership if unit.code in change.units]
    if changing:  # split into periods, outcome by outcome
        return decimal_engine(unit, factors, values, changing, year)
    if unit.fixed_amounts and unit.model is ChargingModel.LEAD_FORCE:
        return decimal_engine(unit, factors, values)
    if not active and columns:  # the same in every outcome
        return np.broadcast_to(unit_cash(unit, [], []), (count, len(unit.participants))).copy()

    def line_total(kind: LineKind, inflation: Input) -> np.ndarray:
        """The lines of one kind in every outcome, each line inflated and rounded to the penny."""
        lines = [pence(line.amount) for line in unit.lines if line.kind is kind]
        if inflation not in active:
            return np.full(count, sum(lines), dtype=np.int64)
        total = np.zeros(count, dtype=np.int64)
        for amount in lines:
            total += rounded_percent(amount, active[inflation][1], uplift=True)
        return total

    pay = line_total(LineKind.PAY, Input.PAY_INFLATION)
    gross = pay + line_total(LineKind.NON_PAY, Input.NON_PAY_INFLATION)
    income = np.full(count, pence(unit.income_amount), dtype=np.int64)
    if Input.GRANT in active:
        income += rounded_percent(pence(unit.income_amount), active[Input.GRANT][1])
    net = gross - income
    offset = pence(unit.in_kind_amount) if unit.in_kind_treatment is InKindTreatment.OFFSET else 0
    weights = participant_weights(unit)
    names = list(weights)
    units = weight_units(names, weights, active.get(Input.SHARE))
    # fixed amounts and in-kind credits do not move; the split and the levy do
    split_at = [i for i, member in enumerate(unit.participants) if member in weights]
    everyone = len(split_at) == len(unit.participants)
    rest = net + offset - pence(sum(unit.fixed_amounts.values(), Decimal(0)))
    split = allocate_pence(rest, units, names) if names else np.zeros((count, 0), dtype=np.int64)
    if everyone:
        cash = split
    else:
        fixed = [pence(unit.fixed_amounts.get(member, Decimal(0))) for member in unit.participants]
        cash = np.broadcast_to(np.array(fixed, dtype=np.int64), (count, len(fixed))).copy()
        cash[:, split_at] = split
    if unit.in_kind and unit.in_kind_treatment is InKindTreatment.OFFSET:
        credits = dict.fromkeys(unit.participants, 0)
        for oik in unit.in_kind:
            credits[oik.member] -= pence(oik.value_amount)
        cash += np.array(list(credits.values()), dtype=np.int64)
    if unit.model is ChargingModel.LEAD_FORCE and unit.lead is not None:
        rates = active[Input.LEVY_RATE][1] if Input.LEVY_RATE in active else Percentages.of([unit.levy_rate])
        levies = levy_pence(unit, names, units, rates, pay, net, gross)
        if everyone:
            cash += levies
        else:
            cash[:, split_at] += levies
    return cash


def weight_units(names: list[str], weights: dict[str, Decimal], change: tuple[Factor, Percentages] | None) -> np.ndarray:
    """The participants' weights as integers over one denominator: one row, or one per
    outcome when a member's values change (theirs x (100 x 10^p + n), the rest x 100 x 10^p)."""
    base = integer_weights([weights[m] for m in names])
    if change is None:
        return np.array([base], dtype=np.int64 if max(base, default=0) < SAFE else object)
    factor, percent = change
    place = names.index(factor.target)
    denominator = percent.denominator
    kind = np.int64 if max(base) * (denominator + percent.widest) < SAFE else object
    rows = np.tile(np.array(base, dtype=kind) * denominator, (len(percent.values), 1))
    rows[:, place] = base[place] * (denominator + percent.numerators.astype(kind))
    return rows


def levy_pence(  # noqa: PLR0917 - the unit's figures in every outcome
    unit: Unit, names: list[str], units: np.ndarray, rates: Percentages, pay: np.ndarray, net: np.ndarray,
    gross: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """(outcomes, weighted participants) levy in pence: the pot, rate x base x the payers'
    share, rounded once, is split among the payers by share; the lead receives it."""
    count = len(pay)
    lead = names.index(unit.lead or "")
    rows = np.broadcast_to(units, (count, len(names)))
    total = rows.sum(axis=1)
    payers = total - rows[:, lead]
    rate = np.broadcast_to(rates.numerators, (count,))
    # pot in pence = rate (n / denominator) x base x payers / total, half up; base = pay,
    # or for a levy on pay net of income, pay x net / gross
    numerator_parts = [rate, pay, payers]
    divisor_parts: list[np.ndarray | int] = [rates.denominator, total]
    if unit.levy_base is LevyBase.NET_PAY:
        numerator_parts.append(net)
        divisor_parts.append(gross)
    bound = 2 * prod(int(np.abs(part).max(initial=0)) for part in numerator_parts)
    bound += prod(int(np.abs(np.asarray(part)).max(initial=0)) for part in divisor_parts)
    kind = np.int64 if bound < SAFE else object
    numerator = prod((np.asarray(part).astype(kind) for part in numerator_parts), start=np.ones(count, dtype=kind))
    divisor = prod((np.asarray(part).astype(kind) for part in divisor_parts), start=np.ones(count, dtype=kind))
    if kind is np.int64:
        pots = np.sign(numerator) * ((2 * np.abs(numerator) + divisor) // (2 * divisor))
    else:
        pots = np.array([round_half_up(int(n), int(d)) for n, d in zip(numerator, divisor, strict=True)], dtype=np.int64)
    levies = np.zeros((count, len(names)), dtype=np.int64)
    payer_names = [m for m in names if m != unit.lead]
    live = (payers > 0) & (pots != 0)
    if payer_names and live.any():
        payer_at = [i for i in range(len(names)) if i != lead]
        payer_units = np.delete(units, lead, axis=1)  # one row, or one per outcome
        parts = allocate_pence(pots[live], payer_units if len(payer_units) == 1 else payer_units[live], payer_names)
        levies[np.ix_(live, payer_at)] = parts
        levies[live, lead] = -pots[live]
    return levies


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest integer, halves away from zero (as round_penny)."""
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def rounded_percent(amount_pence: int, percent: Percentages, *, uplift: bool = False) -> np.ndarray:
    """amount x p% (or, with ``uplift``, amount x (100 + p)%) for each p, in pence, rounded
    half away from zero as round_penny does.

    With p% = n / d: amount x n / d, and rounding half up of |x| / d is floor((2|x| + d) / 2d);
    in int64 where that cannot overflow, else in Python integers.
    """
    denominator = percent.denominator
    shift = denominator if uplift else 0
    if abs(amount_pence) * (percent.widest + shift) * 2 + denominator >= SAFE:
        return np.array([round_half_up(amount_pence * (int(n) + shift), denominator) for n in percent.numerators], dtype=np.int64)
    products = amount_pence * (percent.numerators.astype(np.int64) + shift)
    rounded: np.ndarray = np.sign(products) * ((2 * np.abs(products) + denominator) // (2 * denominator))
    return rounded


def pence(amount: Decimal | Fraction) -> int:
    return int(Decimal(amount) * 100) if isinstance(amount, Decimal) else int(amount * 100)
