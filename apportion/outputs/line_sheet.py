"""The Lines sheet: a participant's line for each unit, its share of the cost and its levy
worked from the Reconciliation's figures (:mod:`apportion.outputs.unit_sheets`) and shown
penny by penny: the exact part in pence, rounded down, the remainder, its place in the
unit's queue for the pence left over, the pence left over, the remainder of the last in the
queue to get one, and whether it gets one (``=IF(place<=left over,1,0)``).

The summary's Lines hold every participant's line and prove every queue with formulas, once:
each place is worked from the unit's remainders (ties to the larger value in the basis,
then the name), the pence left over from the amount and the floors. A member's workbook
holds its own lines, with the same workings as figures, and names the summary's row that
proves each. The sheet is a second working of the rules, deliberately, which the tests
recalculate in spreadsheet engines and hold to the rules' figures to the penny. Every
column's formula is written once, filled down
(:class:`~apportion.outputs.spreadsheet.Relative`): a national run's summary has 21,500 lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apportion.model import ChargingModel, InKindTreatment, MemberShare, UnitResult
from apportion.model.money import ZERO, Allocation, round_decimal, round_ratio, to_fraction
from apportion.model.names import SUMMARY_NAME
from apportion.outputs.sheets import EXACT, NUMBER, PERCENT, PLACES, WHOLE, Book, CellValue, Column, Styled, exact, money_col
from apportion.outputs.spreadsheet import LETTERS, Relative
from apportion.outputs.unit_sheets import (
    LINES,
    PENCE,
    REMAINDER,
    TOP,
    Places,
    QueueEnds,
    UnitParts,
    reconciled,
    reconciliation_rows,
)

REMAINDER_PLACES = 12  # a remainder (of a penny) as written: a double holds it, and ties show as ties
QUEUE_COLUMNS = (
    Column("exact", "Exact part (pence)", 10, PENCE),
    Column("floor", "Rounded down (pence)", 9, WHOLE),
    Column("remainder", "Remainder (of a penny)", 9, REMAINDER),
    Column("place", "Place in the unit's queue", 8, WHOLE),
    Column("left", "Pence left over in the unit", 8, WHOLE),
    Column("stop", "Remainder of the last to get a penny", 9, REMAINDER),
    Column("extra", "Extra penny", 8, WHOLE),
    money_col("cost", "Share of cost", total=True),
)
ACTIVITY_COLUMNS = (
    Column("quantity", "Activity", 10, NUMBER),
    money_col("rate_each", "Rate for each"),
    money_col("charge", "Activity charge", total=True),
)
LEVY_COLUMNS = (
    Column("rate", "Levy rate", 8, PERCENT),
    money_col("base", "Levy base (pay)"),
    Column("levy_share", "Share for the levy", 9, PERCENT),
    Column("levy_exact", "Exact levy", 10, EXACT),
    Column("levy_floor", "Levy rounded down (pence)", 9, WHOLE),
    Column("levy_remainder", "Levy remainder", 9, REMAINDER),
    Column("levy_place", "Place in the levy queue", 8, WHOLE),
    Column("levy_left", "Levy pence left over", 8, WHOLE),
    Column("levy_stop", "Levy remainder of the last to get a penny", 9, REMAINDER),
    Column("levy_extra", "Levy extra penny", 8, WHOLE),
    money_col("levy", "Levy payable (+) / receivable (-)", total=True),
)
IN_KIND_COLUMNS = (
    money_col("in_kind", "In-kind value", total=True),
    money_col("credit", "In-kind credit", total=True),
)


def line_columns(units: Sequence[UnitResult], member: str) -> tuple[Column, ...]:
    """The Lines sheet's columns: an activity unit's quantity, rate and charge, the levy's
    workings and the officers in kind only where the units have them; the summary's with
    the member, a member's with the summary's row that proves each line."""
    columns = [Column("code", "Unit code", 14, wrap=True)]
    if not member:
        columns.append(Column("member", "Member", 14))
    shown = WHOLE if whole_values(units, member) else NUMBER
    columns += [
        Column("value", "Value in the basis (or fixed amount)", 9, shown),
        Column("total", "Participants' total", 9, shown),
        Column("share", "Share of the amount split", 9, PERCENT),
    ]
    if any(unit.unit.activity for unit in units):
        columns += ACTIVITY_COLUMNS
    columns.append(money_col("split", "Amount split by share (an activity unit: the balance)"))
    columns += QUEUE_COLUMNS
    if any(unit.unit.model is ChargingModel.LEAD_FORCE for unit in units):
        columns += LEVY_COLUMNS
    if any(unit.unit.in_kind for unit in units):
        columns += IN_KIND_COLUMNS
    columns.append(money_col("cash", "Net cash payable", total=True))
    if member:
        columns.append(Column("proved", f"Its queue proved in {SUMMARY_NAME}", 12))
    return tuple(columns)


def summary_lines(units: Sequence[UnitResult]) -> dict[tuple[str, str], int]:
    """The row of every participant's line on the summary's Lines sheet, by (unit code, member)."""
    rows, row = {}, TOP + 1
    for unit_result in units:
        code = unit_result.unit.code
        for share in unit_result.shares:
            rows[(code, share.member)] = row
            row += 1
    return rows


def write_lines(book: Book, units: Sequence[UnitResult], member: str = "", parts: UnitParts | None = None) -> Places:
    """Every participant's line for each unit (the summary), or the member's own line for
    each unit it takes part in, worked from the Reconciliation's figures (``parts``: what
    another workbook of the run has already made of a unit)."""
    parts = parts if parts is not None else UnitParts()
    if member:
        title = f"Lines: {member}'s line for each unit, its share split penny by penny"
    else:
        title = "Lines: every member's line for every unit, each unit's queue for the pence left over proved"
    sheet = book.sheet(LINES, f"{title}; levy, in kind and cash", member)
    units_at = reconciliation_rows(units)
    columns = line_columns(units, member)
    if member and parts.summary_lines is None:
        parts.summary_lines = summary_lines(book.result.units)
    proved = parts.summary_lines or {}
    rows: list[list[Any]] = []
    places: dict[tuple[str, str], int] = {}
    at_proved = len(columns) - 1
    formulas = LineFormulas(columns)
    for unit_result in units:
        code = unit_result.unit.code
        shares = (unit_result.by_member[member],) if member else unit_result.shares
        first = TOP + 1 + len(rows)
        unit = UnitLines(unit_result, units_at[code], columns, (first, first + len(shares) - 1), member, formulas, parts)
        for row, share in enumerate(shares, start=first):
            places[(code, share.member)] = row
            line = unit.line(share)
            if member:
                line[at_proved] = f"Lines row {proved[(code, member)]}"
            rows.append(line)
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.excel_table(sheet, "UnitLines", span)
    book.finish(sheet, TOP, frozen_columns=1 if member else 2)
    return Places(units_at, places, span)


class LineFormulas:
    """The formulas every line of the Lines sheet is worked by, as templates of its row
    (:class:`~apportion.outputs.spreadsheet.Relative`): made once for the sheet, so that each
    column is written as one formula filled down."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.whole = next(column.number_format == WHOLE for column in columns if column.key == "value")
        self.at = {column.key: index for index, column in enumerate(columns)}
        self.letters = {column.key: LETTERS[index] for index, column in enumerate(columns, start=1)}
        c = {key: f"{letter}{{r}}" for key, letter in self.letters.items()}
        self.share = f"={c['value']}/{c['total']}"
        self.exact = f"=ABS({c['split']})*100*{c['share']}"
        self.fixed = f"={c['value']}"
        self.cost = f"=SIGN({c['split']})*({c['floor']}+{c['extra']})/100"
        self.extra = f"=IF({c['place']}<={c['left']},1,0)"
        self.cash = "=" + "+".join(c[key] for key in ("cost", "levy", "credit") if key in c)
        if "charge" in c:
            self.charge = f"=ROUND({c['quantity']}*{c['rate_each']},2)"
            self.activity_cost = f"={c['charge']}+{self.cost[1:]}"
        if "in_kind" in c:
            self.credit = f"=-{c['in_kind']}"
        if "levy" in c:
            self.levy_exact = f"={c['rate']}*{c['base']}*{c['levy_share']}"
            self.lead_exact = f"=-{self.levy_exact[1:]}"
            self.lead_levy = f"=ROUND({c['levy_exact']},2)"
            self.levy_extra = f"=IF({c['levy_place']}<={c['levy_left']},1,0)"
            self.levy = f"=SIGN({c['levy_exact']})*({c['levy_floor']}+{c['levy_extra']})/100"


class UnitLines:
    """A unit's lines on the Lines sheet, each a list of its cells in column order: its
    formulas refer to the unit's row on the Reconciliation and, in the summary, to the
    unit's other lines (``rows``: the first and last), which prove its queue. What is the
    same on every line of the unit is made once."""

    def __init__(  # noqa: PLR0913, PLR0917 - the unit, where it stands, the sheet's formulas and what is made once
        self, unit_result: UnitResult, unit_row: int, columns: Sequence[Column], rows: tuple[int, int], member: str,
        formulas: LineFormulas, parts: UnitParts,
    ) -> None:  # fmt: skip
        self.result, self.formulas = unit_result, formulas
        self.proves = not member
        unit = unit_result.unit
        self.at = at = formulas.at
        self.c = c = formulas.letters
        first, last = rows
        self.range = {key: f"${letter}${first}:${letter}${last}" for key, letter in c.items()} if self.proves else {}
        base: list[Any] = [None] * len(columns)
        base[at["code"]] = unit.code
        recovered = ZERO
        if unit.activity is not None:
            recovered = unit_result.recovered_amount or ZERO
            charges = f"SUM({self.range['charge']})" if self.proves else f"{recovered!s}"
            base[at["rate_each"]] = unit.activity.rate_amount
            split_text = f"={reconciled('split', unit_row)}-{charges}"
        else:
            split_text = f"={reconciled('split', unit_row)}"
        split = unit_result.cost_to_split_amount - unit_result.fixed_total_amount - recovered
        base[at["split"]] = Relative(split_text, split)
        self.whole = formulas.whole
        self.total = weight_cell(unit_result.weight_total, whole=self.whole) if unit_result.weights else None
        self.shown = "#,##0.0000" if unit_result.periods else None
        self.lead_row = None
        self.place_text: dict[str, str] = {}  # the summary's formula of a line's place in each queue, by row
        if unit.lead is not None and self.proves:
            members = [s.member for s in unit_result.shares]
            self.lead_row = first + members.index(unit.lead) if unit.lead in members else None
        self.parts = parts
        cost_queue = self.queue("", f"${c['split']}${first}", "value", first)
        self.levy_queue: dict[int, Any] = {}
        self.levied = unit.model is ChargingModel.LEAD_FORCE and "levy" in c
        if self.levied:
            base[at["rate"]] = exact(to_fraction(unit.levy_rate) / 100)
            base[at["base"]] = Relative(f"={reconciled('base', unit_row)}", exact(unit_result.levy_base_amount))
            pot = f"${c['levy']}${self.lead_row}" if self.lead_row else "0"
            self.levy_queue = self.queue("levy_", pot, "levy_share", first)
        elif "levy" in c:
            base[at["levy"]] = ZERO
        self.offset = unit.in_kind_treatment is InKindTreatment.OFFSET
        if "in_kind" in c and not self.offset:
            base[at["credit"]] = ZERO
        self.base = base
        self.split_base = base.copy()  # a line split by share: its queue's ends alike on each such line
        for index, cell in cost_queue.items():
            self.split_base[index] = cell

    def queue(self, prefix: str, pot: str, weight: str, first: int) -> dict[int, Any]:
        """The cells of a queue that are the same on every line of the unit: the pence left
        over and the remainder of the last to get one; and, in the summary, the template of
        each line's place in the queue: its remainder's rank among the unit's (ties: the
        larger value in the basis, then the name)."""
        at, c, ranges = self.at, self.c, self.range
        key = (self.result.unit.code, prefix)
        if key in self.parts.queues:
            ends = self.parts.queues[key]
        else:
            ends = self.parts.queues[key] = queue_ends(self.result, prefix)
        cells: dict[int, Any] = {}
        if ends is None:
            return cells
        left, stop = ends
        if not self.proves:
            cells[at[prefix + "left"]] = left
            cells[at[prefix + "stop"]] = stop
            return cells
        floors, remainders, places = ranges[prefix + "floor"], ranges[prefix + "remainder"], ranges[prefix + "place"]
        weights, names = ranges[weight], ranges["member"]
        cells[at[prefix + "left"]] = Relative(f"=ROUND(ABS({pot})*100,0)-SUM({floors})", left)
        if stop is not None:
            own_left = f"{c[prefix + 'left']}{{r}}"
            cells[at[prefix + "stop"]] = Relative(f"=SUMPRODUCT(({places}={own_left})*{remainders})", stop)
        r, w, n = f"{c[prefix + 'remainder']}{{r}}", f"{c[weight]}{{r}}", f"{c['member']}{{r}}"
        self.place_text[prefix] = (
            f'=1+SUMPRODUCT(({remainders}<>"")*(({remainders}>{r})+({remainders}={r})'
            f"*(({weights}>{w})+({weights}={w})*({names}<{n}))))"
        )  # only the lines in the queue (a lead has no place in its levy's); blank is "" to every program
        return cells

    def line(self, share: MemberShare) -> list[Any]:
        """A participant's line: each rounded figure from its workings (the floor and the queue)."""
        unit_result, at, formulas = self.result, self.at, self.formulas
        unit = unit_result.unit
        line = (self.base if share.is_fixed else self.split_base).copy()
        if self.proves:
            line[at["member"]] = share.member
        if unit.activity is not None:
            assert share.activity_amount is not None  # noqa: S101 - an activity unit's line
            line[at["quantity"]] = weight_cell(share.quantity)
            line[at["charge"]] = Relative(formulas.charge, share.activity_amount)
        if share.is_fixed:
            line[at["value"]] = unit.fixed_amounts[share.member]
            line[at["cost"]] = Relative(formulas.fixed, share.cost_amount)
        else:
            working = share.cost_workings
            assert working is not None  # noqa: S101 - every share not fixed was split
            line[at["value"]] = weight_cell(share.weight, self.shown, whole=self.whole)
            line[at["total"]] = self.total
            line[at["share"]] = Relative(formulas.share, working.share_decimal(PLACES))
            exact_pence = round_ratio(working.pence * working.units, working.total_units, PLACES)
            line[at["exact"]] = Relative(formulas.exact, exact_pence)
            self.fill_queue(line, working, "", {}, formulas.extra)  # the queue's ends are on the unit's split_base
            cost = formulas.activity_cost if unit.activity is not None else formulas.cost
            line[at["cost"]] = Relative(cost, share.cost_amount)
        if self.levied:
            self.levy_cells(line, share)
        if "in_kind" in at:
            line[at["in_kind"]] = share.in_kind_amount
            if self.offset:
                line[at["credit"]] = Relative(formulas.credit, share.in_kind_credit_amount)
        line[at["cash"]] = Relative(formulas.cash, share.cash_amount)
        return line

    def fill_queue(self, line: list[Any], working: Allocation, prefix: str, same: dict[int, Any], extra: str) -> None:
        """A largest-remainder split's workings: the floor, the remainder, the place in the
        queue, the pence left over and the last remainder to get one, and the extra penny (a
        formula of the place and the pence left over)."""
        at = self.at
        line[at[prefix + "floor"]] = working.floor_pence
        line[at[prefix + "remainder"]] = round_ratio(working.remainder_units, working.total_units, REMAINDER_PLACES)
        place = Decimal(working.rank)
        line[at[prefix + "place"]] = Relative(self.place_text[prefix], place) if self.proves else place
        for index, cell in same.items():
            line[index] = cell
        line[at[prefix + "extra"]] = Relative(extra, Decimal(int(working.extra_penny)))

    def levy_cells(self, line: list[Any], share: MemberShare) -> None:
        """The lead receives the pot, rate x base x the payers' shares, rounded; each payer pays
        its part of that pot, penny by penny as the cost is split."""
        at, formulas = self.at, self.formulas
        lead = share.member == self.result.unit.lead
        line[at["levy_share"]] = round_decimal(share.levy_share, REMAINDER_PLACES)
        line[at["levy_exact"]] = Relative(formulas.lead_exact if lead else formulas.levy_exact, exact(share.levy_exact))
        if lead:
            line[at["levy"]] = Relative(formulas.lead_levy, share.levy_amount)
        elif share.levy_workings is not None and self.levy_queue:
            self.fill_queue(line, share.levy_workings, "levy_", self.levy_queue, formulas.levy_extra)
            line[at["levy"]] = Relative(formulas.levy, share.levy_amount)
        else:
            line[at["levy"]] = share.levy_amount


def queue_ends(unit_result: UnitResult, prefix: str) -> QueueEnds | None:
    """A unit's queue for the pence left over in its share of the cost (prefix "") or its
    levy ("levy_"): their number and the remainder of the last to get one (None: no queue)."""
    workings = [s.levy_workings if prefix else s.cost_workings for s in unit_result.shares]
    found = next((w for w in workings if w is not None), None)
    return None if found is None else QueueEnds(Decimal(found.pence_left_over), queue_stop(workings))


def queue_stop(workings: Sequence[Allocation | None]) -> Decimal | None:
    """The remainder of the last in a queue to get a penny (None: no pence were left over)."""
    last = next((w for w in workings if w is not None and w.pence_left_over and w.rank == w.pence_left_over), None)
    return None if last is None else round_ratio(last.remainder_units, last.total_units, REMAINDER_PLACES)


def whole_values(units: Sequence[UnitResult], member: str) -> bool:
    """Whether every value in the units' bases the sheet shows (a member's: its own) is a
    whole number (none a fixed amount, none a member's part of a year): the column then
    shows them so, a cell without a look of its own."""
    if any(u.unit.fixed_amounts or u.periods for u in units):
        return False
    values = [u.weights.get(member) for u in units] if member else [w for u in units for w in u.weights.values()]
    return all(isinstance(w, Decimal) and w == w.to_integral_value() for w in (*values, *(u.weight_total for u in units)))


def weight_cell(weight: Decimal | Fraction | None, shown: str | None = None, *, whole: bool = False) -> CellValue:
    """A basis value as written: a whole number without decimals; a blend (a composite's, a
    support unit's percentage points) to 12 decimals, ``shown`` in that format (a member's
    exact part of a year rounded once, in pounds)."""
    if weight is None:
        return None
    if not isinstance(weight, Decimal):  # a Fraction (asking about Decimal is quicker: Fraction is an abstract class's)
        weight = round_decimal(weight, PLACES)
    if shown is not None:
        return Styled(weight, shown)
    if whole:  # the column shows whole numbers
        return weight
    return Styled(weight, "#,##0") if weight == weight.to_integral_value() else weight
