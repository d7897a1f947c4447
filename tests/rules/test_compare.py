"""compare: each member before and after, and the rule that moved each penny."""

from __future__ import annotations

from apportion.input.budget_file import load_budget
from apportion.model import ChargingModel, ModelChange, Without
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.compare import compare
from apportion.rules.prepare import prepare
from tests.conftest import EXAMPLES

LEAD = EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"


def test_a_member_leaving_moves_only_shares_of_cost_and_its_cash_is_taken_up_exactly():
    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    comparison = compare(apportion(budget), apportion(prepare(budget, None, [Without("Lincolnshire")])))
    by_member = {d.member: d for d in comparison.members}
    # Lincolnshire paid £2,679,206.27 (docs/domain.md) and pays nothing after
    assert (by_member["Lincolnshire"].before_amount, by_member["Lincolnshire"].after_amount) == (D("2679206.27"), D("0.00"))
    stayers = [d for d in comparison.members if d.member != "Lincolnshire"]
    assert sum((d.change_amount for d in stayers), D("0")) == D("2679206.27")
    assert comparison.before_total == comparison.after_total == D("20931299.00")
    # Nottinghamshire: 2,093,129,900p x 27.3 / 87.2 = 655,303,282.91p. The four floors leave 2p over;
    # the remainders are .91 (Nottinghamshire), .53 (Northamptonshire), .30 and .26, so
    # Nottinghamshire gets one: £6,553,032.83, up £838,788.20 on £5,714,244.63, 14.68%.
    assert by_member["Nottinghamshire"].after_amount == D("6553032.83")
    assert by_member["Nottinghamshire"].cause() == "share of cost +£838,788.20"
    assert by_member["Nottinghamshire"].change_percent == D("14.68")


def test_a_move_to_the_host_force_model_shows_the_levy_gone_and_business_support_shared():
    budget = load_budget(LEAD)
    host = ModelChange("all", ChargingModel.HOST_FORCE, "Thames Valley", D("150000.00"))
    comparison = compare(apportion(budget), apportion(prepare(budget, None, [host])))
    kent = next(d for d in comparison.members if d.member == "Kent")
    # Kent paid a levy of 2% x 22% x 8,720,000 = 38,368 (the examples' test) and pays none after;
    # its 22% of the £150,000 of business support is £33,000 more share of cost.
    assert dict(kent.by_rule) == {"share of cost": D("33000.00"), "levy": D("-38368.00"), "in-kind credit": D("0.00")}
    assert kent.cause() == "share of cost +£33,000.00; levy -£38,368.00"
    assert kent.change_amount == D("-5368.00")


def test_units_either_run_has_are_compared_and_members_of_neither_are_left_out():
    budget = load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml")
    before = apportion(budget)
    comparison = compare(before, before)
    assert all(d.change_amount == 0 for d in comparison.units)
    assert {(d.unit, d.member) for d in comparison.units} == {(u.unit.code, s.member) for u in before.units for s in u.shares}
