"""Instalments: each member's net cash payable invoiced through the year, to the penny,
with due dates and references worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apportion.input.budget_file import load_budget
from apportion.model.invoicing import Instalment, Schedule, Timing
from apportion.model.money import D
from apportion.outputs.csv_files import instalments_csv
from apportion.rules.calculate import apportion
from apportion.rules.instalments import due_dates, label, reference, revised, split, year_code
from tests.conftest import EXAMPLES

EM = EXAMPLES / "east-midlands-2013-14.yaml"


def test_the_east_midlands_members_quarterly_from_15_april():
    # Nottinghamshire pays 5,714,244.63 (docs/domain.md): a quarter is 1,428,561.1575, so
    # four floors of 1,428,561.15 leave 3p, one each to Q1, Q2 and Q3.
    # Lincolnshire pays 2,679,206.27: 669,801.5675 a quarter; floors 669,801.56 leave 3p.
    result = apportion(load_budget(EM))
    notts = [i for i in result.instalments if i.member == "Nottinghamshire"]
    assert [i.amount for i in notts] == [D("1428561.16"), D("1428561.16"), D("1428561.16"), D("1428561.15")]
    assert [i.due for i in notts] == [date(2013, 4, 15), date(2013, 7, 15), date(2013, 10, 15), date(2014, 1, 15)]
    assert [i.reference for i in notts] == [f"EMRC-1314-NOTTINGHAMSHIRE-Q{q}" for q in range(1, 5)]
    lincs = [i.amount for i in result.instalments if i.member == "Lincolnshire"]
    assert lincs == [D("669801.57"), D("669801.57"), D("669801.57"), D("669801.56")]
    for total in result.member_totals:  # every member's instalments add up to what it pays
        assert sum(i.amount for i in result.instalments if i.member == total.member) == total.cash_amount


def test_due_dates_in_advance_in_arrears_and_from_a_first_date():
    # 2013/14 runs 1 April 2013 to 31 March 2014
    assert due_dates(Schedule(4, Timing.ADVANCE), "2013/14") == [
        date(2013, 4, 1),
        date(2013, 7, 1),
        date(2013, 10, 1),
        date(2014, 1, 1),
    ]
    assert due_dates(Schedule(4, Timing.ARREARS), "2013/14") == [
        date(2013, 6, 30),
        date(2013, 9, 30),
        date(2013, 12, 31),
        date(2014, 3, 31),
    ]
    # the 31st, monthly: the last day of the shorter months (30 June; 28 February 2014)
    monthly = due_dates(Schedule(12, Timing.ADVANCE, date(2013, 3, 31)), "2012/13")
    assert monthly[:4] == [date(2013, 3, 31), date(2013, 4, 30), date(2013, 5, 31), date(2013, 6, 30)]
    assert due_dates(Schedule(2, Timing.ARREARS), "2024/25") == [date(2024, 9, 30), date(2025, 3, 31)]
    assert due_dates(Schedule(12, Timing.ADVANCE, date(2013, 4, 30)), "2013/14")[10] == date(2014, 2, 28)


def test_a_first_due_date_on_a_months_last_day_keeps_to_month_ends():
    # 30 June is June's last day: the next quarters fall on 30 September, 31 December and
    # 31 March (not the 30th), as the default quarters in arrears do
    assert due_dates(Schedule(4, Timing.ARREARS, date(2013, 6, 30)), "2013/14") == [
        date(2013, 6, 30),
        date(2013, 9, 30),
        date(2013, 12, 31),
        date(2014, 3, 31),
    ]
    # monthly from 30 April: 31 May, 30 June, 31 July ... 28 February, 31 March
    monthly = due_dates(Schedule(12, Timing.ARREARS, date(2013, 4, 30)), "2013/14")
    assert monthly[:4] == [date(2013, 4, 30), date(2013, 5, 31), date(2013, 6, 30), date(2013, 7, 31)]
    assert monthly[-2:] == [date(2014, 2, 28), date(2014, 3, 31)]
    # a date that is not a month's last day keeps its day: the 30th of each month from 30 May
    assert due_dates(Schedule(4, Timing.ARREARS, date(2013, 5, 30)), "2013/14")[1:] == [
        date(2013, 8, 30),
        date(2013, 11, 30),
        date(2014, 2, 28),
    ]


def test_a_member_of_its_own_schedule_and_a_credit(write_yaml):
    # A pays 60% of 1,000.00 - 1,200.05 = -200.05: a credit of 120.03 (the 0.5p remainders:
    # A's exact -120.03, B's -80.02 sum to -200.05). A is invoiced monthly in arrears:
    # -120.03 / 12 = -10.0025: twelve parts of -10.00 leave -0.03, one each to M01..M03.
    text = (
        "collaboration: Test\nyear: 2024/25\nmembers: [A, B]\n"
        "units:\n  - code: U\n    basis: {shares: {A: 60%, B: 40%}}\n    pay: {Staff: 1000}\n    income: {Grant: 1200.05}\n"
        "invoicing:\n  instalments: half-yearly\n  members:\n    A: {instalments: monthly, timing: in arrears}\n"
    )
    result = apportion(load_budget(write_yaml(text)))
    cash = {t.member: t.cash_amount for t in result.member_totals}
    assert cash == {"A": D("-120.03"), "B": D("-80.02")}
    a = [i for i in result.instalments if i.member == "A"]
    assert [i.amount for i in a] == [D("-10.01")] * 3 + [D("-10.00")] * 9
    assert (a[0].label, a[0].due, a[-1].label, a[-1].due) == ("M01", date(2024, 4, 30), "M12", date(2025, 3, 31))
    b = [(i.label, i.due, i.amount) for i in result.instalments if i.member == "B"]
    assert b == [("H1", date(2024, 4, 1), D("-40.01")), ("H2", date(2024, 10, 1), D("-40.01"))]
    # the references are the same when the same budget is run again; the CSV holds them
    again = apportion(load_budget(write_yaml(text, "again.yaml")))
    assert [i.reference for i in again.instalments] == [i.reference for i in result.instalments]
    assert instalments_csv(result).splitlines()[1] == '"A","M01","2024-04-30",-10.01,"T-2425-A-M01","monthly, in arrears"'


@given(pence=st.integers(-(10**12), 10**12), count=st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_the_instalments_add_up_and_are_a_penny_apart_at_most(pence, count):
    parts = split(Decimal(pence) / 100, count)
    assert sum(parts) == Decimal(pence) / 100
    assert max(parts) - min(parts) <= D("0.01")
    assert parts == sorted(parts, key=abs, reverse=True)  # the earliest get the pennies left over


def test_a_revision_from_1_october_keeps_what_was_invoiced_and_the_rest_absorb_the_change():
    from apportion.rules.prepare import prepare

    # Lincolnshire leaves from 1 October 2013, a revision: the unit runs as written to 30
    # September and without Lincolnshire from then, pro rata by days. 20,931,299.00 splits
    # 183/365 and 182/365: 10,494,322.51|23 and 10,436,976.48|77 (pence, remainder): the
    # penny left goes to the later part: 10,494,322.51 and 10,436,976.49.
    # Nottinghamshire: 27.3% of 10,494,322.51 = 2,864,950.04|523, which takes one of the two
    # pence left over (remainders: Derbyshire .722, Nottinghamshire .523, Northamptonshire
    # .399, ...): 2,864,950.05; and 27.3/87.2 of 10,436,976.49 = 3,267,539.65|799, a penny
    # too (Leicestershire .986, Nottinghamshire .799): 3,267,539.66. Its year: 6,132,489.71.
    # It was invoiced Q1 and Q2 of 1,428,561.16, 2,857,122.32 in all; Q3 and Q4 share
    # 3,275,367.39: 1,637,683.695 each, the penny to Q3.
    # Lincolnshire: 12.8% of 10,494,322.51 = 1,343,273.28|128 (no penny), and nothing after.
    # It was invoiced 1,339,603.14; Q3 and Q4 share the 3,670.14 left: 1,835.07 each.
    budget = load_budget(EM)
    result = apportion(prepare(budget, "lincolnshire-leaves", revised_from=date(2013, 10, 1)))
    by = {(i.member, i.label): i.amount for i in result.instalments}
    assert [by[("Nottinghamshire", q)] for q in ("Q1", "Q2", "Q3", "Q4")] == [
        D("1428561.16"), D("1428561.16"), D("1637683.70"), D("1637683.69"),
    ]  # fmt: skip
    assert [by[("Lincolnshire", q)] for q in ("Q1", "Q2", "Q3", "Q4")] == [
        D("669801.57"), D("669801.57"), D("1835.07"), D("1835.07"),
    ]  # fmt: skip
    for total in result.member_totals:
        assert sum(i.amount for i in result.instalments if i.member == total.member) == total.cash_amount
    # after the last due date: one adjustment on the day, for all that changed. From 1 March
    # 2014 the parts are 334/365 and 31/365: 19,153,572.23|56 and 1,777,726.76|44, the penny
    # to the first: 19,153,572.24 and 1,777,726.76. Nottinghamshire: 27.3% of the first
    # 5,228,925.22|152 (the two pence go to Derbyshire .728 and Lincolnshire .672) and 27.3/87.2
    # of the second 556,558.95|124 (the pence to Leicestershire .477 and Northamptonshire
    # .408): 5,785,484.17 for the year, invoiced 5,714,244.63: an adjustment of 71,239.54.
    late = apportion(prepare(budget, "lincolnshire-leaves", revised_from=date(2014, 3, 1)))
    adjustment = [i for i in late.instalments if i.member == "Nottinghamshire" and i.label == "ADJ"]
    assert [(i.due, i.amount) for i in adjustment] == [(date(2014, 3, 1), D("71239.54"))]


REVISED = """\
collaboration: Test
year: 2024/25
members: [A, B, C, D]
units:
  - code: U
    participants: [A, B, C]
    basis: {shares: {A: 50%, B: 30%, C: 20%}}
    non_pay: {Costs: 1200}
  - code: V
    participants: [D]
    basis: {shares: {D: 100%}}
    non_pay: {Costs: 400}
invoicing:
  instalments: quarterly
scenarios:
  - name: c-leaves
    changes:
      - without: C
"""


def test_a_revision_keeps_the_references_and_adjusts_only_who_changed(write_yaml):
    from apportion.rules.prepare import prepare

    # As written: A 600, B 360, C 240 of U, D 400 of V; quarterly in advance (1 April,
    # 1 July, 1 October, 1 January): A 150, B 90, C 60, D 100 a quarter. Without C from
    # 1 October, U's 1,200 is parted by days, 183/365 and 182/365: 601.64|38 and 598.35|62,
    # the penny to the second, 601.64 and 598.36. Before: A 300.82, B 180.49|2, C 120.32|8,
    # the penny to C: 120.33. After, A 5/8 and B 3/8: 373.97|5 and 224.38|5, the equal
    # remainders' penny to the larger share, A: 373.98. For the year A 674.80, B 404.87,
    # C 120.33; less Q1 and Q2 paid: A 374.80 (187.40 twice), B 224.87 (112.44, 112.43, the
    # odd penny first), C 0.33 (0.17, 0.16); D as before. The references are made as the
    # first invoices' were: 'T-2425-A-Q3'.
    budget = load_budget(write_yaml(REVISED))
    result = apportion(prepare(budget, "c-leaves", revised_from=date(2024, 10, 1)))
    rows = [(i.member, i.label, i.amount, i.reference) for i in result.instalments]
    assert rows == [
        ("A", "Q1", D("150.00"), "T-2425-A-Q1"), ("A", "Q2", D("150.00"), "T-2425-A-Q2"),
        ("A", "Q3", D("187.40"), "T-2425-A-Q3"), ("A", "Q4", D("187.40"), "T-2425-A-Q4"),
        ("B", "Q1", D("90.00"), "T-2425-B-Q1"), ("B", "Q2", D("90.00"), "T-2425-B-Q2"),
        ("B", "Q3", D("112.44"), "T-2425-B-Q3"), ("B", "Q4", D("112.43"), "T-2425-B-Q4"),
        ("C", "Q1", D("60.00"), "T-2425-C-Q1"), ("C", "Q2", D("60.00"), "T-2425-C-Q2"),
        ("C", "Q3", D("0.17"), "T-2425-C-Q3"), ("C", "Q4", D("0.16"), "T-2425-C-Q4"),
        ("D", "Q1", D("100.00"), "T-2425-D-Q1"), ("D", "Q2", D("100.00"), "T-2425-D-Q2"),
        ("D", "Q3", D("100.00"), "T-2425-D-Q3"), ("D", "Q4", D("100.00"), "T-2425-D-Q4"),
    ]  # fmt: skip
    # From 1 March, after the last due date: 334/365 and 31/365 of 1,200, 1,098.08|22 and
    # 101.91|78, the penny to the second: 101.92. Before: A 549.04, B 329.42|4, C 219.61|6,
    # the penny to C; after: A 63.70, B 38.22. A 612.74, B 367.64, C 219.62 for the year: one
    # adjustment each, numbered after the four (A +12.74, B +7.64, C -20.38), none for D.
    late = apportion(prepare(budget, "c-leaves", revised_from=date(2025, 3, 1)))
    adjustments = [(i.member, i.number, i.due, i.amount, i.reference) for i in late.instalments if i.label == "ADJ"]
    assert adjustments == [
        ("A", 5, date(2025, 3, 1), D("12.74"), "T-2425-A-ADJ"),
        ("B", 5, date(2025, 3, 1), D("7.64"), "T-2425-B-ADJ"),
        ("C", 5, date(2025, 3, 1), D("-20.38"), "T-2425-C-ADJ"),
    ]
    assert len(late.instalments) == 16 + 3


ONE_UNIT_LEFT = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: ROADS
    basis: equal
    non_pay: {Operations: 1200}
  - code: DOGS
    basis: equal
    non_pay: {Dogs: 1200}
membership:
  - {member: B, leaves: 2024-10-01, units: [ROADS], pro_rata: months}
invoicing:
  instalments: quarterly
"""


def test_a_member_leaving_one_unit_stays_a_member_and_is_invoiced_all_year(write_yaml):
    # B leaves ROADS on 1 October but stays in DOGS, so it is still a member of the
    # collaboration and is invoiced every quarter. ROADS: April to September £600, £300
    # each; October to March £600, A's. DOGS: £600 each. B pays 300 + 600 = 900, £225 a
    # quarter; A pays 300 + 600 + 600 = 1,500, £375 a quarter; in advance from 1 April.
    result = apportion(load_budget(write_yaml(ONE_UNIT_LEFT)))
    quarters = [date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
    assert [(i.label, i.due, i.amount) for i in result.instalments if i.member == "B"] == [
        (f"Q{n}", due, D("225.00")) for n, due in enumerate(quarters, start=1)
    ]
    assert [i.amount for i in result.instalments if i.member == "A"] == [D("375.00")] * 4
    assert not result.warnings


TWO_REVISIONS = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: U
    basis: {shares: {A: 50%, B: 50%}}
    non_pay: {Costs: 3650000}
    income: {Grant: 730000}
invoicing:
  instalments: quarterly
revisions:
  - from: 2024-07-01
    description: the grant cut by half
    pro_rata: days
    changes:
      - income: {unit: U, change: -365000}
  - from: 2024-10-01
    description: the rest of the grant withdrawn
    pro_rata: days
    changes:
      - income: {unit: U, change: -365000}
"""


def test_each_revision_re_invoices_from_its_date_on_the_year_as_revised_to_then(write_yaml):
    # 365 days: costs £10,000 a day. As written, net 3,650,000 - 730,000 = 2,920,000: A pays
    # half, 1,460,000, 365,000 a quarter (1 April, 1 July, 1 October, 1 January).
    # From 1 July (the first revision alone): April to June, 91 days, the grant's 91/365 of
    # 730,000 = 182,000; from July, 274 days of 365,000 = 274,000: net 3,650,000 - 456,000 =
    # 3,194,000, A's 1,597,000. Q1's 365,000 invoiced; Q2 to Q4 share 1,232,000: 410,666.67,
    # 410,666.67, 410,666.66 (the two pence left to the first two).
    # From 1 October (both): July to September, 92 days of 365,000 = 92,000; from October,
    # nothing: grant 274,000, net 3,376,000, A's 1,688,000. Q1 and Q2 invoiced, 775,666.67;
    # Q3 and Q4 share 912,333.33: 456,166.67 and 456,166.66.
    result = apportion(load_budget(write_yaml(TWO_REVISIONS)))
    assert [i.amount for i in result.instalments if i.member == "A"] == [
        D("365000.00"), D("410666.67"), D("456166.67"), D("456166.66"),
    ]  # fmt: skip
    assert sum(i.amount for i in result.instalments if i.member == "A") == D("1688000.00")


def test_labels_and_year_codes_as_the_references_spell_them():
    # once a year Y1, half-yearly H1 H2, quarterly Q1..Q4, monthly M01..M12 (two digits from
    # ten instalments, so that they sort); any other count is I: 3 or 6 a year I1..I6, and
    # dates given one by one, nine of them I1..I9, ten I01..I10
    assert label(Schedule(1), 1) == "Y1"
    assert [label(Schedule(2), n) for n in (1, 2)] == ["H1", "H2"]
    assert label(Schedule(4), 4) == "Q4"
    assert [label(Schedule(12), n) for n in (1, 12)] == ["M01", "M12"]
    assert [label(Schedule(3), 3), label(Schedule(6), 6)] == ["I3", "I6"]
    assert [label(Schedule(9, due=NINE), n) for n in (1, 9)] == ["I1", "I9"]
    assert [label(Schedule(10, due=(*NINE, date(2025, 3, 1))), n) for n in (1, 10)] == ["I01", "I10"]
    # the year in a reference: '2013/14' is 1314; a year written otherwise keeps its digits,
    # and one with none is YEAR
    assert [year_code(y) for y in ("2013/14", "2024", "2024-2025", "the year")] == ["1314", "2024", "20242025", "YEAR"]
    assert reference("EMRC", "2024", "Thames Valley", "Y1") == "EMRC-2024-THAMES-VALLEY-Y1"


NINE = tuple(date(2024, month, 1) for month in range(4, 13))  # 1 April to 1 December 2024


def test_once_a_year_falls_due_on_the_first_or_the_last_day_of_the_year():
    # 2013/14: in advance 1 April 2013, in arrears 31 March 2014 (twelve months on, less a day)
    assert due_dates(Schedule(1, Timing.ADVANCE), "2013/14") == [date(2013, 4, 1)]
    assert due_dates(Schedule(1, Timing.ARREARS), "2013/14") == [date(2014, 3, 31)]
    assert due_dates(Schedule(12, Timing.ARREARS), "2013/14")[-1] == date(2014, 3, 31)


LEAVES_ON_A_DUE_DATE = ONE_UNIT_LEFT.replace("units: [ROADS]", "units: [ROADS, DOGS]")


def test_a_member_leaving_on_a_due_date_is_not_invoiced_on_it(write_yaml):
    # B leaves both units, so the collaboration, on 1 October: its first day out, which is
    # Q3's due date (quarterly in advance), so B is invoiced Q1 and Q2 only. By months, B
    # pays half of April to September of each unit: 300 + 300 = 600, 300.00 on 1 April and
    # 1 July. A pays 300 + 600 for each unit, 1,800: 450.00 a quarter.
    result = apportion(load_budget(write_yaml(LEAVES_ON_A_DUE_DATE)))
    assert [(i.label, i.due, i.amount) for i in result.instalments if i.member == "B"] == [
        ("Q1", date(2024, 4, 1), D("300.00")),
        ("Q2", date(2024, 7, 1), D("300.00")),
    ]
    assert [i.amount for i in result.instalments if i.member == "A"] == [D("450.00")] * 4


HALVES = """\
collaboration: Test
year: 2024/25
members: [A, B]
units:
  - code: U
    basis: {shares: {A: 50%, B: 50%}}
    non_pay: {Costs: 800}
invoicing:
  instalments: quarterly
"""


def test_a_member_invoiced_all_it_pays_before_a_change_is_sent_nothing_more(write_yaml):
    # A and B pay 400 each. Say A was invoiced 200 on 1 April and 200 on 1 July, and B 100
    # twice. From 1 October: A has nothing left to pay, so its Q3 (due that day) and Q4
    # would be nil, and are not sent; B's 200 left is Q3 and Q4, 100.00 each.
    result = apportion(load_budget(write_yaml(HALVES)))
    invoiced = [
        Instalment("A", 1, "Q1", date(2024, 4, 1), D("200.00"), "T-2425-A-Q1"),
        Instalment("A", 2, "Q2", date(2024, 7, 1), D("200.00"), "T-2425-A-Q2"),
        Instalment("B", 1, "Q1", date(2024, 4, 1), D("100.00"), "T-2425-B-Q1"),
        Instalment("B", 2, "Q2", date(2024, 7, 1), D("100.00"), "T-2425-B-Q2"),
    ]
    after = revised(result, result.budget.invoicing, invoiced, date(2024, 10, 1))
    assert after == (
        *invoiced,
        Instalment("B", 3, "Q3", date(2024, 10, 1), D("100.00"), "T-2425-B-Q3"),
        Instalment("B", 4, "Q4", date(2025, 1, 1), D("100.00"), "T-2425-B-Q4"),
    )
