"""Every workbook printed as a person prints it: converted to PDF by LibreOffice, each word
measured with poppler's pdftotext -bbox. No body text is smaller than 7 pt, none is cut at
a page's edge, and each member's statement is one A4 portrait page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import convert

SMALLEST_PT = 7.0
HEIGHT_PER_PT = 1.21  # a word's box is about 1.21 times its font size (Carlito, LibreOffice's Calibri)
EDGE = 1.0  # points
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pages_of(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("poppler's pdftotext is not installed; .ci/run installs poppler-utils")
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [
        (float(w), float(h), [(float(a), float(b), float(c), float(d), word) for a, b, c, d, word in WORD.findall(body)])
        for w, h, body in PAGE.findall(text)
    ]


@pytest.fixture(scope="module")
def printed(every_workbook, tmp_path_factory):
    """Every workbook of every example (run), and of a comparison and a sweep, as PDF."""
    return convert(every_workbook, tmp_path_factory.mktemp("printed"), "pdf")


def test_no_text_is_smaller_than_7_points_or_cut_at_the_page_edge(printed):
    checked = 0
    for name, pdf in printed.items():
        for number, (width, height, words) in enumerate(pages_of(pdf), start=1):
            for x_min, y_min, x_max, y_max, word in words:
                size = (y_max - y_min) / HEIGHT_PER_PT
                assert size >= SMALLEST_PT - 0.05, f"{name} page {number}: {word!r} is {size:.1f} pt"
                assert EDGE < x_min and x_max < width - EDGE, f"{name} page {number}: {word!r} runs off the page"
                assert EDGE < y_min and y_max < height - EDGE, f"{name} page {number}: {word!r} runs off the page"
                checked += 1
    assert checked > 5000


def test_each_statement_is_one_a4_portrait_page_near_full_size(printed):
    statements = 0
    for name, pdf in printed.items():
        if "summary" in name or "comparison" in name or "sweep" in name or "monitor" in name:
            continue
        width, height, words = pages_of(pdf)[0]
        assert (round(width), round(height)) == (595, 842), f"{name}: the first page is not A4 portrait"
        assert any(word == "statement" for *_, word in words), name
        sizes = [(y_max - y_min) / HEIGHT_PER_PT for _, y_min, _, y_max, _ in words]
        assert min(sizes) >= 9.5, f"{name}: the statement prints smaller than 90% of full size"
        statements += 1
    assert statements >= 20
