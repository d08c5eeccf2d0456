"""A sorted interval index of annotation spans, queried one text block (paragraph) at a time.

The highlighter asks "what overlaps block n?" for each block it paints, and a change to one annotation must
repaint only the blocks it touches. Spans are kept sorted by start; a query looks only at spans starting
within the longest ordinary span's length before the range, so it reads a handful of entries whatever the
document holds. The rare very long spans (over LONG_SPAN code points) are kept apart and always checked.
Offsets are code points of the stored text; block starts are given in code points too.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

LONG_SPAN = 4000

# One highlighted range: (start, end, annotation id, is the reader's own, what it stands for -- the view puts
# the AnnotationRecord there). A plain tuple, not a class: a document may bring 50,000 of them, and tuples
# built by zip() cost a tenth of any object. Tuples sort by start, end, id; ids are unique, so the payload
# is never compared.
Span = tuple[int, int, str, bool, Any]


def paint_order(span: Span) -> tuple[int, int, str]:
    """Outer spans first, so inner ones are drawn over them."""
    return (span[0], -span[1], span[2])


class SpanIndex:
    """Insert, remove and query spans by range; reports which blocks each change touches."""

    def __init__(self, block_starts: Sequence[int], text_length: int) -> None:
        if not block_starts or block_starts[0] != 0:
            raise ValueError("block starts must begin with 0")
        self._block_starts = list(block_starts)
        self._text_length = text_length
        self._starts: list[int] = []      # parallel to _entries, for bisect
        self._entries: list[Span] = []    # ordinary spans, sorted by start
        self._long: dict[str, Span] = {}  # spans longer than LONG_SPAN
        self._by_id: dict[str, Span] = {}
        self._reach = 0                   # no ordinary span is longer than this

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._by_id

    @property
    def block_count(self) -> int:
        return len(self._block_starts)

    def block_start(self, block: int) -> int:
        return self._block_starts[block]

    def block_end(self, block: int) -> int:
        """End of the block's text, before its separator (the next block's start minus one)."""
        if block + 1 < len(self._block_starts):
            return self._block_starts[block + 1] - 1
        return self._text_length

    def block_of(self, offset: int) -> int:
        """The block holding the character at `offset` (the last block for the end of the text)."""
        return max(bisect_right(self._block_starts, offset) - 1, 0)

    def blocks_touching(self, start: int, end: int) -> range:
        """Block numbers a span [start, end) covers; an empty span touches the block it sits in."""
        return range(self.block_of(start), self.block_of(max(start, end - 1)) + 1)

    def get(self, span_id: str) -> Span | None:
        return self._by_id.get(span_id)

    def spans(self) -> Iterable[Span]:
        return self._by_id.values()

    def load(self, spans: Iterable[Span]) -> None:
        """Replaces every span at once: one sort, and the per-span work done in C (map, zip, numpy), because
        opening a document with 50,000 annotations must stay well under a frame budget of a few hundred ms."""
        given = list(spans)
        self._by_id = dict(zip(map(itemgetter(2), given), given))   # an id given twice: the last one wins
        entries = sorted(self._by_id.values())
        long_rows, reach = _long_rows_and_reach(entries)
        self._long = {entries[row][2]: entries[row] for row in long_rows}
        for row in reversed(long_rows):
            del entries[row]
        self._entries = entries
        self._starts = list(map(itemgetter(0), entries))
        self._reach = reach

    def insert(self, span: Span) -> list[int]:
        """Adds (or replaces) a span; returns the blocks whose painting changes, in order."""
        start, end, span_id = span[0], span[1], span[2]
        touched = set(self.remove(span_id))
        self._by_id[span_id] = span
        if end - start > LONG_SPAN:
            self._long[span_id] = span
        else:
            at = bisect_left(self._entries, span)
            self._entries.insert(at, span)
            self._starts.insert(at, start)
            self._reach = max(self._reach, end - start)
        return sorted(touched.union(self.blocks_touching(start, end)))

    def remove(self, span_id: str) -> range:
        """Removes a span if present; returns the blocks it was painted in."""
        span = self._by_id.pop(span_id, None)
        if span is None:
            return range(0)
        if self._long.pop(span_id, None) is None:
            at = bisect_left(self._entries, span)
            del self._entries[at]
            del self._starts[at]
        return self.blocks_touching(span[0], span[1])

    def query(self, start: int, end: int) -> list[Span]:
        """Spans overlapping [start, end), outermost first; a point query is query(p, p + 1)."""
        low = bisect_right(self._starts, start - self._reach)
        high = bisect_left(self._starts, end)
        found = [s for s in self._entries[low:high] if s[1] > start]
        found.extend(s for s in self._long.values() if s[0] < end and s[1] > start)
        found.sort(key=paint_order)
        return found

    def in_block(self, block: int) -> list[Span]:
        """Spans touching block `block` (its separator included), outermost first."""
        return self.query(self._block_starts[block], self.block_end(block) + 1)


_START, _END, _ID = attrgetter("start"), attrgetter("end"), attrgetter("id")


def span_of(item: Any, own: bool) -> Span:
    """The span of anything with start, end and id (an AnnotationRecord), carrying the item itself."""
    return (item.start, item.end, item.id, own, item)


def spans_of(items: Collection[Any], own: bool) -> list[Span]:
    """span_of for many items, built in C (map and zip): 50,000 records take a few milliseconds."""
    return list(zip(map(_START, items), map(_END, items), map(_ID, items), repeat(own), items))


def by_length(span: Span) -> tuple[int, int]:
    """Shortest first: the innermost of nested spans is the one a click means."""
    return (span[1] - span[0], span[0])



NUMPY_FROM = 5_000  # spans; below this plain Python is as quick, and start-up need not load numpy


def _long_rows_and_reach(entries: list[Span]) -> tuple[list[int], int]:
    """Rows of the spans longer than LONG_SPAN, and the longest length among the others."""
    if len(entries) < NUMPY_FROM:
        lengths = [entry[1] - entry[0] for entry in entries]
        return ([row for row, n in enumerate(lengths) if n > LONG_SPAN],
                max((n for n in lengths if n <= LONG_SPAN), default=0))
    import numpy as np

    starts = np.fromiter(map(itemgetter(0), entries), dtype=np.int64, count=len(entries))
    array = np.fromiter(map(itemgetter(1), entries), dtype=np.int64, count=len(entries)) - starts
    return np.flatnonzero(array > LONG_SPAN).tolist(), int(array[array <= LONG_SPAN].max(initial=0))
