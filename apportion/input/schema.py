"""The JSON Schema of budget and shares files, printed by ``apportion schema``.

Editors use it to check a file as it is typed. It is made from the one description of the
file (:mod:`apportion.input.description`), so its keys are the readers' keys. It describes
the shape of the files; the readers check the rest (that names are members, that shares
sum to 100%, that a lead takes part).
"""

from __future__ import annotations

from typing import Any

from apportion.input.description import BUDGET, SECTIONS, SHARES_FILE

DEFINITIONS: dict[str, Any] = {part.name: part.schema() for part in SECTIONS if part.name != BUDGET.name}

BUDGET_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apportion budget file",
    "description": "A police collaboration's members, bases and unit budgets for one year (see docs/config.md)",
    **BUDGET.schema(),
    "$defs": DEFINITIONS,
}
SHARES_FILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apportion shares file",
    **SHARES_FILE.schema(),
    "$defs": DEFINITIONS,
}
