"""Import and export from the window: ask, run in the background with a cancellable progress dialog, report."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

import storage

from gui.dialogs import ExportDialog
from gui.plain_text import plain_progress_dialog
from gui.workers import Job, export_job, import_job

if TYPE_CHECKING:
    from storage import Database
    from gui.import_dialog import ImportDialog

PROGRESS_STEPS = 1000


class JobRunner(QObject):
    sig_imported = Signal(object)
    """The ImportSummary of a finished import."""
    sig_exported = Signal(object)
    """The ExportSummary of a finished export."""
    sig_failed = Signal(str, str)
    """What failed, and why."""
    sig_message = Signal(str)
    """One line for the status bar."""

    def __init__(self, window: QWidget, location: str) -> None:
        super().__init__(window)
        self._window, self._location = window, location
        self.running: list[Job] = []  # gui.workers keeps each job alive until its last report arrived
        self.last_dialog: QProgressDialog | None = None
        self.import_dialog: ImportDialog | None = None  # the last confirm step, for tests and screenshots

    def ask_and_import(self, db: Database, paths: list[str], on_scheme_changed: Callable[[], None] | None = None,
                       ) -> ImportDialog | None:
        """Reads the files (nothing written), opens the confirm step; Import there starts the job."""
        from gui.import_dialog import ImportDialog

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            preview = storage.preview_import(db, [Path(p) for p in paths])
        except storage.StancemarkError as exc:
            self.sig_failed.emit("Importing", str(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        dialog = ImportDialog(db, paths, preview, parent=self._window)
        self.import_dialog = dialog

        def done(result: int) -> None:
            if dialog.labels_removed and on_scheme_changed is not None:
                on_scheme_changed()
            if result == QDialog.DialogCode.Accepted:
                choice = dialog.choice()
                self.start_import(paths, label_map=choice.label_map, as_annotator=choice.as_annotator,
                                  annotator=choice.annotator)
            dialog.deleteLater()

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def start_import(self, paths: list[str], **options: Any) -> Job:
        job = import_job(self._location, [Path(p) for p in paths], owner=self, **options)
        what = f"{len(paths)} file{'s' if len(paths) != 1 else ''}" if len(paths) != 1 else Path(paths[0]).name
        job.signals.sig_finished.connect(self._imported)
        return self._start(job, f"Importing {what}…")

    def ask_and_export(self, db: Database, annotator: str, current_document: str | None) -> Job | None:
        try:
            annotators = [a.name for a in db.annotators.list()]
        except storage.StancemarkError as exc:
            self.sig_failed.emit("Export", str(exc))
            return None
        dialog = ExportDialog(storage.EXPORT_FORMATS, storage.LABEL_ATTRIBUTES, annotators, annotator,
                              current_document, parent=self._window)
        if not dialog.exec():
            return None
        choice = dialog.choice()
        return self.start_export(choice.path, choice.fmt, label=choice.label, annotators=tuple(choice.annotators),
                                 status=choice.status, document_ids=tuple(choice.document_ids or ()),
                                 gold=choice.gold, include_unfinished=choice.include_unfinished,
                                 include_empty=choice.include_empty, include_unreviewed=choice.include_unreviewed,
                                 merge=choice.merge)

    def start_export(self, out: Path, fmt: str, **options: Any) -> Job:
        job = export_job(self._location, fmt, out, owner=self, **options)
        # export_jsonl writes to a temporary file renamed into place: a failed or cancelled export leaves
        # whatever was at `out` before untouched.
        job.signals.sig_finished.connect(self._exported)
        return self._start(job, f"Exporting to {out.name}…")

    def cancel_all(self) -> None:
        for job in self.running:
            job.cancel()

    # -- internals -------------------------------------------------------------------------------
    def _start(self, job: Job, label: str) -> Job:
        dialog = plain_progress_dialog(label, "Cancel", PROGRESS_STEPS, self._window)  # it names a file
        dialog.setWindowTitle(job.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(job.cancel)
        self.last_dialog = dialog

        def progress(done: int, total: int, _what: str) -> None:
            dialog.setValue(int(PROGRESS_STEPS * done / total) if total else 0)

        def over() -> None:
            dialog.reset()
            dialog.close()
            dialog.deleteLater()
            if job in self.running:
                self.running.remove(job)

        job.signals.sig_progress.connect(progress)
        job.signals.sig_finished.connect(over)
        def failed(message: str) -> None:
            over()
            self.sig_failed.emit(job.title, message)

        def cancelled() -> None:
            over()
            self.sig_message.emit(f"{job.title} cancelled; nothing changed")

        job.signals.sig_failed.connect(failed)
        job.signals.sig_cancelled.connect(cancelled)
        self.running.append(job)
        job.start()
        return job

    def _imported(self, summary: storage.ImportSummary) -> None:
        self.sig_message.emit("Imported: " + "; ".join(summary.lines()))
        self.sig_imported.emit(summary)

    def _exported(self, summary: storage.ExportSummary) -> None:
        self.sig_message.emit("; ".join(summary.lines_text()))
        self.sig_exported.emit(summary)
