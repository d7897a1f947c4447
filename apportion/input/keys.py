"""The words a section of the budget file is described in: the JSON Schemas of its values
(money, percentages, text), and :class:`Key` and :class:`Section`, from which
:mod:`apportion.input.description` declares every section once."""

from __future__ import annotations

from typing import Any, NamedTuple

from apportion.model.ledger import LAYOUTS
from apportion.model.postings import Account

Schema = dict[str, Any]

MONEY: Schema = {
    "description": "Pounds: a number with at most two decimals, or text such as '£1,250,000.00'",
    "anyOf": [
        {"type": "number", "minimum": 0, "multipleOf": 0.01},
        {"type": "string", "pattern": r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$"},
    ],
}
SIGNED_MONEY: Schema = {"anyOf": [{"type": "number", "multipleOf": 0.01}, {"type": "string"}]}
SIGNED_AMOUNTS: Schema = {"type": "object", "additionalProperties": SIGNED_MONEY, "description": "Line name: amount"}
PERCENT: Schema = {"type": "string", "pattern": r"^\d+(\.\d+)?\s*%$", "description": "A percentage such as '27.3%'"}
TEXT: Schema = {"type": "string"}
TEXT_OR_NUMBER: Schema = {"type": ["string", "number"]}
AMOUNTS: Schema = {"type": "object", "additionalProperties": MONEY, "description": "Line name: amount"}
PERCENT_BY_YEAR: Schema = {"anyOf": [PERCENT, {"type": "object", "additionalProperties": PERCENT}]}
LEVY_BASE: Schema = {"enum": ["gross_pay", "net_pay"]}
IN_KIND_TREATMENT: Schema = {"enum": ["offset", "additional"]}
MODEL: Schema = {"enum": ["lead-force", "host-force", "none"]}
BOOLEAN: Schema = {"type": "boolean"}
PERCENTS: Schema = {"type": "object", "additionalProperties": {"anyOf": [PERCENT, {"type": "number", "minimum": 0}]}}
VALUES_BY_NAME: Schema = {"type": "object", "additionalProperties": {"anyOf": [{"type": "number", "minimum": 0}, TEXT]}}


def ref(name: str) -> Schema:
    """A reference to another section's schema."""
    return {"$ref": f"#/$defs/{name}"}


class Key(NamedTuple):
    """One key of a section: its name, the JSON Schema of its value, and what it holds."""

    name: str
    schema: Schema
    text: str
    required: bool = False


class Section(NamedTuple):
    """A mapping in the budget file: where it is, and the keys it may hold, in order."""

    name: str  # its name in the schema's $defs
    where: str  # where it stands in the file, as the reference names it
    keys: tuple[Key, ...]
    one_of: tuple[str, ...] = ()  # exactly one of these keys must be given

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def schema(self) -> Schema:
        schema: Schema = {
            "type": "object",
            "properties": {key.name: key.schema for key in self.keys},
            "additionalProperties": False,
        }
        required = [key.name for key in self.keys if key.required]
        if required:
            schema["required"] = required
        if self.one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.one_of]
        return schema


def section(name: str, where: str, *keys: Key, one_of: tuple[str, ...] = ()) -> Section:
    return Section(name, where, keys, one_of)


# The codes of the members' ledgers (``ledger:``), for every member and a member's own.
ACCOUNT_CODES: Schema = {"type": "object", "propertyNames": {"enum": list(Account)}, "additionalProperties": TEXT_OR_NUMBER}
CODES_KEYS = (
    Key("accounts", ACCOUNT_CODES, "`account: code` in the member's chart of accounts: " + ", ".join(Account)),
    Key("cost_centres", {"type": "object", "additionalProperties": TEXT_OR_NUMBER}, "`unit: cost centre`"),
    Key("cost_centre", TEXT_OR_NUMBER, "the cost centre of a unit with none of its own (default: the unit's code)"),
    Key("description", TEXT, "what every line's description begins with"),
)
LEDGER_MEMBER_KEYS = (
    *CODES_KEYS,
    Key("format", {"enum": list(LAYOUTS)},
        f"the layout its ledger imports, where it differs from `--ledger`'s: {', '.join(f'`{name}`' for name in LAYOUTS)}"),
)  # fmt: skip
LEDGER_KEYS = (
    *CODES_KEYS,
    Key("members", {"type": "object", "additionalProperties": ref("ledger_member")},
        "a member's own codes, by member, over those for every member"),
)  # fmt: skip
