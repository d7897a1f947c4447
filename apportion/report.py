"""Rows for people: the figures of an apportionment arranged as the outputs show them.

Shared by the CSV, the workbooks and the terminal, so that each shows the same numbers
under the same names. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from apportion.calculate import Apportionment, Contribution, UnitResult
from apportion.model import BasisKind, ChargingModel, InKindTreatment, LevyBase, Unit
from apportion.money import format_percent, round_decimal

SHARE_PLACES = 12  # decimals of a share written to the CSV; amounts use the exact share

CSV_COLUMNS = ("year", "unit", "unit_name", "member", "item", "basis", "share", "amount", "in_kind_amount")


def csv_rows(result: Apportionment) -> Iterator[tuple[str | Decimal, ...]]:
    """The tidy lines of the budget year and of each plan year: summing ``amount`` by year
    and member gives each member's cash payable for that year."""
    for year_result in (result, *result.plan_years):
        names = {unit.unit.code: unit.unit.name for unit in year_result.units}
        for line in year_result.lines():
            yield csv_row(year_result.budget.year, line, names[line.unit])


def csv_row(year: str, line: Contribution, unit_name: str) -> tuple[str | Decimal, ...]:
    """Text as str (quoted in the file), numbers as Decimal (written bare)."""
    return (
        year,
        line.unit,
        unit_name,
        line.member,
        line.item.value,
        line.basis,
        round_decimal(line.share, SHARE_PLACES),
        line.amount,
        line.in_kind_amount,
    )


def describe_basis(unit: Unit) -> str:
    """'funding_formula (shares, re-normalised over 3 of 5)' and the like."""
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
        return f"lead force {unit.lead}, levy {unit.levy_rate}% of {base}"
    if unit.model is ChargingModel.HOST_FORCE:
        return f"host force {unit.lead}, no levy"
    return "no lead or host"


def describe_in_kind(unit: Unit) -> str:
    if not unit.in_kind:
        return "none"
    if unit.in_kind_treatment is InKindTreatment.OFFSET:
        return "offset against share of total cost"
    return "additional to the cash split"


def weight_text(result: UnitResult, member: str) -> str:
    """The member's value in the unit's basis, as written in the input."""
    unit = result.unit
    share = result.share_of(member)
    if share is None:
        return ""
    if share.is_fixed:
        return f"fixed £{unit.fixed_amounts[member]:,.2f}"
    weight = share.weight if share.weight is not None else Decimal(0)
    if unit.basis.kind is BasisKind.SHARES:
        return f"{weight}%"
    return f"{weight:,}"


def share_text(result: UnitResult, member: str) -> str:
    share = result.share_of(member)
    return format_percent(share.share) if share else ""
