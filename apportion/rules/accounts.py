"""Each member's part of the collaboration's books: the joint-operation note (IFRS 11) of its
statement of accounts. Pure: read off a year's apportionment and ``year_end: accounts:``.

* Income, by source: each grant and income line of the units, by its name, as budgeted.
* Expenditure: the pay and non-pay of the units with members, the spending of the support
  units, and, where the year end gives the out-turn (or last year's figures give one), the
  under-spend (-) or over-spend (+) against the budget, so that expenditure less income is
  the year's net cost at out-turn.
* Assets, liabilities and reserves: the balance sheet at the year end, as the file gives it.

Every line is split among the members in the shares the agreement holds the collaboration
in (the year end's shares unless the accounts name others), by largest remainder
(:func:`apportion.model.money.allocate`): each member's parts of a line add up to the line.
Rounding each line apart could leave a member's own balance sheet out by a penny or two,
so its part of the last line of the reserves takes up what it is out by (the adjustments
add up to nil: the parts still add up to the line). Last year's figures, where given, are
split the same way, in last year's shares.
"""

from decimal import Decimal

from apportion.model.accounts import (
    BALANCE_SHEET,
    NON_PAY,
    OUTTURN,
    PAY,
    SUPPORT,
    Accounts,
    AccountsNote,
    NoteLine,
    NoteSection,
)
from apportion.model.money import ZERO, allocate, allocate_with_workings
from apportion.model.records import UnitRole
from apportion.model.results import Apportionment
from apportion.rules.year_end import shares_held_in, written_units


def accounts_note(result: Apportionment, accounts: Accounts) -> AccountsNote:
    """The note: every line of income, expenditure, assets, liabilities and reserves with
    each member's part (the year's step after the year end: :mod:`apportion.rules.calculate`).

    A line of nil, with no figure for last year, is left out. The shares come from the year's
    apportionment (a unit's) or from the budget's bases; the reader has checked the name.
    """
    parts_of = written_units(result.units)
    shares, basis = shares_held_in(result, accounts.shares or "", parts_of)
    last_shares, last_basis = shares, basis
    if accounts.last_year_shares is not None:
        last_shares, last_basis = shares_held_in(result, accounts.last_year_shares, parts_of)
    lines = []
    for section, name, amount in figures(result, accounts):
        last = accounts.last_year.get(name)
        if not amount and last is None:
            continue
        last_parts = allocate(last, last_shares) if last is not None else {}
        lines.append(NoteLine(section, name, amount, allocate_with_workings(amount, shares), last, last_parts))
    return AccountsNote(accounts.nature, basis, shares, balanced(lines), last_basis if last_basis != basis else "",
                        last_shares)  # fmt: skip


def balanced(lines: list[NoteLine]) -> tuple[NoteLine, ...]:
    """The lines, each member's part of the last line of the reserves adjusted by what its
    other parts leave its balance sheet out by, this year's and (where its figures balance)
    last year's: so that each member's assets less liabilities are its reserves. The
    collaboration's balance sheet balances, so the adjustments add up to nil."""
    reserves = [i for i, line in enumerate(lines) if line.section is NoteSection.RESERVES]
    if not reserves:
        return tuple(lines)
    sign = {NoteSection.ASSETS: 1, NoteSection.LIABILITIES: -1, NoteSection.RESERVES: -1}
    sheet = [line for line in lines if line.section in sign]
    last = lines[reserves[-1]]
    members = list(last.workings)
    out = {m: sum((sign[line.section] * line.part_of(m) for line in sheet), ZERO) for m in members}
    last = last._replace(adjustments=out)
    given = [line for line in sheet if line.last_year is not None]
    if last.last_year is not None and not sum((sign[line.section] * (line.last_year or ZERO) for line in given), ZERO):
        last_out = {m: sum((sign[line.section] * line.last_year_parts.get(m, ZERO) for line in given), ZERO)
                    for m in last.last_year_parts}  # fmt: skip
        last = last._replace(last_year_parts={m: part + last_out[m] for m, part in last.last_year_parts.items()})
    lines[reserves[-1]] = last
    return tuple(lines)


def figures(result: Apportionment, accounts: Accounts) -> list[tuple[NoteSection, str, Decimal]]:
    """The collaboration's figure for every line of the note, in the note's order."""
    units = result.budget.units
    income: dict[str, Decimal] = {}
    for unit in units:
        for line in unit.income:
            income[line.name] = income.get(line.name, ZERO) + line.amount
    service = [unit for unit in units if unit.role is UnitRole.SERVICE]
    spending = [
        (PAY, sum((unit.pay_amount for unit in service), ZERO)),
        (NON_PAY, sum((unit.non_pay_amount for unit in service), ZERO)),
        (SUPPORT, sum((unit.gross_amount for unit in units if unit.role is UnitRole.SUPPORT), ZERO)),
    ]
    # nil without an out-turn, and so left out unless last year's figures give one
    settled = result.year_end.settlements if result.year_end is not None else ()
    spending.append((OUTTURN, -sum((s.variance_amount for s in settled), ZERO)))
    rows = [(NoteSection.INCOME, name, amount) for name, amount in income.items()]
    rows += [(NoteSection.EXPENDITURE, name, amount) for name, amount in spending]
    rows += [(section, line.name, line.amount) for section in BALANCE_SHEET for line in accounts.lines(section)]
    return rows
