"""One counted pause of the cycle collector for the whole process: a read in one thread and agreement in another
must not turn it back on under each other, and it comes back only if it was on."""
from __future__ import annotations

import gc
import threading

from storage import collector_paused


def test_the_collector_is_off_while_any_pause_is_open_and_back_on_after_the_last() -> None:
    assert gc.isenabled()
    inner_opened, outer_may_close = threading.Event(), threading.Event()
    seen: list[bool] = []

    def other_thread() -> None:
        with collector_paused():
            inner_opened.set()
            outer_may_close.wait(10)
            seen.append(gc.isenabled())

    with collector_paused():
        worker = threading.Thread(target=other_thread)
        worker.start()
        assert inner_opened.wait(10)
    assert not gc.isenabled()  # the other thread's pause is still open
    outer_may_close.set()
    worker.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_it_works_as_a_decorator_and_restores_after_an_error() -> None:
    @collector_paused()
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("boom")

    try:
        fails()
    except ValueError:
        pass
    assert gc.isenabled()
