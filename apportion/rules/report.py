"""The panel report's figures, worked out once from a run (and last year's figures, the
actuals, the file's scenarios and a sweep, where given) for the writer to show.

The members' table, the units and the funding are worked here; this year against last
year, the monitoring position and the year end in :mod:`apportion.rules.report_year`; the
risks and the workings in :mod:`apportion.rules.report_risks`. Each figure of the body is
rounded for showing by :func:`apportion.model.money.round_column` (largest remainder), so
that every column adds up to the total printed under it. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import Apportionment, Budget, InputFile
from apportion.model.money import ZERO, round_decimal
from apportion.model.records import EMPTY, BasisKind
from apportion.model.report import ReportSettings, YearFigures
from apportion.rules.compare import shares_of
from apportion.rules.report_figures import (
    FundingRow,
    MemberRow,
    PanelReport,
    Shown,
    UnitFigures,
    UnitRow,
    shown_column,
    shown_one,
    total_of,
)
from apportion.rules.report_risks import scenario_columns, sensitivity, workings
from apportion.rules.report_year import bridge, monitoring_position, year_end_figures
from apportion.rules.sweep_factors import Factor
from apportion.rules.year_end import written_units

JOINED, LEFT = "joined", "left"


class Request(NamedTuple):
    """What a report is asked to show beyond the run: last year, a monitoring period, a sweep."""

    last_year: YearFigures | None = None
    period: int | None = None  # the monitoring period (None: the latest every unit has actuals for)
    factors: tuple[Factor, ...] = ()  # a sweep's, for the members' exposure
    draws: int | None = None
    seed: int = 1
    inputs: tuple[InputFile, ...] = ()  # files beyond the budget's: last year's, the actuals
    asked: Mapping[str, object] = EMPTY  # what was asked, as datapackage.json records it


def panel_report(result: Apportionment, written: Budget, request: Request | None = None) -> PanelReport:
    """Everything the report shows. ``written``: the budget as written, which the file's
    scenarios and a sweep vary (``result`` may be a variant of it).

    Raises MonitoringError for a period asked for that the actuals do not reach, and
    SweepError for a sweep that cannot be made (as ``sweep`` does)."""
    request = request or Request()
    budget = result.budget
    settings = budget.report or ReportSettings()
    step = settings.figures.step
    rows, totals = member_rows(result, request.last_year, settings)
    current = [row for row in rows if row.status != LEFT]
    by_total = sorted(current, key=lambda row: (-row.total.exact, row.member.casefold()))
    units, unit_totals = unit_rows(result, step)
    funding, funding_total, pays_for = funding_rows(result, totals, unit_totals, step)
    unit_workings, member_workings = workings(result)
    population = budget.bases.get(settings.population) if settings.population else None
    return PanelReport(
        settings=settings,
        collaboration=budget.collaboration,
        year=budget.year,
        scenario=budget.scenario,
        members=rows,
        totals=totals,
        units=units,
        unit_totals=unit_totals,
        funding=funding,
        funding_total=funding_total,
        pays_for=pays_for,
        biggest=by_total[0].member,
        smallest=by_total[-1].member,
        population_basis=population.name if population else None,
        population_source=population.source.describe() if population and population.source else None,
        bridge=bridge(result, request.last_year, rows, step) if request.last_year else None,
        monitoring=monitoring_position(result, request.period, step),
        year_end=year_end_figures(result, step),
        scenarios=scenario_columns(result, written, step),
        sensitivity=sensitivity(written, request, step) if request.factors else None,
        unit_workings=unit_workings,
        workings=member_workings,
        inputs=request.inputs,
        asked=request.asked,
    )


def member_rows(
    result: Apportionment, last: YearFigures | None, settings: ReportSettings
) -> tuple[tuple[MemberRow, ...], MemberRow]:
    """A row a member (and one a member that left since last year), and the totals row."""
    budget, step = result.budget, settings.figures.step
    names = list(budget.member_names)
    gone = [m for m in last.members if m not in names] if last else []  # no longer in the budget's members
    cash = {m: result.member_total(m).cash_amount for m in names} | dict.fromkeys(gone, ZERO)
    in_kind = {m: result.member_total(m).in_kind_amount for m in names} | dict.fromkeys(gone, ZERO)
    taking_part = {share.member for _, share in result.shares()}
    cash_shown, kind_shown = shown_column(cash, step), shown_column(in_kind, step)
    total = {m: Shown(cash[m] + in_kind[m], cash_shown[m].shown + kind_shown[m].shown) for m in cash}
    whole = sum((t.exact for t in total.values()), ZERO)
    before = shown_column({m: last.total_of(m) for m in cash if m in last.members}, step) if last else {}
    people = population_of(budget, settings)
    kinds = {member.name: member.kind for member in budget.members}
    rows = []
    for m in cash:
        earlier = before.get(m)
        status = membership(m in last.members, m in taking_part) if last is not None else ""
        rows.append(
            MemberRow(
                member=m,
                kind=kinds.get(m, ""),
                share=Fraction(total[m].exact) / Fraction(whole) if whole and status != LEFT else None,
                cash=cash_shown[m],
                in_kind=kind_shown[m],
                total=total[m],
                last_year=earlier,
                change=total[m].minus(earlier) if earlier is not None else None,
                change_percent=percent_change(total[m].exact, earlier.exact) if earlier is not None else None,
                population=people.get(m),
                per_head=per_head(total[m].exact, people[m]) if m in people else None,
                status=status,
            )
        )
    cash_total, kind_total = total_of(cash_shown), total_of(kind_shown)
    grand = Shown(cash_total.exact + kind_total.exact, cash_total.shown + kind_total.shown)
    last_total = total_of(before) if last else None
    population = sum(people.values(), Decimal(0)) if people else None
    totals = MemberRow(
        member="Total",
        kind="",
        share=Fraction(1) if whole else None,
        cash=cash_total,
        in_kind=kind_total,
        total=grand,
        last_year=last_total,
        change=grand.minus(last_total) if last_total is not None else None,
        change_percent=percent_change(grand.exact, last_total.exact) if last_total is not None else None,
        population=population,
        per_head=per_head(grand.exact, population) if population else None,
    )
    return tuple(rows), totals


def membership(was: bool, now: bool) -> str:
    """Against last year: a member that takes part in a unit only this year joined; only last year, left."""
    return JOINED if now and not was else LEFT if was and not now else ""


def percent_change(now: Decimal, before: Decimal) -> Decimal | None:
    return round_decimal(Fraction(now - before) / Fraction(before) * 100, 1) if before else None


def per_head(amount: Decimal, people: Decimal) -> Decimal | None:
    """Pounds and pence a head, half up."""
    return round_decimal(Fraction(amount) / Fraction(people), 2) if people else None


def population_of(budget: Budget, settings: ReportSettings) -> dict[str, Decimal]:
    """Each member's population, from the basis ``report: population:`` names."""
    basis = budget.bases.get(settings.population) if settings.population else None
    if basis is None or basis.kind is not BasisKind.DRIVERS:
        return {}
    return {m: basis.weights[m] for m in budget.member_names if basis.weights.get(m)}


def unit_rows(result: Apportionment, step: Decimal) -> tuple[tuple[UnitRow, ...], UnitFigures]:
    """Each unit as written, with its spending, income, net budget and officers in kind; and their totals.

    The net budgets, income and officers in kind are rounded as columns; a unit's spending
    shown is its net budget and income shown, so that each row adds up as printed and the
    net budgets add up to what the members' table says they pay."""
    units = result.budget.units
    parts = written_units(result.units)  # the year's figures: a unit's periods (lines that start or stop, revisions) added up

    def year_of(code: str, figure: str) -> Decimal:
        return sum((getattr(part.unit, figure) for part in parts[code]), ZERO)

    net = shown_column({u.code: year_of(u.code, "net_amount") for u in units}, step)
    income = shown_column({u.code: year_of(u.code, "income_amount") for u in units}, step)
    in_kind = shown_column({u.code: year_of(u.code, "in_kind_amount") for u in units}, step)
    recovered: dict[str, Decimal] = {}
    for unit_result in result.units:
        if unit_result.recovered_amount is not None:
            code = unit_result.unit.origin or unit_result.unit.code
            recovered[code] = recovered.get(code, ZERO) + unit_result.recovered_amount
    rows = []
    for unit in units:
        spending = Shown(year_of(unit.code, "gross_amount"), net[unit.code].shown + income[unit.code].shown)
        by_rates = shown_one(recovered[unit.code], step) if unit.code in recovered else None
        figures = UnitFigures(spending, income[unit.code], net[unit.code], in_kind[unit.code])
        rows.append(UnitRow(unit, figures, by_rates, net[unit.code].minus(by_rates) if by_rates is not None else None))
    totals = UnitFigures(*(total_of(tuple(row.figures[i] for row in rows)) for i in range(4)))
    return tuple(rows), totals


def funding_rows(
    result: Apportionment, totals: MemberRow, units: UnitFigures, step: Decimal
) -> tuple[tuple[FundingRow, ...], Shown, tuple[tuple[str, Shown], ...]]:
    """Where the money comes from (the members' cash and officers in kind, as the members'
    table totals them, and each grant and income by name), its total, and what it pays for
    (spending and officers in kind, as the units' table totals them): the two add up alike."""
    income: dict[str, Decimal] = {}
    for unit_result in result.units:  # the year's: each period's part of the line
        for line in unit_result.unit.income:
            income[line.name] = income.get(line.name, ZERO) + line.amount
    rows = [FundingRow("Members' cash contributions", "members", totals.cash)]
    if totals.in_kind.exact:
        rows.append(FundingRow("Officers seconded in kind", "in kind", totals.in_kind))
    rows += [FundingRow(name, "income", amount) for name, amount in shown_column(income, step).items()]
    pays_for = [("Spending (pay and non-pay)", units.spending)]
    if units.in_kind.exact:
        pays_for.append(("Officers seconded in kind", units.in_kind))
    total = total_of(tuple(row.amount for row in rows))
    whole = Fraction(total.exact)
    rows = [row._replace(share=Fraction(row.amount.exact) / whole if whole else None) for row in rows]
    return tuple(rows), total, tuple(pays_for)


def year_figures(result: Apportionment) -> YearFigures:
    """A run's contributions as last year's, for a comparison with the next year's."""
    budget = result.budget
    units = {u.unit.code: u.unit.name for u in result.units}
    shares = shares_of(result)
    members = tuple(m for m in budget.member_names if any(member == m for member, _ in shares))
    return YearFigures(budget.collaboration, budget.year, members, units, shares, budget.input_files)
