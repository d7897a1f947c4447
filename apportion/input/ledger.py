"""Where ``ledger:`` becomes the model: the account codes, cost centres and descriptions of
the members' ledger journals (``run --ledger``), for every member and a member's own, and
the layout a member's ledger imports. A shares file may hold one too; the budget's is read
over it, key by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apportion.input.description import LEDGER, LEDGER_MEMBER
from apportion.input.reader import Reader
from apportion.input.values import did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import Unit
from apportion.model.ledger import LAYOUTS, Codes, LedgerMapping
from apportion.model.postings import Account

ACCOUNTS = [account.value for account in Account]


def read_ledger(reader: Reader, value: Any, path: Path_, units: Sequence[Unit] | None = None) -> LedgerMapping | None:
    """ledger: {accounts, cost_centres, cost_centre, description, members: {member: {... format}}}.
    ``units``: the budget's, whose codes the cost centres name (None in a shares file)."""
    spec = reader.mapping(value, path, LEDGER.names, "the members' account codes and cost centres")
    if spec is None:
        return None
    default = read_codes(reader, spec, path, units)
    members: dict[str, Codes] = {}
    given = reader.named(spec["members"], (*path, "members"), "a member's own codes, by member") if "members" in spec else {}
    for name, body in (given or {}).items():
        where = (*path, "members", name)
        member: str | None = str(name)
        if reader.members and name not in reader.members:
            reader.problem(where, reader.unknown_member(str(name)))
            member = None
        detail = reader.mapping(body, where, LEDGER_MEMBER.names, "the member's own codes")
        if member is not None and detail is not None:
            members[member] = read_codes(reader, detail, where, units)._replace(layout=read_layout(reader, detail, where))
    return LedgerMapping(default, members)


def read_codes(reader: Reader, spec: dict[str, Any], path: Path_, units: Sequence[Unit] | None) -> Codes:
    accounts = {}
    for name, code in (reader.named(spec.get("accounts", {}), (*path, "accounts"), "account: code") or {}).items():
        where = (*path, "accounts", name)
        if name not in ACCOUNTS:
            reader.problem(where, f"{name!r} is not an account{did_you_mean(str(name), ACCOUNTS)}; "
                           f"accounts are: {', '.join(ACCOUNTS)}")  # fmt: skip
            continue
        text = reader.text(code, where, "the account's code")
        if text is not None:
            accounts[name] = text
    codes = [unit.code for unit in units] if units is not None else None
    centres = {}
    for code, centre in (reader.named(spec.get("cost_centres", {}), (*path, "cost_centres"), "unit: cost centre") or {}).items():
        where = (*path, "cost_centres", code)
        if codes is not None and code not in codes:
            reader.problem(where, f"{code!r} is not a unit{did_you_mean(str(code), codes)}; units are: {', '.join(codes)}")
            continue
        text = reader.text(centre, where, "the unit's cost centre")
        if text is not None:
            centres[str(code)] = text
    default_centre = reader.text(spec["cost_centre"], (*path, "cost_centre"), "a cost centre") if "cost_centre" in spec else None
    description = reader.optional_text(spec, "description", path, "what each line's description begins with")
    return Codes(accounts, centres, default_centre or "", description or "")


def read_layout(reader: Reader, spec: dict[str, Any], path: Path_) -> str | None:
    """format: the layout a member's ledger imports."""
    if "format" not in spec:
        return None
    name = spec["format"]
    if isinstance(name, str) and name in LAYOUTS:
        return name
    reader.problem((*path, "format"), not_a_layout(name))
    return None


def not_a_layout(name: object) -> str:
    """What is wrong with a ledger layout that is not one (in the file, or given to --ledger)."""
    layouts = list(LAYOUTS)
    return f"{name!r} is not a ledger layout{did_you_mean(str(name), layouts)}; give one of: {', '.join(layouts)}"
