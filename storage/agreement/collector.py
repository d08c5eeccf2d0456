"""The cycle collector paused while agreement reads and matches a corpus.

A corpus of 1,000,000 annotations is millions of records, units and tuples, none of them in reference cycles;
each automatic full collection would walk all of them with the GIL held, and the window computes corpus
agreement in a worker thread, so every such walk froze the UI thread (0.2-0.45 s each already at 20,000
annotations, measured by bench/bench_scale.py)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Usable as a decorator. Restores the collector only if it was running (a nested pause keeps it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
