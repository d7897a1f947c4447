"""verify: a folder of outputs is exactly what a budget produces, or every difference is named."""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from apportion.audit.verify import Verification, as_written, compare_workbook
from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, books_of

EXAMPLE = EXAMPLES / "east-midlands-2013-14-units.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def outputs(tmp_path):
    """A copy of the example beside its shares file, and its outputs."""
    shutil.copytree(EXAMPLES.parent / "configs", tmp_path / "configs")
    (tmp_path / "examples").mkdir()
    budget = tmp_path / "examples" / EXAMPLE.name
    shutil.copy(EXAMPLE, budget)
    out = tmp_path / "out"
    assert run("run", budget, "--out", out, "--journal").exit_code == 0
    return budget, out


def test_untouched_outputs_are_reproduced(outputs):
    budget, out = outputs
    result = run("verify", budget, out)
    assert result.exit_code == 0, result.output
    assert result.output == "reproduced\n"


def test_the_same_inputs_give_byte_identical_files(outputs, tmp_path):
    budget, out = outputs
    assert run("run", budget, "--out", tmp_path / "again", "--journal").exit_code == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()}
    assert first.keys() == second.keys()
    assert len(first) == 8  # csv, summary, five members, journal
    for name, content in first.items():
        assert content == second[name], f"{name} differs between two runs"


def test_one_penny_on_any_money_cell_of_any_workbook_is_caught():
    result = apportion(load_budget(EXAMPLE))
    books = {name: as_written(book) for name, book in books_of(result).items()}
    checked = 0
    for name, book in books.items():
        for sheet in book.worksheets:
            if sheet.title == "Provenance":
                continue
            for row in sheet.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, int | float) or cell.number_format.count("£") == 0:
                        continue
                    original = cell.value
                    cell.value = Decimal(str(original)) + Decimal("0.01")
                    report = Verification()
                    compare_workbook(name, fresh(name, result), book, "", report)
                    cell.value = original
                    assert [m.place.where for m in report.mismatches] == [f"{sheet.title}!{cell.coordinate}"]
                    expected = str(Decimal(str(original)).quantize(Decimal("0.01")))
                    assert f"expected {expected}, found" in report.mismatches[0].text
                    checked += 1
    assert checked > 200


def fresh(name, result):
    return as_written(books_of(result)[name])


def test_a_penny_changed_on_disk_is_named_exactly(outputs):
    budget, out = outputs
    book = load_workbook(out / "lincolnshire.xlsx")
    sheet = book["Contribution"]
    row = next(r for r in range(9, 20) if sheet.cell(r, 1).value == "EMSOU-SOC")
    # Lincolnshire's officers in kind in EMSOU-SOC: 10 x £55,000 = £550,000 (column Q).
    sheet[f"Q{row}"].value = 550000.01
    book.save(out / "lincolnshire.xlsx")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"lincolnshire.xlsx: Contribution!Q{row}: member Lincolnshire, unit EMSOU-SOC, item In-kind value: "
        "expected 550000.00, found 550000.01",
        "not reproduced: 1 difference",
    ]


def test_a_formula_pasted_over_with_its_value_is_caught(outputs):
    budget, out = outputs
    book = load_workbook(out / "lincolnshire.xlsx")
    sheet = book["Contribution"]
    row = next(r for r in range(9, 20) if sheet.cell(r, 1).value == "EMSOU-FS")
    assert sheet[f"J{row}"].value == f"=ROUND(H{row}+I{row},2)"
    sheet[f"J{row}"].value = 1024472.35  # Lincolnshire's Forensic Services share, worked in test_examples
    book.save(out / "lincolnshire.xlsx")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"lincolnshire.xlsx: Contribution!J{row}: member Lincolnshire, unit EMSOU-FS, item Share of cost: "
        f"expected =ROUND(H{row}+I{row},2), found 1024472.35"
    )


def test_deleted_and_added_workbook_rows_are_caught(outputs):
    budget, out = outputs
    book = load_workbook(out / "summary.xlsx")
    book["Summary"].delete_rows(6)
    book["Reconciliation"].insert_rows(6)
    book.save(out / "summary.xlsx")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("summary.xlsx: Summary!A6: ") for line in lines)
    assert any(line.startswith("summary.xlsx: Reconciliation!A6: ") for line in lines)


def test_edited_deleted_and_added_csv_lines_are_caught(outputs):
    budget, out = outputs
    path = out / "contributions.csv"
    lines = path.read_text().splitlines(keepends=True)
    first_row = next(
        i
        for i, line in enumerate(lines)
        if line.startswith('"2013/14","EMSOU-SOC","EMSOU Serious and Organised Crime","Nottinghamshire"')
    )
    edited = lines[first_row].replace(",0.00\n", ",0.01\n")
    assert edited != lines[first_row]
    lines[first_row] = edited
    deleted = lines.pop(first_row + 1)
    lines.append(
        '"2013/14","EMSOU-SOC","EMSOU Serious and Organised Crime","Kent","share_of_net_cost","funding_formula",0.1,100.00,0.00\n'
    )
    path.write_text("".join(lines))
    result = run("verify", budget, out)
    assert result.exit_code == 1
    output = result.output
    assert "member Nottinghamshire, unit EMSOU-SOC, item share_of_net_cost: expected 0.00, found 0.01" in output
    deleted_member = deleted.split(",")[3].strip('"')
    assert f"member {deleted_member}, unit EMSOU-SOC" in output
    assert "(row missing)" in output
    assert "member Kent, unit EMSOU-SOC, item share_of_net_cost: expected (no such row), found 100.00" in output


def test_changed_input_is_said_plainly(outputs):
    budget, out = outputs
    before = hashlib.sha256(budget.read_bytes()).hexdigest()
    budget.write_text(budget.read_text() + "\n# a comment added after the run\n")
    after = hashlib.sha256(budget.read_bytes()).hexdigest()
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"note: {budget} differs from the input recorded ({budget}): recorded sha256 {before}, now {after}",
        "not reproduced: the inputs differ from those recorded",
    ]


def test_outputs_of_another_version_are_said_plainly(outputs):
    budget, out = outputs
    path = out / "contributions.csv"
    path.write_text(path.read_text().replace("# apportion_version: 0.1.0", "# apportion_version: 0.0.9"))
    result = run("verify", budget, out)
    assert result.output.splitlines()[0] == "note: the outputs were made by apportion 0.0.9; this is apportion 0.1.0"


def test_missing_and_extra_files(outputs):
    budget, out = outputs
    (out / "derbyshire.xlsx").rename(out / "derby.xlsx")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    assert "derby.xlsx: item file: expected (no such file), found a workbook" in result.output
    assert "derbyshire.xlsx: item file: expected a workbook, found (missing)" in result.output
