"""Where each cell of sweep.xlsx is written: each member's range (with a chart), what
was varied, and every outcome."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from apportion.model import VERSION
from apportion.outputs.sheets import BOLD, MONEY, absolute
from apportion.outputs.spreadsheet import Chart, Series, Sheet, Style, Workbook
from apportion.rules.sweep import Sweep


def sweep_workbook(sweep: Sweep) -> Workbook:
    """Each member's range (with a chart), what was varied, and every outcome."""
    book = Workbook()
    book.creator = f"apportion {VERSION}"
    book.title = "Sensitivity sweep"
    money, bold = book.style(Style(MONEY)), book.style(Style(font=BOLD))

    def write(sheet: Sheet, row: int, values: Sequence[Any], style: int = 0) -> None:
        for column, value in enumerate(values, start=1):
            money_cell = isinstance(value, Decimal) and column > len(sweep.factors)
            sheet.put(row, column, value, money if money_cell else style)

    exposure = book.add_sheet("Exposure")
    write(exposure, 1, ["Member", "Lowest", "at", "Middle", "at", "Highest", "at"], bold)
    exposures = sweep.exposures()
    for row, e in enumerate(exposures, start=2):
        write(exposure, row, [e.member, e.minimum_amount, e.minimum_at, e.median_amount, e.median_at,
                              e.maximum_amount, e.maximum_at])  # fmt: skip
    last = len(exposures) + 1
    series = [Series(absolute(exposure, 2, c, last, c), absolute(exposure, 1, c, 1, c)) for c in (2, 4, 6)]
    members = absolute(exposure, 2, 1, last, 1)
    exposure.charts.append(Chart("bar", "Lowest, middle and highest net cash payable", series, members, (last + 3, 1), MONEY))
    varied = book.add_sheet("Varied")
    write(varied, 1, ["Input", "Of", "From (%)", "To (%)", "Step (%)"], bold)
    for row, f in enumerate(sweep.factors, start=2):
        write(varied, row, [f.input.value, f.target or "every unit", f.start, f.stop, f.step])
    how = f"{sweep.draws} random draws from the steps, seed {sweep.seed}" if sweep.draws is not None else "every combination"
    write(varied, len(sweep.factors) + 3, [f"Outcomes: {len(sweep.outcomes)} ({how})"])
    outcomes = book.add_sheet("Outcomes")
    write(outcomes, 1, [f"{f.input.value} {f.target}".strip() + " (%)" for f in sweep.factors] + list(sweep.members), bold)
    for row, (values, pence) in enumerate(zip(sweep.outcomes, sweep.cash_pence.tolist(), strict=True), start=2):
        write(outcomes, row, [*values, *((Decimal(p) / 100) for p in pence)])
    for sheet in (exposure, varied, outcomes):
        sheet.freeze = (1, 1)
        sheet.widths = dict.fromkeys(range(1, sheet.max_column + 1), 18)
    if len(sweep.factors) == 1 and sweep.draws is None:
        end = len(sweep.outcomes) + 1
        lines = [
            Series(absolute(outcomes, 2, c, end, c), absolute(outcomes, 1, c, 1, c)) for c in range(2, len(sweep.members) + 2)
        ]
        title = f"Net cash payable by {sweep.factors[0].input.value}"
        chart = Chart("line", title, lines, absolute(outcomes, 2, 1, end, 1), (last + 19, 1), MONEY, numeric_categories=True)
        exposure.charts.append(chart)
    return book
