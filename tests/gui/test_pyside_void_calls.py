"""Regression: PySide6 6.12.0 aborts Python 3.11 ("Fatal Python error: none_dealloc") after a few thousand calls
of void C++ methods, which the highlighter and the view make all the time. pyproject.toml pins PySide6 < 6.12;
this runs the calls in a child process so an abort fails one test instead of killing the whole run."""
from __future__ import annotations

import os
import subprocess
import sys

CALLS = 20_000

CHILD = f"""
from PySide6.QtGui import QGuiApplication, QTextCharFormat, QTextCursor, QTextDocument
app = QGuiApplication([])
document = QTextDocument()
document.setPlainText("Sochi talks \\U0001F1FA\\U0001F1F3 " * 4)
cursor = QTextCursor(document)
fmt = QTextCharFormat()
length = document.characterCount() - 1
for i in range({CALLS}):
    cursor.setPosition(i % length)
    cursor.setPosition(i % length + 1, QTextCursor.MoveMode.KeepAnchor)
    fmt.setFontUnderline(i % 2 == 0)
    cursor.mergeCharFormat(fmt)
print("done", {CALLS})
"""


def test_many_void_calls_do_not_abort_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == f"done {CALLS}"
