"""Where ``units:`` become the model: each unit's participants, basis, budget lines and
charging rules, checked against the members and bases read before them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from apportion.input.activity import check_quantities, read_activity
from apportion.input.bases import read_levy_rate
from apportion.input.budget_lines import read_income, read_lines, read_lines_from_table, read_window
from apportion.input.description import UNIT
from apportion.input.in_kind import read_in_kind
from apportion.input.reader import Reader
from apportion.input.support import NOT_FOR_SUPPORT, UnitBasis, check_support, read_support
from apportion.input.unit_basis import EQUAL, check_basis_covers, check_fixed_amounts, read_simple_basis, read_unit_basis
from apportion.input.values import MAX_NAME, MAX_RECIPROCAL, MAX_UNITS, describe
from apportion.input.yaml_file import Path_
from apportion.model import (
    Activity,
    Basis,
    BasisKind,
    BudgetLine,
    ChargingModel,
    Income,
    InKindTreatment,
    LevyBase,
    LineKind,
    Support,
    SupportMethod,
    Unit,
    UnitRole,
)
from apportion.model.names import NameRegister

ALL = "all"


def read_units(
    reader: Reader, value: Any, method: SupportMethod = SupportMethod.STEP_DOWN, unit_bases: Mapping[str, UnitBasis] | None = None
) -> list[Unit]:
    """units: a list; codes unique (ignoring case); support units checked against the rest."""
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
    paths: dict[str, Path_] = {}
    codes = UnitCodes(reader)
    unread: set[str] = set()  # units with problems of their own: not told again as missing from those they serve
    for index, spec in enumerate(value):
        code = spec.get("code") if isinstance(spec, dict) else None
        if isinstance(code, str) and not codes.new(code, index):
            continue
        unit = read_unit(reader, spec, ("units", index), unit_bases or {})
        if unit is not None:
            units.append(unit)
            paths[unit.code] = ("units", index)
        elif isinstance(code, str):
            unread.add(code)
    if too_many_reciprocal(reader, units, method):
        return units
    return check_support(reader, units, paths, method, unread)


class UnitCodes:
    """The units' codes read so far, to tell one given twice or that could be taken for another."""

    def __init__(self, reader: Reader) -> None:
        self.reader, self.lines, self.names = reader, dict[str, int](), NameRegister()

    def new(self, code: str, index: int) -> bool:
        """True for a code of its own; else the problem is told."""
        clash = self.names.clash(code)
        if code in self.lines:
            again = f"is used twice (first on line {self.lines[code]})"
        elif clash is not None:
            earlier, how = clash
            again = f"could be taken for unit code {earlier!r} on line {self.lines[earlier]}: {how}"
        else:
            self.lines[code] = self.reader.doc.line(("units", index, "code"))
            return True
        self.reader.problem(("units", index, "code"), f"unit code {code!r} {again}; give each unit its own code")
        return False


def too_many_reciprocal(reader: Reader, units: list[Unit], method: SupportMethod) -> bool:
    reciprocal = sum(unit.role is UnitRole.SUPPORT for unit in units) if method is SupportMethod.RECIPROCAL else 0
    if reciprocal > MAX_RECIPROCAL:
        reader.problem(
            ("support_method",),
            f"{reciprocal:,} support units charged reciprocally is more than apportion solves exactly in good time "
            f"({MAX_RECIPROCAL}); charge them out in stages (support_method: step-down), or group them into fewer units",
        )
    return reciprocal > MAX_RECIPROCAL


class Rules(NamedTuple):
    """A unit's charging rules: its model, lead or host, levy and in-kind treatment."""

    model: ChargingModel
    lead: str | None
    levy_rate: Decimal
    levy_base: LevyBase
    in_kind_treatment: InKindTreatment
    levy_includes_support: bool = False


def read_unit(reader: Reader, value: Any, path: Path_, unit_bases: Mapping[str, UnitBasis]) -> Unit | None:
    """One unit: who takes part, how its cost is split, its budget and its rules; or a
    support unit, charged to the units it serves; or an activity unit, charged by a rate."""
    spec = reader.mapping(value, path, UNIT.names, "a unit")
    if spec is None:
        return None
    count = reader.count()
    code = reader.text(spec.get("code"), (*path, "code"), "a short code for the unit, such as EMSOU-FS", limit=MAX_NAME)
    name = reader.text(spec.get("name", code), (*path, "name"), "the unit's name", limit=2 * MAX_NAME) if code else None
    structure = read_structure(reader, spec, path, unit_bases)
    participants = read_participants(reader, spec["participants"], (*path, "participants")) if "participants" in spec else None
    lines, income = read_budget(reader, spec, path, code)
    basis, fixed = unit_basis(reader, spec, path, code, structure, only_returned=not lines and any(i.is_returned for i in income))
    if participants is None:
        participants = structure_participants(reader, spec, structure, basis, fixed)
    if basis is not None and basis.kind is BasisKind.EQUAL:
        basis = Basis(EQUAL, BasisKind.EQUAL, {m: Decimal(1) for m in participants}, description="equal shares")
    rules = read_rules(reader, spec, path, participants)
    in_kind = read_in_kind(reader, spec["in_kind"], (*path, "in_kind"), participants) if "in_kind" in spec else []
    check_who_pays(reader, spec, path, structure, basis, fixed, participants, income)
    starts, stops, _ = read_window(reader, spec, path, "unit's budget")
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
        role=UnitRole.SUPPORT if structure.support else UnitRole.SERVICE,
        support=structure.support,
        headcount=structure.headcount,
        activity=structure.activity,
        levy_includes_support=rules.levy_includes_support,
        starts=starts,
        stops=stops,
    )
    check_fixed_amounts(reader, path, unit)
    return unit if reader.count() == count else None


class Structure(NamedTuple):
    """What makes a unit more than a split of its cost among its participants."""

    support: Support | None = None
    activity: Activity | None = None
    headcount: Decimal | None = None


def read_structure(reader: Reader, spec: Mapping[str, Any], path: Path_, unit_bases: Mapping[str, UnitBasis]) -> Structure:
    """support: (a support unit), activity: (an activity unit) and headcount:."""
    support = read_support(reader, spec["support"], (*path, "support"), unit_bases) if "support" in spec else None
    if "support" in spec:
        for key in NOT_FOR_SUPPORT:
            if key in spec:
                reader.problem(
                    (*path, key),
                    f"a support unit has no members of its own; its cost goes to the units it serves, so it takes no {key}: "
                    "remove it",
                )
        if spec.get("model") == ChargingModel.LEAD_FORCE.value:
            reader.problem((*path, "model"), "a support unit charges no levy; give the levy on the units it serves")
    activity = None
    if "activity" in spec and "support" not in spec:
        if "basis" in spec:
            reader.problem(
                (*path, "basis"), "an activity unit is charged by its rate; say how the rest is shared under activity: balance:"
            )
        activity = read_activity(reader, spec["activity"], (*path, "activity"), read_simple_basis)
    headcount = reader.number(spec["headcount"], (*path, "headcount"), "a headcount") if "headcount" in spec else None
    return Structure(support, activity, headcount)


def unit_basis(
    reader: Reader, spec: Mapping[str, Any], path: Path_, code: str | None, structure: Structure, *, only_returned: bool
) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis:, which a support unit, an activity unit or a unit of returned income only does without."""
    if structure.support is not None:
        return Basis("support", BasisKind.EQUAL, {}, description="charged to the units it serves"), {}
    if structure.activity is not None:
        return structure.activity.balance, {}
    if "basis" in spec:
        return read_unit_basis(reader, spec["basis"], (*path, "basis"), code or "unit")
    if only_returned:
        return Basis(EQUAL, BasisKind.EQUAL, {}), {}
    if "activity" not in spec:
        reader.problem(path, f"missing basis: name a basis ({', '.join([*reader.bases, EQUAL])}) or give shares: inline")
    return None, {}


def check_who_pays(  # noqa: PLR0917 - what a unit has read, checked together
    reader: Reader, spec: Mapping[str, Any], path: Path_, structure: Structure, basis: Basis | None,
    fixed: Mapping[str, Decimal], participants: tuple[str, ...], income: list[Income],
) -> None:  # fmt: skip
    """Every participant has a value in the basis, a quantity of activity, and income
    returned to it only if it takes part."""
    if structure.activity is not None:
        check_quantities(reader, structure.activity, path, participants, balance_given="balance" in spec["activity"])
        if basis is not None and "balance" in spec["activity"]:  # else the balance is shared by the quantities
            check_basis_covers(reader, path, basis, fixed, participants, key=("activity", "balance"))
    elif basis is not None and structure.support is None:
        check_basis_covers(reader, path, basis, fixed, participants)
    check_returned_income(reader, spec, path, income, participants)


def check_returned_income(
    reader: Reader, spec: Mapping[str, Any], path: Path_, income: list[Income], participants: tuple[str, ...]
) -> None:
    """Income returned by a split of its own goes to the unit's participants."""
    for line in income:
        where = (*path, "income", line.name)
        if line.member is not None and line.member not in participants:
            reader.problem(where, f"{line.member!r} is to receive {line.name} but does not take part; add it to participants:")
        if line.basis is not None:
            check_basis_covers(reader, where, line.basis, {}, participants)
    if "support" in spec and any(line.is_returned for line in income):
        reader.problem((*path, "income"), "a support unit has no members to return income to; net it off its cost")


def structure_participants(
    reader: Reader, spec: Mapping[str, Any], structure: Structure, basis: Basis | None, fixed: Mapping[str, Decimal]
) -> tuple[str, ...]:
    """Who takes part where participants: is not given: no one in a support unit; those with
    a quantity in an activity unit; else as :func:`default_participants` says."""
    if structure.support is not None:
        return ()
    if structure.activity is not None:  # whatever basis shares the balance
        return tuple(m for m in reader.members if m in structure.activity.quantities)
    return default_participants(reader, spec.get("basis"), basis, fixed)


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
    income = read_income(reader, spec.get("income"), (*path, "income"), read_simple_basis)
    if "lines_from" in spec:
        sheet_lines, sheet_income = read_lines_from_table(reader, spec["lines_from"], (*path, "lines_from"), code)
        lines += sheet_lines
        income += sheet_income
    if (not lines or all(line.amount == 0 for line in lines)) and not any(i.is_returned for i in income):
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
    with_support = defaults.levy_includes_support
    if "levy_includes_support" in spec:
        if model is not ChargingModel.LEAD_FORCE:
            reader.problem((*path, "levy_includes_support"), "a levy is charged only under model: lead-force; remove it")
        with_support = bool(reader.boolean(spec["levy_includes_support"], (*path, "levy_includes_support")))
    treatment_chosen = InKindTreatment(treatment) if treatment else defaults.in_kind_treatment
    return Rules(model, lead, levy_rate, levy_base, treatment_chosen, with_support and model is ChargingModel.LEAD_FORCE)


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
