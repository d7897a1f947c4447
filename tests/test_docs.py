"""The documentation stays true: the README's tour runs, every command is documented."""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import ROOT


def yaml_blocks(text):
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_tour_is_a_valid_budget(tmp_path):
    tour = yaml_blocks((ROOT / "README.md").read_text())[0]
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "tour.yaml").write_text(tour)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "examples" / "tour.yaml")])
    assert result.exit_code == 0, result.output


def test_config_reference_complete_files_are_valid(tmp_path):
    complete = [
        b
        for b in yaml_blocks((ROOT / "docs" / "config.md").read_text())
        if b.startswith("collaboration:") and "units: []" not in b
    ]
    assert complete, "docs/config.md should end with a complete small file"
    for index, block in enumerate(complete):
        path = tmp_path / f"block{index}.yaml"
        path.write_text(block)
        result = CliRunner().invoke(cli, ["validate", str(path)])
        assert result.exit_code == 0, f"docs/config.md complete file {index}: {result.output}"


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"`apportion {name}" in readme, f"apportion {name} is not in the README"


def test_readme_first_screen_holds_the_two_commands():
    first_screen = (ROOT / "README.md").read_text().splitlines()[:20]
    assert any("apportion run examples/east-midlands-2013-14.yaml" in line for line in first_screen)
    assert any("python -m pytest" in line for line in first_screen)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci
