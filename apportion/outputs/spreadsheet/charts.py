"""The charts of a workbook: the drawing that anchors them and each chart's DrawingML."""

from collections.abc import Sequence
from decimal import Decimal

from apportion.outputs.spreadsheet.markup import CHART_NS, DRAWING_NS, REL, XML_HEAD, escape
from apportion.outputs.spreadsheet.workbook import Chart

EMU_PER_CM = 360_000


def drawing_xml(charts: Sequence[Chart]) -> str:
    anchors = []
    for index, chart in enumerate(charts, start=1):
        row, column = chart.anchor
        anchors.append(
            f"<xdr:oneCellAnchor><xdr:from><xdr:col>{column - 1}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f'<xdr:ext cx="{int(chart.size[0] * EMU_PER_CM)}" cy="{int(chart.size[1] * EMU_PER_CM)}"/><xdr:graphicFrame macro="">'
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


def number_cache(values: Sequence[Decimal], number_format: str = "General") -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(values))
    return (
        f'<c:numCache><c:formatCode>{escape(number_format)}</c:formatCode><c:ptCount val="{len(values)}"/>{points}</c:numCache>'
    )


def string_cache(values: Sequence[str | Decimal]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(str(value))}</c:v></c:pt>' for i, value in enumerate(values))
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache>'


PIE_LABELS = (  # member and share beside each slice, on one line each
    '<c:dLbls><c:txPr><a:bodyPr wrap="none"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1100"/></a:pPr>'
    '<a:endParaRPr lang="en-GB"/></a:p></c:txPr><c:dLblPos val="bestFit"/><c:showLegendKey val="0"/><c:showVal val="0"/>'
    '<c:showCatName val="1"/><c:showSerName val="0"/>'
    '<c:showPercent val="1"/><c:showBubbleSize val="0"/><c:separator>: </c:separator><c:showLeaderLines val="1"/></c:dLbls>'
)
LEVEL = (  # value labels level, 11 pt
    '<c:txPr><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1100"/></a:pPr>'
    '<a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
)
SLANTED = (  # category labels at 45 degrees: a long name is never broken mid-word; 11 pt, legible at 70%
    '<c:txPr><a:bodyPr rot="-2700000" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1100"/></a:pPr>'
    '<a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
)


def value_labels(number_format: str | None) -> str:
    """Each bar's figure at its end, 11 pt."""
    return (
        f'<c:dLbls><c:numFmt formatCode="{escape(number_format or "General")}" sourceLinked="0"/><c:spPr/>'
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1100"/></a:pPr><a:endParaRPr lang="en-GB"/></a:p>'
        '</c:txPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
    )


ZERO_MIN = '<c:min val="0"/>'  # the value axis starts at nought, so that bars compare as lengths


def chart_xml(chart: Chart) -> str:
    """DrawingML for one chart, with the figures it draws cached; elements in schema order
    (idx, order, tx, marker, dLbls, cat, val, smooth)."""
    if chart.numeric_categories:
        cache = number_cache([Decimal(v) for v in chart.cached_categories]) if chart.cached_categories else ""
        categories = f"<c:cat><c:numRef><c:f>{escape(chart.categories)}</c:f>{cache}</c:numRef></c:cat>"
    else:
        cache = string_cache(chart.cached_categories) if chart.cached_categories else ""
        categories = f"<c:cat><c:strRef><c:f>{escape(chart.categories)}</c:f>{cache}</c:strRef></c:cat>"
    series = []
    for i, s in enumerate(chart.series):
        title = ""
        if s.title:
            cached_title = string_cache([s.title_text]) if s.title_text else ""
            title = f"<c:tx><c:strRef><c:f>{escape(s.title)}</c:f>{cached_title}</c:strRef></c:tx>"
        marker = '<c:marker><c:symbol val="none"/></c:marker>' if chart.kind == "line" else ""
        labels = PIE_LABELS if chart.kind == "pie" else value_labels(chart.number_format) if chart.labelled else ""
        cached_values = number_cache(s.cached, chart.number_format or "General") if s.cached else ""
        values = f"<c:val><c:numRef><c:f>{escape(s.values)}</c:f>{cached_values}</c:numRef></c:val>"
        smooth = '<c:smooth val="0"/>' if chart.kind == "line" else ""
        series.append(f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{title}{marker}{labels}{categories}{values}{smooth}</c:ser>')
    axes_ids = '<c:axId val="10"/><c:axId val="100"/>'
    horizontal = chart.kind == "horizontal bar"
    if chart.kind == "pie":
        body = f'<c:pieChart><c:varyColors val="1"/>{"".join(series)}<c:firstSliceAng val="0"/></c:pieChart>'
        axes = ""
    else:
        if chart.kind == "line":
            body = f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(series)}'
            body += f'<c:marker val="1"/>{axes_ids}</c:lineChart>'
        else:
            grouping, overlap = ("stacked", '<c:overlap val="100"/>') if chart.kind == "stacked" else ("clustered", "")
            direction = "bar" if horizontal else "col"
            body = f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>'
            body += "".join(series)
            body += f'<c:gapWidth val="150"/>{overlap}{axes_ids}</c:barChart>'
        number_format = escape(chart.number_format or "General")
        slanted = "" if chart.numeric_categories or horizontal else SLANTED
        # horizontal bars: the categories down the left, the first at the top, names level
        # (and the value axis crossing at the last category, which is then the bottom)
        order, category_side, value_side = ("maxMin", "l", "b") if horizontal else ("minMax", "b", "l")
        crossing = "max" if horizontal else "autoZero"
        level = LEVEL if horizontal else ""
        axes = (
            f'<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="{order}"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="{category_side}"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="low"/>{slanted}<c:crossAx val="100"/><c:crosses val="autoZero"/><c:auto val="1"/>'
            '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="1"/>'
            f'</c:catAx><c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/>{ZERO_MIN if chart.from_zero else ""}'
            f'</c:scaling><c:delete val="{int(chart.labelled)}"/>'  # bars labelled with their figures need no scale
            f'<c:axPos val="{value_side}"/>{"" if chart.labelled else "<c:majorGridlines/>"}'
            f'<c:numFmt formatCode="{number_format}" sourceLinked="0"/>'
            f'<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{level}<c:crossAx val="10"/>'
            f'<c:crosses val="{crossing}"/><c:crossBetween val="between"/></c:valAx>'
        )
    title = (
        f"<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
    )
    legend = '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' if chart.legend else ""
    return (
        f'{XML_HEAD}<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{DRAWING_NS}" xmlns:r="{REL}"><c:roundedCorners val="0"/>'
        f"<c:chart>{title}<c:plotArea><c:layout/>{body}{axes}</c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
