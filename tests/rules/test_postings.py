"""The year's postings and each member's ledger journals (apportion/rules/postings.py), worked
by hand in the comments: a lead's unit with a grant, a levy of a pound, officers in kind
beside the cash, instalments and the reserves' movements; a host's units with officers in
kind under offset, a unit with a single partner posting, and an over-spend of pence, charged
(not returned)."""

from __future__ import annotations

from datetime import date

from apportion.input.budget_file import load_budget
from apportion.model.money import D
from apportion.model.postings import Account, Posting, PostingKind
from apportion.rules.calculate import apportion
from apportion.rules.postings import member_journals, postings

LED = """
collaboration: Two forces
year: 2024/25
members: [Lead, Partner]
bases:
  formula: {shares: {Lead: 60%, Partner: 40%}}
units:
  - code: ROCU
    basis: formula
    model: lead-force
    lead: Lead
    levy_rate: 2%
    pay: {Salaries: 125}
    income: {Grant: 25}
    in_kind: {Partner: 5}
invoicing:
  instalments: half-yearly
  reference_prefix: RX
year_end:
  shares: formula
  outturn: {ROCU: 90}
  reserves: {opening: 1000, transfers: {Other movements: -100}}
"""
# A lead's unit, worked by hand. The grant, 25, is the unit's income, kept by the lead. The
# net cost, 125 - 25 = 100, at 60/40: Lead 60.00, Partner 40.00. The levy is on the pay, 2% x
# 125 x the Partner's 40% = 1.00, which it pays (a levy of a pound is posted all the same);
# the Lead's levy, -1.00, is what it receives. The Partner's officers, 5 (in kind
# additional, the default), are beside its cash. The Partner owes 41.00, the Lead 60.00 less
# the levy it keeps, 59.00: half-yearly in advance, on 1 April and 1 October 2024, half each
# (20.50 and 29.50). The out-turn, 90 against 100, an under-spend of 10 returned at 60/40 on
# 31 March 2025: -6.00 and -4.00. The reserves, in formula's shares: the opening 1,000 at
# 1 April (Lead 600, Partner 400), the movement of -100 at 31 March (-60, -40).
START, OCTOBER, END = date(2024, 4, 1), date(2024, 10, 1), date(2025, 3, 31)


def test_a_lead_units_year_posted_in_order(write_yaml):
    # the unit's grant and each share, levy and officers in kind (1 April); the instalments,
    # member by member; the out-turn and the reserves' movements
    result = apportion(load_budget(write_yaml(LED)))
    kind = PostingKind
    assert postings(result) == (
        Posting(kind.GRANT, START, D("25"), "ROCU", "ROCU", "", "Lead", name="Grant"),
        Posting(kind.SHARE_OF_NET_COST, START, D("60"), "ROCU", "ROCU", "Lead", "Lead"),
        Posting(kind.SHARE_OF_NET_COST, START, D("40"), "ROCU", "ROCU", "Partner", "Lead"),
        Posting(kind.LEVY, START, D("1"), "ROCU", "ROCU", "Partner", "Lead"),
        Posting(kind.IN_KIND_ADDITIONAL, START, D("5"), "ROCU", "ROCU", "Partner", "Lead"),
        Posting(kind.INSTALMENT, START, D("29.50"), member="Lead", name="H1", reference="RX-2425-LEAD-H1"),
        Posting(kind.INSTALMENT, OCTOBER, D("29.50"), member="Lead", name="H2", reference="RX-2425-LEAD-H2"),
        Posting(kind.INSTALMENT, START, D("20.50"), member="Partner", name="H1", reference="RX-2425-PARTNER-H1"),
        Posting(kind.INSTALMENT, OCTOBER, D("20.50"), member="Partner", name="H2", reference="RX-2425-PARTNER-H2"),
        Posting(kind.SETTLEMENT, END, D("-6"), "ROCU", "ROCU", "Lead", "Lead"),
        Posting(kind.SETTLEMENT, END, D("-4"), "ROCU", "ROCU", "Partner", "Lead"),
        Posting(kind.RESERVES, START, D("1000"), name="Opening reserves", parts=(("Lead", D("600")), ("Partner", D("400"))),
                basis="formula"),
        Posting(kind.RESERVES, END, D("-100"), name="Other movements", parts=(("Lead", D("-60")), ("Partner", D("-40"))),
                basis="formula"),
    )  # fmt: skip


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


def journals(result, member):
    return [(j.number, j.on, j.description, lines(j), j.reference, j.due) for j in member_journals(result, member)]


def test_a_lead_units_journals_with_a_levy_instalments_and_officers_beside_the_cash(write_yaml):
    # LED's figures. The Partner's officers are beside its cash: an expense in kind and their
    # pay recharged, 5 each way, adding nothing to what it owes. Each instalment is paid from
    # the bank, with its invoice's reference and due date.
    result = apportion(load_budget(write_yaml(LED)))
    h1, h2 = "Instalment H1 due 1 Apr 2024", "Instalment H2 due 1 Oct 2024"
    assert journals(result, "Partner") == [
        ("2425-C", START, "Contributions", [
            (Account.CONTRIBUTION, D("40"), "ROCU", "ROCU: share of net cost", ""),
            (Account.LEVY, D("1"), "ROCU", "ROCU: levy payable to Lead", ""),
            (Account.IN_KIND, D("5"), "ROCU", "ROCU: officers seconded in kind", ""),
            (Account.IN_KIND_RECHARGE, D("-5"), "ROCU", "ROCU: seconded officers' pay recharged", ""),
            (Account.PAYABLE, D("-41"), "ROCU", "ROCU: net cash payable", ""),
        ], "", None),
        ("2425-H1", START, h1, [(Account.PAYABLE, D("20.50"), "", h1, ""), (Account.BANK, D("-20.50"), "", h1, "")],
         "RX-2425-PARTNER-H1", START),
        ("2425-H2", OCTOBER, h2, [(Account.PAYABLE, D("20.50"), "", h2, ""), (Account.BANK, D("-20.50"), "", h2, "")],
         "RX-2425-PARTNER-H2", OCTOBER),
        ("2425-S", END, "Out-turn settlement", [
            (Account.SETTLEMENT, D("-4"), "ROCU", "ROCU: under-spend returned to it", ""),
            (Account.PAYABLE, D("4"), "ROCU", "ROCU: out-turn settled", ""),
        ], "", None),
    ]  # fmt: skip
    assert journals(result, "Lead") == [
        ("2425-C", START, "Contributions", [
            (Account.CONTRIBUTION, D("60"), "ROCU", "ROCU: share of net cost", ""),
            (Account.LEVY_INCOME, D("-1"), "ROCU", "ROCU: levy due to it from Partner", ""),
            (Account.PAYABLE, D("-59"), "ROCU", "ROCU: net cash payable", ""),
        ], "", None),
        ("2425-H1", START, h1, [(Account.PAYABLE, D("29.50"), "", h1, ""), (Account.BANK, D("-29.50"), "", h1, "")],
         "RX-2425-LEAD-H1", START),
        ("2425-H2", OCTOBER, h2, [(Account.PAYABLE, D("29.50"), "", h2, ""), (Account.BANK, D("-29.50"), "", h2, "")],
         "RX-2425-LEAD-H2", OCTOBER),
        ("2425-S", END, "Out-turn settlement", [
            (Account.SETTLEMENT, D("-6"), "ROCU", "ROCU: under-spend returned to it", ""),
            (Account.PAYABLE, D("6"), "ROCU", "ROCU: out-turn settled", ""),
        ], "", None),
        # the unit it keeps: the Partner's share and levy as the unit's income (its officers
        # beside its cash are not), 41 owed; then the Partner's 4 returned
        ("2425-P", START, "Partners' contributions", [
            (Account.PARTNER_INCOME, D("-40"), "ROCU", "ROCU: Partner's share of net cost", ""),
            (Account.PARTNER_INCOME, D("-1"), "ROCU", "ROCU: Partner's levy", ""),
            (Account.RECEIVABLE, D("41"), "ROCU", "ROCU: owed by Partner", "Partner"),
        ], "", None),
        ("2425-PS", END, "Partners' out-turn settlements", [
            (Account.PARTNER_INCOME, D("4"), "ROCU", "ROCU: under-spend returned to Partner", ""),
            (Account.RECEIVABLE, D("-4"), "ROCU", "ROCU: under-spend returned to Partner", "Partner"),
        ], "", None),
    ]  # fmt: skip
