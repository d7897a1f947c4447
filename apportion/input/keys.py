"""The words a section of the budget file is described in: the JSON Schemas of its values
(money, percentages, text), and :class:`Key` and :class:`Section`, from which
:mod:`apportion.input.description` declares every section once."""

from __future__ import annotations

from collections.abc import Sequence
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
DATE: Schema = {"type": "string", "format": "date"}
LEAVER: Schema = {"enum": ["leaves it behind", "takes its share"]}
PRO_RATA: Schema = {"enum": ["days", "months"]}
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


WINDOW = (  # a line, or a unit's budget, that runs part of the year: its amounts are still for a whole year
    Key("from", DATE, "the first day it runs, where not the year's first"),
    Key("until", DATE, "the last day it runs, where not the year's last (on or after `from`)"),
)


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


# What a member's statement says of itself (``statement:``), so it can travel alone.
STATEMENT_KEYS = (
    Key("issued", {"type": "string", "format": "date"}, "the date the statements are issued, such as `2013-03-28`"),
    Key("status", {"enum": ["draft", "final"]}, "`draft` or `final`"),
    Key("version", TEXT_OR_NUMBER, "the statements' version, such as `1.0` or `2 (revised budget)`"),
    Key("contact", TEXT, "whom a member asks about its statement: a name, a post, an email address or telephone"),
    Key("payment", TEXT, "how a member pays: the account to pay into and what to quote"),
)  # fmt: skip

# The panel report's cover and how it shows figures (``report:``).
REPORT_KEYS = (
    Key("title", TEXT, "the paper's title (default: the collaboration's contributions for the year)"),
    Key("to", TEXT, "the panel or committee the paper goes to, such as `Police and Crime Panel`"),
    Key("meeting", {"type": "string", "format": "date"}, "the date of the meeting, such as 2013-09-16"),
    Key("author", TEXT, "who wrote it: a name and role"),
    Key("contact", TEXT, "whom to ask about it"),
    Key("status", {"enum": ["draft", "final"]}, "`draft` (default) or `final`"),
    Key("version", TEXT_OR_NUMBER, "the paper's version, such as 1.2"),
    Key("agreement", TEXT, "the clause of the collaboration agreement that sets the shares"),
    Key("recommendation", TEXT, "what the panel is asked to do, such as `The Panel to note the contents of this report`"),
    Key("figures", {"enum": ["pounds", "thousands"]}, "the body's figures in `pounds` (default) or `thousands` (£000)"),
    Key("population", TEXT, "a basis under `bases:` whose drivers are each member's population, for £ per head"),
)  # fmt: skip


BEGIN, END = "<!-- keys: made by apportion schema --reference -->", "<!-- keys: end -->"


def reference_of(sections: Sequence[Section]) -> str:
    """The key reference of docs/config.md, made from the sections: a table a section, every key of each."""
    out = [
        BEGIN, "", "## Every key", "",
        "Each part of a budget file and the keys it may hold. apportion's readers, the JSON Schema that",
        "`apportion schema` prints and this list are made from one description, so they cannot disagree;",
        "`apportion schema --reference` prints this list.", "",
    ]  # fmt: skip
    for part in sections:
        out += [f"**{part.where}**", "", "| key | holds |", "|---|---|"]
        for key in part.keys:
            out.append(f"| `{key.name}` | {key.text}{' (required)' if key.required else ''} |")
        if part.one_of:
            out.append(f"| | exactly one of {', '.join(f'`{name}`' for name in part.one_of)} |")
        out.append("")
    return "\n".join([*out, END])


# The year's changes: a line that starts or stops in it, a revision, a leaver's exit terms.
LINES: Schema = {"type": "object", "additionalProperties": {"anyOf": [MONEY, ref("dated_line")]}}
DATED_LINE_KEYS = (
    Key("amount", MONEY, "the amount for a whole year; the line takes it for the days it runs", required=True),
    *WINDOW,
)  # fmt: skip

EXIT_COSTS_KEYS = (
    Key("of", AMOUNTS, "the exit costs, `name: amount`", required=True),
    Key("share", PERCENT, "the part the leaver pays (default: its share, in the exit's `shares:`)"),
)  # fmt: skip

EXIT_KEYS = (
    Key("notice_given", DATE, "the day it gave notice"),
    Key("costs", {"anyOf": [MONEY, ref("exit_costs")]}, "the exit costs it pays: an amount, or `{of, share}`"),
    Key("reserves", LEAVER, "its part of the opening reserves: `takes its share` or `leaves it behind` (default: as `leaver:`)"),
    Key("assets", AMOUNTS, "assets at its leaving date, `name: value`: its share is paid to it"),
    Key("liabilities", AMOUNTS, "liabilities at its leaving date, `name: value`: it pays its share"),
    Key("shares", TEXT, "whose shares its part is in: a basis, or a unit's code (default: as the year end's reserves)"),
    Key("payments", {"type": "array", "items": DATE}, "the days it is paid on, in equal parts (default: the day it leaves)"),
)  # fmt: skip

REVISION_KEYS = (
    Key("from", DATE, "the first day it is in force, in the year", required=True),
    Key("description", TEXT, "what it is, in words"),
    Key("changes", {"type": "array", "items": ref("change"), "minItems": 1}, "as a scenario's, for a whole year", required=True),
    Key("pro_rata", PRO_RATA, "how the year takes the changed figures from the date: by `days` (default) or `months`"),
)  # fmt: skip
