"""Names a person types (members, units, bases, scenarios), matched to the budget's own the
same way wherever they are typed: exactly, else the one name equal to it ignoring case
and spaces at the ends; otherwise refused with the closest name and the list of all."""

from __future__ import annotations

from collections.abc import Sequence

from apportion.input.values import did_you_mean
from apportion.model import ApportionError


class UnknownName(ApportionError):
    """A typed name that is none of the budget's."""


PLURALS = {"basis": "bases"}


def matched(word: str, names: Sequence[str], what: str, *, also: str = "") -> str:
    """The budget's spelling of ``word``, one of ``names`` (a ``what``: member, unit, basis,
    scenario); ``also`` is what else may be typed (", or all")."""
    if word in names:
        return word
    folded = [name for name in names if name.casefold() == word.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    plural = PLURALS.get(what, f"{what}s")
    if not names:
        raise UnknownName(f"{word!r} is not a {what}: the budget file has no {plural}")
    raise UnknownName(f"{word!r} is not a {what}{did_you_mean(word, names)}; {plural} are: {', '.join(names)}{also}")
