"""Where each cell of sweep.xlsx is written: each member's range (with its chart), what was
varied, every outcome, and the provenance; titled and set up to print as the other
workbooks are."""

from __future__ import annotations

from decimal import Decimal

from apportion.model import Apportionment
from apportion.outputs.provenance import Provenance
from apportion.outputs.sheets import Book, Column, Row, absolute, money_col, write_provenance_sheet
from apportion.outputs.spreadsheet import LETTERS, Chart, Formula, Series
from apportion.rules.sweep import Sweep

OUTCOMES_TOP = 4  # the Outcomes sheet's header row
PERCENTAGE = "0.0##%"  # a percentage held as the fraction it is (-30% as -0.3)
WHOLE_POUNDS = '"£"#,##0'
MIDDLE = "Median"
MIDDLE_MEANS = (
    "Median: the member's net cash payable in the outcome in the middle when the outcomes",
    "are put in order of it (of an even number of outcomes, the lower of the two in the middle).",
)

RANGE_COLUMNS = ((2, "minimum_amount", "Lowest"), (4, "median_amount", MIDDLE), (6, "maximum_amount", "Highest"))
EXPOSURE_COLUMNS = (
    Column("member", "Member", 16),
    money_col("low", "Lowest"),
    Column("low_at", "Outcome giving the lowest", 24, wrap=True),
    money_col("middle", MIDDLE),
    Column("middle_at", "Outcome giving the median", 24, wrap=True),
    money_col("high", "Highest"),
    Column("high_at", "Outcome giving the highest", 24, wrap=True),
)
VARIED_COLUMNS = (
    Column("input", "Input", 16),
    Column("of", "Of", 16),
    Column("from", "From", 10, PERCENTAGE),
    Column("to", "To", 10, PERCENTAGE),
    Column("step", "Step", 10, PERCENTAGE),
)


def sweep_workbook(sweep: Sweep, base: Apportionment, provenance: Provenance) -> Book:
    """Each member's range (with a chart), what was varied, and every outcome."""
    book = Book(base, f"{base.budget.collaboration}: sensitivity sweep {base.budget.year}", provenance)
    exposure = book.sheet("Exposure", "Each member's net cash payable over the outcomes: lowest, median and highest", "sweep")
    exposures = sweep.exposures()
    count = len(sweep.outcomes)
    rows: list[Row] = []
    for index, e in enumerate(exposures):  # each figure worked from the member's column of Outcomes
        column = LETTERS[len(sweep.factors) + 1 + index]
        cash = f"Outcomes!${column}${OUTCOMES_TOP + 1}:${column}${OUTCOMES_TOP + count}"
        rows.append({
            "member": e.member, "low": Formula(f"=MIN({cash})", e.minimum_amount), "low_at": e.minimum_at,
            "middle": Formula(f"=SMALL({cash},{(count + 1) // 2})", e.median_amount), "middle_at": e.median_at,
            "high": Formula(f"=MAX({cash})", e.maximum_amount), "high_at": e.maximum_at,
        })  # fmt: skip
    span = book.table(exposure, 4, EXPOSURE_COLUMNS, rows)
    book.finish(exposure, 4, frozen_columns=1)
    for offset, text in enumerate(MIDDLE_MEANS, start=span.last + 2):
        book.put(exposure, offset, 1, text)
    series = [
        Series(absolute(exposure, span.first, c, span.last, c), absolute(exposure, span.header, c, span.header, c),
               cached=[getattr(e, attribute) for e in exposures], title_text=heading)
        for c, attribute, heading in RANGE_COLUMNS
    ]  # fmt: skip
    members = absolute(exposure, span.first, 1, span.last, 1)
    ranges = Chart("bar", "Lowest, median and highest net cash payable", series, members, (1, 1), WHOLE_POUNDS,
                   cached_categories=list(sweep.members), size=(24.0, 10.0))  # fmt: skip
    next_row = book.chart_page(exposure, span.last + 5, ranges, "Each member's range: the figures are the table's above.")
    write_varied(book, sweep)
    outcomes = write_outcomes(book, sweep)
    if len(sweep.factors) == 1 and sweep.draws is None:
        end = outcomes + len(sweep.outcomes)
        sheet = book.workbook.sheets[-1]
        cash = sweep.cash_pence.tolist()
        lines = [
            Series(absolute(sheet, outcomes + 1, c, end, c), absolute(sheet, outcomes, c, outcomes, c),
                   cached=[Decimal(row[c - 2]) / 100 for row in cash], title_text=member)
            for c, member in enumerate(sweep.members, start=2)
        ]  # fmt: skip
        title = f"Net cash payable by {sweep.factors[0].input.value}"
        every = Chart("line", title, lines, absolute(sheet, outcomes + 1, 1, end, 1), (1, 1), WHOLE_POUNDS,
                      numeric_categories=True, cached_categories=[values[0] / 100 for values in sweep.outcomes],
                      size=(24.0, 10.0))  # fmt: skip
        book.chart_page(
            exposure, next_row, every, "Each member's net cash payable in every outcome: the figures are on the Outcomes sheet."
        )
    write_provenance_sheet(book)
    return book


def write_varied(book: Book, sweep: Sweep) -> None:
    sheet = book.sheet("Varied", "What was varied, in percent", "sweep")
    rows: list[Row] = [
        {"input": f.input.value, "of": f.target or "every unit", "from": f.start / 100, "to": f.stop / 100, "step": f.step / 100}
        for f in sweep.factors
    ]
    span = book.table(sheet, 4, VARIED_COLUMNS, rows)
    how = f"{sweep.draws:,} random draws from the steps, seed {sweep.seed}" if sweep.draws is not None else "every combination"
    book.put(sheet, span.last + 2, 1, f"Outcomes: {len(sweep.outcomes):,} ({how})")
    book.finish(sheet, 4)


def write_outcomes(book: Book, sweep: Sweep) -> int:
    """Every outcome: the value of each input, and each member's net cash payable. Returns the header row."""
    sheet = book.sheet("Outcomes", "Every outcome: each input's value and each member's net cash payable", "sweep")
    columns = [
        Column(f"f{i}", f"{f.input.value} {f.target}".strip() + " (%)", 12, PERCENTAGE) for i, f in enumerate(sweep.factors)
    ]
    columns += [money_col(f"m{i}", member) for i, member in enumerate(sweep.members)]
    rows: list[Row] = []
    for values, pence in zip(sweep.outcomes, sweep.cash_pence.tolist(), strict=True):
        row: dict[str, object] = {f"f{i}": value / 100 for i, value in enumerate(values)}
        row |= {f"m{i}": Decimal(p) / 100 for i, p in enumerate(pence)}
        rows.append(row)
    book.table(sheet, OUTCOMES_TOP, columns, rows)
    book.finish(sheet, OUTCOMES_TOP, frozen_columns=len(sweep.factors))
    return OUTCOMES_TOP
