"""The model of a collaboration's budget: what the loader builds and the core reads.

Every record is immutable: a NamedTuple, as beancount's directives are (the budget
itself is a frozen dataclass, to cache what is derived from it). NamedTuples, unlike
dataclasses, cost next to nothing to define, which keeps the command's start-up short.
Money is Decimal pounds in whole pence; percentages and driver values are Decimal
exactly as written in the file; ratios are made from them in the core
(:mod:`apportion.calculate`) as exact fractions.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from apportion.money import ZERO, format_gbp

# The default of a mapping field, shared by every record that gives none: typed Mapping, so
# the type checker refuses any write to it (and, unlike a mappingproxy, it can be pickled).
EMPTY: Mapping[str, Any] = {}


class ChargingModel(StrEnum):
    """How a unit is run and whether a business-support levy is charged."""

    LEAD_FORCE = "lead-force"
    HOST_FORCE = "host-force"
    NONE = "none"


class LevyBase(StrEnum):
    """What the lead-force levy is a percentage of."""

    GROSS_PAY = "gross_pay"  # the unit's pay lines as budgeted
    NET_PAY = "net_pay"  # pay lines less their pro-rata part of grants and income


class InKindTreatment(StrEnum):
    """How officers seconded in kind count against a member's share."""

    OFFSET = "offset"  # credited against the member's share of (cash budget + all in kind)
    ADDITIONAL = "additional"  # reported beside the cash split, which ignores it


class LineKind(StrEnum):
    """Pay lines carry the lead-force levy; non-pay lines do not."""

    PAY = "pay"
    NON_PAY = "non-pay"


class BasisKind(StrEnum):
    """How a basis's values were given."""

    SHARES = "shares"  # percentages summing to 100%
    DRIVERS = "drivers"  # raw driver values (grant, population, calls), normalised
    EQUAL = "equal"  # one equal weight per participant


class Source(NamedTuple):
    """Where a basis's figures come from; travels into every output that uses it."""

    document: str
    data_year: str | None = None
    note: str | None = None

    def describe(self) -> str:
        parts = [self.document]
        if self.data_year:
            parts.append(f"data year {self.data_year}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


class Member(NamedTuple):
    """A body that pays into the collaboration: a police force or another body."""

    name: str
    kind: str = "police force"


class Basis(NamedTuple):
    """Weights by member. Shares are percentages; drivers are raw values; equal is 1 each."""

    name: str
    kind: BasisKind
    weights: Mapping[str, Decimal]
    unit_label: str | None = None
    description: str | None = None
    source: Source | None = None


class BudgetLine(NamedTuple):
    """One line of a unit's spending budget."""

    name: str
    kind: LineKind
    amount: Decimal


class Income(NamedTuple):
    """A grant or other income, netted off the budget before the split."""

    name: str
    amount: Decimal


class OfficersInKind(NamedTuple):
    """Officers a member seconds to a unit instead of cash, and their value."""

    member: str
    value_amount: Decimal
    officers: Decimal | None = None
    cost_each_amount: Decimal | None = None


class Unit(NamedTuple):
    """One collaborative service with its own budget and charging rules."""

    code: str
    name: str
    participants: tuple[str, ...]
    basis: Basis
    lines: tuple[BudgetLine, ...]
    income: tuple[Income, ...] = ()
    fixed_amounts: Mapping[str, Decimal] = EMPTY
    model: ChargingModel = ChargingModel.NONE
    lead: str | None = None  # the lead member (lead-force) or the host (host-force)
    levy_rate: Decimal = Decimal("0")  # a percentage, e.g. Decimal("2") for 2%
    levy_base: LevyBase = LevyBase.GROSS_PAY
    in_kind: tuple[OfficersInKind, ...] = ()
    in_kind_treatment: InKindTreatment = InKindTreatment.ADDITIONAL

    @property
    def pay_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind is LineKind.PAY), Decimal("0.00"))

    @property
    def non_pay_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind is LineKind.NON_PAY), Decimal("0.00"))

    @property
    def gross_amount(self) -> Decimal:
        return self.pay_amount + self.non_pay_amount

    @property
    def income_amount(self) -> Decimal:
        return sum((income.amount for income in self.income), Decimal("0.00"))

    @property
    def net_amount(self) -> Decimal:
        """What the participants must fund in cash: spending less grants and income."""
        return self.gross_amount - self.income_amount

    @property
    def in_kind_amount(self) -> Decimal:
        return sum((oik.value_amount for oik in self.in_kind), Decimal("0.00"))


ALL_UNITS = "all"


class Without(NamedTuple):
    member: str

    def describe(self) -> str:
        return f"{self.member} leaves every unit"


class IncomeChange(NamedTuple):
    unit: str  # a unit code, or "all"
    percent: Decimal | None = None  # -20 for a 20% cut
    amount: Decimal | None = None  # -400000.00 for a cut of £400,000

    def describe(self) -> str:
        by = f"{self.percent:+}%" if self.percent is not None else format_gbp(self.amount or ZERO)
        return f"grants and income of {self.unit} change by {by}"


class LineChange(NamedTuple):
    unit: str
    line: str
    amount: Decimal

    def describe(self) -> str:
        return f"{self.unit}: {self.line} set to {format_gbp(self.amount)}"


class ModelChange(NamedTuple):
    unit: str  # a unit code, or "all"
    model: ChargingModel
    member: str | None = None  # the lead or the host
    business_support: Decimal | None = None  # host-force: the host's added cost (split by spending over several units)
    levy_rate: Decimal | None = None  # lead-force: the rate; default the unit's own, or the collaboration's

    def describe(self) -> str:
        who = f" ({'led' if self.model is ChargingModel.LEAD_FORCE else 'hosted'} by {self.member})" if self.member else ""
        cost = f", adding {format_gbp(self.business_support)} of business support" if self.business_support else ""
        return f"{self.unit} moves to {self.model.value}{who}{cost}"


class SharesChange(NamedTuple):
    basis: str
    weights: dict[str, Decimal]

    def describe(self) -> str:
        return f"basis {self.basis} gets new values"


Change = Without | IncomeChange | LineChange | ModelChange | SharesChange


class Scenario(NamedTuple):
    name: str
    changes: tuple[Change, ...]
    description: str = ""

    def describe(self) -> str:
        return self.description or "; ".join(change.describe() for change in self.changes)


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
    currency: str = "GBP"
    input_files: tuple[InputFile, ...] = ()
    scenario: str | None = None  # None: the budget as written
    scenarios: tuple[Scenario, ...] = ()  # named variants the file defines
    default_levy_rate: Decimal = Decimal("2")  # the collaboration's, for a unit moved to lead-force
    year_end: YearEnd | None = None
    membership: tuple[MembershipChange, ...] = ()
    plan: Plan | None = None

    @cached_property
    def member_names(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.members)
