"""A unit's split: every participant's share, share of cost, levy, in kind and cash.

Pure: no I/O, no rounding but through :mod:`apportion.model.money`. For each unit:

1. **Shares.** Each participant's share is its basis weight over the sum of the
   participants' weights (re-normalisation): ``share_m = w_m / sum(w_p for p in unit)``;
   each kind of basis gives its weights as :mod:`apportion.rules.basis_kinds` declares.
   With fixed amounts, members with a fixed amount have ``share = fixed_m / net`` and the
   others share what is left: ``share_m = (1 - F/net) * w_m / W``.
2. **Share of cost.** The cost to split is the net budget (spending less grants and
   income); under in-kind ``offset`` it is the net budget plus all in-kind value. Fixed
   amounts come off first; the rest is split by largest remainder over the weights.
3. **Levy** (lead-force only): :mod:`apportion.rules.levy`.
4. **In kind.** Under ``offset`` each member's in-kind value is credited against its share
   of total cost; under ``additional`` it is reported beside the cash and changes nothing.
5. **Cash payable** = share of cost + levy payable - levy receivable - in-kind credit.

An **activity** unit charges each participant ``rate x quantity`` (rounded to the penny)
and shares what that leaves of the cost, ``cost - sum of charges``, positive
(under-recovery) or negative (over-recovery), by its balance basis, so it recovers its
cost exactly. A **support** unit's cost is charged through the units it serves
(:mod:`apportion.rules.support`): a member's part is ``own cost x sum over o of ends[o] x
its share of o``, split once by largest remainder; a levy on pay including support adds
``sum over s of ends[s][o] x pay[s]`` to unit o's pay base.

:func:`unit_result` makes the records of a split, whichever way it was worked: a unit's
own (:func:`apportion_unit`) or a unit rounded once for the year
(:mod:`apportion.rules.year_rounding`).
"""

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.budget import Budget
from apportion.model.messages import Message, Place, Severity
from apportion.model.money import ZERO, Allocation, allocate_with_workings, format_gbp, plain, round_penny, to_fraction
from apportion.model.records import InKindTreatment, LineKind, Unit, UnitRole
from apportion.model.results import MemberShare, MemberTotal, SupportFlows, UnitResult
from apportion.rules.basis_kinds import Weight, weights_of
from apportion.rules.levy import LevySplit, is_charged, levy_base, levy_label, split_levy
from apportion.rules.support import SupportError, support_flows, support_pay

FIXED_AMOUNT = "fixed amount"


def apportion_units(units: tuple[Unit, ...], budget: Budget) -> tuple[UnitResult, ...]:
    """Every unit, in the order given: the units with members first, then each support
    unit through them."""
    flows = support_flows(units, budget.support_method)
    done = {
        unit.code: apportion_unit(unit, support_pay(flows, units, unit.code) if unit.levy_includes_support else Fraction(0))
        for unit in units
        if unit.role is not UnitRole.SUPPORT
    }
    if flows is not None:
        for unit in units:
            if unit.role is UnitRole.SUPPORT:
                done[unit.code] = apportion_support_unit(unit, flows, done, budget.member_names)
    return tuple(done[unit.code] for unit in units)


def member_totals(members: tuple[str, ...], results: tuple[UnitResult, ...]) -> tuple[MemberTotal, ...]:
    """Each member's cash and in-kind value across every unit."""
    cash = dict.fromkeys(members, ZERO)
    in_kind = dict.fromkeys(members, ZERO)
    for result in results:
        for share in result.shares:
            cash[share.member] += share.cash_amount
            in_kind[share.member] += share.in_kind_amount
    return tuple(MemberTotal(member, cash[member], in_kind[member]) for member in members)


def participant_weights(unit: Unit) -> dict[str, Weight]:
    """The basis weights of the participants who do not pay a fixed amount (of an activity
    unit, its balance basis's)."""
    basis = unit.activity.balance if unit.activity else unit.basis
    return weights_of(basis, [m for m in unit.participants if m not in unit.fixed_amounts])


def total_of(weights: Mapping[str, Weight]) -> Weight:
    """The weights added up: a Decimal where they are Decimals, else a Fraction."""
    if all(isinstance(w, Decimal) for w in weights.values()):
        return sum(weights.values(), Decimal(0))
    return sum((to_fraction(w) for w in weights.values()), Fraction(0))


def unit_shares(unit: Unit, weights: Mapping[str, Weight], net: Decimal, fixed_total: Decimal) -> dict[str, Fraction]:
    """Each participant's exact share of the unit's net cost, re-normalised (step 1)."""
    weight_total = to_fraction(total_of(weights))
    net_fraction = to_fraction(net)
    remainder_share = 1 - to_fraction(fixed_total) / net_fraction if unit.fixed_amounts and net else Fraction(1)
    # a share is weight x this: one Fraction made per member (none where every participant pays a fixed amount)
    per_weight = remainder_share / weight_total if weights else Fraction(0)
    shares = {m: weight_times(w, per_weight) for m, w in weights.items()}
    for member, fixed in unit.fixed_amounts.items():
        shares[member] = to_fraction(fixed) / net_fraction if net else Fraction(0)
    return {m: shares[m] for m in unit.participants}


def weight_times(weight: Weight, factor: Fraction) -> Fraction:
    """weight x factor, exactly, reduced once."""
    numerator, denominator = weight.as_integer_ratio()
    return Fraction(numerator * factor.numerator, denominator * factor.denominator)


def split_cost(
    amount: Decimal, unit: Unit, weights: Mapping[str, Weight], fixed_total: Decimal
) -> tuple[dict[str, Decimal], dict[str, Allocation]]:
    """Fixed amounts first, the rest by largest remainder over the weights (step 2).

    Returns each participant's part and the workings of the parts that were split.
    """
    workings = allocate_with_workings(amount - fixed_total, weights) if weights else {}
    parts = {m: working.amount for m, working in workings.items()} | dict(unit.fixed_amounts)
    return {m: parts[m] for m in unit.participants}, workings


class UnitTotals(NamedTuple):
    """A unit's amounts, added up once: what its split is worked on and its record shows."""

    pay_amount: Decimal
    non_pay_amount: Decimal
    income_amount: Decimal
    in_kind_total_amount: Decimal
    fixed_total_amount: Decimal
    cost_to_split_amount: Decimal  # the net budget, plus in kind under offset
    in_kind: dict[str, Decimal]  # each participant's in-kind value

    @property
    def net_amount(self) -> Decimal:
        return self.pay_amount + self.non_pay_amount - self.income_amount


def unit_totals(unit: Unit) -> UnitTotals:
    """The unit's pay, non-pay, income, in kind and fixed amounts, and the cost it splits."""
    pay = sum((line.amount for line in unit.lines if line.kind is LineKind.PAY), Decimal("0.00"))
    non_pay = sum((line.amount for line in unit.lines if line.kind is LineKind.NON_PAY), Decimal("0.00"))
    income = sum((line.amount for line in unit.income), Decimal("0.00"))
    in_kind_total = sum((oik.value_amount for oik in unit.in_kind), Decimal("0.00"))
    in_kind = dict.fromkeys(unit.participants, ZERO)
    for oik in unit.in_kind:
        in_kind[oik.member] += oik.value_amount
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    cost = pay + non_pay - income + (in_kind_total if offset else ZERO)
    return UnitTotals(pay, non_pay, income, in_kind_total, sum(unit.fixed_amounts.values(), ZERO), cost, in_kind)


def apportion_unit(unit: Unit, support_pay_amount: Fraction = Fraction(0)) -> UnitResult:
    """One unit's split: shares, share of cost, levy, in kind (steps 1 to 5). A levy on pay
    including support adds ``support_pay_amount`` to the pay base."""
    totals = unit_totals(unit)
    weights = participant_weights(unit)
    cost, fixed_total = totals.cost_to_split_amount, totals.fixed_total_amount
    if unit.activity is not None:
        split = activity_split(unit, cost, weights)
    else:
        cost_parts, cost_workings = split_cost(cost, unit, weights, fixed_total)
        split = Split(unit_shares(unit, weights, totals.net_amount, fixed_total), cost_parts, cost_workings)
    gross = totals.pay_amount + totals.non_pay_amount
    charged = is_charged(unit)
    base = levy_base(totals.pay_amount, totals.net_amount, gross, unit.levy_base) + support_pay_amount if charged else Fraction(0)
    return unit_result(unit, totals, weights, split, split_levy(unit, split.shares, base), support_pay_amount)


def unit_result(  # noqa: PLR0917 - the unit and each part of its split
    unit: Unit, totals: UnitTotals, weights: Mapping[str, Weight], split: "Split", levy: LevySplit,
    support_pay_amount: Fraction = Fraction(0), *, basis_note: str = "", periods: tuple[UnitResult, ...] = (),
) -> UnitResult:  # fmt: skip
    """The records of a unit's split: each participant's :class:`MemberShare` and the
    unit's totals. ``basis_note`` follows the basis's name where a share is not fixed."""
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    activity = unit.activity
    basis_name = (activity.balance if activity else unit.basis).name + basis_note
    levy_text = levy_label(unit) + (" and support pay charged in" if unit.levy_includes_support else "")
    weight_total = total_of(weights)
    member_shares = tuple(
        MemberShare(
            unit=unit.code,
            member=m,
            weight=weights.get(m),
            share=split.shares[m],
            cost_amount=split.parts[m],
            levy_amount=levy.levies[m],
            in_kind_amount=totals.in_kind[m],
            in_kind_credit_amount=-totals.in_kind[m] if offset else ZERO,
            is_fixed=m in unit.fixed_amounts,
            cost_workings=split.workings.get(m),
            levy_workings=levy.workings.get(m),
            levy_exact=levy.exact[m],
            levy_share=levy.shares[m],
            basis=FIXED_AMOUNT if m in unit.fixed_amounts else basis_name,
            levy_basis=levy_text,
            in_kind_treatment=unit.in_kind_treatment,
            role=unit.role,
            activity_amount=split.charges[m] if activity else None,
            quantity=activity.quantities[m] if activity else None,
            activity_basis=f"{plain(activity.quantities[m], grouped=True)} {activity.measure} x £{activity.rate_amount:,.2f}"
            if activity
            else "",
            balance_share=to_fraction(weights[m]) / to_fraction(weight_total) if activity else Fraction(0),
        )
        for m in unit.participants
    )
    return UnitResult(
        unit=unit,
        weights=weights,
        weight_total=weight_total,
        pay_amount=totals.pay_amount,
        non_pay_amount=totals.non_pay_amount,
        income_amount=totals.income_amount,
        in_kind_total_amount=totals.in_kind_total_amount,
        fixed_total_amount=totals.fixed_total_amount,
        cost_to_split_amount=totals.cost_to_split_amount,
        levy_base_amount=levy.base_amount,
        levy_pot_exact=levy.pot_exact,
        levy_total_amount=levy.pot_amount,
        shares=member_shares,
        by_member={share.member: share for share in member_shares},
        support_pay_amount=support_pay_amount if is_charged(unit) else Fraction(0),
        recovered_amount=sum(split.charges.values(), ZERO) if activity else None,
        periods=periods,
    )


class Split(NamedTuple):
    """A unit's cost split: each participant's exact share, its part and the workings of
    the part split by largest remainder (and an activity unit's rate x quantity charges)."""

    shares: dict[str, Fraction]
    parts: dict[str, Decimal]
    workings: dict[str, Allocation]
    charges: dict[str, Decimal] = {}  # noqa: RUF012 - never written to


def activity_split(unit: Unit, cost: Decimal, weights: Mapping[str, Weight]) -> Split:
    """Rate x quantity for each participant, rounded to the penny; the rest of the cost (or
    what the rates recover over it, negative) shared by the balance basis, by largest remainder."""
    activity = unit.activity
    assert activity is not None  # noqa: S101 - only for an activity unit
    rate = to_fraction(activity.rate_amount)
    charges = {m: round_penny(to_fraction(activity.quantities[m]) * rate) for m in unit.participants}
    balance = cost - sum(charges.values(), ZERO)
    workings = allocate_with_workings(balance, weights)
    parts = {m: charges[m] + workings[m].amount for m in unit.participants}
    total = to_fraction(total_of(weights))
    cost_fraction = to_fraction(cost)
    shares = {
        m: (to_fraction(charges[m]) + to_fraction(balance) * to_fraction(weights[m]) / total) / cost_fraction
        if cost
        else to_fraction(weights[m]) / total
        for m in unit.participants
    }
    return Split(shares, parts, workings, charges)


def absorbing_shares(result: UnitResult) -> dict[str, Fraction]:
    """How a unit's members bear support charged to it: by its basis (an activity unit's
    balance basis), over those who do not pay a fixed amount; the shares add up to 1."""
    total = to_fraction(result.weight_total)
    if not result.weights or total == 0:
        raise SupportError(
            f"{result.unit.code}: every participant pays a fixed amount, so no one bears the support charged to it"
        )
    return {m: to_fraction(w) / total for m, w in result.weights.items()}


def apportion_support_unit(
    unit: Unit, flows: SupportFlows, done: Mapping[str, UnitResult], members: tuple[str, ...]
) -> UnitResult:
    """A support unit's own net cost, split among the members of the units it comes to rest
    in: member m's weight is ``100 x sum over o of ends[o] x m's share of o``, percentage
    points adding up to 100; the cost is split once, by largest remainder."""
    # units whose members bear their costs alike (the same weights) are added up first, so
    # a support unit serving hundreds of units shared by one basis costs one pass over its members
    alike: dict[tuple[tuple[str, Weight], ...], tuple[str, Fraction]] = {}
    for code, part in flows.ends[unit.code].items():
        key = tuple(done[code].weights.items())
        first, so_far = alike.get(key, (code, Fraction(0)))
        alike[key] = (first, so_far + part)
    weights: dict[str, Fraction] = {}
    for code, part in alike.values():
        for member, share in absorbing_shares(done[code]).items():
            weights[member] = weights.get(member, Fraction(0)) + 100 * part * share
    participants = tuple(m for m in members if weights.get(m))
    weights = {m: weights[m] for m in participants}
    net = unit.net_amount
    workings = allocate_with_workings(net, weights)
    served = unit.support.describe() if unit.support else ""
    basis = f"support {served} via the units it serves ({flows.method.value})"
    member_shares = tuple(
        MemberShare(
            unit=unit.code,
            member=m,
            weight=weights[m],
            share=weights[m] / 100,
            cost_amount=workings[m].amount,
            levy_amount=ZERO,
            in_kind_amount=ZERO,
            in_kind_credit_amount=ZERO,
            cost_workings=workings[m],
            basis=basis,
            role=UnitRole.SUPPORT,
        )  # fmt: skip
        for m in participants
    )
    return UnitResult(
        unit=unit._replace(participants=participants),
        weights=weights,
        weight_total=Fraction(100),
        pay_amount=unit.pay_amount,
        non_pay_amount=unit.non_pay_amount,
        income_amount=unit.income_amount,
        in_kind_total_amount=ZERO,
        fixed_total_amount=ZERO,
        cost_to_split_amount=net,
        levy_base_amount=Fraction(0),
        levy_pot_exact=Fraction(0),
        levy_total_amount=ZERO,
        shares=member_shares,
        by_member={share.member: share for share in member_shares},
        flows=flows,
    )


def unit_warnings(result: UnitResult) -> Iterator[Message]:
    """Things a finance officer must see that are not errors, placed where the unit is written."""
    unit = result.unit
    place = unit.place or Place(where=unit.code)
    if result.net_amount < 0 and unit.role is UnitRole.SERVICE:
        yield Message(
            f"income ({format_gbp(result.income_amount)}) exceeds spending ({format_gbp(result.gross_amount)}); "
            f"the surplus of {format_gbp(-result.net_amount)} is returned to the participants in their shares",
            place,
            Severity.WARNING,
            unit.code,
        )
    for share in result.shares:
        if share.cash_amount < 0 and share.in_kind_amount > 0:
            yield Message(
                f"{share.member}'s in-kind value ({format_gbp(share.in_kind_amount)}) exceeds its share of the "
                f"unit's total cost ({format_gbp(share.cost_amount)}); it is owed a credit of {format_gbp(-share.cash_amount)}",
                place,
                Severity.WARNING,
                unit.code,
                share.member,
            )
