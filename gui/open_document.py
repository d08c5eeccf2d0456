"""The open document as the window knows it: the one place its truth lives on this side of storage.

It holds the document, this analyst's records by id, colleagues' records, whether the records past the first
screen are still to load, and the last event of the log already on screen. Every change arrives here (an action,
its undo or redo, a colleague's change read by the poll) and leaves as a fine-grained signal: the article view,
the annotation panel, the document list's count, the legend and the gold dock subscribe, and none of them is
read back for what is true. Nothing here touches a widget or the database.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QObject, Signal

from storage import AnnotationChange, AnnotationRecord, DocumentRecord


class OpenDocument(QObject):
    """The open document and its records (see the module docstring)."""

    sig_document_replaced = Signal(object)
    """Another document (DocumentRecord, or None) is open, with its first records: rebuild from `own`/`others`."""
    sig_records_reset = Signal()
    """Every record was read again (the rest of a long document, or a refresh): rebuild from `own`/`others`."""
    sig_record_added = Signal(object)
    """One of this analyst's records (AnnotationRecord) joined the document."""
    sig_record_changed = Signal(object, object)
    """One of this analyst's records changed: (before, after)."""
    sig_record_removed = Signal(object)
    """One of this analyst's records (as it was shown) left the document."""
    sig_others_changed = Signal()
    """Colleagues' records changed: read `others`."""
    sig_loading_changed = Signal(bool)
    """True while only the first screen's records are held, False once they all are."""
    sig_changed = Signal()
    """After any batch of the changes above: counts, legend and gold dock read the new state once."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document: DocumentRecord | None = None
        self._own: dict[str, AnnotationRecord] = {}
        self._others: dict[str, AnnotationRecord] = {}
        self._claims = 0
        self.loading = False
        self.last_event_id = 0

    # -- reading -------------------------------------------------------------------------------
    @property
    def document_id(self) -> str | None:
        return self.document.id if self.document is not None else None

    def record(self, annotation_id: str | None) -> AnnotationRecord | None:
        """This analyst's record with this id, as on screen now."""
        return self._own.get(annotation_id) if annotation_id else None

    def own(self) -> list[AnnotationRecord]:
        return list(self._own.values())

    def others(self) -> list[AnnotationRecord]:
        return list(self._others.values())

    @property
    def claim_count(self) -> int:
        """This analyst's claims: what the document list counts (a mention or cue is part of a claim)."""
        return self._claims

    # -- changing ------------------------------------------------------------------------------
    def replace(self, document: DocumentRecord | None, own: Iterable[AnnotationRecord],
                others: Iterable[AnnotationRecord], *, loading: bool) -> None:
        self.document = document
        self._set_own(own)
        self._others = {a.id: a for a in others}
        self.sig_document_replaced.emit(document)
        self.set_loading(loading)
        self.sig_changed.emit()

    def reset(self, own: Iterable[AnnotationRecord], others: Iterable[AnnotationRecord] | None = None) -> None:
        """Every record of the open document, read whole (others None: colleagues' records stay as they are)."""
        self._set_own(own)
        if others is not None:
            self._others = {a.id: a for a in others}
        self.sig_records_reset.emit()
        self.set_loading(False)
        self.sig_changed.emit()

    def set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            self.sig_loading_changed.emit(loading)

    def set_others(self, others: Iterable[AnnotationRecord]) -> None:
        self._others = {a.id: a for a in others}
        self.sig_others_changed.emit()
        self.sig_changed.emit()

    def apply(self, change: AnnotationChange) -> bool:
        """Applies what storage returned for the open document (records of others are ignored); True if
        anything on screen differs now."""
        differs = False
        for record in change.present:
            differs = self._upsert(record) or differs
        for record in change.removed:
            differs = self._remove(record.id) or differs
        if differs:
            self.sig_changed.emit()
        return differs

    def apply_colleagues(self, records: Iterable[AnnotationRecord], annotator: str, keep: str | None = None) -> None:
        """Records the event log says changed: this analyst's (from another window; `keep` is one whose newer
        boundaries are still to be stored) and colleagues' (only held while they are shown)."""
        others_changed = False
        for record in records:
            if record.document_id != self.document_id:
                continue
            if record.annotator == annotator:
                if record.id == keep:
                    continue
                if record.deleted_at is not None:
                    self._remove(record.id)
                else:
                    self._upsert(record)
            else:
                others_changed = True
                if record.deleted_at is None:
                    self._others[record.id] = record
                else:
                    self._others.pop(record.id, None)
        if others_changed:
            self.sig_others_changed.emit()
        self.sig_changed.emit()

    def show_provisional(self, record: AnnotationRecord) -> None:
        """New boundaries on screen before they are stored (gui.nudges): held like any other change."""
        if self._upsert(record):
            self.sig_changed.emit()

    def _set_own(self, own: Iterable[AnnotationRecord]) -> None:
        self._own = {a.id: a for a in own}
        self._claims = [a.kind for a in self._own.values()].count("claim")

    def _upsert(self, record: AnnotationRecord) -> bool:
        if record.document_id != self.document_id or record.deleted_at is not None:
            return False
        before = self._own.get(record.id)
        if before == record:
            return False
        self._own[record.id] = record
        self._claims += (record.kind == "claim") - (before is not None and before.kind == "claim")
        if before is None:
            self.sig_record_added.emit(record)
        else:
            self.sig_record_changed.emit(before, record)
        return True

    def _remove(self, annotation_id: str) -> bool:
        before = self._own.pop(annotation_id, None)
        if before is None:
            return False
        self._claims -= before.kind == "claim"
        self.sig_record_removed.emit(before)
        return True
