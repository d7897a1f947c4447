"""The panel report's figures: columns that add up as printed, a bridge that adds up
exactly, and figures checked by hand against the sources and the examples."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare
from apportion.rules.report import Request, panel_report, year_figures
from apportion.rules.report_year import latest_period
from tests.conftest import EXAMPLES

EM = EXAMPLES / "east-midlands-2013-14.yaml"
EM_LAST = EXAMPLES / "east-midlands-2012-13.yaml"


def report_of(path, last_path=None, **request):
    budget = load_budget(path)
    last = year_figures(apportion(prepare(load_budget(last_path)))) if last_path else None
    return panel_report(apportion(prepare(budget)), budget, Request(last_year=last, **request))


def shown_sum(figures):
    return sum((f.shown for f in figures), Decimal(0))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_column_adds_up_as_printed_and_each_figure_is_within_a_step(path):
    report = report_of(path)
    step = report.settings.figures.step
    rows, totals = report.members, report.totals
    for column in ("cash", "in_kind", "total"):
        assert shown_sum(getattr(row, column) for row in rows) == getattr(totals, column).shown
        assert sum((getattr(row, column).exact for row in rows), D("0")) == getattr(totals, column).exact
    for row in rows:
        assert row.total.shown == row.cash.shown + row.in_kind.shown  # a row adds up as a column does
        assert abs(row.cash.shown - row.cash.exact) < step and abs(row.in_kind.shown - row.in_kind.exact) < step
        assert row.cash.shown % step == 0
    # the net cash column's total is the exact total rounded half up to the step
    assert totals.cash.shown == (totals.cash.exact / step).quantize(Decimal(1), rounding="ROUND_HALF_UP") * step
    # the units' net budgets add up to what the members' table says they pay; the funding to what it pays for
    assert shown_sum(row.figures.net for row in report.units) == report.unit_totals.net.shown == totals.cash.shown
    assert report.funding_total.exact == sum((amount.exact for _, amount in report.pays_for), D("0"))
    assert report.funding_total.shown == shown_sum(amount for _, amount in report.pays_for)
    assert report.funding_total.shown == shown_sum(row.amount for row in report.funding)


def test_east_midlands_against_2012_13_by_hand():
    # 2012/13 (illustrative): £20,512,673 by 27.4/22.7/22.2/14.8/12.9%. In pence, Nottinghamshire's
    # exact part is 2,051,267,300 x 0.274 = 562,047,240.2; the five floors leave 2p, which go to
    # Lincolnshire (.7) and Derbyshire (.6): Nottinghamshire pays £5,620,472.40 in 2012/13.
    report = report_of(EM, EM_LAST)
    notts = next(row for row in report.members if row.member == "Nottinghamshire")
    assert notts.last_year.exact == D("5620472.40")
    assert notts.change.exact == D("5714244.63") - D("5620472.40") == D("93772.23")
    # shown: 5,714,245 (the 2p of 2013/14 go to .63 and .55) less 5,620,472 (the 3 pounds of
    # 2012/13 go to Lincolnshire .82, Leicestershire .77, Northamptonshire .60)
    assert (notts.total.shown, notts.last_year.shown, notts.change.shown) == (D("5714245"), D("5620472"), D("93773"))
    assert notts.change_percent == D("1.7")  # 93,772.23 / 5,620,472.40 = 1.668%
    bridge = report.bridge
    # one unit, all five forces in both years: the whole change is in the shares of cost
    assert [(c.cause, c.amount.exact, c.amount.shown) for c in bridge.causes] == [("share of cost", D("418626.00"), D("418626"))]
    assert (bridge.start.exact, bridge.end.exact) == (D("20512673.00"), D("20931299.00"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_bridge_adds_up_exactly_against_any_year_before(path):
    budget = load_budget(path)
    result = apportion(prepare(budget))
    for scenario in budget.scenarios:
        last = year_figures(apportion(prepare(budget, scenario.name)))
        bridge = panel_report(result, budget, Request(last_year=last)).bridge
        assert bridge.start.exact + sum((c.amount.exact for c in bridge.causes), D("0")) == bridge.end.exact
        assert bridge.start.shown + shown_sum(c.amount for c in bridge.causes) == bridge.end.shown


def test_a_member_that_left_last_year_shows_as_joining_and_moves_the_total_by_all_it_pays():
    budget = load_budget(EM)
    last = year_figures(apportion(prepare(budget, "lincolnshire-leaves")))
    report = panel_report(apportion(prepare(budget)), budget, Request(last_year=last))
    lincolnshire = next(row for row in report.members if row.member == "Lincolnshire")
    assert (lincolnshire.status, lincolnshire.last_year, lincolnshire.change) == ("joined", None, None)
    # Lincolnshire pays £2,679,206.27 (docs/domain.md); last year the four paid it between them
    assert {c.cause: c.amount.exact for c in report.bridge.causes} == {
        "share of cost": D("-2679206.27"),
        "membership changes": D("2679206.27"),
    }
    assert report.bridge.joiners == (("Lincolnshire", lincolnshire.total),)


def test_officers_given_in_kind_this_year_are_their_own_cause(write_yaml):
    text = """
        collaboration: Test collaboration
        year: {year}
        members: [Derbyshire, Lincolnshire]
        units:
          - code: ROCU
            basis: equal
            pay: {{Salaries: 100000}}
            {in_kind}
    """
    last = write_yaml(text.format(year="2012/13", in_kind=""), "last.yaml")
    now = write_yaml(text.format(year="2013/14", in_kind="in_kind: {Derbyshire: {officers: 2, cost_each: 55000}}"))
    report = report_of(now, last)
    # the same £100,000 split equally both years; Derbyshire now seconds 2 x £55,000 = £110,000 as well
    assert {c.cause: c.amount.exact for c in report.bridge.causes} == {"share of cost": D("0.00"), "in kind": D("110000.00")}
    assert report.bridge.end.exact - report.bridge.start.exact == D("110000.00")


def test_per_head_and_shares_by_hand():
    report = report_of(EM)
    notts = next(row for row in report.members if row.member == "Nottinghamshire")
    assert notts.per_head == D("5.24")  # 5,714,244.63 / 1,091,000 people = 5.2376...
    assert notts.share == Fraction(571424463, 2093129900)  # its part of the whole
    assert report.totals.per_head == D("4.62")  # 20,931,299 / 4,534,000 = 4.6165...
    assert (report.biggest, report.smallest) == ("Nottinghamshire", "Lincolnshire")


def test_thousands_are_shown_in_whole_thousands_and_still_add_up():
    report = report_of(EXAMPLES / "npas-2016-17.yaml")
    assert report.settings.figures.step == 1000
    assert len(report.members) == 43
    assert all(row.total.shown % 1000 == 0 for row in report.members)
    assert shown_sum(row.total for row in report.members) == report.totals.total.shown


def test_monitoring_year_end_and_scenarios_from_the_source():
    report = report_of(EM)
    assert latest_period(load_budget(EM).monitoring.actuals) == 2
    monitoring = report.monitoring
    assert monitoring.report.name == "Q2"
    # source para 5.2: forecast out-turn £20,699,816, an under-spend of £231,483
    assert (monitoring.totals["forecast"].exact, monitoring.totals["variance"].exact) == (D("20699816.00"), D("231483.00"))
    assert shown_sum(amount for _, amount in monitoring.members) == monitoring.totals["variance"].shown
    assert "2 September 2013" in dict((p.unit, e) for p, _, e in monitoring.units)["EM-REGIONAL"]
    # paras 5.8 and 5.9: capital £420,471 (reserves £377,468, fund £43,003); reserves £874,960 at the year end
    year_end = report.year_end
    assert (year_end.programme.exact, year_end.closing.exact) == (D("420471.00"), D("874960.00"))
    assert shown_sum(part for _, part, _ in year_end.members) == year_end.closing.shown
    (leaves,) = report.scenarios
    assert leaves.changes["Nottinghamshire"].exact == D("838788.20")  # as compare finds it
    assert leaves.total.exact == D("0.00")


def test_a_period_the_actuals_do_not_reach_is_refused():
    from apportion.rules.monitoring import MonitoringError

    with pytest.raises(MonitoringError, match="no actual for EM-REGIONAL"):
        report_of(EM, period=3)
