"""Last year's figures read from the folder its run wrote: the same as running its budget
again, and refused where the folder's contributions.csv is not the one its run wrote."""

from __future__ import annotations

import json

import pytest

from apportion.input.budget_file import load_budget
from apportion.input.last_year import read_last_year
from apportion.model import InputError
from apportion.outputs.files import write_outputs
from apportion.rules.calculate import apportion
from apportion.rules.prepare import prepare
from apportion.rules.report import year_figures
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    "name",
    ["east-midlands-2013-14-units.yaml", "chiltern-transport-consortium-2016-17.yaml", "east-midlands-2013-14-support.yaml"],
)
def test_a_folder_gives_the_figures_its_budget_gives(tmp_path, name):
    result = apportion(prepare(load_budget(EXAMPLES / name)))
    write_outputs(result, tmp_path / "out")
    read = read_last_year(tmp_path / "out")
    ran = year_figures(result)
    assert (read.collaboration, read.year, read.members) == (ran.collaboration, ran.year, ran.members)
    assert read.units == ran.units
    assert set(read.shares) == set(ran.shares)
    for key, share in ran.shares.items():
        found = read.shares[key]
        figures = ("cash_amount", "total_amount", "service_cost_amount", "support_amount", "returned_amount", "levy_amount")
        assert [getattr(found, f) for f in figures] == [getattr(share, f) for f in figures], key
        assert (found.in_kind_amount, found.in_kind_credit_amount) == (share.in_kind_amount, share.in_kind_credit_amount)
    assert [f.path.rsplit("/", 1)[1] for f in read.inputs] == ["datapackage.json", "contributions.csv"]
    assert read_last_year(tmp_path / "out" / "datapackage.json") == read  # the package itself names the folder too


def test_an_edited_csv_is_refused(tmp_path):
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")), tmp_path / "out")
    table = tmp_path / "out" / "contributions.csv"
    table.write_text(table.read_text().replace("5714244.63", "5714244.64"))
    with pytest.raises(InputError) as raised:
        read_last_year(tmp_path / "out")
    assert str(raised.value.problems[0]) == (
        f"{table}: is not the file datapackage.json records (its SHA-256 differs): it was changed after the run wrote it"
    )


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    (tmp_path / "datapackage.json").write_text(json.dumps({"apportion": {"kind": "sweep"}}))
    with pytest.raises(InputError) as raised:
        read_last_year(tmp_path)
    assert "this is not the datapackage.json of a run's outputs" in str(raised.value.problems[0])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as raised:
        read_last_year(tmp_path / "empty")
    assert "there is no such file; give last year's budget file, or the folder its run wrote" in str(raised.value.problems[0])


def test_a_datapackage_nested_without_end_is_refused_not_a_bug(tmp_path):
    # 200,000 arrays deep: Python's JSON reader gives up with a RecursionError, which
    # apportion reported as a bug in itself; it is a file apportion did not write.
    (tmp_path / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(InputError) as raised:
        read_last_year(tmp_path)
    assert str(raised.value.problems[0]) == (
        f"{tmp_path / 'datapackage.json'}: nests deeper than JSON is read here; it is not a datapackage.json apportion wrote"
    )


@pytest.mark.parametrize("name", ["datapackage.json", "contributions.csv"])
def test_last_years_files_are_read_only_as_regular_files_not_waited_on(tmp_path, name):
    # A named pipe nobody writes to: opening it to read would wait for ever.
    import os

    out = tmp_path / "out"
    write_outputs(apportion(load_budget(EXAMPLES / "east-midlands-2013-14.yaml")), out)
    (out / name).unlink()
    os.mkfifo(out / name)
    with pytest.raises(InputError) as raised:
        read_last_year(out)
    assert "not a regular file (a device, a pipe or a folder)" in str(raised.value.problems[0])
