"""Mutation testing of the code that moves money: does a changed operator fail a test?

Each mutant is the module with one small change, made in its syntax tree:

* an arithmetic operator swapped (``+`` and ``-``, ``*`` and ``/``, ``//`` to ``/``, ``%`` to
  ``//``, ``**`` to ``*``), in an expression or an augmented assignment;
* a comparison moved by one (``<`` to ``<=``, ``>=`` to ``>``) or negated (``<`` to
  ``>=``, ``==`` to ``!=``, ``is`` to ``is not``, ``in`` to ``not in``);
* ``and`` and ``or`` swapped; ``not`` removed; a minus sign removed;
* a number changed (0 to 1, 1 to 0, n to n + 1; ``True`` and ``False`` swapped; a number
  written as text for ``Decimal``, ``D`` or ``Fraction`` plus one);
* in a function's body, a statement removed (an assignment, a call, a ``raise``, a
  ``continue``) or a value returned as ``None``.

Assertions, imports, annotations, docstrings and other text are left alone.

Each mutant is run, in a pytest of its own with a time limit, against the tests that reach
its line and no others, quickest first, stopping at the first failure. Which tests reach
each line is measured once with coverage.py (each test its own coverage context) and kept
in ``.mutation/`` (not in git); a test file that changes is measured again before the next
run, on its own, and where a module changes each line's tests move with the line. A mutant is *killed* when a
test fails, errors or runs out of time, and *survives* when they all pass. Running out of
time is what a mutant that hangs does, but also one whose reaching tests did not fail within
``--budget`` (the quickest first): such a "kill" is undecided, and ``--report`` shows each
module's timeouts and its score by a failing test apart; rerun them with ``--budget 0``.

A surviving mutant either shows a missing test, a bug, or changes nothing a user can
see (an *equivalent* mutant: ``x >= 0`` against ``x > 0`` where x is never 0, say). The
equivalent ones are listed, each with the reason, in ``tests/mutation/equivalent.txt``;
they are not run, and the score of a module is ``killed / (mutants - equivalent)``.

Run it from the project folder (one module at a time, niced, as the machine is shared)::

    nice -n 10 python tests/mutation/run.py                      # every module below
    nice -n 10 python tests/mutation/run.py apportion/rules/levy.py
    nice -n 10 python tests/mutation/run.py apportion/rules/levy.py --survivors   # only those that survived last time
    nice -n 10 python tests/mutation/run.py apportion/rules/levy.py --undecided   # and those that ran out of time
    python tests/mutation/run.py apportion/rules/levy.py --list  # the mutants, without running them
    python tests/mutation/run.py --report                        # each module's score from the last runs

The first run measures coverage over the whole suite (some minutes); later runs measure
again only what changed. The run exits 1 when a module scores below ``--fail-under``
(95%). It is not part of the test suite: it runs the suite's tests hundreds of times.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import gc
import hashlib
import importlib
import inspect
import json
import marshal
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import CodeType, FunctionType
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STATE = ROOT / ".mutation"
EQUIVALENT = HERE / "equivalent.txt"

MODULES = (
    "apportion/model/money.py",
    "apportion/rules/calculate.py",
    "apportion/rules/split.py",
    "apportion/rules/support.py",
    "apportion/rules/levy.py",
    "apportion/rules/periods.py",
    "apportion/rules/year_end.py",
    "apportion/rules/year_rounding.py",
    "apportion/rules/monitoring.py",
    "apportion/rules/instalments.py",
    "apportion/rules/basis_kinds.py",
    "apportion/rules/exits.py",
    "apportion/rules/accounts.py",
    "apportion/rules/postings.py",
)

ARITHMETIC: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
COMPARISONS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
NUMBER_TYPES = {"Decimal", "D", "Fraction"}
REMOVABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Raise, ast.Continue, ast.Break, ast.Delete)


@dataclass(frozen=True)
class Mutant:
    """One change to a module: where, what it was and what it becomes."""

    module: str  # the path from the project folder
    index: int  # its place in the module's mutants, as :class:`Mutator` counts them
    line: int
    end_line: int
    original: str
    mutated: str
    in_function: bool  # runs when the function does, not when the module is imported
    occurrence: int = 1  # the same change more than once on a line: which

    @property
    def key(self) -> str:
        nth = f" ({ordinal(self.occurrence)} on the line)" if self.occurrence > 1 else ""
        return f"{self.module}:{self.line}: `{self.original}` -> `{self.mutated}`{nth}"


def ordinal(n: int) -> str:
    return f"{n}{'tsnrhtdd'[(n // 10 % 10 != 1) * (n % 10 < 4) * n % 10 :: 4]}"


class Mutator(ast.NodeTransformer):
    """Walks a module's tree in a fixed order, offering each change; with ``target`` given,
    makes that one (numbered as the walk met it) and leaves the rest of the tree alone."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.count = 0
        self.sites: list[tuple[ast.AST, ast.AST, bool]] = []  # node, replacement, in a function
        self.in_function = False
        self.assigned: dict[str, int] = {}  # in the function being walked: how often each name is assigned

    def visit(self, node: ast.AST) -> ast.AST | list[ast.AST] | None:
        for replacement in self.alternatives(node):
            index, self.count = self.count, self.count + 1
            if self.target is None:
                self.sites.append((node, replacement, self.in_function))
            elif index == self.target:
                return ast.copy_location(replacement, node)
        return self.descend(node)

    def descend(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            node.args.defaults = [self.visit(d) for d in node.args.defaults]  # type: ignore[misc]
            if not isinstance(node, ast.Lambda):
                node.decorator_list = [self.visit(d) for d in node.decorator_list]  # type: ignore[misc]
            outer, self.in_function, assigned = self.in_function, True, self.assigned
            if isinstance(node, ast.Lambda):
                node.body = self.visit(node.body)  # type: ignore[assignment]
            else:
                self.assigned = assignments(node)
                node.body = self.statements(node.body)
            self.in_function, self.assigned = outer, assigned
            return node
        if isinstance(node, ast.ClassDef):
            node.body = self.statements(node.body)
            return node
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                node.value = self.visit(node.value)  # type: ignore[assignment]
            return node
        if isinstance(node, ast.Assert | ast.Import | ast.ImportFrom) or is_docstring(node):
            return node
        return self.generic_visit(node)

    def statements(self, body: list[ast.stmt]) -> list[ast.stmt]:
        done: list[ast.stmt] = []
        for statement in body:
            visited = self.visit(statement)
            done.extend(visited if isinstance(visited, list) else [visited])  # type: ignore[list-item]
        return done

    def alternatives(self, node: ast.AST) -> Iterator[ast.AST]:
        if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            yield ast.BinOp(node.left, ARITHMETIC[type(node.op)](), node.right)
        elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC:
            yield ast.AugAssign(node.target, ARITHMETIC[type(node.op)](), node.value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
            yield node.operand
        elif isinstance(node, ast.BoolOp):
            yield ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
        elif isinstance(node, ast.Compare):
            for place, op in enumerate(node.ops):
                for other in COMPARISONS.get(type(op), ()):
                    ops = [*node.ops[:place], other(), *node.ops[place + 1 :]]
                    yield ast.Compare(node.left, ops, node.comparators)
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield ast.Constant(not node.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, int):
            yield ast.Constant({0: 1, 1: 0}.get(node.value, node.value + 1))
        elif isinstance(node, ast.Call) and number_text(node) is not None:
            yield ast.Call(node.func, [ast.Constant(str(number_text(node) + 1))], node.keywords)  # type: ignore[operator]
        if self.in_function and isinstance(node, REMOVABLE) and not is_docstring(node) and not self.sole_assignment(node):
            yield ast.Pass()
        if self.in_function and isinstance(node, ast.Return) and not is_none(node.value):
            yield ast.Return(ast.Constant(None))

    def sole_assignment(self, node: ast.AST) -> bool:
        """An assignment whose removal can only leave a name undefined (and so fail any test reaching it)."""
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            return False
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        parts = [n for t in targets for n in ast.walk(t) if not isinstance(n, ast.expr_context)]
        if not all(isinstance(n, ast.Name | ast.Tuple | ast.List) for n in parts):
            return False  # a subscript or an attribute: something else may still be read
        return all(self.assigned.get(n.id) == 1 for n in parts if isinstance(n, ast.Name))


def assignments(function: ast.AST) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
    return counts


def is_docstring(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def is_none(node: ast.AST | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def number_text(node: ast.Call) -> Decimal | None:
    """The number of ``Decimal("0.01")``, ``D("25")`` or ``Fraction("1")``, if that is what the call is."""
    name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
    if name not in NUMBER_TYPES or len(node.args) != 1 or node.keywords:
        return None
    argument = node.args[0]
    if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
        return None
    try:
        return Decimal(argument.value)
    except InvalidOperation:
        return None


def mutants_of(module: str) -> list[Mutant]:
    """Every mutant of the module, in the order :class:`Mutator` walks it."""
    mutator = Mutator()
    mutator.visit(ast.parse((ROOT / module).read_text(encoding="utf-8")))
    found: list[Mutant] = []
    seen: dict[tuple[int, str, str], int] = {}
    for index, (node, replacement, in_function) in enumerate(mutator.sites):
        original, mutated = one_line(ast.unparse(node)), one_line(ast.unparse(replacement))
        line = node.lineno  # type: ignore[attr-defined]
        occurrence = seen[line, original, mutated] = seen.get((line, original, mutated), 0) + 1
        end = node.end_lineno or line  # type: ignore[attr-defined]
        found.append(Mutant(module, index, line, end, original, mutated, in_function, occurrence))
    return found


def one_line(code: str) -> str:
    return " ".join(code.split())


def compiled(mutant: Mutant) -> CodeType:
    """The mutant's module, compiled with its own file name and line numbers."""
    path = ROOT / mutant.module
    tree = Mutator(mutant.index).visit(ast.parse(path.read_text(encoding="utf-8")))
    return compile(ast.fix_missing_locations(tree), str(path), "exec")  # type: ignore[arg-type]


def module_name(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


# -- which tests reach which lines --------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def source_of(module: str) -> str:
    return (ROOT / module).read_text(encoding="utf-8")


def test_files() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py"))


@dataclass
class CoverageMap:
    """Which tests reach each line of each module, each test's time, and what it was measured on."""

    tests: dict[str, dict[str, object]] = field(default_factory=dict)  # node id: seconds, outcome, fixtures
    files: dict[str, str] = field(default_factory=dict)  # test file: digest when measured
    sources: dict[str, str] = field(default_factory=dict)  # module: its text when measured
    lines: dict[str, dict[int, set[str]]] = field(default_factory=dict)  # module: line: contexts
    collect: dict[str, float] = field(default_factory=dict)  # test file: seconds to import and collect
    setup: dict[str, tuple[float, str]] = field(default_factory=dict)  # shared fixture: seconds to set up, scope

    @classmethod
    def load(cls) -> CoverageMap:
        path = STATE / "coverage.json"
        if not path.exists():
            return cls()
        saved = json.loads(path.read_text(encoding="utf-8"))
        lines = {m: {int(n): set(c) for n, c in by_line.items()} for m, by_line in saved["lines"].items()}
        setup = {name: (float(seconds), scope) for name, (seconds, scope) in saved.get("setup", {}).items()}
        return cls(saved["tests"], saved["files"], saved["sources"], lines, saved["collect"], setup)

    def save(self) -> None:
        STATE.mkdir(exist_ok=True)
        lines = {m: {str(n): sorted(c) for n, c in by_line.items()} for m, by_line in self.lines.items()}
        saved = {"tests": self.tests, "files": self.files, "sources": self.sources, "lines": lines, "collect": self.collect,
                 "setup": self.setup}  # fmt: skip
        (STATE / "coverage.json").write_text(json.dumps(saved), encoding="utf-8")

    def stale(self, modules: Sequence[str]) -> list[str]:
        """The test files to measure again: new or changed ones, or all of them for a module
        never measured. A module changed since it was measured has its lines moved instead."""
        files = test_files()
        again = {f for f in files if self.files.get(f) != digest(ROOT / f)}
        for module in modules:
            if module not in self.sources:
                again = set(files)
            elif self.sources[module] != source_of(module):
                self.move_lines(module)
        return sorted(again)

    def move_lines(self, module: str) -> None:
        """Carry what reaches each line of a changed module to where the line is now: an
        unchanged line keeps its tests; a changed or added one takes those of the lines it
        replaces and of the lines either side (measuring the suite again takes many minutes)."""
        old, new = self.sources[module].splitlines(), source_of(module).splitlines()
        by_line, moved = self.lines.get(module, {}), {}
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if tag == "equal":
                moved |= {j1 + k + 1: set(by_line[i1 + k + 1]) for k in range(i2 - i1) if i1 + k + 1 in by_line}
            else:
                around = set().union(*(by_line.get(n, set()) for n in range(i1, i2 + 2)))
                moved |= {n: set(around) for n in range(j1 + 1, j2 + 1) if around}
        print(f"{module} has changed since it was measured: its lines' tests moved with them", flush=True)
        self.lines[module], self.sources[module] = moved, source_of(module)

    def measure(self, files: Sequence[str], modules: Sequence[str]) -> None:
        """Run ``files`` under coverage.py, each test its own context, and take in what they reach."""
        import coverage

        STATE.mkdir(exist_ok=True)
        data_file, durations = STATE / "coverage.data", STATE / "tests.json"
        data_file.unlink(missing_ok=True)
        digests = {path: digest(ROOT / path) for path in files}  # as measured, should one change meanwhile
        sources = {module: source_of(module) for module in modules}
        include = ",".join(str(ROOT / m) for m in modules)
        command = [sys.executable, "-m", "coverage", "run", f"--data-file={data_file}", f"--include={include}",
                   "-m", "pytest", *PYTEST_OPTIONS, *files]  # fmt: skip
        print(f"measuring which tests reach which lines: {len(files)} test files", flush=True)
        subprocess.run(command, cwd=ROOT, env=environment(MUTATION_CONTEXTS=str(durations)), check=False)
        measured = json.loads(durations.read_text(encoding="utf-8"))
        rerun = set(files)
        self.tests = {t: v for t, v in self.tests.items() if context_file(t) not in rerun} | measured["tests"]
        self.collect |= measured["collect"]
        self.setup |= {name: (seconds, scope) for name, (seconds, scope) in measured["setup"].items()}
        for module in modules:
            by_line = self.lines.get(module, {}) if self.sources.get(module) == sources[module] else {}
            self.lines[module] = {n: {c for c in contexts if context_file(c) not in rerun} for n, contexts in by_line.items()}
        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        for module in modules:
            by_line = self.lines[module]
            for line, contexts in data.contexts_by_lineno(str(ROOT / module)).items():
                by_line.setdefault(line, set()).update(contexts)
            self.sources[module] = sources[module]
        self.files |= {f: digests[f] for f in files}

    def measure_collection(self) -> None:
        """How long each test file takes to import and collect, where not yet known."""
        files = [f for f in test_files() if f not in self.collect]
        if not files:
            return
        with tempfile.TemporaryDirectory(prefix="mutation-") as folder:
            report = Path(folder, "collect.json")
            command = [sys.executable, "-m", "pytest", "--collect-only", *PYTEST_OPTIONS, *files]
            subprocess.run(command, cwd=ROOT, env=environment(MUTATION_CONTEXTS=str(report)), check=False, capture_output=True)
            self.collect |= json.loads(report.read_text(encoding="utf-8"))["collect"]

    def stages(self, tests: Sequence[str], budget: float) -> list[list[str]]:
        """The tests in runs of growing cost (about 2 s, then 20 s, then up to ``budget``),
        cheapest first, a test's cost being its time and what it needs that its run has not
        yet paid for: the file's collection, and the shared fixtures it is the first to use (a
        printed pack, a recalculated workbook). Most mutants are killed by the first run,
        which collects a file or two rather than every file that reaches the line."""
        limits = [2.0, 20.0, budget or float("inf")]
        by_file: dict[str, list[str]] = {}
        for test in sorted(tests, key=lambda t: (self.cost([t]), t)):
            by_file.setdefault(context_file(test), []).append(test)
        runs: list[list[str]] = [[]]
        spent, paid = 0.0, set[str]()  # what the current run has paid for: files and fixtures

        def price(test: str) -> float:
            return sum(self.price(need) for need in self.needs_of(test) - paid)

        while by_file:
            file = min(by_file, key=lambda f: (price(by_file[f][0]), f))
            test = by_file[file][0]
            if budget and spent + price(test) > budget and any(runs):
                break
            if spent + price(test) > limits[len(runs) - 1] and runs[-1] and len(runs) < len(limits):
                runs.append([])  # a run of its own: it pays again for the files and fixtures it needs
                paid = set()
            spent += price(test)
            paid |= self.needs_of(test)
            runs[-1].append(by_file[file].pop(0))
            if not by_file[file]:
                del by_file[file]
        return [run for run in runs if run]

    def reaching(self, mutant: Mutant) -> list[str]:
        """The passing tests that reach the mutant's lines, quickest first."""
        by_line = self.lines.get(mutant.module, {})
        contexts = set().union(*(by_line.get(n, set()) for n in range(mutant.line, mutant.end_line + 1)))
        if "" in contexts or not mutant.in_function:  # run as the module is imported: any test that imports it
            contexts = set().union(*by_line.values())
        tests: set[str] = set()
        for context in contexts:
            if context.startswith("fixture:"):
                name = context.removeprefix("fixture:")
                tests |= {t for t, v in self.tests.items() if name in v["fixtures"]}  # type: ignore[operator]
            elif context.startswith("collect:"):
                tests |= {t for t in self.tests if context_file(t) == context.removeprefix("collect:")}
            elif context:
                tests.add(context)
        passing = [t for t in tests if self.tests.get(t, {}).get("outcome") == "passed"]
        return sorted(passing, key=lambda t: (self.cost([t]), t))

    def seconds(self, test: str) -> float:
        return float(self.tests.get(test, {}).get("seconds", 0.0))  # type: ignore[arg-type]

    def cost(self, tests: Sequence[str]) -> float:
        """What running ``tests`` in one pytest costs: each test's time, each file's collection
        once, and each shared fixture's setup once (once a file for a module's fixture)."""
        return sum(self.price(need) for need in set().union(*(self.needs_of(t) for t in tests)))

    def needs_of(self, test: str) -> set[str]:
        """What running ``test`` takes, each thing once in a run: the test itself, its file's
        collection, and the shared fixtures it uses."""
        file = context_file(test)
        needs = {test, f"collect:{file}"}
        for name in self.tests.get(test, {}).get("fixtures", ()):  # type: ignore[union-attr]
            if name in self.setup:
                needs.add(f"fixture:{name}" if self.setup[name][1] == "session" else f"fixture:{name}@{file}")
        return needs

    def price(self, need: str) -> float:
        """The cost of one thing a test may need, in seconds (a file never measured: 1 s)."""
        kind, _, name = need.partition(":")
        if kind == "collect":
            return self.collect.get(name, 1.0)
        if kind == "fixture":
            return self.setup[name.split("@", 1)[0]][0]
        return self.seconds(need)


def context_file(context: str) -> str:
    """The test file a coverage context belongs to ('' for a shared fixture or the import)."""
    if context.startswith("fixture:") or not context:
        return ""
    return context.removeprefix("collect:").split("::", 1)[0]


PYTEST_OPTIONS = ("-p", "mutation_plugin", "-p", "no:cacheprovider", "-q", "--no-header", "-W", "ignore")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTATION_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH", "")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env | extra


# -- running a mutant ------------------------------------------------------------------------


class Outcome(NamedTuple):
    status: str  # killed, timeout, survived, unreached, error
    tests_run: int
    tests_reaching: int
    seconds: float
    detail: str = ""


def run_mutant(mutant: Mutant, coverage_map: CoverageMap, budget: float, forks: Forks | None) -> Outcome:
    """Run the tests that reach the mutant against it, in runs of growing cost: killed when
    one fails. A mutant of a function's body runs in a fork (:class:`Forks`); one that
    survives there, and any other, in a fresh interpreter."""
    tests = coverage_map.reaching(mutant)
    if not tests:
        return Outcome("unreached", 0, 0, 0.0)
    started = time.monotonic()
    patches = forks.patches(mutant) if forks is not None else None
    if forks is not None and patches:
        outcome = run_stages(mutant, coverage_map.stages(tests, budget), coverage_map, lambda files, listed, limit: forks.run(
            patches, files, listed, limit))  # fmt: skip
        if outcome.status != "survived":
            return outcome._replace(tests_reaching=len(tests), seconds=time.monotonic() - started)
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        code, loaded = Path(folder, "mutant.bin"), Path(folder, "loaded")
        code.write_bytes(marshal.dumps(compiled(mutant)))
        env = environment(MUTATION_MODULE=module_name(mutant.module), MUTATION_CODE=str(code), MUTATION_LOADED=str(loaded))

        def fresh(files: Sequence[str], listed: Path, limit: float) -> tuple[str, str]:
            status, detail = run_tests(
                files, env | {"MUTATION_TESTS": str(listed), "MUTATION_REPORT": str(report_of(listed))}, limit
            )
            if status == "survived" and not loaded.exists():
                return "error", "the mutant was never imported"
            return status, detail

        outcome = run_stages(mutant, coverage_map.stages(tests, budget), coverage_map, fresh)
    return outcome._replace(tests_reaching=len(tests), seconds=time.monotonic() - started)


def run_stages(
    mutant: Mutant, stages: Sequence[Sequence[str]], coverage_map: CoverageMap, runner: Callable[[Sequence[str], Path, float], tuple[str, str]]
) -> Outcome:  # fmt: skip
    """Each run of tests in turn, until one kills the mutant."""
    ran = 0
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        listed = Path(folder, "tests.txt")
        report = report_of(listed)
        for chosen in stages:
            ran += len(chosen)
            files = list(dict.fromkeys(context_file(t) for t in chosen))
            cost = coverage_map.cost(chosen)
            listed.write_text("\n".join(chosen), encoding="utf-8")
            report.write_text("", encoding="utf-8")
            status, detail = runner(files, listed, 30 + 3 * cost)
            if status != "survived":
                where = report.read_text(encoding="utf-8")
                detail = f"{detail}: {where.replace('running', 'while running')}" if status == "timeout" else where or detail
                return Outcome(status, ran, 0, 0.0, detail)
    return Outcome("survived", ran, 0, 0.0)


def report_of(listed: Path) -> Path:
    """Where the plugin says which test is running or failed, beside the list of tests to run."""
    return listed.with_name("report.txt")


class Forks:
    """Runs mutants of a function's body quickly: this process imports pytest, hypothesis,
    apportion and every test file once; for each mutant a forked child gives every function
    made from the mutated code (a module's function, a method, a lambda in a table) the
    mutant's code, then runs pytest, which finds the test files imported already. A mutant
    outside a function's body (a module's constant, a default value) is not run this way,
    and a survivor is run again in a fresh interpreter before it counts, in case something
    worked out when the modules were imported hides it."""

    def __init__(self) -> None:
        sys.path[:0] = [str(HERE), str(ROOT)]
        os.chdir(ROOT)
        import mutation_plugin  # noqa: F401 - its hypothesis profile, before any test is imported
        import pytest

        self.main = pytest.main
        for path in test_files():
            importlib.import_module(path.removesuffix(".py").replace("/", "."))
        self.functions: dict[tuple[str, str, int], list[FunctionType]] = {}
        for thing in gc.get_objects():
            if isinstance(thing, FunctionType):
                code = thing.__code__
                self.functions.setdefault((code.co_filename, code.co_qualname, code.co_firstlineno), []).append(thing)

    def patches(self, mutant: Mutant) -> list[tuple[FunctionType, CodeType]] | None:
        """Each function the mutant changes, with its new code; None where it changes
        something else (what the module does when imported)."""
        if not mutant.in_function:
            return None
        path = str(ROOT / mutant.module)
        before = {
            (c.co_qualname, c.co_firstlineno): c
            for c in made_at_import(compile(ast.parse(source_of(mutant.module)), path, "exec"))
        }
        found: list[tuple[FunctionType, CodeType]] = []
        for code in made_at_import(compiled(mutant)):
            key = (code.co_qualname, code.co_firstlineno)
            if key in before and before[key] != code:
                functions = self.functions.get((path, *key), [])
                if not functions:
                    return None
                found += [(function, code) for function in functions]
        return found or None

    def run(
        self, patches: Sequence[tuple[FunctionType, CodeType]], files: Sequence[str], listed: Path, limit: float
    ) -> tuple[str, str]:
        pid = os.fork()
        if pid == 0:  # the child: the mutant in place, then the tests
            try:
                os.setpgid(0, 0)
                for function, code in patches:
                    function.__code__ = code
                os.environ["MUTATION_TESTS"], os.environ["MUTATION_REPORT"] = str(listed), str(report_of(listed))
                quiet = os.open(os.devnull, os.O_WRONLY)
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
                os._exit(int(self.main(["-x", *PYTEST_OPTIONS, *files])))
            except BaseException:  # noqa: BLE001 - whatever it is, the child must not return
                os._exit(70)
        deadline = time.monotonic() + limit
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout", f"over {limit:.0f} s"
            time.sleep(0.02)
        code = os.waitstatus_to_exitcode(status)
        if code in {1, 2}:
            return "killed", ""
        return ("survived", "") if code == 0 else ("error", f"a forked run ended with {code}")


def made_at_import(module: CodeType) -> Iterator[CodeType]:
    """The code of each function a module makes when it is imported: its own, its classes'
    methods, its lambdas (code nested in these runs only when they are called)."""
    for constant in module.co_consts:
        if isinstance(constant, CodeType):
            if constant.co_flags & inspect.CO_NEWLOCALS:
                yield constant
            else:  # a class's body
                yield from made_at_import(constant)


def run_tests(files: Sequence[str], env: dict[str, str], limit: float) -> tuple[str, str]:
    """pytest over ``files`` (the plugin picks the tests), stopping at the first failure."""
    command = [sys.executable, "-m", "pytest", "-x", *PYTEST_OPTIONS, *files]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)  # fmt: skip
    try:
        output, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", f"over {limit:.0f} s"
    last = (output.strip().splitlines() or [""])[-1]
    if process.returncode in {1, 2}:  # a test failed, or the mutant broke collection
        return "killed", last
    if process.returncode == 0:
        return "survived", ""
    return "error", f"pytest exit {process.returncode}: {last}"


# -- equivalent mutants ----------------------------------------------------------------------

ENTRY = re.compile(r"^(?P<module>\S+):(?P<line>\d+): `(?P<original>.*)` -> `(?P<mutated>.*)`(?P<nth> \(\d+\w\w on the line\))?$")


@dataclass(frozen=True)
class Equivalent:
    key: str
    module: str
    line: int
    change: str  # the key without its line: what matches a mutant that has moved
    why: str


def read_equivalents(path: Path = EQUIVALENT) -> list[Equivalent]:
    """The listed equivalent mutants: a line ``module:line: `original` -> `mutated``` (as the
    run prints a survivor), then the reason, indented, on the lines below."""
    entries: list[Equivalent] = []
    key, why = "", []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, text in enumerate([*lines, "#end"], start=1):
        if text.startswith((" ", "\t")) and key:
            why.append(text.strip())
            continue
        if key:
            if not why:
                raise SystemExit(f"{path}:{number - 1}: say why `{key}` changes nothing, on the lines below it, indented")
            match = ENTRY.match(key)
            assert match is not None
            change = re.sub(r":\d+: ", ": ", key)
            entries.append(Equivalent(key, match["module"], int(match["line"]), change, " ".join(why)))
            key, why = "", []
        if text.strip() and not text.startswith("#"):
            if not ENTRY.match(text):
                raise SystemExit(f"{path}:{number}: not a mutant as the run prints one: {text}")
            key = text
    return entries


def match_equivalents(mutants: Sequence[Mutant], entries: Sequence[Equivalent]) -> tuple[dict[str, Equivalent], list[str]]:
    """Each listed equivalent's mutant (by its key, or, where its line has moved, by the
    change alone if only one mutant makes it), and a note for each entry that matches none."""
    by_key = {m.key: m for m in mutants}
    by_change: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_change.setdefault(re.sub(r":\d+: ", ": ", m.key), []).append(m)
    matched: dict[str, Equivalent] = {}
    notes = []
    modules = {m.module for m in mutants}
    for entry in entries:
        if entry.module not in modules:
            continue
        if entry.key in by_key:
            matched[entry.key] = entry
        elif len(by_change.get(entry.change, [])) == 1:
            moved = by_change[entry.change][0]
            matched[moved.key] = entry
            notes.append(f"equivalent.txt: `{entry.key}` has moved to line {moved.line}")
        else:
            notes.append(f"equivalent.txt: `{entry.key}` matches no mutant now: remove it or say where it went")
    return matched, notes


# -- the run ---------------------------------------------------------------------------------


def load_results() -> dict[str, dict[str, str]]:
    path = STATE / "results.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_results(results: dict[str, dict[str, str]], module: str) -> None:
    """Keep ``module``'s outcomes, and the others' as the file has them now: two runs of
    different modules at once do not undo each other's."""
    STATE.mkdir(exist_ok=True)
    saved = load_results() | {module: results[module]}
    temporary = STATE / f"results.json.{os.getpid()}"
    temporary.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    temporary.replace(STATE / "results.json")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", default=list(MODULES), help="modules to mutate (default: the money-moving ones)")
    parser.add_argument("--list", action="store_true", help="list the mutants and the tests reaching each; run nothing")
    parser.add_argument("--survivors", action="store_true", help="run only the mutants not killed last time")
    parser.add_argument(
        "--undecided",
        action="store_true",
        help="run only the mutants not killed by a failing test last time (survivors and timeouts)",
    )
    parser.add_argument("--line", type=int, action="append", help="only the mutants on this line (repeatable)")
    parser.add_argument("--report", action="store_true", help="run nothing: each module's score from the last runs")
    parser.add_argument("--check-equivalent", action="store_true", help="run the listed equivalent mutants too")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds of (measured) test time a mutant may use, quickest tests first; 0: no limit")  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="every mutant in a fresh interpreter, none in a fork (slower)")
    parser.add_argument("--verbose", "-v", action="store_true", help="a line for every mutant, killed or not")
    parser.add_argument("--fail-under", type=float, default=95.0, help="exit 1 when a module scores below this")
    args = parser.parse_args(argv)
    modules = [str(Path(m).resolve().relative_to(ROOT)) if Path(m).is_absolute() else m for m in args.modules]

    coverage_map = CoverageMap.load()
    if not args.report and (not args.list or coverage_map.tests):
        measured = list(dict.fromkeys([*MODULES, *modules]))  # all of them at once: the suite's run is the cost
        stale = coverage_map.stale(measured)
        if stale:
            coverage_map.measure(stale, measured)
        coverage_map.measure_collection()
        coverage_map.save()
    entries = read_equivalents()
    results = load_results()
    forks: Forks | None = None
    below = []
    for module in modules:
        mutants = mutants_of(module)
        equivalents, notes = match_equivalents(mutants, entries)
        for note in notes:
            print(note)
        if args.list:
            for m in mutants:
                tag = "  [equivalent]" if m.key in equivalents else ""
                print(f"{m.key}  ({len(coverage_map.reaching(m))} tests){tag}")
            continue
        before = results.get(module, {})
        chosen = [
            m
            for m in mutants
            if (args.check_equivalent or m.key not in equivalents)
            and (not args.line or m.line in args.line)
            and not (args.survivors and before.get(m.key) in {"killed", "timeout"})
            and not (args.undecided and before.get(m.key) == "killed")
            and not args.report
        ]
        if not args.report:
            print(f"{module}: {len(mutants)} mutants, running {len(chosen)}", flush=True)
        outcomes: dict[str, str] = {k: v for k, v in before.items() if k in {m.key for m in mutants}}
        results[module] = dict(outcomes)
        if forks is None and chosen and not args.fresh:
            forks = Forks()
        for number, mutant in enumerate(chosen, start=1):
            outcome = run_mutant(mutant, coverage_map, args.budget, forks)
            outcomes[mutant.key] = results[module][mutant.key] = outcome.status
            save_results(results, module)
            if args.verbose:
                print(
                    f"  [{number}/{len(chosen)}] {outcome.status}: {mutant.key}  [{outcome.seconds:.0f} s] {outcome.detail}",
                    flush=True,
                )
            elif outcome.status not in {"killed", "timeout"}:
                ran = f"{outcome.tests_run} of {outcome.tests_reaching} tests reaching it"
                flag = " (listed as equivalent)" if mutant.key in equivalents else ""
                print(f"  {outcome.status}: {mutant.key}  [{ran}, {outcome.seconds:.0f} s]{flag} {outcome.detail}", flush=True)
        counted = [m for m in mutants if m.key not in equivalents]
        killed = sum(outcomes.get(m.key) in {"killed", "timeout"} for m in counted)
        timed_out = sum(outcomes.get(m.key) == "timeout" for m in counted)
        unknown = sum(m.key not in outcomes for m in counted)
        score = 100 * killed / len(counted) if counted else 100.0
        failing = 100 * (killed - timed_out) / len(counted) if counted else 100.0
        # a timeout is a mutant that hangs, or one whose tests did not fail within the budget:
        # the second is undecided (on a busy machine it can hide a survivor), so it is shown apart
        print(f"{module}: {killed} of {len(counted)} killed ({score:.1f}%; {timed_out} of them by running out of time, "
              f"{failing:.1f}% by a failing test), {len(equivalents)} equivalent excluded"
              + (f", {unknown} not run" if unknown else ""), flush=True)  # fmt: skip
        if score < args.fail_under:
            below.append(module)
    if below:
        print(f"below {args.fail_under}%: {', '.join(below)}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
