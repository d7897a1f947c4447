"""apportion's own SpreadsheetML writer: every byte of XML in a workbook is written here.

Workbook modules describe sheets, cells, formulas, tables and charts through
:class:`Workbook` and :class:`Sheet`; :mod:`~.parts` and :mod:`~.charts` turn them into
the package's parts.
"""

from apportion.outputs.spreadsheet.markup import LETTERS, escape, quote_sheet
from apportion.outputs.spreadsheet.workbook import Cell, Chart, Formula, PageSetup, Relative, Series, Sheet, Style, Workbook

__all__ = [
    "LETTERS",
    "Cell",
    "Chart",
    "Formula",
    "PageSetup",
    "Relative",
    "Series",
    "Sheet",
    "Style",
    "Workbook",
    "escape",
    "quote_sheet",
]
