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
from itertools import count
from operator import itemgetter
from typing import Any, NamedTuple, cast

from apportion.model import VERSION, Apportionment
from apportion.model.money import ZERO, round_decimal, round_ratio
from apportion.outputs import pages
from apportion.outputs.pages import LINE_HEIGHT, lines, page_for, paginate, titles_across
from apportion.outputs.provenance import Provenance
from apportion.outputs.spreadsheet import LETTERS, Cell, Chart, Formula, Relative, Sheet, Style, Workbook, quote_sheet

MONEY = '"£"#,##0.00;[Red]-"£"#,##0.00'
EXACT = '"£"#,##0.00########;-"£"#,##0.00########'  # pounds before rounding: pence, and more places where it has them
PERCENT = "0.00%"  # shown to 2 decimals; the cell holds the exact figure
NUMBER = "#,##0.0#########"  # a value in a basis; whole values are shown with WHOLE
WHOLE = "#,##0"
BOLD = pages.BOLD  # bold 11 pt text (how wide it prints is measured in pages)
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
    return Column(key, heading, 13, MONEY, total)  # widened to its widest figure (the national run's too)


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
        self.tables: dict[str, list[tuple[int, int]]] = {}  # each sheet's tables: (heading row, last row)
        self.headings: dict[str, int] = {}  # each sheet's own table's heading row
        self.alone: dict[str, str] = {}  # sheets whose pages are numbered on their own, with what each is
        self.upright: dict[str, bool] = {}  # each finished sheet: whether it must print upright
        self.titles: dict[str, tuple[str, str]] = {}  # each sheet's title and subtitle (its first two rows)

    @property
    def expected(self) -> dict[tuple[str, str], Decimal]:
        """Every formula's cell, with apportion's figure for it."""
        return self.workbook.formulas

    def sheet(self, title: str, subtitle: str, header_label: str = "") -> Sheet:
        """A new sheet with the collaboration and year as its title and print header."""
        sheet = self.workbook.add_sheet(title)
        budget = self.result.budget
        self.titles[title] = (f"{budget.collaboration}, {budget.year}", subtitle)
        self.put(sheet, 1, 1, self.titles[title][0], font=TITLE)
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
        styles, widths, totals, kinds_by_column = [], [], [], []
        for index, column in enumerate(columns, start=1):
            cells = by_column[index - 1]
            kinds = set(map(type, cells))
            if Styled in kinds:
                looks: dict[tuple[Any, ...], int] = {}  # each look's style, made once
                cells = by_column[index - 1] = [
                    styled(cell, column, style, looks) if type(cell) is Styled else cell for cell in cells
                ]
                kinds = set(map(type, cells))
            texts: Sequence[Any] = (cells if kinds == {str} else [c for c in cells if type(c) is str]) if str in kinds else []
            if Cell in kinds:
                texts = [*texts, *(cell.value for cell in cells if type(cell) is Cell and type(cell.value) is str)]
            longest = max(map(len, texts), default=0)
            width = column.width if column.wrap or not longest else max(column.width, min(longest + 3, WIDEST))
            figures = figures_of(cells, kinds) if column.total or column.number_format else []
            total = sum(figures, ZERO) if column.total else None
            totals.append(total)
            if column.number_format:  # as wide as its widest figure, and a gap
                figures.append(total or ZERO)
                width = max(width, min(widest_of(figures, column.number_format) + 3, WIDEST))
            width = max(width, max(map(len, column.heading.split()), default=0) + 2)  # no heading broken mid-word
            widths.append(width)
            room = int((width - 1) * 1.1) - 1
            if longest > room:  # text that wraps: its row as tall as its lines
                heights = sheet.heights
                tall: dict[str, float] = {}  # each text's height, worked once: a column may repeat a text on many rows
                texts_by_row = zip(count(top + 1), (cell.value if type(cell) is Cell else cell for cell in cells))
                for row_number, text in [(row, text) for row, text in texts_by_row if type(text) is str and len(text) > room]:
                    height = tall.get(text)
                    if height is None:
                        height = tall[text] = LINE_HEIGHT * lines(text, width - 1)
                    if height > heights.get(row_number, LINE_HEIGHT):
                        heights[row_number] = height
            figures_column = column.number_format is not None
            heading = style(Style(font=BOLD, fill=True, wrap=True, align="figure" if figures_column else "indent"))
            sheet.put(top, index, column.heading, heading)
            sheet.widths[index] = max(sheet.widths.get(index, 0), width)
            styles.append((style(Style(column.number_format, align="figure")), style(Style(wrap=True, align="indent"))))
            kinds_by_column.append(kinds)
        sheet.heights[top] = max(
            sheet.heights.get(top, 0), LINE_HEIGHT * max(lines(c.heading, w, BOLD) for c, w in zip(columns, widths, strict=True))
        )
        sheet.put_columns(top + 1, styles, by_column, kinds_by_column)
        span = Span(top, top + 1, top + len(rows), letters, tuple(column.heading for column in columns))
        self.tables.setdefault(sheet.title, []).append((top, span.last + (total_label is not None)))
        if total_label is not None:
            total_row = span.last + 1
            sheet.put(total_row, 1, total_label, style(Style(font=BOLD, align="indent")))
            for index, column in enumerate(columns, start=1):
                total = totals[index - 1]
                if total is not None:
                    text = f"=SUM({span.column(column.key, absolute=False)})" if rows else "=0"
                    total_style = style(Style(column.number_format, BOLD, align="figure"))
                    sheet.put(total_row, index, Formula(text, total), total_style)
        return span

    def finish(self, sheet: Sheet, header_row: int, frozen_columns: int = 0, *, portrait: bool = False) -> None:
        """Freeze the header (and key columns); print on A4 at the largest scale from 70% to
        100% that fits the width, the key columns on every page across, the header row over
        its table's pages where it is split (:mod:`apportion.outputs.pages`)."""
        sheet.freeze = (header_row, frozen_columns)
        self.headings[sheet.title] = header_row
        self.upright[sheet.title] = portrait
        sheet.print_columns = (1, frozen_columns) if frozen_columns else None
        sheet.page = page_for(sheet, portrait=portrait)

    def chart_page(self, sheet: Sheet, row: int, chart: Chart, caption: str) -> int:
        """A chart on a page of its own from ``row``: a line of text that says where its
        figures are (its text alternative), then the chart; returns the row after it."""
        sheet.breaks.append(row - 1)
        self.put(sheet, row, 1, caption)
        sheet.charts.append(chart._replace(anchor=(row + 1, 1)))
        return row + 2 + int(chart.size[1] / 0.53)  # rows of 15 pt (0.53 cm) the chart covers

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
        """The .xlsx, each sheet's pages laid out first."""
        for sheet in self.workbook.sheets:
            if sheet.title in self.upright:  # its width as finished: its tables, notes and charts
                sheet.page = page_for(sheet, portrait=self.upright[sheet.title])
            paginate(sheet, self.tables.get(sheet.title, ()), self.headings.get(sheet.title))
            if sheet.title in self.titles:
                title, subtitle = self.titles[sheet.title]
                for row, column, text in titles_across(sheet, title, subtitle, self.headings.get(sheet.title, 3)):
                    self.put(sheet, row, column, text, font=TITLE if row == 1 else BOLD)
            if sheet.title in self.alone and sheet.page is not None:  # "page 1 of 2" of itself, whatever prints with it
                printed = 1 + sum(1 for row in sheet.breaks if row < sheet.max_row)
                sheet.page = sheet.page._replace(restart=True)
                sheet.footer = f"{self.alone[sheet.title]}: page &P of {printed}".replace("&", "&&").replace("&&P", "&P")
        return self.workbook.to_bytes()


WIDEST = 32  # a text column grows to fit its longest text up to this width, then wraps
MEASURED = 2_000  # rows: a longer column of figures is made as wide as its largest to every place its format shows


class Styled(NamedTuple):
    """A cell with a look of its own: a number format (a whole number shown without
    decimals, say) or a font (a member's own line in bold)."""

    value: Any
    number_format: str | None = None
    font: str = ""


def styled(cell: Styled, column: Column, style: Callable[[Style], int], looks: dict[tuple[Any, ...], int]) -> Cell:
    """A cell with a look of its own, as the writer takes it: its value and style."""
    text = isinstance(cell.value, str)
    look = (cell.number_format, cell.font, text)
    index = looks.get(look)
    if index is None:
        number_format = None if text else cell.number_format or column.number_format
        index = looks[look] = style(Style(number_format, cell.font, wrap=text, align="indent" if text else "figure"))
    return Cell(cell.value, index)


def widest_of(figures: Sequence[Decimal], number_format: str) -> int:
    """How many characters the widest of a column's figures takes in its number format (near
    enough: a little more): its largest, to as many places as any of them shows."""
    smallest, largest = min(figures), max(figures)
    negative, largest = smallest < 0, max(largest, -smallest)
    shown = number_format.split(";", maxsplit=1)[0].replace('"', "").replace("£", "")
    decimals = shown.split(".")[1].rstrip("%)_") if "." in shown else ""
    required, optional = decimals.count("0"), decimals.count("#")
    places = required
    if optional:  # as many places as the figures have, to the format's most (a long column: the most)
        exponents = (f.as_tuple().exponent for f in figures) if len(figures) <= MEASURED else (-99,)
        places = max(required, min(required + optional, -min(int(e) for e in exponents)))
    if "%" in shown:
        largest, places = largest * 100, max(required, places - 2)
    return len(f"{largest:,.{places}f}") + ("£" in number_format) + ("%" in shown) + negative


EXPECTED = itemgetter(1)  # a Formula's or a Relative's figure


def figures_of(cells: Sequence[Any], kinds: set[type]) -> list[Decimal]:
    """A column's figures (a formula's, the figure written for it), as quickly as its kinds allow."""
    if kinds <= {Decimal, type(None), str}:
        return list(cells) if kinds == {Decimal} else [cell for cell in cells if type(cell) is Decimal]
    if kinds in ({Relative}, {Formula}):  # a formula on every row: the commonest column
        return list(map(EXPECTED, cells))
    if kinds <= {Relative, Formula, type(None), str}:
        return [cell.expected for cell in cells if type(cell) is Relative or type(cell) is Formula]
    if kinds <= {Decimal, Relative, Formula, type(None), str}:
        return [cell if type(cell) is Decimal else cell.expected for cell in cells if cell is not None and type(cell) is not str]
    return [figure_of(cell) for cell in cells if cell is not None and type(cell) is not str]


def figure_of(value: Any) -> Decimal:
    """What a cell adds to its column's total: its number, or its formula's figure."""
    if type(value) is Cell:
        value = value.value
    if type(value) is Formula or type(value) is Relative:
        return value.expected
    if type(value) is int:
        return Decimal(value)
    return value if isinstance(value, Decimal) else ZERO  # a number as read from the file (input.values.Number) too


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
