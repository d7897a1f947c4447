"""The parts of a workbook's package, each an XML text: the workbook, its sheets, styles,
shared strings, tables, relationships, content types and document properties."""

from collections.abc import Sequence

from apportion.outputs.spreadsheet.charts import chart_xml, drawing_xml
from apportion.outputs.spreadsheet.markup import FIXED_TIME, LETTERS, MAIN, PACKAGE_REL, REL, XML_HEAD, escape, quote_sheet
from apportion.outputs.spreadsheet.theme import THEME
from apportion.outputs.spreadsheet.workbook import BUILTIN_FORMATS, FONT_XML, FONTS, HEADER_RGB, Sheet, Workbook


def parts(book: Workbook) -> list[tuple[str, str]]:
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
    for index, sheet in enumerate(book.sheets, start=1):
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
        ("docProps/core.xml", core_xml(book)),
        ("docProps/app.xml", app_xml(book)),
        ("docProps/custom.xml", custom_xml(book)),
        ("xl/workbook.xml", workbook_xml(book)),
        ("xl/_rels/workbook.xml.rels", rels_xml(workbook_rels)),
        ("xl/styles.xml", styles_xml(book)),
        ("xl/theme/theme1.xml", XML_HEAD + THEME),
    ]
    # the shared strings are complete only once every sheet has been turned to XML
    return head + parts + [("xl/sharedStrings.xml", strings_xml(book))]


def workbook_xml(book: Workbook) -> str:
    sheets = "".join(f'<sheet name="{escape(s.title)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(book.sheets, start=1))
    names = [f'<definedName name="{escape(name)}">{escape(ref)}</definedName>' for name, ref in book.names.items()]
    for index, sheet in enumerate(book.sheets):
        titles = []
        if sheet.print_columns:
            first_column, last_column = sheet.print_columns
            titles.append(f"{quote_sheet(sheet.title)}!${LETTERS[first_column]}:${LETTERS[last_column]}")
        if sheet.print_titles:
            first, last = sheet.print_titles
            titles.append(f"{quote_sheet(sheet.title)}!${first}:${last}")
        if titles:
            ref = ",".join(titles)
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{escape(ref)}</definedName>')
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    return (
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>{defined}'
        '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
    )


ALIGNMENT = {
    "": "",
    "right": ' horizontal="right"',
    "indent": ' horizontal="left" indent="1"',  # text a space in from its column's left edge
    "figure": ' horizontal="right" indent="1"',  # a figure a space in from its column's right edge
}


def styles_xml(book: Workbook) -> str:
    formats: dict[str, int] = {}
    xfs = []
    for style in book.styles:
        number = 0
        if style.number_format:
            number = BUILTIN_FORMATS.get(style.number_format) or formats.setdefault(style.number_format, 164 + len(formats))
        attributes = f'numFmtId="{number}" fontId="{FONTS[style.font]}" fillId="{2 if style.fill else 0}" borderId="0" xfId="0"'
        applied = (' applyNumberFormat="1"' if number else "") + (' applyFont="1"' if style.font else "")
        applied += ' applyFill="1"' if style.fill else ""
        wrap = ' wrapText="1"' if style.wrap else ""  # every cell at the top of its row, beside wrapped text
        across = ALIGNMENT[style.align]
        xfs.append(f'<xf {attributes}{applied} applyAlignment="1"><alignment{across} vertical="top"{wrap}/></xf>')
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


def strings_xml(book: Workbook) -> str:
    items = "".join(
        f'<si><t xml:space="preserve">{escape(text)}</t></si>' if text != text.strip() else f"<si><t>{escape(text)}</t></si>"
        for text in book.strings
    )
    count = len(book.strings)
    return f'{XML_HEAD}<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'


def core_xml(book: Workbook) -> str:
    return (
        f"{XML_HEAD}<cp:coreProperties"
        ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(book.title)}</dc:title><dc:subject>{escape(book.subject)}</dc:subject>"
        f"<dc:creator>{escape(book.creator)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified></cp:coreProperties>'
    )


def app_xml(book: Workbook) -> str:
    return (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{escape(book.creator)}</Application></Properties>"
    )


def custom_xml(book: Workbook) -> str:
    properties = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(book.custom, start=2)
    )
    return (
        f'{XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{properties}</Properties>"
    )


MARGIN = 0.5  # inches left and right: A4 leaves 7.27 in across in portrait, 10.69 in landscape


def sheet_xml(sheet: Sheet, drawing: str | None, tables: Sequence[str]) -> str:
    """A worksheet's XML, its elements in the order the schema requires."""
    out = [f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">']
    page = sheet.page
    fitted = page is not None and (page.fit_width is not None or page.fit_height is not None)
    if fitted:
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
    heights = {row: f' ht="{height}" customHeight="1"' for row, height in sheet.heights.items()}
    out += [f'<row r="{row}"{heights.get(row, "")}>{sheet.row_xml(row)}</row>' for row in sorted(sheet.rows)]
    out.append("</sheetData>")
    out.append(f'<pageMargins left="{MARGIN}" right="{MARGIN}" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    restart = ' firstPageNumber="1" useFirstPageNumber="1"' if page is not None and page.restart else ""
    if page is not None and fitted:
        out.append(
            f'<pageSetup paperSize="9" orientation="{page.orientation}" fitToWidth="{page.fit_width or 0}"'
            f' fitToHeight="{page.fit_height or 0}"{restart}/>'
        )
    elif page is not None:
        out.append(f'<pageSetup paperSize="9" scale="{page.scale}"{restart} orientation="{page.orientation}"/>')
    if sheet.header or sheet.footer:
        header = f"<oddHeader>&amp;C{escape(sheet.header)}</oddHeader>" if sheet.header else ""
        footer = f"<oddFooter>&amp;C{escape(sheet.footer)}</oddFooter>" if sheet.footer else ""
        out.append(f"<headerFooter>{header}{footer}</headerFooter>")
    if sheet.breaks:
        breaks = "".join(f'<brk id="{row}" max="16383" man="1"/>' for row in sorted(sheet.breaks))
        out.append(f'<rowBreaks count="{len(sheet.breaks)}" manualBreakCount="{len(sheet.breaks)}">{breaks}</rowBreaks>')
    if sheet.column_breaks:
        across = "".join(f'<brk id="{column}" max="1048575" man="1"/>' for column in sorted(sheet.column_breaks))
        count = len(sheet.column_breaks)
        out.append(f'<colBreaks count="{count}" manualBreakCount="{count}">{across}</colBreaks>')
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
