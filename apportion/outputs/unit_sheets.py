"""The three sheets every contribution workbook traces its figures through, by formula:

* **Inputs**: each unit's rules and budget lines (pay, non-pay, income, officers in kind)
  as read from the budget file: the typed figures every other figure comes from;
* **Reconciliation**: each unit's pay, non-pay, income and officers in kind, added up from
  its Inputs lines; its net budget, the cost it shares and its levy base, worked from them;
  and the members' parts added up from the Lines sheet, which must come to the net budget;
* **Lines**: each participant's line for each unit, its share of the cost and its levy
  worked from the Reconciliation's figures and shown penny by penny: the exact part in
  pence, rounded down, the remainder, its place in the queue for the pence left over and
  whether it gets one (``=IF(place<=left over,1,0)``), so the sheet itself proves the
  largest-remainder split: a second working of the rules, deliberately, which the tests
  recalculate in a spreadsheet engine and hold to the rules' figures to the penny.

The summary shows every unit and member; a member's workbook, the units it takes part in
with every participant of each, so it sees that its figure is one of a set that adds up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import ChargingModel, InKindTreatment, LevyBase, LineKind, MemberShare, UnitResult
from apportion.model.money import ZERO, Allocation, plain, round_decimal, to_fraction
from apportion.outputs.sheets import (
    BOLD,
    EXACT,
    NUMBER,
    PERCENT,
    PLACES,
    WHOLE,
    Book,
    CellValue,
    Column,
    Row,
    Span,
    Styled,
    exact,
    money_col,
)
from apportion.outputs.spreadsheet import LETTERS, Formula
from apportion.outputs.wording import describe_basis, describe_in_kind, describe_model

INPUTS, RECONCILIATION, LINES = "Inputs", "Reconciliation", "Lines"
PENCE = "#,##0.000"
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
    rows: list[Row] = []
    for unit_result in units:
        unit = unit_result.unit

        def row(  # noqa: PLR0917 - an Inputs row, column by column
            item: str, kind: str, detail: str = "", amount: Decimal | None = None, who: str = "", code: str = unit.code
        ) -> Row:
            return {"code": code, "item": item, "kind": kind, "member": who, "detail": detail, "amount": amount}

        who = f"serves: {', '.join(unit.support.serves)}" if unit.support else f"participants: {', '.join(unit.participants)}"
        rows.append(row(unit.name, "unit", who))
        if unit.headcount is not None:
            rows.append(row("Headcount", "rule", plain(unit.headcount)))
        if unit.activity is not None:
            rows.extend(
                row(f"{unit.activity.measure}: {m}", "activity", plain(q, grouped=True), None, m)
                for m, q in unit.activity.quantities.items()
            )
        source = f"; source: {unit.basis.source.describe()}" if unit.basis.source else ""
        rows.append(row("Basis", "rule", describe_basis(unit) + source))
        rows.append(row("Charging model", "rule", describe_model(unit)))
        rows.append(row("Officers in kind", "rule", describe_in_kind(unit)))
        rows.extend(row(line.name, line.kind.value, amount=line.amount) for line in unit.lines)
        rows.extend(row(income.name, "income", amount=income.amount) for income in unit.income)
        for oik in unit.in_kind:
            shown = oik.cost_each_amount is not None and not (confidential and oik.member != member)
            detail = f"{oik.officers} officers x £{oik.cost_each_amount:,.2f}" if shown else ""
            rows.append(row("Officers in kind", "in kind", detail, oik.value_amount, oik.member))
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
    money_col("shares", "Members' shares of cost", total=True),
    money_col("levy_paid", "Levy payable", total=True),
    money_col("levy_received", "Levy receivable", total=True),
    money_col("credits", "In-kind credits", total=True),
    money_col("cash", "Members' net cash", total=True),
    money_col("difference", "Difference from net budget", total=True),
)


def reconciliation_rows(units: Sequence[UnitResult]) -> dict[str, int]:
    return {unit_result.unit.code: TOP + 1 + index for index, unit_result in enumerate(units)}


def write_reconciliation(book: Book, units: Sequence[UnitResult], inputs: Span, lines: Places, member: str = "") -> None:
    """Each unit's figures from its Inputs lines, and its members' parts from the Lines: the
    difference from the net budget is zero when they add up."""
    sheet = book.sheet(RECONCILIATION, "Reconciliation: each unit's budget, and its members' parts, which add up to it", member)
    rows = []
    letters = lines.lines_span.letters
    for unit_result in units:
        unit, shares = unit_result.unit, unit_result.shares
        first = lines.lines[(unit.code, shares[0].member)]
        last = lines.lines[(unit.code, shares[-1].member)]

        def lines_sum(key: str, amount: Decimal, condition: str = "", first: int = first, last: int = last) -> Formula:
            cells = f"{LINES}!${letters[key]}${first}:${letters[key]}${last}"
            return Formula(f'=SUMIF({cells},"{condition}")' if condition else f"=SUM({cells})", amount)

        cash = sum((s.cash_amount for s in shares), ZERO)
        offset = unit.in_kind_treatment is InKindTreatment.OFFSET
        rows.append({  # fmt: skip
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
            "shares": lines_sum("cost", sum((s.cost_amount for s in shares), ZERO)),
            "levy_paid": lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO), ">0"),
            "levy_received": lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO), "<0"),
            "credits": lines_sum("credit", sum((s.in_kind_credit_amount for s in shares), ZERO)),
            "cash": lines_sum("cash", cash),
            "difference": lambda r, c, d=cash - unit_result.net_amount: Formula(f"={c['cash']}{r}-{c['net']}{r}", d),
        })  # fmt: skip
    span = book.table(sheet, TOP, RECONCILIATION_COLUMNS, rows, total_label="Total")
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
    if unit.levy_base is LevyBase.NET_PAY:
        return lambda r, c: Formula(f"={c['pay']}{r}*{c['net']}{r}/({c['pay']}{r}+{c['non_pay']}{r})", value)
    return lambda r, c: Formula(f"={c['pay']}{r}", value)


# --- Lines ---------------------------------------------------------------------------------

LINE_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("unit", "Unit", 20),
    Column("member", "Member", 14),
    Column("basis", "Basis", 16),
    Column("value", "Value in the basis (or fixed)", 12, NUMBER),
    Column("total", "Participants' total", 12, NUMBER),
    Column("share", "Share", 9, PERCENT),
    money_col("split", "Amount split by share"),
    Column("exact", "Exact part (pence)", 14, PENCE),
    Column("floor", "Rounded down (pence)", 13, WHOLE),
    Column("remainder", "Remainder (of a penny)", 10, "0.000"),
    Column("place", "Place in queue", 9, WHOLE),
    Column("left", "Pence left over", 9, WHOLE),
    Column("extra", "Extra penny", 8, WHOLE),
    money_col("cost", "Share of cost", total=True),
    Column("rate", "Levy rate", 8, PERCENT),
    money_col("base", "Levy base (pay)"),
    Column("levy_share", "Share for the levy", 9, PERCENT),
    Column("levy_exact", "Exact levy", 15, EXACT),
    Column("levy_floor", "Levy rounded down (pence)", 12, WHOLE),
    Column("levy_remainder", "Levy remainder", 10, "0.000"),
    Column("levy_place", "Levy place in queue", 9, WHOLE),
    Column("levy_left", "Levy pence left over", 9, WHOLE),
    Column("levy_extra", "Levy extra penny", 8, WHOLE),
    money_col("levy", "Levy payable (+) / receivable (-)", total=True),
    money_col("in_kind", "In-kind value", total=True),
    money_col("credit", "In-kind credit", total=True),
    money_col("cash", "Net cash payable", total=True),
)


ACTIVITY_COLUMNS = (
    Column("quantity", "Activity", 10, NUMBER),
    money_col("rate_each", "Rate for each"),
    money_col("charge", "Activity charge", total=True),
)


def line_columns(units: Sequence[UnitResult]) -> tuple[Column, ...]:
    """The Lines sheet's columns: with an activity unit, its quantity, rate and charge too."""
    if not any(unit.unit.activity for unit in units):
        return LINE_COLUMNS
    at = [column.key for column in LINE_COLUMNS].index("split")
    return (*LINE_COLUMNS[:at], *ACTIVITY_COLUMNS, *LINE_COLUMNS[at:])


def write_lines(book: Book, units: Sequence[UnitResult], member: str = "") -> Places:
    """Every participant's line for each unit, worked from the Reconciliation's figures."""
    title = f"Every participant's line for each unit {member} takes part in" if member else "Every member's line for every unit"
    sheet = book.sheet(LINES, f"{title}: shares, the split penny by penny, levy, in kind and cash", member)
    units_at = reconciliation_rows(units)
    rows: list[Row] = []
    places: dict[tuple[str, str], int] = {}
    for unit_result in units:
        first = TOP + 1 + len(rows)
        span_of_unit = (first, first + len(unit_result.shares) - 1)
        for share in unit_result.shares:
            places[(unit_result.unit.code, share.member)] = TOP + 1 + len(rows)
            rows.append(line_cells(unit_result, share, units_at[unit_result.unit.code], span_of_unit))
            if share.member == member:  # in a member's workbook its own lines are the ones to find
                rows[-1] = {**rows[-1], "member": Styled(member, font=BOLD)}
    span = book.table(sheet, TOP, line_columns(units), rows, total_label="Total")
    book.excel_table(sheet, "UnitLines", span)
    book.finish(sheet, TOP, frozen_columns=3)
    return Places(units_at, places, span)


def reconciled(key: str, row: int) -> str:
    """A unit's figure on the Reconciliation sheet, as a formula refers to it."""
    letter = LETTERS[[column.key for column in RECONCILIATION_COLUMNS].index(key) + 1]
    return f"{RECONCILIATION}!${letter}${row}"


def line_cells(unit_result: UnitResult, share: MemberShare, unit_row: int, rows: tuple[int, int]) -> dict[str, CellValue]:
    """A participant's line: each rounded figure from its workings (the floor and the queue);
    ``rows``: the first and last of the unit's lines."""
    unit = unit_result.unit
    line: dict[str, CellValue] = {
        "code": unit.code, "unit": unit.name, "member": share.member,
        "basis": describe_basis(unit) + BY_PERIOD * bool(unit_result.periods),
        "split": Formula(f"={reconciled('split', unit_row)}", unit_result.cost_to_split_amount - unit_result.fixed_total_amount),
    }  # fmt: skip
    if unit.activity is not None:
        line |= activity_cells(unit_result, share, unit_row, rows)
    if share.is_fixed:
        fixed = unit.fixed_amounts[share.member]
        line |= {"value": fixed, "share": exact(share.share), "cost": lambda r, c: Formula(f"={c['value']}{r}", fixed)}
    else:
        working = share.cost_workings
        assert working is not None  # noqa: S101 - every share not fixed was split
        line |= {
            "value": weight_cell(share.weight, "#,##0.0000" if unit_result.periods else None),
            "total": weight_cell(unit_result.weight_total),
            "share": lambda r, c: Formula(f"={c['value']}{r}/{c['total']}{r}", working.share_decimal(PLACES)),
            **queue_cells(working),
        }
        if unit.activity is not None:
            line["cost"] = activity_cost(share)
    line |= levy_cells(unit_result, share, unit_row)
    line["in_kind"] = share.in_kind_amount
    if unit.in_kind_treatment is InKindTreatment.OFFSET:
        line["credit"] = lambda r, c: Formula(f"=-{c['in_kind']}{r}", share.in_kind_credit_amount)
    else:
        line["credit"] = ZERO
    line["cash"] = lambda r, c: Formula(f"={c['cost']}{r}+{c['levy']}{r}+{c['credit']}{r}", share.cash_amount)
    return line


def activity_cells(unit_result: UnitResult, share: MemberShare, unit_row: int, rows: tuple[int, int]) -> dict[str, CellValue]:
    """Rate x quantity to the penny; the balance split is the cost less every participant's charge."""
    activity = unit_result.unit.activity
    assert activity is not None and share.activity_amount is not None  # noqa: S101 - an activity unit's line
    charge = share.activity_amount
    balance = unit_result.cost_to_split_amount - (unit_result.recovered_amount or ZERO)
    return {
        "quantity": weight_cell(share.quantity),
        "rate_each": activity.rate_amount,
        "charge": lambda r, c: Formula(f"=ROUND({c['quantity']}{r}*{c['rate_each']}{r},2)", charge),
        "split": lambda r, c: Formula(
            f"={reconciled('split', unit_row)}-SUM(${c['charge']}${rows[0]}:${c['charge']}${rows[1]})", balance
        ),
    }


def weight_cell(weight: Decimal | Fraction | None, shown: str | None = None) -> CellValue:
    """A basis value as written: a whole number without decimals; a blend (a composite's, a
    support unit's percentage points) to 12 decimals, ``shown`` in that format (a member's
    exact part of a year rounded once, in pounds)."""
    if weight is None:
        return None
    if isinstance(weight, Fraction):
        weight = round_decimal(weight, PLACES)
    if shown is not None:
        return Styled(weight, shown)
    return Styled(weight, "#,##0") if weight == weight.to_integral_value() else weight


def queue_cells(working: Allocation) -> dict[str, CellValue]:
    """The largest-remainder workings of a share of cost as cells: the exact part in pence
    (the amount split x the share), rounded down, the remainder, the place in the queue, the
    pence left over, the extra penny (a formula of the place and the pence left over), and
    the share of cost (a formula of them)."""
    exact_pence = Fraction(working.pence * working.units, working.total_units)
    return {
        "exact": lambda r, c: Formula(f"=ABS({c['split']}{r})*100*{c['share']}{r}", round_decimal(exact_pence, PLACES)),
        "floor": working.floor_pence,
        "remainder": round_decimal(Fraction(working.remainder_units, working.total_units), 6),
        "place": working.rank,
        "left": working.pence_left_over,
        "extra": lambda r, c: Formula(f"=IF({c['place']}{r}<={c['left']}{r},1,0)", Decimal(int(working.extra_penny))),
        "cost": lambda r, c: Formula(f"=SIGN({c['split']}{r})*({c['floor']}{r}+{c['extra']}{r})/100", working.amount),
    }


def activity_cost(share: MemberShare) -> CellValue:
    """An activity unit's share of cost: its charge and its part of the balance."""
    return lambda r, c: Formula(
        f"={c['charge']}{r}+SIGN({c['split']}{r})*({c['floor']}{r}+{c['extra']}{r})/100", share.cost_amount
    )


def levy_cells(unit_result: UnitResult, share: MemberShare, unit_row: int) -> dict[str, CellValue]:
    """The lead receives the pot, rate x base x the payers' shares, rounded; each payer pays
    its part of that pot, penny by penny as the cost is split."""
    unit = unit_result.unit
    if unit.model is not ChargingModel.LEAD_FORCE:
        return {"levy": ZERO}
    rate = exact(to_fraction(unit.levy_rate) / 100)
    lead = share.member == unit.lead
    sign = "-" if lead else ""
    cells: dict[str, CellValue] = {
        "rate": rate,
        "base": Formula(f"={reconciled('base', unit_row)}", exact(unit_result.levy_base_amount)),
        "levy_share": round_decimal(share.levy_share, 12),
        "levy_exact": lambda r, c: Formula(f"={sign}{c['rate']}{r}*{c['base']}{r}*{c['levy_share']}{r}", exact(share.levy_exact)),
    }
    if lead:
        cells["levy"] = lambda r, c: Formula(f"=ROUND({c['levy_exact']}{r},2)", share.levy_amount)
    elif share.levy_workings is not None:
        working = share.levy_workings
        cells |= {
            "levy_floor": working.floor_pence,
            "levy_remainder": round_decimal(Fraction(working.remainder_units, working.total_units), 6),
            "levy_place": working.rank,
            "levy_left": working.pence_left_over,
            "levy_extra": lambda r, c: Formula(
                f"=IF({c['levy_place']}{r}<={c['levy_left']}{r},1,0)", Decimal(int(working.extra_penny))
            ),
            "levy": lambda r, c: Formula(
                f"=SIGN({c['levy_exact']}{r})*({c['levy_floor']}{r}+{c['levy_extra']}{r})/100", share.levy_amount
            ),
        }  # fmt: skip
    else:
        cells["levy"] = ZERO
    return cells
