"""Fixtures of the window tests: a settings file of the test's own, the main window as alice first starts it,
the default scheme and a host window for popups, and the small review corpus of the test_review_* files.

Only fixtures live here: the helpers that drive the windows are plain modules (window_driver, review_driver),
imported by name. Nothing imports this file (pytest holds one module called `conftest` at a time)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from gui.settings import Settings
from storage import AnnotationDraft, AnnotationRecord, Database, SchemeRecord
from storage.scheme import load_scheme_file, to_record
from window_driver import open_document, start_window, temporary_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """An INI file in the test's folder: nothing read from or written to the real user's settings."""
    return temporary_settings(tmp_path)


@pytest.fixture(scope="module")
def scheme() -> SchemeRecord:
    """The default label scheme (version 1), for widgets tried without a database."""
    return to_record(1, load_scheme_file())


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    """A plain window on screen, 900 x 600, for a widget that pops up over its parent (the tag editor)."""
    widget = QWidget()
    widget.resize(900, 600)
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):  # a context manager: it waits on leaving
        widget.show()
    return widget


@pytest.fixture
def window(qtbot: QtBot, db_url: str, settings: Settings) -> MainWindow:
    """The main window as alice first starts it on a new database, shown and active, with the sample article
    ("Putin Stages …", the only one) open."""
    started = start_window(qtbot, db_url, settings)
    open_document(qtbot, started, "Putin Stages")
    return started


@pytest.fixture
def review_setup(seeded_db: Database) -> tuple[Database, str, list[AnnotationRecord], list[AnnotationRecord]]:
    """alice and bob: two agreed units, a stance and a claim-type disagreement, and one only bob marked; rita
    reviews. Returns (database, document id, the stance pair, the claim-type pair)."""
    db = seeded_db
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    for who in ("alice", "bob"):
        add(AnnotationDraft(doc, 0, 10, stance="support", claim_type="factual"), by=who)
        add(AnnotationDraft(doc, 100, 120, stance="oppose", claim_type="policy"), by=who)
    stance = [add(AnnotationDraft(doc, 20, 30, stance="oppose"), by="alice"),
              add(AnnotationDraft(doc, 20, 30, stance="neutral"), by="bob")]
    claim = [add(AnnotationDraft(doc, 40, 50, claim_type="factual"), by="alice"),
             add(AnnotationDraft(doc, 40, 50, claim_type="evaluative"), by="bob")]
    add(AnnotationDraft(doc, 60, 70, stance="support"), by="bob")
    return db, doc, stance, claim
