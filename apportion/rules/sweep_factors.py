"""What a sweep varies, and what one outcome of it is.

A :class:`Factor` is one input a sweep varies (a unit's grants, a lead-force levy rate, a
member's share, pay or non-pay inflation) over a range of percentages. :func:`vary_unit`
makes a unit as it is in one outcome, and the Decimal engine (:func:`decimal_engine`)
apportions it: that is the definition every vectorised figure
(:mod:`apportion.rules.sweep_units`) is held to, to the penny. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Context, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

import numpy as np

from apportion.model import ALL_UNITS, Basis, ChargingModel, IncomeChange, LineKind, MembershipChange, Unit
from apportion.model.messages import ApportionError
from apportion.model.money import plain, to_fraction
from apportion.rules.basis_kinds import rule_of
from apportion.rules.periods import apply_membership
from apportion.rules.plans import uplifted
from apportion.rules.scenarios import change_income
from apportion.rules.split import apportion_unit, participant_weights


class SweepError(ApportionError):
    """A sweep that cannot be made as asked: a range upside down or too long, or a factor
    naming nothing in the budget (the message says which)."""


MAX_OUTCOMES = 1_000_000
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
        """The outcome in words: 'grants of all units -12.5%', 'levy rate of SEROCU 2%'."""
        target = "all units" if self.target == ALL_UNITS else self.target
        if self.input is Input.GRANT:
            return f"grants of {target} {plain(value, signed=True)}%"
        if self.input is Input.LEVY_RATE:
            return f"levy rate of {target} {plain(value)}%"
        if self.input is Input.SHARE:
            return f"{self.target}'s basis values {plain(value, signed=True)}%"
        return f"{self.input.value} {plain(value)}%"

    def applies_to(self, unit: Unit) -> bool:
        if self.input is Input.GRANT:
            return bool(unit.income) and self.target in (ALL_UNITS, unit.code)
        if self.input is Input.LEVY_RATE:
            return unit.model is ChargingModel.LEAD_FORCE and self.target in (ALL_UNITS, unit.code)
        if self.input is Input.SHARE:
            return self.target in participant_weights(unit) and rule_of(unit.basis).member_values
        kind = LineKind.PAY if self.input is Input.PAY_INFLATION else LineKind.NON_PAY
        return any(line.kind is kind for line in unit.lines)


def percentage_steps(start: Decimal, stop: Decimal, step: Decimal) -> list[Decimal]:
    """start, start + step, ... up to stop (inclusive)."""
    if step <= 0 or stop < start:
        raise SweepError("the sweep needs FROM <= TO and a positive STEP")
    count = int((stop - start) / step) + 1
    if count > MAX_OUTCOMES:
        raise SweepError(f"{count:,} steps is more than {MAX_OUTCOMES:,}; take a larger STEP")
    return [start + step * i for i in range(count)]


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
            unit = unit._replace(basis=scaled(unit.basis, factor.target, value))
            if unit.activity is not None:
                unit = unit._replace(activity=unit.activity._replace(balance=scaled(unit.activity.balance, factor.target, value)))
        else:
            kind = LineKind.PAY if factor.input is Input.PAY_INFLATION else LineKind.NON_PAY
            unit = uplifted(unit, {kind: 1 + to_fraction(value) / 100})
    return unit


def scaled(basis: Basis, member: str, percent: Decimal) -> Basis:
    """The basis with the member's value changed by ``percent`` (in each basis a composite blends)."""
    if basis.parts:
        return basis._replace(parts=tuple((scaled(part, member, percent), weight) for part, weight in basis.parts))
    if member not in basis.weights or not rule_of(basis).member_values:
        return basis
    weights = dict(basis.weights)
    weights[member] = EXACT.multiply(weights[member], 100 + percent).scaleb(-2, EXACT)
    return basis._replace(weights=weights)


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


def pence(amount: Decimal | Fraction) -> int:
    return int(Decimal(amount) * 100) if isinstance(amount, Decimal) else int(amount * 100)
