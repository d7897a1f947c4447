"""Where ``units:`` become the model: each unit's participants, basis, budget lines and
charging rules, checked against the members and bases read before them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from apportion.input.bases import read_basis, read_levy_rate
from apportion.input.budget_lines import read_amounts, read_lines, read_lines_from_table
from apportion.input.description import FIXED_BASIS, INLINE_BASIS, OFFICERS, UNIT
from apportion.input.reader import Reader
from apportion.input.values import MAX_NAME, MAX_UNITS, OVER_LIMIT, describe, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import (
    Basis,
    BasisKind,
    BudgetLine,
    ChargingModel,
    Income,
    InKindTreatment,
    LevyBase,
    LineKind,
    OfficersInKind,
    Unit,
)
from apportion.model.limits import MAX_MONEY
from apportion.model.money import format_gbp, round_penny, to_fraction

EQUAL = "equal"
ALL = "all"


def read_units(reader: Reader, value: Any) -> list[Unit]:
    """units: a list; codes unique (ignoring case)."""
    if not isinstance(value, list) or not value:
        reader.problem(("units",), f"expected a list of units, found {describe(value)}")
        return []
    if len(value) > MAX_UNITS:
        reader.problem(("units",), f"{len(value):,} units is more than apportion handles ({MAX_UNITS:,}); see docs/config.md")
        return []
    for index, spec in enumerate(value):
        if isinstance(spec, dict) and isinstance(spec.get("code"), str):
            reader.unit_labels[index] = spec["code"]
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(value):
        code = spec.get("code") if isinstance(spec, dict) else None
        if isinstance(code, str) and code.casefold() in seen:
            reader.problem(
                ("units", index, "code"),
                f"unit code {code!r} is used twice (first on line {seen[code.casefold()]}); give each unit its own code",
            )
            continue
        if isinstance(code, str):
            seen[code.casefold()] = reader.doc.line(("units", index, "code"))
        unit = read_unit(reader, spec, ("units", index))
        if unit is not None:
            units.append(unit)
    return units


class Rules(NamedTuple):
    """A unit's charging rules: its model, lead or host, levy and in-kind treatment."""

    model: ChargingModel
    lead: str | None
    levy_rate: Decimal
    levy_base: LevyBase
    in_kind_treatment: InKindTreatment


def read_unit(reader: Reader, value: Any, path: Path_) -> Unit | None:
    """One unit: who takes part, how its cost is split, its budget and its rules."""
    spec = reader.mapping(value, path, UNIT.names, "a unit")
    if spec is None:
        return None
    count = reader.count()
    code = reader.text(spec.get("code"), (*path, "code"), "a short code for the unit, such as EMSOU-FS", limit=MAX_NAME)
    name = reader.text(spec.get("name", code), (*path, "name"), "the unit's name", limit=2 * MAX_NAME) if code else None
    participants = read_participants(reader, spec["participants"], (*path, "participants")) if "participants" in spec else None
    basis: Basis | None = None
    fixed: dict[str, Decimal] = {}
    if "basis" not in spec:
        reader.problem(path, f"missing basis: name a basis ({', '.join([*reader.bases, EQUAL])}) or give shares: inline")
    else:
        basis, fixed = read_unit_basis(reader, spec["basis"], (*path, "basis"), code or "unit")
    if participants is None:
        participants = default_participants(reader, spec.get("basis"), basis, fixed)
    if basis is not None and basis.kind is BasisKind.EQUAL:
        basis = Basis(EQUAL, BasisKind.EQUAL, {m: Decimal(1) for m in participants}, description="equal shares")
    lines, income = read_budget(reader, spec, path, code)
    rules = read_rules(reader, spec, path, participants)
    in_kind = read_in_kind(reader, spec["in_kind"], (*path, "in_kind"), participants) if "in_kind" in spec else []
    if basis is not None:
        check_basis_covers(reader, path, basis, fixed, participants)
    if reader.count() > count or code is None or name is None or basis is None:
        return None
    unit = Unit(
        code=code,
        name=name,
        participants=participants,
        basis=basis,
        lines=tuple(lines),
        income=tuple(income),
        fixed_amounts=fixed,
        model=rules.model,
        lead=rules.lead,
        levy_rate=rules.levy_rate if rules.model is ChargingModel.LEAD_FORCE else Decimal(0),
        levy_base=rules.levy_base,
        in_kind=tuple(in_kind),
        in_kind_treatment=rules.in_kind_treatment,
        place=reader.place(path),
    )
    check_fixed_amounts(reader, path, unit)
    return unit if reader.count() == count else None


def default_participants(reader: Reader, given: Any, basis: Basis | None, fixed: Mapping[str, Decimal]) -> tuple[str, ...]:
    """Every member; for a basis given inline, the members it names and those paying a fixed amount."""
    remainder = given.get("remainder") if isinstance(given, dict) and "fixed" in given else given
    if not isinstance(remainder, dict):
        return tuple(reader.members)
    return tuple(m for m in reader.members if basis and m in basis.weights or m in fixed)


def read_budget(reader: Reader, spec: Mapping[str, Any], path: Path_, code: str | None) -> tuple[list[BudgetLine], list[Income]]:
    """pay:, non_pay:, income: and lines_from:; a unit needs some spending."""
    lines = [
        *read_lines(reader, spec.get("pay"), (*path, "pay"), LineKind.PAY),
        *read_lines(reader, spec.get("non_pay"), (*path, "non_pay"), LineKind.NON_PAY),
    ]
    income = [Income(n, a) for n, a in read_amounts(reader, spec.get("income"), (*path, "income"))]
    if "lines_from" in spec:
        sheet_lines, sheet_income = read_lines_from_table(reader, spec["lines_from"], (*path, "lines_from"), code)
        lines += sheet_lines
        income += sheet_income
    if not lines or all(line.amount == 0 for line in lines):
        if "pay" not in spec and "non_pay" not in spec and "lines_from" not in spec:
            reader.problem(path, "the unit has no budget; give its spending under pay: and/or non_pay:")
        elif lines:
            reader.problem(path, "the unit's budget lines are all zero; give its spending under pay: and/or non_pay:")
    return lines, income


def read_rules(reader: Reader, spec: Mapping[str, Any], path: Path_, participants: tuple[str, ...]) -> Rules:
    """model:, lead: or host:, levy_rate:, levy_base:, in_kind_treatment: (or the defaults)."""
    defaults = reader.defaults
    model_name = reader.choice(spec.get("model", "none"), (*path, "model"), ChargingModel)
    model = ChargingModel(model_name) if model_name else ChargingModel.NONE
    lead = read_lead(reader, spec, path, model, participants) if model_name else None
    levy_rate = defaults.levy_rate
    if "levy_rate" in spec:
        if model is not ChargingModel.LEAD_FORCE:
            reader.problem(
                (*path, "levy_rate"), "a levy is charged only under model: lead-force; remove levy_rate or change the model"
            )
        levy_rate = read_levy_rate(reader, spec["levy_rate"], (*path, "levy_rate")) or Decimal(0)
    chosen = reader.choice(spec["levy_base"], (*path, "levy_base"), LevyBase) if "levy_base" in spec else None
    levy_base = LevyBase(chosen) if chosen else defaults.levy_base
    key = "in_kind_treatment"
    treatment = reader.choice(spec[key], (*path, key), InKindTreatment) if key in spec else None
    return Rules(model, lead, levy_rate, levy_base, InKindTreatment(treatment) if treatment else defaults.in_kind_treatment)


def read_participants(reader: Reader, value: Any, path: Path_) -> tuple[str, ...] | None:
    """participants: 'all' or a list of member names (kept in the members' order)."""
    members = reader.members
    if value == ALL:
        return tuple(members)
    if not isinstance(value, list) or not value:
        reader.problem(path, f"expected 'all' or a list of members, found {describe(value)}")
        return None
    chosen: list[str] = []
    for index, entry in enumerate(value):
        name = reader.member_name(entry, (*path, index), "a participant")
        if name in chosen:
            reader.problem((*path, index), f"{name!r} is listed twice; list each participant once")
        elif name is not None:
            chosen.append(name)
    return tuple(m for m in members if m in chosen)


def read_unit_basis(reader: Reader, value: Any, path: Path_, code: str) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis: a named basis, 'equal', inline shares/drivers, or fixed amounts + remainder.

    A basis in ``reader.broken`` was declared but has problems of its own, already reported.
    """
    if isinstance(value, str):
        return named_basis(reader, value, path), {}
    if isinstance(value, dict) and "fixed" in value:
        return read_fixed_basis(reader, value, path, code)
    if isinstance(value, dict):
        name = value.get("name", f"{code} shares")
        return read_basis(reader, str(name), value, path, INLINE_BASIS.names), {}
    reader.problem(path, f"expected a basis name, 'equal', or shares: inline, found {describe(value)}")
    return None, {}


def named_basis(reader: Reader, value: str, path: Path_) -> Basis | None:
    if value == EQUAL:
        return Basis(EQUAL, BasisKind.EQUAL, {})
    if value in reader.bases:
        return reader.bases[value]
    if value in reader.broken or reader.bases_unknown:
        return None
    known = [*reader.bases, *sorted(reader.broken), EQUAL]
    reader.problem(path, f"{value!r} is not a basis{did_you_mean(value, known)}; bases are: {', '.join(known)}")
    return None


def read_fixed_basis(reader: Reader, value: Any, path: Path_, code: str) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis: {fixed: {member: amount}, remainder: basis}."""
    spec = reader.mapping(value, path, FIXED_BASIS.names, "fixed amounts with a remainder basis")
    if spec is None:
        return None, {}
    fixed: dict[str, Decimal] = {}
    for member, raw in (reader.named(spec["fixed"], (*path, "fixed"), "amounts by member") or {}).items():
        name = reader.member_name(member, (*path, "fixed", member), "a member paying a fixed amount")
        amount = reader.money(raw, (*path, "fixed", member))
        if name is not None and amount is not None:
            fixed[name] = amount
    if "remainder" not in spec:
        reader.problem(path, "fixed amounts need a remainder: basis for the rest of the cost, such as remainder: funding_formula")
        return None, fixed
    remainder, nested = read_unit_basis(reader, spec["remainder"], (*path, "remainder"), code)
    if nested:
        reader.problem((*path, "remainder"), "the remainder basis cannot itself have fixed amounts")
    return remainder, fixed


def check_basis_covers(
    reader: Reader, path: Path_, basis: Basis, fixed: Mapping[str, Decimal], participants: tuple[str, ...]
) -> None:
    """Every participant not paying a fixed amount needs a weight; the weights need a total."""
    for member in fixed:
        if member not in participants:
            reader.problem(
                (*path, "basis", "fixed", member),
                f"{member!r} pays a fixed amount but does not take part; add it to participants:",
            )
    shared = [m for m in participants if m not in fixed]
    missing = [m for m in shared if m not in basis.weights]
    if missing:
        reader.problem(
            (*path, "basis"),
            f"basis {basis.name!r} has no value for {', '.join(missing)}, who take{'s' if len(missing) == 1 else ''} part; "
            "add a value to the basis or list the unit's participants:",
        )
    elif shared and sum((basis.weights[m] for m in shared), Decimal(0)) == 0:
        reader.problem((*path, "basis"), f"basis {basis.name!r} gives every participant 0; no one would pay")


def check_fixed_amounts(reader: Reader, path: Path_, unit: Unit) -> None:
    """Fixed amounts must fit inside a positive net budget, and fill it if no one else pays."""
    if not unit.fixed_amounts:
        return
    fixed_total = sum(unit.fixed_amounts.values(), Decimal(0))
    net = unit.net_amount
    where = (*path, "basis", "fixed")
    if net <= 0:
        reader.problem(where, f"fixed amounts need a positive net budget; this unit's is {format_gbp(net)}")
    elif fixed_total > net:
        reader.problem(
            where, f"fixed amounts total {format_gbp(fixed_total)}, more than the unit's net budget of {format_gbp(net)}"
        )
    elif fixed_total != net and all(m in unit.fixed_amounts for m in unit.participants):
        reader.problem(
            where,
            f"every participant pays a fixed amount, but they total {format_gbp(fixed_total)}"
            f" against a net budget of {format_gbp(net)}",
        )


def read_lead(
    reader: Reader, spec: Mapping[str, Any], path: Path_, model: ChargingModel, participants: tuple[str, ...]
) -> str | None:
    """lead: (lead-force) or host: (host-force), a member who takes part in the unit."""
    role = {ChargingModel.LEAD_FORCE: "lead", ChargingModel.HOST_FORCE: "host"}.get(model)
    for key in ("lead", "host"):
        if key in spec and key != role:
            reader.problem((*path, key), f"{key}: is used only with model: {key}-force; remove it or set the model")
    if role is None:
        return None
    verb = "leads" if role == "lead" else "hosts"
    if role not in spec:
        reader.problem(path, f"model: {model} needs {role}: naming the member who {verb} the unit")
        return None
    name = reader.member_name(spec[role], (*path, role), f"the {role}")
    if name is not None and name not in participants:
        reader.problem((*path, role), f"{name!r} {verb} the unit but does not take part in it; add it to participants:")
        return None
    return name


def read_in_kind(reader: Reader, value: Any, path: Path_, participants: tuple[str, ...]) -> list[OfficersInKind]:
    """in_kind: member: value, or member: {officers: n, cost_each: amount}."""
    result = []
    for member, raw in (reader.named(value, path, "in-kind values by member") or {}).items():
        where = (*path, member)
        name = reader.member_name(member, where, "a member giving officers in kind")
        if name is not None and name not in participants:
            reader.problem(where, f"{name!r} gives officers in kind but does not take part in the unit; add it to participants:")
            name = None
        oik = read_officers(reader, raw, where, name)
        if oik is not None:
            result.append(oik)
    return result


def read_officers(reader: Reader, raw: Any, where: Path_, name: str | None) -> OfficersInKind | None:
    """A value, or {officers, cost_each}: valued at officers x cost each, rounded to the penny."""
    if not isinstance(raw, dict):
        amount = reader.money(raw, where)
        return OfficersInKind(name, amount) if name and amount is not None else None
    spec = reader.mapping(raw, where, OFFICERS.names, "officers and cost each")
    if spec is None:
        return None
    officers = reader.number(spec.get("officers"), (*where, "officers"), "a number of officers")
    cost_each = reader.money(spec.get("cost_each"), (*where, "cost_each"))
    if not name or officers is None or cost_each is None:
        return None
    value = round_penny(to_fraction(officers) * to_fraction(cost_each))
    if value >= MAX_MONEY:
        reader.problem(where, f"{officers} officers x {format_gbp(cost_each)} = {format_gbp(value)}, {OVER_LIMIT}")
        return None
    return OfficersInKind(name, value, officers, cost_each)
