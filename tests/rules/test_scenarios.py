"""Scenarios and what-ifs: each change worked by hand, and the properties a finance officer
relies on (no change is the base; a leaver's share passes exactly to those who stay)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.model import ChargingModel, IncomeChange, ModelChange, Without
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.compare import compare
from apportion.rules.prepare import prepare
from apportion.rules.scenarios import ScenarioError
from tests.conftest import EXAMPLES, read_contributions

SE_LEAD = EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"
EM = EXAMPLES / "east-midlands-2013-14.yaml"
EXAMPLE_BUDGETS = {path.name: load_budget(path) for path in sorted(EXAMPLES.glob("*.yaml"))}


def cash(result):
    return {t.member: t.cash_amount for t in result.member_totals}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("name", sorted(EXAMPLE_BUDGETS))
def test_a_scenario_with_no_changes_is_the_base_exactly(name):
    budget = EXAMPLE_BUDGETS[name]
    base = apportion(budget)
    same = apportion(prepare(budget, None, ()))
    assert [u.shares for u in same.units] == [u.shares for u in base.units]
    assert prepare(budget, None, []).budget is budget


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.data())
def test_the_stayers_pick_up_exactly_what_the_leaver_paid(data):
    # (a budget whose membership changes mid-year is left out: with its other member gone, a
    # leaver's unit has no one left for the rest of the year, which is refused, not a property)
    budget = EXAMPLE_BUDGETS[data.draw(st.sampled_from(sorted(n for n, b in EXAMPLE_BUDGETS.items() if not b.membership)))]
    leads = {u.lead for u in budget.units if u.lead}
    leavers = [m for m in budget.member_names if m not in leads]
    leaver = data.draw(st.sampled_from(leavers))
    units_left_empty = [u for u in budget.units if u.participants == (leaver,)]
    if units_left_empty:
        return
    comparison = compare(apportion(budget), apportion(prepare(budget, None, (Without(leaver),))))
    rows = {d.member: d for d in comparison.members}
    increases = sum((d.change_amount for m, d in rows.items() if m != leaver), Decimal(0))
    assert increases == rows[leaver].before_amount
    assert rows[leaver].after_amount == 0


def test_lincolnshire_leaves_east_midlands():
    # The other four re-normalised over 87.2%: of 2,093,129,900p, Nottinghamshire x 273/872 =
    # 655,303,282.913p; Leicestershire x 228/872 = 547,286,258.257p; Derbyshire x 222/872 =
    # 532,883,988.303p; Northamptonshire x 149/872 = 357,656,370.528p. The floors leave 2p,
    # to Nottinghamshire (.913) and Northamptonshire (.528); Derbyshire keeps its floor.
    result = run("compare", EM, "--scenario", "lincolnshire-leaves", "--out", "/dev/null/x")
    assert result.exit_code == 1  # the output folder cannot be made; nothing else is wrong
    after = cash(apportion(prepare(load_budget(EM), "lincolnshire-leaves", [])))
    assert sum(after.values()) == D("20931299.00")
    assert after["Lincolnshire"] == 0
    assert after["Derbyshire"] == D("5328839.88")
    assert after["Nottinghamshire"] == D("6553032.83")


def test_grant_cut_by_a_fifth():
    # SE ROCU grants total £3.3m; 20% less is £660,000 more to fund. Kent's 22% is £145,200.
    before = apportion(load_budget(SE_LEAD))
    after = apportion(prepare(load_budget(SE_LEAD), None, [IncomeChange("all", percent=D("-20"))]))
    assert cash(after)["Kent"] - cash(before)["Kent"] == D("145200.00")
    grant = next(u for u in after.units if u.unit.code == "SEROCU").unit.income_amount
    assert grant == D("1600000.00")


def test_moving_to_the_host_force_model_removes_the_levy():
    # Lead-force Kent pays 1,771,000 + levy 38,368 = 1,809,368 (test_examples). Host-force,
    # with £150,000 of business support spread over the units: 22% of 8,200,000 = 1,804,000.
    change = ModelChange("all", ChargingModel.HOST_FORCE, "Thames Valley", D("150000.00"))
    after = apportion(prepare(load_budget(SE_LEAD), None, [change]))
    assert all(u.levy_total_amount == 0 for u in after.units)
    assert cash(after)["Kent"] == D("1804000.00")
    assert sum(cash(after).values()) == D("8200000.00")


def test_compare_names_the_rule_that_moved_each_member():
    change = ModelChange("all", ChargingModel.HOST_FORCE, "Thames Valley", D("150000.00"))
    budget = load_budget(SE_LEAD)
    comparison = compare(apportion(budget), apportion(prepare(budget, None, [change])))
    kent = next(d for d in comparison.members if d.member == "Kent")
    # Share of cost: 22% x 150,000 = +33,000; levy: -38,368; net -5,368.
    assert kent.change_amount == D("-5368.00")
    assert kent.cause() == "share of cost +£33,000.00; levy -£38,368.00"
    assert kent.change_percent == D("-0.30")


def test_what_if_options_on_the_command_line(tmp_path):
    result = run(
        "compare", SE_LEAD, "--host-force", "all=Thames Valley", "--business-support", "all=150000", "--out", tmp_path / "cmp"
    )
    assert result.exit_code == 0, result.output
    kent = next(line for line in result.stdout.splitlines() if "Kent" in line)
    for figure in ("1,809,368.00", "1,804,000.00", "-5,368.00", "-0.30%", "share of cost +£33,000.00; levy -£38,368.00"):
        assert figure in kent
    rows = read_contributions(tmp_path / "cmp" / "comparison.csv")
    kent = next(r for r in rows if r["member"] == "Kent" and r["unit"] == "all units")
    assert (kent["before"], kent["after"], kent["change"]) == ("1809368.00", "1804000.00", "-5368.00")
    assert (tmp_path / "cmp" / "comparison.xlsx").exists()


def test_run_with_a_what_if_records_it_in_the_provenance(tmp_path):
    result = run("run", EM, "--without", "Lincolnshire", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))["apportion"]
    assert record["scenario"] == "what-if: Lincolnshire leaves every unit"
    assert record["asked"]["what_ifs"] == [{"without": "Lincolnshire"}]
    # verify reruns the what-if the outputs record, and says so
    assert run("verify", EM, tmp_path / "out").output == (
        "note: checking the run the outputs record: what-if: Lincolnshire leaves every unit\nreproduced\n"
    )
    given = run("verify", EM, tmp_path / "out", "--without", "Lincolnshire")
    assert given.output.endswith("reproduced\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grant-change", "SEROCU"], "'SEROCU' should be UNIT=VALUE"),
        (["--grant-change", "SEROCU=a lot"], "'a lot' is not a change; write UNIT=-20% or UNIT=-400000"),
        (["--business-support", "SEROCU=150000"], "no --host-force for SEROCU"),
    ],
)
def test_bad_what_ifs_are_usage_errors(args, message):
    result = run("run", SE_LEAD, "--out", "unused", *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [Without("Sussex")],
            "Sussex leads SEROCU: give the unit another lead or host first: in a scenario, a model: "
            "change before without:; on the command line, --lead-force SEROCU=MEMBER or --host-force "
            "SEROCU=MEMBER",
        ),
        (
            [Without("Essex")],
            "Essex leaves every unit: 'Essex' is not a member; members are: Hampshire, Kent, Surrey, Sussex, Thames Valley",
        ),
        ([IncomeChange("SEROCU", amount=D("-3000000"))], "SEROCU's income of £2,000,000.00 cannot fall by £3,000,000.00"),
        ([IncomeChange("NOPE", percent=D("5"))], "there is no unit 'NOPE'; units are: SEROCU, SETSU, SEPPS, SECOU"),
    ],
)
def test_changes_that_cannot_be_made_say_why(changes, message):
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)").replace("£", "£")):
        prepare(load_budget(SE_LEAD), None, changes)


def test_unknown_scenario_is_an_error():
    result = run("run", SE_LEAD, "--scenario", "grant-cut", "--out", "unused")
    assert result.exit_code == 2  # a usage error, as every name typed on the command line
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for --scenario: 'grant-cut' is not a scenario (did you mean 'grant-cut-20'?); "
        "scenarios are: grant-cut-20, host-force"
    )
    with pytest.raises(ScenarioError, match="there is no scenario 'grant-cut'; scenarios are: grant-cut-20, host-force"):
        prepare(load_budget(SE_LEAD), "grant-cut")  # and the library's own message
