"""What-if scenarios: small, named changes to a budget, applied to the model.

A scenario is a list of changes; applying it makes a new :class:`~apportion.model.Budget`
and leaves the base untouched, so the base and any number of variants can be run from one
file. Applying no changes gives the base exactly. Pure: no I/O.

Changes:

* :class:`Without`: a member leaves every unit; each unit's shares are re-normalised over
  those left (its fixed amount and officers in kind go with it).
* :class:`IncomeChange`: a unit's grants and income change by a percentage or an amount
  (e.g. the Home Office grant cut by 20%); the change is split over the unit's income lines
  by their size, to the penny.
* :class:`LineChange`: a budget line is set to a new amount.
* :class:`ModelChange`: a unit moves to the lead-force, host-force or no model; moving to
  host-force may add the host's business-support cost as a non-pay line.
* :class:`SharesChange`: a basis gets a new table (shares or driver values).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from apportion.model import (
    ALL_UNITS,
    Basis,
    BasisKind,
    Budget,
    BudgetLine,
    Change,
    ChargingModel,
    IncomeChange,
    LineChange,
    LineKind,
    ModelChange,
    SharesChange,
    SupportMethodChange,
    Unit,
    UnitRole,
    Without,
)
from apportion.model.messages import ApportionError
from apportion.model.money import ZERO, allocate, format_gbp, round_penny, to_fraction

BUSINESS_SUPPORT_LINE = "Host business support (scenario)"


class ScenarioError(ApportionError):
    """A scenario's change cannot be applied to the budget as it stands."""


def apply_change(budget: Budget, change: Change) -> Budget:
    if isinstance(change, SharesChange):
        return change_basis(budget, change)
    if isinstance(change, SupportMethodChange):
        if not any(unit.role is UnitRole.SUPPORT for unit in budget.units):
            raise ScenarioError(f"{change.describe()}: the budget has no support units")
        return replace(budget, support_method=change.method)
    codes = [unit.code for unit in budget.units]
    target = getattr(change, "unit", ALL_UNITS)
    if target != ALL_UNITS and target not in codes:
        raise ScenarioError(f"{change.describe()}: there is no unit {target!r}; units are: {', '.join(codes)}")
    if isinstance(change, Without) and change.member not in budget.member_names:
        members = ", ".join(budget.member_names)
        raise ScenarioError(f"{change.describe()}: {change.member!r} is not a member; members are: {members}")
    chosen = [unit for unit in budget.units if target in (ALL_UNITS, unit.code)]
    if isinstance(change, ModelChange):
        return replace(budget, units=tuple(change_models(budget, chosen, change)))
    units = tuple(change_unit(unit, change) if unit in chosen else unit for unit in budget.units)
    return replace(budget, units=units)


def change_models(budget: Budget, chosen: list[Unit], change: ModelChange) -> list[Unit]:
    """A model change; a business-support cost for several units is split by their spending."""
    support = dict.fromkeys((unit.code for unit in chosen), ZERO)
    if change.business_support:
        support = allocate(change.business_support, {unit.code: unit.gross_amount for unit in chosen})
    rate = change.levy_rate if change.levy_rate is not None else budget.default_levy_rate
    changed = {unit.code: change_model(unit, change, support[unit.code], rate) for unit in chosen}
    return [changed.get(unit.code, unit) for unit in budget.units]


def change_unit(unit: Unit, change: Change) -> Unit:
    if isinstance(change, Without):
        return without(unit, change.member)
    if isinstance(change, IncomeChange):
        return change_income(unit, change)
    if isinstance(change, LineChange):
        return change_line(unit, change)
    raise TypeError(change)  # pragma: no cover - every change is handled above


def without(unit: Unit, member: str) -> Unit:
    if member not in unit.participants:
        return unit
    if unit.lead == member:
        role = "leads" if unit.model is ChargingModel.LEAD_FORCE else "hosts"
        raise ScenarioError(
            f"{member} {role} {unit.code}: give the unit another lead or host first: in a scenario, a model: change "
            f"before without:; on the command line, --lead-force {unit.code}=MEMBER or --host-force {unit.code}=MEMBER"
        )
    participants = tuple(m for m in unit.participants if m != member)
    if not participants:
        raise ScenarioError(f"{member} is the only participant of {unit.code}; the unit would have no one to pay for it")
    shared = [m for m in participants if m not in unit.fixed_amounts]
    for basis in bases_of(unit.activity.balance if unit.activity else unit.basis):
        if shared and basis.kind is not BasisKind.EQUAL and not any(basis.weights.get(m, ZERO) for m in shared):
            raise ScenarioError(f"without {member}, no one left in {unit.code} has a share of basis {basis.name!r}")
    weights = {m: w for m, w in unit.basis.weights.items() if m != member}
    activity = unit.activity
    if activity is not None:
        quantities = {m: q for m, q in activity.quantities.items() if m != member}
        balance = activity.balance._replace(weights={m: w for m, w in activity.balance.weights.items() if m != member})
        activity = activity._replace(quantities=quantities, balance=balance)
    # income returned to the leaver alone stays with the unit: netted off the others' cost
    income = tuple(line._replace(member=None) if line.member == member else line for line in unit.income)
    return unit._replace(
        participants=participants,
        basis=unit.basis._replace(weights=weights),
        fixed_amounts={m: a for m, a in unit.fixed_amounts.items() if m != member},
        in_kind=tuple(oik for oik in unit.in_kind if oik.member != member),
        activity=activity,
        income=income,
    )


def bases_of(basis: Basis) -> tuple[Basis, ...]:
    """A basis, or the bases a composite blends."""
    return tuple(part for part, _ in basis.parts) if basis.kind is BasisKind.COMPOSITE else (basis,)


def change_income(unit: Unit, change: IncomeChange) -> Unit:
    total = unit.income_amount
    if not unit.income:
        raise ScenarioError(f"{change.describe()}: {unit.code} has no grants or income to change")
    if change.to is not None:
        delta: Decimal | None = change.to - total
    elif change.percent is not None:
        delta = round_penny(to_fraction(total) * to_fraction(change.percent) / 100)
    else:
        delta = change.amount
    assert delta is not None  # noqa: S101 - an IncomeChange has a percent, an amount or a new total
    if total + delta < 0:
        fall = format_gbp(-delta)
        raise ScenarioError(f"{change.describe()}: {unit.code}'s income of {format_gbp(total)} cannot fall by {fall}")
    if total == 0:
        parts = allocate(delta, {str(i): Decimal(1) for i in range(len(unit.income))})
    else:
        parts = allocate(delta, {str(i): income.amount for i, income in enumerate(unit.income)})
    income = tuple(line._replace(amount=line.amount + parts[str(i)]) for i, line in enumerate(unit.income))
    return unit._replace(income=income)


def change_line(unit: Unit, change: LineChange) -> Unit:
    names = [line.name for line in unit.lines]
    if change.line not in names:
        raise ScenarioError(f"{change.describe()}: {unit.code} has no line {change.line!r}; its lines are: {', '.join(names)}")
    lines = tuple(line._replace(amount=change.amount) if line.name == change.line else line for line in unit.lines)
    return unit._replace(lines=lines)


def change_model(unit: Unit, change: ModelChange, business_support: Decimal, levy_rate: Decimal) -> Unit:
    if change.model is not ChargingModel.NONE and change.member not in unit.participants:
        raise ScenarioError(f"{change.describe()}: {change.member} does not take part in {unit.code}")
    lines = unit.lines
    if business_support:
        lines = (*lines, BudgetLine(BUSINESS_SUPPORT_LINE, LineKind.NON_PAY, business_support))
    lead_force = change.model is ChargingModel.LEAD_FORCE
    return unit._replace(
        model=change.model,
        lead=change.member if change.model is not ChargingModel.NONE else None,
        levy_rate=(unit.levy_rate if unit.model is ChargingModel.LEAD_FORCE and change.levy_rate is None else levy_rate)
        if lead_force
        else Decimal(0),
        lines=lines,
    )


def change_basis(budget: Budget, change: SharesChange) -> Budget:
    if change.basis not in budget.bases:
        raise ScenarioError(f"{change.describe()}: there is no basis {change.basis!r}; bases are: {', '.join(budget.bases)}")
    old = budget.bases[change.basis]
    if old.kind is BasisKind.COMPOSITE:
        parts = ", ".join(part.name for part, _ in old.parts)
        raise ScenarioError(f"{change.describe()}: {change.basis} blends {parts}; give new values to those")
    new: Basis = old._replace(weights=dict(change.weights))
    units = []
    for unit in budget.units:
        changed = with_part(unit.basis, old, new)
        activity = unit.activity and unit.activity._replace(balance=with_part(unit.activity.balance, old, new))
        if changed is unit.basis and activity == unit.activity:
            units.append(unit)
            continue
        shared = [m for m in unit.participants if m not in unit.fixed_amounts]
        missing = [m for m in shared if m not in new.weights]
        if missing:
            names = ", ".join(missing)
            raise ScenarioError(f"{change.describe()}: it has no value for {names}, who take part in {unit.code}")
        if shared and not any(new.weights[m] for m in shared):  # a composite blending it would divide by nothing
            raise ScenarioError(f"{change.describe()}: it gives every participant of {unit.code} 0; no one would pay")
        units.append(unit._replace(basis=changed, activity=activity))
    bases = {name: with_part(basis, old, new) for name, basis in budget.bases.items()}
    return replace(budget, bases=bases, units=tuple(units))


def with_part(basis: Basis, old: Basis, new: Basis) -> Basis:
    """The basis with ``old`` replaced by ``new``, itself or in the bases a composite blends."""
    if basis.name == old.name and basis.kind is old.kind:
        return new
    if basis.kind is not BasisKind.COMPOSITE:
        return basis
    parts = tuple((with_part(part, old, new), weight) for part, weight in basis.parts)
    if all(a is b for (a, _), (b, _) in zip(parts, basis.parts, strict=True)):
        return basis
    return basis._replace(parts=parts)
