"""The journal: every transaction balances, and each member's receivable is its cash payable."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from apportion.input.budget_file import load_budget
from apportion.outputs.files import write_outputs
from apportion.outputs.journal import account_part, journal_text, year_start
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, read_contributions


def parse(text):
    """Transactions as lists of (account, amount); open directives as a set of accounts."""
    opened, transactions = set(), []
    for line in text.splitlines():
        if line.startswith(";") or not line.strip() or line.startswith("option"):
            continue
        if " open " in line:
            opened.add(line.split()[2])
        elif " * " in line:
            transactions.append([])
        else:
            account, amount, currency = line.split()
            assert currency == "GBP"
            transactions[-1].append((account, Decimal(amount)))
    return opened, transactions


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_transaction_balances_and_members_match_the_csv(path, tmp_path):
    result = apportion(load_budget(path))
    write_outputs(result, tmp_path / "out", journal=True)
    opened, transactions = parse((tmp_path / "out" / "journal.beancount").read_text())
    assert transactions
    receivable: dict[str, Decimal] = defaultdict(Decimal)
    for postings in transactions:
        assert sum(amount for _, amount in postings) == 0, postings
        for account, amount in postings:
            assert account in opened
            if account.startswith("Assets:Receivable:"):
                receivable[account.removeprefix("Assets:Receivable:")] += amount
    csv_cash: dict[str, Decimal] = defaultdict(Decimal)
    for row in read_contributions(tmp_path / "out" / "contributions.csv"):
        if row["year"] == result.budget.year:  # the journal is the budget year's; a plan's later years are not booked
            csv_cash[account_part(row["member"])] += Decimal(row["amount"])
    # and the year end's settlement of each unit's out-turn, returned (-) or charged (+) through the receivable
    year_end = tmp_path / "out" / "year-end.csv"
    for row in read_contributions(year_end) if year_end.exists() else []:
        if row["item"] == "settlement":
            csv_cash[account_part(row["member"])] += Decimal(row["amount"])
    assert {k: v for k, v in receivable.items() if v} == {k: v for k, v in csv_cash.items() if v}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_beancount_itself_reads_every_journal_without_error(path):
    from beancount import loader

    entries, errors, _ = loader.load_string(journal_text(apportion(load_budget(path))))
    assert errors == []
    assert any(type(entry).__name__ == "Transaction" for entry in entries)


def test_levy_moves_between_the_payer_and_the_lead():
    # The levy of docs/domain.md, on the example's SEROCU (pay 4,740,000, led by Sussex): Kent 2% x 22% x 4,740,000 = 20,856.
    text = journal_text(apportion(load_budget(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")))
    _, transactions = parse(text)
    assert [("Assets:Receivable:Kent", Decimal("20856.00")), ("Assets:Receivable:Sussex", Decimal("-20856.00"))] in transactions
    assert '2014-04-01 * "SEROCU" "Kent: levy payable to Sussex"' in text


def test_names_and_dates():
    assert account_part("Thames Valley") == "Thames-Valley"
    assert account_part("EMSOU-FS") == "EMSOU-FS"
    assert account_part("Ynys Môn / north") == "Ynys-Mon-North"
    assert year_start("2013/14") == "2013-04-01"


def test_a_result_made_without_its_postings_refuses_a_journal_rather_than_give_an_empty_one():
    # apportion(..., with_postings=False) is for runs that write neither the journal nor the
    # ledgers. A library caller who then asks for either must be told, not handed a journal
    # with no transactions (which would balance, and say nothing was charged).
    from apportion.rules.postings import member_journals

    budget = load_budget(EXAMPLES / "east-midlands-2013-14.yaml")
    without = apportion(budget, with_postings=False)
    with pytest.raises(ValueError, match="postings were not worked out"):
        journal_text(without)
    with pytest.raises(ValueError, match="postings were not worked out"):
        member_journals(without, "Lincolnshire")
    assert "Lincolnshire" in journal_text(apportion(budget))  # asked for, they are there
