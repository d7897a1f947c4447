"""Each member's ledger journals (apportion/rules/postings.py) for a host's units, worked by
hand in the comments: officers in kind under offset, a unit with a single partner posting,
and an over-spend of pence, charged (not returned)."""

from __future__ import annotations

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.model.postings import Account
from apportion.rules.calculate import apportion
from apportion.rules.postings import member_journals

HOSTED = """
collaboration: Two forces
year: 2024/25
members: [Host, Partner]
bases:
  formula: {shares: {Host: 60%, Partner: 40%}}
units:
  - code: DOGS
    basis: formula
    model: host-force
    host: Host
    non_pay: {Kennels: 1000}
  - code: ROCU
    basis: formula
    model: host-force
    host: Host
    non_pay: {Costs: 100000}
    in_kind: {Partner: 10000}
    in_kind_treatment: offset
year_end:
  outturn: {DOGS: 1000.50, ROCU: 100000}
"""


def lines(journal):
    return [(line.account, line.amount, line.unit, line.description, line.party) for line in journal.lines]


def test_a_hosts_units_in_each_ledger_worked_by_hand(write_yaml):
    # DOGS: 1,000 at 60/40: Host 600, Partner 400, the Partner's only posting for the unit.
    # ROCU under offset: the whole cost is 100,000 + the Partner's 10,000 in kind = 110,000:
    # Host 66,000, Partner 44,000, of which 10,000 is its officers, credited: it owes 34,000.
    # Out-turn: DOGS 1,000.50 against 1,000, an over-spend of 0.50, charged 0.30 to Host
    # and 0.20 to Partner (pence, but charged all the same); ROCU on budget.
    result = apportion(load_budget(write_yaml(HOSTED)))
    partner = {j.number: j for j in member_journals(result, "Partner")}
    assert list(partner) == ["2425-C", "2425-S"]
    assert lines(partner["2425-C"]) == [
        (Account.CONTRIBUTION, D("400.00"), "DOGS", "DOGS: share of net cost", ""),
        (Account.PAYABLE, D("-400.00"), "DOGS", "DOGS: net cash payable", ""),
        (Account.CONTRIBUTION, D("44000.00"), "ROCU", "ROCU: share of total cost (with officers in kind)", ""),
        (Account.IN_KIND_RECHARGE, D("-10000.00"), "ROCU", "ROCU: seconded officers' pay, credited", ""),
        (Account.PAYABLE, D("-34000.00"), "ROCU", "ROCU: net cash payable", ""),
    ]
    assert lines(partner["2425-S"]) == [
        (Account.SETTLEMENT, D("0.20"), "DOGS", "DOGS: over-spend charged to it", ""),
        (Account.PAYABLE, D("-0.20"), "DOGS", "DOGS: out-turn settled", ""),
    ]
    host = {j.number: j for j in member_journals(result, "Host")}
    assert list(host) == ["2425-C", "2425-S", "2425-P", "2425-PS"]
    # the units it keeps: the Partner's 400 for DOGS; its 44,000 for ROCU less its officers,
    # 10,000, credited: 34,000 owed
    assert lines(host["2425-P"]) == [
        (Account.PARTNER_INCOME, D("-400.00"), "DOGS", "DOGS: Partner's share of net cost", ""),
        (Account.RECEIVABLE, D("400.00"), "DOGS", "DOGS: owed by Partner", "Partner"),
        (Account.PARTNER_INCOME, D("-44000.00"), "ROCU", "ROCU: Partner's share of total cost (with officers in kind)", ""),
        (Account.PARTNER_INCOME, D("10000.00"), "ROCU", "ROCU: Partner's officers in kind, credited", ""),
        (Account.RECEIVABLE, D("34000.00"), "ROCU", "ROCU: owed by Partner", "Partner"),
    ]
    assert lines(host["2425-PS"]) == [
        (Account.PARTNER_INCOME, D("-0.20"), "DOGS", "DOGS: over-spend charged to Partner", ""),
        (Account.RECEIVABLE, D("0.20"), "DOGS", "DOGS: over-spend charged to Partner", "Partner"),
    ]
    for journal in (*partner.values(), *host.values()):
        assert sum(line.amount for line in journal.lines) == 0, journal.number
