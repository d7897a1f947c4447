"""Two runs side by side: what each member pays before and after, the difference, and
which rule moved it (share of cost, support charges, income returned, levy, in-kind
credit). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model import UnitRole
from apportion.model.money import ZERO, format_gbp, round_decimal
from apportion.model.results import Apportionment, MemberShare

RULES = (
    ("service_cost_amount", "share of cost"),
    ("support_amount", "support charges"),
    ("returned_amount", "income returned"),
    ("levy_amount", "levy"),
    ("in_kind_credit_amount", "in-kind credit"),
)


class Difference(NamedTuple):
    """One member (and, where given, one unit): before, after and the change by rule."""

    member: str
    unit: str  # "" for the member's total
    before_amount: Decimal
    after_amount: Decimal
    by_rule: tuple[tuple[str, Decimal], ...]  # (rule, change) for each rule that changed

    @property
    def change_amount(self) -> Decimal:
        return self.after_amount - self.before_amount

    @property
    def change_percent(self) -> Decimal | None:
        if not self.before_amount:
            return None
        return round_decimal(Fraction(self.change_amount) / Fraction(self.before_amount) * 100, 2)

    def cause(self) -> str:
        """'share of cost +£33,000.00; levy -£38,368.00', or how membership changed."""
        parts = [f"{rule} {'+' if amount > 0 else ''}{format_gbp(amount)}" for rule, amount in self.by_rule if amount]
        return "; ".join(parts)


class Comparison(NamedTuple):
    before: Apportionment
    after: Apportionment
    members: tuple[Difference, ...]
    units: tuple[Difference, ...]

    @property
    def before_total(self) -> Decimal:
        return sum((d.before_amount for d in self.members), ZERO)

    @property
    def after_total(self) -> Decimal:
        return sum((d.after_amount for d in self.members), ZERO)


def rules_of(*results: Apportionment) -> tuple[tuple[str, str], ...]:
    """The rules the runs use: support charges and income returned only where a run has them."""
    roles = {unit.unit.role for result in results for unit in result.units}
    needed = {"support charges": UnitRole.SUPPORT in roles, "income returned": UnitRole.RETURNED_INCOME in roles}
    return tuple((attribute, rule) for attribute, rule in RULES if needed.get(rule, True))


Shares = Mapping[tuple[str, str], MemberShare]  # (member, unit code) -> the member's figures for the unit


def compare(before: Apportionment, after: Apportionment) -> Comparison:
    """Every member of either run, and every unit either run has, before and after."""
    members = list(dict.fromkeys([*before.budget.member_names, *after.budget.member_names]))
    codes = list(dict.fromkeys([u.unit.code for u in before.units] + [u.unit.code for u in after.units]))
    member_rows, unit_rows = differences(shares_of(before), shares_of(after), members, codes, rules_of(before, after))
    return Comparison(before, after, member_rows, unit_rows)


def shares_of(result: Apportionment) -> dict[tuple[str, str], MemberShare]:
    return {(share.member, unit.unit.code): share for unit, share in result.shares()}


def differences(
    before: Shares, after: Shares, members: Sequence[str], codes: Sequence[str], rules: tuple[tuple[str, str], ...] = RULES
) -> tuple[tuple[Difference, ...], tuple[Difference, ...]]:
    """Each member's difference (its total, then by unit), before and after, by rule: of two
    runs, or of last year's figures and this year's."""
    unit_rows = [
        row
        for code in codes
        for member in members
        if (row := difference(before.get((member, code)), after.get((member, code)), member, code, rules)) is not None
    ]
    member_rows = []
    for member in members:
        rows = [row for row in unit_rows if row.member == member]
        by_rule = tuple((rule, sum((dict(r.by_rule).get(rule, ZERO) for r in rows), ZERO)) for _, rule in rules)
        member_rows.append(
            Difference(
                member,
                "",
                sum((r.before_amount for r in rows), ZERO),
                sum((r.after_amount for r in rows), ZERO),
                by_rule,
            )
        )
    return tuple(member_rows), tuple(unit_rows)


def difference(
    old: MemberShare | None, new: MemberShare | None, member: str, code: str, rules: tuple[tuple[str, str], ...] = RULES
) -> Difference | None:
    if old is None and new is None:
        return None
    by_rule = tuple((rule, amount(new, attribute) - amount(old, attribute)) for attribute, rule in rules)
    return Difference(member, code, amount(old, "cash_amount"), amount(new, "cash_amount"), by_rule)


def amount(share: MemberShare | None, attribute: str) -> Decimal:
    value = getattr(share, attribute) if share is not None else ZERO
    assert isinstance(value, Decimal)  # noqa: S101 - every rule attribute is money
    return value
