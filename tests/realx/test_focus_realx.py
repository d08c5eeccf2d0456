"""On a real X screen with no window manager to help: each dialog takes the keyboard when it opens, Escape
closes it, and the keyboard is back in the article afterwards (a keyboard selection and a claim key then tag).

Keys go through the X server (xdotool). A modal dialog runs its own event loop inside the key that opened it,
so the Escape for it is sent from a timer that fires inside that loop."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from test_review_realx import pytestmark, xdotool  # noqa: F401 (the markers)


def key(name: str) -> None:
    subprocess.run(["xdotool", "key", name], check=True, timeout=30)


@pytest.fixture
def window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    from gui.app import open_window
    from gui.settings import Settings
    from storage import open_with_samples

    location = str(tmp_path / "focus.db")
    open_with_samples(location).close()
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = open_window(location, "alice", settings)
    assert window is not None
    qtbot.addWidget(window)
    window.controller.poll_timer.stop()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=5000)
    return window


OPENERS = {  # dialog: what opens it (a key through X, or the menu entry's action for those without one)
    "shortcuts": "ctrl+slash",
    "guidelines": "F1",
    "review": "ctrl+shift+r",
    "export": "ctrl+e",
    "labels": None,
    "search": "ctrl+shift+f",
}


@pytest.mark.parametrize("dialog", list(OPENERS))
def test_escape_closes_each_dialog_and_the_article_has_the_keyboard_again(qtbot, window, dialog: str) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def escape_from_inside() -> None:
        seen["active"] = QApplication.activeWindow()
        seen["focus"] = QApplication.focusWidget()
        key("Escape")

    QTimer.singleShot(1500, escape_from_inside)  # runs in a modal dialog's own loop as well
    if OPENERS[dialog] is None:
        QTimer.singleShot(0, window.labels_action.trigger)
    else:
        key(OPENERS[dialog])
    qtbot.waitUntil(lambda: "active" in seen, timeout=10_000)
    if dialog == "search":
        assert seen["focus"] is window.search.box  # the dock's box had the keyboard
    else:
        assert seen["active"] is not window, f"the {dialog} window did not take the keyboard"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=5000)
    assert QApplication.activeWindow() is window
    assert not any(w.isVisible() and w is not window and w.isWindow() and w.windowType() != Qt.WindowType.ToolTip
                   for w in QApplication.topLevelWidgets()), f"the {dialog} window is still open"

    text = window.controller.document.text
    start = text.index("Kremlin admits")
    window.view.select_span(start, start)  # the caret; the keys below are real X keys
    key("ctrl+shift+Right")
    key("1")
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == 1, timeout=5000)
    assert window.db.annotations.for_document(window.controller.document.id)[0].quote == "Kremlin"
