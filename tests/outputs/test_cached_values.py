"""Every figure is in the file before anyone recalculates: what a mail preview, Protected View,
pandas or openpyxl shows is apportion's own figure, to the penny."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from apportion.input.budget_file import load_budget
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, books_of


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_formula_reads_back_as_apportions_figure_without_recalculating(path):
    checked = 0
    for name, book in books_of(apportion(load_budget(path))).items():
        data = book.to_bytes()
        values = load_workbook(io.BytesIO(data), data_only=True)
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None)
        for (sheet, cell), expected in book.expected.items():
            shown = values[sheet][cell].value
            letters, row = coordinate_from_string(cell)
            read = frames[sheet].iloc[row - 1, column_index_from_string(letters) - 1]
            number_format = values[sheet][cell].number_format or ""
            money = "£" in number_format and "0.00#" not in number_format  # pounds and pence (not an exact figure)
            for reader, figure in (("openpyxl", shown), ("pandas", read)):
                assert isinstance(figure, int | float), f"{name}!{sheet}!{cell}: {reader} reads {figure!r}"
                if money:  # to the penny, exactly
                    assert Decimal(str(figure)).quantize(Decimal("0.01")) == expected, (reader, name, sheet, cell)
                else:  # as near as a double holds it
                    assert abs(Decimal(str(figure)) - expected) <= abs(expected) * Decimal("1e-15") + Decimal("1e-12")
            checked += 1
    assert checked > 100


def test_charts_carry_the_figures_they_draw():
    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml"))
    book = books_of(result)["summary.xlsx"]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book.to_bytes())) as archive:
        pie = next(archive.read(n).decode() for n in archive.namelist() if "chart" in n and b"pieChart" in archive.read(n))
    # the five members' net cash payable (docs/domain.md's table), cached in the pie
    for amount in ("5714244.63", "4772336.17", "4646748.38", "3118763.55", "2679206.27"):
        assert f"<c:v>{amount}</c:v>" in pie
    assert "<c:v>Nottinghamshire</c:v>" in pie
    assert '<c:showCatName val="1"/>' in pie and '<c:showPercent val="1"/>' in pie  # labelled with member and share
