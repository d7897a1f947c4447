"""Outputs are all or nothing, never overwrite unasked, and file names stay in the folder."""

from __future__ import annotations

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import InputError, OutputError
from apportion.model.names import file_stem
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Thames Valley", "thames-valley"),
        ("../x", "x"),
        ("a/b", "a-b"),
        ("..\\..\\windows", "windows"),
        ("CON", "con-member"),
        ("lpt1", "lpt1-member"),
        ("Ynys Môn", "ynys-mon"),
        ("...", "member"),
    ],
)
def test_file_stems_cannot_escape_the_folder_or_be_reserved(name, stem):
    assert file_stem(name) == stem


def test_names_differing_only_in_case_or_punctuation_are_refused(write_yaml):
    path = write_yaml("""
        collaboration: C
        year: 2024/25
        members: [Thames Valley, thames-valley]
        units: [{code: U, basis: equal, non_pay: {x: 1}}]
    """)
    with pytest.raises(InputError) as caught:
        load_budget(path)
    assert [p.text for p in caught.value.problems] == [
        "member 'thames-valley' would write thames-valley.xlsx, the same file as member 'Thames Valley'; rename it"
    ]


def test_a_failure_midway_leaves_no_partial_output_and_the_earlier_run_intact(tmp_path, monkeypatch):
    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml"))
    out = tmp_path / "out"
    write_outputs(result, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    import apportion.outputs.files as write_module

    calls = {"n": 0}
    real_save = write_module.save_workbook

    def failing_save(book, path):
        calls["n"] += 1
        if calls["n"] == 3:  # the summary and one member written, then the disk fills
            raise OSError(28, "No space left on device")
        return real_save(book, path)

    monkeypatch.setattr(write_module, "save_workbook", failing_save)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(result, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left behind


def test_an_output_path_that_is_a_file_is_refused(tmp_path):
    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml"))
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="is not a folder"):
        write_outputs(result, tmp_path / "out", force=True)


def test_workbooks_written_in_parallel_are_the_same_bytes_as_written_one_by_one(tmp_path, monkeypatch):
    import apportion.outputs.files as write_module

    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml"))
    write_outputs(result, tmp_path / "serial")
    monkeypatch.setattr(write_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(write_module.os, "cpu_count", lambda: 2)
    seen = []
    write_outputs(result, tmp_path / "parallel", progress=lambda done, total: seen.append((done, total)))
    serial = {p.name: p.read_bytes() for p in (tmp_path / "serial").iterdir()}
    parallel = {p.name: p.read_bytes() for p in (tmp_path / "parallel").iterdir()}
    assert serial.keys() == parallel.keys()
    assert all(serial[name] == parallel[name] for name in serial)
    assert seen == [(n, 6) for n in range(1, 7)]  # the summary and five members


def test_a_failure_in_a_parallel_writer_leaves_no_partial_output(tmp_path, monkeypatch):
    import apportion.outputs.files as write_module

    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml"))
    monkeypatch.setattr(write_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(write_module.os, "cpu_count", lambda: 2)

    real_save = write_module.save_workbook

    def failing_save(book, path):
        if path.name == "lincolnshire.xlsx":
            raise OSError(28, "No space left on device")
        return real_save(book, path)

    monkeypatch.setattr(write_module, "save_workbook", failing_save)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(result, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# --- the folder: never a file lost --------------------------------------------------------

import json  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from unittest import mock  # noqa: E402

from click.testing import CliRunner  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from apportion.cli import cli  # noqa: E402
from tests.conftest import ROOT  # noqa: E402

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"


def cli_run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_folder_no_one_means_is_refused_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    cases = {
        "/": "Error: / is the top of the file system; give the outputs a folder of their own, such as /outputs\n",
        str(tmp_path): f"Error: {tmp_path} is a folder above the current one; give the outputs a folder of their own, "
        f"such as {tmp_path / 'outputs'}\n",
        "..": "Error: .. is a folder above the current one; give the outputs a folder of their own, such as ../outputs\n",
    }
    for out, message in cases.items():
        result = cli_run("run", SMALL, "--out", out, "--force")
        assert (result.exit_code, result.stderr) == (1, message)
    (work / "notes.txt").write_text("mine")
    dot = cli_run("run", SMALL, "--out", ".", "--force")
    assert dot.exit_code == 1
    assert dot.stderr == (
        "Error: . holds notes.txt but no datapackage.json, so apportion cannot tell which files it wrote; "
        "choose another --out, or move those files away\n"
    )
    assert sorted(p.name for p in work.iterdir()) == ["notes.txt"]


def test_the_home_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli_run("run", SMALL, "--out", tmp_path / "home", "--force")
    assert result.stderr.startswith(f"Error: {tmp_path / 'home'} is your home folder;")


def test_a_folder_holding_an_input_of_the_run_is_refused(tmp_path):
    budget = tmp_path / "budgets" / "2013-14.yaml"
    budget.parent.mkdir()
    budget.write_text(SMALL.read_text().replace("../configs/", f"{ROOT}/configs/"))
    for extra in ([], ["--force"]):
        result = cli_run("run", budget, "--out", budget.parent, *extra)
        assert result.stderr == (
            f"Error: {budget.parent} holds 2013-14.yaml, an input of this run; give the outputs a folder of their own\n"
        )
    assert [p.name for p in budget.parent.iterdir()] == ["2013-14.yaml"]


def test_an_output_changed_after_apportion_wrote_it_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    (out / "summary.xlsx").write_bytes(b"my annotated copy")
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out}: summary.xlsx changed after apportion wrote them; it will not overwrite them, "
        "so choose another --out, or move them away\n"
    )
    assert (out / "summary.xlsx").read_bytes() == b"my annotated copy"


def test_a_folder_given_as_a_link_is_written_where_it_points_and_the_link_kept(tmp_path):
    real = tmp_path / "shared-drive" / "outputs"
    real.mkdir(parents=True)
    link = tmp_path / "out"
    link.symlink_to(real)
    assert cli_run("run", SMALL, "--out", link).exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert (real / "summary.xlsx").is_file()
    assert cli_run("run", SMALL, "--out", link, "--force").exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "shared-drive"]  # nothing renamed beside it


def test_a_dangling_link_is_refused(tmp_path):
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    result = cli_run("run", SMALL, "--out", tmp_path / "out")
    assert (
        result.stderr
        == f"Error: {tmp_path / 'out'} is a link to {tmp_path / 'nowhere'}, which does not exist; choose another --out\n"
    )


def run_process(*args, umask=-1):
    return subprocess.Popen(
        [sys.executable, "-m", "apportion.cli", *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, umask=umask,
    )  # fmt: skip


@pytest.mark.parametrize(("umask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_a_new_folder_and_its_files_take_the_users_umask(tmp_path, umask, folder_mode, file_mode):
    process = run_process("run", SMALL, "--out", tmp_path / "out", umask=umask)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == folder_mode
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()} == {file_mode}


def test_an_existing_folder_keeps_its_mode(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o775)
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    assert cli_run("run", SMALL, "--out", out, "--force").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o775


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """A budget large enough that its workbooks are written by several processes for seconds."""
    path = tmp_path_factory.mktemp("national") / "national.yaml"
    subprocess.run([sys.executable, ROOT / "benchmarks" / "generate.py", "--members", "43", "--units", "400", "--out", path],
                   check=True, capture_output=True)  # fmt: skip
    return path


def wait_for_staging(out: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not out.is_dir() or not any(p.name.startswith(".apportion-staging-") and any(p.iterdir()) for p in out.iterdir()):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "the run never began writing"
        time.sleep(0.05)
    time.sleep(0.3)  # mid-write: workers busy


def processes_writing_into(out: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(out) in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_mid_run_stops_the_workers_removes_the_staging_and_keeps_the_earlier_outputs(tmp_path, national, signum):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    process = run_process("run", national, "--out", out, "--force")
    wait_for_staging(out, process)
    process.send_signal(signum)
    assert process.wait(timeout=60) == 128 + signum
    name = signal.Signals(signum).name
    assert process.stderr.read() == f"apportion: stopped by {name}; no output folder was left half-written\n"
    time.sleep(0.5)
    assert processes_writing_into(out) == []  # no worker left running
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging folder, nothing changed


def test_a_second_run_into_a_folder_being_written_is_refused_and_the_first_finishes(tmp_path, monkeypatch):
    # The first run is held at a known point, mid-write (its first workbook written, the
    # folder locked), while the second is tried; then let go. No race with the machine's speed.
    import threading

    import apportion.outputs.files as write_module

    out = tmp_path / "out"
    writing, go_on = threading.Event(), threading.Event()
    real_save = write_module.save_workbook

    def held(book, path):
        record = real_save(book, path)
        if not writing.is_set():
            writing.set()
            go_on.wait(timeout=600)
        return record

    monkeypatch.setattr(write_module, "save_workbook", held)
    finished = []
    first = threading.Thread(target=lambda: finished.append(write_outputs(apportion(load_budget(SMALL)), out)))
    first.start()
    try:
        assert writing.wait(timeout=600), "the first run never began writing"
        second = cli_run("run", SMALL, "--out", out, "--force")
        assert second.stderr == f"Error: another apportion run is writing into {out}; try again when it has finished\n"
    finally:
        go_on.set()
        first.join(timeout=600)
    assert finished, "the first run did not finish"
    package = json.loads((out / "datapackage.json").read_text())
    assert package["apportion"]["collaboration"] == "East Midlands regional police collaboration"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".apportion-staging-")) == []


# --- a property: whatever runs are made, no file apportion did not write is lost ---------

ACTIONS = ("run", "force", "bad", "interrupted", "user file", "user edit")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=6), nested=st.booleans())
def test_no_sequence_of_runs_removes_or_changes_a_file_apportion_did_not_write(tmp_path_factory, actions, nested):
    root = tmp_path_factory.mktemp("property")
    (root / "beside.txt").write_text("a file beside the folder")
    out = root / "a" / "out" if nested else root / "out"
    bad = root / "bad.yaml"
    bad.write_text("collaboration: broken\n")
    theirs = {root / "beside.txt": (root / "beside.txt").read_bytes()}
    result = apportion(load_budget(SMALL))
    for step, action in enumerate(actions):
        if action in ("run", "force"):
            with contextlib_suppress(OutputError):
                write_outputs(result, out, force=action == "force")
        elif action == "bad":
            with contextlib_suppress(InputError, OutputError):
                write_outputs(apportion(load_budget(bad)), out, force=True)
        elif action == "interrupted":
            with (
                mock.patch("apportion.outputs.files.save_workbook", side_effect=KeyboardInterrupt),
                contextlib_suppress(KeyboardInterrupt, OutputError),
            ):
                write_outputs(result, out, force=True)
        elif action == "user file" and out.is_dir():
            path = out / f"notes-{step}.txt"
            path.write_text(f"note {step}")
            theirs[path] = path.read_bytes()
        elif action == "user edit" and (out / "summary.xlsx").is_file():
            (out / "summary.xlsx").write_bytes(b"edited by hand")
            theirs[out / "summary.xlsx"] = b"edited by hand"
        for path, data in theirs.items():
            assert path.read_bytes() == data, (actions, step, path)
        assert not [p for p in out.parent.rglob(".apportion-staging-*")], "a staging folder was left"


def contextlib_suppress(*errors):
    import contextlib

    return contextlib.suppress(*errors)
