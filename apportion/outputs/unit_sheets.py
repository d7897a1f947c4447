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
from typing import TYPE_CHECKING, Any, NamedTuple

from apportion.model import ChargingModel, InKindTreatment, LevyBase, LineKind, Unit, UnitResult
from apportion.model.money import ZERO, plain
from apportion.model.names import SUMMARY_NAME
from apportion.outputs.sheets import (
    BOLD,
    Book,
    Column,
    Span,
    exact,
    money_col,
)
from apportion.outputs.spreadsheet import LETTERS, Formula, Relative, Sheet
from apportion.outputs.wording import basis_words, describe_basis, describe_in_kind, describe_model
from apportion.rules.explain import ShareWords
from apportion.rules.explain_charges import SupportWords

if TYPE_CHECKING:
    from apportion.outputs.support_sheet import SupportLayout

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


class QueueEnds(NamedTuple):
    """A unit's queue for the pence left over: how many were left over, and the remainder
    of the last in the queue to get one (None: none were left over)."""

    left: Decimal
    stop: Decimal | None


class UnitParts:
    """What every member's workbook of a run shows alike of a unit, made once for the run
    (in each process that makes its workbooks) rather than once for each of 43 members:
    its Inputs rows, the ends of its queues for the pence left over, its budget in words
    and what its steps say alike to every participant (How this was calculated: how its
    cost is shared or, a support unit's, charged out), its basis in words (Contribution,
    Statement), its figures on the support sheets and the summary's row of each of its
    lines. By unit code: a fresh one for each run."""

    def __init__(self) -> None:
        self.inputs: dict[str, list[list[Any]]] = {}
        self.budgets: dict[str, list[list[Any]]] = {}
        self.queues: dict[tuple[str, str], QueueEnds | None] = {}
        self.words: dict[str, SupportWords | ShareWords] = {}
        self.support: SupportLayout | None = None  # where the summary's support sheets put each support unit
        self.summary_lines: dict[tuple[str, str], int] | None = None  # the summary's row of each participant's line
        self.bases: dict[str, str] = {}

    def basis_words(self, unit: Unit) -> str:
        """The unit's basis as a statement words it (:func:`~apportion.outputs.wording.basis_words`)."""
        words = self.bases.get(unit.code)
        if words is None:
            words = self.bases[unit.code] = basis_words(unit)
        return words


# --- Inputs ------------------------------------------------------------------------------

INPUT_COLUMNS = (
    Column("code", "Unit code", 14, wrap=True),
    Column("item", "Item", 30),
    Column("kind", "Kind", 10),
    Column("member", "Member", 14),
    Column("detail", "Detail", 36, wrap=True),
    money_col("amount", "Amount"),
)


def write_inputs(
    book: Book, units: Sequence[UnitResult], member: str | None = None, *, confidential: bool = False,
    parts: UnitParts | None = None,
) -> Span:  # fmt: skip
    """The budget as read: each unit's rules, lines, income and officers in kind. With
    ``confidential``, other members' officers in kind are shown as a value, without the
    officers and their cost. ``parts``: the rows of units already written by another
    member's workbook of the run."""
    sheet = book.sheet(INPUTS, "Inputs: each unit's rules and budget lines, as read from the budget file", member or "")
    everyone = len(book.result.budget.member_names)
    known = parts.inputs if parts is not None else {}
    rows: list[list[Any]] = []
    for unit_result in units:
        code = unit_result.unit.code
        alike = not (confidential and unit_result.unit.in_kind)  # the same rows in every member's workbook
        unit_rows = known.get(code) if alike else None
        if unit_rows is None:
            unit_rows = input_rows(unit_result, everyone, member, confidential=confidential)
            if alike:
                known[code] = unit_rows
        rows += unit_rows
    span = book.table(sheet, TOP, INPUT_COLUMNS, rows)
    book.excel_table(sheet, "Inputs", span)
    book.finish(sheet, TOP, frozen_columns=1)
    return span


def input_rows(unit_result: UnitResult, everyone: int, member: str | None, *, confidential: bool) -> list[list[Any]]:
    """A unit's rows on the Inputs sheet (``everyone``: how many members the collaboration has)."""
    unit = unit_result.unit
    code = unit.code
    if unit.support:
        who = f"serves: {', '.join(unit.support.serves)}"
    else:
        who = f"participants: all {everyone} members" if len(unit.participants) == everyone else (
            f"participants: {', '.join(unit.participants)}")  # fmt: skip
    rows: list[list[Any]] = [[code, unit.name, "unit", None, who, None]]
    add = rows.append
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
    return rows


def inputs_sum(inputs: Span, code: str, kind: str, member: str | None = None) -> str:
    """SUMPRODUCT of the Inputs amounts of one kind for a unit (and a member): exact matches, no wildcards."""
    who = f"({inputs.column('member', INPUTS)}={member})*" if member else ""
    return (
        f'SUMPRODUCT(({inputs.column("code", INPUTS)}={code})*({inputs.column("kind", INPUTS)}="{kind}")*{who}'
        f"{inputs.column('amount', INPUTS)})"
    )


# --- Reconciliation ------------------------------------------------------------------------

RECONCILIATION_COLUMNS = (
    Column("code", "Unit code", 14, wrap=True),
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
    """Each unit's figures from its Inputs lines; in the summary, below, its members' parts
    from the Lines, whose difference from the net budget is zero when they add up (a
    member's workbook names the summary's row of each unit)."""
    subtitle = "each unit's budget, worked from its Inputs, and its members' parts, which add up to it" if not member else (
        f"the budget of each unit {member} takes part in, worked from its Inputs")  # fmt: skip
    sheet = book.sheet(RECONCILIATION, f"Reconciliation: {subtitle}", member)
    summary_rows = reconciliation_rows(book.result.units)
    c = {column.key: f"{LETTERS[index]}{{r}}" for index, column in enumerate(RECONCILIATION_COLUMNS, start=1)}
    pay, non_pay, income, in_kind = (
        "=" + inputs_sum(inputs, "$A{r}", kind) for kind in (LineKind.PAY.value, LineKind.NON_PAY.value, "income", "in kind")
    )
    net, cost, split = f"={c['pay']}+{c['non_pay']}-{c['income']}", f"={c['net']}+{c['in_kind']}", f"={c['cost']}-{c['fixed']}"
    gross_base, net_base = f"={c['pay']}", f"={c['pay']}*{c['net']}/({c['pay']}+{c['non_pay']})"
    rows: list[list[Any]] = []
    for unit_result in units:
        unit = unit_result.unit
        offset = unit.in_kind_treatment is InKindTreatment.OFFSET
        base = None
        if unit.model is ChargingModel.LEAD_FORCE:
            base = Relative(net_base if unit.levy_base is LevyBase.NET_PAY else gross_base, exact(unit_result.levy_base_amount))
        rows.append([
            unit.code, Relative(pay, unit_result.pay_amount), Relative(non_pay, unit_result.non_pay_amount),
            Relative(income, unit_result.income_amount), Relative(net, unit_result.net_amount),
            Relative(in_kind, unit_result.in_kind_total_amount) if offset else ZERO,
            Relative(cost, unit_result.cost_to_split_amount), unit_result.fixed_total_amount,
            Relative(split, unit_result.cost_to_split_amount - unit_result.fixed_total_amount), base,
        ])  # fmt: skip
        if member:
            rows[-1].append(f"Reconciliation row {summary_rows[unit.code]}")
    columns = (*RECONCILIATION_COLUMNS, PROVED) if member else RECONCILIATION_COLUMNS
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.finish(sheet, span.header, frozen_columns=1)
    if not member:
        write_members_parts(book, sheet, units, lines, span)


def write_members_parts(book: Book, sheet: Sheet, units: Sequence[UnitResult], lines: Places, budgets: Span) -> None:
    """Below the budgets: each unit's members' parts, added up from the Lines sheet, and
    their difference from the unit's net budget (nil)."""
    letters = lines.lines_span.letters
    top = budgets.last + 4
    book.put(sheet, top - 1, 1, "Members' parts of each unit, added up from the Lines sheet: they come to its net budget",
             font=BOLD)  # fmt: skip
    parts = (RECONCILIATION_COLUMNS[0], *MEMBERS_PARTS)
    cash_letter = LETTERS[[column.key for column in parts].index("cash") + 1]
    rows: list[list[Any]] = []
    for row, unit_result in enumerate(units, start=top + 1):
        shares = unit_result.shares
        first = lines.lines[(unit_result.unit.code, shares[0].member)]
        last = lines.lines[(unit_result.unit.code, shares[-1].member)]

        def lines_sum(key: str, amount: Decimal, condition: str = "", first: int = first, last: int = last) -> Any:
            if key not in letters:
                return ZERO
            cells = f"{LINES}!${letters[key]}${first}:${letters[key]}${last}"
            return Formula(f'=SUMIF({cells},"{condition}")' if condition else f"=SUM({cells})", amount)

        cash = sum((s.cash_amount for s in shares), ZERO)
        budget_row = budgets.first + row - top - 1
        rows.append([
            unit_result.unit.code,
            lines_sum("cost", sum((s.cost_amount for s in shares), ZERO)),
            lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount > 0), ZERO), ">0"),
            lines_sum("levy", sum((s.levy_amount for s in shares if s.levy_amount < 0), ZERO), "<0"),
            lines_sum("credit", sum((s.in_kind_credit_amount for s in shares), ZERO)),
            lines_sum("cash", cash),
            Formula(f"={cash_letter}{row}-{budgets.letters['net']}{budget_row}", cash - unit_result.net_amount),
        ])  # fmt: skip
    book.table(sheet, top, parts, rows, total_label="Total")


def reconciled(key: str, row: int) -> str:
    """A unit's figure on the Reconciliation sheet, as a formula refers to it."""
    return f"{RECONCILIATION}!${RECONCILED[key]}${row}"


RECONCILED = {column.key: LETTERS[index] for index, column in enumerate(RECONCILIATION_COLUMNS, start=1)}
