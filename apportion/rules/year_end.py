"""Year end: settling each unit's under- or over-spend, the reserves, the capital
programme's financing, whether match-funded grants are matched, and each member's saving
against running the service alone. Pure: read off an apportionment and the YearEnd inputs.

* Settlement: variance = net budget - net out-turn (positive: an under-spend). Under
  ``return`` it is split among the participants in their shares of the unit (largest
  remainder; a refund is negative cash); under ``reserves`` it is transferred to reserves.
* Reserves: closing = opening + transfers + variances sent to reserves - capital drawn.
* Capital: the programme must equal its financing (reserves, collaboration fund, ...).
* Match funding: the members' cash share of the unit plus their officers in kind must
  reach the grant; any shortfall is reported.
* Value for money: saving = stand-alone cost - the member's whole contribution (cash plus
  in kind) to the unit.
"""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from apportion.model.budget import Leaver, Settlement, YearEnd
from apportion.model.limits import check_figure
from apportion.model.messages import ApportionError
from apportion.model.money import ZERO, allocate, format_gbp
from apportion.model.records import UnitRole
from apportion.model.results import (
    Apportionment,
    MatchCheck,
    ReserveColumn,
    Saving,
    UnitResult,
    UnitSettlement,
    YearEndResult,
)
from apportion.rules.basis_kinds import weights_of


class YearEndError(ApportionError):
    """A year end that cannot be held: a figure of the reserves or capital no member has a share of."""


def year_end(result: Apportionment, inputs: YearEnd) -> YearEndResult:
    """The year end of a calculated budget (run once, as a step of the year: :mod:`apportion.rules.calculate`)."""
    units = {u.unit.code: u for u in result.units}
    parts_of = written_units(result.units)
    leavers, joiners = whole_year_changes(result)
    settlements = []
    for code, outturn in inputs.outturn.items():
        parts = parts_of[code]
        budget = sum((part.net_amount for part in parts), ZERO)
        variance = budget - outturn
        split: tuple[tuple[str, Decimal], ...] = ()
        if inputs.settlement is Settlement.RETURN and variance:
            split = tuple((m, -amount) for m, amount in allocate(variance, year_shares(parts)).items())
        settlements.append(UnitSettlement(code, budget, outturn, inputs.settlement, split))
    matches = []
    for code, income_name in inputs.match_funding:
        unit_result = units[code]
        grant = sum((i.amount for i in unit_result.unit.income if i.name == income_name), ZERO)
        # the members' cash for the unit is its net budget (levies only move money between them)
        matches.append(MatchCheck(code, income_name, grant, unit_result.net_amount, unit_result.in_kind_total_amount))
    savings = []
    for code, costs in inputs.stand_alone.items():
        for member, cost in costs.items():
            share = units[code].share_of(member)
            contribution = share.total_amount if share else ZERO
            savings.append(Saving(code, member, cost, contribution))
    ended = YearEndResult(
        settlements=tuple(settlements),
        reserves_opening=inputs.reserves_opening,
        reserve_transfers=tuple(inputs.reserve_transfers.items()),
        capital_programme=inputs.capital_programme,
        capital_financing=tuple(inputs.capital_financing.items()),
        matches=tuple(matches),
        savings=tuple(savings),
    )
    if inputs.reserves_opening is None and inputs.capital_programme is None:
        return check_limits(ended, result.budget.member_names)
    holding = Holding(result, inputs, parts_of, leavers, joiners)
    ended = ended._replace(reserves=holding.reserves(ended), capital=holding.capital(), leaver_payments=holding.payments())
    return check_limits(ended, result.budget.member_names)


def check_limits(ended: YearEndResult, members: Iterable[str]) -> YearEndResult:
    """Every figure of the year end under what a spreadsheet holds; raises LimitError."""
    check_figure("at the year end, the under-spends in all", sum((s.variance_amount for s in ended.settlements), ZERO))
    if ended.reserves_closing is not None:
        check_figure("at the year end, the closing reserves", ended.reserves_closing)
    for member in members:
        check_figure(f"at the year end, {member}'s settlement", ended.member_settlement(member))
        check_figure(f"at the year end, {member}'s part of the closing reserves", ended.member_reserves(member))
    return ended


def written_units(units: Iterable[UnitResult]) -> dict[str, list[UnitResult]]:
    """The units as written, each with its parts (periods of membership, income returned by a split of its own)."""
    by_code: dict[str, list[UnitResult]] = {}
    for unit in units:
        by_code.setdefault(unit.unit.origin or unit.unit.code, []).append(unit)
    return by_code


def cost_parts(parts: Sequence[UnitResult]) -> list[UnitResult]:
    """The parts a unit's year is shared by: its periods, not the income it returns by a
    split of its own; a pot of receipts only (no spending of its own) by those receipts."""
    costs = [part for part in parts if part.unit.role is not UnitRole.RETURNED_INCOME]
    return costs or list(parts)


def year_shares(parts: Sequence[UnitResult]) -> dict[str, Fraction]:
    """Each participant's exact share of a unit's year: its share of each part (a period of
    membership) weighted by the part's net budget, so a member in part of the year shares
    in its periods only; an activity unit's as what its rates do not recover is shared; a
    pot of receipts as they are returned. A period with a nil budget weighs nothing, unless
    every period's is nil: then each weighs the same."""
    weights: dict[str, Fraction] = {}
    costs = cost_parts(parts)
    nil_year = not any(part.net_amount for part in costs)
    for part in costs:
        size = Fraction(1) if nil_year else abs(Fraction(part.net_amount))
        for share in part.shares:
            basis = share.balance_share if share.activity_amount is not None else share.share
            weights[share.member] = weights.get(share.member, Fraction(0)) + basis * size
    total = sum(weights.values(), Fraction(0))
    return {member: weight / total for member, weight in weights.items()} if total else {}


def shares_held_in(result: Apportionment, name: str, parts_of: Mapping[str, list[UnitResult]]) -> tuple[dict[str, Fraction], str]:
    """Each member's exact share in a basis, or in a unit's year (its shares weighted by its
    periods), and their name in words: what the reserves, capital and accounts are held in."""
    if name in parts_of:
        return year_shares(parts_of[name]), f"{name}'s shares"
    budget = result.budget
    weights = weights_of(budget.bases[name], list(budget.member_names))
    total = sum((Fraction(w) for w in weights.values()), Fraction(0))
    return {m: Fraction(w) / total for m, w in weights.items()}, name


def whole_year_changes(result: Apportionment) -> tuple[list[str], list[str]]:
    """The members that leave the collaboration in the year (every unit they are in) and
    those that join it, in the budget's order."""
    budget = result.budget
    leaving: dict[str, set[str]] = {}
    joining: dict[str, set[str]] = {}
    for change in budget.membership:
        (joining if change.joins else leaving).setdefault(change.member, set()).update(change.units)
    belongs = {m: {u.code for u in budget.units if m in u.participants} for m in budget.member_names}
    leavers = [m for m in budget.member_names if m in leaving and belongs[m] <= leaving[m]]
    joiners = [m for m in budget.member_names if m in joining and belongs[m] <= joining[m]]
    return leavers, joiners


class Holding:
    """Whose the reserves and the capital financing are: each member's part of the opening
    balance and of each movement, in the shares the file names (``year_end: shares:``).

    A member that leaves the collaboration in the year keeps a claim to its part of the
    opening reserves, the last audited balance, and no part of the year's movements: it
    leaves it behind (passing to those who stay, in their shares) or takes it (paid out of
    the reserves). A member that joins in the year has no part of the opening balance and
    shares in the movements. Each figure is split by largest remainder, so every column adds
    up to the collaboration's figure and each member's closing part is the sum of its row.
    """

    def __init__(
        self, result: Apportionment, inputs: YearEnd, parts_of: Mapping[str, list[UnitResult]], leavers: list[str],
        joiners: list[str],
    ) -> None:  # fmt: skip
        self.inputs, self.parts_of, self.leavers = inputs, parts_of, leavers
        self.file = f"{result.budget.input_files[0].path}: " if result.budget.input_files else ""
        name = inputs.shares or ""
        opening: dict[str, Fraction] | None = None
        shares, self.basis = shares_held_in(result, name, parts_of)
        if name in parts_of:
            # the opening balance is held in the shares of the year's first day: its first period's parts
            costs = cost_parts(parts_of[name])
            opening = year_shares([part for part in costs if part.unit.period == costs[0].unit.period])
        self.opening_shares = opening if opening is not None else {m: s for m, s in shares.items() if m not in joiners}
        self.staying = {m: s for m, s in shares.items() if m not in leavers}

    def split(self, amount: Decimal, shares: Mapping[str, Fraction], basis: str, name: str) -> ReserveColumn:
        total = sum(shares.values(), Fraction(0))
        if amount and not total:
            raise YearEndError(
                f"{self.file}year_end: {name} ({format_gbp(amount)}) would be held by no one: no member that holds it has a "
                f"share in {basis} (a member leaving in the year holds none of the year's movements, one joining none "
                "of the opening reserves); give one a share there, or hold the reserves and capital in other shares "
                "(year_end: shares:)"
            )
        exact = {m: s / total for m, s in shares.items()} if total else dict(shares)
        if not amount:
            return ReserveColumn(name, amount, tuple((m, ZERO) for m in shares), basis, exact)
        return ReserveColumn(name, amount, tuple(allocate(amount, shares).items()), basis, exact)

    def reserves(self, ended: YearEndResult) -> tuple[ReserveColumn, ...]:
        inputs = self.inputs
        if inputs.reserves_opening is None:
            return ()
        opening = self.split(inputs.reserves_opening, self.opening_shares, self.basis, "Opening reserves")
        columns = [opening]
        for leaver in self.leavers:
            claim = opening.part_of(leaver)
            if inputs.leaver is Leaver.TAKES_IT:
                columns.append(ReserveColumn(f"Paid to {leaver} on leaving", -claim, ((leaver, -claim),), "its part"))
            else:
                passed = self.split(claim, self.staying, self.basis, f"Left behind by {leaver}")
                columns.append(passed._replace(amount=ZERO, parts=((leaver, -claim), *passed.parts)))
        columns += [self.split(amount, self.staying, self.basis, name) for name, amount in inputs.reserve_transfers.items()]
        for s in ended.settlements:
            if s.settlement is Settlement.RESERVES and s.variance_amount:
                shares = {m: v for m, v in year_shares(self.parts_of[s.unit]).items() if m not in self.leavers}
                columns.append(self.split(s.variance_amount, shares, f"{s.unit}'s shares", s.to_reserves))
        if ended.capital_from_reserves:
            drawn = self.capital_source("reserves", ended.capital_from_reserves)
            columns.append(drawn._replace(name="Capital financed from reserves", amount=-drawn.amount,
                                          parts=tuple((m, -p) for m, p in drawn.parts)))  # fmt: skip
        return tuple(columns)

    def capital_source(self, name: str, amount: Decimal) -> ReserveColumn:
        return self.split(amount, self.staying, self.basis, name)

    def capital(self) -> tuple[ReserveColumn, ...]:
        return tuple(self.capital_source(name, amount) for name, amount in self.inputs.capital_financing.items())

    def payments(self) -> tuple[tuple[str, Decimal], ...]:
        if self.inputs.leaver is not Leaver.TAKES_IT or self.inputs.reserves_opening is None:
            return ()
        opening = self.split(self.inputs.reserves_opening, self.opening_shares, self.basis, "")
        return tuple((f"Paid to {m} on leaving", -opening.part_of(m)) for m in self.leavers)
