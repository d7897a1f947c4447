"""Where ``revisions:`` become the model: the year's revisions to the budget, each with the
date it is in force from, a description and the changes a scenario takes (applied in their
periods by :mod:`apportion.rules.periods`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apportion.input.description import CHANGE, REVISION
from apportion.input.reader import Reader
from apportion.input.scenarios import read_change
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model import SupportMethodChange, Unit
from apportion.model.budget import Revision


def read_revisions(reader: Reader, value: Any, path: Path_, units: Sequence[Unit]) -> list[Revision]:
    """revisions: [{from, description, changes, pro_rata}], numbered in date order."""
    revisions: list[Revision] = []
    kinds = ", ".join(name for name in CHANGE.names if name != "support_method")
    for where, spec in reader.entries(value, path, REVISION.names, "revisions", "a revision: from, description, changes"):
        count = reader.count()
        on = reader.day(spec.get("from"), (*where, "from"))
        if on is not None:
            reader.in_year(on, (*where, "from"), "a revision is in force from a day in the year")
        description = reader.optional_text(spec, "description", where, "a description") or ""
        pro_rata = reader.choice(spec.get("pro_rata", "days"), (*where, "pro_rata"), ("days", "months"))
        if on is not None and pro_rata == "months" and on.day != 1:
            reader.problem((*where, "from"), "pro-rating by months needs the first day of a month; give one, or pro_rata: days")
        raw_changes = spec.get("changes")
        if not isinstance(raw_changes, list) or not raw_changes:
            reader.problem(where, f"expected changes: a list of changes ({kinds}), found {describe(raw_changes)}")
            continue
        changes = [read_change(reader, raw, (*where, "changes", i), units) for i, raw in enumerate(raw_changes)]
        for i, change in enumerate(changes):
            if isinstance(change, SupportMethodChange):
                reader.problem(
                    (*where, "changes", i, "support_method"),
                    "support units are charged out one way for the whole year; change it in a scenario, not a revision",
                )
        if reader.count() == count and on is not None:
            revisions.append(Revision(on, tuple(c for c in changes if c is not None), description, pro_rata == "months"))
    ordered = sorted(revisions, key=lambda revision: revision.on)
    return [revision._replace(number=number) for number, revision in enumerate(ordered, start=1)]
