"""The pytest side of the mutation run (tests/mutation/run.py starts pytest with ``-p mutation_plugin``).

Three jobs, each switched on by an environment variable the run sets:

* ``MUTATION_CONTEXTS``: while coverage.py measures the suite, name the coverage context
  after the test that runs (its node id), a fixture shared by many tests
  (``fixture:NAME``) or the test file being imported (``collect:PATH``), so that the run
  knows which tests reach each line; each test's duration and outcome are written to the
  JSON file named by the variable, with the time each test file takes to collect.
* ``MUTATION_MODULE`` and ``MUTATION_CODE``: import the module named from the compiled
  mutant in the file named (a marshalled code object with the module's own file name and
  line numbers) instead of from its source; ``MUTATION_LOADED`` is a file touched when it
  is, so that a mutant that was never imported is not counted as surviving.
* ``MUTATION_TESTS``: run only the tests listed in that file (node ids, one a line), in
  its order (quickest first, so that ``-x`` stops a killed mutant early);
  ``MUTATION_REPORT``: the file to say in which test is running, or failed.

Hypothesis runs derandomised, without its example database, so that every run of a mutant
tries the same examples and none is carried from one mutant to the next, and without
shrinking a failing example (the failure is all the run needs).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import marshal
import os
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import Phase, settings

# no shrinking: a mutant is killed by the first failing example, and shrinking it can take minutes
settings.register_profile(
    "mutation", derandomize=True, database=None, deadline=None, print_blob=False,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)  # fmt: skip
settings.load_profile("mutation")


class MutantLoader(importlib.abc.Loader):
    """Executes the mutant's code object as the module's body."""

    def __init__(self, code_path: str, loaded_flag: str) -> None:
        self.code_path, self.loaded_flag = code_path, loaded_flag

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        code = marshal.loads(Path(self.code_path).read_bytes())  # noqa: S302 - written by run.py a moment ago
        if self.loaded_flag:
            Path(self.loaded_flag).touch()
        exec(code, module.__dict__)  # noqa: S102 - the mutant is the point


class MutantFinder(importlib.abc.MetaPathFinder):
    """Finds the mutated module where its source is, and loads it with :class:`MutantLoader`."""

    def __init__(self, name: str, code_path: str, loaded_flag: str) -> None:
        self.name, self.loader = name, MutantLoader(code_path, loaded_flag)

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        try:
            found = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if found is None or found.origin is None:
            return None
        return importlib.util.spec_from_file_location(fullname, found.origin, loader=self.loader)


if os.environ.get("MUTATION_MODULE"):
    sys.meta_path.insert(
        0, MutantFinder(os.environ["MUTATION_MODULE"], os.environ["MUTATION_CODE"], os.environ.get("MUTATION_LOADED", ""))
    )


CONTEXT = [""]  # the context lines are recorded in now


def switch_context(name: str) -> str:
    """Record lines as reached in ``name`` from now; returns the context it replaces."""
    before, CONTEXT[0] = CONTEXT[0], name
    if os.environ.get("MUTATION_CONTEXTS"):
        import coverage

        current = coverage.Coverage.current()
        if current is not None:
            current.switch_context(name)
    return before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    switch_context(item.nodeid)
    try:
        return (yield)
    finally:
        switch_context("")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest) -> object:
    """A fixture shared by many tests is set up once, in the first; its lines belong to all of them."""
    shared = fixturedef.scope != "function"
    before = switch_context(f"fixture:{fixturedef.argname}") if shared else ""
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if shared:
            switch_context(before)
            # what running a test costs before it starts, where it is the first to need this fixture
            seconds = max(SETUP.get(fixturedef.argname, (0.0, ""))[0], time.perf_counter() - started)
            SETUP[fixturedef.argname] = (seconds, fixturedef.scope)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    """A test file's own module-level code runs when it is collected: its lines belong to its tests."""
    is_module = isinstance(collector, pytest.Module)
    before = switch_context(f"collect:{collector.nodeid}") if is_module else ""
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        if is_module:
            switch_context(before)
            COLLECT[collector.nodeid] = time.perf_counter() - started


TESTS: dict[str, dict[str, object]] = {}  # node id: seconds, outcome, the fixtures it uses
COLLECT: dict[str, float] = {}  # test file: seconds to import and collect it
SETUP: dict[str, tuple[float, str]] = {}  # a fixture shared by many tests: seconds to set it up, its scope


def pytest_runtest_logstart(nodeid: str, location: object) -> None:
    """Say which test is running (``MUTATION_REPORT``), so that a mutant that runs out of time can say where."""
    if os.environ.get("MUTATION_REPORT"):
        Path(os.environ["MUTATION_REPORT"]).write_text(f"running {nodeid}", encoding="utf-8")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and os.environ.get("MUTATION_REPORT"):
        Path(os.environ["MUTATION_REPORT"]).write_text(f"failed {report.nodeid}", encoding="utf-8")
    if not os.environ.get("MUTATION_CONTEXTS"):
        return
    entry = TESTS.setdefault(report.nodeid, {"seconds": 0.0, "outcome": "passed", "fixtures": []})
    entry["seconds"] = float(entry["seconds"]) + report.duration  # type: ignore[arg-type]
    if report.failed or (report.when == "call" and report.skipped):
        entry["outcome"] = "failed" if report.failed else "skipped"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MUTATION_CONTEXTS"):
        for item in items:
            TESTS.setdefault(item.nodeid, {"seconds": 0.0, "outcome": "passed", "fixtures": []})["fixtures"] = list(
                getattr(item, "fixturenames", ())
            )
    listed = os.environ.get("MUTATION_TESTS")
    if not listed:
        return
    order = {nodeid: place for place, nodeid in enumerate(Path(listed).read_text(encoding="utf-8").splitlines())}
    chosen = sorted((item for item in items if item.nodeid in order), key=lambda item: order[item.nodeid])
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in order])
    items[:] = chosen


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = os.environ.get("MUTATION_CONTEXTS")
    if path:
        Path(path).write_text(json.dumps({"tests": TESTS, "collect": COLLECT, "setup": SETUP}, indent=0), encoding="utf-8")
