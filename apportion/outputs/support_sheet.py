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
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from apportion.model.money import ZERO, round_decimal, to_fraction
from apportion.model.results import SupportFlows
from apportion.outputs.sheets import BOLD, EXACT, PLACES, Book, Column, money_col
from apportion.outputs.spreadsheet import Formula
from apportion.outputs.unit_sheets import Places, reconciled

SUPPORT, SUPPORT_IN_UNITS = "Support charges", "Support in units"
TOP = 4
PART = "0.00%"
PART_PLACES = 15  # a double holds about 15 significant digits: enough for a part x £1,000 million to the penny


def exact_money(value: Fraction) -> Decimal:
    """Pounds not yet rounded, to as many places as every exact figure is written with: the
    check ``own + charged in - total`` then comes to nil in the spreadsheet's own arithmetic."""
    return round_decimal(value, PLACES)


def write_support_sheet(book: Book, flows: SupportFlows, places: Places, member: str = "") -> None:
    """The tables, for every support unit (a member's workbook shows them all: they are the
    collaboration's, and each member's charge is worked from them)."""
    sheet = book.sheet(SUPPORT, f"Support units: their cost charged to the units they serve ({flows.method.value})", member)
    charges = [(s, u, part) for s in flows.order for u, part in flows.fractions[s].items()]
    totals_top = TOP
    charges_top = totals_top + len(flows.order) + 4
    charge_to_letter, charge_amount_letter = "B", "E"
    first, last = charges_top + 1, charges_top + len(charges)
    total_rows = {s: totals_top + 1 + index for index, s in enumerate(flows.order)}

    def own_cell(code: str) -> Formula | Decimal:
        row = places.units.get(code)
        return Formula(f"={reconciled('net', row)}", flows.own[code]) if row else flows.own[code]

    total_columns = (
        Column("code", "Support unit", 14),
        money_col("own", "Own net cost", total=True),
        exact_col("charged_in", "Charged in by other support units (exact)"),
        exact_col("total", "Total cost charged out (exact)"),
        money_col("check", "Check: own + charged in - total (nil)", total=True),
    )
    totals = [
        {
            "code": s,
            "own": own_cell(s),
            "charged_in": Formula(
                f'=SUMIF(${charge_to_letter}${first}:${charge_to_letter}${last},"{s}",'
                f"${charge_amount_letter}${first}:${charge_amount_letter}${last})",
                exact_money(flows.totals[s] - to_fraction(flows.own[s])),
            ),
            "total": exact_money(flows.totals[s]),
            "check": lambda r, c: Formula(f"={c['own']}{r}+{c['charged_in']}{r}-{c['total']}{r}", ZERO),
        }
        for s in flows.order
    ]
    book.table(sheet, totals_top, total_columns, totals, total_label="Total")
    book.put(sheet, charges_top - 1, 1, "Charges: each support unit's total cost, to the units it serves", font=BOLD)
    charge_columns = (
        Column("from", "Support unit", 14),
        Column("to", "Charged to", 18),
        Column("value", "Driver value", 18, "#,##0.00"),
        Column("part", "Part of its total cost", 18, PART),
        exact_col("charge", "Charge (exact)"),
    )
    rows = []
    for index, (s, u, part) in enumerate(charges):
        row = charges_top + 1 + index
        rows.append({
            "from": s,
            "to": u,
            "value": round_decimal(flows.values[s][u], PLACES),
            "part": Formula(
                f'=C{row}/SUMIF($A${first}:$A${last},A{row},$C${first}:$C${last})', round_decimal(part, PART_PLACES)
            ),
            "charge": Formula(f"=D{row}*$D${total_rows[s]}", exact_money(part * flows.totals[s])),
        })  # fmt: skip
    span = book.table(sheet, charges_top, charge_columns, rows, total_label="Total")
    book.finish(sheet, span.header, frozen_columns=1)
    sheet.freeze = (0, 1)  # two tables: the charges' header repeats on each printed page
    write_rests(book, flows, total_rows, member)


def exact_col(key: str, heading: str) -> Column:
    """Pounds not yet rounded: support flows are exact; only each member's part of a
    support unit is rounded to the penny (on the unit's own sheet)."""
    return Column(key, heading, 18, EXACT, True)


def write_rests(book: Book, flows: SupportFlows, total_rows: dict[str, int], member: str) -> None:
    """Where each support unit's own cost comes to rest: part x own net cost (on the
    Support charges sheet), for each unit with members."""
    sheet = book.sheet(SUPPORT_IN_UNITS, "Where each support unit's own cost comes to rest, through every stage", member)
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
