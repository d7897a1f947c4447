"""Figures the rules work out from inputs each under the limit (a variant's year end, a
monitoring report's variances) are refused past what a spreadsheet holds to the penny,
naming the figure: the readers cannot see them, as they depend on a scenario or the budget."""

from __future__ import annotations

import textwrap

import pytest

from apportion.input.budget_file import load_budget
from apportion.model.limits import LimitError
from apportion.rules.calculate import apportion
from apportion.rules.monitoring import monitor
from apportion.rules.prepare import prepare

HEAD = "collaboration: C\nyear: 2024/25\nmembers: [A, B]\n"


def test_closing_reserves_a_scenario_takes_past_the_limit(write_yaml):
    # As written: £6tn of reserves and ROCU's £3tn budget unspent: £9tn at the year end.
    # With its pay line at £4.5tn, £10.5tn: more than a spreadsheet holds to the penny.
    path = write_yaml(HEAD + textwrap.dedent("""
        units: [{code: ROCU, basis: equal, pay: {Salaries: 3000000000000}}]
        year_end: {outturn: {ROCU: 0}, settlement: reserves, reserves: {opening: 6000000000000}}
        scenarios:
          - name: more-pay
            changes: [{line: {unit: ROCU, line: Salaries, amount: 4500000000000}}]
    """))  # fmt: skip
    budget = load_budget(path)
    assert apportion(budget).year_end.reserves_closing == 9 * 10**12
    with pytest.raises(LimitError) as caught:
        apportion(prepare(budget, "more-pay"))
    assert str(caught.value) == (
        "at the year end, the closing reserves would be £10,500,000,000,000.00, more than apportion handles "
        "(under £10,000,000,000,000, what a spreadsheet holds to the penny)"
    )


def test_a_forecast_variance_past_the_limit(write_yaml):
    # ROCU's budget is £100,000; a forecast out-turn of -£9,999,999,999,999 (an income
    # windfall typed with a sign) makes the variance £100,000 + £9,999,999,999,999 =
    # £10,000,000,099,999.00, past the limit though every figure given is under it.
    path = write_yaml(HEAD + textwrap.dedent("""
        units: [{code: ROCU, basis: equal, pay: {Salaries: 100000}}]
        monitoring:
          actuals: {Q1: {ROCU: {actual: 25000, forecast: -9999999999999}}}
    """))  # fmt: skip
    budget = load_budget(path)
    with pytest.raises(LimitError) as caught:
        monitor(apportion(budget), budget.monitoring, 1)
    assert str(caught.value) == (
        "Q1: ROCU's forecast variance would be £10,000,000,099,999.00, more than apportion handles "
        "(under £10,000,000,000,000, what a spreadsheet holds to the penny)"
    )
