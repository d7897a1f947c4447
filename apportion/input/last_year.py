"""Last year's contributions, for a report's comparison with last year, read from the
output folder last year's run wrote: its datapackage.json says which run it was (the
collaboration and year) and the SHA-256 of its contributions.csv, whose tidy lines give
each member's figures by unit and item. The CSV is read only if it is the file the
package records, so last year's figures are the ones that run wrote."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from apportion.input.spreadsheets import MAX_BYTES, read_regular_file
from apportion.model import InputError, InputFile, Item, MemberShare, UnitRole
from apportion.model.messages import problem
from apportion.model.names import CSV_NAME, MANIFEST_NAME
from apportion.model.report import YearFigures

ROLES = {Item.SUPPORT_CHARGE: UnitRole.SUPPORT, Item.INCOME_RETURNED: UnitRole.RETURNED_INCOME}
COLUMNS = ("year", "unit", "unit_name", "member", "item", "share", "amount", "in_kind_amount")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_output_folder(path: Path) -> bool:
    """A folder apportion wrote (or its datapackage.json), rather than a budget file."""
    return path.is_dir() or path.name == MANIFEST_NAME


def read_last_year(path: Path) -> YearFigures:
    """Last year's figures from an output folder (or its datapackage.json).

    Raises InputError, naming the file and what is wrong, where the folder holds no run's
    datapackage.json, its contributions.csv is missing or is not the file it records, or a
    line of it cannot be read."""
    folder = path if path.is_dir() else path.parent
    manifest = folder / MANIFEST_NAME
    package, raw_package = read_package(manifest)
    record = package.get("apportion") if isinstance(package, dict) else None
    if not isinstance(record, dict) or record.get("kind", "run") != "run":
        raise InputError([problem(str(manifest), 0, "", "this is not the datapackage.json of a run's outputs (apportion run)")])
    recorded = {r.get("path"): str(r.get("hash", "")) for r in package.get("resources", []) if isinstance(r, dict)}
    table = folder / CSV_NAME
    try:
        data, size = read_regular_file(table, MAX_BYTES)
    except OSError as error:
        raise InputError([problem(str(table), 0, "", f"cannot be read ({error.strerror}); last year's run writes it")]) from None
    if size > MAX_BYTES:
        raise InputError([problem(str(table), 0, "", f"is {size:,} bytes, more than apportion reads ({MAX_BYTES:,})")])
    digest = hashlib.sha256(data).hexdigest()
    if recorded.get(CSV_NAME) != f"sha256:{digest}":
        raise InputError(
            [
                problem(
                    str(table),
                    0,
                    "",
                    f"is not the file {MANIFEST_NAME} records (its SHA-256 differs): it was changed after the run wrote it",
                )
            ]
        )
    year = str(record.get("year", ""))
    shares, members, units = read_lines(table, data.decode("utf-8-sig"), year)
    inputs = (
        InputFile(str(manifest), hashlib.sha256(raw_package).hexdigest()),
        InputFile(str(table), digest),
    )
    return YearFigures(str(record.get("collaboration", "")), year, tuple(members), units, shares, inputs)


PACKAGE_MOST = 4 << 20  # bytes: a run's datapackage.json is a small fraction of this


def read_package(manifest: Path) -> tuple[Any, bytes]:
    """The parsed datapackage.json and its bytes: a regular file of at most PACKAGE_MOST
    bytes, read without waiting on a pipe, and JSON that nests no deeper than Python parses."""
    try:
        raw, size = read_regular_file(manifest, PACKAGE_MOST)
        if size <= PACKAGE_MOST:
            return json.loads(raw.decode("utf-8")), raw
        message = f"is {size:,} bytes, more than a run's datapackage.json ({PACKAGE_MOST:,}); it is not one apportion wrote"
    except FileNotFoundError:
        message = "there is no such file; give last year's budget file, or the folder its run wrote"
    except RecursionError:
        message = "nests deeper than JSON is read here; it is not a datapackage.json apportion wrote"
    except (OSError, ValueError) as error:
        message = f"cannot be read as JSON ({getattr(error, 'strerror', None) or error})"
    raise InputError([problem(str(manifest), 0, "", message)])


def read_lines(table: Path, text: str, year: str) -> tuple[dict[tuple[str, str], MemberShare], list[str], dict[str, str]]:
    """Each member's figures by unit, from the tidy lines of ``year``."""
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))))
    missing = [c for c in COLUMNS if c not in (rows.fieldnames or [])]
    if missing:
        raise InputError([problem(str(table), 1, "", f"has no column {', '.join(missing)}; is it a contributions.csv?")])
    shares: dict[tuple[str, str], MemberShare] = {}
    members: dict[str, None] = {}
    units: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        if row["year"] != year:
            continue
        try:
            item = Item(row["item"])
            amount, in_kind = Decimal(row["amount"]), Decimal(row["in_kind_amount"])
            share = Fraction(Decimal(row["share"] or "0"))
        except (ValueError, InvalidOperation):
            raise InputError(
                [problem(str(table), number, "", "cannot be read: an unknown item or an amount that is not a number")]
            ) from None
        member, code = text_of(row["member"]), text_of(row["unit"])
        members[member] = None
        units[code] = text_of(row["unit_name"])
        before = shares.get((member, code)) or MemberShare(code, member, None, share, *(Decimal("0.00"),) * 4)
        shares[(member, code)] = added(before, item, amount, in_kind)
    return shares, list(members), units


def added(share: MemberShare, item: Item, amount: Decimal, in_kind: Decimal) -> MemberShare:
    """The member's figures for the unit with one more tidy line."""
    if item in (Item.LEVY_PAYABLE, Item.LEVY_RECEIVABLE):
        return share._replace(levy_amount=share.levy_amount + amount)
    if item is Item.IN_KIND_CREDIT:
        return share._replace(
            in_kind_credit_amount=share.in_kind_credit_amount + amount, in_kind_amount=share.in_kind_amount + in_kind
        )
    if item is Item.IN_KIND_ADDITIONAL:
        return share._replace(in_kind_amount=share.in_kind_amount + in_kind)
    return share._replace(cost_amount=share.cost_amount + amount, role=ROLES.get(item, UnitRole.SERVICE))


def text_of(value: str) -> str:
    """A text field as the run had it: the ' written before a formula's first character taken off."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
