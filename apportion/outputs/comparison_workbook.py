"""Where each cell of comparison.xlsx is written: before, after and the difference, per
member and per unit, with the rule that moved each, and what each side is."""

from __future__ import annotations

from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import Book, Column, money_col, ratio
from apportion.outputs.spreadsheet import Formula
from apportion.outputs.wording import describe_side
from apportion.rules.compare import Comparison

COMPARISON_MEMBER_COLUMNS = (
    Column("member", "Member", 22),
    money_col("before", "Before", total=True),
    money_col("after", "After", total=True),
    money_col("change", "Difference", total=True),
    Column("percent", "Change", 10, "0.00%"),
    Column("cause", "What moved it", 40, wrap=True),
)
COMPARISON_UNIT_COLUMNS = (
    Column("unit", "Unit code", 14),
    Column("member", "Member", 22),
    money_col("before", "Before", total=True),
    money_col("after", "After", total=True),
    money_col("change", "Difference", total=True),
)
RULE_HEADINGS = {  # the change by rule, a column for each rule the runs use
    "share of cost": "Share of cost change",
    "support charges": "Support charges change",
    "income returned": "Income returned change",
    "levy": "Levy change",
    "in-kind credit": "In-kind credit change",
}


def comparison_workbook(comparison: Comparison, before: Provenance, after: Provenance) -> Book:
    """Before, after and the difference, per member and per unit, with what moved each."""
    book = Book(comparison.after, f"Comparison: {describe_side(comparison.before)} -> {describe_side(comparison.after)}", after)
    sheet = book.sheet("Members", "Net cash payable before and after, and what moved it", "comparison")
    top = book.put_text(sheet, 3, f"Before: {describe_side(comparison.before)}")
    top = book.put_text(sheet, top, f"After: {describe_side(comparison.after)}") + 1
    rows = [
        {
            "member": d.member,
            "before": d.before_amount,
            "after": d.after_amount,
            "change": lambda r, c, d=d: Formula(f"={c['after']}{r}-{c['before']}{r}", d.change_amount),
            "percent": (lambda r, c, d=d: Formula(f"={c['change']}{r}/{c['before']}{r}", ratio(d.change_amount, d.before_amount)))
            if d.before_amount
            else None,
            "cause": d.cause(),
        }
        for d in comparison.members
    ]
    book.table(sheet, top, COMPARISON_MEMBER_COLUMNS, rows, total_label="Total")
    book.finish(sheet, top, frozen_columns=1)
    units = book.sheet("Units", "Net cash payable by unit and member, and the change by rule")
    unit_rows = [
        {
            "unit": d.unit,
            "member": d.member,
            "before": d.before_amount,
            "after": d.after_amount,
            "change": lambda r, c, d=d: Formula(f"={c['after']}{r}-{c['before']}{r}", d.change_amount),
            **dict(d.by_rule),
        }
        for d in comparison.units
    ]
    rules = [rule for rule, _ in comparison.members[0].by_rule] if comparison.members else []
    columns = (*COMPARISON_UNIT_COLUMNS, *(money_col(rule, RULE_HEADINGS[rule], total=True) for rule in rules))
    span = book.table(units, 4, columns, unit_rows, total_label="Total")
    book.excel_table(units, "UnitChanges", span)
    book.finish(units, 4, frozen_columns=2)
    sides = book.sheet("Provenance", "Provenance: what made each side of the comparison, from which inputs")
    side_rows = [
        {"side": side, "key": key, "value": value}
        for side, provenance in (("before", before), ("after", after))
        for key, value in provenance.items()
    ]
    book.table(sides, 4, (Column("side", "Side", 10), Column("key", "Key", 22), Column("value", "Value", 100)), side_rows)
    book.finish(sides, 4)
    return book
