"""The command line: exact messages for bad input, nothing written, outputs where asked."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES, read_contributions

BASE = """\
collaboration: Test collaboration
year: 2024/25
members: [Derbyshire, Leicestershire, Lincolnshire]
bases:
  formula:
    shares:
      Derbyshire: 40%
      Leicestershire: 35%
      Lincolnshire: 25%
units:
  - code: ROCU
    name: Regional unit
    basis: formula
    model: lead-force
    lead: Derbyshire
    pay:
      Salaries: 100000
    income:
      Grant: 10000
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def budget_file(tmp_path, text, name="budget.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD_INPUTS = {
    "yaml syntax error": (
        BASE.replace("members: [Derbyshire, Leicestershire, Lincolnshire]", "members: [Derbyshire, Leicestershire"),
        ["budget.yaml:4: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"],
    ),
    "unknown member in a basis": (
        BASE.replace("      Lincolnshire: 25%", "      Lincs: 25%"),
        [
            "budget.yaml:9: bases.formula.shares.Lincs: 'Lincs' is not a member; members are: Derbyshire, Leicestershire, Lincolnshire"
        ],
    ),
    "shares summing to 99%": (
        BASE.replace("Lincolnshire: 25%", "Lincolnshire: 24%"),
        [
            "budget.yaml:6: bases.formula.shares: shares sum to 99%, 1% short of 100%; correct them, "
            "or give raw values under drivers: to have them normalised"
        ],
    ),  # fmt: skip
    "negative amount": (
        BASE.replace("Salaries: 100000", "Salaries: -100000"),
        [
            "budget.yaml:17: units[ROCU].pay.Salaries: -£100,000.00 is negative; give spending as a positive amount "
            "and record grants and income under income:"
        ],
    ),  # fmt: skip
    "lead who is not a participant": (
        BASE.replace("    basis: formula\n", "    basis: formula\n    participants: [Leicestershire, Lincolnshire]\n"),
        ["budget.yaml:16: units[ROCU].lead: 'Derbyshire' leads the unit but does not take part in it; add it to participants:"],
    ),
    "duplicate unit": (
        BASE + "  - code: rocu\n    basis: equal\n    non_pay: {Premises: 5}\n",
        ["budget.yaml:20: units[rocu].code: unit code 'rocu' is used twice (first on line 11); give each unit its own code"],
    ),
    "unit with no budget": (
        BASE + "  - code: EMPTY\n    basis: equal\n",
        ["budget.yaml:20: units[EMPTY]: the unit has no budget; give its spending under pay: and/or non_pay:"],
    ),
    "malformed percentage": (
        BASE.replace("Leicestershire: 35%", "Leicestershire: 35 percent"),
        ["budget.yaml:8: bases.formula.shares.Leicestershire: '35 percent' is not a percentage; write it like '27.3%'"],
    ),
    "percentage without its sign": (
        BASE.replace("Leicestershire: 35%", "Leicestershire: 35"),
        ["budget.yaml:8: bases.formula.shares.Leicestershire: 35 is ambiguous; write a percentage with its sign, such as '35%'"],
    ),
    "unknown key, a typo": (
        BASE.replace("    model: lead-force", "    modle: lead-force"),
        [
            "budget.yaml:14: units[ROCU].modle: unknown key 'modle' (did you mean 'model'?); allowed keys: code, name, "
            "description, participants, basis, model, lead, host, levy_rate, levy_base, pay, non_pay, income, lines_from, in_kind, "
            "in_kind_treatment",
            "budget.yaml:15: units[ROCU].lead: lead: is used only with model: lead-force; remove it or set the model",
        ],
    ),  # fmt: skip
    "empty file": ("", ["budget.yaml:1: the file is empty"]),
    "unknown basis": (
        BASE.replace("basis: formula", "basis: fromula"),
        ["budget.yaml:13: units[ROCU].basis: 'fromula' is not a basis (did you mean 'formula'?); bases are: formula, equal"],
    ),
    "fractions of a penny": (
        BASE.replace("Grant: 10000", "Grant: 10000.125"),
        [
            "budget.yaml:19: units[ROCU].income.Grant: 10000.125 has fractions of a penny; give pounds and pence (at most two decimal places)"
        ],
    ),
    "member listed twice": (
        BASE.replace(
            "members: [Derbyshire, Leicestershire, Lincolnshire]",
            "members: [Derbyshire, Leicestershire, Lincolnshire, Derbyshire]",
        ),
        ["budget.yaml:3: members[3]: member 'Derbyshire' is listed twice; list each member once"],
    ),
    "levy under a host-force model": (
        BASE.replace("model: lead-force\n    lead:", "model: host-force\n    levy_rate: 2%\n    host:"),
        [
            "budget.yaml:15: units[ROCU].levy_rate: a levy is charged only under model: lead-force; remove levy_rate or change the model"
        ],
    ),
    "missing shares file": (
        BASE.replace("bases:", "shares_file: shares/2024.yaml\nbases:"),
        ["budget.yaml:4: shares_file: there is no file shares/2024.yaml; the path is relative to this file"],
    ),
    "in-kind from a member outside the unit": (
        BASE.replace("    basis: formula\n", "    basis: formula\n    participants: [Derbyshire, Leicestershire]\n")
        + "    in_kind:\n      Lincolnshire: {officers: 2, cost_each: 50000}\n",
        [
            "budget.yaml:22: units[ROCU].in_kind.Lincolnshire: 'Lincolnshire' gives officers in kind but does not take part in the unit; "
            "add it to participants:"
        ],
    ),  # fmt: skip
    "participant missing from the basis": (
        BASE.replace("      Lincolnshire: 25%\n", "").replace("Leicestershire: 35%", "Leicestershire: 60%"),
        [
            "budget.yaml:12: units[ROCU].basis: basis 'formula' has no value for Lincolnshire, who takes part; "
            "add a value to the basis or list the unit's participants:"
        ],
    ),  # fmt: skip
    "fixed amounts above the net budget": (
        BASE.replace("basis: formula", "basis: {fixed: {Lincolnshire: 95000}, remainder: formula}"),
        [
            "budget.yaml:13: units[ROCU].basis.fixed: fixed amounts total £95,000.00, more than the unit's net budget of £90,000.00"
        ],
    ),
    "unknown top-level key": (
        BASE.replace("year: 2024/25", "year: 2024/25\nyaer: 2025/26"),
        [
            "budget.yaml:3: yaer: unknown key 'yaer' (did you mean 'year'?); allowed keys: collaboration, year, currency, "
            "description, members, shares_file, bases, defaults, units, scenarios, year_end, membership, plan"
        ],
    ),  # fmt: skip
    "participants not a list": (
        BASE.replace("    basis: formula\n", "    basis: formula\n    participants: some\n"),
        ["budget.yaml:14: units[ROCU].participants: expected 'all' or a list of members, found 'some'"],
    ),
    "unknown charging model": (
        BASE.replace("model: lead-force", "model: lead force"),
        [
            "budget.yaml:14: units[ROCU].model: 'lead force' is not one of lead-force, host-force, none (did you mean 'lead-force'?)"
        ],
    ),
    "host-force without a host": (
        BASE.replace("    lead: Derbyshire\n", "").replace("model: lead-force", "model: host-force"),
        ["budget.yaml:11: units[ROCU]: model: host-force needs host: naming the member who hosts the unit"],
    ),
    "levy above 100%": (
        BASE.replace("    lead: Derbyshire\n", "    lead: Derbyshire\n    levy_rate: 200%\n"),
        ["budget.yaml:16: units[ROCU].levy_rate: a levy of 200% is more than 100%; give the rate as a percentage such as '2%'"],
    ),
    "two members writing the same file": (
        BASE.replace(
            "members: [Derbyshire, Leicestershire, Lincolnshire]",
            "members: [Derbyshire, Leicestershire, Lincolnshire, derbyshire]",
        ),
        [
            "budget.yaml:3: members[3]: member 'derbyshire' would write derbyshire.xlsx, the same file as member 'Derbyshire'; rename it"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_input_is_reported_exactly_and_nothing_is_written(tmp_path, monkeypatch, case, command):
    monkeypatch.chdir(tmp_path)
    text, expected = BAD_INPUTS[case]
    budget_file(tmp_path, text)
    args = ["run", "budget.yaml", "--out", "out"] if command == "run" else ["validate", "budget.yaml"]
    result = run(*args)
    assert result.exit_code == 1
    count = len(expected)
    assert result.stderr.splitlines() == [*expected, f"{count} problem{'s' if count > 1 else ''} found; nothing was written."]
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_every_problem_is_reported_in_one_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (
        BASE.replace("Lincolnshire: 25%", "Lincolnshire: 24%")
        .replace("Salaries: 100000", "Salaries: -1")
        .replace("lead: Derbyshire", "lead: Derby")
    )
    budget_file(tmp_path, text)
    result = run("validate", "budget.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "3 problems found; nothing was written."


def test_run_writes_every_output_and_prints_totals(tmp_path):
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["contributions.csv", "derbyshire.xlsx", "leicestershire.xlsx", "lincolnshire.xlsx",
                     "northamptonshire.xlsx", "nottinghamshire.xlsx", "summary.xlsx"]  # fmt: skip
    assert "5,714,244.63" in result.stdout
    assert "20,931,299.00" in result.stdout
    assert result.stdout.rstrip().endswith(f"Wrote 7 files to {tmp_path / 'out'}")


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier work")
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out} already holds files; choose another --out, or add --force to replace them\n"
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    forced = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out, "--force")
    assert forced.exit_code == 0
    assert not (out / "keep.txt").exists()
    assert (out / "summary.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_bad_input_with_force_leaves_the_earlier_outputs_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", "out").exit_code == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    budget_file(tmp_path, "")
    assert run("run", "budget.yaml", "--out", "out", "--force").exit_code == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_shares_option_replaces_the_shares_file(tmp_path):
    # The same £20,931,299 with equal fifths: 4,186,259.80 each, exactly.
    shares = tmp_path / "equal.yaml"
    shares.write_text(textwrap.dedent("""\
        bases:
          funding_formula:
            shares: {Nottinghamshire: 20%, Leicestershire: 20%, Derbyshire: 20%, Northamptonshire: 20%, Lincolnshire: 20%}
    """))  # fmt: skip
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", tmp_path / "out", "--shares", shares)
    assert result.exit_code == 0, result.output
    amounts = [row["amount"] for row in read_contributions(tmp_path / "out" / "contributions.csv")]
    assert amounts == ["4186259.80"] * 5


def test_validate_a_good_budget_and_a_shares_file():
    result = run("validate", EXAMPLES / "east-midlands-2013-14.yaml")
    assert result.exit_code == 0
    assert result.stdout == f"{EXAMPLES / 'east-midlands-2013-14.yaml'}: valid (5 members, 1 unit)\n"
    shares = EXAMPLES.parent / "configs" / "east-midlands" / "shares-2013-14.yaml"
    assert run("validate", shares).stdout == f"{shares}: valid shares file (1 basis)\n"


@pytest.mark.parametrize("command", [[], ["run"], ["validate"], ["schema"]])
def test_help_shows_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "apportion " in result.stdout.split("Example:")[1]


def test_missing_out_option_is_a_usage_error():
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml")
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr


def test_schema_is_json():
    result = run("schema")
    assert json.loads(result.stdout)["title"] == "apportion budget file"


def test_member_in_no_unit_still_gets_a_workbook(tmp_path):
    text = BASE.replace("    basis: formula\n", "    basis: formula\n    participants: [Derbyshire, Leicestershire]\n")
    result = run("run", budget_file(tmp_path, text), "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "lincolnshire.xlsx").exists()


def test_explain_walks_through_a_member_and_its_rounding():
    result = run("explain", EXAMPLES / "east-midlands-2013-14.yaml", "--member", "derbyshire")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the table wraps; compare the words
    # DOMAIN.md: 22.2% of £20,931,299 = £4,646,748.378; Derbyshire's .8p is the largest
    # remainder, so it is first in the queue for the 2p left over and gets £4,646,748.38.
    assert "£20,931,299.00 x 22.2 / 100 = £4,646,748.378" in text
    assert "Derbyshire is 1st in that queue, so it receives one" in text
    assert "Derbyshire pays 4,646,748.38 in cash" in text


def test_explain_one_unit_with_levy():
    result = run("explain", EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml", "--member", "Sussex", "--unit", "serocu")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    # Sussex leads SEROCU: 2% x 4,740,000 x 80% = 75,840 receivable.
    assert "Levy receivable" in text
    assert "= £75,840.00, rounded to the penny" in text
    assert "SETSU" not in text


def test_explain_unknown_member_is_a_usage_error():
    result = run("explain", EXAMPLES / "east-midlands-2013-14.yaml", "--member", "Lincs")
    assert result.exit_code == 2
    assert (
        "'Lincs' is not a member; members are: Nottinghamshire, Leicestershire, Derbyshire, Northamptonshire, Lincolnshire"
        in result.stderr
    )


def test_explain_a_scenario():
    # Lincolnshire gone: Derbyshire's 22.2 of the 87.2 left; 532,883,988.303p (test_scenarios)
    # is 3rd in the queue for the 2p left over, so it keeps its floor, £5,328,839.88.
    result = run(
        "explain", EXAMPLES / "east-midlands-2013-14.yaml", "--member", "Derbyshire", "--scenario", "lincolnshire-leaves"
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "re-normalised share = 25.458716...%" in text  # 22.2/87.2 = 25.4587155..., shown to 6 places
    assert "Derbyshire is 3rd in that queue, so it does not receive one" in text
    assert "Derbyshire pays 5,328,839.88 in cash" in text


def test_a_progress_bar_appears_only_on_a_terminal_once_work_has_taken_a_while(monkeypatch):
    import io

    from rich.console import Console

    from apportion.cli import terminal as console

    shown = io.StringIO()
    monkeypatch.setattr(console, "err", Console(file=shown, force_terminal=True, width=80))
    monkeypatch.setattr(console, "PROGRESS_AFTER", 0.0)
    with console.progress_bar("Writing workbooks") as advance:
        advance(1, 3)
        advance(3, 3)
    assert "Writing workbooks" in shown.getvalue()

    quiet = io.StringIO()
    monkeypatch.setattr(console, "err", Console(file=quiet, force_terminal=True, width=80))
    monkeypatch.setattr(console, "PROGRESS_AFTER", 3600.0)  # a quick run: nothing shown
    with console.progress_bar("Writing workbooks") as advance:
        advance(3, 3)
    assert quiet.getvalue() == ""

    piped = io.StringIO()
    monkeypatch.setattr(console, "err", Console(file=piped, force_terminal=False, width=80))
    monkeypatch.setattr(console, "PROGRESS_AFTER", 0.0)  # a pipe or a file: nothing shown
    with console.progress_bar("Writing workbooks") as advance:
        advance(3, 3)
    assert piped.getvalue() == ""
