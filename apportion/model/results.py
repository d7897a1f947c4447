"""What the rules work out, once, for every writer to read.

:class:`MemberShare` is the one record of a member's figures for a unit: its share, its
share of cost with the workings of its rounding, its levy (exact and rounded), its
officers in kind and its cash. The CSV's tidy lines (:meth:`MemberShare.items`), the
workbooks' unit lines, the journal and the workings all read it; none works a figure out
again. :class:`UnitResult` carries the unit's totals, added up once;
:class:`Apportionment` carries the whole run, with each member's totals and the year end.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from apportion.model.accounts import AccountsNote
from apportion.model.budget import Budget, Settlement
from apportion.model.invoicing import Instalment
from apportion.model.messages import Message
from apportion.model.money import ZERO, Allocation
from apportion.model.postings import Posting
from apportion.model.records import EMPTY, InKindTreatment, SupportMethod, Unit, UnitRole


class Item(StrEnum):
    """The kinds of line in a member's contribution to a unit."""

    SHARE_OF_NET_COST = "share_of_net_cost"
    SHARE_OF_TOTAL_COST = "share_of_total_cost"  # under in-kind offset: cash + in kind
    LEVY_PAYABLE = "levy_payable"
    LEVY_RECEIVABLE = "levy_receivable"
    IN_KIND_CREDIT = "in_kind_credit"  # offset: the in-kind value, credited
    IN_KIND_ADDITIONAL = "in_kind_additional"  # additional: reported, no cash effect
    SUPPORT_CHARGE = "support_charge"  # a support unit's cost, charged through the units it serves
    INCOME_RETURNED = "income_returned"  # income returned by a split of its own
    ACTIVITY_CHARGE = "activity_charge"  # rate x quantity
    RECOVERY_BALANCE = "recovery_balance"  # the cost the rates did not recover (+), or recovered over it (-)


class ItemLine(NamedTuple):
    """One tidy line of a member's contribution to a unit: cash ``amount`` (negative for a
    credit) and the value given in kind that the line accounts for."""

    item: Item
    basis: str
    share: Fraction
    amount: Decimal
    in_kind_amount: Decimal = ZERO


class MemberShare(NamedTuple):
    """A member's figures for one unit: the one record every output reads."""

    unit: str  # the unit's code
    member: str
    weight: Decimal | Fraction | None  # the basis weight (None for a fixed amount)
    share: Fraction  # re-normalised share of the unit's cost
    cost_amount: Decimal  # share of net cost, or of total cost under offset
    levy_amount: Decimal  # + payable, - receivable (the lead)
    in_kind_amount: Decimal  # value given in kind
    in_kind_credit_amount: Decimal  # - in-kind value under offset, else zero
    is_fixed: bool = False
    cost_workings: Allocation | None = None  # how the share of cost was rounded
    levy_workings: Allocation | None = None  # how the levy payable was rounded
    levy_exact: Fraction = Fraction(0)  # the levy before rounding: rate x base x share (the lead: - the pot's exact)
    basis: str = ""  # the basis the cost is shared by, or "fixed amount"
    levy_basis: str = ""  # "levy 2% of gross_pay", where a levy is charged
    in_kind_treatment: InKindTreatment = InKindTreatment.ADDITIONAL
    role: UnitRole = UnitRole.SERVICE
    activity_amount: Decimal | None = None  # rate x quantity, rounded to the penny (an activity unit)
    quantity: Decimal | None = None  # the member's activity
    activity_basis: str = ""  # "£312.50 per actioned call"
    balance_share: Fraction = Fraction(0)  # its share of what the rates did not recover
    levy_share: Fraction = Fraction(0)  # the part of rate x base its levy is (the lead's: the payers' shares)

    @property
    def cash_amount(self) -> Decimal:
        return self.cost_amount + self.levy_amount + self.in_kind_credit_amount

    @property
    def total_amount(self) -> Decimal:
        """Cash plus in kind: the member's whole contribution to the unit."""
        return self.cash_amount + self.in_kind_amount

    @property
    def service_cost_amount(self) -> Decimal:
        """The share of cost of a unit with members (not a support charge, not income returned)."""
        return self.cost_amount if self.role is UnitRole.SERVICE else ZERO

    @property
    def support_amount(self) -> Decimal:
        """A support unit's charge, through the units it serves."""
        return self.cost_amount if self.role is UnitRole.SUPPORT else ZERO

    @property
    def returned_amount(self) -> Decimal:
        """Income returned to the member (negative)."""
        return self.cost_amount if self.role is UnitRole.RETURNED_INCOME else ZERO

    def items(self) -> Iterator[ItemLine]:
        """The tidy lines: share of cost, levy payable or receivable, in kind. Their amounts
        add up to the cash payable; with their in-kind amounts, to the total contribution."""
        offset = self.in_kind_treatment is InKindTreatment.OFFSET
        if self.role is UnitRole.SUPPORT:
            yield ItemLine(Item.SUPPORT_CHARGE, self.basis, self.share, self.cost_amount)
        elif self.role is UnitRole.RETURNED_INCOME:
            yield ItemLine(Item.INCOME_RETURNED, self.basis, self.share, self.cost_amount)
        elif self.activity_amount is not None:
            yield ItemLine(Item.ACTIVITY_CHARGE, self.activity_basis, self.share, self.activity_amount)
            yield ItemLine(Item.RECOVERY_BALANCE, self.basis, self.balance_share, self.cost_amount - self.activity_amount)
        else:
            item = Item.SHARE_OF_TOTAL_COST if offset else Item.SHARE_OF_NET_COST
            yield ItemLine(item, self.basis, self.share, self.cost_amount)
        if self.levy_amount > 0:
            yield ItemLine(Item.LEVY_PAYABLE, self.levy_basis, self.levy_share, self.levy_amount)
        elif self.levy_amount < 0:  # the lead: worked on the payers' shares, 1 - its own
            yield ItemLine(Item.LEVY_RECEIVABLE, self.levy_basis, self.levy_share, self.levy_amount)
        if self.in_kind_amount:
            item = Item.IN_KIND_CREDIT if offset else Item.IN_KIND_ADDITIONAL
            yield ItemLine(item, "in kind", self.share, self.in_kind_credit_amount, self.in_kind_amount)


class SupportFlows(NamedTuple):
    """How support units' costs are charged out, exactly (no figure here is rounded).

    ``fractions[s][u]`` is the part of support unit s's total cost charged to unit u;
    ``totals[s]`` is s's total cost, its own net cost and what other support units charge
    it; ``charges[s][u]`` is ``fractions[s][u] x totals[s]``; ``ends[s][o]`` is the part
    of s's *own* net cost that ends, through every stage, at the unit with members o.
    """

    method: SupportMethod
    order: tuple[str, ...]  # the support units, in the order they are charged out
    own: Mapping[str, Decimal]  # s -> its own net cost
    fractions: Mapping[str, Mapping[str, Fraction]]
    totals: Mapping[str, Fraction]
    charges: Mapping[str, Mapping[str, Fraction]]
    ends: Mapping[str, Mapping[str, Fraction]]
    dropped: Mapping[str, tuple[str, ...]] = EMPTY  # step-down: the units s names that were charged out before it
    values: Mapping[str, Mapping[str, Fraction]] = EMPTY  # s -> u -> the driver's value for u (fractions are these, normalised)


class UnitResult(NamedTuple):
    """A unit's totals, added up once, and each participant's figures."""

    unit: Unit
    weights: Mapping[str, Decimal | Fraction]  # the basis weights of those who do not pay a fixed amount
    weight_total: Decimal | Fraction
    pay_amount: Decimal
    non_pay_amount: Decimal
    income_amount: Decimal
    in_kind_total_amount: Decimal  # all participants' officers in kind
    fixed_total_amount: Decimal  # all fixed amounts
    cost_to_split_amount: Decimal  # the net budget, plus in kind under offset
    levy_base_amount: Fraction  # exact; the pot is rounded once
    levy_pot_exact: Fraction  # rate x base x (1 - lead's share), before rounding
    levy_total_amount: Decimal
    shares: tuple[MemberShare, ...]
    by_member: Mapping[str, MemberShare]  # the same shares, by member
    support_pay_amount: Fraction = Fraction(0)  # support pay charged in, added to the levy base
    recovered_amount: Decimal | None = None  # an activity unit: what its rates recover
    flows: SupportFlows | None = None  # a support unit: how every support unit is charged out
    periods: tuple["UnitResult", ...] = ()  # rounded once for the year: its periods, whose exact parts it adds up

    @property
    def gross_amount(self) -> Decimal:
        return self.pay_amount + self.non_pay_amount

    @property
    def net_amount(self) -> Decimal:
        """What the participants must fund in cash: spending less grants and income."""
        return self.pay_amount + self.non_pay_amount - self.income_amount

    def share_of(self, member: str) -> MemberShare | None:
        return self.by_member.get(member)


class MemberTotal(NamedTuple):
    """A member's totals across every unit it takes part in."""

    member: str
    cash_amount: Decimal
    in_kind_amount: Decimal

    @property
    def total_amount(self) -> Decimal:
        return self.cash_amount + self.in_kind_amount


# --- the year end -------------------------------------------------------------------------

RESERVES_KEY = "reserves"


class UnitSettlement(NamedTuple):
    unit: str
    budget_amount: Decimal
    outturn_amount: Decimal
    settlement: Settlement
    parts: tuple[tuple[str, Decimal], ...]  # member -> cash (negative: returned to it)

    @property
    def variance_amount(self) -> Decimal:
        """Positive for an under-spend."""
        return self.budget_amount - self.outturn_amount

    @property
    def to_reserves(self) -> str:
        """The movement in the reserves, in words: an under-spend goes to them, an over-spend comes from them."""
        if self.variance_amount >= 0:
            return f"Under-spend of {self.unit} to reserves"
        return f"Over-spend of {self.unit} from reserves"


class MatchCheck(NamedTuple):
    unit: str
    income: str
    grant_amount: Decimal
    cash_amount: Decimal
    in_kind_amount: Decimal

    @property
    def matched_amount(self) -> Decimal:
        return self.cash_amount + self.in_kind_amount

    @property
    def shortfall_amount(self) -> Decimal:
        return max(ZERO, self.grant_amount - self.matched_amount)


class Saving(NamedTuple):
    unit: str
    member: str
    stand_alone_amount: Decimal
    contribution_amount: Decimal

    @property
    def saving_amount(self) -> Decimal:
        return self.stand_alone_amount - self.contribution_amount


class ReserveColumn(NamedTuple):
    """One figure of the reserves or the capital financing (the opening balance, a movement,
    a source of finance) and each member's part of it, adding up to it exactly."""

    name: str
    amount: Decimal  # + into the reserves, - out of them
    parts: tuple[tuple[str, Decimal], ...]  # member -> its part
    basis: str  # whose shares the parts are in
    shares: Mapping[str, Fraction] = EMPTY  # member -> the exact share its part is rounded from

    def part_of(self, member: str) -> Decimal:
        return dict(self.parts).get(member, ZERO)


class YearEndResult(NamedTuple):
    settlements: tuple[UnitSettlement, ...]
    reserves_opening: Decimal | None
    reserve_transfers: tuple[tuple[str, Decimal], ...]
    capital_programme: Decimal | None
    capital_financing: tuple[tuple[str, Decimal], ...]
    matches: tuple[MatchCheck, ...]
    savings: tuple[Saving, ...]
    reserves: tuple[ReserveColumn, ...] = ()  # the opening balance, then each movement, by member
    capital: tuple[ReserveColumn, ...] = ()  # each source of the capital financing, by member
    leaver_payments: tuple[tuple[str, Decimal], ...] = ()  # a leaver paid its part of the reserves (negative)

    def member_reserves(self, member: str) -> Decimal:
        """The member's part of the closing reserves: its opening part and its part of each movement."""
        return sum((column.part_of(member) for column in self.reserves), ZERO)

    @property
    def capital_from_reserves(self) -> Decimal:
        return dict(self.capital_financing).get(RESERVES_KEY, ZERO)

    @property
    def reserves_closing(self) -> Decimal | None:
        if self.reserves_opening is None:
            return None
        to_reserves = sum((s.variance_amount for s in self.settlements if s.settlement is Settlement.RESERVES), ZERO)
        transfers = sum((amount for _, amount in (*self.reserve_transfers, *self.leaver_payments)), ZERO)
        return self.reserves_opening + transfers + to_reserves - self.capital_from_reserves

    def member_settlement(self, member: str) -> Decimal:
        return sum((amount for s in self.settlements for m, amount in s.parts if m == member), ZERO)


# --- a member's exit --------------------------------------------------------------------


class SettlementLine(NamedTuple):
    """One part of an exit settlement: what it is, how it is worked in words, what the
    leaver pays (+) or is paid (-), and the parts of it the members who stay receive (-)
    or pay (+); a part paid out of the reserves has none."""

    item: str
    working: str
    amount: Decimal
    others: tuple[tuple[str, Decimal], ...] = ()
    from_reserves: bool = False


class ExitSettlement(NamedTuple):
    """What a member leaving the collaboration settles, line by line, and when it is paid."""

    member: str
    leaves: date
    notice_given: date | None
    share: Fraction  # its share of the collaboration, in ``basis``
    basis: str
    lines: tuple[SettlementLine, ...]
    instalments: tuple[Instalment, ...]  # the leaver's and the others' parts, by due date

    @property
    def amount(self) -> Decimal:
        """+ payable by the leaver, - payable to it."""
        return sum((line.amount for line in self.lines), ZERO)

    def part_of(self, member: str) -> Decimal:
        """What the member pays (+) or receives (-) in the settlement."""
        if member == self.member:
            return self.amount
        return sum((amount for line in self.lines for m, amount in line.others if m == member), ZERO)


# --- the whole run ------------------------------------------------------------------------


@dataclass(frozen=True)
class Apportionment:
    """The whole result: each unit's split, each member's totals, the later years of a
    plan, the year end, the accounts note, the year's postings, and warnings for people."""

    budget: Budget
    units: tuple[UnitResult, ...]
    warnings: tuple[Message, ...]
    member_totals: tuple[MemberTotal, ...]
    plan_years: tuple["Apportionment", ...] = ()  # the later years of a medium-term plan
    year_end: YearEndResult | None = None
    instalments: tuple[Instalment, ...] = ()  # how each member's net cash payable is invoiced
    accounts: AccountsNote | None = None  # each member's part of the collaboration's books (year_end: accounts:)
    # every movement of the year, for the journal and each member's ledger (None: not worked out, see year_postings)
    postings: tuple[Posting, ...] | None = None
    exits: tuple[ExitSettlement, ...] = ()  # each leaving member's exit settlement

    @property
    def year_postings(self) -> tuple[Posting, ...]:
        """The year's postings; a result made without them (``apportion(..., with_postings=False)``)
        has none to give, rather than an empty journal."""
        if self.postings is None:
            raise ValueError("the year's postings were not worked out: apportion(budget, with_postings=True) works them out")
        return self.postings

    def exit_part(self, member: str) -> Decimal:
        """What the member pays (+) or receives (-) in every exit settlement."""
        return sum((settled.part_of(member) for settled in self.exits), ZERO)

    def member_total(self, member: str) -> MemberTotal:
        return self.totals_by_member[member]

    @cached_property
    def totals_by_member(self) -> dict[str, MemberTotal]:
        return {total.member: total for total in self.member_totals}

    @property
    def support_flows(self) -> SupportFlows | None:
        """How the support units are charged out, where there are any."""
        return next((unit.flows for unit in self.units if unit.flows is not None), None)

    def shares(self) -> Iterator[tuple[UnitResult, MemberShare]]:
        """Every member's figures for every unit, unit by unit."""
        for unit in self.units:
            for share in unit.shares:
                yield unit, share
