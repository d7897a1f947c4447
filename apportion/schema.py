"""The JSON Schema of budget and shares files, printed by ``apportion schema``.

Editors use it to check a file as it is typed. It describes the shape of the files;
the loader checks the rest (that names are members, that shares sum to 100%, that a
lead takes part). A test keeps it in step with the loader's keys and the examples.
"""

from __future__ import annotations

from typing import Any

MONEY: dict[str, Any] = {
    "description": "Pounds: a number with at most two decimals, or text such as '£1,250,000.00'",
    "anyOf": [
        {"type": "number", "minimum": 0, "multipleOf": 0.01},
        {"type": "string", "pattern": r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$"},
    ],
}
PERCENT: dict[str, Any] = {"type": "string", "pattern": r"^\d+(\.\d+)?\s*%$", "description": "A percentage such as '27.3%'"}
AMOUNTS: dict[str, Any] = {"type": "object", "additionalProperties": MONEY, "description": "Line name: amount"}
SOURCE: dict[str, Any] = {
    "description": "Where the figures come from",
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "document": {"type": "string"},
                "data_year": {"type": ["string", "number"]},
                "note": {"type": "string"},
            },
            "required": ["document"],
            "additionalProperties": False,
        },
    ],
}
BASIS_PROPERTIES: dict[str, Any] = {
    "description": {"type": "string"},
    "source": SOURCE,
    "shares": {
        "type": "object",
        "description": "Member: percentage; must sum to 100%",
        "additionalProperties": {"anyOf": [PERCENT, {"type": "number", "minimum": 0}]},
    },
    "drivers": {
        "type": "object",
        "description": "Member: raw driver value (grant, population, calls), normalised over the participants",
        "additionalProperties": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]},
    },
    "shares_from": {"$ref": "#/$defs/table"},
    "drivers_from": {"$ref": "#/$defs/table"},
    "unit": {"type": "string", "description": "'percent' or 'fraction' for bare numbers under shares:, or the drivers' unit"},
}
ONE_OF_VALUES: list[dict[str, Any]] = [
    {"required": ["shares"]},
    {"required": ["drivers"]},
    {"required": ["shares_from"]},
    {"required": ["drivers_from"]},
]
TABLE: dict[str, Any] = {
    "type": "object",
    "description": "A CSV file or an xlsx sheet, relative to this file, and the columns to read",
    "properties": {
        "file": {"type": "string"},
        "sheet": {"type": "string"},
        "member_column": {"type": "string"},
        "value_column": {"type": "string"},
        "unit_column": {"type": "string"},
        "name_column": {"type": "string"},
        "kind_column": {"type": "string"},
        "amount_column": {"type": "string"},
    },
    "required": ["file"],
    "additionalProperties": False,
}
BASIS: dict[str, Any] = {
    "type": "object",
    "properties": BASIS_PROPERTIES,
    "additionalProperties": False,
    "oneOf": ONE_OF_VALUES,
}
INLINE_BASIS: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, **BASIS_PROPERTIES},
    "additionalProperties": False,
    "oneOf": ONE_OF_VALUES,
}
SIMPLE_BASIS: dict[str, Any] = {
    "anyOf": [{"type": "string", "description": "A named basis, or 'equal'"}, INLINE_BASIS],
}
UNIT_BASIS: dict[str, Any] = {
    "anyOf": [
        *SIMPLE_BASIS["anyOf"],
        {
            "type": "object",
            "properties": {"fixed": {"type": "object", "additionalProperties": MONEY}, "remainder": SIMPLE_BASIS},
            "required": ["fixed", "remainder"],
            "additionalProperties": False,
        },
    ]
}
IN_KIND: dict[str, Any] = {
    "type": "object",
    "description": "Member: value, or member: {officers, cost_each}",
    "additionalProperties": {
        "anyOf": [
            MONEY,
            {
                "type": "object",
                "properties": {"officers": {"type": "number", "minimum": 0}, "cost_each": MONEY},
                "required": ["officers", "cost_each"],
                "additionalProperties": False,
            },
        ]
    },
}
LEVY_BASE: dict[str, Any] = {"enum": ["gross_pay", "net_pay"]}
IN_KIND_TREATMENT: dict[str, Any] = {"enum": ["offset", "additional"]}
DEFAULTS: dict[str, Any] = {
    "type": "object",
    "properties": {"levy_rate": PERCENT, "levy_base": LEVY_BASE, "in_kind_treatment": IN_KIND_TREATMENT},
    "additionalProperties": False,
}
UNIT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Short code, unique in the file"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "participants": {"anyOf": [{"const": "all"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
        "basis": UNIT_BASIS,
        "model": {"enum": ["lead-force", "host-force", "none"]},
        "lead": {"type": "string"},
        "host": {"type": "string"},
        "levy_rate": PERCENT,
        "levy_base": LEVY_BASE,
        "pay": AMOUNTS,
        "non_pay": AMOUNTS,
        "income": AMOUNTS,
        "lines_from": {"$ref": "#/$defs/table"},
        "in_kind": IN_KIND,
        "in_kind_treatment": IN_KIND_TREATMENT,
    },
    "required": ["code", "basis"],
    "additionalProperties": False,
}
BASES: dict[str, Any] = {"type": "object", "additionalProperties": BASIS}
CHANGE: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "without": {"type": "string", "description": "A member who leaves every unit"},
        "income": {
            "type": "object",
            "properties": {"unit": {"type": "string"}, "change": {"type": ["string", "number"]}},
            "required": ["unit", "change"],
            "additionalProperties": False,
        },
        "line": {
            "type": "object",
            "properties": {"unit": {"type": "string"}, "line": {"type": "string"}, "amount": MONEY},
            "required": ["unit", "line", "amount"],
            "additionalProperties": False,
        },
        "model": {
            "type": "object",
            "properties": {
                "unit": {"type": "string"},
                "model": {"enum": ["lead-force", "host-force", "none"]},
                "lead": {"type": "string"},
                "host": {"type": "string"},
                "business_support": MONEY,
                "levy_rate": PERCENT,
            },
            "required": ["unit", "model"],
            "additionalProperties": False,
        },
        "shares": {"type": "object", "properties": {"basis": {"type": "string"}, **BASIS_PROPERTIES}, "required": ["basis"]},
    },
    "additionalProperties": False,
}
SCENARIO: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "changes": {"type": "array", "items": CHANGE, "minItems": 1},
    },
    "required": ["name", "changes"],
    "additionalProperties": False,
}

SIGNED_MONEY: dict[str, Any] = {"anyOf": [{"type": "number", "multipleOf": 0.01}, {"type": "string"}]}
YEAR_END: dict[str, Any] = {
    "type": "object",
    "properties": {
        "outturn": AMOUNTS,
        "settlement": {"enum": ["return", "reserves"]},
        "reserves": {
            "type": "object",
            "properties": {"opening": MONEY, "transfers": {"type": "object", "additionalProperties": SIGNED_MONEY}},
            "additionalProperties": False,
        },
        "capital": {
            "type": "object",
            "properties": {"programme": MONEY, "financing": AMOUNTS},
            "additionalProperties": False,
        },
        "match_funding": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"unit": {"type": "string"}, "income": {"type": "string"}},
                "required": ["unit", "income"],
                "additionalProperties": False,
            },
        },
        "stand_alone": {"type": "object", "additionalProperties": AMOUNTS},
    },
    "additionalProperties": False,
}

BUDGET_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "apportion budget file",
    "description": "A police collaboration's members, bases and unit budgets for one year (see docs/config.md)",
    "type": "object",
    "properties": {
        "collaboration": {"type": "string"},
        "year": {"type": ["string", "number"]},
        "currency": {"const": "GBP"},
        "description": {"type": "string"},
        "members": {
            "type": "array",
            "minItems": 1,
            "items": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "properties": {"name": {"type": "string"}, "kind": {"type": "string"}},
                        "required": ["name"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
        "shares_file": {"type": "string", "description": "A shares file, relative to this file"},
        "bases": BASES,
        "defaults": DEFAULTS,
        "units": {"type": "array", "items": UNIT, "minItems": 1},
        "scenarios": {"type": "array", "items": SCENARIO},
        "year_end": YEAR_END,
        "plan": {
            "type": "object",
            "properties": {
                "years": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "pay_inflation": {"anyOf": [PERCENT, {"type": "object", "additionalProperties": PERCENT}]},
                "non_pay_inflation": {"anyOf": [PERCENT, {"type": "object", "additionalProperties": PERCENT}]},
                "savings": {
                    "type": "object",
                    "properties": {"total": MONEY, "phasing": {"type": "object", "additionalProperties": PERCENT}},
                    "additionalProperties": False,
                },
                "grants": {
                    "type": "object",
                    "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "shares": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["years"],
            "additionalProperties": False,
        },
        "membership": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "member": {"type": "string"},
                    "joins": {"type": "string", "format": "date"},
                    "leaves": {"type": "string", "format": "date"},
                    "units": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                    "pro_rata": {"enum": ["days", "months"]},
                },
                "required": ["member"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["collaboration", "year", "members", "units"],
    "additionalProperties": False,
    "$defs": {
        "table": TABLE,
        "shares_file": {
            "title": "apportion shares file",
            "type": "object",
            "properties": {"description": {"type": "string"}, "bases": BASES, "defaults": DEFAULTS},
            "additionalProperties": False,
        },
    },
}
SHARES_FILE_SCHEMA: dict[str, Any] = {**BUDGET_SCHEMA["$defs"]["shares_file"], "$defs": {"table": TABLE}}
