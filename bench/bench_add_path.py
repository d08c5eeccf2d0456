"""One add, followed through the code: from the mouse release to the database row and back to the screen.

    python bench/bench_add_path.py [--list]

Offscreen, on a fresh SQLite database with the sample articles. A real drag over a passage of the open
article (press, moves, release on the viewport), then the claim key and Enter in the tag popup, as an analyst
does it. Both steps run under `sys.setprofile`, which sees every Python call.

The path, as issue 9 counts it ("one add goes about 23 hops across 9 files"): the chain of project calls
(gui/, storage/) on the stack from the event Qt delivered to the moment that matters: the popup opening
(`TagEditor.open_request`), the row being written (`storage.audit.record_event`, in the same transaction as
the annotation row), and the new annotation reaching the article and the list (`ArticleView.update_annotation`,
`AnnotationPanel.upsert`). A hop is a call from one file into another along that chain; SQLAlchemy's and Qt's
own frames are not counted (a Qt signal delivered to a project slot is a hop from the file that emitted it).
Beside it, everything else the two steps ran (painting, event filters, the colleague poll the popup's focus
change sets off): all project functions and all cross-file calls. `--list` prints each chain."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import make_application, open_window  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import open_with_samples  # noqa: E402

PROJECT = tuple(str(ROOT / part) + os.sep for part in ("gui", "storage"))


def _project_file(frame: FrameType | None) -> str | None:
    """The nearest project file on the stack at `frame` (a call from SQLAlchemy or Qt belongs to its caller)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(PROJECT):
            return name
        frame = frame.f_back
    return None


TARGETS = {"TagEditor.open_request": "popup open", "record_event": "row written",
           "ArticleView.update_annotation": "in the article", "AnnotationPanel.upsert": "in the list"}


class CallPath:
    """The project functions that ran, the calls between project files, and the chain of project frames on the
    stack when each target function was first entered."""

    def __init__(self) -> None:
        self.functions: set[tuple[str, str]] = set()
        self.hops: list[tuple[str, str]] = []
        self.chains: dict[str, list[tuple[str, str]]] = {}

    def _profile(self, frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call":
            return
        callee = frame.f_code.co_filename
        if not callee.startswith(PROJECT):
            return
        self.functions.add((callee, frame.f_code.co_qualname))
        caller = _project_file(frame.f_back)
        if caller is not None and caller != callee:
            self.hops.append((_short(caller), f"{_short(callee)}:{frame.f_code.co_qualname}"))
        target = TARGETS.get(frame.f_code.co_qualname)
        if target is not None and target not in self.chains:
            self.chains[target] = _project_stack(frame)

    def run(self, step: Callable[[], None]) -> None:
        sys.setprofile(self._profile)
        try:
            step()
        finally:
            sys.setprofile(None)

    def files(self) -> set[str]:
        return {_short(f) for f, _ in self.functions}


def _project_stack(frame: FrameType | None) -> list[tuple[str, str]]:
    """(file, function) of every project frame from the outermost to `frame`."""
    stack = []
    while frame is not None:
        if frame.f_code.co_filename.startswith(PROJECT):
            stack.append((_short(frame.f_code.co_filename), frame.f_code.co_qualname))
        frame = frame.f_back
    return stack[::-1]


def _hops(chain: list[tuple[str, str]]) -> int:
    return sum(1 for (a, _), (b, _) in zip(chain, chain[1:]) if a != b)


def _short(path: str) -> str:
    return str(Path(path).relative_to(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    app: QApplication = make_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as scratch:
        database = str(Path(scratch) / "path.db")
        open_with_samples(database).close()
        settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        window = open_window(database, "bench", settings)
        assert window is not None
        window.controller.poll_timer.stop()
        QTest.qWaitForWindowExposed(window)
        window.controller.finish_loading()
        document = window.controller.document
        assert document is not None
        start = document.text.index("said")
        end = start + len("said")
        view, viewport = window.view, window.view.viewport()
        view.ensureCursorVisible()
        begin, finish = view.point_for_offset(start), view.point_for_offset(end - 1)
        begin, finish = QPoint(begin.x() + 2, begin.y()), QPoint(finish.x() + 2, finish.y())
        before = len(window.db.annotations.for_document(document.id, annotator="bench"))

        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, begin)
        for n in range(1, 6):
            at = QPointF(begin + (finish - begin) * n / 5)
            QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, at, viewport.mapToGlobal(at),
                                                         Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                                         Qt.KeyboardModifier.NoModifier))
        release, accept = CallPath(), CallPath()
        release.run(lambda: (QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                                                Qt.KeyboardModifier.NoModifier, finish), app.processEvents()))
        popup = window.tag_editor
        assert popup.isVisible(), "the tag popup did not open on the release"
        claim_key = str(window.scheme.claim_types[0].shortcut)
        QTest.keyClick(popup, claim_key)
        accept.run(lambda: (QTest.keyClick(popup, Qt.Key.Key_Return), app.processEvents()))
        after = len(window.db.annotations.for_document(document.id, annotator="bench"))
        assert after == before + 1, "the add did not reach the database"
        assert window.panel.model.rowCount() == after, "the new row is not in the annotation list"
        window.close()

    print(f"{'the path of one add':<50}{'frames':>7}{'hops':>6}{'files':>7}")
    rows = [("mouse release -> tag popup open", release.chains.get("popup open", [])),
            ("Enter in the popup -> row written", accept.chains.get("row written", [])),
            ("Enter in the popup -> new span in the article", accept.chains.get("in the article", [])),
            ("Enter in the popup -> new row in the list", accept.chains.get("in the list", []))]
    for title, chain in rows:
        print(f"  {title:<48}{len(chain):>7}{_hops(chain):>6}{len({f for f, _ in chain}):>7}")
    # The chains as one tree (they share their start): each call from one file into another counted once.
    edges = {(a, b) for _, chain in rows for a, b in zip(chain, chain[1:]) if a[0] != b[0]}
    total = len(edges)
    files = {f for _, chain in rows for f, _ in chain}
    print(f"{'release to row and back to the screen':<50}{'':>7}{total:>6}{len(files):>7}")
    print(f"\neverything the two steps ran besides: {len(release.functions | accept.functions)} project functions, "
          f"{len(release.hops) + len(accept.hops)} calls between files, in {len(release.files() | accept.files())} files")
    if args.list:
        for title, chain in rows:
            print(f"\n{title}:")
            for file, function in chain:
                print(f"  {file}:{function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
