"""Where an activity unit's ``activity:`` becomes the model: what is counted, the rate for
each, every participant's quantity, the period they are from, and the basis the balance
(what the rates do not recover) is shared by."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from apportion.input.bases import read_weights, read_weights_from_table
from apportion.input.description import ACTIVITY
from apportion.input.reader import Reader
from apportion.input.yaml_file import Path_
from apportion.model import Activity, Basis, BasisKind

BasisReader = Callable[[Reader, Any, Path_], Basis | None]


def read_activity(reader: Reader, value: Any, path: Path_, read_balance: BasisReader) -> Activity | None:
    """activity: {measure, rate, quantities | quantities_from, period, balance}."""
    spec = reader.mapping(value, path, ACTIVITY.names, "a rate and each participant's quantity")
    if spec is None:
        return None
    count = reader.count()
    for key in ("measure", "rate"):
        if key not in spec:
            needs = "what it counts" if key == "measure" else "its rate for each"
            reader.problem(path, f"missing {key}: an activity unit needs {needs}")
    measure = reader.optional_text(spec, "measure", path, "what is counted, such as actioned calls")
    rate = reader.money(spec["rate"], (*path, "rate")) if "rate" in spec else None
    given = [key for key in ("quantities", "quantities_from") if key in spec]
    quantities: dict[str, Decimal] | None = None
    if len(given) != 1:
        reader.problem(path, "give each participant's activity under quantities: (or quantities_from: a spreadsheet)")
    elif given[0] == "quantities":
        quantities = read_weights(reader, spec["quantities"], (*path, "quantities"), BasisKind.DRIVERS, measure)
    else:
        where = (*path, "quantities_from")
        quantities = read_weights_from_table(reader, spec["quantities_from"], where, BasisKind.DRIVERS, measure)
    period = reader.optional_text(spec, "period", path, "the period, such as January to December 2015")
    if quantities is None or measure is None or rate is None or reader.count() > count:
        return None
    balance = (
        read_balance(reader, spec["balance"], (*path, "balance"))
        if "balance" in spec
        else Basis(measure, BasisKind.DRIVERS, quantities, measure, period=period)
    )
    if balance is None:
        return None
    return Activity(measure, rate, quantities, balance, period)


def check_quantities(
    reader: Reader, activity: Activity, path: Path_, participants: tuple[str, ...], *, balance_given: bool
) -> None:
    """Every participant has a quantity (0 if it used none); where the balance is shared by
    the quantities, they add up to something."""
    missing = [m for m in participants if m not in activity.quantities]
    if missing:
        reader.problem(
            (*path, "activity", "quantities"),
            f"{', '.join(missing)} take{'s' if len(missing) == 1 else ''} part but {'has' if len(missing) == 1 else 'have'} "
            f"no quantity of {activity.measure}; give each participant one (0 if it used none)",
        )
    outside = [m for m in activity.quantities if m not in participants]
    if outside:
        reader.problem(
            (*path, "activity", "quantities"),
            f"{', '.join(outside)} {'has' if len(outside) == 1 else 'have'} a quantity but do{'es' if len(outside) == 1 else ''} "
            "not take part; add to participants: or remove the quantity",
        )
    if not missing and not outside and not balance_given and participants and not any(activity.quantities.values()):
        reader.problem(
            (*path, "activity", "quantities"),
            f"every participant's quantity of {activity.measure} is 0, so what the rates do not recover (all of the "
            "unit's cost) has nothing to be shared by; give the quantities used, or a balance: basis to share it by",
        )
