"""Where each cell of the summary workbook is written: units x members, the
reconciliation, every member's live line for every unit, the inputs as read, the year end
and plan where the budget has them, the provenance and the warnings.

The Summary and Reconciliation sheets are formulas over the Lines sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from apportion.model import VERSION, Apportionment
from apportion.model.money import ZERO
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    MONEY,
    Book,
    CellValue,
    Column,
    Letters,
    Row,
    Span,
    absolute,
    money_col,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import LETTERS, Chart, Formula, Series, Sheet
from apportion.outputs.unit_line import LINE_COLUMNS, unit_line
from apportion.outputs.wording import describe_basis, describe_in_kind, describe_model
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet

LINES = "Lines"


def summary_workbook(result: Apportionment, provenance: Provenance) -> Book:
    """Units x members, the reconciliation, every unit line, the inputs and the shares.

    The Summary and Reconciliation sheets are formulas over the Lines sheet, which holds
    every member's live line for every unit.
    """
    book = Book(result, f"{result.budget.collaboration}: contributions {result.budget.year}", provenance)
    summary = book.sheet("Summary", "Net cash payable by unit and member (in-kind value below)", "summary")
    reconciliation = book.sheet("Reconciliation", "Reconciliation: the members' parts add up to each unit's net budget")
    lines = write_lines(book)
    write_matrix(book, summary, lines)
    write_reconciliation(book, reconciliation, lines)
    write_inputs(book)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end)
    if result.plan_years:
        write_plan_sheet(book)
    write_provenance_sheet(book)
    if result.warnings:
        sheet = book.sheet("Warnings", "Warnings")
        for offset, warning in enumerate(result.warnings):
            book.put(sheet, 4 + offset, 1, f"{warning.unit}: {warning.text}")
    return book


def write_lines(book: Book) -> Span:
    sheet = book.sheet(LINES, "Every member's line for every unit (the Summary and Reconciliation add these up)")
    columns = (*LINE_COLUMNS[:2], Column("member", "Member", 20), *LINE_COLUMNS[2:])
    rows = [
        {**unit_line(unit_result, share), "member": share.member}
        for unit_result in book.result.units
        for share in unit_result.shares
    ]
    span = book.table(sheet, 4, columns, rows, total_label="Total")
    book.excel_table(sheet, "UnitLines", span)
    book.finish(sheet, 4, frozen_columns=3)
    return span


def sum_where(lines: Span, key: str, **conditions: str) -> str:
    """SUMPRODUCT over the Lines sheet: exact matches, no wildcards, any text."""
    tests = "".join(f"({lines.column(k, LINES)}={v})*" for k, v in conditions.items())
    return f"SUMPRODUCT({tests}{lines.column(key, LINES)})"


def write_matrix(book: Book, sheet: Sheet, lines: Span) -> None:
    result = book.result
    members = result.budget.member_names
    totals = result.member_totals
    columns = (
        Column("code", "Unit code", 14),
        Column("unit", "Unit", 34),
        *(money_col(f"m{i}", member, total=True) for i, member in enumerate(members)),
        money_col("all", "Total (= unit net budget)", total=True),
    )

    def block(top: int, key: str, amount_of: str, label: str) -> Span:
        rows = []
        for unit_result in result.units:
            row: dict[str, CellValue] = {"code": unit_result.unit.code, "unit": unit_result.unit.name}
            for i, member in enumerate(members):
                share = unit_result.share_of(member)
                amount = getattr(share, amount_of) if share else ZERO
                row[f"m{i}"] = matrix_formula(lines, key, i, amount)
            unit_total = sum((getattr(s, amount_of) for s in unit_result.shares), ZERO)
            row["all"] = lambda r, c, t=unit_total: Formula(f"=SUM({c['m0']}{r}:{c[f'm{len(members) - 1}']}{r})", t)
            rows.append(row)
        return book.table(sheet, top, columns, rows, total_label=label)

    cash = block(4, "cash", "cash_amount", "Total")
    book.finish(sheet, 4, frozen_columns=2)
    next_row = cash.last + 3
    if any(unit.unit.in_kind for unit in result.units):
        book.put(sheet, next_row, 1, "In-kind value by unit and member", font=BOLD)
        kind = block(next_row + 1, "in_kind", "in_kind_amount", "Total")
        grand_row = kind.last + 2
        book.put(sheet, grand_row, 1, "Total contribution", font=BOLD)
        for i, t in enumerate(totals):
            letter = cash.letters[f"m{i}"]
            grand = Formula(f"={letter}{cash.last + 1}+{letter}{kind.last + 1}", t.total_amount)
            book.put(sheet, grand_row, 3 + i, grand, MONEY, font=BOLD)
        next_row = grand_row + 3
    last_column = 2 + len(members)
    categories = absolute(sheet, cash.header, 3, cash.header, last_column)
    by_unit = [
        Series(absolute(sheet, r, 3, r, last_column), absolute(sheet, r, 2, r, 2)) for r in range(cash.first, cash.last + 1)
    ]
    sheet.charts.append(
        Chart("stacked", "Net cash payable by member, stacked by unit", by_unit, categories, (next_row, 1), MONEY)
    )
    total = [Series(absolute(sheet, cash.last + 1, 3, cash.last + 1, last_column))]
    sheet.charts.append(Chart("pie", "Share of the total net cash payable", total, categories, (next_row, 10)))


def matrix_formula(lines: Span, key: str, index: int, amount: Decimal) -> Callable[[int, Letters], Formula]:
    member_column = LETTERS[3 + index]
    return lambda r, c: Formula(f"={sum_where(lines, key, code=f'$A{r}', member=f'{member_column}$4')}", amount)


RECONCILIATION_COLUMNS = (
    Column("code", "Unit code", 14),
    money_col("spending", "Spending (pay + non-pay)", total=True),
    money_col("income", "Grants and income", total=True),
    money_col("net", "Net budget", total=True),
    money_col("in_kind", "In kind offset", total=True),
    money_col("cost", "Cost shared", total=True),
    money_col("shares", "Sum of members' shares of cost", total=True),
    money_col("levy_paid", "Levy payable", total=True),
    money_col("levy_received", "Levy receivable", total=True),
    money_col("credits", "In-kind credits", total=True),
    money_col("cash", "Sum of members' net cash", total=True),
    money_col("difference", "Difference from net budget", total=True),
)


def write_reconciliation(book: Book, sheet: Sheet, lines: Span) -> None:
    """Each unit's parts add up to its cost; the last column is zero when they do."""
    rows = []
    for unit_result in book.result.units:
        unit, shares = unit_result.unit, unit_result.shares
        code = "$A{r}"
        offset = unit_result.cost_to_split_amount - unit_result.net_amount
        cash = sum((s.cash_amount for s in shares), ZERO)
        rows.append({  # fmt: skip
            "code": unit.code,
            "spending": unit_result.gross_amount,
            "income": unit_result.income_amount,
            "net": lambda r, c, n=unit_result.net_amount: Formula(f"={c['spending']}{r}-{c['income']}{r}", n),
            "in_kind": offset,
            "cost": lambda r, c, v=unit_result.cost_to_split_amount: Formula(f"={c['net']}{r}+{c['in_kind']}{r}", v),
            "shares": where(lines, "cost", code, sum((s.cost_amount for s in shares), ZERO)),
            "levy_paid": where(lines, "levy", code, sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO), ">0"),
            "levy_received": where(lines, "levy", code, sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO), "<0"),
            "credits": where(lines, "credit", code, sum((s.in_kind_credit_amount for s in shares), ZERO)),
            "cash": where(lines, "cash", code, cash),
            "difference": lambda r, c, d=cash - unit_result.net_amount: Formula(f"={c['cash']}{r}-{c['net']}{r}", d),
        })  # fmt: skip
    span = book.table(sheet, 4, RECONCILIATION_COLUMNS, rows, total_label="Total")
    book.finish(sheet, span.header, frozen_columns=1)


def where(lines: Span, key: str, code: str, amount: Decimal, compare: str = "") -> Callable[[int, Letters], Formula]:
    """The sum of a Lines column for one unit ('>0' or '<0': only its positive or negative parts)."""

    def formula(r: int, c: Letters) -> Formula:
        condition = f"({lines.column(key, LINES)}{compare})*" if compare else ""
        text = f"=SUMPRODUCT(({lines.column('code', LINES)}={code.format(r=r)})*{condition}{lines.column(key, LINES)})"
        return Formula(text, amount)

    return formula


INPUT_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("item", "Item", 44),
    Column("kind", "Kind", 16),
    Column("detail", "Detail", 44),
    money_col("amount", "Amount"),
)


def write_inputs(book: Book) -> None:
    """The budget as read: each unit's rules, lines, income and officers in kind."""
    sheet = book.sheet("Inputs", "Inputs: each unit's rules and budget as read from the budget file")
    rows: list[Row] = []
    for unit_result in book.result.units:
        unit = unit_result.unit

        def row(item: str, kind: str, detail: str = "", amount: Decimal | None = None, code: str = unit.code) -> Row:
            return {"code": code, "item": item, "kind": kind, "detail": detail, "amount": amount}

        rows.append(row(unit.name, "unit", f"participants: {', '.join(unit.participants)}"))
        source = f"; source: {unit.basis.source.describe()}" if unit.basis.source else ""
        rows.append(row("Basis", "rule", describe_basis(unit) + source))
        rows.append(row("Charging model", "rule", describe_model(unit)))
        rows.append(row("Officers in kind", "rule", describe_in_kind(unit)))
        rows.extend(row(line.name, line.kind.value, amount=line.amount) for line in unit.lines)
        rows.extend(row(income.name, "income", amount=income.amount) for income in unit.income)
        for oik in unit.in_kind:
            detail = f"{oik.officers} officers x £{oik.cost_each_amount:,.2f}" if oik.cost_each_amount is not None else ""
            rows.append(row(f"Officers in kind: {oik.member}", "in kind", detail, oik.value_amount))
    span = book.table(sheet, 4, INPUT_COLUMNS, rows)
    book.excel_table(sheet, "Inputs", span)
    book.finish(sheet, 4)
    next_row = span.last + 2
    book.put(sheet, next_row, 1, "Input files", font=BOLD)
    for offset, input_file in enumerate(book.result.budget.input_files, start=1):
        book.put(sheet, next_row + offset, 1, Path(input_file.path).name)
    book.put(sheet, next_row + len(book.result.budget.input_files) + 1, 1, f"Made by apportion {VERSION}")
