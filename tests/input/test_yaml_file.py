"""YAML in: exact decimals, lines for every value, duplicate keys and hostile files caught."""

from __future__ import annotations

from decimal import Decimal

from apportion.input.yaml_file import read_yaml


def test_numbers_are_exact_decimals(write_yaml):
    doc = read_yaml(write_yaml("a: 0.1\nb: 20931299\nc: 1_000.50\nd: '0.1'\n"))
    assert doc.root == {"a": Decimal("0.1"), "b": Decimal("20931299"), "c": Decimal("1000.50"), "d": "0.1"}
    assert doc.root["a"] + Decimal("0.2") == Decimal("0.3")


def test_lines_are_recorded_by_path(write_yaml):
    doc = read_yaml(write_yaml("units:\n  - code: A\n    pay:\n      Salaries: 5\n"))
    assert doc.line(("units", 0, "pay", "Salaries")) == 4
    assert doc.line(("units", 0, "basis")) == 2  # not there: its nearest ancestor's line


def test_duplicate_keys_are_problems_not_silently_overwritten(write_yaml):
    doc = read_yaml(write_yaml("pay:\n  Salaries: 5\n  Salaries: 6\n"))
    assert [str(p) for p in doc.problems] == [
        f"{doc.file}:3: pay.Salaries: duplicate key (first given on line 2); keep one",
    ]


def test_syntax_error_gives_its_line(write_yaml):
    doc = read_yaml(write_yaml("a: 1\nb: [1, 2\nc: 3\n"))
    assert doc.root is None
    assert doc.problems[0].place.line == 3
    assert "YAML syntax error" in doc.problems[0].text


def test_infinities_and_nans_are_not_numbers(write_yaml):
    doc = read_yaml(write_yaml("a: .inf\nb: .nan\n"))
    assert [p.text for p in doc.problems] == ["'.inf' is not a plain decimal number", "'.nan' is not a plain decimal number"]


def test_alias_bomb_is_refused_quickly(write_yaml):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    doc = read_yaml(write_yaml("\n".join(lines) + "\n"))
    assert doc.root is None
    assert "expands to more than" in doc.problems[0].text


def test_not_utf8(write_yaml, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: \xa3100\n".encode("latin-1"))
    assert "not UTF-8" in read_yaml(path).problems[0].text


def test_a_pipe_given_as_the_budget_is_refused_without_waiting_for_a_writer(tmp_path):
    # A named pipe with no writer: opening it to read would wait for ever, so the budget
    # must be refused as not a regular file before anything is read. Run in a process of
    # its own, so that a wait fails the test (by the timeout) rather than hanging the suite.
    import os
    import subprocess
    import sys

    pipe = tmp_path / "budget.yaml"
    os.mkfifo(pipe)
    done = subprocess.run(
        [sys.executable, "-m", "apportion.cli", "validate", str(pipe)], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert f"{pipe}: cannot read the file: not a regular file (a device, a pipe or a folder)" in done.stderr
