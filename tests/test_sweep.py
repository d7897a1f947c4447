"""Sweeps are penny-identical to running every scenario through the Decimal engine."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from click.testing import CliRunner

from apportion.calculate import apportion
from apportion.cli import cli
from apportion.loader import load_budget
from apportion.model import IncomeChange
from apportion.money import D
from apportion.scenarios import prepare
from apportion.sweep import percentage_steps, sweep_grants, unit_cash

from .conftest import EXAMPLES

BUDGETS = {path.name: load_budget(path) for path in sorted(EXAMPLES.glob("*.yaml"))}


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_every_unit_of_random_scenarios_matches_the_decimal_engine(name):
    budget = BUDGETS[name]
    rng = random.Random(name)  # deterministic
    changes = [Decimal(rng.randint(-3000, 1000)) / 100 for _ in range(200)]  # -30.00% to +10.00%
    for unit in budget.units:
        if not unit.income:
            continue
        fast = unit_cash(unit, changes)
        for row, change in zip(fast, changes, strict=True):
            changed = prepare(budget, None, [IncomeChange(unit.code, percent=change)])
            result = apportion(changed)
            shares = next(u for u in result.units if u.unit.code == unit.code).shares
            assert [int(p) for p in row] == [int(s.cash_amount * 100) for s in shares], (unit.code, change)


def test_exposures_by_hand():
    # SE ROCU grants of £3.3m from -30% to +10%: Kent pays 22% of the change in net budget.
    # -30%: 1,809,368 + 22% x 990,000 = 2,027,168; +10%: 1,809,368 - 22% x 330,000 = 1,736,768;
    # the middle of the nine steps (-30, -25, ..., +10) is -10%: 1,809,368 + 72,600 = 1,881,968.
    sweep = sweep_grants(BUDGETS["south-east-rocu-2014-15-lead-force.yaml"], "all", percentage_steps(D(-30), D(10), D(5)))
    kent = next(e for e in sweep.exposures() if e.member == "Kent")
    assert (kent.maximum_amount, kent.maximum_change) == (D("2027168.00"), D(-30))
    assert (kent.minimum_amount, kent.minimum_change) == (D("1736768.00"), D(10))
    assert (kent.median_amount, kent.median_change) == (D("1881968.00"), D(-10))


def test_sweep_command(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "sweep",
            str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"),
            "--grant",
            "all=-30%:10%:5%",
            "--out",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 0, result.output
    kent = next(line for line in result.stdout.splitlines() if line.startswith("│ Kent"))
    assert "2,027,168.00" in kent and "-30%" in kent
    assert (tmp_path / "s" / "sweep.csv").read_text().splitlines()[0] == (
        '"member","minimum","minimum_at","median","median_at","maximum","maximum_at"'
    )
