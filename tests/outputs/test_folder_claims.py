"""The manifest is a claim, not a fact: --force replaces or removes only regular files directly
in the folder whose names apportion's own writer gives, listed and unchanged; anything else
in the folder, and any manifest apportion could not have written, refuses the run, naming it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.cli import cli
from tests.conftest import EXAMPLES

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"
UNITS = EXAMPLES / "east-midlands-2013-14-units.yaml"


def cli_run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


@pytest.fixture
def out(tmp_path):
    out = tmp_path / "out"
    assert cli_run("run", SMALL, "--out", out).exit_code == 0
    return out


def claim(out: Path, path: object, data: bytes | None = None) -> None:
    """Edit datapackage.json to list ``path`` too, with the SHA-256 of ``data`` if given."""
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    digest = hashlib.sha256(data if data is not None else b"").hexdigest()
    package["resources"].append({"name": "claimed", "path": path, "hash": f"sha256:{digest}"})
    manifest.write_text(json.dumps(package, indent=2))


def test_a_file_listed_with_its_true_hash_in_a_forged_manifest_is_never_removed(out):
    # the reproduction: the user's notes listed in an edited datapackage.json, with their
    # correct SHA-256, were deleted by run --force (exit 0)
    notes = b"the chief finance officer's notes on the settlement"
    (out / "notes.txt").write_bytes(notes)
    claim(out, "notes.txt", notes)
    before = contents(out)
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {out} holds notes.txt, which this run does not write; apportion replaces or removes only the files "
        "of its own kind of output, so choose another --out, or move them away\n",
    )
    assert contents(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder left


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("", "''"),
        (".", "'.'"),
        ("..", "'..'"),
        ("../beside.txt", "'../beside.txt'"),
        ("/etc/passwd", "'/etc/passwd'"),
        ("sub\\summary.xlsx", "'sub\\\\summary.xlsx'"),
        ("summ\x00ary.xlsx", "'summ\\x00ary.xlsx'"),
        (".apportion-staging-x", "'.apportion-staging-x'"),
        ("datapackage.json", "'datapackage.json'"),
        (None, "None"),
        (["summary.xlsx"], "['summary.xlsx']"),
    ],
)
def test_a_manifest_listing_a_path_apportion_never_writes_is_refused_and_nothing_changes(out, path, said):
    # the reproduction: a path of "" half-replaced the outputs and left the folder refused afterwards
    (out.parent / "beside.txt").write_bytes(b"")  # the SHA-256 claimed is that of an empty file
    claim(out, path)
    before = contents(out)
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {out}: its datapackage.json lists {said}, which is not the name of a file apportion writes, so "
        "apportion cannot tell which files it wrote; choose another --out, or move those files away\n",
    )
    assert contents(out) == before
    assert (out.parent / "beside.txt").exists()


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        ("[" * 200_000 + "]" * 200_000, "nests more than 32 levels deep, as no file apportion writes does"),
        ('{"resources": ' + "[" * 40 + "]" * 40 + "}", "nests more than 32 levels deep, as no file apportion writes does"),
        ("\xff", "is not UTF-8 text (byte 0)"),
        ("{", "is not JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        ("[]", "is not a JSON object"),
        ("{}", "lists no resources"),
        ('{"resources": [{"path": "summary.xlsx"}]}', "gives 'summary.xlsx' no SHA-256"),
        ('{"resources": [{"path": "a.csv", "hash": "sha256:' + "0" * 64 + '"}, {"path": "a.csv", "hash": "sha256:' + "0" * 64 + '"}]}',
         "lists 'a.csv' twice"),
    ],
)  # fmt: skip
def test_a_manifest_apportion_could_not_have_written_is_refused_without_a_traceback(out, manifest, reason):
    (out / "datapackage.json").write_bytes(manifest.encode("utf-8", "surrogateescape") if manifest != "\xff" else b"\xff")
    before = contents(out)
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {out}: its datapackage.json {reason}, so apportion cannot tell which files it wrote; "
        "choose another --out, or move those files away\n",
    )
    assert contents(out) == before


def test_a_manifest_larger_than_any_apportion_writes_is_not_read(out):
    (out / "datapackage.json").write_bytes(b" " * (4 << 20) + b"{}")
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out}: its datapackage.json is 4,194,306 bytes, more than apportion reads here (4,194,304), "
        "so apportion cannot tell which files it wrote; choose another --out, or move those files away\n"
    )


def test_a_link_is_never_replaced_even_when_the_manifest_lists_its_target_s_hash(out, tmp_path):
    elsewhere = tmp_path / "elsewhere.xlsx"
    kept = (out / "summary.xlsx").read_bytes()
    elsewhere.write_bytes(kept)  # the hash the manifest lists
    (out / "summary.xlsx").unlink()
    (out / "summary.xlsx").symlink_to(elsewhere)
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out} holds summary.xlsx (a symbolic link); apportion writes only files and never replaces anything "
        "else, so choose another --out, or move it away\n"
    )
    assert (out / "summary.xlsx").is_symlink() and (out / "summary.xlsx").resolve() == elsewhere
    assert elsewhere.read_bytes() == kept


def test_a_folder_or_a_pipe_under_a_listed_name_is_refused(out):
    import os

    (out / "year-end.csv").unlink()
    (out / "year-end.csv").mkdir()
    (out / "year-end.csv" / "mine.txt").write_text("kept")
    (out / "instalments.csv").unlink()
    os.mkfifo(out / "instalments.csv")
    result = cli_run("run", SMALL, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out} holds instalments.csv (a device, pipe or socket), year-end.csv (a folder); apportion writes "
        "only files and never replaces anything else, so choose another --out, or move it away\n"
    )
    assert (out / "year-end.csv" / "mine.txt").read_text() == "kept"


def test_the_workbook_of_a_member_this_run_does_not_write_is_not_removed(tmp_path, write_yaml):
    # an earlier run's workbook is apportion's, listed and unchanged, but this run does not
    # write it: it is left, and the run refused naming it
    out = tmp_path / "out"
    budget = write_yaml("""
        collaboration: C
        year: 2024/25
        members: [Kent, Essex, Surrey]
        units: [{code: U, basis: equal, non_pay: {x: 300}}]
    """)
    assert cli_run("run", budget, "--out", out).exit_code == 0
    budget.write_text(budget.read_text().replace(", Surrey]", "]"))
    before = contents(out)
    result = cli_run("run", budget, "--out", out, "--force")
    assert result.stderr == (
        f"Error: {out} holds surrey.xlsx, which this run does not write; apportion replaces or removes only the files "
        "of its own kind of output, so choose another --out, or move them away\n"
    )
    assert contents(out) == before


def test_a_run_s_own_file_it_does_not_write_this_time_is_removed_but_not_another_kind_s(out):
    assert cli_run("run", SMALL, "--out", out, "--force", "--journal").exit_code == 0
    assert (out / "journal.beancount").is_file()
    assert cli_run("run", SMALL, "--out", out, "--force").exit_code == 0
    assert not (out / "journal.beancount").exists()  # a run's own kind of file, listed, unchanged
    compared = cli_run("compare", SMALL, "--without", "Lincolnshire", "--out", out, "--force")
    assert compared.exit_code == 1
    assert compared.stderr.startswith(f"Error: {out} holds accounts.csv, contributions.csv, derbyshire.xlsx, ")
    assert compared.stderr.endswith(", which this run does not write; apportion replaces or removes only the files "
                                    "of its own kind of output, so choose another --out, or move them away\n")  # fmt: skip
