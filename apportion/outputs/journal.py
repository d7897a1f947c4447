"""The contributions as a double-entry journal in beancount's plain-text format.

Accounts (one per member and unit; names made from the member and unit names):

* ``Assets:Receivable:<Member>``: what the member owes; its balance is its net cash payable.
* ``Income:Units:<Unit>:Contributions``: members' shares of the unit's cost; for a support
  unit ``Support-Charges`` (its cost as it comes to rest in the units each member pays for),
  and for income returned by a split of its own ``Income-Returned`` (a credit to each member).
* ``Income:Units:<Unit>:Grants`` and ``Assets:Grants-Receivable:<Unit>``: grants and income.
* ``Expenses:Units:<Unit>:Officers-In-Kind``: officers seconded in kind, with
  ``Income:Units:<Unit>:In-Kind-Contributions`` where in kind is additional to the cash.

A levy moves money between two members' receivables. Where the budget has a year end:

* ``Income:Units:<Unit>:Out-Turn-Settlement``: each member's part of a unit's under- or
  over-spend returned to it (or charged), through its receivable, dated 31 March;
* ``Assets:Reserves`` and ``Equity:Reserves:<Member>``: the opening reserves, dated 1
  April, and each movement, dated 31 March, each member's part of each posted to its own
  equity account, so its balance is (minus) the member's part of the closing reserves.

Every transaction balances; the contributions are dated the first day of the financial
year (1 April of the year's first calendar year). The transactions are the year's postings
(:mod:`apportion.rules.postings`), which each member's ledger posts too, seen from the
collaboration's side; nothing here works a figure out. Pure: returns text.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from apportion.model import VERSION, Apportionment
from apportion.model.postings import IN_KIND, Posting, PostingKind


def account_part(name: str) -> str:
    """'Thames Valley' -> 'Thames-Valley': a valid beancount account component.

    Letters and digits are kept (accents dropped), anything else becomes '-', and each
    word starts with a capital, as beancount requires.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = [word for word in re.split(r"[^A-Za-z0-9]+", ascii_name) if word]
    return "-".join(word[:1].upper() + word[1:] for word in words) or "Unnamed"


def year_start(year: str) -> str:
    match = re.match(r"\s*(\d{4})", year)
    return f"{match.group(1)}-04-01" if match else "1970-01-01"


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "/").replace('"', "'") + '"'


def transaction(date: str, payee: str, narration: str, postings: list[tuple[str, Decimal]]) -> list[str]:
    width = max(len(account) for account, _ in postings) + 2
    lines = [f"{date} * {quoted(payee)} {quoted(narration)}"]
    lines += [f"  {account:<{width}}{amount:>16} GBP" for account, amount in postings]
    return [*lines, ""]


COST_POSTINGS = {
    PostingKind.SHARE_OF_NET_COST: ("share of net cost", "Contributions"),
    PostingKind.SHARE_OF_TOTAL_COST: ("share of total cost", "Contributions"),
    PostingKind.SUPPORT_CHARGE: ("support charged through the units it pays for", "Support-Charges"),
    PostingKind.INCOME_RETURNED: ("income returned to it", "Income-Returned"),
}  # the narration and account of a member's part of a unit's cost, by the unit's role


def entry(posting: Posting) -> list[str]:
    """A posting as a transaction, from the collaboration's side (nothing for an instalment,
    which moves money the journal already holds as receivable, or a reserves movement of nil)."""
    kind, on, amount = posting.kind, posting.on.isoformat(), posting.amount
    code, member = account_part(posting.unit), account_part(posting.member)
    receivable = f"Assets:Receivable:{member}"
    if kind is PostingKind.GRANT:
        legs = [(f"Assets:Grants-Receivable:{code}", amount), (f"Income:Units:{code}:Grants", -amount)]
        return transaction(on, posting.unit, f"Income: {posting.name}", legs)
    if kind in COST_POSTINGS:
        words, account = COST_POSTINGS[kind]
        return transaction(on, posting.unit, f"{posting.member}: {words}",
                           [(receivable, amount), (f"Income:Units:{code}:{account}", -amount)])  # fmt: skip
    if kind is PostingKind.LEVY:
        legs = [(receivable, amount), (f"Assets:Receivable:{account_part(posting.holder)}", -amount)]
        return transaction(on, posting.unit, f"{posting.member}: levy payable to {posting.holder}", legs)
    if kind in IN_KIND:
        offset = kind is PostingKind.IN_KIND_OFFSET
        other = receivable if offset else f"Income:Units:{code}:In-Kind-Contributions"
        words = f"{posting.member}: officers in kind ({'offset' if offset else 'additional'})"
        return transaction(on, posting.unit, words, [(f"Expenses:Units:{code}:Officers-In-Kind", amount), (other, -amount)])
    if kind is PostingKind.SETTLEMENT:
        how = "returned to it" if amount < 0 else "charged to it"
        legs = [(receivable, amount), (f"Income:Units:{code}:Out-Turn-Settlement", -amount)]
        return transaction(on, posting.unit, f"{posting.member}: out-turn {how}", legs)
    if kind is PostingKind.RESERVES:
        legs = [("Assets:Reserves", amount)] if amount else []
        legs += [(f"Equity:Reserves:{account_part(m)}", -part) for m, part in posting.parts if part]
        return transaction(on, "Reserves", f"{posting.name} (in {posting.basis})", legs) if legs else []
    return []


def journal_text(result: Apportionment) -> str:
    """The whole journal: header, account openings, then the transactions."""
    entries = [made for made in map(entry, result.year_postings) if made]
    accounts = sorted({line.split()[0] for entry in entries for line in entry[1:] if line.startswith("  ")})
    date = year_start(result.budget.year)
    header = [
        f"; {result.budget.collaboration}, {result.budget.year}: contributions journal",
        f"; written by apportion {VERSION}; amounts in GBP; every transaction balances",
        *([f"; the budget {result.budget.revisions_text()}"] if result.budget.revisions else []),
        'option "operating_currency" "GBP"',
        "",
        *(f"{date} open {account} GBP" for account in accounts),
        "",
    ]
    return "\n".join(header + [line for entry in entries for line in entry])
