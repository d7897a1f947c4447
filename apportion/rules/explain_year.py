"""How a member's year end was reached, step by step: its part of each unit's out-turn
settlement, of the opening reserves and each movement, its closing part, and its part of
the capital financing. Pure: read off the year end the core worked out.
"""

from collections.abc import Iterator
from fractions import Fraction

from apportion.model.money import ZERO, format_gbp
from apportion.model.results import Apportionment, ReserveColumn
from apportion.rules.explain_text import Step, money_exact, percent_exact
from apportion.rules.year_end import written_units, year_shares


def year_end_steps(result: Apportionment, member: str) -> Iterator[Step]:
    """The member's year end, where the budget has one."""
    outcome = result.year_end
    if outcome is None:
        return
    parts_of = written_units(result.units)
    for s in outcome.settlements:
        kind = "under-spend" if s.variance_amount >= 0 else "over-spend"
        yield Step(f"{s.unit}: out-turn", f"net budget {format_gbp(s.budget_amount)} - net out-turn "
                   f"{format_gbp(s.outturn_amount)} = an {kind} of {format_gbp(abs(s.variance_amount))}, settled by "
                   f"{s.settlement.value}", s.variance_amount)  # fmt: skip
        part = dict(s.parts).get(member)
        if part is not None:
            share = year_shares(parts_of[s.unit]).get(member, Fraction(0))
            exact = money_exact(-share * Fraction(s.variance_amount))
            how = "returned to it" if part <= 0 else "charged to it"
            yield Step(f"{s.unit}: its part", f"{percent_exact(share)} of it, exactly {exact}, rounded by largest remainder "
                       f"(the pennies left over go to the largest remainders): {how}", part)  # fmt: skip
    if outcome.reserves:
        yield from column_steps(outcome.reserves, member)
        yield Step("Its closing reserves", "its opening part and its part of each movement, added up",
                   outcome.member_reserves(member))  # fmt: skip
    if outcome.capital:
        yield from column_steps(outcome.capital, member, prefix="Capital financed by ")
        total = sum((c.part_of(member) for c in outcome.capital), ZERO)
        yield Step("Its part of the capital programme", "its parts of the sources, added up", total)


def column_steps(columns: tuple[ReserveColumn, ...], member: str, prefix: str = "") -> Iterator[Step]:
    for column in columns:
        part = column.part_of(member)
        share = column.shares.get(member)
        if share is None or not column.amount:
            working = "no part of it" if share is None else f"{format_gbp(column.amount)} in all; its part, as written"
            if column.amount == ZERO and part:
                working = f"its part passes to the members who stay, in {column.basis}"
            yield Step(f"{prefix}{column.name}", working, part)
            continue
        exact = share * Fraction(column.amount)
        yield Step(f"{prefix}{column.name}", f"{format_gbp(column.amount)} x {percent_exact(share)} ({column.basis}) = "
                   f"{money_exact(exact)}, rounded by largest remainder", part)  # fmt: skip


def has_year_end(result: Apportionment) -> bool:
    return result.year_end is not None and bool(result.year_end.settlements or result.year_end.reserves)
