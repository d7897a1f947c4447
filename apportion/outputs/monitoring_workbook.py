"""Where each cell of monitoring.xlsx is written: each unit's budget, actual to date,
forecast and variance at the end of a period, the actuals period by period, and each
member's share of each variance, with a chart of budget against forecast by unit.

Actual to date adds up the Actuals sheet; the variances, a forecast made of the budget
for the rest of the year, the members' exact shares of each variance and every total are
formulas over the cells they come from, so the workbook recalculates when an actual is
corrected; the shares in pennies are apportion's (largest remainder) and a check beside
each unit shows they add up to its variance.
"""

from __future__ import annotations

from decimal import Decimal

from apportion.model import Apportionment
from apportion.model.money import ZERO
from apportion.model.monitoring import MonitoringReport, PeriodComparison, UnitPosition, period_name
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    EXACT,
    MONEY,
    PERCENT,
    Book,
    CellValue,
    Column,
    Row,
    Span,
    absolute,
    exact,
    money_col,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import LETTERS, Chart, Formula, Series, Sheet, quote_sheet

WHOLE_POUNDS = '"£"#,##0'
POSITION, ACTUALS, MEMBERS = "Position", "Actuals", "Members"
TOP = 5  # the tables' header row, below the title, subtitle and a line about the period

POSITION_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("unit", "Unit", 30, wrap=True),
    money_col("budget", "Budget for the year", total=True),
    money_col("profile", "Budget to date", total=True),
    money_col("spent", "Actual to date", total=True),
    money_col("to_date", "Variance to date (under-spend +)", total=True),
    money_col("forecast", "Forecast out-turn", total=True),
    Column("variance", "Forecast variance (under-spend +, over-spend -)", 18, MONEY, total=True),
    Column("percent", "Variance % of budget", 10, PERCENT),
    Column("from", "Forecast from", 24, wrap=True),
)


def monitoring_workbook(report: MonitoringReport, result: Apportionment, provenance: Provenance) -> Book:
    """The position at the end of the period, the actuals, and the members' shares of each variance."""
    book = Book(result, f"Monitoring at the end of {report.describe()}", provenance)
    actuals = write_actuals(book, report)
    position = write_position(book, report, actuals)
    write_members(book, report, position)
    write_provenance_sheet(book)
    book.order(POSITION, MEMBERS, ACTUALS)
    return book


def write_actuals(book: Book, report: MonitoringReport) -> Span:
    sheet = book.sheet(ACTUALS, f"Net spending by unit and {report.periods.noun}, as reported", "actuals")
    book.put(sheet, 3, 1, "Spending less income, as each unit's net budget is; a forecast is the year's out-turn expected then.")
    names = [period_name(report.periods, p) for p in range(1, report.period + 1)]
    columns = (
        Column("code", "Unit code", 14),
        *(money_col(name, name, total=True) for name in names),
        money_col("total", "Actual to date", total=True),
    )
    rows: list[Row] = []
    for unit in report.units:
        row: dict[str, CellValue] = {"code": unit.unit, **dict(zip(names, unit.by_period, strict=True))}
        row["total"] = lambda r, c, u=unit: Formula(f"=SUM({c[names[0]]}{r}:{c[names[-1]]}{r})", u.spent_amount)
        rows.append(row)
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.excel_table(sheet, "Actuals", span)
    book.finish(sheet, TOP, frozen_columns=1)
    return span


def write_position(book: Book, report: MonitoringReport, actuals: Span) -> Span:
    sheet = book.sheet(POSITION, f"Budget, actual to date and forecast out-turn at the end of {report.describe()}", "monitoring")
    book.put(sheet, 3, 1, "Variances are budget less actual or forecast: positive, an under-spend; negative, an over-spend.")
    if report.revisions:
        book.put(sheet, 4, 1, f"The budget as revised to the end of {report.name}: it {report.revisions}.")
    actual_ref = f"{quote_sheet(ACTUALS)}!{actuals.letters['total']}"
    rows: list[Row] = []
    for index, unit in enumerate(report.units):
        source_row = actuals.first + index
        rows.append({
            "code": unit.unit,
            "unit": unit.name,
            "budget": unit.budget_amount,
            "profile": unit.profile_amount,
            "spent": lambda r, c, row=source_row, u=unit: Formula(f"={actual_ref}{row}", u.spent_amount),
            "to_date": lambda r, c, u=unit: Formula(f"={c['profile']}{r}-{c['spent']}{r}", u.variance_to_date_amount),
            "forecast": unit.forecast_amount if unit.forecast_given else forecast_formula(unit),
            "variance": lambda r, c, u=unit: Formula(f"={c['budget']}{r}-{c['forecast']}{r}", u.variance_amount),
            "percent": percent_formula(unit) if unit.budget_amount else None,
            "from": "reported" if unit.forecast_given else "actual to date + budget for the rest of the year",
        })  # fmt: skip
    span = book.table(sheet, TOP, POSITION_COLUMNS, rows, total_label="Total")
    book.excel_table(sheet, "Position", span)
    book.finish(sheet, TOP, frozen_columns=1)
    if len(report.units) > 1:  # a chart of one bar says nothing the table does not
        chart(book, sheet, report, span)
    return span


def percent_formula(unit: UnitPosition) -> CellValue:
    return lambda r, c: Formula(f"={c['variance']}{r}/{c['budget']}{r}", unit.variance_amount / unit.budget_amount)


def forecast_formula(unit: UnitPosition) -> CellValue:
    """Where no forecast was reported: the actual to date plus the budget for the rest of the year."""
    return lambda r, c: Formula(f"={c['spent']}{r}+{c['budget']}{r}-{c['profile']}{r}", unit.forecast_amount)


def chart(book: Book, sheet: Sheet, report: MonitoringReport, span: Span) -> None:
    """The forecast variance by unit, a bar each, labelled with its figure (an under-spend
    to the right of nought, an over-spend to the left), on a page of its own: the variance a
    finance officer looks for, not two long bars of budget and forecast that differ by 1%."""
    column = list(span.letters).index("variance") + 1
    values, heading = (
        absolute(sheet, span.first, column, span.last, column),
        absolute(sheet, span.header, column, span.header, column),
    )
    series = [Series(values, heading, cached=[u.variance_amount for u in report.units], title_text="Forecast variance")]
    codes = [u.unit for u in report.units]
    chart = Chart("horizontal bar", f"Forecast variance by unit, {report.describe()}: under-spend (+), over-spend (-)", series,
                  absolute(sheet, span.first, 1, span.last, 1), (1, 1), WHOLE_POUNDS, legend=False,
                  cached_categories=codes, size=(24.0, min(4.0 + 1.0 * len(codes), 16.0)), labelled=True)  # fmt: skip
    book.chart_page(sheet, span.last + 3, chart, "The forecast variance by unit: the figures are the table's above.")


def write_members(book: Book, report: MonitoringReport, position: Span) -> None:
    """Each member's total share of the variances, then its share of each unit's, with a check by unit."""
    sheet = book.sheet(MEMBERS, f"Each member's share of the forecast variance, {report.describe()}", "members")
    below = book.put_text(
        sheet,
        3,
        "A member's share of a unit's variance is in its share of the unit's cost for the year "
        "(a member in part of the year: for its periods), as the out-turn is settled at the year end.",
        100,
    )
    top = below + 1
    checks_top = top + len(report.members) + 4  # the check by unit, short, between the totals and the detail
    detail_top = checks_top + len(report.units) + 3
    detail = detail_span(report, detail_top)
    totals = []
    for member in report.members:
        mine = [s for s in report.shares if s.member == member]
        budget = sum((s.budget_amount for s in mine), ZERO)
        cash = book.result.member_total(member).cash_amount
        after = cash - report.member_variance(member)
        totals.append({
            "member": member,
            "budget": sumif(detail, "member", "budget", budget),
            "variance": sumif(detail, "member", "variance", report.member_variance(member)),
            "cash": cash,
            "after": lambda r, c, after=after: Formula(f"={c['cash']}{r}-{c['variance']}{r}", after),
        })  # fmt: skip
    total_columns = (
        Column("member", "Member", 24),
        money_col("budget", "Share of the units' budgets", total=True),
        money_col("variance", "Share of the forecast variance (under-spend +)", total=True),
        money_col("cash", "Net cash payable (budget)", total=True),
        money_col("after", "Net cash payable if the forecast holds", total=True),
    )
    book.table(sheet, top, total_columns, totals, total_label="Total")
    variance_of = {u.unit: TOP + 1 + i for i, u in enumerate(report.units)}  # the Position row of each unit
    variance_ref = f"{quote_sheet(POSITION)}!${position.letters['variance']}$"
    rows = [
        {
            "member": s.member,
            "unit": s.unit,
            "share": exact(s.share),
            "budget": s.budget_amount,
            "exact": lambda r, c, s=s: Formula(f"={variance_ref}{variance_of[s.unit]}*{c['share']}{r}", exact(s.exact_variance)),
            "variance": s.variance_amount,
        }
        for member in report.members
        for s in report.shares
        if s.member == member
    ]
    write_checks(book, sheet, report, detail, checks_top, variance_ref, variance_of)
    book.put(sheet, detail_top - 1, 1, "By unit", font=BOLD)
    placed = book.table(sheet, detail_top, DETAIL_COLUMNS, rows, total_label="Total")
    assert placed.letters == detail.letters and placed.last == detail.last  # noqa: S101 - the totals refer to it
    book.finish(sheet, top, frozen_columns=1)


DETAIL_COLUMNS = (
    Column("member", "Member", 24),
    Column("unit", "Unit code", 14),
    Column("share", "Share of the unit's cost", 12, PERCENT),
    money_col("budget", "Share of its budget", total=True),
    Column("exact", "Exact share of its variance (£)", 18, EXACT),
    money_col("variance", "Share of its variance (under-spend +)", total=True),
)


def detail_span(report: MonitoringReport, top: int) -> Span:
    """Where the by-unit table will stand, for the totals' formulas above it."""
    letters = {column.key: LETTERS[index] for index, column in enumerate(DETAIL_COLUMNS, start=1)}
    return Span(top, top + 1, top + len(report.shares), letters)


def sumif(detail: Span, key: str, column: str, expected: Decimal) -> CellValue:
    criteria, values = detail.column(key), detail.column(column)
    return lambda r, c: Formula(f"=SUMIF({criteria},{c[key]}{r},{values})", expected)


def write_checks(  # noqa: PLR0917 - where the check goes and the cells it refers to
    book: Book, sheet: Sheet, report: MonitoringReport, detail: Span, top: int, variance_ref: str, variance_of: dict[str, int]
) -> None:
    """For each unit: its variance, what its members' shares add up to, and the difference (nil)."""
    book.put(sheet, top - 1, 1, "Check: each unit's shares add up to its variance", font=BOLD)
    criteria, values = detail.column("unit"), detail.column("variance")
    rows = [
        {
            "unit": u.unit,
            "variance": Formula(f"={variance_ref}{variance_of[u.unit]}", u.variance_amount),
            "shares": lambda r, c, u=u: Formula(f"=SUMIF({criteria},{c['unit']}{r},{values})", u.variance_amount),
            "difference": lambda r, c: Formula(f"={c['shares']}{r}-{c['variance']}{r}", ZERO),
        }
        for u in report.units
    ]
    columns = (
        Column("unit", "Unit code", 24),
        money_col("variance", "Forecast variance"),
        money_col("shares", "Members' shares"),
        money_col("difference", "Difference"),
    )
    book.table(sheet, top, columns, rows)


def movement_workbook(comparison: PeriodComparison, result: Apportionment, provenance: Provenance) -> Book:
    """What moved from one period's report to the next, by unit and by member, the movements as formulas."""
    before, after = comparison.before, comparison.after
    book = Book(result, f"Monitoring: the end of {before.describe()} to the end of {after.describe()}", provenance)
    sheet = book.sheet("Units", f"What moved from the end of {before.describe()} to the end of {after.describe()}", "movement")
    book.put(sheet, 3, 1, "Variances are budget less forecast: positive, an under-spend. Moved: the later less the earlier.")
    a, b = before.name, after.name
    columns = (
        Column("code", "Unit code", 14),
        money_col("spent_from", f"Actual to {a}", total=True),
        money_col("spent_to", f"Actual to {b}", total=True),
        money_col("forecast_from", f"Forecast at {a}", total=True),
        money_col("forecast_to", f"Forecast at {b}", total=True),
        money_col("variance_from", f"Variance at {a}", total=True),
        money_col("variance_to", f"Variance at {b}", total=True),
        money_col("moved", "Variance moved", total=True),
    )
    rows: list[Row] = []
    for code, then, now in comparison.units():
        moved = (now.variance_amount if now else ZERO) - (then.variance_amount if then else ZERO)
        rows.append({
            "code": code,
            "spent_from": then.spent_amount if then else None,
            "spent_to": now.spent_amount if now else None,
            "forecast_from": then.forecast_amount if then else None,
            "forecast_to": now.forecast_amount if now else None,
            "variance_from": then.variance_amount if then else ZERO,
            "variance_to": now.variance_amount if now else ZERO,
            "moved": lambda r, c, moved=moved: Formula(f"={c['variance_to']}{r}-{c['variance_from']}{r}", moved),
        })  # fmt: skip
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.excel_table(sheet, "UnitMovement", span)
    book.finish(sheet, TOP, frozen_columns=1)
    members = book.sheet("Members", "Each member's share of the forecast variance, and what moved", "members")
    member_columns = (
        Column("member", "Member", 24),
        money_col("from", f"Share at {a}", total=True),
        money_col("to", f"Share at {b}", total=True),
        money_col("moved", "Moved", total=True),
    )
    member_rows = [
        {"member": m, "from": then, "to": now, "moved": lambda r, c, d=now - then: Formula(f"={c['to']}{r}-{c['from']}{r}", d)}
        for m, then, now in comparison.members()
    ]
    span = book.table(members, TOP, member_columns, member_rows, total_label="Total")
    book.excel_table(members, "MemberMovement", span)
    book.finish(members, TOP, frozen_columns=1)
    write_provenance_sheet(book)
    return book
