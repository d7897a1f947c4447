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
year (1 April of the year's first calendar year). Pure: returns text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from apportion.model import VERSION, Apportionment, InKindTreatment, Unit, UnitRole


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


def journal_entries(result: Apportionment) -> Iterator[list[str]]:
    date = year_start(result.budget.year)
    for unit_result in result.units:
        unit = unit_result.unit
        code = account_part(unit.code)
        for income in unit.income:
            yield transaction(
                date,
                unit.code,
                f"Income: {income.name}",
                [(f"Assets:Grants-Receivable:{code}", income.amount), (f"Income:Units:{code}:Grants", -income.amount)],
            )
        lead = account_part(unit.lead) if unit.lead else ""
        for share in unit_result.shares:
            member = account_part(share.member)
            receivable = f"Assets:Receivable:{member}"
            if share.cost_amount:
                narration, account = cost_posting(unit, share.member)
                yield transaction(
                    date,
                    unit.code,
                    narration,
                    [(receivable, share.cost_amount), (f"Income:Units:{code}:{account}", -share.cost_amount)],
                )
            if share.levy_amount > 0:
                yield transaction(
                    date,
                    unit.code,
                    f"{share.member}: levy payable to {unit.lead}",
                    [(receivable, share.levy_amount), (f"Assets:Receivable:{lead}", -share.levy_amount)],
                )
            if share.in_kind_amount:
                offset = unit.in_kind_treatment is InKindTreatment.OFFSET
                other = receivable if offset else f"Income:Units:{code}:In-Kind-Contributions"
                yield transaction(
                    date,
                    unit.code,
                    f"{share.member}: officers in kind ({unit.in_kind_treatment.value})",
                    [(f"Expenses:Units:{code}:Officers-In-Kind", share.in_kind_amount), (other, -share.in_kind_amount)],
                )


def year_end_entries(result: Apportionment) -> Iterator[list[str]]:
    """The settlement of each unit's out-turn and every movement of the reserves, member by member."""
    outcome = result.year_end
    if outcome is None:
        return
    start = year_start(result.budget.year)
    end = f"{int(start[:4]) + 1}-03-31"
    for s in outcome.settlements:
        code = account_part(s.unit)
        for member, amount in s.parts:
            if amount:
                how = "returned to it" if amount < 0 else "charged to it"
                postings = [
                    (f"Assets:Receivable:{account_part(member)}", amount),
                    (f"Income:Units:{code}:Out-Turn-Settlement", -amount),
                ]
                yield transaction(end, s.unit, f"{member}: out-turn {how}", postings)
    for index, column in enumerate(outcome.reserves):
        postings = [("Assets:Reserves", column.amount)] if column.amount else []
        postings += [(f"Equity:Reserves:{account_part(member)}", -part) for member, part in column.parts if part]
        if postings:
            yield transaction(start if index == 0 else end, "Reserves", f"{column.name} (in {column.basis})", postings)


def cost_posting(unit: Unit, member: str) -> tuple[str, str]:
    """The narration and account of a member's part of a unit's cost, by the unit's role."""
    if unit.role is UnitRole.SUPPORT:
        return f"{member}: support charged through the units it pays for", "Support-Charges"
    if unit.role is UnitRole.RETURNED_INCOME:
        return f"{member}: income returned to it", "Income-Returned"
    whole = "total" if unit.in_kind_treatment is InKindTreatment.OFFSET else "net"
    return f"{member}: share of {whole} cost", "Contributions"


def journal_text(result: Apportionment) -> str:
    """The whole journal: header, account openings, then the transactions."""
    entries = [*journal_entries(result), *year_end_entries(result)]
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
