"""The report's words, made from its figures: the summary, each unit's rules in a
sentence ("shared by funding-formula share, re-normalised over the three forces that take
part"), and what moved a member's contribution. Every name is escaped and isolated
(:func:`apportion.outputs.report.figures.name`)."""

from __future__ import annotations

from markupsafe import Markup

from apportion.model import BasisKind, ChargingModel, InKindTreatment, Unit, UnitRole
from apportion.model.money import plain
from apportion.model.records import Basis
from apportion.outputs.report.figures import Writer, count, exact_money, listed, name, percent
from apportion.rules.explain_text import as_words
from apportion.rules.report_figures import PanelReport, Reason, UnitRow

POLICE_FORCE = "police force"


def summary(report: PanelReport, w: Writer) -> list[Markup]:
    """The summary's paragraphs: the headline, who pays most and least, what changed, and
    the monitoring, year end and risks where the report has them."""
    rows = {row.member: row for row in report.members}
    totals = report.totals
    paying = [row for row in report.members if row.status != "left"]
    who = count(len(paying), "force") if all(row.kind == POLICE_FORCE for row in paying) else count(len(paying), "member")
    out = [
        Markup("The {} fund a net budget of <strong>{}</strong> for {} in cash").format(
            who, w.money(totals.cash), name(report.year)
        )
        + (
            Markup(", and second officers worth {} in kind: a total contribution of {}.").format(
                w.money(totals.in_kind), w.money(totals.total)
            )
            if totals.in_kind.exact
            else Markup(".")
        )
    ]
    units = report.unit_totals
    if units.income.exact:
        out.append(
            Markup("The units spend {}; grants and income meet {} of it, and the members the rest.").format(
                w.money(units.spending), w.money(units.income)
            )
        )
    most, least = rows[report.biggest], rows[report.smallest]
    out.append(
        Markup("{} pays most, {} ({} of the total); {} least, {} ({}).").format(
            name(most.member),
            w.money(most.total),
            percent(most.share),
            name(least.member),
            w.money(least.total),
            percent(least.share),
        )
    )
    if report.bridge is not None and totals.change is not None and totals.last_year is not None:
        out.append(change_paragraph(report, w))
    if report.monitoring is not None:
        m = report.monitoring
        variance = m.totals["variance"]
        kind = "an under-spend" if variance.exact >= 0 else "an over-spend"
        out.append(
            Markup("At the end of {}, the forecast out-turn is {} against a budget of {}: {} of {}.").format(
                m.report.describe(),
                w.money(m.totals["forecast"]),
                w.money(m.totals["budget"]),
                kind,
                w.money(abs(variance.shown)),
            )
        )
    if report.year_end is not None and report.year_end.closing is not None:
        opening = report.year_end.reserves[0][1]
        out.append(
            Markup("The reserves, {} at the start of the year, come to {} at its end.").format(
                w.money(opening), w.money(report.year_end.closing)
            )
        )
    if report.sensitivity is not None and report.sensitivity.exposures:
        s = report.sensitivity
        widest = next(e for e in s.exposures if e.member == s.widest)
        out.append(
            Markup("Over {} ({}), {}'s net cash payable varies most: from {} to {}.").format(
                count(s.outcomes, "outcome"),
                listed([name(v) for v in s.varied]),
                name(widest.member),
                w.money(widest.lowest),
                w.money(widest.highest),
            )
        )
    for column in report.scenarios:
        if not column.changes:
            continue
        member, change = max(column.changes.items(), key=lambda pair: (pair[1].exact, pair[0]))
        if change.exact > 0:
            out.append(
                Markup("Under the scenario {} ({}), {}'s net cash payable would rise most, by {} a year.").format(
                    name(column.name), name(column.description or "no description"), name(member), w.money(change)
                )
            )
    return out


def change_paragraph(report: PanelReport, w: Writer) -> Markup:
    """The change from last year, and the member whose contribution moved most, and why."""
    bridge, totals = report.bridge, report.totals
    assert bridge is not None and totals.change is not None and totals.last_year is not None  # noqa: S101 - asked for so
    direction = "more" if totals.change.exact >= 0 else "less"
    text = Markup("Their total contribution is {} {} than in {} ({}{}).").format(
        w.money(abs(totals.change.shown)),
        direction,
        name(bridge.last_year),
        w.money(totals.last_year),
        Markup("; {}").format(percent(totals.change_percent, plus=True)) if totals.change_percent is not None else "",
    )
    moved = [reason for reason in bridge.reasons if reason.change]
    if moved:
        largest = max(moved, key=lambda reason: (abs(reason.change), reason.member))
        row = next(row for row in report.members if row.member == largest.member)
        change = row.change if row.change is not None else row.total if row.status == "joined" else None
        if change is not None:
            more = "more" if largest.change > 0 else "less"
            text += Markup(" The largest change is {}'s: it pays {} {}, {}.").format(
                name(largest.member), w.money(abs(change.shown)), more, reason_words(largest, len(report.units) > 1)
            )
    return text


def reason_words(reason: Reason, units: bool = True) -> Markup:
    """'mostly its share of cost of Forensic Services (EMSOU-FS), a unit new this year';
    without ``units`` (a collaboration of one unit), 'mostly its share of cost'."""
    if not reason.unit:
        joined = "joined" in reason.rule
        return Markup("having {} the collaboration".format("joined" if joined else "left")) if reason.rule else Markup("")
    if not units:
        return Markup("mostly its {}").format(reason.rule)
    new = Markup(", a unit new this year") if reason.new_unit else Markup("")
    return Markup("mostly its {} of {} ({}){}").format(reason.rule, name(reason.unit_name), name(reason.unit), new)


def basis_words(basis: Basis) -> Markup:
    """'funding-formula share', 'population (people)', 'equal parts', 'a blend of ...'."""
    if basis.kind is BasisKind.EQUAL:
        return Markup("in equal parts")
    if basis.kind is BasisKind.COMPOSITE:
        parts = listed([Markup("{} {}%").format(name(as_words(part.name)), plain(w)) for part, w in basis.parts])
        return Markup("by a blend of {}, each re-normalised first").format(parts)
    if basis.kind is BasisKind.SHARES:
        spaced = as_words(basis.name)
        if spaced.casefold().endswith(("share", "shares")):  # 'regional_shares': by regional shares
            return Markup("by {}").format(name(spaced))
        return Markup("by {} share").format(name(basis.name.replace("_", "-")))  # 'funding_formula': funding-formula share
    words = name(as_words(basis.name))
    label = Markup(" ({})").format(name(basis.unit_label)) if basis.unit_label and basis.unit_label != basis.name else Markup("")
    return Markup("in proportion to {}{}").format(words, label)


def unit_words(row: UnitRow, report: PanelReport, w: Writer) -> Markup:
    """How a unit is paid for, in a sentence or three."""
    unit = row.unit
    kinds = {m.member: m.kind for m in report.members}
    everyone = [m.member for m in report.members if m.status != "left"]
    who = "forces" if all(kinds.get(m) == POLICE_FORCE for m in unit.participants) else "members"
    if unit.role is UnitRole.SUPPORT and unit.support is not None:
        text = Markup("A support unit: its cost is charged to the units it serves {}, and through them to their members.").format(
            unit.support.describe()
        )
    elif unit.activity is not None:
        activity = unit.activity
        period = Markup(" ({})").format(name(activity.period)) if activity.period else Markup("")
        text = Markup("Each {} pays {} for each of its {}{}").format(
            who[:-1], exact_money(activity.rate_amount), name(activity.measure), period
        )
        if row.recovered is not None and row.balance is not None:
            what = "do not recover" if row.balance.exact >= 0 else "recover over the cost"
            text += Markup(": the rates recover {}, and what they {}, {}, is shared {}.").format(
                w.money(row.recovered), what, w.money(abs(row.balance.shown)), basis_words(activity.balance)
            )
        else:
            text += Markup("; what the rates do not recover is shared {}.").format(basis_words(activity.balance))
    else:
        if list(unit.participants) == everyone:
            among = Markup("among all {}").format(count(len(everyone), who[:-1], who))
        else:
            among = Markup("re-normalised over the {} that take part ({})").format(
                count(len(unit.participants), who[:-1], who), listed([name(m) for m in unit.participants])
            )
        text = Markup("Shared {}, {}.").format(basis_words(unit.basis), among)
        if unit.fixed_amounts:
            fixed = listed([Markup("{} {}").format(name(m), exact_money(a)) for m, a in unit.fixed_amounts.items()])
            text = Markup("Fixed amounts ({}); the rest shared {}, {}.").format(fixed, basis_words(unit.basis), among)
    return text + model_words(unit) + in_kind_words(row, w)


def model_words(unit: Unit) -> Markup:
    if unit.model is ChargingModel.LEAD_FORCE:
        base = "its pay" if unit.levy_base.value == "gross_pay" else "its pay net of income"
        return Markup(" {} leads it and receives a levy of {}% of {} from the others, in their shares.").format(
            name(unit.lead), plain(unit.levy_rate), base
        )
    if unit.model is ChargingModel.HOST_FORCE:
        return Markup(" {} hosts it; its business support is a line of the budget, with no levy.").format(name(unit.lead))
    return Markup("")


def in_kind_words(row: UnitRow, w: Writer) -> Markup:
    unit = row.unit
    if not unit.in_kind:
        return Markup("")
    givers = listed([name(oik.member) for oik in unit.in_kind])
    how = (
        "credited against their share of the total cost"
        if unit.in_kind_treatment is InKindTreatment.OFFSET
        else "in addition to their cash"
    )
    return Markup(" {} second officers in kind worth {}, {}.").format(givers, w.money(row.figures.in_kind), how)
