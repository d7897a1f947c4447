"""A unit's rules and a run's variant in words, as the workbooks and the terminal name them."""

from __future__ import annotations

from apportion.model import Apportionment, Basis, BasisKind, ChargingModel, InKindTreatment, LevyBase, Unit, UnitRole
from apportion.model.money import plain


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
    if unit.role is UnitRole.SUPPORT or unit.activity is not None:
        return describe_basis(unit)
    text = unit.basis.description or unit.basis.name.replace("_", " ")
    if unit.basis.kind is BasisKind.EQUAL:
        text = "equal shares"
    if unit.role is UnitRole.RETURNED_INCOME:
        return f"returned by {text}"
    if unit.fixed_amounts:
        return f"fixed amounts for {', '.join(unit.fixed_amounts)}; the rest by {text}"
    return text


def basis_text(basis: Basis) -> str:
    """One basis in words, with the period its figures are from."""
    if basis.kind is BasisKind.EQUAL:
        text = "equal shares"
    elif basis.kind is BasisKind.SHARES:
        text = f"{basis.name} (percentages)"
    elif basis.kind is BasisKind.COMPOSITE:
        parts = ", ".join(f"{part.name} {plain(percent)}%" for part, percent in basis.parts)
        text = f"{basis.name} (a blend of {parts})"
    else:
        text = f"{basis.name} ({basis.unit_label or 'driver values'}, normalised)"
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
