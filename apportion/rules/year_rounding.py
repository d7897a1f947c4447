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

The year is split by the same rules as any unit, on the folded figures: the share of cost
by :func:`apportion.rules.split.split_cost`, the levy by
:func:`apportion.rules.levy.split_levy` (each member's exact levy for the year given as
its part of the year's rate x base), and the records made by
:func:`apportion.rules.split.unit_result`.

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

from apportion.model.money import ZERO
from apportion.model.records import OfficersInKind, Unit, UnitRole
from apportion.model.results import MemberShare, UnitResult
from apportion.rules.basis_kinds import Weight
from apportion.rules.levy import LevySplit, is_charged, levy_base, split_levy
from apportion.rules.split import Split, UnitTotals, split_cost, unit_result

BY_PERIOD = ", by period, rounded once for the year"


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
    own = {m: [p.by_member[m] for p in periods if m in p.by_member] for m in present}  # each member's periods
    fixed = {m: sum((s.cost_amount for s in own[m]), ZERO) for m in unit.fixed_amounts if m in present}
    exact = {m: sum((exact_part(s) for s in own[m]), Fraction(0)) for m in present if m not in fixed}
    written = unit._replace(participants=tuple(present), fixed_amounts=fixed, in_kind=in_kind_lines(unit, periods))
    totals = UnitTotals(
        pay_amount=sum((p.pay_amount for p in periods), ZERO),
        non_pay_amount=sum((p.non_pay_amount for p in periods), ZERO),
        income_amount=sum((p.income_amount for p in periods), ZERO),
        in_kind_total_amount=sum((p.in_kind_total_amount for p in periods), ZERO),
        fixed_total_amount=sum(fixed.values(), ZERO),
        cost_to_split_amount=sum((p.cost_to_split_amount for p in periods), ZERO),
        in_kind={m: sum((s.in_kind_amount for s in own[m]), ZERO) for m in present},
    )
    cost, fixed_total = totals.cost_to_split_amount, totals.fixed_total_amount
    parts, workings = split_cost(cost, written, year_weights(exact, cost - fixed_total), fixed_total)
    shares = {m: Fraction(fixed[m] if m in fixed else exact[m]) / Fraction(cost) if cost else Fraction(0) for m in present}
    support = sum((p.support_pay_amount for p in periods), Fraction(0))
    levy = fold_levy(written, own, totals, shares, support)
    return unit_result(
        written, totals, exact, Split(shares, parts, workings), levy, support, basis_note=BY_PERIOD, periods=periods
    )


def year_weights(exact: Mapping[str, Fraction], amount: Decimal) -> dict[str, Weight]:
    """What ``amount`` (the exact parts' sum) is split by: the exact parts, of its sign."""
    weights: dict[str, Weight] = {m: part if amount >= 0 else -part for m, part in exact.items()}
    if exact and (not any(weights.values()) or any(w < 0 for w in weights.values())):
        weights = dict.fromkeys(exact, Fraction(1))  # nothing to split, or parts of both signs: a zero year
    return weights


def fold_levy(
    unit: Unit, own: Mapping[str, list[MemberShare]], totals: UnitTotals, shares: Mapping[str, Fraction], support: Fraction
) -> LevySplit:
    """The levy split as any unit's is, on each member's exact levies of every period added
    up: given as its part of the year's rate x base, the pot is the payers' exact levies
    added up, rounded once, and split among them by their exact levies."""
    if not is_charged(unit):
        return split_levy(unit, shares, Fraction(0))
    exact = {m: sum((s.levy_exact for s in own[m]), Fraction(0)) for m in unit.participants}
    gross = totals.pay_amount + totals.non_pay_amount
    base = levy_base(totals.pay_amount, totals.net_amount, gross, unit.levy_base) + support
    rate_base = Fraction(unit.levy_rate) / 100 * base
    if not rate_base:
        return split_levy(unit, shares, base)
    # a payer's levy is rate x base x its part, the lead's - rate x base x (1 - its part)
    parts = {m: 1 + levy / rate_base if m == unit.lead else levy / rate_base for m, levy in exact.items()}
    return split_levy(unit, parts, base)


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
