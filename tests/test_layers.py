"""The house's rules, read from every module's imports: each package imports only the
packages below it, the rules import no I/O library, and nothing prints but the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "apportion"

# What each package may import of apportion's (besides itself).
MAY_IMPORT = {
    "model": set(),
    "input": {"model"},
    "rules": {"model"},
    "outputs": {"model", "rules"},
    "audit": {"model", "rules", "outputs"},
    "cli": {"model", "input", "rules", "outputs", "audit", ""},
    "": {"model", "input", "rules", "outputs", "audit"},  # the public API: apportion/__init__.py, api.py
}
# Libraries that read or write files, the terminal or the network: none in the rules.
IO_LIBRARIES = {
    "click", "yaml", "pandas", "openpyxl", "rich", "csv", "os", "pathlib", "io", "sys", "shutil", "tempfile", "zipfile",
    "json", "subprocess", "socket", "multiprocessing", "pickle", "sqlite3", "urllib", "http",
}  # fmt: skip
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def package_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module imported anywhere in the file (inside functions and TYPE_CHECKING too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}:{node.lineno}: import apportion's modules by their full names"
            found += [(node.lineno, node.module or "")]
    return found


def layer_problems(path: Path, source: list[tuple[int, str]] | None = None) -> list[str]:
    """Where a module imports what its package may not."""
    package = package_of(path)
    allowed = MAY_IMPORT[package] | {package}
    problems = []
    for line, module in source if source is not None else imports(path):
        parts = module.split(".")
        if parts[0] == "apportion":
            target = parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""
            if target not in allowed:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {package or 'apportion'} may not import {module}")
        elif package == "rules" and parts[0] in IO_LIBRARIES:
            problems.append(f"{path.relative_to(ROOT)}:{line}: the rules may not import the I/O library {module}")
    return problems


def test_every_module_is_in_a_package_the_rules_know():
    assert {package_of(path) for path in modules()} <= set(MAY_IMPORT)
    assert len(modules()) > 40  # the test reads the real tree


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_package_may(path):
    assert layer_problems(path) == []


def test_the_rule_catches_a_rules_module_importing_click_or_an_output():
    calculate = PACKAGE / "rules" / "calculate.py"
    planted = [*imports(calculate), (1, "click"), (2, "apportion.outputs.folder")]
    assert layer_problems(calculate, planted) == [
        "apportion/rules/calculate.py:1: the rules may not import the I/O library click",
        "apportion/rules/calculate.py:2: rules may not import apportion.outputs.folder",
    ]
    model = PACKAGE / "model" / "results.py"
    assert layer_problems(model, [(3, "apportion.rules.levy")]) == [
        "apportion/model/results.py:3: model may not import apportion.rules.levy"
    ]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", sorted((PACKAGE / "input").glob("*.py")), ids=lambda p: p.name)
def test_no_reader_is_too_tangled_to_follow(path):
    from radon.complexity import cc_visit

    tangled = [(block.name, block.complexity) for block in cc_visit(path.read_text(encoding="utf-8")) if block.complexity > 20]
    assert tangled == []


def test_no_print_or_exit_outside_the_cli():
    for path in modules():
        if package_of(path) == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"print", "exit"}, f"{path.name}:{node.lineno} calls {node.func.id}"


def test_no_float_in_the_package():
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "float", f"{path.name}:{node.lineno} calls float()"
