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

from apportion.model.budget import Budget, Prepared, Revision
from apportion.model.changes import Change, Scenario, SupportMethodChange
from apportion.model.limits import MAX_MONEY, LimitError, totals_over_limit
from apportion.model.money import format_gbp
from apportion.model.records import Unit
from apportion.rules.periods import apply_periods, financial_year, long_date
from apportion.rules.plans import plan_budgets
from apportion.rules.returned_income import split_returned_income
from apportion.rules.scenarios import ScenarioError, apply_change

WHAT_IF = "what-if"


def prepare(
    budget: Budget, scenario: str | None = None, what_ifs: Sequence[Change] = (), from_year: str | None = None,
    revised_from: date | None = None, *, revised_to: date | None = None,
) -> Prepared:  # fmt: skip
    """The budget to calculate: the named scenario (if any), then the what-ifs, then its
    periods and plan years. With ``from_year`` (a year of the plan), the what-ifs change
    that year and the plan years after it, not the budget year: "what if next year's
    grant falls". With ``revised_from`` (a date in the year), the scenario and what-ifs are
    a revision from that date, as one the file records: each change to a figure for the
    whole year, in force from the date, so the year takes it for the days left; the
    instalments due before it stay as invoiced. With ``revised_to``, only the file's
    revisions in force by that day count (monitoring at the end of a period).

    Raises ScenarioError for an unknown scenario name or a change that cannot be made, and
    PeriodError for a membership change that cannot be applied.
    """
    if revised_from is not None:
        return prepare_revised(budget, scenario, what_ifs, revised_from)
    if from_year is None:
        chosen = variant(budget, scenario, what_ifs)
    else:
        check_plan_year(budget, from_year, what_ifs)
        base = variant(budget, scenario, ())
        label = f"{WHAT_IF} from {from_year}: {'; '.join(change.describe() for change in what_ifs)}"
        named = " + ".join(name for name in (base.scenario if scenario else None, label) if name)
        chosen = replace(base, scenario=named, what_ifs=tuple(what_ifs), what_ifs_from=from_year)
    if revised_to is not None:
        chosen = replace(chosen, revised_to=revised_to)
    units = split_returned_income(in_periods(chosen, chosen.revisions_in_force))
    years = plan_budgets(chosen, chosen.plan) if chosen.plan else []
    if from_year is not None and chosen.plan:
        # the years from then on are made from the budget year as the what-ifs change it
        start = list(chosen.plan.years).index(from_year)
        years[start:] = plan_budgets(replace(variant(chosen, None, what_ifs), plan=chosen.plan), chosen.plan)[start:]
    later = tuple(Prepared(year, split_returned_income(year.units)) for year in years)
    for year in (chosen, *(prepared.budget for prepared in later)):
        check_limits(year)
    return Prepared(chosen, units, later, stages(chosen))


def in_periods(budget: Budget, revisions: Sequence[Revision]) -> tuple[Unit, ...]:
    """The budget's units split into the periods its membership changes, the days its
    lines start and stop, and the ``revisions`` make (its units as they are, where none do)."""
    revised: list[tuple[Revision, tuple[Unit, ...]]] = []
    annual = budget
    for revision in revisions:
        before = annual
        for change in revision.changes:
            annual = apply_change(annual, change)
        revised.append((revision, tuple(u for u, was in zip(annual.units, before.units, strict=True) if u != was)))
    dated = any(unit.starts or unit.stops or any(line.starts or line.stops for line in unit.lines) for unit in budget.units)
    if not (budget.membership or revised or dated):
        return budget.units
    return apply_periods(budget.units, budget.membership, tuple(revised), budget.year)


def stages(budget: Budget) -> tuple[tuple[date, Prepared], ...]:
    """With revisions and invoicing: each revision's date, and the budget as it was invoiced
    before then (the revisions from earlier dates only), whose instalments before the date stand."""
    revisions = budget.revisions_in_force
    if budget.invoicing is None or not revisions:
        return ()
    days = sorted({revision.on for revision in revisions})
    return tuple(
        (on, Prepared(budget, split_returned_income(in_periods(budget, [r for r in revisions if r.on < on])))) for on in days
    )


def prepare_revised(budget: Budget, scenario: str | None, what_ifs: Sequence[Change], on: date) -> Prepared:
    """The scenario and what-ifs as a revision from ``on``, after the file's own revisions."""
    changes = [*(find_scenario(budget, scenario).changes if scenario else ()), *what_ifs]
    check_revision(budget, changes, on)
    label = " + ".join(
        name for name in (scenario, f"{WHAT_IF}: {'; '.join(c.describe() for c in what_ifs)}" if what_ifs else None) if name
    )
    asked = Revision(on, tuple(changes), label, what_if=True, number=len(budget.revisions) + 1)
    revisions = tuple(sorted((*budget.revisions, asked), key=lambda revision: revision.on))
    named = f"{label}, revised from {long_date(on)}"
    chosen = replace(budget, scenario=named, scenario_name=scenario, what_ifs=tuple(what_ifs), revised_from=on,
                     revisions=revisions)  # fmt: skip
    check_limits(chosen)
    units = split_returned_income(in_periods(chosen, revisions))
    years = plan_budgets(budget, budget.plan) if budget.plan else []
    later = tuple(Prepared(year, split_returned_income(year.units)) for year in years)
    return Prepared(chosen, units, later, stages(chosen))


def check_revision(budget: Budget, changes: Sequence[Change], on: date) -> None:
    """A revision needs invoicing to revise, a change to make, and a date in the year."""
    if budget.invoicing is None:
        raise ScenarioError(f"revised from {long_date(on)}: the budget file has no invoicing: to revise")
    if not changes:
        raise ScenarioError(
            f"revised from {long_date(on)}: give the scenario or what-ifs that change the contributions from then"
        )
    if any(isinstance(change, SupportMethodChange) for change in changes):
        raise ScenarioError(f"revised from {long_date(on)}: support units are charged out one way for the whole year")
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
