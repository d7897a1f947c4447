"""The panel report from the library, as the command line makes it."""

from __future__ import annotations

import apportion
from apportion.model.money import D
from tests.conftest import EXAMPLES

EAST_MIDLANDS, LAST = EXAMPLES / "east-midlands-2013-14.yaml", EXAMPLES / "east-midlands-2012-13.yaml"


def test_the_report_from_the_library_is_the_command_lines(tmp_path):
    from click.testing import CliRunner

    from apportion.cli import cli

    budget = apportion.load(EAST_MIDLANDS)
    result = apportion.apportion(apportion.prepare(budget))
    panel = apportion.report(result, budget, previous=LAST)
    # 2012/13 (illustrative) £20,512,673 to 2013/14's £20,931,299 (the source, para 5.2)
    assert (panel.bridge.start.exact, panel.bridge.end.exact) == (D("20512673.00"), D("20931299.00"))
    apportion.write_report(panel, result, tmp_path / "library")
    made = CliRunner().invoke(cli, ["report", str(EAST_MIDLANDS), "--previous", str(LAST), "--out", str(tmp_path / "cli")])
    assert made.exit_code == 0, made.output
    for name in ("report.html", "datapackage.json"):
        assert (tmp_path / "library" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def test_last_year_reads_a_folder_as_its_budget(tmp_path):
    result = apportion.apportion(apportion.prepare(apportion.load(LAST)))
    apportion.write_outputs(result, tmp_path / "out")

    def figures(year):
        return {key: (share.cash_amount, share.total_amount) for key, share in year.shares.items()}

    assert figures(apportion.last_year(tmp_path / "out")) == figures(apportion.last_year(LAST))
