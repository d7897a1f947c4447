"""Where bases and defaults become the model: ``bases:`` (shares or drivers, given in the
file or read from a spreadsheet) and ``defaults:``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.input.description import BASIS, DEFAULTS, SOURCE, VALUES, WEIGHTS_TABLE
from apportion.input.reader import Defaults, Reader
from apportion.input.values import Checked, check_number, check_percent, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import Basis, BasisKind, InKindTreatment, LevyBase, Member, Source
from apportion.model.money import plain

if TYPE_CHECKING:
    from apportion.input.spreadsheets import TableRead


class BasesRead(NamedTuple):
    bases: dict[str, Basis]  # the valid ones
    declared: set[str]  # every basis named, valid or not (with those declared before)


def read_bases(
    reader: Reader,
    value: Any,
    declared: set[str],
    shares_file: Path | None,
    *,
    any_member: bool = False,
    known: Mapping[str, Basis] | None = None,
) -> BasesRead:
    """bases: name: basis. A name ``declared`` already (in the shares file) is a problem.
    Composites are read last, so that they may blend any basis of the file or of ``known``
    (the shares file's).

    With ``any_member`` (a shares file checked on its own) every name in a basis counts as
    a member.
    """
    bases: dict[str, Basis] = {}
    names = set(declared)
    table = reader.named(value, ("bases",), "named bases") or {}
    blends_last = sorted(table.items(), key=lambda item: is_composite(item[1]))
    # every composite the file declares, so that one blending another is told so, whichever is read first
    composites = {name: Basis(name, BasisKind.COMPOSITE, {}) for name, spec in blends_last if is_composite(spec)}
    for name, spec in blends_last:
        if name in names:
            reader.problem(
                ("bases", name),
                f"basis {name!r} is also defined in the shares file {shares_file}; give it one name or define it once",
            )
            continue
        names.add(name)
        if any_member:
            reader.members = names_in_basis(spec)
        basis = read_basis(reader, name, spec, ("bases", name), BASIS.names, {**(known or {}), **composites, **bases})
        if basis is not None:
            bases[name] = basis
    return BasesRead(bases, names)


def is_composite(spec: Any) -> bool:
    return isinstance(spec, dict) and "composite" in spec


def names_in_basis(spec: Any) -> dict[str, Member]:
    """Every name a basis gives a value for, taken as members."""
    tables = [spec.get(key) for key in ("shares", "drivers")] if isinstance(spec, dict) else []
    return {name: Member(name) for table in tables if isinstance(table, dict) for name in table}


def read_source(reader: Reader, value: Any, path: Path_) -> Source | None:
    """source: 'document title' or {document, data_year, note}."""
    if isinstance(value, str):
        return Source(value.strip())
    spec = reader.mapping(value, path, SOURCE.names, "a source")
    if spec is None:
        return None
    document = reader.text(spec.get("document"), (*path, "document"), "the source document")
    data_year = reader.optional_text(spec, "data_year", path, "the data year")
    note = reader.optional_text(spec, "note", path, "a note")
    return Source(document, data_year, note) if document else None


def read_basis(  # noqa: PLR0917 - a basis, where it is, the keys it may hold, the bases it may blend
    reader: Reader, name: str, value: Any, path: Path_, keys: Iterable[str], known: Mapping[str, Basis] | None = None
) -> Basis | None:
    """A basis: shares (percentages summing to 100%) or drivers (raw values, normalised),
    given in the file or read from a spreadsheet (shares_from:, drivers_from:), or a
    composite of ``known`` bases (default: the reader's)."""
    spec = reader.mapping(value, path, keys, "a basis with shares: or drivers:")
    if spec is None:
        return None
    given = [key for key in VALUES if key in spec]
    if len(given) != 1:
        reader.problem(
            path,
            "give exactly one of shares: (percentages summing to 100%) or drivers: (raw values to normalise), "
            "shares_from: / drivers_from: naming a spreadsheet, or composite: blending other bases",
        )
        return None
    kind, read_values = VALUE_READERS.get(given[0], (BasisKind.COMPOSITE, None))
    unit_label = reader.optional_text(spec, "unit", path, "the unit of the values")
    description = reader.optional_text(spec, "description", path, "a description")
    source = read_source(reader, spec["source"], (*path, "source")) if "source" in spec else None
    period = reader.optional_text(spec, "period", path, "the period the figures are from")
    if read_values is None:
        parts = read_composite(reader, spec["composite"], (*path, "composite"), name, reader.bases if known is None else known)
        return Basis(name, kind, {}, None, description, source, parts, period) if parts else None
    if kind is BasisKind.SHARES and unit_label not in (None, "percent", "fraction"):
        reader.problem(
            (*path, "unit"),
            "shares are percentages; unit: may only be 'percent' or 'fraction' here "
            f"(for raw values such as {unit_label!r} use drivers:)",
        )
        return None
    where = (*path, given[0])
    weights = read_values(reader, spec[given[0]], where, kind, unit_label)
    if weights is None or not weights_add_up(reader, weights, where, kind):
        return None
    return Basis(name, kind, weights, unit_label, description, source, period=period)


def read_composite(
    reader: Reader, value: Any, path: Path_, name: str, known: Mapping[str, Basis]
) -> tuple[tuple[Basis, Decimal], ...]:
    """composite: {basis: percentage, ...}: named bases that are not composites themselves,
    weighted by percentages adding up to exactly 100%."""
    table = reader.named(value, path, "bases and their percentages")
    if not table:
        if table is not None:
            reader.problem(path, "name the bases it blends and their percentages, such as {calls: 40%, population: 60%}")
        return ()
    count = reader.count()
    parts = []
    for part_name, raw in table.items():
        where = (*path, part_name)
        percent = reader.percent(raw, where)
        part = known.get(part_name) if part_name != "equal" else Basis("equal", BasisKind.EQUAL, {})
        if part is None:
            names = [n for n in known if n != name]
            reader.problem(
                where,
                f"{part_name!r} is not a basis{did_you_mean(str(part_name), names)}; bases are: {', '.join(names) or 'none'}",
            )
        elif part_name == name:
            reader.problem(where, f"{name!r} blends itself; a composite blends other bases")
        elif part.kind is BasisKind.COMPOSITE:
            reader.problem(
                where,
                f"{part_name!r} is a composite itself; a composite blends bases that are not composites, so blend "
                f"the bases {part_name!r} blends instead",
            )
        elif percent is not None:
            parts.append((part, percent))
    total = sum((percent for _, percent in parts), Decimal(0))
    if reader.count() == count and total != 100:
        gap = 100 - total
        side = f"{plain(gap)}% short of" if gap > 0 else f"{plain(-gap)}% over"
        reader.problem(path, f"the composite's percentages sum to {plain(total)}%, {side} 100%; make them add up to 100%")
    return tuple(parts) if reader.count() == count else ()


def weights_add_up(reader: Reader, weights: Mapping[str, Decimal], path: Path_, kind: BasisKind) -> bool:
    """Shares must add up to 100%; any values must add up to more than nothing."""
    total = sum(weights.values(), Decimal(0))
    if kind is BasisKind.SHARES and total != 100:
        gap = 100 - total
        side = f"{plain(gap)}% short of" if gap > 0 else f"{plain(-gap)}% over"
        hint = " (if the values are fractions such as 0.273, declare unit: fraction)" if total == 1 else ""
        reader.problem(
            path,
            f"shares sum to {plain(total)}%, {side} 100%{hint}; "
            "correct them, or give raw values under drivers: to have them normalised",
        )
        return False
    if total == 0:
        reader.problem(path, "the values add up to nothing; give at least one member a value above 0")
        return False
    return True


def check_weight(kind: BasisKind, value: Any, unit_label: str | None) -> Checked:
    return check_percent(value, unit_label) if kind is BasisKind.SHARES else check_number(value, "a driver value")


def read_weights(reader: Reader, value: Any, path: Path_, kind: BasisKind, unit_label: str | None) -> dict[str, Decimal] | None:
    """member: value, from the YAML file."""
    table = reader.named(value, path, "values by member")
    if table is None:
        return None
    weights: dict[str, Decimal] = {}
    ok = True
    for member, raw in table.items():
        where = (*path, member)
        if member not in reader.members:
            reader.problem(where, reader.unknown_member(member) + comma_hint(member))
            ok = False
            continue
        weight = reader.checked(check_weight(kind, raw, unit_label), where)
        if weight is None:
            ok = False
        else:
            weights[member] = weight
    return weights if ok else None


def comma_hint(name: Any) -> str:
    """A name of digits alone is most likely the tail of a number split at its commas in { }."""
    if str(name).isdigit():
        return "; inside { } a comma ends an entry, so write numbers there without commas (2340000) or in quotes"
    return ""


def read_weights_from_table(
    reader: Reader, value: Any, path: Path_, kind: BasisKind, unit_label: str | None
) -> dict[str, Decimal] | None:
    """shares_from: / drivers_from: {file, sheet, member_column, value_column}."""
    spec = reader.mapping(value, path, WEIGHTS_TABLE.names, "a spreadsheet: file, sheet, member_column, value_column")
    if spec is None:
        return None
    count = reader.count()
    table = read_named_table(reader, spec, path, ("member_column", "value_column"))
    if table is None:
        return None
    member_column, value_column = spec["member_column"], spec["value_column"]
    weights: dict[str, Decimal] = {}
    for row in table.rows:
        member, raw = row[member_column], row[value_column]
        if member.text not in reader.members:
            reader.cell_problem(member.problem(reader.unknown_member(member.text)))
        elif member.text in weights:
            reader.cell_problem(member.problem(f"{member.text!r} has a value already; give each member one row"))
        else:
            weight, message = check_weight(kind, raw.value, unit_label)
            if weight is None:
                reader.cell_problem(raw.problem(message))
            else:
                weights[member.text] = weight
    return weights if reader.count() == count else None


def read_named_table(reader: Reader, spec: Mapping[str, Any], path: Path_, column_keys: Iterable[str]) -> TableRead | None:
    """The spreadsheet a mapping names (file relative to the YAML file), with its columns."""
    from apportion.input.spreadsheets import read_table

    column_keys = tuple(column_keys)
    for key in ("file", *column_keys):
        if key not in spec:
            reader.problem(path, f"missing {key}: name the {'file' if key == 'file' else 'column'} to read")
    file = reader.text(spec.get("file"), (*path, "file"), "a .csv or .xlsx file") if "file" in spec else None
    sheet = reader.optional_text(spec, "sheet", path, "a sheet name")
    columns = [reader.text(spec[key], (*path, key), "a column heading") for key in column_keys if key in spec]
    if file is None or None in columns or any(key not in spec for key in column_keys):
        return None
    source = Path(reader.doc.file).parent / file
    read_as = (str(source), sheet, tuple(c for c in columns if c))
    if read_as in reader.tables:  # a sheet several units read their lines from is read once
        return reader.tables[read_as]
    if not source.is_file():
        missing = f"{source} is not a file (a folder or a device)" if source.exists() else f"there is no file {source}"
        reader.problem((*path, "file"), f"{missing}; the path is relative to this file")
        return None
    table = read_table(source, sheet, [c for c in columns if c], reader.problems)
    if table is not None:
        reader.inputs.append(table.input_file)
    reader.tables[read_as] = table
    return table


ValuesReader = Callable[[Reader, Any, Path_, BasisKind, str | None], dict[str, Decimal] | None]

# The key that gives a basis's values, the kind of basis it makes, and how its values are
# read (composite:, which blends other bases, is read by read_composite). A kind of basis
# added later is read here.
VALUE_READERS: dict[str, tuple[BasisKind, ValuesReader]] = {
    "shares": (BasisKind.SHARES, read_weights),
    "drivers": (BasisKind.DRIVERS, read_weights),
    "shares_from": (BasisKind.SHARES, read_weights_from_table),
    "drivers_from": (BasisKind.DRIVERS, read_weights_from_table),
}


def read_defaults(reader: Reader, value: Any, path: Path_, inherited: Defaults) -> Defaults:
    """defaults: the collaboration's rules; a unit may override each."""
    spec = reader.mapping(value, path, DEFAULTS.names, "rule defaults")
    if spec is None:
        return inherited
    levy_rate = read_levy_rate(reader, spec["levy_rate"], (*path, "levy_rate")) if "levy_rate" in spec else None
    levy_base = reader.choice(spec["levy_base"], (*path, "levy_base"), LevyBase) if "levy_base" in spec else None
    treatment = (
        reader.choice(spec["in_kind_treatment"], (*path, "in_kind_treatment"), InKindTreatment)
        if "in_kind_treatment" in spec
        else None
    )
    key = "levy_includes_support"
    with_support = reader.boolean(spec[key], (*path, key)) if key in spec else None
    return Defaults(
        levy_rate=inherited.levy_rate if levy_rate is None else levy_rate,
        levy_base=inherited.levy_base if levy_base is None else LevyBase(levy_base),
        in_kind_treatment=inherited.in_kind_treatment if treatment is None else InKindTreatment(treatment),
        levy_includes_support=inherited.levy_includes_support if with_support is None else with_support,
    )


def read_levy_rate(reader: Reader, value: Any, path: Path_) -> Decimal | None:
    rate = reader.percent(value, path)
    if rate is not None and rate > 100:
        reader.problem(path, f"a levy of {plain(rate)}% is more than 100%; give the rate as a percentage such as '2%'")
        return None
    return rate
