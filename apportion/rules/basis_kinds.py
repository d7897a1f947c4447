"""Each kind of basis, declared once: how its weights are worked, how it reads in words,
and what the sweep and the workings need to know of it.

A basis gives each participant of a unit a weight; its share is its weight over the
participants' total (:mod:`apportion.rules.split`). The kinds:

* ``shares``: percentages as given; ``drivers``: raw values as given (population, calls);
* ``equal``: 1 each, whatever else a basis of this kind carries;
* ``composite``: other bases blended: each part re-normalised over the participants, then
  weighted by its percentage, ``w_m = sum over parts b of percent_b x w_bm / sum(w_bp)``
  (percentage points, adding up to 100). An ``equal`` part gives each of n participants
  1/n of its percentage: ``{population: 50%, equal: 50%}`` over A (3), B (1) and C (1)
  gives A 50 x 3/5 + 50 x 1/3 = 46.666...% and B and C 26.666...% each.

:func:`blend_parts` is the one working of a composite's blend: the calculation adds it up
and the workings (:mod:`apportion.rules.explain_charges`) show it part by part.

A new kind of basis is its name (:class:`~apportion.model.records.BasisKind`), its reader
(:mod:`apportion.input.bases`), its keys in the description of the budget file
(:mod:`apportion.input.description`, from which the schema and the key reference in
docs/config.md are made) and its :class:`KindRule` here. The rest follows: the
calculation, the workings and the workbooks read the rule from here, the manifest and the
what-ifs treat every kind alike, and the sweep's vectorised engine
(:mod:`apportion.rules.sweep_units`) takes only the kinds it declares and leaves any other
to the Decimal engine. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from apportion.model.money import plain, to_fraction
from apportion.model.records import Basis, BasisKind

Weight = Decimal | Fraction


class KindRule(NamedTuple):
    """What every step needs to know of one kind of basis."""

    weights: Callable[[Basis, Sequence[str]], dict[str, Weight]]  # each of these participants' weight
    words: Callable[[Basis], str]  # the basis in words: 'funding_formula (percentages)'
    in_percent: bool = False  # its weights are percentages (percentage points), and are shown so
    member_values: bool = True  # each member has a value of its own, which a sweep's --share changes


class BlendPart(NamedTuple):
    """One part of a composite's blend: the basis, its percentage, and each participant's
    share of it, re-normalised over the participants."""

    basis: Basis
    percent: Decimal
    shares: dict[str, Fraction]


def given(basis: Basis, members: Sequence[str]) -> dict[str, Weight]:
    """The values as the basis gives them."""
    return {m: basis.weights[m] for m in members}


def equal(_basis: Basis, members: Sequence[str]) -> dict[str, Weight]:
    return dict.fromkeys(members, Decimal(1))


def blend_parts(basis: Basis, members: Sequence[str]) -> list[BlendPart]:
    """Each part of a composite, its weights re-normalised over ``members``."""
    parts = []
    for part, percent in basis.parts:
        values = {m: to_fraction(w) for m, w in weights_of(part, members).items()}
        total = sum(values.values(), Fraction(0))
        parts.append(BlendPart(part, percent, {m: values[m] / total for m in members}))
    return parts


def blended(basis: Basis, members: Sequence[str]) -> dict[str, Weight]:
    """A composite's weights: each part's shares x its percentage, added up."""
    blend = dict.fromkeys(members, Fraction(0))
    for part in blend_parts(basis, members):
        for m in members:
            blend[m] += to_fraction(part.percent) * part.shares[m]
    return dict(blend)


def composite_words(basis: Basis) -> str:
    parts = ", ".join(f"{part.name} {plain(percent)}%" for part, percent in basis.parts)
    return f"{basis.name} (a blend of {parts})"


KINDS: dict[str, KindRule] = {
    BasisKind.SHARES: KindRule(given, lambda basis: f"{basis.name} (percentages)", in_percent=True),
    BasisKind.DRIVERS: KindRule(given, lambda basis: f"{basis.name} ({basis.unit_label or 'driver values'}, normalised)"),
    BasisKind.EQUAL: KindRule(equal, lambda _basis: "equal shares", member_values=False),
    BasisKind.COMPOSITE: KindRule(blended, composite_words, in_percent=True),
}


def rule_of(basis: Basis) -> KindRule:
    """The declared rule of the basis's kind."""
    return KINDS[basis.kind]


def weights_of(basis: Basis, members: Sequence[str]) -> dict[str, Weight]:
    """The basis's weights for these members."""
    return rule_of(basis).weights(basis, members)
