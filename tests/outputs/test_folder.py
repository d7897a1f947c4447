"""Outputs are all or nothing, never overwrite unasked, and file names stay in the folder."""

from __future__ import annotations

import pytest

from apportion.input.budget_file import load_budget
from apportion.model import InputError, OutputError
from apportion.model.names import file_stem
from apportion.outputs.folder import write_outputs
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

    import apportion.outputs.folder as write_module

    calls = {"n": 0}
    real_save = write_module.save_workbook

    def failing_save(book, path):
        calls["n"] += 1
        if calls["n"] == 3:  # the summary and one member written, then the disk fills
            raise OSError(28, "No space left on device")
        real_save(book, path)

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
    import apportion.outputs.folder as write_module

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
    import apportion.outputs.folder as write_module

    result = apportion(load_budget(EXAMPLES / "east-midlands-2013-14-units.yaml"))
    monkeypatch.setattr(write_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(write_module.os, "cpu_count", lambda: 2)

    def failing_save(book, path):
        if path.name == "lincolnshire.xlsx":
            raise OSError(28, "No space left on device")
        path.write_bytes(book.to_bytes())

    monkeypatch.setattr(write_module, "save_workbook", failing_save)
    with pytest.raises(OutputError, match="No space left on device"):
        write_outputs(result, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
