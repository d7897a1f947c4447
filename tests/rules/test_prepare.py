"""prepare: one step makes every variant of a budget ready for the one calculation."""

from __future__ import annotations

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import Without
from apportion.model.money import D
from apportion.rules.prepare import prepare
from apportion.rules.scenarios import ScenarioError
from tests.conftest import EXAMPLES


def test_the_scenario_then_the_what_ifs_are_applied_and_named():
    budget = load_budget(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    prepared = prepare(budget, "grant-cut-20", [Without("Kent")])
    assert prepared.budget.scenario == "grant-cut-20 + what-if: Kent leaves every unit"
    assert all("Kent" not in unit.participants for unit in prepared.units)
    cut = next(u for u in prepared.units if u.code == "SEROCU")
    base = next(u for u in budget.units if u.code == "SEROCU")
    assert cut.income_amount == base.income_amount * D("0.8")
    assert budget.scenario is None  # the budget as written is untouched


def test_a_unit_whose_membership_changes_is_split_into_its_periods():
    budget = load_budget(EXAMPLES / "west-midlands-uniformed-operations-2013-14.yaml")
    prepared = prepare(budget)
    assert len(prepared.units) == len(budget.units) + 1
    assert [u.code for u in prepared.units if u.code.startswith("UNIFORMED")] == [
        "UNIFORMED 1 Apr-30 Sep 2013", "UNIFORMED 1 Oct-31 Mar 2014",
    ]  # fmt: skip


def test_each_later_year_of_a_plan_is_prepared_with_the_variant():
    budget = load_budget(EXAMPLES / "east-midlands-mtfp-2013-17.yaml")
    prepared = prepare(budget, None, [Without("Lincolnshire")])
    assert [year.budget.year for year in prepared.later_years] == ["2014/15", "2015/16", "2016/17"]
    assert all(year.later_years == () for year in prepared.later_years)
    assert all("Lincolnshire" not in unit.participants for year in prepared.later_years for unit in year.units)


def test_an_unknown_scenario_names_those_there_are():
    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    with pytest.raises(ScenarioError, match="there is no scenario 'x'; scenarios are: lincolnshire-leaves"):
        prepare(budget, "x")


def test_a_what_if_that_takes_a_total_past_the_limit_is_refused():
    from apportion.model import ChargingModel, ModelChange
    from apportion.rules.prepare import LimitError

    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    huge = ModelChange("all", ChargingModel.HOST_FORCE, "Nottinghamshire", D("9999999999999.99"))
    with pytest.raises(LimitError) as caught:
        prepare(budget, None, [huge])
    # £20,931,299 + £9,999,999,999,999.99 of business support
    assert str(caught.value) == (
        "2013/14 in what-if: all moves to host-force (hosted by Nottinghamshire), adding £9,999,999,999,999.99 of business "
        "support: EM-REGIONAL's spending would total £10,000,020,931,298.99, more than apportion handles "
        "(under £10,000,000,000,000, what a spreadsheet holds to the penny)"
    )
