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

from decimal import Decimal

from apportion.model import Apportionment, UnitRole
from apportion.model.money import ZERO, format_gbp, round_decimal
from apportion.outputs.accounts_sheet import write_accounts_note
from apportion.outputs.instalment_sheet import INSTALMENTS, write_instalments_sheet
from apportion.outputs.instalment_sheet import TOP as INSTALMENT_TOP
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
from apportion.outputs.support_sheet import SUPPORT, SUPPORT_IN_UNITS, write_support_sheet
from apportion.outputs.unit_sheets import INPUTS, LINES, RECONCILIATION, Places, write_inputs, write_lines, write_reconciliation
from apportion.outputs.wording import describe_basis
from apportion.outputs.year_sheets import write_plan_sheet, write_year_end_sheet
from apportion.rules.explain import member_steps
from apportion.rules.explain_year import year_end_steps

STATEMENT, CONTRIBUTION = "Statement", "Contribution"


def member_workbook(result: Apportionment, member: str, provenance: Provenance) -> Book:
    """A member's contribution: its statement, its lines, every participant's lines, the
    reconciliation and inputs of its units, the workings in words, the provenance."""
    book = Book(result, f"{member}: contribution {result.budget.year}", provenance)
    units = [unit for unit in result.units if unit.share_of(member) is not None]
    kind = next(m.kind for m in result.budget.members if m.name == member)
    statement = book.sheet(STATEMENT, f"Contribution statement of {member} ({kind})", member)
    contribution = book.sheet(CONTRIBUTION, f"Contribution of {member}", member)
    places = write_lines(book, units, member)
    write_reconciliation(book, units, write_inputs(book, units, member, confidential=result.budget.in_kind_confidential),
                         places, member)  # fmt: skip
    lines_at = write_contribution(book, contribution, member, places)
    if result.support_flows is not None:
        write_support_sheet(book, result.support_flows, places, member)
    write_statement(book, statement, member, lines_at)
    write_how_sheet(book, member)
    if result.year_end is not None:
        write_year_end_sheet(book, result.year_end, member)
    write_accounts_note(book, member)
    if result.plan_years:
        write_plan_sheet(book, member)
    write_instalments_sheet(book, member, f"{CONTRIBUTION}!$C${COVER_TOP}")
    write_provenance_sheet(book)
    book.order(STATEMENT, INSTALMENTS, CONTRIBUTION, LINES, SUPPORT, SUPPORT_IN_UNITS, RECONCILIATION, INPUTS)
    return book


CONTRIBUTION_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("unit", "Unit", 26, wrap=True),
    Column("basis", "Basis", 22, wrap=True),
    Column("share", "Share", 9, PERCENT),
    money_col("cost", "Share of cost", total=True),
    money_col("levy", "Levy payable (+) / receivable (-)", total=True),
    money_col("in_kind", "In-kind value", total=True),
    money_col("credit", "In-kind credit", total=True),
    money_col("cash", "Net cash payable", total=True),
    Column("where", "Worked on", 11, wrap=True),
)
COVER_TOP = 4
CONTRIBUTION_TOP = 8


def write_contribution(book: Book, sheet: Sheet, member: str, places: Places) -> Span:
    """The cover totals, then the member's line for each unit, each figure its Lines line's."""
    result = book.result
    total = result.member_total(member)
    letters = places.lines_span.letters
    rows: list[Row] = []
    for unit_result in result.units:
        share = unit_result.share_of(member)
        if share is None:
            continue
        at = places.lines[(unit_result.unit.code, member)]

        def line(key: str, value: Decimal, at: int = at) -> Formula:
            return Formula(f"={LINES}!${letters[key]}${at}", value)

        rows.append({
            "code": unit_result.unit.code, "unit": unit_result.unit.name, "basis": describe_basis(unit_result.unit),
            "share": line("share", round_decimal(share.share, PLACES)), "cost": line("cost", share.cost_amount),
            "levy": line("levy", share.levy_amount), "in_kind": line("in_kind", share.in_kind_amount),
            "credit": line("credit", share.in_kind_credit_amount), "cash": line("cash", share.cash_amount),
            "where": f"{LINES} row {at}",
        })  # fmt: skip
    span = book.table(sheet, CONTRIBUTION_TOP, CONTRIBUTION_COLUMNS, rows, total_label="Total")
    total_row = span.last + 1
    c = span.letters
    cover = (
        ("Net cash payable", Formula(f"={c['cash']}{total_row}", total.cash_amount), "NetCashPayable"),
        ("In-kind value", Formula(f"={c['in_kind']}{total_row}", total.in_kind_amount), "InKindValue"),
        ("Total contribution (cash + in kind)", Formula(f"=C{COVER_TOP}+C{COVER_TOP + 1}", total.total_amount),
         "TotalContribution"),
    )  # fmt: skip
    for offset, (label, formula, name) in enumerate(cover):
        book.put(sheet, COVER_TOP + offset, 1, label, font=BOLD)
        book.put(sheet, COVER_TOP + offset, 3, formula, MONEY, font=BOLD)
        book.name(name, sheet, f"C{COVER_TOP + offset}")
    book.finish(sheet, CONTRIBUTION_TOP, frozen_columns=2)
    notes = [f"{w.unit}: {w.text}" for w in result.warnings if w.member == member]
    note_row = total_row + 2
    for note in notes:
        note_row = book.put_text(sheet, note_row, f"Note: {note}")
    if rows:
        cash = [column.key for column in CONTRIBUTION_COLUMNS].index("cash") + 1
        own = [unit.share_of(member) for unit in result.units]
        series = Series(
            absolute(sheet, span.first, cash, span.last, cash), absolute(sheet, span.header, cash, span.header, cash),
            cached=[s.cash_amount for s in own if s is not None], title_text="Net cash payable",
        )  # fmt: skip
        codes = [u.unit.code for u in result.units if u.share_of(member) is not None]
        sheet.breaks.append(note_row)  # the chart prints whole, on a page of its own
        sheet.charts.append(
            Chart(
                "horizontal bar", f"{member}: net cash payable by unit", [series],
                absolute(sheet, span.first, 1, span.last, 1), (note_row + 1, 1), '"£"#,##0', legend=False,
                cached_categories=codes, size=(24.0, min(4.0 + 1.0 * len(codes), 16.0)),  # a bar of 1 cm a unit
            )
        )  # fmt: skip
    return span


STATEMENT_COLUMNS = (
    Column("code", "Unit code", 13, wrap=True),
    Column("unit", "Unit", 29, wrap=True),
    Column("basis", "Basis", 22, wrap=True),
    Column("share", "Share", 9, PERCENT),
    money_col("cash", "Net cash payable", total=True),
    Column("where", "Worked on", 13, wrap=True),
)
STATEMENT_TOP = 10


def write_statement(book: Book, sheet: Sheet, member: str, contribution: Span) -> None:
    """One page: who, what it pays and gives in kind, a line per unit, notes, where each is worked."""
    result = book.result
    budget = result.budget
    total = result.member_total(member)
    if budget.scenario:
        book.put(sheet, 3, 1, f"Variant: {budget.scenario}")
    c = contribution.letters
    total_row = contribution.last + 1
    units = [u for u in result.units if u.share_of(member) is not None]
    returned_rows = [contribution.first + i for i, u in enumerate(units) if u.unit.role is UnitRole.RETURNED_INCOME]
    figures = [
        ("Net cash payable", total.cash_amount, f"={CONTRIBUTION}!$C${COVER_TOP}"),
        ("In-kind value", total.in_kind_amount, f"={CONTRIBUTION}!$C${COVER_TOP + 1}"),
        ("Total contribution (cash + in kind)", total.total_amount, f"={CONTRIBUTION}!$C${COVER_TOP + 2}"),
    ]
    if returned_rows:  # what it pays and what it receives, netting to its net cash payable
        returned = sum((u.share_of(member).cash_amount for u in units if u.unit.role is UnitRole.RETURNED_INCOME), ZERO)  # type: ignore[union-attr]
        cells = "+".join(f"{CONTRIBUTION}!${c['cash']}${at}" for at in returned_rows)
        figures[:0] = [
            ("Payable for the units' costs", total.cash_amount - returned, "=E7-E6"),
            ("Income returned to it", returned, f"={cells}"),
        ]
    for offset, (label, amount, formula) in enumerate(figures):
        book.put(sheet, 5 + offset, 1, label, font=BOLD)
        book.put(sheet, 5 + offset, 5, Formula(formula, amount), MONEY, font=BOLD)
    top = STATEMENT_TOP + (2 if returned_rows else 0)
    rows: list[dict[str, CellValue]] = []
    for index, unit_result in enumerate(units):
        share = unit_result.share_of(member)
        assert share is not None  # noqa: S101 - the units it takes part in
        at = contribution.first + index
        rows.append({
            "code": unit_result.unit.code, "unit": unit_result.unit.name, "basis": describe_basis(unit_result.unit),
            "share": Formula(f"={CONTRIBUTION}!${c['share']}${at}", round_decimal(share.share, PLACES)),
            "cash": Formula(f"={CONTRIBUTION}!${c['cash']}${at}", share.cash_amount),
            "where": f"{CONTRIBUTION} row {at}",
        })  # fmt: skip
    span = book.table(sheet, top, STATEMENT_COLUMNS, rows, total_label="Total")
    row = write_schedule(book, sheet, member, span.last + 3)
    row = write_year_end_lines(book, sheet, member, row)
    notes = [f"{w.unit}: {w.text}" for w in result.warnings if w.member == member]
    for note in notes:
        row = book.put_text(sheet, row, f"Note: {note}", 90)
    explanation = (
        f"Where each figure is worked: each unit's line on the {CONTRIBUTION} sheet (the row shown above), the totals",
        f"in its row {total_row}; each line from the unit's line on the {LINES} sheet, where every participant's",
        "share is split penny by penny; the steps in words on the How this was calculated sheet.",
    )
    for offset, text in enumerate(explanation, start=row + (1 if notes else 0)):
        book.put(sheet, offset, 1, text)
    book.finish(sheet, top, portrait=True)
    sheet.freeze = None


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


HOW_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("step", "Step", 28, wrap=True),
    Column("working", "Working", 70, wrap=True),
    money_col("amount", "Amount"),
)


def write_how_sheet(book: Book, member: str) -> None:
    """Each unit's figures from budget lines to the member's net cash payable, then its year end."""
    sheet = book.sheet("How this was calculated", f"How this was calculated: {member}", member)
    rows = [
        {"code": unit_result.unit.code, "step": step.label, "working": step.working, "amount": step.amount}
        for unit_result, steps in member_steps(book.result, member)
        for step in steps
    ]
    rows += [{"code": "year end", "step": s.label, "working": s.working, "amount": s.amount}
             for s in year_end_steps(book.result, member)]  # fmt: skip
    book.table(sheet, 4, HOW_COLUMNS, rows)
    book.finish(sheet, 4)
