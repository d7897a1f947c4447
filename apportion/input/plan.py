"""Where ``plan:`` becomes the model: the years after the budget's own, inflation,
phased savings, a grant profile and share tables by year (made into each year's budget by
:mod:`apportion.rules.plans`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from apportion.input.description import PLAN, SAVINGS
from apportion.input.reader import Reader
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model import Basis, IncomeChange, InputFile, Plan, Unit
from apportion.model.money import plain


def read_plan(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> Plan | None:
    """plan: the years after the budget's, inflation, phased savings, grant profile, shares by year."""
    spec = reader.mapping(value, path, PLAN.names, "a plan")
    if spec is None:
        return None
    raw_years = spec.get("years")
    if not isinstance(raw_years, list) or not raw_years:
        reader.problem(
            (*path, "years"), f"expected a list of the plan's years (after the budget's own), found {describe(raw_years)}"
        )
        return None
    years = [str(year) for year in raw_years]
    count = reader.count()
    pay = by_year(reader, spec["pay_inflation"], (*path, "pay_inflation"), years) if "pay_inflation" in spec else {}
    non_pay = (
        by_year(reader, spec["non_pay_inflation"], (*path, "non_pay_inflation"), years) if "non_pay_inflation" in spec else {}
    )
    savings_amount, phasing = (
        read_savings(reader, spec["savings"], (*path, "savings"), years) if "savings" in spec else (Decimal("0.00"), {})
    )
    grants = read_grants(reader, spec.get("grants", {}), (*path, "grants"), years, [unit.code for unit in units])
    bases = read_year_shares(reader, spec.get("shares", {}), (*path, "shares"), years)
    if reader.count() > count:
        return None
    return Plan(tuple(years), pay, non_pay, savings_amount, phasing, grants, bases)


def by_year(reader: Reader, raw: Any, where: Path_, years: Sequence[str]) -> dict[str, Decimal]:
    """A percentage for every year, or year: percentage."""
    if not isinstance(raw, dict):
        rate = reader.percent(raw, where)
        return dict.fromkeys(years, rate) if rate is not None else {}
    rates = {}
    for year, item in raw.items():
        if year not in years:
            reader.problem((*where, year), f"{year!r} is not a year of the plan; its years are: {', '.join(years)}")
        elif (rate := reader.percent(item, (*where, year))) is not None:
            rates[year] = rate
    return rates


def read_savings(reader: Reader, value: Any, path: Path_, years: Sequence[str]) -> tuple[Decimal, dict[str, Decimal]]:
    """savings: {total, phasing}: a target phased over the years (adding up to 100%)."""
    savings = reader.mapping(value, path, SAVINGS.names, "total: and phasing:")
    if savings is None:
        return Decimal("0.00"), {}
    amount = reader.money(savings.get("total"), (*path, "total")) or Decimal("0.00")
    phasing = by_year(reader, savings.get("phasing", {}), (*path, "phasing"), years)
    if phasing and sum(phasing.values()) != 100:
        reader.problem((*path, "phasing"), f"the phasing adds up to {plain(sum(phasing.values(), Decimal(0)))}%, not 100%")
    return amount, phasing


def read_grants(
    reader: Reader, value: Any, path: Path_, years: Sequence[str], codes: Sequence[str]
) -> dict[str, dict[str, IncomeChange]]:
    """grants: unit: {year: change}, against the budget year's grants."""
    grants: dict[str, dict[str, IncomeChange]] = {}
    for code, profile in (reader.named(value, path, "unit: {year: change}") or {}).items():
        if code not in codes:
            reader.problem((*path, code), f"{code!r} is not a unit; units are: {', '.join(codes)}")
            continue
        for year, change in by_year(reader, profile, (*path, code), years).items() if isinstance(profile, dict) else ():
            grants.setdefault(code, {})[year] = IncomeChange(code, percent=change)
    return grants


def read_year_shares(reader: Reader, value: Any, path: Path_, years: Sequence[str]) -> dict[str, dict[str, Basis]]:
    """shares: year: shares file, whose bases replace the budget's by name in that year."""
    from apportion.input.budget_file import read_shares_file  # a shares file is read as the budget's is

    bases: dict[str, dict[str, Basis]] = {}
    for year, name in (reader.named(value, path, "year: shares file") or {}).items():
        where = (*path, year)
        if year not in years:
            reader.problem(where, f"{year!r} is not a year of the plan; its years are: {', '.join(years)}")
            continue
        file = Path(reader.doc.file).parent / str(name)
        if not file.is_file():
            reader.problem(where, f"there is no file {file}; the path is relative to this file")
            continue
        shared = read_shares_file(file, dict(reader.members), reader.problems)
        if shared is not None:
            bases[year] = shared.bases
            reader.inputs.append(InputFile(str(file), shared.reader.doc.sha256))
    return bases
