"""The largest-remainder split for many amounts at once, in integer pence with numpy.

Penny-identical to :func:`apportion.money.allocate` (same floors, same remainders, same
tie-break: larger weight, then the name that sorts first), for sweeps over thousands of
scenarios. Every product is checked to fit in int64; where it might not, the split falls
back to Python integers, which never overflow. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm

import numpy as np

INT64_MAX = np.iinfo(np.int64).max


def integer_weights(weights: Sequence[Decimal | Fraction | int]) -> list[int]:
    """Weights over a common denominator, as integers (the split is unchanged)."""
    ratios = [Fraction(weight) for weight in weights]
    scale = lcm(*(ratio.denominator for ratio in ratios))
    return [ratio.numerator * (scale // ratio.denominator) for ratio in ratios]


def allocate_pence(totals: np.ndarray, weights: Sequence[Decimal | Fraction | int], names: Sequence[str]) -> np.ndarray:
    """Split each total (int64 pence, one per scenario) among the weights; shape (scenarios, keys).

    Each row adds up exactly to its total; a negative total is split as the negation of its
    absolute value's split, as in money.allocate.
    """
    units = integer_weights(weights)
    if any(unit < 0 for unit in units) or sum(units) == 0:
        raise ValueError("weights must be non-negative with a positive total")
    totals = np.asarray(totals, dtype=np.int64)
    signs = np.where(totals < 0, -1, 1)
    magnitudes = np.abs(totals)
    biggest = int(magnitudes.max(initial=0))
    if biggest * max(units) > INT64_MAX or sum(units) > INT64_MAX:
        exact: np.ndarray = signs[:, None] * allocate_pence_exact(magnitudes, units, names)
        return exact
    unit_array = np.array(units, dtype=np.int64)
    total_units = int(unit_array.sum())
    products = magnitudes[:, None] * unit_array[None, :]
    floors, remainders = np.divmod(products, total_units)
    left_over = magnitudes - floors.sum(axis=1)
    # The queue for left-over pence: largest remainder, then larger weight, then the name
    # that sorts first, packed into one int64 key per part (unique within a row) where it fits.
    count = len(units)
    by_name = np.empty(count, dtype=np.int64)
    by_name[sorted(range(count), key=lambda i: (names[i].casefold(), names[i]))] = np.arange(count)
    if total_units * (max(units) + 1) * count < INT64_MAX:
        keys = (remainders * (max(units) + 1) + unit_array) * count + (count - 1 - by_name)
        threshold = np.take_along_axis(-np.sort(-keys, axis=1), np.maximum(left_over - 1, 0)[:, None], axis=1)
        extra = (keys >= threshold) & (left_over[:, None] > 0)
    else:
        shape = remainders.shape
        order = np.lexsort((np.broadcast_to(by_name, shape), np.broadcast_to(-unit_array, shape), -remainders), axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(count)[None, :].repeat(len(totals), axis=0), axis=1)
        extra = ranks < left_over[:, None]
    parts: np.ndarray = signs[:, None] * (floors + extra)
    return parts


def allocate_pence_exact(magnitudes: np.ndarray, units: list[int], names: Sequence[str]) -> np.ndarray:
    """The same split in Python integers, for totals and weights too large for int64."""
    total_units = sum(units)
    queue_name = sorted(range(len(names)), key=lambda i: (names[i].casefold(), names[i]))
    name_place = {index: place for place, index in enumerate(queue_name)}
    rows = []
    for pence in (int(value) for value in magnitudes):
        floors, remainders = zip(*(divmod(pence * unit, total_units) for unit in units), strict=True)
        left = pence - sum(floors)
        queue = sorted(range(len(units)), key=lambda i: (-remainders[i], -units[i], name_place[i]))
        extra = set(queue[:left])
        rows.append([floors[i] + (i in extra) for i in range(len(units))])
    return np.array(rows, dtype=object)
