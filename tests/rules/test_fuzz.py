"""Random and mutated budget files: every one is either run or refused with a clear error,
never a traceback, and a refused run writes nothing. Derandomised, so CI is repeatable."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.model import InputError
from apportion.rules.calculate import apportion
from tests.conftest import CONFIGS, EXAMPLES

SOURCES = {path.name: path.read_text() for path in sorted(EXAMPLES.glob("*.yaml"))}
YAML_CHARACTERS = list(":-[]{}#&*!|>%@`'\",.\n 0123456789aZ£\t") + ["\n  ", ": ", "- ", "~", "1e999", "-5", "0.001"]
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])


def place(tmp_path: Path, text: str) -> Path:
    """Write the budget beside a copy of configs/, as the examples expect."""
    configs = tmp_path / "configs"
    if not configs.exists():
        import shutil

        shutil.copytree(CONFIGS, configs)
    (tmp_path / "examples").mkdir(exist_ok=True)
    path = tmp_path / "examples" / "budget.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@st.composite
def text_mutations(draw):
    text = SOURCES[draw(st.sampled_from(sorted(SOURCES)))]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(YAML_CHARACTERS))
        span = draw(st.integers(1, 20))
        if action == "insert":
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + span :]
        else:
            text = text[:at] + piece + text[at + span :]
    return text


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from(
        ["", "27.3%", "-3%", "£-1", "1,00,0", "1e999", "nan", "all", "equal", "lead-force", "Derbyshire", "=1+1", "../x"]
    ),
    st.text(max_size=12),
    st.lists(st.sampled_from(["Derbyshire", "Kent", "x"]), max_size=3),
    st.dictionaries(
        st.sampled_from(["Kent", "Sussex", "file", "shares", "officers"]), st.sampled_from(["10%", 5, None]), max_size=2
    ),
)


def paths_of(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, (*prefix, index))


@st.composite
def structure_mutations(draw):
    tree = yaml.safe_load(SOURCES[draw(st.sampled_from(sorted(SOURCES)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in paths_of(tree) if p]
        target = draw(st.sampled_from(paths))
        parent = tree
        for part in target[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[target[-1]]
        else:
            parent[target[-1]] = copy.deepcopy(draw(ODD_VALUES))
        if not isinstance(tree, dict):
            break
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def check_loader(tmp_path: Path, text: str) -> None:
    path = place(tmp_path, text)
    try:
        result = apportion(load_budget(path))
    except InputError as error:
        assert error.problems, "an InputError must name its problems"
        for problem in error.problems:
            assert str(problem).strip()
        return
    assert all(sum((s.cash_amount for s in u.shares), Decimal(0)) == u.unit.net_amount for u in result.units)


@FUZZ
@given(text=text_mutations())
def test_mutated_text_never_ends_in_a_traceback(tmp_path, text):
    check_loader(tmp_path, text)


@FUZZ
@given(text=structure_mutations())
def test_mutated_structure_never_ends_in_a_traceback(tmp_path, text):
    check_loader(tmp_path, text)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(text_mutations(), structure_mutations()))
def test_the_whole_run_either_writes_everything_or_nothing(tmp_path, text):
    path = place(tmp_path, text)
    out = tmp_path / "out"
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    result = CliRunner().invoke(cli, ["run", str(path), "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert not out.exists()
        assert "Traceback" not in result.output
    else:
        assert (out / "contributions.csv").exists() and (out / "summary.xlsx").exists()
