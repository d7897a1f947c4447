"""Where each CSV field is written: contributions.csv, comparison.csv and sweep.csv.

contributions.csv holds the tidy lines, one per member, unit and item
(:meth:`apportion.model.results.MemberShare.items`), after ``#`` lines of provenance.
Text is quoted, numbers are not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from apportion.model import Apportionment
from apportion.model.money import round_decimal
from apportion.outputs.provenance import Provenance

if TYPE_CHECKING:
    from apportion.rules.compare import Comparison
    from apportion.rules.sweep import Sweep

SHARE_PLACES = 12  # decimals of a share written to the CSV; amounts use the exact share

CSV_COLUMNS = ("year", "unit", "unit_name", "member", "item", "basis", "share", "amount", "in_kind_amount")
COMPARISON_COLUMNS = (
    "member", "unit", "before", "after", "change", "share_of_cost_change", "levy_change", "in_kind_credit_change",
)  # fmt: skip
SWEEP_COLUMNS = ("member", "minimum", "minimum_at", "median", "median_at", "maximum", "maximum_at")

Field = str | Decimal


def csv_rows(result: Apportionment) -> Iterator[tuple[Field, ...]]:
    """The tidy lines of the budget year and of each plan year: summing ``amount`` by year
    and member gives each member's cash payable for that year. Text as str (quoted in the
    file), numbers as Decimal (written bare)."""
    for year_result in (result, *result.plan_years):
        year = year_result.budget.year
        for unit_result, share in year_result.shares():
            unit = unit_result.unit
            for line in share.items():
                yield (
                    year, unit.code, unit.name, share.member, line.item.value, line.basis,
                    round_decimal(line.share, SHARE_PLACES), line.amount, line.in_kind_amount,
                )  # fmt: skip


def table_text(header: Iterable[str], rows: Iterable[Iterable[Field]], preamble: str = "") -> str:
    """A CSV: the preamble, then the header and rows, text quoted and numbers bare."""
    buffer = io.StringIO()
    buffer.write(preamble)
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def contributions_csv(result: Apportionment, provenance: Provenance) -> str:
    """The tidy lines, after '#' lines of provenance."""
    preamble = "".join(f"# {key}: {value}\n" for key, value in provenance.items())
    return table_text(CSV_COLUMNS, csv_rows(result), preamble)


def comparison_csv(comparison: Comparison) -> str:
    """Each unit's and member's before, after and change, and the change by rule."""
    rows = []
    for d in (*comparison.units, *comparison.members):
        rules = dict(d.by_rule)
        rows.append((d.member, d.unit or "all units", d.before_amount, d.after_amount, d.change_amount,
                     rules["share of cost"], rules["levy"], rules["in-kind credit"]))  # fmt: skip
    return table_text(COMPARISON_COLUMNS, rows)


def sweep_csv(sweep: Sweep) -> str:
    """Each member's lowest, middle and highest net cash payable, and the outcome giving each."""
    rows = [
        (e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at, e.maximum_amount, e.maximum_at)
        for e in sweep.exposures()
    ]
    return table_text(SWEEP_COLUMNS, rows)
