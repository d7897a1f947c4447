"""The Accounts note sheet: laid out as a statement of accounts' note, and every figure a live
formula that LibreOffice, given the workbook with every stored value removed, recalculates
to apportion's own figure."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from apportion.input.budget_file import load_budget
from apportion.outputs.accounts_sheet import ACCOUNTS_NOTE, previous
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES, books_of, recalculate

CACHED = re.compile(r"(<f>[^<]*</f>)<v>[^<]*</v>")


def without_stored_values(data: bytes) -> bytes:
    """The workbook with every formula's stored value taken out, so only calculating gives one."""
    source, made = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                part = CACHED.sub(r"\1", part.decode("utf-8")).encode("utf-8")
            target.writestr(item, part)
    return made.getvalue()


def worksheets(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_the_note_recalculates_to_apportions_figures_with_its_stored_values_removed(tmp_path):
    books = books_of(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")))
    chosen = {name: books[name] for name in ("summary.xlsx", "leicestershire.xlsx", "derbyshire.xlsx")}
    paths = []
    for name, book in chosen.items():
        stripped = without_stored_values(book.to_bytes())
        sheets = worksheets(stripped)
        assert "<f>ROUND(" in sheets and not CACHED.search(sheets)
        (tmp_path / name).write_bytes(stripped)
        paths.append(tmp_path / name)
    copies = recalculate(paths, tmp_path / "lo")
    checked = 0
    for name, book in chosen.items():
        recalculated = load_workbook(copies[name], data_only=True)[ACCOUNTS_NOTE]
        for (sheet, cell), expected in book.expected.items():
            if sheet != ACCOUNTS_NOTE:
                continue
            found = recalculated[cell].value
            assert isinstance(found, int | float), f"{name}!{cell} gave {found!r}"
            assert abs(Decimal(str(found)) - expected) < Decimal("0.005"), f"{name}!{cell}: {found}, not {expected}"
            checked += 1
    assert checked > 150


def test_a_members_note_reads_as_a_note_of_its_accounts():
    book = books_of(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")))["leicestershire.xlsx"]
    sheet = load_workbook(io.BytesIO(book.to_bytes()))[ACCOUNTS_NOTE]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    text = " ".join(str(value) for row in rows for value in row if value is not None)
    assert "Accounts note: Leicestershire's share of East Midlands regional police collaboration (a joint operation)" in text
    assert "IFRS 11" in text and "Illustrative figures" in text
    labels = [row[0] for row in rows if row[0]]
    order = ["Share of the joint operation", "Total income", "Expenditure", "Net cost of services (expenditure less income)",
             "Assets", "Total assets", "Liabilities", "Net assets (assets less liabilities)", "Reserves", "Total reserves"]  # fmt: skip
    assert [label for label in labels if label in order] == order
    header = next(row for row in rows if row[1] == "Collaboration, 2013/14 (£)")
    assert header[2:5] == ["Leicestershire's share, 2013/14 (£)", "Collaboration, 2012/13 (£)",
                           "Leicestershire's share, 2012/13 (£)"]  # fmt: skip
    # the regional reserves: 874,960 x 22.8% = 199,490.88, and a year before 1,207,428 x 22.8% =
    # 275,293.584, which the split of the opening reserves rounds to 275,293.58
    reserves = next(row for row in rows if row[0] == "Regional reserves (usable)")
    assert reserves[1:3] == [874960, f"=ROUND($B{rows.index(reserves) + 1}*C${labels_row(rows)},2)"]
    assert reserves[3] == 1207428
    # the capital adjustment account balances its balance sheet: its net assets less its other reserves
    last = next(row for row in rows if row[0] == "Capital adjustment account (unusable, illustrative)")
    assert re.fullmatch(r"=C\d+-SUM\(C\d+:C\d+\)", last[2])


def labels_row(rows):
    return next(index for index, row in enumerate(rows, start=1) if row[0] == "Share of the joint operation")


def test_last_year_as_the_budget_writes_its_year():
    assert previous("2013/14") == "2012/13"
    assert previous("1999/00") == "1998/99"
    assert previous("2000/01") == "1999/00"
    assert previous("FY24") == "last year"
