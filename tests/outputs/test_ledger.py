"""Each member's ledger journals, read back with pandas as a finance team's import would read
them: every journal balances, and its totals are the member's contribution, instalments and
settlement (and, for a lead, its partners'); the figures of a small case worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from apportion.input.budget_file import load_budget
from apportion.model.ledger import LAYOUTS
from apportion.model.names import ledger_name
from apportion.model.postings import Account
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES

LEAD_FORCE = """
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
    pay: {Salaries: 100000}
invoicing:
  instalments: half-yearly
year_end:
  outturn: {ROCU: 90000}
"""


D365 = {"JOURNALBATCHNUMBER": "journal", "LINENUMBER": "line", "DEBITAMOUNT": "debit", "CREDITAMOUNT": "credit",
        "TRANSDATE": "date", "DUEDATE": "due_date"}  # fmt: skip


def read(path, codes=None, member=""):
    """A ledger CSV as text columns (as an import reads them), the amounts as Decimal; a
    Dynamics 365 journal's columns named as the plain layout's, its accounts by the member's ``codes``."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "JOURNALBATCHNUMBER" in frame.columns:
        named = {codes.code(account): account.value for account in Account}
        frame = frame.rename(columns=D365).assign(member=member)
        frame["account_name"] = frame["ACCOUNTDISPLAYVALUE"].map(lambda display: named[display.split("-")[0]])
    for column in ("debit", "credit"):
        frame[column] = frame[column].map(lambda text: Decimal(text) if text else Decimal(0))
    frame["amount"] = frame["debit"] - frame["credit"]
    return frame


def by_account(frame, journal):
    lines = frame[frame["journal"] == journal]
    return {name: sum(group["amount"], Decimal(0)) for name, group in lines.groupby("account_name")}


def test_a_lead_force_unit_worked_by_hand(tmp_path, write_yaml):
    # Partner: 40% of 100,000 = 40,000, and the levy, 2% x 40% x 100,000 = 800: 40,800 payable,
    # in two instalments of 20,400. Lead: 60,000, less the levy it receives, 800: 59,200, two of
    # 29,600. Out-turn 90,000 against 100,000: 10,000 returned, 6,000 to Lead and 4,000 to Partner.
    result = apportion(load_budget(write_yaml(LEAD_FORCE)))
    write_outputs(result, tmp_path / "out", ledger="plain")
    partner = read(tmp_path / "out" / ledger_name("Partner"))
    assert list(dict.fromkeys(partner["journal"])) == ["2425-C", "2425-H1", "2425-H2", "2425-S"]
    assert by_account(partner, "2425-C") == {"contribution": Decimal(40000), "levy": Decimal(800), "payable": Decimal(-40800)}
    assert by_account(partner, "2425-H1") == {"payable": Decimal(20400), "bank": Decimal(-20400)}
    assert set(partner.loc[partner["journal"] == "2425-H2", "due_date"]) == {"2024-10-01"}
    assert by_account(partner, "2425-S") == {"settlement": Decimal(-4000), "payable": Decimal(4000)}
    lead = read(tmp_path / "out" / ledger_name("Lead"))
    assert list(dict.fromkeys(lead["journal"])) == ["2425-C", "2425-H1", "2425-H2", "2425-S", "2425-P", "2425-PS"]
    assert by_account(lead, "2425-C") == {"contribution": Decimal(60000), "levy_income": Decimal(-800),
                                          "payable": Decimal(-59200)}  # fmt: skip
    # the unit it keeps: the partner's 40,000 and its 800 levy as income, owed by the partner
    assert by_account(lead, "2425-P") == {"partner_income": Decimal(-40800), "receivable": Decimal(40800)}
    assert set(lead.loc[lead["account_name"] == "receivable", "party"]) == {"Partner"}
    assert by_account(lead, "2425-PS") == {"partner_income": Decimal(4000), "receivable": Decimal(-4000)}


@pytest.mark.parametrize(
    "path",
    [EXAMPLES / "east-midlands-2013-14.yaml", EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml",
     EXAMPLES / "west-midlands-2013-14.yaml", EXAMPLES / "east-midlands-2013-14-support.yaml"],
    ids=lambda p: p.name,
)  # fmt: skip
def test_every_journal_balances_and_adds_up_to_the_members_figures(path, tmp_path):
    result = apportion(load_budget(path))
    write_outputs(result, tmp_path / "out", ledger="plain")
    outcome = result.year_end
    for member in result.budget.member_names:
        frame = read(tmp_path / "out" / ledger_name(member), result.budget.ledger and result.budget.ledger.of(member), member)
        assert set(frame["member"]) == {member}
        for journal, lines in frame.groupby("journal"):
            assert sum(lines["debit"], Decimal(0)) == sum(lines["credit"], Decimal(0)), (member, journal)
            assert list(lines["line"]) == [str(n) for n in range(1, len(lines) + 1)]
        kind = frame["journal"].str.rsplit("-", n=1).str[1]
        payable = frame[frame["account_name"] == "payable"]
        cash = result.member_total(member).cash_amount
        assert -sum(payable.loc[kind == "C", "amount"], Decimal(0)) == cash
        instalments = [i.amount for i in result.instalments if i.member == member]
        assert -sum(frame.loc[frame["account_name"] == "bank", "amount"], Decimal(0)) == sum(instalments, Decimal(0))
        if instalments:
            assert sum(instalments, Decimal(0)) == cash
        settled = sum(frame.loc[frame["account_name"] == "settlement", "amount"], Decimal(0))
        assert settled == (outcome.member_settlement(member) if outcome is not None else 0)
        # what a lead or host is owed for the units it keeps: each partner's cash for them
        kept = [u for u in result.units if u.unit.lead == member]
        owed = sum((s.cash_amount for u in kept for s in u.shares if s.member != member), Decimal(0))
        assert sum(frame.loc[kind == "P", "amount"].where(frame["account_name"] == "receivable", Decimal(0)), Decimal(0)) == owed


def test_a_member_imports_its_own_layout_and_the_codes_are_its_own(tmp_path):
    # East Midlands: Leicestershire's ledger imports Dynamics 365's general journal, with codes of its own
    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml"))
    write_outputs(result, tmp_path / "out", ledger="plain")
    leicestershire = pd.read_csv(tmp_path / "out" / ledger_name("Leicestershire"), dtype=str, keep_default_na=False)
    assert list(leicestershire.columns) == [heading for heading, _ in LAYOUTS["dynamics-365"].columns]
    contribution = leicestershire.iloc[0]
    # its share of the budget: 22.8% of 20,931,299 = 4,772,336.172, rounded to 4,772,336.17
    assert (contribution["ACCOUNTDISPLAYVALUE"], contribution["DEBITAMOUNT"]) == ("610420-REG01", "4772336.17")
    assert set(leicestershire["JOURNALNAME"]) == {"GenJrn"} and set(leicestershire["CURRENCYCODE"]) == {"GBP"}
    derbyshire = pd.read_csv(tmp_path / "out" / ledger_name("Derbyshire"), dtype=str, keep_default_na=False)
    assert list(derbyshire.columns) == [heading for heading, _ in LAYOUTS["plain"].columns]
    assert derbyshire.loc[0, "account"] == "5710" and derbyshire.loc[0, "cost_centre"] == "EMRC"
    assert derbyshire.loc[0, "description"] == "EMRC 2013/14 EM-REGIONAL: share of net cost"


def test_every_layout_holds_only_fields_a_journal_line_has():
    from apportion.model.ledger import FIELDS

    for layout in LAYOUTS.values():
        assert all(field.startswith("=") or field in FIELDS for _, field in layout.columns), layout.name
        assert len({heading for heading, _ in layout.columns}) == len(layout.columns), layout.name


def test_the_run_help_names_every_layout():
    from apportion.cli.options import LEDGER_HELP

    assert " or ".join(LAYOUTS) in LEDGER_HELP
