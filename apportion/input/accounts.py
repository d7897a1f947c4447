"""Where ``year_end: accounts:`` becomes the model: the collaboration's balance sheet at the
year end (assets, liabilities, reserves), whose shares the members hold it in, what the
collaboration is, and last year's figures (worked into each member's part by
:mod:`apportion.rules.accounts`). A balance sheet whose assets less liabilities are not its
reserves is refused, with the gap."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from apportion.input.description import ACCOUNTS
from apportion.input.reader import Reader
from apportion.input.values import describe, did_you_mean, parse_signed_money
from apportion.input.yaml_file import Path_
from apportion.model import Unit
from apportion.model.accounts import BALANCE_SHEET, EXPENDITURE_LINES, Accounts, BalanceSheetLine, NoteSection
from apportion.model.money import format_gbp


def read_accounts(reader: Reader, value: Any, path: Path_, units: Sequence[Unit], holding: str | None) -> Accounts | None:
    """accounts: {nature, shares, assets, liabilities, reserves, last_year, last_year_shares};
    ``holding``: the year end's shares, which the accounts are held in unless they say otherwise."""
    from apportion.input.year_end import read_holding  # the year end's reader, whose shares these default to

    spec = reader.mapping(value, path, ACCOUNTS.names, "the collaboration's balance sheet (assets:, liabilities:, reserves:)")
    if spec is None:
        return None
    before = reader.count()
    nature = reader.optional_text(spec, "nature", path, "what the collaboration is, in the note's words") or ""
    sections = {section: read_lines(reader, spec.get(section.value), (*path, section.value)) for section in BALANCE_SHEET}
    given = spec.get("shares")
    shares = read_holding(reader, given, (*path, "shares"), units) if given is not None or holding is None else holding
    last_shares = None
    if "last_year_shares" in spec:
        last_shares = reader.text(spec["last_year_shares"], (*path, "last_year_shares"), "a basis")
        if last_shares is not None and last_shares not in reader.bases:
            reader.problem((*path, "last_year_shares"), f"{last_shares!r} is not a basis"
                           f"{did_you_mean(last_shares, list(reader.bases))}; bases are: {', '.join(reader.bases)}")  # fmt: skip
    names = note_names(reader, sections, units, path)
    last_year = read_last_year(reader, spec.get("last_year"), (*path, "last_year"), names)
    accounts = Accounts(sections[NoteSection.ASSETS], sections[NoteSection.LIABILITIES], sections[NoteSection.RESERVES],
                        shares, nature, last_year, last_shares)  # fmt: skip
    if reader.count() == before:
        check_balance(reader, accounts, path)
    return accounts


def read_lines(reader: Reader, value: Any, path: Path_) -> tuple[BalanceSheetLine, ...]:
    """name: amount, in the order written; an amount may be negative (a deficit on a reserve)."""
    if value is None:
        return ()
    lines = []
    for name, raw in (reader.named(value, path, "lines of name: amount") or {}).items():
        amount = parse_signed_money(raw)
        if amount is None:
            reader.problem((*path, name), f"{describe(raw)} is not an amount in pounds and pence; write 150000 or -2500.50")
        else:
            lines.append(BalanceSheetLine(str(name), amount))
    return tuple(lines)


def note_names(
    reader: Reader, sections: dict[NoteSection, tuple[BalanceSheetLine, ...]], units: Sequence[Unit], path: Path_
) -> list[str]:
    """Every line of the note by name (income by source, expenditure, the balance sheet's),
    each name once: last year's figures and ``explain --accounts`` name a line by it."""
    names = [income.name for unit in units for income in unit.income]
    names = [*dict.fromkeys(names), *EXPENDITURE_LINES]
    for section, lines in sections.items():
        for line in lines:
            if line.name in names:
                reader.problem((*path, section.value, line.name),
                               f"{line.name!r} is a line of the note already; give each line a name of its own")  # fmt: skip
            names.append(line.name)
    return names


def read_last_year(reader: Reader, value: Any, path: Path_, names: list[str]) -> dict[str, Decimal]:
    """last_year: {line: the collaboration's figure last year}, each a line of the note."""
    if value is None:
        return {}
    figures = {}
    for name, raw in (reader.named(value, path, "lines of name: last year's figure") or {}).items():
        amount = parse_signed_money(raw)
        if name not in names:
            reader.problem((*path, name), f"{name!r} is not a line of the note{did_you_mean(str(name), names)}; "
                           f"its lines are: {', '.join(names)}")  # fmt: skip
        elif amount is None:
            reader.problem((*path, name), f"{describe(raw)} is not an amount in pounds and pence; write 150000 or -2500.50")
        else:
            figures[str(name)] = amount
    return figures


def check_balance(reader: Reader, accounts: Accounts, path: Path_) -> None:
    """Assets less liabilities must equal the reserves: refused with the gap otherwise."""
    assets, liabilities, reserves = (sum((line.amount for line in accounts.lines(s)), Decimal("0.00")) for s in BALANCE_SHEET)
    net = assets - liabilities
    if net != reserves:
        gap = reserves - net
        reader.problem(
            path,
            f"the balance sheet does not balance: assets {format_gbp(assets)} less liabilities {format_gbp(liabilities)} "
            f"are {format_gbp(net)}, but the reserves add up to {format_gbp(reserves)}, {format_gbp(abs(gap))} "
            f"{'more' if gap > 0 else 'less'}; correct the figures so that assets less liabilities equal the reserves",
        )
