"""What Excel refuses in a workbook that a schema check or LibreOffice lets through.

A schema says which elements a part may hold; Excel also needs the parts to hang together:
every part typed and every relationship landing on a part, children in the order of the
standard's sequences (Excel offers to "repair" a file whose worksheet has pageMargins
before sheetData), table headers equal to their cells, names and indexes that point at
something, and texts inside Excel's limits. ``problems(data)`` lists each breach by part.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator

NAMESPACES = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "x",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "c",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "xdr",
}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE = "application/vnd.openxmlformats-officedocument."
CONTENT_TYPE_OF_RELATIONSHIP = {
    REL + "officeDocument": OFFICE + "spreadsheetml.sheet.main+xml",
    REL + "worksheet": OFFICE + "spreadsheetml.worksheet+xml",
    REL + "styles": OFFICE + "spreadsheetml.styles+xml",
    REL + "sharedStrings": OFFICE + "spreadsheetml.sharedStrings+xml",
    REL + "theme": OFFICE + "theme+xml",
    REL + "table": OFFICE + "spreadsheetml.table+xml",
    REL + "drawing": OFFICE + "drawing+xml",
    REL + "chart": OFFICE + "drawingml.chart+xml",
    REL + "extended-properties": OFFICE + "extended-properties+xml",
    REL + "custom-properties": OFFICE + "custom-properties+xml",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties": (
        "application/vnd.openxmlformats-package.core-properties+xml"
    ),
}

# The sequences of ECMA-376 Part 1 (transitional), as element -> its children in order.
# A name in brackets stands for a choice group (any chart type, any axis, any run).
SEQUENCES = {
    "x:worksheet": "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection protectedRanges"
    " scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells phoneticPr conditionalFormatting"
    " dataValidations hyperlinks printOptions pageMargins pageSetup headerFooter rowBreaks colBreaks customProperties"
    " cellWatches ignoredErrors smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture oleObjects controls"
    " webPublishItems tableParts extLst",
    "x:sheetPr": "tabColor outlinePr pageSetUpPr",
    "x:sheetViews": "sheetView extLst",
    "x:sheetView": "pane selection pivotSelection extLst",
    "x:cols": "col",
    "x:sheetData": "row",
    "x:row": "c extLst",
    "x:c": "f v is extLst",
    "x:mergeCells": "mergeCell",
    "x:headerFooter": "oddHeader oddFooter evenHeader evenFooter firstHeader firstFooter",
    "x:rowBreaks": "brk",
    "x:colBreaks": "brk",
    "x:tableParts": "tablePart",
    "x:workbook": "fileVersion fileSharing workbookPr workbookProtection bookViews sheets functionGroups externalReferences"
    " definedNames calcPr oleSize customWorkbookViews pivotCaches smartTagPr smartTagTypes webPublishing fileRecoveryPr"
    " webPublishObjects extLst",
    "x:bookViews": "workbookView",
    "x:sheets": "sheet",
    "x:definedNames": "definedName",
    "x:styleSheet": "numFmts fonts fills borders cellStyleXfs cellXfs cellStyles dxfs tableStyles colors extLst",
    "x:numFmts": "numFmt",
    "x:fonts": "font",
    "x:fills": "fill",
    "x:fill": "[fill]",
    "x:patternFill": "fgColor bgColor",
    "x:borders": "border",
    "x:border": "left right top bottom diagonal vertical horizontal",
    "x:cellStyleXfs": "xf",
    "x:cellXfs": "xf",
    "x:xf": "alignment protection extLst",
    "x:cellStyles": "cellStyle",
    "x:sst": "si extLst",
    "x:si": "t r rPh phoneticPr",
    "x:table": "autoFilter sortState tableColumns tableStyleInfo extLst",
    "x:autoFilter": "filterColumn sortState extLst",
    "x:tableColumns": "tableColumn",
    "x:tableColumn": "calculatedColumnFormula totalsRowFormula xmlColumnPr extLst",
    "c:chartSpace": "date1904 lang roundedCorners AlternateContent style clrMapOvr pivotSource protection chart spPr txPr"
    " externalData printSettings userShapes extLst",
    "c:chart": "title autoTitleDeleted pivotFmts view3D floor sideWall backWall plotArea legend plotVisOnly dispBlanksAs"
    " showDLblsOverMax extLst",
    "c:title": "tx layout overlay spPr txPr extLst",
    "c:plotArea": "layout [chart] [axis] dTable spPr extLst",
    "c:barChart": "barDir grouping varyColors ser dLbls gapWidth overlap serLines axId extLst",
    "c:lineChart": "grouping varyColors ser dLbls dropLines hiLowLines upDownBars marker smooth axId extLst",
    "c:pieChart": "varyColors ser dLbls firstSliceAng extLst",
    "c:ser": "idx order tx spPr invertIfNegative pictureOptions explosion marker dPt dLbls trendline errBars cat val"
    " shape smooth extLst",
    "c:dLbls": "dLbl delete numFmt spPr txPr dLblPos showLegendKey showVal showCatName showSerName showPercent"
    " showBubbleSize separator showLeaderLines leaderLines extLst",
    "c:catAx": "axId scaling delete axPos majorGridlines minorGridlines title numFmt majorTickMark minorTickMark tickLblPos"
    " spPr txPr crossAx crosses crossesAt auto lblAlgn lblOffset tickLblSkip tickMarkSkip noMultiLvlLbl extLst",
    "c:valAx": "axId scaling delete axPos majorGridlines minorGridlines title numFmt majorTickMark minorTickMark tickLblPos"
    " spPr txPr crossAx crosses crossesAt crossBetween majorUnit minorUnit dispUnits extLst",
    "c:scaling": "logBase orientation max min extLst",
    "c:legend": "legendPos legendEntry layout overlay spPr txPr extLst",
    "c:marker": "symbol size spPr extLst",
    "c:numRef": "f numCache extLst",
    "c:strRef": "f strCache extLst",
    "c:numCache": "formatCode ptCount pt extLst",
    "c:strCache": "ptCount pt extLst",
    "c:txPr": "a:bodyPr a:lstStyle a:p",
    "c:rich": "a:bodyPr a:lstStyle a:p",
    "a:p": "pPr [run] endParaRPr",
    "a:pPr": "lnSpc spcBef spcAft buClrTx buClr buSzTx buSzPct buSzPts buFontTx buFont buNone buAutoNum buChar buBlip"
    " tabLst defRPr extLst",
    "a:r": "rPr t",
    "xdr:wsDr": "[anchor]",
    "xdr:oneCellAnchor": "from ext [object] clientData",
    "xdr:twoCellAnchor": "from to [object] clientData",
    "xdr:from": "col colOff row rowOff",
    "xdr:to": "col colOff row rowOff",
    "xdr:graphicFrame": "nvGraphicFramePr xfrm a:graphic",
    "xdr:nvGraphicFramePr": "cNvPr cNvGraphicFramePr",
    "xdr:xfrm": "a:off a:ext",
}
GROUPS = {
    "[chart]": "c:areaChart c:lineChart c:stockChart c:radarChart c:scatterChart c:pieChart c:doughnutChart c:barChart"
    " c:bubbleChart c:surfaceChart c:ofPieChart",
    "[axis]": "c:valAx c:catAx c:dateAx c:serAx",
    "[run]": "a:r a:br a:fld",
    "[fill]": "x:patternFill x:gradientFill",
    "[anchor]": "xdr:twoCellAnchor xdr:oneCellAnchor xdr:absoluteAnchor",
    "[object]": "xdr:sp xdr:grpSp xdr:graphicFrame xdr:cxnSp xdr:pic xdr:contentPart",
}
BUILTIN_FORMATS = set(range(0, 23)) | set(range(37, 41)) | set(range(45, 50))
CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
NAME = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.\\]*")
LOOKS_LIKE_A_CELL = re.compile(r"([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])")


def order_of(parent: str) -> dict[str, int] | None:
    sequence = SEQUENCES.get(parent)
    if sequence is None:
        return None
    prefix = parent.split(":", maxsplit=1)[0]
    positions = {}
    for index, name in enumerate(sequence.split()):
        for member in GROUPS.get(name, name).split():
            positions[member if ":" in member else f"{prefix}:{member}"] = index
    return positions


ORDERS = {parent: order_of(parent) for parent in SEQUENCES}


def local(tag: str) -> str:
    namespace, _, name = tag[1:].partition("}")
    return f"{NAMESPACES.get(namespace, namespace)}:{name}"


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def cell_of(ref: str) -> tuple[int, int]:
    """'$B$12' -> (row 12, column 2)."""
    match = CELL_REF.fullmatch(ref)
    assert match, ref
    return int(match[2]), column_number(match[1])


def area_of(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    (top, left), (bottom, right) = cell_of(first), cell_of(last or first)
    return top, left, bottom, right


class Package:
    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {name: archive.read(name) for name in archive.namelist()}
        self.found: list[str] = []
        # what the workbook part declares, for the checks of its sheets
        self.sheets: list[str] = []
        self.cell_formats = 0
        self.strings: list[str] = []
        self.table_names: list[str] = []
        self.table_ids: list[str] = []

    def problem(self, part: str, text: str) -> None:
        self.found.append(f"{part}: {text}")

    def xml(self, part: str) -> ET.Element:
        return ET.fromstring(self.parts[part])

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id -> (type, the target's part name)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.parts:
            return {}
        found = {}
        for rel in self.xml(rels).iter(f"{RELS}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if rel.get("Id") in found:
                self.problem(rels, f"relationship id {rel.get('Id')} is used twice")
            found[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
        return found


def problems(data: bytes) -> list[str]:
    """Every breach of the rules above in one workbook's bytes, as 'part: what'."""
    package = Package(data)
    workbook = check_package(package)
    if workbook:
        check_order(package)
        package.cell_formats = check_styles(package, workbook)
        package.strings = check_strings(package, workbook)
        check_workbook(package, workbook)
    return package.found


def check_package(package: Package) -> str | None:
    """Every part has a content type; every relationship lands on a part of the type it says;
    every part is reached from the package's root. Returns the workbook part's name."""
    types = package.xml("[Content_Types].xml")
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in types.iter(f"{TYPES}Default")}
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType") for o in types.iter(f"{TYPES}Override")}
    for name in overrides.keys() - package.parts.keys():
        package.problem("[Content_Types].xml", f"an override names {name}, which is not in the package")
    content_type = {}
    for name in package.parts:
        if name == "[Content_Types].xml":
            continue
        content_type[name] = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower())
        if content_type[name] is None:
            package.problem(name, "has no content type")
    reached = {"[Content_Types].xml"} | {name for name in package.parts if name.endswith(".rels")}
    workbook = None
    queue = [""]
    while queue:
        source = queue.pop()
        for kind, target in package.relationships(source).values():
            if source == "" and kind == REL + "officeDocument":
                workbook = target
            if target not in package.parts:
                package.problem(source or "_rels/.rels", f"a relationship points at {target}, which is not in the package")
                continue
            expected = CONTENT_TYPE_OF_RELATIONSHIP.get(kind)
            if expected and content_type.get(target) != expected:
                package.problem(target, f"is typed {content_type.get(target)}, but its relationship says {expected}")
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for name in sorted(package.parts.keys() - reached):
        package.problem(name, "no relationship reaches this part")
    if workbook is None:
        package.problem("_rels/.rels", "no officeDocument relationship names the workbook")
    dangling = any("not in the package" in problem for problem in package.found)
    return None if dangling else workbook  # the parts' own checks need every part there


def check_order(package: Package) -> None:
    """Children of each element in the order of the standard's sequence."""
    for name, data in package.parts.items():
        if not name.endswith(".xml") or name.startswith(("docProps/", "xl/theme/")) or name == "[Content_Types].xml":
            continue
        for parent in ET.fromstring(data).iter():
            order = ORDERS.get(local(parent.tag))
            if order is None:
                continue
            last, last_name = -1, ""
            for child in parent:
                child_name = local(child.tag)
                position = order.get(child_name)
                if position is None:
                    package.problem(name, f"{child_name} is not allowed in {local(parent.tag)}")
                elif position < last:
                    package.problem(
                        name, f"{child_name} comes after {last_name} in {local(parent.tag)}; the standard puts it before"
                    )
                else:
                    last, last_name = position, child_name


def check_styles(package: Package, workbook: str) -> int:
    """Counts equal the children; every index a format uses is in range; fills 0 and 1 are
    the two Excel reserves (none, gray125). Returns how many cell formats there are."""
    part = next(t for k, t in package.relationships(workbook).values() if k == REL + "styles")
    root = package.xml(part)
    lists = {local(child.tag)[2:]: list(child) for child in root}
    for child in root:
        if child.get("count") is not None and int(child.get("count", "0")) != len(child):
            package.problem(part, f"{local(child.tag)} says count={child.get('count')} but holds {len(child)}")
    formats = {int(f.get("numFmtId", "-1")) for f in lists.get("numFmts", [])}
    if any(f < 164 for f in formats):
        package.problem(part, "a custom number format has an id below 164, which Excel keeps for its own")
    fills = [f[0].get("patternType") if len(f) else None for f in lists.get("fills", [])]
    if fills[:2] != ["none", "gray125"]:
        package.problem(part, f"the first two fills are {fills[:2]}; Excel reserves them as none and gray125")
    limits = {"fontId": "fonts", "fillId": "fills", "borderId": "borders"}
    for where in ("cellStyleXfs", "cellXfs"):
        for index, xf in enumerate(lists.get(where, [])):
            for attribute, pool in limits.items():
                if int(xf.get(attribute, "0")) >= len(lists.get(pool, [])):
                    package.problem(part, f"{where} {index}: {attribute} {xf.get(attribute)} is past the {pool}")
            number_format = int(xf.get("numFmtId", "0"))
            if number_format not in BUILTIN_FORMATS and number_format not in formats:
                package.problem(part, f"{where} {index}: numFmtId {number_format} is neither built in nor defined")
            if where == "cellXfs" and int(xf.get("xfId", "0")) >= len(lists.get("cellStyleXfs", [])):
                package.problem(part, f"cellXfs {index}: xfId {xf.get('xfId')} is past the cell styles")
    for style in lists.get("cellStyles", []):
        if int(style.get("xfId", "0")) >= len(lists.get("cellStyleXfs", [])):
            package.problem(part, f"cell style {style.get('name')!r} points past the cell style formats")
    return len(lists.get("cellXfs", []))


def check_strings(package: Package, workbook: str) -> list[str]:
    """The shared strings' texts, in order."""
    parts = [t for k, t in package.relationships(workbook).values() if k == REL + "sharedStrings"]
    if not parts:
        return []
    root = package.xml(parts[0])
    items = root.findall(f"{MAIN}si")
    if int(root.get("uniqueCount", len(items))) != len(items):
        package.problem(parts[0], f"uniqueCount={root.get('uniqueCount')} but there are {len(items)} strings")
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in items]


def check_workbook(package: Package, workbook: str) -> None:
    root = package.xml(workbook)
    relationships = package.relationships(workbook)
    sheets = []
    for sheet in root.iter(f"{MAIN}sheet"):
        name = sheet.get("name", "")
        check_sheet_name(package, workbook, name, [s for s, _ in sheets])
        kind, part = relationships.get(sheet.get(R_ID, ""), ("", ""))
        if kind != REL + "worksheet":
            package.problem(workbook, f"sheet {name!r} does not point at a worksheet")
            continue
        sheets.append((name, part))
    package.sheets = [name for name, _ in sheets]
    for name, part in sheets:
        check_worksheet(package, part, name)
    check_defined_names(package, workbook, root)
    for duplicate in {i for i in package.table_ids if package.table_ids.count(i) > 1}:
        package.problem(workbook, f"table id {duplicate} is used by more than one table")


def check_sheet_name(package: Package, workbook: str, name: str, before: list[str]) -> None:
    if not 1 <= len(name) <= 31:
        package.problem(workbook, f"sheet name {name!r} is {len(name)} characters; Excel allows 1 to 31")
    if SHEET_NAME_FORBIDDEN & set(name) or name.startswith("'") or name.endswith("'"):
        package.problem(workbook, f"sheet name {name!r} holds a character Excel forbids")
    if name.casefold() in (b.casefold() for b in before) or name.casefold() == "history":
        package.problem(workbook, f"sheet name {name!r} is taken")


def check_worksheet(package: Package, part: str, sheet: str) -> None:
    root = package.xml(part)
    cells = check_cells(package, part, root)
    for element in root.iter():
        if local(element.tag) in ("x:oddHeader", "x:oddFooter", "x:evenHeader", "x:evenFooter") and len(element.text or "") > 255:
            package.problem(part, f"{local(element.tag)[2:]} is {len(element.text or '')} characters; Excel allows 255")
    last = 0
    for col in root.iter(f"{MAIN}col"):
        low, high = int(col.get("min", "0")), int(col.get("max", "0"))
        if not last < low <= high <= 16384:
            package.problem(part, f"column widths {low}:{high} overlap or run backwards")
        last = high
        if float(col.get("width", "0")) > 255:
            package.problem(part, f"column {low} is wider than Excel's 255 characters")
    merged = [area_of(m.get("ref", "")) for m in root.iter(f"{MAIN}mergeCell")]
    for i, a in enumerate(merged):
        for b in merged[i + 1 :]:
            if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                package.problem(part, f"merged areas {a} and {b} overlap")
    relationships = package.relationships(part)
    for element in root.iter():
        if element.get(R_ID) is not None and element.get(R_ID) not in relationships:
            package.problem(part, f"{local(element.tag)} names relationship {element.get(R_ID)}, which the sheet does not have")
    for kind, target in relationships.values():
        if kind == REL + "table" and target in package.parts:
            check_table(package, target, sheet, cells)
        if kind == REL + "drawing" and target in package.parts:
            check_drawing(package, target)


def check_cells(package: Package, part: str, root: ET.Element) -> dict[tuple[int, int], str]:
    """Rows and cells in order, each style and string index in range; the text of each string cell."""
    text: dict[tuple[int, int], str] = {}
    last_row = 0
    for row in root.iter(f"{MAIN}row"):
        number = int(row.get("r", "0"))
        if not last_row < number <= 1048576:
            package.problem(part, f"row {number} comes after row {last_row}")
        last_row, last_column = number, 0
        for cell in row.iter(f"{MAIN}c"):
            ref = cell.get("r", "")
            at_row, column = cell_of(ref)
            if at_row != number or not last_column < column <= 16384:
                package.problem(part, f"cell {ref} is out of place in row {number}")
            last_column = column
            if int(cell.get("s", "0")) >= package.cell_formats:
                package.problem(part, f"cell {ref} has style {cell.get('s')}, past the {package.cell_formats} cell formats")
            value = cell.find(f"{MAIN}v")
            kind = cell.get("t", "n")
            if kind == "s":
                index = int(value.text or "-1") if value is not None else -1
                if not 0 <= index < len(package.strings):
                    package.problem(part, f"cell {ref} names shared string {index}, past the {len(package.strings)} strings")
                else:
                    text[(number, column)] = package.strings[index]
            elif kind == "n" and value is not None:
                try:
                    float(value.text or "")
                except ValueError:
                    package.problem(part, f"cell {ref} holds {value.text!r}, which is not a number")
            elif kind not in ("b", "e", "str", "inlineStr", "n"):
                package.problem(part, f"cell {ref} has type {kind!r}")
            formula = cell.find(f"{MAIN}f")
            if formula is not None and (formula.text or "").startswith("="):
                package.problem(part, f"cell {ref}'s formula starts with '='")
    return text


def check_table(package: Package, part: str, sheet: str, cells: dict[tuple[int, int], str]) -> None:
    """Column names equal the header cells; the autofilter is the table's range; names and
    ids unique in the workbook."""
    root = package.xml(part)
    ref, name = root.get("ref", ""), root.get("displayName", "")
    top, left, _, right = area_of(ref)
    columns = [c.get("name", "") for c in root.iter(f"{MAIN}tableColumn")]
    headers = [cells.get((top, column)) for column in range(left, right + 1)]
    if columns != headers:
        package.problem(part, f"column names {columns} differ from the header cells {headers} on {sheet!r}")
    if len({c.casefold() for c in columns}) != len(columns):
        package.problem(part, "two columns share a name")
    count = root.find(f"{MAIN}tableColumns")
    if count is not None and int(count.get("count", "-1")) != len(columns):
        package.problem(part, f"tableColumns says count={count.get('count')} but holds {len(columns)}")
    ids = [c.get("id") for c in root.iter(f"{MAIN}tableColumn")]
    if len(set(ids)) != len(ids):
        package.problem(part, "two columns share an id")
    auto_filter = root.find(f"{MAIN}autoFilter")
    if auto_filter is not None and auto_filter.get("ref") != ref:
        package.problem(part, f"the autofilter covers {auto_filter.get('ref')}, the table {ref}")
    if not NAME.fullmatch(name) or LOOKS_LIKE_A_CELL.fullmatch(name) or len(name) > 255:
        package.problem(part, f"table name {name!r} is not a name Excel accepts")
    if root.get("name") != name:
        package.problem(part, f"name {root.get('name')!r} and displayName {name!r} differ")
    if name.casefold() in (n.casefold() for n in package.table_names):
        package.problem(part, f"table name {name!r} is used twice")
    package.table_names.append(name)
    package.table_ids.append(root.get("id", ""))


def check_drawing(package: Package, part: str) -> None:
    for anchor in package.xml(part):
        start, end = anchor.find("{*}from"), anchor.find("{*}to")
        if start is not None and end is not None:
            begin = (int(start.findtext("{*}row", "0")), int(start.findtext("{*}col", "0")))
            finish = (int(end.findtext("{*}row", "0")), int(end.findtext("{*}col", "0")))
            if finish < begin:
                package.problem(part, f"an anchor ends at {finish} before it starts at {begin}")
    for kind, target in package.relationships(part).values():
        if kind == REL + "chart" and target in package.parts:
            check_chart(package, target)


def check_chart(package: Package, part: str) -> None:
    """Each cache's points inside its count; each series' formula on a real sheet."""
    for formula in package.xml(part).iter("{*}f"):
        for sheet in sheets_named(formula.text or ""):
            if sheet not in package.sheets:
                package.problem(part, f"a series refers to sheet {sheet!r}, which the workbook does not have")
    for cache in package.xml(part).iter():
        if local(cache.tag) in ("c:numCache", "c:strCache"):
            declared = cache.find("{*}ptCount")
            count = int(declared.get("val", "0")) if declared is not None else 0
            points = [int(p.get("idx", "-1")) for p in cache.findall("{*}pt")]
            if any(not 0 <= p < count for p in points) or len(set(points)) != len(points):
                package.problem(part, f"a cache of {count} points has points {points}")


def sheets_named(formula: str) -> Iterator[str]:
    """The sheet of each reference in 'Sheet'!$A$1,'Other sheet'!$1:$3 or Sheet!A1."""
    for match in re.finditer(r"(?:'((?:[^']|'')+)'|([^'!,()]+))!", formula):
        yield match[1].replace("''", "'") if match[1] is not None else match[2]


def check_defined_names(package: Package, workbook: str, root: ET.Element) -> None:
    sheets, tables = package.sheets, package.table_names
    seen = set()
    for defined in root.iter(f"{MAIN}definedName"):
        name, scope = defined.get("name", ""), defined.get("localSheetId")
        builtin = name.startswith("_xlnm.")
        if not builtin and (not NAME.fullmatch(name) or LOOKS_LIKE_A_CELL.fullmatch(name) or len(name) > 255):
            package.problem(workbook, f"defined name {name!r} is not a name Excel accepts")
        if not builtin and name.casefold() in (t.casefold() for t in tables):
            package.problem(workbook, f"defined name {name!r} is also a table's name")
        if builtin and name not in ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"):
            package.problem(workbook, f"{name} is not a built-in name")
        if builtin and scope is None:
            package.problem(workbook, f"{name} has no sheet (localSheetId)")
        if scope is not None and not 0 <= int(scope) < len(sheets):
            package.problem(workbook, f"{name}: localSheetId {scope} is not a sheet")
        if (name.casefold(), scope) in seen:
            package.problem(workbook, f"defined name {name!r} is defined twice for the same scope")
        seen.add((name.casefold(), scope))
        formula = defined.text or ""
        for sheet in sheets_named(formula):
            if sheet not in sheets:
                package.problem(workbook, f"{name} refers to sheet {sheet!r}, which the workbook does not have")
        for ref in re.findall(r"!([$A-Z0-9:]+)", formula):
            if not re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?|\$?\d+:\$?\d+|\$?[A-Z]{1,3}:\$?[A-Z]{1,3}", ref):
                package.problem(workbook, f"{name} refers to {ref!r}, which is not a range")
