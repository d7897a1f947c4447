"""Where ``year_end:`` becomes the model: out-turn and settlement, reserves, capital
financing, match funding and stand-alone costs (worked by :mod:`apportion.rules.year_end`),
and the collaboration's balance sheet (:mod:`apportion.input.accounts`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from apportion.input.accounts import read_accounts
from apportion.input.budget_lines import read_amounts
from apportion.input.description import CAPITAL, MATCH, RESERVES, YEAR_END
from apportion.input.reader import Reader
from apportion.input.values import check_signed_money, describe, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import BasisKind, Settlement, Unit, UnitRole, YearEnd
from apportion.model.budget import Leaver
from apportion.model.limits import OVER_LIMIT, over_limit
from apportion.model.money import format_gbp
from apportion.model.results import RESERVES_KEY


def read_year_end(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> YearEnd | None:
    """year_end: out-turn and settlement, reserves, capital financing, match funding, stand-alone costs."""
    spec = reader.mapping(value, path, YEAR_END.names, "the year end")
    if spec is None:
        return None
    by_code = {unit.code: unit for unit in units}
    outturn = {}
    out_turns = reader.named(spec.get("outturn") or {}, (*path, "outturn"), "out-turns of unit: amount") or {}
    for code, raw in out_turns.items():
        # net of the unit's income, so a unit that brings in more than it spends (a pot of receipts) is below nil
        where = (*path, "outturn", code)
        amount = reader.checked(check_signed_money(raw, "the unit's net out-turn (spending less income)"), where)
        if amount is not None and unit_of(reader, by_code, code, where):
            outturn[code] = amount
    if over_limit(total := sum(outturn.values(), Decimal(0))):
        reader.problem((*path, "outturn"), f"the out-turns total {format_gbp(total)}, {OVER_LIMIT}")
    settlement = reader.choice(spec.get("settlement", "return"), (*path, "settlement"), Settlement) or "return"
    opening, transfers = read_reserves(reader, spec.get("reserves", {}), (*path, "reserves"))
    programme, financing = read_capital(reader, spec.get("capital", {}), (*path, "capital"))
    matches = read_matches(reader, spec.get("match_funding", []), (*path, "match_funding"), by_code)
    stand_alone = read_stand_alone(reader, spec.get("stand_alone", {}), (*path, "stand_alone"), by_code)
    if opening is not None and settlement == Settlement.RESERVES.value:
        check_closing(reader, path, opening + sum(transfers.values(), Decimal(0)), outturn, by_code, financing)
    held = opening is not None or programme is not None
    shares = read_holding(reader, spec.get("shares"), (*path, "shares"), units) if held or "shares" in spec else None
    leaver = reader.choice(spec["leaver"], (*path, "leaver"), Leaver) if "leaver" in spec else None
    accounts = read_accounts(reader, spec["accounts"], (*path, "accounts"), units, shares) if "accounts" in spec else None
    return YearEnd(outturn, Settlement(settlement), opening, transfers, programme, financing, tuple(matches), stand_alone,
                   shares, Leaver(leaver) if leaver else Leaver.LEAVES_IT, accounts)  # fmt: skip


def check_closing(  # noqa: PLR0917 - the reserves after their transfers, and what the year end adds and draws
    reader: Reader, path: Path_, standing: Decimal, outturn: Mapping[str, Decimal], by_code: Mapping[str, Unit],
    financing: Mapping[str, Decimal],
) -> None:  # fmt: skip
    """The closing reserves, with the under-spends sent to them and less the capital they
    finance, under what a spreadsheet holds."""
    to_reserves = sum((by_code[code].net_amount - amount for code, amount in outturn.items()), Decimal(0))
    closing = standing + to_reserves - financing.get(RESERVES_KEY, Decimal(0))
    if over_limit(closing):
        reader.problem(
            (*path, "reserves"),
            f"the closing reserves would be {format_gbp(closing)}, with {format_gbp(to_reserves)} of under-spends sent to "
            f"them, {OVER_LIMIT}",
        )


def read_holding(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> str | None:
    """shares: the basis, or the unit's code, that the reserves and capital are held in.

    Where it is not given: the one basis every unit is shared by, or the one unit's shares;
    with units shared by different bases the file must say which."""
    codes = [unit.code for unit in units]
    if value is None:
        bases = {unit.basis.name for unit in units if unit.role is UnitRole.SERVICE}
        if len(bases) == 1 and next(iter(bases)) in reader.bases:
            return next(iter(bases))
        if len(units) == 1:
            return units[0].code
        reader.problem(
            path[:-1],
            "the units are shared by different bases: say whose shares the reserves and capital are held in, with "
            f"shares: a basis ({', '.join(reader.bases)}) or a unit's code ({', '.join(codes)})",
        )
        return None
    name = reader.text(value, path, "a basis or a unit's code")
    if name is not None and name in reader.bases and name not in codes and not held_by_all(reader, path, name):
        return None
    if name is None or name in reader.bases or name in codes:
        return name
    options = [*reader.bases, *codes]
    reader.problem(
        path, f"{name!r} is neither a basis nor a unit{did_you_mean(name, options)}; give one of: {', '.join(options)}"
    )
    return None


def held_by_all(reader: Reader, path: Path_, name: str) -> bool:
    """The basis the reserves are held in (or each it blends) gives every member a value."""
    basis = reader.bases[name]
    for part in [part for part, _ in basis.parts] if basis.kind is BasisKind.COMPOSITE else [basis]:
        missing = [m for m in reader.members if part.kind is not BasisKind.EQUAL and m not in part.weights]
        if missing:
            of = f" (which {name!r} blends)" if part is not basis else ""
            reader.problem(
                path,
                f"basis {part.name!r}{of} has no value for {', '.join(missing)}; the reserves and capital are held "
                "by every member, so give each a value in it (0 for none), or hold them in a unit's shares",
            )
            return False
    return True


def unit_of(reader: Reader, by_code: Mapping[str, Unit], code: Any, where: Path_) -> Unit | None:
    if code in by_code:
        return by_code[code]
    codes = list(by_code)
    reader.problem(where, f"{code!r} is not a unit{did_you_mean(str(code), codes)}; units are: {', '.join(codes)}")
    return None


def read_reserves(reader: Reader, value: Any, path: Path_) -> tuple[Decimal | None, dict[str, Decimal]]:
    """reserves: {opening, transfers: {name: + in / - out}}."""
    reserves = reader.mapping(value, path, RESERVES.names, "opening: and transfers:")
    opening = reader.money(reserves["opening"], (*path, "opening")) if reserves and "opening" in reserves else None
    transfers = {}
    standing = opening or Decimal(0)  # the reserves after each transfer, as the workbook adds them up
    for name, raw in (
        reader.named((reserves or {}).get("transfers", {}), (*path, "transfers"), "name: amount (negative for out)") or {}
    ).items():
        transfer = reader.checked(check_signed_money(raw, "each transfer, in or out"), (*path, "transfers", name))
        if transfer is None:
            continue
        transfers[name] = transfer
        standing += transfer
        if over_limit(standing):
            reader.problem((*path, "transfers", name), f"the reserves would stand at {format_gbp(standing)}, {OVER_LIMIT}")
            break
    return opening, transfers


def read_capital(reader: Reader, value: Any, path: Path_) -> tuple[Decimal | None, dict[str, Decimal]]:
    """capital: {programme, financing: {source: amount}}, the financing adding up to the programme."""
    capital = reader.mapping(value, path, CAPITAL.names, "programme: and financing:")
    programme = reader.money(capital["programme"], (*path, "programme")) if capital and "programme" in capital else None
    financing = dict(read_amounts(reader, (capital or {}).get("financing"), (*path, "financing")))
    if programme is not None and financing and sum(financing.values()) != programme:
        total = sum(financing.values(), Decimal(0))
        reader.problem(
            (*path, "financing"),
            f"the financing adds up to {format_gbp(total)}, {format_gbp(abs(programme - total))} "
            f"{'short of' if total < programme else 'more than'} the programme of {format_gbp(programme)}",
        )
    return programme, financing


def read_matches(reader: Reader, value: Any, path: Path_, by_code: Mapping[str, Unit]) -> list[tuple[str, str]]:
    """match_funding: [{unit, income}]: grants the members must match."""
    if not isinstance(value, list):
        reader.problem(path, f"expected a list of {{unit, income}}, found {describe(value)}")
        return []
    matches = []
    for index, raw in enumerate(value):
        where = (*path, index)
        detail = reader.mapping(raw, where, MATCH.names, "unit: and income: (the grant to be matched)")
        unit = unit_of(reader, by_code, detail.get("unit"), (*where, "unit")) if detail is not None else None
        if unit is None or detail is None:
            continue
        names = [income.name for income in unit.income]
        if detail.get("income") not in names:
            reader.problem(
                (*where, "income"),
                f"{unit.code} has no income line {detail.get('income')!r}; its income lines are: {', '.join(names)}",
            )
        else:
            matches.append((unit.code, str(detail["income"])))
    return matches


def read_stand_alone(reader: Reader, value: Any, path: Path_, by_code: Mapping[str, Unit]) -> dict[str, dict[str, Decimal]]:
    """stand_alone: unit: {member: cost of running the service alone}."""
    stand_alone: dict[str, dict[str, Decimal]] = {}
    for code, costs in (reader.named(value, path, "unit: {member: cost}") or {}).items():
        unit = unit_of(reader, by_code, code, (*path, code))
        if unit is None:
            continue
        for member, amount in read_amounts(reader, costs, (*path, code)):
            if member not in unit.participants:
                reader.problem((*path, code, member), f"{member!r} does not take part in {code}")
            else:
                stand_alone.setdefault(code, {})[member] = amount
    return stand_alone
