"""Shared helpers: write small budget files and read results back."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CONFIGS = ROOT / "configs"


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """write_yaml(text, name='budget.yaml') -> path of a file holding the dedented text."""

    def write(text: str, name: str = "budget.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def read_contributions(path: Path) -> list[dict[str, str]]:
    """contributions.csv's rows, past its '#' provenance lines, as the csv module reads them."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(paths: list[Path], folder: Path) -> dict[str, Path]:
    """Each workbook recalculated by LibreOffice (headless) and saved as xlsx, by file name.

    The stored value of every formula is removed first: shown a workbook that stores them,
    LibreOffice shows those values rather than computing its own. Skips where LibreOffice is
    not installed, except in CI (CI=true), where .ci/run installs it and its absence fails.
    """
    from tests.outputs.recalculation import without_stored_values

    (folder / "without-values").mkdir(parents=True, exist_ok=True)
    copies = [folder / "without-values" / path.name for path in paths]
    for path, copy in zip(paths, copies, strict=True):
        without_stored_values(path, copy)
    return convert(copies, folder, "xlsx:Calc MS Excel 2007 XML")


def convert(paths: list[Path], folder: Path, target: str) -> dict[str, Path]:
    """Each workbook opened in LibreOffice (headless) and saved as ``target`` (xlsx, pdf):
    the copies by the workbook's file name. Many workbooks are shared between two
    LibreOffice processes (each with its own profile), one a core."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    folder.mkdir(parents=True, exist_ok=True)
    halves = [paths[0::2], paths[1::2]] if len(paths) >= 8 else [paths]
    running = [
        subprocess.Popen(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder / f'profile-{index}'}",
                "--headless",
                "--calc",
                "--convert-to",
                target,
                "--outdir",
                str(folder / "recalculated"),
                *map(str, half),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for index, half in enumerate(halves)
    ]
    for process in running:
        _, errors = process.communicate(timeout=900)
        assert process.returncode == 0, f"LibreOffice failed: {errors.decode(errors='replace')}"
    suffix = "." + target.split(":", maxsplit=1)[0]
    copies = {path.name: folder / "recalculated" / path.with_suffix(suffix).name for path in paths}
    missing = [name for name, copy in copies.items() if not copy.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return copies


@pytest.fixture(scope="session")
def every_workbook(tmp_path_factory) -> list[Path]:
    """Every workbook each shipped example's run writes, and those of a comparison, a sweep and monitoring,
    as the command line writes them, in one folder under distinct names."""
    from click.testing import CliRunner

    from apportion.cli import cli

    work = tmp_path_factory.mktemp("workbooks")
    south_east = str(EXAMPLES / "south-east-rocu-2014-15-lead-force.yaml")
    east_midlands = str(EXAMPLES / "east-midlands-2013-14.yaml")
    runs = [["run", str(path), "--out", str(work / path.stem)] for path in sorted(EXAMPLES.glob("*.yaml"))]
    runs += [
        [
            "compare",
            south_east,
            "--host-force",
            "all=Thames Valley",
            "--business-support",
            "all=150000",
            "--out",
            str(work / "compare"),
        ],
        ["sweep", south_east, "--grant", "all=-30%:10%:5%", "--out", str(work / "sweep")],
        ["monitor", east_midlands, "--period", "Q2", "--out", str(work / "monitor")],
        ["compare", east_midlands, "--period", "Q2", "--out", str(work / "monitor-compare")],
    ]
    for args in runs:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    books = []
    for index, book in enumerate(sorted(work.glob("*/*.xlsx"))):
        books.append(book.rename(work / f"{index:03d}-{book.parent.name}-{book.name}"))
    return books


def books_of(result) -> dict:
    """Every workbook a run writes, by file name, as apportion makes it (not yet bytes)."""
    from apportion.model.names import book_name
    from apportion.outputs.files import make_book
    from apportion.outputs.provenance import provenance_of

    provenance = provenance_of(result)
    return {book_name(m): make_book(result, provenance, m) for m in (None, *result.budget.member_names)}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND",
)  # fmt: skip


def chromium(page: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open ``page`` in headless Chromium with a profile of its own under ``folder``, with
    ``args`` (--print-to-pdf=..., --dump-dom). Skips where Chromium is not installed, except
    in CI (CI=true), where .ci/run installs it and its absence fails."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    profile = folder / f"profile-{len(list(folder.glob('profile-*')))}"
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    return done


@pytest.fixture(scope="session")
def panel_reports(tmp_path_factory) -> dict[str, Path]:
    """The output folders of the panel reports the tests read (tests/outputs/report_cases.py), by case."""
    from tests.outputs.report_cases import make_reports

    return make_reports(tmp_path_factory.mktemp("reports"))


# The files that open LibreOffice, Gnumeric or Chromium on many documents, run first: with
# the suite shared between cores (pytest -n auto), the longest files start at once rather
# than leaving one core working alone at the end.
LONGEST_FIRST = ("test_recalculation.py", "test_printed_pages.py", "test_verify.py", "test_report_printed.py", "test_sweep.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):  # only a worker of `pytest -n`; a run on one core (or a mutant's) keeps its order
        return

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
