"""The panel report as a reader's tools read it: its tables (pandas.read_html) hold the
CSV's figures, rounded so each column adds up as printed; the bridge adds up; every name
is text, never markup; nothing is fetched or run; the same inputs give the same bytes."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from fractions import Fraction

import lxml.html
import pandas as pd
import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import read_contributions
from tests.outputs.report_cases import NAMES

STEPS = {"east-midlands": Decimal(1), "npas": Decimal(1000), "markup": Decimal(1)}


def page(folder):
    return (folder / "report.html").read_text(encoding="utf-8")


def number(text) -> Decimal | None:
    """A figure as printed: '5,714,245', '−838,788', '+2.0%'; None for an empty cell."""
    cleaned = str(text).replace("\u2212", "-").replace(",", "").replace("+", "").replace("%", "").replace("£", "").strip()
    return Decimal(cleaned) if cleaned and cleaned != "nan" else None


def largest_remainder(amounts: dict[str, Decimal], step: Decimal) -> dict[str, Decimal]:
    """Worked here again, independently: each figure rounded down to the step, and the steps
    left over (the total rounded half up, less the rounded-down figures) one each to the
    largest remainders (ties: the larger figure, then the name)."""
    exact = {k: Fraction(v) / Fraction(step) for k, v in amounts.items()}
    total = sum(exact.values(), Fraction(0))
    target = int(total + Fraction(1, 2)) if total >= 0 else -int(-total + Fraction(1, 2))
    floors = {k: v.numerator // v.denominator for k, v in exact.items()}
    left = target - sum(floors.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - floors[k]), -abs(exact[k]), k.casefold(), k))
    return {k: Decimal(floors[k] + (k in order[:left])) for k in amounts}


@pytest.mark.parametrize("case", ["east-midlands", "npas", "markup"])
def test_the_members_table_holds_the_csv_figures_rounded_to_add_up(panel_reports, case):
    folder, step = panel_reports[case], STEPS[case]
    cash: dict[str, Decimal] = {}
    in_kind: dict[str, Decimal] = {}
    for line in read_contributions(folder / "contributions.csv"):
        cash[line["member"]] = cash.get(line["member"], Decimal(0)) + Decimal(line["amount"])
        in_kind[line["member"]] = in_kind.get(line["member"], Decimal(0)) + Decimal(line["in_kind_amount"])
    (table,) = pd.read_html(io.StringIO(page(folder)), attrs={"id": "members-table"}, thousands=None)
    rows = {str(row["Member"]).removesuffix(" (joined)"): row for _, row in table.iterrows()}
    unit = "£000" if step == 1000 else "£"
    cash_shown, kind_shown = largest_remainder(cash, step), largest_remainder(in_kind, step)
    for member in cash:
        row = rows[member]
        assert number(row[f"Net cash {unit}"]) == cash_shown[member]
        kind = number(row[f"In kind {unit}"]) if f"In kind {unit}" in row else Decimal(0)
        assert kind == kind_shown[member]
        assert number(row[f"Total {unit}"]) == cash_shown[member] + kind_shown[member]
    total = rows["Total"]
    assert number(total[f"Net cash {unit}"]) == sum(cash_shown.values())
    assert number(total[f"Total {unit}"]) == sum(cash_shown.values()) + sum(kind_shown.values())


@pytest.mark.parametrize("case", ["east-midlands", "south-east", "npas", "markup"])
def test_every_total_printed_is_the_sum_of_the_figures_above_it(panel_reports, case):
    document = lxml.html.fromstring(page(panel_reports[case]))
    checked = 0
    for table in document.xpath("//table[tfoot]"):
        headings = [th.text_content() for th in table.xpath("thead/tr/th")]
        body = [[cell.text_content() for cell in row.xpath("th|td")] for row in table.xpath("tbody/tr[not(@class='explained')]")]
        (total,) = [[cell.text_content() for cell in row.xpath("th|td")] for row in table.xpath("tfoot/tr")]
        for index, heading in enumerate(headings):
            if "£" not in heading or "Per head" in heading:
                continue
            figures = [number(row[index]) for row in body if index < len(row)]
            assert sum((f for f in figures if f is not None), Decimal(0)) == number(total[index]), (table.get("id"), heading)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("case", ["east-midlands", "npas", "markup"])
def test_the_appendix_gives_each_member_to_the_penny_as_the_csv(panel_reports, case):
    folder = panel_reports[case]
    cash: dict[str, Decimal] = {}
    for line in read_contributions(folder / "contributions.csv"):
        cash[line["member"]] = cash.get(line["member"], Decimal(0)) + Decimal(line["amount"])
    document = lxml.html.fromstring(page(folder))
    headings = [
        h.text_content() for h in document.xpath("//section[@id='workings']/h3") if ": net cash payable £" in h.text_content()
    ]
    found = {}
    for heading in headings:
        member, _, rest = heading.rpartition(": net cash payable £")
        found[member] = Decimal(rest.split(",  in kind")[0].split(", in kind")[0].replace(",", "").replace("\u2212", "-"))
    assert found == cash


def test_the_bridge_adds_up_from_last_year_to_this(panel_reports):
    (table,) = pd.read_html(io.StringIO(page(panel_reports["east-midlands"])), attrs={"id": "bridge-table"}, thousands=None)
    figures = [number(value) for value in table["£"]]
    start, *steps, end = figures
    # 2012/13's £20,512,673 (illustrative) to 2013/14's £20,931,299 (the source, para 5.2)
    assert (start, end) == (Decimal("20512673"), Decimal("20931299"))
    assert start + sum(steps) == end


def test_every_name_and_description_is_shown_as_text(panel_reports):
    text = page(panel_reports["markup"])
    document = lxml.html.fromstring(text)
    assert document.xpath("//script|//img|//iframe|//object|//*[@onerror]|//*[@onload]") == []
    assert text.count("</style") == 1 and text.count("<style") == 1  # the running head's name did not end the CSS
    shown = document.text_content()
    for name in NAMES:
        assert name in shown, name
    # each row of the members' table still has its six cells: no name opened or closed one
    rows = document.xpath("//table[@id='members-table']/tbody/tr")
    assert [len(row.xpath("th|td")) for row in rows] == [6, 6, 6]  # member, share, cash, in kind, total, per head
    chart_labels = [t.text for t in document.xpath("//*[local-name()='svg']//*[local-name()='text'][@class='label']")]
    assert {"Kent <b>&amp;</b>", "Sussex </td><td>", "Essex شرطة"} <= set(chart_labels)
    assert document.xpath("//title")[0].text == 'Report <script>alert(1)</script> & </td> דו"ח'


@pytest.mark.parametrize("case", ["east-midlands", "south-east", "npas", "markup"])
def test_nothing_is_fetched_or_run(panel_reports, case):
    text = page(panel_reports[case])
    document = lxml.html.fromstring(text)
    policy = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]
    assert document.xpath("//script|//link|//img|//iframe|//*[@src]") == []
    assert all(href.startswith("#") for href in document.xpath("//@href"))
    assert "url(" not in text and "@import" not in text


def test_the_glossary_defines_the_terms_the_report_uses_and_only_those(panel_reports):
    for case in ("east-midlands", "south-east", "npas"):
        document = lxml.html.fromstring(page(panel_reports[case]))
        terms = [dt.text_content() for dt in document.xpath("//section[@id='glossary']//dt")]
        body = " ".join(s.text_content() for s in document.xpath("//section[not(@id='glossary')]"))
        words = re.sub(r"[\s-]+", " ", body.casefold())
        for term in terms:
            assert re.sub(r"[\s-]+", " ", term.casefold()) in words, (case, term)
        for used, term in (
            ("levy", "Levy"),
            ("lead force", "Lead force"),
            ("forecast out turn", "Forecast out-turn"),
            ("reserves", "Reserves"),
            ("median", "Median"),
            ("£000", "£000"),
            ("per head", "Per head"),
        ):
            if used in re.sub(r"[\s-]+", " ", body.casefold()):
                assert term in terms, (case, term)  # fmt: skip


def test_the_same_inputs_give_the_same_bytes(panel_reports, tmp_path):
    from tests.outputs.report_cases import CASES

    again = tmp_path / "again"
    assert CliRunner().invoke(cli, [*CASES["south-east"], "--out", str(again)]).exit_code == 0
    assert (again / "report.html").read_bytes() == (panel_reports["south-east"] / "report.html").read_bytes()
