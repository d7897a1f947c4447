"""Where a unit's budget lines become the model: ``pay:``, ``non_pay:`` and ``income:``
as ``name: amount``, or rows of a spreadsheet (``lines_from:``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from apportion.input.bases import read_named_table
from apportion.input.description import DATED_LINE, INCOME_LINE, LINES_TABLE
from apportion.input.reader import Reader, long_date
from apportion.input.spreadsheets import Cell, TableRead
from apportion.input.values import check_money
from apportion.input.yaml_file import Path_
from apportion.model import Basis, BudgetLine, Income, LineKind

LINE_KINDS = {"pay": LineKind.PAY, "non-pay": LineKind.NON_PAY, "income": None}


def read_amounts(reader: Reader, value: Any, path: Path_) -> list[tuple[str, Decimal]]:
    """A mapping of line name to amount."""
    if value is None:
        return []
    result = []
    for name, raw in (reader.named(value, path, "lines of name: amount") or {}).items():
        amount = reader.money(raw, (*path, name))
        if amount is not None:
            result.append((name, amount))
    return result


def read_income(
    reader: Reader, value: Any, path: Path_, read_basis: Callable[[Reader, Any, Path_], Basis | None]
) -> list[Income]:
    """income: name: amount (netted off), or name: {amount, basis | member} (returned by a split of its own)."""
    if value is None:
        return []
    result = []
    for name, raw in (reader.named(value, path, "income of name: amount") or {}).items():
        where = (*path, name)
        if not isinstance(raw, dict):
            amount = reader.money(raw, where)
            if amount is not None:
                result.append(Income(name, amount))
            continue
        spec = reader.mapping(raw, where, INCOME_LINE.names, "an income line: its amount, and the basis or member it goes to")
        if spec is None:
            continue
        given = [key for key in ("basis", "member") if key in spec]
        if "amount" not in spec or len(given) != 1:
            reader.problem(
                where,
                "give amount: and one of basis: (how it is returned to the participants) or member: (who it is returned to)",
            )
            continue
        amount = reader.money(spec["amount"], (*where, "amount"))
        basis = read_basis(reader, spec["basis"], (*where, "basis")) if "basis" in spec else None
        member = reader.member_name(spec["member"], (*where, "member"), "the member it goes to") if "member" in spec else None
        if amount is not None and (basis is not None or member is not None):
            result.append(Income(name, amount, basis, member))
    return result


def read_lines(reader: Reader, value: Any, path: Path_, kind: LineKind) -> list[BudgetLine]:
    """name: amount for the whole year, or name: {amount, from, until} for a line that runs
    part of it (the amount still for a whole year)."""
    if value is None:
        return []
    lines = []
    for name, raw in (reader.named(value, path, "lines of name: amount") or {}).items():
        where = (*path, name)
        if not isinstance(raw, dict):
            amount = reader.money(raw, where)
            if amount is not None:
                lines.append(BudgetLine(name, kind, amount))
            continue
        spec = reader.mapping(raw, where, DATED_LINE.names, "a line's amount for the year, and from: or until:")
        if spec is None:
            continue
        amount = reader.money(spec.get("amount"), (*where, "amount"))
        starts, stops, ok = read_window(reader, spec, where, "line")
        if amount is not None and ok:
            lines.append(BudgetLine(name, kind, amount, starts, stops))
    return lines


def read_window(reader: Reader, spec: dict[str, Any], where: Path_, what: str) -> tuple[date | None, date | None, bool]:
    """from: and until:, days in the year, the one not after the other (and True where they are)."""
    count = reader.count()
    starts = reader.day(spec["from"], (*where, "from")) if "from" in spec else None
    stops = reader.day(spec["until"], (*where, "until")) if "until" in spec else None
    for key, day in (("from", starts), ("until", stops)):
        if day is not None:
            reader.in_year(day, (*where, key))
    if starts is not None and stops is not None and stops < starts:
        reader.problem(
            (*where, "until"),
            f"the {what} stops on {long_date(stops)}, before it starts on {long_date(starts)}; give an until: on or after "
            "its from: (until: is the last day it runs)",
        )
    return starts, stops, reader.count() == count


def rows_of(reader: Reader, table: TableRead, column: str, code: str | None) -> list[dict[str, Cell]]:
    """The rows of a sheet of lines whose unit is ``code``: the sheet is sorted by unit
    once, however many units read their lines from it."""
    key = (id(table), column)
    if key not in reader.by_unit:
        grouped: dict[str, list[dict[str, Cell]]] = {}
        for row in table.rows:
            grouped.setdefault(row[column].text, []).append(row)
        reader.by_unit[key] = grouped
    return reader.by_unit[key].get(code or "", [])


def read_lines_from_table(reader: Reader, value: Any, path: Path_, code: str | None) -> tuple[list[BudgetLine], list[Income]]:
    """lines_from: {file, sheet, unit_column, name_column, kind_column, amount_column}.

    Each row is a line (kind pay or non-pay) or income; with unit_column, only the rows
    whose unit is this unit's code.
    """
    spec = reader.mapping(value, path, LINES_TABLE.names, "a spreadsheet of budget lines")
    if spec is None:
        return [], []
    keys = ("name_column", "kind_column", "amount_column", *(("unit_column",) if "unit_column" in spec else ()))
    table = read_named_table(reader, spec, path, keys)
    if table is None:
        return [], []
    lines: list[BudgetLine] = []
    income: list[Income] = []
    for row in rows_of(reader, table, spec["unit_column"], code) if "unit_column" in spec else table.rows:
        name, kind, amount = row[spec["name_column"]], row[spec["kind_column"]], row[spec["amount_column"]]
        if kind.text.casefold() not in LINE_KINDS:
            reader.cell_problem(kind.problem(f"{kind.text!r} is not a kind of line; use pay, non-pay or income"))
            continue
        if not name.text:
            reader.cell_problem(name.problem("the line has no name; give each line a name"))
            continue
        value_amount, message = check_money(amount.value)
        if value_amount is None:
            reader.cell_problem(amount.problem(message))
            continue
        line_kind = LINE_KINDS[kind.text.casefold()]
        if line_kind is None:
            income.append(Income(name.text, value_amount))
        else:
            lines.append(BudgetLine(name.text, line_kind, value_amount))
    if not lines and not income and "unit_column" in spec:
        reader.problem(path, f"no row of {spec['file']} has {code!r} in column {spec['unit_column']!r}")
    return lines, income
