"""Print apportion's speed figures on this machine: a median of several runs each, and the
ratio to the baseline measured in the same run. Run on demand; the tests never time anything.

    python benchmarks/run.py            # start-up, regional run, national run, sweep
    python benchmarks/run.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def timed(command: list[str], repeats: int) -> float:
    """Median wall-clock seconds of a command, run in a fresh process each time."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def apportion(*args: str) -> list[str]:
    return [PYTHON, "-m", "apportion.cli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    repeats = 3 if parser.parse_args().quick else 7
    work = Path(tempfile.mkdtemp(prefix="apportion-bench-"))
    try:
        click = timed([PYTHON, "-c", "import click"], repeats)
        helptime = timed(apportion("--help"), repeats)
        print(
            f"start-up: apportion --help {helptime:.3f} s; import click {click:.3f} s; ratio {helptime / click:.2f} (target <= 2)"
        )

        imports = timed([PYTHON, "-c", "import click, yaml, openpyxl, rich.console, rich.table"], repeats)
        example = str(ROOT / "examples" / "east-midlands-2013-14.yaml")
        runs = []
        for i in range(repeats):
            out = work / f"regional{i}"
            start = time.perf_counter()
            subprocess.run(apportion("run", example, "--out", str(out)), check=True, capture_output=True, cwd=ROOT)
            runs.append(time.perf_counter() - start)
        regional = statistics.median(runs)
        print(
            f"regional run (East Midlands, all outputs): {regional:.3f} s; importing what run needs {imports:.3f} s; "
            f"ratio {regional / imports:.2f} (target <= 1.3)"
        )

        national = work / "national.yaml"
        generate = [PYTHON, str(ROOT / "benchmarks" / "generate.py"), "--members", "43", "--units", "500", "--out", str(national)]
        subprocess.run(generate, check=True, capture_output=True)
        start = time.perf_counter()
        command = apportion("run", str(national), "--out", str(work / "national"))
        done = subprocess.run(command, check=False, capture_output=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"national run (43 members x 500 units, every workbook): {elapsed:.2f} s (target <= 3), "
            f"peak memory of a child process {peak:.0f} MiB, exit {done.returncode}"
        )

        start = time.perf_counter()
        subprocess.run(
            apportion("sweep", str(national), "--grant", "all=-30%:10%:0.004%"), check=True, capture_output=True, cwd=ROOT
        )
        sweep = time.perf_counter() - start
        print(f"sweep (10,001 grant outcomes x 500 units x 43 members, whole command): {sweep:.2f} s (target <= 1)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
