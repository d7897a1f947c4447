"""Every outcome of a sweep for one unit at once, in integer pence with numpy.

:func:`unit_cash` computes what the Decimal engine (:func:`apportion.rules.sweep_factors.decimal_engine`)
gives for each outcome, for all outcomes at once: each changed amount rounded half up to
the penny exactly as the Decimal engine rounds it, each split by the same largest-remainder
rule (:mod:`apportion.rules.bulk_split`), and the levy as :mod:`apportion.rules.levy` states
it (:func:`levy_pence`): a second working of those rules, deliberately, in integers. It
takes only the kinds of basis it declares (:data:`VECTORISED`: weights that are Decimals as
the file gives them); a unit of any other kind (a composite's blend, a kind added later),
or one it cannot vectorise (fixed amounts under a lead-force levy, membership that changes
in the year), goes through the Decimal engine outcome by outcome. Tests hold the two to the
penny, for every kind of basis. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from math import prod

import numpy as np

from apportion.model import BasisKind, ChargingModel, InKindTreatment, LevyBase, LineKind, MembershipChange, Unit
from apportion.rules.bulk_split import allocate_pence, integer_weights
from apportion.rules.split import participant_weights
from apportion.rules.sweep_factors import SAFE, Factor, Input, Percentages, decimal_engine, pence

VECTORISED = frozenset({BasisKind.SHARES, BasisKind.DRIVERS, BasisKind.EQUAL})  # Decimal weights, as given


def vectorised(unit: Unit) -> bool:
    """Whether this engine takes the unit's basis (an activity unit's balance basis)."""
    return (unit.activity.balance if unit.activity else unit.basis).kind in VECTORISED


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
    if not vectorised(unit) or (unit.fixed_amounts and unit.model is ChargingModel.LEAD_FORCE):
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
    weights = decimal_weights(unit)
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


def decimal_weights(unit: Unit) -> dict[str, Decimal]:
    """The weights of a basis this engine takes: Decimals, as given; any other is refused."""
    weights = participant_weights(unit)
    decimals = {m: w for m, w in weights.items() if isinstance(w, Decimal)}
    if len(decimals) != len(weights):
        raise TypeError(f"{unit.code}: the vectorised sweep takes Decimal weights only; route its basis to the Decimal engine")
    return decimals


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
