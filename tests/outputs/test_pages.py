"""Where a printed sheet's pages break: tables kept whole where they fit, split with a few
lines at each end where they do not, the heading repeated only over its own table's pages.

An upright A4 page at 100% holds 734 pt between its margins; apportion plans on 97% of it,
711.98 pt. Every row here is one line, 15 pt, but the title row's 20 pt."""

from __future__ import annotations

from decimal import Decimal

from apportion.outputs.pages import paginate
from apportion.outputs.spreadsheet import PageSetup, Workbook

UPRIGHT = PageSetup("portrait", 100)


def sheet_with(rows: list[int]):
    """A sheet with something in each of ``rows``, printed upright at 100%."""
    sheet = Workbook().add_sheet("Sheet")
    for row in rows:
        sheet.put(row, 1, Decimal(row), 0)
    sheet.page = UPRIGHT
    return sheet


def test_a_long_table_is_split_its_heading_repeated_over_its_pages():
    # rows 1-3: 20 + 15 + 15 = 50 pt; the table from row 4, 15 pt a row: row k ends at
    # 50 + 15 x (k - 3) pt, over 711.98 from row 48 on, so the first page ends after row 47,
    # and rows 48 to 51 (four, the total among them) make the second.
    sheet = sheet_with([1, 2, *range(4, 52)])
    paginate(sheet, [(4, 51)], heading=4)
    assert sheet.breaks == [47]
    assert sheet.print_titles == (4, 4)


def test_the_last_page_of_a_split_table_holds_three_rows_at_least():
    # as above, but the table ends at row 49: rows 48 and 49 alone would make the last page,
    # so the break moves up to after row 46, and rows 47 to 49 go over together.
    sheet = sheet_with([1, 2, *range(4, 50)])
    paginate(sheet, [(4, 49)], heading=4)
    assert sheet.breaks == [46]


def test_a_table_that_fits_on_a_page_starts_one_rather_than_split_its_heading_from_its_lines():
    # table A (rows 4-30) ends at 50 + 405 = 455 pt; rows 31-32 empty: 485 pt; table B with
    # its caption (rows 33-61, 29 rows, 435 pt) does not fit below it but fits on a page of
    # its own: the page breaks before its caption. A's heading is not repeated: A is whole.
    sheet = sheet_with([1, 2, *range(4, 31), *range(33, 62)])
    paginate(sheet, [(4, 30), (34, 61)], heading=4)
    assert sheet.breaks == [32]
    assert sheet.print_titles is None


def test_a_table_after_a_few_lines_of_text_is_split_not_moved_away_from_them():
    # rows 1-6 (title and four lines of text) and an empty row 7: 110 pt; the table's rows
    # 8-50 (645 pt) would fit a page of their own, but moving them would leave the text alone
    # on its page: the table is split instead, after row 47 (110 + 15 x 40 = 710 pt), rows
    # 48-50 on the next.
    sheet = sheet_with([*range(1, 7), *range(8, 51)])
    paginate(sheet, [(8, 50)], heading=8)
    assert sheet.breaks == [47]
    assert sheet.print_titles == (8, 8)


def test_a_chart_keeps_the_page_of_its_own_it_was_given():
    sheet = sheet_with([1, 2, *range(4, 10), 12])
    sheet.breaks.append(11)  # the chart's page starts at row 12
    paginate(sheet, [(4, 9)], heading=4)
    assert sheet.breaks == [11]
    assert sheet.print_titles is None


def test_a_sheet_too_wide_for_a_page_breaks_across_evenly_not_a_column_alone():
    # a key column of 1 in, repeated on each page across, and six of 2 in: 13 in, too wide for
    # 10 in; on two pages each holds 1 + 6 in; the break falls where half the six's 12 in is
    # reached, after the third of them (column 4), not after as many as would fit (five,
    # leaving one alone).
    from apportion.outputs.pages import across_pages

    sheet = sheet_with([1])
    sheet.print_columns = (1, 1)
    assert across_pages(sheet, [1.0, *[2.0] * 6], room=10.0) == [4]


def test_a_sheet_printed_across_pages_carries_its_whole_title_on_each_page(tmp_path):
    # The national air service has one unit with activity charges, so each member's Lines
    # sheet is too wide for a page: it prints on two pages across, the unit code (column A)
    # repeated on each. A title in A1 would be cut at column A's edge on the second page
    # ("National Poli"); it starts after the key columns instead, on each page across.
    import openpyxl
    from click.testing import CliRunner

    from apportion.cli import cli
    from tests.conftest import EXAMPLES

    out = tmp_path / "npas"
    assert CliRunner().invoke(cli, ["run", str(EXAMPLES / "npas-2016-17.yaml"), "--out", str(out)]).exit_code == 0
    title = "National Police Air Service, 2016/17"
    across = 0
    for path in sorted(out.glob("*.xlsx")):
        for sheet in openpyxl.load_workbook(path).worksheets:
            breaks = [b.id for b in sheet.col_breaks.brk]
            if not breaks:
                continue
            keys = sheet.print_title_cols  # e.g. "A:A"
            assert keys, f"{path.name} {sheet.title}: printed across pages without its key columns"
            last_key = openpyxl.utils.column_index_from_string(keys.split(":")[1].lstrip("$"))
            for row in (1, 2):
                assert all(sheet.cell(row, c).value is None for c in range(1, last_key + 1)), (path.name, sheet.title, row)
            for first in [last_key + 1, *(b + 1 for b in breaks)]:  # each page across: its first column
                assert sheet.cell(1, first).value == title, (path.name, sheet.title, first)
                assert sheet.cell(2, first).value == sheet.cell(2, last_key + 1).value
            across += 1
    assert across >= 44  # every member's Lines and the summary's
