"""Where ``scenarios:`` become the model: named variants of the budget, each a list of
changes (applied by :mod:`apportion.rules.scenarios`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from apportion.input.bases import read_basis, read_levy_rate
from apportion.input.description import BASIS, CHANGE, INCOME_CHANGE, LINE_CHANGE, MODEL_CHANGE, SCENARIO, SHARES_CHANGE
from apportion.input.reader import Reader
from apportion.input.unit_basis import check_new_values
from apportion.input.values import describe, did_you_mean, parse_percent, parse_signed_money
from apportion.input.yaml_file import Path_
from apportion.model import (
    ALL_UNITS,
    Change,
    ChargingModel,
    IncomeChange,
    LineChange,
    ModelChange,
    Scenario,
    SharesChange,
    SupportMethod,
    SupportMethodChange,
    Unit,
    Without,
)


def read_scenarios(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> list[Scenario]:
    """scenarios: a list of {name, description, changes}, each change one kind of change."""
    scenarios: list[Scenario] = []
    kinds = ", ".join(CHANGE.names)
    for where, spec in reader.entries(value, path, SCENARIO.names, "scenarios", "a scenario: name, description, changes"):
        name = reader.text(spec.get("name"), (*where, "name"), "the scenario's name")
        if name is not None and any(s.name == name for s in scenarios):
            reader.problem((*where, "name"), f"scenario {name!r} is defined twice; give each scenario its own name")
        description = reader.optional_text(spec, "description", where, "a description") or ""
        raw_changes = spec.get("changes")
        if not isinstance(raw_changes, list) or not raw_changes:
            reader.problem(where, f"expected changes: a list of changes ({kinds}), found {describe(raw_changes)}")
            continue
        changes = [read_change(reader, raw, (*where, "changes", i), units) for i, raw in enumerate(raw_changes)]
        if name is not None and all(change is not None for change in changes):
            scenarios.append(Scenario(name, tuple(c for c in changes if c is not None), description))
    return scenarios


ChangeReader = Callable[[Reader, Any, Path_, Sequence[str]], Change | None]


def read_change(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> Change | None:
    """One change: {without: member}, {income: {unit, change}}, {line: {unit, line, amount}},
    {model: {unit, model, lead|host, business_support}} or {shares: {basis, shares|drivers}}."""
    spec = reader.mapping(value, path, CHANGE.names, "a change")
    if spec is None:
        return None
    if len(spec) != 1:
        reader.problem(path, f"give one change per item, one of: {', '.join(CHANGE.names)}")
        return None
    kind, body = next(iter(spec.items()))
    change = CHANGE_READERS[kind](reader, body, (*path, kind), [unit.code for unit in units])
    if isinstance(change, SharesChange):
        new = reader.bases[change.basis]._replace(weights=dict(change.weights))
        check_new_values(reader, (*path, kind), "with these values, basis", {change.basis: new}, units)
    return change


def unit_code(reader: Reader, detail: Mapping[str, Any], where: Path_, codes: Sequence[str]) -> str | None:
    """The change's unit: a unit's code, or all."""
    code = detail.get("unit")
    if code == ALL_UNITS or code in codes:
        return str(code)
    reader.problem(
        (*where, "unit"), f"{code!r} is not a unit{did_you_mean(str(code), codes)}; units are: {', '.join(codes)}, or all"
    )
    return None


def read_support_method(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    method = reader.choice(body, where, SupportMethod)
    return SupportMethodChange(SupportMethod(method)) if method else None


def read_without(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    member = reader.member_name(body, where, "the member who leaves")
    return Without(member) if member else None


ZERO_CHANGE = (
    "a change of 0 changes nothing; for no income at all write to: 0 (or change: -100%), for a cut write change: -20% "
    "or change: -150000"
)


def read_income_change(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    detail = reader.mapping(body, where, INCOME_CHANGE.names, "unit: and change: (a percentage or an amount) or to:")
    if detail is None:
        return None
    code, raw = unit_code(reader, detail, where, codes), detail.get("change")
    if ("change" in detail) == ("to" in detail):
        reader.problem(where, "give change: (by -20% or -400000) or to: (the new total, such as 0), not both or neither")
        return None
    if "to" in detail:
        total = reader.money(detail["to"], (*where, "to"))
        return IncomeChange(code, to=total) if code and total is not None else None
    if parse_signed_money(raw) == 0:
        reader.problem((*where, "change"), ZERO_CHANGE)
        return None
    if isinstance(raw, str) and raw.strip().endswith("%"):
        percent = parse_percent(raw)
        if percent is None:
            reader.problem((*where, "change"), f"{describe(raw)} is not a percentage change; write it like '-20%'")
        return IncomeChange(code, percent=percent) if code and percent is not None else None
    amount = parse_signed_money(raw)
    if amount is None:
        reader.problem(
            (*where, "change"), f"{describe(raw)} is not a change; write a percentage like '-20%' or an amount like -400000"
        )
    return IncomeChange(code, amount=amount) if code and amount is not None else None


def read_line_change(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    detail = reader.mapping(body, where, LINE_CHANGE.names, "unit:, line: and amount:")
    if detail is None:
        return None
    code = unit_code(reader, detail, where, codes)
    line = reader.text(detail.get("line"), (*where, "line"), "the name of a budget line")
    amount = reader.money(detail.get("amount"), (*where, "amount"))
    return LineChange(code, line, amount) if code and line and amount is not None else None


def read_model_change(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    detail = reader.mapping(body, where, MODEL_CHANGE.names, "a new charging model")
    if detail is None:
        return None
    code = unit_code(reader, detail, where, codes)
    chosen = reader.choice(detail.get("model"), (*where, "model"), ChargingModel)
    role = {"lead-force": "lead", "host-force": "host"}.get(chosen or "")
    member = reader.member_name(detail.get(role), (*where, role), f"the {role}") if role else None
    if role and role not in detail:
        return None
    support = reader.money(detail["business_support"], (*where, "business_support")) if "business_support" in detail else None
    rate = read_levy_rate(reader, detail["levy_rate"], (*where, "levy_rate")) if "levy_rate" in detail else None
    if code and chosen and (member or not role):
        return ModelChange(code, ChargingModel(chosen), member, support, rate)
    return None


def read_shares_change(reader: Reader, body: Any, where: Path_, codes: Sequence[str]) -> Change | None:
    detail = reader.mapping(body, where, SHARES_CHANGE.names, "basis: and its new shares: or drivers:")
    if detail is None:
        return None
    name = detail.get("basis")
    if name not in reader.bases:
        reader.problem((*where, "basis"), f"{name!r} is not a named basis; bases are: {', '.join(reader.bases)}")
        return None
    basis = read_basis(reader, str(name), {k: v for k, v in detail.items() if k != "basis"}, where, BASIS.names)
    return SharesChange(str(name), dict(basis.weights)) if basis else None


CHANGE_READERS: dict[str, ChangeReader] = {
    "without": read_without,
    "income": read_income_change,
    "line": read_line_change,
    "model": read_model_change,
    "shares": read_shares_change,
    "support_method": read_support_method,
}
