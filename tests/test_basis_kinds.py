"""A kind of basis is added in four places, and every command follows.

A made-up kind, ``ranked`` (members listed in order; of n, the first weighs n, the next
n - 1, down to 1), is added here as a new kind would be: its name (as ``BasisKind`` would
hold it), its keys in the description of the file, its reader, and its rule (weights and
words). Nothing else is touched, and run, verify, explain, sweep and the workbooks take it
end to end, with the figures worked by hand.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from apportion.cli import cli
from apportion.input import bases as basis_reader
from apportion.input.keys import TEXT, Key, Section
from apportion.rules import basis_kinds, sweep_units
from apportion.rules.basis_kinds import KindRule, given
from apportion.rules.sweep_factors import decimal_engine


class MadeUp(StrEnum):
    RANKED = "ranked"  # 1. its name, as apportion.model.records.BasisKind would hold it


RANKED_KEY = Key("ranked", {"type": "array", "items": TEXT}, "members in order, the first weighing most")


def read_ranked(reader: Any, value: Any, path: Any, _kind: Any, _unit_label: str | None) -> dict[str, Decimal] | None:
    """3. Its reader: a list of members; of n, the first weighs n, the last 1."""
    if not isinstance(value, list) or not all(name in reader.members for name in value):
        reader.problem(path, "list the members in order, such as [A, B, C]")
        return None
    return {name: Decimal(len(value) - place) for place, name in enumerate(value)}


@pytest.fixture
def ranked_kind(monkeypatch):
    """The made-up kind, added in the four places a new kind is added."""
    # 2. its keys in the description of the budget file
    described = basis_reader.BASIS._replace(keys=(*basis_reader.BASIS.keys, RANKED_KEY))
    monkeypatch.setattr(basis_reader, "BASIS", described)
    monkeypatch.setattr(basis_reader, "VALUES", (*basis_reader.VALUES, "ranked"))
    # 3. its reader
    monkeypatch.setitem(basis_reader.VALUE_READERS, "ranked", (MadeUp.RANKED, read_ranked))
    # 4. its rule: its weights and its words
    monkeypatch.setitem(basis_kinds.KINDS, MadeUp.RANKED, KindRule(given, lambda basis: f"{basis.name} (ranked)"))
    assert isinstance(described, Section)


BUDGET = """\
collaboration: A made-up kind of basis (illustrative)
year: 2024/25
members: [A, B, C]
bases:
  seniority: {ranked: [A, B, C]}
units:
  - code: U
    basis: seniority
    non_pay: {Costs: 1300}
    income: {Grant: 100}
"""


def test_a_made_up_kind_needs_only_its_name_description_reader_and_rule(ranked_kind, write_yaml, tmp_path, monkeypatch):
    budget = str(write_yaml(BUDGET))
    runner = CliRunner()
    # run: net 1,300 - 100 = 1,200, weights 3, 2, 1 of 6: A 600, B 400, C 200
    result = runner.invoke(cli, ["run", budget, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out" / "contributions.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-3:] == [
        '"2024/25","U","U","A","police force","share_of_net_cost","seniority",0.500000000000,600.00,0.00',
        '"2024/25","U","U","B","police force","share_of_net_cost","seniority",0.333333333333,400.00,0.00',
        '"2024/25","U","U","C","police force","share_of_net_cost","seniority",0.166666666667,200.00,0.00',
    ]
    # the workbooks: its values on the Lines sheet (member, value in the basis), its words on the Inputs
    book = load_workbook(tmp_path / "out" / "summary.xlsx")
    rows = [[cell.value for cell in row] for row in book["Lines"].iter_rows(min_row=5, max_row=7)]
    assert [(row[1], row[2]) for row in rows] == [("A", 3), ("B", 2), ("C", 1)]
    basis = next(row for row in book["Inputs"].iter_rows(min_row=5, values_only=True) if row[1] == "Basis")
    assert basis[4] == "seniority (ranked)"
    # verify reproduces every file
    verified = runner.invoke(cli, ["verify", budget, str(tmp_path / "out")])
    assert verified.exit_code == 0 and verified.output.strip().endswith("reproduced"), verified.output
    # explain: the member's value of the participants' total
    explained = runner.invoke(cli, ["explain", budget, "--member", "B"])
    assert explained.exit_code == 0, explained.output
    assert "basis seniority: B 2 of the participants' total 6 (all 3 members)" in " ".join(explained.output.split())
    # sweep: the vectorised engine does not declare it, so the Decimal engine takes it.
    # Grants -50%: net 1,250: A 625, B 416.666..., C 208.333...: floors 1,249.99, the penny
    # to B (0.67p against C's 0.33p): B 416.67, C 208.33. Grants as they are: 600, 400, 200.
    routed = []
    monkeypatch.setattr(sweep_units, "decimal_engine", lambda *args: routed.append(args) or decimal_engine(*args))
    swept = runner.invoke(cli, ["sweep", budget, "--grant", "all=-50%:0%:50%", "--out", str(tmp_path / "sweep")])
    assert swept.exit_code == 0, swept.output
    assert routed
    assert (tmp_path / "sweep" / "sweep.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        '"A",600.00,"grants of all units 0%",600.00,"grants of all units 0%",625.00,"grants of all units -50%"',
        '"B",400.00,"grants of all units 0%",400.00,"grants of all units 0%",416.67,"grants of all units -50%"',
        '"C",200.00,"grants of all units 0%",200.00,"grants of all units 0%",208.33,"grants of all units -50%"',
    ]


def test_without_its_reader_the_kind_is_an_unknown_key(write_yaml):
    # the guard: nothing but the four places knows the kind
    result = CliRunner().invoke(cli, ["validate", str(write_yaml(BUDGET))])
    assert result.exit_code == 1
    assert "unknown key 'ranked'" in result.output


def test_a_basis_of_driver_values_is_worded_by_its_unit_or_as_driver_values(write_yaml):
    # "people (officers, normalised)" where the file names the values' unit; else they are
    # "driver values" (the Inputs sheet's rule row, the explain text).
    text = (
        "collaboration: Test\nyear: 2024/25\nmembers: [A, B]\n"
        "bases:\n  people: {drivers: {A: 290, B: 10}, unit: officers}\n  size: {drivers: {A: 3, B: 1}}\n"
        "units:\n  - code: U\n    basis: people\n    non_pay: {Costs: 100}\n"
    )
    from apportion.input.budget_file import load_budget

    bases = {basis.name: basis for basis in load_budget(write_yaml(text)).bases.values()}
    assert basis_kinds.rule_of(bases["people"]).words(bases["people"]) == "people (officers, normalised)"
    assert basis_kinds.rule_of(bases["size"]).words(bases["size"]) == "size (driver values, normalised)"
