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
"""

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from apportion.model.budget import Budget, Prepared
from apportion.model.messages import Message, Place, Severity
from apportion.model.money import ZERO, Allocation, allocate_with_workings, format_gbp, to_fraction
from apportion.model.records import InKindTreatment, LineKind, Unit
from apportion.model.results import Apportionment, MemberShare, MemberTotal, UnitResult
from apportion.rules.levy import is_charged, levy_base, levy_label, split_levy
from apportion.rules.prepare import prepare
from apportion.rules.year_end import year_end

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
    results = tuple(apportion_unit(unit) for unit in prepared.units)
    warnings = tuple(warning for result in results for warning in unit_warnings(result))
    later = tuple(apportion(year) for year in prepared.later_years)
    result = Apportionment(source, results, warnings, member_totals(source.member_names, results), later)
    if source.year_end is None:
        return result
    return Apportionment(result.budget, results, warnings, result.member_totals, later, year_end(result, source.year_end))


def member_totals(members: tuple[str, ...], results: tuple[UnitResult, ...]) -> tuple[MemberTotal, ...]:
    """Each member's cash and in-kind value across every unit."""
    cash = dict.fromkeys(members, ZERO)
    in_kind = dict.fromkeys(members, ZERO)
    for result in results:
        for share in result.shares:
            cash[share.member] += share.cash_amount
            in_kind[share.member] += share.in_kind_amount
    return tuple(MemberTotal(member, cash[member], in_kind[member]) for member in members)


def participant_weights(unit: Unit) -> dict[str, Decimal]:
    """The basis weights of the participants who do not pay a fixed amount."""
    return {m: unit.basis.weights[m] for m in unit.participants if m not in unit.fixed_amounts}


def unit_shares(unit: Unit, weights: dict[str, Decimal], net: Decimal, fixed_total: Decimal) -> dict[str, Fraction]:
    """Each participant's exact share of the unit's net cost, re-normalised (step 1)."""
    weight_total = to_fraction(sum(weights.values(), Decimal(0)))
    net_fraction = to_fraction(net)
    remainder_share = 1 - to_fraction(fixed_total) / net_fraction if unit.fixed_amounts and net else Fraction(1)
    per_weight = remainder_share / weight_total  # a share is weight x this: one Fraction made per member
    shares = {m: weight_times(w, per_weight) for m, w in weights.items()}
    for member, fixed in unit.fixed_amounts.items():
        shares[member] = to_fraction(fixed) / net_fraction if net else Fraction(0)
    return {m: shares[m] for m in unit.participants}


def weight_times(weight: Decimal, factor: Fraction) -> Fraction:
    """weight x factor, exactly, reduced once."""
    numerator, denominator = weight.as_integer_ratio()
    return Fraction(numerator * factor.numerator, denominator * factor.denominator)


def split_cost(
    amount: Decimal, unit: Unit, weights: dict[str, Decimal], fixed_total: Decimal
) -> tuple[dict[str, Decimal], dict[str, Allocation]]:
    """Fixed amounts first, the rest by largest remainder over the weights (step 2).

    Returns each participant's part and the workings of the parts that were split.
    """
    workings = allocate_with_workings(amount - fixed_total, weights) if weights else {}
    parts = {m: working.amount for m, working in workings.items()} | dict(unit.fixed_amounts)
    return {m: parts[m] for m in unit.participants}, workings


def apportion_unit(unit: Unit) -> UnitResult:
    """One unit's split: shares, share of cost, levy, in kind (steps 1 to 5)."""
    pay = sum((line.amount for line in unit.lines if line.kind is LineKind.PAY), Decimal("0.00"))
    non_pay = sum((line.amount for line in unit.lines if line.kind is LineKind.NON_PAY), Decimal("0.00"))
    income = sum((line.amount for line in unit.income), Decimal("0.00"))
    net = pay + non_pay - income
    in_kind_total = sum((oik.value_amount for oik in unit.in_kind), Decimal("0.00"))
    fixed_total = sum(unit.fixed_amounts.values(), ZERO)
    weights = participant_weights(unit)
    shares = unit_shares(unit, weights, net, fixed_total)
    in_kind = dict.fromkeys(unit.participants, ZERO)
    for oik in unit.in_kind:
        in_kind[oik.member] += oik.value_amount
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    cost = net + (in_kind_total if offset else ZERO)
    cost_parts, cost_workings = split_cost(cost, unit, weights, fixed_total)
    base = levy_base(pay, net, pay + non_pay, unit.levy_base) if is_charged(unit) else Fraction(0)
    levy = split_levy(unit, shares, base)
    levy_text = levy_label(unit)
    member_shares = tuple(
        MemberShare(
            unit=unit.code,
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
            levy_exact=levy.exact[m],
            basis=FIXED_AMOUNT if m in unit.fixed_amounts else unit.basis.name,
            levy_basis=levy_text,
            in_kind_treatment=unit.in_kind_treatment,
        )
        for m in unit.participants
    )
    return UnitResult(
        unit=unit,
        weights=weights,
        weight_total=sum(weights.values(), Decimal(0)),
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
    )


def unit_warnings(result: UnitResult) -> Iterator[Message]:
    """Things a finance officer must see that are not errors, placed where the unit is written."""
    unit = result.unit
    place = unit.place or Place(where=unit.code)
    if result.net_amount < 0:
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
