"""The calculation: a validated :class:`~apportion.model.Budget` in, per-member lines out.

Pure: no I/O, no rounding but through :mod:`apportion.money`. For each unit:

1. **Shares.** Each participant's share is its basis weight over the sum of the
   participants' weights (re-normalisation): ``share_m = w_m / sum(w_p for p in unit)``.
   With fixed amounts, members with a fixed amount have ``share = fixed_m / net`` and the
   others share what is left: ``share_m = (1 - F/net) * w_m / W``.
2. **Share of cost.** The cost to split is the net budget (spending less grants and
   income); under in-kind ``offset`` it is the net budget plus all in-kind value. Fixed
   amounts come off first; the rest is split by largest remainder over the weights.
3. **Levy** (lead-force only). The levy pot is ``rate x pay base x (1 - share_lead)``,
   rounded once to the penny, split among the other participants by their shares; the
   lead receives the whole pot, so levies paid equal levies received.
4. **In kind.** Under ``offset`` each member's in-kind value is credited against its share
   of total cost; under ``additional`` it is reported beside the cash and changes nothing.
5. **Cash payable** = share of cost + levy payable - levy receivable - in-kind credit.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from apportion.model import Budget, ChargingModel, InKindTreatment, LevyBase, Unit
from apportion.money import ZERO, Allocation, allocate_with_workings, format_gbp, round_penny, to_fraction
from apportion.periods import apply_membership
from apportion.plans import plan_budgets


class Item(StrEnum):
    """The kinds of line in a member's contribution to a unit."""

    SHARE_OF_NET_COST = "share_of_net_cost"
    SHARE_OF_TOTAL_COST = "share_of_total_cost"  # under in-kind offset: cash + in kind
    LEVY_PAYABLE = "levy_payable"
    LEVY_RECEIVABLE = "levy_receivable"
    IN_KIND_CREDIT = "in_kind_credit"  # offset: the in-kind value, credited
    IN_KIND_ADDITIONAL = "in_kind_additional"  # additional: reported, no cash effect


class Contribution(NamedTuple):
    """One tidy line: what a member owes (or is credited) for one item of one unit.

    ``amount`` is cash (negative for a credit); ``in_kind_amount`` is the value given in
    kind that the line accounts for. A member's cash payable is the sum of ``amount``; its
    total contribution is the sum of ``amount + in_kind_amount``.
    """

    unit: str
    member: str
    item: Item
    basis: str
    share: Fraction
    amount: Decimal
    in_kind_amount: Decimal = ZERO


class MemberShare(NamedTuple):
    """A member's figures for one unit."""

    member: str
    weight: Decimal | None  # the basis weight (None for a fixed amount)
    share: Fraction  # re-normalised share of the unit's cost
    cost_amount: Decimal  # share of net cost, or of total cost under offset
    levy_amount: Decimal  # + payable, - receivable (the lead)
    in_kind_amount: Decimal  # value given in kind
    in_kind_credit_amount: Decimal  # - in-kind value under offset, else zero
    is_fixed: bool = False
    cost_workings: Allocation | None = None  # how the share of cost was rounded
    levy_workings: Allocation | None = None  # how the levy payable was rounded

    @property
    def cash_amount(self) -> Decimal:
        return self.cost_amount + self.levy_amount + self.in_kind_credit_amount

    @property
    def total_amount(self) -> Decimal:
        """Cash plus in kind: the member's whole contribution to the unit."""
        return self.cash_amount + self.in_kind_amount


@dataclass(frozen=True)
class UnitResult:
    """A unit's totals and each participant's figures."""

    unit: Unit
    weight_total: Decimal
    cost_to_split_amount: Decimal
    levy_base_amount: Fraction  # exact; the pot is rounded once
    levy_pot_exact: Fraction  # rate x base x (1 - lead's share), before rounding
    levy_total_amount: Decimal
    shares: tuple[MemberShare, ...]

    def share_of(self, member: str) -> MemberShare | None:
        return self.share_by_member.get(member)

    @cached_property
    def share_by_member(self) -> dict[str, MemberShare]:
        return {share.member: share for share in self.shares}

    def lines(self) -> Iterator[Contribution]:
        unit = self.unit
        offset = unit.in_kind_treatment is InKindTreatment.OFFSET
        for share in self.shares:
            basis = "fixed amount" if share.is_fixed else unit.basis.name
            item = Item.SHARE_OF_TOTAL_COST if offset else Item.SHARE_OF_NET_COST
            yield Contribution(unit.code, share.member, item, basis, share.share, share.cost_amount)
            levy = f"levy {unit.levy_rate}% of {unit.levy_base.value}"
            if share.levy_amount > 0:
                yield Contribution(unit.code, share.member, Item.LEVY_PAYABLE, levy, share.share, share.levy_amount)
            elif share.levy_amount < 0:
                yield Contribution(unit.code, share.member, Item.LEVY_RECEIVABLE, levy, share.share, share.levy_amount)
            if share.in_kind_amount:
                item = Item.IN_KIND_CREDIT if offset else Item.IN_KIND_ADDITIONAL
                yield Contribution(
                    unit.code, share.member, item, "in kind", share.share, share.in_kind_credit_amount, share.in_kind_amount
                )


class Notice(NamedTuple):
    """Something a person must see that does not stop the run, about a unit (and a member)."""

    unit: str
    member: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.unit}: {self.message}"


class MemberTotal(NamedTuple):
    """A member's totals across every unit it takes part in."""

    member: str
    cash_amount: Decimal
    in_kind_amount: Decimal

    @property
    def total_amount(self) -> Decimal:
        return self.cash_amount + self.in_kind_amount


@dataclass(frozen=True)
class Apportionment:
    """The whole result: each unit's split, the tidy lines, and warnings for people."""

    budget: Budget
    units: tuple[UnitResult, ...]
    warnings: tuple[Notice, ...]
    plan_years: tuple["Apportionment", ...] = ()  # the later years of a medium-term plan

    def lines(self) -> list[Contribution]:
        return [line for unit in self.units for line in unit.lines()]

    def member_totals(self) -> list[MemberTotal]:
        return list(self.totals_by_member.values())

    def member_total(self, member: str) -> MemberTotal:
        return self.totals_by_member[member]

    @cached_property
    def totals_by_member(self) -> dict[str, MemberTotal]:
        totals = {}
        for member in self.budget.member_names:
            shares = [s for unit in self.units if (s := unit.share_of(member)) is not None]
            cash = sum((s.cash_amount for s in shares), ZERO)
            in_kind = sum((s.in_kind_amount for s in shares), ZERO)
            totals[member] = MemberTotal(member, cash, in_kind)
        return totals


def apportion(budget: Budget) -> Apportionment:
    """Split every unit of ``budget`` among its participants.

    The budget must have passed the loader's validation (participants have weights, a
    lead is a participant, fixed amounts fit the net budget). A unit whose membership
    changes part-way through the year is split into its periods first (:mod:`apportion.periods`;
    raises PeriodError for a change that cannot be made). Returns each unit's split,
    whose parts add up exactly to the unit's cost, and warnings (a member whose in-kind
    value exceeds its share, a unit whose income exceeds its spending).
    """
    units = apply_membership(budget.units, budget.membership, budget.year) if budget.membership else budget.units
    results = [apportion_unit(unit) for unit in units]
    warnings = [warning for result in results for warning in unit_warnings(result)]
    later = tuple(apportion(year) for year in plan_budgets(budget, budget.plan)) if budget.plan else ()
    return Apportionment(budget, tuple(results), tuple(warnings), later)


def participant_weights(unit: Unit) -> dict[str, Decimal]:
    """The basis weights of the participants who do not pay a fixed amount."""
    return {m: unit.basis.weights[m] for m in unit.participants if m not in unit.fixed_amounts}


def unit_shares(unit: Unit) -> dict[str, Fraction]:
    """Each participant's exact share of the unit's net cost, re-normalised (step 1)."""
    weights = participant_weights(unit)
    weight_total = to_fraction(sum(weights.values(), Decimal(0)))
    fixed_total = to_fraction(sum(unit.fixed_amounts.values(), Decimal(0)))
    net = to_fraction(unit.net_amount)
    remainder_share = 1 - fixed_total / net if unit.fixed_amounts and net else Fraction(1)
    per_weight = remainder_share / weight_total  # a share is weight x this: one Fraction made per member
    shares = {m: weight_times(w, per_weight) for m, w in weights.items()}
    for member, fixed in unit.fixed_amounts.items():
        shares[member] = to_fraction(fixed) / net if net else Fraction(0)
    return {m: shares[m] for m in unit.participants}


def weight_times(weight: Decimal, factor: Fraction) -> Fraction:
    """weight x factor, exactly, reduced once."""
    numerator, denominator = weight.as_integer_ratio()
    return Fraction(numerator * factor.numerator, denominator * factor.denominator)


def split_cost(amount: Decimal, unit: Unit) -> tuple[dict[str, Decimal], dict[str, Allocation]]:
    """Fixed amounts first, the rest by largest remainder over the weights (step 2).

    Returns each participant's part and the workings of the parts that were split.
    """
    weights = participant_weights(unit)
    rest = amount - sum(unit.fixed_amounts.values(), ZERO)
    workings = allocate_with_workings(rest, weights) if weights else {}
    parts = {m: working.amount for m, working in workings.items()} | dict(unit.fixed_amounts)
    return {m: parts[m] for m in unit.participants}, workings


def levy_base(unit: Unit) -> Fraction:
    """The pay the levy is a percentage of: gross pay, or pay net of its part of income."""
    pay = to_fraction(unit.pay_amount)
    if unit.levy_base is LevyBase.NET_PAY:
        return pay * to_fraction(unit.net_amount) / to_fraction(unit.gross_amount)
    return pay


class LevySplit(NamedTuple):
    """The levy of a lead-force unit: its base, the pot before and after rounding, its parts."""

    base_amount: Fraction
    pot_exact: Fraction
    pot_amount: Decimal
    levies: dict[str, Decimal]  # + payable, - receivable (the lead)
    workings: dict[str, Allocation]


def split_levy(unit: Unit, shares: Mapping[str, Fraction]) -> LevySplit:
    """Levy payable by each non-lead participant and receivable by the lead (step 3)."""
    levies = dict.fromkeys(unit.participants, ZERO)
    if unit.model is not ChargingModel.LEAD_FORCE or unit.lead is None:
        return LevySplit(Fraction(0), Fraction(0), ZERO, levies, {})
    base = levy_base(unit)
    payers = {m: share for m, share in shares.items() if m != unit.lead}
    pot_exact = to_fraction(unit.levy_rate) / 100 * base * sum(payers.values(), Fraction(0))
    pot = round_penny(pot_exact)
    workings = allocate_with_workings(pot, payers) if pot and any(payers.values()) else {}
    if workings:
        levies.update({m: working.amount for m, working in workings.items()})
        levies[unit.lead] = -pot
    return LevySplit(base, pot_exact, pot if workings else ZERO, levies, workings)


def apportion_unit(unit: Unit) -> UnitResult:
    """One unit's split: shares, share of cost, levy, in kind (steps 1 to 5)."""
    shares = unit_shares(unit)
    in_kind = dict.fromkeys(unit.participants, ZERO)
    for oik in unit.in_kind:
        in_kind[oik.member] += oik.value_amount
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    cost = unit.net_amount + (unit.in_kind_amount if offset else ZERO)
    cost_parts, cost_workings = split_cost(cost, unit)
    levy = split_levy(unit, shares)
    weights = participant_weights(unit)
    member_shares = tuple(
        MemberShare(
            member=m,
            weight=weights.get(m),
            share=shares[m],
            cost_amount=cost_parts[m],
            levy_amount=levy.levies[m],
            in_kind_amount=in_kind[m],
            in_kind_credit_amount=-in_kind[m] if offset else ZERO,
            is_fixed=m in unit.fixed_amounts,
            cost_workings=cost_workings.get(m),
            levy_workings=levy.workings.get(m),
        )
        for m in unit.participants
    )
    return UnitResult(
        unit=unit,
        weight_total=sum(weights.values(), Decimal(0)),
        cost_to_split_amount=cost,
        levy_base_amount=levy.base_amount,
        levy_pot_exact=levy.pot_exact,
        levy_total_amount=levy.pot_amount,
        shares=member_shares,
    )


def unit_warnings(result: UnitResult) -> Iterator[Notice]:
    """Things a finance officer must see that are not errors."""
    unit = result.unit
    if unit.net_amount < 0:
        yield Notice(
            unit.code,
            None,
            f"income ({format_gbp(unit.income_amount)}) exceeds spending ({format_gbp(unit.gross_amount)}); "
            f"the surplus of {format_gbp(-unit.net_amount)} is returned to the participants in their shares",
        )
    for share in result.shares:
        if share.cash_amount < 0 and share.in_kind_amount > 0:
            yield Notice(
                unit.code,
                share.member,
                f"{share.member}'s in-kind value ({format_gbp(share.in_kind_amount)}) exceeds its share of the "
                f"unit's total cost ({format_gbp(share.cost_amount)}); it is owed a credit of {format_gbp(-share.cash_amount)}",
            )
