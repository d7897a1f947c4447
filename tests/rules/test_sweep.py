"""Sweeps are penny-identical to running every outcome as a scenario through the Decimal engine.

The scenarios here are built from the scenario engine's own changes (IncomeChange,
ModelChange, SharesChange, LineChange), not from the sweep's code, so the vectorised figures
are checked against an independent path, unit by unit.
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.model import BasisKind, ChargingModel, IncomeChange, LineChange, LineKind, ModelChange, SharesChange
from apportion.model.money import D, round_penny, to_fraction
from apportion.rules import sweep_units
from apportion.rules.basis_kinds import KINDS
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare
from apportion.rules.sweep import needs_the_whole_budget, outcomes_of, sweep
from apportion.rules.sweep_factors import Factor, Input, Percentages, decimal_engine
from apportion.rules.sweep_units import VECTORISED, unit_cash
from tests.conftest import EXAMPLES

BUDGETS = {path.name: load_budget(path) for path in sorted(EXAMPLES.glob("*.yaml"))}


def as_scenario(budget, factors, values):
    """The outcome as scenario changes, one per unit, line or basis touched."""
    changes = []
    for factor, value in zip(factors, values, strict=True):
        chosen = [u for u in budget.units if factor.target in ("all", u.code)]
        if factor.input is Input.GRANT:
            changes += [IncomeChange(u.code, percent=value) for u in chosen if u.income]
        elif factor.input is Input.LEVY_RATE:
            changes += [
                ModelChange(u.code, ChargingModel.LEAD_FORCE, u.lead, levy_rate=value)
                for u in chosen
                if u.model is ChargingModel.LEAD_FORCE
            ]
        elif factor.input is Input.SHARE:
            for name, basis in budget.bases.items():
                if factor.target in basis.weights and basis.kind is not BasisKind.EQUAL:
                    weights = dict(basis.weights)
                    weights[factor.target] = weights[factor.target] * (100 + value) / 100
                    changes.append(SharesChange(name, weights))
        else:
            kind = LineKind.PAY if factor.input is Input.PAY_INFLATION else LineKind.NON_PAY
            changes += [
                LineChange(u.code, line.name, round_penny(to_fraction(line.amount) * (1 + to_fraction(value) / 100)))
                for u in budget.units
                for line in u.lines
                if line.kind is kind
            ]
    return prepare(budget, None, changes)


def factors_for(budget):
    """Every kind of factor that changes something in this budget."""
    factors = [
        Factor(Input.PAY_INFLATION, "", D(-5), D(10), D("0.01")),
        Factor(Input.NON_PAY_INFLATION, "", D(-5), D(10), D("0.01")),
    ]
    if any(u.income for u in budget.units):
        factors.append(Factor(Input.GRANT, "all", D(-100), D(10), D("0.01")))
    if any(u.model is ChargingModel.LEAD_FORCE for u in budget.units):
        factors.append(Factor(Input.LEVY_RATE, "all", D(0), D(5), D("0.01")))
    member = next((m for b in budget.bases.values() if b.kind is not BasisKind.EQUAL for m in b.weights), None)
    if member is not None and any(u.basis.kind is not BasisKind.EQUAL and member in u.participants for u in budget.units):
        factors.append(Factor(Input.SHARE, member, D(-90), D(90), D("0.01")))
    return [f for f in factors if any(f.applies_to(u) for u in budget.units)]


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_every_unit_of_random_outcomes_matches_the_decimal_engine(name):
    budget = BUDGETS[name]
    factors = factors_for(budget)
    outcomes = outcomes_of(factors, draws=150, seed=sum(map(ord, name)))
    outcomes += [tuple(f.start for f in factors), tuple(f.stop for f in factors)]  # the ends of every range
    columns = [[o[i] for o in outcomes] for i in range(len(factors))]
    if needs_the_whole_budget(budget):
        # support, activity and returned income tie units together: the sweep runs the whole
        # budget per outcome, so the members' totals are compared instead
        result = sweep(budget, factors, draws=20, seed=sum(map(ord, name)))
        for values, row in zip(result.outcomes, result.cash_pence, strict=True):
            totals = apportion(as_scenario(budget, factors, values)).member_totals
            assert row.tolist() == [int(t.cash_amount * 100) for t in totals], values
        return
    for unit in budget.units:
        fast = unit_cash(unit, factors, columns, budget.membership, budget.year)
        for row, values in zip(fast, outcomes, strict=True):
            result = apportion(as_scenario(budget, factors, values))
            # a unit whose membership changes in the year comes back as its periods
            periods = [u for u in result.units if u.unit.code == unit.code or u.unit.code.startswith(f"{unit.code} ")]
            cash = {m: sum(int(s.cash_amount * 100) for u in periods if (s := u.share_of(m))) for m in unit.participants}
            assert [int(p) for p in row] == list(cash.values()), (unit.code, values)


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_one_factor_at_a_time_matches_the_members_totals(name):
    budget = BUDGETS[name]
    rng = random.Random(name)
    for factor in factors_for(budget):
        steps = factor.steps()
        picked = sorted(rng.sample(range(len(steps)), 5))
        narrowed = Factor(factor.input, factor.target, steps[picked[0]], steps[picked[-1]], factor.step)
        result = sweep(budget, [narrowed])
        for index in (0, len(result.outcomes) // 2, len(result.outcomes) - 1):
            totals = apportion(as_scenario(budget, [narrowed], result.outcomes[index])).member_totals
            assert result.cash_pence[index].tolist() == [int(t.cash_amount * 100) for t in totals], (factor, index)


EACH_KIND = """
collaboration: One unit on one kind of basis
year: 2024/25
members: [A, B, C]
bases:
  percentages: {shares: {A: 45%, B: 35%, C: 20%}}
  population: {drivers: {A: 7, B: 3, C: 2}}
  blend: {composite: {population: 40%, percentages: 30%, equal: 30%}}
units:
  - code: U
    basis: BASIS
    model: lead-force
    lead: A
    levy_rate: 2%
    pay: {Staff: 1000.03}
    non_pay: {Costs: 333.33}
    income: {Grant: 100.01}
"""
BASIS_OF_KIND = {BasisKind.SHARES: "percentages", BasisKind.DRIVERS: "population", BasisKind.EQUAL: "equal",
                 BasisKind.COMPOSITE: "blend"}  # fmt: skip


def test_there_is_a_budget_for_every_kind_of_basis_declared():
    assert set(BASIS_OF_KIND) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(BASIS_OF_KIND))
def test_each_kind_of_basis_is_swept_by_the_engine_that_takes_it_to_the_penny(kind, write_yaml, monkeypatch):
    # the vectorised engine takes only the kinds it declares; any other goes to the Decimal
    # engine; either way every outcome is the Decimal engine's, run as a scenario
    budget = load_budget(write_yaml(EACH_KIND.replace("BASIS", BASIS_OF_KIND[kind])))
    routed = []
    monkeypatch.setattr(sweep_units, "decimal_engine", lambda *args: routed.append(args) or decimal_engine(*args))
    factors = [
        Factor(Input.GRANT, "all", D(-50), D(50), D("0.5")),
        Factor(Input.LEVY_RATE, "all", D(0), D(4), D("0.25")),
        Factor(Input.SHARE, "B", D(-50), D(50), D("0.5")),
        Factor(Input.PAY_INFLATION, "", D(-5), D(5), D("0.01")),
    ]
    factors = [f for f in factors if f.applies_to(budget.units[0])]
    result = sweep(budget, factors, draws=40, seed=len(kind))
    assert bool(routed) is (kind not in VECTORISED)
    for values, row in zip(result.outcomes, result.cash_pence, strict=True):
        totals = apportion(as_scenario(budget, factors, values)).member_totals
        assert row.tolist() == [int(t.cash_amount * 100) for t in totals], values


def test_exposures_by_hand():
    # SE ROCU grants of £3.3m from -30% to +10%: Kent pays 22% of the change in net budget.
    # -30%: 1,809,368 + 22% x 990,000 = 2,027,168; +10%: 1,809,368 - 22% x 330,000 = 1,736,768;
    # the middle of the nine steps (-30, -25, ..., +10) is -10%: 1,809,368 + 72,600 = 1,881,968.
    result = sweep(BUDGETS["south-east-rocu-2014-15-lead-force.yaml"], [Factor(Input.GRANT, "all", D(-30), D(10), D(5))])
    kent = next(e for e in result.exposures(short=True) if e.member == "Kent")
    assert (kent.maximum_amount, kent.maximum_at) == (D("2027168.00"), "-30%")
    assert (kent.minimum_amount, kent.minimum_at) == (D("1736768.00"), "+10%")
    assert (kent.median_amount, kent.median_at) == (D("1881968.00"), "-10%")
    assert next(e for e in result.exposures() if e.member == "Kent").maximum_at == "grants of all units -30%"


def test_levy_rate_by_hand():
    # SEROCU's levy is rate x gross pay £4,740,000 x the payer's share; Kent's share is 22%,
    # so each point of levy rate costs Kent 1% x 4,740,000 x 22% = £10,428, and Sussex, the
    # lead, receives 1% x 4,740,000 x 80% = £37,920 more.
    budget = BUDGETS["south-east-rocu-2014-15-lead-force.yaml"]
    result = sweep(budget, [Factor(Input.LEVY_RATE, "SEROCU", D(1), D(3), D(1))])
    kent, sussex = budget.member_names.index("Kent"), budget.member_names.index("Sussex")
    assert np.diff(result.cash_pence[:, kent]).tolist() == [1042800, 1042800]
    assert np.diff(result.cash_pence[:, sussex]).tolist() == [-3792000, -3792000]


def test_draws_are_reproducible_and_come_from_the_steps():
    factors = [Factor(Input.GRANT, "all", D(-30), D(10), D("0.5")), Factor(Input.PAY_INFLATION, "", D(0), D(5), D("0.25"))]
    first, again, other = outcomes_of(factors, 500, 7), outcomes_of(factors, 500, 7), outcomes_of(factors, 500, 8)
    assert first == again
    assert first != other
    for grant, pay in first:
        assert grant in factors[0].steps() and pay in factors[1].steps()
    assert len(outcomes_of(factors)) == 81 * 21  # every combination


def test_no_change_is_the_base():
    budget = BUDGETS["east-midlands-2013-14-units.yaml"]
    result = sweep(budget, [Factor(Input.SHARE, "Kent" if "Kent" in budget.member_names else "Derbyshire", D(0), D(0), D(1))])
    assert result.cash_pence[0].tolist() == [int(t.cash_amount * 100) for t in apportion(budget).member_totals]


def test_sweep_command(tmp_path):
    example = str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    result = CliRunner().invoke(cli, ["sweep", example, "--grant", "all=-30%:10%:5%", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    kent = next(line for line in result.stdout.splitlines() if line.startswith("│ Kent"))
    assert "2,027,168.00" in kent and "-30%" in kent
    assert (tmp_path / "s" / "sweep.csv").read_text().splitlines()[0] == (
        '"member","minimum","minimum_at","median","median_at","maximum","maximum_at"'
    )


def test_sweep_command_with_several_inputs_and_draws(tmp_path):
    example = str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    args = ["sweep", example, "--grant", "all=-30%:10%:0.5%", "--levy-rate", "all=1%:3%:0.1%", "--pay-inflation", "0%:4%"]
    result = CliRunner().invoke(cli, [*args, "--draws", "300", "--seed", "3", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "300 random draws (seed 3)" in result.stdout
    lines = (tmp_path / "s" / "sweep.csv").read_text().splitlines()
    assert len(lines) == 1 + 5
    assert "grants of all units" in lines[1] and "levy rate of all units" in lines[1] and "pay inflation" in lines[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grant", "SEX=-30%:10%"], "'SEX' is not a unit; units are: SEROCU, SETSU, SEPPS, SECOU, or all"),
        (["--share", "Essex=-10%:10%"], "'Essex' is not a member"),
        (["--grant", "all=10%:-30%"], "FROM <= TO"),
        (["--grant", "all=-130%:0%"], "the grant cannot go below -100%"),
        (["--levy-rate", "all=-1%:2%"], "the levy rate cannot go below 0%"),
        (["--grant", "all=-30%:10%:0.00001%"], "more than 1,000,000"),
        (["--grant", "all=abc"], "'abc' should be FROM:TO or FROM:TO:STEP in percent, FROM <= TO, such as -30%:10%:5%\n"),
        (["--share", "Kent=-100%:0%"], "a 100% fall would leave Kent no share; to see Kent leave, run apportion compare"),
        ([], "say what to vary"),
    ],
)
def test_sweep_command_refuses_bad_ranges(args, message):
    result = CliRunner().invoke(cli, ["sweep", str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_progress_is_told_of_every_unit():
    budget = BUDGETS["south-east-rocu-2014-15-lead-force.yaml"]
    seen = []
    sweep(budget, [Factor(Input.GRANT, "all", D(-10), D(0), D(5))], progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


@given(
    st.decimals(min_value=-100, max_value=100, places=4, allow_nan=False),
    st.decimals(min_value="0.000001", max_value=50, places=6, allow_nan=False),
)
def test_a_factors_steps_are_whole_numbers_over_its_denominator(start, step):
    # Each step, start + step x i, must be exactly numerator / denominator (in percent): the
    # factor's own decimals are enough, so no step is cut short when made an integer.
    factor = Factor(Input.GRANT, "all", start.normalize(), start.normalize() + 20 * step.normalize(), step.normalize())
    steps = factor.steps()
    percent = Percentages.of(steps, factor.places())
    for value, numerator in zip(steps, percent.numerators, strict=True):
        assert Fraction(int(numerator), percent.denominator) == Fraction(value) / 100
