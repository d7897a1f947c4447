"""apportion monitor and compare --period, as a finance officer runs them each quarter: the
files written, the exact refusals, and the workbook recalculated in LibreOffice."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from click.testing import CliRunner
from openpyxl import load_workbook

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.model.invoicing import year_start
from apportion.model.monitoring import parse_period
from apportion.outputs.monitoring_workbook import monitoring_workbook
from apportion.outputs.provenance import provenance_of
from apportion.outputs.sheets import MONEY
from apportion.rules.calculate import apportion
from apportion.rules.monitoring import monitor
from tests.conftest import EXAMPLES, recalculate

EM = str(EXAMPLES / "east-midlands-2013-14.yaml")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_monitor_prints_the_position_and_writes_the_report(tmp_path):
    result = invoke("monitor", EM, "--period", "Q2", "--out", str(tmp_path / "q2"))
    assert result.exit_code == 0, result.output
    assert "position at the end of Q2 (July to September 2013)" in result.output
    assert "+231,483.00" in result.output and "+63,194.86" in result.output
    assert sorted(p.name for p in (tmp_path / "q2").iterdir()) == [
        "datapackage.json",
        "monitoring-members.csv",
        "monitoring.csv",
        "monitoring.xlsx",
    ]
    with open(tmp_path / "q2" / "monitoring-members.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    by_unit = [Decimal(r["variance_share"]) for r in rows if r["unit"] == "EM-REGIONAL"]
    assert sum(by_unit) == Decimal("231483.00")  # the source's under-spend, shared out exactly
    package = json.loads((tmp_path / "q2" / "datapackage.json").read_text())
    assert package["apportion"]["kind"] == "monitor" and package["apportion"]["asked"]["period"] == "Q2"
    # the actuals' own CSV is an input of the report, with its hash
    assert any(i["path"].endswith("actuals-2013-14.csv") for i in package["apportion"]["inputs"])


def test_the_budget_run_does_not_depend_on_the_actuals(tmp_path):
    # adding a quarter's actuals must not make last month's run fail verify
    result = invoke("run", EM, "--out", str(tmp_path / "run"))
    assert result.exit_code == 0, result.output
    package = json.loads((tmp_path / "run" / "datapackage.json").read_text())
    assert not any("actuals" in i["path"] for i in package["apportion"]["inputs"])


def test_compare_period_shows_what_moved_since_the_quarter_before(tmp_path):
    result = invoke("compare", EM, "--period", "Q2", "--out", str(tmp_path / "moved"))
    assert result.exit_code == 0, result.output
    assert "From the end of Q1 (April to June 2013) to the end of Q2 (July to September 2013)" in result.output
    with open(tmp_path / "moved" / "monitoring-comparison.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    unit = next(r for r in rows if r["member"] == "")
    # Q1's forecast was on budget (variance 0); Q2's is the source's £231,483 under-spend
    assert (unit["variance_from"], unit["variance_to"], unit["variance_moved"]) == ("0.00", "231483.00", "231483.00")
    assert (unit["actual_to_date_from"], unit["actual_to_date_to"]) == ("5102477.31", "10229480.49")


def test_the_refusals_say_what_to_do():
    assert invoke("monitor", EM, "--period", "Q7").output.endswith(
        "Error: Invalid value for '--period': Q7 is after the year, which has 4 quarters, "
        "Q1 (April to June 2013) to Q4 (January to March 2014)\n"
    )
    gap = invoke("monitor", EM, "--period", "Q3")
    assert gap.exit_code == 1
    assert gap.output == (
        "Error: no actual for EM-REGIONAL (Q3): give each unit's net spending for every quarter to Q3 "
        "(0 where nothing was spent)\n"
    )
    none = invoke("monitor", str(EXAMPLES / "west-midlands-2013-14.yaml"), "--period", "Q1")
    assert none.exit_code == 1 and "has no monitoring: section" in none.output
    first = invoke("compare", EM, "--period", "Q1")
    assert first.exit_code == 2 and "the first period has none before it to compare with" in first.output
    mixed = invoke("compare", EM, "--period", "Q2", "--without", "Lincolnshire")
    assert mixed.exit_code == 2 and "--period compares one budget's monitoring reports" in mixed.output


def test_the_monitoring_workbook_recalculates_to_apportions_figures(tmp_path):
    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    result = apportion(budget)
    report = monitor(result, budget.monitoring, parse_period("Q2", budget.monitoring.periods, year_start(budget.year)))
    book = monitoring_workbook(report, result, provenance_of(result))
    path = tmp_path / "monitoring.xlsx"
    path.write_bytes(book.to_bytes())
    recalculated = load_workbook(recalculate([path], tmp_path / "lo")["monitoring.xlsx"], data_only=True)
    as_written = load_workbook(path)
    for (sheet, cell), expected in book.expected.items():
        found = recalculated[sheet][cell].value
        assert isinstance(found, int | float), f"{sheet}!{cell} gave {found!r}"
        if as_written[sheet][cell].number_format == MONEY:
            assert Decimal(str(round(found, 2))) == expected, f"{sheet}!{cell}: {found} is not {expected}"
        else:
            assert abs(Decimal(str(found)) - expected) < Decimal("1e-9") * max(1, abs(expected)), f"{sheet}!{cell}"
    assert len(book.expected) > 20
    # the check of each unit's shares comes to nil in the engine too
    members = recalculated["Members"]
    differences = [row[3].value for row in members.iter_rows() if row[0].value == "EM-REGIONAL" and row[3].value == 0]
    assert differences == [0]


def test_verify_reproduces_a_monitoring_report_and_finds_a_figure_changed(tmp_path):
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(EXAMPLES.parent / "configs", tmp_path / "configs")
    budget = str(tmp_path / "examples" / "east-midlands-2013-14.yaml")
    for args in (["monitor", budget, "--period", "Q2"], ["compare", budget, "--period", "Q2"]):
        folder = tmp_path / args[0]
        assert invoke(*args, "--out", str(folder)).exit_code == 0
        assert invoke("verify", budget, str(folder)).output == "reproduced\n"
    # a forged share of the under-spend is found, and named
    shares = tmp_path / "monitor" / "monitoring-members.csv"
    shares.write_text(shares.read_text().replace("63194.86", "63194.96"))
    forged = invoke("verify", budget, str(tmp_path / "monitor"))
    assert forged.exit_code == 1
    assert "monitoring-members.csv" in forged.output and "63194.86" in forged.output
    # a quarter's actual corrected after the report: the input is said to differ
    actuals = tmp_path / "configs" / "east-midlands" / "actuals-2013-14.csv"
    actuals.write_text(actuals.read_text().replace("5,127,003.18", "5,127,003.19"))
    changed = invoke("verify", budget, str(tmp_path / "compare"))
    assert changed.exit_code == 1
    assert "actuals-2013-14.csv differs from the input recorded" in changed.output
