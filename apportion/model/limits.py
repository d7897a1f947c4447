"""How large a budget apportion handles: every amount, and every total a workbook works
out, under £10,000,000,000,000.

A spreadsheet holds a number as a 64-bit double, exact to 15 or 16 significant digits; a
sum of pounds and pence under £10 trillion (15 digits with the pence) is exact in every
cell, so the workbooks' own arithmetic agrees with apportion's to the penny. The readers
refuse any amount at or over the limit; :func:`totals_over_limit` finds any total that
reaches it (a unit's spending, income or officers in kind, or the collaboration's), for the
readers to report and for :mod:`apportion.rules.prepare` to refuse in a what-if.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from apportion.model.records import Unit

MAX_MONEY = 10**13


def totals_over_limit(units: Iterable[Unit]) -> Iterator[tuple[Unit | None, str, Decimal]]:
    """(unit, what, total) for each total at or over the limit; unit None for the whole
    collaboration. Of a unit's spending and its spending with officers in kind, only the
    first to reach the limit is told."""
    sums = {"spending": Decimal(0), "income": Decimal(0), "officers in kind": Decimal(0)}
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
            yield unit, what, parts[what]
        for what, total in parts.items():
            sums[what] += total
    for what, total in sums.items():
        if total >= MAX_MONEY:
            yield None, what, total
