"""One description of the budget file: the readers' keys, the schema and the reference agree."""

from __future__ import annotations

import jsonschema
import pytest

from apportion.input import description, keys
from apportion.input.scenarios import CHANGE_READERS
from apportion.input.schema import BUDGET_SCHEMA, SHARES_FILE_SCHEMA
from tests.conftest import ROOT


def test_docs_config_holds_the_reference_made_from_the_description():
    text = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    begin, end = text.index(keys.BEGIN), text.index(keys.END) + len(keys.END)
    assert text[begin:end] == keys.reference_of(description.SECTIONS), (
        "run: apportion schema --reference, and paste it into docs/config.md"
    )


@pytest.mark.parametrize("part", description.SECTIONS, ids=lambda part: part.name)
def test_every_section_has_the_same_keys_in_the_schema_as_in_the_reader(part):
    schema = BUDGET_SCHEMA if part is description.BUDGET else BUDGET_SCHEMA["$defs"][part.name]
    assert list(schema["properties"]) == list(part.names)
    assert schema["additionalProperties"] is False


def test_every_kind_of_change_has_its_reader():
    assert tuple(CHANGE_READERS) == description.CHANGE.names


def test_the_schemas_are_valid_and_refuse_a_key_no_reader_takes():
    for schema in (BUDGET_SCHEMA, SHARES_FILE_SCHEMA):
        jsonschema.Draft202012Validator.check_schema(schema)
    budget = {"collaboration": "C", "year": "2024/25", "members": ["A"], "units": [{"code": "U", "basis": "equal"}]}
    jsonschema.validate(budget, BUDGET_SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="member_column"):
        lines = {"file": "lines.csv", "member_column": "Force", "name_column": "n", "kind_column": "k", "amount_column": "a"}
        jsonschema.validate({**budget, "units": [{"code": "U", "basis": "equal", "lines_from": lines}]}, BUDGET_SCHEMA)
