"""Medium-term plans: each later year's budget, made from the budget year's.

For plan year k (the k-th year after the budget's own):

* each pay line is the budget year's x (1 + pay inflation) for every year up to k
  (compounding), rounded to the penny; likewise each non-pay line with non-pay inflation;
* the savings target achieved by year k is the target x the phasing of years 1..k (so
  East Midlands' £2.4m phased 40/30/30 saves £960,000, £1,680,000, then £2,400,000); it
  is split over the units by their spending (largest remainder) and netted off as an
  income line, "Planned savings";
* a unit's grants may change against the budget year (a percentage or an amount);
* a year may have its own share table (bases replaced by name).

The budget year itself is unchanged. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from apportion.model import Budget, Income, IncomeChange, LineKind, Plan, Unit
from apportion.model.money import ZERO, allocate, round_penny, to_fraction
from apportion.rules.scenarios import change_income

SAVINGS_LINE = "Planned savings (cumulative)"


def plan_budgets(budget: Budget, plan: Plan) -> list[Budget]:
    """The budget of each plan year, in order."""
    return [year_budget(budget, plan, index) for index in range(len(plan.years))]


def uplift(plan: Plan, index: int, kind: LineKind) -> Fraction:
    rates = plan.pay_inflation if kind is LineKind.PAY else plan.non_pay_inflation
    factor = Fraction(1)
    for year in plan.years[: index + 1]:
        factor *= 1 + to_fraction(rates.get(year, ZERO)) / 100
    return factor


def year_budget(budget: Budget, plan: Plan, index: int) -> Budget:
    year = plan.years[index]
    units = [inflate(unit, plan, index) for unit in budget.units]
    saved = round_penny(
        to_fraction(plan.savings_amount)
        * sum((to_fraction(plan.savings_phasing.get(y, ZERO)) for y in plan.years[: index + 1]), Fraction(0))
        / 100
    )
    if saved:
        parts = allocate(saved, {unit.code: unit.gross_amount for unit in units})
        units = [
            unit._replace(income=(*unit.income, Income(SAVINGS_LINE, parts[unit.code]))) if parts[unit.code] else unit
            for unit in units
        ]
    for position, unit in enumerate(units):
        change = plan.grants.get(unit.code, {}).get(year)
        if change is not None:
            units[position] = change_income_of_budget_year(unit, budget.units[position], change)
    bases = plan.bases.get(year, {})
    if bases:
        units = [unit._replace(basis=bases[unit.basis.name]) if unit.basis.name in bases else unit for unit in units]
    return replace(
        budget, year=year, units=tuple(units), bases={**budget.bases, **bases}, plan=None, year_end=None, membership=()
    )


def inflate(unit: Unit, plan: Plan, index: int) -> Unit:
    return uplifted(unit, {kind: uplift(plan, index, kind) for kind in LineKind})


def uplifted(unit: Unit, factors: Mapping[LineKind, Fraction]) -> Unit:
    """The unit with each budget line of a kind in ``factors`` multiplied by its factor
    (1.02 for 2% inflation) and rounded to the penny, line by line: a line's uplift, stated
    once, for the plan's years and a sweep's inflation alike."""
    lines = tuple(
        line._replace(amount=round_penny(to_fraction(line.amount) * factors[line.kind])) if line.kind in factors else line
        for line in unit.lines
    )
    return unit._replace(lines=lines)


def change_income_of_budget_year(unit: Unit, base: Unit, change: IncomeChange) -> Unit:
    """The year's unit with its grants changed against the budget year's (savings kept)."""
    changed = change_income(unit._replace(income=base.income), change)
    savings = tuple(i for i in unit.income if i.name == SAVINGS_LINE)
    return changed._replace(income=(*changed.income, *savings))
