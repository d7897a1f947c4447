"""The year, composed in one place: each step in order, each handing its result to the next.

1. **Prepare** (:mod:`apportion.rules.prepare`): the scenario and what-ifs made, each unit
   whose membership changes in the year split into its periods, income returned by a
   split of its own made a unit, each later year of a plan made.
2. **Apportion each unit** (:mod:`apportion.rules.split`): its shares, share of cost, levy,
   in kind and cash; support units through the units they serve.
3. **Round once for the year** (:mod:`apportion.rules.year_rounding`), where the agreement
   rounds a member's year once rather than each period.
4. **The year end** (:mod:`apportion.rules.year_end`): settlement, reserves and capital.
5. **Instalments** (:mod:`apportion.rules.instalments`): each member's net cash payable as
   it is invoiced.
6. **Revisions**: from each revision's date, in turn, the instalments due before it stay as
   the budget was invoiced before it (its units apportioned and rounded as in steps 2 and
   3); the rest absorb the change. (The revisions' figures are in the periods step 1 made.)
7. **Exit settlements** (:mod:`apportion.rules.exits`): what each member leaving the
   collaboration settles, from the year as apportioned and the year end, and its instalments.
8. **The accounts** (:mod:`apportion.rules.accounts`): each member's part of the
   collaboration's income, expenditure and balance sheet, where the year end gives one.
9. **Postings** (:mod:`apportion.rules.postings`): every movement of the year, which the
   journal and each member's ledger post.

Each step runs once and its result is carried in the :class:`Apportionment`; no later step
and no writer works an earlier one's figures out again. Pure: no I/O.
"""

from dataclasses import replace

from apportion.model.budget import Budget, Prepared
from apportion.model.invoicing import Instalment
from apportion.model.messages import Message
from apportion.model.records import PeriodRounding
from apportion.model.results import Apportionment
from apportion.rules.accounts import accounts_note
from apportion.rules.exits import exit_settlements
from apportion.rules.instalments import instalments, revised
from apportion.rules.postings import postings
from apportion.rules.prepare import prepare
from apportion.rules.split import apportion_units, member_totals, unit_warnings
from apportion.rules.year_end import year_end
from apportion.rules.year_rounding import round_once_for_the_year


def apportion(budget: Prepared | Budget, *, with_postings: bool = True) -> Apportionment:
    """The year of a prepared budget: every unit split among its participants, each
    member's totals, the later years of its plan, its year end and its instalments.

    A :class:`~apportion.model.budget.Budget` is prepared as written first. The budget must
    have passed the readers' validation (participants have weights, a lead is a
    participant, fixed amounts fit the net budget). Each unit's parts add up exactly to its
    cost. Warnings name a member whose in-kind value exceeds its share and a unit whose
    income exceeds its spending. Raises SupportError where no one bears a support charge.
    ``with_postings=False`` leaves out the year's postings, which only the journal and the
    members' ledgers read: a run that writes neither need not work them out (asked for
    them, such a result raises ValueError rather than give an empty journal).
    """
    prepared = budget if isinstance(budget, Prepared) else prepare(budget)
    source = prepared.budget
    year = split_year(prepared)
    later = tuple(split_year(plan_year) for plan_year in prepared.later_years)
    ended = year_end(year, source.year_end) if source.year_end is not None else None
    invoicing = source.invoicing
    invoiced: tuple[Instalment, ...] = ()
    notes: tuple[Message, ...] = ()
    if invoicing is not None:
        invoiced, notes = instalments(year, invoicing)
        if prepared.stages:
            invoiced = instalments(split_year(prepared.stages[0][1]), invoicing)[0]  # as first invoiced
            for (on, _), (_, then) in zip(prepared.stages, (*prepared.stages[1:], (None, prepared)), strict=True):
                invoiced = revised(split_year(then) if then is not prepared else year, invoicing, invoiced, on)
    exits = exit_settlements(year, ended, source.exits, invoicing) if source.exits else ()
    year = replace(year, plan_years=later, year_end=ended, instalments=invoiced, exits=exits,
                   warnings=(*year.warnings, *notes))  # fmt: skip
    accounts = source.year_end.accounts if source.year_end is not None else None
    if accounts is not None:
        year = replace(year, accounts=accounts_note(year, accounts))
    return replace(year, postings=postings(year)) if with_postings else year


def split_year(prepared: Prepared) -> Apportionment:
    """Steps 2 and 3: each unit apportioned, rounded once for the year where the budget
    says so, and each member's totals."""
    source = prepared.budget
    units = apportion_units(prepared.units, source)
    if source.membership and source.period_rounding is PeriodRounding.ONCE_FOR_THE_YEAR:
        units = round_once_for_the_year(units, source.units)
    warnings = tuple(warning for unit in units for warning in unit_warnings(unit))
    return Apportionment(source, units, warnings, member_totals(source.member_names, units))
