"""The report's glossary: every term it uses, and only those (a term for the levy only
where a unit pays one), defined as a panel member needs it."""

from __future__ import annotations

from collections.abc import Callable

from apportion.model import BasisKind, ChargingModel, UnitRole
from apportion.model.report import Figures
from apportion.rules.report_figures import PanelReport


def has_model(model: ChargingModel) -> Callable[[PanelReport], bool]:
    return lambda report: any(row.unit.model is model for row in report.units)


def always(_report: PanelReport) -> bool:
    return True


TERMS: tuple[tuple[str, str, Callable[[PanelReport], bool]], ...] = (
    ("Activity charge", "A charge of a rate for each unit of a member's activity (an actioned call, a flying hour); what "
     "the rates do not recover, or recover over the unit's cost, is shared by a basis.",
     lambda r: any(row.unit.activity is not None for row in r.units)),
    ("Basis", "What a unit's cost is shared by: agreed percentages (a share), figures such as population "
     "(driver values, normalised), equal parts, or a blend of these.", always),
    ("Bridge", "The steps from last year's total contribution to this year's, by cause.", lambda r: r.bridge is not None),
    ("Budget to date", "The year's net budget spread evenly over its periods, to the end of the period reported.",
     lambda r: r.monitoring is not None),
    ("Capital programme", "Spending on vehicles, equipment and other assets, and how it is financed.",
     lambda r: r.year_end is not None and r.year_end.programme is not None),
    ("Forecast out-turn", "What the year's net spending is expected to be, as forecast at the end of the period reported.",
     lambda r: r.monitoring is not None),
    ("Host force", "The force that runs a unit under the host-force model: its business support is a line of the unit's "
     "budget, and no levy is charged.", has_model(ChargingModel.HOST_FORCE)),
    ("In kind", "Officers and staff a member seconds to a unit instead of cash, valued at their cost. Additional: reported "
     "beside the cash, which does not change. Offset: credited against the member's share of the unit's total cost, "
     "cash and in kind.", lambda r: bool(r.totals.in_kind.exact)),
    ("Income returned", "Income a unit passes back to its members by a split of its own, rather than netting it off the "
     "budget.", lambda r: any(i.is_returned for row in r.units for i in row.unit.income)),
    ("Largest remainder", "How an amount is split so that its parts add up exactly to it: each part is rounded down, and "
     "what is left over goes a penny (or a pound, or £1,000, in this report's tables) at a time to the parts rounded "
     "down most.", always),
    ("Lead force", "The force that runs a unit under the lead-force model and provides its business support; the other "
     "forces pay it a levy.", has_model(ChargingModel.LEAD_FORCE)),
    ("Levy", "Under the lead-force model, a percentage of a unit's pay that the other forces pay the lead force, in their "
     "shares, for its business support.", has_model(ChargingModel.LEAD_FORCE)),
    ("Membership changes", "Members that joined or left the collaboration since last year: their whole contribution this "
     "year, or last year's, moves the total.", lambda r: r.bridge is not None and bool(r.bridge.joiners or r.bridge.leavers)),
    ("Median", "In a sweep, the member's figure in the outcome in the middle when the outcomes are put in order of it.",
     lambda r: r.sensitivity is not None),
    ("Net budget", "A unit's spending (pay and non-pay) less its grants and income: what its members fund in cash.", always),
    ("Net cash payable", "What a member pays in cash: its share of cost, plus any levy it pays (less any it receives), "
     "less any credit for officers in kind.", always),
    ("Per head", "A member's total contribution divided by its population.", lambda r: r.population_basis is not None),
    ("Re-normalised share", "A member's share of a unit that not every member takes part in: its share divided by the "
     "shares of those that take part, so the participants' shares add up to 100%.",
     lambda r: any(len(row.unit.participants) < len(r.members) and row.unit.basis.kind is not BasisKind.EQUAL
                   for row in r.units)),
    ("Reserves", "Money the collaboration holds from past years, drawn on or added to at the year end.",
     lambda r: r.year_end is not None and r.year_end.closing is not None),
    ("Scenario", "A variant of the budget the budget file defines (a member leaving, a grant cut), set beside the budget as "
     "written.", lambda r: bool(r.scenarios)),
    ("SHA-256", "A fingerprint of a file's bytes: any change to the file changes it. The appendix gives each input's, so "
     "that the figures can be traced to the files they were made from.", always),
    ("Share of cost", "A member's part of a unit's net budget (or, with officers in kind offset, of its total cost).",
     always),
    ("Support charges", "The cost of a support unit (business support, ICT), charged to the units it serves and through "
     "them to their members.", lambda r: any(row.unit.role is UnitRole.SUPPORT for row in r.units)),
    ("Sweep", "The figures worked out over a range of outcomes of inputs not yet known (a grant, a pay award, a levy "
     "rate), to show each member's exposure.", lambda r: r.sensitivity is not None),
    ("Total contribution", "A member's net cash payable plus the value of the officers it seconds in kind.", always),
    ("Variance", "The net budget less the forecast out-turn: positive, an under-spend; negative, an over-spend.",
     lambda r: r.monitoring is not None or (r.year_end is not None and bool(r.year_end.settled))),
    ("£000", "Thousands of pounds: 20,931 in a £000 column is £20,931,000 to the nearest £1,000.",
     lambda r: r.settings.figures is Figures.THOUSANDS),
)  # fmt: skip


def glossary(report: PanelReport) -> list[tuple[str, str]]:
    """The terms the report uses, in alphabetical order, with their definitions."""
    return [(term, definition) for term, definition, used in TERMS if used(report)]
