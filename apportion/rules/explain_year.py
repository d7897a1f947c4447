"""How a member's year end was reached, step by step: its part of each unit's out-turn
settlement, of the opening reserves and each movement, its closing part, and its part of
the capital financing; and its part of a line of the accounts note. Pure: read off the
year end and the note the core worked out.
"""

from collections.abc import Container, Iterator
from fractions import Fraction

from apportion.model.money import ZERO, format_gbp
from apportion.model.results import Apportionment, ReserveColumn
from apportion.rules.explain_text import Step, as_words, money_exact, percent_exact, split_steps
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
        yield from column_steps(outcome.reserves, member, bases=result.budget.bases)
        yield Step("Its closing reserves", "its opening part and its part of each movement, added up",
                   outcome.member_reserves(member))  # fmt: skip
    if outcome.capital:
        yield from column_steps(outcome.capital, member, prefix="Capital financed by ", bases=result.budget.bases)
        total = sum((c.part_of(member) for c in outcome.capital), ZERO)
        yield Step("Its part of the capital programme", "its parts of the sources, added up", total)


def column_steps(columns: tuple[ReserveColumn, ...], member: str, prefix: str = "", bases: Container[str] = ()) -> Iterator[Step]:
    for column in columns:
        part = column.part_of(member)
        share = column.shares.get(member)
        if share is None or not column.amount:
            working = "no part of it" if share is None else f"{format_gbp(column.amount)} in all; its part, as written"
            if column.amount == ZERO and part:
                working = f"its part passes to the members who stay, in {as_words(column.basis, bases)}"
            yield Step(f"{prefix}{column.name}", working, part)
            continue
        exact, held = share * Fraction(column.amount), as_words(column.basis, bases)
        yield Step(f"{prefix}{column.name}", f"{format_gbp(column.amount)} x {percent_exact(share)} ({held}) = "
                   f"{money_exact(exact)}, rounded by largest remainder", part)  # fmt: skip


def has_year_end(result: Apportionment) -> bool:
    return result.year_end is not None and bool(result.year_end.settlements or result.year_end.reserves)


def accounts_steps(result: Apportionment, member: str, name: str) -> Iterator[Step]:
    """How the member's part of one line of the accounts note is reached: the collaboration's
    figure, the member's share, the exact part and its rounding (and, on the last line of the
    reserves, what balances its balance sheet); last year's; and the members' parts added up."""
    note = result.accounts
    line = note.line(name) if note is not None else None
    if note is None or line is None:
        return
    yield Step(line.name, f"the collaboration's figure ({line.section.value})", line.amount)
    working, held = line.workings.get(member), as_words(note.basis, result.budget.bases)
    if working is None:
        yield Step("Its part", f"{member} has no share of the collaboration's books, in {held}", ZERO)
        return
    yield Step("Its share", f"{percent_exact(note.shares[member])} of the collaboration, in {held}")
    yield from split_steps("Its exact part", "Its part, rounded", format_gbp(line.amount), working, member)
    adjustment = line.adjustments.get(member, ZERO)
    if line.balances:
        out = "leave it balanced" if not adjustment else (
            f"leave its assets less liabilities {format_gbp(abs(adjustment))} {'more' if adjustment > 0 else 'less'} "
            "than its reserves")  # fmt: skip
        yield Step(
            "So that its balance sheet balances",
            f"its parts of the other lines, each rounded, {out}; the last line of the reserves takes that up: its part "
            "is its assets less its liabilities less its other reserves",
            line.part_of(member),
        )
    if line.last_year is not None:
        share = note.last_year_shares.get(member, Fraction(0))
        yield Step("Last year", f"{format_gbp(line.last_year)} x {percent_exact(share)}, rounded the same way",
                   line.last_year_parts.get(member, ZERO))  # fmt: skip
    parts = ", ".join(f"{m} {format_gbp(line.part_of(m))}" for m in note.shares)
    yield Step("The members' parts", f"{parts}: they add up to the line", sum((line.part_of(m) for m in note.shares), ZERO))
