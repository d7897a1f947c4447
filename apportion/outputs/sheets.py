"""How every workbook lays out a sheet: a title, tables of columns with a total row,
frozen headers, print set-up, Excel tables and names. The workbook modules build their
sheets with :class:`Book`; the cells themselves are written by the writer
(:mod:`apportion.outputs.spreadsheet`).

Amounts are whole-penny Decimals from the rules and are written as they are; ratios and
exact (unrounded) figures are written to 10-12 decimals. Text from the inputs is always
written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from apportion.model import VERSION, Apportionment
from apportion.model.money import ZERO, round_decimal
from apportion.outputs.provenance import Provenance
from apportion.outputs.spreadsheet import LETTERS, Formula, Sheet, Style, Workbook, quote_sheet

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
EXACT = "#,##0.0000######"
PERCENT = "0.0000%"
NUMBER = "#,##0.##########"
BOLD = "bold"
TITLE = "title"
PLACES = 10  # decimals written for exact figures and adjustments


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
    """A workbook being written for a run: its sheets, and the run they describe."""

    def __init__(self, result: Apportionment, title: str, provenance: Provenance) -> None:
        self.result = result
        self.provenance = provenance
        self.workbook = Workbook()
        self.workbook.creator = f"apportion {VERSION}"
        self.workbook.title = title
        self.workbook.subject = f"{result.budget.collaboration}, {result.budget.year}"
        self.workbook.custom = [(f"{i:02d} {key}", value) for i, (key, value) in enumerate(provenance.items(), 1)]

    @property
    def expected(self) -> dict[tuple[str, str], Decimal]:
        """Every formula's cell, with apportion's figure for it."""
        return self.workbook.formulas

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
        """Write one cell, with a number format for numbers and formulas."""
        numeric = isinstance(value, Decimal | Formula | int)
        sheet.put(row, column, value, self.workbook.style(Style(fmt if numeric else None, font)))

    def table(
        self, sheet: Sheet, top: int, columns: Sequence[Column], rows: Sequence[Row], *, total_label: str | None = None
    ) -> Span:
        """A header at row ``top``, a row a mapping, then (if labelled) a row of SUM formulas."""
        letters = {column.key: LETTERS[index] for index, column in enumerate(columns, start=1)}
        style = self.workbook.style
        header = style(Style(font=BOLD, fill=True, wrap=True))
        prepared = []
        for index, column in enumerate(columns, start=1):
            sheet.put(top, index, column.heading, header)
            sheet.widths[index] = max(sheet.widths.get(index, 0), column.width)
            prepared.append(
                (column.key, LETTERS[index], style(Style(column.number_format)), style(Style(wrap=column.wrap)), column.total)
            )
        sums: dict[str, Decimal] = {column.key: ZERO for column in columns if column.total}
        cell_xml = sheet.cell_xml
        for row_number, row in enumerate(rows, start=top + 1):
            cells = []
            for key, letter, numeric, wrapped, totalled in prepared:
                value = row.get(key)
                if value is None:
                    continue
                if callable(value):
                    value = value(row_number, letters)
                cells.append(cell_xml(f"{letter}{row_number}", value, wrapped if isinstance(value, str) else numeric))
                if totalled:
                    sums[key] += value.expected if isinstance(value, Formula) else (value or ZERO)
            sheet.put_row(row_number, cells, len(columns))
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


def absolute(sheet: Sheet, first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """'Sheet'!$A$1:$B$9, as a chart refers to cells."""
    return f"{quote_sheet(sheet.title)}!${LETTERS[first_column]}${first_row}:${LETTERS[last_column]}${last_row}"


def exact(value: Fraction) -> Decimal:
    return round_decimal(value, PLACES)


def share_formula(share: Decimal) -> Callable[[int, Letters], Formula]:
    """value / participants' total, in the row it is written in."""
    return lambda r, c: Formula(f"={c['value']}{r}/{c['total']}{r}", share)


def write_provenance_sheet(book: Book) -> None:
    """What made this workbook, from which inputs: the run's provenance, key by key."""
    sheet = book.sheet("Provenance", "Provenance: what made this workbook, from which inputs")
    rows = [{"key": key, "value": value} for key, value in book.provenance.items()]
    span = book.table(sheet, 4, (Column("key", "Key", 22), Column("value", "Value", 110)), rows)
    book.excel_table(sheet, "Provenance", span)
    book.finish(sheet, 4)
