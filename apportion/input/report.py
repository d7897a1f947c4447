"""Where ``report:`` becomes the model: the panel report's cover (title, the panel it goes
to, the meeting, author, status, version, the agreement's clause on shares), how its
figures are shown, and the basis that counts each member's population for £ per head.

Nothing here comes from the clock: a report says the date of the meeting it is written
for, as the file gives it, or no date at all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from apportion.input.description import REPORT
from apportion.input.reader import Reader
from apportion.input.values import describe, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import Basis, BasisKind
from apportion.model.report import Figures, ReportSettings, Status

TEXTS = ("title", "to", "author", "contact", "version", "agreement", "recommendation")


def read_report(reader: Reader, value: Any, path: Path_, bases: Mapping[str, Basis]) -> ReportSettings | None:
    """report: {title, to, meeting, author, contact, status, version, agreement, recommendation, figures, population}."""
    spec = reader.mapping(value, path, REPORT.names, "the panel report's cover and settings")
    if spec is None:
        return None
    texts = {key: reader.optional_text(spec, key, path, f"the report's {key}") for key in TEXTS}
    meeting = None
    if "meeting" in spec:
        try:
            meeting = date.fromisoformat(str(spec["meeting"]))
        except ValueError:
            reader.problem((*path, "meeting"), f"{describe(spec['meeting'])} is not a date; write it as 2013-09-16")
    status = reader.choice(spec["status"], (*path, "status"), Status) if "status" in spec else Status.DRAFT
    figures = reader.choice(spec["figures"], (*path, "figures"), Figures) if "figures" in spec else Figures.POUNDS
    population = reader.optional_text(spec, "population", path, "the basis of each member's population")
    if population is not None and not reader.bases_unknown:
        check_population(reader, population, (*path, "population"), bases)
    return ReportSettings(
        **texts,
        meeting=meeting,
        status=Status(status or Status.DRAFT),
        figures=Figures(figures or Figures.POUNDS),
        population=population,
    )


def check_population(reader: Reader, name: str, path: Path_, bases: Mapping[str, Basis]) -> None:
    """The population basis is one of the file's bases, of driver values (people, not percentages)."""
    basis = bases.get(name)
    if basis is None:
        drivers = [n for n, b in bases.items() if b.kind is BasisKind.DRIVERS]
        known = f"; bases of driver values are: {', '.join(drivers)}" if drivers else "; the file has no basis of driver values"
        reader.problem(path, f"{name!r} is not a basis{did_you_mean(name, list(bases))}{known}")
    elif basis.kind is not BasisKind.DRIVERS:
        reader.problem(
            path, f"{name!r} is a basis of {basis.kind.value}, not of driver values; name a basis that counts people (drivers:)"
        )
    else:
        missing = [m for m in reader.members if m not in basis.weights or not basis.weights[m]]
        if missing:
            reader.problem(path, f"{name!r} gives no population for {', '.join(missing)}; give every member's")
