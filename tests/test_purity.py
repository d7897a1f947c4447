"""The core stays pure: no I/O library is imported by the calculation or the model."""

from __future__ import annotations

import ast

import pytest

from .conftest import ROOT

CORE = [
    "money.py", "model.py", "calculate.py", "errors.py", "report.py", "scenarios.py", "plans.py", "periods.py",
    "year_end.py", "compare.py", "explain.py", "provenance.py", "journal.py",
]  # fmt: skip
IO_LIBRARIES = {"click", "yaml", "pandas", "openpyxl", "rich", "csv", "os", "pathlib", "io", "sys", "shutil", "tempfile"}


def imported_top_names(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("name", CORE)
def test_core_module_imports_no_io_library(name):
    imported = set(imported_top_names(ROOT / "apportion" / name))
    assert imported & IO_LIBRARIES == set()


def test_no_print_or_exit_outside_the_cli_and_console():
    for path in (ROOT / "apportion").glob("*.py"):
        if path.name in {"cli.py", "console.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "exit"}, f"{path.name}:{node.lineno} calls {node.func.id}"


def test_no_float_in_the_package():
    for path in (ROOT / "apportion").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "float", f"{path.name}:{node.lineno} calls float()"
