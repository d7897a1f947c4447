"""apportion: who pays what for a police collaboration, to the penny.

The library the command line is a thin shell over::

    import apportion

    budget = apportion.load("examples/east-midlands-2013-14.yaml")
    result = apportion.apportion(apportion.prepare(budget, what_ifs=[apportion.Without("Lincolnshire")]))
    apportion.write_outputs(result, "out/without-lincolnshire")
    apportion.lines(result)  # the tidy lines, a pandas DataFrame

and every other command: ``run``, ``monitor``, ``compare``, ``explain``, ``sweep``,
``report`` (with ``last_year`` and ``write_report``) and ``verify``, each returning the
library's records, with ``differences``, ``exposures``, ``positions`` and
``variance_shares`` giving their figures as DataFrames.

Names are imported when first used, so ``import apportion`` costs next to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apportion.model.version import VERSION as __version__

if TYPE_CHECKING:
    from apportion.api import (
        apportion,
        compare,
        differences,
        explain,
        exposures,
        last_year,
        lines,
        load,
        monitor,
        positions,
        prepare,
        report,
        run,
        sweep,
        totals,
        variance_shares,
        verify,
        what_ifs,
        write_outputs,
        write_report,
    )
    from apportion.model import (
        ApportionError,
        Apportionment,
        Budget,
        IncomeChange,
        InputError,
        LineChange,
        ModelChange,
        OutputError,
        PeriodError,
        Prepared,
        SharesChange,
        Without,
    )

API = {
    "apportion", "compare", "differences", "explain", "exposures", "last_year", "lines", "load", "monitor", "positions",
    "prepare", "report", "run", "sweep", "totals", "variance_shares", "verify", "what_ifs", "write_outputs", "write_report",
}  # fmt: skip
RECORDS = {
    "Apportionment", "Budget", "IncomeChange", "InputError", "LineChange", "ModelChange", "Prepared", "SharesChange",
    "Without", "ApportionError", "OutputError", "PeriodError",
}  # fmt: skip

__all__ = [
    "ApportionError", "Apportionment", "Budget", "IncomeChange", "InputError", "LineChange", "ModelChange", "OutputError",
    "PeriodError", "Prepared", "SharesChange", "Without", "__version__", "apportion", "compare", "differences", "explain",
    "exposures", "last_year", "lines", "load", "monitor", "positions", "prepare", "report", "run", "sweep", "totals",
    "variance_shares", "verify", "what_ifs", "write_outputs", "write_report",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in API:
        from apportion import api

        return getattr(api, name)
    if name in RECORDS:
        from apportion import model

        return getattr(model, name)
    raise AttributeError(f"module 'apportion' has no attribute {name!r}")
