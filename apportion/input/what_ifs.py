"""What-ifs typed on the command line, read into the scenario changes they ask for.

``--without Kent``, ``--grant-change all=-20%``, ``--host-force "all=Thames Valley"`` with
``--business-support all=150000``, ``--lead-force SEROCU=Kent``, ``--support-method step-down``:
each becomes a change record
(:mod:`apportion.model.changes`), applied to the budget by :func:`apportion.rules.prepare.prepare`
like a scenario's. A what-if that cannot be read raises :class:`WhatIfError`, naming the
option, which the command line reports as a usage error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from apportion.input.values import parse_percent, parse_signed_money
from apportion.model import (
    ApportionError,
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
    ``host_force``, ``lead_force``, ``business_support``), each a list of texts."""
    changes: list[Change] = [Without(member) for member in options.get("without", ())]
    changes += [grant_change(text) for text in options.get("grant_change", ())]
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
    method = options.get("support_method")
    if method:
        changes.append(SupportMethodChange(SupportMethod(method if isinstance(method, str) else next(iter(method)))))
    return changes


def grant_change(text: str) -> IncomeChange:
    """UNIT=-20% or UNIT=-400000."""
    unit, change = split_pair(text, "--grant-change")
    if change.endswith("%"):
        percent = parse_percent(change)
        if percent is None:
            raise WhatIfError(f"{change!r} is not a percentage; write UNIT=-20%", "--grant-change")
        return IncomeChange(unit, percent=percent)
    amount = parse_signed_money(change)
    if amount is None:
        raise WhatIfError(f"{change!r} is not a change; write UNIT=-20% or UNIT=-400000", "--grant-change")
    return IncomeChange(unit, amount=amount)


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
