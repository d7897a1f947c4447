"""verify: a folder is exactly what a budget produces, or every file that differs is named, and how."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.styles import Font

from apportion.audit.differences import explain
from apportion.cli import cli
from apportion.input.budget_file import load_budget
from apportion.outputs.files import output_files
from apportion.outputs.manifest import Run
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "east-midlands-2013-14-units.yaml"
SMALL = EXAMPLES / "east-midlands-2013-14.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def outputs(tmp_path):
    """A copy of the example beside its shares file, and its outputs (with the journal)."""
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
    assert (result.exit_code, result.output) == (0, "reproduced\n")


@pytest.mark.parametrize("name", ["east-midlands-2013-14-support.yaml", "chiltern-transport-consortium-2016-17.yaml",
                                  "npas-2016-17.yaml"])  # fmt: skip
def test_support_units_composites_activity_and_returned_income_are_reproduced(name, tmp_path):
    out = tmp_path / "out"
    assert run("run", EXAMPLES / name, "--out", out, "--journal").exit_code == 0
    result = run("verify", EXAMPLES / name, out)
    assert (result.exit_code, result.output) == (0, "reproduced\n")
    # and a support charge edited in the summary's Support charges sheet is caught
    if name.startswith("east-midlands"):
        path = out / "summary.xlsx"
        book = load_workbook(path)
        sheet = book["Support charges"]
        sheet["B5"] = 1
        book.save(path)
        edited = run("verify", EXAMPLES / name, out)
        assert edited.exit_code == 1 and "summary.xlsx" in edited.output and "Support charges" in edited.output


def test_the_same_inputs_give_byte_identical_files_from_any_folder(outputs, tmp_path, monkeypatch):
    budget, out = outputs
    monkeypatch.chdir(budget.parent)  # another working folder, the budget named another way
    assert run("run", budget.name, "--out", tmp_path / "again", "--journal").exit_code == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()}
    assert len(first) == 9  # csv, summary, five members, journal, datapackage.json
    assert first == second


def column_of(sheet, heading, header_row):
    return next(cell.column_letter for cell in sheet[header_row] if cell.value == heading)


def test_a_penny_changed_on_disk_is_named_exactly(outputs):
    budget, out = outputs
    book = load_workbook(out / "lincolnshire.xlsx")
    sheet = book["Contribution"]
    row = next(r for r in range(9, 20) if sheet.cell(r, 1).value == "EMSOU-SOC")
    cell = f"{column_of(sheet, 'In-kind value', 8)}{row}"
    original = sheet[cell].value
    assert original.startswith("=Lines!$")  # the in-kind value, from Lincolnshire's line
    sheet[cell].value = 550000.01
    book.save(out / "lincolnshire.xlsx")
    result = run("verify", budget, out)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (  # 10 officers in kind at £55,000 each, stored beside the formula
        f"lincolnshire.xlsx: Contribution!{cell}: member Lincolnshire, unit EMSOU-SOC, item In-kind value: "
        f"expected {original!r} (stored 550000.00), found 550000.01"
    ) in lines
    assert lines[-1] == "not reproduced: 1 file differs (lincolnshire.xlsx)"


def test_a_formula_pasted_over_with_its_value_is_caught(outputs):
    budget, out = outputs
    book = load_workbook(out / "lincolnshire.xlsx")
    sheet = book["Lines"]
    row = next(r for r in range(5, 40) if sheet.cell(r, 1).value == "EMSOU-FS")  # Lincolnshire's own line
    cell = f"{column_of(sheet, 'Share of cost', 4)}{row}"
    formula = sheet[cell].value
    assert formula.startswith("=SIGN(")
    sheet[cell].value = 1024472.35  # Lincolnshire's Forensic Services share, worked in test_examples
    book.save(out / "lincolnshire.xlsx")
    result = run("verify", budget, out)
    assert (
        f"lincolnshire.xlsx: Lines!{cell}: member Lincolnshire, unit EMSOU-FS, item Share of cost: "
        f"expected {formula!r} (stored 1024472.35), found 1024472.35"
    ) in result.output.splitlines()


def test_a_money_format_a_white_font_and_a_hidden_row_are_each_caught(outputs):
    budget, out = outputs
    path = out / "summary.xlsx"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    # the money format shown as £1,000.00 whatever the figure
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(
        'formatCode="&quot;£&quot;#,##0.00;'.encode(), 'formatCode="&quot;£1,000.00&quot;;'.encode()
    )
    rezip(path, parts)
    lines = run("verify", budget, out).output.splitlines()
    assert any(
        re.match(r"summary.xlsx: Summary!C5: .*number format: expected '\"£\"#,##0.00;.*found '\"£1,000.00\";", line)
        for line in lines
    )
    book = load_workbook(out / "summary.xlsx")
    book["Summary"]["C5"].font = Font(color="FFFFFFFF")
    book["Summary"].row_dimensions[6].hidden = True
    book.save(out / "summary.xlsx")
    lines = run("verify", budget, out).output.splitlines()
    assert any(
        line.startswith("summary.xlsx: Summary!C5: ")
        and "font: expected Calibri 11pt, colour automatic" in line
        and "colour FFFFFFFF" in line
        for line in lines
    )
    assert "summary.xlsx: Summary!6:6: the row is hidden" in lines


def rezip(path, parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def test_a_duplicated_csv_row_and_a_deleted_journal_are_caught(outputs):
    budget, out = outputs
    path = out / "contributions.csv"
    lines = path.read_bytes().decode().split("\r\n")
    path.write_bytes("\r\n".join([*lines[:3], lines[2], *lines[3:]]).encode())
    (out / "journal.beancount").unlink()
    result = run("verify", budget, out)
    assert result.exit_code == 1
    output = result.output.splitlines()
    # the copy follows the line it copies: the second of the two is the one apportion does not write
    assert f"contributions.csv: line 4: added: {lines[2]!r} (apportion does not write this line)" in output
    assert "journal.beancount: the file is missing" in output
    assert output[-1] == "not reproduced: 2 files differ (contributions.csv, journal.beancount)"


def test_an_edited_hash_in_the_datapackage_is_caught(outputs):
    budget, out = outputs
    path = out / "datapackage.json"
    package = json.loads(path.read_text())
    package["resources"][1]["hash"] = "sha256:" + "0" * 64
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    output = run("verify", budget, out).output.splitlines()
    assert any(
        line.startswith("datapackage.json: resources[1].hash: expected 'sha256:") and line.endswith(f"found 'sha256:{'0' * 64}'")
        for line in output
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "an empty file"), (b"not a zip at all", "BadZipFile: File is not a zip file"), (None, "BadZipFile")],
)
def test_a_file_that_is_not_a_workbook_is_named_not_a_traceback(outputs, data, reason):
    budget, out = outputs
    path = out / "derbyshire.xlsx"
    path.write_bytes(path.read_bytes()[:2000] if data is None else data)  # None: truncated
    result = run("verify", budget, out)
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    line = next(line for line in result.output.splitlines() if line.startswith("derbyshire.xlsx: "))
    assert line.startswith(f"derbyshire.xlsx: not a workbook ({reason}")


def test_missing_and_extra_files(outputs):
    budget, out = outputs
    (out / "derbyshire.xlsx").rename(out / "derby.xlsx")
    output = run("verify", budget, out).output.splitlines()
    assert "derbyshire.xlsx: the file is missing" in output
    assert "derby.xlsx: apportion does not write this file here" in output
    assert output[-1] == "not reproduced: 2 files differ (derbyshire.xlsx, derby.xlsx)"


def test_changed_input_is_said_plainly(outputs):
    budget, out = outputs
    before = hashlib.sha256(budget.read_bytes()).hexdigest()
    budget.write_text(budget.read_text() + "\n# a comment added after the run\n")
    after = hashlib.sha256(budget.read_bytes()).hexdigest()
    output = run("verify", budget, out).output.splitlines()
    assert output[0] == f"note: {budget.name} differs from the input recorded: recorded sha256 {before}, now {after}"
    assert output[-1].endswith("; the inputs differ from those recorded")


def test_outputs_of_another_version_are_said_plainly(outputs):
    budget, out = outputs
    path = out / "datapackage.json"
    path.write_text(path.read_text().replace('"version": "0.1.0"', '"version": "0.0.9"'))
    output = run("verify", budget, out).output.splitlines()
    assert output[0] == "note: the outputs were made by apportion 0.0.9; this is apportion 0.1.0"


def test_verify_reruns_the_recorded_scenario_unless_told_otherwise(tmp_path):
    out = tmp_path / "out"
    assert run("run", SMALL, "--scenario", "lincolnshire-leaves", "--out", out).exit_code == 0
    recorded = run("verify", SMALL, out)
    assert recorded.output == "note: checking the run the outputs record: lincolnshire-leaves\nreproduced\n"
    plain = run("verify", SMALL, out, "--scenario", "lincolnshire-leaves")
    assert plain.output.splitlines()[0] == (
        "note: checking the scenario and what-ifs given here; the outputs record lincolnshire-leaves"
    )
    assert plain.output.endswith("reproduced\n")


# --- every part of every output, edited one at a time -------------------------------------


@pytest.fixture(scope="module")
def expected():
    return dict(output_files(apportion(load_budget(SMALL)), Run(journal=True), parallel=False))


def edited_values(data: bytes):
    """The workbook with each cell's value changed in turn: (sheet part, cell, bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for part, xml in parts.items():
        if not part.startswith("xl/worksheets/sheet"):
            continue
        for match in re.finditer(rb'<c r="([A-Z]+[0-9]+)"[^>]*>(<f>[^<]*</f>|<v>[^<]*</v>)', xml):
            cell, content = match.group(1).decode(), match.group(2)
            changed = b"<v>123456789</v>" if content.startswith(b"<f>") or content != b"<v>123456789</v>" else b"<v>1</v>"
            if b't="s"' in match.group(0):  # a shared string: point it at another string
                changed = b"<v>0</v>" if content != b"<v>0</v>" else b"<v>1</v>"
            edited = dict(parts)
            edited[part] = xml[: match.start(2)] + changed + xml[match.end(2) :]
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for name, content_bytes in edited.items():
                    archive.writestr(name, content_bytes)
            yield part, cell, buffer.getvalue()


def test_each_cell_of_a_member_workbook_edited_in_turn_is_named(expected):
    data = expected["lincolnshire.xlsx"]
    sheets = sheet_titles(data)
    checked = 0
    for part, cell, edited in edited_values(data):
        messages = explain("lincolnshire.xlsx", data, edited, "Lincolnshire")
        wheres = {m.place.where for m in messages}
        assert f"{sheets[part]}!{cell}" in wheres, (part, cell, [str(m) for m in messages])
        checked += 1
    assert checked > 100  # every cell of every sheet, not a sample


def sheet_titles(data: bytes) -> dict[str, str]:
    book = load_workbook(io.BytesIO(data))
    return {f"xl/worksheets/sheet{i}.xml": title for i, title in enumerate(book.sheetnames, start=1)}


@pytest.mark.parametrize("name", ["contributions.csv", "journal.beancount"])
def test_each_line_of_a_text_output_edited_in_turn_is_named(expected, name):
    lines = expected[name].decode().splitlines(keepends=True)
    for index, line in enumerate(lines):
        edited = "".join([*lines[:index], line.rstrip("\r\n") + "x" + line[len(line.rstrip("\r\n")) :], *lines[index + 1 :]])
        messages = explain(name, expected[name], edited.encode())
        assert [m.place.where for m in messages] == [f"line {index + 1}"], (index, [str(m) for m in messages])


def test_each_field_of_the_datapackage_edited_in_turn_is_named(expected):
    package = json.loads(expected["datapackage.json"])
    paths = list(leaves(package, ""))
    assert len(paths) > 60
    for path in paths:
        edited = json.loads(expected["datapackage.json"])
        set_leaf(edited, path, "edited")
        messages = explain("datapackage.json", expected["datapackage.json"], json.dumps(edited).encode())
        assert [m.place.where for m in messages] == [path], (path, [str(m) for m in messages])


def leaves(value, path):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaves(inner, f"{path}[{index}]")
    else:
        yield path


def set_leaf(document, path, value):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for part in parts[:-1]:
        document = document[int(part[1:-1])] if part.startswith("[") else document[part]
    last = parts[-1]
    document[int(last[1:-1]) if last.startswith("[") else last] = value


def test_each_file_removed_in_turn_is_named(outputs):
    budget, out = outputs
    for path in sorted(out.iterdir()):
        data = path.read_bytes()
        path.unlink()
        output = run("verify", budget, out).output.splitlines()
        assert f"{path.name}: the file is missing" in output
        path.write_bytes(data)
    assert run("verify", budget, out).output == "reproduced\n"


def test_the_ledgers_and_the_accounts_note_are_reproduced_and_each_edit_named(tmp_path):
    out = tmp_path / "out"
    assert run("run", SMALL, "--out", out, "--ledger", "plain").exit_code == 0
    assert (out / "accounts.csv").exists()
    assert json.loads((out / "datapackage.json").read_text())["apportion"]["asked"]["ledger"] == "plain"
    clean = run("verify", SMALL, out)
    assert (clean.exit_code, clean.output) == (0, "reproduced\n")
    ledger = out / "ledger" / "derbyshire.csv"
    lines = ledger.read_bytes().decode().split("\r\n")
    edited = lines[1].replace("4646748.38", "4646748.39")
    ledger.write_bytes("\r\n".join([lines[0], edited, *lines[2:]]).encode())
    accounts = out / "accounts.csv"
    accounts.write_bytes(accounts.read_bytes().replace(b"238864.08", b"238864.09"))
    (out / "ledger" / "extra.csv").write_text("mine")
    output = run("verify", SMALL, out).output.splitlines()
    assert f"ledger/derbyshire.csv: line 2: expected {lines[1]!r}, found {edited!r}" in output
    assert any(line.startswith("accounts.csv: line ") and "238864.09" in line for line in output)
    assert "ledger/extra.csv: apportion does not write this file here" in output
    assert output[-1] == "not reproduced: 3 files differ (accounts.csv, ledger/derbyshire.csv, ledger/extra.csv)"


def test_a_member_workbooks_accounts_note_edited_is_named(tmp_path):
    out = tmp_path / "out"
    assert run("run", SMALL, "--out", out).exit_code == 0
    book = load_workbook(out / "derbyshire.xlsx")
    sheet = book["Accounts note"]
    cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=ROUND($B"))
    sheet[cell.coordinate] = 1
    book.save(out / "derbyshire.xlsx")
    output = run("verify", SMALL, out).output.splitlines()
    assert any(line.startswith(f"derbyshire.xlsx: Accounts note!{cell.coordinate}: ") for line in output), output
