"""The year's postings, worked out once, and each member's ledger journals made of them.

:func:`postings` reads every movement off the year's results in order: for each unit, its
grants and income, then each participant's share of its cost, its levy and its officers in
kind (all dated the first day of the year); each instalment on its due date; and at the
year end (31 March) each member's part of a unit's out-turn and each movement of the
reserves. The collaboration's journal and every member's ledger are views of these.

:func:`member_journals` is a member's side of them, as its own ledger posts them:

* **Contributions** (1 April): its share of each unit's cost (and its levy) as an expense
  against what it owes the collaboration; its officers in kind, their pay recharged (under
  in kind offset, credited against what it owes; else beside it, as an expense in kind); a
  lead's levy from the others as income, kept from what it pays. What it owes for each unit
  is the unit's net cash payable.
* **An instalment** (its due date, with its invoice reference): what it owes, paid.
* **Settlement** (31 March): its part of each unit's out-turn, returned (-) or charged (+).
* **Partners' contributions** (a lead or host): for each unit it keeps, each partner's share
  of cost and levy as the unit's income, less its officers in kind under offset, against
  what the partner owes; at the year end, the partners' settlements.

Every journal balances (debits, +, equal credits, -). Its number is short, as ledgers'
journal and voucher numbers are, and the same each time the budget is run: the year and
what it is (1314-C contributions, 1314-Q1 an instalment, 1314-S settlement, 1314-P and
1314-PS the partners'). Pure: no I/O.
"""

from collections.abc import Generator, Iterable, Iterator
from datetime import date
from decimal import Decimal

from apportion.model.invoicing import year_start
from apportion.model.money import ZERO
from apportion.model.postings import COSTS, IN_KIND, Account, Journal, JournalLine, Posting, PostingKind
from apportion.model.records import InKindTreatment, UnitRole
from apportion.model.results import Apportionment, MemberShare, UnitResult
from apportion.rules.instalments import year_code

Kind = PostingKind


def postings(result: Apportionment) -> tuple[Posting, ...]:
    """Every movement of the budget year, in order (a plan's later years are not posted)."""
    start = year_start(result.budget.year)
    end = date(start.year + 1, 3, 31)
    out: list[Posting] = []
    for unit_result in result.units:
        unit = unit_result.unit
        origin, holder = unit.origin or unit.code, unit.lead or ""
        out += [Posting(Kind.GRANT, start, i.amount, unit.code, origin, name=i.name, holder=holder) for i in unit.income]
        for share in unit_result.shares:
            out += share_postings(unit_result, share, start)
    out += [Posting(Kind.INSTALMENT, i.due, i.amount, member=i.member, name=i.label, reference=i.reference)
            for i in result.instalments]  # fmt: skip
    outcome = result.year_end
    if outcome is not None:
        holders = {u.unit.origin or u.unit.code: u.unit.lead or "" for u in result.units}
        for s in outcome.settlements:
            out += [Posting(Kind.SETTLEMENT, end, amount, s.unit, s.unit, member, holders.get(s.unit, ""))
                    for member, amount in s.parts if amount]  # fmt: skip
        for index, column in enumerate(outcome.reserves):
            out.append(Posting(Kind.RESERVES, start if index == 0 else end, column.amount, name=column.name,
                               parts=column.parts, basis=column.basis))  # fmt: skip
    return tuple(out)


def share_postings(unit_result: UnitResult, share: MemberShare, on: date) -> Iterator[Posting]:
    """A participant's share of a unit's cost, its levy and its officers in kind, where not nil."""
    unit = unit_result.unit
    origin, holder = unit.origin or unit.code, unit.lead or ""
    offset = unit.in_kind_treatment is InKindTreatment.OFFSET
    if share.cost_amount:
        kind = {UnitRole.SUPPORT: Kind.SUPPORT_CHARGE, UnitRole.RETURNED_INCOME: Kind.INCOME_RETURNED}.get(
            unit.role, Kind.SHARE_OF_TOTAL_COST if offset else Kind.SHARE_OF_NET_COST
        )
        yield Posting(kind, on, share.cost_amount, unit.code, origin, share.member, holder)
    if share.levy_amount > 0:
        yield Posting(Kind.LEVY, on, share.levy_amount, unit.code, origin, share.member, holder)
    if share.in_kind_amount:
        kind = Kind.IN_KIND_OFFSET if offset else Kind.IN_KIND_ADDITIONAL
        yield Posting(kind, on, share.in_kind_amount, unit.code, origin, share.member, holder)


# --- a member's journals --------------------------------------------------------------------

WHAT = {
    Kind.SHARE_OF_NET_COST: "share of net cost",
    Kind.SHARE_OF_TOTAL_COST: "share of total cost (with officers in kind)",
    Kind.SUPPORT_CHARGE: "support charged through the units it pays for",
    Kind.INCOME_RETURNED: "income returned to it",
}


def member_journals(result: Apportionment, member: str) -> tuple[Journal, ...]:
    """The member's journals for the year, each balanced: contributions, instalments,
    settlement, and (a lead or host) its partners' contributions and settlements."""
    budget = result.budget

    def journal(tag: str, on: date, description: str, lines: Iterable[JournalLine], instalment: Posting | None = None) -> Journal:
        number = f"{year_code(budget.year)}-{tag}"  # short, as ledgers' journal and voucher numbers are
        if instalment is None:
            return Journal(member, number, on, description, tuple(lines))
        return Journal(member, number, on, description, tuple(lines), instalment.reference, instalment.on)

    start = year_start(budget.year)
    end = date(start.year + 1, 3, 31)
    mine = [p for p in result.year_postings if p.member == member]
    held = [p for p in result.year_postings if p.holder == member and p.member not in ("", member)]
    received = [p for p in held if p.kind is Kind.LEVY]
    out = []
    lines = list(contribution_lines([p for p in mine if p.kind in (*COSTS, Kind.LEVY, *IN_KIND)], received))
    if lines:
        out.append(journal("C", start, "Contributions", lines))
    for p in (p for p in mine if p.kind is Kind.INSTALMENT):
        words = f"Instalment {p.name} due {p.on.day} {p.on:%b %Y}"
        paid = [JournalLine(Account.PAYABLE, p.amount, "", words), JournalLine(Account.BANK, -p.amount, "", words)]
        out.append(journal(p.name, p.on, words, paid, p))
    settled = [p for p in mine if p.kind is Kind.SETTLEMENT]
    if settled:
        out.append(journal("S", end, "Out-turn settlement", settlement_lines(settled)))
    partners = list(partner_lines([p for p in held if p.kind is not Kind.SETTLEMENT]))
    if partners:
        out.append(journal("P", start, "Partners' contributions", partners))
    partner_settled = [p for p in held if p.kind is Kind.SETTLEMENT]
    if partner_settled:
        out.append(journal("PS", end, "Partners' out-turn settlements", partner_settlement_lines(partner_settled)))
    return tuple(out)


def by_unit(movements: Iterable[Posting]) -> dict[str, list[Posting]]:
    grouped: dict[str, list[Posting]] = {}
    for p in movements:
        grouped.setdefault(p.unit, []).append(p)
    return grouped


def contribution_lines(own: list[Posting], received: list[Posting]) -> Iterator[JournalLine]:
    """Unit by unit: its expenses (and a lead's levy income), then what it owes for the unit."""
    mine, levies = by_unit(own), by_unit(received)
    for code in dict.fromkeys([*mine, *levies]):
        origin = (mine.get(code) or levies[code])[0].origin
        owed = ZERO
        for p in mine.get(code, []):
            owed += yield from own_lines(p, code, origin)
        for p in levies.get(code, []):
            yield JournalLine(Account.LEVY_INCOME, -p.amount, origin, f"{code}: levy due to it from {p.member}")
            owed -= p.amount
        if owed:
            yield JournalLine(Account.PAYABLE, -owed, origin, f"{code}: net cash payable")


def own_lines(p: Posting, code: str, origin: str) -> Generator[JournalLine, None, Decimal]:
    """A member's own lines for a posting; returns what the posting adds to what it owes."""
    if p.kind in COSTS:
        yield JournalLine(Account.CONTRIBUTION, p.amount, origin, f"{code}: {WHAT[p.kind]}")
        return p.amount
    if p.kind is Kind.LEVY:
        yield JournalLine(Account.LEVY, p.amount, origin, f"{code}: levy payable to {p.holder}")
        return p.amount
    if p.kind is Kind.IN_KIND_ADDITIONAL:  # beside its cash: an expense in kind
        yield JournalLine(Account.IN_KIND, p.amount, origin, f"{code}: officers seconded in kind")
        yield JournalLine(Account.IN_KIND_RECHARGE, -p.amount, origin, f"{code}: seconded officers' pay recharged")
        return ZERO
    yield JournalLine(Account.IN_KIND_RECHARGE, -p.amount, origin, f"{code}: seconded officers' pay, credited")  # offset
    return -p.amount


def settlement_lines(settled: list[Posting]) -> Iterator[JournalLine]:
    for p in settled:
        how = "under-spend returned to it" if p.amount < 0 else "over-spend charged to it"
        yield JournalLine(Account.SETTLEMENT, p.amount, p.origin, f"{p.unit}: {how}")
        yield JournalLine(Account.PAYABLE, -p.amount, p.origin, f"{p.unit}: out-turn settled")


def partner_lines(held: list[Posting]) -> Iterator[JournalLine]:
    """Unit by unit and partner by partner: the partner's contribution as the unit's income,
    against what it owes (its net cash payable for the unit)."""
    for code, movements in by_unit(held).items():
        origin = movements[0].origin
        partners: dict[str, list[Posting]] = {}
        for p in movements:
            partners.setdefault(p.member, []).append(p)
        for partner, own in partners.items():
            owed = ZERO
            for p in own:
                if p.kind in IN_KIND:
                    if p.kind is Kind.IN_KIND_OFFSET:
                        words = f"{code}: {partner}'s officers in kind, credited"
                        yield JournalLine(Account.PARTNER_INCOME, p.amount, origin, words)
                        owed -= p.amount
                    continue
                what = f"{partner}'s levy" if p.kind is Kind.LEVY else f"{partner}'s {WHAT[p.kind]}"
                yield JournalLine(Account.PARTNER_INCOME, -p.amount, origin, f"{code}: {what}")
                owed += p.amount
            if owed:
                yield JournalLine(Account.RECEIVABLE, owed, origin, f"{code}: owed by {partner}", partner)


def partner_settlement_lines(settled: list[Posting]) -> Iterator[JournalLine]:
    for p in settled:
        how = f"under-spend returned to {p.member}" if p.amount < 0 else f"over-spend charged to {p.member}"
        yield JournalLine(Account.PARTNER_INCOME, -p.amount, p.origin, f"{p.unit}: {how}")
        yield JournalLine(Account.RECEIVABLE, p.amount, p.origin, f"{p.unit}: {how}", p.member)
