"""Membership that changes part-way through a year, pro-rated by days or months."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model import InputError, MembershipChange, PeriodError
from apportion.model.budget import Revision
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.periods import apply_membership, apply_periods, financial_year, split_unit
from tests.conftest import EXAMPLES
from tests.rules.test_revisions import BUDGET, REVISION

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
    with pytest.raises(InputError) as refused:
        load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days").replace("2013-10-01", "2014-10-01")))
    assert "1 October 2014 is after the financial year 1 April 2013 to 31 March 2014" in refused.value.problems[0].text
    change = MembershipChange("Staffordshire", date(2014, 10, 1), False, ("UNIFORMED",))
    unit = load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days"))).units[0]
    with pytest.raises(PeriodError, match="outside the financial year 1 April 2013 to 31 March 2014"):
        split_unit(unit, change, "2013/14")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    on=st.dates(min_value=date(2013, 4, 1), max_value=date(2014, 3, 31)),
    joins=st.booleans(),
    path=st.sampled_from(sorted(path for path in EXAMPLES.glob("*.yaml") if "alliance" not in path.name)),  # its lines stop
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


JOINER_YAML = """
collaboration: Rounding by period (illustrative)
year: 2024/25
members: [A, B, C]
units:
  - code: ROADS
    basis: equal
    non_pay: {Operations: 1000}
membership:
  - {member: C, joins: 2024-08-01, pro_rata: months}
"""


def test_each_period_is_rounded_on_its_own(write_yaml):
    # Worked by hand (docs/config.md, membership: Rounding). C is out for April to July,
    # 4 months of 12: £1,000 x 4/12 = 33,333.33p (remainder .33) and x 8/12 = 66,666.67p
    # (.67), so the one spare penny goes to August to March: 333.33 and 666.67.
    # April to July, A and B: 33,333p / 2 = 16,666.5p each; one penny spare, a tie of
    # remainders and weights, so it goes to the name first, A: A 166.67, B 166.66.
    # August to March, A, B and C: 66,667p / 3 = 22,222.33p each; one penny spare, a tie
    # again, so A again: A 222.23, B 222.22, C 222.22.
    # The years: A 166.67 + 222.23 = 388.90; B 166.66 + 222.22 = 388.88; C 222.22 (adding
    # up to 1,000.00). Rounded once, A and B would pay 388.89 each: their exact shares are
    # both 16,666.5p + 22,222.33p = 38,888.83p.
    result = apportion(load_budget(write_yaml(JOINER_YAML)))
    periods = {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}
    assert periods == {
        "ROADS 1 Apr-31 Jul 2024": {"A": D("166.67"), "B": D("166.66")},
        "ROADS 1 Aug-31 Mar 2025": {"A": D("222.23"), "B": D("222.22"), "C": D("222.22")},
    }
    assert totals(result) == {"A": D("388.90"), "B": D("388.88"), "C": D("222.22")}


def test_a_member_leaving_one_unit_stays_whole_in_another(write_yaml):
    # B leaves ROADS on 1 October, by months; it stays in DOGS all year. ROADS' £1,200 is
    # £600 for April to September, shared by A and B (300 each), and £600 for October to
    # March, A's alone. DOGS is not split: A and B pay 600 each.
    # A: 300 + 600 + 600 = 1,500; B: 300 + 600 = 900.
    text = JOINER_YAML.replace("members: [A, B, C]", "members: [A, B]").replace(
        "  - {member: C, joins: 2024-08-01, pro_rata: months}",
        "  - {member: B, leaves: 2024-10-01, units: [ROADS], pro_rata: months}",
    )
    text = text.replace("membership:", "  - code: DOGS\n    basis: equal\n    non_pay: {Dogs: 1200}\nmembership:")
    text = text.replace("{Operations: 1000}", "{Operations: 1200}")
    result = apportion(load_budget(write_yaml(text)))
    periods = {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}
    assert periods == {
        "ROADS 1 Apr-30 Sep 2024": {"A": D("300.00"), "B": D("300.00")},
        "ROADS 1 Oct-31 Mar 2025": {"A": D("600.00")},
        "DOGS": {"A": D("600.00"), "B": D("600.00")},
    }
    assert totals(result) == {"A": D("1500.00"), "B": D("900.00")}


TWO_CHANGES_YAML = """
collaboration: Two changes (illustrative)
year: 2024/25
members: [A, B, C, D]
units:
  - code: ROADS
    basis: equal
    non_pay: {Operations: 1200}
membership:
CHANGES
"""


def test_two_changes_to_one_unit_make_three_periods(write_yaml):
    # C joins on 1 October, D leaves on 1 January, by months: £1,200 is £100 a month.
    # April to September, A, B and D: £600, £200 each. The second change splits October to
    # March, 3 months of 6: October to December, all four: £300, £75 each; January to
    # March, A, B and C: £300, £100 each. D pays 200 + 75 = 275 (not 350, for the year in).
    changes = "  - {member: C, joins: 2024-10-01, pro_rata: months}\n  - {member: D, leaves: 2025-01-01, pro_rata: months}"
    result = apportion(load_budget(write_yaml(TWO_CHANGES_YAML.replace("CHANGES", changes))))
    periods = {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}
    assert periods == {
        "ROADS 1 Apr-30 Sep 2024": {"A": D("200.00"), "B": D("200.00"), "D": D("200.00")},
        "ROADS 1 Oct-31 Dec 2024": {"A": D("75.00"), "B": D("75.00"), "C": D("75.00"), "D": D("75.00")},
        "ROADS 1 Jan-31 Mar 2025": {"A": D("100.00"), "B": D("100.00"), "C": D("100.00")},
    }
    assert totals(result) == {"A": D("375.00"), "B": D("375.00"), "C": D("175.00"), "D": D("275.00")}
    assert {u.unit.origin for u in result.units} == {"ROADS"}


def test_a_member_joining_and_later_leaving_pays_for_its_months_in(write_yaml):
    # C is in from 1 July to 31 December, 6 months: £600 shared by three, £200; A and B
    # share April to June (£300) and January to March (£300) too: 150 + 200 + 150 = 500.
    changes = "  - {member: C, joins: 2024-07-01, pro_rata: months}\n  - {member: C, leaves: 2025-01-01, pro_rata: months}"
    result = apportion(load_budget(write_yaml(TWO_CHANGES_YAML.replace("CHANGES", changes).replace("A, B, C, D", "A, B, C"))))
    assert [u.unit.code for u in result.units] == [
        "ROADS 1 Apr-30 Jun 2024", "ROADS 1 Jul-31 Dec 2024", "ROADS 1 Jan-31 Mar 2025",
    ]  # fmt: skip
    assert totals(result) == {"A": D("500.00"), "B": D("500.00"), "C": D("200.00")}


def test_months_need_whole_months_after_a_split_by_days(write_yaml):
    changes = "  - {member: C, joins: 2024-10-15, pro_rata: days}\n  - {member: D, leaves: 2025-01-01, pro_rata: months}"
    budget = load_budget(write_yaml(TWO_CHANGES_YAML.replace("CHANGES", changes)))
    with pytest.raises(PeriodError, match="another change makes a period 15 October 2024 to 31 March 2025; pro-rate this"):
        apportion(budget)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    dates=st.lists(st.dates(min_value=date(2013, 4, 1), max_value=date(2014, 3, 31)), min_size=2, max_size=2),
    joins=st.lists(st.booleans(), min_size=2, max_size=2),
    same_member=st.booleans(),
)
def test_two_changes_to_one_unit_add_up_and_put_each_member_where_its_change_says(dates, joins, same_member):
    budget = load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml")
    unit = budget.units[0]
    members = [m for m in unit.participants if m != unit.lead][:2]
    if same_member:  # one member joining and leaving, in date order
        dates, joins, members = sorted(dates), [True, False], [members[0]] * 2
    changes = tuple(MembershipChange(m, on, j, (unit.code,)) for m, on, j in zip(members, dates, joins, strict=True))
    periods = apply_membership((unit,), changes, "2013/14")
    assert sum((p.net_amount for p in periods), Decimal(0)) == unit.net_amount
    spans = [period_dates(p) for p in periods] if periods != (unit,) else [(date(2013, 4, 1), date(2014, 3, 31))]
    assert spans[0][0] == date(2013, 4, 1) and spans[-1][1] == date(2014, 3, 31)
    assert all(later[0] - earlier[1] == timedelta(days=1) for earlier, later in pairwise(sorted(spans)))
    for period, (first, last) in zip(periods, spans, strict=True):
        for member in set(members):
            own = [c for c in changes if c.member == member]
            expected = all((first >= c.on) if c.joins else (last < c.on) for c in own)
            assert (member in period.participants) == expected, (period.code, member, own)


def period_dates(period):
    """A period's first and last days, from its name: 'EMSOU (1 April 2013 to 30 September 2013)'."""
    first, last = period.name.rsplit("(", 1)[1].rstrip(")").split(" to ")
    return tuple(datetime.strptime(day, "%d %B %Y").date() for day in (first, last))


def test_a_financial_year_must_be_named_by_its_first_calendar_year():
    with pytest.raises(PeriodError) as refused:
        financial_year("next year")
    assert str(refused.value) == "membership changes need a financial year such as 2013/14, not 'next year'"


def test_a_financial_year_is_read_from_its_digits_whatever_white_space_comes_before():
    # The pattern allows white space before the four digits: a space, a tab, or one of the
    # information separators (U+001C to U+001F) that a regular expression takes as white
    # space though int() does not. The year is 2013/14 all the same.
    year_2013 = (date(2013, 4, 1), date(2014, 3, 31))
    assert [financial_year(text) for text in ("2013/14", " \t2013/14", "\x1f2013/14")] == [year_2013] * 3


def test_leaving_on_the_last_day_of_the_year(write_yaml):
    # Staffordshire leaves on 31 March 2014, in the year: 364 of 365 days with it.
    # £1,000,000 x 364/365 = 997,260.2739... and x 1/365 = 2,739.7260...: floors 999,999.99,
    # the penny to the larger remainder (.60p), the last day's: 997,260.27 and 2,739.73.
    # 997,260.27 shared by two is 49,863,013.5p each: the spare penny to the name first,
    # Staffordshire 498,630.14, West Midlands 498,630.13; the last day West Midlands alone.
    # West Midlands: 498,630.13 + 2,739.73 = 501,369.86 (the two add up to £1,000,000).
    result = apportion(load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days").replace("2013-10-01", "2014-03-31"))))
    periods = {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}
    assert periods == {
        "UNIFORMED 1 Apr-30 Mar 2014": {"West Midlands": D("498630.13"), "Staffordshire": D("498630.14")},
        "UNIFORMED 31 Mar-31 Mar 2014": {"West Midlands": D("2739.73")},
    }
    assert totals(result) == {"Staffordshire": D("498630.14"), "West Midlands": D("501369.86")}


LAST_DAY_YAML = """
collaboration: A line that stops the day before the year ends (illustrative)
year: 2024/25
members: [A, B]
units:
  - code: ROCU
    basis: equal
    pay:
      Salaries: 730000
      Analysts: {amount: 365000, until: 2025-03-30}
"""


def test_a_line_stopping_the_day_before_the_year_ends_runs_for_its_days(write_yaml):
    # 2024/25 has 365 days; the unit is cut on 31 March, the day after Analysts stops: 364
    # days and 1. Salaries (£2,000 a day): 728,000 and 2,000. Analysts (£1,000 a day):
    # 364,000 in the first part, none on the last day. The year: 1,094,000, 547,000 each.
    result = apportion(load_budget(write_yaml(LAST_DAY_YAML)))
    assert {u.unit.code: [(line.name, line.amount) for line in u.unit.lines] for u in result.units} == {
        "ROCU 1 Apr-30 Mar 2025": [("Salaries", D("728000.00")), ("Analysts", D("364000.00"))],
        "ROCU 31 Mar-31 Mar 2025": [("Salaries", D("2000.00"))],
    }
    assert totals(result) == {"A": D("547000.00"), "B": D("547000.00")}


# £730,000 of pay and a grant of £365,000 a year (£2,000 and £1,000 a day), the grant cut
# to £182,500 a year by a revision from FROM
REVISED_YAML = BUDGET.replace("1000000", "730000").replace("500000", "365000") + REVISION.replace(
    "by £200,000 a year", "to £182,500 a year"
).replace("-200000", "-182500").replace("PRO_RATA", "days").replace("2024-10-01", "FROM")


def test_a_revision_on_the_last_day_of_the_year_revises_that_day(write_yaml):
    # From 31 March 2025, one day of 365: the grant (£1,000 a day) is 364,000 to 30 March,
    # and the last day takes 1/365 of £182,500 a year, £500. Salaries 728,000 and 2,000.
    # Net: 728,000 - 364,000 = 364,000 and 2,000 - 500 = 1,500, shared equally: 182,000 and
    # 750 each, 182,750 for the year (not 182,500, as the grant had been cut all year).
    text = REVISED_YAML.replace("FROM", "2025-03-31")
    result = apportion(load_budget(write_yaml(text)))
    assert [(u.unit.code, u.income_amount) for u in result.units] == [
        ("ROCU 1 Apr-30 Mar 2025", D("364000.00")), ("ROCU 31 Mar-31 Mar 2025", D("500.00")),
    ]  # fmt: skip
    assert totals(result) == {"Derbyshire": D("182750.00"), "Leicestershire": D("182750.00")}


def test_a_revision_on_the_day_a_member_leaves_revises_the_period_without_it(write_yaml):
    # Leicestershire leaves on 1 October 2024: 183 days with it, 182 without. The revision
    # from the same day changes the period without it, whole, and cuts it no further: its
    # grant is 182/365 of £182,500 a year, 91,000, against the first period's 183/365 of
    # £365,000, 183,000. Salaries (£2,000 a day): 366,000 and 364,000. The first period's
    # 366,000 - 183,000 = 183,000 is shared by two, 91,500 each; Derbyshire alone pays the
    # second's 364,000 - 91,000 = 273,000, 364,500 for the year.
    text = REVISED_YAML.replace("FROM", "2024-10-01").replace(
        "invoicing:", "membership:\n  - {member: Leicestershire, leaves: 2024-10-01}\ninvoicing:"
    )
    result = apportion(load_budget(write_yaml(text)))
    assert [(u.unit.code, u.income_amount) for u in result.units] == [
        ("ROCU 1 Apr-30 Sep 2024", D("183000.00")), ("ROCU 1 Oct-31 Mar 2025", D("91000.00")),
    ]  # fmt: skip
    assert totals(result) == {"Derbyshire": D("364500.00"), "Leicestershire": D("91500.00")}


def test_a_revision_dated_outside_the_year_is_refused(write_yaml):
    # The readers refuse such a date; a library caller splitting units itself is refused too.
    unit = load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "days"))).units[0]
    cut = unit._replace(lines=(unit.lines[0]._replace(amount=D("900000.00")),))
    for on in (date(2013, 3, 31), date(2014, 4, 1)):
        revision = Revision(on, (), "operations cut by £100,000 a year")
        with pytest.raises(PeriodError) as refused:
            apply_periods((unit,), (), ((revision, (cut,)),), "2013/14")
        assert str(refused.value) == (
            f"revision 1, from {on.day} {on:%B %Y}: operations cut by £100,000 a year: the date is outside the "
            "financial year 1 April 2013 to 31 March 2014"
        )


def test_pro_rating_by_months_needs_the_first_day_of_a_month(write_yaml):
    unit = load_budget(write_yaml(UNIT_YAML.replace("PRO_RATA", "months"))).units[0]
    change = MembershipChange("Staffordshire", date(2013, 10, 15), False, ("UNIFORMED",), by_months=True)
    with pytest.raises(PeriodError) as refused:
        split_unit(unit, change, "2013/14")
    assert str(refused.value) == "Staffordshire leaves on 15 October 2013: pro-rating by months needs the first day of a month"


def test_an_activity_unit_is_not_split_for_a_member_out_of_it_all_year():
    # Leaving on 1 April, the first day of the year, takes the member out of the whole year
    # without cutting it; an activity count is still the year's, so it is refused as a cut is.
    unit = next(u for u in load_budget(EXAMPLES / "npas-2016-17.yaml").units if u.activity is not None)
    member = next(m for m in unit.participants if m != unit.lead)
    change = MembershipChange(member, date(2016, 4, 1), False, (unit.code,))
    with pytest.raises(PeriodError) as refused:
        split_unit(unit, change, "2016/17")
    assert str(refused.value) == (
        f"{member} leaves on 1 April 2016: {unit.code} charges by activity over the whole year; for a member joining or "
        "leaving it part-way, give the activity of each period as a unit of its own"
    )


def test_the_only_participant_cannot_leave(write_yaml):
    text = UNIT_YAML.replace("members: [West Midlands, Staffordshire]", "members: [Staffordshire]")
    text = text.replace("{shares: {West Midlands: 50%, Staffordshire: 50%}}", "equal")
    unit = load_budget(write_yaml(text.replace("PRO_RATA", "days"))).units[0]
    change = MembershipChange("Staffordshire", date(2013, 10, 1), False, ("UNIFORMED",))
    with pytest.raises(PeriodError) as refused:
        split_unit(unit, change, "2013/14")
    assert str(refused.value) == "Staffordshire is the only participant of UNIFORMED; the unit would have no one to pay for it"


ONE_DAY_YAML = """
collaboration: A period of one day (illustrative)
year: 2013/14
members: [A, B, C, D]
units:
  - code: ROADS
    basis: equal
    non_pay: {Operations: 365000}
membership:
  - {member: C, leaves: 2013-10-01, pro_rata: days}
  - {member: B, leaves: 2013-10-02, pro_rata: days}
  - {member: D, leaves: 2013-10-01, pro_rata: days}
"""


def test_a_leaver_is_out_of_a_period_of_one_day_that_begins_on_its_leaving_day(write_yaml):
    # £365,000 over 365 days is £1,000 a day. C's change cuts the year at 1 October: 183 days
    # with C (£183,000), 182 without (£182,000); B's cuts 1 October to 31 March at 2 October:
    # 1 day (£1,000) and 181 days (£181,000). D's change falls on the first (and only) day of
    # the period 1 October: D left that day, so it is out of it, and A and B share its
    # £1,000, £500 each. April to September all four: £45,750 each; from 2 October A alone.
    result = apportion(load_budget(write_yaml(ONE_DAY_YAML)))
    periods = {u.unit.code: {s.member: s.cash_amount for s in u.shares} for u in result.units}
    quarter = D("45750.00")
    assert periods == {
        "ROADS 1 Apr-30 Sep 2013": {"A": quarter, "B": quarter, "C": quarter, "D": quarter},
        "ROADS 1 Oct-1 Oct 2013": {"A": D("500.00"), "B": D("500.00")},
        "ROADS 2 Oct-31 Mar 2014": {"A": D("181000.00")},
    }


def test_each_period_names_its_part_of_the_year_in_the_measure_it_was_cut_in(write_yaml):
    # C joins on 1 October by months: April to September is 6/12 months. D leaves on
    # 1 January by days, cutting October to March (182 days) after 92 (31 + 30 + 31): October
    # to December is 1/2 x 92/182 = 23/91 of the year, January to March 1/2 x 90/182 =
    # 45/182; cut both ways, the part is said as a fraction of the year.
    changes = "  - {member: C, joins: 2024-10-01, pro_rata: months}\n  - {member: D, leaves: 2025-01-01, pro_rata: days}"
    result = apportion(load_budget(write_yaml(TWO_CHANGES_YAML.replace("CHANGES", changes))))
    assert {u.unit.code: u.unit.period.measure for u in result.units if u.unit.period is not None} == {
        "ROADS 1 Apr-30 Sep 2024": "6/12 months",
        "ROADS 1 Oct-31 Dec 2024": "23/91 of the year",
        "ROADS 1 Jan-31 Mar 2025": "45/182 of the year",
    }
