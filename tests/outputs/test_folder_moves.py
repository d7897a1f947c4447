"""A power cut while files move into place: whatever the moment a run is killed (SIGKILL,
which nothing can catch), the folder afterwards holds either the whole earlier run or the
whole new one, and the next run says which."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES, ROOT

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"
NEW = ("--scenario", "lincolnshire-leaves")  # the new run: other figures under the same names

# Runs apportion with every os.replace counted, and kills itself with SIGKILL just before
# replace number KILL_AT (or, past the last, just before the staging folder is removed).
KILLER = """
import os, shutil, signal, sys
kill_at = int(sys.argv[1])
replaces = 0
real_replace, real_rmtree = os.replace, shutil.rmtree

def replace(*args, **kwargs):
    global replaces
    if replaces == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    replaces += 1
    return real_replace(*args, **kwargs)

def rmtree(*args, **kwargs):
    if replaces == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_rmtree(*args, **kwargs)

os.replace, shutil.rmtree = replace, rmtree
from apportion.cli import main
sys.argv = ["apportion", *sys.argv[2:]]
main()
"""


def cli_run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def killed_at(kill_at: int, *args) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLER, str(kill_at), *map(str, args)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The earlier run's files and the new run's, each written whole."""
    root = tmp_path_factory.mktemp("runs")
    assert cli_run("run", SMALL, "--out", root / "old").exit_code == 0
    assert cli_run("run", SMALL, *NEW, "--out", root / "new").exit_code == 0
    old, new = contents(root / "old"), contents(root / "new")
    # every file tells them apart, but the accounts note, held in the funding-formula shares in both
    assert old.keys() == new.keys() and all(old[name] != new[name] for name in old if name != "accounts.csv")
    return old, new


MOVES = 11  # the files of the run: contributions, instalments, year-end and accounts CSVs, six workbooks, datapackage.json
# os.replace 0 makes the staging folder's journal say "writing", 1 "moving", 2 to 12 move the
# files into place, and 13 is past the last (the staging folder about to be removed).
KILL_POINTS = range(MOVES + 3)


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_a_run_killed_at_any_rename_leaves_the_whole_old_run_or_the_whole_new_one(tmp_path, runs, kill_at):
    old, new = runs
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    process = killed_at(kill_at, "run", SMALL, *NEW, "--out", out, "--force")
    assert process.returncode == -signal.SIGKILL, process.stderr
    left = [p.name for p in out.iterdir() if p.name.startswith(".apportion-staging-")]
    assert len(left) == 1
    moved = min(max(kill_at - 2, 0), MOVES)  # files moved into place before the kill
    if 0 < moved < MOVES:
        assert contents(out) not in (old, new)  # a mix, until the next run

    verified = cli_run("verify", SMALL, out)  # what was left is not the last run's outputs, whole
    assert verified.exit_code == 1 and verified.output.splitlines()[-1].startswith("not reproduced: ")

    after = cli_run("run", SMALL, "--out", out)  # the next run, asked not to replace anything
    if kill_at < 2:  # stopped before the moves were journalled: the earlier run stands
        note = (
            f"note: {out}: a run stopped before it moved its files into place left {left[0]}; apportion removed it, "
            "so the folder is as that run found it"
        )
        assert contents(out) == old
    else:  # the moves were journalled: they are finished
        note = (
            f"note: {out}: a run stopped while it moved its files into place; apportion finished moving them, "
            "so the folder holds that run's outputs, whole"
        )
        assert contents(out) == new
    assert after.output.splitlines()[0] == note
    assert after.stderr == (
        f"Error: {out} holds the outputs of an earlier run; add --force to replace them, or choose another --out\n"
    )
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert cli_run("verify", SMALL, out, *(NEW if kill_at >= 2 else ())).output.endswith("reproduced\n")


def test_a_recovery_killed_midway_is_finished_by_the_next_run(tmp_path, runs):
    _, new = runs
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    assert killed_at(6, "run", SMALL, *NEW, "--out", out, "--force").returncode == -signal.SIGKILL  # 4 files moved
    assert killed_at(2, "run", SMALL, "--out", out, "--force").returncode == -signal.SIGKILL  # 2 more, then killed again
    after = cli_run("run", SMALL, *NEW, "--out", out)
    assert "apportion finished moving them" in after.output
    assert contents(out) == new


def test_a_file_put_in_place_of_one_still_to_move_is_never_overwritten(tmp_path, runs):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    assert killed_at(4, "run", SMALL, *NEW, "--out", out, "--force").returncode == -signal.SIGKILL
    # the user, seeing a mix, copies their own summary over the one not yet moved
    (out / "summary.xlsx").write_bytes(b"my own summary")
    after = cli_run("run", SMALL, "--out", out, "--force")
    assert after.stderr == (
        f"Error: {out}: summary.xlsx changed while a run moved its files into place; apportion will not overwrite it, "
        "so move it away and run again\n"
    )
    assert (out / "summary.xlsx").read_bytes() == b"my own summary"


def test_a_staging_folder_apportion_did_not_leave_is_not_removed(tmp_path):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    planted = out / ".apportion-staging-planted"
    planted.mkdir()
    (planted / "summary.xlsx").write_bytes(b"other figures")
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out} holds .apportion-staging-planted, which apportion did not leave (it has no journal); move it away\n"
    )
    assert (planted / "summary.xlsx").read_bytes() == b"other figures"


def test_a_run_killed_while_it_moves_the_members_ledgers_is_finished_by_the_next(tmp_path):
    new, out = tmp_path / "new", tmp_path / "out"
    assert cli_run("run", SMALL, *NEW, "--out", new, "--ledger", "plain").exit_code == 0
    assert cli_run("run", SMALL, "--out", out, "--ledger", "plain").exit_code == 0
    # the 11 files above, then the five members' ledgers, then datapackage.json: killed after two ledgers
    assert killed_at(2 + 10 + 2, "run", SMALL, *NEW, "--out", out, "--force", "--ledger", "plain").returncode == -signal.SIGKILL
    ledgers = contents(out / "ledger")
    assert ledgers != contents(new / "ledger") and ledgers.keys() == contents(new / "ledger").keys()  # a mix
    after = cli_run("run", SMALL, "--out", out)
    assert "apportion finished moving them" in after.output
    assert contents(out) == contents(new) and contents(out / "ledger") == contents(new / "ledger")
    assert cli_run("verify", SMALL, out, *NEW).output.endswith("reproduced\n")


def test_a_library_caller_is_told_how_a_stopped_run_was_made_whole(tmp_path):
    # The command line prints a note when it finishes what a stopped run left; a program
    # calling write_outputs gets the same words as a warning, not silence.
    from apportion.input.budget_file import load_budget
    from apportion.outputs.files import write_outputs
    from apportion.outputs.folder import FolderMadeWhole
    from apportion.rules.calculate import apportion

    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    process = killed_at(5, "run", SMALL, *NEW, "--out", out, "--force")  # killed while moving its files
    assert process.returncode == -signal.SIGKILL, process.stderr
    with pytest.warns(FolderMadeWhole, match="a run stopped while it moved its files into place; apportion finished"):
        write_outputs(apportion(load_budget(SMALL)), out, force=True)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    assert cli_run("verify", SMALL, out).output.endswith("reproduced\n")
