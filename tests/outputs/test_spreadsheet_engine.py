"""Workbooks at the edges, recalculated in LibreOffice (their stored values removed): no cell
shows an error, and every formula gives apportion's own figure. (Every example's workbooks are
recalculated in LibreOffice and Gnumeric by test_recalculation.)"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook

from apportion.input.budget_file import load_budget
from apportion.outputs.provenance import provenance_of
from apportion.outputs.sheets import MONEY
from apportion.outputs.summary_workbook import summary_workbook
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, books_of, recalculate

ERRORS = ("#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


LARGEST = """
collaboration: The largest budget apportion takes
year: 2024/25
members: [Avon and Somerset, Devon and Cornwall, Dorset]
bases:
  formula: {shares: {Avon and Somerset: 41.7%, Devon and Cornwall: 40.1%, Dorset: 18.2%}}
units:
  - code: ALL
    basis: formula
    model: lead-force
    lead: Dorset
    pay: {Salaries: 8999999999999.99}
    non_pay: {Premises: 999999999998.99}
    income: {Grant: 1234567.89}
    in_kind: {Devon and Cornwall: 0.99}
    in_kind_treatment: offset
"""


def test_the_largest_budget_apportion_takes_recalculates_to_the_penny(tmp_path, write_yaml):
    # spending 8,999,999,999,999.99 + 999,999,999,998.99 = £9,999,999,999,998.98 (with the
    # officers in kind, £9,999,999,999,999.97: just under the £10 trillion every total must stay
    # under); less the grant, 9,999,998,765,431.09; the cost shared with the £0.99 in kind
    # offset is £9,999,998,765,432.08.
    result = apportion(load_budget(write_yaml(LARGEST)))
    assert result.units[0].cost_to_split_amount == Decimal("9999998765432.08")
    recalculates_to_the_penny(result, tmp_path)


def recalculates_to_the_penny(result, tmp_path):
    books = books_of(result)
    written = []
    for name, book in books.items():
        (tmp_path / name).write_bytes(book.to_bytes())
        written.append(tmp_path / name)
    copies = recalculate(written, tmp_path / "lo")
    checked = 0
    for name, book in books.items():
        recalculated = load_workbook(copies[name], data_only=True)
        as_written = load_workbook(tmp_path / name)
        for sheet in recalculated.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert not (isinstance(cell.value, str) and cell.value.startswith(ERRORS)), (
                        f"{name}!{sheet.title}!{cell.coordinate} shows {cell.value}"
                    )
        for (sheet_name, coordinate), expected in book.expected.items():
            found = recalculated[sheet_name][coordinate].value
            assert isinstance(found, int | float), f"{name}!{sheet_name}!{coordinate} gave {found!r}"
            money = as_written[sheet_name][coordinate].number_format == MONEY
            tolerance = Decimal("0.005") if money else Decimal("1e-9") * max(1, abs(expected))
            assert abs(Decimal(str(found)) - expected) < tolerance, (
                f"{name}!{sheet_name}!{coordinate}: LibreOffice gives {found}, apportion {expected}"
            )
            if money:
                assert Decimal(str(round(found, 2))) == expected, (
                    f"{name}!{sheet_name}!{coordinate} is not {expected} to the penny"
                )
            checked += 1
    assert checked > 50


def test_reconciliation_differences_are_zero_in_the_engine(tmp_path):
    from tests.test_examples import tables_of

    result = apportion(load_budget(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml"))
    book = summary_workbook(result, provenance_of(result))
    (tmp_path / "summary.xlsx").write_bytes(book.to_bytes())
    sheet = load_workbook(recalculate([tmp_path / "summary.xlsx"], tmp_path / "lo")["summary.xlsx"], data_only=True)[
        "Reconciliation"
    ]
    budgets, parts = tables_of(sheet)
    # Hand-worked: net budgets 3,920,000 / 1,870,000 / 1,080,000 / 1,180,000 (see test_examples);
    # levy paid = levy received per unit, e.g. SEROCU 2% x 80% x 4,740,000 = 75,840.
    assert [
        (b["Unit code"], round(b["Net budget"], 2), p["Difference from net budget"]) for b, p in zip(budgets, parts, strict=True)
    ] == [
        ("SEROCU", 3920000, 0),
        ("SETSU", 1870000, 0),
        ("SEPPS", 1080000, 0),
        ("SECOU", 1180000, 0),
        ("Total", 8050000, 0),
    ]
    serocu, serocu_parts = budgets[0], parts[0]
    assert (serocu_parts["Levy payable"], serocu_parts["Levy receivable"], serocu["Levy base (pay)"]) == (75840, -75840, 4740000)
