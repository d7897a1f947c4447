"""The panel report opened in headless Chromium and printed to PDF, as a panel member's
browser prints it: no console error, no network request, nothing wider than the A4 print
area; each section starts a page, every page numbered, no text under 9 pt, no page that
holds only a heading, and the 43 forces of a national collaboration on at most two pages."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import chromium
from tests.outputs.test_printed_pages import pages_of

CASES = ["east-midlands", "south-east", "npas", "markup"]
HEIGHT_PER_PT = 1.117  # a word's box in Liberation Sans is its ascent and descent, 0.905 + 0.212 of its size
MARGIN = 16 * 72 / 25.4  # the page's left and right margins, 16 mm, in points
TOP, BOTTOM = 20 * 72 / 25.4, 18 * 72 / 25.4
AREA_PX = 178 * 96 / 25.4  # the print area's width, 178 mm, in CSS pixels
MEASURE = """<script>
(function () {
  var main = document.querySelector('main'), box = main.getBoundingClientRect();
  var left = box.left + parseFloat(getComputedStyle(main).paddingLeft), right = left + AREA_PX, wide = [];
  document.querySelectorAll('main *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > right + 0.5 || r.left < left - 0.5)) {
      wide.push(e.tagName + '#' + (e.id || e.getAttribute('class') || '') + ' ' + r.left.toFixed(1) + '..' + r.right.toFixed(1));
    }
  });
  document.body.setAttribute('data-too-wide', JSON.stringify(wide));
})();
</script>""".replace("AREA_PX", str(AREA_PX))


@pytest.fixture(scope="module")
def printed(panel_reports, tmp_path_factory):
    """Each case's report printed to PDF by Chromium: the pages, each with its words."""
    folder = tmp_path_factory.mktemp("printed")
    pdfs = {}
    for case in CASES:
        pdf = folder / f"{case}.pdf"
        chromium(panel_reports[case] / "report.html", folder, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        pdfs[case] = pdf
    return pdfs


def body_of(words, height):
    """The words between the running head and the page number, in reading order."""
    inside = [w for w in words if TOP - 4 < w[1] and w[3] < height - BOTTOM + 4]
    return sorted(inside, key=lambda w: (round(w[1]), w[0]))


def first_line(words) -> str:
    top = words[0][1] if words else 0
    return html.unescape(" ".join(w[4] for w in words if abs(w[1] - top) < 2))


@pytest.mark.parametrize("case", CASES)
def test_opened_in_a_browser_it_logs_no_error_and_fetches_nothing(panel_reports, case, tmp_path):
    log = tmp_path / "net.json"
    opened = chromium(
        panel_reports[case] / "report.html", tmp_path, "--enable-logging=stderr", "--v=0", f"--log-net-log={log}", "--dump-dom"
    )
    assert "Appendix C" in opened.stdout  # the page was read to its end
    assert [line for line in opened.stderr.splitlines() if "CONSOLE" in line] == []
    events = json.loads(log.read_text())
    types = {number: name for name, number in events["constants"]["logEventTypes"].items()}
    fetched = [
        e["params"]["url"]
        for e in events["events"]
        if types[e["type"]] == "URL_REQUEST_START_JOB" and "file://" in e.get("params", {}).get("network_isolation_key", "")
    ]
    assert fetched == []  # the browser's own update checks are not the page's


@pytest.mark.parametrize("case", CASES)
def test_no_element_is_wider_than_the_print_area(panel_reports, case, tmp_path):
    text = (panel_reports[case] / "report.html").read_text(encoding="utf-8")
    measured = tmp_path / "measured.html"  # a copy that may run the measuring script: no policy, the script at the end
    measured.write_text(
        re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", text).replace("</body>", MEASURE + "</body>")
    )
    dom = chromium(measured, tmp_path, "--window-size=1200,900", "--dump-dom").stdout
    found = re.search(r'data-too-wide="([^"]*)"', dom)
    assert found is not None, "the measuring script did not run"
    assert json.loads(found.group(1).replace("&quot;", '"')) == []


@pytest.mark.parametrize("case", CASES)
def test_printed_each_section_starts_a_page_and_every_page_is_numbered(printed, panel_reports, case):
    import lxml.html

    pages = pages_of(printed[case])
    count = len(pages)
    document = lxml.html.fromstring((panel_reports[case] / "report.html").read_text(encoding="utf-8"))
    headings = [" ".join(h.text_content().split()) for h in document.xpath("//section[contains(@class,'part')]/h2")]
    starts = {}
    for number, (width, height, words) in enumerate(pages, start=1):
        assert (round(width), round(height)) == (595, 842), f"page {number} is not A4 portrait"
        footer = " ".join(w[4] for w in words if w[1] > height - BOTTOM)
        assert footer.endswith(f"Page {number} of {count}"), f"page {number}: {footer!r}"
        starts.setdefault(first_line(body_of(words, height)), number)
    for heading in headings:
        assert heading in starts, f"{heading!r} does not start a page"
    ordered = sorted(starts[h] for h in headings)
    assert ordered == [starts[h] for h in headings]  # in order
    members = headings.index(next(h for h in headings if h.endswith("What each member pays")))
    assert starts[headings[members + 1]] - starts[headings[members]] <= 2, "the members take more than two pages"


@pytest.mark.parametrize("case", ["east-midlands", "south-east", "npas"])
def test_printed_no_text_is_under_9_points_or_outside_the_print_area(printed, case):
    fonts = subprocess.run(["pdffonts", str(printed[case])], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all("Liberation" in line for line in fonts), fonts  # the font whose metrics the sizes assume
    checked = 0
    for number, (width, _height, words) in enumerate(pages_of(printed[case]), start=1):
        for x_min, y_min, x_max, y_max, word in words:
            size = (y_max - y_min) / HEIGHT_PER_PT
            assert size >= 9 - 0.05, f"page {number}: {word!r} is {size:.2f} pt"
            assert MARGIN - 1 < x_min and x_max < width - MARGIN + 1, f"page {number}: {word!r} is outside the print area"
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("case", CASES)
def test_printed_no_page_holds_only_a_heading(printed, case):
    for number, (_width, height, words) in enumerate(pages_of(printed[case]), start=1):
        body = body_of(words, height)
        text_sized = [w for w in body if (w[3] - w[1]) / HEIGHT_PER_PT < 11.5]  # under the headings' 12 pt and more
        assert len(text_sized) >= 5, f"page {number} holds only {first_line(body)!r}"


def test_pdffonts_is_there():
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler's pdffonts is not installed (apt-get install poppler-utils)")
    assert Path(shutil.which("pdffonts") or "").exists()
