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
from typing import Any, NamedTuple, cast

from apportion.model import VERSION, Apportionment
from apportion.model.money import ZERO, round_decimal, round_ratio
from apportion.outputs.provenance import Provenance
from apportion.outputs.spreadsheet import LETTERS, Cell, Formula, PageSetup, Relative, Sheet, Style, Workbook, quote_sheet

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
EXACT = "#,##0.0000######"
PERCENT = "0.00%"  # shown to 2 decimals; the cell holds the exact figure
NUMBER = "#,##0.0#########"  # a value in a basis; whole values are shown with WHOLE
WHOLE = "#,##0"
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

    def put_text(self, sheet: Sheet, row: int, text: str, width: int = 110) -> int:
        """A long text as lines of at most ``width`` characters, a row each, so that none
        runs past the printed page; returns the row after the last."""
        line = ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width:
                self.put(sheet, row, 1, line)
                row, line = row + 1, word
            else:
                line = f"{line} {word}" if line else word
        if line:
            self.put(sheet, row, 1, line)
            row += 1
        return row

    def table(
        self,
        sheet: Sheet,
        top: int,
        columns: Sequence[Column],
        rows: Sequence[Row] | Sequence[list[Any]],
        *,
        total_label: str | None = None,
    ) -> Span:
        """A header at row ``top``, a row a mapping, then (if labelled) a row of SUM formulas.

        A value may be a function of (row, column letters) giving the value; or every row may
        be a list of the values in column order (no functions), the quick way for long tables.
        A text column is as wide as its longest text, up to :data:`WIDEST`; longer text wraps,
        and its row is made tall enough to show it all."""
        letters = {column.key: LETTERS[index] for index, column in enumerate(columns, start=1)}
        keys = [column.key for column in columns]
        values: Sequence[Sequence[Any]]
        if rows and isinstance(rows[0], list):  # rows as lists of values, column by column: the quick way
            values = cast("Sequence[list[Any]]", rows)
        else:
            values = [
                [v(row_number, letters) if callable(v) else v for v in map(row.get, keys)]
                for row_number, row in enumerate(cast("Sequence[Row]", rows), start=top + 1)
            ]
        # column by column: a table of many rows is looked at a column at a time, not cell by cell
        by_column: list[Sequence[Any]] = list(zip(*values, strict=True)) if values else [() for _ in columns]
        style = self.workbook.style
        header = style(Style(font=BOLD, fill=True, wrap=True))
        styles, widths, changed = [], [], False
        for index, column in enumerate(columns, start=1):
            cells = by_column[index - 1]
            kinds = set(map(type, cells))
            if Styled in kinds:
                cells = by_column[index - 1] = [styled(cell, column, style) if type(cell) is Styled else cell for cell in cells]
                kinds = set(map(type, cells))
                changed = True
            texts = [cell for cell in cells if type(cell) is str]
            if Cell in kinds:
                texts += [cell.value for cell in cells if type(cell) is Cell and type(cell.value) is str]
            longest = max(map(len, texts), default=0)
            width = column.width if column.wrap or not longest else max(column.width, min(longest + 2, WIDEST))
            widths.append(width)
            room = int(width * 1.1) - 1
            if longest > room:  # text that wraps: its row as tall as its lines
                heights = sheet.heights
                for row_number, cell in enumerate(cells, start=top + 1):
                    text = cell.value if type(cell) is Cell else cell
                    if type(text) is str and len(text) > room:
                        height = LINE_HEIGHT * lines(text, width)
                        if height > heights.get(row_number, LINE_HEIGHT):
                            heights[row_number] = height
            sheet.put(top, index, column.heading, header)
            sheet.widths[index] = max(sheet.widths.get(index, 0), width)
            styles.append((style(Style(column.number_format)), style(Style(wrap=True))))
        sheet.heights[top] = max(
            sheet.heights.get(top, 0), LINE_HEIGHT * max(lines(c.heading, w, BOLD) for c, w in zip(columns, widths, strict=True))
        )
        sheet.put_rows(top + 1, styles, list(zip(*by_column, strict=True)) if changed else values)
        span = Span(top, top + 1, top + len(rows), letters, tuple(column.heading for column in columns))
        if total_label is not None:
            total_row = span.last + 1
            self.put(sheet, total_row, 1, total_label, font=BOLD)
            for index, column in enumerate(columns, start=1):
                if column.total:
                    total = sum(map(figure_of, by_column[index - 1]), ZERO)
                    text = f"=SUM({span.column(column.key, absolute=False)})" if rows else "=0"
                    self.put(sheet, total_row, index, Formula(text, total), column.number_format, font=BOLD)
        return span

    def finish(self, sheet: Sheet, header_row: int, frozen_columns: int = 0, *, portrait: bool = False) -> None:
        """Freeze the header (and key columns); print on A4 with the header row, and the key
        columns, on every page, at the largest scale from 70% to 100% that fits the width (a
        sheet wider than that at 70% runs on to further pages across)."""
        sheet.freeze = (header_row, frozen_columns)
        sheet.print_titles = (header_row, header_row)
        sheet.print_columns = (1, frozen_columns) if frozen_columns else None
        sheet.page = page_for(sheet, portrait=portrait)

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

    def order(self, *titles: str) -> None:
        """Put these sheets first, in this order; the others follow as they were made."""
        first = [sheet for title in titles for sheet in self.workbook.sheets if sheet.title == title]
        self.workbook.sheets = first + [sheet for sheet in self.workbook.sheets if sheet not in first]

    def to_bytes(self) -> bytes:
        return self.workbook.to_bytes()


WIDEST = 32  # a text column grows to fit its longest text up to this width, then wraps
LINE_HEIGHT = 15  # points: a row of one line of 11 pt text
PRINTABLE = {"portrait": 7.27, "landscape": 10.69}  # inches across A4 within the margins
SMALLEST_SCALE = 70  # percent: 11 pt text prints no smaller than 7.7 pt


class Styled(NamedTuple):
    """A cell with a look of its own: a number format (a whole number shown without
    decimals, say) or a font (a member's own line in bold)."""

    value: Any
    number_format: str | None = None
    font: str = ""


def styled(cell: Styled, column: Column, style: Callable[[Style], int]) -> Cell:
    """A cell with a look of its own, as the writer takes it: its value and style."""
    text = isinstance(cell.value, str)
    return Cell(cell.value, style(Style(None if text else cell.number_format or column.number_format, cell.font, wrap=text)))


def figure_of(value: Any) -> Decimal:
    """What a cell adds to its column's total: its number, or its formula's figure."""
    if type(value) is Cell:
        value = value.value
    if type(value) is Formula or type(value) is Relative:
        return value.expected
    if type(value) is int:
        return Decimal(value)
    return value if type(value) is Decimal else ZERO


def lines(text: str, width: float, font: str = "") -> int:
    """How many lines a text takes in a column of ``width`` characters, wrapped at spaces."""
    room = max(1, int(width * (0.95 if font == BOLD else 1.1)) - 1)
    count, used = 1, 0
    for word in text.split():
        needed = len(word) if used == 0 else used + 1 + len(word)
        if needed <= room:
            used = needed
        else:
            count += 1 + (len(word) - 1) // room
            used = len(word) % room or room
    return count


def inches(width: float) -> float:
    """A column's width in characters, as printed: about 7 pixels a character and 5 of
    padding at 96 to the inch (7.5 here, to leave room for the spreadsheet program's own sums)."""
    return (7.5 * width + 5) / 96


def page_for(sheet: Sheet, *, portrait: bool) -> PageSetup:
    orientation = "portrait" if portrait else "landscape"
    across = sum(inches(sheet.widths.get(column, 8.43)) for column in range(1, sheet.max_column + 1))
    scale = min(100, int(100 * PRINTABLE[orientation] / across)) if across else 100
    return PageSetup(orientation, max(SMALLEST_SCALE, scale))


def absolute(sheet: Sheet, first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """'Sheet'!$A$1:$B$9, as a chart refers to cells."""
    return f"{quote_sheet(sheet.title)}!${LETTERS[first_column]}${first_row}:${LETTERS[last_column]}${last_row}"


def exact(value: Fraction) -> Decimal:
    return round_decimal(value, PLACES)


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole of two amounts, exactly, to the places every ratio is written with (a
    formula dividing the two cells gives it)."""
    sign = 1 if whole > 0 else -1
    return round_ratio(sign * int(part * 100), sign * int(whole * 100), PLACES)


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
