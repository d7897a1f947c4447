"""The library under the command line: load a budget, prepare a variant, apportion it,
write its outputs, and read its figures as pandas DataFrames.

Each function is the one the command line calls; the command line adds only words and
exit codes. Errors are raised as :class:`~apportion.model.InputError` (every problem of
the files, each with its place), :class:`~apportion.rules.scenarios.ScenarioError`,
:class:`~apportion.rules.periods.PeriodError` or :class:`~apportion.model.OutputError`,
all :class:`~apportion.model.ApportionError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from apportion.input.budget_file import load_budget
from apportion.input.what_ifs import read_what_ifs
from apportion.model import Apportionment, Budget, Change, Prepared
from apportion.outputs.csv_files import CSV_COLUMNS, csv_rows
from apportion.outputs.files import write_outputs as write_folder
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare as prepare_budget

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["apportion", "lines", "load", "prepare", "totals", "what_ifs", "write_outputs"]


def load(path: str | PathLike[str], shares: str | PathLike[str] | None = None) -> Budget:
    """Read and check a budget file (and its shares file, or ``shares`` in its place)."""
    return load_budget(Path(path), Path(shares) if shares is not None else None)


def what_ifs(**options: Iterable[str]) -> list[Change]:
    """The command line's what-ifs as changes: ``what_ifs(without=["Kent"], grant_change=["all=-20%"])``."""
    return read_what_ifs(options)


def prepare(budget: Budget, scenario: str | None = None, what_ifs: Sequence[Change] = ()) -> Prepared:
    """The budget's named scenario and what-ifs applied, its periods and plan years made."""
    return prepare_budget(budget, scenario, what_ifs)


def write_outputs(
    result: Apportionment, folder: str | PathLike[str], *, force: bool = False, journal: bool = False
) -> list[Path]:
    """Write the member workbooks, the summary and contributions.csv into ``folder``, all or nothing."""
    return write_folder(result, Path(folder), force=force, journal=journal)


def lines(result: Apportionment) -> pd.DataFrame:
    """The tidy lines (the rows of contributions.csv), amounts as Decimal: one row per year,
    unit, member and item."""
    import pandas as pd

    return pd.DataFrame(list(csv_rows(result)), columns=list(CSV_COLUMNS))


def totals(result: Apportionment) -> pd.DataFrame:
    """Each member's net cash payable, in-kind value and total contribution (Decimal)."""
    import pandas as pd

    rows: Mapping[str, list[object]] = {
        "member": [t.member for t in result.member_totals],
        "net_cash_payable": [t.cash_amount for t in result.member_totals],
        "in_kind_value": [t.in_kind_amount for t in result.member_totals],
        "total_contribution": [t.total_amount for t in result.member_totals],
    }
    return pd.DataFrame(rows)
