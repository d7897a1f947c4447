"""The catalogue of malformed inputs in tests/input/bad_inputs/: each NAME.yaml (with the CSV
or xlsx it names) gives exactly the message in NAME.expected, exit code 1, and writes nothing.

Files too large to keep in the repository (a CSV or sheet of more rows than apportion
reads, a budget file over its size) are made by :data:`LARGE` into the copy of the
catalogue each case runs in."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.cli import cli

CATALOGUE = Path(__file__).parent / "bad_inputs"
CASES = sorted(CATALOGUE.glob("*.yaml"))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def many_rows_csv() -> bytes:
    return ("Force,Population\n" + "".join(f"Force {i},{i}\n" for i in range(150_000))).encode()


def many_rows_xlsx() -> bytes:
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Force</t></is></c><c r="B1" t="inlineStr"><is><t>Population</t></is></c></row>'
    )
    cells = '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>F{r}</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
    rows = header + "".join(cells.format(r=r) for r in range(2, 150_002))
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Drivers" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def budget_over_5mb() -> bytes:
    head = "collaboration: C\nyear: 2024/25\nmembers: [A, B]\nunits:\n  - code: U\n    basis: equal\n    pay:\n"
    return (head + "".join(f"      Line {i}: 100\n" for i in range(260_000))).encode()


LARGE = {
    "85-rows.csv": many_rows_csv,
    "86-rows.xlsx": many_rows_xlsx,
    "87-budget-over-5-mb.yaml": budget_over_5mb,
}


def test_the_catalogue_is_large_enough():
    assert len(CASES) + sum(name.endswith(".yaml") for name in LARGE) >= 80
    assert any(p.suffix == ".csv" for p in CATALOGUE.iterdir())
    assert any(p.suffix == ".xlsx" for p in CATALOGUE.iterdir())
    for case in CASES:
        assert case.with_suffix(".expected").exists(), f"{case.name} has no .expected message"


ALL_CASES = sorted([*CASES, *(CATALOGUE / name for name in LARGE if name.endswith(".yaml"))])


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_input_gives_its_message_and_writes_nothing(case, command, tmp_path, monkeypatch):
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    for name, make in LARGE.items():
        if name.startswith(case.stem.split("-")[0] + "-"):
            (tmp_path / "catalogue" / name).write_bytes(make())
    monkeypatch.chdir(tmp_path / "catalogue")
    before = sorted(p.name for p in (tmp_path / "catalogue").iterdir())
    args = [command, case.name] + (["--out", "out"] if command == "run" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == case.with_suffix(".expected").read_text(encoding="utf-8")
    assert result.stdout == ""
    assert sorted(p.name for p in (tmp_path / "catalogue").iterdir()) == before  # nothing written, nothing left
