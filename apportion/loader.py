"""Where YAML becomes the model: read a budget file (and its shares file), check
everything, and build a :class:`~apportion.model.Budget`, or raise
:class:`~apportion.errors.InputError` listing every problem found, each with its file,
line, place and fix.

Each YAML section becomes model fields in exactly one function below: ``read_members``,
``read_basis`` (with ``read_weights_from_table`` for a spreadsheet), ``read_defaults``,
``read_unit`` (with ``read_lines_from_table``), ``read_scenarios``, ``read_plan``,
``read_membership`` and ``read_year_end``. Values are checked by ``check_money``,
``check_number`` and ``check_percent``, whose messages the caller places at a YAML line or
a spreadsheet cell. The format is documented in ``docs/config.md`` and as JSON Schema in
:mod:`apportion.schema`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.errors import InputError, Problem
from apportion.model import (
    ALL_UNITS,
    Basis,
    BasisKind,
    Budget,
    BudgetLine,
    Change,
    ChargingModel,
    Income,
    IncomeChange,
    InKindTreatment,
    InputFile,
    LevyBase,
    LineChange,
    LineKind,
    Member,
    MembershipChange,
    ModelChange,
    OfficersInKind,
    Plan,
    Scenario,
    Settlement,
    SharesChange,
    Source,
    Unit,
    Without,
    YearEnd,
)
from apportion.money import PENNY, format_gbp, round_penny, to_fraction
from apportion.names import RESERVED_STEMS, file_stem
from apportion.yaml_reader import Document, Path_, format_path, read_yaml

if TYPE_CHECKING:
    from apportion.tables import TableRead

BUDGET_KEYS = (
    "collaboration", "year", "currency", "description", "members", "shares_file", "bases", "defaults", "units", "scenarios",
    "year_end", "membership", "plan",
)  # fmt: skip
PLAN_KEYS = ("years", "pay_inflation", "non_pay_inflation", "savings", "grants", "shares")
MEMBERSHIP_KEYS = ("member", "joins", "leaves", "units", "pro_rata")
YEAR_END_KEYS = ("outturn", "settlement", "reserves", "capital", "match_funding", "stand_alone")
SCENARIO_KEYS = ("name", "description", "changes")
CHANGE_KINDS = ("without", "income", "line", "model", "shares")
SHARES_FILE_KEYS = ("description", "bases", "defaults")
DEFAULT_KEYS = ("levy_rate", "levy_base", "in_kind_treatment")
BASIS_KEYS = ("description", "source", "shares", "drivers", "shares_from", "drivers_from", "unit")
INLINE_BASIS_KEYS = ("name", *BASIS_KEYS)
FIXED_BASIS_KEYS = ("fixed", "remainder")
SOURCE_KEYS = ("document", "data_year", "note")
UNIT_KEYS = (
    "code", "name", "description", "participants", "basis", "model", "lead", "host",
    "levy_rate", "levy_base", "pay", "non_pay", "income", "lines_from", "in_kind", "in_kind_treatment",
)  # fmt: skip
LINES_KEYS = ("file", "sheet", "unit_column", "name_column", "kind_column", "amount_column")
LINE_KINDS = {"pay": LineKind.PAY, "non-pay": LineKind.NON_PAY, "income": None}
IN_KIND_KEYS = ("officers", "cost_each", "value")
EQUAL = "equal"
ALL = "all"

MAX_AMOUNT = 10**12  # a trillion pounds
MAX_NUMBER = 10**15
MAX_PLACES = 12
_MONEY_TEXT = re.compile(r"^(-)?£?\s*(-)?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PERCENT_TEXT = re.compile(r"^(-?\d+(\.\d+)?)\s*%$")


class Defaults(NamedTuple):
    """Collaboration-wide rules that a unit may override."""

    levy_rate: Decimal = Decimal("2")
    levy_base: LevyBase = LevyBase.GROSS_PAY
    in_kind_treatment: InKindTreatment = InKindTreatment.ADDITIONAL


@dataclass
class Reader:
    """Reads values out of one YAML document, recording problems with their places."""

    doc: Document
    problems: list[Problem]
    members: Mapping[str, Member] = field(default_factory=dict)
    bases: Mapping[str, Basis] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # bases declared, but with problems of their own
    defaults: Defaults = field(default_factory=Defaults)
    unit_labels: dict[int, str] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)  # spreadsheets read, for provenance
    bases_unknown: bool = False  # the shares file could not be read, so a basis name may be valid

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), self.where(path), message))

    def where(self, path: Path_) -> str:
        """The place as a person reads it: units are named by their code where they have one."""
        if len(path) >= 2 and path[0] == "units" and isinstance(path[1], int) and path[1] in self.unit_labels:
            rest = format_path(path[2:])
            joiner = "" if not rest or rest.startswith("[") else "."
            return f"units[{self.unit_labels[path[1]]}]{joiner}{rest}"
        return format_path(path)

    def relabel(self, problem: Problem) -> Problem:
        """A problem found while reading the YAML, its unit named by code as the others are."""
        match = re.match(r"units\[(\d+)\]", problem.where)
        if problem.file != self.doc.file or not match or int(match.group(1)) not in self.unit_labels:
            return problem
        rest = problem.where[match.end() :]
        return problem._replace(where=f"units[{self.unit_labels[int(match.group(1))]}]{rest}")

    def mapping(self, value: Any, path: Path_, keys: Iterable[str], what: str) -> dict[str, Any] | None:
        """A mapping whose keys must be among ``keys`` (unknown keys get a did-you-mean)."""
        if not isinstance(value, dict):
            self.problem(path, f"expected {what} (a mapping of keys to values), found {describe(value)}")
            return None
        allowed = tuple(keys)
        for key in value:
            if key not in allowed:
                self.problem((*path, key), f"unknown key {key!r}{did_you_mean(key, allowed)}; allowed keys: {', '.join(allowed)}")
        return value

    def entries(
        self, value: Any, path: Path_, keys: Iterable[str], what: str, each: str
    ) -> Iterator[tuple[Path_, dict[str, Any]]]:
        """The mappings of a list of ``what`` (each ``each``), with where each one is; a
        value that is not a list, or an entry that is not a mapping, is a problem."""
        if not isinstance(value, list):
            self.problem(path, f"expected a list of {what}, found {describe(value)}")
            return
        for index, entry in enumerate(value):
            where = (*path, index)
            spec = self.mapping(entry, where, keys, each)
            if spec is not None:
                yield where, spec

    def text(self, value: Any, path: Path_, what: str) -> str | None:
        if isinstance(value, Decimal):
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected {what} (text), found {describe(value)}")
            return None
        return value.strip()

    def choice(self, value: Any, path: Path_, options: Iterable[str]) -> str | None:
        allowed = tuple(str(option) for option in options)
        if value in allowed:
            return str(value)
        self.problem(path, f"{value!r} is not one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}")
        return None

    def money(self, value: Any, path: Path_) -> Decimal | None:
        return self.checked(check_money(value), path)

    def number(self, value: Any, path: Path_, what: str) -> Decimal | None:
        return self.checked(check_number(value, what), path)

    def percent(self, value: Any, path: Path_, *, unit: str | None = None) -> Decimal | None:
        return self.checked(check_percent(value, unit), path)

    def checked(self, outcome: tuple[Decimal | None, str], path: Path_) -> Decimal | None:
        value, message = outcome
        if value is None:
            self.problem(path, message)
        return value

    def member_name(self, value: Any, path: Path_, role: str) -> str | None:
        if isinstance(value, str) and value in self.members:
            return value
        names = list(self.members)
        self.problem(
            path, f"{value!r} is not a member{did_you_mean(str(value), names)}; {role} must be one of: {', '.join(names)}"
        )
        return None


def load_budget(path: Path, shares_path: Path | None = None) -> Budget:
    """Read, check and build the budget at ``path``.

    ``shares_path`` replaces the shares file the budget names (``shares_file:``), to run
    the same budget against another year's share table. Raises InputError with every
    problem found, or returns a Budget that the core can apportion without further checks.
    """
    problems: list[Problem] = []
    doc = read_yaml(path)
    problems.extend(doc.problems)
    if doc.root is None:
        raise InputError(problems)
    reader = Reader(doc, problems)
    root = reader.mapping(doc.root, (), BUDGET_KEYS, "a budget file")
    if root is None:
        raise InputError(problems)
    for key in ("collaboration", "year", "members", "units"):
        if key not in root:
            reader.problem((), f"missing {key}: see docs/config.md for the layout of a budget file")

    collaboration = (
        reader.text(root.get("collaboration"), ("collaboration",), "the collaboration's name")
        if "collaboration" in root
        else None
    )
    year = reader.text(root.get("year"), ("year",), "the financial year, such as 2013/14") if "year" in root else None
    if root.get("currency", "GBP") != "GBP":
        reader.problem(("currency",), f"{describe(root.get('currency'))} is not a currency apportion supports; write GBP")
    members = read_members(reader, root.get("members"), ("members",)) if "members" in root else {}
    reader.members = members

    input_files = [InputFile(str(path), doc.sha256)]
    bases: dict[str, Basis] = {}
    declared: set[str] = set()  # every basis named, valid or not
    defaults = Defaults()
    shares_file = shares_path
    if shares_file is None and "shares_file" in root:
        name = reader.text(root["shares_file"], ("shares_file",), "the path of a shares file")
        shares_file = path.parent / name if name else None
        if shares_file is not None and not shares_file.is_file():
            reader.problem(("shares_file",), f"there is no file {shares_file}; the path is relative to this file")
            reader.bases_unknown = True
            shares_file = None
    if shares_file is not None:
        shared = read_shares_file(shares_file, members, problems)
        reader.bases_unknown = shared is None  # an unreadable shares file: unknown names are not news
        if shared is not None:
            input_files.append(InputFile(str(shares_file), shared.reader.doc.sha256))
            input_files.extend(shared.reader.inputs)
            bases.update(shared.bases)
            declared |= shared.declared
            defaults = read_defaults(shared.reader, shared.defaults, ("defaults",), defaults)

    raw_bases = root.get("bases", {})
    if reader.mapping(raw_bases, ("bases",), list(raw_bases) if isinstance(raw_bases, dict) else (), "named bases"):
        for name, spec in raw_bases.items():
            if name in declared:
                reader.problem(
                    ("bases", name),
                    f"basis {name!r} is also defined in the shares file {shares_file}; give it one name or define it once",
                )
                continue
            declared.add(name)
            basis = read_basis(reader, name, spec, ("bases", name), BASIS_KEYS)
            if basis is not None:
                bases[name] = basis
    if "defaults" in root:
        defaults = read_defaults(reader, root["defaults"], ("defaults",), defaults)

    reader.bases = bases
    reader.broken = declared - set(bases)
    reader.defaults = defaults
    units = read_units(reader, root.get("units")) if "units" in root else []
    scenarios = read_scenarios(reader, root["scenarios"], ("scenarios",), units) if "scenarios" in root else []
    year_end = read_year_end(reader, root["year_end"], ("year_end",), units) if "year_end" in root else None
    membership = read_membership(reader, root["membership"], ("membership",), units) if "membership" in root else []
    plan = read_plan(reader, root["plan"], ("plan",), units, members) if "plan" in root else None
    input_files.extend(reader.inputs)
    if problems:
        named = [reader.relabel(problem) for problem in set(problems)]
        raise InputError(sorted(named, key=lambda p: (p.file != str(path), p.file, p.line, p.where, p.message)))
    assert collaboration is not None and year is not None  # noqa: S101 - guaranteed by the checks above
    return Budget(
        collaboration=collaboration,
        year=year,
        members=tuple(members.values()),
        bases=bases,
        units=tuple(units),
        input_files=tuple(input_files),
        scenarios=tuple(scenarios),
        default_levy_rate=defaults.levy_rate,
        year_end=year_end,
        membership=tuple(membership),
        plan=plan,
    )


def load_shares_file(path: Path) -> dict[str, Basis]:
    """Check a shares file on its own, where any name is taken as a member's.

    Raises InputError with every problem found; returns its bases.
    """
    problems: list[Problem] = []
    shared = read_shares_file(path, None, problems)
    if shared is not None:
        read_defaults(shared.reader, shared.defaults, ("defaults",), Defaults())
    if problems or shared is None:
        raise InputError(problems)
    return shared.bases


def is_shares_file(path: Path) -> bool:
    """True if ``path`` holds a shares file (bases and defaults, no members or units)."""
    root = read_yaml(path).root
    return isinstance(root, dict) and "units" not in root and "members" not in root and "bases" in root


@dataclass
class SharesFile:
    """What a shares file holds: its valid bases, every basis name it declares, its defaults."""

    bases: dict[str, Basis]
    declared: set[str]
    defaults: Any
    reader: Reader


def read_shares_file(path: Path, members: Mapping[str, Member] | None, problems: list[Problem]) -> SharesFile | None:
    """A shared table of bases and rule defaults, kept apart from any one budget.

    With ``members`` None (a shares file checked on its own) every name in a basis counts
    as a member.
    """
    doc = read_yaml(path)
    problems.extend(doc.problems)
    if doc.root is None:
        return None
    reader = Reader(doc, problems)
    root = reader.mapping(doc.root, (), SHARES_FILE_KEYS, "a shares file")
    if root is None:
        return None
    bases: dict[str, Basis] = {}
    raw_bases = root.get("bases", {})
    if reader.mapping(raw_bases, ("bases",), list(raw_bases) if isinstance(raw_bases, dict) else (), "named bases"):
        for name, spec in raw_bases.items():
            reader.members = members if members is not None else names_in_basis(spec)
            basis = read_basis(reader, name, spec, ("bases", name), BASIS_KEYS)
            if basis is not None:
                bases[name] = basis
    declared = set(raw_bases) if isinstance(raw_bases, dict) else set()
    return SharesFile(bases, declared, root.get("defaults", {}), reader)


def names_in_basis(spec: Any) -> dict[str, Member]:
    """Every name a basis gives a value for, taken as members."""
    tables = [spec.get(key) for key in ("shares", "drivers")] if isinstance(spec, dict) else []
    return {name: Member(name) for table in tables if isinstance(table, dict) for name in table}


def read_members(reader: Reader, value: Any, path: Path_) -> dict[str, Member]:
    """members: a list of names, or of {name, kind}; names unique, also as file names."""
    members: dict[str, Member] = {}
    if not isinstance(value, list) or not value:
        reader.problem(path, f"expected a list of members, found {describe(value)}")
        return members
    stems: dict[str, str] = {}
    for index, entry in enumerate(value):
        where = (*path, index)
        if isinstance(entry, dict):
            spec = reader.mapping(entry, where, ("name", "kind"), "a member")
            name = reader.text(entry.get("name"), (*where, "name"), "the member's name") if spec is not None else None
            kind = (
                reader.text(entry.get("kind", "police force"), (*where, "kind"), "the kind of body") if spec is not None else None
            )
        else:
            name = reader.text(entry, where, "a member's name")
            kind = "police force"
        if name is None or kind is None:
            continue
        stem = file_stem(name)
        if name in members:
            reader.problem(where, f"member {name!r} is listed twice; list each member once")
        elif stem in stems or stem in RESERVED_STEMS:
            clash = f"member {stems[stem]!r}" if stem in stems else "an output of its own"
            reader.problem(where, f"member {name!r} would write {stem}.xlsx, the same file as {clash}; rename it")
        else:
            members[name] = Member(name, kind)
            stems[stem] = name
        if name == ALL:
            reader.problem(where, "'all' is reserved for a unit's participants; name the member otherwise")
    return members


def read_source(reader: Reader, value: Any, path: Path_) -> Source | None:
    """source: 'document title' or {document, data_year, note}."""
    if isinstance(value, str):
        return Source(value.strip())
    spec = reader.mapping(value, path, SOURCE_KEYS, "a source")
    if spec is None:
        return None
    document = reader.text(spec.get("document"), (*path, "document"), "the source document")
    data_year = reader.text(spec["data_year"], (*path, "data_year"), "the data year") if "data_year" in spec else None
    note = reader.text(spec["note"], (*path, "note"), "a note") if "note" in spec else None
    return Source(document, data_year, note) if document else None


def read_basis(reader: Reader, name: str, value: Any, path: Path_, keys: Iterable[str]) -> Basis | None:
    """A basis: shares (percentages summing to 100%) or drivers (raw values, normalised),
    given in the file or read from a spreadsheet (shares_from:, drivers_from:)."""
    spec = reader.mapping(value, path, keys, "a basis with shares: or drivers:")
    if spec is None:
        return None
    given = [key for key in ("shares", "drivers", "shares_from", "drivers_from") if key in spec]
    if len(given) != 1:
        reader.problem(
            path,
            "give exactly one of shares: (percentages summing to 100%) or drivers: (raw values to normalise), "
            "or shares_from: / drivers_from: naming a spreadsheet",
        )
        return None
    kind = BasisKind(given[0].removesuffix("_from"))
    unit_label = reader.text(spec["unit"], (*path, "unit"), "the unit of the values") if "unit" in spec else None
    description = reader.text(spec["description"], (*path, "description"), "a description") if "description" in spec else None
    source = read_source(reader, spec["source"], (*path, "source")) if "source" in spec else None
    if kind is BasisKind.SHARES and unit_label not in (None, "percent", "fraction"):
        reader.problem(
            (*path, "unit"),
            "shares are percentages; unit: may only be 'percent' or 'fraction' here "
            f"(for raw values such as {unit_label!r} use drivers:)",
        )
        return None
    if given[0].endswith("_from"):
        weights = read_weights_from_table(reader, spec[given[0]], (*path, given[0]), kind, unit_label)
    else:
        weights = read_weights(reader, spec[given[0]], (*path, given[0]), kind, unit_label)
    if weights is None:
        return None
    total = sum(weights.values(), Decimal(0))
    if kind is BasisKind.SHARES and total != 100:
        gap = 100 - total
        side = f"{gap}% short of" if gap > 0 else f"{-gap}% over"
        hint = " (if the values are fractions such as 0.273, declare unit: fraction)" if total == 1 else ""
        reader.problem(
            (*path, given[0]),
            f"shares sum to {total}%, {side} 100%{hint}; correct them, or give raw values under drivers: to have them normalised",
        )
        return None
    if total == 0:
        reader.problem((*path, given[0]), "the values add up to nothing; give at least one member a value above 0")
        return None
    return Basis(name, kind, weights, unit_label, description, source)


def check_weight(kind: BasisKind, value: Any, unit_label: str | None) -> tuple[Decimal | None, str]:
    return check_percent(value, unit_label) if kind is BasisKind.SHARES else check_number(value, "a driver value")


def unknown_member(reader: Reader, name: str) -> str:
    names = list(reader.members)
    return f"{name!r} is not a member{did_you_mean(name, names)}; members are: {', '.join(names)}"


def read_weights(reader: Reader, value: Any, path: Path_, kind: BasisKind, unit_label: str | None) -> dict[str, Decimal] | None:
    """member: value, from the YAML file."""
    table = reader.mapping(value, path, list(value) if isinstance(value, dict) else (), "values by member")
    if table is None:
        return None
    weights: dict[str, Decimal] = {}
    ok = True
    for member, raw in table.items():
        where = (*path, member)
        if member not in reader.members:
            reader.problem(where, unknown_member(reader, member))
            ok = False
            continue
        weight = reader.checked(check_weight(kind, raw, unit_label), where)
        if weight is None:
            ok = False
        else:
            weights[member] = weight
    return weights if ok else None


TABLE_KEYS = ("file", "sheet", "member_column", "value_column")


def read_weights_from_table(
    reader: Reader, value: Any, path: Path_, kind: BasisKind, unit_label: str | None
) -> dict[str, Decimal] | None:
    """shares_from: / drivers_from: {file, sheet, member_column, value_column}."""
    spec = reader.mapping(value, path, TABLE_KEYS, "a spreadsheet: file, sheet, member_column, value_column")
    if spec is None:
        return None
    table = read_named_table(reader, spec, path, ("member_column", "value_column"))
    if table is None:
        return None
    member_column, value_column = spec["member_column"], spec["value_column"]
    weights: dict[str, Decimal] = {}
    count = len(reader.problems)
    for row in table.rows:
        member, raw = row[member_column], row[value_column]
        if member.text not in reader.members:
            reader.problems.append(member.problem(unknown_member(reader, member.text)))
        elif member.text in weights:
            reader.problems.append(member.problem(f"{member.text!r} has a value already; give each member one row"))
        else:
            weight, message = check_weight(kind, raw.value, unit_label)
            if weight is None:
                reader.problems.append(raw.problem(message))
            else:
                weights[member.text] = weight
    return weights if len(reader.problems) == count else None


def read_named_table(reader: Reader, spec: Mapping[str, Any], path: Path_, column_keys: Iterable[str]) -> TableRead | None:
    """The spreadsheet a mapping names (file relative to the YAML file), with its columns."""
    from apportion.tables import read_table

    for key in ("file", *column_keys):
        if key not in spec:
            reader.problem(path, f"missing {key}: name the {'file' if key == 'file' else 'column'} to read")
    file = reader.text(spec.get("file"), (*path, "file"), "a .csv or .xlsx file") if "file" in spec else None
    sheet = reader.text(spec["sheet"], (*path, "sheet"), "a sheet name") if "sheet" in spec else None
    columns = [reader.text(spec[key], (*path, key), "a column heading") for key in column_keys if key in spec]
    if file is None or None in columns or any(key not in spec for key in column_keys):
        return None
    source = Path(reader.doc.file).parent / file
    if not source.is_file():
        reader.problem((*path, "file"), f"there is no file {source}; the path is relative to this file")
        return None
    table = read_table(source, sheet, [c for c in columns if c], reader.problems)
    if table is not None:
        reader.inputs.append(table.input_file)
    return table


def read_defaults(reader: Reader, value: Any, path: Path_, inherited: Defaults) -> Defaults:
    """defaults: the collaboration's rules; a unit may override each."""
    spec = reader.mapping(value, path, DEFAULT_KEYS, "rule defaults")
    if spec is None:
        return inherited
    levy_rate = read_levy_rate(reader, spec["levy_rate"], (*path, "levy_rate")) if "levy_rate" in spec else None
    levy_base = reader.choice(spec["levy_base"], (*path, "levy_base"), LevyBase) if "levy_base" in spec else None
    treatment = (
        reader.choice(spec["in_kind_treatment"], (*path, "in_kind_treatment"), InKindTreatment)
        if "in_kind_treatment" in spec
        else None
    )
    return Defaults(
        levy_rate=inherited.levy_rate if levy_rate is None else levy_rate,
        levy_base=inherited.levy_base if levy_base is None else LevyBase(levy_base),
        in_kind_treatment=inherited.in_kind_treatment if treatment is None else InKindTreatment(treatment),
    )


def read_levy_rate(reader: Reader, value: Any, path: Path_) -> Decimal | None:
    rate = reader.percent(value, path)
    if rate is not None and rate > 100:
        reader.problem(path, f"a levy of {rate}% is more than 100%; give the rate as a percentage such as '2%'")
        return None
    return rate


def read_units(reader: Reader, value: Any) -> list[Unit]:
    """units: a list; codes unique (ignoring case)."""
    if not isinstance(value, list) or not value:
        reader.problem(("units",), f"expected a list of units, found {describe(value)}")
        return []
    for index, spec in enumerate(value):
        if isinstance(spec, dict) and isinstance(spec.get("code"), str):
            reader.unit_labels[index] = spec["code"]
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(value):
        code = spec.get("code") if isinstance(spec, dict) else None
        if isinstance(code, str) and code.casefold() in seen:
            reader.problem(
                ("units", index, "code"),
                f"unit code {code!r} is used twice (first on line {seen[code.casefold()]}); give each unit its own code",
            )
            continue
        if isinstance(code, str):
            seen[code.casefold()] = reader.doc.line(("units", index, "code"))
        unit = read_unit(reader, spec, ("units", index))
        if unit is not None:
            units.append(unit)
    return units


def read_unit(reader: Reader, value: Any, path: Path_) -> Unit | None:
    """One unit: who takes part, how its cost is split, its budget and its rules."""
    members, defaults = reader.members, reader.defaults
    spec = reader.mapping(value, path, UNIT_KEYS, "a unit")
    if spec is None:
        return None
    count = len(reader.problems)
    code = reader.text(spec.get("code"), (*path, "code"), "a short code for the unit, such as EMSOU-FS")
    name = reader.text(spec.get("name", code), (*path, "name"), "the unit's name") if code else None

    participants = (
        read_participants(reader, spec.get("participants"), (*path, "participants")) if "participants" in spec else None
    )
    basis: Basis | None = None
    fixed: dict[str, Decimal] = {}
    if "basis" not in spec:
        reader.problem(path, f"missing basis: name a basis ({', '.join([*reader.bases, EQUAL])}) or give shares: inline")
    else:
        basis, fixed = read_unit_basis(reader, spec["basis"], (*path, "basis"), code or "unit")
    if participants is None:
        given = spec.get("basis")
        remainder = given.get("remainder") if isinstance(given, dict) and "fixed" in given else given
        inline = isinstance(remainder, dict)  # inline shares name their participants
        participants = tuple(m for m in members if basis and m in basis.weights or m in fixed) if inline else tuple(members)
    if basis is not None and basis.kind is BasisKind.EQUAL:
        basis = Basis(EQUAL, BasisKind.EQUAL, {m: Decimal(1) for m in participants}, description="equal shares")

    lines = [
        *read_lines(reader, spec.get("pay"), (*path, "pay"), LineKind.PAY),
        *read_lines(reader, spec.get("non_pay"), (*path, "non_pay"), LineKind.NON_PAY),
    ]
    income = [Income(n, a) for n, a in read_amounts(reader, spec.get("income"), (*path, "income"))]
    if "lines_from" in spec:
        sheet_lines, sheet_income = read_lines_from_table(reader, spec["lines_from"], (*path, "lines_from"), code)
        lines += sheet_lines
        income += sheet_income
    if not lines or all(line.amount == 0 for line in lines):
        if "pay" not in spec and "non_pay" not in spec and "lines_from" not in spec:
            reader.problem(path, "the unit has no budget; give its spending under pay: and/or non_pay:")
        elif lines:
            reader.problem(path, "the unit's budget lines are all zero; give its spending under pay: and/or non_pay:")

    model_name = reader.choice(spec.get("model", "none"), (*path, "model"), ChargingModel)
    model = ChargingModel(model_name) if model_name else ChargingModel.NONE
    lead = read_lead(reader, spec, path, model, participants) if model_name else None
    levy_rate = defaults.levy_rate
    if "levy_rate" in spec:
        if model is not ChargingModel.LEAD_FORCE:
            reader.problem(
                (*path, "levy_rate"), "a levy is charged only under model: lead-force; remove levy_rate or change the model"
            )
        levy_rate = read_levy_rate(reader, spec["levy_rate"], (*path, "levy_rate")) or Decimal(0)
    levy_base = defaults.levy_base
    if "levy_base" in spec:
        chosen = reader.choice(spec["levy_base"], (*path, "levy_base"), LevyBase)
        levy_base = LevyBase(chosen) if chosen else levy_base
    treatment = defaults.in_kind_treatment
    if "in_kind_treatment" in spec:
        chosen = reader.choice(spec["in_kind_treatment"], (*path, "in_kind_treatment"), InKindTreatment)
        treatment = InKindTreatment(chosen) if chosen else treatment
    in_kind = read_in_kind(reader, spec.get("in_kind"), (*path, "in_kind"), participants) if "in_kind" in spec else []

    if basis is not None:
        check_basis_covers(reader, path, basis, fixed, participants)
    if len(reader.problems) > count or code is None or name is None or basis is None:
        return None
    unit = Unit(
        code=code,
        name=name,
        participants=participants,
        basis=basis,
        lines=tuple(lines),
        income=tuple(income),
        fixed_amounts=fixed,
        model=model,
        lead=lead,
        levy_rate=levy_rate if model is ChargingModel.LEAD_FORCE else Decimal(0),
        levy_base=levy_base,
        in_kind=tuple(in_kind),
        in_kind_treatment=treatment,
    )
    check_fixed_amounts(reader, path, unit)
    return unit if len(reader.problems) == count else None


def read_participants(reader: Reader, value: Any, path: Path_) -> tuple[str, ...] | None:
    """participants: 'all' or a list of member names (kept in the members' order)."""
    members = reader.members
    if value == ALL:
        return tuple(members)
    if not isinstance(value, list) or not value:
        reader.problem(path, f"expected 'all' or a list of members, found {describe(value)}")
        return None
    chosen: list[str] = []
    for index, entry in enumerate(value):
        name = reader.member_name(entry, (*path, index), "a participant")
        if name in chosen:
            reader.problem((*path, index), f"{name!r} is listed twice; list each participant once")
        elif name is not None:
            chosen.append(name)
    return tuple(m for m in members if m in chosen)


def read_unit_basis(reader: Reader, value: Any, path: Path_, code: str) -> tuple[Basis | None, dict[str, Decimal]]:
    """basis: a named basis, 'equal', inline shares/drivers, or fixed amounts + remainder.

    A basis in ``reader.broken`` was declared but has problems of its own, already reported.
    """
    bases, broken = reader.bases, reader.broken
    if isinstance(value, str):
        if value == EQUAL:
            return Basis(EQUAL, BasisKind.EQUAL, {}), {}
        if value in bases:
            return bases[value], {}
        if value in broken or reader.bases_unknown:
            return None, {}
        known = [*bases, *sorted(broken), EQUAL]
        reader.problem(path, f"{value!r} is not a basis{did_you_mean(value, known)}; bases are: {', '.join(known)}")
        return None, {}
    if isinstance(value, dict) and "fixed" in value:
        spec = reader.mapping(value, path, FIXED_BASIS_KEYS, "fixed amounts with a remainder basis")
        if spec is None:
            return None, {}
        fixed: dict[str, Decimal] = {}
        table = reader.mapping(
            spec["fixed"], (*path, "fixed"), list(spec["fixed"]) if isinstance(spec["fixed"], dict) else (), "amounts by member"
        )
        for member, raw in (table or {}).items():
            name = reader.member_name(member, (*path, "fixed", member), "a member paying a fixed amount")
            amount = reader.money(raw, (*path, "fixed", member))
            if name is not None and amount is not None:
                fixed[name] = amount
        if "remainder" not in spec:
            reader.problem(
                path, "fixed amounts need a remainder: basis for the rest of the cost, such as remainder: funding_formula"
            )
            return None, fixed
        remainder, nested = read_unit_basis(reader, spec["remainder"], (*path, "remainder"), code)
        if nested:
            reader.problem((*path, "remainder"), "the remainder basis cannot itself have fixed amounts")
        return remainder, fixed
    if isinstance(value, dict):
        name = value.get("name", f"{code} shares")
        return read_basis(reader, str(name), value, path, INLINE_BASIS_KEYS), {}
    reader.problem(path, f"expected a basis name, 'equal', or shares: inline, found {describe(value)}")
    return None, {}


def check_basis_covers(
    reader: Reader, path: Path_, basis: Basis, fixed: Mapping[str, Decimal], participants: tuple[str, ...]
) -> None:
    """Every participant not paying a fixed amount needs a weight; the weights need a total."""
    for member in fixed:
        if member not in participants:
            reader.problem(
                (*path, "basis", "fixed", member),
                f"{member!r} pays a fixed amount but does not take part; add it to participants:",
            )
    shared = [m for m in participants if m not in fixed]
    missing = [m for m in shared if m not in basis.weights]
    if missing:
        reader.problem(
            (*path, "basis"),
            f"basis {basis.name!r} has no value for {', '.join(missing)}, who take{'s' if len(missing) == 1 else ''} part; "
            "add a value to the basis or list the unit's participants:",
        )
    elif shared and sum((basis.weights[m] for m in shared), Decimal(0)) == 0:
        reader.problem((*path, "basis"), f"basis {basis.name!r} gives every participant 0; no one would pay")


def check_fixed_amounts(reader: Reader, path: Path_, unit: Unit) -> None:
    """Fixed amounts must fit inside a positive net budget, and fill it if no one else pays."""
    if not unit.fixed_amounts:
        return
    fixed_total = sum(unit.fixed_amounts.values(), Decimal(0))
    net = unit.net_amount
    if net <= 0:
        reader.problem((*path, "basis", "fixed"), f"fixed amounts need a positive net budget; this unit's is {format_gbp(net)}")
    elif fixed_total > net:
        reader.problem(
            (*path, "basis", "fixed"),
            f"fixed amounts total {format_gbp(fixed_total)}, more than the unit's net budget of {format_gbp(net)}",
        )
    elif fixed_total != net and all(m in unit.fixed_amounts for m in unit.participants):
        reader.problem(
            (*path, "basis", "fixed"),
            f"every participant pays a fixed amount, but they total {format_gbp(fixed_total)}"
            f" against a net budget of {format_gbp(net)}",
        )


def read_amounts(reader: Reader, value: Any, path: Path_) -> list[tuple[str, Decimal]]:
    """A mapping of line name to amount."""
    if value is None:
        return []
    table = reader.mapping(value, path, list(value) if isinstance(value, dict) else (), "lines of name: amount")
    result = []
    for name, raw in (table or {}).items():
        amount = reader.money(raw, (*path, name))
        if amount is not None:
            result.append((name, amount))
    return result


def read_lines(reader: Reader, value: Any, path: Path_, kind: LineKind) -> list[BudgetLine]:
    return [BudgetLine(name, kind, amount) for name, amount in read_amounts(reader, value, path)]


def read_lines_from_table(reader: Reader, value: Any, path: Path_, code: str | None) -> tuple[list[BudgetLine], list[Income]]:
    """lines_from: {file, sheet, unit_column, name_column, kind_column, amount_column}.

    Each row is a line (kind pay or non-pay) or income; with unit_column, only the rows
    whose unit is this unit's code.
    """
    spec = reader.mapping(value, path, LINES_KEYS, "a spreadsheet of budget lines")
    if spec is None:
        return [], []
    keys = ("name_column", "kind_column", "amount_column", *(("unit_column",) if "unit_column" in spec else ()))
    table = read_named_table(reader, spec, path, keys)
    if table is None:
        return [], []
    lines: list[BudgetLine] = []
    income: list[Income] = []
    for row in table.rows:
        if "unit_column" in spec and row[spec["unit_column"]].text != code:
            continue
        name, kind, amount = row[spec["name_column"]], row[spec["kind_column"]], row[spec["amount_column"]]
        if kind.text.casefold() not in LINE_KINDS:
            reader.problems.append(kind.problem(f"{kind.text!r} is not a kind of line; use pay, non-pay or income"))
            continue
        if not name.text:
            reader.problems.append(name.problem("the line has no name; give each line a name"))
            continue
        value_amount, message = check_money(amount.value)
        if value_amount is None:
            reader.problems.append(amount.problem(message))
            continue
        line_kind = LINE_KINDS[kind.text.casefold()]
        if line_kind is None:
            income.append(Income(name.text, value_amount))
        else:
            lines.append(BudgetLine(name.text, line_kind, value_amount))
    if not lines and not income and "unit_column" in spec:
        reader.problem(path, f"no row of {spec['file']} has {code!r} in column {spec['unit_column']!r}")
    return lines, income


def read_lead(
    reader: Reader, spec: Mapping[str, Any], path: Path_, model: ChargingModel, participants: tuple[str, ...]
) -> str | None:
    """lead: (lead-force) or host: (host-force), a member who takes part in the unit."""
    role = {ChargingModel.LEAD_FORCE: "lead", ChargingModel.HOST_FORCE: "host"}.get(model)
    for key in ("lead", "host"):
        if key in spec and key != role:
            reader.problem((*path, key), f"{key}: is used only with model: {key}-force; remove it or set the model")
    if role is None:
        return None
    if role not in spec:
        reader.problem(
            path, f"model: {model} needs {role}: naming the member who {'leads' if role == 'lead' else 'hosts'} the unit"
        )
        return None
    name = reader.member_name(spec[role], (*path, role), f"the {role}")
    if name is not None and name not in participants:
        reader.problem(
            (*path, role),
            f"{name!r} {'leads' if role == 'lead' else 'hosts'} the unit but does not take part in it; add it to participants:",
        )
        return None
    return name


def read_in_kind(reader: Reader, value: Any, path: Path_, participants: tuple[str, ...]) -> list[OfficersInKind]:
    """in_kind: member: value, or member: {officers: n, cost_each: amount}."""
    table = reader.mapping(value, path, list(value) if isinstance(value, dict) else (), "in-kind values by member")
    result = []
    for member, raw in (table or {}).items():
        where = (*path, member)
        name = reader.member_name(member, where, "a member giving officers in kind")
        if name is not None and name not in participants:
            reader.problem(where, f"{name!r} gives officers in kind but does not take part in the unit; add it to participants:")
            name = None
        if isinstance(raw, dict):
            spec = reader.mapping(raw, where, IN_KIND_KEYS, "officers and cost each")
            if spec is None:
                continue
            if "value" in spec:
                reader.problem((*where, "value"), "give either a value, or officers: and cost_each:, not both")
                continue
            officers = reader.number(spec.get("officers"), (*where, "officers"), "a number of officers")
            cost_each = reader.money(spec.get("cost_each"), (*where, "cost_each"))
            if name and officers is not None and cost_each is not None:
                value_amount = round_penny(to_fraction(officers) * to_fraction(cost_each))
                result.append(OfficersInKind(name, value_amount, officers, cost_each))
        else:
            amount = reader.money(raw, where)
            if name and amount is not None:
                result.append(OfficersInKind(name, amount))
    return result


def check_money(value: Any) -> tuple[Decimal | None, str]:
    """An amount in pounds, >= 0, at most two decimal places: 1250000, '£1,250,000.00'.

    Returns the amount, or None and what is wrong with it (for the caller to place).
    """
    amount = parse_money(value)
    if amount is None:
        return None, f"{describe(value)} is not an amount of money; write pounds such as 1250000 or '£1,250,000.00'"
    if amount < 0:
        return None, (
            f"{format_gbp(amount)} is negative; give spending as a positive amount and record grants and income under income:"
        )
    if abs(amount) >= MAX_AMOUNT:
        return None, f"{amount} is more than apportion handles (under £{MAX_AMOUNT:,}); is a decimal point missing?"
    if amount != amount.quantize(PENNY):
        return None, f"{amount} has fractions of a penny; give pounds and pence (at most two decimal places)"
    return amount.quantize(PENNY), ""


def check_number(value: Any, what: str) -> tuple[Decimal | None, str]:
    """A non-negative plain number: a driver value or a count of officers."""
    number = parse_number(value)
    if number is None or number < 0:
        return None, f"{describe(value)} is not {what}; give a number of 0 or more"
    return plausible(number)


def plausible(number: Decimal) -> tuple[Decimal | None, str]:
    """Refuse numbers so large or so finely divided that they can only be mistakes."""
    if abs(number) >= MAX_NUMBER or (number and number.as_tuple().exponent < -MAX_PLACES):  # type: ignore[operator]
        return None, f"{number} is out of range; give a number under {MAX_NUMBER:,} with at most {MAX_PLACES} decimal places"
    return number, ""


def check_percent(value: Any, unit: str | None = None) -> tuple[Decimal | None, str]:
    """'27.3%' -> Decimal('27.3'). Bare numbers only where the basis declares its unit:
    ``percent`` (27.3) or ``fraction`` (0.273, as a spreadsheet stores a cell shown as 27.3%)."""
    if isinstance(value, Decimal) and unit in ("percent", "fraction"):
        percent = value * 100 if unit == "fraction" else value
    elif isinstance(value, Decimal):
        return None, f"{value} is ambiguous; write a percentage with its sign, such as '{value}%'"
    elif isinstance(value, str) and (match := _PERCENT_TEXT.match(value.strip())):
        percent = Decimal(match.group(1))
    else:
        return None, f"{describe(value)} is not a percentage; write it like '27.3%'"
    if percent < 0:
        return None, f"{percent}% is negative; shares and rates are 0% or more"
    return plausible(percent)


def read_scenarios(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> list[Scenario]:
    """scenarios: a list of {name, description, changes}, each change one of CHANGE_KINDS."""
    scenarios: list[Scenario] = []
    for where, spec in reader.entries(value, path, SCENARIO_KEYS, "scenarios", "a scenario: name, description, changes"):
        name = reader.text(spec.get("name"), (*where, "name"), "the scenario's name")
        if name is not None and any(s.name == name for s in scenarios):
            reader.problem((*where, "name"), f"scenario {name!r} is defined twice; give each scenario its own name")
        description = reader.text(spec["description"], (*where, "description"), "a description") if "description" in spec else ""
        raw_changes = spec.get("changes")
        if not isinstance(raw_changes, list) or not raw_changes:
            reader.problem(
                where, f"expected changes: a list of changes ({', '.join(CHANGE_KINDS)}), found {describe(raw_changes)}"
            )
            continue
        changes = [read_change(reader, raw, (*where, "changes", i), units) for i, raw in enumerate(raw_changes)]
        if name is not None and all(change is not None for change in changes):
            scenarios.append(Scenario(name, tuple(c for c in changes if c is not None), description or ""))
    return scenarios


def read_change(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> Change | None:
    """One change: {without: member}, {income: {unit, change}}, {line: {unit, line, amount}},
    {model: {unit, model, lead|host, business_support}} or {shares: {basis, shares|drivers}}."""
    spec = reader.mapping(value, path, CHANGE_KINDS, "a change")
    if spec is None:
        return None
    if len(spec) != 1:
        reader.problem(path, f"give one change per item, one of: {', '.join(CHANGE_KINDS)}")
        return None
    kind, body = next(iter(spec.items()))
    where = (*path, kind)
    if kind == "without":
        member = reader.member_name(body, where, "the member who leaves")
        return Without(member) if member else None
    codes = [unit.code for unit in units]

    def unit_code(detail: Mapping[str, Any]) -> str | None:
        code = detail.get("unit")
        if code == ALL_UNITS or code in codes:
            return str(code)
        reader.problem(
            (*where, "unit"), f"{code!r} is not a unit{did_you_mean(str(code), codes)}; units are: {', '.join(codes)}, or all"
        )
        return None

    if kind == "income":
        detail = reader.mapping(body, where, ("unit", "change"), "unit: and change: (a percentage or an amount)")
        if detail is None:
            return None
        code, raw = unit_code(detail), detail.get("change")
        if isinstance(raw, str) and raw.strip().endswith("%"):
            percent = parse_number(raw.strip()[:-1])
            if percent is None:
                reader.problem((*where, "change"), f"{describe(raw)} is not a percentage change; write it like '-20%'")
            return IncomeChange(code, percent=percent) if code and percent is not None else None
        amount = parse_signed_money(raw)
        if amount is None:
            reader.problem(
                (*where, "change"), f"{describe(raw)} is not a change; write a percentage like '-20%' or an amount like -400000"
            )
        return IncomeChange(code, amount=amount) if code and amount is not None else None
    if kind == "line":
        detail = reader.mapping(body, where, ("unit", "line", "amount"), "unit:, line: and amount:")
        if detail is None:
            return None
        code = unit_code(detail)
        line = reader.text(detail.get("line"), (*where, "line"), "the name of a budget line")
        amount = reader.money(detail.get("amount"), (*where, "amount"))
        return LineChange(code, line, amount) if code and line and amount is not None else None
    if kind == "model":
        detail = reader.mapping(
            body, where, ("unit", "model", "lead", "host", "business_support", "levy_rate"), "a new charging model"
        )
        if detail is None:
            return None
        code = unit_code(detail)
        chosen = reader.choice(detail.get("model"), (*where, "model"), ChargingModel)
        role = {"lead-force": "lead", "host-force": "host"}.get(chosen or "")
        member = reader.member_name(detail.get(role), (*where, role), f"the {role}") if role else None
        if role and role not in detail:
            return None
        support = reader.money(detail["business_support"], (*where, "business_support")) if "business_support" in detail else None
        rate = read_levy_rate(reader, detail["levy_rate"], (*where, "levy_rate")) if "levy_rate" in detail else None
        if code and chosen and (member or not role):
            return ModelChange(code, ChargingModel(chosen), member, support, rate)
        return None
    detail = reader.mapping(body, where, ("basis", *BASIS_KEYS), "basis: and its new shares: or drivers:")
    if detail is None:
        return None
    name = detail.get("basis")
    if name not in reader.bases:
        reader.problem((*where, "basis"), f"{name!r} is not a named basis; bases are: {', '.join(reader.bases)}")
        return None
    basis = read_basis(reader, str(name), {k: v for k, v in detail.items() if k != "basis"}, where, BASIS_KEYS)
    return SharesChange(str(name), dict(basis.weights)) if basis else None


def read_year_end(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> YearEnd | None:
    """year_end: out-turn and settlement, reserves, capital financing, match funding, stand-alone costs."""
    spec = reader.mapping(value, path, YEAR_END_KEYS, "the year end")
    if spec is None:
        return None
    by_code = {unit.code: unit for unit in units}

    def unit_of(code: Any, where: Path_) -> Unit | None:
        if code in by_code:
            return by_code[code]
        codes = list(by_code)
        reader.problem(where, f"{code!r} is not a unit{did_you_mean(str(code), codes)}; units are: {', '.join(codes)}")
        return None

    outturn = {}
    for code, amount in read_amounts(reader, spec.get("outturn"), (*path, "outturn")):
        if unit_of(code, (*path, "outturn", code)):
            outturn[code] = amount
    settlement = reader.choice(spec.get("settlement", "return"), (*path, "settlement"), Settlement) or "return"
    reserves = reader.mapping(spec.get("reserves", {}), (*path, "reserves"), ("opening", "transfers"), "opening: and transfers:")
    opening = reader.money(reserves["opening"], (*path, "reserves", "opening")) if reserves and "opening" in reserves else None
    transfers = {}
    raw_transfers = (reserves or {}).get("transfers", {})
    if reader.mapping(
        raw_transfers,
        (*path, "reserves", "transfers"),
        list(raw_transfers) if isinstance(raw_transfers, dict) else (),
        "name: amount (negative for out)",
    ):
        for name, raw in raw_transfers.items():
            transfer = parse_signed_money(raw)
            if transfer is None:
                reader.problem(
                    (*path, "reserves", "transfers", name), f"{describe(raw)} is not an amount; write 45000 in or -45000 out"
                )
            else:
                transfers[name] = transfer
    capital = reader.mapping(spec.get("capital", {}), (*path, "capital"), ("programme", "financing"), "programme: and financing:")
    programme = (
        reader.money(capital["programme"], (*path, "capital", "programme")) if capital and "programme" in capital else None
    )
    financing = dict(read_amounts(reader, (capital or {}).get("financing"), (*path, "capital", "financing")))
    if programme is not None and financing and sum(financing.values()) != programme:
        total = sum(financing.values(), Decimal(0))
        reader.problem(
            (*path, "capital", "financing"),
            f"the financing adds up to {format_gbp(total)}, {format_gbp(abs(programme - total))} "
            f"{'short of' if total < programme else 'more than'} the programme of {format_gbp(programme)}",
        )
    matches = []
    raw_matches = spec.get("match_funding", [])
    if not isinstance(raw_matches, list):
        reader.problem((*path, "match_funding"), f"expected a list of {{unit, income}}, found {describe(raw_matches)}")
        raw_matches = []
    for index, raw in enumerate(raw_matches):
        where = (*path, "match_funding", index)
        detail = reader.mapping(raw, where, ("unit", "income"), "unit: and income: (the grant to be matched)")
        unit = unit_of(detail.get("unit"), (*where, "unit")) if detail is not None else None
        if unit is not None and detail is not None:
            names = [income.name for income in unit.income]
            if detail.get("income") not in names:
                reader.problem(
                    (*where, "income"),
                    f"{unit.code} has no income line {detail.get('income')!r}; its income lines are: {', '.join(names)}",
                )
            else:
                matches.append((unit.code, str(detail["income"])))
    stand_alone: dict[str, dict[str, Decimal]] = {}
    raw_alone = spec.get("stand_alone", {})
    if reader.mapping(
        raw_alone, (*path, "stand_alone"), list(raw_alone) if isinstance(raw_alone, dict) else (), "unit: {member: cost}"
    ):
        for code, costs in raw_alone.items():
            unit = unit_of(code, (*path, "stand_alone", code))
            if unit is None:
                continue
            for member, amount in read_amounts(reader, costs, (*path, "stand_alone", code)):
                if member not in unit.participants:
                    reader.problem((*path, "stand_alone", code, member), f"{member!r} does not take part in {code}")
                else:
                    stand_alone.setdefault(code, {})[member] = amount
    return YearEnd(outturn, Settlement(settlement), opening, transfers, programme, financing, tuple(matches), stand_alone)


def read_plan(reader: Reader, value: Any, path: Path_, units: Sequence[Unit], members: Mapping[str, Member]) -> Plan | None:
    """plan: the years after the budget's, inflation, phased savings, grant profile, shares by year."""
    spec = reader.mapping(value, path, PLAN_KEYS, "a plan")
    if spec is None:
        return None
    raw_years = spec.get("years")
    if not isinstance(raw_years, list) or not raw_years:
        reader.problem(
            (*path, "years"), f"expected a list of the plan's years (after the budget's own), found {describe(raw_years)}"
        )
        return None
    years = [str(year) for year in raw_years]
    count = len(reader.problems)

    def by_year(raw: Any, where: Path_) -> dict[str, Decimal]:
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

    pay = by_year(spec["pay_inflation"], (*path, "pay_inflation")) if "pay_inflation" in spec else {}
    non_pay = by_year(spec["non_pay_inflation"], (*path, "non_pay_inflation")) if "non_pay_inflation" in spec else {}
    savings_amount, phasing = Decimal("0.00"), {}
    if "savings" in spec:
        savings = reader.mapping(spec["savings"], (*path, "savings"), ("total", "phasing"), "total: and phasing:")
        if savings is not None:
            savings_amount = reader.money(savings.get("total"), (*path, "savings", "total")) or Decimal("0.00")
            phasing = by_year(savings.get("phasing", {}), (*path, "savings", "phasing"))
            if phasing and sum(phasing.values()) != 100:
                reader.problem((*path, "savings", "phasing"), f"the phasing adds up to {sum(phasing.values())}%, not 100%")
    grants: dict[str, dict[str, IncomeChange]] = {}
    raw_grants = spec.get("grants", {})
    codes = [unit.code for unit in units]
    if reader.mapping(
        raw_grants, (*path, "grants"), list(raw_grants) if isinstance(raw_grants, dict) else (), "unit: {year: change}"
    ):
        for code, profile in raw_grants.items():
            if code not in codes:
                reader.problem((*path, "grants", code), f"{code!r} is not a unit; units are: {', '.join(codes)}")
                continue
            for year, change in by_year(profile, (*path, "grants", code)).items() if isinstance(profile, dict) else ():
                grants.setdefault(code, {})[year] = IncomeChange(code, percent=change)
    bases: dict[str, dict[str, Basis]] = {}
    raw_shares = spec.get("shares", {})
    if reader.mapping(
        raw_shares, (*path, "shares"), list(raw_shares) if isinstance(raw_shares, dict) else (), "year: shares file"
    ):
        for year, name in raw_shares.items():
            where = (*path, "shares", year)
            if year not in years:
                reader.problem(where, f"{year!r} is not a year of the plan; its years are: {', '.join(years)}")
                continue
            file = Path(reader.doc.file).parent / str(name)
            if not file.is_file():
                reader.problem(where, f"there is no file {file}; the path is relative to this file")
                continue
            shared = read_shares_file(file, members, reader.problems)
            if shared is not None:
                bases[year] = shared.bases
                reader.inputs.append(InputFile(str(file), shared.reader.doc.sha256))
    if len(reader.problems) > count:
        return None
    return Plan(tuple(years), pay, non_pay, savings_amount, phasing, grants, bases)


def read_membership(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> list[MembershipChange]:
    """membership: [{member, joins or leaves: date, units, pro_rata: days | months}]."""
    changes = []
    for where, spec in reader.entries(value, path, MEMBERSHIP_KEYS, "membership changes", "a membership change"):
        member = reader.member_name(spec.get("member"), (*where, "member"), "the member who joins or leaves")
        given = [key for key in ("joins", "leaves") if key in spec]
        if len(given) != 1:
            reader.problem(where, "give one of joins: or leaves:, with a date such as 2013-10-01")
            continue
        try:
            on = date.fromisoformat(str(spec[given[0]]))
        except ValueError:
            reader.problem((*where, given[0]), f"{describe(spec[given[0]])} is not a date; write it as 2013-10-01")
            continue
        pro_rata = reader.choice(spec.get("pro_rata", "days"), (*where, "pro_rata"), ("days", "months"))
        codes = [unit.code for unit in units if member in unit.participants]
        if "units" in spec:
            chosen = spec["units"] if isinstance(spec["units"], list) else [spec["units"]]
            for code in chosen:
                if code not in codes:
                    reader.problem(
                        (*where, "units"), f"{member} does not take part in a unit {code!r}; its units are: {', '.join(codes)}"
                    )
            codes = [str(code) for code in chosen if code in codes]
        if member and pro_rata and codes:
            changes.append(MembershipChange(member, on, given[0] == "joins", tuple(codes), pro_rata == "months"))
    return changes


def parse_signed_money(value: Any) -> Decimal | None:
    """An amount that may be negative, in whole pence: -400000, '-£400,000'."""
    amount = parse_money(value)
    if amount is None or amount != amount.quantize(PENNY) or abs(amount) >= MAX_AMOUNT:
        return None
    return amount.quantize(PENNY)


def parse_money(value: Any) -> Decimal | None:
    """1250000, 1250000.5, '£1,250,000.50', '1,250,000' -> Decimal; anything else None."""
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    match = _MONEY_TEXT.match(value.strip())
    if not match or (match.group(1) and match.group(2)):
        return None
    sign = "-" if match.group(1) or match.group(2) else ""
    return Decimal(sign + match.group(3).replace(",", "") + (match.group(5) or ""))


def parse_number(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value.replace(",", "").strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def describe(value: Any) -> str:
    """How a YAML value reads in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{value} (yes/no)"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return repr(str(value))


def did_you_mean(word: str, options: Iterable[str]) -> str:
    import difflib  # only a file with a mistake needs it

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
