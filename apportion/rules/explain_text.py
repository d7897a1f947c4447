"""How figures are written in the steps of a derivation: exact amounts with '...' where
they do not end, percentages, and why a rounded part is what it is. Pure: no I/O."""

from collections.abc import Container, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.messages import counted
from apportion.model.money import Allocation, format_gbp, round_ratio


def as_words(name: str, bases: Container[str] | None = None) -> str:
    """A basis's key as a reader sees it: 'funding_formula' is 'funding formula'. Where a
    name may be a basis's or not (shares held in a unit's, "U's shares"), ``bases``: only
    a basis's key is spaced; a unit's code is shown as it is written."""
    return name.replace("_", " ") if bases is None or name in bases else name


class Step(NamedTuple):
    """One step of a derivation: what it is, how it is worked, and the figure it gives."""

    label: str
    working: str
    amount: Decimal | None = None


# Each figure is given as a fraction, or as the integers numerator / denominator (not
# necessarily in lowest terms) that the core's workings hold: a national run words some
# 200,000 figures, and making each a Fraction first would cost a greatest common divisor.


def ends_within(numerator: int, denominator: int, places: int) -> bool:
    """Whether numerator / denominator ends within ``places`` decimals (so showing that many is exact)."""
    return bool(numerator * 10**places % denominator == 0)


def ratio_text(numerator: int, denominator: int, places: int = 6) -> str:
    """numerator / denominator (denominator > 0) as decimals, with '...' where it does not end there."""
    shown = round_ratio(numerator, denominator, places)
    if ends_within(numerator, denominator, places):
        return f"{shown.normalize():f}"
    return f"{shown}..."


def money_exact(value: Fraction) -> str:
    """£ with commas, to the exact value (more places than pence where it has them)."""
    return money_ratio(value.numerator, value.denominator)


def money_ratio(numerator: int, denominator: int) -> str:
    """:func:`money_exact` of numerator / denominator pounds (denominator > 0)."""
    sign = "-" if numerator < 0 else ""
    shown = round_ratio(abs(numerator), denominator, 6)
    text = f"{shown:,.6f}".rstrip("0")
    if text.endswith("."):
        text += "00"
    elif len(text.split(".")[1]) < 2:
        text += "0"
    return f"{sign}£{text}{'' if ends_within(numerator, denominator, 6) else '...'}"


def total_text(working: Allocation) -> str:
    """The total of the weights a split shares by, as its workings give it (the same for every part)."""
    return ratio_text(working.total_units, working.scale)


def exact_of(working: Allocation) -> str:
    """The part before rounding, in £, from the split's integers."""
    return money_ratio(*working.exact_ratio)


def percent_exact(share: Fraction) -> str:
    return ratio_text(share.numerator * 100, share.denominator, 6) + "%"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rounding_step(label: str, working: Allocation, member: str, exact: str = "") -> Step:
    """Why a part is what it is: its floor, its remainder, and the queue for left-over pence
    (``exact``: the part before rounding, where the caller has worded it already)."""
    exact = exact or exact_of(working)
    if working.remainder_units == 0 and not working.extra_penny:
        return Step(label, f"{exact} is exact to the penny; no rounding", working.amount)
    got = "receives" if working.extra_penny else "does not receive"
    one = working.pence_left_over == 1
    if working.pence_left_over == 0:
        queue = "no pence were left over after rounding every part down"
    else:
        queue = (
            f"{counted(working.pence_left_over, 'penny', 'pence')} {'was' if one else 'were'} left over after rounding "
            f"every part down; {'it goes to the largest remainder' if one else 'they go one each to the largest remainders'} "
            f"(ties: larger weight, then name). {member} is {ordinal(working.rank)} in that queue, so it {got} "
            f"{'it' if one else 'one'}"
        )
    return Step(
        label,
        f"{exact} rounded down to {format_gbp(working.floor)} "
        f"(remainder {ratio_text(working.remainder_units, working.total_units, 3)} of a penny); {queue}",
        working.amount,
    )


def split_steps(
    exact_label: str, rounded_label: str, whole: str, working: Allocation, member: str, *, total: str = ""
) -> Iterator[Step]:
    """The exact part of ``whole`` (a worded amount) a member's weight gives, then its rounding
    (``total``: the weights' total, :func:`total_text`, where the caller has worded it already)."""
    exact = exact_of(working)
    total = total or total_text(working)
    yield Step(exact_label, f"{whole} x {ratio_text(working.units, working.scale)} / {total} = {exact}")
    yield rounding_step(rounded_label, working, member, exact)
