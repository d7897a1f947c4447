"""verify with the panel report: a folder with a report (run --report, or apportion report)
is reproduced byte for byte, last year's files among its inputs; an edited figure in the
report, or a change to last year's budget, is caught."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def copied(tmp_path):
    """The examples and configs copied, so that last year's budget can be changed."""
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(EXAMPLES.parent / "configs", tmp_path / "configs")
    return tmp_path / "examples"


@pytest.mark.parametrize("command", ["run", "report"])
def test_a_folder_with_a_report_is_reproduced_and_an_edited_figure_is_caught(copied, tmp_path, command):
    budget, last = copied / "east-midlands-2013-14.yaml", copied / "east-midlands-2012-13.yaml"
    out = tmp_path / "out"
    flags = ["--report"] if command == "run" else []
    made = run(command, budget, *flags, "--previous", last, "--out", out)
    assert made.exit_code == 0, made.output
    assert run("verify", budget, out).output == "reproduced\n"
    report = out / "report.html"
    text = report.read_text(encoding="utf-8")
    assert text.count(">5,714,245<") >= 1  # Nottinghamshire's net cash, to the pound
    report.write_text(text.replace(">5,714,245<", ">5,714,246<", 1), encoding="utf-8")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert "report.html: line " in result.output and "5,714,246" in result.output
    assert result.output.endswith("not reproduced: 1 file differs (report.html)\n")


def test_last_years_budget_changed_since_is_said_plainly(copied, tmp_path):
    budget, last = copied / "east-midlands-2013-14.yaml", copied / "east-midlands-2012-13.yaml"
    out = tmp_path / "out"
    assert run("run", budget, "--report", "--previous", last, "--out", out).exit_code == 0
    last.write_text(last.read_text().replace("£20,512,673", "£20,512,674"))
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert "note: east-midlands-2012-13.yaml differs from the input recorded" in result.output


def test_a_report_against_last_years_folder_is_reproduced(copied, tmp_path):
    last_out = tmp_path / "last"
    assert run("run", copied / "east-midlands-2012-13.yaml", "--out", last_out).exit_code == 0
    out = tmp_path / "out"
    made = run("report", copied / "east-midlands-2013-14.yaml", "--previous", last_out, "--out", out)
    assert made.exit_code == 0, made.output
    assert run("verify", copied / "east-midlands-2013-14.yaml", out).output == "reproduced\n"


def test_previous_is_for_the_report(tmp_path):
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--previous", EXAMPLES / "east-midlands-2012-13.yaml",
                 "--out", tmp_path / "out")  # fmt: skip
    assert result.exit_code == 2
    assert "--previous is for the panel report: give --report too" in result.output
    assert not (tmp_path / "out").exists()


def test_last_years_folder_is_never_written_over(tmp_path):
    last = tmp_path / "last"
    assert run("run", EXAMPLES / "east-midlands-2012-13.yaml", "--out", last).exit_code == 0
    before = {path.name: path.read_bytes() for path in last.iterdir()}
    for command in (["run", "--report"], ["report"]):
        result = run(
            command[0], EXAMPLES / "east-midlands-2013-14.yaml", *command[1:], "--previous", last, "--out", last, "--force"
        )
        assert result.exit_code == 1
        assert "holds contributions.csv, datapackage.json, an input of this run" in result.output
    assert {path.name: path.read_bytes() for path in last.iterdir()} == before
