"""The year-end and medium-term plan sheets, written in the summary and in each member's
workbook where the budget has them."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from apportion.model import YearEndResult
from apportion.model.money import ZERO
from apportion.model.results import ReserveColumn
from apportion.outputs.sheets import BOLD, MONEY, Book, CellValue, Column, Row, money_col
from apportion.outputs.spreadsheet import Formula, Sheet
from apportion.outputs.wording import basis_of


def write_year_end_sheet(book: Book, outcome: YearEndResult, member: str | None = None) -> None:
    """Settlement, reserves, capital, match funding and savings (for one member, its own: a
    member with none of these, such as one whose only year-end figure is another's saving,
    gets no sheet rather than an empty one)."""
    savings = [s for s in outcome.savings if member in (None, s.member)]
    if member and not outcome.settlements and not savings and not outcome.reserves and not outcome.capital:
        return
    sheet = book.sheet("Year end", "Year end: settlement, reserves, capital, match funding and value for money", member or "")
    row = 4
    settlement_rows = [
        {"unit": s.unit, "budget": s.budget_amount, "outturn": s.outturn_amount,
         "variance": lambda r, c, s=s: Formula(f"={c['budget']}{r}-{c['outturn']}{r}", s.variance_amount),
         "settlement": s.settlement.value,
         "member_part": dict(s.parts).get(member, ZERO) if member else None}
        for s in outcome.settlements
    ]  # fmt: skip
    if settlement_rows:
        columns = [
            Column("unit", "Unit code", 14), money_col("budget", "Net budget"), money_col("outturn", "Net out-turn"),
            money_col("variance", "Under-spend (+) / over-spend (-)", total=True), Column("settlement", "Settled by", 12),
        ]  # fmt: skip
        if member:
            columns.append(money_col("member_part", f"{member}: returned (-) / charged (+)", total=True))
        span = book.table(sheet, row, columns, settlement_rows, total_label="Total")
        row = span.last + 3
    if outcome.reserves:
        row = write_reserves_by_member(book, sheet, row, outcome.reserves, member, "Reserves", "Closing reserves")
    if outcome.capital:
        capital = [c._replace(name=f"Financed by {c.name}") for c in outcome.capital]
        row = write_reserves_by_member(book, sheet, row, capital, member, "Capital financing", "Capital programme")
    if outcome.reserves_opening is not None and member is None:
        closing = outcome.reserves_closing or ZERO
        reserve_rows: list[Row] = [{"item": "Opening reserves", "amount": outcome.reserves_opening}]
        reserve_rows += [{"item": name, "amount": amount} for name, amount in outcome.reserve_transfers]
        reserve_rows += [{"item": name, "amount": amount} for name, amount in outcome.leaver_payments]
        reserve_rows += [
            {"item": s.to_reserves, "amount": s.variance_amount} for s in outcome.settlements if s.settlement.value == "reserves"
        ]
        reserve_rows.append({"item": "Capital financed from reserves", "amount": -outcome.capital_from_reserves})
        span = book.table(sheet, row, (Column("item", "Reserves", 44), money_col("amount", "Amount", total=True)), reserve_rows)
        book.put(sheet, span.last + 1, 1, "Closing reserves", font=BOLD)
        book.put(sheet, span.last + 1, 2, Formula(f"=SUM({span.column('amount', absolute=False)})", closing), MONEY, font=BOLD)
        row = span.last + 4
    if outcome.capital_programme is not None and member is None:
        rows = [{"item": f"Financed by {name}", "amount": amount} for name, amount in outcome.capital_financing]
        span = book.table(sheet, row, (Column("item", "Capital programme", 44), money_col("amount", "Amount", total=True)), rows,
                          total_label="Capital programme")  # fmt: skip
        row = span.last + 4
    if outcome.matches and member is None:
        rows = [
            {"unit": m.unit, "income": m.income, "grant": m.grant_amount, "cash": m.cash_amount, "in_kind": m.in_kind_amount,
             "shortfall": lambda r, c, m=m: Formula(
                 f"=MAX(0,{c['grant']}{r}-{c['cash']}{r}-{c['in_kind']}{r})", m.shortfall_amount)}
            for m in outcome.matches
        ]  # fmt: skip
        match_columns = (
            Column("unit", "Unit code", 14), Column("income", "Grant to be matched", 40), money_col("grant", "Grant"),
            money_col("cash", "Members' cash"), money_col("in_kind", "Members' officers in kind"),
            money_col("shortfall", "Shortfall"),
        )  # fmt: skip
        span = book.table(sheet, row, match_columns, rows)
        row = span.last + 3
    if savings:
        rows = [
            {"unit": s.unit, "member": s.member, "alone": s.stand_alone_amount, "contribution": s.contribution_amount,
             "saving": lambda r, c, s=s: Formula(f"={c['alone']}{r}-{c['contribution']}{r}", s.saving_amount)}
            for s in savings
        ]  # fmt: skip
        saving_columns = (
            Column("unit", "Unit code", 14), Column("member", "Member", 20),
            money_col("alone", "Stand-alone cost", total=True),
            money_col("contribution", "Contribution (cash + in kind)", total=True), money_col("saving", "Saving", total=True),
        )  # fmt: skip
        book.table(sheet, row, saving_columns, rows, total_label="Total")
    book.finish(sheet, 4)


def write_reserves_by_member(  # noqa: PLR0917 - where the table goes, what it holds and what it is called
    book: Book, sheet: Sheet, row: int, columns: Sequence[ReserveColumn], member: str | None, title: str, total: str
) -> int:
    """Each member's part of the opening reserves and of each movement, its closing part a
    row's sum (in a member's workbook, its own part beside the collaboration's figure); the
    parts of each column add up to it. Returns the row after the table."""
    basis = shares_words(book, columns[0].basis)
    heading = f"{member}'s part of the {title.lower()}" if member else f"{title} by member"
    book.put(sheet, row, 1, f"{heading}, in {basis}: each column's parts add up to its figure", font=BOLD)
    if member is not None:
        rows: list[Row] = [
            {"item": c.name, "amount": c.amount, "part": c.part_of(member), "basis": shares_words(book, c.basis)} for c in columns
        ]
        own = (Column("item", title, 44), money_col("amount", "Collaboration", total=True),
               money_col("part", member, total=True), Column("basis", "In", 24))  # fmt: skip
        span = book.table(sheet, row + 1, own, rows, total_label=total)
        return span.last + 4
    keys = [f"c{i}" for i in range(len(columns))]
    table = [Column("member", "Member", 22), *(money_col(k, c.name, total=True) for k, c in zip(keys, columns, strict=True))]
    table.append(money_col("closing", total, total=True))
    names = list(dict.fromkeys(m for c in columns for m, _ in c.parts))
    rows = []
    for name in names:
        parts = [c.part_of(name) for c in columns]
        rows.append(
            {"member": name, **dict(zip(keys, parts, strict=True)), "closing": row_sum(keys[0], keys[-1], sum(parts, ZERO))}
        )
    span = book.table(sheet, row + 1, table, rows, total_label="Total")
    return span.last + 4


def shares_words(book: Book, name: str) -> str:
    """Whose shares a part is in, in words: "shares by" a basis's description or its name in
    words; a unit's shares, or a leaver's own part, as the rules say them."""
    basis = book.result.budget.bases.get(name)
    if basis is None:
        return name
    words = basis_of(basis)  # mid-sentence: "Each PCC's share" is "each PCC's share"; "Home Office formula" stays
    first, _, rest = words.partition(" ")
    return f"shares by {first.lower() + ' ' + rest if first in SENTENCE_STARTS and rest else words}"


SENTENCE_STARTS = {"Each", "Every", "The", "A", "An", "Its", "Their", "Shares", "Share"}  # lowered mid-sentence


def row_sum(first: str, last: str, expected: Decimal) -> CellValue:
    return lambda r, c: Formula(f"=SUM({c[first]}{r}:{c[last]}{r})", expected)


def write_plan_sheet(book: Book, member: str | None = None) -> None:
    """Net cash payable, a column a year: by unit for a member, by member in the summary."""
    result = book.result
    years = (result, *result.plan_years)
    subtitle = "Medium-term plan: net cash payable by year" + (f" for {member}" if member else " by member")
    sheet = book.sheet("Plan", subtitle, member or "plan")
    columns = [Column("key", "Unit code" if member else "Member", 22)]
    columns += [money_col(f"y{i}", year.budget.year, total=True) for i, year in enumerate(years)]
    rows: list[Row] = []
    if member:
        codes = list(dict.fromkeys(u.unit.code for year in years for u in year.units if u.share_of(member)))
        for code in codes:
            row: dict[str, CellValue] = {"key": code}
            for i, year in enumerate(years):
                share = next((u.share_of(member) for u in year.units if u.unit.code == code), None)
                row[f"y{i}"] = share.cash_amount if share else ZERO
            rows.append(row)
    else:
        totals_by_year = [{t.member: t.cash_amount for t in year.member_totals} for year in years]
        rows = [{"key": m, **{f"y{i}": totals[m] for i, totals in enumerate(totals_by_year)}} for m in result.budget.member_names]
    book.table(sheet, 4, columns, rows, total_label="Total")
    book.finish(sheet, 4, frozen_columns=1)
