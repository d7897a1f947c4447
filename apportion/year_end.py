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

from decimal import Decimal
from typing import NamedTuple

from apportion.calculate import Apportionment
from apportion.model import Settlement, YearEnd
from apportion.money import ZERO, allocate

RESERVES_KEY = "reserves"


class UnitSettlement(NamedTuple):
    unit: str
    budget_amount: Decimal
    outturn_amount: Decimal
    settlement: Settlement
    parts: tuple[tuple[str, Decimal], ...]  # member -> cash (negative: returned to it)

    @property
    def variance_amount(self) -> Decimal:
        """Positive for an under-spend."""
        return self.budget_amount - self.outturn_amount


class MatchCheck(NamedTuple):
    unit: str
    income: str
    grant_amount: Decimal
    cash_amount: Decimal
    in_kind_amount: Decimal

    @property
    def matched_amount(self) -> Decimal:
        return self.cash_amount + self.in_kind_amount

    @property
    def shortfall_amount(self) -> Decimal:
        return max(ZERO, self.grant_amount - self.matched_amount)


class Saving(NamedTuple):
    unit: str
    member: str
    stand_alone_amount: Decimal
    contribution_amount: Decimal

    @property
    def saving_amount(self) -> Decimal:
        return self.stand_alone_amount - self.contribution_amount


class YearEndResult(NamedTuple):
    settlements: tuple[UnitSettlement, ...]
    reserves_opening: Decimal | None
    reserve_transfers: tuple[tuple[str, Decimal], ...]
    capital_programme: Decimal | None
    capital_financing: tuple[tuple[str, Decimal], ...]
    matches: tuple[MatchCheck, ...]
    savings: tuple[Saving, ...]

    @property
    def capital_from_reserves(self) -> Decimal:
        return dict(self.capital_financing).get(RESERVES_KEY, ZERO)

    @property
    def reserves_closing(self) -> Decimal | None:
        if self.reserves_opening is None:
            return None
        to_reserves = sum((s.variance_amount for s in self.settlements if s.settlement is Settlement.RESERVES), ZERO)
        transfers = sum((amount for _, amount in self.reserve_transfers), ZERO)
        return self.reserves_opening + transfers + to_reserves - self.capital_from_reserves

    def member_settlement(self, member: str) -> Decimal:
        return sum((amount for s in self.settlements for m, amount in s.parts if m == member), ZERO)


def year_end(result: Apportionment, inputs: YearEnd) -> YearEndResult:
    units = {u.unit.code: u for u in result.units}
    settlements = []
    for code, outturn in inputs.outturn.items():
        unit_result = units[code]
        variance = unit_result.unit.net_amount - outturn
        parts: tuple[tuple[str, Decimal], ...] = ()
        if inputs.settlement is Settlement.RETURN and variance:
            shares = {s.member: s.share for s in unit_result.shares}
            parts = tuple((m, -amount) for m, amount in allocate(variance, shares).items())
        settlements.append(UnitSettlement(code, unit_result.unit.net_amount, outturn, inputs.settlement, parts))
    matches = []
    for code, income_name in inputs.match_funding:
        unit_result = units[code]
        grant = sum((i.amount for i in unit_result.unit.income if i.name == income_name), ZERO)
        # the members' cash for the unit is its net budget (levies only move money between them)
        matches.append(MatchCheck(code, income_name, grant, unit_result.unit.net_amount, unit_result.unit.in_kind_amount))
    savings = []
    for code, costs in inputs.stand_alone.items():
        for member, cost in costs.items():
            share = units[code].share_of(member)
            contribution = share.total_amount if share else ZERO
            savings.append(Saving(code, member, cost, contribution))
    return YearEndResult(
        settlements=tuple(settlements),
        reserves_opening=inputs.reserves_opening,
        reserve_transfers=tuple(inputs.reserve_transfers.items()),
        capital_programme=inputs.capital_programme,
        capital_financing=tuple(inputs.capital_financing.items()),
        matches=tuple(matches),
        savings=tuple(savings),
    )
