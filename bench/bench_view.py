"""Article view speed on a 2 MB article with 50,000 overlapping annotations; prints a table.

    python bench/bench_view.py [--repeat N] [--size CHARS] [--annotations N]   (runs offscreen)

open:   set_document + processEvents + grab of the shown view (until painted)
add:    add_annotation of one new span on the visible page + processEvents (Qt repaints the changed block)
scroll: one page down + processEvents (the viewport repaint), after the view had idle time to paint ahead
jump:   scroll bar moved to a far, never shown place + processEvents (nothing painted ahead; no target)
Every add/scroll/jump sample is checked to have painted the viewport at least once.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.article_view import ArticleView  # noqa: E402
from storage import AnnotationRecord, SchemeRecord  # noqa: E402
from storage.scheme import load_scheme_file, to_record  # noqa: E402

TARGETS_MS = {"open": 300.0, "add": 16.0, "scroll": 16.0, "jump": None}
VIEW_SIZE = (760, 720)   # the centre pane of a 1280x800 window with the document list and panel docked
WORDS = ("the minister said talks would resume after the summit although opposition groups rejected "
         "any deal brokered in Sochi while analysts expect further sanctions ceasefire regime Kremlin "
         "Geneva négociations Syrie مفاوضات שיחות 🙂 👩‍⚕️ 🇺🇳").split()


def make_article(rng: random.Random, size: int) -> str:
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 160))) + "."
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(paragraphs)[:size]


def make_annotation(rng: random.Random, scheme: SchemeRecord, start: int, end: int, text: str) -> AnnotationRecord:
    now = datetime.now(timezone.utc)
    return AnnotationRecord(
        id=str(uuid.uuid4()), document_id="bench", annotator="bench", start=start, end=end,
        quote=text[start:end], stance=rng.choice(scheme.stances).value, actor=rng.choice(["Lavrov", "Putin", None]),
        claim_type=rng.choice(scheme.claim_types).value, target=None, note="", scheme_version=scheme.version,
        revision=1, created_at=now, updated_at=now)


def random_span(rng: random.Random, low: int, high: int) -> tuple[int, int]:
    start = rng.randrange(low, high)
    return start, start + rng.randint(5, 250)


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


CPU_MS: dict[str, list[float]] = {}


def timed(*actions: Callable[[], object], painted: PaintCounter | None = None, step: str = "") -> float:
    """Wall-clock ms of the actions; their CPU ms go to CPU_MS[step] (telling on a shared, busy machine)."""
    before = painted.paints if painted is not None else 0
    began, began_cpu = time.perf_counter(), time.process_time()
    for action in actions:
        action()
    elapsed = (time.perf_counter() - began) * 1000.0
    CPU_MS.setdefault(step, []).append((time.process_time() - began_cpu) * 1000.0)
    if painted is not None and painted.paints == before:
        raise RuntimeError("the step did not repaint the view: its time would mean nothing")
    return elapsed


def settle(app: QApplication, view: ArticleView) -> None:
    """Lets idle-time painting finish (untimed), as between a reader's actions."""
    app.processEvents()
    while view.busy:
        app.processEvents()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="article opens to time (other steps: 10x this)")
    parser.add_argument("--size", type=int, default=2_000_000, help="article length in characters")
    parser.add_argument("--annotations", type=int, default=50_000)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    rng = random.Random(20260101)
    scheme = to_record(1, load_scheme_file())
    text = make_article(rng, args.size)
    records = [make_annotation(rng, scheme, *random_span(rng, 0, len(text) - 300), text)
               for _ in range(args.annotations)]
    records.sort(key=lambda a: (a.start, a.end, a.id))   # the order db.annotations.for_document returns
    view = ArticleView()
    view.resize(*VIEW_SIZE)
    view.set_scheme(scheme)
    view.show()
    app.processEvents()
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    samples: dict[str, list[float]] = {name: [] for name in TARGETS_MS}

    for _ in range(args.repeat):
        view.set_document("", [])
        settle(app, view)
        samples["open"].append(timed(lambda: view.set_document(text, records), app.processEvents, view.grab,
                                     step="open"))
    settle(app, view)

    bar = view.verticalScrollBar()
    for _ in range(args.repeat * 10):
        samples["jump"].append(timed(lambda: bar.setValue(rng.randrange(0, bar.maximum())), app.processEvents,
                                     painted=counter, step="jump"))
        settle(app, view)
        first = view.offset_at(view.viewport().rect().topLeft())
        added = make_annotation(rng, scheme, *random_span(rng, first, first + 1500), text)
        samples["add"].append(timed(lambda: view.add_annotation(added), app.processEvents, painted=counter,
                                    step="add"))
        settle(app, view)

    bar.setValue(0)
    settle(app, view)
    for _ in range(args.repeat * 10):
        samples["scroll"].append(timed(lambda: bar.setValue(bar.value() + bar.pageStep()), app.processEvents,
                                       painted=counter, step="scroll"))
        settle(app, view)

    print(f"article: {len(text):,} characters, {view.document().blockCount():,} paragraphs, "
          f"{len(records):,} annotations; view {VIEW_SIZE[0]}x{VIEW_SIZE[1]}, Qt platform {app.platformName()}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (CPU ms: this process only)")
    print(f"{'step':<8}{'runs':>6}{'median ms':>11}{'p95 ms':>9}{'median CPU ms':>15}{'target ms':>11}  result")
    for name, values in samples.items():
        median, target = statistics.median(values), TARGETS_MS[name]
        verdict = "-" if target is None else ("ok" if median < target else "MISSED")
        shown = "-" if target is None else f"{target:.0f}"
        print(f"{name:<8}{len(values):>6}{median:>11.1f}{percentile(values, 0.95):>9.1f}"
              f"{statistics.median(CPU_MS[name]):>15.1f}{shown:>11}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
