"""A unit's rules and a run's variant in words, as the workbooks and the terminal name them."""

from __future__ import annotations

from apportion.model import Apportionment, BasisKind, ChargingModel, InKindTreatment, LevyBase, Unit
from apportion.model.money import plain


def describe_basis(unit: Unit) -> str:
    """'funding_formula (percentages)', 'population (people, normalised)' and the like."""
    basis = unit.basis
    if basis.kind is BasisKind.EQUAL:
        text = "equal shares"
    elif basis.kind is BasisKind.SHARES:
        text = f"{basis.name} (percentages)"
    else:
        text = f"{basis.name} ({basis.unit_label or 'driver values'}, normalised)"
    if unit.fixed_amounts:
        text = f"fixed amounts for {', '.join(unit.fixed_amounts)}; rest by {text}"
    return text


def describe_model(unit: Unit) -> str:
    if unit.model is ChargingModel.LEAD_FORCE:
        base = "gross pay" if unit.levy_base is LevyBase.GROSS_PAY else "pay net of income"
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
