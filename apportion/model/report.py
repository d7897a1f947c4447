"""The panel report's inputs: what the budget file's ``report:`` section says (its cover,
whom it is for, whether it is final, how its figures are shown), and last year's figures
a comparison with last year reads. The figures it shows are worked out by
:mod:`apportion.rules.report`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from apportion.model.budget import InputFile
    from apportion.model.results import MemberShare


class Figures(StrEnum):
    """How the body's figures are shown: in pounds, or in thousands of pounds."""

    POUNDS = "pounds"
    THOUSANDS = "thousands"

    @property
    def step(self) -> Decimal:
        return Decimal(1000) if self is Figures.THOUSANDS else Decimal(1)


class Status(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class ReportSettings(NamedTuple):
    """The budget file's ``report:`` section: the paper's cover and how it shows figures."""

    title: str | None = None
    to: str | None = None  # the panel or committee it goes to
    meeting: date | None = None
    author: str | None = None
    contact: str | None = None
    status: Status = Status.DRAFT
    version: str | None = None
    agreement: str | None = None  # the clause of the agreement that sets the shares
    recommendation: str | None = None
    figures: Figures = Figures.POUNDS
    population: str | None = None  # a basis of drivers counting people, for £ per head


class YearFigures(NamedTuple):
    """A year's contributions as a comparison reads them: last year's, from its budget file
    or from the contributions.csv of its output folder."""

    collaboration: str
    year: str
    members: tuple[str, ...]
    units: Mapping[str, str]  # code -> name
    shares: Mapping[tuple[str, str], MemberShare]  # (member, unit code) -> its figures
    inputs: tuple[InputFile, ...]  # the files they were read from

    def total_of(self, member: str) -> Decimal:
        """Cash and in kind, all units."""
        return sum((s.total_amount for (m, _), s in self.shares.items() if m == member), Decimal("0.00"))
