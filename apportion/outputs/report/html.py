"""The panel report as one HTML file: its CSS and charts inline, no script, nothing fetched
(a Content-Security-Policy says so to the browser), laid out for the screen and, through
print CSS, for A4 paper with a running head and page numbers.

The templates (``templates/``) are Jinja2's, with autoescaping on: every name and
description from the budget file reaches the page as text. Nothing here works a figure
out: the figures are :class:`~apportion.rules.report_figures.PanelReport`'s, as the rules
rounded them; the same report always gives the same bytes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from apportion.outputs.provenance import Provenance
from apportion.outputs.report import svg
from apportion.outputs.report.figures import Writer, count, escape_css, exact_money, name, pence, percent, plain_text, pounds
from apportion.outputs.report.glossary import glossary
from apportion.outputs.report.wording import reason_words, summary, unit_words
from apportion.rules.report_figures import PanelReport

HERE = Path(__file__).parent


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        name=name, plain=plain_text, pence=pence, pounds=pounds, percent=percent, css=escape_css, exact=exact_money
    )
    env.globals.update(count=count)
    return env


@cache
def stylesheet() -> Markup:
    return Markup((HERE / "report.css").read_text(encoding="utf-8"))


def title_of(report: PanelReport) -> str:
    return report.settings.title or f"Contributions to the {report.collaboration}, {report.year}"


def sections(report: PanelReport) -> list[tuple[str, str]]:
    """The report's parts, in order, with their anchors: those it has figures for."""
    parts = [("summary", "Summary"), ("members", "What each member pays")]
    if report.bridge is not None:
        parts.append(("last-year", "This year against last year"))
    parts += [("units", "The units and how each is shared"), ("funding", "Funding")]
    if report.monitoring is not None:
        parts.append(("monitoring", "Monitoring: spending against budget"))
    if report.year_end is not None:
        parts.append(("reserves", "Year end, reserves and capital"))
    if report.scenarios or report.sensitivity is not None:
        parts.append(("risks", "Risks"))
    return parts


def report_html(report: PanelReport, provenance: Provenance) -> bytes:
    """The report's bytes (UTF-8)."""
    w = Writer(report.settings.figures)
    head = f"{plain_text(report.collaboration)} · {plain_text(report.year)} · {report.settings.status.value.upper()}"
    parts = sections(report)
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            r=report,
            w=w,
            title=title_of(report),
            head=head,
            css=stylesheet(),
            parts=parts,
            heading={anchor: f"{number}. {title}" for number, (anchor, title) in enumerate(parts, start=1)},
            in_kind=bool(report.totals.in_kind.exact),
            scenario_members=list(dict.fromkeys(m for column in report.scenarios for m in column.changes)),
            summary=summary(report, w),
            units_words=[unit_words(row, report, w) for row in report.units],
            reasons={r.member: reason_words(r, len(report.units) > 1) for r in report.bridge.reasons} if report.bridge else {},
            charts=charts(report, w),
            glossary=glossary(report),
            provenance=provenance,
        )
    )
    return page.encode("utf-8")


def charts(report: PanelReport, w: Writer) -> dict[str, Markup]:
    """Each chart the report draws, by name."""
    drawn = {}
    paying = sorted((row for row in report.members if row.status != "left"), key=lambda row: (-row.total.shown, row.member))
    parts = bool(report.totals.in_kind.exact)
    drawn["members"] = svg.bar_chart(
        [
            svg.Bar(
                plain_text(row.member),
                ((row.cash.shown, "cash"), (row.in_kind.shown, "kind")) if parts else ((row.total.shown, "cash"),),
                w.money(row.total),
            )
            for row in paying
        ],
        "Each member's total contribution, largest first",
        (("Net cash payable", "cash"), ("In kind", "kind")) if parts else (),
    )
    if report.bridge is not None:
        b = report.bridge
        drawn["bridge"] = svg.waterfall(
            (f"{plain_text(b.last_year)} total", b.start.shown, w.money(b.start)),
            [(cause.cause.capitalize(), cause.amount.shown, w.money(cause.amount, plus=True)) for cause in b.causes],
            (f"{plain_text(b.this_year)} total", b.end.shown, w.money(b.end)),
            "The change in the total contribution from last year, by cause",
        )
    drawn["funding"] = svg.bar_chart(
        [
            svg.Bar(plain_text(row.source), ((row.amount.shown, {"in kind": "kind"}.get(row.kind, "cash")),), w.money(row.amount))
            for row in sorted(report.funding, key=lambda row: (-row.amount.shown, row.source))
        ],
        "Where the money comes from, largest first",
    )
    if report.monitoring is not None:
        drawn["monitoring"] = svg.bar_chart(
            [
                svg.Bar(plain_text(position.unit), ((row["variance"].shown, "down" if row["variance"].shown >= 0 else "up"),),
                        w.money(row["variance"], plus=True))
                for position, row, _ in report.monitoring.units
            ],
            "Forecast variance by unit: under-spends positive",
        )  # fmt: skip
    if report.sensitivity is not None:
        drawn["sweep"] = svg.range_chart(
            [
                svg.Range(plain_text(e.member), e.lowest.shown, e.median.shown, e.highest.shown, e.budget.shown,
                          f"{w.money(e.lowest)} to {w.money(e.highest)}")
                for e in report.sensitivity.exposures
            ],
            "Each member's net cash payable over the sweep: its range, median (dot) and budget (bar)",
        )  # fmt: skip
    return drawn
