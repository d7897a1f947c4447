"""Print how verify and the readers scale on this machine, against the figures issue targets:

* verify of the national run (43 members x 500 units) against the run itself: time (target:
  within 1.5x) and peak memory (target: within the run's);
* loading a budget file at 1x and 10x the lines (target: 10x the lines in at most ~12x the
  time) and at the 5 MB limit (target: under 10 s);
* the worst spreadsheet inputs (150,000 rows, a zip that unzips past the limit): refused or
  read in under 5 s and 300 MB each;
* verify's diff of a journal with one blank line inserted, at 55,200 and 552,000 lines, and
  of one with every sixth line changed (target: 10x the lines in at most ~12x the time).

Each figure is the median of several runs of the command in a fresh process, as a user runs it.

    python benchmarks/safety.py
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def measured(command: list[str], repeats: int, *, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Median seconds and median peak memory (MiB) of a command, each run in a fresh process."""
    seconds, peaks = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise SystemExit(f"{' '.join(command)} exited {code}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(seconds), statistics.median(peaks)


def apportion(*args: str) -> list[str]:
    return [PYTHON, "-m", "apportion.cli", *args]


def budget_of_lines(path: Path, lines: int) -> None:
    head = (
        "collaboration: Loading benchmark\nyear: 2024/25\nmembers: [A, B, C]\nunits:\n  - code: U\n    basis: equal\n    pay:\n"
    )
    path.write_text(head + "".join(f"      Pay {i:06d}: {1000 + i}.{i % 100:02d}\n" for i in range(lines)))


def many_rows_csv(path: Path) -> None:
    path.write_text("Force,Population\n" + "".join(f"Force {i},{i}\n" for i in range(150_000)))


def many_rows_xlsx(path: Path) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    header = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Force</t></is></c><c r="B1" t="inlineStr"><is><t>Population</t></is></c></row>'
    )
    cells = '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>F{r}</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
    rows = header + "".join(cells.format(r=r) for r in range(2, 150_002))
    parts = {
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>',
    }
    write_zip(path, parts)


def zip_bomb(path: Path) -> None:
    write_zip(path, {"xl/worksheets/sheet1.xml": b"\0" * 60_000_000})


def write_zip(path: Path, parts: dict[str, str | bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def sheet_budget(path: Path, sheet: Path) -> None:
    path.write_text(
        "collaboration: Spreadsheet benchmark\nyear: 2024/25\nmembers: [A, B]\nbases:\n  population:\n"
        f"    drivers_from: {{file: {sheet.name}, member_column: Force, value_column: Population}}\n"
        "units:\n  - {code: U, basis: population, pay: {Salaries: 100}}\n"
    )


DIFF = """
import sys
from apportion.audit.differences import explain
count, every = int(sys.argv[1]), int(sys.argv[2])
lines = [f"  Assets:Member{i // 6}:Line{i} {i}.00 GBP" if i % 6 else "" for i in range(count)]
found = list(lines)
if every:
    found = [line + " ; edited" if i % every == 1 else line for i, line in enumerate(lines)]
else:
    found.insert(count // 2, "")
explain("journal.beancount", "\\n".join(lines).encode(), "\\n".join(found).encode())
"""


def diffed(lines: int, every: int = 0) -> list[str]:
    """A command that diffs a journal of ``lines`` lines against one with a blank line
    inserted (or, with ``every``, every so many lines changed)."""
    return [PYTHON, "-c", DIFF, str(lines), str(every)]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="apportion-safety-"))
    try:
        national = work / "national.yaml"
        generate = [PYTHON, str(ROOT / "benchmarks" / "generate.py"), "--members", "43", "--units", "500"]
        subprocess.run([*generate, "--out", str(national)], check=True, capture_output=True)
        out = work / "national"
        run_time, run_peak = measured(apportion("run", str(national), "--out", str(out), "--force"), 3)
        verify_time, verify_peak = measured(apportion("verify", str(national), str(out)), 3)
        print(
            f"national run (43 members x 500 units): {run_time:.2f} s, peak {run_peak:.0f} MiB; verify of its outputs: "
            f"{verify_time:.2f} s, peak {verify_peak:.0f} MiB; ratio {verify_time / run_time:.2f} (target <= 1.5), "
            f"memory {verify_peak / run_peak:.2f} of the run's (target <= 1)"
        )

        small, large = work / "lines-18k.yaml", work / "lines-180k.yaml"
        budget_of_lines(small, 18_000)
        budget_of_lines(large, 180_000)  # just under the 5 MB limit
        small_time, _ = measured(apportion("validate", str(small)), 5)
        large_time, large_peak = measured(apportion("validate", str(large)), 3)
        print(
            f"loading: 18,000 lines ({small.stat().st_size / 1e6:.2f} MB) {small_time:.2f} s; 180,000 lines "
            f"({large.stat().st_size / 1e6:.2f} MB, the size limit is 5 MB) {large_time:.2f} s (target < 10 s), "
            f"{large_peak:.0f} MiB; 10x the lines in {large_time / small_time:.1f}x the time (target <= 12)"
        )

        for name, make in (("150,000-row CSV", many_rows_csv), ("150,000-row xlsx", many_rows_xlsx), ("zip bomb", zip_bomb)):
            suffix = ".csv" if "CSV" in name else ".xlsx"
            sheet = work / f"input{suffix}"
            make(sheet)
            budget = work / "sheet.yaml"
            sheet_budget(budget, sheet)
            seconds, peak = measured(apportion("validate", str(budget)), 3, ok=(1,))
            size = sheet.stat().st_size / 1e6
            print(f"refusing a {name} ({size:.1f} MB): {seconds:.2f} s, {peak:.0f} MiB (target < 5 s, 300 MiB)")

        for every, what in ((0, "one blank line inserted"), (6, "every sixth line changed")):
            small_time, _ = measured(diffed(55_200, every), 3)
            large_time, large_peak = measured(diffed(552_000, every), 3)
            print(
                f"verify's diff of a journal, {what}: 55,200 lines {small_time:.2f} s, 552,000 lines {large_time:.2f} s, "
                f"{large_peak:.0f} MiB; 10x the lines in {large_time / small_time:.1f}x the time (target <= 12)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
