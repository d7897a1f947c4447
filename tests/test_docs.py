"""The documentation stays true: the README's tour runs, every command is documented, and
every worked example in docs/config.md gives the figures written beside it."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pytest
import yaml
from click.testing import CliRunner

from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.input.yaml_file import read_yaml
from apportion.model.invoicing import year_start
from apportion.model.monitoring import parse_period
from apportion.model.results import MemberShare
from apportion.rules.calculate import apportion
from apportion.rules.monitoring import monitor
from tests.conftest import ROOT


def yaml_blocks(text):
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_tour_is_a_valid_budget(tmp_path):
    tour = yaml_blocks((ROOT / "README.md").read_text())[0]
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "tour.yaml").write_text(tour)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "examples" / "tour.yaml")])
    assert result.exit_code == 0, result.output


def snippets():
    """Every YAML block of README.md and docs/config.md, named by its file and line."""
    found = []
    for name in ("README.md", "docs/config.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for match in re.finditer(r"```yaml\n(.*?)```", text, re.S):
            found.append(pytest.param(match.group(1), id=f"{name}:{text.count(chr(10), 0, match.start()) + 2}"))
    return found


def is_whole_file(root):
    """A budget file as it stands: collaboration, members and at least one unit."""
    return isinstance(root, dict) and {"collaboration", "members"} <= set(root) and bool(root.get("units"))


@pytest.mark.parametrize("block", snippets())
def test_every_yaml_snippet_reads_as_it_would_pasted_into_a_file(block, tmp_path):
    # A snippet a finance officer pastes must read without a problem (no split numbers,
    # no duplicate keys, no tabs); one that is a whole budget file must run as it stands.
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    path = tmp_path / "examples" / "snippet.yaml"
    path.write_text(block, encoding="utf-8")
    doc = read_yaml(path)
    assert [str(problem) for problem in doc.problems] == []
    if is_whole_file(doc.root):
        result = CliRunner().invoke(cli, ["run", str(path), "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output


def test_the_docs_hold_whole_files_to_run():
    assert sum(is_whole_file(yaml.safe_load(block.values[0])) for block in snippets()) >= 8


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"`apportion {name}" in readme, f"apportion {name} is not in the README"


def test_readme_first_screen_holds_the_two_commands():
    first_screen = (ROOT / "README.md").read_text().splitlines()[:20]
    assert any("apportion run examples/east-midlands-2013-14.yaml" in line for line in first_screen)
    assert any("python -m pytest" in line for line in first_screen)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in ci


# A worked example in docs/config.md is a YAML block marked by the line before it,
#
#     <!-- worked example -->
#     ```yaml
#     collaboration: ...
#     ```
#
# and followed by a table of the figures it gives: a `member` column, an optional `unit`
# column (a unit's code as the outputs show it, a period's with its dates; `the year`, or
# no unit column, for the member's figures over every unit), and a column for each figure,
# headed by one of these.
FIGURES = {
    "share of cost": lambda share: share.cost_amount,
    "levy": lambda share: share.levy_amount,
    "in-kind credit": lambda share: share.in_kind_credit_amount,
    "in kind": lambda share: share.in_kind_amount,
    "cash payable": lambda share: share.cash_amount,
    "total contribution": lambda share: share.total_amount,
}
THE_YEAR = "the year"
WORKED_EXAMPLE = re.compile(r"<!-- worked example -->\n```yaml\n(.*?)```\n(.*?)(?=<!-- worked example -->|\Z)", re.S)


def worked_examples() -> list[tuple[str, list[dict[str, str]]]]:
    """Each marked YAML block of docs/config.md, with the rows of the first table after it."""
    return [
        (block, table_after(block, after)) for block, after in WORKED_EXAMPLE.findall((ROOT / "docs" / "config.md").read_text())
    ]


def table_after(block: str, after: str) -> list[dict[str, str]]:
    """The rows of the first table after a worked example's YAML, as heading: cell."""
    table = re.search(r"^\|.*?(?=\n[^|]|\Z)", after, re.S | re.M)
    assert table, f"a worked example has no table of figures after it: {block.splitlines()[0]}"
    heading, _rule, *rows = (line.strip("|").split("|") for line in table.group(0).splitlines())
    names = [cell.strip() for cell in heading]
    return [dict(zip(names, (cell.strip() for cell in row), strict=True)) for row in rows]


def pounds(text: str) -> Decimal:
    """'-10,000' or '£388.90' as written in a table."""
    return Decimal(text.replace(",", "").replace("£", ""))


def figure(shares: list[MemberShare], heading: str) -> Decimal:
    return sum((FIGURES[heading](share) for share in shares), Decimal("0.00"))


EXAMPLES = worked_examples()
VARIANCE_SHARE = "variance share at "
EXIT_SETTLEMENT = "exit settlement"  # a column of members' shares of the forecast variance at a period


def variance_share(result, period: str, member: str, unit: str | None) -> Decimal:
    monitoring = result.budget.monitoring
    report = monitor(result, monitoring, parse_period(period, monitoring.periods, year_start(result.budget.year)))
    return sum((s.variance_amount for s in report.shares if s.member == member and unit in (None, s.unit)), Decimal(0))


def test_config_has_worked_examples_of_in_kind_and_membership():
    titles = [block.splitlines()[0] for block, _rows in EXAMPLES]
    assert len(EXAMPLES) >= 5, titles
    assert all(rows for _block, rows in EXAMPLES)


@pytest.mark.parametrize(("block", "rows"), EXAMPLES, ids=[block.splitlines()[0] for block, _rows in EXAMPLES])
def test_config_worked_example_gives_the_figures_beside_it(tmp_path, block, rows):
    path = tmp_path / "example.yaml"
    path.write_text(block)
    result = apportion(load_budget(path))
    units = {unit.unit.code: unit for unit in result.units}
    for row in rows:
        code, member = row.get("unit", THE_YEAR), row["member"]
        if code == THE_YEAR:
            shares = [unit.by_member[member] for unit in result.units if member in unit.by_member]
        else:
            assert code in units, f"no unit {code!r}; the units are {', '.join(units)}"
            shares = [units[code].by_member[member]]
        for heading, written in row.items():
            if heading in ("unit", "member"):
                continue
            if heading == EXIT_SETTLEMENT:  # what it pays (+) or receives (-) in the exit settlements
                assert result.exit_part(member) == pounds(written), f"{member}, {heading}: the text says {written}"
                continue
            if heading.startswith(VARIANCE_SHARE):  # a monitoring report's figure
                found = variance_share(result, heading.removeprefix(VARIANCE_SHARE), member, row.get("unit"))
                assert found == pounds(written), f"{member}, {heading}: the text says {written}"
                continue
            assert heading in FIGURES, f"unknown column {heading!r}; columns are {', '.join(FIGURES)}"
            assert figure(shares, heading) == pounds(written), f"{code}, {member}, {heading}: the text says {written}"


def test_the_readme_layout_names_every_module_of_the_tree_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    rows = dict(re.findall(r"^\| (`apportion/[^|]*) \| ([^|]*) \|", layout, re.M))
    package = ROOT / "apportion"
    folders = {f"`apportion/{folder}/`": package / folder for folder in ("model", "input", "rules", "outputs", "audit", "cli")}
    assert set(rows) == {*folders, "`apportion/__init__.py`, `api.py`"}
    for cell, folder in folders.items():
        modules = {path.name for path in folder.rglob("*.py") if path.name != "__init__.py"}
        named = set(re.findall(r"`(\w+\.py)`", rows[cell]))
        assert named == modules, (
            f"{cell}: named but not in the tree {sorted(named - modules)}; left out {sorted(modules - named)}"
        )
    assert {path.name for path in package.glob("*.py")} == {"__init__.py", "api.py"}


# A worked example of the accounts note, `<!-- worked accounts example -->` before its YAML, is
# followed by a table of the note's lines, a column a member, each cell the member's part of
# the line; one of the ledger, `<!-- worked ledger example -->`, by lines of the members'
# ledgers (member, journal, account, description, debit, credit), each of which the run writes.
def marked(marker: str) -> list[tuple[str, list[dict[str, str]]]]:
    text = (ROOT / "docs" / "config.md").read_text()
    found = re.findall(rf"<!-- {marker} -->\n```yaml\n(.*?)```\n(.*?)(?=<!--|\Z)", text, re.S)
    return [(block, table_after(block, after)) for block, after in found]


def test_config_worked_accounts_example_gives_each_members_part_of_each_line(tmp_path):
    examples = marked("worked accounts example")
    assert examples
    for block, rows in examples:
        path = tmp_path / "accounts.yaml"
        path.write_text(block)
        note = apportion(load_budget(path)).accounts
        assert [row["line"] for row in rows] == [line.name for line in note.lines]
        for row in rows:
            line = note.line(row["line"])
            for member, written in row.items():
                if member != "line":
                    assert line.part_of(member) == pounds(written), f"{row['line']}, {member}: the text says {written}"


def test_config_worked_ledger_example_gives_the_lines_beside_it(tmp_path):
    import csv

    from apportion.model.names import ledger_name
    from apportion.outputs.files import write_outputs

    examples = marked("worked ledger example")
    assert examples
    for block, rows in examples:
        path = tmp_path / "ledger.yaml"
        path.write_text(block)
        result = apportion(load_budget(path))
        write_outputs(result, tmp_path / "out", ledger="plain", force=True)
        written = {
            member: [tuple(line[key] for key in ("journal", "account", "description", "debit", "credit"))
                     for line in csv.DictReader((tmp_path / "out" / ledger_name(member)).open(encoding="utf-8"))]
            for member in result.budget.member_names
        }  # fmt: skip
        for row in rows:
            line = tuple(row[key] for key in ("journal", "account", "description", "debit", "credit"))
            assert line in written[row["member"]], f"{row['member']}'s ledger has no line {line}"
