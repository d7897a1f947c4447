"""The model: the money policy, the records a budget is made of, the results the rules
work out, messages with their places, and the names of output files. It imports nothing
else of apportion's."""

from apportion.model.budget import (
    Budget,
    InputFile,
    MembershipChange,
    Plan,
    Prepared,
    Settlement,
    YearEnd,
)
from apportion.model.changes import (
    ALL_UNITS,
    Change,
    IncomeChange,
    LineChange,
    ModelChange,
    Scenario,
    SharesChange,
    SupportMethodChange,
    Without,
)
from apportion.model.messages import (
    NOWHERE,
    ApportionError,
    InputError,
    Message,
    OutputError,
    PeriodError,
    Place,
    Severity,
)
from apportion.model.money import D
from apportion.model.records import (
    DEFAULT_LEVY_RATE,
    Activity,
    Basis,
    BasisKind,
    BudgetLine,
    ChargingModel,
    Income,
    InKindTreatment,
    LevyBase,
    LineKind,
    Member,
    OfficersInKind,
    PeriodRounding,
    Source,
    Support,
    SupportDriver,
    SupportMethod,
    Unit,
    UnitRole,
)
from apportion.model.results import (
    Apportionment,
    Item,
    ItemLine,
    MemberShare,
    MemberTotal,
    UnitResult,
    YearEndResult,
)
from apportion.model.version import VERSION

__all__ = [
    "ALL_UNITS", "D", "DEFAULT_LEVY_RATE", "NOWHERE", "VERSION", "Activity", "ApportionError", "Apportionment", "Basis",
    "BasisKind", "Budget", "BudgetLine", "Change", "ChargingModel", "InKindTreatment", "Income", "IncomeChange",
    "InputError", "InputFile", "Item", "ItemLine", "LevyBase", "LineChange", "LineKind", "Member", "MemberShare",
    "MemberTotal", "MembershipChange", "Message", "ModelChange", "OfficersInKind", "OutputError", "PeriodError",
    "PeriodRounding", "Place", "Plan", "Prepared", "Scenario", "Settlement", "Severity", "SharesChange", "Source",
    "Support", "SupportDriver", "SupportMethod", "SupportMethodChange", "Unit", "UnitResult", "UnitRole", "Without",
    "YearEnd", "YearEndResult",
]  # fmt: skip
