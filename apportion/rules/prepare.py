"""One preparation step for every variant of a budget, before the one pure calculation.

:func:`prepare` applies the named scenario and the what-ifs (:mod:`apportion.rules.scenarios`),
splits each unit whose membership changes in the year into its periods
(:mod:`apportion.rules.periods`), makes each income line with a split of its own a unit
of returned income (:mod:`apportion.rules.returned_income`) and makes each later year of a
medium-term plan (:mod:`apportion.rules.plans`); with a revision, it prepares the budget as
written too, whose instalments stand before the date. :func:`apportion.rules.calculate.apportion`
then splits what it is given and nothing else. Pure: no I/O.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from apportion.model.budget import Budget, Prepared
from apportion.model.changes import Change, Scenario
from apportion.model.limits import MAX_MONEY, LimitError, totals_over_limit
from apportion.model.money import format_gbp
from apportion.rules.periods import apply_membership, financial_year, long_date
from apportion.rules.plans import plan_budgets
from apportion.rules.returned_income import split_returned_income
from apportion.rules.scenarios import ScenarioError, apply_change

WHAT_IF = "what-if"


def prepare(
    budget: Budget, scenario: str | None = None, what_ifs: Sequence[Change] = (), from_year: str | None = None,
    revised_from: date | None = None,
) -> Prepared:  # fmt: skip
    """The budget to calculate: the named scenario (if any), then the what-ifs, then its
    periods and plan years. With ``from_year`` (a year of the plan), the what-ifs change
    that year and the plan years after it, not the budget year: "what if next year's
    grant falls". With ``revised_from`` (a date in the year), the variant is a revision from
    that date: the instalments due before it stay as the budget as written invoiced them.

    Raises ScenarioError for an unknown scenario name or a change that cannot be made, and
    PeriodError for a membership change that cannot be applied.
    """
    if from_year is None:
        chosen = variant(budget, scenario, what_ifs)
    else:
        check_plan_year(budget, from_year, what_ifs)
        base = variant(budget, scenario, ())
        label = f"{WHAT_IF} from {from_year}: {'; '.join(change.describe() for change in what_ifs)}"
        named = " + ".join(name for name in (base.scenario if scenario else None, label) if name)
        chosen = replace(base, scenario=named, what_ifs=tuple(what_ifs), what_ifs_from=from_year)
    units = apply_membership(chosen.units, chosen.membership, chosen.year) if chosen.membership else chosen.units
    units = split_returned_income(units)
    years = plan_budgets(chosen, chosen.plan) if chosen.plan else []
    if from_year is not None and chosen.plan:
        # the years from then on are made from the budget year as the what-ifs change it
        start = list(chosen.plan.years).index(from_year)
        years[start:] = plan_budgets(replace(variant(chosen, None, what_ifs), plan=chosen.plan), chosen.plan)[start:]
    later = tuple(Prepared(year, split_returned_income(year.units)) for year in years)
    for year in (chosen, *(prepared.budget for prepared in later)):
        check_limits(year)
    if revised_from is None:
        return Prepared(chosen, units, later)
    check_revision(budget, chosen, revised_from)
    named = f"{chosen.scenario}, instalments revised from {long_date(revised_from)}"
    return Prepared(replace(chosen, scenario=named, revised_from=revised_from), units, later, prepare(budget))


def check_revision(budget: Budget, chosen: Budget, on: date) -> None:
    """A revision needs invoicing to revise, a change to make, and a date in the year."""
    if budget.invoicing is None:
        raise ScenarioError(f"revised from {long_date(on)}: the budget file has no invoicing: to revise")
    if chosen is budget:
        raise ScenarioError(
            f"revised from {long_date(on)}: give the scenario or what-ifs that change the contributions from then"
        )
    start, end = financial_year(budget.year)
    if not start <= on <= end:
        raise ScenarioError(
            f"revised from {long_date(on)}: the date is outside the financial year {long_date(start)} to {long_date(end)}"
        )


def check_limits(budget: Budget) -> None:
    """Every total of the variant under the limit the readers hold the budget to."""
    for unit, what, total in totals_over_limit(budget.units):
        whose = f"{unit.code}'s" if unit is not None else "the units'"
        variant_name = f" in {budget.scenario}" if budget.scenario else ""
        raise LimitError(
            f"{budget.year}{variant_name}: {whose} {what} would total {format_gbp(total)}, more than apportion handles "
            f"(under £{MAX_MONEY:,}, what a spreadsheet holds to the penny)"
        )


def variant(budget: Budget, scenario: str | None, what_ifs: Sequence[Change]) -> Budget:
    """The budget with the named scenario's changes made, then the what-ifs, and its name
    recorded ('grant-cut-20 + what-if: Kent leaves every unit')."""
    changes: list[Change] = []
    names: list[str] = []
    if scenario is not None:
        changes.extend(find_scenario(budget, scenario).changes)
        names.append(scenario)
    if what_ifs:
        changes.extend(what_ifs)
        names.append(f"{WHAT_IF}: {'; '.join(change.describe() for change in what_ifs)}")
    if not names:
        return budget
    for change in changes:
        budget = apply_change(budget, change)
    return replace(budget, scenario=" + ".join(names), scenario_name=scenario, what_ifs=tuple(what_ifs))


def check_plan_year(budget: Budget, year: str, what_ifs: Sequence[Change]) -> None:
    """A year the what-ifs can start from: one of the plan's, after the budget year's."""
    if not what_ifs:
        raise ScenarioError(f"from {year}: give the what-ifs to make from that year")
    years = list(budget.plan.years) if budget.plan else []
    if year not in years:
        known = f"the plan's years are: {', '.join(years)}" if years else "the budget file has no plan:"
        raise ScenarioError(f"{year!r} is not a later year of the plan; {known} (the budget year is {budget.year})")


def find_scenario(budget: Budget, name: str) -> Scenario:
    for scenario in budget.scenarios:
        if scenario.name == name:
            return scenario
    names = [scenario.name for scenario in budget.scenarios]
    known = ", ".join(names) if names else "none (the file has no scenarios:)"
    raise ScenarioError(f"there is no scenario {name!r}; scenarios are: {known}")
