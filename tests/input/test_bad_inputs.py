"""The catalogue of malformed inputs in tests/bad_inputs/: each NAME.yaml (with the CSV or
xlsx it names) gives exactly the message in NAME.expected, exit code 1, and writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.cli import cli

CATALOGUE = Path(__file__).parent / "bad_inputs"
CASES = sorted(CATALOGUE.glob("*.yaml"))


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 68
    assert any(p.suffix == ".csv" for p in CATALOGUE.iterdir())
    assert any(p.suffix == ".xlsx" for p in CATALOGUE.iterdir())
    for case in CASES:
        assert case.with_suffix(".expected").exists(), f"{case.name} has no .expected message"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_input_gives_its_message_and_writes_nothing(case, command, tmp_path, monkeypatch):
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    monkeypatch.chdir(tmp_path / "catalogue")
    before = sorted(p.name for p in (tmp_path / "catalogue").iterdir())
    args = [command, case.name] + (["--out", "out"] if command == "run" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == case.with_suffix(".expected").read_text(encoding="utf-8")
    assert result.stdout == ""
    assert sorted(p.name for p in (tmp_path / "catalogue").iterdir()) == before  # nothing written, nothing left
