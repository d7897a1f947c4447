"""Two of the three sheets every contribution workbook traces its figures through, by formula:

* **Inputs**: each unit's rules and budget lines (pay, non-pay, income, officers in kind)
  as read from the budget file: the typed figures every other figure comes from;
* **Reconciliation**: each unit's pay, non-pay, income and officers in kind, added up from
  its Inputs lines; its net budget, the cost it shares and its levy base, worked from them;
  in the summary, the members' parts added up from the Lines sheet, which must come to the
  net budget;
* **Lines** (:mod:`apportion.outputs.line_sheet`): a participant's line for each unit, its
  share of the cost and its levy worked from the Reconciliation's figures, penny by penny.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from apportion.model import ChargingModel, InKindTreatment, LineKind, UnitResult
from apportion.model.money import ZERO, plain
from apportion.model.names import SUMMARY_NAME
from apportion.outputs.sheets import (
    Book,
    CellValue,
    Column,
    Span,
    exact,
    money_col,
)
from apportion.outputs.spreadsheet import LETTERS, Formula
from apportion.outputs.wording import describe_basis, describe_in_kind, describe_model

INPUTS, RECONCILIATION, LINES = "Inputs", "Reconciliation", "Lines"
PENCE = "#,##0.000"
REMAINDER = "0.000###"  # a remainder to three places, more where it has them
BY_PERIOD = ", by period, rounded once for the year"  # a unit split into periods, each member's year rounded once
TOP = 4  # the header row of each table


class Places(NamedTuple):
    """Where each unit's figures and each member's line were written."""

    units: dict[str, int]  # unit code -> its Reconciliation row
    lines: dict[tuple[str, str], int]  # (unit code, member) -> its Lines row
    lines_span: Span


# --- Inputs ------------------------------------------------------------------------------

INPUT_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("item", "Item", 30),
    Column("kind", "Kind", 10),
    Column("member", "Member", 14),
    Column("detail", "Detail", 36, wrap=True),
    money_col("amount", "Amount"),
)


def write_inputs(book: Book, units: Sequence[UnitResult], member: str | None = None, *, confidential: bool = False) -> Span:
    """The budget as read: each unit's rules, lines, income and officers in kind. With
    ``confidential``, other members' officers in kind are shown as a value, without the
    officers and their cost."""
    sheet = book.sheet(INPUTS, "Inputs: each unit's rules and budget lines, as read from the budget file", member or "")
    everyone = book.result.budget.member_names
    every = f"participants: all {len(everyone)} members"
    rows: list[list[Any]] = []
    add = rows.append
    for unit_result in units:
        unit = unit_result.unit
        code = unit.code
        if unit.support:
            who = f"serves: {', '.join(unit.support.serves)}"
        else:
            who = every if len(unit.participants) == len(everyone) else f"participants: {', '.join(unit.participants)}"
        add([code, unit.name, "unit", None, who, None])
        if unit.headcount is not None:
            add([code, "Headcount", "rule", None, plain(unit.headcount), None])
        if unit.activity is not None:
            measure = unit.activity.measure
            rows.extend([code, f"{measure}: {m}", "activity", m, plain(q, grouped=True), None]
                        for m, q in unit.activity.quantities.items())  # fmt: skip
        source = f"; source: {unit.basis.source.describe()}" if unit.basis.source else ""
        add([code, "Basis", "rule", None, describe_basis(unit) + source, None])
        add([code, "Charging model", "rule", None, describe_model(unit), None])
        add([code, "Officers in kind", "rule", None, describe_in_kind(unit), None])
        rows.extend([code, line.name, line.kind.value, None, None, line.amount] for line in unit.lines)
        rows.extend([code, income.name, "income", None, None, income.amount] for income in unit.income)
        for oik in unit.in_kind:
            shown = oik.cost_each_amount is not None and not (confidential and oik.member != member)
            detail = f"{oik.officers} officers x £{oik.cost_each_amount:,.2f}" if shown else None
            add([code, "Officers in kind", "in kind", oik.member, detail, oik.value_amount])
    span = book.table(sheet, TOP, INPUT_COLUMNS, rows)
    book.excel_table(sheet, "Inputs", span)
    book.finish(sheet, TOP, frozen_columns=1)
    return span


def inputs_sum(inputs: Span, code: str, kind: str, member: str | None = None) -> str:
    """SUMPRODUCT of the Inputs amounts of one kind for a unit (and a member): exact matches, no wildcards."""
    who = f"({inputs.column('member', INPUTS)}={member})*" if member else ""
    return (
        f'SUMPRODUCT(({inputs.column("code", INPUTS)}={code})*({inputs.column("kind", INPUTS)}="{kind}")*{who}'
        f"{inputs.column('amount', INPUTS)})"
    )


# --- Reconciliation ------------------------------------------------------------------------

RECONCILIATION_COLUMNS = (
    Column("code", "Unit code", 12),
    money_col("pay", "Pay", total=True),
    money_col("non_pay", "Non-pay", total=True),
    money_col("income", "Grants and income", total=True),
    money_col("net", "Net budget", total=True),
    money_col("in_kind", "Officers in kind offset", total=True),
    money_col("cost", "Cost shared", total=True),
    money_col("fixed", "Fixed amounts", total=True),
    money_col("split", "Split by share", total=True),
    money_col("base", "Levy base (pay)"),
)
MEMBERS_PARTS = (
    money_col("shares", "Members' shares of cost", total=True),
    money_col("levy_paid", "Levy payable", total=True),
    money_col("levy_received", "Levy receivable", total=True),
    money_col("credits", "In-kind credits", total=True),
    money_col("cash", "Members' net cash", total=True),
    money_col("difference", "Difference from net budget", total=True),
)
PROVED = Column("proved", f"Members' parts added up in {SUMMARY_NAME}", 20, wrap=True)


def reconciliation_rows(units: Sequence[UnitResult]) -> dict[str, int]:
    return {unit_result.unit.code: TOP + 1 + index for index, unit_result in enumerate(units)}


def write_reconciliation(book: Book, units: Sequence[UnitResult], inputs: Span, lines: Places, member: str = "") -> None:
    """Each unit's figures from its Inputs lines; in the summary, its members' parts from
    the Lines, whose difference from the net budget is zero when they add up (a member's
    workbook names the summary's row of each unit)."""
    subtitle = "each unit's budget, and its members' parts, which add up to it" if not member else (
        f"the budget of each unit {member} takes part in, worked from its Inputs")  # fmt: skip
    sheet = book.sheet(RECONCILIATION, f"Reconciliation: {subtitle}", member)
    summary_rows = reconciliation_rows(book.result.units)
    rows = []
    letters = lines.lines_span.letters
    for unit_result in units:
        unit, shares = unit_result.unit, unit_result.shares
        offset = unit.in_kind_treatment is InKindTreatment.OFFSET
        row: dict[str, CellValue] = {
            "code": unit.code,
            "pay": from_inputs(inputs, LineKind.PAY.value, unit_result.pay_amount),
            "non_pay": from_inputs(inputs, LineKind.NON_PAY.value, unit_result.non_pay_amount),
            "income": from_inputs(inputs, "income", unit_result.income_amount),
            "net": lambda r, c, v=unit_result.net_amount: Formula(f"={c['pay']}{r}+{c['non_pay']}{r}-{c['income']}{r}", v),
            "in_kind": from_inputs(inputs, "in kind", unit_result.in_kind_total_amount) if offset else ZERO,
            "cost": lambda r, c, v=unit_result.cost_to_split_amount: Formula(f"={c['net']}{r}+{c['in_kind']}{r}", v),
            "fixed": unit_result.fixed_total_amount,
            "split": lambda r, c, v=unit_result.cost_to_split_amount - unit_result.fixed_total_amount: Formula(
                f"={c['cost']}{r}-{c['fixed']}{r}", v),
            "base": levy_base(unit_result),
        }  # fmt: skip
        if member:
            row["proved"] = f"Reconciliation row {summary_rows[unit.code]}"
        else:
            first = lines.lines[(unit.code, shares[0].member)]
            last = lines.lines[(unit.code, shares[-1].member)]

            def lines_sum(key: str, amount: Decimal, condition: str = "", first: int = first, last: int = last) -> CellValue:
                if key not in letters:
                    return ZERO
                cells = f"{LINES}!${letters[key]}${first}:${letters[key]}${last}"
                return Formula(f'=SUMIF({cells},"{condition}")' if condition else f"=SUM({cells})", amount)

            cash = sum((s.cash_amount for s in shares), ZERO)
            row |= {
                "shares": lines_sum("cost", sum((s.cost_amount for s in shares), ZERO)),
                "levy_paid": lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO), ">0"),
                "levy_received": lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO), "<0"),
                "credits": lines_sum("credit", sum((s.in_kind_credit_amount for s in shares), ZERO)),
                "cash": lines_sum("cash", cash),
                "difference": lambda r, c, d=cash - unit_result.net_amount: Formula(f"={c['cash']}{r}-{c['net']}{r}", d),
            }
        rows.append(row)
    columns = (*RECONCILIATION_COLUMNS, PROVED) if member else (*RECONCILIATION_COLUMNS, *MEMBERS_PARTS)
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.finish(sheet, span.header, frozen_columns=1)


def from_inputs(inputs: Span, kind: str, amount: Decimal) -> CellValue:
    """The sum of a unit's Inputs lines of one kind, in the unit's row."""
    return lambda r, c: Formula(f"={inputs_sum(inputs, f'$A{r}', kind)}", amount)


def levy_base(unit_result: UnitResult) -> CellValue:
    """Gross pay, or pay x net / gross (net of its part of income), from the same row."""
    unit = unit_result.unit
    if unit.model is not ChargingModel.LEAD_FORCE:
        return None
    value = exact(unit_result.levy_base_amount)
    if unit.levy_base.value == "net_pay":
        return lambda r, c: Formula(f"={c['pay']}{r}*{c['net']}{r}/({c['pay']}{r}+{c['non_pay']}{r})", value)
    return lambda r, c: Formula(f"={c['pay']}{r}", value)


def reconciled(key: str, row: int) -> str:
    """A unit's figure on the Reconciliation sheet, as a formula refers to it."""
    letter = LETTERS[[column.key for column in RECONCILIATION_COLUMNS].index(key) + 1]
    return f"{RECONCILIATION}!${letter}${row}"
