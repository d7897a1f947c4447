"""One record tells the user anything, with its place: problems, warnings, differences."""

from __future__ import annotations

from apportion.model import Message, Place, Severity


def test_a_message_reads_file_line_place_then_what():
    assert str(Message("a typo", Place("budget.yaml", 14, "units[ROCU].modle"))) == "budget.yaml:14: units[ROCU].modle: a typo"
    assert str(Message("no line", Place("shares.csv", 0, "row 4, column Force"))) == "shares.csv: row 4, column Force: no line"
    assert str(Message("whole file", Place("budget.yaml", 1))) == "budget.yaml:1: whole file"
    assert str(Message("nowhere")) == "nowhere"


def test_a_warning_carries_what_it_is_about():
    warning = Message("owed a credit", Place("b.yaml", 9, "units[U]"), Severity.WARNING, "U", "Kent")
    assert (warning.unit, warning.member, warning.severity) == ("U", "Kent", Severity.WARNING)
    assert warning.place.at("units[U].in_kind") == Place("b.yaml", 9, "units[U].in_kind")
