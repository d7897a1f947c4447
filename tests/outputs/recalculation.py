"""Recalculate workbooks as an auditor would: with every stored formula value removed first.

A spreadsheet engine shown a workbook that stores each formula's value may simply show that
value (LibreOffice does, for Excel 2007+ files, by default), so asking it what a formula
gives proves nothing. Here each workbook is copied with the ``<v>`` of every formula cell
taken out, so that the engine has nothing to show but what it computes; LibreOffice and
Gnumeric (``ssconvert --recalc``) each recalculate the copies; and every formula's result is
compared with the value the workbook stores beside it: within half a penny where the cell
is shown as money, 1e-9 relative otherwise. No cell may show an error.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tests.conftest import convert

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a formula cell as apportion writes it: its reference, style, type, the formula element's
# attributes (a shared formula's) and its text (none in a cell that shares another's), and
# its stored value
FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")?( t="[a-z]+")?><f([^>]*?)(?:/>|>([^<]*)</f>)<v>([^<]*)</v></c>')
ERRORS = ("#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:", "#ERR")
HALF_PENNY = Decimal("0.005")
RELATIVE = Decimal("1e-9")
GNUMERIC = shutil.which("ssconvert")


@dataclass(frozen=True)
class Stored:
    """A formula cell's stored value, its formula and whether it is shown as money."""

    value: Decimal
    formula: str
    money: bool


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the package, by sheet name."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PACKAGE}Relationship")}
    return {sheet.get("name"): "xl/" + targets[sheet.get(RELATIONSHIP)].lstrip("/").removeprefix("xl/")
            for sheet in book.iter(f"{MAIN}sheet")}  # fmt: skip


def money_styles(archive: zipfile.ZipFile) -> set[str]:
    """The style indexes whose number format shows pounds."""
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    codes = {f.get("numFmtId"): f.get("formatCode") or "" for f in styles.iter(f"{MAIN}numFmt")}
    xfs = styles.find(f"{MAIN}cellXfs")
    assert xfs is not None
    return {str(index) for index, xf in enumerate(xfs) if "£" in codes.get(xf.get("numFmtId") or "0", "")}


def stored_values(path: Path) -> dict[tuple[str, str], Stored]:
    """Every formula cell's stored value, by (sheet, cell)."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        money = money_styles(archive)
        for sheet, part in sheet_parts(archive).items():
            for ref, style, kind, shared, formula, value in FORMULA_CELL.findall(archive.read(part).decode("utf-8")):
                assert not kind, f"{path.name}!{sheet}!{ref}: a formula of type {kind} is not checked here"
                found[(sheet, ref)] = Stored(Decimal(value), formula or f"shared{shared}", style[4:-1] in money)
    return found


def without_stored_values(path: Path, copy: Path) -> int:
    """Copy a workbook with the ``<v>`` of every formula cell removed; returns how many."""
    removed = 0

    def strip(match: re.Match[str]) -> str:
        nonlocal removed
        removed += 1
        ref, style, kind, shared, formula, _ = match.groups()
        element = f"<f{shared}>{formula}</f>" if formula is not None else f"<f{shared}/>"
        return f'<c r="{ref}"{style or ""}{kind or ""}>{element}</c>'

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        worksheets = set(sheet_parts(source).values())
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename in worksheets:
                data = FORMULA_CELL.sub(strip, data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    return removed


def gnumeric(paths: list[Path], folder: Path) -> dict[str, Path]:
    """Each workbook recalculated by Gnumeric and saved as xlsx, by file name."""
    if GNUMERIC is None:
        if os.environ.get("CI"):
            pytest.fail("Gnumeric (ssconvert) is not installed; .ci/run installs gnumeric")
        pytest.skip("Gnumeric is not installed (apt-get install gnumeric)")
    folder.mkdir(parents=True, exist_ok=True)
    copies = {}
    for path in paths:
        copy = folder / path.name
        subprocess.run([GNUMERIC, "--recalc", str(path), str(copy)], check=True, capture_output=True, timeout=600)
        copies[path.name] = copy
    return copies


def differences(path: Path, recalculated: Path, engine: str) -> list[str]:
    """Each formula whose result in ``recalculated`` is not the value ``path`` stores for
    it, and each cell that shows an error."""
    stored = stored_values(path)
    computed = load_workbook(recalculated, data_only=True, read_only=True)
    found = []
    for sheet in computed.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(ERRORS):
                    found.append(f"{path.name}!{sheet.title}!{cell.coordinate} shows {cell.value} in {engine}")
    by_sheet: dict[str, dict[str, object]] = {}
    for sheet in computed.worksheets:
        cells = by_sheet.setdefault(sheet.title, {})
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and hasattr(cell, "coordinate"):
                    cells[cell.coordinate] = cell.value
    for (sheet_name, ref), cell in stored.items():
        result = by_sheet.get(sheet_name, {}).get(ref)
        place = f"{path.name}!{sheet_name}!{ref} (={cell.formula})"
        try:
            figure = Decimal(repr(result)) if isinstance(result, int | float) and not isinstance(result, bool) else None
        except InvalidOperation:
            figure = None
        if figure is None:
            found.append(f"{place}: {engine} gives {result!r}, the workbook stores {cell.value}")
            continue
        tolerance = HALF_PENNY if cell.money else RELATIVE * max(1, abs(cell.value))
        if abs(figure - cell.value) >= tolerance:
            found.append(f"{place}: {engine} gives {figure}, the workbook stores {cell.value}")
    return found


def recalculation_differences(paths: list[Path], folder: Path) -> list[str]:
    """Every difference LibreOffice and Gnumeric find in the workbooks, their stored formula
    values removed first. Each workbook must hold formulas (else it proves nothing)."""
    stripped_folder = folder / "without-values"
    stripped_folder.mkdir(parents=True, exist_ok=True)
    stripped = []
    for path in paths:
        copy = stripped_folder / path.name
        assert without_stored_values(path, copy) > 0, f"{path.name} holds no formula to recalculate"
        stripped.append(copy)
    found = []
    for engine, copies in (
        ("LibreOffice", convert(stripped, folder / "libreoffice", "xlsx:Calc MS Excel 2007 XML")),
        ("Gnumeric", gnumeric(stripped, folder / "gnumeric")),
    ):
        for path in paths:
            found += differences(path, copies[path.name], engine)
    return found
