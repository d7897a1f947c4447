"""The figures a panel report shows, worked out once (by :mod:`apportion.rules.report`)
and carried to the writer, which works none out again.

Every figure of the body is carried twice, as a :class:`Shown`: ``exact`` (to the penny,
as the run has it) and ``shown`` (rounded to the pound, or to £1,000, by largest
remainder, so that each column adds up to the total printed under it:
:func:`apportion.model.money.round_column`). A total of a row is the sum of its rounded
parts, so a row adds up as a column does.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import InputFile, Unit, YearEndResult
from apportion.model.money import round_column
from apportion.model.monitoring import MonitoringReport, UnitPosition
from apportion.model.records import EMPTY
from apportion.model.report import ReportSettings
from apportion.model.results import UnitSettlement
from apportion.rules.explain_text import Step


class Shown(NamedTuple):
    """A figure to the penny, and as the body shows it (rounded to the report's step)."""

    exact: Decimal
    shown: Decimal

    def minus(self, other: Shown) -> Shown:
        return Shown(self.exact - other.exact, self.shown - other.shown)


def shown_column(amounts: Mapping[str, Decimal], step: Decimal, total: Decimal | None = None) -> dict[str, Shown]:
    """Each figure with its shown value: the column rounded so that it adds up (``total``: the shown total it must reach)."""
    rounded = round_column(amounts, step, total)
    return {key: Shown(amount, rounded[key]) for key, amount in amounts.items()}


def shown_one(amount: Decimal, step: Decimal) -> Shown:
    """One figure, rounded half up to the step (a figure with no total under it)."""
    return shown_column({"": amount}, step)[""]


def total_of(figures: Mapping[str, Shown] | tuple[Shown, ...]) -> Shown:
    """The column's total: its exact figures and its shown figures, each added up."""
    values = figures.values() if isinstance(figures, Mapping) else figures
    return Shown(sum((f.exact for f in values), Decimal("0.00")), sum((f.shown for f in values), Decimal(0)))


class MemberRow(NamedTuple):
    member: str
    kind: str
    share: Fraction | None  # of the collaboration's total contribution (None: it left)
    cash: Shown
    in_kind: Shown
    total: Shown  # shown: cash shown + in kind shown, so a row adds up as a column does
    last_year: Shown | None = None  # None: not a member last year, or no last year given
    change: Shown | None = None  # shown: total shown - last year shown
    change_percent: Decimal | None = None  # of last year's, to one decimal place
    population: Decimal | None = None
    per_head: Decimal | None = None  # pounds and pence
    status: str = ""  # "joined" or "left", against last year


class Cause(NamedTuple):
    """One step of the bridge from last year's total to this year's."""

    cause: str  # share of cost, support charges, income returned, levy, in kind, membership changes
    amount: Shown


class Reason(NamedTuple):
    """What moved a member's contribution most: the unit and rule of its largest change."""

    member: str
    change: Decimal
    unit: str  # the unit's code ("" for a joiner or leaver)
    unit_name: str
    rule: str
    new_unit: bool  # the unit is new this year


class Bridge(NamedTuple):
    last_year: str
    this_year: str
    start: Shown
    causes: tuple[Cause, ...]
    end: Shown
    joiners: tuple[tuple[str, Shown], ...]
    leavers: tuple[tuple[str, Shown], ...]
    reasons: tuple[Reason, ...]  # each member's, in the order of the members table


class UnitFigures(NamedTuple):
    spending: Shown  # pay and non-pay
    income: Shown  # grants and income
    net: Shown  # what the members fund in cash: spending - income
    in_kind: Shown  # officers in kind


class UnitRow(NamedTuple):
    unit: Unit  # as written (after the scenario and what-ifs), its lines, basis and model
    figures: UnitFigures
    recovered: Shown | None = None  # an activity unit: what its rates recover
    balance: Shown | None = None  # and what they leave to be shared (negative: recovered over the cost)


class FundingRow(NamedTuple):
    source: str
    kind: str  # "members", "in kind", "income"
    amount: Shown
    share: Fraction | None = None  # of the total funding


POSITION = ("budget", "to_date", "actual", "variance_to_date", "forecast", "variance")  # a monitoring row's columns


class Monitoring(NamedTuple):
    """The monitoring position at the end of a period, with the columns shown (:data:`POSITION`)."""

    report: MonitoringReport
    units: tuple[tuple[UnitPosition, Mapping[str, Shown], str], ...]  # position, its columns, the explanation given
    totals: Mapping[str, Shown]
    members: tuple[tuple[str, Shown], ...]  # each member's share of the forecast variance
    member_total: Shown


class Settled(NamedTuple):
    """A unit's out-turn against its budget, and how its variance is settled."""

    settlement: UnitSettlement
    budget: Shown
    outturn: Shown
    variance: Shown  # budget - out-turn: positive, an under-spend


class YearEnd(NamedTuple):
    outcome: YearEndResult
    settled: tuple[Settled, ...]
    reserves: tuple[tuple[str, Shown], ...]  # the opening balance, then each movement
    closing: Shown | None  # the closing reserves: the sum of the above
    capital: tuple[tuple[str, Shown], ...]  # each source of finance
    programme: Shown | None  # the capital programme: the sum of its sources
    members: tuple[tuple[str, Shown, Shown], ...]  # member, its part of the closing reserves, the variance returned to it
    member_totals: tuple[Shown, Shown]


class ScenarioColumn(NamedTuple):
    """One of the file's scenarios against the budget as written: each member's change in net cash payable."""

    name: str
    description: str
    changes: Mapping[str, Shown]
    total: Shown


class Exposure(NamedTuple):
    member: str
    budget: Shown
    lowest: Shown
    median: Shown
    highest: Shown
    lowest_at: str
    highest_at: str


class Sensitivity(NamedTuple):
    varied: tuple[str, ...]  # each factor, in words
    outcomes: int
    drawn: bool
    exposures: tuple[Exposure, ...]
    widest: str  # the member whose net cash payable varies most, highest less lowest


class Workings(NamedTuple):
    """A member's figures worked step by step, to the penny (the appendix), as ``explain`` words them."""

    member: str
    units: tuple[tuple[str, str, tuple[Step, ...]], ...]  # code, name, steps
    year_end: tuple[Step, ...]
    cash: Decimal
    in_kind: Decimal


class PanelReport(NamedTuple):
    """Everything the panel report shows, worked out once."""

    settings: ReportSettings
    collaboration: str
    year: str
    scenario: str | None
    members: tuple[MemberRow, ...]
    totals: MemberRow
    units: tuple[UnitRow, ...]
    unit_totals: UnitFigures
    funding: tuple[FundingRow, ...]
    funding_total: Shown
    pays_for: tuple[tuple[str, Shown], ...]  # what the funding pays for: spending, and officers in kind
    biggest: str  # the member paying most
    smallest: str
    population_basis: str | None = None
    population_source: str | None = None
    bridge: Bridge | None = None
    monitoring: Monitoring | None = None
    year_end: YearEnd | None = None
    scenarios: tuple[ScenarioColumn, ...] = ()
    sensitivity: Sensitivity | None = None
    unit_workings: tuple[tuple[str, str, tuple[Step, ...]], ...] = ()  # each unit's lines to its net budget
    workings: tuple[Workings, ...] = ()
    inputs: tuple[InputFile, ...] = ()  # beyond the budget's own: last year's files, the actuals
    asked: Mapping[str, object] = EMPTY  # what was asked of the report, as datapackage.json records it
