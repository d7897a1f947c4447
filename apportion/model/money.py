"""The money policy of apportion, stated once.

* Money is ``Decimal`` in pounds, held to the penny. It is built by :func:`D` from text
  or an int, never from a float (a float raises ``TypeError``).
* Ratios (shares, rates) are exact ``Fraction`` values: a re-normalised share such as
  22.2/62.3 is kept as that fraction and never rounded.
* Rounding happens in two functions only, both here:

  - :func:`round_penny` rounds one exact amount to the penny, half up (0.005 -> 0.01),
    as finance spreadsheets do (Excel's ``ROUND``);
  - :func:`allocate` splits a whole-penny amount among keys by weight using the
    largest-remainder method, so that the parts add up exactly to the amount;
  - :func:`round_column` rounds a column of figures for showing (to the pound, or to
    £1,000) by largest remainder too, so that the figures shown add up to the total shown.

* Tie-break in :func:`allocate`: after every part has its floor in whole pence, the pence
  left over go one each to the parts with the largest remainders; equal remainders go
  first to the larger weight, then to the key whose name sorts first (case-folded,
  then exact). The order in which the keys are given never matters.

All arithmetic on remainders is done in integers (pence x integer weights), so ties are
exact and the result does not depend on a precision setting.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import lcm
from typing import NamedTuple, TypeVar

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")

K = TypeVar("K", bound=str)


def D(value: str | int | Decimal) -> Decimal:
    """Build a Decimal from text or an int; refuse floats, which are not exact."""
    if isinstance(value, float):
        raise TypeError(f"money is never built from a float: {value!r}")
    if isinstance(value, bool):
        raise TypeError(f"not an amount: {value!r}")
    return Decimal(value)


def is_whole_pence(amount: Decimal) -> bool:
    """True if ``amount`` has no part smaller than a penny."""
    return amount == amount.quantize(PENNY)


def round_penny(amount: Decimal | Fraction) -> Decimal:
    """Round an exact amount to the penny, half up (away from zero on half a penny)."""
    if isinstance(amount, Decimal):
        return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    return round_decimal(amount, 2)


def to_fraction(value: Decimal | int | Fraction) -> Fraction:
    """An exact Fraction of a Decimal, int or Fraction."""
    return value if isinstance(value, Fraction) else Fraction(value)


class Allocation(NamedTuple):
    """The workings of one part of a largest-remainder split, for people to check.

    ``exact`` is the part before rounding (amount x weight / total weights, in pounds);
    ``floor`` is it rounded down to whole pence; ``remainder`` is what rounding down left,
    as a fraction of a penny; ``rank`` is the part's place in the queue for the pence
    left over (1 = first); ``extra_penny`` says whether it got one; ``amount`` is the part.
    For a negative amount every figure is the negation of the positive split's.

    The split is done in integers (pence, and weights over a common denominator); the
    fractions are made from them when asked for.
    """

    key: str
    sign: int  # -1 for a negative amount
    pence: int  # the whole amount's size, in pence
    units: int  # this part's weight x scale, an integer
    total_units: int
    scale: int  # the weights' common denominator
    floor_pence: int  # unsigned
    remainder_units: int  # unsigned: pence x units mod total_units
    rank: int
    pence_left_over: int
    extra_penny: bool
    amount: Decimal

    @property
    def exact_ratio(self) -> tuple[int, int]:
        """``exact`` as (numerator, denominator), not reduced: the figures in integers."""
        return self.sign * self.pence * self.units, 100 * self.total_units

    @property
    def floor(self) -> Decimal:
        return (Decimal(self.sign * self.floor_pence) / 100).quantize(PENNY)

    def exact_decimal(self, places: int) -> Decimal:
        """``exact`` to ``places`` decimals, worked in integers."""
        return round_ratio(*self.exact_ratio, places)

    def rounding_decimal(self, places: int) -> Decimal:
        """``amount - exact`` (what rounding added), to ``places`` decimals, worked in integers."""
        numerator, denominator = self.exact_ratio
        return round_ratio(int(self.amount.scaleb(2)) * self.total_units - numerator, denominator, places)

    def share_decimal(self, places: int) -> Decimal:
        """``weight / weight_total`` to ``places`` decimals, worked in integers."""
        return round_ratio(self.units, self.total_units, places)


def allocate(amount: Decimal, weights: Mapping[K, Decimal | Fraction | int]) -> dict[K, Decimal]:
    """Split ``amount`` among the keys of ``weights`` in proportion to the weights.

    ``amount`` must be in whole pence (it may be negative: the split of ``-x`` is the
    negation of the split of ``x``). Weights must be non-negative, with a positive total.
    Returns a part for every key, in whole pence, summing exactly to ``amount``.
    Raises ``ValueError`` for fractional pence, a negative weight or a zero total.
    """
    return {key: part.amount for key, part in allocate_with_workings(amount, weights).items()}


def allocate_with_workings(amount: Decimal, weights: Mapping[K, Decimal | Fraction | int]) -> dict[K, Allocation]:
    """:func:`allocate`, with each part's workings (see :class:`Allocation`)."""
    if not is_whole_pence(amount):
        raise ValueError(f"allocate needs whole pence, got {amount}")
    ratios = {key: ratio_of(weight) for key, weight in weights.items()}
    if any(numerator < 0 for numerator, _ in ratios.values()):
        raise ValueError("weights must be non-negative")
    if not any(numerator for numerator, _ in ratios.values()):
        raise ValueError("weights must have a positive total")
    sign = -1 if amount < 0 else 1

    # Integer weights over a common denominator keep every remainder exact.
    scale = lcm(*(denominator for _, denominator in ratios.values()))
    units = {key: numerator * (scale // denominator) for key, (numerator, denominator) in ratios.items()}
    total_units = sum(units.values())
    pence = int(abs(amount) * 100)

    floors: dict[K, int] = {}
    remainders: dict[K, int] = {}
    for key, unit in units.items():
        floors[key], remainders[key] = divmod(pence * unit, total_units)
    left_over = pence - sum(floors.values())
    by_claim = sorted(units, key=lambda key: (-remainders[key], -units[key], key.casefold(), key))
    rank = {key: place for place, key in enumerate(by_claim, start=1)}
    return {
        key: Allocation(
            key=key,
            sign=sign,
            pence=pence,
            units=units[key],
            total_units=total_units,
            scale=scale,
            floor_pence=floors[key],
            remainder_units=remainders[key],
            rank=rank[key],
            pence_left_over=left_over,
            extra_penny=rank[key] <= left_over,
            amount=Decimal(sign * (floors[key] + (rank[key] <= left_over))).scaleb(-2),
        )
        for key in weights
    }


def ratio_of(weight: Decimal | Fraction | int) -> tuple[int, int]:
    """A weight as (numerator, denominator), exactly."""
    if isinstance(weight, int):
        return weight, 1
    return weight.as_integer_ratio()


def plain(number: Decimal | int, *, signed: bool = False, grouped: bool = False) -> str:
    """A number as a person writes it, never with an exponent: '0.000000001', not '1E-9'.
    ``signed`` puts '+' before a positive number; ``grouped`` adds thousands commas."""
    text = f"{Decimal(number):,f}" if grouped else f"{Decimal(number):f}"
    return f"+{text}" if signed and number > 0 else text


def format_gbp(amount: Decimal) -> str:
    """'£1,234.56' or '-£1,234.56', for messages and the terminal."""
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def round_decimal(value: Fraction, places: int) -> Decimal:
    """A Fraction as a Decimal with ``places`` decimals, half up (away from zero)."""
    return round_ratio(value.numerator, value.denominator, places)


def round_ratio(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator / denominator (denominator > 0) as :func:`round_decimal` rounds it,
    without making a Fraction (which reduces by the greatest common divisor first)."""
    whole, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return Decimal(-whole if numerator < 0 else whole).scaleb(-places)


def round_column(
    amounts: Mapping[K, Decimal | Fraction], step: Decimal, total: Decimal | Fraction | None = None
) -> dict[K, Decimal]:
    """A column of figures rounded to multiples of ``step`` (``Decimal(1)``: whole pounds;
    ``Decimal(1000)``: £000) for a document, adding up exactly to ``total`` rounded to the
    step (default: the amounts' sum), half up.

    The largest-remainder method, for figures of either sign: each is rounded down to the
    step, and the steps left over (the rounded total less the rounded-down figures) go one
    each to the figures with the largest remainders; equal remainders go first to the larger
    figure (by size), then to the key whose name sorts first. Should more steps be left over
    than there are figures (or fewer than none, a ``total`` given far from the sum), every
    figure takes the whole number of them first. So no figure moves by a whole step or more
    unless ``total`` forces it, and the order of the keys never matters.
    """
    unit = Fraction(step)
    values = {key: Fraction(amount) / unit for key, amount in amounts.items()}
    whole = Fraction(total) / unit if total is not None else sum(values.values(), Fraction(0))
    target = int(round_ratio(whole.numerator, whole.denominator, 0))
    if not values:
        return {}
    floors = {key: value.numerator // value.denominator for key, value in values.items()}
    each, left_over = divmod(target - sum(floors.values()), len(values))
    by_claim = sorted(values, key=lambda key: (floors[key] - values[key], -abs(values[key]), key.casefold(), key))
    extra = set(by_claim[:left_over])
    return {key: Decimal(floors[key] + each + (key in extra)) * step for key in amounts}
