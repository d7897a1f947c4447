"""The calculation: a prepared budget in, every unit's split and each member's totals out.

Pure: no I/O, no rounding but through :mod:`apportion.model.money`. For each unit:

1. **Shares.** Each participant's share is its basis weight over the sum of the
   participants' weights (re-normalisation): ``share_m = w_m / sum(w_p for p in unit)``.
   With fixed amounts, members with a fixed amount have ``share = fixed_m / net`` and the
   others share what is left: ``share_m = (1 - F/net) * w_m / W``.
2. **Share of cost.** The cost to split is the net budget (spending less grants and
   income); under in-kind ``offset`` it is the net budget plus all in-kind value. Fixed
   amounts come off first; the rest is split by largest remainder over the weights.
3. **Levy** (lead-force only): :mod:`apportion.rules.levy`.
4. **In kind.** Under ``offset`` each member's in-kind value is credited against its share
   of total cost; under ``additional`` it is reported beside the cash and changes nothing.
5. **Cash payable** = share of cost + levy payable - levy receivable - in-kind credit.

A **composite** basis blends other bases: each is re-normalised over the participants,
then ``w_m = sum over parts of percent_k x w_km / sum(w_kp)`` (percentage points, adding
up to 100). An **activity** unit charges each participant ``rate x quantity`` (rounded to
the penny) and shares what that leaves of the cost, ``cost - sum of charges``, positive
(under-recovery) or negative (over-recovery), by its balance basis, so it recovers its
cost exactly. A **support** unit's cost is charged through the units it serves
(:mod:`apportion.rules.support`): a member's part is ``own cost x sum over o of ends[o] x
its share of o``, split once by largest remainder; a levy on pay including support adds
``sum over s of ends[s][o] x pay[s]`` to unit o's pay base.
"""

from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.budget import Budget, Prepared
from apportion.model.messages import Message, Place, Severity
from apportion.model.money import ZERO, Allocation, allocate_with_workings, format_gbp, plain, round_penny, to_fraction
from apportion.model.records import Basis, BasisKind, InKindTreatment, LineKind, PeriodRounding, Unit, UnitRole
from apportion.model.results import Apportionment, MemberShare, MemberTotal, SupportFlows, UnitResult
from apportion.rules.instalments import instalments, revised
from apportion.rules.levy import is_charged, levy_base, levy_label, split_levy
from apportion.rules.prepare import prepare
from apportion.rules.support import SupportError, support_flows, support_pay
from apportion.rules.year_end import year_end
from apportion.rules.year_rounding import round_once_for_the_year

Weight = Decimal | Fraction

FIXED_AMOUNT = "fixed amount"


def apportion(budget: Prepared | Budget) -> Apportionment:
    """Split every unit of a prepared budget among its participants.

    A :class:`~apportion.model.budget.Budget` is prepared as written first
    (:func:`apportion.rules.prepare.prepare`). The budget must have passed the readers'
    validation (participants have weights, a lead is a participant, fixed amounts fit the
    net budget). Returns each unit's split, whose parts add up exactly to the unit's cost,
    each member's totals, the year end, and warnings (a member whose in-kind value exceeds
    its share, a unit whose income exceeds its spending).
    """
    prepared = budget if isinstance(budget, Prepared) else prepare(budget)
    source = prepared.budget
    results = apportion_units(prepared.units, source)
    if source.membership and source.period_rounding is PeriodRounding.ONCE_FOR_THE_YEAR:
        results = round_once_for_the_year(results, source.units)
    warnings = tuple(warning for result in results for warning in unit_warnings(result))
    later = tuple(apportion(year) for year in prepared.later_years)
    result = Apportionment(source, results, warnings, member_totals(source.member_names, results), later)
    ended = year_end(result, source.year_end) if source.year_end is not None else None
    invoiced = instalments(result, source.invoicing) if source.invoicing is not None else ()
    if source.invoicing is not None and source.revised_from is not None and prepared.invoiced is not None:
        first = apportion(prepared.invoiced).instalments  # as the budget as written invoiced them
        invoiced = revised(result, source.invoicing, first, source.revised_from)
    if ended is None and not invoiced:
        return result
    return Apportionment(result.budget, results, warnings, result.member_totals, later, ended, invoiced)


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
    return basis_weights(basis, [m for m in unit.participants if m not in unit.fixed_amounts])


def basis_weights(basis: Basis, members: list[str]) -> dict[str, Weight]:
    """A basis's weights for these members: as given, 1 each for equal, or a composite's blend."""
    if basis.kind is BasisKind.EQUAL:
        return {m: basis.weights.get(m, Decimal(1)) for m in members}
    if basis.kind is not BasisKind.COMPOSITE:
        return {m: basis.weights[m] for m in members}
    blend = dict.fromkeys(members, Fraction(0))
    for part, percent in basis.parts:
        values = {m: to_fraction(w) for m, w in basis_weights(part, members).items()}
        total = sum(values.values(), Fraction(0))
        for m in members:
            blend[m] += to_fraction(percent) * values[m] / total
    return dict(blend)


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
    per_weight = remainder_share / weight_total  # a share is weight x this: one Fraction made per member
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


def apportion_unit(unit: Unit, support_pay_amount: Fraction = Fraction(0)) -> UnitResult:
    """One unit's split: shares, share of cost, levy, in kind (steps 1 to 5). A levy on pay
    including support adds ``support_pay_amount`` to the pay base."""
    pay = sum((line.amount for line in unit.lines if line.kind is LineKind.PAY), Decimal("0.00"))
    non_pay = sum((line.amount for line in unit.lines if line.kind is LineKind.NON_PAY), Decimal("0.00"))
    income = sum((line.amount for line in unit.income), Decimal("0.00"))
    net = pay + non_pay - income
    in_kind_total = sum((oik.value_amount for oik in unit.in_kind), Decimal("0.00"))
    fixed_total = sum(unit.fixed_amounts.values(), ZERO)
    weights = participant_weights(unit)
    in_kind = dict.fromkeys(unit.participants, ZERO)
    for oik in unit.in_kind:
        in_kind[oik.member] += oik.value_amount
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    cost = net + (in_kind_total if offset else ZERO)
    if unit.activity is not None:
        split = activity_split(unit, cost, weights)
    else:
        cost_parts, cost_workings = split_cost(cost, unit, weights, fixed_total)
        split = Split(unit_shares(unit, weights, net, fixed_total), cost_parts, cost_workings)
    shares = split.shares
    base = levy_base(pay, net, pay + non_pay, unit.levy_base) + support_pay_amount if is_charged(unit) else Fraction(0)
    levy = split_levy(unit, shares, base)
    levy_text = levy_label(unit) + (" and support pay charged in" if unit.levy_includes_support else "")
    activity = unit.activity
    weight_total = total_of(weights)
    member_shares = tuple(
        MemberShare(
            unit=unit.code,
            member=m,
            weight=weights.get(m),
            share=shares[m],
            cost_amount=split.parts[m],
            levy_amount=levy.levies[m],
            in_kind_amount=in_kind[m],
            in_kind_credit_amount=-in_kind[m] if offset else ZERO,
            is_fixed=m in unit.fixed_amounts,
            cost_workings=split.workings.get(m),
            levy_workings=levy.workings.get(m),
            levy_exact=levy.exact[m],
            levy_share=levy.shares[m],
            basis=FIXED_AMOUNT if m in unit.fixed_amounts else (activity.balance if activity else unit.basis).name,
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
        pay_amount=pay,
        non_pay_amount=non_pay,
        income_amount=income,
        in_kind_total_amount=in_kind_total,
        fixed_total_amount=fixed_total,
        cost_to_split_amount=cost,
        levy_base_amount=levy.base_amount,
        levy_pot_exact=levy.pot_exact,
        levy_total_amount=levy.pot_amount,
        shares=member_shares,
        by_member={share.member: share for share in member_shares},
        support_pay_amount=support_pay_amount if is_charged(unit) else Fraction(0),
        recovered_amount=sum(split.charges.values(), ZERO) if activity else None,
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
