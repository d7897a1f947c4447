"""The one description of the budget file: each section, its keys, what each key holds.

Three things are made from it, so they cannot drift apart: the keys each section's reader
allows (an unknown key is an error naming these), the JSON Schema that ``apportion schema``
prints (:mod:`apportion.input.schema`), and the key reference at the end of
``docs/config.md`` (``apportion schema --reference`` prints it; a test checks the file
holds it word for word).
"""

from __future__ import annotations

from apportion.input.keys import (  # noqa: F401 - the words each section is described in
    AMOUNTS,
    BOOLEAN,
    DATE,
    DATED_LINE_KEYS,
    EXIT_COSTS_KEYS,
    EXIT_KEYS,
    IN_KIND_TREATMENT,
    LEAVER,
    LEDGER_KEYS,
    LEDGER_MEMBER_KEYS,
    LEVY_BASE,
    LINES,
    MODEL,
    MONEY,
    PERCENT,
    PERCENT_BY_YEAR,
    PERCENTS,
    REPORT_KEYS,
    REVISION_KEYS,
    SIGNED_AMOUNTS,
    SIGNED_MONEY,
    STATEMENT_KEYS,
    TEXT,
    TEXT_OR_NUMBER,
    VALUES_BY_NAME,
    WINDOW,
    Key,
    Schema,
    Section,
    ref,
    section,
)

SOURCE = section(
    "source", "a basis's `source:`",
    Key("document", TEXT, "the document the figures come from", required=True),
    Key("data_year", TEXT_OR_NUMBER, "the year the figures are for"),
    Key("note", TEXT, "anything else a reader should know"),
)  # fmt: skip
WEIGHTS_TABLE = section(
    "weights_table", "`shares_from:` and `drivers_from:`",
    Key("file", TEXT, "a .csv or .xlsx file, relative to this file", required=True),
    Key("sheet", TEXT, "the sheet of an xlsx file (default: the first)"),
    Key("member_column", TEXT, "the heading of the column of member names", required=True),
    Key("value_column", TEXT, "the heading of the column of values", required=True),
)  # fmt: skip
LINES_TABLE = section(
    "lines_table", "a unit's `lines_from:`",
    Key("file", TEXT, "a .csv or .xlsx file, relative to this file", required=True),
    Key("sheet", TEXT, "the sheet of an xlsx file (default: the first)"),
    Key("unit_column", TEXT, "the heading of the column of unit codes: only this unit's rows are read"),
    Key("name_column", TEXT, "the heading of the column of line names", required=True),
    Key("kind_column", TEXT, "the heading of the column of kinds: `pay`, `non-pay` or `income`", required=True),
    Key("amount_column", TEXT, "the heading of the column of amounts", required=True),
)  # fmt: skip
BASIS_KEYS = (
    Key("description", TEXT, "free text"),
    Key("source", {"anyOf": [TEXT, ref("source")], "description": "Where the figures come from"},
        "where the figures come from: text, or `document`, `data_year`, `note`"),
    Key("shares", {"type": "object", "description": "Member: percentage; must sum to 100%",
                   "additionalProperties": {"anyOf": [PERCENT, {"type": "number", "minimum": 0}]}},
        "percentages by member, adding up to exactly 100%"),
    Key("drivers", {"type": "object", "description": "Member: raw value, normalised over the participants",
                    "additionalProperties": {"anyOf": [{"type": "number", "minimum": 0}, TEXT]}},
        "raw values by member (grant, population, calls), normalised over the participants"),
    Key("shares_from", ref("weights_table"), "the shares, from a spreadsheet"),
    Key("drivers_from", ref("weights_table"), "the driver values, from a spreadsheet"),
    Key("composite", {"type": "object", "additionalProperties": PERCENT,
                      "description": "Basis name: percentage; must sum to 100%"},
        "other named bases blended by percentages adding up to 100%, such as `{calls: 40%, population: 40%, "
        "officers: 20%}`: each is re-normalised over the participants, then weighted"),
    Key("unit", TEXT, "what drivers count (`people`); for shares, `percent` or `fraction` for bare numbers"),
    Key("period", TEXT_OR_NUMBER, "the period the figures are from, such as `January to December 2015`"),
)  # fmt: skip
VALUES = ("shares", "drivers", "shares_from", "drivers_from", "composite")
BASIS = Section("basis", "a basis under `bases:`", BASIS_KEYS, VALUES)
INLINE_BASIS = Section(
    "inline_basis", "a unit's `basis:` given inline",
    (Key("name", TEXT, "the basis's name in the outputs (default: the unit's code and 'shares')"), *BASIS_KEYS), VALUES,
)  # fmt: skip
SIMPLE_BASIS: Schema = {"anyOf": [{"type": "string", "description": "A named basis, or 'equal'"}, ref("inline_basis")]}
FIXED_BASIS = section(
    "fixed_basis", "a unit's `basis:` with fixed amounts",
    Key("fixed", {"type": "object", "additionalProperties": MONEY}, "amounts by member", required=True),
    Key("remainder", SIMPLE_BASIS, "the basis the rest is shared by: a named basis, `equal`, or inline", required=True),
)  # fmt: skip
DEFAULTS = section(
    "defaults", "`defaults:`",
    Key("levy_rate", PERCENT, "the lead-force levy rate (default 2%)"),
    Key("levy_base", LEVY_BASE, "`gross_pay` (default) or `net_pay`: what the levy is a percentage of"),
    Key("levy_includes_support", BOOLEAN,
        "`false` (default): the levy is on the unit's own pay; `true`: on its pay and the pay of the support charged to it"),
    Key("in_kind_treatment", IN_KIND_TREATMENT, "`additional` (default) or `offset`"),
)  # fmt: skip
SUPPORT = section(
    "support", "a support unit's `support:`",
    Key("by", {"enum": ["pay", "gross_cost", "headcount", "equal"]},
        "what its cost is shared by among the units it serves: their own `pay`, `gross_cost` (pay and non-pay), "
        "`headcount`, or `equal` parts"),
    Key("units", {"type": "array", "items": TEXT, "minItems": 1},
        "with `by`: the units it serves (default: every unit that is not a support unit)"),
    Key("shares", PERCENTS, "percentages by unit code, adding up to 100%"),
    Key("drivers", VALUES_BY_NAME, "values by unit code (calls logged, users), normalised over the units"),
    Key("basis", TEXT, "a basis under `unit_bases:`"),
    Key("stage", {"type": "integer", "minimum": 1},
        "under step-down, the order it is charged out in (1 first; default: as listed); give every support unit one or none"),
    one_of=("by", "shares", "drivers", "basis"),
)  # fmt: skip
UNIT_BASIS = section(
    "unit_basis", "a basis under `unit_bases:`",
    Key("description", TEXT, "free text"),
    Key("source", {"anyOf": [TEXT, ref("source")]}, "where the figures come from"),
    Key("period", TEXT_OR_NUMBER, "the period the figures are from"),
    Key("shares", PERCENTS, "percentages by unit code, adding up to 100%"),
    Key("drivers", VALUES_BY_NAME, "values by unit code, normalised"),
    one_of=("shares", "drivers"),
)  # fmt: skip
ACTIVITY = section(
    "activity", "an activity unit's `activity:`",
    Key("measure", TEXT, "what is counted, such as `actioned calls` or `flying hours`", required=True),
    Key("rate", MONEY, "the charge for each, in pounds", required=True),
    Key("quantities", VALUES_BY_NAME, "each participant's activity, by member"),
    Key("quantities_from", ref("weights_table"), "the quantities, from a spreadsheet"),
    Key("period", TEXT_OR_NUMBER, "the period the quantities are from, such as `January to December 2015`"),
    Key("balance", SIMPLE_BASIS,
        "the basis the cost the rates do not recover (or recover over it) is shared by (default: the quantities)"),
    one_of=("quantities", "quantities_from"),
)  # fmt: skip
INCOME_LINE = section(
    "income_line", "an income line with a split of its own",
    Key("amount", MONEY, "the amount", required=True),
    Key("basis", SIMPLE_BASIS, "the basis it is returned to the unit's participants by: a named basis, `equal`, or inline"),
    Key("member", TEXT, "the member it is returned to alone"),
    one_of=("basis", "member"),
)  # fmt: skip
DATED_LINE = Section("dated_line", "a budget line that starts or stops in the year", DATED_LINE_KEYS)
OFFICERS = section(
    "officers", "a member's officers in kind, as a mapping",
    Key("officers", {"type": "number", "minimum": 0}, "how many officers", required=True),
    Key("cost_each", MONEY, "the cost of each", required=True),
)  # fmt: skip
UNIT = section(
    "unit", "each of `units:`",
    Key("code", {"type": "string", "description": "Short code, unique in the file"},
        "a short code, unique in the file ignoring case", required=True),
    Key("name", TEXT, "the unit's name (default: the code)"),
    Key("description", TEXT, "free text"),
    Key("participants", {"anyOf": [{"const": "all"}, {"type": "array", "items": TEXT, "minItems": 1}]},
        "`all`, or a list of members"),
    Key("basis", {"anyOf": [*SIMPLE_BASIS["anyOf"], ref("fixed_basis")]},
        "a named basis, `equal`, a basis inline, or fixed amounts with a remainder (required, but for a support "
        "unit, an activity unit, or a unit of returned income only)"),
    Key("model", MODEL, "`lead-force`, `host-force` or `none` (default)"),
    Key("lead", TEXT, "with `lead-force`: the participant who leads and receives the levy"),
    Key("host", TEXT, "with `host-force`: the participant who hosts the unit"),
    Key("levy_rate", PERCENT, "with `lead-force`: the levy rate, overriding the default"),
    Key("levy_base", LEVY_BASE, "with `lead-force`: the levy base, overriding the default"),
    Key("levy_includes_support", BOOLEAN, "with `lead-force`: whether the levy base adds the pay of support charged in"),
    Key("pay", LINES, "pay lines, `name: amount` for the year, or `name: {amount, from, until}` for a line that "
        "starts or stops in it"),
    Key("non_pay", LINES, "non-pay lines, as `pay:`"),
    Key("income", {"type": "object", "additionalProperties": {"anyOf": [MONEY, ref("income_line")]}},
        "grants and income, `name: amount` (netted off before the split), or `name: {amount, basis}` or "
        "`name: {amount, member}` (returned by a split of its own)"),
    Key("lines_from", ref("lines_table"), "budget lines and income from a spreadsheet"),
    Key("in_kind", {"type": "object", "description": "Member: value, or member: {officers, cost_each}",
                    "additionalProperties": {"anyOf": [MONEY, ref("officers")]}},
        "officers in kind by member: a value, or `{officers, cost_each}`"),
    Key("in_kind_treatment", IN_KIND_TREATMENT, "`offset` or `additional`, overriding the default"),
    Key("support", ref("support"), "makes it a support unit: its cost is charged to the units it serves"),
    Key("headcount", {"type": "number", "minimum": 0}, "its headcount, for support charged by headcount"),
    Key("activity", ref("activity"), "makes it an activity unit: a rate for each unit of activity"),
    *WINDOW,
)  # fmt: skip
MEMBER = section(
    "member", "each of `members:`, as a mapping",
    Key("name", TEXT, "the member's name", required=True),
    Key("kind", TEXT, "what kind of body it is (default: police force)"),
)  # fmt: skip
INCOME_CHANGE = section(
    "income_change", "a change `income:`",
    Key("unit", TEXT, "a unit's code, or `all`", required=True),
    Key("change", TEXT_OR_NUMBER, "a change by a percentage (`-20%`) or an amount (`-400000`)"),
    Key("to", MONEY, "the income's new total instead (`0`: the income falls to nothing)"),
    one_of=("change", "to"),
)  # fmt: skip
LINE_CHANGE = section(
    "line_change", "a change `line:`",
    Key("unit", TEXT, "a unit's code", required=True),
    Key("line", TEXT, "the name of one of its budget lines", required=True),
    Key("amount", MONEY, "the line's new amount", required=True),
)  # fmt: skip
MODEL_CHANGE = section(
    "model_change", "a change `model:`",
    Key("unit", TEXT, "a unit's code, or `all`", required=True),
    Key("model", MODEL, "the new charging model", required=True),
    Key("lead", TEXT, "with `lead-force`: the lead"),
    Key("host", TEXT, "with `host-force`: the host"),
    Key("business_support", MONEY, "with `host-force`: the host's added cost, a non-pay line"),
    Key("levy_rate", PERCENT, "with `lead-force`: the levy rate"),
)  # fmt: skip
SHARES_CHANGE = Section(
    "shares_change",
    "a change `shares:`",
    (Key("basis", TEXT, "the name of a basis under `bases:`", required=True), *BASIS_KEYS),
)
CHANGE = section(
    "change", "each of a scenario's `changes:` (one key)",
    Key("without", {"type": "string", "description": "A member who leaves every unit"}, "a member who leaves every unit"),
    Key("income", ref("income_change"), "a unit's grants and income change"),
    Key("line", ref("line_change"), "a budget line gets a new amount"),
    Key("model", ref("model_change"), "a unit moves to another charging model"),
    Key("shares", ref("shares_change"), "a basis gets new values"),
    Key("support_method", {"enum": ["step-down", "reciprocal"]}, "the support units are charged out by another method"),
)  # fmt: skip
SCENARIO = section(
    "scenario", "each of `scenarios:`",
    Key("name", TEXT, "the scenario's name, for `--scenario`", required=True),
    Key("description", TEXT, "what it asks, in words"),
    Key("changes", {"type": "array", "items": ref("change"), "minItems": 1}, "the changes, in order", required=True),
)  # fmt: skip
SAVINGS = section(
    "savings", "a plan's `savings:`",
    Key("total", MONEY, "the savings target"),
    Key("phasing", {"type": "object", "additionalProperties": PERCENT}, "the part achieved in each year, adding up to 100%"),
)  # fmt: skip
PLAN = section(
    "plan", "`plan:`",
    Key("years", {"type": "array", "items": TEXT, "minItems": 1}, "the years after the budget's own", required=True),
    Key("pay_inflation", PERCENT_BY_YEAR, "a percentage a year, or `year: percentage`"),
    Key("non_pay_inflation", PERCENT_BY_YEAR, "a percentage a year, or `year: percentage`"),
    Key("savings", ref("savings"), "a savings target and its phasing"),
    Key("grants", {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": TEXT}},
        "`unit: {year: change}`, against the budget year's grants"),
    Key("shares", {"type": "object", "additionalProperties": TEXT}, "`year: shares file` for a year's own share table"),
)  # fmt: skip
MEMBERSHIP_CHANGE = section(
    "membership_change", "each of `membership:`",
    Key("member", TEXT, "the member who joins or leaves", required=True),
    Key("joins", {"type": "string", "format": "date"}, "the first day in"),
    Key("leaves", {"type": "string", "format": "date"}, "the first day out"),
    Key("units", {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}, "the units it applies to (default: all it takes part in)"),
    Key("pro_rata", {"enum": ["days", "months"]}, "`days` (default) or `months`"),
    Key("exit", ref("exit"), "with `leaves:`, of every unit it takes part in: the terms it leaves the collaboration on"),
)  # fmt: skip
EXIT_COSTS = Section("exit_costs", "an exit's `costs:` as a share of named costs", EXIT_COSTS_KEYS)
EXIT = Section("exit", "a leaving member's `exit:`", EXIT_KEYS)
REVISION = Section("revision", "each of `revisions:`", REVISION_KEYS)
COUNT = {"anyOf": [{"enum": ["yearly", "half-yearly", "quarterly", "monthly"]}, {"enum": [1, 2, 3, 4, 6, 12]}]}
SCHEDULE = section(
    "schedule", "a member's own schedule under `invoicing: members:`",
    Key("instalments", COUNT, "`quarterly`, `monthly`, `half-yearly`, `yearly`, or 1, 2, 3, 4, 6 or 12 in the year"),
    Key("timing", {"enum": ["in advance", "in arrears"]},
        "`in advance` (default: due on each period's first day) or `in arrears` (on its last)"),
    Key("first_due", {"type": "string", "format": "date"}, "the first due date; the others follow at the same interval"),
    Key("due", {"type": "array", "items": DATE, "minItems": 1}, "the due dates, one by one, in the year, instead"),
)  # fmt: skip
INVOICING = section(
    "invoicing", "`invoicing:`",
    *SCHEDULE.keys,
    Key("reference_prefix", TEXT, "what every invoice reference begins with (default: the collaboration's initials)"),
    Key("members", {"type": "object", "additionalProperties": ref("schedule")}, "members' own schedules, by member"),
)  # fmt: skip
STATEMENT = section("statement", "`statement:`", *STATEMENT_KEYS)
RESERVES = section(
    "reserves", "the year end's `reserves:`",
    Key("opening", MONEY, "the reserves at the start of the year"),
    Key("transfers", {"type": "object", "additionalProperties": SIGNED_MONEY}, "`name: amount`, negative for out"),
)  # fmt: skip
CAPITAL = section(
    "capital", "the year end's `capital:`",
    Key("programme", MONEY, "the capital programme"),
    Key("financing", AMOUNTS, "`source: amount`, adding up to the programme (`reserves` draws on the reserves)"),
)  # fmt: skip
MATCH = section(
    "match", "each of the year end's `match_funding:`",
    Key("unit", TEXT, "a unit's code", required=True),
    Key("income", TEXT, "the income line to be matched", required=True),
)  # fmt: skip
ACCOUNTS = section("accounts", "the year end's `accounts:`",
    Key("nature", TEXT, "what the collaboration is and does, in the words of the members' accounts notes"),
    Key("shares", TEXT, "whose shares each member's part is in: a basis, or a unit's code (default: the year end's)"),
    Key("assets", SIGNED_AMOUNTS, "its assets at the year end, `name: amount` (property and equipment, debtors, cash)"),
    Key("liabilities", SIGNED_AMOUNTS, "its liabilities, `name: amount` (creditors, provisions)"),
    Key("reserves", SIGNED_AMOUNTS, "its reserves, `name: amount`: assets less liabilities must equal them"),
    Key("last_year", SIGNED_AMOUNTS, "last year's figures, `line: amount`, for any line of the note"),
    Key("last_year_shares", TEXT, "the basis last year's figures were held in (default: this year's shares)"),
)  # fmt: skip
YEAR_END = section(
    "year_end", "`year_end:`",
    Key("outturn", SIGNED_AMOUNTS, "net out-turn by unit: spending less income (below nil for a pot of receipts)"),
    Key("settlement", {"enum": ["return", "reserves"]}, "`return` (default) the variance in shares, or to `reserves`"),
    Key("reserves", ref("reserves"), "opening reserves and transfers"),
    Key("capital", ref("capital"), "the capital programme and its financing"),
    Key("match_funding", {"type": "array", "items": ref("match")}, "grants the members must match"),
    Key("stand_alone", {"type": "object", "additionalProperties": AMOUNTS}, "`unit: {member: cost}` of running it alone"),
    Key("shares", TEXT, "whose shares each member's part of the reserves and capital is in: a basis, or a unit's code "
        "(default: the one basis every unit uses, or the one unit's)"),
    Key("leaver", LEAVER, "a member leaving in the year `leaves it behind` (default) or `takes its share` of the reserves"),
    Key("accounts", ref("accounts"), "the collaboration's balance sheet, for each member's accounts note"),
)  # fmt: skip
ACTUAL = section(
    "actual", "a unit's figures for a period under `monitoring: actuals:`",
    Key("actual", SIGNED_MONEY, "net spending in the period (spending less income)", required=True),
    Key("forecast", SIGNED_MONEY, "the year's forecast net out-turn at the period's end"),
    Key("explanation", TEXT, "why the figures are what they are, for the panel report"),
)  # fmt: skip
ACTUALS_TABLE = section(
    "actuals_table", "`monitoring: actuals_from:`",
    *WEIGHTS_TABLE.keys[:2],
    Key("unit_column", TEXT, "the heading of the column of unit codes", required=True),
    Key("period_column", TEXT, "the heading of the column of periods (`Q2`; by month `M6` or `2013-09`)", required=True),
    Key("actual_column", TEXT, "the heading of the column of net spending in the period", required=True),
    Key("forecast_column", TEXT, "the heading of the column of forecast out-turns (a blank cell: none given)"),
    Key("explanation_column", TEXT, "the heading of the column of explanations of the variances, for the panel report"),
)  # fmt: skip
MONITORING = section(
    "monitoring", "`monitoring:`",
    Key("periods", {"enum": ["quarterly", "monthly"]}, "`quarterly` (default: Q1 is April to June) or `monthly` (M1 is April)"),
    Key("actuals", {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {
        "anyOf": [SIGNED_MONEY, ref("actual")]}}},
        "`period: {unit: actual}` or `period: {unit: {actual, forecast}}`, e.g. `Q1: {EM-ROCU: 1204331}`"),
    Key("actuals_from", ref("actuals_table"), "the actuals from a spreadsheet, a row for each unit and period"),
)  # fmt: skip
LEDGER_MEMBER = Section("ledger_member", "a member's own codes under `ledger: members:`", LEDGER_MEMBER_KEYS)
LEDGER = Section("ledger", "`ledger:`", LEDGER_KEYS)
REPORT = section("report", "`report:`", *REPORT_KEYS)
BASES: Schema = {"type": "object", "additionalProperties": ref("basis")}
SHARES_FILE = section(
    "shares_file", "a shares file",
    Key("description", TEXT, "free text"),
    Key("bases", BASES, "named bases"),
    Key("defaults", ref("defaults"), "rule defaults"),
    Key("ledger", ref("ledger"), "account codes and cost centres for the members' ledger journals"),
)  # fmt: skip
BUDGET = section(
    "budget", "the top level",
    Key("collaboration", TEXT, "the collaboration's name", required=True),
    Key("year", TEXT_OR_NUMBER, "the financial year, such as 2013/14", required=True),
    Key("currency", {"const": "GBP"}, "`GBP`, the only currency"),
    Key("description", TEXT, "free text"),
    Key("members", {"type": "array", "minItems": 1, "items": {"anyOf": [TEXT, ref("member")]}},
        "the members, in the order the outputs show them", required=True),
    Key("shares_file", {"type": "string", "description": "A shares file, relative to this file"},
        "a shares file of bases and defaults, relative to this file"),
    Key("bases", BASES, "named bases"),
    Key("defaults", ref("defaults"), "the collaboration's rules, which each unit may override"),
    Key("units", {"type": "array", "items": ref("unit"), "minItems": 1}, "the units", required=True),
    Key("scenarios", {"type": "array", "items": ref("scenario")}, "named variants of the budget"),
    Key("revisions", {"type": "array", "items": ref("revision")}, "the year's revisions, each in force from its date"),
    Key("year_end", ref("year_end"), "out-turn, reserves, capital, match funding, stand-alone costs"),
    Key("membership", {"type": "array", "items": ref("membership_change")}, "members joining or leaving in the year"),
    Key("plan", ref("plan"), "the medium-term plan"),
    Key("period_rounding", {"enum": ["each period", "once for the year"]},
        "a unit split into periods by `membership:`: `each period` rounded on its own (default), or `once for the year`"),
    Key("support_method", {"enum": ["step-down", "reciprocal"]},
        "how support units that serve each other are charged out: `step-down` (default) or `reciprocal`"),
    Key("unit_bases", {"type": "object", "additionalProperties": ref("unit_basis")},
        "named bases of values by unit, for support units"),
    Key("in_kind_details", {"enum": ["shown", "confidential"]},
        "`shown` (default), or `confidential`: a member's workbook shows other members' officers in kind as values only"),
    Key("invoicing", ref("invoicing"), "how the members are invoiced: instalments, when due, references"),
    Key("statement", ref("statement"), "what each member's statement says of itself: issue date, status, version, "
        "contact and payment details"),
    Key("monitoring", ref("monitoring"), "actual spending and forecasts by unit and period, for `apportion monitor`"),
    Key("ledger", ref("ledger"), "the members' account codes and cost centres, for `run --ledger` (over the shares file's)"),
    Key("report", ref("report"), "the panel report's cover and how it shows figures, for `apportion report`"),
)  # fmt: skip

SECTIONS = (
    BUDGET, MEMBER, SHARES_FILE, BASIS, SOURCE, WEIGHTS_TABLE, DEFAULTS, UNIT, INLINE_BASIS, FIXED_BASIS, OFFICERS,
    INCOME_LINE, DATED_LINE, SUPPORT, UNIT_BASIS, ACTIVITY, LINES_TABLE, SCENARIO, CHANGE, INCOME_CHANGE, LINE_CHANGE,
    MODEL_CHANGE, SHARES_CHANGE, PLAN, SAVINGS, REVISION, MEMBERSHIP_CHANGE, EXIT, EXIT_COSTS, YEAR_END, RESERVES, CAPITAL,
    MATCH, ACCOUNTS, INVOICING, SCHEDULE, STATEMENT, MONITORING, ACTUAL, ACTUALS_TABLE, LEDGER, LEDGER_MEMBER, REPORT,
)  # fmt: skip
