"""contributions.csv, comparison.csv and sweep.csv: each field where a reader expects it."""

from __future__ import annotations

import csv
import io

from apportion.input.budget_file import load_budget
from apportion.model import Without
from apportion.model.money import D
from apportion.outputs.csv_files import CSV_COLUMNS, comparison_csv, contributions_csv, csv_rows
from apportion.rules.calculate import apportion
from apportion.rules.compare import compare
from apportion.rules.prepare import prepare

BUDGET = """\
collaboration: "Test # collaboration"
year: 2024/25
members: [A, "B, the second"]
units:
  - code: ROCU
    name: "Unit with a # and \\"quotes\\""
    basis: {shares: {A: 60%, "B, the second": 40%}}
    model: lead-force
    lead: A
    pay: {Salaries: 800000}
    non_pay: {Premises: 200000}
    in_kind: {A: 100000}
    in_kind_treatment: offset
"""


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))


def test_the_tidy_lines_of_a_lead_force_unit_with_officers_in_kind(write_yaml):
    result = apportion(load_budget(write_yaml(BUDGET)))
    rows = [dict(zip(CSV_COLUMNS, (str(field) for field in row), strict=True)) for row in csv_rows(result)]
    # Offset: total cost 1,000,000 + 100,000 = 1,100,000; A 60% = 660,000, B 40% = 440,000.
    # Levy: B pays 2% x 800,000 x 40% = 6,400; A receives it. A's in kind 100,000 is credited.
    assert [(r["member"], r["item"], r["basis"], r["amount"], r["in_kind_amount"]) for r in rows] == [
        ("A", "share_of_total_cost", "ROCU shares", "660000.00", "0.00"),
        ("A", "levy_receivable", "levy 2% of gross_pay", "-6400.00", "0.00"),
        ("A", "in_kind_credit", "in kind", "-100000.00", "100000.00"),
        ("B, the second", "share_of_total_cost", "ROCU shares", "440000.00", "0.00"),
        ("B, the second", "levy_payable", "levy 2% of gross_pay", "6400.00", "0.00"),
    ]
    # A's own share is 60%; the levy it receives is worked on the payers' share, B's 40%
    assert [r["share"] for r in rows if r["member"] == "A"] == ["0.600000000000", "0.400000000000", "0.600000000000"]
    # cash collected is the net budget, 1,000,000: 553,600 from A and 446,400 from B
    assert sum(D(r["amount"]) for r in rows) == D("1000000.00")


def test_one_header_row_text_quoted_numbers_bare_and_plain(write_yaml):
    result = apportion(load_budget(write_yaml(BUDGET)))
    text = contributions_csv(result)
    lines = text.split("\r\n")  # RFC 4180 ends each record with CRLF
    assert lines[0] == '"year","unit","unit_name","member","member_kind","item","basis","share","amount","in_kind_amount"'
    assert '"2024/25","ROCU","Unit with a # and ""quotes""","B, the second","police force","levy_payable",' in text
    assert text.endswith('"levy 2% of gross_pay",0.400000000000,6400.00,0.00\r\n')
    assert rows_of(text)[3]["member"] == "B, the second"


def test_a_share_too_small_for_12_decimals_is_written_plainly_not_with_an_exponent(write_yaml):
    # 1 in 3,000,000,000,000 is 0.000000000000333...: 12 decimals give 0.000000000000, not 0E-12
    tiny = BUDGET.replace('{A: 60%, "B, the second": 40%}', '{A: 2999999999999, "B, the second": 1}').replace(
        "shares:", "drivers:"
    )
    result = apportion(load_budget(write_yaml(tiny)))
    rows = rows_of(contributions_csv(result))
    assert {r["share"] for r in rows if r["member"] == "B, the second"} == {"0.000000000000"}


def test_text_a_spreadsheet_would_take_for_a_formula_is_neutralised(write_yaml):
    # OWASP: a field starting with = + - @ (or a tab or carriage return) gets a ' first
    hostile = BUDGET.replace('"B, the second"', """'=HYPERLINK("http://x","y")'""").replace("A: 60%", "'-2': 60%")
    hostile = (
        hostile.replace("members: [A,", "members: ['-2',")
        .replace("lead: A", "lead: '-2'")
        .replace("in_kind: {A:", "in_kind: {'-2':")
    )
    result = apportion(load_budget(write_yaml(hostile)))
    rows = rows_of(contributions_csv(result))
    assert {r["member"] for r in rows} == {"'-2", '\'=HYPERLINK("http://x","y")'}
    assert all(not r["amount"].startswith("'") for r in rows)  # numbers are numbers


def test_comparison_csv_has_a_row_a_unit_and_member_then_the_members_totals(write_yaml):
    budget = load_budget(write_yaml(BUDGET.replace("    model: lead-force\n    lead: A\n", "")))
    before = apportion(budget)
    after = apportion(prepare(budget, None, [Without("B, the second")]))
    rows = rows_of(comparison_csv(compare(before, after)))
    # without B, A pays the whole 1,100,000 less its 100,000 in kind
    assert [(r["member"], r["unit"], r["before"], r["after"], r["change"]) for r in rows] == [
        ("A", "ROCU", "560000.00", "1000000.00", "440000.00"),
        ("B, the second", "ROCU", "440000.00", "0.00", "-440000.00"),
        ("A", "all units", "560000.00", "1000000.00", "440000.00"),
        ("B, the second", "all units", "440000.00", "0.00", "-440000.00"),
    ]
    assert rows[0]["share_of_cost_change"] == "440000.00"
