"""Where ``statement:`` becomes the model: what a member's statement says of itself (its
issue date, draft or final, its version) and of the collaboration (whom to ask, how to pay)."""

from __future__ import annotations

from datetime import date
from typing import Any

from apportion.input.description import STATEMENT
from apportion.input.reader import Reader
from apportion.input.values import describe
from apportion.input.yaml_file import Path_
from apportion.model.budget import StatementDetails

STATUSES = ("draft", "final")


def read_statement(reader: Reader, value: Any, path: Path_) -> StatementDetails | None:
    """statement: {issued, status, version, contact, payment}, each optional."""
    spec = reader.mapping(value, path, STATEMENT.names, "what the members' statements say of themselves")
    if spec is None:
        return None
    issued = None
    if "issued" in spec:
        try:
            issued = date.fromisoformat(str(spec["issued"]))
        except ValueError:
            reader.problem((*path, "issued"), f"{describe(spec['issued'])} is not a date; write it as 2013-03-28")
    status = reader.choice(spec["status"], (*path, "status"), STATUSES) if "status" in spec else None
    return StatementDetails(
        issued=issued,
        status=status,
        version=reader.optional_text(spec, "version", path, "the statement's version"),
        contact=reader.optional_text(spec, "contact", path, "whom a member asks about its statement"),
        payment=reader.optional_text(spec, "payment", path, "how a member pays"),
    )
