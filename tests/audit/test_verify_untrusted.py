"""verify trusts nothing it reads: only regular files directly in the folder, each measured
before it is parsed; a diff at most a little more than linear, printing a bounded number of
lines; a staging folder left means not reproduced; a changed cell named with its stored
value before and after, and a moved row as moved. Each reproduction of the probes that
found the defects, with the exact message."""

from __future__ import annotations

import difflib
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from apportion.audit.differences import explain
from apportion.cli import cli
from tests.conftest import EXAMPLES, ROOT

SMALL = EXAMPLES / "east-midlands-2013-14.yaml"


def verified(*args):
    result = CliRunner().invoke(cli, ["verify", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def out(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(SMALL), "--out", str(out), "--journal"])
    assert result.exit_code == 0, result.output
    return out


def most(size: int) -> int:
    """What verify reads of a file apportion writes ``size`` bytes of: twice that, and a megabyte."""
    return 2 * size + (1 << 20)


def test_a_link_to_the_environment_is_named_and_never_followed(out):
    # the reproduction: year-end.csv a link to /proc/self/environ printed the verifier's environment
    (out / "year-end.csv").unlink()
    (out / "year-end.csv").symlink_to("/proc/self/environ")
    environment = {**os.environ, "PLANTED_SECRET": "the-planted-secret-4f1c"}
    process = subprocess.run(
        [sys.executable, "-m", "apportion.cli", "verify", str(SMALL), str(out)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "the-planted-secret-4f1c" not in process.stdout + process.stderr
    assert process.returncode == 1
    assert process.stdout.splitlines()[-2:] == [
        "year-end.csv: a symbolic link, where apportion writes a file; it was not followed or read",
        "not reproduced: 1 file differs (year-end.csv)",
    ]


def test_a_pipe_or_a_folder_under_an_output_s_name_is_named_and_not_waited_on(out):
    (out / "contributions.csv").unlink()
    os.mkfifo(out / "contributions.csv")  # opening it to read would wait for a writer for ever
    (out / "instalments.csv").unlink()
    (out / "instalments.csv").mkdir()
    code, lines = verified(SMALL, out)
    assert code == 1
    assert lines[-3:] == [
        "contributions.csv: a device, pipe or socket, where apportion writes a file; it was not followed or read",
        "instalments.csv: a folder, where apportion writes a file; it was not followed or read",
        "not reproduced: 2 files differ (contributions.csv, instalments.csv)",
    ]


@pytest.mark.parametrize(
    ("recorded", "why"),
    [
        ("/dev/zero", "is not named relative to the budget file, as apportion records its inputs"),
        ("../" * 30 + "dev/zero", "is not a regular file"),
        ("../" * 30 + "proc/self/environ", "reads differently from its size, as no file apportion reads does"),
        ("C:\\Windows\\win.ini", "is not named relative to the budget file, as apportion records its inputs"),
        ("a\x00b.yaml", "is not the name of a file"),
        ("../configs/nowhere.yaml", "cannot be read: No such file or directory"),
    ],
)
def test_a_recorded_input_is_read_only_as_a_regular_file_under_the_readers_limits(out, recorded, why):
    # the reproduction: a recorded input of /dev/zero was read until memory ran out
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    package["apportion"]["asked"]["shares"] = recorded
    manifest.write_text(json.dumps(package))
    result = CliRunner().invoke(cli, ["verify", str(SMALL), str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{manifest}: apportion.asked.shares: {shown(repr(recorded))} {why}; give the file on the command line instead",
        "1 problem found; nothing was written.",
    ]


def shown(text: str) -> str:
    return text.replace("\\x00", "\\x00")


def with_part(path: Path, part: str, edit) -> None:
    """Rewrite one part of a workbook in place: ``edit`` takes its bytes and returns the new ones."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = edit(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_cell_at_the_last_row_and_column_costs_what_any_cell_does(out):
    # the reproduction: one cell typed at XFD1048576 of a 21 KB summary.xlsx made verify grow past 4 GB
    last_cell = b'<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>'
    with_part(out / "summary.xlsx", "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", last_cell))
    code, lines = verified(SMALL, out)
    assert (code, lines[-2:]) == (
        1,
        ["summary.xlsx: Summary!XFD1048576: expected (nothing), found 7", "not reproduced: 1 file differs (summary.xlsx)"],
    )


def test_merged_areas_spanning_the_sheet_are_measured_before_they_are_read(out):
    # openpyxl makes a cell of each cell a merged area spans: 17 billion for the whole sheet
    merged = b'<mergeCells count="1"><mergeCell ref="A7:XFD1048576"/></mergeCells>'
    with_part(
        out / "summary.xlsx", "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + merged)
    )
    code, lines = verified(SMALL, out)
    assert code == 1
    assert lines[-2] == (  # 1,048,570 rows x 16,384 columns; apportion's own sheet merges none
        "summary.xlsx: xl/worksheets/sheet1.xml: its merged areas and links span 17,179,770,880 cells, more than apportion "
        "reads (10,000); the workbook was not read further"
    )


def deflated(name: bytes, size: int, block: bytes) -> tuple[bytes, bytes]:
    """A zip entry of ``size`` bytes of ``block`` repeated, deflated: its local header with
    its data, and its central directory record (offset 0)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)  # every chunk alike: made once
    data = chunk * (size // len(block)) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0)
    return local, central + name


def huge_part(path: Path, size: int) -> int:
    """Replace the workbook at ``path`` by one whose first sheet is ``size`` bytes of NULs,
    deflated; the size of the sheet apportion wrote."""
    with zipfile.ZipFile(path) as archive:
        sheet_size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    local, central = deflated(b"xl/worksheets/sheet1.xml", size, b"\0" * (64 << 20))
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    path.write_bytes(local + central + end)
    return sheet_size


def test_a_2_mb_workbook_holding_a_2_gb_part_is_not_read(out):
    # the reproduction: a 2 MB xlsx holding a 2 GB part took 4 GB
    path = out / "summary.xlsx"
    size = path.stat().st_size
    huge_part(path, 2 << 30)
    code, lines = verified(SMALL, out)
    assert (code, lines[-2]) == (
        1,
        f"summary.xlsx: the file is {path.stat().st_size:,} bytes, more than apportion reads here ({most(size):,}); "
        "it is not what apportion writes",
    )


def test_a_workbook_small_enough_to_read_is_not_inflated_past_what_its_directory_says(out):
    # a 1 MB file, within what verify reads of summary.xlsx, holding a 1 GB part
    path = out / "summary.xlsx"
    sheet_size = huge_part(path, 1 << 30)
    assert path.stat().st_size < most(0)
    code, lines = verified(SMALL, out)
    assert (code, lines[-2]) == (
        1,
        f"summary.xlsx: xl/worksheets/sheet1.xml: the part is 1,073,741,824 bytes uncompressed, more than apportion "
        f"reads of it ({most(sheet_size):,}); the workbook was not read further",
    )


def test_a_file_far_larger_than_apportion_writes_is_not_read(out):
    # the reproduction: a 32 MB CSV of NULs printed a 127 MB line
    size = (out / "contributions.csv").stat().st_size
    (out / "contributions.csv").write_bytes(b"\0" * (32 << 20))
    code, lines = verified(SMALL, out)
    assert (code, lines[-2:]) == (
        1,
        [
            f"contributions.csv: the file is 33,554,432 bytes, more than apportion reads here ({most(size):,}); "
            "it is not what apportion writes",
            "not reproduced: 1 file differs (contributions.csv)",
        ],
    )


def test_a_long_line_is_shown_clipped_with_its_length(out):
    expected_first = (out / "contributions.csv").read_text().splitlines()[0]
    (out / "contributions.csv").write_bytes(b"\0" * 100_000)
    code, lines = verified(SMALL, out)
    # apportion's first line, then the found one: its first 200 characters and how many there are
    first = next(line for line in lines if line.startswith("contributions.csv: line 1: "))
    nuls = "\\x00" * 200
    assert first == f"contributions.csv: line 1: expected {expected_first!r}, found '{nuls}'... (100,000 characters)"
    assert max(len(line) for line in lines) < 2_000


def test_one_blank_line_in_a_long_journal_is_found_without_comparing_every_line_with_every_other(monkeypatch):
    # the reproduction: a 55,200-line journal with one blank line inserted took 16 s to diff
    lines = [f'2014-03-31 * "Contribution" "Member {i // 6}"' if i % 6 == 0 else ("" if i % 6 == 5 else f"  Assets:M{i} 1.00 GBP")
             for i in range(55_200)]  # fmt: skip
    expected = ("\n".join(lines) + "\n").encode()
    found = ("\n".join([*lines[:30_001], "", *lines[30_001:]]) + "\n").encode()
    compared = []

    class Recorded(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            compared.append(len(a) + len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", Recorded)
    messages = [str(m) for m in explain("journal.beancount", expected, found)]
    assert messages == ["journal.beancount: line 30002: added: '' (apportion does not write this line)"]
    assert max(compared, default=0) <= 1_000  # never the whole file against itself


def test_many_differences_are_told_up_to_two_hundred_then_counted():
    expected = "".join(f"line {i}\n" for i in range(1_000)).encode()
    found = "".join(f"line {i}x\n" for i in range(1_000)).encode()
    messages = [str(m) for m in explain("contributions.csv", expected, found)]
    assert len(messages) == 201
    assert messages[0] == "contributions.csv: line 1: expected 'line 0', found 'line 0x'"
    assert messages[-1] == "contributions.csv: ... and 800 more differences in this file"


def test_a_staging_folder_holding_other_figures_is_not_reproduced(out):
    # the reproduction: a hidden .apportion-staging-* folder holding other figures passed as reproduced
    hidden = out / ".apportion-staging-x1y2"
    hidden.mkdir()
    (hidden / "summary.xlsx").write_bytes(b"other figures")
    code, lines = verified(SMALL, out)
    assert (code, lines) == (
        1,
        [
            ".apportion-staging-x1y2: left by a run that was stopped before it finished: the folder may hold part of one "
            "run and part of another (the next run into it makes it whole)",
            "not reproduced: a run was stopped before it finished (.apportion-staging-x1y2)",
        ],
    )


def test_two_swapped_instalment_rows_are_one_row_moved(out):
    # the reproduction: two swapped rows were one line "added" and the same line "missing"
    path = out / "instalments.csv"
    rows = path.read_bytes().split(b"\r\n")
    rows[1], rows[2] = rows[2], rows[1]  # Nottinghamshire's Q1 and Q2
    path.write_bytes(b"\r\n".join(rows))
    code, lines = verified(SMALL, out)
    q2 = rows[1].decode()
    assert q2.startswith('"Nottinghamshire","Q2",')
    assert (code, lines) == (
        1,
        [
            f"instalments.csv: line 2: moved: {q2!r} (apportion writes it at line 3)",
            "not reproduced: 1 file differs (instalments.csv)",
        ],
    )


def test_a_changed_stored_value_is_named_with_its_value_before_and_after(out):
    # the reproduction: a changed stored value was only "this part of the workbook differs";
    # C5 is Nottinghamshire's net cash payable (£5,714,244.63, test_cli), a formula over the Lines sheet
    import re

    def edit(xml: bytes) -> bytes:
        cell = re.search(rb'<c r="C5" s="\d+"><f>[^<]*Lines![^<]*</f><v>5714244.63</v></c>', xml)
        assert cell
        return xml.replace(cell[0], cell[0].replace(b"<v>5714244.63</v>", b"<v>5714244.64</v>"))

    with_part(out / "summary.xlsx", "xl/worksheets/sheet1.xml", edit)
    code, lines = verified(SMALL, out)
    assert (code, lines) == (
        1,
        [
            "summary.xlsx: Summary!C5: member Nottinghamshire, item Net cash payable: stored value: expected 5714244.63, "
            "found 5714244.64",
            "not reproduced: 1 file differs (summary.xlsx)",
        ],
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[" * 200_000 + "]" * 200_000, "the file nests more than 32 levels deep, as no file apportion writes does"),
        ('{"a": ' * 40 + "1" + "}" * 40, "the file nests more than 32 levels deep, as no file apportion writes does"),
        ("\ufeff{}", "the file is not JSON (Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0))"),
    ],
)
def test_a_datapackage_nested_deep_or_not_json_is_named_without_a_traceback(out, text, said):
    (out / "datapackage.json").write_text(text, encoding="utf-8")
    code, lines = verified(SMALL, out)
    assert code == 1
    assert lines[0] == f"note: {out} has no datapackage.json that apportion can read, so what run made it is not known"
    assert f"datapackage.json: {said}; it is not what apportion writes" in lines


def test_a_datapackage_path_holding_a_nul_is_shown_escaped(out):
    manifest = out / "datapackage.json"
    package = json.loads(manifest.read_text())
    package["resources"][0]["path"] = "contributions\x00.csv"
    manifest.write_text(json.dumps(package, indent=2) + "\n")
    code, lines = verified(SMALL, out)
    assert (code, lines) == (
        1,
        [
            "datapackage.json: resources[0].path: expected 'contributions.csv', found 'contributions\\x00.csv'",
            "not reproduced: 1 file differs (datapackage.json)",
        ],
    )


def test_a_file_apportion_does_not_write_is_named_whatever_it_is(out, tmp_path):
    (out / "notes.txt").write_text("mine")
    (out / "elsewhere").symlink_to(tmp_path)
    code, lines = verified(SMALL, out)
    assert lines[-3:] == [
        "elsewhere: apportion does not write a symbolic link (not followed or read), nor anything here",
        "notes.txt: apportion does not write this file here",
        "not reproduced: 2 files differ (elsewhere, notes.txt)",
    ]
    assert re.match(r"^\S", lines[0])
