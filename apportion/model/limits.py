"""How large a budget apportion handles: every amount, and every figure it works out,
under £10,000,000,000,000.

A spreadsheet holds a number as a 64-bit double, exact to 15 or 16 significant digits; a
sum of pounds and pence under £10 trillion (15 digits with the pence) is exact in every
cell, so the workbooks' own arithmetic agrees with apportion's to the penny. The readers
refuse any amount at or over the limit; :func:`totals_over_limit` finds any total of a
budget that reaches it (a unit's spending, income, officers in kind or activity charges,
or the collaboration's), for the readers to report and for :mod:`apportion.rules.prepare`
to refuse in a what-if; :func:`check_figure` refuses any other figure the rules work out
(an actual to date, closing reserves) with :class:`LimitError`.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction

from apportion.model.messages import ApportionError
from apportion.model.money import format_gbp, round_decimal, to_fraction
from apportion.model.records import Unit

MAX_MONEY = 10**13
ACTIVITY = "activity charges (rate x quantity)"
OVER_LIMIT = f"more than apportion handles (under £{MAX_MONEY:,}, what a spreadsheet holds to the penny)"


class LimitError(ApportionError):
    """A figure apportion works out (a total, an actual to date, closing reserves) would be
    larger than a spreadsheet holds to the penny."""


def over_limit(amount: Decimal | Fraction) -> bool:
    return amount >= MAX_MONEY or amount <= -MAX_MONEY


def check_figure(what: str, amount: Decimal | Fraction) -> None:
    """Raises LimitError naming ``what`` where ``amount`` reaches the limit."""
    if over_limit(amount):
        shown = amount if isinstance(amount, Decimal) else round_decimal(amount, 2)
        raise LimitError(f"{what} would be {format_gbp(shown)}, {OVER_LIMIT}")


def activity_charges(unit: Unit) -> Fraction:
    """What an activity unit's rates charge in all (rate x quantity for each), exactly."""
    if unit.activity is None:
        return Fraction(0)
    rate = to_fraction(unit.activity.rate_amount)
    return sum((to_fraction(quantity) * rate for quantity in unit.activity.quantities.values()), Fraction(0))


def totals_over_limit(units: Iterable[Unit]) -> Iterator[tuple[Unit | None, str, Decimal]]:
    """(unit, what, total) for each total at or over the limit; unit None for the whole
    collaboration, told where no unit's own total of the same reaches it. Of a unit's
    spending and its spending with officers in kind, only the first to reach the limit is told.

    Amounts in pence under the limit add up exactly as Decimals (28 digits), faster than
    as fractions; activity charges (rate x quantity) are added up exactly as fractions."""
    sums = dict.fromkeys(("spending", "income", "officers in kind"), Decimal(0))
    charges, charged = Fraction(0), ACTIVITY
    told: set[str] = set()  # a unit's total told: the collaboration's of the same is no news
    for unit in units:
        parts = {
            "spending": sum((line.amount for line in unit.lines), Decimal(0)),
            "income": sum((income.amount for income in unit.income), Decimal(0)),
            "officers in kind": sum((oik.value_amount for oik in unit.in_kind), Decimal(0)),
        }
        over = [what for what, total in parts.items() if total >= MAX_MONEY]
        if "spending" not in over and parts["spending"] + parts["officers in kind"] >= MAX_MONEY:
            yield unit, "spending and officers in kind", parts["spending"] + parts["officers in kind"]
        for what in over:
            told.add(what)
            yield unit, what, parts[what]
        for what, total in parts.items():
            sums[what] += total
        if unit.activity is not None:
            charged_here = activity_charges(unit)
            if charged_here >= MAX_MONEY:
                told.add(charged)
                yield unit, charged, round_decimal(charged_here, 2)
            charges += charged_here
    for what, total in sums.items():
        if total >= MAX_MONEY and what not in told:
            yield None, what, total
    if charges >= MAX_MONEY and charged not in told:
        yield None, charged, round_decimal(charges, 2)
