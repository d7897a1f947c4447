"""A unit's rules and a run's variant in words, as the workbooks and the terminal name them."""

from __future__ import annotations

from apportion.model import Apportionment, Basis, BasisKind, Budget, ChargingModel, InKindTreatment, LevyBase, Unit, UnitRole
from apportion.model.money import plain
from apportion.rules.basis_kinds import rule_of
from apportion.rules.explain_text import as_words


def describe_basis(unit: Unit) -> str:
    """'funding_formula (percentages)', 'population (people, normalised)' and the like; a
    support unit's charging out, an activity unit's rate, income returned."""
    if unit.role is UnitRole.SUPPORT and unit.support is not None:
        return f"support, charged {unit.support.describe()} to the units it serves, then by their bases"
    if unit.activity is not None:
        activity = unit.activity
        period = f" ({activity.period})" if activity.period else ""
        return f"£{activity.rate_amount:,.2f} per {activity.measure}{period}; the balance by {basis_text(activity.balance)}"
    text = basis_text(unit.basis)
    if unit.role is UnitRole.RETURNED_INCOME:
        return f"returned by {text}"
    if unit.fixed_amounts:
        text = f"fixed amounts for {', '.join(unit.fixed_amounts)}; rest by {text}"
    return text


def basis_words(unit: Unit) -> str:
    """A unit's basis as a person reads it on a statement or the summary: by its description
    where the file gives one, else by its name in words ("funding formula", not
    ``funding_formula``); a support unit's, an activity unit's and income returned as
    :func:`describe_basis` says them."""
    if unit.role is UnitRole.SUPPORT:
        return describe_basis(unit)
    if unit.activity is not None:
        activity = unit.activity
        period = f" ({activity.period})" if activity.period else ""
        return (f"£{activity.rate_amount:,.2f} for each of its {activity.measure}{period}; the balance by "
                f"{basis_of(activity.balance)}")  # fmt: skip
    text = basis_of(unit.basis)
    if unit.role is UnitRole.RETURNED_INCOME:
        return f"returned by {text}"
    if unit.fixed_amounts:
        return f"fixed amounts for {', '.join(unit.fixed_amounts)}; the rest by {text}"
    return text


def basis_of(basis: Basis) -> str:
    """A basis in words: its description, else its name ("funding formula"), with its period."""
    if basis.kind is BasisKind.EQUAL:
        return "equal shares"
    text = basis.description or as_words(basis.name)
    return f"{text} ({basis.period})" if basis.period else text


def basis_text(basis: Basis) -> str:
    """One basis in words, with the period its figures are from."""
    text = rule_of(basis).words(basis)
    return f"{text[:-1]}; {basis.period})" if basis.period and text.endswith(")") else text


def describe_model(unit: Unit) -> str:
    if unit.model is ChargingModel.LEAD_FORCE:
        base = "gross pay" if unit.levy_base is LevyBase.GROSS_PAY else "pay net of income"
        base += " and the pay of support charged in" if unit.levy_includes_support else ""
        return f"lead force {unit.lead}, levy {plain(unit.levy_rate)}% of {base}"
    if unit.model is ChargingModel.HOST_FORCE:
        return f"host force {unit.lead}, no levy"
    return "no lead or host"


def describe_in_kind(unit: Unit) -> str:
    if not unit.in_kind:
        return "none"
    if unit.in_kind_treatment is InKindTreatment.OFFSET:
        return "offset against share of total cost"
    return "additional to the cash split"


def variant_words(budget: Budget) -> str:
    """The variant a run is of, as a person reads it: the scenario by its description in the
    file (its name where it has none), then the what-ifs in words; "" for the budget as written."""
    if not budget.scenario:
        return ""
    parts = []
    if budget.scenario_name:
        scenario = next((s for s in budget.scenarios if s.name == budget.scenario_name), None)
        parts.append(scenario.description if scenario and scenario.description else budget.scenario_name)
    parts += [change.describe().replace(" of all ", " of all units ") for change in budget.what_ifs]
    return "; ".join(parts) if parts else budget.scenario


def describe_side(result: Apportionment) -> str:
    """'South East ROCU 2014/15 (host-force)': one side of a comparison."""
    budget = result.budget
    variant = variant_words(budget)
    return f"{budget.collaboration} {budget.year}" + (f" ({variant})" if variant else "")
