"""How a text output (a CSV, the journal) differs from what apportion writes, line by line,
in time at most a little more than linear in the lines, whatever the file holds.

The lines both share at the start and at the end are set aside first, so one line added to
a long journal costs one pass. What is left is matched with :mod:`difflib` when it is short;
when it is long, by the lines that occur once on each side, in order (as a patience diff
does), and line by line between them. A line that is missing in one place and added in
another is said to have moved.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from typing import NamedTuple

Opcode = tuple[str, int, int, int, int]  # (tag, first, last, found first, found last), as difflib gives them
SMALL = 1_000  # lines of a changed stretch (both sides) matched by difflib; longer ones by their unique lines


class Stretch(NamedTuple):
    """Lines first to last (exclusive) of what apportion writes, and found first to found last of the file."""

    first: int
    last: int
    found_first: int
    found_last: int


def opcodes(expected: Sequence[str], found: Sequence[str]) -> list[Opcode]:
    """How to turn ``expected`` into ``found``: difflib's opcodes, made in near-linear time."""
    return changed(expected, found, Stretch(0, len(expected), 0, len(found)), anchored=True)


def changed(a: Sequence[str], b: Sequence[str], stretch: Stretch, *, anchored: bool) -> list[Opcode]:
    """The opcodes of a stretch: the lines it shares at its start and end, and between them the rest."""
    i1, i2, j1, j2 = stretch
    head = 0
    while i1 + head < i2 and j1 + head < j2 and a[i1 + head] == b[j1 + head]:
        head += 1
    tail = 0
    while i2 - tail > i1 + head and j2 - tail > j1 + head and a[i2 - tail - 1] == b[j2 - tail - 1]:
        tail += 1
    ops: list[Opcode] = [("equal", i1, i1 + head, j1, j1 + head)] if head else []
    ops += middle(a, b, Stretch(i1 + head, i2 - tail, j1 + head, j2 - tail), anchored=anchored)
    if tail:
        ops.append(("equal", i2 - tail, i2, j2 - tail, j2))
    return ops


def middle(a: Sequence[str], b: Sequence[str], stretch: Stretch, *, anchored: bool) -> list[Opcode]:
    i1, i2, j1, j2 = stretch
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2 or j1 == j2:
        return [("insert" if i1 == i2 else "delete", i1, i2, j1, j2)]
    if (i2 - i1) + (j2 - j1) <= SMALL:
        matcher = difflib.SequenceMatcher(a=a[i1:i2], b=b[j1:j2], autojunk=False)
        return [(tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2) for tag, x1, x2, y1, y2 in matcher.get_opcodes()]
    anchors = unique_in_order(a[i1:i2], b[j1:j2]) if anchored else []
    if not anchors:
        return [("replace", i1, i2, j1, j2)]
    ops: list[Opcode] = []
    for i, j in [(stretch.first + x, stretch.found_first + y) for x, y in anchors]:  # between them: trimmed, matched if short
        ops += changed(a, b, Stretch(i1, i, j1, j), anchored=False)
        ops.append(("equal", i, i + 1, j, j + 1))
        i1, j1 = i + 1, j + 1
    return ops + changed(a, b, Stretch(i1, i2, j1, j2), anchored=False)


def unique_in_order(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """The longest run, in order on both sides, of lines that occur once on each side, as
    (line in a, line in b): the longest increasing run of b's positions, by patience sorting."""
    counts_a, counts_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if counts_b[line] == 1 and counts_a[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a) if line in where_b]
    tops: list[int] = []
    top_at: list[int] = []
    before: list[int] = [-1] * len(pairs)
    for index, (_i, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            top_at.append(index)
        else:
            tops[pile], top_at[pile] = j, index
        before[index] = top_at[pile - 1] if pile else -1
    run = []
    index = top_at[-1] if top_at else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


LineChange = tuple[str, int, int, str, str]  # (kind, expected line, found line, expected text, found text)


def line_changes(expected: Sequence[str], found: Sequence[str]) -> Iterator[LineChange]:
    """Each line that differs: 'changed', 'missing', 'added', or 'moved' (missing in one
    place and added in another, matched by its text, in order). Lines count from 1; 0: none."""
    ops = [op for op in opcodes(expected, found) if op[0] != "equal"]
    removed: dict[str, deque[int]] = {}
    for _tag, i1, i2, _j1, _j2 in ops:
        for i in range(i1, i2):
            removed.setdefault(expected[i], deque()).append(i)
    moved_from: dict[int, int] = {}  # found line -> the expected line it moved from
    for _tag, _i1, _i2, j1, j2 in ops:
        for j in range(j1, j2):
            queue = removed.get(found[j])
            if queue:
                moved_from[j] = queue.popleft()
    taken = set(moved_from.values())
    for _tag, i1, i2, j1, j2 in ops:
        lefts = [i for i in range(i1, i2) if i not in taken]
        rights = [j for j in range(j1, j2) if j not in moved_from]
        for j in range(j1, j2):
            if j in moved_from:
                yield "moved", moved_from[j] + 1, j + 1, found[j], found[j]
        for i, j in zip(lefts, rights, strict=False):
            yield "changed", i + 1, j + 1, expected[i], found[j]
        for i in lefts[len(rights) :]:
            yield "missing", i + 1, 0, expected[i], ""
        for j in rights[len(lefts) :]:
            yield "added", 0, j + 1, "", found[j]
