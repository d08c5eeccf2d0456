"""Import and export from the window run in the pool, report by signal, and can be cancelled."""
from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

import storage
from gui.dialogs import ExportDialog
from gui.main_window import MainWindow
from gui.workers import import_job
from window_driver import open_document


def test_import_in_the_background_adds_documents_to_the_list(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(3):
        (folder / f"article{n}.txt").write_text(f"Article number {n}\n\nBody {n}.", encoding="utf-8")
    with qtbot.waitSignal(window.jobs.sig_imported, timeout=20_000) as finished:
        window.jobs.start_import([str(folder)])
    assert finished.args[0].documents_added == 3
    titles = {window.documents.model.summary_at(r).title for r in range(window.documents.model.rowCount())}
    assert {"Article number 0", "Article number 1", "Article number 2"} <= titles
    assert window.progress_label.text() == "0 of 4 done"
    assert "documents added: 3" in window.statusBar().currentMessage()
    report = window.import_report  # the whole summary, which the status bar cuts off, in a window of its own
    assert report.isVisible() and not report.isModal()
    assert "documents added: 3" in report.text() + "\n" + report.informativeText()


def test_a_cancelled_import_changes_nothing(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    storage.open_with_samples(db_url).close()
    article = tmp_path / "one.txt"
    article.write_text("One more article\n\nText.", encoding="utf-8")
    job = import_job(db_url, [article])
    job.cancel()  # as if Cancel was pressed before the first file was read
    with qtbot.waitSignal(job.signals.sig_cancelled, timeout=20_000):
        job.start()
    db = storage.open_database(db_url)
    try:
        assert [d.title for d in db.documents.list()] == ["Putin Stages Syria Peace Talks Boycotted by Assad Opponents"]
    finally:
        db.close()


def test_a_failed_import_shows_the_file_and_reason(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    with qtbot.waitSignal(window.jobs.sig_failed, timeout=20_000) as failed:
        window.jobs.start_import([str(broken)])
    assert "broken.jsonl" in failed.args[1] and ":2" in failed.args[1]
    assert "broken.jsonl" in (window.last_error or "")
    assert window.documents.model.rowCount() == 1


def test_export_in_the_background_writes_the_chosen_format(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    document_id = open_document(qtbot, window, "Putin Stages")
    start = window.controller.document.text.index("Sergei Lavrov")
    window.view.setFocus()
    window.view.select_span(start, start + 13)
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    # Done: a spans task says "accept" only for a document its annotator has finished.
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    out = tmp_path / "out.jsonl"
    with qtbot.waitSignal(window.jobs.sig_exported, timeout=20_000) as finished:
        window.jobs.start_export(out, "spans", label="claim_type", annotators=("alice",))
    assert finished.args[0].annotations == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = [s for line in lines for s in line.get("spans", [])]
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(start, start + 13, "evaluative")]
    assert [(line["meta"]["document_id"], line["_annotator_id"], line["answer"]) for line in lines] == [
        (document_id, "alice", "accept")]


def test_export_dialog_offers_storage_formats_and_filters(qtbot: QtBot) -> None:
    dialog = ExportDialog(storage.EXPORT_FORMATS, storage.LABEL_ATTRIBUTES, ["alice", "bob"], "alice", "doc1",
                          start_dir="/tmp")
    qtbot.addWidget(dialog)
    assert [dialog.format_combo.itemText(i) for i in range(dialog.format_combo.count())] == list(storage.EXPORT_FORMATS)
    dialog.current_only.setChecked(True)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("done"))
    choice = dialog.choice()
    assert (choice.annotators, choice.status, choice.document_ids) == (["alice"], "done", ["doc1"])
    assert choice.path == Path("/tmp/stancemark-export.jsonl")


def test_export_dialog_defaults_to_the_command_lines_label_and_offers_gold(qtbot: QtBot) -> None:
    dialog = ExportDialog(storage.EXPORT_FORMATS, storage.LABEL_ATTRIBUTES, ["alice", "bob"], "alice", None,
                          start_dir="/tmp")
    qtbot.addWidget(dialog)
    assert dialog.choice().label == "claim_type"  # as `stancemark export` without --label
    assert dialog.choice().gold is False
    qtbot.mouseClick(dialog.gold, Qt.MouseButton.LeftButton)
    choice = dialog.choice()
    assert choice.gold is True and choice.annotators == []  # gold is the reviewers' layer, not a person's
    assert not dialog.annotator_list.isEnabled()
    qtbot.mouseClick(dialog.include_unreviewed, Qt.MouseButton.LeftButton)
    assert dialog.choice().include_unreviewed is True and dialog.choice().merge is False


def test_the_window_exports_the_gold_set(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    document_id = open_document(qtbot, window, "Putin Stages")
    start = window.controller.document.text.index("Sergei Lavrov")
    record = window.controller.add(storage.AnnotationDraft(document_id, start, start + 13, claim_type="factual"))
    window.db.annotators.ensure("rita", role="reviewer")
    window.db.review.accept(record.id, by="rita", rationale="named source")
    out = tmp_path / "gold.jsonl"
    with qtbot.waitSignal(window.jobs.sig_exported, timeout=20_000):
        window.jobs.start_export(out, "flat", label="claim_type", annotators=(), gold=True, include_unreviewed=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(line["start"], line["end"]) for line in lines] == [(start, start + 13)]
    assert "rita" in json.dumps(lines)  # the reviewer's provenance travels with the gold line
