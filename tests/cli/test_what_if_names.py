"""What-ifs typed on the command line: names matched as the YAML matches them, a change
told from a new total, and compare saying what run would warn of."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES

CHILTERN = EXAMPLES / "chiltern-transport-consortium-2016-17.yaml"
MEMBERS = "members are: Thames Valley, Hertfordshire, Bedfordshire, Civil Nuclear Constabulary"
UNITS = "units are: CTC-ROADS, CTC-FIREARMS, CTC-POCA, or all"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grant-change", "CTC-ROADS=0"],
         "Invalid value for --grant-change: 'CTC-ROADS=0' changes the income by nothing; for no income at all write "
         "--grant-set CTC-ROADS=0 (or --grant-change CTC-ROADS=-100%); for a cut write --grant-change CTC-ROADS=-20% "
         "or CTC-ROADS=-150000"),
        (["--host-force", "CTC-ROADS=Thames Valley Police"],
         f"Invalid value for --host-force: 'Thames Valley Police' is not a member (did you mean 'Thames Valley'?); {MEMBERS}"),
        (["--without", "Bedfordshire Police"],
         f"Invalid value for --without: 'Bedfordshire Police' is not a member (did you mean 'Bedfordshire'?); {MEMBERS}"),
        (["--grant-change", "CTC-RODS=-10%"],
         f"Invalid value for --grant-change: 'CTC-RODS' is not a unit (did you mean 'CTC-ROADS'?); {UNITS}"),
        (["--grant-set", "CTC-ROADS=lots"], "Invalid value for --grant-set: 'lots' is not an amount; write UNIT=0 or UNIT=150000"),
        (["--scenario", "no-grant"], "Invalid value for --scenario: 'no-grant' is not a scenario: the budget file has no scenarios"),
    ],
)  # fmt: skip
def test_a_what_if_naming_nothing_in_the_budget_is_refused_with_the_names_it_could_be(args, message):
    result = run("compare", CHILTERN, *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_codes_and_names_typed_in_another_case_are_the_budgets_own():
    # CTC-ROADS's income falls to nothing, the 600,000 grant and the 420,000 of fees it returns:
    # the members pay 1,020,000 more
    lower = run("compare", CHILTERN, "--grant-set", "ctc-roads=0")
    upper = run("compare", CHILTERN, "--grant-set", "CTC-ROADS=0")
    assert lower.exit_code == upper.exit_code == 0
    assert lower.output == upper.output
    assert "+1,020,000.00" in lower.output.split("Total")[-1]
    assert run("explain", CHILTERN, "--member", "bedfordshire", "--unit", "ctc-poca").exit_code == 0


def test_a_scenario_of_the_file_sets_income_to_a_total_and_refuses_a_change_of_nothing(write_yaml):
    text = (
        "collaboration: Test\nyear: 2024/25\nmembers: [A, B]\n"
        "units:\n  - code: U\n    basis: equal\n    pay: {Staff: 1000}\n    income: {Grant: 300, Fees: 100}\n"
        "scenarios:\n  - name: no-income\n    changes:\n      - income: {unit: U, to: 0}\n"
    )
    # net 1,000 - 400 = 600, 300 each; with no income 1,000, 500 each: 200 more each
    result = run("compare", write_yaml(text), "--scenario", "No-Income")
    assert result.exit_code == 0, result.output
    assert "+400.00" in result.output.split("Total")[-1]
    refused = run("validate", write_yaml(text.replace("to: 0", "change: 0"), "nothing.yaml"))
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0].endswith(
        "scenarios[0].changes[0].income.change: a change of 0 changes nothing; for no income at all write to: 0 "
        "(or change: -100%), for a cut write change: -20% or change: -150000"
    )


def test_compare_shows_the_warnings_run_gives_for_each_side(write_yaml):
    # A seconds 1,000 in kind under offset: its share of 1,000 - 100 + 1,000 is 950, so it is
    # owed 50, a warning; with the grant gone the share is 1,000 and the warning goes with it.
    path = write_yaml(
        "collaboration: Test\nyear: 2024/25\nmembers: [A, B]\n"
        "units:\n  - code: U\n    basis: {shares: {A: 50%, B: 50%}}\n    pay: {Staff: 1000}\n    income: {Grant: 100}\n"
        "    in_kind: {A: 1000}\n    in_kind_treatment: offset\n"
    )
    warned = "A's in-kind value (£1,000.00) exceeds its share of the unit's total cost (£950.00); it is owed a credit of £50.00"
    assert warned in run("run", path, "--out", path.parent / "out").output
    result = run("compare", path, "--grant-set", "U=0")
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("warning")] == [
        f"warning (before): {path}:5: units[U]: {warned}"
    ]


PLAN = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: U
    basis: {shares: {A: 60%, B: 40%}}
    pay: {Staff: 100000}
    income: {Grant: 20000}
plan:
  years: [2025/26, 2026/27]
  pay_inflation: 10%
"""


def plan_rows(output: str) -> dict[str, list[str]]:
    table = output.split("Medium-term plan")[1]
    return {
        cells[0]: cells[1:] for line in table.splitlines() if len(cells := [c.strip() for c in line.split("│") if c.strip()]) == 4
    }


def test_a_what_if_from_a_later_year_of_the_plan_changes_that_year_and_after(write_yaml):
    path = write_yaml(PLAN)
    # as planned: 2024/25 80,000 (A 48,000); 2025/26 110,000 - 20,000 = 90,000 (A 54,000);
    # 2026/27 121,000 - 20,000 = 101,000 (A 60,600). With no grant from 2025/26: 2025/26
    # 110,000 (A 66,000) and 2026/27 121,000 (A 72,600); 2024/25 as it was.
    planned = run("run", path, "--out", path.parent / "planned")
    changed = run("run", path, "--grant-set", "U=0", "--from-year", "2025/26", "--out", path.parent / "changed")
    assert planned.exit_code == changed.exit_code == 0, changed.output
    assert plan_rows(planned.output)["A"] == ["48,000.00", "54,000.00", "60,600.00"]
    assert plan_rows(changed.output)["A"] == ["48,000.00", "66,000.00", "72,600.00"]
    assert run("verify", path, path.parent / "changed").output == (
        "note: checking the run the outputs record: what-if from 2025/26: grants and income of U set to £0.00\nreproduced\n"
    )
    refused = run("run", path, "--grant-set", "U=0", "--from-year", "2030/31", "--out", path.parent / "refused")
    assert refused.exit_code == 1
    assert refused.output.splitlines()[-1] == (
        "Error: '2030/31' is not a later year of the plan; the plan's years are: 2025/26, 2026/27 (the budget year is 2024/25)"
    )


def test_a_revision_of_the_instalments_is_written_verified_and_refused_without_a_change(tmp_path):
    em = EXAMPLES / "east-midlands-2013-14.yaml"
    out = tmp_path / "revised"
    made = run("run", em, "--scenario", "lincolnshire-leaves", "--revised-from", "2013-10-01", "--out", out)
    assert made.exit_code == 0, made.output
    lines = (out / "instalments.csv").read_text(encoding="utf-8").splitlines()
    # worked in tests/rules/test_instalments.py: Lincolnshire pays 183/365 of its share, and Q3
    # and Q4 share what its Q1 and Q2 did not invoice
    assert '"Lincolnshire","Q3","2013-10-15",1835.07,"EMRC-1314-LINCOLNSHIRE-Q3","quarterly, in advance"' in lines
    assert "Instalments, as revised" in made.output
    assert run("verify", em, out).output.endswith("reproduced\n")
    alone = run("run", em, "--revised-from", "2013-10-01", "--out", tmp_path / "alone")
    assert alone.exit_code == 1
    assert alone.output.splitlines()[-1] == (
        "Error: revised from 1 October 2013: give the scenario or what-ifs that change the contributions from then"
    )


def test_a_lead_that_leaves_can_be_given_a_successor_on_the_same_command_line():
    se = EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"
    alone = run("compare", se, "--without", "Sussex")
    assert alone.exit_code == 1
    assert "--lead-force SEROCU=MEMBER or --host-force SEROCU=MEMBER" in alone.output
    with_successor = run("compare", se, "--without", "Sussex", "--lead-force", "SEROCU=Kent")
    assert with_successor.exit_code == 0, with_successor.output
    sussex = next(line for line in with_successor.output.splitlines() if line.startswith("│ Sussex"))
    assert "│         0.00 │" in sussex  # it pays nothing after
