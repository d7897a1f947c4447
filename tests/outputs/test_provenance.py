"""Every output says what made it and from what: version, inputs' SHA-256, sources."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from openpyxl import load_workbook

from apportion import __version__
from apportion.input.budget_file import load_budget
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import CONFIGS, EXAMPLES

BUDGET = EXAMPLES / "east-midlands-2013-14.yaml"
SHARES = CONFIGS / "east-midlands" / "shares-2013-14.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prov") / "out"
    write_outputs(apportion(load_budget(BUDGET)), folder)
    return folder


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_datapackage_records_the_run_and_every_file(out):
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    record = package["apportion"]
    assert (record["version"], record["collaboration"], record["year"]) == (
        __version__, "East Midlands regional police collaboration", "2013/14",
    )  # fmt: skip
    assert record["scenario"] == "base (the budget as written)"
    assert record["asked"] == {"scenario": None, "what_ifs": [], "shares": None, "journal": False}
    # inputs by their path from the budget file, so the record is the same wherever it is run
    assert record["inputs"] == [
        {"path": "east-midlands-2013-14.yaml", "hash": f"sha256:{sha(BUDGET)}"},
        {"path": "../configs/east-midlands/shares-2013-14.yaml", "hash": f"sha256:{sha(SHARES)}"},
    ]
    assert record["sources"] == [{
        "basis": "funding_formula",
        "source": "Nottinghamshire OPCC, Regional Collaboration - Further Update (2013), para 5.5; data year 2013/14",
    }]  # fmt: skip
    files = sorted(p.name for p in out.iterdir() if p.name != "datapackage.json")
    assert sorted(r["path"] for r in package["resources"]) == files
    for resource in package["resources"]:
        path = out / resource["path"]
        assert resource["bytes"] == path.stat().st_size
        assert resource["hash"] == f"sha256:{sha(path)}"


def test_the_csv_is_plain_with_one_header_row(out):
    text = (out / "contributions.csv").read_bytes().decode("utf-8")
    assert text.startswith(
        '"year","unit","unit_name","member","member_kind","item","basis","share","amount","in_kind_amount"\r\n'
    )
    assert "#" not in text and "E-" not in text


@pytest.mark.parametrize("name", ["summary.xlsx", "lincolnshire.xlsx"])
def test_workbooks_have_a_provenance_sheet_and_properties(out, name):
    book = load_workbook(out / name)
    rows = {(row[0], row[1]) for row in book["Provenance"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert ("apportion_version", __version__) in rows
    assert ("input", f"east-midlands-2013-14.yaml sha256:{sha(BUDGET)}") in rows
    props = {prop.name: prop.value for prop in book.custom_doc_props}
    assert props["01 apportion_version"] == __version__
    assert f"sha256:{sha(SHARES)}" in props["06 input"]
    assert book.properties.creator == f"apportion {__version__}"
    assert book.properties.created.year == 2000  # a fixed time, so reruns are byte-identical


def test_member_workbook_shows_how_it_was_calculated(out):
    sheet = load_workbook(out / "lincolnshire.xlsx")["How this was calculated"]
    steps = {row[1]: (row[2], row[3]) for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    # docs/domain.md: 12.8% of £20,931,299 = £2,679,206.272; rounded down, 4th in the queue for 2p.
    assert steps["Exact share of cost"][0] == "£20,931,299.00 x 12.8 / 100 = £2,679,206.272"
    assert "Lincolnshire is 4th in that queue, so it does not receive one" in steps["Share of cost (rounded)"][0]
    assert steps["Net cash payable"][1] == pytest.approx(2679206.27)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_examples_datapackage_validates_against_the_open_standard(name, tmp_path):
    from frictionless import validate

    write_outputs(apportion(load_budget(EXAMPLES / name)), tmp_path / "out", journal=True)
    report = validate(tmp_path / "out" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_workbook_written_has_a_provenance_sheet_with_its_inputs_hashes(every_workbook):
    # members', summaries, comparison.xlsx (both sides) and sweep.xlsx alike
    for book in every_workbook:
        values = [cell for row in load_workbook(book)["Provenance"].iter_rows(values_only=True) for cell in row]
        assert "apportion_version" in values, book.name
        assert any(isinstance(v, str) and re.search(r"sha256:[0-9a-f]{64}$", v) for v in values), book.name
