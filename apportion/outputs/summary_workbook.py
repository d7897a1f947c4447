"""Where each cell of the summary workbook is written: a row a member (its share, cash, in
kind and total), each member by unit, the reconciliation of every unit, every member's line
for every unit with every queue for the pence left over proved, the inputs as read, the year
end and plan where the budget has them, the provenance and the warnings.

The Summary's figures add up each member's lines on the Lines sheet, worked from the
Reconciliation's figures for its unit, which are worked from the Inputs
(:mod:`apportion.outputs.unit_sheets`).
"""

from __future__ import annotations

from collections.abc import Sequence

from apportion.model import Apportionment, MemberTotal
from apportion.model.money import ZERO
from apportion.outputs.accounts_sheet import write_accounts_note
from apportion.outputs.exit_sheet import EXIT_SETTLEMENT, write_exit_sheet
from apportion.outputs.instalment_sheet import INSTALMENTS, write_instalments_sheet
from apportion.outputs.line_sheet import write_lines
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    PERCENT,
    Book,
    CellValue,
    Column,
    Row,
    Span,
    absolute,
    money_col,
    ratio,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import Chart, Formula, Series, Sheet
from apportion.outputs.support_sheet import SUPPORT, SUPPORT_IN_UNITS, write_support_sheet
from apportion.outputs.unit_sheets import (
    INPUTS,
    LINES,
    RECONCILIATION,
    Places,
    UnitParts,
    write_inputs,
    write_reconciliation,
)
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet

SUMMARY, CHART, BY_UNIT = "Summary", "Chart", "By unit"
MOST_SLICES = 6  # members: a pie stays legible with this many slices; more are drawn as sorted bars


def summary_workbook(result: Apportionment, provenance: Provenance, parts: UnitParts | None = None) -> Book:
    """Each member's share, cash, in kind and total; each member by unit; the reconciliation,
    every member's line, the inputs and the provenance (``parts``: what it makes of each
    unit that the members' workbooks of the run show alike, kept for them)."""
    book = Book(result, f"{result.budget.collaboration}: contributions {result.budget.year}", provenance)
    summary = book.sheet(SUMMARY, "Each member's net cash payable, in-kind value and total contribution", "summary")
    lines = write_lines(book, result.units, parts=parts)
    write_reconciliation(book, result.units, write_inputs(book, result.units, parts=parts), lines)
    payable = write_headline(book, summary, lines)
    if len(result.units) > 1:
        write_by_unit(book, lines)
    if result.support_flows is not None:
        write_support_sheet(book, result.support_flows, lines, parts)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end)
    write_accounts_note(book)
    if result.plan_years:
        write_plan_sheet(book)
    write_instalments_sheet(book, payable=payable)
    write_exit_sheet(book)
    write_provenance_sheet(book)
    if result.warnings:
        sheet = book.sheet("Warnings", "Warnings")
        row = 4
        for warning in result.warnings:
            row = book.put_text(sheet, row, f"{warning.unit}: {warning.text}")
    book.order(SUMMARY, CHART, BY_UNIT, RECONCILIATION, LINES, SUPPORT, SUPPORT_IN_UNITS, INSTALMENTS, EXIT_SETTLEMENT, INPUTS)
    return book


def by_cash(result: Apportionment) -> list[MemberTotal]:
    """The members, the largest net cash payable first (then by name): the key figure first."""
    return sorted(result.member_totals, key=lambda t: (-t.cash_amount, t.member.casefold(), t.member))


HEADLINE_TOP = 4


def write_headline(book: Book, sheet: Sheet, places: Places) -> str:
    """A row a member: its share of the collaboration's net cash payable, its net cash
    payable and in-kind value (each its lines on the Lines sheet added up) and its total;
    then a chart. Returns the cell of the collaboration's net cash payable."""
    result = book.result
    totals = by_cash(result)
    cash_all = sum((t.cash_amount for t in totals), ZERO)
    lines = places.lines_span
    members = lines.column("member", LINES)
    in_kind = "in_kind" in lines.letters
    columns = [
        Column("member", "Member", 24),
        Column("share", "Share of the net cash payable", 11, PERCENT),
        money_col("cash", "Net cash payable", total=True),
        money_col("in_kind", "In-kind value", total=True),
        money_col("total", "Total contribution (cash + in kind)", total=True),
    ]
    total_row = HEADLINE_TOP + len(totals) + 1
    rows: list[Row] = []
    for t in totals:
        rows.append({
            "member": t.member,
            "share": (lambda r, c, t=t: Formula(f"={c['cash']}{r}/{c['cash']}${total_row}", ratio(t.cash_amount, cash_all)))
            if cash_all else None,
            "cash": lambda r, c, t=t: Formula(f"=SUMPRODUCT(({members}={c['member']}{r})*{lines.column('cash', LINES)})",
                                              t.cash_amount),
            "in_kind": (lambda r, c, t=t: Formula(
                f"=SUMPRODUCT(({members}={c['member']}{r})*{lines.column('in_kind', LINES)})", t.in_kind_amount))
            if in_kind else ZERO,
            "total": lambda r, c, t=t: Formula(f"={c['cash']}{r}+{c['in_kind']}{r}", t.total_amount),
        })  # fmt: skip
    columns[1] = columns[1]._replace(total=bool(cash_all))
    span = book.table(sheet, HEADLINE_TOP, columns, rows, total_label="Total")
    book.finish(sheet, HEADLINE_TOP, portrait=True)
    sheet.freeze = (HEADLINE_TOP, 1)
    below = book.put_text(
        sheet, total_row + 2,
        "Members in order of net cash payable. Each member's figures add up its lines on the Lines sheet"
        + (", unit by unit on the By unit sheet." if len(result.units) > 1 else "."), 90,
    )  # fmt: skip
    chart_members(book, sheet, span, totals, below + 1)
    return f"{SUMMARY}!${span.letters['cash']}${total_row}"


def chart_members(book: Book, sheet: Sheet, span: Span, totals: Sequence[MemberTotal], row: int) -> None:
    """Each member's net cash payable: a pie of a few members' shares, labelled with member
    and share, below the table; more, as bars in order, each member
    named and its figure beside its bar, on a sheet of its own (the table is the chart's
    figures in words)."""
    cash = list(span.letters).index("cash") + 1
    series = [Series(absolute(sheet, span.first, cash, span.last, cash), absolute(sheet, span.header, cash, span.header, cash),
                     cached=[t.cash_amount for t in totals], title_text="Net cash payable")]  # fmt: skip
    names = absolute(sheet, span.first, 1, span.last, 1)
    members = [t.member for t in totals]
    if len(totals) <= MOST_SLICES and all(t.cash_amount > 0 for t in totals):  # below the table, on its page
        sheet.charts.append(Chart("pie", "Share of the total net cash payable", series, names, (row, 1), legend=False,
                                  cached_categories=members, size=(16.0, 11.0)))  # fmt: skip
        return
    chart_sheet = book.sheet(CHART, "Net cash payable by member, largest first (the figures are on the Summary sheet)", "chart")
    chart_sheet.charts.append(
        Chart("horizontal bar", "Net cash payable by member, largest first", series, names, (4, 1), WHOLE_POUNDS,
              legend=False, cached_categories=members, size=(17.5, min(3.0 + 0.48 * len(totals), 23.5)), labelled=True)
    )  # fmt: skip
    chart_sheet.widths.update({column: 8.43 for column in range(1, 10)})
    chart_sheet.max_column = max(chart_sheet.max_column, 9)
    book.finish(chart_sheet, 3, portrait=True)
    chart_sheet.freeze = None


def write_by_unit(book: Book, places: Places) -> None:
    """Each member's net cash payable (and in-kind value) for each unit: its line on the Lines sheet."""
    result = book.result
    sheet = book.sheet(BY_UNIT, "Net cash payable by member and unit (in-kind value below)", "by unit")
    units = result.units
    members = [t.member for t in by_cash(result)]

    def block(top: int, key: str, amount_of: str, heading: str) -> Span:
        columns = (
            Column("member", "Member", 22),
            *(money_col(f"u{i}", u.unit.code, total=True) for i, u in enumerate(units)),
            money_col("all", heading, total=True),
        )
        rows = []
        letter, keys = places.lines_span.letters[key], [f"u{i}" for i in range(len(units))]
        for member in members:
            row: dict[str, CellValue] = {"member": member}
            member_total = ZERO
            for column, unit_result in zip(keys, units, strict=True):
                at = places.lines.get((unit_result.unit.code, member))  # a line for each unit it takes part in
                if at is None:
                    row[column] = None
                    continue
                amount = getattr(unit_result.by_member[member], amount_of)
                member_total += amount
                row[column] = Formula(f"={LINES}!${letter}${at}", amount)
            row["all"] = lambda r, c, t=member_total: Formula(f"=SUM({c['u0']}{r}:{c[f'u{len(units) - 1}']}{r})", t)
            rows.append(row)
        return book.table(sheet, top, columns, rows, total_label="Total")

    cash = block(4, "cash", "cash_amount", "Total net cash payable")
    book.finish(sheet, 4, frozen_columns=1)
    if "in_kind" in places.lines_span.letters and any(unit.unit.in_kind for unit in units):
        row = cash.last + 3
        book.put(sheet, row, 1, "In-kind value by member and unit", font=BOLD)
        block(row + 1, "in_kind", "in_kind_amount", "Total in kind")


WHOLE_POUNDS = '"£"#,##0'
