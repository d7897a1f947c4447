"""Every output folder can be verified: a comparison's and a sweep's record what they were
made from (both sides; the ranges, draws and seed), and verify makes them again."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import CONFIGS, EXAMPLES

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"
UNITS = EXAMPLES / "east-midlands-2013-14-units.yaml"
SOUTH_EAST = EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    "asked",
    [
        ["--without", "Lincolnshire"],  # the reproduction: an untouched compare --out could not be verified at all
        ["--from-scenario", "lincolnshire-leaves", "--without", "Derbyshire"],
        [str(UNITS), "--from-scenario", "lincolnshire-leaves"],  # another budget after
    ],
)
def test_an_untouched_comparison_is_reproduced(tmp_path, asked):
    out = tmp_path / "out"
    assert run("compare", SMALL, *asked, "--out", out).exit_code == 0
    result = run("verify", SMALL, out)
    assert (result.exit_code, result.output) == (0, "reproduced\n")


def test_a_comparison_records_both_sides(tmp_path):
    out = tmp_path / "out"
    assert run("compare", SMALL, UNITS, "--from-scenario", "lincolnshire-leaves", "--out", out).exit_code == 0
    record = json.loads((out / "datapackage.json").read_text())["apportion"]
    assert record["asked"]["compared"] == {"from_scenario": "lincolnshire-leaves", "other": UNITS.name}
    assert [entry["path"] for entry in record["inputs"]] == [
        SMALL.name, "../configs/east-midlands/shares-2013-14.yaml", UNITS.name,
    ]  # fmt: skip


def test_a_figure_changed_in_a_comparison_is_named(tmp_path):
    out = tmp_path / "out"
    assert run("compare", SMALL, "--without", "Lincolnshire", "--out", out).exit_code == 0
    path = out / "comparison.csv"
    lines = path.read_bytes().decode().split("\r\n")
    edited = lines[1].replace(",", ",9", 1)
    path.write_bytes("\r\n".join([lines[0], edited, *lines[2:]]).encode())
    result = run("verify", SMALL, out)
    assert result.output.splitlines() == [
        f"comparison.csv: line 2: expected {lines[1]!r}, found {edited!r}",
        "not reproduced: 1 file differs (comparison.csv)",
    ]


def test_the_other_budget_changed_since_is_said(tmp_path):
    shutil.copytree(CONFIGS, tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    first, other = (shutil.copy(path, tmp_path / "examples" / path.name) for path in (SMALL, UNITS))
    out = tmp_path / "out"
    assert run("compare", first, other, "--out", out).exit_code == 0
    with open(other, "a", encoding="utf-8") as stream:
        stream.write("# revised\n")
    lines = run("verify", first, out).output.splitlines()
    assert lines[0].startswith(f"note: {UNITS.name} differs from the input recorded: recorded sha256 ")
    # the workbook's Provenance sheet records the other budget's SHA-256 too
    assert (
        lines[-1] == "not reproduced: 2 files differ (comparison.xlsx, datapackage.json); the inputs differ from those recorded"
    )


@pytest.mark.parametrize(
    "asked",
    [
        ["--grant", "all=-30%:10%:5%"],  # the reproduction: an untouched sweep --out could not be verified
        ["--levy-rate", "all=1%:3%:0.1%", "--share", "Kent=-10%:10%:5%", "--draws", "20", "--seed", "7"],
        ["--pay-inflation", "0%:5%:2.5%"],
    ],
)
def test_an_untouched_sweep_is_reproduced(tmp_path, asked):
    out = tmp_path / "out"
    assert run("sweep", SOUTH_EAST, *asked, "--out", out).exit_code == 0
    result = run("verify", SOUTH_EAST, out)
    assert (result.exit_code, result.output) == (0, "reproduced\n")


def test_a_sweep_records_its_ranges_as_typed_with_its_draws_and_seed(tmp_path):
    out = tmp_path / "out"
    assert run("sweep", SOUTH_EAST, "--levy-rate", "all=1%:3%:0.1%", "--draws", "20", "--seed", "7", "--out", out).exit_code == 0
    assert json.loads((out / "datapackage.json").read_text())["apportion"]["asked"]["sweep"] == {
        "ranges": [{"input": "levy rate", "range": "all=1%:3%:0.1%"}], "draws": 20, "seed": 7,
    }  # fmt: skip


def test_a_sweep_whose_record_was_edited_is_not_reproduced(tmp_path):
    out = tmp_path / "out"
    assert run("sweep", SOUTH_EAST, "--grant", "all=-30%:10%:5%", "--out", out).exit_code == 0
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    package["apportion"]["asked"]["sweep"]["ranges"][0]["range"] = "all=-30%:10%:10%"  # fewer outcomes
    manifest.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    result = run("verify", SOUTH_EAST, out)
    assert result.exit_code == 1
    # each member's lowest, median and highest may well be the same; the outcomes sheet is not
    assert result.output.splitlines()[-1] == "not reproduced: 2 files differ (sweep.xlsx, datapackage.json)"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"input": "grant", "range": "all=10%:-30%"}, "'10%:-30%' should be FROM:TO or FROM:TO:STEP in percent, FROM <= TO, "
                                                      "such as -30%:10%:5% (the sweep needs FROM <= TO and a positive STEP)"),
        ({"input": "gravity", "range": "all=1%:2%"}, "'gravity' is not a valid Input"),
        ({"input": "grant"}, "not an input and a range"),
        ("grant", "not an input and a range"),
    ],
)  # fmt: skip
def test_a_forged_sweep_record_is_refused_naming_its_place(tmp_path, entry, said):
    out = tmp_path / "out"
    assert run("sweep", SOUTH_EAST, "--grant", "all=-30%:10%:5%", "--out", out).exit_code == 0
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    package["apportion"]["asked"]["sweep"]["ranges"][0] = entry
    manifest.write_text(json.dumps(package))
    result = run("verify", SOUTH_EAST, out)
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            f"{manifest}: apportion.asked.sweep.ranges[0]: {said}; it is not what apportion records",
            "1 problem found; nothing was written.",
        ],
    )


def test_a_comparison_is_checked_as_recorded_not_with_what_ifs_given(tmp_path):
    out = tmp_path / "out"
    assert run("compare", SMALL, "--without", "Lincolnshire", "--out", out).exit_code == 0
    result = run("verify", SMALL, out, "--without", "Derbyshire")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: {out} holds a comparison, which verify makes again as recorded: give no scenario or what-if\n"
    )
