"""What every output carries so that an auditor can trace it: the version that made it,
the SHA-256 of each input file, the collaboration, year and scenario, and the source of
each basis used. Worked out once a run and carried to every output that records it.

Input files are named relative to the budget file's folder (the budget file by its name),
so the same inputs give the same bytes whichever folder the command is run from.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from apportion.model import VERSION, Apportionment, InputFile

VERSION_KEY = "apportion_version"
INPUT_KEY = "input"
BASE_SCENARIO = "base (the budget as written)"


class Provenance(NamedTuple):
    """Key-value facts about a run, in a fixed order."""

    version: str
    collaboration: str
    year: str
    scenario: str
    inputs: tuple[tuple[str, str], ...]  # (path relative to the budget file, SHA-256)
    sources: tuple[tuple[str, str], ...]  # (basis name, where its figures come from)
    shares_given: str | None = None  # a shares file given in place of the budget's own, relative too
    revisions: str = ""  # which of the year's revisions the figures include, where the file has any

    def items(self) -> list[tuple[str, str]]:
        """The facts as (key, value) pairs: the Provenance sheet and the document properties."""
        rows = [
            (VERSION_KEY, self.version),
            ("collaboration", self.collaboration),
            ("year", self.year),
            ("scenario", self.scenario),
        ]
        rows += [("revisions", self.revisions)] if self.revisions else []
        rows += [(INPUT_KEY, f"{path} sha256:{digest}") for path, digest in self.inputs]
        rows += [("source", f"{name}: {text}") for name, text in self.sources]
        return rows


def provenance_of(result: Apportionment, also: Sequence[InputFile] = ()) -> Provenance:
    """The run's provenance; ``also``: input files beyond the budget's (a monitoring report's actuals)."""
    budget = result.budget
    sources: dict[str, str] = {}
    for unit_result in result.units:
        basis = unit_result.unit.basis
        if basis.source is not None:
            sources.setdefault(basis.name, basis.source.describe())
    base = Path(budget.input_files[0].path).parent if budget.input_files else Path()
    return Provenance(
        version=VERSION,
        collaboration=budget.collaboration,
        year=budget.year,
        scenario=budget.scenario or BASE_SCENARIO,
        inputs=tuple((relative(f.path, base), f.sha256) for f in (*budget.input_files, *also)),
        sources=tuple(sources.items()),
        shares_given=relative(budget.shares_given, base) if budget.shares_given else None,
        revisions=budget.revisions_text() if budget.revisions else "",
    )


def relative(path: str, base: Path) -> str:
    """A path as seen from the budget file's folder, with '/' between its parts."""
    return Path(os.path.relpath(Path(path).absolute(), base.absolute())).as_posix()


def recorded_input(value: str) -> InputFile:
    """'path sha256:hex' (as written by Provenance.items) -> InputFile."""
    path, _, digest = value.rpartition(" sha256:")
    return InputFile(path, digest)
