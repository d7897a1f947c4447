"""The catalogue of malformed inputs in tests/input/bad_inputs/: each NAME.yaml (with the CSV
or xlsx it names) gives exactly the message in NAME.expected, exit code 1, and writes nothing.

Files too large to keep in the repository (a CSV or sheet of more rows than apportion
reads, a budget file over its size), and xlsx files whose every part is best read as code
(tests/input/workbooks.py), are made by :data:`MADE` into the copy of the catalogue each
case runs in, for the case whose number they begin with.

Each case is numbered; a new one takes the next number after the highest (the numbers
need not be consecutive, but no two cases may share one)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.input.workbooks import (
    ACTUALS_HEADER,
    DATE_STYLE,
    MAIN,
    actuals_workbook,
    number_cell,
    row,
    text_cell,
    workbook_parts,
    zipped,
)

CATALOGUE = Path(__file__).parent / "bad_inputs"
CASES = sorted(CATALOGUE.glob("*.yaml"))


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


def repeated_actuals_csv() -> bytes:
    """The same actual on 99,999 rows: the first is read, the next ten told, the rest counted."""
    return ("unit,period,spent\n" + "ROCU,Q1,100\n" * 99_999).encode()


def actuals(*cells: str) -> bytes:
    """An actuals sheet whose one row after the header holds these cells."""
    return actuals_workbook(row(2, *cells))


ROCU_Q1 = (text_cell("A2", "ROCU"), text_cell("B2", "Q1"))


def with_sheet(sheet_xml: str) -> bytes:
    """An actuals workbook whose sheet part is ``sheet_xml`` as it stands."""
    return zipped({**workbook_parts(ACTUALS_HEADER), "xl/worksheets/sheet1.xml": sheet_xml})


def with_strings(strings_xml: str) -> bytes:
    """An actuals workbook whose one row names its unit by shared string 0, from ``strings_xml``."""
    sheet = row(2, '<c r="A2" t="s"><v>0</v></c>', text_cell("B2", "Q1"), number_cell("C2", "100"))
    return zipped({**workbook_parts(ACTUALS_HEADER + sheet), "xl/sharedStrings.xml": strings_xml})


def corrupted() -> bytes:
    """A workbook whose sheet part's compressed bytes are damaged (its checksum no longer matches)."""
    raw = bytearray(actuals(*ROCU_Q1, number_cell("C2", "100")))
    start = raw.index(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")
    raw[start + 10] ^= 0xFF
    return bytes(raw)


def members_and_units(members: int, units: int, extra: str = "") -> bytes:
    """A budget of ``members`` members, each unit shared by them all, and ``extra`` units or settings."""
    names = ", ".join(f"Force {i:03d}" for i in range(members))
    unit = "  - {{code: U{0:04d}, basis: equal, pay: {{Salaries: 100000}}}}\n"
    head = f"collaboration: Catalogue collaboration\nyear: 2024/25\nmembers: [{names}]\n"
    return (
        head
        + extra.split("units:", maxsplit=1)[0]
        + "units:\n"
        + "".join(unit.format(u) for u in range(units))
        + extra.rsplit("units:\n", maxsplit=1)[-1]
    ).encode()


def reciprocal_support(count: int) -> bytes:
    """``count`` support units charged reciprocally, each serving the next and unit U0000."""
    support = "".join(
        f"  - {{code: S{s:03d}, support: {{by: pay, units: [U0000, S{(s + 1) % count:03d}]}}, pay: {{Staff: 1000}}}}\n"
        for s in range(count)
    )
    return members_and_units(3, 1, "support_method: reciprocal\nunits:\n" + support)


def support_everywhere(support: int, units: int) -> bytes:
    """``support`` support units each charged to all ``units`` units with members (by pay, naming none)."""
    charged = "".join(f"  - {{code: S{s:04d}, support: {{by: pay}}, pay: {{Staff: 1000}}}}\n" for s in range(support))
    return members_and_units(2, units, "units:\n" + charged)


def lines_workbook() -> bytes:
    """A sheet of lines whose kind cell names shared string 9 of the workbook's 3."""
    header = row(1, *(text_cell(f"{c}1", t) for c, t in zip("ABCD", ("unit", "line", "kind", "amount"), strict=True)))
    line = row(2, text_cell("A2", "ROCU"), text_cell("B2", "Staff"), '<c r="C2" t="s"><v>9</v></c>', number_cell("D2", "100"))
    return zipped(workbook_parts(header + line, strings=["pay", "non-pay", "income"]))


def drivers_workbook() -> bytes:
    """A sheet of drivers with a value typed at XFE2, a column past the last a spreadsheet has."""
    header = row(1, text_cell("A1", "member"), text_cell("B1", "value"))
    return zipped(
        workbook_parts(header + row(2, text_cell("A2", "Derbyshire"), number_cell("B2", "5"), number_cell("XFE2", "1")))
    )


MADE = {
    "85-rows.csv": many_rows_csv,
    "86-rows.xlsx": many_rows_xlsx,
    "87-budget-over-5-mb.yaml": budget_over_5mb,
    "147-actuals.csv": repeated_actuals_csv,
    "139-actuals.xlsx": lambda: actuals_workbook(
        row(2, '<c r="A2" t="s"><v>7</v></c>', text_cell("B2", "Q1"), number_cell("C2", "100")), strings=["ROCU"]
    ),
    "140-actuals.xlsx": lambda: actuals_workbook(row("two", *ROCU_Q1, number_cell("C2", "100"))),
    "141-actuals.xlsx": lambda: with_sheet(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"></row></sheetData>'),
    "142-actuals.xlsx": lambda: actuals(*ROCU_Q1, number_cell("C2", "100"), number_cell("ZZZZZZ2", "1")),
    "143-actuals.xlsx": lambda: with_strings(f'<!DOCTYPE sst [<!ENTITY a "ROCU">]><sst xmlns="{MAIN}"><si><t>&a;</t></si></sst>'),
    "144-actuals.xlsx": corrupted,
    "145-actuals.xlsx": lambda: actuals_workbook(
        row(3, *(text_cell(f"{c}3", v) for c, v in (("A", "ROCU"), ("B", "Q2"))), number_cell("C3", "5")),
        row(2, *ROCU_Q1, number_cell("C2", "100")),
    ),
    "175-member-lines-over-the-limit.yaml": lambda: members_and_units(500, 201),
    "176-more-than-30-support-units-charged-reciprocally.yaml": lambda: reciprocal_support(31),
    "177-lines.xlsx": lines_workbook,
    "188-support-costs-coming-to-rest-too-many-times.yaml": lambda: support_everywhere(2_000, 60),
    "178-drivers.xlsx": drivers_workbook,
    "186-shares.xlsx": lambda: zipped(
        workbook_parts(
            row(1, text_cell("A1", "member"), text_cell("B1", "share"))
            + row(2, text_cell("A2", "Derbyshire"), number_cell("B2", "0.6"))
            + row(3, text_cell("A3", "Leicestershire"), number_cell("B3", "45383", 1)),
            styles=DATE_STYLE,
        )
    ),
    "179-drivers.xlsx": lambda: zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
}
# the year 2024/25's months: 45383 is 1 April 2024 as a spreadsheet counts days, so 146 reads
# its first row as April; 45748 is 1 April 2025, after the year
MADE["146-actuals.xlsx"] = lambda: actuals_workbook(
    row(2, text_cell("A2", "ROCU"), number_cell("B2", "45383", 1), number_cell("C2", "100")),
    row(3, text_cell("A3", "ROCU"), number_cell("B3", "45748", 1), number_cell("C3", "100")),
    styles=DATE_STYLE,
)


def test_the_catalogue_is_large_enough():
    assert len(CASES) + sum(name.endswith(".yaml") for name in MADE) >= 160
    numbers = [case.stem.split("-")[0] for case in ALL_CASES]
    assert len(numbers) == len(set(numbers)), "two cases share a number"
    assert any(p.suffix == ".csv" for p in CATALOGUE.iterdir())
    assert any(p.suffix == ".xlsx" for p in CATALOGUE.iterdir())
    for case in CASES:
        assert case.with_suffix(".expected").exists(), f"{case.name} has no .expected message"


ALL_CASES = sorted([*CASES, *(CATALOGUE / name for name in MADE if name.endswith(".yaml"))])


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_input_gives_its_message_and_writes_nothing(case, command, tmp_path, monkeypatch):
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    for name, make in MADE.items():
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
