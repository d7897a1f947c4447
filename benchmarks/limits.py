"""Print how apportion does at the limits docs/config.md states, against the targets:

* loading lines read from one shared sheet (lines_from: with unit_column), at 10,000 and
  100,000 lines, as many units as the limit allows (a tenth of them at 10,000): 10x the
  lines in at most ~12x the time (linear);
* the largest budgets the limits allow (apportion.input.values), each validated and run: as
  many members as allowed sharing units to the member lines' limit; as many units as
  allowed, four in five of them support units charged out in stages, in runs of eight each
  charged to the next, with as many members as the lines allow; support units each charged
  to every unit with members, to the limit of where their costs come to rest; as many
  support units charged reciprocally as allowed, each serving every unit. Target: each
  within 10 s and 1 GB; the processor time and the load average are printed beside it.

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
from typing import NamedTuple

from apportion.input.values import MAX_LINES, MAX_MEMBERS, MAX_RECIPROCAL, MAX_RESTS, MAX_UNITS

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
TARGET_SECONDS, TARGET_MIB = 10, 1024


class Measure(NamedTuple):
    seconds: float | None  # wall-clock; None when stopped at the timeout
    processor: float  # seconds of processor time, the command's and the processes it started
    peak: float  # MiB, the largest of its processes


def measured(command: list[str], timeout: float) -> Measure:
    """One run of ``command`` in a fresh process."""
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
    return Measure(seconds if seconds < timeout else None, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def apportion(*args: str) -> list[str]:
    return [PYTHON, "-m", "apportion.cli", *args]


def figure(measure: Measure, timeout: float) -> str:
    if measure.seconds is None:
        return f"over {timeout:.0f} s (stopped)"
    met = "met" if measure.seconds <= TARGET_SECONDS and measure.peak <= TARGET_MIB else "not met"
    return f"{measure.seconds:.1f} s ({measure.processor:.1f} s processor), {measure.peak:.0f} MiB ({met})"


def load() -> str:
    return "load average " + ", ".join(f"{figure:.2f}" for figure in os.getloadavg())


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
    """As many members as the limit allows sharing units to the member lines' limit."""
    rng = random.Random(1)
    path.write_text("\n".join([*head(members(MAX_MEMBERS)), *service_units(MAX_LINES // MAX_MEMBERS, rng)]) + "\n")


def staged_budget(path: Path) -> None:
    """As many units as the limit allows, four in five of them support units in stages, each
    charged to units with members and, in runs of eight, to the next, their costs coming to
    rest as near the limit as they can; as many members as leave the member lines within
    theirs (each member a support unit's cost reaches makes one)."""
    rng = random.Random(2)
    services, stages = MAX_UNITS // 5, MAX_UNITS - MAX_UNITS // 5
    each = max(1, MAX_RESTS // stages // 5)  # units with members each is charged to: a run's first reaches 8x
    lines = [*head(members(MAX_LINES // MAX_UNITS)), *service_units(services, rng)]
    for stage in range(stages):
        served = [f"U{rng.randrange(services):04d}" for _ in range(each)] + ([f"S{stage + 1:04d}"] if stage % 8 != 7 else [])
        lines += [
            f"  - code: S{stage:04d}",
            f"    support: {{by: pay, units: [{', '.join(dict.fromkeys(served))}], stage: {stage + 1}}}",
            f"    pay: {{Support staff: {rng.randint(100_000, 2_000_000)}}}",
        ]
    path.write_text("\n".join(lines) + "\n")


def resting_budget(path: Path) -> None:
    """Support units each charged to every unit with members (naming none), as many as keep
    where their costs come to rest within the limit; two members."""
    rng = random.Random(4)
    services = min(MAX_UNITS // 2, MAX_RESTS // 10)
    lines = [*head(members(2)), *service_units(services, rng)]
    for index in range(min(MAX_UNITS - services, MAX_RESTS // services)):
        lines += [
            f"  - code: S{index:04d}",
            "    support: {by: pay}",
            f"    pay: {{Support staff: {rng.randint(100_000, 2_000_000)}}}",
        ]
    path.write_text("\n".join(lines) + "\n")


def reciprocal_budget(path: Path) -> None:
    """As many support units charged reciprocally as the limit allows, each serving every other
    and every unit with members, by drivers as long as a driver may be (15 digits, 12 decimal
    places); units with members to the units' limit, and as many members as leave the member
    lines within theirs."""
    rng = random.Random(3)
    services = MAX_UNITS - MAX_RECIPROCAL
    lines = [*head(members(MAX_LINES // MAX_UNITS), "reciprocal"), *service_units(services, rng)]
    for index in range(MAX_RECIPROCAL):
        served = [f"S{other:02d}" for other in range(MAX_RECIPROCAL) if other != index]
        served += [f"U{unit:04d}" for unit in range(services)]
        drivers = ", ".join(f"{code}: {rng.randint(1, 10**14)}.{rng.randint(0, 10**12 - 1):012d}" for code in served)
        lines += [f"  - code: S{index:02d}", f"    support: {{drivers: {{{drivers}}}}}", "    pay: {Support staff: 500000}"]
    path.write_text("\n".join(lines) + "\n")


def shared_sheet(folder: Path, lines: int) -> Path:
    """A budget of as many units as the limit allows at 100,000 lines (a tenth of them at 10,000),
    each reading its lines from one CSV by unit_column."""
    rng = random.Random(lines)
    units = lines * MAX_UNITS // 100_000
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
        print(load())
        small = measured(apportion("validate", str(shared_sheet(work, 10_000))), timeout)
        large = measured(apportion("validate", str(shared_sheet(work, 100_000))), timeout)
        if small.seconds is not None and large.seconds is not None:
            print(
                f"loading lines from one shared sheet: 10,000 lines over {MAX_UNITS // 10} units {small.seconds:.2f} s "
                f"({small.peak:.0f} MiB); "
                f"100,000 over {MAX_UNITS} units {large.seconds:.2f} s ({large.peak:.0f} MiB); 10x the lines in "
                f"{large.seconds / small.seconds:.1f}x the time (target <= 12, linear)"
            )
        for name, make in (
            (f"{MAX_MEMBERS} members sharing units to {MAX_LINES:,} member lines", lines_budget),
            (f"{MAX_UNITS:,} units, four in five support units in stages, {MAX_LINES // MAX_UNITS} members", staged_budget),
            (f"support units charged to every unit with members, to {MAX_RESTS:,} resting places", resting_budget),
            (f"{MAX_RECIPROCAL} support units charged reciprocally, each serving every unit", reciprocal_budget),
        ):
            budget = work / "budget.yaml"
            make(budget)
            checked = figure(measured(apportion("validate", str(budget)), timeout), timeout)
            run = figure(measured(apportion("run", str(budget), "--out", str(work / "out"), "--force"), timeout), timeout)
            shutil.rmtree(work / "out", ignore_errors=True)
            print(f"{name}: validate {checked}; run, every output, {run}; {load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
