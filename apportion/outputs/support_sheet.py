"""Where the support sheets' cells are written: how each support unit's cost is charged to
the units it serves, unit by unit (**Support charges**), and where its own cost comes to
rest (**Support in units**).

**Total cost**: each support unit's own net cost (from the Reconciliation),
what other support units charge it (a SUMIF of the charges below), its total cost as
solved, and a check that ``own + charged in - total`` is nil, so the sheet shows that the
solution satisfies every equation (under the reciprocal method the totals cannot be
formulas of the charges, which are formulas of the totals). **Charges**: each support
unit's charge to each unit it serves, ``part x total cost``. **Where its own cost comes to
rest**: the part of each support unit's own cost that ends, through every stage, at each
unit with members, ``part x own net cost``; each member's share of it is worked on the
Lines sheet.

The summary holds both sheets whole: they are the collaboration's, alike for every member.
A member's workbook holds one table of the support units whose cost reaches its units
(**Support charges**): their totals, its part of each and its charge, and the summary's
rows where each is charged out and comes to rest.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from apportion.model.money import ZERO, round_decimal, to_fraction
from apportion.model.names import SUMMARY_NAME
from apportion.model.results import SupportFlows
from apportion.outputs.sheets import BOLD, EXACT, PLACES, Book, Column, money_col
from apportion.outputs.spreadsheet import Formula
from apportion.outputs.unit_sheets import LINES, Places, UnitParts, reconciled

SUPPORT, SUPPORT_IN_UNITS = "Support charges", "Support in units"
TOP = 4
PART = "0.00%"
PART_PLACES = 15  # a double holds about 15 significant digits: enough for a part x £1,000 million to the penny


def exact_money(value: Fraction) -> Decimal:
    """Pounds not yet rounded, to as many places as every exact figure is written with: the
    check ``own + charged in - total`` then comes to nil in the spreadsheet's own arithmetic."""
    return round_decimal(value, PLACES)


class SupportLayout(NamedTuple):
    """Where the summary's support sheets put each support unit, and its exact figures: the
    same for every workbook of a run, worked out once (in each process that makes them)."""

    totals: dict[str, tuple[Decimal, Decimal]]  # support unit -> what is charged in and its total cost, exact
    total_rows: dict[str, int]  # support unit -> its row in the totals (Support charges)
    charge_rows: dict[str, tuple[int, int]]  # support unit -> the rows of its charges, first and last (Support charges)
    rest_rows: dict[str, tuple[int, int]]  # support unit -> where its cost comes to rest, first and last (Support in units)


def charges_top(flows: SupportFlows) -> int:
    """The charges' header row, under the totals (a row each, the total row, two blank and a heading)."""
    return TOP + len(flows.order) + 4


def support_layout(flows: SupportFlows) -> SupportLayout:
    top = charges_top(flows)
    charge_rows, rest_rows = {}, {}
    charge, rest = top + 1, TOP + 1
    for s in flows.order:
        charge_rows[s] = (charge, charge + len(flows.fractions[s]) - 1)
        rest_rows[s] = (rest, rest + len(flows.ends[s]) - 1)
        charge, rest = charge + len(flows.fractions[s]), rest + len(flows.ends[s])
    totals = {s: (exact_money(flows.totals[s] - to_fraction(flows.own[s])), exact_money(flows.totals[s])) for s in flows.order}
    return SupportLayout(totals, {s: TOP + 1 + index for index, s in enumerate(flows.order)}, charge_rows, rest_rows)


def layout_of(flows: SupportFlows, parts: UnitParts | None) -> SupportLayout:
    """The run's :class:`SupportLayout`, made by the first workbook that needs it (``parts``)."""
    if parts is None:
        return support_layout(flows)
    if parts.support is None:
        parts.support = support_layout(flows)
    return parts.support


def write_support_sheet(book: Book, flows: SupportFlows, places: Places, parts: UnitParts | None = None) -> None:
    """The summary's tables, for every support unit (``parts``: where the run's workbooks
    keep its :class:`SupportLayout`)."""
    sheet = book.sheet(SUPPORT, f"Support units: their cost charged to the units they serve ({flows.method.value})")
    layout = layout_of(flows, parts)
    charges = [(s, u, part) for s in flows.order for u, part in flows.fractions[s].items()]
    totals_top, charges_at = TOP, charges_top(flows)
    charge_to_letter, charge_amount_letter = "B", "E"
    first, last = charges_at + 1, charges_at + len(charges)
    total_rows = layout.total_rows

    def own_cell(code: str) -> Formula | Decimal:
        row = places.units.get(code)
        return Formula(f"={reconciled('net', row)}", flows.own[code]) if row else flows.own[code]

    total_columns = TOTAL_COLUMNS
    totals = [
        {
            "code": s,
            "own": own_cell(s),
            "charged_in": Formula(
                f'=SUMIF(${charge_to_letter}${first}:${charge_to_letter}${last},"{s}",'
                f"${charge_amount_letter}${first}:${charge_amount_letter}${last})",
                layout.totals[s][0],
            ),
            "total": layout.totals[s][1],
            "check": lambda r, c: Formula(f"={c['own']}{r}+{c['charged_in']}{r}-{c['total']}{r}", ZERO),
        }
        for s in flows.order
    ]
    book.table(sheet, totals_top, total_columns, totals, total_label="Total")
    book.put(sheet, charges_at - 1, 1, "Charges: each support unit's total cost, to the units it serves", font=BOLD)
    charge_columns = (
        Column("from", "Support unit", 14),
        Column("to", "Charged to", 18),
        Column("value", "Driver value", 18, "#,##0.00"),
        Column("part", "Part of its total cost", 18, PART),
        exact_col("charge", "Charge (exact)"),
    )
    rows = []
    for index, (s, u, part) in enumerate(charges):
        row = charges_at + 1 + index
        rows.append({
            "from": s,
            "to": u,
            "value": round_decimal(flows.values[s][u], PLACES),
            "part": Formula(
                f'=C{row}/SUMIF($A${first}:$A${last},A{row},$C${first}:$C${last})', round_decimal(part, PART_PLACES)
            ),
            "charge": Formula(f"=D{row}*$D${total_rows[s]}", exact_money(part * flows.totals[s])),
        })  # fmt: skip
    span = book.table(sheet, charges_at, charge_columns, rows, total_label="Total")
    book.finish(sheet, span.header, frozen_columns=1)
    sheet.freeze = (0, 1)  # two tables: the charges' header repeats on each printed page
    write_rests(book, flows, total_rows)


def exact_col(key: str, heading: str) -> Column:
    """Pounds not yet rounded: support flows are exact; only each member's part of a
    support unit is rounded to the penny (on the unit's own sheet)."""
    return Column(key, heading, 18, EXACT, True)


TOTAL_COLUMNS = (  # each support unit's total cost, on the summary's sheet and a member's table
    Column("code", "Support unit", 14),
    money_col("own", "Own net cost", total=True),
    exact_col("charged_in", "Charged in by other support units (exact)"),
    exact_col("total", "Total cost charged out (exact)"),
    money_col("check", "Check: own + charged in - total (nil)", total=True),
)


def write_rests(book: Book, flows: SupportFlows, total_rows: dict[str, int]) -> None:
    """Where each support unit's own cost comes to rest: part x own net cost (on the
    Support charges sheet), for each unit with members."""
    sheet = book.sheet(SUPPORT_IN_UNITS, "Where each support unit's own cost comes to rest, through every stage")
    columns = (
        Column("from", "Support unit", 14),
        Column("to", "Unit with members", 18),
        Column("part", "Part of its own cost", 18, PART),
        exact_col("amount", "Amount (exact)"),
    )
    own = f"'{SUPPORT}'!$B$"
    rows = [
        {
            "from": s,
            "to": u,
            "part": round_decimal(part, PART_PLACES),
            "amount": lambda r, c, s=s, part=part: Formula(
                f"={c['part']}{r}*{own}{total_rows[s]}", exact_money(part * to_fraction(flows.own[s]))
            ),
        }
        for s in flows.order
        for u, part in flows.ends[s].items()
    ]
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.excel_table(sheet, "SupportInUnits", span)
    book.finish(sheet, TOP, frozen_columns=1)


def write_member_support(book: Book, flows: SupportFlows, places: Places, member: str, parts: UnitParts | None = None) -> None:
    """A member's table of the support units whose cost reaches the units it takes part in:
    each one's own net cost (its Reconciliation), what other support units charge it and
    its total cost, the member's part of its own cost and its support charge (its Lines),
    and the summary's rows that work each figure, charge by charge and unit by unit: a
    member's workbook does not carry every support unit's charges and resting places, which
    in a national run are 25,000 rows alike in each of 50 workbooks."""
    reaching = [s for s in flows.order if (s, member) in places.lines]
    if not reaching:
        return
    layout = layout_of(flows, parts)
    sheet = book.sheet(SUPPORT, f"Support units whose cost reaches {member}'s units, and its part of each", member)
    letters = places.lines_span.letters
    columns = (
        *TOTAL_COLUMNS,
        Column("part", f"{member}'s part of its own cost", 12, PART),
        money_col("charge", "Support charge", total=True),
        Column("where", f"In {SUMMARY_NAME}: its total and charges, and where its cost comes to rest", 40, wrap=True),
    )
    results = {unit_result.unit.code: unit_result for unit_result in book.result.units}
    rows: list[list[Any]] = []
    for row, s in enumerate(reaching, start=TOP + 1):
        share = results[s].by_member[member]
        at = places.lines[(s, member)]
        working = share.cost_workings
        part = working.share_decimal(PLACES) if working is not None else round_decimal(share.share, PLACES)
        charged_in, total = layout.totals[s]
        (first, last), (rest_first, rest_last) = layout.charge_rows[s], layout.rest_rows[s]
        rows.append([
            s, Formula(f"={reconciled('net', places.units[s])}", flows.own[s]), charged_in, total,
            Formula(f"=B{row}+C{row}-D{row}", ZERO), Formula(f"={LINES}!${letters['share']}${at}", part),
            Formula(f"={LINES}!${letters['cost']}${at}", share.cost_amount),
            f"{SUPPORT} rows {layout.total_rows[s]}, {span_text(first, last)}; {SUPPORT_IN_UNITS} "
            f"{rows_text(rest_first, rest_last)}",
        ])  # fmt: skip
    span = book.table(sheet, TOP, columns, rows, total_label="Total")
    book.put_text(sheet, span.last + 3, WHERE_WORKED.format(member=member, summary=SUMMARY_NAME), 150)
    book.finish(sheet, TOP, frozen_columns=1)


def rows_text(first: int, last: int) -> str:
    return f"row {first}" if first == last else f"rows {first} to {last}"


def span_text(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first} to {last}"


WHERE_WORKED = (
    "How each support unit's total cost is charged to the units it serves, and where its own cost comes to rest in each "
    "unit with members, are in {summary}, at the rows named: they are the collaboration's, alike for every member. "
    "{member}'s part of a support unit's own cost adds up its shares of the units that cost comes to rest in (How this "
    "was calculated); its support charge is worked on the Lines sheet."
)
