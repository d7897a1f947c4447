"""The vectorised split is penny-identical to the Decimal engine, including its ties."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.fast import allocate_pence
from apportion.money import allocate

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


def test_huge_amounts_fall_back_to_python_integers():
    # 10^15 pence x a weight of 10^6 scaled units would overflow int64.
    weights = [Decimal("123456.789"), Decimal("0.001")]
    fast = allocate_pence(np.array([10**15]), weights, ["A", "B"])
    exact = allocate(Decimal(10**15) / 100, {"A": weights[0], "B": weights[1]})
    assert [Decimal(int(p)) / 100 for p in fast[0]] == list(exact.values())


def test_ties_go_to_the_larger_weight_then_the_name():
    # 100p in three equal parts: 33p each, 1p over to the name that sorts first ("a").
    assert allocate_pence(np.array([100]), [1, 1, 1], ["c", "B", "a"]).tolist() == [[33, 33, 34]]


def test_weights_too_wide_to_pack_into_one_key_still_match():
    # total x (largest + 1) x count passes int64, so the queue is sorted key by key instead.
    weights = [Decimal(3_000_000_000), Decimal(2_999_999_999), Decimal(1)]
    names = ["b", "a", "c"]
    totals = np.array([100, 101, 12_345, -7], dtype=np.int64)
    fast = allocate_pence(totals, weights, names)
    for row, total in zip(fast, totals.tolist(), strict=True):
        exact = allocate(Decimal(total) / 100, dict(zip(names, weights, strict=True)))
        assert [Decimal(int(p)) / 100 for p in row] == list(exact.values())
