"""The library under the command line, as a finance analyst uses it in a notebook."""

from __future__ import annotations

import re
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
