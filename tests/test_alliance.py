"""The alliance example (examples/alliance-2018-19.yaml): a member leaving part-way through
the year with an exit settlement, lines that stop and start on its leaving date, a revision
recorded in the file, invoicing that follows membership, and the year end against the budget
as revised. Every figure below is worked by hand in the comments, from the file's figures.

The year 2018/19 has 365 days. Warwickshire leaves on 1 October 2018: 1 April to 30
September is 30 + 31 + 30 + 31 + 31 + 30 = 183 days, 1 October to 31 March 182. The revision
is in force from 1 July 2018: 1 April to 30 June is 91 days, 1 July to 30 September 92. So
the unit runs in three periods: P1 (91 days, both forces), P2 (92 days, both forces, the grant
cut) and P3 (182 days, West Mercia alone).

Each line is for a whole year and is taken for its days:

* Alliance officers and staff, £146,000,000 a year (£400,000 a day) until 30 September:
  P1 91 x 400,000 = 36,400,000; P2 92 x 400,000 = 36,800,000; P3 nothing.
* West Mercia officers and staff, £100,375,000 a year (£275,000 a day) from 1 October:
  P3 182 x 275,000 = 50,050,000.
* Estates, ICT and transport, £36,500,000 a year (£100,000 a day): 9,100,000, 9,200,000 and
  18,200,000.
* Home Office grant, £3,650,000 a year (£10,000 a day), cut by 10% (£365,000) from 1 July to
  £3,285,000 (£9,000 a day): P1 910,000; P2 92 x 9,000 = 828,000; P3 182 x 9,000 = 1,638,000.

Net budgets: P1 36,400,000 + 9,100,000 - 910,000 = 44,590,000; P2 36,800,000 + 9,200,000 -
828,000 = 45,172,000; P3 50,050,000 + 18,200,000 - 1,638,000 = 66,612,000; the year
156,374,000.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from click.testing import CliRunner

import apportion
from apportion.cli import cli
from tests.conftest import EXAMPLES

ALLIANCE = EXAMPLES / "alliance-2018-19.yaml"


def D(text: str) -> Decimal:
    return Decimal(text)


def test_each_period_takes_the_lines_for_its_days():
    result = apportion.run(ALLIANCE)
    assert [(u.unit.code, u.unit.period.measure if u.unit.period else "") for u in result.units] == [
        ("ALLIANCE 1 Apr-30 Jun 2018", "91/365 days"),
        ("ALLIANCE 1 Jul-30 Sep 2018", "92/365 days"),
        ("ALLIANCE 1 Oct-31 Mar 2019", "182/365 days"),
    ]
    assert [[line.amount for line in u.unit.lines] for u in result.units] == [
        [D("36400000.00"), D("9100000.00")],
        [D("36800000.00"), D("9200000.00")],
        [D("50050000.00"), D("18200000.00")],
    ]
    assert [u.unit.income[0].amount for u in result.units] == [D("910000.00"), D("828000.00"), D("1638000.00")]
    assert [u.net_amount for u in result.units] == [D("44590000.00"), D("45172000.00"), D("66612000.00")]


def test_each_force_pays_its_share_of_the_periods_it_is_in():
    # Warwickshire: 31% of P1 and P2: 13,822,900 + 14,003,320 = 27,826,220.
    # West Mercia: 69% of P1 and P2, all of P3: 30,767,100 + 31,168,680 + 66,612,000 = 128,547,780.
    result = apportion.run(ALLIANCE)
    assert {t.member: t.cash_amount for t in result.member_totals} == {
        "Warwickshire": D("27826220.00"),
        "West Mercia": D("128547780.00"),
    }


def test_the_instalments_follow_membership_and_the_revision():
    # As first invoiced (no revision): Apr-Sep, 183 days, 73,200,000 + 18,300,000 - 1,830,000
    # = 89,670,000; Warwickshire 31% = 27,797,700, over the two quarters due while it is a
    # member (15 April, 15 July; not 15 October or 15 January): 13,898,850 each. West Mercia
    # 69% = 61,872,300 and all of Oct-Mar, 50,050,000 + 18,200,000 - 1,820,000 = 66,430,000:
    # 128,302,300 over four quarters, 32,075,575 each.
    # Revised from 1 July: the 15 April instalments stand. Warwickshire's 15 July instalment
    # is 27,826,220 - 13,898,850 = 13,927,370; West Mercia's three later ones share
    # 128,547,780 - 32,075,575 = 96,472,205: 32,157,401.666..., the odd pennies to the earliest.
    result = apportion.run(ALLIANCE)
    assert [(i.member, i.label, i.due, i.amount) for i in result.instalments] == [
        ("Warwickshire", "Q1", date(2018, 4, 15), D("13898850.00")),
        ("Warwickshire", "Q2", date(2018, 7, 15), D("13927370.00")),
        ("West Mercia", "Q1", date(2018, 4, 15), D("32075575.00")),
        ("West Mercia", "Q2", date(2018, 7, 15), D("32157401.67")),
        ("West Mercia", "Q3", date(2018, 10, 15), D("32157401.67")),
        ("West Mercia", "Q4", date(2019, 1, 15), D("32157401.66")),
    ]
    assert not result.warnings


def test_the_exit_settlement():
    # In alliance shares on 30 September, Warwickshire 31%:
    #   exit costs, 31% of 20,000,000 + 12,000,000 = 9,920,000 (it pays);
    #   vehicles and equipment, 31% of 2,000,000 = 620,000 (paid to it, by West Mercia);
    #   provisions, 31% of 6,000,000 = 1,860,000 (it pays);
    #   its part of the opening reserves, 31% of 2,000,000 = 620,000 (paid to it, out of the reserves).
    # Net: 9,920,000 - 620,000 + 1,860,000 - 620,000 = 10,540,000, paid by Warwickshire in three:
    # 3,513,333.333...: 3,513,333.34, 3,513,333.33, 3,513,333.33 on 1 October 2018, 2019, 2020.
    # West Mercia receives 9,920,000 - 620,000 + 1,860,000 = 11,160,000: 3,720,000 on each date.
    (settled,) = apportion.run(ALLIANCE).exits
    assert [(line.item, line.amount, line.others, line.from_reserves) for line in settled.lines] == [
        ("Exit costs", D("9920000.00"), (("West Mercia", D("-9920000.00")),), False),
        ("Asset: Vehicles and equipment", D("-620000.00"), (("West Mercia", D("620000.00")),), False),
        ("Liability: Provisions for legal claims", D("1860000.00"), (("West Mercia", D("-1860000.00")),), False),
        ("Its part of the reserves", D("-620000.00"), (), True),
    ]
    assert settled.amount == D("10540000.00")
    assert settled.part_of("West Mercia") == D("-11160000.00")
    # each part worked in words, from the exit terms: the share, the amounts, the leaving date
    assert [line.working for line in settled.lines] == [
        "its share 31% of the exit costs £32,000,000.00 (Redundancy and early retirement £20,000,000.00; "
        "ICT separation £12,000,000.00), by largest remainder",
        "its share 31% of £2,000,000.00 at 1 October 2018, paid to it by the members who stay",
        "its share 31% of £6,000,000.00 at 1 October 2018, paid by it to the members who stay",
        "its part of the opening reserves £2,000,000.00 (alliance), paid out of the reserves",
    ]
    assert [(i.member, i.due, i.amount) for i in settled.instalments] == [
        ("Warwickshire", date(2018, 10, 1), D("3513333.34")),
        ("Warwickshire", date(2019, 10, 1), D("3513333.33")),
        ("Warwickshire", date(2020, 10, 1), D("3513333.33")),
        ("West Mercia", date(2018, 10, 1), D("-3720000.00")),
        ("West Mercia", date(2019, 10, 1), D("-3720000.00")),
        ("West Mercia", date(2020, 10, 1), D("-3720000.00")),
    ]


def test_the_year_end_settles_against_the_budget_as_revised():
    # Out-turn 156,000,000 against the revised budget 156,374,000: an under-spend of 374,000,
    # returned in each force's share of the year: Warwickshire's weight 31% of P1 and P2,
    # 27,826,220, West Mercia's 128,547,780, of 156,374,000. Warwickshire: 374,000 x
    # 27,826,220 / 156,374,000 = 10,407,006,280 / 156,374 = 66,552.0245..., West Mercia
    # 307,447.9754...; the penny left goes to the larger remainder (West Mercia's .55p):
    # 66,552.02 and 307,447.98, both returned (-).
    # The reserves: opening 2,000,000 (31/69: 620,000 and 1,380,000); Warwickshire takes its
    # 620,000: closing 1,380,000, all West Mercia's.
    ended = apportion.run(ALLIANCE).year_end
    assert ended is not None
    (settlement,) = ended.settlements
    assert (settlement.budget_amount, settlement.variance_amount) == (D("156374000.00"), D("374000.00"))
    assert dict(settlement.parts) == {"Warwickshire": D("-66552.02"), "West Mercia": D("-307447.98")}
    assert ended.reserves_closing == D("1380000.00")
    assert ended.member_reserves("Warwickshire") == D("0.00")
    assert ended.member_reserves("West Mercia") == D("1380000.00")


def test_the_run_says_so_and_verify_reproduces_every_output(tmp_path):
    runner = CliRunner()
    out = tmp_path / "alliance"
    made = runner.invoke(cli, ["run", str(ALLIANCE), "--out", str(out)])
    assert made.exit_code == 0, made.output
    text = " ".join(made.output.split())
    assert "The budget includes revision 1, from 1 July 2018: Home Office grant cut by 10% from 1 July 2018." in text
    assert "it pays £10,540,000.00 in settlement in 3 instalments from 1 October 2018 to 1 October 2020" in text
    assert "against the budget as revised (includes revision 1" in text
    assert (out / "exit-settlements.csv").exists()
    verified = runner.invoke(cli, ["verify", str(ALLIANCE), str(out)])
    assert verified.exit_code == 0, verified.output
    assert verified.output.endswith("reproduced\n")


def test_the_settlement_statement_is_in_the_leavers_workbook_and_the_summary(tmp_path):
    from openpyxl import load_workbook

    apportion.write_outputs(apportion.run(ALLIANCE), tmp_path / "out")
    leaver = load_workbook(tmp_path / "out" / "warwickshire.xlsx")
    assert leaver.sheetnames[:2] == ["Statement", "Exit settlement"]
    sheet = leaver["Exit settlement"]
    words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str))
    assert "Warwickshire leaves the collaboration on 1 October 2018, having given notice on 29 September 2017." in words
    summary = load_workbook(tmp_path / "out" / "summary.xlsx")
    assert "Exit settlement" in summary.sheetnames
    provenance = {row[0].value: row[1].value for row in summary["Provenance"].iter_rows(min_row=5)}
    assert provenance["revisions"] == "includes revision 1, from 1 July 2018: Home Office grant cut by 10% from 1 July 2018"
