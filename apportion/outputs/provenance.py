"""What every output carries so that an auditor can trace it: the version that made it,
the SHA-256 of each input file, the collaboration, year and scenario, and the source of
each basis used. Worked out once a run and carried to every output that records it. Pure:
the hashes were taken when the files were read.
"""

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
    inputs: tuple[InputFile, ...]
    sources: tuple[tuple[str, str], ...]  # (basis name, where its figures come from)

    def items(self) -> list[tuple[str, str]]:
        """The facts as (key, value) pairs: the Provenance sheet and the CSV's header lines."""
        rows = [
            (VERSION_KEY, self.version),
            ("collaboration", self.collaboration),
            ("year", self.year),
            ("scenario", self.scenario),
        ]
        rows += [(INPUT_KEY, f"{f.path} sha256:{f.sha256}") for f in self.inputs]
        rows += [("source", f"{name}: {text}") for name, text in self.sources]
        return rows


def provenance_of(result: Apportionment) -> Provenance:
    budget = result.budget
    sources: dict[str, str] = {}
    for unit_result in result.units:
        basis = unit_result.unit.basis
        if basis.source is not None:
            sources.setdefault(basis.name, basis.source.describe())
    return Provenance(
        version=VERSION,
        collaboration=budget.collaboration,
        year=budget.year,
        scenario=budget.scenario or BASE_SCENARIO,
        inputs=budget.input_files,
        sources=tuple(sources.items()),
    )


def parse_input(value: str) -> InputFile:
    """'path sha256:hex' (as written by Provenance.items) -> InputFile."""
    path, _, digest = value.rpartition(" sha256:")
    return InputFile(path, digest)
