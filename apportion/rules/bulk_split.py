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

INT64_MAX = int(np.iinfo(np.int64).max)
INT32_MAX = int(np.iinfo(np.int32).max)
CHUNK = 2048  # rows split at a time


def integer_weights(weights: Sequence[Decimal | Fraction | int]) -> list[int]:
    """Weights over a common denominator, as integers (the split is unchanged)."""
    ratios = [Fraction(weight) for weight in weights]
    scale = lcm(*(ratio.denominator for ratio in ratios))
    return [ratio.numerator * (scale // ratio.denominator) for ratio in ratios]


def allocate_pence(
    totals: np.ndarray, weights: Sequence[Decimal | Fraction | int] | np.ndarray, names: Sequence[str]
) -> np.ndarray:
    """Split each total (int64 pence, one per scenario) among the weights; shape (scenarios, keys).

    ``weights`` are one set for every scenario (Decimals, Fractions or ints), or an integer
    array (scenarios, keys) giving each scenario its own. Each row adds up exactly to its
    total; a negative total is split as the negation of its absolute value's split, as in
    money.allocate.

    With integer weights w summing to W, a total T = q x W + t splits as q x w plus the split
    of t: the floors differ by exactly q x w and the remainders are the same. So only t < W
    is split, in int32 where W is small enough (half the memory traffic), else in int64.
    """
    if isinstance(weights, np.ndarray) and weights.ndim == 2:  # noqa: PLR2004 - a weight set per scenario
        grid = weights
    else:
        grid = np.array([integer_weights(list(weights))], dtype=object)
    count = len(names)
    biggest, smallest = int(grid.max()), int(grid.min())
    sums = grid.astype(object).sum(axis=1) if biggest * count >= INT64_MAX else grid.sum(axis=1)
    if smallest < 0 or int(sums.min()) == 0:
        raise ValueError("weights must be non-negative with a positive total")
    totals = np.asarray(totals, dtype=np.int64)
    negative = bool((totals < 0).any())
    magnitudes = np.abs(totals) if negative else totals
    total_units = int(sums.max())
    if total_units * (biggest + 1) > INT64_MAX:
        rows = [[int(w) for w in row] for row in grid]
        exact: np.ndarray = np.where(totals < 0, -1, 1)[:, None] * allocate_pence_exact(magnitudes, rows, names)
        return exact
    packed = total_units * (biggest + 1) * count  # bound of the packed queue key below
    dtype = np.int32 if packed < INT32_MAX else np.int64
    unit_array = grid.astype(dtype)  # (1 or scenarios, keys)
    by_name = np.empty(count, dtype=dtype)
    by_name[sorted(range(count), key=lambda i: (names[i].casefold(), names[i]))] = np.arange(count)
    tie_break = (count - 1 - by_name).astype(dtype)  # the name that sorts first has the largest
    parts = np.empty((len(totals), count), dtype=np.int64)
    for first in range(0, len(totals), CHUNK):  # a block of rows at a time stays in the CPU's cache
        block = slice(first, first + CHUNK)
        weights_block = unit_array if len(unit_array) == 1 else unit_array[block]
        split_block(magnitudes[block], weights_block, tie_break, biggest, packed < INT64_MAX, parts[block])
    if negative:
        parts *= np.where(totals < 0, -1, 1)[:, None]
    return parts


def split_block(  # noqa: PLR0917
    magnitudes: np.ndarray, units: np.ndarray, tie_break: np.ndarray, biggest: int, pack: bool, parts: np.ndarray
) -> None:
    """The largest-remainder split of each magnitude (one row each) by its row of ``units``, into ``parts``."""
    dtype = units.dtype.type
    count = units.shape[1]
    row_totals = units.sum(axis=1, dtype=np.int64)
    # one set of weights: divide by a scalar, which numpy does far faster than by an array
    single = len(units) == 1
    divisor = dtype(row_totals[0]) if single else row_totals.astype(units.dtype)[:, None]
    whole, rest = np.divmod(magnitudes, int(row_totals[0]) if single else row_totals)
    products = rest.astype(units.dtype)[:, None] * units
    floors = products // divisor
    remainders = products - floors * divisor
    left_over = rest - floors.sum(axis=1, dtype=np.int64)
    # The queue for left-over pence: largest remainder, then larger weight, then the name
    # that sorts first, packed into one key per part (unique within a row) where it fits.
    if pack:
        keys = remainders
        keys *= dtype(biggest + 1)
        keys += units
        keys *= dtype(count)
        keys += tie_break
        place = np.minimum(count - left_over, count - 1)[:, None]  # the last part to get a penny
        threshold = np.take_along_axis(np.sort(keys, axis=1), place, axis=1)
        extra = keys >= threshold
        extra &= left_over[:, None] > 0
    else:
        shape = remainders.shape
        by_name = count - 1 - tie_break
        order = np.lexsort((np.broadcast_to(by_name, shape), np.broadcast_to(-units, shape), -remainders), axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(count)[None, :].repeat(len(magnitudes), axis=0), axis=1)
        extra = ranks < left_over[:, None]
    parts[:] = floors
    parts += extra.view(np.int8)
    parts += whole[:, None] * units.astype(np.int64)


def allocate_pence_exact(magnitudes: np.ndarray, rows: list[list[int]], names: Sequence[str]) -> np.ndarray:
    """The same split in Python integers, for totals and weights too large for int64."""
    queue_name = sorted(range(len(names)), key=lambda i: (names[i].casefold(), names[i]))
    name_place = {index: place for place, index in enumerate(queue_name)}
    out = []
    for index, pence in enumerate(int(value) for value in magnitudes):
        units = rows[index if len(rows) > 1 else 0]
        total_units = sum(units)
        floors, remainders = zip(*(divmod(pence * unit, total_units) for unit in units), strict=True)
        left = pence - sum(floors)
        queue = sorted(range(len(units)), key=lambda i: (-remainders[i], -units[i], name_place[i]))
        extra = set(queue[:left])
        out.append([floors[i] + (i in extra) for i in range(len(units))])
    return np.array(out, dtype=object)
