"""The lead-force levy, stated once.

Each participant other than the lead pays ``rate x pay base x its share``; the lead
receives the sum. The pot, ``rate x pay base x (1 - the lead's share)``, is rounded once to
the penny and split among the payers by their shares (largest remainder), so the levies
paid equal the levy received exactly. The pay base is the unit's gross pay lines
(``gross_pay``) or pay net of its pro-rata part of income (``net_pay``: pay x net / gross).

The sweep's vectorised levy (:func:`apportion.rules.sweep_units.levy_pence`) computes the
same figures for many outcomes at once; tests hold it to this definition to the penny.
Pure: no I/O.
"""

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import ZERO, Allocation, allocate_with_workings, plain, round_penny, to_fraction
from apportion.model.records import ChargingModel, LevyBase, Unit


class LevySplit(NamedTuple):
    """The levy of a unit: its base, the pot before and after rounding, and each part."""

    base_amount: Fraction
    pot_exact: Fraction
    pot_amount: Decimal
    levies: dict[str, Decimal]  # + payable, - receivable (the lead)
    exact: dict[str, Fraction]  # each part before rounding: rate x base x share; the lead's, - rate x base x (1 - share)
    workings: dict[str, Allocation]
    shares: dict[str, Fraction]  # the part of rate x base each levy is: a payer's share; the lead's, 1 - its own


def is_charged(unit: Unit) -> bool:
    """Whether the unit charges a levy: a lead-force unit with a lead."""
    return unit.model is ChargingModel.LEAD_FORCE and unit.lead is not None


def levy_base(pay: Decimal, net: Decimal, gross: Decimal, base: LevyBase) -> Fraction:
    """The pay the levy is a percentage of: gross pay, or pay net of its part of income."""
    if base is LevyBase.NET_PAY:
        return to_fraction(pay) * to_fraction(net) / to_fraction(gross)
    return to_fraction(pay)


def levy_label(unit: Unit) -> str:
    """How the tidy lines name the levy's basis: 'levy 2% of gross_pay'."""
    return f"levy {plain(unit.levy_rate)}% of {unit.levy_base.value}"


def split_levy(unit: Unit, shares: Mapping[str, Fraction], base: Fraction) -> LevySplit:
    """Levy payable by each non-lead participant and receivable by the lead."""
    levies = dict.fromkeys(unit.participants, ZERO)
    levy_shares = {m: 1 - share if m == unit.lead else share for m, share in shares.items()}
    if not is_charged(unit):
        return LevySplit(Fraction(0), Fraction(0), ZERO, levies, dict.fromkeys(unit.participants, Fraction(0)), {}, levy_shares)
    rate = to_fraction(unit.levy_rate) / 100
    payers = {m: share for m, share in shares.items() if m != unit.lead}
    pot_exact = rate * base * sum(payers.values(), Fraction(0))
    pot = round_penny(pot_exact)
    workings = allocate_with_workings(pot, payers) if pot and any(payers.values()) else {}
    # the lead's part is worked as the workbooks show it: - rate x base x (1 - its share)
    exact = {m: -rate * base * (1 - share) if m == unit.lead else rate * base * share for m, share in shares.items()}
    if workings:
        levies.update({m: working.amount for m, working in workings.items()})
        levies[str(unit.lead)] = -pot
    return LevySplit(base, pot_exact, pot if workings else ZERO, levies, exact, workings, levy_shares)
