"""How the report writes figures and names: in pounds or £000, with a true minus sign;
shares and changes in per cent; counts in words; and every name or description from the
budget file escaped and isolated (``<bdi>``), so that markup shows as text and a name in
a right-to-left script cannot reorder the sentence around it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape

from apportion.model.messages import shown
from apportion.model.money import round_decimal
from apportion.model.report import Figures
from apportion.rules.report_figures import Shown

MINUS = "\u2212"
WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def name(value: str | None) -> Markup:
    """Text from the budget file: escaped, control characters shown as their codes, isolated."""
    return Markup("<bdi>{}</bdi>").format(shown(value or ""))


def plain_text(value: str | None) -> str:
    """Text from the budget file with control characters shown as their codes (for a CSS string or an SVG)."""
    return shown(value or "")


def signed(text: str, negative: bool, plus: bool) -> str:
    return f"{MINUS}{text}" if negative else f"+{text}" if plus else text


class Writer:
    """Figures as the report shows them: ``figures`` says in pounds or in £000."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.unit = "£000" if figures is Figures.THOUSANDS else "£"

    def steps(self, value: Shown | Decimal) -> Decimal:
        """A figure as shown, in the report's steps (pounds or thousands): already rounded
        by the rules, so this only divides; a figure that is not is refused, never rounded here."""
        amount = value.shown if isinstance(value, Shown) else value
        whole = amount / self.figures.step
        if whole != whole.to_integral_value():
            raise ValueError(f"{amount} is not a figure rounded for showing")
        return whole

    def cell(self, value: Shown | Decimal | None, *, plus: bool = False) -> str:
        """A figure for a table under a heading in £ or £000: '5,714,245', '5,714', '−838'."""
        if value is None:
            return ""
        whole = self.steps(value)
        return signed(f"{abs(whole):,.0f}", whole < 0, plus and whole > 0)

    def money(self, value: Shown | Decimal, *, plus: bool = False) -> str:
        """A figure in a sentence: '£5,714,245', or '£5,714k' in thousands."""
        whole = self.steps(value)
        suffix = "k" if self.figures is Figures.THOUSANDS else ""
        return signed(f"£{abs(whole):,.0f}{suffix}", whole < 0, plus and whole > 0)


def pence(value: Decimal | None, *, plus: bool = False) -> str:
    """To the penny, for the appendix: '5,714,244.63'."""
    if value is None:
        return ""
    return signed(f"{abs(value):,.2f}", value < 0, plus and value > 0)


def pounds(value: Decimal) -> str:
    """'£5,714,244.63' in a sentence of the appendix."""
    return signed(f"£{abs(value):,.2f}", value < 0, False)


def exact_money(value: Decimal) -> str:
    """An amount as the budget file gives it: '£50,000', or '£312.50' where it has pence."""
    text = f"£{abs(value):,.2f}".removesuffix(".00")
    return signed(text, value < 0, False)


def percent(share: Fraction | Decimal | None, places: int = 1, *, plus: bool = False) -> str:
    """A share (a fraction of one) or a percentage already (a Decimal) as '27.3%'."""
    if share is None:
        return ""
    value = round_decimal(share * 100, places) if isinstance(share, Fraction) else share
    return signed(f"{abs(value):.{places}f}%", value < 0, plus and value > 0)


def count(number: int, noun: str, plural: str | None = None) -> str:
    """'three forces', '12 units'."""
    word = WORDS[number] if number < len(WORDS) else f"{number:,}"
    return f"{word} {noun if number == 1 else plural or noun + 's'}"


def listed(names: list[Markup]) -> Markup:
    """'A, B and C', each already escaped."""
    if len(names) <= 1:
        return names[0] if names else Markup("")
    return Markup(", ").join(names[:-1]) + Markup(" and ") + names[-1]


def escape_css(value: str) -> Markup:
    """A CSS string (for a page's running head) holding ``value`` as text: every character
    but letters, digits and spaces written as a hexadecimal escape (ended by a space, which
    CSS takes as part of the escape), so that no quote, backslash or '</style>' in a name
    can end it."""
    out = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in plain_text(value))  # the space ends the escape
    return Markup(f'"{escape(out)}"')
