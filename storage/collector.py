"""Python's cycle collector paused while a burst of records is built or matched.

Reads of 50,000 annotations and corpus agreement over 1,000,000 make millions of records, units and tuples, none
of them in reference cycles; each automatic full collection walks every object the process holds with the GIL
held, so a collection set off in a worker thread froze the window's UI thread for up to 2 s (measured by
bench/bench_ui_stall.py and bench/bench_scale.py). One counted pause for the whole process: the collector is
off while any pause is open, in any thread, and back on (if it was on) when the last one closes.

When it closes, everything allocated meanwhile goes straight to the oldest generation (gc.freeze() then
gc.unfreeze(): two list splices, no walk). Otherwise the first young collection after the pause would walk all
of it at once, a few hundred milliseconds after a big read, holding the GIL (the stalls bench_ui_stall --where
showed right after the pause). Cyclic garbage among it is still found, by the next full collection. When the
pause loaded modules (numpy and scipy come with the first matching), everything stays frozen instead, once: a
module's functions, classes and dicts live as long as the process, and walking them made up most of every
full collection (about 80 ms of CPU for the 100,000 objects the window's modules alone make)."""
from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holds = 0
_was_enabled = False
_modules_before = 0


@contextmanager
def collector_paused() -> Iterator[None]:
    """Usable as a decorator; nested and concurrent pauses share one count."""
    global _holds, _was_enabled, _modules_before
    with _lock:
        if _holds == 0:
            _was_enabled, _modules_before = gc.isenabled(), len(sys.modules)
            gc.disable()
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0:
                gc.freeze()
                if len(sys.modules) == _modules_before:
                    gc.unfreeze()
                if _was_enabled:
                    gc.enable()
