"""Every example in every --help copies and pastes as it is printed, and runs."""

from __future__ import annotations

import re
import shlex
import shutil

import click
import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import CONFIGS, EXAMPLES

# verify checks the folder the group's own example writes, so it comes last
ORDER = ["run", "validate", "explain", "compare", "sweep", "monitor", "report", "schema", "verify"]


def help_of(*names: str) -> str:
    result = CliRunner().invoke(cli, [*names, "--help"], terminal_width=60)
    assert result.exit_code == 0, result.output
    return result.output


def examples(text: str) -> list[str]:
    """The lines under 'Examples:' that are apportion commands, as printed."""
    if "Examples:" not in text:
        return []
    block = text.split("Examples:", 1)[1].split("\nOptions:", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip().startswith("apportion ")]


def test_every_command_is_in_the_order_and_has_an_example():
    assert sorted(ORDER) == sorted(cli.commands)
    for names in [(), *((name,) for name in ORDER)]:
        assert examples(help_of(*names)), f"apportion {' '.join(names)} --help has no example"


def test_every_help_example_runs_as_printed(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(CONFIGS, tmp_path / "configs")
    monkeypatch.chdir(tmp_path)
    ran = 0
    for names in [(), *((name,) for name in ORDER)]:
        for line in examples(help_of(*names)):
            # printed at 60 columns and still one line each: nothing was wrapped mid-path
            words = shlex.split(line)
            assert words[0] == "apportion"
            target = None
            if ">" in words:  # the shell's redirection, as a user pastes it
                words, target = words[: words.index(">")], words[words.index(">") + 1]
            result = CliRunner().invoke(cli, words[1:])
            assert result.exit_code == 0, f"{line}\n{result.output}"
            if target is not None:
                (tmp_path / target).write_text(result.output, encoding="utf-8")
            ran += 1
    assert ran >= 10


@pytest.mark.parametrize("name", ORDER)
def test_debug_is_taken_after_the_command_too(name):
    command = cli.commands[name]
    assert any(isinstance(p, click.Option) and "--debug" in p.opts for p in command.params)


def test_every_what_if_in_the_readme_runs_as_written(tmp_path, monkeypatch):
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What-ifs:", 1)[1].split("\n### ", 1)[0]
    commands = re.findall(r"`(apportion [^`]+)`", section)
    assert len(commands) >= 8
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(CONFIGS, tmp_path / "configs")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"


def test_the_readme_year_step_by_step_runs_as_written(tmp_path, monkeypatch):
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The year, step by step", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    commands = [line for block in blocks for line in block.splitlines() if line.startswith("apportion ")]
    assert len(commands) >= 10
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(CONFIGS, tmp_path / "configs")
    monkeypatch.chdir(tmp_path)
    said = []
    for command in commands:  # in order: verify checks a folder an earlier line wrote
        result = CliRunner().invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        assert result.output.strip().endswith("reproduced") == command.startswith("apportion verify")
        said.append(" ".join(result.output.split()))
    # the revision shown is the file's, and the year end is against the budget as it revises it
    (shown,) = re.findall(r"```yaml\n(revisions:.*?)```", section, re.S)
    assert shown in (EXAMPLES / "alliance-2018-19.yaml").read_text(encoding="utf-8")
    alliance = next(text for command, text in zip(commands, said, strict=True) if "alliance" in command and " run " in command)
    assert "The budget includes revision 1, from 1 July 2018" in alliance
    assert "net out-turn 156,000,000.00 against the budget as revised" in alliance
    assert "of 156,374,000.00: under-spend of 374,000.00" in alliance
