"""Small xlsx files written part by part, as a hostile or careless program might write
them, for the catalogue of bad inputs and the readers' fuzz test: what each holds can be
read here, where a binary file in the repository could not be."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_parts(
    sheet_data: str, *, strings: list[str] | None = None, styles: str | None = None, sheet: str = "Sheet1"
) -> dict[str, str]:
    """The parts of a one-sheet workbook whose sheetData holds ``sheet_data`` (raw XML)."""
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>',
    }
    if strings is not None:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'
    if styles is not None:
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    return parts


def zipped(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def number_cell(ref: str, number: str, style: int | None = None) -> str:
    styled = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{styled}><v>{number}</v></c>'


def row(number: int | str, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


ACTUALS_HEADER = row(1, text_cell("A1", "unit"), text_cell("B1", "period"), text_cell("C1", "spent"))


def actuals_workbook(*rows: str, strings: list[str] | None = None, styles: str | None = None) -> bytes:
    """An actuals sheet (columns unit, period, spent) with these rows after its header."""
    return zipped(workbook_parts(ACTUALS_HEADER + "".join(rows), strings=strings, styles=styles))


# a cell style (index 1) that shows a date, as a spreadsheet program writes a cell typed 01/04/2013
DATE_STYLE = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
