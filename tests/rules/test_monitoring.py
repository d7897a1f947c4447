"""Quarterly monitoring: each unit's position at the end of a period and each member's share
of its variance, with the figures worked out by hand in the comments."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model import PeriodError
from apportion.model.limits import LimitError
from apportion.model.money import D
from apportion.model.monitoring import Periods, parse_period
from apportion.outputs.csv_files import positions_csv, variance_shares_csv
from apportion.rules.calculate import apportion
from apportion.rules.monitoring import MonitoringError, monitor
from tests.conftest import EXAMPLES

EM = EXAMPLES / "east-midlands-2013-14.yaml"


def report_of(path, period):
    budget = load_budget(path)
    return monitor(apportion(budget), budget.monitoring, period), budget


def test_the_east_midlands_september_position_and_each_forces_share_of_the_under_spend():
    # Source (para 5.2): budget £20,931,299, forecast out-turn £20,699,816, under-spend £231,483.
    # Shares 27.3 / 22.8 / 22.2 / 14.9 / 12.8%:
    #   231,483 x 0.273 = 63,194.859   floor 63,194.85, remainder .9
    #   231,483 x 0.228 = 52,778.124   floor 52,778.12, remainder .4
    #   231,483 x 0.222 = 51,389.226   floor 51,389.22, remainder .6
    #   231,483 x 0.149 = 34,490.967   floor 34,490.96, remainder .7
    #   231,483 x 0.128 = 29,629.824   floor 29,629.82, remainder .4
    # floors add up to 231,482.97: 3p to the largest remainders, Notts, Northants, Derbyshire.
    # Budget to date at Q2: half the year, 20,931,299 / 2 = 10,465,649.50. Actual to date
    # (illustrative) 5,102,477.31 + 5,127,003.18 = 10,229,480.49; to date 236,169.01 under.
    report, _ = report_of(EM, 2)
    (unit,) = report.units
    assert (unit.budget_amount, unit.forecast_amount, unit.variance_amount) == (
        D("20931299"),
        D("20699816"),
        D("231483"),
    )
    assert (unit.profile_amount, unit.spent_amount, unit.variance_to_date_amount) == (
        D("10465649.50"),
        D("10229480.49"),
        D("236169.01"),
    )
    assert unit.forecast_given
    assert {s.member: s.variance_amount for s in report.shares} == {
        "Nottinghamshire": D("63194.86"),
        "Leicestershire": D("52778.12"),
        "Derbyshire": D("51389.23"),
        "Northamptonshire": D("34490.97"),
        "Lincolnshire": D("29629.82"),
    }
    assert report.describe() == "Q2 (July to September 2013)"
    assert report.period_end == date(2013, 9, 30)


def test_the_q2_variance_shares_are_what_the_year_end_returns_for_the_same_out_turn():
    # the example's year end settles the same £20,699,816 out-turn by returning it in shares
    report, budget = report_of(EM, 2)
    settled = apportion(budget).year_end
    returned = {m: -amount for s in settled.settlements for m, amount in s.parts}
    assert {s.member: s.variance_amount for s in report.shares} == returned


PART_YEAR = """
collaboration: Test
year: 2013/14
members: [A, B, C]
bases:
  equal: {drivers: {A: 1, B: 1, C: 1}}
units:
  - code: ROADS
    name: Roads policing
    participants: all
    basis: equal
    non_pay: {Running costs: 365000}
membership:
  - {member: C, joins: 2013-10-01, units: [ROADS]}
monitoring:
  periods: quarterly
  actuals:
    Q1: {ROADS: 90000}
    Q2: {ROADS: {actual: 88000, forecast: 355000}}
    Q3: {ROADS: 91000}
"""


def test_a_part_year_member_shares_only_in_the_periods_it_belongs_to(write_yaml):
    # C joins on 1 October: the year splits 183 days (A, B) and 182 days (A, B, C), so the
    # £365,000 splits 183,000 and 182,000. Each member's exact share of the year's cost:
    #   A = B = 183,000/2 + 182,000/3 = 456,500/3;  C = 182,000/3;  total 365,000 = 1,095,000/3.
    # Q2 forecast 355,000: variance 10,000.
    #   A = B = 10,000 x 456,500/1,095,000 = 4,168.9497..   C = 10,000 x 182,000/1,095,000 = 1,662.1004..
    #   floors 4,168.94 + 4,168.94 + 1,662.10 = 9,999.98: the 2p go to A and B (.97 each).
    report, _ = report_of(write_yaml(PART_YEAR), 2)
    (unit,) = report.units
    assert (unit.unit, unit.name, unit.budget_amount) == ("ROADS", "Roads policing", D("365000"))
    assert {s.member: s.variance_amount for s in report.shares} == {
        "A": D("4168.95"),
        "B": D("4168.95"),
        "C": D("1662.10"),
    }
    assert sum(s.variance_amount for s in report.shares) == unit.variance_amount == D("10000")
    # budget to date, two of four quarters of 91,250; actual 90,000 + 88,000 = 178,000
    assert (unit.profile_amount, unit.spent_amount, unit.variance_to_date_amount) == (D("182500"), D("178000"), D("4500"))


def test_without_a_forecast_the_out_turn_is_actual_to_date_plus_the_rest_of_the_budget(write_yaml):
    # Q3: no forecast reported. Actual 90,000 + 88,000 + 91,000 = 269,000; the budget for Q4
    # is 91,250: forecast 360,250, variance 365,000 - 360,250 = 4,750.
    report, _ = report_of(write_yaml(PART_YEAR), 3)
    (unit,) = report.units
    assert (unit.spent_amount, unit.forecast_amount, unit.variance_amount, unit.forecast_given) == (
        D("269000"),
        D("360250"),
        D("4750"),
        False,
    )


def test_a_period_without_its_actual_is_refused_naming_the_gap(write_yaml):
    with pytest.raises(MonitoringError, match=r"no actual for ROADS \(Q4\).*every quarter to Q4 \(0 where nothing"):
        report_of(write_yaml(PART_YEAR), 4)


def test_the_budget_to_date_gives_the_odd_pennies_to_the_earlier_quarters(write_yaml):
    # 1,000.03 over four quarters: 250.0075 each; floors 250.00 leave 3p, to Q1, Q2 and Q3
    # (equal remainders: the earlier first). To the end of Q2: 250.01 + 250.01 = 500.02; Q3, 750.03.
    text = PART_YEAR.replace("365000", "1000.03").replace("355000", "1000.03").replace("membership:", "x_unused:")
    text = text.replace("  - {member: C, joins: 2013-10-01, units: [ROADS]}\n", "").replace("x_unused:\n", "")
    path = write_yaml(text)
    assert report_of(path, 2)[0].units[0].profile_amount == D("500.02")
    assert report_of(path, 3)[0].units[0].profile_amount == D("750.03")


def test_months_and_quarters_are_read_as_a_finance_officer_writes_them():
    first = date(2013, 4, 1)
    assert parse_period("q2", Periods.QUARTERLY, first) == 2
    assert [parse_period(t, Periods.MONTHLY, first) for t in ("M6", "2013-09", "September", "Sep 2013", "March")] == [
        6,
        6,
        6,
        6,
        12,
    ]
    with pytest.raises(PeriodError, match=r"^Q5 is after the year, which has 4 quarters, Q1 \(April to June 2013\)"):
        parse_period("Q5", Periods.QUARTERLY, first)
    with pytest.raises(PeriodError, match=r"^2014-04 \(April 2014\) is after the year"):
        parse_period("2014-04", Periods.MONTHLY, first)


def test_the_csv_files_carry_each_unit_and_each_members_share_with_its_total(write_yaml):
    report, budget = report_of(write_yaml(PART_YEAR), 2)
    units = list(csv.DictReader(io.StringIO(positions_csv(report, budget.year))))
    assert [(u["unit"], u["period"], u["period_end"], u["variance"], u["forecast_from"]) for u in units] == [
        ("ROADS", "Q2", "2013-09-30", "10000.00", "reported")
    ]
    members = list(csv.DictReader(io.StringIO(variance_shares_csv(report, budget.year))))
    totals = {r["member"]: Decimal(r["variance_share"]) for r in members if r["unit"] == "all units"}
    assert totals == {"A": D("4168.95"), "B": D("4168.95"), "C": D("1662.10")}


MEMBERS = ["A", "B", "C", "D"]


@settings(max_examples=40, deadline=None)
@given(
    weights=st.lists(st.integers(1, 1000), min_size=2, max_size=4),
    budget=st.integers(1, 10**9),
    forecast=st.integers(0, 10**9),
)
def test_every_units_variance_shares_add_up_to_its_variance(weights, budget, forecast):
    members = MEMBERS[: len(weights)]
    shares = ", ".join(f"{m}: {w}" for m, w in zip(members, weights, strict=True))
    text = f"""
collaboration: T
year: 2024/25
members: [{", ".join(members)}]
bases:
  formula: {{drivers: {{{shares}}}}}
units:
  - {{code: U, participants: all, basis: formula, non_pay: {{Costs: {Decimal(budget) / 100}}}}}
monitoring:
  actuals: {{Q1: {{U: {{actual: 1, forecast: {Decimal(forecast) / 100}}}}}}}
"""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "budget.yaml"
        path.write_text(text)
        budget_read = load_budget(path)
        result = apportion(budget_read)
    report = monitor(result, budget_read.monitoring, 1)
    (unit,) = report.units
    assert sum(s.variance_amount for s in report.shares) == unit.variance_amount
    for s in report.shares:  # each part within a penny of its exact share
        assert abs(s.variance_amount - Decimal(s.exact_variance.numerator) / s.exact_variance.denominator) < D("0.01")


def test_a_budget_without_monitoring_is_refused_by_the_rule_itself(write_yaml):
    # the library's monitor(), called without the command's own check, says what is missing
    budget = load_budget(
        write_yaml("collaboration: T\nyear: 2024/25\nmembers: [A]\nunits:\n  - {code: U, basis: equal, non_pay: {X: 1}}\n")
    )
    with pytest.raises(MonitoringError, match="no monitoring: section"):
        monitor(apportion(budget), None, 1)


def test_a_unit_without_actuals_is_left_out_of_the_report(write_yaml):
    # DOGS has no actuals: the report is ROADS's alone (as above, Q2: a variance of 10,000),
    # and the members' shares are ROADS's only.
    text = PART_YEAR.replace(
        "membership:", "  - code: DOGS\n    participants: all\n    basis: equal\n    non_pay: {Kennels: 3000}\nmembership:"
    )
    report, _ = report_of(write_yaml(text), 2)
    assert [unit.unit for unit in report.units] == ["ROADS"]
    assert {s.member: s.variance_amount for s in report.shares} == {"A": D("4168.95"), "B": D("4168.95"), "C": D("1662.10")}


def test_a_monitoring_section_with_no_actuals_is_refused(write_yaml):
    text = "collaboration: T\nyear: 2024/25\nmembers: [A]\nunits:\n  - {code: U, basis: equal, non_pay: {X: 1}}\n"
    budget = load_budget(write_yaml(text + "monitoring:\n  periods: quarterly\n  actuals: {}\n"))
    with pytest.raises(MonitoringError, match="gives no actuals for any unit"):
        monitor(apportion(budget), budget.monitoring, 1)


def test_a_nil_year_rounded_once_has_a_position_and_no_shares_of_its_variance(write_yaml):
    # Spending of 365,000 met by a grant of 365,000, rounded once for the year: every
    # member's share of the nil year is nil, so no one has a share of the variance to give;
    # the unit's position is still reported (budget nil; Q2 forecast 355,000).
    text = PART_YEAR.replace("non_pay: {Running costs: 365000}", "non_pay: {Running costs: 365000}\n    income: {Grant: 365000}")
    report, _ = report_of(write_yaml(text + "period_rounding: once for the year\n"), 2)
    (unit,) = report.units
    assert (unit.unit, unit.budget_amount, unit.forecast_amount) == ("ROADS", D("0"), D("355000"))
    assert list(report.shares) == [] and report.members == ()


REVISED = """
collaboration: Test
year: 2024/25
members: [A, B, C]
units:
  - code: ROCU
    participants: [A, B]
    basis: equal
    pay: {Salaries: 1200000}
    income: {Grant: 600000}
  - code: DOGS
    participants: [C]
    basis: equal
    non_pay: {Kennels: 1000}
revisions:
  - from: 2024-08-01
    description: the grant cut by £120,000 a year
    pro_rata: months
    changes:
      - income: {unit: ROCU, change: -120000}
monitoring:
  periods: quarterly
  actuals:
    Q1: {ROCU: 150000}
    Q2: {ROCU: {actual: 150000, forecast: 600000}}
"""


def test_a_revision_from_within_a_quarter_counts_at_the_quarters_end(write_yaml):
    # As written ROCU's budget is 1,200,000 - 600,000 = 600,000. At the end of Q1 (30 June)
    # the revision from 1 August is not yet in force: budget 600,000, to date 150,000,
    # spent 150,000, so the forecast is 150,000 + 600,000 - 150,000 = 600,000, no variance.
    # At the end of Q2 (30 September) it is: by months, April to July 4/12 of 600,000 =
    # 200,000, August to March 8/12 of 1,200,000 - 480,000 = 480,000: 680,000, to date
    # 340,000. The forecast of 600,000 is 80,000 under: A and B, half each of both
    # periods, pay 100,000 + 240,000 = 340,000 and have 40,000.00 each. C is in DOGS
    # alone, which has no actuals: it has no share, and is not among the report's members.
    budget = load_budget(write_yaml(REVISED))
    result = apportion(budget)
    q1 = monitor(result, budget.monitoring, 1)
    assert [(u.budget_amount, u.forecast_amount, u.variance_amount) for u in q1.units] == [(D("600000"), D("600000"), 0)]
    assert q1.revisions == "no revisions (the file's 1 take effect later)"
    q2 = monitor(result, budget.monitoring, 2)
    (unit,) = q2.units
    assert (unit.budget_amount, unit.profile_amount, unit.variance_amount) == (D("680000"), D("340000"), D("80000"))
    assert q2.revisions.startswith("includes revision 1, from 1 August 2024")
    assert [(s.member, s.budget_amount, s.variance_amount) for s in q2.shares] == [
        ("A", D("340000.00"), D("40000.00")),
        ("B", D("340000.00"), D("40000.00")),
    ]
    assert q2.members == ("A", "B")


OVER = "£{:,}.00, more than apportion handles (under £10,000,000,000,000, what a spreadsheet holds to the penny)"


def test_figures_in_all_past_what_a_spreadsheet_holds_are_refused(write_yaml):
    # Each unit's figures are under £10 trillion, but not their sum, nor A's share.
    # 1. U1 and U2 (£1 each) forecast to out-turn at 6tn each: 12tn in all.
    head = "collaboration: C\nyear: 2024/25\nmembers: [A, B]\nunits:\n"
    unit = "  - {code: %s, participants: [%s], basis: equal, non_pay: {X: 1}}\n"
    tn = 10**12
    text = head + unit % ("U1", "A") + unit % ("U2", "B")
    actuals = (
        f"monitoring:\n  actuals: {{Q1: {{U1: {{actual: 1, forecast: {6 * tn}}}, U2: {{actual: 1, forecast: {6 * tn}}}}}}}\n"
    )
    budget = load_budget(write_yaml(text + actuals, "all.yaml"))
    with pytest.raises(LimitError) as caught:
        monitor(apportion(budget), budget.monitoring, 1)
    assert str(caught.value) == "Q1: the units' forecast out-turn in all would be " + OVER.format(12 * tn)
    # 2. U1 and U3, A's, forecast at -5.5tn (typed with a sign): each 5.5tn + £1 under;
    #    U2, B's, at 5.5tn, 5.5tn - £1 over. 5.5tn + £3 under in all; A's share 11tn + £2.
    text = head + unit % ("U1", "A") + unit % ("U2", "B") + unit % ("U3", "A")
    forecasts = {"U1": -55 * 10**11, "U2": 55 * 10**11, "U3": -55 * 10**11}
    given = ", ".join(f"{code}: {{actual: 1, forecast: {amount}}}" for code, amount in forecasts.items())
    budget = load_budget(write_yaml(text + f"monitoring:\n  actuals: {{Q1: {{{given}}}}}\n", "member.yaml"))
    with pytest.raises(LimitError) as caught:
        monitor(apportion(budget), budget.monitoring, 1)
    assert str(caught.value) == "Q1: A's share of the forecast variances would be " + OVER.format(11 * tn + 2)


def test_a_pot_of_receipts_variance_is_shared_as_its_receipts_are_returned(write_yaml):
    # POT has no spending of its own: its receipts of 400 are returned 75/25, -300 to A and
    # -100 to B, its budget -400. Nothing came in by Q1's end, and nothing is expected:
    # forecast nil, 400 over, shared as the receipts are: A -300.00, B -100.00, each beside
    # its part of the budget.
    path = write_yaml("""
        collaboration: C
        year: 2024/25
        members: [A, B]
        units:
          - code: POT
            basis: equal
            income: {Receipts: {amount: 400, basis: {shares: {A: 75%, B: 25%}}}}
        monitoring:
          actuals: {Q1: {POT: {actual: 0, forecast: 0}}}
    """)
    report, _ = report_of(path, 1)
    (unit,) = report.units
    assert (unit.budget_amount, unit.variance_amount) == (D("-400.00"), D("-400.00"))
    assert [(s.member, s.budget_amount, s.variance_amount) for s in report.shares] == [
        ("A", D("-300.00"), D("-300.00")),
        ("B", D("-100.00"), D("-100.00")),
    ]
