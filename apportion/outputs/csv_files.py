"""Where each CSV field is written: contributions.csv, comparison.csv and sweep.csv.

Each is a plain CSV (RFC 4180): one header row, then the rows; text quoted, numbers bare
and never with an exponent; UTF-8. contributions.csv holds the tidy lines, one per year,
member, unit and item (:meth:`apportion.model.results.MemberShare.items`); what made them
is recorded beside it, in datapackage.json. The columns of each are described below, once,
for the CSV's header and for the Table Schema in datapackage.json.

A text field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a ``'`` before it, as OWASP's guidance on CSV injection says, so that no name
from an input becomes a formula when the file is opened in a spreadsheet program.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from apportion.model import Apportionment
from apportion.model.money import ZERO, round_decimal
from apportion.model.results import Item
from apportion.outputs.manifest import Field
from apportion.rules.compare import RULES

if TYPE_CHECKING:
    from apportion.rules.compare import Comparison
    from apportion.rules.sweep import Sweep

SHARE_PLACES = 12  # decimals of a share written to the CSV; amounts use the exact share

CONTRIBUTION_FIELDS = (
    Field("year", "string", "the financial year: the budget's, or a later year of its plan"),
    Field("unit", "string", "the unit's code"),
    Field("unit_name", "string", "the unit's name"),
    Field("member", "string", "the member"),
    Field("member_kind", "string", "what kind of body the member is: police force, fire and rescue service, ..."),
    Field("item", "string", "what the line is: " + ", ".join(item.value for item in Item)),
    Field("basis", "string", "the basis the item is shared by, 'fixed amount', the levy, or 'in kind'"),
    Field("share", "number", "the share the line is worked on, to 12 decimals: the member's re-normalised share of the "
          "unit; for the levy the lead receives, the payers' shares (the amounts use the exact share)"),
    Field("amount", "number", "cash in pounds, negative for money received or credited"),
    Field("in_kind_amount", "number", "value given in kind that the line accounts for, in pounds"),
)  # fmt: skip
CONTRIBUTION_KEY = ("year", "unit", "member", "item")
INSTALMENT_FIELDS = (
    Field("member", "string", "the member invoiced"),
    Field("instalment", "string", "which instalment of the year: Q1 to Q4, M01 to M12, H1, H2, Y1, or I1 to I6"),
    Field("due_date", "date", "when it falls due"),
    Field("amount", "number", "the invoice in pounds (negative: a credit note); a member's add up to its net cash payable"),
    Field("reference", "string", "the invoice reference, the same each time the same budget is run"),
    Field("schedule", "string", "how the member is invoiced: quarterly, monthly, ..., in advance or in arrears"),
)  # fmt: skip
INSTALMENT_KEY = ("member", "instalment")
COMPARISON_FIELDS = (
    Field("member", "string", "the member"),
    Field("unit", "string", "the unit's code, or 'all units' for the member's total"),
    Field("before", "number", "net cash payable before, in pounds"),
    Field("after", "number", "net cash payable after, in pounds"),
    Field("change", "number", "after less before"),
    Field("share_of_cost_change", "number", "the change in the member's share of cost"),
    Field("support_charges_change", "number", "the change in what support units charge it, through the units it pays for"),
    Field("income_returned_change", "number", "the change in income returned to it by a split of its own (- returned)"),
    Field("levy_change", "number", "the change in its levy (+ payable, - receivable)"),
    Field("in_kind_credit_change", "number", "the change in its in-kind credit"),
)
COMPARISON_KEY = ("member", "unit")
SWEEP_FIELDS = (
    Field("member", "string", "the member"),
    Field("minimum", "number", "its lowest net cash payable over the outcomes, in pounds"),
    Field("minimum_at", "string", "the outcome that gives the lowest"),
    Field(
        "median",
        "number",
        "its median net cash payable: the outcome in the middle when they are put in order of it (of an even count, the "
        "lower of the two in the middle)",
    ),  # fmt: skip
    Field("median_at", "string", "the outcome that gives the median"),
    Field("maximum", "number", "its highest net cash payable"),
    Field("maximum_at", "string", "the outcome that gives the highest"),
)
SWEEP_KEY = ("member",)
CSV_COLUMNS = tuple(field.name for field in CONTRIBUTION_FIELDS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Value = str | Decimal


def csv_rows(result: Apportionment) -> Iterator[tuple[Value, ...]]:
    """The tidy lines of the budget year and of each plan year: summing ``amount`` by year
    and member gives each member's cash payable for that year. Text as str (quoted in the
    file), numbers as Decimal (written bare)."""
    kinds = {member.name: member.kind for member in result.budget.members}
    for year_result in (result, *result.plan_years):
        year = year_result.budget.year
        for unit_result, share in year_result.shares():
            unit = unit_result.unit
            for line in share.items():
                yield (
                    year, unit.code, unit.name, share.member, kinds[share.member], line.item.value, line.basis,
                    round_decimal(line.share, SHARE_PLACES), line.amount, line.in_kind_amount,
                )  # fmt: skip


class Plain(Decimal):
    """A number written as a person reads it, never with an exponent (0.000000000000, not 0E-12)."""

    def __str__(self) -> str:
        return format(self, "f")


def neutralised(value: Value) -> Value:
    """A field as written: a number plain; text that a spreadsheet would take for a formula
    with a ' first."""
    if isinstance(value, Decimal):
        return Plain(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_text(fields: Iterable[Field], rows: Iterable[Iterable[Value]]) -> str:
    """A CSV: the header and the rows, text quoted (and neutralised) and numbers bare."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([field.name for field in fields])
    writer.writerows([neutralised(value) for value in row] for row in rows)
    return buffer.getvalue()


def contributions_csv(result: Apportionment) -> str:
    """The tidy lines of every year, member, unit and item."""
    return table_text(CONTRIBUTION_FIELDS, csv_rows(result))


def instalments_csv(result: Apportionment) -> str:
    """Each member's instalments, in the budget's order of members, then by due date."""
    invoicing = result.budget.invoicing
    rows = [
        (i.member, i.label, i.due.isoformat(), i.amount, i.reference, invoicing.of(i.member).describe() if invoicing else "")
        for i in result.instalments
    ]
    return table_text(INSTALMENT_FIELDS, rows)


def comparison_csv(comparison: Comparison) -> str:
    """Each unit's and member's before, after and change, and the change by rule."""
    rows: list[tuple[str | Decimal, ...]] = []
    for d in (*comparison.units, *comparison.members):
        rules = dict(d.by_rule)
        rows.append((d.member, d.unit or "all units", d.before_amount, d.after_amount, d.change_amount,
                     *(rules.get(rule, ZERO) for _, rule in RULES)))  # fmt: skip
    return table_text(COMPARISON_FIELDS, rows)


def sweep_csv(sweep: Sweep) -> str:
    """Each member's lowest, median and highest net cash payable, and the outcome giving each."""
    rows = [
        (e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at, e.maximum_amount, e.maximum_at)
        for e in sweep.exposures()
    ]
    return table_text(SWEEP_FIELDS, rows)
