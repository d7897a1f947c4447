"""The money policy: exact construction, one rounding rule, splits that add up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apportion.model.money import (
    D,
    allocate,
    allocate_with_workings,
    format_gbp,
    plain,
    round_column,
    round_decimal,
    round_penny,
)


def test_d_refuses_floats():
    with pytest.raises(TypeError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not an amount: True"):
        D(True)  # a bool is an int to Python, but never an amount
    assert D("0.1") + D("0.2") == D("0.3")


def test_round_penny_is_half_up_for_decimals_and_fractions():
    assert round_penny(Decimal("2.345")) == Decimal("2.35")
    assert round_penny(Decimal("2.344999")) == Decimal("2.34")
    assert round_penny(Decimal("-2.345")) == Decimal("-2.35")  # half away from zero
    assert round_penny(Fraction(2345, 1000)) == Decimal("2.35")
    assert round_penny(Fraction(-2345, 1000)) == Decimal("-2.35")
    assert round_penny(Fraction(1, 3)) == Decimal("0.33")


def test_allocate_east_midlands_by_hand():
    # 20,931,299.00 = 2,093,129,900p. Exact parts in pence:
    #   Notts 27.3%  571,424,462.7   Leics 22.8% 477,233,617.2   Derbys 22.2% 464,674,837.8
    #   Northants 14.9% 311,876,355.1   Lincs 12.8% 267,920,627.2
    # Floors leave 2p; the largest remainders are Derbyshire (.8) then Nottinghamshire (.7).
    parts = allocate(
        Decimal("20931299.00"),
        {"Nottinghamshire": D("27.3"), "Leicestershire": D("22.8"), "Derbyshire": D("22.2"),
         "Northamptonshire": D("14.9"), "Lincolnshire": D("12.8")},
    )  # fmt: skip
    assert parts == {
        "Nottinghamshire": D("5714244.63"),
        "Leicestershire": D("4772336.17"),
        "Derbyshire": D("4646748.38"),
        "Northamptonshire": D("3118763.55"),
        "Lincolnshire": D("2679206.27"),
    }


def test_allocate_ties_go_to_the_larger_weight_then_the_name():
    # £508,013 at 61.5/38.5: 31,242,799.5p and 19,558,500.5p, a tie of half a penny each;
    # the larger weight (Staffordshire) takes the penny.
    assert allocate(D("508013.00"), {"West Midlands": D("38.5"), "Staffordshire": D("61.5")}) == {
        "West Midlands": D("195585.00"),
        "Staffordshire": D("312428.00"),
    }
    # £1.00 in three equal parts: 33.33p each with 1p over, to the name that sorts first.
    assert allocate(D("1.00"), {"c": 1, "B": 1, "a": 1}) == {"c": D("0.33"), "B": D("0.33"), "a": D("0.34")}


def test_allocate_negative_amount_mirrors_the_positive_split():
    assert allocate(D("-1.00"), {"a": 1, "b": 2}) == {"a": D("-0.33"), "b": D("-0.67")}


def test_each_parts_workings_in_pounds():
    # £1.00 by 1:2: a's exact 33.333...p rounds down to £0.33 and b's 66.666...p to £0.66;
    # the penny left goes to b (.666 against .333), so b's rounding adds 0.333...p, a's takes
    # off 0.333...p. Negative, every figure is negated.
    workings = allocate_with_workings(D("1.00"), {"a": 1, "b": 2})
    assert [(w.floor, w.exact_decimal(4), w.rounding_decimal(4), w.share_decimal(4)) for w in workings.values()] == [
        (D("0.33"), D("0.3333"), D("-0.0033"), D("0.3333")),
        (D("0.66"), D("0.6667"), D("0.0033"), D("0.6667")),
    ]
    negative = allocate_with_workings(D("-1.00"), {"a": 1, "b": 2})
    assert [(w.floor, w.exact_decimal(4), w.rounding_decimal(4)) for w in negative.values()] == [
        (D("-0.33"), D("-0.3333"), D("0.0033")),
        (D("-0.66"), D("-0.6667"), D("-0.0033")),
    ]


def test_negative_split_has_no_negative_zero():
    parts = allocate(D("-1.00"), {"a": 0, "b": 1})
    assert [str(p) for p in parts.values()] == ["0.00", "-1.00"]


def test_allocate_refuses_what_it_cannot_split():
    with pytest.raises(ValueError, match="whole pence"):
        allocate(D("1.005"), {"a": 1})
    with pytest.raises(ValueError, match="negative"):
        allocate(D("1.00"), {"a": -1, "b": 2})
    with pytest.raises(ValueError, match="positive total"):
        allocate(D("1.00"), {"a": 0})


def test_format_gbp():
    assert format_gbp(D("1234567.5")) == "£1,234,567.50"
    assert format_gbp(D("-5")) == "-£5.00"


pence = st.integers(min_value=-(10**13), max_value=10**13).map(lambda p: Decimal(p) / 100)
weights = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJabc xyz", min_size=1, max_size=6),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
).filter(lambda w: sum(w.values()) > 0)


@given(pence, weights)
def test_parts_always_sum_to_the_whole(amount, table):
    parts = allocate(amount, table)
    assert sum(parts.values()) == amount
    assert set(parts) == set(table)
    assert all(part == part.quantize(Decimal("0.01")) for part in parts.values())


@given(pence, weights, st.randoms())
def test_order_of_keys_never_changes_a_part(amount, table, rnd):
    keys = list(table)
    rnd.shuffle(keys)
    assert allocate(amount, {k: table[k] for k in keys}) == allocate(amount, table)


@given(pence, weights)
def test_each_part_is_within_a_penny_of_its_exact_share(amount, table):
    total = sum(table.values())
    for key, part in allocate(amount, table).items():
        exact = Fraction(amount) * Fraction(table[key]) / Fraction(total)
        assert abs(Fraction(part) - exact) < Fraction(1, 100)


@given(pence, weights, st.integers(min_value=0, max_value=12))
def test_workings_in_decimals_are_the_fractions_rounded(amount, table, places):
    # The workbooks write these in integers for speed; each must be the exact Fraction
    # (worked independently here from the amount and the weights) rounded half up.
    total = sum(table.values())
    for key, working in allocate_with_workings(amount, table).items():
        exact = Fraction(amount) * Fraction(table[key]) / Fraction(total)
        assert working.exact_decimal(places) == round_decimal(exact, places)
        assert working.rounding_decimal(places) == round_decimal(Fraction(working.amount) - exact, places)
        assert working.share_decimal(places) == round_decimal(Fraction(table[key]) / Fraction(total), places)


def test_round_decimal_is_half_away_from_zero():
    assert round_decimal(Fraction(5, 1000), 2) == Decimal("0.01")
    assert round_decimal(Fraction(-5, 1000), 2) == Decimal("-0.01")
    assert round_decimal(Fraction(4999, 1000000), 2) == Decimal("0.00")
    assert round_decimal(Fraction(1, 3), 4) == Decimal("0.3333")


def test_plain_writes_every_decimal_without_an_exponent():
    assert [plain(D(t)) for t in ("1E-9", "1E+3", "0E-12", "-0.00000050", "12.5")] == [
        "0.000000001",
        "1000",
        "0.000000000000",
        "-0.00000050",
        "12.5",
    ]
    assert (plain(D("1E-7"), signed=True), plain(D("-2"), signed=True), plain(D("0"), signed=True)) == ("+0.0000001", "-2", "0")
    assert plain(D("1234567.5"), grouped=True) == "1,234,567.5"
    assert plain(7) == "7"


THOUSAND = Decimal(1000)


def test_round_column_east_midlands_to_thousands_by_hand():
    # The five forces' contributions (the allocate test above), in £000: 5,714.24463,
    # 4,772.33617, 4,646.74838, 3,118.76355, 2,679.20627; total 20,931.299 -> 20,931.
    # Rounded down: 5,714 + 4,772 + 4,646 + 3,118 + 2,679 = 20,929, so 2 go to the largest
    # remainders: Derbyshire (.748) and Northamptonshire (.764); Nottinghamshire's .245 does not.
    parts = round_column(
        {"Nottinghamshire": D("5714244.63"), "Leicestershire": D("4772336.17"), "Derbyshire": D("4646748.38"),
         "Northamptonshire": D("3118763.55"), "Lincolnshire": D("2679206.27")},
        THOUSAND,
    )  # fmt: skip
    assert parts == {
        "Nottinghamshire": D("5714000"),
        "Leicestershire": D("4772000"),
        "Derbyshire": D("4647000"),
        "Northamptonshire": D("3119000"),
        "Lincolnshire": D("2679000"),
    }


def test_round_column_where_rounding_each_would_not_add_up():
    # Three thirds of £1,000: each 333.33 rounds to 333, which adds up to 999, not 1,000.
    # The pound left over goes to the name that sorts first (the remainders and sizes tie).
    parts = round_column({"c": D("333.33"), "b": D("333.33"), "a": D("333.34")}, Decimal(1))
    assert parts == {"c": D("333"), "b": D("333"), "a": D("334")}


def test_round_column_gives_a_tied_step_to_the_larger_figure_before_the_name():
    # £1,500 and £2,500 in £000: 1.5 and 2.5, adding up to 4. Rounded down, 1 + 2 = 3, so one
    # £1,000 is left over; both remainders are .5, a tie, so it goes to the larger figure,
    # Leicestershire's 2.5, though Derbyshire's name sorts first: 1,000 and 3,000.
    parts = round_column({"Derbyshire": D("1500"), "Leicestershire": D("2500")}, THOUSAND)
    assert parts == {"Derbyshire": D("1000"), "Leicestershire": D("3000")}


def test_round_column_of_changes_of_either_sign():
    # -1.5 and 2.5004 thousand and nothing: the sum 1.0004 rounds to 1. Rounded down:
    # -2, 2 and 0, so 1 is left over, and it goes to the larger remainder, 2.5004's (.5004 > .5).
    parts = round_column({"a": D("-1500"), "b": D("2500.40"), "c": D("0")}, THOUSAND)
    assert parts == {"a": D("-2000"), "b": D("3000"), "c": D("0")}
    # A total given: the bridge's steps add up to the difference of two rounded totals.
    assert round_column({"a": D("-1500"), "b": D("2500.40")}, THOUSAND, total=D("2000")) == {"a": D("-1000"), "b": D("3000")}


column = st.dictionaries(
    st.text(alphabet="ABCabc xyz", min_size=1, max_size=5),
    st.integers(min_value=-(10**12), max_value=10**12).map(lambda p: Decimal(p) / 100),
    max_size=45,
)


@given(column, st.sampled_from([Decimal(1), THOUSAND]), st.randoms())
def test_a_rounded_column_adds_up_to_its_rounded_total(amounts, step, rnd):
    parts = round_column(amounts, step)
    total = round_decimal(Fraction(sum(amounts.values(), Decimal(0))) / Fraction(step), 0) * step
    assert sum(parts.values(), Decimal(0)) == total
    assert all(abs(Fraction(parts[k]) - Fraction(v)) < Fraction(step) for k, v in amounts.items())
    assert all(part % step == 0 for part in parts.values())
    keys = list(amounts)
    rnd.shuffle(keys)
    assert round_column({k: amounts[k] for k in keys}, step) == parts
