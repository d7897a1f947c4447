"""What-if changes to a budget: the records a scenario is made of (applied by
:mod:`apportion.rules.scenarios`)."""

from decimal import Decimal
from typing import NamedTuple

from apportion.model.money import ZERO, format_gbp, plain
from apportion.model.records import ChargingModel, SupportMethod

ALL_UNITS = "all"


class Without(NamedTuple):
    member: str

    def describe(self) -> str:
        return f"{self.member} leaves every unit"


class IncomeChange(NamedTuple):
    """A unit's grants and income changed by a percentage or an amount, or set to an amount."""

    unit: str  # a unit code, or "all"
    percent: Decimal | None = None  # -20 for a 20% cut
    amount: Decimal | None = None  # -400000.00 for a cut of £400,000
    to: Decimal | None = None  # 0.00: the income falls to nothing

    def describe(self) -> str:
        if self.to is not None:
            return f"grants and income of {self.unit} set to {format_gbp(self.to)}"
        by = f"{plain(self.percent, signed=True)}%" if self.percent is not None else format_gbp(self.amount or ZERO)
        return f"grants and income of {self.unit} change by {by}"


class LineChange(NamedTuple):
    unit: str
    line: str
    amount: Decimal

    def describe(self) -> str:
        return f"{self.unit}: {self.line} set to {format_gbp(self.amount)}"


class ModelChange(NamedTuple):
    unit: str  # a unit code, or "all"
    model: ChargingModel
    member: str | None = None  # the lead or the host
    business_support: Decimal | None = None  # host-force: the host's added cost (split by spending over several units)
    levy_rate: Decimal | None = None  # lead-force: the rate; default the unit's own, or the collaboration's

    def describe(self) -> str:
        who = f" ({'led' if self.model is ChargingModel.LEAD_FORCE else 'hosted'} by {self.member})" if self.member else ""
        cost = f", adding {format_gbp(self.business_support)} of business support" if self.business_support else ""
        return f"{self.unit} moves to {self.model.value}{who}{cost}"


class SharesChange(NamedTuple):
    basis: str
    weights: dict[str, Decimal]

    def describe(self) -> str:
        return f"basis {self.basis} gets new values"


class SupportMethodChange(NamedTuple):
    method: SupportMethod

    def describe(self) -> str:
        return f"support units are charged out by the {self.method.value} method"


Change = Without | IncomeChange | LineChange | ModelChange | SharesChange | SupportMethodChange


class Scenario(NamedTuple):
    name: str
    changes: tuple[Change, ...]
    description: str = ""

    def describe(self) -> str:
        return self.description or "; ".join(change.describe() for change in self.changes)
