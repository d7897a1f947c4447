"""What every part of a workbook is written with: the namespaces, escaping, column
letters and references to sheets."""

import re

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_TIME = "2000-01-01T00:00:00Z"  # documents carry no wall-clock time, so a rerun is byte-identical
COMPRESSION = 1  # deflate level: the national run writes ~100 MB of XML; level 1 is ~4x faster than 6, ~10% larger

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def escape(text: str) -> str:
    """Text as XML character data or an attribute value; characters XML cannot hold become U+FFFD."""
    if not _SPECIAL.search(text):  # most text: nothing to do
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _ILLEGAL.sub("\ufffd", text) if _ILLEGAL.search(text) else text


_AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# A..Z, AA..ZZ, AAA..ALK: column letters by number (LETTERS[1] == "A"), made without
# working each out at start-up
LETTERS = ["", *_AZ, *(a + b for a in _AZ for b in _AZ), *(a + b + c for a in _AZ[:2] for b in _AZ for c in _AZ)][:1000]


def quote_sheet(title: str) -> str:
    """A sheet name as a formula or name refers to it: 'It''s'."""
    return "'" + title.replace("'", "''") + "'"
