"""Where ``plan:`` becomes the model: the years after the budget's own, inflation,
phased savings, a grant profile and share tables by year (made into each year's budget by
:mod:`apportion.rules.plans`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from apportion.input.description import PLAN, SAVINGS
from apportion.input.reader import Reader
from apportion.input.unit_basis import check_new_values
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model import Basis, IncomeChange, InputFile, Plan, Unit
from apportion.model.money import plain

MAX_PLAN_YEARS = 20  # a medium-term plan is three to five years; the summary has a column a year


def read_plan(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> Plan | None:
    """plan: the years after the budget's, inflation, phased savings, grant profile, shares by year."""
    spec = reader.mapping(value, path, PLAN.names, "a plan")
    if spec is None:
        return None
    count = reader.count()
    years = read_years(reader, spec.get("years"), (*path, "years"))
    if years is None:
        return None
    pay = by_year(reader, spec["pay_inflation"], (*path, "pay_inflation"), years) if "pay_inflation" in spec else {}
    non_pay = (
        by_year(reader, spec["non_pay_inflation"], (*path, "non_pay_inflation"), years) if "non_pay_inflation" in spec else {}
    )
    savings_amount, phasing = (
        read_savings(reader, spec["savings"], (*path, "savings"), years) if "savings" in spec else (Decimal("0.00"), {})
    )
    grants = read_grants(reader, spec.get("grants", {}), (*path, "grants"), years, [unit.code for unit in units])
    bases = read_year_shares(reader, spec.get("shares", {}), (*path, "shares"), years, units)
    if reader.count() > count:
        return None
    return Plan(tuple(years), pay, non_pay, savings_amount, phasing, grants, bases)


def read_years(reader: Reader, value: Any, path: Path_) -> list[str] | None:
    """years: the financial years after the budget's own, each the year after the one before."""
    if not isinstance(value, list) or not value:
        reader.problem(path, f"expected a list of the plan's years (after the budget's own), found {describe(value)}")
        return None
    if len(value) > MAX_PLAN_YEARS:
        reader.problem(path, f"{len(value):,} years is more than a plan holds; plan at most {MAX_PLAN_YEARS} years")
        return None
    budget_year = year_of(str(reader.doc.root.get("year", "")) if isinstance(reader.doc.root, dict) else "")
    first = financial_year(budget_year + 1) if budget_year is not None else "2014/15"
    count = reader.count()
    starts: list[tuple[int, int]] = []  # (index, the year it starts in)
    for index, raw in enumerate(value):
        start = year_of(raw) if isinstance(raw, str) else None
        if start is None:
            shown = describe(raw) if not isinstance(raw, Decimal) else repr(getattr(raw, "text", str(raw)))
            reader.problem((*path, index), f"{shown} is not a financial year; write the plan's years as {first} and on")
        else:
            starts.append((index, start))
    check_year_order(reader, path, starts, budget_year)
    return [financial_year(start) for _, start in starts] if reader.count() == count else None


def check_year_order(reader: Reader, path: Path_, starts: list[tuple[int, int]], budget_year: int | None) -> None:
    """Each year after the budget's, and the year after the one before (where that one is a year)."""
    previous = budget_year
    valid = {index for index, _ in starts}
    for index, start in starts:
        if budget_year is not None and start <= budget_year:
            reader.problem(
                (*path, index),
                f"{financial_year(start)} is not after the budget's own year, {financial_year(budget_year)}; a plan's "
                f"years are those after it, from {financial_year(budget_year + 1)}",
            )
            return
        if index and index - 1 not in valid:  # after a year that is not one: what it should follow is not known
            previous = None
        if start == previous and index:
            reader.problem((*path, index), f"{financial_year(start)} is given twice; give each year of the plan once")
            return
        if previous is not None and start != previous + 1:
            own = previous == budget_year and not any(i < index for i, _ in starts)
            after = f"{financial_year(previous)}, the budget's own year" if own else financial_year(previous)
            reader.problem(
                (*path, index),
                f"{financial_year(start)} does not follow {after}; the plan's years run on from the budget's, each the "
                f"year after the one before ({financial_year(previous + 1)} comes next)",
            )
            return
        previous = start


def year_of(text: str) -> int | None:
    """'2014/15' -> 2014: the year a financial year starts in, where it is written as one."""
    match = re.fullmatch(r"\s*(\d{4})/(\d{2})\s*", text)
    if match is None or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return None
    return int(match.group(1))


def financial_year(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


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


def read_year_shares(
    reader: Reader, value: Any, path: Path_, years: Sequence[str], units: Sequence[Unit]
) -> dict[str, dict[str, Basis]]:
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
            check_new_values(reader, where, f"in {year} ({name}), basis", shared.bases, units)
    return bases
