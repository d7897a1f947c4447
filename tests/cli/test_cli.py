"""The command line: exact messages for bad input, nothing written, outputs where asked."""

from __future__ import annotations

import json
import textwrap

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


# Bad inputs, each with its exact message, are the catalogue in tests/input/bad_inputs/.


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
    assert names == ["accounts.csv", "contributions.csv", "datapackage.json", "derbyshire.xlsx", "instalments.csv",
                     "leicestershire.xlsx", "lincolnshire.xlsx", "northamptonshire.xlsx", "nottinghamshire.xlsx",
                     "summary.xlsx", "year-end.csv"]  # fmt: skip
    assert "5,714,244.63" in result.stdout
    assert "20,931,299.00" in result.stdout
    assert result.stdout.rstrip().endswith(f"Wrote 11 files to {tmp_path / 'out'}")


def test_a_folder_of_earlier_outputs_is_replaced_only_with_force(tmp_path):
    out = tmp_path / "out"
    assert run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out, "--journal").exit_code == 0
    again = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out)
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: {out} holds the outputs of an earlier run; add --force to replace them, or choose another --out\n"
    )
    forced = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out, "--force", "--without", "Lincolnshire")
    assert forced.exit_code == 0, forced.output
    assert not (out / "journal.beancount").exists()  # its own earlier output, not written this time: removed
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_a_folder_holding_anything_else_is_refused_even_with_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier work")
    for extra in ([], ["--force"]):
        result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", out, *extra)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {out} holds keep.txt but no datapackage.json, so apportion cannot tell which files it wrote; "
            "choose another --out, or move those files away\n"
        )
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "earlier work"


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
    # docs/domain.md: 22.2% of £20,931,299 = £4,646,748.378; Derbyshire's .8p is the largest
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


def test_a_name_that_looks_like_markup_prints_as_typed(tmp_path):
    budget = budget_file(tmp_path, BASE.replace("Lincolnshire", "'[bold red]Lincs[/]'"))
    result = run("run", budget, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "[bold red]Lincs[/]" in result.stdout


def test_an_internal_error_is_reported_as_a_bug_with_exit_1_never_as_usage(tmp_path, monkeypatch):
    # a fault inside the rules, not a problem of the user's input or options: one line that
    # says it is a bug, exit 1; even in a sweep, whose bad ranges are usage errors (exit 2)
    from apportion.rules import split, sweep_units

    def broken(*_args):
        raise ValueError("a negative weight")

    monkeypatch.setattr(sweep_units, "allocate_pence", broken)
    example = EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"
    swept = run("sweep", example, "--grant", "all=-30%:10%:5%")
    assert swept.exit_code == 1
    assert swept.stderr == (
        "Error: ValueError: a negative weight; this is a bug in apportion, please report it, with the command that "
        "gave it (--debug shows where)\n"
    )
    monkeypatch.setattr(split, "apportion_unit", broken)
    ran = run("run", example, "--out", tmp_path / "out")
    assert ran.exit_code == 1 and "this is a bug in apportion, please report it" in ran.stderr
    assert not (tmp_path / "out").exists()
    debugged = run("--debug", "run", example, "--out", tmp_path / "out")
    assert isinstance(debugged.exception, ValueError)  # --debug: the traceback, not the line


def test_one_period_error_for_a_monitoring_period_and_a_membership_date():
    from apportion.model import ApportionError, PeriodError, monitoring
    from apportion.rules import periods

    assert monitoring.PeriodError is periods.PeriodError is PeriodError
    assert issubclass(PeriodError, ApportionError)


def test_a_ledger_layout_that_does_not_exist_is_a_usage_error_naming_those_that_do(tmp_path):
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", tmp_path / "out", "--ledger", "Plain")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--ledger': 'Plain' is not a ledger layout (did you mean 'plain'?); "
        "give one of: plain, dynamics-365"
    )
    assert not (tmp_path / "out").exists()


def test_explain_accounts_shows_how_a_members_part_of_a_line_is_reached():
    # Vehicles and equipment, £420,471 (the capital programme, para 5.8), x 22.2% = 93,344.562 for
    # Derbyshire; the five parts rounded down leave 3p, which go to larger remainders than its .2p.
    result = run(
        "explain", EXAMPLES / "east-midlands-2013-14.yaml", "--member", "derbyshire", "--accounts", "VEHICLES AND EQUIPMENT"
    )
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == "Derbyshire: East Midlands regional police collaboration, 2013/14: accounts note"
    assert lines[2].startswith("Vehicles and equipment") and lines[2].endswith("420,471.00")
    assert "    £420,471.00 x 0.222 / 1 = £93,344.562" in lines
    assert next(line for line in lines if line.startswith("Its part, rounded")).endswith("93,344.56")
    assert "Derbyshire" in result.stdout and "is 5th in that queue, so it does not receive one" in " ".join(lines)


def test_explain_accounts_without_a_note_or_with_an_unknown_line_is_a_usage_error():
    result = run("explain", EXAMPLES / "west-midlands-2013-14.yaml", "--member", "Staffordshire", "--accounts", "Cash")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for --accounts: the budget has no accounts note: its year_end: accounts: gives one",
    )
    result = run("explain", EXAMPLES / "east-midlands-2013-14.yaml", "--member", "Derbyshire", "--accounts", "Cash")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Invalid value for --accounts: 'Cash' is not a note line; note lines are: Non-pay, "
    )


def test_the_terminal_names_the_basis_of_the_reserves_and_accounts_in_words(tmp_path):
    # East Midlands 2013/14 holds its reserves and accounts note in the basis keyed
    # `funding_formula`; the terminal says "funding formula", as the workbooks do.
    result = run("run", EXAMPLES / "east-midlands-2013-14.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the terminal wraps long lines
    assert "funding_formula" not in text
    assert "Each member's part of the reserves, in funding formula (£)" in text
    assert "each member's part of every line, in funding formula, in accounts.csv and its workbook" in text
