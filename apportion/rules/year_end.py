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

from apportion.model.budget import Settlement, YearEnd
from apportion.model.money import ZERO, allocate
from apportion.model.results import Apportionment, MatchCheck, Saving, UnitSettlement, YearEndResult


def year_end(result: Apportionment, inputs: YearEnd) -> YearEndResult:
    """The year end of a calculated budget (run once, by the calculation)."""
    units = {u.unit.code: u for u in result.units}
    settlements = []
    for code, outturn in inputs.outturn.items():
        unit_result = units[code]
        variance = unit_result.net_amount - outturn
        parts: tuple[tuple[str, Decimal], ...] = ()
        if inputs.settlement is Settlement.RETURN and variance:
            shares = {s.member: s.share for s in unit_result.shares}
            parts = tuple((m, -amount) for m, amount in allocate(variance, shares).items())
        settlements.append(UnitSettlement(code, unit_result.net_amount, outturn, inputs.settlement, parts))
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
    return YearEndResult(
        settlements=tuple(settlements),
        reserves_opening=inputs.reserves_opening,
        reserve_transfers=tuple(inputs.reserve_transfers.items()),
        capital_programme=inputs.capital_programme,
        capital_financing=tuple(inputs.capital_financing.items()),
        matches=tuple(matches),
        savings=tuple(savings),
    )
