"""The vectorised split is penny-identical to the Decimal engine, including its ties."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.model.money import allocate
from apportion.rules.bulk_split import allocate_pence

NAMES = ["Avon", "kent", "Kent2", "Essex", "Dorset", "Gwent", "Surrey", "Sussex", "Wiltshire"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    totals=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=20),
    weights=st.lists(st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False), min_size=1, max_size=9),
)
def test_penny_identical_to_the_decimal_engine(totals, weights):
    if sum(weights) == 0:
        weights[0] = Decimal(1)
    names = NAMES[: len(weights)]
    fast = allocate_pence(np.array(totals, dtype=np.int64), weights, names)
    for row, total in zip(fast, totals, strict=True):
        exact = allocate(Decimal(total) / 100, dict(zip(names, weights, strict=True)))
        assert [Decimal(int(p)) / 100 for p in row] == list(exact.values())
        assert int(sum(int(p) for p in row)) == total


def test_weights_too_fine_for_int64_fall_back_to_python_integers():
    # Over a common denominator the weights are 10^20 and 1: total x weight overflows int64.
    weights = [Decimal("1E+10"), Decimal("1E-10")]
    fast = allocate_pence(np.array([10**15]), weights, ["A", "B"])
    exact = allocate(Decimal(10**15) / 100, {"A": weights[0], "B": weights[1]})
    assert [Decimal(int(p)) / 100 for p in fast[0]] == list(exact.values())


def test_ties_go_to_the_larger_weight_then_the_name():
    # 100p in three equal parts: 33p each, 1p over to the name that sorts first ("a").
    assert allocate_pence(np.array([100]), [1, 1, 1], ["c", "B", "a"]).tolist() == [[33, 33, 34]]


def test_weights_too_wide_to_pack_into_one_key_still_match():
    # total x (largest + 1) fits int64 (8 x 10^18) but x count does not, so the queue is
    # sorted key by key instead.
    weights = [Decimal(2_000_000_000), Decimal(1_999_999_999), Decimal(1)]
    names = ["b", "a", "c"]
    totals = np.array([100, 101, 12_345, -7], dtype=np.int64)
    fast = allocate_pence(totals, weights, names)
    for row, total in zip(fast, totals.tolist(), strict=True):
        exact = allocate(Decimal(total) / 100, dict(zip(names, weights, strict=True)))
        assert [Decimal(int(p)) / 100 for p in row] == list(exact.values())


def test_small_and_large_weights_give_the_same_split_in_int32_and_int64():
    # Weights 1, 2, 4 (total 7) are split in int32; the same ratios scaled by 10^9 need
    # int64. Totals past 2^31 pence are split as q x weights plus the split of the rest.
    totals = np.array([0, 1, 6, 7, 8, 2**31 + 5, -(2**40) - 3], dtype=np.int64)
    small = allocate_pence(totals, [1, 2, 4], ["a", "b", "c"])
    large = allocate_pence(totals, [10**9, 2 * 10**9, 4 * 10**9], ["a", "b", "c"])
    assert small.tolist() == large.tolist()
    for row, total in zip(small, totals.tolist(), strict=True):
        exact = allocate(Decimal(total) / 100, {"a": 1, "b": 2, "c": 4})
        assert [Decimal(int(p)) / 100 for p in row] == list(exact.values())
