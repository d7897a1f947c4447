"""The ledger/ folder, the one folder apportion makes inside an output folder: made for the
members' ledgers, replaced and removed only as apportion's own (where the earlier run's
datapackage.json lists ledgers in it), never a link, never a file it did not write."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"
MEMBERS = ["derbyshire.csv", "leicestershire.csv", "lincolnshire.csv", "northamptonshire.csv", "nottinghamshire.csv"]


def cli_run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def files_in(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def out(tmp_path):
    """A folder of a run's outputs with the members' ledgers."""
    folder = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", folder, "--ledger", "plain").exit_code == 0
    return folder


def refused(out, names):
    return (
        f"Error: {out} holds files apportion did not write: {names}; it replaces only its own outputs, so choose "
        "another --out, or move those files away\n"
    )


def not_a_file(out, what):
    return (
        f"Error: {out} holds {what}; apportion writes only files and never replaces anything else, so choose another "
        "--out, or move it away\n"
    )


def test_the_ledgers_are_listed_replaced_and_removed_with_their_folder(out):
    assert sorted(p.name for p in (out / "ledger").iterdir()) == MEMBERS
    listed = [r["path"] for r in json.loads((out / "datapackage.json").read_text())["resources"]]
    assert sorted(name for name in listed if name.startswith("ledger/")) == [f"ledger/{name}" for name in MEMBERS]
    assert cli_run("run", SMALL, "--out", out, "--force", "--ledger", "dynamics-365").exit_code == 0
    assert (out / "ledger" / "derbyshire.csv").read_text().startswith('"JOURNALBATCHNUMBER"')
    before = files_in(out)
    assert cli_run("run", SMALL, "--out", out, "--force").exit_code == 0  # no ledgers this time
    assert files_in(out) == [name for name in before if not name.startswith("ledger")]


def test_a_file_of_yours_in_the_ledger_folder_is_never_removed(out):
    (out / "ledger" / "notes.txt").write_text("mine")
    for extra in ([], ["--ledger", "plain"]):
        result = cli_run("run", SMALL, "--out", out, "--force", *extra)
        assert (result.exit_code, result.stderr) == (1, refused(out, "ledger/notes.txt"))
    assert (out / "ledger" / "notes.txt").read_text() == "mine"


def test_a_ledger_folder_apportion_did_not_make_is_refused(tmp_path):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    (out / "ledger").mkdir()
    result = cli_run("run", SMALL, "--out", out, "--force", "--ledger", "plain")
    assert (result.exit_code, result.stderr) == (1, not_a_file(out, "ledger (a folder)"))
    assert list((out / "ledger").iterdir()) == []


def test_a_ledger_folder_that_is_a_link_is_refused_and_where_it_points_left_alone(out, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "ledger", elsewhere)  # the same files, unchanged, but in a folder of someone else's
    (out / "ledger").symlink_to(elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    for extra in ([], ["--ledger", "plain"]):
        result = cli_run("run", SMALL, "--out", out, "--force", *extra)
        assert (result.exit_code, result.stderr) == (1, not_a_file(out, "ledger (a symbolic link)"))
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before
    assert (out / "ledger").is_symlink()


def test_a_ledger_that_is_a_link_is_refused(out, tmp_path):
    outside = tmp_path / "derbyshire.csv"
    shutil.move(out / "ledger" / "derbyshire.csv", outside)
    (out / "ledger" / "derbyshire.csv").symlink_to(outside)  # the bytes apportion wrote, through a link
    result = cli_run("run", SMALL, "--out", out, "--force", "--ledger", "plain")
    assert (result.exit_code, result.stderr) == (1, not_a_file(out, "ledger/derbyshire.csv (a symbolic link)"))
    assert outside.read_text().startswith('"member"')


def test_a_ledger_changed_after_apportion_wrote_it_is_never_overwritten(out):
    (out / "ledger" / "derbyshire.csv").write_text("posted, with my notes")
    result = cli_run("run", SMALL, "--out", out, "--force", "--ledger", "plain")
    assert result.stderr == (
        f"Error: {out}: ledger/derbyshire.csv changed after apportion wrote them; it will not overwrite them, "
        "so choose another --out, or move them away\n"
    )
    assert (out / "ledger" / "derbyshire.csv").read_text() == "posted, with my notes"


@pytest.mark.parametrize("path", ["../victim.txt", "ledger/../../victim.txt", "ledger/sub/x.csv", "ledger", "other/x.csv"])
def test_a_datapackage_naming_a_file_anywhere_else_is_not_believed(out, tmp_path, path):
    victim = tmp_path / "victim.txt"
    victim.write_text("not apportion's")
    package = json.loads((out / "datapackage.json").read_text())
    package["resources"].append({"path": path, "hash": "sha256:0"})
    (out / "datapackage.json").write_text(json.dumps(package))
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.exit_code == 1
    assert f"its datapackage.json lists {path!r}, which is not the name of a file apportion writes" in result.stderr
    assert victim.read_text() == "not apportion's" and (out / "ledger" / "derbyshire.csv").exists()
