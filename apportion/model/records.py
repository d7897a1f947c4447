"""The model of a collaboration's budget: what the readers build and the rules read.

Every record is immutable: a NamedTuple, as beancount's directives are (the budget
itself is a frozen dataclass, to cache what is derived from it). NamedTuples, unlike
dataclasses, cost next to nothing to define, which keeps the command's start-up short.
Money is Decimal pounds in whole pence; percentages and driver values are Decimal
exactly as written in the file; ratios are made from them in the core
(:mod:`apportion.rules.split`) as exact fractions.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, NamedTuple

from apportion.model.messages import Place

# The default of a mapping field, shared by every record that gives none: typed Mapping, so
# the type checker refuses any write to it (and, unlike a mappingproxy, it can be pickled).
EMPTY: Mapping[str, Any] = {}


DEFAULT_LEVY_RATE = Decimal("2")  # percent: the lead-force levy where the file names none


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
    COMPOSITE = "composite"  # other bases blended by percentages, each re-normalised first


class UnitRole(StrEnum):
    """What becomes of a unit's net cost."""

    SERVICE = "service"  # split among its participants
    SUPPORT = "support"  # charged to the units it serves, and through them to their participants
    RETURNED_INCOME = "returned income"  # an income line returned to the members by a split of its own


class PeriodRounding(StrEnum):
    """How a unit split into periods by membership changes is rounded."""

    EACH_PERIOD = "each period"  # each period's split is rounded on its own; a member's year is their sum
    ONCE_FOR_THE_YEAR = "once for the year"  # a member's exact parts of the periods, added up, rounded once


class SupportMethod(StrEnum):
    """How support units that serve each other are charged out."""

    STEP_DOWN = "step-down"  # in order of stage; a unit charged out is not charged back to
    RECIPROCAL = "reciprocal"  # simultaneous equations, solved exactly


class SupportDriver(StrEnum):
    """What a support unit's cost is shared among the units it serves by."""

    PAY = "pay"  # each served unit's own pay lines
    GROSS_COST = "gross_cost"  # each served unit's own spending, pay and non-pay
    HEADCOUNT = "headcount"  # each served unit's headcount:
    EQUAL = "equal"
    SHARES = "shares"  # percentages by unit, summing to 100%
    DRIVERS = "drivers"  # raw values by unit, normalised


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
    parts: tuple[tuple["Basis", Decimal], ...] = ()  # a composite's bases and their percentages
    period: str | None = None  # the period the figures are from ("January to December 2015")


class BudgetLine(NamedTuple):
    """One line of a unit's spending budget: an amount for the whole year, or, where the
    line starts or stops in it, at that rate a year for the days it runs."""

    name: str
    kind: LineKind
    amount: Decimal
    starts: date | None = None  # the first day it runs (``from:``), where not the year's first
    stops: date | None = None  # the last day it runs (``until:``), where not the year's last
    annual_amount: Decimal | None = None  # a part of the year: the amount for the whole year it is a part of


class Period(NamedTuple):
    """A part of the year a unit is split into (by membership, a revision, a line that
    starts or stops): its first and last days and its exact part of the year."""

    first: date
    last: date
    part: Fraction  # of the year: days / days in the year, or months / 12
    measure: str  # "183/365 days", "6/12 months"

    def describe(self) -> str:
        """'183/365 days (1 April 2018 to 30 September 2018)'."""
        return f"{self.measure} ({self.first.day} {self.first:%B %Y} to {self.last.day} {self.last:%B %Y})"


class Income(NamedTuple):
    """A grant or other income: netted off the budget before the split, or, where it names
    a basis or a member of its own, returned to the members by that split."""

    name: str
    amount: Decimal
    basis: Basis | None = None  # returned by this basis, re-normalised over the unit's participants
    member: str | None = None  # returned to this member alone
    annual_amount: Decimal | None = None  # a part of the year: the amount for the whole year

    @property
    def is_returned(self) -> bool:
        return self.basis is not None or self.member is not None


class Support(NamedTuple):
    """How a support unit's net cost is shared among the units it serves."""

    driver: SupportDriver
    serves: tuple[str, ...]  # unit codes, in the order of the file
    weights: Mapping[str, Decimal] = EMPTY  # unit code -> share or driver value (shares, drivers)
    stage: int | None = None  # the order of charging out under step-down (default: as listed)
    basis_name: str | None = None  # the named unit basis the weights come from

    def describe(self) -> str:
        """'by pay', 'by gross cost', 'by ict_users' (a named unit basis)."""
        if self.basis_name:
            return f"by {self.basis_name}"
        return {
            SupportDriver.EQUAL: "in equal parts",
            SupportDriver.SHARES: "by agreed percentages",
            SupportDriver.DRIVERS: "by driver values",
        }.get(self.driver, f"by {self.driver.value.replace('_', ' ')}")


class Activity(NamedTuple):
    """A charge of a rate per unit of activity; what the rates do not recover (or recover
    over the cost) is shared by ``balance``, so the unit still recovers its net cost."""

    measure: str  # what is counted: "actioned calls", "flying hours"
    rate_amount: Decimal  # pounds per unit of activity
    quantities: Mapping[str, Decimal]  # member -> quantity
    balance: Basis  # how the over- or under-recovery is shared
    period: str | None = None  # the period the quantities are from


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
    place: Place | None = None  # where the unit is written, for messages about it
    role: UnitRole = UnitRole.SERVICE
    support: Support | None = None  # a support unit's charging out
    headcount: Decimal | None = None  # for support charged by headcount
    activity: Activity | None = None  # a rate x quantity unit
    levy_includes_support: bool = False  # the levy base adds the pay of support charged in
    origin: str | None = None  # the code of the unit as written, for a part of it (a period, returned income)
    starts: date | None = None  # the first day its budget runs (``from:``), where not the year's first
    stops: date | None = None  # the last day its budget runs (``until:``), where not the year's last
    period: Period | None = None  # a part of the year: which, and how long

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
