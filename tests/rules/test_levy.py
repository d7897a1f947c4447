"""The levy, stated once: the pot rounded once and split so that paid equals received."""

from __future__ import annotations

from fractions import Fraction

from apportion.model import Basis, BasisKind, BudgetLine, ChargingModel, Income, LevyBase, LineKind, Unit
from apportion.model.money import D
from apportion.rules.levy import is_charged, levy_base, levy_label, split_levy
from apportion.rules.split import apportion_unit


def unit(**rules) -> Unit:
    weights = {"A": D(1), "B": D(1), "C": D(1)}
    return Unit("U", "Unit", ("A", "B", "C"), Basis("equal", BasisKind.EQUAL, weights),
                (BudgetLine("Pay", LineKind.PAY, D("1000.00")),), **rules)  # fmt: skip


def test_a_pot_of_thirds_is_rounded_once_and_split_by_largest_remainder():
    lead = unit(model=ChargingModel.LEAD_FORCE, lead="A", levy_rate=D("2"))
    thirds = dict.fromkeys(("A", "B", "C"), Fraction(1, 3))
    split = split_levy(lead, thirds, levy_base(D("1000.00"), D("1000.00"), D("1000.00"), LevyBase.GROSS_PAY))
    # pot: 2% x 1,000 x (1 - 1/3) = £13.333..., rounded once to £13.33; B and C each £6.665 of it:
    # floors 666p each leave 1p, which the tie-break (equal remainders and weights) gives to B.
    assert split.pot_exact == Fraction(40, 3)
    assert split.pot_amount == D("13.33")
    assert split.levies == {"A": D("-13.33"), "B": D("6.67"), "C": D("6.66")}
    assert split.exact == {"A": Fraction(-40, 3), "B": Fraction(20, 3), "C": Fraction(20, 3)}
    assert sum(split.levies.values()) == 0


def test_a_pot_that_rounds_to_nothing_is_split_among_no_one():
    # 2% x £0.10 x (1 - 1/3) = £0.001333... (1/750), which rounds to £0.00: there is no pot
    # to split, so no payer has a part of one to show (explain says the levy comes to
    # nothing), and no one pays or receives anything.
    lead = unit(model=ChargingModel.LEAD_FORCE, lead="A", levy_rate=D("2"))
    split = split_levy(lead, dict.fromkeys(("A", "B", "C"), Fraction(1, 3)), Fraction(1, 10))
    assert split.pot_exact == Fraction(1, 750)
    assert split.pot_amount == 0
    assert split.workings == {}
    assert split.levies == {"A": D("0.00"), "B": D("0.00"), "C": D("0.00")}


def test_the_base_net_of_income_is_pay_times_net_over_gross():
    # pay 4,000,000, net 4,000,000, gross 5,000,000: 4m x 4/5 = 3,200,000
    assert levy_base(D("4000000"), D("4000000"), D("5000000"), LevyBase.NET_PAY) == 3_200_000
    assert levy_base(D("4000000"), D("4000000"), D("5000000"), LevyBase.GROSS_PAY) == 4_000_000


def test_no_levy_outside_the_lead_force_model():
    host = unit(model=ChargingModel.HOST_FORCE, lead="A")
    assert not is_charged(host)
    split = split_levy(host, dict.fromkeys(("A", "B", "C"), Fraction(1, 3)), Fraction(0))
    assert split.levies == {"A": D("0.00"), "B": D("0.00"), "C": D("0.00")}
    # nothing is charged, so there is no base, no pot and no part of one to show
    assert (split.base_amount, split.pot_exact, split.pot_amount) == (0, 0, 0)
    assert split.exact == {"A": 0, "B": 0, "C": 0}
    assert levy_label(unit(model=ChargingModel.LEAD_FORCE, lead="A", levy_rate=D("2.5"))) == "levy 2.5% of gross_pay"


def test_each_levy_line_is_worked_on_its_own_part_of_rate_x_base_whichever_way_it_flows():
    # A surplus under a levy on pay net of income: pay 1,000, income 1,500, so net -500 and
    # the base 1,000 x -500 / 1,000 = -500. The pot, 2% x -500 x (1/3 + 1/3) = -£6.666...,
    # is -£6.67: B receives -£3.34 and C -£3.33 (the spare penny to B, the tie-break), and
    # the lead A pays £6.67. Each tidy line is worked on its own part of rate x base: a
    # payer's share, 1/3, and the lead's, the payers' 2/3, whichever way the money flows.
    lead = unit(model=ChargingModel.LEAD_FORCE, lead="A", levy_rate=D("2"), levy_base=LevyBase.NET_PAY)
    surplus = apportion_unit(lead._replace(income=(Income("Grant", D("1500.00")),)))
    levies = {s.member: (s.levy_amount, line.share) for s in surplus.shares for line in s.items() if "levy" in line.item}
    assert levies == {"A": (D("6.67"), Fraction(2, 3)), "B": (D("-3.34"), Fraction(1, 3)), "C": (D("-3.33"), Fraction(1, 3))}
