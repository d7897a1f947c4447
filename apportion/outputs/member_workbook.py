"""Where each cell of a member's workbook is written.

It opens on a one-page **Statement** for a board paper or an invoice: the member, its net
cash payable, in-kind value and total contribution, a line per unit and where each figure
is worked. Then the member's **Contribution** line for each unit, each figure a formula of
its line on the **Lines** sheet, which holds every participant of the member's units with
the split penny by penny; the **Reconciliation** of those units, worked from their
**Inputs** (budget lines as read); how each figure was calculated in words; the year end
and plan where the budget has them; and the provenance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from apportion.model import Apportionment, ChargingModel, MemberShare, UnitResult, UnitRole
from apportion.model.budget import StatementDetails
from apportion.model.money import ZERO, format_gbp, round_decimal
from apportion.outputs.accounts_sheet import write_accounts_note
from apportion.outputs.exit_sheet import EXIT_SETTLEMENT, in_words, write_exit_sheet
from apportion.outputs.instalment_sheet import INSTALMENTS, write_instalments_sheet
from apportion.outputs.instalment_sheet import TOP as INSTALMENT_TOP
from apportion.outputs.line_sheet import write_lines
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import (
    BOLD,
    MONEY,
    PERCENT,
    PLACES,
    Book,
    CellValue,
    Column,
    Row,
    Span,
    absolute,
    money_col,
    write_provenance_sheet,
)
from apportion.outputs.spreadsheet import Chart, Formula, Series, Sheet
from apportion.outputs.support_sheet import SUPPORT, write_member_support
from apportion.outputs.unit_sheets import (
    INPUTS,
    LINES,
    RECONCILIATION,
    Places,
    UnitParts,
    reconciled,
    write_inputs,
    write_reconciliation,
)
from apportion.outputs.wording import variant_words
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet
from apportion.rules.explain import budget_steps, charge_steps, unit_words
from apportion.rules.explain_year import year_end_steps

STATEMENT, CONTRIBUTION = "Statement", "Contribution"


def member_workbook(result: Apportionment, member: str, provenance: Provenance, parts: UnitParts | None = None) -> Book:
    """A member's contribution: its statement, its lines, every participant's lines, the
    reconciliation and inputs of its units, the workings in words, the provenance
    (``parts``: what the run's other workbooks have already made of its units)."""
    parts = parts if parts is not None else UnitParts()
    book = Book(result, f"{member}: contribution {result.budget.year}", provenance)
    units = [unit for unit in result.units if unit.share_of(member) is not None]
    kind = next(m.kind for m in result.budget.members if m.name == member)
    statement = book.sheet(STATEMENT, f"Contribution statement of {member} ({kind})", member)
    contribution = book.sheet(CONTRIBUTION, f"Contribution of {member}", member)
    places = write_lines(book, units, member, parts)
    inputs = write_inputs(book, units, member, confidential=result.budget.in_kind_confidential, parts=parts)
    write_reconciliation(book, units, inputs, places, member)
    lines_at = write_contribution(book, contribution, member, places, parts)
    if result.support_flows is not None:
        write_member_support(book, result.support_flows, places, member, parts)
    write_statement(book, statement, member, lines_at, parts)
    write_how_sheet(book, member, parts)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end, member)
    write_accounts_note(book, member)
    if result.plan_years:
        write_plan_sheet(book, member)
    write_instalments_sheet(book, member, f"{CONTRIBUTION}!$C${COVER_TOP}")
    write_exit_sheet(book, member)
    write_provenance_sheet(book)
    book.order(STATEMENT, EXIT_SETTLEMENT, INSTALMENTS, CONTRIBUTION, LINES, SUPPORT, RECONCILIATION, INPUTS)
    return book


COVER_TOP = 4
CONTRIBUTION_TOP = 8


def contribution_columns(units: Sequence[UnitResult]) -> tuple[Column, ...]:
    """The Contribution's columns: the levy and in kind only where its units have them."""
    columns = [
        Column("code", "Unit code", 14, wrap=True),
        Column("unit", "Unit", 26, wrap=True),
        Column("basis", "Basis", 26, wrap=True),
        Column("share", "Share of the unit's cost", 10, PERCENT),
        money_col("cost", "Share of cost", total=True),
    ]
    if any(u.unit.model is ChargingModel.LEAD_FORCE for u in units):
        columns.append(money_col("levy", "Levy payable (+) / receivable (-)", total=True))
    if any(u.unit.in_kind for u in units):
        columns += [money_col("in_kind", "In-kind value", total=True), money_col("credit", "In-kind credit", total=True)]
    columns += [money_col("cash", "Net cash payable", total=True), Column("where", "Worked on", 11, wrap=True)]
    return tuple(columns)


def write_contribution(book: Book, sheet: Sheet, member: str, places: Places, parts: UnitParts) -> Span:
    """The cover totals, then the member's line for each unit, each figure its Lines line's (``parts``: each
    unit's basis in words, made once for the run)."""
    result = book.result
    total = result.member_total(member)
    units = [u for u in result.units if u.share_of(member) is not None]
    columns = contribution_columns(units)
    keys = {column.key for column in columns}
    letters = places.lines_span.letters
    rows: list[Row] = []
    for unit_result in units:
        share = unit_result.share_of(member)
        assert share is not None  # noqa: S101 - the units it takes part in
        at = places.lines[(unit_result.unit.code, member)]

        def line(key: str, value: Decimal, at: int = at) -> Formula:
            return Formula(f"={LINES}!${letters[key]}${at}", value)

        row: dict[str, CellValue] = {
            "code": unit_result.unit.code, "unit": unit_result.unit.name, "basis": parts.basis_words(unit_result.unit),
            "share": unit_share(unit_result, share, at, letters, places.units[unit_result.unit.code]),
            "cost": line("cost", share.cost_amount), "cash": line("cash", share.cash_amount), "where": f"{LINES} row {at}",
        }  # fmt: skip
        if "levy" in keys:
            row["levy"] = line("levy", share.levy_amount)
        if "in_kind" in keys:
            row |= {"in_kind": line("in_kind", share.in_kind_amount), "credit": line("credit", share.in_kind_credit_amount)}
        rows.append(row)
    span = book.table(sheet, CONTRIBUTION_TOP, columns, rows, total_label="Total")
    total_row = span.last + 1
    c = span.letters
    in_kind = Formula(f"={c['in_kind']}{total_row}", total.in_kind_amount) if "in_kind" in keys else total.in_kind_amount
    cover = (
        ("Net cash payable", Formula(f"={c['cash']}{total_row}", total.cash_amount), "NetCashPayable"),
        ("In-kind value", in_kind, "InKindValue"),
        ("Total contribution (cash + in kind)", Formula(f"=C{COVER_TOP}+C{COVER_TOP + 1}", total.total_amount),
         "TotalContribution"),
    )  # fmt: skip
    for offset, (label, formula, name) in enumerate(cover):
        book.put(sheet, COVER_TOP + offset, 1, label, font=BOLD)
        book.put(sheet, COVER_TOP + offset, 3, formula, MONEY, font=BOLD)
        book.name(name, sheet, f"C{COVER_TOP + offset}")
    book.finish(sheet, CONTRIBUTION_TOP, frozen_columns=2)
    note_row = total_row + 2
    if any(u.unit.activity for u in units):
        note_row = book.put_text(sheet, note_row, ACTIVITY_SHARE)
    for note in (f"{w.unit}: {w.text}" for w in result.warnings if w.member == member):
        note_row = book.put_text(sheet, note_row, f"Note: {note}")
    if 2 <= len(rows) <= MOST_BARS:
        cash = [column.key for column in columns].index("cash") + 1
        series = Series(
            absolute(sheet, span.first, cash, span.last, cash), absolute(sheet, span.header, cash, span.header, cash),
            cached=[u.share_of(member).cash_amount for u in units], title_text="Net cash payable",  # type: ignore[union-attr]
        )  # fmt: skip
        codes = [u.unit.code for u in units]
        chart = Chart(
            "horizontal bar", f"{member}: net cash payable by unit", [series],
            absolute(sheet, span.first, 1, span.last, 1), (note_row + 1, 1), '"£"#,##0', legend=False,
            cached_categories=codes, size=(24.0, min(4.0 + 1.0 * len(codes), 16.0)), labelled=True,  # a bar of 1 cm a unit
        )  # fmt: skip
        book.chart_page(sheet, note_row + 1, chart, "Net cash payable by unit: the figures are the table's above.")
    return span


MOST_BARS = 30  # units: a member's chart of its units has a bar for each, legible on a page
ACTIVITY_SHARE = (
    "An activity unit's share of its cost is the member's activity charge and its part of the balance, over the "
    "unit's cost; on the Lines sheet its share is of the balance alone (the amount split by the basis)."
)


def unit_share(
    unit_result: UnitResult, share: MemberShare, at: int, letters: Mapping[str, str], unit_row: int
) -> Formula | Decimal:
    """The member's share of the unit's whole cost, from its line: the share of the amount
    split where that is the whole cost; an activity unit's charge and part of the balance
    over the cost; with fixed amounts, its part of what they leave (or its fixed amount)
    over the net budget."""
    unit = unit_result.unit
    expected = round_decimal(share.share, PLACES)

    def line(key: str) -> str:  # the line's cell in the column ``key``
        return f"{LINES}!${letters[key]}${at}"

    if unit.activity is not None and unit_result.cost_to_split_amount:
        return Formula(f"=({line('charge')}+{line('split')}*{line('share')})/{reconciled('cost', unit_row)}", expected)
    if unit.fixed_amounts and unit_result.net_amount:
        if share.is_fixed:
            return Formula(f"={line('value')}/{reconciled('net', unit_row)}", expected)
        return Formula(f"=(1-{reconciled('fixed', unit_row)}/{reconciled('net', unit_row)})*{line('share')}", expected)
    if share.is_fixed:  # of a unit with no net budget: nothing
        return expected
    return Formula(f"={line('share')}", expected)


STATEMENT_COLUMNS = (
    Column("code", "Unit code", 14, wrap=True),
    Column("unit", "Unit", 27, wrap=True),
    Column("basis", "Basis", 27, wrap=True),
    Column("share", "Share of the unit's cost", 10, PERCENT),
    money_col("cash", "Net cash payable", total=True),
)
FIGURES_TOP = 5


def write_statement(book: Book, sheet: Sheet, member: str, contribution: Span, parts: UnitParts) -> None:
    """One page that travels alone: who, its status and version, what it pays and gives in
    kind, a line per unit, its instalments and year end, whom to ask and how to pay, and
    where each figure is worked; its pages numbered on their own."""
    result = book.result
    budget = result.budget
    total = result.member_total(member)
    book.put(sheet, 3, 1, status_line(budget.statement), font=BOLD)
    variant = variant_words(budget)
    if variant:
        book.put_text(sheet, 4, f"Variant: {variant}", 90)
    c = contribution.letters
    units = [u for u in result.units if u.share_of(member) is not None]
    returned_rows = [contribution.first + i for i, u in enumerate(units) if u.unit.role is UnitRole.RETURNED_INCOME]
    figures = [
        ("Net cash payable", total.cash_amount, f"={CONTRIBUTION}!$C${COVER_TOP}"),
        ("In-kind value (officers seconded, not paid in cash)", total.in_kind_amount, f"={CONTRIBUTION}!$C${COVER_TOP + 1}"),
        ("Total contribution (cash + in kind)", total.total_amount, f"={CONTRIBUTION}!$C${COVER_TOP + 2}"),
    ]
    if returned_rows:  # what it pays and what it receives, netting to its net cash payable
        returned = sum((u.share_of(member).cash_amount for u in units if u.unit.role is UnitRole.RETURNED_INCOME), ZERO)  # type: ignore[union-attr]
        cells = "+".join(f"{CONTRIBUTION}!${c['cash']}${at}" for at in returned_rows)
        net, back = FIGURES_TOP + 2, FIGURES_TOP + 1
        figures[:0] = [
            ("Payable for the units' costs", total.cash_amount - returned, f"=E{net}-E{back}"),
            ("Income returned to it", returned, f"={cells}"),
        ]
    for offset, (label, amount, formula) in enumerate(figures):
        book.put(sheet, FIGURES_TOP + offset, 1, label, font=BOLD)
        book.put(sheet, FIGURES_TOP + offset, 5, Formula(formula, amount), MONEY, font=BOLD)
    top = FIGURES_TOP + len(figures) + 1
    rows: list[dict[str, CellValue]] = []
    for index, unit_result in enumerate(units):
        share = unit_result.share_of(member)
        assert share is not None  # noqa: S101 - the units it takes part in
        at = contribution.first + index
        rows.append({
            "code": unit_result.unit.code, "unit": unit_result.unit.name, "basis": parts.basis_words(unit_result.unit),
            "share": Formula(f"={CONTRIBUTION}!${c['share']}${at}", round_decimal(share.share, PLACES)),
            "cash": Formula(f"={CONTRIBUTION}!${c['cash']}${at}", share.cash_amount),
        })  # fmt: skip
    span = book.table(sheet, top, STATEMENT_COLUMNS, rows, total_label="Total")
    row = write_schedule(book, sheet, member, span.last + 3)
    row = write_year_end_lines(book, sheet, member, row)
    notes = [f"{w.unit}: {w.text}" for w in result.warnings if w.member == member]
    notes += [f"The budget {budget.revisions_text()}."] if budget.revisions else []
    notes += [
        f"Exit settlement: {in_words(s, member, result.budget.bases)}"
        for s in result.exits
        if s.member == member or s.part_of(member)
    ]
    for note in notes:
        row = book.put_text(sheet, row, f"Note: {note}", 90)
    details = budget.statement
    if details is not None and details.contact:
        row = book.put_text(sheet, row + 1, f"Questions about this statement: {details.contact}", 90)
    if details is not None and details.payment:
        row = book.put_text(sheet, row + (0 if details.contact else 1), f"How to pay: {details.payment}", 90)
    book.put_text(
        sheet, row + 1,
        f"Where each figure is worked: each unit's line, in the same order, on the {CONTRIBUTION} sheet, and from it on "
        f"the {LINES} sheet, where the member's share is split penny by penny (every member's on the summary's {LINES} "
        "sheet); the steps in words on the How this was calculated sheet.", 90,
    )  # fmt: skip
    book.finish(sheet, top, portrait=True)
    sheet.freeze = None
    book.alone[sheet.title] = f"Contribution statement of {member}"


def status_line(details: StatementDetails | None) -> str:
    """'Final, version 1.0, issued 28 March 2013'; a statement not said to be final is a draft."""
    if details is None or details.status is None:
        words = ["Draft (the budget file does not say this statement is final)"]
    else:
        words = [details.status.capitalize()]
    if details is not None and details.version:
        words.append(f"version {details.version}")
    if details is not None and details.issued:
        words.append(f"issued {details.issued.day} {details.issued:%B %Y}")
    return ", ".join(words)


def write_year_end_lines(book: Book, sheet: Sheet, member: str, row: int) -> int:
    """The member's year end in a line or two: its settlement and its part of the reserves and capital."""
    outcome = book.result.year_end
    if outcome is None:
        return row
    lines = []
    if outcome.settlements:
        settled = outcome.member_settlement(member)
        what = f"{format_gbp(abs(settled))} of the under-spend is returned to it" if settled < 0 else (
            f"{format_gbp(settled)} of the over-spend is charged to it")  # fmt: skip
        lines.append(f"Year end: {what}." if settled else "Year end: nothing to settle on the out-turn.")
    if outcome.reserves:
        opening = outcome.reserves[0].part_of(member)
        lines.append(f"Its part of the reserves: {format_gbp(opening)} at the start of the year, "
                     f"{format_gbp(outcome.member_reserves(member))} at its end.")  # fmt: skip
    if outcome.capital:
        financed = sum((c.part_of(member) for c in outcome.capital), ZERO)
        lines.append(f"Its part of the capital programme's financing: {format_gbp(financed)}.")
    for line in lines:
        row = book.put_text(sheet, row, f"{line} (Year end sheet)", 90)
    return row + (1 if lines else 0)


def write_schedule(book: Book, sheet: Sheet, member: str, row: int) -> int:
    """The member's instalments under its units, each from the Instalments sheet; the next free row."""
    result = book.result
    mine = [i for i in result.instalments if i.member == member]
    if not mine or result.budget.invoicing is None:
        return row
    book.put(sheet, row, 1, f"Instalments ({result.budget.invoicing.of(member).describe()})", font=BOLD)
    for offset, instalment in enumerate(mine, start=1):
        at = INSTALMENT_TOP + offset
        book.put(sheet, row + offset, 1, instalment.label)
        book.put(sheet, row + offset, 2, f"due {instalment.due.day} {instalment.due:%b %Y}")  # the date is on Instalments
        book.put(sheet, row + offset, 3, instalment.reference)
        book.put(sheet, row + offset, 5, Formula(f"={INSTALMENTS}!$C${at}", instalment.amount), MONEY)
    return row + len(mine) + 2


ON_INPUTS = ("Pay: ", "Non-pay: ", "Income: ")  # the steps of a unit's budget lines and income, as explain words them
HOW_COLUMNS = (
    Column("code", "Unit code", 14, wrap=True),
    Column("step", "Step", 28, wrap=True),
    Column("working", "Working", 70, wrap=True),
    money_col("amount", "Amount"),
)


def write_how_sheet(book: Book, member: str, parts: UnitParts) -> None:
    """Each unit's figures from its spending to the member's net cash payable, then its year
    end. Each budget line and income is on the Inputs sheet, a row before, and is not said
    again here: a member of a national collaboration's 500 units reads 1,500 rows fewer.
    A unit's budget is worded alike for each member, once for the run (``parts``)."""
    sheet = book.sheet("How this was calculated", f"How this was calculated: {member}", member)
    book.put(sheet, 3, 1, "Each unit from its spending (its budget lines and income are on the Inputs sheet) to "
             f"{member}'s net cash payable.")  # fmt: skip
    result = book.result
    members = result.budget.member_names
    results = {unit_result.unit.code: unit_result for unit_result in result.units}
    rows: list[list[Any]] = []
    for unit_result in result.units:
        share = unit_result.share_of(member)
        if share is None:
            continue
        code = unit_result.unit.code
        budget = parts.budgets.get(code)
        if budget is None:
            returned = unit_result.unit.role is UnitRole.RETURNED_INCOME  # its income is its split
            budget = parts.budgets[code] = [
                [code, step.label, step.working, step.amount]
                for step in budget_steps(unit_result)
                if returned or not step.label.startswith(ON_INPUTS)
            ]
        rows += budget
        words = parts.words.get(code)
        if words is None:
            words = parts.words[code] = unit_words(unit_result, members)
        steps = charge_steps(unit_result, share, members, results, words)
        rows += [[code, step.label, step.working, step.amount] for step in steps]
    rows += [["year end", s.label, s.working, s.amount] for s in year_end_steps(book.result, member)]
    book.table(sheet, 4, HOW_COLUMNS, rows)
    book.finish(sheet, 4)
