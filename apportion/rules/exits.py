"""A member's exit settlement: what a member leaving the collaboration pays, or is paid, on
its way out, as its exit terms (``exit:``) say. Pure: read off the year as apportioned, its
year end and the terms.

Each part is the leaver's share of a figure, in the shares the terms name (a basis, or a
unit's), over the members on the day before it leaves, rounded by largest remainder with
the others' shares so that the parts of each figure add up to it:

* exit costs: an agreed amount, or its share (or the percentage the terms give) of the
  named costs: it pays them (+);
* each named asset at its leaving date: its part is paid to it (-), as the members who stay
  keep the asset;
* each named liability at its leaving date: it pays its part (+);
* the reserves, where it takes its share: its part of the opening reserves (the year end's
  figure) is paid to it (-) out of the reserves, not by the other members.

What it pays for the costs, assets and liabilities is received by the members who stay
(or paid by them, for an asset), split among them by their shares; the settlement's net
figure is paid on the dates the terms give (which may run past the year end), in equal
instalments the earliest taking the odd pennies, and each member who stays receives its
part on the same dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from apportion.model import Apportionment
from apportion.model.budget import ExitTerms, Leaver
from apportion.model.invoicing import Instalment, Invoicing
from apportion.model.money import ZERO, allocate, format_gbp, plain, round_penny, to_fraction
from apportion.model.records import Period
from apportion.model.results import ExitSettlement, SettlementLine, YearEndResult
from apportion.rules.basis_kinds import weights_of
from apportion.rules.explain_text import percent_exact
from apportion.rules.instalments import Membership, code_of, memberships, prefix_of, reference, split
from apportion.rules.year_end import cost_parts, written_units, year_shares


def exit_settlements(
    result: Apportionment, ended: YearEndResult | None, terms: Sequence[ExitTerms], invoicing: Invoicing | None
) -> tuple[ExitSettlement, ...]:
    """Every leaving member's settlement, in the order of the file."""
    return tuple(settle(result, ended, term, invoicing) for term in terms)


def settle(result: Apportionment, ended: YearEndResult | None, terms: ExitTerms, invoicing: Invoicing | None) -> ExitSettlement:
    shares, basis = shares_on(result, terms)
    leaver = terms.member
    staying = {m: s for m, s in shares.items() if m != leaver}
    on = long_date(terms.leaves)

    def part(amount: Decimal) -> Decimal:
        return allocate(amount, shares)[leaver] if amount else ZERO

    def to_others(amount: Decimal) -> tuple[tuple[str, Decimal], ...]:
        return tuple(allocate(amount, staying).items()) if amount and staying else ()

    own = percent_exact(shares[leaver])
    lines: list[SettlementLine] = []
    if terms.costs_amount is not None:
        lines.append(SettlementLine("Exit costs", "the amount the exit terms agree", terms.costs_amount,
                                    to_others(-terms.costs_amount)))  # fmt: skip
    elif terms.named_costs:
        total = sum(terms.named_costs.values(), ZERO)
        named = "; ".join(f"{name} {format_gbp(amount)}" for name, amount in terms.named_costs.items())
        if terms.costs_share is not None:
            pays = round_penny(to_fraction(total) * to_fraction(terms.costs_share) / 100)
            how = f"{plain(terms.costs_share)}% of the exit costs {format_gbp(total)} ({named}), rounded to the penny"
        else:
            pays = part(total)
            how = f"its share {own} of the exit costs {format_gbp(total)} ({named}), by largest remainder"
        lines.append(SettlementLine("Exit costs", how, pays, to_others(-pays)))
    for name, value in terms.assets.items():
        paid = part(value)
        how = f"its share {own} of {format_gbp(value)} at {on}, paid to it by the members who stay"
        lines.append(SettlementLine(f"Asset: {name}", how, -paid, to_others(paid)))
    for name, value in terms.liabilities.items():
        owed = part(value)
        how = f"its share {own} of {format_gbp(value)} at {on}, paid by it to the members who stay"
        lines.append(SettlementLine(f"Liability: {name}", how, owed, to_others(-owed)))
    if ended is not None and ended.reserves and reserves_choice(result, terms) is Leaver.TAKES_IT:
        opening = ended.reserves[0]
        taken = opening.part_of(leaver)
        how = f"its part of the opening reserves {format_gbp(opening.amount)} ({opening.basis}), paid out of the reserves"
        lines.append(SettlementLine("Its part of the reserves", how, -taken, (), from_reserves=True))
    settlement = ExitSettlement(leaver, terms.leaves, terms.notice_given, shares[leaver], basis, tuple(lines), ())
    return settlement._replace(instalments=paid_on(result, settlement, terms, invoicing))


def reserves_choice(result: Apportionment, terms: ExitTerms) -> Leaver:
    if terms.reserves is not None:
        return terms.reserves
    year_end = result.budget.year_end
    return year_end.leaver if year_end is not None else Leaver.LEAVES_IT


def shares_on(result: Apportionment, terms: ExitTerms) -> tuple[dict[str, Fraction], str]:
    """Each member's share on the day before the leaver goes, in the basis or unit the terms name."""
    budget = result.budget
    eve = terms.leaves - timedelta(days=1)
    name = terms.shares or ""
    parts = written_units(result.units)
    if name in parts:
        during = [p for p in cost_parts(parts[name]) if in_part(p.unit.period, eve)]
        return year_shares(during or parts[name]), f"{name}'s shares"
    dates = memberships(budget)
    members = [m for m in budget.member_names if dates.get(m, Membership()).holds(eve)]
    weights = weights_of(budget.bases[name], members)
    total = sum((Fraction(w) for w in weights.values()), Fraction(0))
    return {m: Fraction(w) / total for m, w in weights.items()}, name


def in_part(period: Period | None, day: date) -> bool:
    return period is None or period.first <= day <= period.last


def paid_on(
    result: Apportionment, settlement: ExitSettlement, terms: ExitTerms, invoicing: Invoicing | None
) -> tuple[Instalment, ...]:
    """The settlement in equal instalments on the terms' dates (the leaving date, where none
    is given), and each member who stays its part on the same dates."""
    budget = result.budget
    prefix = (invoicing.prefix if invoicing is not None else "") or prefix_of(budget.collaboration)
    days: tuple[date, ...] = terms.payments or (terms.leaves,)
    members: Mapping[str, Decimal] = {
        settlement.member: settlement.amount,
        **{m: settlement.part_of(m) for m in budget.member_names if m != settlement.member},
    }
    out = []
    for member, amount in members.items():
        if not amount:
            continue
        for number, (due, each) in enumerate(zip(days, split(amount, len(days)), strict=True), start=1):
            tag = f"EXIT{number}"
            out.append(Instalment(member, number, tag, due, each, reference(prefix, budget.year, settlement.member, tag)
                                  + ("" if member == settlement.member else f"-{code_of(member)}")))  # fmt: skip
    return tuple(out)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
