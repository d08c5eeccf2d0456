"""The span index against a brute-force list: same answers after any mix of load, insert and remove."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gui.span_index import LONG_SPAN, Span, SpanIndex, paint_order

TEXT_LENGTH = 3 * LONG_SPAN
BLOCK_STARTS = [0, 10, 11, 500, 4200, 9000]

spans = st.builds(
    lambda start, length, ident, own: (start, min(start + length, TEXT_LENGTH), f"s{ident}", own, None),
    st.integers(0, TEXT_LENGTH - 1), st.one_of(st.integers(1, 60), st.integers(LONG_SPAN - 2, 2 * LONG_SPAN)),
    st.integers(0, 30), st.booleans())


def brute_query(live: dict[str, Span], start: int, end: int) -> list[Span]:
    return sorted((s for s in live.values() if s[0] < end and s[1] > start), key=paint_order)


@settings(max_examples=60, deadline=None)
@given(initial=st.lists(spans, max_size=20), operations=st.lists(st.tuples(st.booleans(), spans), max_size=30),
       queries=st.lists(st.tuples(st.integers(0, TEXT_LENGTH), st.integers(1, 300)), min_size=1, max_size=10))
def test_index_answers_like_a_plain_list(initial, operations, queries) -> None:  # type: ignore[no-untyped-def]
    index = SpanIndex(BLOCK_STARTS, TEXT_LENGTH)
    index.load(initial)
    live = {s[2]: s for s in initial}
    for is_insert, span in operations:
        if is_insert:
            touched = index.insert(span)
            previous = live.get(span[2])
            live[span[2]] = span
            assert set(index.blocks_touching(span[0], span[1])) <= set(touched)
            if previous is not None:
                assert set(index.blocks_touching(previous[0], previous[1])) <= set(touched)
        else:
            removed = index.remove(span[2])
            gone = live.pop(span[2], None)
            assert list(removed) == ([] if gone is None else list(index.blocks_touching(gone[0], gone[1])))
    assert len(index) == len(live)
    for start, width in queries:
        assert index.query(start, start + width) == brute_query(live, start, start + width)
    for block in range(index.block_count):
        assert index.in_block(block) == brute_query(live, index.block_start(block), index.block_end(block) + 1)


def test_blocks_touching_and_block_of() -> None:
    index = SpanIndex(BLOCK_STARTS, TEXT_LENGTH)
    assert index.block_of(0) == 0 and index.block_of(9) == 0 and index.block_of(10) == 1
    assert index.block_of(TEXT_LENGTH) == len(BLOCK_STARTS) - 1
    assert list(index.blocks_touching(5, 12)) == [0, 1, 2]
    assert list(index.blocks_touching(11, 11)) == [2]
    assert index.insert((3, 600, "x", True, None)) == [0, 1, 2, 3]
    assert index.insert((4300, 4310, "x", True, None)) == [0, 1, 2, 3, 4]   # moved: old and new blocks repaint
