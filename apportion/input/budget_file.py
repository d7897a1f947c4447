"""Where a budget file becomes the model: read it (and its shares file), check every
section, and build a :class:`~apportion.model.Budget`, or raise
:class:`~apportion.model.InputError` listing every problem found, each with its file, line,
place and fix.

Each section of the file has its reader, in a module of its own: the members here, bases
and defaults in :mod:`~apportion.input.bases`, units in :mod:`~apportion.input.units`,
scenarios, the plan, membership and the year end in theirs. The keys each section may hold
come from :mod:`~apportion.input.description`; the format is documented in
``docs/config.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from apportion.input.bases import read_bases, read_defaults
from apportion.input.description import BUDGET, MEMBER, SHARES_FILE
from apportion.input.invoicing import read_invoicing
from apportion.input.ledger import read_ledger
from apportion.input.membership import read_membership
from apportion.input.monitoring import read_monitoring
from apportion.input.plan import read_plan
from apportion.input.reader import Defaults, Reader
from apportion.input.report import read_report
from apportion.input.revisions import read_revisions
from apportion.input.scenarios import read_scenarios
from apportion.input.statement import read_statement
from apportion.input.support import UnitBasis, read_unit_bases
from apportion.input.units import read_units
from apportion.input.values import MAX_LINES, MAX_MEMBERS, MAX_NAME, describe
from apportion.input.yaml_file import Document, Path_, read_yaml
from apportion.input.year_end import read_year_end
from apportion.model import (
    Basis,
    Budget,
    InputError,
    InputFile,
    Member,
    MembershipChange,
    Message,
    PeriodRounding,
    Plan,
    Scenario,
    SupportMethod,
    Unit,
    UnitRole,
    YearEnd,
)
from apportion.model.budget import ExitTerms, Revision, StatementDetails
from apportion.model.invoicing import Invoicing
from apportion.model.ledger import LedgerMapping
from apportion.model.limits import OVER_LIMIT, totals_over_limit
from apportion.model.money import format_gbp
from apportion.model.names import RESERVED_STEMS, NameRegister, file_stem
from apportion.model.report import ReportSettings

ALL = "all"
REQUIRED = ("collaboration", "year", "members", "units")


def load_budget(path: Path, shares_path: Path | None = None, doc: Document | None = None) -> Budget:
    """Read, check and build the budget at ``path``.

    ``shares_path`` replaces the shares file the budget names (``shares_file:``), to run
    the same budget against another year's share table. Raises InputError with every
    problem found, or returns a Budget that the rules can apportion without further checks.
    ``doc``: the file as :func:`~apportion.input.yaml_file.read_yaml` has read it already.
    """
    problems: list[Message] = []
    doc = doc or read_yaml(path)
    problems.extend(doc.problems)
    reader = Reader(doc, problems)
    root = reader.mapping(doc.root, (), BUDGET.names, "a budget file") if doc.root is not None else None
    if root is None:
        raise InputError(problems)
    collaboration, year = read_header(reader, root)
    reader.year = year or ""
    confidential = (
        "in_kind_details" in root
        and reader.choice(root["in_kind_details"], ("in_kind_details",), ("shown", "confidential")) == "confidential"
    )
    input_files = [InputFile(str(path), doc.sha256)]
    shared = read_shared(reader, root, path, shares_path)
    if shared is not None:
        input_files += [InputFile(str(shared.path), shared.reader.doc.sha256), *shared.reader.inputs]
    own = read_bases(
        reader,
        root.get("bases", {}),
        shared.declared if shared else set(),
        shared.path if shared else None,
        known=shared.bases if shared else None,
    )
    bases = {**(shared.bases if shared else {}), **own.bases}
    defaults = shared.defaults if shared else Defaults()
    if "defaults" in root:
        defaults = read_defaults(reader, root["defaults"], ("defaults",), defaults)
    reader.bases, reader.broken, reader.defaults = bases, own.declared - set(bases), defaults
    support_method, unit_bases = read_support_settings(reader, root)
    units = read_units(reader, root.get("units"), support_method, unit_bases) if "units" in root else []
    check_size(reader, units)
    the_year = read_the_year(reader, root, units, year or "")
    if "period_rounding" in root:
        reader.choice(root["period_rounding"], ("period_rounding",), PeriodRounding)
    ledger = read_ledgers(reader, root, shared, units)
    statement, report = read_papers(reader, root, bases)
    if problems:
        raise InputError(in_order(reader, problems, path), sum(reader.untold.values()))
    assert collaboration is not None and year is not None  # noqa: S101 - guaranteed by the checks above
    return Budget(
        collaboration=collaboration,
        year=year,
        members=tuple(reader.members.values()),
        bases=bases,
        units=tuple(units),
        input_files=(*input_files, *reader.inputs),
        scenarios=tuple(the_year.scenarios),
        default_levy_rate=defaults.levy_rate,
        year_end=the_year.year_end,
        membership=tuple(the_year.membership),
        plan=the_year.plan,
        shares_given=str(shares_path) if shares_path is not None else None,
        in_kind_confidential=confidential,
        support_method=support_method,
        period_rounding=PeriodRounding(root.get("period_rounding", "each period")),
        invoicing=the_year.invoicing,
        monitoring=reader.monitoring,
        revisions=tuple(the_year.revisions),
        exits=tuple(the_year.exits),
        ledger=ledger,
        statement=statement,
        report=report,
    )


Papers = tuple[StatementDetails | None, ReportSettings | None]


def read_papers(reader: Reader, root: dict[str, Any], bases: Mapping[str, Basis]) -> Papers:
    """What the papers made from the year say of themselves: the members' statements
    (``statement:``) and the panel report (``report:``), where the file gives them."""
    statement = read_statement(reader, root["statement"], ("statement",)) if "statement" in root else None
    report = read_report(reader, root["report"], ("report",), bases) if "report" in root else None
    return statement, report


class TheYear(NamedTuple):
    """The sections about the year around the budget."""

    scenarios: list[Scenario]
    year_end: YearEnd | None
    membership: list[MembershipChange]
    exits: list[ExitTerms]
    plan: Plan | None
    invoicing: Invoicing | None
    revisions: list[Revision]


def read_the_year(reader: Reader, root: Mapping[str, Any], units: list[Unit], year: str) -> TheYear:
    """The sections about the year around the budget: scenarios, year end, membership (with
    exit terms), plan, invoicing and revisions, each where it is given."""
    scenarios = read_scenarios(reader, root["scenarios"], ("scenarios",), units) if "scenarios" in root else []
    year_end = read_year_end(reader, root["year_end"], ("year_end",), units) if "year_end" in root else None
    membership, exits = (
        read_membership(reader, root["membership"], ("membership",), units, year_end) if "membership" in root else ([], [])
    )
    chosen = next((terms.reserves for terms in exits if terms.reserves is not None), None)
    if year_end is not None and chosen is not None:
        year_end = year_end._replace(leaver=chosen)  # the exit terms say what the leaver does with the reserves
    plan = read_plan(reader, root["plan"], ("plan",), units) if "plan" in root else None
    invoicing = read_invoicing(reader, root["invoicing"], ("invoicing",), year) if "invoicing" in root else None
    if "monitoring" in root:
        reader.monitoring = read_monitoring(reader, root["monitoring"], ("monitoring",), units, year)
    revisions = read_revisions(reader, root["revisions"], ("revisions",), units) if "revisions" in root else []
    return TheYear(scenarios, year_end, membership, exits, plan, invoicing, revisions)


def read_ledgers(reader: Reader, root: Mapping[str, Any], shared: SharesFile | None, units: list[Unit]) -> LedgerMapping | None:
    """ledger: the budget's, over its shares file's, key by key."""
    ledger = read_ledger(reader, root["ledger"], ("ledger",), units) if "ledger" in root else None
    if shared is None or shared.ledger is None:
        return ledger
    return ledger.over(shared.ledger) if ledger is not None else shared.ledger


def read_support_settings(reader: Reader, root: Mapping[str, Any]) -> tuple[SupportMethod, dict[str, UnitBasis]]:
    """support_method: and unit_bases:, which the units' support: read."""
    method = reader.choice(root["support_method"], ("support_method",), SupportMethod) if "support_method" in root else None
    unit_bases = read_unit_bases(reader, root["unit_bases"]) if "unit_bases" in root else {}
    return SupportMethod(method) if method else SupportMethod.STEP_DOWN, unit_bases


def read_header(reader: Reader, root: dict[str, Any]) -> tuple[str | None, str | None]:
    """The collaboration, the year, the currency and the members; each section is required."""
    for key in REQUIRED:
        if key not in root:
            reader.problem((), f"missing {key}: see docs/config.md for the layout of a budget file")
    collaboration = (
        reader.text(root["collaboration"], ("collaboration",), "the collaboration's name", limit=MAX_NAME)
        if "collaboration" in root
        else None
    )
    year = reader.optional_text(root, "year", (), "the financial year, such as 2013/14")
    if root.get("currency", "GBP") != "GBP":
        reader.problem(("currency",), f"{describe(root.get('currency'))} is not a currency apportion supports; write GBP")
    reader.members = read_members(reader, root["members"], ("members",)) if "members" in root else {}
    return collaboration, year


def check_size(reader: Reader, units: list[Unit]) -> None:
    """Every total within what a spreadsheet holds to the penny; the lines within a sheet's rows."""
    for unit, what, total in totals_over_limit(units):
        place = unit.place if unit is not None and unit.place is not None else reader.place(("units",))
        whose = "the unit's" if unit is not None else "the units'"
        reader.problems.append(Message(f"{whose} {what} total {format_gbp(total)}, {OVER_LIMIT}", place))
    lines = sum(len(unit.participants) for unit in units)
    # a support unit's cost comes to rest at the members of the units it serves: a line each, as many as take part
    members = len({member for unit in units for member in unit.participants})
    support = sum(members for unit in units if unit.role is UnitRole.SUPPORT)
    if lines + support > MAX_LINES:
        made = (
            f"{lines:,} for the units' participants and {support:,} for the support units' costs"
            if support
            else ("one for each participant of each unit")
        )
        reader.problem(
            ("units",),
            f"the units make {lines + support:,} member lines ({made}), more than apportion handles ({MAX_LINES:,}); "
            "see docs/config.md",
        )


def in_order(reader: Reader, problems: list[Message], path: Path) -> list[Message]:
    """Each problem once, its unit named by code, the budget file's first, then by line and
    place (row 2 before row 10), a spreadsheet's count of problems not told last of its own."""
    named = [reader.relabel(problem) for problem in set(problems)]
    main = str(path)
    ordered = sorted(named, key=lambda p: (p.place.file != main, p.place.file, p.place.line, natural(p.place.where), p.text))
    for summary in reader.untold_problems():
        last = max((i for i, p in enumerate(ordered) if p.place.file == summary.place.file), default=len(ordered) - 1)
        ordered.insert(last + 1, summary)
    return ordered


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """'row 10' after 'row 2': numbers in a place compared as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


@dataclass
class SharesFile:
    """What a shares file holds: its valid bases, every basis name it declares, its defaults."""

    path: Path
    bases: dict[str, Basis]
    declared: set[str]
    defaults: Defaults
    reader: Reader
    ledger: LedgerMapping | None = None


def read_shared(reader: Reader, root: dict[str, Any], path: Path, shares_path: Path | None) -> SharesFile | None:
    """The shares file the budget names (or the one given instead), with its defaults."""
    shares_file = shares_path
    if shares_file is None and "shares_file" in root:
        name = reader.text(root["shares_file"], ("shares_file",), "the path of a shares file")
        shares_file = path.parent / name if name else None
        if shares_file is not None and not shares_file.is_file():
            reader.problem(("shares_file",), f"there is no file {shares_file}; the path is relative to this file")
            reader.bases_unknown = True
            return None
    if shares_file is None:
        return None
    shared = read_shares_file(shares_file, reader.members, reader.problems)
    reader.bases_unknown = shared is None  # an unreadable shares file: unknown names are not news
    return shared


def load_shares_file(path: Path, doc: Document | None = None) -> dict[str, Basis]:
    """Check a shares file on its own, where any name is taken as a member's.

    Raises InputError with every problem found; returns its bases.
    """
    problems: list[Message] = []
    shared = read_shares_file(path, None, problems, doc)
    if problems or shared is None:
        raise InputError(problems)
    return shared.bases


def is_shares_file(path: Path | Document) -> bool:
    """True if ``path`` holds a shares file (bases and defaults, no members or units)."""
    root = (read_yaml(path) if isinstance(path, Path) else path).root
    return isinstance(root, dict) and "units" not in root and "members" not in root and "bases" in root


def read_shares_file(
    path: Path, members: Mapping[str, Member] | None, problems: list[Message], doc: Document | None = None
) -> SharesFile | None:
    """A shared table of bases and rule defaults, kept apart from any one budget.

    With ``members`` None (a shares file checked on its own) every name in a basis counts
    as a member.
    """
    doc = doc or read_yaml(path)
    problems.extend(doc.problems)
    reader = Reader(doc, problems)
    root = reader.mapping(doc.root, (), SHARES_FILE.names, "a shares file") if doc.root is not None else None
    if root is None:
        return None
    if members is not None:
        reader.members = members
    read = read_bases(reader, root.get("bases", {}), set(), None, any_member=members is None)
    defaults = read_defaults(reader, root["defaults"], ("defaults",), Defaults()) if "defaults" in root else Defaults()
    ledger = read_ledger(reader, root["ledger"], ("ledger",)) if "ledger" in root else None
    return SharesFile(path, read.bases, read.declared, defaults, reader, ledger)


def read_members(reader: Reader, value: Any, path: Path_) -> dict[str, Member]:
    """members: a list of names, or of {name, kind}; names unique, also as file names."""
    members: dict[str, Member] = {}
    if not isinstance(value, list) or not value:
        reader.problem(path, f"expected a list of members, found {describe(value)}")
        return members
    if len(value) > MAX_MEMBERS:
        reader.problem(path, f"{len(value):,} members is more than apportion handles ({MAX_MEMBERS}); see docs/config.md")
        return members
    stems: dict[str, str] = {}
    names = NameRegister()
    for index, entry in enumerate(value):
        where = (*path, index)
        member = read_member(reader, entry, where)
        if member is None:
            continue
        name, stem = member.name, file_stem(member.name)
        clash = names.clash(name)
        if name in members:
            reader.problem(where, f"member {name!r} is listed twice; list each member once")
        elif clash is not None:
            earlier, how = clash
            reader.problem(
                where, f"member {name!r} could be taken for member {earlier!r}: {how}; give each member a name of its own"
            )
        elif stem in stems or stem in RESERVED_STEMS:
            writer = f"member {stems[stem]!r}" if stem in stems else "an output of its own"
            reader.problem(where, f"member {name!r} would write {stem}.xlsx, the same file as {writer}; rename it")
        else:
            members[name] = member
            stems[stem] = name
        if name == ALL:
            reader.problem(where, "'all' is reserved for a unit's participants; name the member otherwise")
    return members


def read_member(reader: Reader, entry: Any, where: Path_) -> Member | None:
    """A member's name, or {name, kind}."""
    if not isinstance(entry, dict):
        name = reader.text(entry, where, "a member's name", limit=MAX_NAME)
        return Member(name) if name is not None else None
    spec = reader.mapping(entry, where, MEMBER.names, "a member")
    if spec is None:
        return None
    name = reader.text(entry.get("name"), (*where, "name"), "the member's name", limit=MAX_NAME)
    kind = reader.text(entry.get("kind", "police force"), (*where, "kind"), "the kind of body", limit=MAX_NAME)
    return Member(name, kind) if name is not None and kind is not None else None
