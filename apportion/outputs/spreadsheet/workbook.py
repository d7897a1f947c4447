"""Where a workbook becomes bytes: apportion's own small writer of SpreadsheetML (.xlsx).

apportion writes workbooks of a few known shapes (cells in a handful of styles, frozen
headers, column widths, Excel tables, names, bar, pie and line charts, A4 print set-up,
document properties) and writes many of them: a national run writes 44 workbooks of some
1.5 million cells. So each cell becomes its XML text when it is put, and a sheet is rows
of those texts, joined once when the workbook is saved (:mod:`~.parts`). Nothing reads the
clock, so the same workbook always gives the same bytes.

The cells are neutral: a value is a Decimal or int (a number), text (always text, never a
formula, whatever it begins with), or a :class:`Formula` (apportion's formula with
apportion's own figure for it). The workbook modules describe sheets through this API and
never see XML. Each formula is written with its figure as the cell's saved value (and each
chart with the figures it draws), so a viewer that does not calculate (a mail preview, a
file received in Protected View, pandas) shows the figures; the workbook also asks to be
calculated when opened, so that what a user sees is the spreadsheet's own arithmetic.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from apportion.outputs.spreadsheet.markup import COMPRESSION, LETTERS, ZIP_TIME, escape


class Style(NamedTuple):
    """A cell's look: number format, font ("", "bold" or "title"), header fill, wrapped text,
    and its alignment ("right"; "indent": to the left, a space in from the edge; "figure": to
    the right, a space in from the edge; so that columns side by side never touch)."""

    number_format: str | None = None
    font: str = ""
    fill: bool = False
    wrap: bool = False
    align: str = ""


FONTS = {"": 0, "bold": 1, "title": 2}
FONT_XML = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>',
)
HEADER_RGB = "00DDE4EE"
BUILTIN_FORMATS = {"General": 0, "0.00%": 10}


class Series(NamedTuple):
    """A chart series: its values (a range) and optionally its title cell, each with what the
    cells hold, cached in the chart so that a viewer that does not calculate still draws it."""

    values: str
    title: str | None = None
    cached: Sequence[Decimal] = ()
    title_text: str = ""


class Chart(NamedTuple):
    """A bar ("bar", "horizontal bar" or "stacked"), "pie" or "line" chart anchored at a
    cell, ``size`` in cm."""

    kind: str
    title: str
    series: Sequence[Series]
    categories: str
    anchor: tuple[int, int]  # (row, column), 1-based
    number_format: str | None = None
    legend: bool = True
    numeric_categories: bool = False
    cached_categories: Sequence[str | Decimal] = ()
    size: tuple[float, float] = (15.0, 7.5)
    from_zero: bool = False  # the value axis starts at nought
    labelled: bool = False  # each bar's figure beside it, in the chart's number format


class PageSetup(NamedTuple):
    """How a sheet prints on A4: its orientation, and either a scale or pages to fit
    (``fit_height`` 0: as many pages down as it needs); ``restart``: its pages are numbered
    from 1, whatever prints before it."""

    orientation: str = "landscape"
    scale: int = 100
    fit_width: int | None = None
    fit_height: int | None = None
    restart: bool = False


class Formula(NamedTuple):
    """A formula of ours (with its leading '='), and the figure apportion computed for it."""

    text: str
    expected: Decimal


class Relative(NamedTuple):
    """A formula written alike on each row of a table (``template``, with its leading '=',
    gives the row's own row number as ``{r}``; every other reference has an absolute row,
    $A$5), and the figure apportion computed for this row. A run of rows with the same
    template is written as one shared formula, as spreadsheet programs write a filled-down
    column: its text once, each row's cell a reference to it."""

    template: str
    expected: Decimal


class ColumnWriter:
    """What writing a table's column needs at hand: the start of its cells' XML for a number,
    text or formula, and the shared formula being written down it."""

    __slots__ = (
        "first", "follower", "formula", "index", "last", "letter", "number", "shared", "start", "style", "template", "text",
    )  # fmt: skip

    def __init__(self, letter: str, number: int, text: int) -> None:
        self.letter, self.style, self.start = letter, number, f'<c r="{letter}'
        self.number, self.text = f'" s="{number}"><v>', f'" s="{text}" t="s"><v>'
        self.formula, self.shared = f'" s="{number}"><f>', f'" s="{number}">'
        self.template: str | None = None
        self.first = self.last = self.index = 0
        self.follower = ""


class Cell(NamedTuple):
    """A value (a number, text or :class:`Formula`) with a style of its own, in a table's row."""

    value: Any
    style: int


FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*><f[^>]*?(?:/>|>[^<]*</f>)<v>([^<]*)</v></c>')


@dataclass
class Sheet:
    """One worksheet: its cells as XML text by row, and its layout."""

    title: str
    strings: dict[str, int]  # the workbook's shared strings
    rows: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None  # (rows, columns) frozen
    header: str = ""
    footer: str = ""
    page: PageSetup | None = None
    print_titles: tuple[int, int] | None = None  # rows repeated on every printed page
    print_columns: tuple[int, int] | None = None  # columns repeated on every printed page
    breaks: list[int] = field(default_factory=list)  # a printed page ends after each of these rows
    column_breaks: list[int] = field(default_factory=list)  # a printed page ends after each of these columns
    tables: list[tuple[str, str, Sequence[str]]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    max_row: int = 0
    max_column: int = 0
    shared_count: int = 0  # the shared formulas written: each has its index on the sheet

    def put(self, row: int, column: int, value: Any, style: int) -> None:
        """Write one cell (nothing for None)."""
        if value is not None:
            self.cells(row).append((column, self.cell_xml(f"{LETTERS[column]}{row}", value, style)))
            self.max_column = max(self.max_column, column)

    def put_rows(self, first: int, styles: Sequence[tuple[int, int]], lines: Sequence[Sequence[Any]]) -> None:
        """A table's body: from row ``first``, a row of each line's values from column A
        (None: no cell), each column with its style for numbers and for text (a :class:`Cell`
        brings its own). Each value is looked at once: a national run writes millions.

        A run of :class:`Relative` cells of one template down a column is one shared
        formula: its first cell holds the text and the run's range, the others refer to it."""
        strings = self.strings
        columns = [
            ColumnWriter(letter, number, text)
            for letter, (number, text) in zip(LETTERS[1 : len(styles) + 1], styles, strict=True)
        ]
        rows = self.rows
        row = first
        for line in lines:
            cells: list[str] = []
            append = cells.append
            for column, value in zip(columns, line, strict=True):
                kind = type(value)
                if kind is Decimal or kind is int:
                    append(f"{column.start}{row}{column.number}{value!s}</v></c>")  # !s: str(), 4x quicker than format()
                elif kind is Relative:
                    if value.template is not column.template or column.last != row - 1:
                        self.end_run(column)
                        column.template, column.first, column.index = value.template, row, self.shared_count
                        self.shared_count += 1
                        text = escape(value.template[1:].format(r=row))
                        element = f'<f t="shared" ref="\x00{column.index}" si="{column.index}">{text}</f>'
                        column.follower = f'<f t="shared" si="{column.index}"/>'
                    else:
                        element = column.follower
                    column.last = row
                    append(f"{column.start}{row}{column.shared}{element}<v>{value.expected!s}</v></c>")
                elif kind is str:
                    index = strings.get(value)
                    if index is None:
                        index = strings[value] = len(strings)
                    append(f"{column.start}{row}{column.text}{index}</v></c>")
                elif kind is Formula:
                    append(f"{column.start}{row}{column.formula}{escape(value.text[1:])}</f><v>{value.expected!s}</v></c>")
                elif kind is Cell:  # with a style of its own
                    append(self.cell_xml(f"{column.letter}{row}", value.value, value.style))
                elif value is not None:  # a number of a kind of its own (a Decimal read as written)
                    append(self.cell_xml(f"{column.letter}{row}", value, column.style))
            if cells:
                rows.setdefault(row, []).append((1, "".join(cells)))
            row += 1
        for column in columns:
            self.end_run(column)
        self.max_column = max(self.max_column, len(styles))
        self.max_row = max(self.max_row, row - 1)

    def end_run(self, column: ColumnWriter) -> None:
        """A shared formula's run is over: its first cell is given the run's range."""
        if column.template is None:
            return
        row = self.rows[column.first]
        at, (start, xml) = len(row) - 1, row[-1]
        row[at] = (
            start,
            xml.replace(f'ref="\x00{column.index}"', f'ref="{column.letter}{column.first}:{column.letter}{column.last}"'),
        )
        column.template = None

    def cell_xml(self, ref: str, value: Any, style: int) -> str:
        """The one place a value becomes a cell: text is always text, a Formula a formula."""
        kind = type(value)
        if kind is Decimal or kind is int:  # the commonest cells first
            return f'<c r="{ref}" s="{style}"><v>{value!s}</v></c>'
        if kind is Formula:
            return f'<c r="{ref}" s="{style}"><f>{escape(value.text[1:])}</f><v>{value.expected!s}</v></c>'
        if isinstance(value, str):
            strings = self.strings
            index = strings.get(value)
            if index is None:
                index = strings[value] = len(strings)
            return f'<c r="{ref}" s="{style}" t="s"><v>{index}</v></c>'
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'

    def cells(self, row: int) -> list[tuple[int, str]]:
        """The list a row's cells are appended to: (column, XML), where the XML may hold
        several cells side by side from that column on (a table's row, written at once)."""
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = []
            self.max_row = max(self.max_row, row)
        return cells

    @property
    def formulas(self) -> dict[str, Decimal]:
        """Each formula's cell, with the figure written for it (apportion's own)."""
        return {
            ref: Decimal(value) for cells in self.rows.values() for _, xml in cells for ref, value in FORMULA_CELL.findall(xml)
        }


class Workbook:
    """Sheets, shared strings, styles, names and properties; ``to_bytes`` makes the .xlsx."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []
        self.strings: dict[str, int] = {}
        self.styles: dict[Style, int] = {Style(): 0}
        self.names: dict[str, str] = {}
        self.title = ""
        self.subject = ""
        self.creator = ""
        self.custom: list[tuple[str, str]] = []

    def add_sheet(self, title: str) -> Sheet:
        sheet = Sheet(title, self.strings)
        self.sheets.append(sheet)
        return sheet

    @property
    def formulas(self) -> dict[tuple[str, str], Decimal]:
        """Every formula's cell, by (sheet, cell), with the figure written for it: read back
        from the cells when asked, so writing one costs nothing more."""
        return {(sheet.title, ref): figure for sheet in self.sheets for ref, figure in sheet.formulas.items()}

    def style(self, style: Style) -> int:
        index = self.styles.get(style)
        if index is None:
            index = self.styles[style] = len(self.styles)
        return index

    def to_bytes(self) -> bytes:
        """The .xlsx: its parts zipped with fixed times, so the same workbook gives the same bytes."""
        import io

        from apportion.outputs.spreadsheet.parts import parts

        buffer = io.BytesIO()
        with ZipFile(buffer, "w", ZIP_DEFLATED, compresslevel=COMPRESSION) as archive:
            for name, content in parts(self):
                entry = ZipInfo(name, date_time=ZIP_TIME)
                entry.compress_type = ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, content.encode("utf-8"), compresslevel=COMPRESSION)
        return buffer.getvalue()
