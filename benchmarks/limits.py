"""Print how apportion does at the limits docs/config.md states, against the targets:

* loading lines read from one shared sheet (lines_from: with unit_column), at 10,000 and
  100,000 lines, a unit for every 20: 10x the lines in at most ~12x the time (linear);
* the largest budgets the limits allow, each validated and run: 500 members sharing units
  to 100,000 member lines; 5,000 units, most of them support units charged out in stages,
  in runs of eight each charged to the next; 30 support units charged reciprocally, each
  serving every other, with 500 members. Target: each within 10 s and 1 GB.

Each figure is one run of the command in a fresh process, as a user runs it (these are
long); a command still running after --timeout seconds is stopped and reported as such.

    python benchmarks/limits.py
    python benchmarks/limits.py --timeout 600
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
TARGET_SECONDS, TARGET_MIB = 10, 1024


def measured(command: list[str], timeout: float) -> tuple[float | None, float]:
    """Seconds (None when stopped at ``timeout``) and peak memory (MiB) of one run in a fresh process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=errors)
        timer = threading.Timer(timeout, process.terminate)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0 and seconds < timeout:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {errors.read().decode()}")
    return (seconds if seconds < timeout else None), usage.ru_maxrss / 1024


def apportion(*args: str) -> list[str]:
    return [PYTHON, "-m", "apportion.cli", *args]


def figure(seconds: float | None, peak: float, timeout: float) -> str:
    if seconds is None:
        return f"over {timeout:.0f} s (stopped)"
    met = "met" if seconds <= TARGET_SECONDS and peak <= TARGET_MIB else "not met"
    return f"{seconds:.1f} s, {peak:.0f} MiB ({met})"


def members(count: int) -> list[str]:
    return [f"Force {i:03d}" for i in range(count)]


def head(names: list[str], method: str = "step-down") -> list[str]:
    lines = ["collaboration: Limits benchmark (generated)", "year: 2024/25", f"support_method: {method}", "members:"]
    lines += [f"  - {name}" for name in names]
    lines += ["bases:", "  formula:", "    drivers:"]
    lines += [f"      {name}: {100 + 7 * i}" for i, name in enumerate(names)]
    return [*lines, "units:"]


def service_units(count: int, rng: random.Random) -> list[str]:
    lines = []
    for index in range(count):
        lines += [
            f"  - code: U{index:04d}",
            "    basis: formula",
            f"    pay: {{Salaries: {rng.randint(100_000, 5_000_000)}.{rng.randint(0, 99):02d}}}",
            f"    non_pay: {{Running costs: {rng.randint(10_000, 900_000)}}}",
        ]
    return lines


def lines_budget(path: Path) -> None:
    """500 members sharing 200 units: 100,000 member lines."""
    rng = random.Random(1)
    path.write_text("\n".join([*head(members(500)), *service_units(200, rng)]) + "\n")


def staged_budget(path: Path) -> None:
    """5,000 units, 4,000 of them support units in stages, each charged to three units with
    members and, in runs of eight, to the next (their costs come to rest some 50,000 times):
    20 members, 20,000 + 80,000 member lines."""
    rng = random.Random(2)
    lines = [*head(members(20)), *service_units(1_000, rng)]
    for stage in range(4_000):
        served = [f"U{rng.randrange(1_000):04d}" for _ in range(3)] + ([f"S{stage + 1:04d}"] if stage % 8 != 7 else [])
        lines += [
            f"  - code: S{stage:04d}",
            f"    support: {{by: pay, units: [{', '.join(dict.fromkeys(served))}], stage: {stage + 1}}}",
            f"    pay: {{Support staff: {rng.randint(100_000, 2_000_000)}}}",
        ]
    path.write_text("\n".join(lines) + "\n")


def reciprocal_budget(path: Path) -> None:
    """30 support units charged reciprocally, each serving every other and the 170 units with
    members, by drivers as long as a driver may be (15 digits, 12 decimal places); 500
    members: 85,000 + 15,000 member lines."""
    rng = random.Random(3)
    lines = [*head(members(500), "reciprocal"), *service_units(170, rng)]
    for index in range(30):
        served = [f"S{other:02d}" for other in range(30) if other != index] + [f"U{unit:04d}" for unit in range(170)]
        drivers = ", ".join(f"{code}: {rng.randint(1, 10**14)}.{rng.randint(0, 10**12 - 1):012d}" for code in served)
        lines += [f"  - code: S{index:02d}", f"    support: {{drivers: {{{drivers}}}}}", "    pay: {Support staff: 500000}"]
    path.write_text("\n".join(lines) + "\n")


def shared_sheet(folder: Path, lines: int) -> Path:
    """A budget of a unit for every 20 lines, each reading its lines from one CSV by unit_column."""
    rng = random.Random(lines)
    units = lines // 20
    sheet = folder / f"lines-{lines}.csv"
    rows = [f"U{i % units:05d},Line {i},{'pay' if i % 3 else 'non-pay'},{rng.randint(1_000, 90_000)}" for i in range(lines)]
    sheet.write_text("unit,line,kind,amount\n" + "\n".join(rows) + "\n")
    spec = f"{{file: {sheet.name}, unit_column: unit, name_column: line, kind_column: kind, amount_column: amount}}"
    budget = folder / f"shared-{lines}.yaml"
    text = ["collaboration: Shared sheet benchmark", "year: 2024/25", "members: [A, B, C]", "units:"]
    text += [f"  - {{code: U{u:05d}, basis: equal, lines_from: {spec}}}" for u in range(units)]
    budget.write_text("\n".join(text) + "\n")
    return budget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a command is stopped")
    timeout = parser.parse_args().timeout
    work = Path(tempfile.mkdtemp(prefix="apportion-limits-"))
    try:
        small, small_peak = measured(apportion("validate", str(shared_sheet(work, 10_000))), timeout)
        large, large_peak = measured(apportion("validate", str(shared_sheet(work, 100_000))), timeout)
        if small is not None and large is not None:
            print(
                f"loading lines from one shared sheet: 10,000 lines over 500 units {small:.2f} s ({small_peak:.0f} MiB); "
                f"100,000 over 5,000 units {large:.2f} s ({large_peak:.0f} MiB); 10x the lines in {large / small:.1f}x "
                "the time (target <= 12, linear)"
            )
        for name, make in (
            ("500 members x 200 units, 100,000 member lines", lines_budget),
            ("5,000 units: 4,000 support units in stages, in runs of eight each charged to the next; 20 members", staged_budget),
            ("30 support units charged reciprocally, each serving every other; 500 members", reciprocal_budget),
        ):
            budget = work / "budget.yaml"
            make(budget)
            checked = figure(*measured(apportion("validate", str(budget)), timeout), timeout)
            run = figure(*measured(apportion("run", str(budget), "--out", str(work / "out"), "--force"), timeout), timeout)
            shutil.rmtree(work / "out", ignore_errors=True)
            print(f"{name}: validate {checked}; run, every output, {run}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
