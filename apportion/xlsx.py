"""Where a workbook becomes bytes: a small writer of SpreadsheetML (.xlsx) for apportion's own workbooks.

apportion writes workbooks of a few known shapes (cells in a handful of styles, frozen
headers, column widths, Excel tables, names, bar, pie and line charts, A4 print set-up,
document properties) and writes many of them: a national run writes 44 workbooks of some
1.5 million cells. So each cell becomes its XML text when it is written, and a sheet is
rows of those texts, joined once when the workbook is saved. Nothing reads the clock, so
the same workbook always gives the same bytes.

Formulas are written without a cached value and the workbook asks to be calculated when
opened, so every figure a user sees is the spreadsheet's own arithmetic.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_TIME = "2000-01-01T00:00:00Z"  # documents carry no wall-clock time, so a rerun is byte-identical
COMPRESSION = 1  # deflate level: the national run writes ~100 MB of XML; level 1 is ~4x faster than 6, ~10% larger

# The colours, fonts and line styles charts are drawn with. Without a theme, LibreOffice
# draws a chart's bars, slices and gridlines with nothing (the Office 2007 colours).
THEME = (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>'
    '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
    '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2>'
    '<a:lt2><a:srgbClr val="EEECE1"/></a:lt2>'
    + "".join(
        f'<a:accent{i}><a:srgbClr val="{rgb}"/></a:accent{i}>'
        for i, rgb in enumerate(("4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646"), start=1)
    )
    + '<a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>'
    '<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:cs typeface=""/>'
    '</a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>'
    '</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>'
    + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
    + "</a:fillStyleLst><a:lnStyleLst>"
    + "".join(
        f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
        '<a:prstDash val="solid"/></a:ln>'
        for w in (9525, 25400, 38100)
    )
    + "</a:lnStyleLst><a:effectStyleLst>"
    + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    + "</a:effectStyleLst><a:bgFillStyleLst>"
    + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
    + "</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def escape(text: str) -> str:
    """Text as XML character data or an attribute value; characters XML cannot hold become U+FFFD."""
    if not _SPECIAL.search(text):  # most text: nothing to do
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _ILLEGAL.sub("\ufffd", text) if _ILLEGAL.search(text) else text


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A..Z, AA..ZZ, AAA..ALK: column letters by number (LETTERS[1] == "A"), made without
# calling column_letter a thousand times at start-up
LETTERS = ["", *_AZ, *(a + b for a in _AZ for b in _AZ), *(a + b + c for a in _AZ[:2] for b in _AZ for c in _AZ)][:1000]


def quote_sheet(title: str) -> str:
    """A sheet name as a formula or name refers to it: 'It''s'."""
    return "'" + title.replace("'", "''") + "'"


class Style(NamedTuple):
    """A cell's look: number format, font ("", "bold" or "title"), header fill, wrapped text."""

    number_format: str | None = None
    font: str = ""
    fill: bool = False
    wrap: bool = False


FONTS = {"": 0, "bold": 1, "title": 2}
FONT_XML = (
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>',
)
HEADER_RGB = "00DDE4EE"
BUILTIN_FORMATS = {"General": 0, "0.00%": 10}


class Series(NamedTuple):
    """A chart series: values (a range), and optionally its title cell."""

    values: str
    title: str | None = None


class Chart(NamedTuple):
    """A bar ("bar" or "stacked"), "pie" or "line" chart anchored at a cell."""

    kind: str
    title: str
    series: Sequence[Series]
    categories: str
    anchor: tuple[int, int]  # (row, column), 1-based
    number_format: str | None = None
    legend: bool = True
    numeric_categories: bool = False


@dataclass
class Sheet:
    """One worksheet: its cells as XML text by row, and its layout."""

    title: str
    rows: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None  # (rows, columns) frozen
    header: str = ""
    footer: str = ""
    print_fit: bool = False
    print_titles: tuple[int, int] | None = None
    tables: list[tuple[str, str, Sequence[str]]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    max_row: int = 0
    max_column: int = 0

    def cells(self, row: int) -> list[tuple[int, str]]:
        """The list a row's cells are appended to: (column, XML), where the XML may hold
        several cells side by side from that column on (a table's row, written at once)."""
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = []
            self.max_row = max(self.max_row, row)
        return cells


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
        sheet = Sheet(title)
        self.sheets.append(sheet)
        return sheet

    def style(self, style: Style) -> int:
        index = self.styles.get(style)
        if index is None:
            index = self.styles[style] = len(self.styles)
        return index

    def string(self, text: str) -> int:
        index = self.strings.get(text)
        if index is None:
            index = self.strings[text] = len(self.strings)
        return index

    # --- cells: each returns the cell's XML ------------------------------------------

    def number_cell(self, ref: str, value: Decimal | int | float, style: int) -> str:
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'

    def text_cell(self, ref: str, value: str, style: int) -> str:
        return f'<c r="{ref}" s="{style}" t="s"><v>{self.string(value)}</v></c>'

    def formula_cell(self, ref: str, formula: str, style: int) -> str:
        """A formula (without its leading '='); the spreadsheet calculates it on opening."""
        return f'<c r="{ref}" s="{style}"><f>{escape(formula)}</f></c>'

    # --- the package ------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        import io

        buffer = io.BytesIO()
        with ZipFile(buffer, "w", ZIP_DEFLATED, compresslevel=COMPRESSION) as archive:
            for name, content in self.parts():
                entry = ZipInfo(name, date_time=ZIP_TIME)
                entry.compress_type = ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, content.encode("utf-8"), compresslevel=COMPRESSION)
        return buffer.getvalue()

    def parts(self) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        overrides = [
            ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
            ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
            ("/xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
            ("/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
            ("/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml"),
        ]
        workbook_rels = []
        table_count = chart_count = drawing_count = 0
        for index, sheet in enumerate(self.sheets, start=1):
            sheet_rels = []
            tables = []
            for name, ref, headings in sheet.tables:
                table_count += 1
                sheet_rels.append((f"{REL}/table", f"../tables/table{table_count}.xml"))
                tables.append(f"rId{len(sheet_rels)}")
                parts.append((f"xl/tables/table{table_count}.xml", table_xml(table_count, name, ref, headings)))
                overrides.append(
                    (
                        f"/xl/tables/table{table_count}.xml",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
                    )
                )
            drawing = None
            if sheet.charts:
                drawing_count += 1
                sheet_rels.append((f"{REL}/drawing", f"../drawings/drawing{drawing_count}.xml"))
                drawing = f"rId{len(sheet_rels)}"
                drawing_rels = []
                for chart in sheet.charts:
                    chart_count += 1
                    drawing_rels.append((f"{REL}/chart", f"../charts/chart{chart_count}.xml"))
                    parts.append((f"xl/charts/chart{chart_count}.xml", chart_xml(chart)))
                    overrides.append(
                        (
                            f"/xl/charts/chart{chart_count}.xml",
                            "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                        )
                    )
                parts.append((f"xl/drawings/drawing{drawing_count}.xml", drawing_xml(sheet.charts)))
                parts.append((f"xl/drawings/_rels/drawing{drawing_count}.xml.rels", rels_xml(drawing_rels)))
                overrides.append(
                    (f"/xl/drawings/drawing{drawing_count}.xml", "application/vnd.openxmlformats-officedocument.drawing+xml")
                )
            parts.append((f"xl/worksheets/sheet{index}.xml", sheet_xml(sheet, drawing, tables)))
            if sheet_rels:
                parts.append((f"xl/worksheets/_rels/sheet{index}.xml.rels", rels_xml(sheet_rels)))
            overrides.append(
                (f"/xl/worksheets/sheet{index}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
            )
            workbook_rels.append((f"{REL}/worksheet", f"worksheets/sheet{index}.xml"))
        workbook_rels += [
            (f"{REL}/styles", "styles.xml"),
            (f"{REL}/theme", "theme/theme1.xml"),
            (f"{REL}/sharedStrings", "sharedStrings.xml"),
        ]
        content_types = (
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
            + "</Types>"
        )
        package_rels = [
            (f"{REL}/officeDocument", "xl/workbook.xml"),
            (f"{PACKAGE_REL}/metadata/core-properties", "docProps/core.xml"),
            (f"{REL}/extended-properties", "docProps/app.xml"),
            (f"{REL}/custom-properties", "docProps/custom.xml"),
        ]
        head = [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels_xml(package_rels)),
            ("docProps/core.xml", self.core_xml()),
            ("docProps/app.xml", self.app_xml()),
            ("docProps/custom.xml", self.custom_xml()),
            ("xl/workbook.xml", self.workbook_xml()),
            ("xl/_rels/workbook.xml.rels", rels_xml(workbook_rels)),
            ("xl/styles.xml", self.styles_xml()),
            ("xl/theme/theme1.xml", XML_HEAD + THEME),
        ]
        # the shared strings are complete only once every sheet has been turned to XML
        return head + parts + [("xl/sharedStrings.xml", self.strings_xml())]

    def workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape(s.title)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(self.sheets, start=1)
        )
        names = [f'<definedName name="{escape(name)}">{escape(ref)}</definedName>' for name, ref in self.names.items()]
        for index, sheet in enumerate(self.sheets):
            if sheet.print_titles:
                first, last = sheet.print_titles
                ref = f"{quote_sheet(sheet.title)}!${first}:${last}"
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{escape(ref)}</definedName>')
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (
            f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>{defined}'
            '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
        )

    def styles_xml(self) -> str:
        formats: dict[str, int] = {}
        xfs = []
        for style in self.styles:
            number = 0
            if style.number_format:
                number = BUILTIN_FORMATS.get(style.number_format) or formats.setdefault(style.number_format, 164 + len(formats))
            attributes = (
                f'numFmtId="{number}" fontId="{FONTS[style.font]}" fillId="{2 if style.fill else 0}" borderId="0" xfId="0"'
            )
            applied = (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if style.font else "")
            applied += ' applyFill="1"' if style.fill else ""
            if style.wrap:
                xfs.append(f'<xf {attributes}{applied} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attributes}{applied}/>")
        number_formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(code)}"/>' for code, i in formats.items())
        return (
            f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(FONT_XML)}">{"".join(FONT_XML)}</fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            f'<fill><patternFill patternType="solid"><fgColor rgb="{HEADER_RGB}"/><bgColor indexed="64"/></patternFill></fill>'
            '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        )

    def strings_xml(self) -> str:
        items = "".join(
            f'<si><t xml:space="preserve">{escape(text)}</t></si>' if text != text.strip() else f"<si><t>{escape(text)}</t></si>"
            for text in self.strings
        )
        count = len(self.strings)
        return f'{XML_HEAD}<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'

    def core_xml(self) -> str:
        return (
            f"{XML_HEAD}<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(self.title)}</dc:title><dc:subject>{escape(self.subject)}</dc:subject>"
            f"<dc:creator>{escape(self.creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified></cp:coreProperties>'
        )

    def app_xml(self) -> str:
        return (
            f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{escape(self.creator)}</Application></Properties>"
        )

    def custom_xml(self) -> str:
        properties = "".join(
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{escape(name)}">'
            f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
            for pid, (name, value) in enumerate(self.custom, start=2)
        )
        return (
            f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{properties}</Properties>"
        )


def sheet_xml(sheet: Sheet, drawing: str | None, tables: Sequence[str]) -> str:
    """A worksheet's XML, its elements in the order the schema requires."""
    out = [f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">']
    if sheet.print_fit:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last = f"{LETTERS[max(sheet.max_column, 1)]}{max(sheet.max_row, 1)}"
    out.append(f'<dimension ref="A1:{last}"/>')
    if sheet.freeze and sheet.freeze != (0, 0):
        rows, columns = sheet.freeze
        top_left = f"{LETTERS[columns + 1]}{rows + 1}"
        pane = "bottomRight" if rows and columns else ("bottomLeft" if rows else "topRight")
        split = (f' xSplit="{columns}"' if columns else "") + (f' ySplit="{rows}"' if rows else "")
        out.append(
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/></sheetView></sheetViews>'
        )
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if sheet.widths:
        columns_xml = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(sheet.widths.items()))
        out.append(f"<cols>{columns_xml}</cols>")
    out.append("<sheetData>")
    heights = sheet.heights
    for row in sorted(sheet.rows):
        cells = sheet.rows[row]
        cells.sort()  # by column (no two cells share one); already in order, this is one pass
        height = f' ht="{heights[row]}" customHeight="1"' if row in heights else ""
        out.append(f'<row r="{row}"{height}>{"".join([xml for _, xml in cells])}</row>')
    out.append("</sheetData>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if sheet.print_fit:
        out.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    if sheet.header or sheet.footer:
        header = f"<oddHeader>&amp;C{escape(sheet.header)}</oddHeader>" if sheet.header else ""
        footer = f"<oddFooter>&amp;C{escape(sheet.footer)}</oddFooter>" if sheet.footer else ""
        out.append(f"<headerFooter>{header}{footer}</headerFooter>")
    if drawing:
        out.append(f'<drawing r:id="{drawing}"/>')
    if tables:
        parts = "".join(f'<tablePart r:id="{t}"/>' for t in tables)
        out.append(f'<tableParts count="{len(tables)}">{parts}</tableParts>')
    out.append("</worksheet>")
    return "".join(out)


def rels_xml(relationships: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>' for i, (kind, target) in enumerate(relationships, start=1)
    )
    return f'{XML_HEAD}<Relationships xmlns="{PACKAGE_REL}">{items}</Relationships>'


def table_xml(table_id: int, name: str, ref: str, headings: Sequence[str]) -> str:
    columns = "".join(f'<tableColumn id="{i}" name="{escape(h)}"/>' for i, h in enumerate(headings, start=1))
    return (
        f'{XML_HEAD}<table xmlns="{MAIN}" id="{table_id}" name="{escape(name)}" displayName="{escape(name)}" ref="{ref}">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(headings)}">{columns}</tableColumns>'
        '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1"'
        ' showColumnStripes="0"/>'
        "</table>"
    )


def drawing_xml(charts: Sequence[Chart]) -> str:
    anchors = []
    for index, chart in enumerate(charts, start=1):
        row, column = chart.anchor
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{column - 1}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            '<xdr:ext cx="5400000" cy="2700000"/><xdr:graphicFrame macro="">'
            f'<xdr:nvGraphicFramePr><xdr:cNvPr id="{index + 1}" name="Chart {index}"/>'
            "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{CHART_NS}"><c:chart xmlns:c="{CHART_NS}" r:id="rId{index}"/></a:graphicData>'
            "</a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>"
        )
    return (
        f'{XML_HEAD}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        f' xmlns:a="{DRAWING_NS}" xmlns:r="{REL}">{"".join(anchors)}</xdr:wsDr>'
    )


def chart_xml(chart: Chart) -> str:
    """DrawingML for one chart; elements in schema order (idx, order, tx, ..., cat, val)."""
    category_kind = "numRef" if chart.numeric_categories else "strRef"
    categories = f"<c:cat><c:{category_kind}><c:f>{escape(chart.categories)}</c:f></c:{category_kind}></c:cat>"
    series = []
    for i, s in enumerate(chart.series):
        title = f"<c:tx><c:strRef><c:f>{escape(s.title)}</c:f></c:strRef></c:tx>" if s.title else ""
        marker = '<c:marker><c:symbol val="none"/></c:marker>' if chart.kind == "line" else ""
        values = f"<c:val><c:numRef><c:f>{escape(s.values)}</c:f></c:numRef></c:val>"
        smooth = '<c:smooth val="0"/>' if chart.kind == "line" else ""
        series.append(f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{title}{marker}{categories}{values}{smooth}</c:ser>')
    axes_ids = '<c:axId val="10"/><c:axId val="100"/>'
    if chart.kind == "pie":
        body = f'<c:pieChart><c:varyColors val="1"/>{"".join(series)}<c:firstSliceAng val="0"/></c:pieChart>'
        axes = ""
    else:
        if chart.kind == "line":
            body = f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(series)}'
            body += f'<c:marker val="1"/>{axes_ids}</c:lineChart>'
        else:
            grouping, overlap = ("stacked", '<c:overlap val="100"/>') if chart.kind == "stacked" else ("clustered", "")
            body = f'<c:barChart><c:barDir val="col"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>{"".join(series)}'
            body += f'<c:gapWidth val="150"/>{overlap}{axes_ids}</c:barChart>'
        number_format = escape(chart.number_format or "General")
        axes = (
            '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            '<c:axPos val="b"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
            '<c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            '</c:catAx><c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="{number_format}" sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="10"/>'
            '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
        )
    title = (
        f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
    )
    legend = '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>' if chart.legend else ""
    return (
        f'{XML_HEAD}<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{DRAWING_NS}" xmlns:r="{REL}"><c:roundedCorners val="0"/>'
        f"<c:chart>{title}<c:plotArea><c:layout/>{body}{axes}</c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
