"""Inputs are recorded by content: a budget's file name is informational. A byte-identical
budget under another name reproduces, and verify says only the name differs."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from click.testing import CliRunner

from apportion.audit.inputs import matched
from apportion.cli import cli
from tests.conftest import CONFIGS, EXAMPLES

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def copied(tmp_path):
    """The example and its shares file copied, as they sit in the repository, and its outputs."""
    shutil.copytree(CONFIGS, tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    budget = tmp_path / "examples" / SMALL.name
    shutil.copy(SMALL, budget)
    assert run("run", budget, "--out", tmp_path / "out", "--journal").exit_code == 0
    return budget, tmp_path / "out"


def test_a_byte_identical_budget_under_another_name_reproduces_and_the_name_is_said(copied):
    # the reproduction: a byte-identical budget under another file name was "not reproduced"
    budget, out = copied
    renamed = budget.with_name("budget-as-approved.yaml")
    shutil.copy(budget, renamed)
    digest = hashlib.sha256(budget.read_bytes()).hexdigest()
    result = run("verify", renamed, out)
    assert (result.exit_code, result.output) == (
        0,
        f"note: budget-as-approved.yaml has the content of the input the outputs record as {budget.name} "
        f"(sha256 {digest}); only the name differs\nreproduced\n",
    )


def test_a_renamed_budget_with_other_content_is_not_reproduced(copied):
    budget, out = copied
    renamed = budget.with_name("budget-as-approved.yaml")
    renamed.write_bytes(budget.read_bytes() + b"# approved\n")
    result = run("verify", renamed, out)
    lines = result.output.splitlines()
    before = hashlib.sha256(budget.read_bytes()).hexdigest()
    assert lines[:2] == [
        "note: budget-as-approved.yaml is an input now, but the outputs record no such input",
        f"note: the outputs record the input '{budget.name}' (sha256 {before}), which this run does not read",
    ]
    assert lines[-1].startswith("not reproduced: ") and lines[-1].endswith("; the inputs differ from those recorded")


def test_inputs_are_matched_by_name_and_content_first_then_by_content():
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    recorded = [("budget.yaml", a), ("../configs/shares.yaml", b), ("old.csv", c)]
    now = [("copy.yaml", a), ("../configs/shares.yaml", b), ("new.csv", "d" * 64)]
    matching = matched(now, recorded)
    assert matching.renames == {"copy.yaml": "budget.yaml"}
    assert matching.notes == [
        f"copy.yaml has the content of the input the outputs record as budget.yaml (sha256 {a}); only the name differs",
        "new.csv is an input now, but the outputs record no such input",
        f"the outputs record the input 'old.csv' (sha256 {c}), which this run does not read",
    ]
    assert matching.changed
    # two inputs with the same content keep their own names
    assert matched([("x.yaml", a), ("y.yaml", a)], [("x.yaml", a), ("y.yaml", a)]) == ({}, [], False)


def test_a_recorded_input_the_run_no_longer_reads_is_said(copied):
    budget, out = copied
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    package["apportion"]["inputs"].append({"path": "../configs/dropped.yaml", "hash": "sha256:" + "e" * 64})
    manifest.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    lines = run("verify", budget, out).output.splitlines()
    assert (
        lines[0]
        == f"note: the outputs record the input '../configs/dropped.yaml' (sha256 {'e' * 64}), which this run does not read"
    )
    assert lines[-1] == "not reproduced: 1 file differs (datapackage.json); the inputs differ from those recorded"
