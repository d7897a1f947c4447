"""Print apportion's speed figures on this machine: a median of several runs each, and the
ratio to the baseline measured in the same run. Run on demand; the tests never time anything.

    python benchmarks/run.py            # start-up, regional run, national run, sweep
    python benchmarks/run.py --quick    # fewer repeats

Commands run as a user runs them: in a fresh process each, with Python's compiled bytecode
cached (PYTHONDONTWRITEBYTECODE is cleared and every command is run once before timing).
"""

from __future__ import annotations

import argparse
import os
import platform
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
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
RUN_IMPORTS = "import click, yaml, rich.console, rich.table"  # the libraries `run` uses
RUN_ALL_IMPORTS = (
    RUN_IMPORTS
    + "; import apportion.cli, apportion.input.budget_file, apportion.rules.calculate, apportion.outputs.folder,"
    + " apportion.cli.terminal"
)


def timed(command: list[str], repeats: int, before: list[str] | None = None) -> float:
    """Median wall-clock seconds of a command, run in a fresh process each time (after one
    untimed run, so bytecode is compiled); ``before`` runs untimed ahead of each run."""
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
    times = []
    for _ in range(repeats):
        if before:
            subprocess.run(before, check=True, capture_output=True, cwd=ROOT, env=ENV)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_together(commands: list[list[str]], repeats: int) -> list[float]:
    """Median seconds of each command, the commands taking turns (A B C A B C ...), so a
    command and its baseline meet the same moments of a busy machine and their ratio holds."""
    for command in commands:  # once untimed, so bytecode is compiled
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeats):
        for command, runs in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
            runs.append(time.perf_counter() - start)
    return [statistics.median(runs) for runs in times]


def processor_seconds(command: list[str], repeats: int) -> float:
    """Median processor seconds (user and system, the command's processes together) of a
    command: what it costs whatever else the machine is doing, where wall-clock time is
    stretched by every other process on a shared machine."""
    seconds = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(seconds)


def apportion(*args: str) -> list[str]:
    return [PYTHON, "-m", "apportion.cli", *args]


def python(code: str) -> list[str]:
    return [PYTHON, "-c", code]


def generate(path: Path, members: int, units: int, support: int = 0) -> None:
    command = [PYTHON, str(ROOT / "benchmarks" / "generate.py"), "--members", str(members), "--units", str(units)]
    command += ["--support", str(support)]
    subprocess.run([*command, "--out", str(path)], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    repeats = 3 if parser.parse_args().quick else 7
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; medians of {repeats} runs")
    work = Path(tempfile.mkdtemp(prefix="apportion-bench-"))
    try:
        click, helptime = timed_together([python("import click"), apportion("--help")], repeats)
        print(
            f"start-up: apportion --help {helptime:.3f} s; import click {click:.3f} s; ratio {helptime / click:.2f} (target <= 2)"
        )

        example = str(ROOT / "examples" / "east-midlands-2013-14.yaml")
        out = work / "regional"
        run_args = ["run", example, "--out", str(out), "--force"]
        baselines = [python(RUN_IMPORTS), python(library_imports(run_args)), python(RUN_ALL_IMPORTS)]
        libraries, with_stdlib, everything, regional = timed_together([*baselines, apportion(*run_args)], repeats * 3)
        print(
            f"regional run (East Midlands, all outputs; medians of {repeats * 3}, taking turns with its baselines): "
            f"{regional:.3f} s; importing the libraries run uses {libraries:.3f} s, "
            f"ratio {regional / libraries:.2f} (target <= 1.3); importing every library module run imports, the standard "
            f"library's too, {with_stdlib:.3f} s, ratio {regional / with_stdlib:.2f}; importing everything run imports, "
            f"apportion's own modules too, {everything:.3f} s, ratio {regional / everything:.2f}"
        )

        national = work / "national.yaml"
        generate(national, 43, 500)
        national_run = apportion("run", str(national), "--out", str(work / "national"), "--force")
        national_verify = apportion("verify", str(national), str(work / "national"))
        # the national run, its regional baseline and verifying the national folder take turns,
        # so that their ratios hold on a busy machine
        regional_again, seconds, verified = timed_together([apportion(*run_args), national_run, national_verify], repeats)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        national_cpu, regional_cpu = processor_seconds(national_run, 3), processor_seconds(apportion(*run_args), 3)
        print(
            f"national run (43 members x 500 units, every workbook): {seconds:.2f} s (target <= 2 on a quiet machine), "
            f"{seconds / regional_again:.1f} times the regional run's {regional_again:.3f} s measured with it (target <= 12); "
            f"verifying its folder {verified:.2f} s, {verified / seconds:.2f} times the run (target <= 1.5); "
            f"peak memory {peak:.0f} MiB; processor time {national_cpu:.2f} s against the regional run's {regional_cpu:.2f} s"
        )

        air = str(ROOT / "examples" / "npas-2016-17.yaml")
        air_run = timed(apportion("run", air, "--out", str(work / "npas"), "--force"), repeats)
        print(f"national air service example (43 forces, activity charges, every workbook): {air_run:.2f} s")
        staged = work / "staged.yaml"
        generate(staged, 43, 500, support=20)
        staged_run = timed(apportion("run", str(staged), "--out", str(work / "staged"), "--force"), 3)
        staged_rules = in_process_apportion(staged, 3)
        print(
            f"national run with 20 support units in stages (43 members x 500 units + 20, every workbook): "
            f"{staged_run:.2f} s, against {seconds:.2f} s without them; the rules alone {staged_rules:.2f} s"
        )

        fifty = work / "fifty.yaml"
        generate(fifty, 43, 50)
        grant = ["--grant", "all=-30%:10%:0.004%"]  # 10,001 outcomes
        whole = timed(apportion("sweep", str(fifty), *grant), repeats)
        compute = in_process_sweep(fifty, repeats)
        print(
            f"sweep, 10,001 grant outcomes x 50 units x 43 members: whole command {whole:.2f} s (target <= 1), "
            f"of which computing {compute:.2f} s"
        )
        draws = ["--grant", "all=-30%:10%:0.01%", "--levy-rate", "all=1%:3%:0.01%", "--pay-inflation", "0%:5%:0.01%"]
        mixed = timed(apportion("sweep", str(fifty), *draws, "--draws", "10000"), repeats)
        print(f"sweep, 10,000 random draws of grant, levy rate and pay inflation x 50 units x 43 members: {mixed:.2f} s")
        wide = timed(apportion("sweep", str(national), *grant), max(1, repeats // 3))
        print(f"sweep, 10,001 grant outcomes x 500 units x 43 members: {wide:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def library_imports(args: list[str]) -> str:
    """One import statement for every module a command imports that is not apportion's own
    (third-party and standard library alike), found by running the command once."""
    code = (
        "import contextlib, io, runpy, sys\n"
        "before = set(sys.modules)\n"
        f"sys.argv = ['apportion', *{args!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    runpy.run_module('apportion.cli', run_name='__main__')\n"
        "names = sorted(\n"
        "    m for m in set(sys.modules) - before\n"
        "    if m.split('.')[0] != 'apportion' and not any(p.startswith('_') for p in m.split('.'))\n"
        "    and getattr(sys.modules[m], '__spec__', None) is not None\n"
        ")\n"
        "print('import ' + ', '.join(names))\n"
    )
    done = subprocess.run(python(code), check=True, capture_output=True, cwd=ROOT, env=ENV, text=True)
    return done.stdout.strip()


def in_process_apportion(path: Path, repeats: int) -> float:
    """Loading and the calculation alone, without start-up or writing."""
    code = (
        "import time\nfrom pathlib import Path\n"
        "from apportion.input.budget_file import load_budget\n"
        "from apportion.rules.calculate import apportion\n"
        f"start = time.perf_counter(); apportion(load_budget(Path({str(path)!r}))); print(time.perf_counter() - start)\n"
    )
    runs = [float(subprocess.run(python(code), check=True, capture_output=True, text=True).stdout) for _ in range(repeats)]
    return statistics.median(runs)


def in_process_sweep(path: Path, repeats: int) -> float:
    """The sweep's own computing time, without start-up, loading or printing."""
    code = (
        "import time; from decimal import Decimal as D; from pathlib import Path\n"
        "from apportion.input.budget_file import load_budget; from apportion.rules.sweep import sweep\n"
        "from apportion.rules.sweep_factors import Factor, Input\n"
        f"budget = load_budget(Path({str(path)!r}))\n"
        "factors = [Factor(Input.GRANT, 'all', D(-30), D(10), D('0.004'))]\n"
        "start = time.perf_counter(); sweep(budget, factors); print(time.perf_counter() - start)\n"
    )
    times = []
    for _ in range(repeats):
        done = subprocess.run(python(code), check=True, capture_output=True, cwd=ROOT, env=ENV, text=True)
        times.append(float(done.stdout))
    return statistics.median(times)


if __name__ == "__main__":
    main()
