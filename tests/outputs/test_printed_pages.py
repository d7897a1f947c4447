"""Every workbook printed as a person prints it: converted to PDF by LibreOffice, each word
measured with poppler's pdftotext -bbox. No body text is smaller than 7 pt, none is cut at
a page's edge, no page holds only a heading and a line or two, each member's statement is one
A4 portrait page in words (no identifiers) numbered on its own, and the 43 members of the
national air service are one row each on at most two pages of the summary."""

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


def lines_of(words: list[tuple[float, float, float, float, str]], height: float) -> list[str]:
    """The page's lines of text between its header and footer (the top and bottom 8%), top down."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for x_min, y_min, _, _, word in words:
        if 0.08 * height < y_min < 0.92 * height:
            rows.setdefault(round(y_min / 3), []).append((x_min, word))
    return [" ".join(word for _, word in sorted(row)) for _, row in sorted(rows.items())]


def test_no_page_holds_only_a_heading_and_a_line_or_two(printed):
    # A page printed with its table's headings and a Total, or a title and nothing else, is
    # one nobody wants; a page of a chart carries its title and axis labels, which count.
    checked = 0
    for name, pdf in printed.items():
        for number, (_, height, words) in enumerate(pages_of(pdf), start=1):
            lines = lines_of(words, height)
            assert len(lines) >= 4, f"{name} page {number} holds only: {lines}"
            checked += 1
    assert checked > 300


def test_statements_speak_in_words_and_are_numbered_on_their_own(printed):
    statements = 0
    for name, pdf in printed.items():
        if "summary" in name or "comparison" in name or "sweep" in name or "monitor" in name:
            continue
        width, height, words = pages_of(pdf)[0]
        text = " ".join(word for *_, word in words)
        identifiers = [word for *_, word in words if "_" in word]
        assert identifiers == [], f"{name}: the statement shows {identifiers}"
        assert "page 1 of 1" in text, f"{name}: the statement is not numbered on its own"
        statements += 1
    assert statements >= 20


def test_the_east_midlands_statement_carries_its_status_version_contact_and_payment(printed):
    pdf = next(pdf for name, pdf in printed.items() if name.endswith("-east-midlands-2013-14-lincolnshire.xlsx"))
    text = " ".join(word for *_, word in pages_of(pdf)[0][2])
    # from the example's statement: section
    assert "Final, version 1.0, issued 28 March 2013" in text
    assert "finance@emcollaboration.example.org" in text and "sort code 00-00-00" in text


def test_the_national_air_services_43_members_are_rows_on_at_most_two_pages(printed):
    pdf = next(pdf for name, pdf in printed.items() if name.endswith("-npas-2016-17-summary.xlsx"))
    pages = pages_of(pdf)
    headline = []
    for _, height, words in pages:
        lines = lines_of(words, height)
        headline.append(lines)
        if any(line.startswith("Members in order of net cash payable") for line in lines):
            break
    assert len(headline) <= 2, f"the headline table runs to {len(headline)} pages"
    members = [line for lines in headline for line in lines if "%" in line and line.split()[0] not in ("Total", "Member")]
    assert len(members) == 43  # a line each, its share in per cent
    assert any(line.startswith("Total 100.00%") for line in headline[-1])  # the total on the last page
