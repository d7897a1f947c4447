"""Revisions to the year's budget (recorded in the file, or asked with --revised-from), lines
that start or stop in the year, invoicing that follows membership, and the over-spend's
wording: each figure worked by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import IncomeChange
from apportion.rules.calculate import apportion
from apportion.rules.monitoring import monitor
from apportion.rules.prepare import prepare

BUDGET = """\
collaboration: Test collaboration
year: 2024/25
members: [Derbyshire, Leicestershire]
units:
  - code: ROCU
    basis: equal
    pay: {Salaries: 1000000}
    income: {Home Office grant: 500000}
invoicing:
  instalments: quarterly
"""
REVISION = """\
revisions:
  - from: 2024-10-01
    description: the grant cut by £200,000 a year
    pro_rata: PRO_RATA
    changes:
      - income: {unit: ROCU, change: -200000}
"""


def grant(result) -> Decimal:
    return sum((u.income_amount for u in result.units), Decimal(0))


def test_a_grant_cut_of_200000_a_year_from_1_october_takes_the_days_left(write_yaml):
    # 1 April to 30 September 2024 is 183 days of 365, 1 October to 31 March 182. The grant of
    # £500,000 a year splits 183/365 = 250,684.9315... and 182/365 = 249,315.0684...: floors
    # 250,684.93 and 249,315.06 leave a penny, to the larger remainder (.68p): 250,684.93 and
    # 249,315.07. Cut to £300,000 a year from 1 October, the later part is 182/365 of it:
    # 150,410.9589... and 149,589.0410...: the penny to the first (.89p), so 149,589.04. The
    # year's grant: 250,684.93 + 149,589.04 = 400,273.97, £99,726.03 less, not £200,000.
    budget = load_budget(write_yaml(BUDGET))
    revised = apportion(prepare(budget, what_ifs=[IncomeChange("ROCU", amount=Decimal("-200000"))],
                                revised_from=date(2024, 10, 1)))  # fmt: skip
    assert grant(revised) == Decimal("400273.97")
    # recorded in the file, the same
    assert grant(apportion(load_budget(write_yaml(BUDGET + REVISION.replace("PRO_RATA", "days"))))) == Decimal("400273.97")
    # by months: 6/12 of £500,000 and 6/12 of £300,000, £100,000 less to the penny
    assert grant(apportion(load_budget(write_yaml(BUDGET + REVISION.replace("PRO_RATA", "months"))))) == Decimal("400000.00")


def test_the_instalments_from_the_revision_absorb_it(write_yaml):
    # By months the year's net is 1,000,000 - 400,000 = 600,000, 300,000 each. As first invoiced
    # (no revision) each paid 250,000 a year in four quarters of 62,500 from 1 April; the
    # 1 April and 1 July ones stand, and 1 October and 1 January share the 175,000 left: 87,500.
    result = apportion(load_budget(write_yaml(BUDGET + REVISION.replace("PRO_RATA", "months"))))
    derbyshire = [(i.due, i.amount) for i in result.instalments if i.member == "Derbyshire"]
    assert derbyshire == [
        (date(2024, 4, 1), Decimal("62500.00")), (date(2024, 7, 1), Decimal("62500.00")),
        (date(2024, 10, 1), Decimal("87500.00")), (date(2025, 1, 1), Decimal("87500.00")),
    ]  # fmt: skip


MONITORED = """\
monitoring:
  actuals:
    Q2: {ROCU: {actual: 130000, forecast: 500000}}
    Q1: {ROCU: 125000}
    Q3: {ROCU: {actual: 110000, forecast: 600000}}
"""


def test_monitoring_compares_with_the_budget_as_revised_to_the_period_end(write_yaml):
    # At the end of Q2 (30 September) the revision from 1 October is not yet in force: the
    # budget is 1,000,000 - 500,000 = 500,000 and the forecast 500,000 is on budget. At the end
    # of Q3 it is: by months the budget is 600,000, and the forecast 600,000 is on budget.
    budget = load_budget(write_yaml(BUDGET + REVISION.replace("PRO_RATA", "months") + MONITORED))
    result = apportion(budget)
    q2, q3 = monitor(result, budget.monitoring, 2), monitor(result, budget.monitoring, 3)
    assert [(u.budget_amount, u.variance_amount) for u in q2.units] == [(Decimal("500000.00"), Decimal("0.00"))]
    assert q2.revisions == "no revisions (the file's 1 take effect later)"
    assert [(u.budget_amount, u.variance_amount) for u in q3.units] == [(Decimal("600000.00"), Decimal("0.00"))]
    assert q3.revisions.startswith("includes revision 1, from 1 October 2024")


DATED = """\
collaboration: Test collaboration
year: 2024/25
members: [Derbyshire, Leicestershire]
units:
  - code: ROCU
    basis: equal
    pay:
      Salaries: 730000
      Analysts:
        amount: 365000
        from: 2024-07-01
        until: 2024-12-31
"""


def test_a_line_runs_for_its_days(write_yaml):
    # Analysts, £365,000 a year (£1,000 a day), from 1 July to 31 December 2024: 92 + 92 = 184
    # days, £184,000. The unit is cut on 1 July and 1 January: 91, 184 and 90 days; Salaries,
    # £730,000 a year (£2,000 a day), 182,000, 368,000 and 180,000. The year: 914,000.
    result = apportion(load_budget(write_yaml(DATED)))
    assert [[(line.name, line.amount) for line in u.unit.lines] for u in result.units] == [
        [("Salaries", Decimal("182000.00"))],
        [("Salaries", Decimal("368000.00")), ("Analysts", Decimal("184000.00"))],
        [("Salaries", Decimal("180000.00"))],
    ]
    assert sum((t.cash_amount for t in result.member_totals), Decimal(0)) == Decimal("914000.00")


LEAVER = """\
collaboration: Test collaboration
year: 2024/25
members: [Derbyshire, Leicestershire]
units:
  - code: ROCU
    basis: equal
    pay: {Salaries: 730000}
membership:
  - {member: Leicestershire, leaves: 2024-10-01}
invoicing:
  instalments: quarterly
  first_due: 2024-04-15
OWN"""


def test_a_leaver_is_invoiced_only_while_it_is_a_member(write_yaml):
    # Leicestershire pays half of 183/365 of £730,000 (£2,000 a day): 183,000, over the two
    # quarters due while it is a member (15 April, 15 July): 91,500 each, none in October or
    # January.
    result = apportion(load_budget(write_yaml(LEAVER.replace("OWN", ""))))
    assert [(i.due, i.amount) for i in result.instalments if i.member == "Leicestershire"] == [
        (date(2024, 4, 15), Decimal("91500.00")), (date(2024, 7, 15), Decimal("91500.00")),
    ]  # fmt: skip
    assert not result.warnings


def test_a_schedule_the_file_forces_is_kept_and_warned_about(write_yaml):
    own = "  members:\n    Leicestershire: {due: [2024-04-15, 2024-10-15]}\n"
    result = apportion(load_budget(write_yaml(LEAVER.replace("OWN", own))))
    assert [(i.due, i.amount) for i in result.instalments if i.member == "Leicestershire"] == [
        (date(2024, 4, 15), Decimal("91500.00")), (date(2024, 10, 15), Decimal("91500.00")),
    ]  # fmt: skip
    assert [w.text for w in result.warnings] == [
        "invoicing.members.Leicestershire: an instalment falls due on 15 October 2024, while Leicestershire is not a "
        "member (it leaves on 1 October 2024); it is invoiced as the file says"
    ]


OVERSPENT = """\
collaboration: Test collaboration
year: 2024/25
members: [Derbyshire, Leicestershire]
units:
  - code: ROCU
    basis: equal
    pay: {Salaries: 100000}
year_end:
  outturn: {ROCU: 142000}
  settlement: reserves
  reserves: {opening: 50000}
"""


@pytest.mark.parametrize(("outturn", "name"), [("142000", "Over-spend of ROCU from reserves"),
                                                ("58000", "Under-spend of ROCU to reserves")])  # fmt: skip
def test_an_over_spend_is_called_one(write_yaml, outturn, name):
    # 100,000 - 142,000: an over-spend of 42,000, which comes from the reserves: 50,000 - 42,000 = 8,000.
    ended = apportion(load_budget(write_yaml(OVERSPENT.replace("142000", outturn)))).year_end
    assert ended is not None
    assert ended.reserves[1].name == name
    assert ended.settlements[0].to_reserves == name


def test_a_joiner_is_invoiced_from_its_joining(write_yaml):
    # B joins on 1 October 2024: 1 April to 30 September, 183 days of £730,000 a year (£2,000 a
    # day), is 366,000, A's alone; the 182 days from then, 364,000, half each. B pays 182,000 over
    # the quarters due from its joining (1 October, 1 January): 91,000 each; A pays 366,000 +
    # 182,000 = 548,000 over all four: 137,000 each.
    joiner = LEAVER.replace("{member: Leicestershire, leaves: 2024-10-01}", "{member: Leicestershire, joins: 2024-10-01}")
    result = apportion(load_budget(write_yaml(joiner.replace("  first_due: 2024-04-15\n", "").replace("OWN", ""))))
    assert [(i.due, i.amount) for i in result.instalments if i.member == "Leicestershire"] == [
        (date(2024, 10, 1), Decimal("91000.00")), (date(2025, 1, 1), Decimal("91000.00")),
    ]  # fmt: skip
    assert [i.amount for i in result.instalments if i.member == "Derbyshire"] == [Decimal("137000.00")] * 4


def test_a_leaver_with_no_instalment_due_while_a_member_pays_on_its_leaving_day(write_yaml):
    # Leicestershire leaves on 10 April 2024, before the first instalment (15 April) falls due:
    # in for 9 days, half of 9 x £2,000 = 9,000, all due on the day it leaves.
    leaves_early = LEAVER.replace("leaves: 2024-10-01", "leaves: 2024-04-10").replace("OWN", "")
    result = apportion(load_budget(write_yaml(leaves_early)))
    assert [(i.number, i.label, i.due, i.amount) for i in result.instalments if i.member == "Leicestershire"] == [
        (1, "L", date(2024, 4, 10), Decimal("9000.00"))
    ]  # its first and only instalment of the year
