"""Membership that changes part-way through a year, pro-rated by days or months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model import MembershipChange
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.periods import PeriodError, split_unit
from tests.conftest import EXAMPLES

UNIT_YAML = """
collaboration: West Midlands (illustrative)
year: 2013/14
members: [West Midlands, Staffordshire]
units:
  - code: UNIFORMED
    name: Uniformed operations
    basis: {shares: {West Midlands: 50%, Staffordshire: 50%}}
    non_pay: {Operations: 1000000}
membership:
  - {member: Staffordshire, leaves: 2013-10-01, pro_rata: PRO_RATA}
"""


def totals(result):
    return {t.member: t.cash_amount for t in result.member_totals}


def test_leaving_on_1_october_by_days(write_yaml):
    # The worked example in apportion/periods.py: 183 of 365 days with Staffordshire.
    # £1,000,000 x 183/365 = 501,369.863...: 50,136,986p with .30 left and 49,863,013p with .69,
    # so the spare penny goes to the later period: £501,369.86 and £498,630.14.
    result = apportion(load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days"))))
    assert [u.unit.code for u in result.units] == ["UNIFORMED 1 Apr-30 Sep 2013", "UNIFORMED 1 Oct-31 Mar 2014"]
    assert [u.unit.net_amount for u in result.units] == [D("501369.86"), D("498630.14")]
    assert totals(result) == {"Staffordshire": D("250684.93"), "West Midlands": D("749315.07")}


def test_leaving_on_1_october_by_months(write_yaml):
    # Six whole months of twelve: Staffordshire pays half of £500,000.
    result = apportion(load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "months"))))
    assert totals(result) == {"Staffordshire": D("250000.00"), "West Midlands": D("750000.00")}


def test_a_date_outside_the_year_is_refused(write_yaml):
    budget = load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days").replace("2013-10-01", "2014-10-01")))
    with pytest.raises(PeriodError, match="outside the financial year 1 April 2013 to 31 March 2014"):
        apportion(budget)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    on=st.dates(min_value=date(2013, 4, 1), max_value=date(2014, 3, 31)),
    joins=st.booleans(),
    path=st.sampled_from(sorted(EXAMPLES.glob("*.yaml"))),
)
def test_periods_add_up_to_the_year_and_a_whole_year_is_the_full_year(on, joins, path):
    budget = load_budget(path)
    unit = budget.units[0]
    member = next(m for m in unit.participants if m != unit.lead)
    change = MembershipChange(member, on, joins, (unit.code,))
    year = "2013/14"
    if unit.activity is not None and not (joins and on == date(2013, 4, 1)):
        # An activity count is for the whole year: a part-year member's activity in each
        # period is not in the file, so the split is refused rather than guessed.
        with pytest.raises(PeriodError, match="give the activity of each period as a unit of its own"):
            split_unit(unit, change, year)
        return
    periods = split_unit(unit, change, year)
    assert sum((p.net_amount for p in periods), Decimal(0)) == unit.net_amount
    others_in_kind = sum((o.value_amount for o in unit.in_kind if o.member != member), Decimal(0))
    assert sum((o.value_amount for p in periods for o in p.in_kind if o.member != member), Decimal(0)) == others_in_kind
    whole_year = MembershipChange(member, date(2013, 4, 1), True, (unit.code,))
    assert split_unit(unit, whole_year, year) == (unit,)
