"""The unit line: one member's figures for one unit as live cells, shared by the member's
Contribution sheet and the summary's Lines sheet.

Each rounded figure is ``ROUND(exact + rounding adjustment, 2)``, with the adjustment of the
largest-remainder split in a column of its own, so the sheet's own arithmetic reproduces
the split. Every figure is read from the member's :class:`~apportion.model.MemberShare`.
"""

from __future__ import annotations

from apportion.model import ChargingModel, InKindTreatment, MemberShare, UnitResult
from apportion.model.money import ZERO, round_decimal, to_fraction
from apportion.outputs.sheets import (
    EXACT,
    MONEY,
    NUMBER,
    PERCENT,
    PLACES,
    CellValue,
    Column,
    Letters,
    exact,
    money_col,
    share_formula,
)
from apportion.outputs.spreadsheet import Formula
from apportion.outputs.wording import describe_basis

LINE_COLUMNS = (
    Column("code", "Unit code", 12),
    Column("unit", "Unit", 30),
    Column("basis", "Basis", 30),
    Column("value", "Member's value in the basis (or fixed amount)", 16, NUMBER),
    Column("total", "Participants' total", 14, NUMBER),
    Column("weight_share", "Share of the weights", 12, PERCENT),
    Column("split", "Amount split by weight", 18, MONEY),
    Column("exact", "Exact share of cost", 18, EXACT),
    Column("adjust", "Rounding adjustment", 14, EXACT),
    money_col("cost", "Share of cost", total=True),
    Column("rate", "Levy rate", 10, PERCENT),
    Column("base", "Levy base (pay)", 18, MONEY),
    Column("levy_share", "Share for the levy", 12, PERCENT),
    Column("levy_exact", "Exact levy", 16, EXACT),
    Column("levy_adjust", "Levy rounding adjustment", 14, EXACT),
    money_col("levy", "Levy payable (+) / receivable (-)", total=True),
    money_col("in_kind", "In-kind value", total=True),
    money_col("credit", "In-kind credit", total=True),
    money_col("cash", "Net cash payable", total=True),
)


def unit_line(unit_result: UnitResult, share: MemberShare) -> dict[str, CellValue]:
    """A member's figures for a unit; each rounded figure is ROUND(exact + adjustment, 2)."""
    unit = unit_result.unit
    line: dict[str, CellValue] = {"code": unit.code, "unit": unit.name, "basis": describe_basis(unit)}
    if share.is_fixed:
        fixed = unit.fixed_amounts[share.member]
        line |= {
            "value": fixed,
            "weight_share": exact(share.share),
            "exact": lambda r, c: Formula(f"={c['value']}{r}", fixed),
            "adjust": ZERO,
        }
    else:
        working = share.cost_workings
        assert working is not None  # noqa: S101 - every share not fixed was split
        line |= {
            "value": share.weight,
            "total": unit_result.weight_total,
            "weight_share": share_formula(working.share_decimal(PLACES)),
            "split": unit_result.cost_to_split_amount - unit_result.fixed_total_amount,
            "exact": lambda r, c: Formula(f"={c['split']}{r}*{c['weight_share']}{r}", working.exact_decimal(PLACES)),
            "adjust": working.rounding_decimal(PLACES),
        }
    line["cost"] = lambda r, c: Formula(f"=ROUND({c['exact']}{r}+{c['adjust']}{r},2)", share.cost_amount)
    line |= levy_cells(unit_result, share)
    line["in_kind"] = share.in_kind_amount
    if unit.in_kind_treatment is InKindTreatment.OFFSET:
        line["credit"] = lambda r, c: Formula(f"=-{c['in_kind']}{r}", share.in_kind_credit_amount)
    else:
        line["credit"] = ZERO
    line["cash"] = lambda r, c: Formula(f"={c['cost']}{r}+{c['levy']}{r}+{c['credit']}{r}", share.cash_amount)
    return line


def levy_cells(unit_result: UnitResult, share: MemberShare) -> dict[str, CellValue]:
    """rate x base x share for a payer, -rate x base x (1 - share) for the lead, then rounded."""
    unit = unit_result.unit
    if unit.model is not ChargingModel.LEAD_FORCE:
        return {"levy": ZERO}
    sign, factor = ("-", "(1-{s})") if share.member == unit.lead else ("", "{s}")

    def exact_levy(r: int, c: Letters) -> Formula:
        s = f"{c['levy_share']}{r}"
        return Formula(f"={sign}{c['rate']}{r}*{c['base']}{r}*{factor.format(s=s)}", exact(share.levy_exact))

    return {
        "rate": exact(to_fraction(unit.levy_rate) / 100),
        "base": exact(unit_result.levy_base_amount),
        "levy_share": round_decimal(share.share, 12),
        "levy_exact": exact_levy,
        "levy_adjust": exact(to_fraction(share.levy_amount) - share.levy_exact),
        "levy": lambda r, c: Formula(f"=ROUND({c['levy_exact']}{r}+{c['levy_adjust']}{r},2)", share.levy_amount),
    }
