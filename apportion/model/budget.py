"""A collaboration's budget for one year, whole: its members, bases and units (the
pieces are in :mod:`apportion.model.records`), the changes in membership during the year,
the medium-term plan, the year end, and the files it was read from."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from apportion.model.accounts import Accounts
from apportion.model.changes import Change, IncomeChange, Scenario
from apportion.model.invoicing import Invoicing
from apportion.model.ledger import LedgerMapping
from apportion.model.monitoring import Monitoring
from apportion.model.records import DEFAULT_LEVY_RATE, EMPTY, Basis, Member, PeriodRounding, SupportMethod, Unit
from apportion.model.report import ReportSettings


class MembershipChange(NamedTuple):
    """A member joins or leaves units part-way through the year; its share is pro-rated."""

    member: str
    on: date  # the first day in (joins) or the first day out (leaves)
    joins: bool
    units: tuple[str, ...]  # the unit codes it applies to
    by_months: bool = False  # pro-rate by whole months, not days

    def describe(self) -> str:
        return f"{self.member} {'joins' if self.joins else 'leaves'} on {self.on.day} {self.on:%B %Y}"


class Revision(NamedTuple):
    """A change to the year's budget recorded in the file, in force from its date.

    Its changes are those a scenario takes, each to a figure for the whole year; from the
    date the unit runs at the changed figures, so the year takes them for the days (or whole
    months) left: a grant cut of £200,000 a year from 1 October 2018 takes 182/365 of it,
    £99,726.03, by days, or 6/12, £100,000.00, by months."""

    on: date  # the first day it is in force
    changes: tuple[Change, ...]
    description: str = ""
    by_months: bool = False  # pro-rate by whole months, not days
    number: int = 1  # its place among the file's revisions, in date order
    what_if: bool = False  # asked on the command line (``--revised-from``), not recorded in the file

    def describe(self) -> str:
        what = self.description or "; ".join(change.describe() for change in self.changes)
        name = "what-if revision" if self.what_if else f"revision {self.number}"
        return f"{name}, from {self.on.day} {self.on:%B %Y}: {what}"


class Plan(NamedTuple):
    """A medium-term plan: the years after the budget's own, and how each differs from it."""

    years: tuple[str, ...]
    pay_inflation: Mapping[str, Decimal] = EMPTY  # year -> percent, compounding
    non_pay_inflation: Mapping[str, Decimal] = EMPTY
    savings_amount: Decimal = Decimal("0.00")  # a target, phased over the years
    savings_phasing: Mapping[str, Decimal] = EMPTY  # year -> percent of the target
    grants: Mapping[str, Mapping[str, IncomeChange]] = EMPTY  # unit -> year -> change on the budget year
    bases: Mapping[str, Mapping[str, Basis]] = EMPTY  # year -> replacement bases


class Settlement(StrEnum):
    """What happens to a unit's under- or over-spend at year end."""

    RETURN = "return"  # returned to (or charged to) the participants in their shares
    RESERVES = "reserves"  # transferred to (or from) the collaboration's reserves


class Leaver(StrEnum):
    """What a member that leaves the collaboration in the year does with its part of the reserves."""

    LEAVES_IT = "leaves it behind"  # its part of the opening reserves passes to the members who stay
    TAKES_IT = "takes its share"  # its part of the opening reserves is paid to it, out of the reserves


class ExitTerms(NamedTuple):
    """What a member that leaves the collaboration settles on its way out (``exit:``), worked
    by :mod:`apportion.rules.exits`: its part of the exit costs, of the assets and
    liabilities at its leaving date and, where it takes it, of the reserves; paid on the
    dates given, which may run past the year end."""

    member: str
    leaves: date  # its first day out
    notice_given: date | None = None
    costs_amount: Decimal | None = None  # exit costs it pays, an agreed amount
    named_costs: Mapping[str, Decimal] = EMPTY  # or these costs, of which it pays costs_share
    costs_share: Decimal | None = None  # percent of the named costs; None: its share
    reserves: Leaver | None = None  # None: as the year end says (``year_end: leaver:``)
    assets: Mapping[str, Decimal] = EMPTY  # name -> value at its leaving date
    liabilities: Mapping[str, Decimal] = EMPTY
    shares: str | None = None  # the basis or unit code its part is in (default: as the year end's reserves)
    payments: tuple[date, ...] = ()  # the days the settlement is paid on, in equal parts (none: the day it leaves)


class YearEnd(NamedTuple):
    """Out-turn, reserves, capital financing, match funding and stand-alone costs."""

    outturn: Mapping[str, Decimal] = EMPTY  # unit code -> net out-turn
    settlement: Settlement = Settlement.RETURN
    reserves_opening: Decimal | None = None
    reserve_transfers: Mapping[str, Decimal] = EMPTY  # name -> + in / - out
    capital_programme: Decimal | None = None
    capital_financing: Mapping[str, Decimal] = EMPTY  # reserves, collaboration fund, members
    match_funding: tuple[tuple[str, str], ...] = ()  # (unit code, income line to be matched)
    stand_alone: Mapping[str, Mapping[str, Decimal]] = EMPTY  # unit -> member -> cost
    shares: str | None = None  # the basis, or a unit's code, the reserves and capital are held in
    leaver: Leaver = Leaver.LEAVES_IT
    accounts: Accounts | None = None  # the collaboration's balance sheet, for each member's accounts note


class InputFile(NamedTuple):
    """A file the budget was read from, and the SHA-256 of its bytes, for provenance."""

    path: str
    sha256: str


class StatementDetails(NamedTuple):
    """What a member's statement needs to travel alone, from the budget file's ``statement:``:
    when it was issued, whether it is a draft or final, its version, and whom to ask and how
    to pay. Never the clock: a rerun gives the same statement."""

    issued: date | None = None
    status: str | None = None  # "draft" or "final"
    version: str | None = None
    contact: str | None = None
    payment: str | None = None


@dataclass(frozen=True)
class Budget:
    """A collaboration's budget for one financial year: members, bases and units."""

    collaboration: str
    year: str
    members: tuple[Member, ...]
    bases: Mapping[str, Basis]
    units: tuple[Unit, ...]
    input_files: tuple[InputFile, ...] = ()
    scenario: str | None = None  # the variant run, in words; None: the budget as written
    scenarios: tuple[Scenario, ...] = ()  # named variants the file defines
    default_levy_rate: Decimal = DEFAULT_LEVY_RATE  # the collaboration's, for a unit moved to lead-force
    year_end: YearEnd | None = None
    membership: tuple[MembershipChange, ...] = ()
    plan: Plan | None = None
    scenario_name: str | None = None  # the scenario of the file it was run with
    what_ifs: tuple[Change, ...] = ()  # the what-ifs it was run with, after the scenario
    what_ifs_from: str | None = None  # the plan year the what-ifs take effect from (None: this year)
    shares_given: str | None = None  # the shares file given in place of the budget's own
    in_kind_confidential: bool = False  # members' workbooks show others' officers in kind as values only
    support_method: SupportMethod = SupportMethod.STEP_DOWN
    period_rounding: PeriodRounding = PeriodRounding.EACH_PERIOD  # a unit split into periods: rounded by period or once
    invoicing: Invoicing | None = None  # how the members are invoiced in instalments
    revised_from: date | None = None  # the variant's date: instalments due before it stay as first invoiced
    monitoring: Monitoring | None = None  # actual spending and forecasts by unit and period
    revisions: tuple[Revision, ...] = ()  # the year's revisions, in date order
    revised_to: date | None = None  # only the revisions in force by this day count (monitoring at a period's end)
    exits: tuple[ExitTerms, ...] = ()  # the terms on which members leaving the collaboration settle
    ledger: LedgerMapping | None = None  # each member's account codes and cost centres, for its ledger journals
    statement: StatementDetails | None = None  # the statement's issue date, status, version, contact and payment
    report: ReportSettings | None = None  # the panel report's cover and how it shows figures

    @property
    def revisions_in_force(self) -> tuple[Revision, ...]:
        """The revisions this run includes."""
        return tuple(r for r in self.revisions if self.revised_to is None or r.on <= self.revised_to)

    def revisions_text(self) -> str:
        """Which revisions the figures include, in words, for every output to say."""
        included = self.revisions_in_force
        if not included:
            left = len(self.revisions)
            return f"no revisions (the file's {left} take effect later)" if left else "no revisions"
        text = "includes " + "; ".join(r.describe() for r in included)
        later = len(self.revisions) - len(included)
        return text + (f" ({later} later not included)" if later else "")

    @cached_property
    def member_names(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.members)


class Prepared(NamedTuple):
    """A budget made ready to calculate, by :func:`apportion.rules.prepare.prepare`: its
    scenario and what-ifs applied (``budget``), each unit whose membership changes in the
    year split into its periods (``units``), and each later year of its plan prepared too."""

    budget: Budget
    units: tuple[Unit, ...]
    later_years: tuple["Prepared", ...] = ()
    stages: tuple[tuple[date, "Prepared"], ...] = ()  # with revisions: each date, and the budget as invoiced before it
