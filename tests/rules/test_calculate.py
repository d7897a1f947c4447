"""The rules, each with expected pennies worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from apportion.model import (
    Basis,
    BasisKind,
    Budget,
    BudgetLine,
    ChargingModel,
    Income,
    InKindTreatment,
    Item,
    LevyBase,
    LineKind,
    Member,
    OfficersInKind,
    Unit,
)
from apportion.model.money import D
from apportion.rules.calculate import apportion
from apportion.rules.split import apportion_unit

SE_SHARES = {"Hampshire": D("25"), "Kent": D("22"), "Sussex": D("20"), "Thames Valley": D("18"), "Surrey": D("15")}
EM_SHARES = {"Nottinghamshire": D("27.3"), "Leicestershire": D("22.8"), "Derbyshire": D("22.2"),
             "Northamptonshire": D("14.9"), "Lincolnshire": D("12.8")}  # fmt: skip


def basis(weights, name="shares", kind=BasisKind.SHARES):
    return Basis(name, kind, dict(weights))


def unit(weights, *, pay="0", non_pay="0", income="0", participants=None, **rules):
    lines = [BudgetLine("Pay", LineKind.PAY, D(pay)), BudgetLine("Non-pay", LineKind.NON_PAY, D(non_pay))]
    return Unit(
        code=rules.pop("code", "U"),
        name="Unit",
        participants=tuple(participants or weights),
        basis=basis(weights),
        lines=tuple(lines),
        income=(Income("Grant", D(income)),),
        **rules,
    )


def by_member(result, attribute):
    return {share.member: getattr(share, attribute) for share in result.shares}


def test_lead_force_levy_worked_example():
    # docs/domain.md: pay 4,000,000, non-pay 1,000,000, grant 1,000,000: net 4,000,000.
    # Kent: 22% x 4,000,000 = 880,000 share, levy 2% x 22% x 4,000,000 = 17,600, cash 897,600.
    # Sussex (lead): 20% x 4,000,000 = 800,000, receives 2% x 80% x 4,000,000 = 64,000: 736,000.
    result = apportion_unit(
        unit(SE_SHARES, pay="4000000", non_pay="1000000", income="1000000",
             model=ChargingModel.LEAD_FORCE, lead="Sussex", levy_rate=D("2"))
    )  # fmt: skip
    cash = by_member(result, "cash_amount")
    levy = by_member(result, "levy_amount")
    assert cash["Kent"] == D("897600.00")
    assert levy["Kent"] == D("17600.00")
    assert cash["Sussex"] == D("736000.00")
    assert levy["Sussex"] == D("-64000.00")
    # Hampshire 2% x 25% x 4m = 20,000; Thames Valley 2% x 18% = 14,400; Surrey 2% x 15% = 12,000.
    assert levy == {"Hampshire": D("20000.00"), "Kent": D("17600.00"), "Sussex": D("-64000.00"),
                    "Thames Valley": D("14400.00"), "Surrey": D("12000.00")}  # fmt: skip
    assert result.levy_total_amount == D("64000.00")
    assert sum(cash.values()) == D("4000000.00")


def test_levy_on_pay_net_of_income():
    # Same unit, levy base net of income: pay 4m x net 4m / gross 5m = 3.2m.
    # Kent: 2% x 22% x 3,200,000 = 14,080. Pot: 2% x 80% x 3.2m = 51,200.
    result = apportion_unit(
        unit(SE_SHARES, pay="4000000", non_pay="1000000", income="1000000", model=ChargingModel.LEAD_FORCE,
             lead="Sussex", levy_rate=D("2"), levy_base=LevyBase.NET_PAY)
    )  # fmt: skip
    assert by_member(result, "levy_amount")["Kent"] == D("14080.00")
    assert result.levy_total_amount == D("51200.00")


def test_host_force_has_no_levy_and_business_support_is_shared():
    # Host model: the host's business support (150,000) is a line like any other.
    # Net 4,150,000; Kent 22% = 913,000; Thames Valley (host) 18% = 747,000.
    result = apportion_unit(
        unit(SE_SHARES, pay="4000000", non_pay="1150000", income="1000000",
             model=ChargingModel.HOST_FORCE, lead="Thames Valley")
    )  # fmt: skip
    cash = by_member(result, "cash_amount")
    assert cash["Kent"] == D("913000.00")
    assert cash["Thames Valley"] == D("747000.00")
    assert all(levy == 0 for levy in by_member(result, "levy_amount").values())


def test_officers_in_kind_offset_worked_example():
    # Cash budget 1,000,000; A seconds 100,000 in kind; shares A 60%, B 40%.
    # Total cost 1,100,000: A's share 660,000 less 100,000 in kind = 560,000 cash; B 440,000.
    result = apportion_unit(
        unit({"A": D("60"), "B": D("40")}, non_pay="1000000", in_kind=(OfficersInKind("A", D("100000")),),
             in_kind_treatment=InKindTreatment.OFFSET)
    )  # fmt: skip
    assert by_member(result, "cost_amount") == {"A": D("660000.00"), "B": D("440000.00")}
    assert by_member(result, "cash_amount") == {"A": D("560000.00"), "B": D("440000.00")}
    assert by_member(result, "total_amount") == {"A": D("660000.00"), "B": D("440000.00")}
    items = [(share.member, line.item, line.amount, line.in_kind_amount) for share in result.shares for line in share.items()]
    assert ("A", Item.IN_KIND_CREDIT, D("-100000.00"), D("100000.00")) in items


def test_officers_in_kind_additional_worked_example():
    # Same figures, additional: A pays 60% x 1,000,000 = 600,000 cash, B 400,000;
    # A's 100,000 in kind is reported beside its cash.
    result = apportion_unit(
        unit({"A": D("60"), "B": D("40")}, non_pay="1000000", in_kind=(OfficersInKind("A", D("100000")),),
             in_kind_treatment=InKindTreatment.ADDITIONAL)
    )  # fmt: skip
    assert by_member(result, "cash_amount") == {"A": D("600000.00"), "B": D("400000.00")}
    assert by_member(result, "in_kind_amount") == {"A": D("100000.00"), "B": D("0.00")}
    assert by_member(result, "total_amount") == {"A": D("700000.00"), "B": D("400000.00")}


def test_in_kind_above_share_is_a_credit_with_a_warning():
    # Cash 100,000; A gives 200,000 in kind, offset; shares 50/50. Total cost 300,000:
    # A's share 150,000 - 200,000 = -50,000 (a credit); B pays 150,000. Cash 100,000.
    members = (Member("A"), Member("B"))
    u = unit({"A": D("50"), "B": D("50")}, non_pay="100000", in_kind=(OfficersInKind("A", D("200000")),),
             in_kind_treatment=InKindTreatment.OFFSET)  # fmt: skip
    result = apportion(Budget("C", "2024/25", members, {}, (u,)))
    assert by_member(result.units[0], "cash_amount") == {"A": D("-50000.00"), "B": D("150000.00")}
    assert [str(w) for w in result.warnings] == [
        "U: A's in-kind value (£200,000.00) exceeds its share of the unit's total cost (£150,000.00); it is owed a credit of £50,000.00",
    ]
    assert result.warnings[0].member == "A"


def test_three_member_unit_renormalises_the_funding_formula():
    # EMSOU Forensic Services: Derbyshire 22.2, Lincolnshire 12.8, Nottinghamshire 27.3 of
    # the region; over the three (62.3): Derbyshire 22.2/62.3 = 35.634...%.
    # Budget 1,000,000.00 = 100,000,000p: Derbys 2,220,000,000/62.3 = 35,634,028.892p,
    # Lincs 1,280,000,000/62.3 = 20,545,746.388p, Notts 2,730,000,000/62.3 = 43,820,224.719p.
    # The floors sum to 99,999,998p; the 2p left go to the largest remainders: Derbys, Notts.
    # Derbyshire 356,340.29, Lincolnshire 205,457.46, Nottinghamshire 438,202.25.
    result = apportion_unit(unit(EM_SHARES, non_pay="1000000", participants=("Derbyshire", "Lincolnshire", "Nottinghamshire")))
    assert by_member(result, "share")["Derbyshire"] == Fraction(222, 623)
    assert by_member(result, "cash_amount") == {
        "Derbyshire": D("356340.29"),
        "Lincolnshire": D("205457.46"),
        "Nottinghamshire": D("438202.25"),
    }


def test_fixed_amounts_then_the_rest_by_basis():
    # Net 100,000: A pays a fixed 10,000; B and C share 90,000 at 2:1 -> 60,000 and 30,000.
    result = apportion_unit(
        unit({"B": D("2"), "C": D("1")}, non_pay="100000", participants=("A", "B", "C"), fixed_amounts={"A": D("10000.00")})
    )
    assert by_member(result, "cash_amount") == {"A": D("10000.00"), "B": D("60000.00"), "C": D("30000.00")}
    assert by_member(result, "share") == {"A": Fraction(1, 10), "B": Fraction(6, 10), "C": Fraction(3, 10)}


def test_equal_shares_of_an_odd_amount():
    # £100.00 in three: 33.33 each with 1p over, which goes to the name that sorts first.
    weights = {"West Mercia": D(1), "Staffordshire": D(1), "Warwickshire": D(1)}
    result = apportion_unit(unit(weights, non_pay="100"))
    assert by_member(result, "cash_amount") == {
        "West Mercia": D("33.33"),
        "Staffordshire": D("33.34"),
        "Warwickshire": D("33.33"),
    }


def test_surplus_unit_returns_money_with_a_warning():
    # Spending 1,000, income 1,300: a surplus of 300 returned 2:1 -> -200 and -100.
    u = unit({"A": D("2"), "B": D("1")}, non_pay="1000", income="1300")
    result = apportion(Budget("C", "2024/25", (Member("A"), Member("B")), {}, (u,)))
    assert by_member(result.units[0], "cash_amount") == {"A": D("-200.00"), "B": D("-100.00")}
    assert "surplus of £300.00" in str(result.warnings[0])


# --- properties -------------------------------------------------------------------------

names = st.lists(
    st.sampled_from(["Avon", "Kent", "Essex", "Dorset", "Gwent", "Surrey", "Sussex"]), min_size=2, max_size=7, unique=True
)
money = st.integers(min_value=0, max_value=10**11).map(lambda p: Decimal(p) / 100)
weight = st.integers(min_value=1, max_value=10**5).map(lambda w: Decimal(w) / 10)
rate = st.integers(min_value=0, max_value=1000).map(lambda r: Decimal(r) / 100)


@st.composite
def units(draw):
    members = draw(names)
    weights = {m: draw(weight) for m in members}
    in_kind = tuple(OfficersInKind(m, draw(money)) for m in members if draw(st.booleans()))
    return unit(
        weights,
        pay=str(draw(money)),
        non_pay=str(draw(money) + Decimal("0.01")),
        income="0",
        model=ChargingModel.LEAD_FORCE,
        lead=draw(st.sampled_from(members)),
        levy_rate=draw(rate),
        in_kind=in_kind,
        in_kind_treatment=draw(st.sampled_from(InKindTreatment)),
    )


@given(units())
def test_levies_paid_equal_levies_received(u):
    result = apportion_unit(u)
    levies = by_member(result, "levy_amount")
    assert sum(levies.values()) == 0
    assert -levies[u.lead] == result.levy_total_amount


@given(units())
def test_cash_adds_up_to_the_net_budget(u):
    result = apportion_unit(u)
    assert sum(by_member(result, "cash_amount").values()) == u.net_amount


@given(units())
def test_no_amount_is_a_negative_zero(u):
    # Decimal arithmetic can make "-0.00" (-1 x 0.00), which a sheet shows as a red "-£0.00".
    result = apportion_unit(u)
    amounts = [a for s in result.shares for a in (s.cost_amount, s.levy_amount, s.in_kind_credit_amount, s.cash_amount)]
    amounts += [result.levy_total_amount, *(line.amount for share in result.shares for line in share.items())]
    assert "-0.00" not in [str(a) for a in amounts]


@given(units())
def test_under_offset_cash_plus_in_kind_is_the_share_of_total_cost(u):
    u = u._replace(in_kind_treatment=InKindTreatment.OFFSET)
    result = apportion_unit(u)
    assert sum(by_member(result, "cost_amount").values()) == u.net_amount + u.in_kind_amount
    for share in result.shares:
        assert share.cash_amount - share.levy_amount + share.in_kind_amount == share.cost_amount


@given(units(), st.randoms())
def test_listing_members_in_another_order_changes_nobody(u, rnd):
    order = list(u.participants)
    rnd.shuffle(order)
    shuffled = u._replace(participants=tuple(order), basis=basis({m: u.basis.weights[m] for m in order}))
    before = {s.member: (s.cash_amount, s.levy_amount) for s in apportion_unit(u).shares}
    after = {s.member: (s.cash_amount, s.levy_amount) for s in apportion_unit(shuffled).shares}
    assert before == after


@given(st.data())
def test_renormalising_over_any_subset(data):
    chosen = data.draw(st.lists(st.sampled_from(list(EM_SHARES)), min_size=1, max_size=5, unique=True))
    result = apportion_unit(unit(EM_SHARES, non_pay="20931299", participants=tuple(chosen)))
    shares = by_member(result, "share")
    subset_total = sum(Fraction(EM_SHARES[m]) for m in chosen)
    assert shares == {m: Fraction(EM_SHARES[m]) / subset_total for m in chosen}
    assert sum(shares.values()) == 1
    assert sum(by_member(result, "cash_amount").values()) == D("20931299.00")


def test_records_made_with_their_defaults_can_be_pickled_and_copied():
    # Library users hand budgets to other processes (pickle) and copy them; the records'
    # defaults must allow both, and come back equal.
    import copy
    import pickle

    from apportion.model import Plan, YearEnd

    unit = Unit("U", "Unit", ("Avon", "Kent"), basis({"Avon": D("1"), "Kent": D("3")}), ())
    for record in (unit, Plan(years=("2025/26",)), YearEnd()):
        assert pickle.loads(pickle.dumps(record)) == record
        assert copy.deepcopy(record) == record
