"""Where each cell is written: the member workbooks and the summary workbook.

The sheets are live: totals, sub-totals and the reconciliation are formulas, a share is
the member's value over the participants' total, and each rounded amount is
``ROUND(exact + rounding adjustment, 2)`` with the adjustment of the largest-remainder
split in a column of its own, so that the sheet's own arithmetic visibly reproduces the
split. Every formula is written with apportion's own figure for it (:class:`Formula`), so
tests can recalculate the workbook in a real spreadsheet engine and compare.

Amounts are whole-penny Decimals from the core and are written as they are; ratios and
exact (unrounded) figures are written to 10-12 decimals. Text from the inputs is always
written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion import __version__
from apportion.calculate import Apportionment, MemberShare, MemberTotal, UnitResult
from apportion.explain import member_steps
from apportion.model import ChargingModel, InKindTreatment
from apportion.money import ZERO, round_decimal, to_fraction
from apportion.provenance import provenance_of
from apportion.report import describe_basis, describe_in_kind, describe_model
from apportion.xlsx import LETTERS, Chart, Series, Sheet, Style, Workbook, escape, quote_sheet

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
EXACT = "#,##0.0000######"
PERCENT = "0.0000%"
NUMBER = "#,##0.##########"
BOLD = "bold"
TITLE = "title"
PLACES = 10  # decimals written for exact figures and adjustments

if TYPE_CHECKING:
    from apportion.compare import Comparison
    from apportion.sweep import Sweep
    from apportion.year_end import YearEndResult


class Formula(NamedTuple):
    """A formula of ours, with the figure apportion computed for the same cell."""

    text: str
    expected: Decimal


class Column(NamedTuple):
    """A table column: its key, heading, width, number format, whether it is totalled, wrapped."""

    key: str
    heading: str
    width: int = 14
    number_format: str | None = None
    total: bool = False
    wrap: bool = False


def money_col(key: str, heading: str, *, total: bool = False) -> Column:
    return Column(key, heading, 18, MONEY, total)


Letters = Mapping[str, str]
CellValue = Any  # a value, a Formula, or a function (row, letters) -> either
Row = Mapping[str, CellValue]


class Span(NamedTuple):
    """Where a table landed: its header row, first and last data rows, column letters and headings."""

    header: int
    first: int
    last: int
    letters: Letters
    headings: tuple[str, ...] = ()

    def column(self, key: str, sheet: str | None = None, *, absolute: bool = True) -> str:
        """'Lines!$S$5:$S$40' for a column's data cells."""
        letter = self.letters[key]
        d = "$" if absolute else ""
        ref = f"{d}{letter}{d}{self.first}:{d}{letter}{d}{self.last}"
        return f"{sheet}!{ref}" if sheet else ref


class Book:
    """A workbook being written, and the expected value of every formula in it."""

    def __init__(self, result: Apportionment, title: str) -> None:
        self.result = result
        self.workbook = Workbook()
        self.expected: dict[tuple[str, str], Decimal] = {}
        self.workbook.creator = f"apportion {__version__}"
        self.workbook.title = title
        self.workbook.subject = f"{result.budget.collaboration}, {result.budget.year}"
        self.workbook.custom = [(f"{i:02d} {key}", value) for i, (key, value) in enumerate(provenance_of(result).items(), 1)]

    def sheet(self, title: str, subtitle: str, header_label: str = "") -> Sheet:
        """A new sheet with the collaboration and year as its title and print header."""
        sheet = self.workbook.add_sheet(title)
        budget = self.result.budget
        self.put(sheet, 1, 1, f"{budget.collaboration}, {budget.year}", font=TITLE)
        self.put(sheet, 2, 1, subtitle, font=BOLD)
        header = f"{budget.collaboration}, {budget.year}" + (f": {header_label}" if header_label else "")
        sheet.header = header.replace("&", "&&")
        sheet.footer = "Page &P of &N"
        return sheet

    def put(self, sheet: Sheet, row: int, column: int, value: Any, fmt: str | None = None, *, font: str = "") -> None:
        """Write one cell. Our formulas are written as formulas; any other text, as text."""
        numeric = isinstance(value, Decimal | Formula | int)
        style = self.workbook.style(Style(fmt if numeric else None, font))
        self.cell(sheet, row, column, value, style)

    def cell(self, sheet: Sheet, row: int, column: int, value: Any, style: int) -> None:
        if value is not None:
            sheet.cells(row).append((column, self.cell_xml(sheet.title, f"{LETTERS[column]}{row}", value, style)))
            sheet.max_column = max(sheet.max_column, column)

    def cell_xml(self, title: str, ref: str, value: Any, style: int) -> str:
        """The one place a value becomes a cell: text is always text, a Formula a formula."""
        kind = type(value)
        if kind is Decimal or kind is int:  # the commonest cells first
            return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
        if kind is Formula:
            self.expected[(title, ref)] = value.expected
            return f'<c r="{ref}" s="{style}"><f>{escape(value.text[1:])}</f></c>'
        if isinstance(value, str):
            strings = self.workbook.strings
            index = strings.get(value)
            if index is None:
                index = strings[value] = len(strings)
            return f'<c r="{ref}" s="{style}" t="s"><v>{index}</v></c>'
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'

    def table(
        self, sheet: Sheet, top: int, columns: Sequence[Column], rows: Sequence[Row], *, total_label: str | None = None
    ) -> Span:
        """A header at row ``top``, a row a mapping, then (if labelled) a row of SUM formulas."""
        letters = {column.key: LETTERS[index] for index, column in enumerate(columns, start=1)}
        style = self.workbook.style
        header = style(Style(font=BOLD, fill=True, wrap=True))
        prepared = []
        for index, column in enumerate(columns, start=1):
            self.cell(sheet, top, index, column.heading, header)
            sheet.widths[index] = max(sheet.widths.get(index, 0), column.width)
            prepared.append(
                (column.key, LETTERS[index], style(Style(column.number_format)), style(Style(wrap=column.wrap)), column.total)
            )
        sums: dict[str, Decimal] = {column.key: ZERO for column in columns if column.total}
        cell_xml, title = self.cell_xml, sheet.title
        for row_number, row in enumerate(rows, start=top + 1):
            cells = []
            for key, letter, numeric, wrapped, totalled in prepared:
                value = row.get(key)
                if value is None:
                    continue
                if callable(value):
                    value = value(row_number, letters)
                cells.append(cell_xml(title, f"{letter}{row_number}", value, wrapped if isinstance(value, str) else numeric))
                if totalled:
                    sums[key] += value.expected if isinstance(value, Formula) else (value or ZERO)
            if cells:  # the row's cells, from column A, as one piece (nothing else is written in a table's rows)
                sheet.cells(row_number).append((1, "".join(cells)))
        sheet.max_column = max(sheet.max_column, len(columns))
        span = Span(top, top + 1, top + len(rows), letters, tuple(column.heading for column in columns))
        if total_label is not None:
            total_row = span.last + 1
            self.put(sheet, total_row, 1, total_label, font=BOLD)
            for index, column in enumerate(columns, start=1):
                if column.total:
                    text = f"=SUM({span.column(column.key, absolute=False)})" if rows else "=0"
                    self.put(sheet, total_row, index, Formula(text, sums[column.key]), column.number_format, font=BOLD)
        return span

    def finish(self, sheet: Sheet, header_row: int, frozen_columns: int = 0) -> None:
        """Freeze the header (and key columns), give wrapped headings room, print A4 landscape."""
        sheet.freeze = (header_row, frozen_columns)
        sheet.heights[header_row] = 45
        sheet.print_titles = (header_row, header_row)
        sheet.print_fit = True

    def excel_table(self, sheet: Sheet, name: str, span: Span) -> None:
        """Make a block an Excel table (sortable, filterable, referable by name)."""
        if span.last < span.first:
            return
        last_letter = list(span.letters.values())[-1]
        sheet.tables.append((name, f"A{span.header}:{last_letter}{span.last}", span.headings))

    def name(self, name: str, sheet: Sheet, cell: str) -> None:
        """A workbook-level name for a key cell, e.g. NetCashPayable."""
        column, row = cell.rstrip("0123456789"), cell[len(cell.rstrip("0123456789")) :]
        self.workbook.names[name] = f"{quote_sheet(sheet.title)}!${column}${row}"

    def to_bytes(self) -> bytes:
        return self.workbook.to_bytes()


def save_workbook(book: Book | Workbook, path: Path) -> None:
    """Write the .xlsx; the same workbook always gives the same bytes."""
    path.write_bytes(book.to_bytes())


def absolute(sheet: Sheet, first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """'Sheet'!$A$1:$B$9, as a chart refers to cells."""
    return f"{quote_sheet(sheet.title)}!${LETTERS[first_column]}${first_row}:${LETTERS[last_column]}${last_row}"


def exact(value: Fraction) -> Decimal:
    return round_decimal(value, PLACES)


# --- the unit line: one member's figures for one unit, as live cells --------------------

LINE_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("unit", "Unit", 30),
    Column("basis", "Basis", 30),
    Column("value", "Member's value in the basis (or fixed amount)", 16, NUMBER),
    Column("total", "Participants' total", 14, NUMBER),
    Column("weight_share", "Share of the weights", 12, PERCENT),
    Column("split", "Amount split by weight", 18, MONEY),
    Column("exact", "Exact share of cost", 18, EXACT),
    Column("adjust", "Rounding adjustment", 14, EXACT),
    money_col("cost", "Share of cost", total=True),
    Column("rate", "Levy rate", 10, PERCENT),
    Column("base", "Levy base (pay)", 18, MONEY),
    Column("levy_share", "Share for the levy", 12, PERCENT),
    Column("levy_exact", "Exact levy", 16, EXACT),
    Column("levy_adjust", "Levy rounding adjustment", 14, EXACT),
    money_col("levy", "Levy payable (+) / receivable (-)", total=True),
    money_col("in_kind", "In-kind value", total=True),
    money_col("credit", "In-kind credit", total=True),
    money_col("cash", "Net cash payable", total=True),
)


def unit_line(unit_result: UnitResult, share: MemberShare) -> dict[str, CellValue]:
    """A member's figures for a unit; each rounded figure is ROUND(exact + adjustment, 2)."""
    unit = unit_result.unit
    line: dict[str, CellValue] = {"code": unit.code, "unit": unit.name, "basis": describe_basis(unit)}
    if share.is_fixed:
        fixed = unit.fixed_amounts[share.member]
        line |= {
            "value": fixed,
            "weight_share": exact(share.share),
            "exact": lambda r, c: Formula(f"={c['value']}{r}", fixed),
            "adjust": ZERO,
        }
    else:
        working = share.cost_workings
        assert working is not None  # noqa: S101 - every share not fixed was split
        line |= {
            "value": share.weight,
            "total": unit_result.weight_total,
            "weight_share": share_formula(working.share_decimal(PLACES)),
            "split": unit_result.cost_to_split_amount - sum(unit.fixed_amounts.values(), ZERO),
            "exact": lambda r, c: Formula(f"={c['split']}{r}*{c['weight_share']}{r}", working.exact_decimal(PLACES)),
            "adjust": working.rounding_decimal(PLACES),
        }
    line["cost"] = lambda r, c: Formula(f"=ROUND({c['exact']}{r}+{c['adjust']}{r},2)", share.cost_amount)
    line |= levy_cells(unit_result, share)
    line["in_kind"] = share.in_kind_amount
    if unit.in_kind_treatment is InKindTreatment.OFFSET:
        line["credit"] = lambda r, c: Formula(f"=-{c['in_kind']}{r}", share.in_kind_credit_amount)
    else:
        line["credit"] = ZERO
    line["cash"] = lambda r, c: Formula(f"={c['cost']}{r}+{c['levy']}{r}+{c['credit']}{r}", share.cash_amount)
    return line


def levy_cells(unit_result: UnitResult, share: MemberShare) -> dict[str, CellValue]:
    """rate x base x share for a payer, -rate x base x (1 - share) for the lead, then rounded."""
    unit = unit_result.unit
    if unit.model is not ChargingModel.LEAD_FORCE:
        return {"levy": ZERO}
    rate = to_fraction(unit.levy_rate) / 100
    base = unit_result.levy_base_amount
    lead = share.member == unit.lead
    levy_exact = -rate * base * (1 - share.share) if lead else rate * base * share.share
    sign, factor = ("-", "(1-{s})") if lead else ("", "{s}")

    def exact_levy(r: int, c: Letters) -> Formula:
        s = f"{c['levy_share']}{r}"
        return Formula(f"={sign}{c['rate']}{r}*{c['base']}{r}*{factor.format(s=s)}", exact(levy_exact))

    return {
        "rate": exact(rate),
        "base": exact(base),
        "levy_share": round_decimal(share.share, 12),
        "levy_exact": exact_levy,
        "levy_adjust": exact(to_fraction(share.levy_amount) - levy_exact),
        "levy": lambda r, c: Formula(f"=ROUND({c['levy_exact']}{r}+{c['levy_adjust']}{r},2)", share.levy_amount),
    }


# --- member workbook --------------------------------------------------------------------


def member_workbook(result: Apportionment, total: MemberTotal) -> Book:
    """A member's contribution: cover totals, a live line per unit, shares, workings, provenance."""
    member = total.member
    book = Book(result, f"{member}: contribution {result.budget.year}")
    sheet = book.sheet("Contribution", f"Contribution of {member}", member)
    rows = [unit_line(u, share) for u in result.units if (share := u.share_of(member)) is not None]
    top = 8
    span = book.table(sheet, top, LINE_COLUMNS, rows, total_label="Total")
    total_row = span.last + 1
    c = span.letters
    cover = (
        ("Net cash payable", Formula(f"={c['cash']}{total_row}", total.cash_amount), "NetCashPayable"),
        ("In-kind value", Formula(f"={c['in_kind']}{total_row}", total.in_kind_amount), "InKindValue"),
        ("Total contribution (cash + in kind)", Formula("=C4+C5", total.total_amount), "TotalContribution"),
    )
    for offset, (label, formula, name) in enumerate(cover):
        book.put(sheet, 4 + offset, 1, label, font=BOLD)
        book.put(sheet, 4 + offset, 3, formula, MONEY, font=BOLD)
        book.name(name, sheet, f"C{4 + offset}")
    book.finish(sheet, top, frozen_columns=2)
    notes = [str(w) for w in result.warnings if w.member == member]
    for offset, note in enumerate(notes, start=total_row + 2):
        book.put(sheet, offset, 1, f"Note: {note}")
    if rows:
        cash = [c.key for c in LINE_COLUMNS].index("cash") + 1
        sheet.charts.append(
            Chart(
                "bar",
                f"{member}: net cash payable by unit",
                [Series(absolute(sheet, span.first, cash, span.last, cash), absolute(sheet, top, cash, top, cash))],
                absolute(sheet, span.first, 1, span.last, 1),
                (total_row + 4 + len(notes), 1),
                MONEY,
                legend=False,
            )
        )
    write_shares_sheet(book, (member,))
    write_how_sheet(book, member)
    if result.budget.year_end is not None:
        from apportion.year_end import year_end  # only budgets with a year end need it

        write_year_end_sheet(book, year_end(result, result.budget.year_end), member)
    if result.plan_years:
        write_plan_sheet(book, member)
    write_provenance_sheet(book)
    return book


SHARES_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("member", "Member", 20),
    Column("basis", "Basis", 34),
    Column("value", "Member's value in the basis (or fixed amount)", 16, NUMBER),
    Column("total", "Participants' total", 16, NUMBER),
    Column("share", "Re-normalised share", 14, PERCENT),
    Column("source", "Source", 60),
)


def write_shares_sheet(book: Book, members: Sequence[str]) -> None:
    """For each unit and member: the basis value, the participants' total and the share."""
    sheet = book.sheet("Shares", "Shares used, re-normalised over each unit's participants")
    rows: list[Row] = []
    for unit_result in book.result.units:
        unit = unit_result.unit
        source = unit.basis.source.describe() if unit.basis.source else ""
        for member in members:
            share = unit_result.share_of(member)
            if share is None:
                continue
            row: dict[str, CellValue] = {"code": unit.code, "member": member, "basis": describe_basis(unit), "source": source}
            if share.is_fixed or unit.fixed_amounts:
                row |= {"value": unit.fixed_amounts.get(member, share.weight), "share": exact(share.share)}
            else:
                row |= {"value": share.weight, "total": unit_result.weight_total}
                row["share"] = share_formula(exact(share.share))
            rows.append(row)
    span = book.table(sheet, 4, SHARES_COLUMNS, rows)
    book.excel_table(sheet, "Shares", span)
    book.finish(sheet, 4)


def share_formula(share: Decimal) -> Callable[[int, Letters], Formula]:
    return lambda r, c: Formula(f"={c['value']}{r}/{c['total']}{r}", share)


HOW_COLUMNS = (
    Column("code", "Unit code", 14),
    Column("step", "Step", 34),
    Column("working", "Working", 110, wrap=True),
    money_col("amount", "Amount"),
)


def write_how_sheet(book: Book, member: str) -> None:
    """Each unit's figures from budget lines to the member's net cash payable."""
    sheet = book.sheet("How this was calculated", f"How this was calculated: {member}", member)
    rows = [
        {"code": unit_result.unit.code, "step": step.label, "working": step.working, "amount": step.amount}
        for unit_result, steps in member_steps(book.result, member)
        for step in steps
    ]
    book.table(sheet, 4, HOW_COLUMNS, rows)
    book.finish(sheet, 4)


def write_provenance_sheet(book: Book) -> None:
    sheet = book.sheet("Provenance", "Provenance: what made this workbook, from which inputs")
    rows = [{"key": key, "value": value} for key, value in provenance_of(book.result).items()]
    span = book.table(sheet, 4, (Column("key", "Key", 22), Column("value", "Value", 110)), rows)
    book.excel_table(sheet, "Provenance", span)
    book.finish(sheet, 4)


# --- summary workbook -------------------------------------------------------------------

LINES = "Lines"


def summary_workbook(result: Apportionment) -> Book:
    """Units x members, the reconciliation, every unit line, the inputs and the shares.

    The Summary and Reconciliation sheets are formulas over the Lines sheet, which holds
    every member's live line for every unit.
    """
    book = Book(result, f"{result.budget.collaboration}: contributions {result.budget.year}")
    summary = book.sheet("Summary", "Net cash payable by unit and member (in-kind value below)", "summary")
    reconciliation = book.sheet("Reconciliation", "Reconciliation: the members' parts add up to each unit's net budget")
    lines = write_lines(book)
    write_matrix(book, summary, lines)
    write_reconciliation(book, reconciliation, lines)
    write_inputs(book)
    if result.budget.year_end is not None:
        from apportion.year_end import year_end  # only budgets with a year end need it

        write_year_end_sheet(book, year_end(result, result.budget.year_end))
    if result.plan_years:
        write_plan_sheet(book)
    write_provenance_sheet(book)
    if result.warnings:
        sheet = book.sheet("Warnings", "Warnings")
        for offset, warning in enumerate(result.warnings):
            book.put(sheet, 4 + offset, 1, str(warning))
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
    totals = result.member_totals()
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
        offset = unit_result.cost_to_split_amount - unit.net_amount
        cash = sum((s.cash_amount for s in shares), ZERO)
        rows.append({  # fmt: skip
            "code": unit.code,
            "spending": unit.gross_amount,
            "income": unit.income_amount,
            "net": lambda r, c, n=unit.net_amount: Formula(f"={c['spending']}{r}-{c['income']}{r}", n),
            "in_kind": offset,
            "cost": lambda r, c, v=unit_result.cost_to_split_amount: Formula(f"={c['net']}{r}+{c['in_kind']}{r}", v),
            "shares": where(lines, "cost", code, sum((s.cost_amount for s in shares), ZERO)),
            "levy_paid": where(lines, "levy", code, sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO), ">0"),
            "levy_received": where(lines, "levy", code, sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO), "<0"),
            "credits": where(lines, "credit", code, sum((s.in_kind_credit_amount for s in shares), ZERO)),
            "cash": where(lines, "cash", code, cash),
            "difference": lambda r, c, d=cash - unit.net_amount: Formula(f"={c['cash']}{r}-{c['net']}{r}", d),
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
    book.put(sheet, next_row + len(book.result.budget.input_files) + 1, 1, f"Made by apportion {__version__}")


# --- comparison workbook ----------------------------------------------------------------

COMPARISON_MEMBER_COLUMNS = (
    Column("member", "Member", 22),
    money_col("before", "Before", total=True),
    money_col("after", "After", total=True),
    money_col("change", "Difference", total=True),
    Column("percent", "Change", 10, "0.00%"),
    Column("cause", "What moved it", 60),
)
COMPARISON_UNIT_COLUMNS = (
    Column("unit", "Unit code", 14),
    Column("member", "Member", 22),
    money_col("before", "Before", total=True),
    money_col("after", "After", total=True),
    money_col("change", "Difference", total=True),
    money_col("cost", "Share of cost change", total=True),
    money_col("levy", "Levy change", total=True),
    money_col("credit", "In-kind credit change", total=True),
)


def comparison_workbook(comparison: Comparison) -> Book:
    """Before, after and the difference, per member and per unit, with what moved each."""
    after = comparison.after
    book = Book(after, f"Comparison: {describe_side(comparison.before)} -> {describe_side(after)}")
    sheet = book.sheet("Members", f"Net cash payable: {describe_side(comparison.before)} -> {describe_side(after)}", "comparison")
    rows = [
        {
            "member": d.member,
            "before": d.before_amount,
            "after": d.after_amount,
            "change": lambda r, c, d=d: Formula(f"={c['after']}{r}-{c['before']}{r}", d.change_amount),
            "percent": (lambda r, c, d=d: Formula(f"={c['change']}{r}/{c['before']}{r}", (d.change_percent or ZERO) / 100))
            if d.before_amount
            else None,
            "cause": d.cause(),
        }
        for d in comparison.members
    ]
    book.table(sheet, 4, COMPARISON_MEMBER_COLUMNS, rows, total_label="Total")
    book.finish(sheet, 4, frozen_columns=1)
    units = book.sheet("Units", "Net cash payable by unit and member, and the change by rule")
    unit_rows = [
        {
            "unit": d.unit,
            "member": d.member,
            "before": d.before_amount,
            "after": d.after_amount,
            "change": lambda r, c, d=d: Formula(f"={c['after']}{r}-{c['before']}{r}", d.change_amount),
            **{
                key: dict(d.by_rule)[rule]
                for key, rule in (("cost", "share of cost"), ("levy", "levy"), ("credit", "in-kind credit"))
            },
        }
        for d in comparison.units
    ]
    span = book.table(units, 4, COMPARISON_UNIT_COLUMNS, unit_rows, total_label="Total")
    book.excel_table(units, "UnitChanges", span)
    book.finish(units, 4, frozen_columns=2)
    sides = book.sheet("Sides", "What is compared")
    side_rows = [
        {"side": side, "key": key, "value": value}
        for side, result in (("before", comparison.before), ("after", comparison.after))
        for key, value in provenance_of(result).items()
    ]
    book.table(sides, 4, (Column("side", "Side", 10), Column("key", "Key", 22), Column("value", "Value", 100)), side_rows)
    book.finish(sides, 4)
    return book


def describe_side(result: Apportionment) -> str:
    budget = result.budget
    return f"{budget.collaboration} {budget.year}" + (f" ({budget.scenario})" if budget.scenario else "")


# --- year end ---------------------------------------------------------------------------


def write_year_end_sheet(book: Book, outcome: YearEndResult, member: str | None = None) -> None:
    """Settlement, reserves, capital, match funding and savings (for one member, its own)."""
    sheet = book.sheet("Year end", "Year end: settlement, reserves, capital, match funding and value for money", member or "")
    row = 4
    settlement_rows = [
        {"unit": s.unit, "budget": s.budget_amount, "outturn": s.outturn_amount,
         "variance": lambda r, c, s=s: Formula(f"={c['budget']}{r}-{c['outturn']}{r}", s.variance_amount),
         "settlement": s.settlement.value,
         "member_part": dict(s.parts).get(member, ZERO) if member else None}
        for s in outcome.settlements
    ]  # fmt: skip
    if settlement_rows:
        columns = [
            Column("unit", "Unit code", 14), money_col("budget", "Net budget"), money_col("outturn", "Net out-turn"),
            money_col("variance", "Under-spend (+) / over-spend (-)", total=True), Column("settlement", "Settled by", 12),
        ]  # fmt: skip
        if member:
            columns.append(money_col("member_part", f"{member}: returned (-) / charged (+)", total=True))
        span = book.table(sheet, row, columns, settlement_rows, total_label="Total")
        row = span.last + 3
    if outcome.reserves_opening is not None and member is None:
        closing = outcome.reserves_closing or ZERO
        reserve_rows: list[Row] = [{"item": "Opening reserves", "amount": outcome.reserves_opening}]
        reserve_rows += [{"item": name, "amount": amount} for name, amount in outcome.reserve_transfers]
        reserve_rows += [
            {"item": f"Under-spend of {s.unit} to reserves", "amount": s.variance_amount}
            for s in outcome.settlements
            if s.settlement.value == "reserves"
        ]
        reserve_rows.append({"item": "Capital financed from reserves", "amount": -outcome.capital_from_reserves})
        span = book.table(sheet, row, (Column("item", "Reserves", 44), money_col("amount", "Amount", total=True)), reserve_rows)
        book.put(sheet, span.last + 1, 1, "Closing reserves", font=BOLD)
        book.put(sheet, span.last + 1, 2, Formula(f"=SUM({span.column('amount', absolute=False)})", closing), MONEY, font=BOLD)
        row = span.last + 4
    if outcome.capital_programme is not None and member is None:
        rows = [{"item": f"Financed by {name}", "amount": amount} for name, amount in outcome.capital_financing]
        span = book.table(sheet, row, (Column("item", "Capital programme", 44), money_col("amount", "Amount", total=True)), rows,
                          total_label="Capital programme")  # fmt: skip
        row = span.last + 4
    if outcome.matches and member is None:
        rows = [
            {"unit": m.unit, "income": m.income, "grant": m.grant_amount, "cash": m.cash_amount, "in_kind": m.in_kind_amount,
             "shortfall": lambda r, c, m=m: Formula(
                 f"=MAX(0,{c['grant']}{r}-{c['cash']}{r}-{c['in_kind']}{r})", m.shortfall_amount)}
            for m in outcome.matches
        ]  # fmt: skip
        match_columns = (
            Column("unit", "Unit code", 14), Column("income", "Grant to be matched", 40), money_col("grant", "Grant"),
            money_col("cash", "Members' cash"), money_col("in_kind", "Members' officers in kind"),
            money_col("shortfall", "Shortfall"),
        )  # fmt: skip
        span = book.table(sheet, row, match_columns, rows)
        row = span.last + 3
    savings = [s for s in outcome.savings if member in (None, s.member)]
    if savings:
        rows = [
            {"unit": s.unit, "member": s.member, "alone": s.stand_alone_amount, "contribution": s.contribution_amount,
             "saving": lambda r, c, s=s: Formula(f"={c['alone']}{r}-{c['contribution']}{r}", s.saving_amount)}
            for s in savings
        ]  # fmt: skip
        saving_columns = (
            Column("unit", "Unit code", 14), Column("member", "Member", 20),
            money_col("alone", "Stand-alone cost", total=True),
            money_col("contribution", "Contribution (cash + in kind)", total=True), money_col("saving", "Saving", total=True),
        )  # fmt: skip
        book.table(sheet, row, saving_columns, rows, total_label="Total")
    book.finish(sheet, 4)


# --- medium-term plan -------------------------------------------------------------------


def write_plan_sheet(book: Book, member: str | None = None) -> None:
    """Net cash payable, a column a year: by unit for a member, by member in the summary."""
    result = book.result
    years = (result, *result.plan_years)
    subtitle = "Medium-term plan: net cash payable by year" + (f" for {member}" if member else " by member")
    sheet = book.sheet("Plan", subtitle, member or "plan")
    columns = [Column("key", "Unit code" if member else "Member", 22)]
    columns += [money_col(f"y{i}", year.budget.year, total=True) for i, year in enumerate(years)]
    rows: list[Row] = []
    if member:
        codes = list(dict.fromkeys(u.unit.code for year in years for u in year.units if u.share_of(member)))
        for code in codes:
            row: dict[str, CellValue] = {"key": code}
            for i, year in enumerate(years):
                share = next((u.share_of(member) for u in year.units if u.unit.code == code), None)
                row[f"y{i}"] = share.cash_amount if share else ZERO
            rows.append(row)
    else:
        totals_by_year = [{t.member: t.cash_amount for t in year.member_totals()} for year in years]
        rows = [{"key": m, **{f"y{i}": totals[m] for i, totals in enumerate(totals_by_year)}} for m in result.budget.member_names]
    book.table(sheet, 4, columns, rows, total_label="Total")
    book.finish(sheet, 4, frozen_columns=1)


# --- sweep ------------------------------------------------------------------------------


def sweep_workbook(sweep: Sweep) -> Workbook:
    """Each member's range (with a chart), what was varied, and every outcome."""
    book = Workbook()
    book.creator = f"apportion {__version__}"
    book.title = "Sensitivity sweep"
    money, bold = book.style(Style(MONEY)), book.style(Style(font=BOLD))

    def write(sheet: Sheet, row: int, values: Sequence[Any], style: int = 0) -> None:
        for column, value in enumerate(values, start=1):
            ref = f"{LETTERS[column]}{row}"
            if isinstance(value, str):
                xml = book.text_cell(ref, value, style)
            else:
                xml = book.number_cell(ref, value, money if isinstance(value, Decimal) and column > len(sweep.factors) else style)
            sheet.cells(row).append((column, xml))
        sheet.max_column = max(sheet.max_column, len(values))

    exposure = book.add_sheet("Exposure")
    write(exposure, 1, ["Member", "Lowest", "at", "Middle", "at", "Highest", "at"], bold)
    exposures = sweep.exposures()
    for row, e in enumerate(exposures, start=2):
        write(exposure, row, [e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at,
                              e.maximum_amount, e.maximum_at])  # fmt: skip
    last = len(exposures) + 1
    series = [Series(absolute(exposure, 2, c, last, c), absolute(exposure, 1, c, 1, c)) for c in (2, 4, 6)]
    members = absolute(exposure, 2, 1, last, 1)
    exposure.charts.append(Chart("bar", "Lowest, middle and highest net cash payable", series, members, (last + 3, 1), MONEY))
    varied = book.add_sheet("Varied")
    write(varied, 1, ["Input", "Of", "From (%)", "To (%)", "Step (%)"], bold)
    for row, f in enumerate(sweep.factors, start=2):
        write(varied, row, [f.input.value, f.target or "every unit", f.start, f.stop, f.step])
    how = f"{sweep.draws} random draws from the steps, seed {sweep.seed}" if sweep.draws is not None else "every combination"
    write(varied, len(sweep.factors) + 3, [f"Outcomes: {len(sweep.outcomes)} ({how})"])
    outcomes = book.add_sheet("Outcomes")
    write(outcomes, 1, [f"{f.input.value} {f.target}".strip() + " (%)" for f in sweep.factors] + list(sweep.members), bold)
    for row, (values, pence) in enumerate(zip(sweep.outcomes, sweep.cash_pence.tolist(), strict=True), start=2):
        write(outcomes, row, [*values, *((Decimal(p) / 100) for p in pence)])
    for sheet in (exposure, varied, outcomes):
        sheet.freeze = (1, 1)
        sheet.widths = dict.fromkeys(range(1, sheet.max_column + 1), 18)
    if len(sweep.factors) == 1 and sweep.draws is None:
        end = len(sweep.outcomes) + 1
        lines = [
            Series(absolute(outcomes, 2, c, end, c), absolute(outcomes, 1, c, 1, c)) for c in range(2, len(sweep.members) + 2)
        ]
        title = f"Net cash payable by {sweep.factors[0].input.value}"
        chart = Chart("line", title, lines, absolute(outcomes, 2, 1, end, 1), (last + 19, 1), MONEY, numeric_categories=True)
        exposure.charts.append(chart)
    return book
