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
from itertools import chain, compress, pairwise
from operator import is_not
from typing import Any, NamedTuple, cast
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


class Cell(NamedTuple):
    """A value (a number, text or :class:`Formula`) with a style of its own, in a table's row."""

    value: Any
    style: int


class Run(NamedTuple):
    """A shared formula's run down a column: its number on the sheet and the offset of its last cell."""

    number: int
    last: int


NONE = type(None)
NUMBERS = {Decimal, int, NONE}
PLAIN_TEXT = {str, NONE}
FORMULAS = {Formula, NONE}
SHARED = {Relative, NONE}


def may_be_text(kind: type) -> bool:
    """Whether a value of this kind may be (or hold) text."""
    return kind is Cell or issubclass(kind, str)


FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*><f[^>]*?(?:/>|>[^<]*</f>)<v>([^<]*)</v></c>')


@dataclass
class Sheet:
    """One worksheet: its cells as XML text by row, and its layout."""

    title: str
    strings: dict[str, int]  # the workbook's shared strings
    # each row's cells as XML: a table's row, written at once, as one text; else (column, XML) pairs
    rows: dict[int, str | list[tuple[int, str]]] = field(default_factory=dict)
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

    def put_columns(
        self, first: int, styles: Sequence[tuple[int, int]], columns: Sequence[Sequence[Any]],
        kinds: Sequence[set[type]] | None = None,
    ) -> None:  # fmt: skip
        """A table's body, given column by column: from row ``first``, each column's values
        from column A on (None: no cell), each column with its style for numbers and for text
        (a :class:`Cell` brings its own). A column of one kind of value is written in one pass
        without looking at each value's kind: a national run writes millions of cells.

        A run of :class:`Relative` cells of one template down a column is one shared
        formula: its first cell holds the text and the run's range, the others refer to it.
        Shared strings and shared formulas are numbered in the order a reader meets them,
        row by row, so the workbook is the same whichever way it was written. ``kinds``: the
        kinds of value in each column, where the caller has looked already."""
        count = len(columns[0]) if columns else 0
        numbers = list(map(str, range(first, first + count)))
        if kinds is None:
            kinds = [set(map(type, column)) for column in columns]
        self.share_strings([column for column, kind in zip(columns, kinds, strict=True) if any(map(may_be_text, kind))])
        runs = self.shared_runs(columns, kinds)
        written = [
            self.column_xml(letter, style, column, kind, numbers, runs.get(index, {}))
            for index, (letter, style, column, kind) in enumerate(zip(LETTERS[1:], styles, columns, kinds, strict=False))
        ]
        rows, numbered = self.rows, range(first, first + count)
        made = list(map("".join, zip(*written, strict=True)))
        if "" not in made and rows.keys().isdisjoint(numbered):  # the table's rows are its own: each row's cells one text
            rows.update(zip(numbered, made, strict=True))
        else:
            for row, xml in zip(numbered, made, strict=True):
                if xml:
                    self.cells(row).append((1, xml))
        self.max_column = max(self.max_column, len(styles))
        self.max_row = max(self.max_row, first + count - 1)

    def share_strings(self, columns: Sequence[Sequence[Any]]) -> None:
        """Number the text of these columns (a :class:`Cell`'s too) in the workbook's shared
        strings, row by row, as :meth:`put` would have met it."""
        strings = self.strings
        for value in dict.fromkeys(chain.from_iterable(zip(*columns, strict=True))):  # each value once, in order
            if value not in strings:
                text = value.value if type(value) is Cell else value
                if isinstance(text, str) and text not in strings:
                    strings[text] = len(strings)

    def shared_runs(self, columns: Sequence[Sequence[Any]], kinds: Sequence[set[type]]) -> dict[int, dict[int, Run]]:
        """Each column's runs of :class:`Relative` cells of one template (the same text
        object), by the offset of the run's first cell: each run's index on the sheet, in
        the order of their first cells row by row, and the offset of its last cell."""
        found: list[tuple[int, int, int]] = []  # (first offset, column index, last offset)
        for index, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
            if Relative not in kind:
                continue
            templates = [value.template if type(value) is Relative else None for value in column]
            changes = [0, *compress(range(1, len(templates)), map(is_not, templates[1:], templates[:-1])), len(templates)]
            found += [(start, index, end - 1) for start, end in pairwise(changes) if templates[start] is not None]
        runs: dict[int, dict[int, Run]] = {}
        for start, index, last in sorted(found):
            runs.setdefault(index, {})[start] = Run(self.shared_count, last)
            self.shared_count += 1
        return runs

    def column_xml(  # noqa: PLR0913, PLR0917 - a column's letter, styles, values and where they go
        self, letter: str, style: tuple[int, int], values: Sequence[Any], kinds: set[type], numbers: Sequence[str],
        runs: dict[int, Run],
    ) -> list[str]:  # fmt: skip
        """The XML of each of a column's cells ("" for none), in one pass where the column
        holds one kind of value (and blanks), else cell by cell."""
        number, text = style
        start, strings = f'<c r="{letter}', self.strings
        if kinds <= NUMBERS:
            value = f'" s="{number}"><v>'
            if NONE in kinds:
                return ["" if v is None else f"{start}{r}{value}{v!s}</v></c>" for r, v in zip(numbers, values, strict=True)]
            return [f"{start}{r}{value}{v!s}</v></c>" for r, v in zip(numbers, values, strict=True)]  # !s: 4x quicker
        if kinds <= PLAIN_TEXT:
            index = f'" s="{text}" t="s"><v>'
            return ["" if v is None else f"{start}{r}{index}{strings[v]}</v></c>" for r, v in zip(numbers, values, strict=True)]
        if kinds <= FORMULAS:
            formula = f'" s="{number}"><f>'
            return [
                "" if v is None else f"{start}{r}{formula}{escape(v.text[1:])}</f><v>{v.expected!s}</v></c>"
                for r, v in zip(numbers, values, strict=True)
            ]
        elements = self.shared_elements(letter, values, numbers, runs)
        if kinds <= SHARED:
            shared = f'" s="{number}">'
            return [
                "" if v is None else f"{start}{r}{shared}{element}<v>{v.expected!s}</v></c>"
                for r, v, element in zip(numbers, values, elements, strict=True)
            ]
        cells: list[str] = []
        append = cells.append
        for r, value, element in zip(numbers, values, elements, strict=True):
            kind = type(value)
            if kind is Decimal or kind is int:
                append(f'{start}{r}" s="{number}"><v>{value!s}</v></c>')
            elif kind is Relative:
                append(f'{start}{r}" s="{number}">{element}<v>{value.expected!s}</v></c>')
            elif kind is Cell:  # with a style of its own
                append(self.cell_xml(f"{letter}{r}", value.value, value.style))
            elif value is None:
                append("")
            else:  # text, a Formula, a number of a kind of its own (a Decimal read as written)
                append(self.cell_xml(f"{letter}{r}", value, text if kind is str else number))
        return cells

    @staticmethod
    def shared_elements(letter: str, values: Sequence[Any], numbers: Sequence[str], runs: dict[int, Run]) -> list[str]:
        """Each cell's shared formula element: the text and the range at a run's first cell,
        a reference to it at the others ("" where a cell is not one)."""
        elements = [""] * len(values)
        for offset, (index, last) in runs.items():
            text = escape(values[offset].template[1:].format(r=numbers[offset]))
            elements[offset] = f'<f t="shared" ref="{letter}{numbers[offset]}:{letter}{numbers[last]}" si="{index}">{text}</f>'
            elements[offset + 1 : last + 1] = [f'<f t="shared" si="{index}"/>'] * (last - offset)
        return elements

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
        elif type(cells) is str:  # a table's row, its cells from column A on
            cells = self.rows[row] = [(1, cells)]
        return cast("list[tuple[int, str]]", cells)

    def row_xml(self, row: int) -> str:
        """A row's cells, in the order of their columns."""
        cells = self.rows[row]
        if isinstance(cells, str):  # most rows: a table's, written at once
            return cells
        if len(cells) == 1:
            return cells[0][1]
        cells.sort()  # by column (no two cells share one); already in order, this is one pass
        return "".join([xml for _, xml in cells])

    @property
    def formulas(self) -> dict[str, Decimal]:
        """Each formula's cell, with the figure written for it (apportion's own)."""
        return {ref: Decimal(value) for row in self.rows for ref, value in FORMULA_CELL.findall(self.row_xml(row))}


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
