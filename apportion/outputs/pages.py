"""How a sheet prints on A4: its orientation and scale, and where its pages break.

Printed, a workbook is read page by page, so each sheet is laid out as a person would set
it: a table that fits on a page is not split (it starts a page of its own instead); a
table longer than a page is split with at least its heading and three lines on the first
page and three lines (or two and the total) on the last, never a page of headings and a
total; a caption stays with its table; and the table's heading is repeated over its own
pages only, so that no other table prints under another's headings.

The breaks are worked from the rows' heights (as written, or one line of text), on a
page a little shorter than A4's, so that no spreadsheet program finds a row too many
before the break we set; a page may end a line or two early, never a line late.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from apportion.outputs.spreadsheet import PageSetup, Sheet

BOLD = "bold"  # a cell's font: bold 11 pt text, a little wider than plain
LINE_HEIGHT = 15.0  # points: a row of one line of 11 pt text
TITLE_HEIGHT = 20.0  # points: the 14 pt title row
PRINTABLE = {"portrait": 7.27, "landscape": 10.69}  # inches across A4 within the margins
TALL = {"portrait": 734.0, "landscape": 487.0}  # points down A4 within the top and bottom margins
MARGIN_OF_ERROR = 0.97  # of the page's height: a program's rows may be a little taller than ours
WIDER = 0.9  # of the page's width, for the columns of a page across
SMALLEST_SCALE = 70  # percent: 11 pt text prints no smaller than 7.7 pt
UPRIGHT_SCALE = 90  # percent: a sheet that fits across A4 upright at this scale or more prints upright
FEWEST = 3  # lines of a split table on its first and its last page
NOTES = 4  # rows of text right after a table (a note, a check) that print with it
TITLE_WIDER = 14 / 11 * 1.05  # the 14 pt bold title's characters, in a column's width of 11 pt characters


class Block(NamedTuple):
    """Rows that print together where they can: a table (its caption, heading, lines and
    total) or a row of text."""

    first: int
    heading: int | None  # the table's heading row (None: a row of text)
    last: int


def inches(width: float) -> float:
    """A column's width in characters, as printed: about 7 pixels a character and 5 of
    padding at 96 to the inch (7.5 here, to leave room for the spreadsheet program's own sums)."""
    return (7.5 * width + 5) / 96


def page_for(sheet: Sheet, *, portrait: bool) -> PageSetup:
    """A4, at the largest scale from 70% to 100% that fits the sheet's width (a sheet wider
    than that at 70% runs on to further pages across); upright where the sheet fits across
    it at 90% or more (more lines to a page), else on its side."""
    columns = [inches(sheet.widths.get(column, 8.43)) for column in range(1, sheet.max_column + 1)]
    across = sum(columns)
    for chart in sheet.charts:  # a chart is as wide as its size, from its column
        _, column = chart.anchor
        across = max(across, sum(columns[: column - 1]) + chart.size[0] / 2.54)
    upright = min(100, int(100 * PRINTABLE["portrait"] / across)) if across else 100
    orientation = "portrait" if portrait or upright >= UPRIGHT_SCALE else "landscape"
    scale = min(100, int(100 * PRINTABLE[orientation] / across)) if across else 100
    room = PRINTABLE[orientation] * 100 / SMALLEST_SCALE * WIDER  # a program's columns may be a little wider than ours
    sheet.column_breaks = across_pages(sheet, columns, room) if scale < SMALLEST_SCALE else []
    return PageSetup(orientation, max(SMALLEST_SCALE, scale))


def across_pages(sheet: Sheet, columns: list[float], room: float) -> list[int]:
    """Where a sheet too wide for a page at 70% breaks across pages: into as few as it needs,
    as evenly as its columns allow (the key columns repeated on each), so that no page
    across holds a column or two alone."""
    keep = sheet.print_columns[1] if sheet.print_columns else 0
    repeated, rest = sum(columns[:keep]), columns[keep:]
    pages = 1
    while sum(rest) / pages + repeated > room:
        pages += 1
    target, done, used, breaks = sum(rest) / pages, 0.0, 0.0, list[int]()
    for column, width in enumerate(rest, start=keep + 1):
        full = used + width > room - repeated  # it must start the next page
        past = done + width / 2 > target * (len(breaks) + 1)  # its middle past this page's share of the width
        if used and (full or past and len(breaks) < pages - 1):
            breaks.append(column - 1)
            used = 0.0
        used += width
        done += width
    return breaks


Height = Callable[[int], float]


def paginate(sheet: Sheet, tables: Sequence[tuple[int, int]], heading: int | None) -> None:
    """Set the sheet's page breaks (adding to those it has, before its charts) and repeat
    the heading row ``heading`` over the pages of its table only where that table is split.
    ``tables``: each table's (heading row, last row) in the order written."""
    page = sheet.page
    if page is None or sheet.max_row == 0:
        return
    room = TALL[page.orientation] * MARGIN_OF_ERROR * 100 / page.scale
    forced = set(sheet.breaks)
    height = row_heights(sheet)
    used = 0.0
    breaks: list[int] = []
    split_own = tabled = False  # the sheet's own table split; a table on this page already
    for block in blocks_of(sheet, tables):
        if block.first - 1 in forced:  # a page of its own follows (a chart)
            used, tabled = 0.0, False
        size = rows_height(sheet, block.first, block.last) if block.heading else height(block.first)
        if used + size <= room:
            used += size
            tabled = tabled or block.heading is not None
        elif block.heading is None:  # a row of text (or a gap) starts the next page
            breaks.append(block.first - 1)
            used, tabled = (size if block.first in sheet.rows else 0.0), False
        elif size <= room and tabled:  # a table that fits on a page starts one, after another table
            breaks.append(block.first - 1)
            used = size
        else:  # a table longer than a page: split, its heading repeated if it is the sheet's own
            own = block.heading == heading
            opening = sum(height(row) for row in range(block.first, min(block.last, block.heading + FEWEST) + 1))
            if used > 0.0 and used + opening > room:
                breaks.append(block.first - 1)
                used = 0.0
            used, split = split_table(block, used, room, height(block.heading) if own else 0.0, height, breaks)
            split_own = split_own or (own and split)
            tabled = True
    sheet.breaks = sorted(forced | set(breaks))
    sheet.print_titles = (heading, heading) if heading is not None and split_own else None


def split_table(  # noqa: PLR0913, PLR0917 - the table, the page so far, and the page's room
    block: Block, used: float, room: float, repeated: float, height: Height, breaks: list[int]
) -> tuple[float, bool]:
    """Break a table across pages (``repeated``: the height of its heading over each later
    page), its first page holding its heading and at least FEWEST lines (else the table
    starts the next page) and its last at least FEWEST rows; returns the height used on the
    last page and whether it was split."""
    heading = block.heading if block.heading is not None else block.first
    made = len(breaks)
    page_first = block.first
    for row in range(block.first, block.last + 1):
        size = height(row)
        if used + size > room and row > page_first:
            if len(breaks) == made and row - 1 - heading < FEWEST:  # too little of it on this page: it starts the next
                breaks.append(block.first - 1)
                used = sum(height(r) for r in range(block.first, row))
                page_first = block.first
                if used + size <= room:
                    used += size
                    continue
            breaks.append(row - 1)
            page_first = row
            used = repeated
        used += size
    split = any(row >= block.first for row in breaks[made:])
    if split:  # the last page: at least FEWEST rows, taken from the page before
        short = FEWEST - (block.last - breaks[-1])
        if short > 0:
            used += sum(height(row) for row in range(breaks[-1] - short + 1, breaks[-1] + 1))
            breaks[-1] -= short
    return used, split


def blocks_of(sheet: Sheet, tables: Sequence[tuple[int, int]]) -> list[Block]:
    """The sheet's rows as blocks: each table with the caption right above it (a row of text
    with no gap between), and each other row."""
    inside = {row for heading, last in tables for row in range(heading, last + 1)}
    headings = {heading - 1 for heading, _ in tables} | {heading for heading, _ in tables}
    starts = {}
    for heading, last in tables:
        caption = heading - 1
        first = caption if caption > 2 and caption in sheet.rows and caption not in inside else heading
        end = last  # and the note or check right below it (at most one empty row between)
        while end - last < NOTES and end + 1 not in headings and end + 1 not in inside:
            if end + 1 in sheet.rows:
                end += 1
            elif end + 2 in sheet.rows and end + 2 not in headings and end + 2 not in inside and end == last:
                end += 2
            else:
                break
        starts[first] = Block(first, heading, end)
    blocks: list[Block] = []
    row = 1
    while row <= sheet.max_row:
        block = starts.get(row, Block(row, None, row))
        blocks.append(block)
        row = block.last + 1
    return blocks


def row_heights(sheet: Sheet) -> Height:
    """Each row's height as it prints: as written, or one line of text (the title's larger)."""
    heights = sheet.heights

    def height(row: int) -> float:
        return heights.get(row, TITLE_HEIGHT if row == 1 else LINE_HEIGHT)

    return height


def rows_height(sheet: Sheet, first: int, last: int) -> float:
    """The height of rows ``first`` to ``last``: a line each, and what rows of their own
    height (and the title's) add (a long table's height, without a look at each row)."""
    extra = sum(height - LINE_HEIGHT for row, height in sheet.heights.items() if first <= row <= last)
    return LINE_HEIGHT * (last - first + 1) + extra + (TITLE_HEIGHT - LINE_HEIGHT) * (first == 1 and 1 not in sheet.heights)


def titles_across(sheet: Sheet, title: str, subtitle: str, heading: int) -> list[tuple[int, int, str]]:
    """Where a sheet's title and subtitle go, as (row, column, text), where it prints across
    pages with its key columns on each; none where it need not move them.

    In A1 and A2 they would be cut at the key columns' edge on every page after the first
    ("East Midlanc"): they start after the key columns instead, on every page across, the
    subtitle in as many lines as the narrowest page needs, in the rows free above the table
    (``heading``, its heading row). Where there are too few, or the title itself would not
    fit, or something else is in its rows, the sheet is left as it was. The title and
    subtitle are taken out of A1 and A2 where they move."""
    if not sheet.column_breaks or not sheet.print_columns:
        return []
    if [len(cells) for cells in (sheet.rows.get(1), sheet.rows.get(2)) if isinstance(cells, list)] != [1, 1]:
        return []  # something else is in the title rows: leave them as they are
    width = sheet.widths.get
    keys = sum(width(column, 8.43) for column in range(1, sheet.print_columns[1] + 1))
    if keys >= max(len(title) * TITLE_WIDER, len(subtitle)):
        return []
    firsts = [sheet.print_columns[1] + 1, *(after + 1 for after in sheet.column_breaks)]
    lasts = [*sheet.column_breaks, sheet.max_column]
    room = min(sum(width(column, 8.43) for column in range(a, b + 1)) for a, b in zip(firsts, lasts, strict=True))
    taken = next((row for row in range(3, heading) if row in sheet.rows), heading)
    said = wrapped(subtitle, room, BOLD)
    if len(title) * TITLE_WIDER > room or len(said) > taken - 2:
        return []
    del sheet.rows[1], sheet.rows[2]
    return [(row, column, text) for column in firsts for row, text in enumerate([title, *said], start=1)]


def lines(text: str, width: float, font: str = "") -> int:
    """How many lines a text takes in a column of ``width`` characters, wrapped at spaces
    (each line the longest run of words that fits; a word longer than a line, broken)."""
    return len(wrapped(text, width, font))


def wrapped(text: str, width: float, font: str = "") -> list[str]:
    """A text's lines in a column of ``width`` characters, as :func:`lines` counts them."""
    room = max(1, int(width * (0.95 if font == BOLD else 1.1)) - 1)
    wrap = WRAPS.get(room)
    if wrap is None:
        wrap = WRAPS[room] = re.compile(rf"\S.{{0,{room - 1}}}(?=\s|$)|\S{{{room}}}")
    return wrap.findall(text) or [text]


WRAPS: dict[int, re.Pattern[str]] = {}  # a line's pattern, by the characters it holds
