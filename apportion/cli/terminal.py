"""What apportion shows in the terminal: totals tables, problems and warnings (rich)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from apportion.model import Apportionment, Message
from apportion.model.messages import counted, shown
from apportion.model.money import ZERO, plain
from apportion.rules.explain_text import as_words

# No markup and no emoji codes: a member called "[bold red]Avon[/]" or "Avon :police_car:" is
# printed as written (and rich need not load its table of emoji). Text that comes from a
# file is printed through shown(), so no control character in it reaches the terminal.
out = Console(highlight=False, emoji=False, markup=False)
err = Console(stderr=True, highlight=False, emoji=False, markup=False)
if not out.is_terminal:
    out.width = 120  # a file or a pipe: wide enough that no amount is cut short

if TYPE_CHECKING:
    from apportion.model.invoicing import Instalment
    from apportion.model.monitoring import MonitoringReport, PeriodComparison
    from apportion.rules.compare import Comparison
    from apportion.rules.sweep import Sweep

PROGRESS_AFTER = 1.0  # seconds of work before a progress bar appears


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A callback (done, total) that shows a progress bar on the terminal once the work has
    taken more than about a second; quick runs, files and pipes see nothing (and do not
    import the bar)."""
    started = time.perf_counter()
    bar: Any = None

    def advance(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if not err.is_terminal or time.perf_counter() - started <= PROGRESS_AFTER:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            bar = Progress(*columns, console=err, transient=True)
            bar.add_task(description, total=total)
            bar.start()
        bar.update(bar.task_ids[0], completed=done, total=total)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.stop()


def money(amount: object) -> str:
    return f"{amount:,.2f}"


def show_totals(result: Apportionment) -> None:
    """Each member's net cash payable, in-kind value and total contribution."""
    budget = result.budget
    table = Table(title=f"{budget.collaboration}, {budget.year}: contributions (£)", title_justify="left")
    table.add_column("Member")
    for heading in ("Net cash payable", "In-kind value", "Total contribution"):
        table.add_column(heading, justify="right")
    totals = result.member_totals
    for total in totals:
        table.add_row(total.member, money(total.cash_amount), money(total.in_kind_amount), money(total.total_amount))
    table.add_section()
    table.add_row(
        "Total",
        money(sum((t.cash_amount for t in totals), ZERO)),
        money(sum((t.in_kind_amount for t in totals), ZERO)),
        money(sum((t.total_amount for t in totals), ZERO)),
        style="bold",
    )
    out.print(table)


def show_problems(problems: Sequence[Message], count: int | None = None) -> None:
    """One line a problem, unwrapped, so that editors and grep can jump to file:line; then
    how many there are (``count``, where more were found than are told)."""
    for problem in problems:
        err.print(shown(str(problem)), soft_wrap=True)
    count = len(problems) if count is None else count
    err.print(f"{counted(count, 'problem')} found; nothing was written.", soft_wrap=True)


def show_warnings(warnings: Sequence[Message], side: str = "") -> None:
    """Each warning on its own line; ``side`` ("before", "after") says which run of a comparison."""
    label = f"warning ({side})" if side else "warning"
    for warning in warnings:
        err.print(f"{label}: {shown(str(warning))}", soft_wrap=True)


def show_explanation(result: Apportionment, member: str, unit_code: str | None, line: str | None = None) -> None:
    """Each unit's steps: the step in bold, its working beneath, the figure on the right
    (``line``: only how its part of that line of the accounts note is reached)."""
    from apportion.rules.explain import member_steps
    from apportion.rules.explain_year import has_year_end, year_end_steps

    if line is not None:
        show_accounts_explanation(result, member, line)
        return
    budget = result.budget
    out.print(Text(f"{member}: {budget.collaboration}, {budget.year}", style="bold"))
    for unit_result, steps in member_steps(result, member, unit_code):
        unit = unit_result.unit
        out.print()
        out.print(Text(f"{unit.code}: {unit.name}", style="bold underline"))
        show_steps(steps)
    if unit_code is None and has_year_end(result):
        out.print()
        out.print(Text("Year end", style="bold underline"))
        show_steps(list(year_end_steps(result, member)))
    if unit_code is None:
        total = result.member_total(member)
        in_kind = f" and gives {money(total.in_kind_amount)} in kind" if total.in_kind_amount else ""
        out.print()
        out.print(
            Text(
                f"{member} pays {money(total.cash_amount)} in cash{in_kind} (total contribution {money(total.total_amount)}).",
                style="bold",
            )
        )


def show_accounts_explanation(result: Apportionment, member: str, line: str) -> None:
    """How the member's part of one line of the accounts note is reached, step by step."""
    from apportion.rules.explain_year import accounts_steps

    budget = result.budget
    out.print(Text(f"{member}: {budget.collaboration}, {budget.year}: accounts note", style="bold"))
    out.print()
    show_steps(list(accounts_steps(result, member, line)))


def show_steps(steps: Sequence[Any]) -> None:
    """Each step in bold, its working beneath, the figure on the right."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    for step in steps:
        grid.add_row(Text(step.label, style="bold"), money(step.amount) if step.amount is not None else "")
        grid.add_row(Padding(Text(step.working), (0, 0, 0, 4)), "")
    out.print(grid)


def show_comparison(comparison: Comparison) -> None:
    """Each member before and after, the difference, the change and what moved it."""
    from apportion.outputs.wording import describe_side

    out.print(Text(f"Before: {describe_side(comparison.before)}\nAfter:  {describe_side(comparison.after)}", style="bold"))
    table = Table(title="Net cash payable (£)", title_justify="left")
    table.add_column("Member", no_wrap=True)
    for heading in ("Before", "After", "Difference", "Change"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("What moved it", ratio=1)
    for d in comparison.members:
        percent = f"{plain(d.change_percent, signed=True)}%" if d.change_percent is not None else ""
        table.add_row(d.member, money(d.before_amount), money(d.after_amount), signed(d.change_amount), percent, d.cause())
    table.add_section()
    total_change = comparison.after_total - comparison.before_total
    table.add_row(
        "Total", money(comparison.before_total), money(comparison.after_total), signed(total_change), "", "", style="bold"
    )
    out.print(table)


def signed(amount: Decimal) -> str:
    return f"{'+' if amount > 0 else ''}{amount:,.2f}"


def show_year_end(result: Apportionment) -> None:
    """Settlement by member, reserves, capital, match funding and savings, where the file has them."""
    outcome = result.year_end
    if outcome is None:
        return
    budget = result.budget
    against = f"the budget as revised ({budget.revisions_text()})" if budget.revisions else "the budget"
    for s in outcome.settlements:
        kind = "under-spend" if s.variance_amount >= 0 else "over-spend"
        out.print(
            f"{s.unit}: net out-turn {money(s.outturn_amount)} against {against} of {money(s.budget_amount)}: "
            f"{kind} of {money(abs(s.variance_amount))} (+ under-spend, - over-spend: {signed(s.variance_amount)}), "
            f"settled by {s.settlement.value}"
        )
    if any(s.parts for s in outcome.settlements):
        table = Table(
            title="Year-end settlement, as cash: an under-spend returned (-), an over-spend charged (+) (£)",
            title_justify="left",
        )
        table.add_column("Member")
        table.add_column("Settlement", justify="right")
        for member in result.budget.member_names:
            table.add_row(member, signed(outcome.member_settlement(member)))
        out.print(table)
    if outcome.reserves_closing is not None:
        out.print(f"Reserves: opening {money(outcome.reserves_opening)}, closing {money(outcome.reserves_closing)}")
    if outcome.reserves:
        held = as_words(outcome.reserves[0].basis, result.budget.bases)
        table = Table(title=f"Each member's part of the reserves, in {held} (£)", title_justify="left")
        table.add_column("Member")
        for column in outcome.reserves:
            table.add_column(column.name, justify="right")
        table.add_column("Closing", justify="right")
        for member in dict.fromkeys(m for c in outcome.reserves for m, _ in c.parts):
            parts = [c.part_of(member) for c in outcome.reserves]
            table.add_row(member, *(signed(p) if i else money(p) for i, p in enumerate(parts)), money(sum(parts, ZERO)))
        out.print(table)
    if outcome.capital_programme is not None:
        financing = ", ".join(f"{name} {money(amount)}" for name, amount in outcome.capital_financing)
        out.print(f"Capital programme {money(outcome.capital_programme)}, financed by {financing}")
    for m in outcome.matches:
        verdict = "matched" if not m.shortfall_amount else f"short by {money(m.shortfall_amount)}"
        out.print(
            f"{m.unit}: {m.income} {money(m.grant_amount)} against members' cash {money(m.cash_amount)}"
            f" and officers in kind {money(m.in_kind_amount)}: {verdict}"
        )
    for saving in outcome.savings:
        out.print(
            f"{saving.unit}: {saving.member} pays {money(saving.contribution_amount)} against "
            f"{money(saving.stand_alone_amount)} alone: a saving of {money(saving.saving_amount)}"
        )
    note = result.accounts
    if note is not None:
        from apportion.model.accounts import NoteSection

        assets, liabilities, reserves = (money(note.total(s)) for s in (NoteSection.ASSETS, NoteSection.LIABILITIES,
                                                                         NoteSection.RESERVES))  # fmt: skip
        out.print(f"Accounts note: assets {assets}, liabilities {liabilities}, reserves {reserves}; each member's part "
                  f"of every line, in {as_words(note.basis, result.budget.bases)}, in accounts.csv and its workbook")  # fmt: skip


def show_the_year(result: Apportionment) -> None:
    """Which revisions the figures include; the instalments where a revision changed them;
    each exit settlement in words, and who pays what in it when."""
    from apportion.outputs.exit_sheet import in_words

    budget = result.budget
    if budget.revisions:
        out.print(f"The budget {budget.revisions_text()}.")
    if budget.revisions_in_force and result.instalments:
        out.print(instalment_table("Instalments, as revised (£)", result.instalments, money))
    for settled in result.exits:
        out.print(f"Exit settlement: {in_words(settled, None, result.budget.bases)}")
        title = f"Exit settlement of {settled.member}: pays (+) / receives (-) (£)"
        out.print(instalment_table(title, settled.instalments, signed))


def instalment_table(title: str, instalments: Sequence[Instalment], figure: Callable[[Decimal], str]) -> Table:
    table = Table(title=title, title_justify="left")
    for heading in ("Member", "Instalment", "Due"):
        table.add_column(heading)
    table.add_column("Amount", justify="right")
    for i in instalments:
        table.add_row(i.member, i.label, f"{i.due.day} {i.due:%b %Y}", figure(i.amount))
    return table


def show_plan(result: Apportionment) -> None:
    """Each member's net cash payable in each year of the plan."""
    if not result.plan_years:
        return
    years = (result, *result.plan_years)
    table = Table(title="Medium-term plan: net cash payable by year (£)", title_justify="left")
    table.add_column("Member")
    for year in years:
        table.add_column(year.budget.year, justify="right", no_wrap=True)
    totals = [{t.member: t.cash_amount for t in year.member_totals} for year in years]
    for member in result.budget.member_names:
        table.add_row(member, *(money(t[member]) for t in totals))
    table.add_section()
    table.add_row("Total", *(money(sum(t.values(), ZERO)) for t in totals), style="bold")
    out.print(table)


def show_sweep(sweep: Sweep) -> None:
    """Per member: the lowest, median and highest net cash payable and the outcome giving each."""
    varied = "; ".join(f"{f.describe(f.start)} to {plain(f.stop)}% by {plain(f.step)}%" for f in sweep.factors)
    how = f"{sweep.draws:,} random draws (seed {sweep.seed})" if sweep.draws is not None else f"{len(sweep.outcomes):,} outcomes"
    table = Table(title=f"Net cash payable as {varied} ({how}) (£)", title_justify="left")
    table.add_column("Member", no_wrap=True)
    for heading in ("Lowest", "at", "Median", "at", "Highest", "at"):
        table.add_column(heading, justify="right", no_wrap=len(sweep.factors) == 1)
    for e in sweep.exposures(short=True):
        table.add_row(
            e.member, money(e.minimum_amount), e.minimum_at, money(e.median_amount), e.median_at,
            money(e.maximum_amount), e.maximum_at,
        )  # fmt: skip
    out.print(table)


POSITION_FIGURES = (
    "budget_amount", "profile_amount", "spent_amount", "variance_to_date_amount", "forecast_amount", "variance_amount",
)  # fmt: skip


def show_monitoring(report: MonitoringReport, result: Apportionment) -> None:
    """Each unit's budget, actual to date and forecast; each member's share of the variance."""
    budget = result.budget
    table = Table(
        title=f"{budget.collaboration}, {budget.year}: position at the end of {report.describe()} (£)", title_justify="left"
    )
    table.add_column("Unit")
    for heading in ("Budget", "Budget to date", "Actual to date", "Variance to date", "Forecast out-turn", "Variance"):
        table.add_column(heading, justify="right")
    for u in report.units:
        forecast = money(u.forecast_amount) + ("" if u.forecast_given else " *")
        table.add_row(u.unit, money(u.budget_amount), money(u.profile_amount), money(u.spent_amount),
                      signed(u.variance_to_date_amount), forecast, signed(u.variance_amount))  # fmt: skip
    table.add_section()
    totals = [sum((getattr(u, f) for u in report.units), ZERO) for f in POSITION_FIGURES]
    table.add_row("Total", *(money(t) for t in totals[:3]), signed(totals[3]), money(totals[4]), signed(totals[5]), style="bold")
    out.print(table)
    if not all(u.forecast_given for u in report.units):
        out.print("* no forecast reported: the actual to date plus the budget for the rest of the year")
    if report.revisions:
        out.print(f"The budget as revised to the end of {report.name}: it {report.revisions}")
    shares = Table(
        title="Each member's share of the forecast variance (+ an under-spend, which the year end returns to it as a "
        "credit, -; - an over-spend, charged to it, +) (£)",
        title_justify="left",
    )
    shares.add_column("Member")
    for heading in ("Share of the variance", "Net cash payable", "If the forecast holds"):
        shares.add_column(heading, justify="right")
    for member in report.members:
        cash, share = result.member_total(member).cash_amount, report.member_variance(member)
        shares.add_row(member, signed(share), money(cash), money(cash - share))
    out.print(shares)


def show_period_comparison(comparison: PeriodComparison) -> None:
    """What moved from one period's report to the next: each unit's forecast and variance, each member's share."""
    before, after = comparison.before, comparison.after
    table = Table(title=f"From the end of {before.describe()} to the end of {after.describe()} (£)", title_justify="left")
    table.add_column("Unit")
    for heading in (f"Forecast at {before.name}", f"Forecast at {after.name}", f"Variance at {before.name}",
                    f"Variance at {after.name}", "Moved"):  # fmt: skip
        table.add_column(heading, justify="right", no_wrap=True)
    for code, then, now in comparison.units():  # spending to date is in the CSV and the workbook
        cells = [money(p.forecast_amount) if p else "" for p in (then, now)]
        variances = [p.variance_amount if p else ZERO for p in (then, now)]
        table.add_row(code, *cells, signed(variances[0]), signed(variances[1]), signed(variances[1] - variances[0]))
    out.print(table)
    shares = Table(title="Each member's share of the forecast variance (+ under-spend, - over-spend) (£)", title_justify="left")
    shares.add_column("Member")
    for heading in (f"At {before.name}", f"At {after.name}", "Moved"):
        shares.add_column(heading, justify="right")
    for member, then_share, now_share in comparison.members():
        shares.add_row(member, signed(then_share), signed(now_share), signed(now_share - then_share))
    out.print(shares)
