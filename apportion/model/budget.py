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
    ledger: LedgerMapping | None = None  # each member's account codes and cost centres, for its ledger journals
    report: ReportSettings | None = None  # the panel report's cover and how it shows figures

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
    invoiced: "Prepared | None" = None  # with revised_from: the budget as written, which the earlier instalments were invoiced on
