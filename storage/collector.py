"""Python's cycle collector paused while a burst of records is built or matched.

Reads of 50,000 annotations and corpus agreement over 1,000,000 make millions of records, units and tuples, none
of them in reference cycles; each automatic full collection walks every object the process holds with the GIL
held, so a collection set off in a worker thread froze the window's UI thread for up to 2 s (measured by
bench/bench_ui_stall.py and bench/bench_scale.py). One counted pause for the whole process: the collector is
off while any pause is open, in any thread, and back on (if it was on) when the last one closes."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holds = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Usable as a decorator; nested and concurrent pauses share one count."""
    global _holds, _was_enabled
    with _lock:
        if _holds == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0 and _was_enabled:
                gc.enable()
