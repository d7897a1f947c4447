"""Every workbook apportion writes keeps the rules Excel enforces beyond the schemas
(tests/outputs/excel_rules.py), and the checker catches each kind of breach."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest

from tests.outputs.excel_rules import problems


def test_every_workbook_keeps_the_rules_excel_enforces(every_workbook):
    assert len(every_workbook) >= 40  # every example's summary and members, a comparison, a sweep
    found = {book.name: problems(book.read_bytes()) for book in every_workbook}
    assert {name: p for name, p in found.items() if p} == {}


def changed(data: bytes, part: str, change: Callable[[str], str]) -> bytes:
    """The workbook with one part's text changed (and the change made, or the test is wrong)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            text = source.read(name)
            if name == part:
                new = change(text.decode()).encode()
                assert new != text, f"the change to {part} changed nothing"
                text = new
            target.writestr(name, text)
    return out.getvalue()


def move_before(tag: str, before: str) -> Callable[[str], str]:
    def move(text: str) -> str:
        element = re.search(rf"<{tag}\b[^>]*/>", text)
        assert element
        text = text.replace(element[0], "", 1)
        return text.replace(f"<{before}", element[0] + f"<{before}", 1)

    return move


SHEET = "xl/worksheets/sheet1.xml"
BREACHES = {
    "pageMargins before sheetData": (SHEET, move_before("pageMargins", "sheetData"), "pageMargins"),
    "a chart's title after its plot area": (
        "xl/charts/chart1.xml",
        lambda t: re.sub(r"(<c:title>.*?</c:title><c:autoTitleDeleted [^>]*/>)(<c:plotArea>.*?</c:plotArea>)", r"\2\1", t),
        "c:title comes after c:plotArea",
    ),
    "fonts after fills in the styles": (
        "xl/styles.xml",
        lambda t: re.sub(r"(<fonts .*?</fonts>)(<fills .*?</fills>)", r"\2\1", t),
        "x:fonts comes after x:fills",
    ),
    "a cell style past the cell formats": (SHEET, lambda t: t.replace('s="1"', 's="999"', 1), "style 999"),
    "a shared string past the strings": (SHEET, lambda t: re.sub(r'(t="s"><v>)\d+', r"\g<1>99999", t, count=1), "99999"),
    "a part without a content type": (
        "[Content_Types].xml",
        lambda t: re.sub(r'<Override PartName="/xl/styles.xml"[^>]*/>', "", t).replace(
            '<Default Extension="xml" ContentType="application/xml"/>', ""
        ),
        "has no content type",
    ),
    "a relationship to a missing part": (
        "xl/_rels/workbook.xml.rels",
        lambda t: t.replace("styles.xml", "style.xml"),
        "not in the package",
    ),
    "a table column renamed": (
        "xl/tables/table1.xml",
        lambda t: re.sub(r'(<tableColumn id="1" name=")[^"]*', r"\1Renamed", t),
        "differ from the header",
    ),
    "an autofilter off the table": (
        "xl/tables/table1.xml",
        lambda t: re.sub(r'<autoFilter ref="[^"]*"', '<autoFilter ref="A1:B2"', t),
        "autofilter",
    ),
    "a sheet name of 32 characters": ("xl/workbook.xml", lambda t: t.replace('name="Provenance"', f'name="{"P" * 32}"'), "31"),
    "a header of 256 characters": (SHEET, lambda t: re.sub(r"<oddHeader>[^<]*", "<oddHeader>" + "x" * 256, t), "255"),
    "print titles on a missing sheet": ("xl/workbook.xml", lambda t: t.replace("'Inputs'!", "'Nowhere'!"), "Nowhere"),
    "a number format never defined": (
        "xl/styles.xml",
        lambda t: t.replace('numFmtId="164" formatCode', 'numFmtId="180" formatCode'),
        "numFmtId 164",
    ),
    "cells out of order in a row": (SHEET, lambda t: t.replace('<c r="B4"', '<c r="Z4"', 1), "cell C4 is out of place"),
}


@pytest.mark.parametrize("breach", BREACHES, ids=str)
def test_the_checker_finds_each_breach(every_workbook, breach):
    summary = next(book for book in every_workbook if book.name.endswith("west-midlands-2013-14-summary.xlsx"))
    data = summary.read_bytes()
    assert problems(data) == []
    part, change, expected = BREACHES[breach]
    found = problems(changed(data, part, change))
    assert any(expected in problem for problem in found), found
