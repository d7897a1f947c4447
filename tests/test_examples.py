"""Every shipped example runs, reconciles, and matches the public sources' figures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from apportion.input.budget_file import load_budget, load_shares_file
from apportion.input.schema import BUDGET_SCHEMA, SHARES_FILE_SCHEMA
from apportion.model.money import D
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import CONFIGS, EXAMPLES, recalculate

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
CONFIG_FILES = sorted(CONFIGS.rglob("*.yaml"))


def run_example(name: str, out: Path) -> pd.DataFrame:
    write_outputs(apportion(load_budget(EXAMPLES / name)), out)
    # The documented way to read the CSV with pandas: '#' lines at the top are provenance.
    return pd.read_csv(out / "contributions.csv", dtype=str, comment="#")


def cash_by_member(lines: pd.DataFrame) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for member, amount in zip(lines["member"], lines["amount"], strict=True):
        totals[member] = totals.get(member, Decimal(0)) + Decimal(amount)
    return totals


def test_examples_and_configs_are_there():
    assert len(EXAMPLE_FILES) >= 5
    assert len(CONFIG_FILES) >= 2


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_runs_and_its_summary_reconciles(path, tmp_path):
    result = apportion(load_budget(path))
    write_outputs(result, tmp_path / "out")
    copies = recalculate([tmp_path / "out" / "summary.xlsx"], tmp_path / "lo")
    sheet = load_workbook(copies["summary.xlsx"], data_only=True)["Reconciliation"]
    budgets, parts = tables_of(sheet)  # each unit's budget, then its members' parts, a row a unit and the total
    assert len(budgets) == len(parts) == len(result.units) + 1
    for budget, part in zip(budgets, parts, strict=True):
        assert budget["Unit code"] == part["Unit code"]
        assert part["Difference from net budget"] == 0
        assert round(Decimal(str(part["Members' net cash"])), 2) == round(Decimal(str(budget["Net budget"])), 2)


def tables_of(sheet) -> list[list[dict]]:
    """Each table on a sheet (a heading row starting "Unit code" to its Total), its rows by heading."""
    tables: list[list[dict]] = []
    header = None
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] == "Unit code":
            header, rows = row, []
            tables.append(rows)
        elif header is not None and row[0]:
            rows.append(dict(zip(header, row, strict=False)))
            if row[0] == "Total":
                header = None
    return tables


def test_schema_is_valid_json_schema_and_takes_spreadsheet_inputs():
    jsonschema.Draft202012Validator.check_schema(BUDGET_SCHEMA)
    budget = yaml.safe_load((Path(__file__).parent / "input" / "bad_inputs" / "34-csv-bad-amount.yaml").read_text())
    jsonschema.validate(budget, BUDGET_SCHEMA)  # lines_from: a budget can be well formed yet name a bad CSV
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**budget, "unitz": []}, BUDGET_SCHEMA)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_conforms_to_the_schema(path):
    # as an editor sees the file: dates are text
    document = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    jsonschema.validate(document, BUDGET_SCHEMA)


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_every_config_loads_validates_and_conforms(path):
    assert load_shares_file(path)
    jsonschema.validate(yaml.safe_load(path.read_text()), SHARES_FILE_SCHEMA)


def test_east_midlands_csv_gives_the_domain_table_to_the_penny(tmp_path):
    # docs/domain.md: £20,931,299 by funding-formula share, rounded so the parts add up.
    lines = run_example("east-midlands-2013-14.yaml", tmp_path / "out")
    assert list(lines.columns[:6]) == ["year", "unit", "unit_name", "member", "member_kind", "item"]
    assert {"unit", "member", "item", "amount"} <= set(lines.columns)
    assert set(lines["year"]) == {"2013/14"}
    assert cash_by_member(lines) == {
        "Nottinghamshire": D("5714244.63"),
        "Leicestershire": D("4772336.17"),
        "Derbyshire": D("4646748.38"),
        "Northamptonshire": D("3118763.55"),
        "Lincolnshire": D("2679206.27"),
    }


def test_east_midlands_units_in_kind_and_forensic_services(tmp_path):
    lines = run_example("east-midlands-2013-14-units.yaml", tmp_path / "out")
    # The source's totals: revenue £20,931,299 in cash, officers in kind £8,933,237.
    assert sum(Decimal(a) for a in lines["amount"]) == D("20931299.00")
    assert sum(Decimal(a) for a in lines["in_kind_amount"]) == D("8933237.00")
    # Forensic Services, £4,986,299 over Derbyshire, Lincolnshire and Nottinghamshire (62.3):
    # 498,629,900p x 222/623 = 177,681,922.632p; x 128/623 = 102,447,234.671p;
    # x 273/623 = 218,500,742.697p. Floors leave 2p: Nottinghamshire (.697), Lincolnshire (.671).
    fs = lines[lines["unit"] == "EMSOU-FS"]
    assert cash_by_member(fs) == {
        "Derbyshire": D("1776819.22"),
        "Lincolnshire": D("1024472.35"),
        "Nottinghamshire": D("2185007.43"),
    }


def test_south_east_lead_force_against_host_force(tmp_path):
    lead = cash_by_member(run_example("south-east-rocu-2014-15-lead-force.yaml", tmp_path / "lead"))
    host = cash_by_member(run_example("south-east-rocu-2014-15-host-force.yaml", tmp_path / "host"))
    # Lead-force: net budgets 3,920,000 + 1,870,000 + 1,080,000 + 1,180,000 = 8,050,000; pay 8,720,000.
    # Kent (never a lead): 22% x 8,050,000 = 1,771,000 + levy 2% x 22% x 8,720,000 = 38,368.
    assert lead["Kent"] == D("1809368.00")
    # Sussex leads SEROCU (pay 4,740,000): 20% x 8,050,000 = 1,610,000, pays 2% x 20% x
    # (8,720,000 - 4,740,000) = 15,920 and receives 2% x 80% x 4,740,000 = 75,840.
    assert lead["Sussex"] == D("1550080.00")
    # Host-force: the source's £8.2m split 22% and 20%, no levy.
    assert host["Kent"] == D("1804000.00")
    assert host["Sussex"] == D("1640000.00")
    assert sum(host.values()) == D("8200000.00")


def test_west_midlands_fixed_workload_and_equal(tmp_path):
    lines = run_example("west-midlands-2013-14.yaml", tmp_path / "out")
    by_unit = {unit: cash_by_member(lines[lines["unit"] == unit]) for unit in ("CMPG", "FIREARMS", "WMROCU")}
    # CMPG: net 10,000,000 - 120,000 = 9,880,000 at 50/25/25; Warwickshire outside.
    assert by_unit["CMPG"] == {"West Midlands": D("4940000.00"), "West Mercia": D("2470000.00"), "Staffordshire": D("2470000.00")}
    # Firearms: the source's year-1 cost to West Midlands, £195,585 (see the tie-break test).
    assert by_unit["FIREARMS"]["West Midlands"] == D("195585.00")
    # WMROCU: £3m less the £2m grant, in four equal parts.
    assert set(by_unit["WMROCU"].values()) == {D("250000.00")}


def test_east_midlands_with_support_units_still_adds_up_to_the_source_and_either_method_does(tmp_path):
    from apportion.model import SupportMethod, SupportMethodChange
    from apportion.rules.compare import compare
    from apportion.rules.prepare import prepare

    lines = run_example("east-midlands-2013-14-support.yaml", tmp_path / "out")
    # the support units are carved out of the units' budgets: still £20,931,299 and £8,933,237
    assert sum(Decimal(a) for a in lines["amount"]) == D("20931299.00")
    assert sum(Decimal(a) for a in lines["in_kind_amount"]) == D("8933237.00")
    support = lines[lines["item"] == "support_charge"]
    # EM-BSU's own 600,000 + 100,000 and EM-ICT's 250,000 + 370,000, each to the penny
    assert {u: sum(Decimal(a) for a in support[support["unit"] == u]["amount"]) for u in ("EM-BSU", "EM-ICT")} == {
        "EM-BSU": D("700000.00"),
        "EM-ICT": D("620000.00"),
    }
    budget = load_budget(EXAMPLES / "east-midlands-2013-14-support.yaml")
    reciprocal = apportion(budget)
    step_down = apportion(prepare(budget, None, [SupportMethodChange(SupportMethod.STEP_DOWN)]))
    comparison = compare(step_down, reciprocal)
    assert comparison.before_total == comparison.after_total == D("20931299.00")
    assert any(d.change_amount for d in comparison.members)  # the methods differ, member by member
    assert all(dict(d.by_rule)["share of cost"] == 0 for d in comparison.members)  # only the support charges move


def test_chiltern_blend_returned_income_and_a_member_that_is_not_a_territorial_force(tmp_path):
    from fractions import Fraction

    lines = run_example("chiltern-transport-consortium-2016-17.yaml", tmp_path / "out")
    # roads 11,650,000 - 600,000 grant - 420,000 fees; firearms 8,200,000 - 85,000; POCA -310,000
    assert sum(Decimal(a) for a in lines["amount"]) == D("18435000.00")
    # Thames Valley's blend: collisions 3,980/6,570, road length 1,120/1,770, population
    # 2,340,000/4,150,000, weighted 40:40:20 = 0.608191975...
    blend = Fraction(4, 10) * Fraction(3980, 6570) + Fraction(4, 10) * Fraction(1120, 1770) + Fraction(2, 10) * Fraction(234, 415)
    roads = lines[(lines["unit"] == "CTC-ROADS") & (lines["member"] == "Thames Valley")]
    # 11,050,000 x 0.608191975... = 6,720,521.3281, rounded to the penny
    assert round(float(11_050_000 * blend), 4) == 6720521.3281
    assert sum(Decimal(a) for a in roads["amount"]) == D("6720521.33")
    fees = lines[(lines["unit"] == "CTC-ROADS Driver awareness course fees") & (lines["member"] == "Thames Valley")]
    assert sum(Decimal(a) for a in fees["amount"]) == D("-255440.63")  # 420,000 x 0.608191975 = 255,440.6296
    poca = lines[lines["unit"] == "CTC-POCA Proceeds of Crime Act incentive receipts"]
    assert cash_by_member(poca) == {"Thames Valley": D("-170500.00"), "Hertfordshire": D("-93000.00"),
                                    "Bedfordshire": D("-46500.00")}  # fmt: skip
    cnc = lines[lines["member"] == "Civil Nuclear Constabulary"]
    assert set(cnc["unit"]) == {"CTC-FIREARMS"}


def test_the_national_air_service_charges_each_force_its_calls_and_a_share_of_the_balance(tmp_path):
    lines = run_example("npas-2016-17.yaml", tmp_path / "out")
    assert lines["member"].nunique() == 43
    assert sum(Decimal(a) for a in lines["amount"]) == D("42900000.00")
    # Cumbria: 520 calls x £1,050 = 546,000. The rates recover 34,430 x 1,050 = 36,151,500 of
    # 42,900,000; the 6,748,500 left goes by officers, Cumbria 1,100 of 123,800:
    # 674,850,000p x 1,100 / 123,800 = 5,996,243.94p; the 22 pennies the floors leave go to
    # the largest remainders, Cumbria's .94 among them: 59,962.44.
    cumbria = lines[lines["member"] == "Cumbria"]
    assert sum(Decimal(a) for a in cumbria["amount"]) == D("605962.44")
    assert set(cumbria["item"]) == {"activity_charge", "recovery_balance"}


def test_explain_walks_each_support_units_cost_to_a_member_of_the_staged_example(tmp_path):
    from click.testing import CliRunner

    from apportion.cli import cli

    path = EXAMPLES / "east-midlands-2013-14-support.yaml"
    text = CliRunner().invoke(cli, ["explain", str(path), "--member", "Lincolnshire"]).output
    lines = run_example(path.name, tmp_path / "out")
    charged = lines[(lines["member"] == "Lincolnshire") & (lines["item"] == "support_charge")]
    for code in ("EM-BSU", "EM-ICT"):
        section = text.split(f"\n{code}: ")[1].split("\nEM")[0]
        assert "Charged to the units it serves" in section
        assert "Where its own cost comes to rest" in section
        assert "Lincolnshire bears 12.8% of EMSOU-SOC's" in section  # its funding-formula share of each unit
        amount = Decimal(charged[charged["unit"] == code]["amount"].iloc[0])
        assert "Support charge (rounded, once for all stages)" in section and f"{amount:,}" in section
