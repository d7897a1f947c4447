"""Every workbook apportion writes computes what it shows: with the stored formula values
removed, LibreOffice and Gnumeric each recalculate it, and every formula gives the value
stored beside it (what a preview, a PDF or pandas shows) and no cell an error."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

from apportion.input.budget_file import load_budget
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES
from tests.outputs.recalculation import FORMULA_CELL, recalculation_differences, sheet_parts, stored_values
from tests.rules.test_year_end_members import LEAVER


def test_every_workbook_computes_the_figures_it_stores_in_libreoffice_and_gnumeric(every_workbook, tmp_path):
    found = recalculation_differences(every_workbook, tmp_path)
    assert found == [], f"{len(found)} differences:\n" + "\n".join(found)


def test_a_stored_value_that_is_not_the_formulas_result_is_caught_by_both_engines(tmp_path):
    # The canary: East Midlands' summary, with the stored value of one formula (the
    # Summary's total for Nottinghamshire) made a pound more than its formula gives.
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")), tmp_path / "out")
    right = tmp_path / "out" / "summary.xlsx"
    wrong = tmp_path / "summary.xlsx"
    stored = stored_values(right)
    (sheet, cell), value = next(((key, s.value) for key, s in stored.items() if key[0] == "Summary" and s.money))
    with zipfile.ZipFile(right) as source, zipfile.ZipFile(wrong, "w", zipfile.ZIP_DEFLATED) as target:
        part = sheet_parts(source)[sheet]
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                text = data.decode("utf-8")
                match = next(m for m in FORMULA_CELL.finditer(text) if m.group(1) == cell)
                changed = match.group(0).replace(f"<v>{match.group(6)}</v>", f"<v>{value + 1}</v>")
                data = (text[: match.start()] + changed + text[match.end() :]).encode("utf-8")
            target.writestr(info, data)
    assert stored_values(wrong)[(sheet, cell)].value == value + 1
    found = recalculation_differences([wrong], tmp_path / "engines")
    assert [re.sub(r" gives .*", "", line) for line in found] == [
        f"summary.xlsx!{sheet}!{cell} (={stored[(sheet, cell)].formula}): {engine}" for engine in ("LibreOffice", "Gnumeric")
    ]
    assert all(line.endswith(f"the workbook stores {value + 1}") for line in found)
    assert recalculation_differences([right], tmp_path / "right") == []


# C leaves on 1 October and takes its share of the reserves (tests/rules/test_year_end_members)
TAKES_ITS_SHARE = LEAVER.replace("  reserves:\n", "  leaver: takes its share\n  reserves:\n")


def test_a_year_end_with_a_leaver_paid_its_share_computes_its_closing_reserves(write_yaml, tmp_path):
    # C leaves and is paid its 20% of the opening £100,000.01 (£20,000.00): the reserves close
    # at 100,000.01 + 10,000 interest - 30,000 capital - 20,000 = £60,000.01, which the Year end
    # sheet's formula must give too (it gave £80,000.01 while the payment was left out).
    write_outputs(apportion(load_budget(write_yaml(TAKES_ITS_SHARE))), tmp_path / "out")
    summary = tmp_path / "out" / "summary.xlsx"
    closing = [s for (sheet, _), s in stored_values(summary).items() if sheet == "Year end" and s.value == Decimal("60000.01")]
    assert closing, "the closing reserves, £60,000.01, are on the Year end sheet"
    assert recalculation_differences(sorted((tmp_path / "out").glob("*.xlsx")), tmp_path / "engines") == []
