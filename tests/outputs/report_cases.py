"""The panel reports the tests read: the three examples as their users run them, and a
budget with markup, control characters (where a spreadsheet lets them in) and
right-to-left text in every name and description."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES

MARKUP = "<script>alert(1)</script> & </td>"
CASES = {
    "east-midlands": ["run", str(EXAMPLES / "east-midlands-2013-14.yaml"), "--report", "--previous",
                      str(EXAMPLES / "east-midlands-2012-13.yaml")],
    "south-east": ["report", str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"), "--grant", "all=-30%:10%:5%"],
    "npas": ["run", str(EXAMPLES / "npas-2016-17.yaml"), "--report"],
}  # fmt: skip

# Every name and description holds markup; text from the finance officer's own spreadsheets
# may hold control characters too (a bell, an escape), which the budget file refuses.
MARKUP_BUDGET = """
    collaboration: 'Collab <script>alert("x")</script> & </td> Co'
    year: 2013/14
    description: '<img src=x onerror=alert(1)> description'
    members:
      - 'Kent <b>&amp;</b>'
      - 'Sussex </td><td>'
      - name: 'Essex شرطة'
        kind: 'police force <i>'
    bases:
      '<b>formula</b>':
        description: 'a </td> basis & more'
        source: {document: '<script>src</script> עברית', data_year: '2013 & 14'}
        shares: {'Kent <b>&amp;</b>': 40%, 'Sussex </td><td>': 35%, 'Essex شرطة': 25%}
      people:
        unit: '<people>'
        drivers: {'Kent <b>&amp;</b>': 1800000, 'Sussex </td><td>': 1600000, 'Essex شرطة': 1700000}
    units:
      - code: U1
        name: 'Unit <script>x</script> & </td> יחידה'
        description: 'a <i>unit</i>'
        basis: '<b>formula</b>'
        model: lead-force
        lead: 'Sussex </td><td>'
        lines_from: {file: lines.csv, unit_column: unit, name_column: line, kind_column: kind, amount_column: amount}
        income:
          'Grant </td> & <b>': 10000
        in_kind:
          'Essex شرطة': 5000
    scenarios:
      - name: 'cut <b>20</b>'
        description: 'a </td> & <script> cut'
        changes:
          - income: {unit: U1, change: -20%}
    monitoring:
      actuals_from: {file: actuals.csv, unit_column: unit, period_column: period, actual_column: net spending,
                     forecast_column: forecast out-turn, explanation_column: explanation}
    year_end:
      outturn: {U1: 100000}
      reserves:
        opening: 50000
        transfers: {'Transfer <b>in</b> & </td>': 1000}
    report:
      title: 'Report <script>alert(1)</script> & </td> דו"ח'
      to: 'Panel </style><script>x</script>'
      author: 'A <b>uthor</b> & co'
      contact: '"quoted" \\ backslash </td>'
      version: '1 <b>'
      agreement: 'clause </td> & <i>'
      recommendation: 'note <script>x</script>'
      population: people
"""
LINE_WITH_BELL = "Salaries \x07 <b>bold</b> & </td> שכר"
LINE_WITH_ESCAPE = "Kit \x1b[31m red"
EXPLANATION = "Under-spend <script>alert(1)</script> & </td> \x07 bell, מחוז"
NAMES = [
    'Collab <script>alert("x")</script> & </td> Co', "Kent <b>&amp;</b>", "Sussex </td><td>", "Essex شرطة",
    "Unit <script>x</script> & </td> יחידה", "Grant </td> & <b>", "cut <b>20</b>", "a </td> & <script> cut",
    'Report <script>alert(1)</script> & </td> דו"ח', "Panel </style><script>x</script>", "A <b>uthor</b> & co",
    '"quoted" \\ backslash </td>', "clause </td> & <i>", "note <script>x</script>", "Transfer <b>in</b> & </td>",
    "Salaries \\u0007 <b>bold</b> & </td> שכר", "Kit \\u001b[31m red", "Under-spend <script>alert(1)</script> & </td> \\u0007 bell, מחוז",
]  # fmt: skip  # as the report shows them: a control character as its code


def markup_budget(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lines.csv").write_text(
        f'unit,line,kind,amount\nU1,"{LINE_WITH_BELL}",pay,100000\nU1,"{LINE_WITH_ESCAPE}",non-pay,20000.50\n', encoding="utf-8"
    )
    (folder / "actuals.csv").write_text(
        f'unit,period,net spending,forecast out-turn,explanation\nU1,Q1,"30,000.00","118,000.00","{EXPLANATION}"\n',
        encoding="utf-8",
    )
    budget = folder / "budget.yaml"
    budget.write_text(textwrap.dedent(MARKUP_BUDGET).lstrip(), encoding="utf-8")
    return budget


def make_reports(folder: Path) -> dict[str, Path]:
    """Each case's output folder, written by the command line."""
    folders = {}
    for name, args in {**CASES, "markup": ["run", str(markup_budget(folder / "markup-budget")), "--report"]}.items():
        out = folder / name
        result = CliRunner().invoke(cli, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        folders[name] = out
    return folders
