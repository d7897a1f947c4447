"""The library under the command line, as a finance analyst uses it in a notebook."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

import apportion
from tests.conftest import EXAMPLES, ROOT


def test_the_readme_example_runs_and_gives_the_figures_it_says(tmp_path, monkeypatch):
    block = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert block, "the README shows the library in a python block"
    monkeypatch.chdir(ROOT)
    code = block.group(1).replace("out/without-lincolnshire", str(tmp_path / "out"))
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    assert (tmp_path / "out" / "summary.xlsx").exists()


def test_load_prepare_apportion_and_read_the_figures_as_frames():
    budget = apportion.load(EXAMPLES / "east-midlands-2013-14.yaml")
    result = apportion.apportion(apportion.prepare(budget, what_ifs=apportion.what_ifs(without=["Lincolnshire"])))
    totals = apportion.totals(result).set_index("member")
    assert totals.loc["Lincolnshire", "net_cash_payable"] == Decimal("0.00")
    assert sum(totals["net_cash_payable"]) == Decimal("20931299.00")
    lines = apportion.lines(result)
    assert list(lines.columns) == [
        "year", "unit", "unit_name", "member", "member_kind", "item", "basis", "share", "amount", "in_kind_amount",
    ]  # fmt: skip
    assert sum(lines["amount"]) == Decimal("20931299.00")  # amounts stay Decimal: no float in the sum


def test_errors_are_the_library_s_named_exceptions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("collaboration: C\n", encoding="utf-8")
    with pytest.raises(apportion.InputError) as caught:
        apportion.load(bad)
    assert f"{bad}:1: missing year: see docs/config.md for the layout of a budget file" in map(str, caught.value.problems)
    assert issubclass(apportion.InputError, apportion.ApportionError)


def test_importing_the_library_loads_no_heavy_module():
    import subprocess
    import sys

    code = "import sys, apportion; print(sorted(m for m in ('pandas', 'numpy', 'openpyxl', 'yaml', 'click') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


EAST_MIDLANDS = EXAMPLES / "east-midlands-2013-14.yaml"


def test_every_command_is_offered_by_the_library():
    assert {"run", "monitor", "compare", "explain", "sweep", "verify"} <= set(apportion.__all__)
    assert sorted(apportion.__all__) == sorted(apportion.API | apportion.RECORDS | {"__version__"})


def test_run_and_prepare_take_every_what_if_the_command_line_takes():
    # revised from 1 October 2013 as Lincolnshire leaves: its budget-year cash was 12.8% of
    # £20,931,299 = £2,679,206.272, to the penny £2,679,206.27 (the README's rounding), invoiced
    # quarterly: £669,801.5675 a quarter, floors £669,801.56 leave 3p, one each to the first
    # three. The April and July instalments stand (£669,801.57 each); it now pays for the 183
    # days to 30 September only, 12.8% of £10,494,322.51 = £1,343,273.28
    # (tests/rules/test_instalments.py), so October and January share the £3,670.14 left.
    result = apportion.run(EAST_MIDLANDS, scenario="LINCOLNSHIRE-LEAVES", revised_from=date(2013, 10, 1))
    lincolnshire = [i.amount for i in result.instalments if i.member == "Lincolnshire"]
    assert lincolnshire == [Decimal("669801.57"), Decimal("669801.57"), Decimal("1835.07"), Decimal("1835.07")]
    # a what-if from a later year of the plan leaves the budget year as it is
    plan = apportion.load(EXAMPLES / "east-midlands-mtfp-2013-17.yaml")
    later = apportion.apportion(
        apportion.prepare(plan, what_ifs=apportion.what_ifs(without=["lincolnshire"]), from_year="2015/16")
    )
    assert later.member_total("Lincolnshire").cash_amount == apportion.apportion(plan).member_total("Lincolnshire").cash_amount
    assert {year.budget.year: year.member_total("Lincolnshire").cash_amount for year in later.plan_years}["2015/16"] == 0


def test_monitor_compare_and_explain_return_records_and_frames():
    result = apportion.run(EAST_MIDLANDS)
    # the source's £231,483 under-spend, in the funding-formula shares: Nottinghamshire
    # 27.3% = £63,194.859 (to the penny £63,194.86), Lincolnshire 12.8% = £29,629.824
    report = apportion.monitor(result, "q2")
    members = apportion.variance_shares(report, result).set_index(["member", "unit"])
    assert members.loc[("Nottinghamshire", "all units"), "variance_share"] == Decimal("63194.86")
    assert members.loc[("Lincolnshire", "all units"), "variance_share"] == Decimal("29629.82")
    assert apportion.positions(report, result).loc[0, "variance"] == Decimal("231483.00")
    # without Lincolnshire, its £2,679,206.27 falls to the others
    comparison = apportion.compare(result, apportion.run(EAST_MIDLANDS, what_ifs=apportion.what_ifs(without=["Lincolnshire"])))
    changes = apportion.differences(comparison).set_index(["member", "unit"])["change"]
    assert changes[("Lincolnshire", "all units")] == Decimal("-2679206.27")
    # docs/domain.md: Derbyshire's 22.2% is £4,646,748.378, rounded up by the largest remainder
    steps = apportion.explain(result, "derbyshire")
    assert steps.set_index("step").loc["Share of cost (rounded)", "amount"] == Decimal("4646748.38")


def test_sweep_and_verify_return_records_and_frames(tmp_path):
    # SE ROCU's grants of £3.3m from -30% to +10%: Kent pays 22% of the change in its net
    # budget: at -30%, £1,809,368 + 22% x £990,000 = £2,027,168; at +10%, £1,736,768
    budget = apportion.load(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    kent = apportion.exposures(apportion.sweep(budget, grant="all=-30%:10%:5%")).set_index("member").loc["Kent"]
    assert (kent["minimum"], kent["maximum"]) == (Decimal("1736768.00"), Decimal("2027168.00"))
    with pytest.raises(apportion.ApportionError, match="'Essex' is not a member"):
        apportion.sweep(budget, share="Essex=-10%:10%")
    result = apportion.apportion(budget)
    apportion.write_outputs(result, tmp_path / "out")
    assert apportion.verify(result, tmp_path / "out").reproduced
    (tmp_path / "out" / "contributions.csv").write_text("changed\n", encoding="utf-8")
    assert apportion.verify(result, tmp_path / "out").files == ["contributions.csv"]
