"""The reader every section of a budget file is read with: values out of one YAML
document, each problem recorded with its file, line and place, for all to be reported at
once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.input.values import Checked, check_money, check_number, check_percent, describe, did_you_mean, unprintable
from apportion.input.yaml_file import Document, Path_, format_path
from apportion.model import DEFAULT_LEVY_RATE, Basis, InKindTreatment, InputFile, LevyBase, Member, Message, Place
from apportion.model.invoicing import year_start
from apportion.model.messages import counted
from apportion.model.monitoring import Monitoring

if TYPE_CHECKING:
    from apportion.input.spreadsheets import Cell, TableRead

CELL_PROBLEMS = 10  # problems told of any one spreadsheet


class Defaults(NamedTuple):
    """Collaboration-wide rules that a unit may override."""

    levy_rate: Decimal = DEFAULT_LEVY_RATE
    levy_base: LevyBase = LevyBase.GROSS_PAY
    in_kind_treatment: InKindTreatment = InKindTreatment.ADDITIONAL
    levy_includes_support: bool = False


@dataclass
class Reader:
    """Reads values out of one YAML document, recording problems with their places.

    What one section has read and the next needs (the members, the bases, the defaults)
    is kept here too, so that each section's reader takes the reader and its own value.
    """

    doc: Document
    problems: list[Message]
    members: Mapping[str, Member] = field(default_factory=dict)
    bases: Mapping[str, Basis] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # bases declared, but with problems of their own
    defaults: Defaults = field(default_factory=Defaults)
    unit_labels: dict[int, str] = field(default_factory=dict)
    inputs: list[InputFile] = field(default_factory=list)  # spreadsheets read, for provenance
    bases_unknown: bool = False  # the shares file could not be read, so a basis name may be valid
    untold: dict[str, int] = field(default_factory=dict)  # problems in each spreadsheet beyond those told
    monitoring: Monitoring | None = None  # the actuals, read with the year's other sections
    year: str = ""  # the financial year, such as 2013/14, for the dates read in it
    tables: dict[tuple[str, str | None, tuple[str, ...]], TableRead | None] = field(default_factory=dict)  # each read once
    by_unit: dict[tuple[int, str], dict[str, list[dict[str, Cell]]]] = field(default_factory=dict)  # a sheet's rows by unit

    def place(self, path: Path_) -> Place:
        """Where ``path`` is written: this file, its line, and the place as a person reads it."""
        return Place(self.doc.file, self.doc.line(path), self.where(path))

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(Message(message, self.place(path)))

    def where(self, path: Path_) -> str:
        """The place as a person reads it: units are named by their code where they have one."""
        if len(path) >= 2 and path[0] == "units" and isinstance(path[1], int) and path[1] in self.unit_labels:
            rest = format_path(path[2:])
            joiner = "" if not rest or rest.startswith("[") else "."
            return f"units[{self.unit_labels[path[1]]}]{joiner}{rest}"
        return format_path(path)

    def relabel(self, problem: Message) -> Message:
        """A problem found while reading the YAML, its unit named by code as the others are."""
        place = problem.place
        match = re.match(r"units\[(\d+)\]", place.where)
        if place.file != self.doc.file or not match or int(match.group(1)) not in self.unit_labels:
            return problem
        rest = place.where[match.end() :]
        return problem._replace(place=place.at(f"units[{self.unit_labels[int(match.group(1))]}]{rest}"))

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

    def named(self, value: Any, path: Path_, what: str) -> dict[str, Any] | None:
        """A mapping whose keys are names the file chooses (lines, members, bases): any key will do."""
        if not isinstance(value, dict):
            self.problem(path, f"expected {what} (a mapping of keys to values), found {describe(value)}")
            return None
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

    def text(self, value: Any, path: Path_, what: str, *, limit: int | None = None) -> str | None:
        """Text, stripped; a number is read as the text it was written as (007 stays 007).
        ``limit``: at most so many characters (a name that becomes a file or sheet name)."""
        if isinstance(value, Decimal):
            value = getattr(value, "text", str(value))
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected {what} (text), found {describe(value)}")
            return None
        if limit is not None and len(value.strip()) > limit:
            self.problem(path, f"{what} is {len(value.strip())} characters long; give at most {limit}")
            return None
        if unprintable(value) is not None:  # told where the file is read: nothing more to say of it here
            return None
        return value.strip()

    def optional_text(self, spec: Mapping[str, Any], key: str, path: Path_, what: str) -> str | None:
        """``spec[key]`` as text where it is given, else None."""
        return self.text(spec[key], (*path, key), what) if key in spec else None

    def choice(self, value: Any, path: Path_, options: Iterable[str]) -> str | None:
        allowed = tuple(str(option) for option in options)
        if value in allowed:
            return str(value)
        self.problem(path, f"{value!r} is not one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}")
        return None

    def boolean(self, value: Any, path: Path_) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problem(path, f"{describe(value)} is not yes or no; write true or false")
        return None

    def day(self, value: Any, path: Path_) -> date | None:
        """A date, written as 2018-10-01."""
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(path, f"{describe(value)} is not a date; write it as 2018-10-01")
            return None

    def in_year(self, day: date, path: Path_, fix: str = "give a date in it") -> bool:
        """Whether ``day`` is in the financial year; a problem where it is not."""
        start = year_start(self.year)
        end = date(start.year + 1, 3, 31)
        if start <= day <= end:
            return True
        where = "before" if day < start else "after"
        self.problem(path, f"{long_date(day)} is {where} the financial year {long_date(start)} to {long_date(end)}; {fix}")
        return False

    def money(self, value: Any, path: Path_) -> Decimal | None:
        return self.checked(check_money(value), path)

    def number(self, value: Any, path: Path_, what: str) -> Decimal | None:
        return self.checked(check_number(value, what), path)

    def percent(self, value: Any, path: Path_, *, unit: str | None = None) -> Decimal | None:
        return self.checked(check_percent(value, unit), path)

    def checked(self, outcome: Checked, path: Path_) -> Decimal | None:
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

    def unknown_member(self, name: str) -> str:
        names = list(self.members)
        return f"{name!r} is not a member{did_you_mean(name, names)}; members are: {', '.join(names)}"

    def cell_problem(self, problem: Message) -> None:
        """A problem in a spreadsheet's cell: the first few of a file are told, the rest counted."""
        file = problem.place.file
        told = sum(1 for p in self.problems if p.place.file == file) if file not in self.untold else CELL_PROBLEMS
        if told < CELL_PROBLEMS:
            self.problems.append(problem)
            return
        self.untold[file] = self.untold.get(file, 0) + 1

    def untold_problems(self) -> list[Message]:
        """'... and 199,990 more problems like these' for each spreadsheet with more than were told."""
        return [
            Message(f"... and {counted(count, 'more problem')} like these in this file", Place(file, 0, ""))
            for file, count in self.untold.items()
        ]

    def count(self) -> int:
        """How many problems have been found so far: a reader compares it before and after."""
        return len(self.problems)


def long_date(day: date) -> str:
    """'1 October 2018'."""
    return f"{day.day} {day:%B %Y}"
