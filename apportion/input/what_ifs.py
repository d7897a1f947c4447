"""What-ifs typed on the command line, read into the scenario changes they ask for.

``--without Kent``, ``--grant-change all=-20%``, ``--grant-set SEROCU=0``, ``--host-force "all=Thames Valley"`` with
``--business-support all=150000``, ``--lead-force SEROCU=Kent``, ``--support-method step-down``:
each becomes a change record
(:mod:`apportion.model.changes`), applied to the budget by :func:`apportion.rules.prepare.prepare`
like a scenario's. A what-if that cannot be read raises :class:`WhatIfError`, naming the
option, which the command line reports as a usage error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from apportion.input.names import UnknownName, matched
from apportion.input.values import parse_percent, parse_signed_money
from apportion.model import (
    ALL_UNITS,
    ApportionError,
    Budget,
    Change,
    ChargingModel,
    IncomeChange,
    ModelChange,
    SupportMethod,
    SupportMethodChange,
    Without,
)


class WhatIfError(ApportionError):
    """A what-if on the command line that cannot be read; ``option`` is the one at fault."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


def read_what_ifs(options: Mapping[str, Iterable[str]]) -> list[Change]:
    """The what-ifs as changes, from the options by name (``without``, ``grant_change``,
    ``grant_set``, ``host_force``, ``lead_force``, ``business_support``), each a list of texts."""
    changes: list[Change] = [grant_change(text) for text in options.get("grant_change", ())]
    changes += [grant_set(text) for text in options.get("grant_set", ())]
    support: dict[str, Decimal] = {}
    for text in options.get("business_support", ()):
        unit, value = split_pair(text, "--business-support")
        if (amount := parse_signed_money(value)) is None or amount < 0:
            raise WhatIfError(f"{value!r} is not an amount; write UNIT=150000", "--business-support")
        support[unit] = amount
    for flag, model in (("host_force", ChargingModel.HOST_FORCE), ("lead_force", ChargingModel.LEAD_FORCE)):
        for text in options.get(flag, ()):
            unit, member = split_pair(text, f"--{flag.replace('_', '-')}")
            changes.append(ModelChange(unit, model, member, support.pop(unit, None)))
    if support:
        raise WhatIfError(f"no --host-force for {', '.join(support)}", "--business-support")
    # a member leaves after the model changes, so that a unit it leads can be given a new lead
    changes += [Without(member) for member in options.get("without", ())]
    method = options.get("support_method")
    if method:
        changes.append(SupportMethodChange(SupportMethod(method if isinstance(method, str) else next(iter(method)))))
    return changes


ZERO_GRANT_CHANGE = (
    "{text!r} changes the income by nothing; for no income at all write --grant-set {unit}=0 "
    "(or --grant-change {unit}=-100%); for a cut write --grant-change {unit}=-20% or {unit}=-150000"
)


def grant_change(text: str) -> IncomeChange:
    """UNIT=-20% or UNIT=-400000; a bare 0 is refused, as it is more likely meant as --grant-set."""
    unit, change = split_pair(text, "--grant-change")
    if parse_signed_money(change) == 0:
        raise WhatIfError(ZERO_GRANT_CHANGE.format(text=text, unit=unit), "--grant-change")
    if change.endswith("%"):
        percent = parse_percent(change)
        if percent is None:
            raise WhatIfError(f"{change!r} is not a percentage; write UNIT=-20%", "--grant-change")
        return IncomeChange(unit, percent=percent)
    amount = parse_signed_money(change)
    if amount is None:
        raise WhatIfError(f"{change!r} is not a change; write UNIT=-20% or UNIT=-400000", "--grant-change")
    return IncomeChange(unit, amount=amount)


def grant_set(text: str) -> IncomeChange:
    """UNIT=0 or UNIT=150000: the unit's grants and income set to that total."""
    unit, value = split_pair(text, "--grant-set")
    amount = parse_signed_money(value)
    if amount is None or amount < 0:
        raise WhatIfError(f"{value!r} is not an amount; write UNIT=0 or UNIT=150000", "--grant-set")
    return IncomeChange(unit, to=amount)


def resolved(changes: Iterable[Change], budget: Budget) -> list[Change]:
    """The what-ifs with every member and unit named as the budget spells them (exactly, else
    ignoring case); a name that is none of them is refused with the closest and the list."""
    codes = [unit.code for unit in budget.units]
    members = list(budget.member_names)

    def unit(code: str, option: str) -> str:
        return code if code == ALL_UNITS else named(code, codes, "unit", option, also=", or all")

    out: list[Change] = []
    for change in changes:
        if isinstance(change, Without):
            out.append(change._replace(member=named(change.member, members, "member", "--without")))
        elif isinstance(change, IncomeChange):
            out.append(change._replace(unit=unit(change.unit, "--grant-set" if change.to is not None else "--grant-change")))
        elif isinstance(change, ModelChange):
            option = "--host-force" if change.model is ChargingModel.HOST_FORCE else "--lead-force"
            member = named(change.member, members, "member", option) if change.member is not None else None
            out.append(change._replace(unit=unit(change.unit, option), member=member))
        else:
            out.append(change)
    return out


def named(word: str, names: list[str], what: str, option: str, *, also: str = "") -> str:
    try:
        return matched(word, names, what, also=also)
    except UnknownName as error:
        raise WhatIfError(str(error), option) from None


def split_pair(text: str, option: str) -> tuple[str, str]:
    """'UNIT=VALUE' -> ('UNIT', 'VALUE')."""
    unit, sep, value = text.partition("=")
    if not sep or not unit.strip() or not value.strip():
        raise WhatIfError(f"{text!r} should be UNIT=VALUE", option)
    return unit.strip(), value.strip()


def sweep_range(text: str, option: str, *, targeted: bool = True) -> tuple[str, Decimal, Decimal, Decimal]:
    """A sweep's 'TARGET=FROM:TO[:STEP]' (or 'FROM:TO[:STEP]'), in percent: (target, from, to, step).

    STEP defaults to 1%. Whether FROM <= TO and STEP > 0 is the sweep's to check.
    """
    target, text = split_pair(text, option) if targeted else ("", text)
    parts = [parse_percent(part, bare=True) for part in text.split(":")]
    if len(parts) not in (2, 3) or any(part is None for part in parts):  # noqa: PLR2004 - FROM:TO[:STEP]
        raise WhatIfError(f"{text!r} should be FROM:TO or FROM:TO:STEP in percent, FROM <= TO, such as -30%:10%:5%", option)
    start, stop, step = (*parts, Decimal(1)) if len(parts) == 2 else parts  # noqa: PLR2004
    assert start is not None and stop is not None and step is not None  # noqa: S101 - checked above
    return target, start, stop, step
