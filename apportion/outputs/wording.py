"""A unit's rules and a run's variant in words, as the workbooks and the terminal name them."""

from __future__ import annotations

from apportion.model import Apportionment, Basis, ChargingModel, InKindTreatment, LevyBase, Unit, UnitRole
from apportion.model.money import plain
from apportion.rules.basis_kinds import rule_of


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


def describe_side(result: Apportionment) -> str:
    """'South East ROCU 2014/15 (host-force)': one side of a comparison."""
    budget = result.budget
    return f"{budget.collaboration} {budget.year}" + (f" ({budget.scenario})" if budget.scenario else "")
