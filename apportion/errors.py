"""Named exceptions and the problem record that carries a location."""

from collections.abc import Sequence
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with an input, where it is, and how to fix it."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


class ApportionError(Exception):
    """Base class for every error apportion reports to its user."""


class InputError(ApportionError):
    """The input files have problems; all of them are listed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")


class OutputError(ApportionError):
    """The outputs could not be written where asked."""
