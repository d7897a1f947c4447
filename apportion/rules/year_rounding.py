"""Rounding once for the year: a unit split into periods, folded back into the unit as written.

With ``period_rounding: once for the year``, a unit whose membership changes in the year is
still worked period by period (:mod:`apportion.rules.periods`), but no period's split is
rounded: each member's exact parts of the periods are added up and its year is rounded
once. The unit is shown as written, once, with each member's exact part of the year as its
value in the split:

* share of cost: member m's exact part is ``sum over periods p of (cost_p - fixed_p) x
  w_mp / W_p``; the year's cost less fixed amounts is split by largest remainder over these
  parts (:func:`apportion.model.money.allocate`), so the members' parts add up exactly to it;
* levy: the pot is the payers' exact levies of every period added up, rounded once; the
  payers split it by their exact levies; the lead receives it;
* fixed amounts and officers in kind are whole pence in each period and are added up.

Worked example: £1,000 shared equally by A and B, C joining on 1 August, by months. The
periods cost £333.33 (4/12) and £666.67. A's exact year is £166.665 + £222.2233... =
£388.8883...; B's the same; C's £222.2233.... Rounded down they are £388.88, £388.88 and
£222.22, leaving 2p, which go to A and B (remainders .83 against .23): A £388.89, B
£388.89, C £222.22. Rounded by period, A would pay £166.67 + £222.23 = £388.90 and B
£166.66 + £222.22 = £388.88. Pure: no I/O.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from apportion.model.money import ZERO, Allocation, allocate_with_workings, round_penny
from apportion.model.records import OfficersInKind, Unit, UnitRole
from apportion.model.results import MemberShare, UnitResult
from apportion.rules.levy import is_charged, levy_base


def round_once_for_the_year(results: Sequence[UnitResult], written: Sequence[Unit]) -> tuple[UnitResult, ...]:
    """Each unit split into periods, as one unit rounded once for the year, where its first period was."""
    by_code = {unit.code: unit for unit in written}
    periods: dict[str, list[UnitResult]] = {}
    for result in results:
        origin = result.unit.origin
        if result.unit.role is UnitRole.SERVICE and origin in by_code:
            periods.setdefault(origin, []).append(result)
    folded: list[UnitResult] = []
    for result in results:
        origin = result.unit.origin
        if origin not in periods:
            folded.append(result)
        elif periods[origin][0] is result:
            folded.append(fold(by_code[origin], tuple(periods[origin])))
    return tuple(folded)


def exact_part(share: MemberShare) -> Fraction:
    """A member's share of a period's cost before rounding (a fixed amount is whole pence)."""
    if share.cost_workings is None:
        return Fraction(share.cost_amount)
    return Fraction(*share.cost_workings.exact_ratio)


def fold(unit: Unit, periods: tuple[UnitResult, ...]) -> UnitResult:
    """The unit as written, its members' exact parts of every period added up, rounded once."""
    present = [m for m in unit.participants if any(m in p.by_member for p in periods)]
    fixed = {m: sum((p.by_member[m].cost_amount for p in periods if m in p.by_member), ZERO) for m in unit.fixed_amounts}
    fixed = {m: amount for m, amount in fixed.items() if m in present}
    shared = [m for m in present if m not in fixed]
    exact = {m: sum((exact_part(p.by_member[m]) for p in periods if m in p.by_member), Fraction(0)) for m in shared}
    cost = sum((p.cost_to_split_amount for p in periods), ZERO)
    fixed_total = sum(fixed.values(), ZERO)
    to_split = cost - fixed_total
    cost_workings = split_once(to_split, exact)
    levy = fold_levy(unit, periods, present)
    in_kind = {m: sum((p.by_member[m].in_kind_amount for p in periods if m in p.by_member), ZERO) for m in present}
    credit = {m: sum((p.by_member[m].in_kind_credit_amount for p in periods if m in p.by_member), ZERO) for m in present}
    first = periods[0]
    shares = []
    for m in present:
        sample = next(p.by_member[m] for p in periods if m in p.by_member)
        part = fixed[m] if m in fixed else cost_workings[m].amount
        shares.append(
            sample._replace(
                unit=unit.code,
                weight=None if m in fixed else exact[m],
                share=Fraction(fixed[m] if m in fixed else exact[m]) / Fraction(cost) if cost else Fraction(0),
                cost_amount=part,
                levy_amount=levy.amounts[m],
                in_kind_amount=in_kind[m],
                in_kind_credit_amount=credit[m],
                cost_workings=None if m in fixed else cost_workings[m],
                levy_workings=levy.workings.get(m),
                levy_exact=levy.exact[m],
                levy_share=levy.shares[m],
                basis=sample.basis if m in fixed else f"{sample.basis}, by period, rounded once for the year",
            )
        )
    written = unit._replace(participants=tuple(present), fixed_amounts=fixed, in_kind=in_kind_lines(unit, periods))
    return first._replace(
        unit=written,
        weights={m: exact[m] for m in shared},
        weight_total=sum(exact.values(), Fraction(0)),
        pay_amount=sum((p.pay_amount for p in periods), ZERO),
        non_pay_amount=sum((p.non_pay_amount for p in periods), ZERO),
        income_amount=sum((p.income_amount for p in periods), ZERO),
        in_kind_total_amount=sum((p.in_kind_total_amount for p in periods), ZERO),
        fixed_total_amount=fixed_total,
        cost_to_split_amount=cost,
        levy_base_amount=levy.base,
        levy_pot_exact=levy.pot_exact,
        levy_total_amount=levy.pot,
        shares=tuple(shares),
        by_member={share.member: share for share in shares},
        support_pay_amount=sum((p.support_pay_amount for p in periods), Fraction(0)),
        periods=periods,
    )


def split_once(amount: Decimal, exact: Mapping[str, Fraction]) -> dict[str, Allocation]:
    """``amount`` (the exact parts' sum) by largest remainder over the exact parts."""
    if not exact:
        return {}
    weights = {m: part if amount >= 0 else -part for m, part in exact.items()}
    if not any(weights.values()) or any(w < 0 for w in weights.values()):
        weights = dict.fromkeys(exact, Fraction(1))  # nothing to split, or parts of both signs: a zero year
    return allocate_with_workings(amount, weights)


class FoldedLevy:
    """The levy of a unit rounded once for the year."""

    def __init__(self, members: Sequence[str]) -> None:
        self.amounts: dict[str, Decimal] = dict.fromkeys(members, ZERO)
        self.exact: dict[str, Fraction] = dict.fromkeys(members, Fraction(0))
        self.shares: dict[str, Fraction] = dict.fromkeys(members, Fraction(0))
        self.workings: dict[str, Allocation] = {}
        self.base = Fraction(0)
        self.pot_exact = Fraction(0)
        self.pot = ZERO


def fold_levy(unit: Unit, periods: tuple[UnitResult, ...], members: Sequence[str]) -> FoldedLevy:
    """The payers' exact levies of every period added up; the pot rounded once and split by them."""
    levy = FoldedLevy(members)
    if not is_charged(unit):
        return levy
    for p in periods:
        for m, share in p.by_member.items():
            levy.exact[m] += share.levy_exact
    payers = {m: levy.exact[m] for m in members if m != unit.lead}
    levy.pot_exact = sum(payers.values(), Fraction(0))
    gross = sum((p.gross_amount for p in periods), ZERO)
    net = sum((p.net_amount for p in periods), ZERO)
    pay = sum((p.pay_amount for p in periods), ZERO)
    levy.base = levy_base(pay, net, gross, unit.levy_base) + sum((p.support_pay_amount for p in periods), Fraction(0))
    rate_base = Fraction(unit.levy_rate) / 100 * levy.base
    levy.shares = {m: abs(levy.exact[m]) / rate_base if rate_base else Fraction(0) for m in members}
    levy.pot = round_penny(levy.pot_exact)
    if levy.pot and levy.pot_exact:
        levy.workings = allocate_with_workings(levy.pot, {m: e / levy.pot_exact for m, e in payers.items()})
        levy.amounts.update({m: w.amount for m, w in levy.workings.items()})
        levy.amounts[str(unit.lead)] = -levy.pot
    return levy


def in_kind_lines(unit: Unit, periods: tuple[UnitResult, ...]) -> tuple[OfficersInKind, ...]:
    """Each officers-in-kind line as written, valued at its periods' parts added up (a
    member's lines are dropped from the periods it is not in)."""
    values = [ZERO] * len(unit.in_kind)
    for p in periods:
        split = iter(p.unit.in_kind)
        for index, line in enumerate(unit.in_kind):
            if line.member in p.unit.participants:
                values[index] += next(split).value_amount
    return tuple(line._replace(value_amount=value) for line, value in zip(unit.in_kind, values, strict=True))
