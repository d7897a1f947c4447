"""Where ``monitoring:`` becomes the model: the year's periods and each unit's actual
spending and forecast out-turn by period, written in the budget file or read from the
finance officer's own spreadsheet (``actuals_from:``), each checked where it is written.

The spreadsheet is not an input of the budget's run: a run's outputs do not change when
a quarter's actuals are added, so its files are kept apart for the monitoring report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from apportion.input.bases import read_named_table
from apportion.input.description import ACTUAL, ACTUALS_TABLE, MONITORING
from apportion.input.reader import Reader
from apportion.input.spreadsheets import Cell
from apportion.input.values import check_signed_money, did_you_mean
from apportion.input.yaml_file import Path_
from apportion.model import Message, Place, Unit
from apportion.model.invoicing import year_start
from apportion.model.limits import OVER_LIMIT, over_limit
from apportion.model.messages import PeriodError
from apportion.model.money import format_gbp
from apportion.model.monitoring import Actual, Monitoring, Periods, parse_period, period_name


def read_monitoring(reader: Reader, value: Any, path: Path_, units: list[Unit], year: str) -> Monitoring | None:
    """monitoring: {periods, actuals: {period: {unit: actual}}, actuals_from: {file, ...}}."""
    spec = reader.mapping(value, path, MONITORING.names, "the actuals and forecasts by unit and period")
    if spec is None:
        return None
    chosen = reader.choice(spec["periods"], (*path, "periods"), Periods) if "periods" in spec else "quarterly"
    # with periods: in error the actuals are still checked, as quarters, so every problem is told at once
    book = Actuals(reader, Periods(chosen or "quarterly"), {unit.code: unit for unit in units}, year)
    if "actuals" in spec:
        book.read_written(spec["actuals"], (*path, "actuals"))
    read_before = len(reader.inputs)
    if "actuals_from" in spec:
        book.read_table(spec["actuals_from"], (*path, "actuals_from"))
    book.check_to_date()
    files = tuple(reader.inputs[read_before:])
    del reader.inputs[read_before:]  # the actuals' files are the monitoring report's inputs, not the run's
    if "actuals" not in spec and "actuals_from" not in spec:
        reader.problem(path, "give the actuals: actuals: (in this file) or actuals_from: (a spreadsheet)")
    return Monitoring(Periods(chosen), tuple(book.actuals.values()), files) if chosen else None


class Actuals:
    """The actuals read so far, by unit and period, so that one given twice is caught."""

    def __init__(self, reader: Reader, periods: Periods, units: Mapping[str, Unit], year: str) -> None:
        self.reader, self.periods, self.units = reader, periods, units
        self.first_day = year_start(year)
        self.actuals: dict[tuple[str, int], Actual] = {}

    def read_written(self, value: Any, path: Path_) -> None:
        """actuals: {period: {unit: amount or {actual, forecast}}}."""
        for period_text, by_unit in (self.reader.named(value, path, "actuals by period") or {}).items():
            where = (*path, period_text)
            period = self.period(str(period_text), lambda text, where=where: self.reader.problem(where, text))
            for code, figures in (self.reader.named(by_unit, where, f"{period_text}'s actuals by unit") or {}).items():
                at = (*where, code)
                found = self.figures(figures, at)
                if period is not None and found is not None and self.unit(str(code), at):
                    spent, forecast, explanation = found
                    self.add(Actual(str(code), period, spent, forecast, self.reader.place(at), explanation))

    def figures(self, value: Any, at: Path_) -> tuple[Decimal, Decimal | None, str | None] | None:
        if not isinstance(value, dict):
            spent = self.amount(value, at, "the net spending in the period")
            return (spent, None, None) if spent is not None else None
        spec = self.reader.mapping(value, at, ACTUAL.names, "the period's actual and forecast")
        if spec is None:
            return None
        if "actual" not in spec:
            self.reader.problem(at, "missing actual: the unit's net spending in the period")
            return None
        spent = self.amount(spec["actual"], (*at, "actual"), "the net spending in the period")
        forecast = self.amount(spec["forecast"], (*at, "forecast"), "the forecast out-turn") if "forecast" in spec else None
        explanation = self.reader.optional_text(spec, "explanation", at, "why the figures are what they are")
        if spent is None or ("forecast" in spec and forecast is None):
            return None
        return spent, forecast, explanation

    def amount(self, value: Any, at: Path_, what: str) -> Decimal | None:
        return self.reader.checked(check_signed_money(value, what), at)

    def read_table(self, value: Any, path: Path_) -> None:
        """actuals_from: a row for each unit and period."""
        spec = self.reader.mapping(value, path, ACTUALS_TABLE.names, "a spreadsheet of actuals")
        if spec is None:
            return
        optional = tuple(key for key in ("forecast_column", "explanation_column") if key in spec)
        table = read_named_table(self.reader, spec, path, ("unit_column", "period_column", "actual_column", *optional))
        for row in table.rows if table is not None else ():
            self.read_row(row, spec)

    def read_row(self, row: Mapping[str, Cell], spec: Mapping[str, Any]) -> None:
        unit, period_cell, actual = row[spec["unit_column"]], row[spec["period_column"]], row[spec["actual_column"]]
        period = self.period(period_cell.text, lambda text: self.reader.cell_problem(period_cell.problem(text)))
        spent = self.cell_amount(actual)
        forecast_cell = row.get(spec.get("forecast_column", ""))
        forecast = self.cell_amount(forecast_cell) if forecast_cell is not None and forecast_cell.text else None
        known = unit.text in self.units
        if not known:
            self.reader.cell_problem(unit.problem(self.unknown(unit.text)))
        bad_forecast = forecast_cell is not None and forecast_cell.text and forecast is None
        explained = row.get(spec.get("explanation_column", ""))
        explanation = (explained.text or None) if explained is not None else None
        if known and period is not None and spent is not None and not bad_forecast:
            place = Place(unit.file, 0, unit.place())
            self.add(Actual(unit.text, period, spent, forecast, place, explanation), self.reader.cell_problem)

    def cell_amount(self, cell: Cell) -> Decimal | None:
        amount, message = check_signed_money(cell.value, "the net spending")
        if amount is None:
            self.reader.cell_problem(cell.problem(message))
        return amount

    def period(self, text: str, problem: Any) -> int | None:
        try:
            return parse_period(text, self.periods, self.first_day)
        except PeriodError as error:
            problem(str(error))
            return None

    def unit(self, code: str, at: Path_) -> bool:
        if code in self.units:
            return True
        self.reader.problem(at, self.unknown(code))
        return False

    def unknown(self, code: str) -> str:
        codes = list(self.units)
        return f"{code!r} is not a unit{did_you_mean(code, codes)}; units are: {', '.join(codes)}"

    def check_to_date(self) -> None:
        """Each unit's actual to date, and all units', under what a spreadsheet holds, at the end of every period."""
        by_unit: dict[str, Decimal] = {}
        for period in range(1, self.periods.in_year + 1):
            given = [actual for (_, number), actual in self.actuals.items() if number == period]
            for actual in given:
                by_unit[actual.unit] = by_unit.get(actual.unit, Decimal(0)) + actual.spent_amount
                if over_limit(by_unit[actual.unit]):
                    return self.over(f"{actual.unit}'s", by_unit[actual.unit], actual)
            if given and over_limit(total := sum(by_unit.values(), Decimal(0))):
                return self.over("the units'", total, given[-1])
        return None

    def over(self, whose: str, total: Decimal, actual: Actual) -> None:
        period = period_name(self.periods, actual.period)
        text = f"{whose} actual to date at the end of {period} would be {format_gbp(total)}, {OVER_LIMIT}"
        self.reader.problems.append(Message(text, actual.place))

    def add(self, actual: Actual, tell: Callable[[Message], None] | None = None) -> None:
        """Adds the actual, or tells (``tell``: as a spreadsheet's problems are, the first few) that it is given twice."""
        key = (actual.unit, actual.period)
        if key in self.actuals:
            first = self.actuals[key].place
            (tell or self.reader.problems.append)(
                Message(
                    f"the actual for {actual.unit} in {period_name(self.periods, actual.period)} is given twice, here and "
                    f"at {first}; give each unit's figures for a period once",
                    actual.place,
                )
            )
            return
        self.actuals[key] = actual
