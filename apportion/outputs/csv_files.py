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
from apportion.model.names import CSV_NAME, EXITS_NAME, INSTALMENTS_NAME, YEAR_END_NAME
from apportion.model.results import Item
from apportion.outputs.manifest import Field
from apportion.rules.compare import RULES

if TYPE_CHECKING:
    from apportion.model.monitoring import MonitoringReport, PeriodComparison
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
YEAR_END_FIELDS = (
    Field("member", "string", "the member"),
    Field("item", "string", "settlement (its part of a unit's out-turn variance: - returned, + charged), reserves_opening, "
          "reserves_movement, reserves_closing, or capital_financing (its part of a source of the capital programme)"),
    Field("name", "string", "the unit's code for a settlement; the movement's or the source's name"),
    Field("basis", "string", "whose shares the member's part is in"),
    Field("amount", "number", "the member's part in pounds; the parts of each name add up to the collaboration's figure, "
          "and a member's opening and movements to its closing reserves"),
)  # fmt: skip
YEAR_END_KEY = ("member", "item", "name")
EXIT_FIELDS = (
    Field("leaver", "string", "the member leaving the collaboration whose exit settlement the row is part of"),
    Field("member", "string", "the member who pays or receives: the leaver, or a member who stays"),
    Field("item", "string", "a part of the settlement (exit costs, an asset, a liability, the reserves), or an "
          "instalment of it (EXIT1, EXIT2, ...)"),
    Field("due_date", "date", "when an instalment falls due (empty for a part of the settlement)"),
    Field("amount", "number", "what the member pays (+) or receives (-) in pounds; the leaver's parts add up to its "
          "settlement, and each member's instalments to its parts"),
    Field("detail", "string", "how a part is worked, in words, or an instalment's reference"),
)  # fmt: skip
EXIT_KEY = ("leaver", "member", "item")
ACCOUNTS_FIELDS = (
    Field("member", "string", "the member"),
    Field("section", "string", "the part of the note: income, expenditure, assets, liabilities or reserves"),
    Field("line", "string", "the line: an income's source, pay, non-pay, support services, out-turn, or a line of the "
          "balance sheet"),
    Field("amount", "number", "the member's part of the line in pounds; the members' parts of a line add up to it"),
    Field("collaboration_amount", "number", "the collaboration's figure for the line"),
    Field("share", "number", "the member's share it is worked on, to 12 decimals (split by largest remainder)"),
    Field("basis", "string", "whose shares the parts are in"),
    Field("last_year_amount", "number", "the member's part of last year's figure, where given"),
    Field("last_year_collaboration_amount", "number", "the collaboration's figure last year, where given"),
)  # fmt: skip
ACCOUNTS_KEY = ("member", "line")
POSITION_FIELDS = (
    Field("year", "string", "the financial year"),
    Field("period", "string", "the period reported: Q1 to Q4, or M1 to M12"),
    Field("period_end", "date", "the last day of the period"),
    Field("unit", "string", "the unit's code"),
    Field("unit_name", "string", "the unit's name"),
    Field("budget", "number", "the unit's net budget for the year, in pounds"),
    Field("budget_to_date", "number", "the budget spread evenly over the periods, to this one"),
    Field("actual_to_date", "number", "net spending to date, as reported"),
    Field("variance_to_date", "number", "budget to date less actual to date (positive: spent less)"),
    Field("forecast", "number", "the forecast net out-turn for the year"),
    Field("forecast_from", "string", "'reported', or 'actual to date plus the budget for the rest of the year'"),
    Field("variance", "number", "budget less forecast (positive: a forecast under-spend)"),
)  # fmt: skip
POSITION_KEY = ("period", "unit")
VARIANCE_SHARE_FIELDS = (
    Field("year", "string", "the financial year"),
    Field("period", "string", "the period reported"),
    Field("member", "string", "the member"),
    Field("unit", "string", "the unit's code, or 'all units' for the member's total"),
    Field("share", "number", "the member's share of the unit's cost for the year, to 12 decimals"),
    Field("budget", "number", "what the member pays for the unit this year (its share of cost), in pounds"),
    Field("variance_share", "number", "its share of the unit's forecast variance (positive: an under-spend coming back "
          "to it); a unit's add up to its variance"),
)  # fmt: skip
VARIANCE_SHARE_KEY = ("period", "member", "unit")
MOVEMENT_FIELDS = (
    Field("from_period", "string", "the earlier period"),
    Field("to_period", "string", "the later period"),
    Field("unit", "string", "the unit's code, or 'all units' for a member's total"),
    Field("member", "string", "the member, or blank for the unit's own figures"),
    Field("actual_to_date_from", "number", "the unit's net spending to the end of the earlier period"),
    Field("actual_to_date_to", "number", "the unit's net spending to the end of the later period"),
    Field("forecast_from", "number", "the unit's forecast out-turn at the end of the earlier period"),
    Field("forecast_to", "number", "the unit's forecast out-turn at the end of the later period"),
    Field("variance_from", "number", "the forecast variance (a member's: its share) at the earlier period"),
    Field("variance_to", "number", "the forecast variance (a member's: its share) at the later period"),
    Field("variance_moved", "number", "the later less the earlier (positive: the under-spend grew)"),
)  # fmt: skip
MOVEMENT_KEY = ("unit", "member")
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
    return table_text(COMPARISON_FIELDS, comparison_rows(comparison))


def comparison_rows(comparison: Comparison) -> list[tuple[str | Decimal, ...]]:
    """Each unit's and member's before, after and change, and the change by rule."""
    rows: list[tuple[str | Decimal, ...]] = []
    for d in (*comparison.units, *comparison.members):
        rules = dict(d.by_rule)
        rows.append((d.member, d.unit or "all units", d.before_amount, d.after_amount, d.change_amount,
                     *(rules.get(rule, ZERO) for _, rule in RULES)))  # fmt: skip
    return rows


def sweep_csv(sweep: Sweep) -> str:
    return table_text(SWEEP_FIELDS, sweep_rows(sweep))


def sweep_rows(sweep: Sweep) -> list[tuple[str | Decimal, ...]]:
    """Each member's lowest, median and highest net cash payable, and the outcome giving each."""
    return [
        (e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at, e.maximum_amount, e.maximum_at)
        for e in sweep.exposures()
    ]


def positions_csv(report: MonitoringReport, year: str) -> str:
    return table_text(POSITION_FIELDS, position_rows(report, year))


def position_rows(report: MonitoringReport, year: str) -> list[tuple[str | Decimal, ...]]:
    """Each unit's budget, actual to date, forecast and variance at the end of the period."""
    end = report.period_end.isoformat()
    return [
        (year, report.name, end, u.unit, u.name, u.budget_amount, u.profile_amount, u.spent_amount,
         u.variance_to_date_amount, u.forecast_amount, FORECAST_FROM[u.forecast_given], u.variance_amount)
        for u in report.units
    ]  # fmt: skip


FORECAST_FROM = {True: "reported", False: "actual to date plus the budget for the rest of the year"}


def variance_shares_csv(report: MonitoringReport, year: str) -> str:
    return table_text(VARIANCE_SHARE_FIELDS, variance_share_rows(report, year))


def variance_share_rows(report: MonitoringReport, year: str) -> list[tuple[str | Decimal, ...]]:
    """Each member's share of each unit's variance, then its total, in the budget's order of members."""
    rows: list[tuple[str | Decimal, ...]] = []
    for member in report.members:
        mine = [s for s in report.shares if s.member == member]
        rows += [(year, report.name, member, s.unit, round_decimal(s.share, SHARE_PLACES), s.budget_amount, s.variance_amount)
                 for s in mine]  # fmt: skip
        budget = sum((s.budget_amount for s in mine), ZERO)
        rows.append((year, report.name, member, "all units", "", budget, report.member_variance(member)))
    return rows


def movement_csv(comparison: PeriodComparison) -> str:
    """Each unit's spending, forecast and variance at both periods, then each member's share of each."""
    names = (comparison.before.name, comparison.after.name)
    rows: list[tuple[str | Decimal, ...]] = []
    for code, before, after in comparison.units():
        figures = [(p.spent_amount, p.forecast_amount, p.variance_amount) if p else ("", "", ZERO) for p in (before, after)]
        (spent_from, forecast_from, variance_from), (spent_to, forecast_to, variance_to) = figures
        rows.append((*names, code, "", spent_from, spent_to, forecast_from, forecast_to, variance_from, variance_to,
                     Decimal(variance_to) - Decimal(variance_from)))  # fmt: skip
    for member, unit, share_from, share_to in comparison.member_units():
        rows.append((*names, unit, member, "", "", "", "", share_from, share_to, share_to - share_from))
    for member, share_from, share_to in comparison.members():
        rows.append((*names, "all units", member, "", "", "", "", share_from, share_to, share_to - share_from))
    return table_text(MOVEMENT_FIELDS, rows)


def exits_csv(result: Apportionment) -> str:
    """Each exit settlement: the leaver's and each other member's part of each line, then
    each one's instalments."""
    rows: list[tuple[str | Decimal, ...]] = []
    for settled in result.exits:
        for line in settled.lines:
            rows.append((settled.member, settled.member, line.item, "", line.amount, line.working))
            rows += [(settled.member, member, line.item, "", amount, line.working) for member, amount in line.others]
        rows += [(settled.member, i.member, i.label, i.due.isoformat(), i.amount, i.reference) for i in settled.instalments]
    return table_text(EXIT_FIELDS, rows)


def year_end_csv(result: Apportionment) -> str:
    """Each member's own year-end items: its settlement of each unit, its part of the opening
    reserves, of each movement and of the closing reserves, and of each source of capital."""
    outcome = result.year_end
    assert outcome is not None  # noqa: S101 - written where the budget has a year end
    rows: list[tuple[str | Decimal, ...]] = []
    for member in result.budget.member_names:
        rows += [(member, "settlement", s.unit, f"{s.unit}'s shares", dict(s.parts).get(member, ZERO))
                 for s in outcome.settlements if s.parts]  # fmt: skip
        for index, column in enumerate(outcome.reserves):
            item = "reserves_opening" if index == 0 else "reserves_movement"
            rows.append((member, item, column.name, column.basis, column.part_of(member)))
        if outcome.reserves:
            rows.append(
                (member, "reserves_closing", "Closing reserves", outcome.reserves[0].basis, outcome.member_reserves(member))
            )
        rows += [(member, "capital_financing", c.name, c.basis, c.part_of(member)) for c in outcome.capital]
    return table_text(YEAR_END_FIELDS, rows)


RUN_SCHEMAS = {
    CSV_NAME: (CONTRIBUTION_FIELDS, CONTRIBUTION_KEY),
    INSTALMENTS_NAME: (INSTALMENT_FIELDS, INSTALMENT_KEY),
    YEAR_END_NAME: (YEAR_END_FIELDS, YEAR_END_KEY),
    EXITS_NAME: (EXIT_FIELDS, EXIT_KEY),
}


def run_tables(result: Apportionment) -> list[tuple[str, str]]:
    """A run's CSV files by name: its contributions, and its instalments, year end and exit
    settlements where it has them."""
    tables = [(CSV_NAME, contributions_csv(result))]
    tables += [(INSTALMENTS_NAME, instalments_csv(result))] if result.instalments else []
    tables += [(YEAR_END_NAME, year_end_csv(result))] if has_member_year_end(result) else []
    tables += [(EXITS_NAME, exits_csv(result))] if result.exits else []
    return tables


def has_member_year_end(result: Apportionment) -> bool:
    """A year end with a part for each member: a settlement in shares, reserves or capital."""
    outcome = result.year_end
    return outcome is not None and bool(any(s.parts for s in outcome.settlements) or outcome.reserves or outcome.capital)


def accounts_csv(result: Apportionment) -> str:
    """Each member's part of every line of the accounts note, member by member."""
    note = result.accounts
    assert note is not None  # noqa: S101 - written where the year end has accounts
    rows = []
    for member in (m for m in result.budget.member_names if m in note.shares):
        share = round_decimal(note.shares[member], SHARE_PLACES)
        for line in note.lines:
            last: tuple[Value, Value] = ("", "")
            if line.last_year is not None:
                last = (line.last_year_parts.get(member, ZERO), line.last_year)
            rows.append((member, line.section.value, line.name, line.part_of(member), line.amount, share, note.basis, *last))
    return table_text(ACCOUNTS_FIELDS, rows)
