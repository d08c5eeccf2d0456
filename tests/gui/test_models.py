"""The window's item models: Qt's model tester over real records, and the text order of annotations."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.document_list import DocumentFilter
from gui.item_models import ID_ROLE, AnnotationTableModel, DocumentListModel
from storage import AnnotationDraft


@pytest.fixture
def doc(seeded_db):  # type: ignore[no-untyped-def]
    return seeded_db.documents.get(seeded_db.documents.list()[0].id)


def _add(db, doc, word: str, occurrence: int = 0, **attributes):  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(word, start + 1)
    return db.annotations.add(AnnotationDraft(doc.id, start, start + len(word), **attributes), by="alice")


def test_document_model_passes_the_model_tester_with_filtering(qtmodeltester, seeded_db, tmp_path) -> None:
    (tmp_path / "second.txt").write_text("Second article\n\nOn fisheries.", encoding="utf-8")
    from storage.importers import import_paths

    import_paths(seeded_db, [tmp_path / "second.txt"])
    model = DocumentListModel()
    model.set_documents(seeded_db.documents.list(annotator="alice"))
    qtmodeltester.check(model)
    proxy = DocumentFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_words("SECOND art")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["Second article"]
    proxy.set_words("second syria")  # every word must match
    assert proxy.rowCount() == 0
    proxy.set_words("")
    assert proxy.rowCount() == 2


def test_annotation_model_passes_the_model_tester_through_changes(qtmodeltester, seeded_db, doc) -> None:
    scheme = seeded_db.scheme.current()
    model = AnnotationTableModel(scheme)
    qtmodeltester.check(model)  # empty
    first = _add(seeded_db, doc, "Lavrov", stance="oppose", claim_type="factual", actor="Sergei Lavrov")
    second = _add(seeded_db, doc, "Sochi", claim_type="policy")
    model.set_annotations([first, second])
    qtmodeltester.check(model)
    assert model.index(model.row_of(first.id), AnnotationTableModel.STANCE).data() == "Oppose"
    assert model.index(model.row_of(first.id), AnnotationTableModel.ACTOR).data() == "Sergei Lavrov"
    assert model.index(model.row_of(second.id), AnnotationTableModel.CLAIM).data() == "Policy"
    assert model.index(model.row_of(second.id), AnnotationTableModel.STANCE).data() == "—"
    colour = model.index(model.row_of(first.id), AnnotationTableModel.CLAIM).data(Qt.ItemDataRole.DecorationRole)
    assert colour.name() == scheme.colour_of("claim_type", "factual")


def test_annotations_stay_in_text_order_as_they_change(qtmodeltester, seeded_db, doc) -> None:
    model = AnnotationTableModel(seeded_db.scheme.current())
    qtmodeltester.check(model)  # the tester keeps watching every later signal
    late = _add(seeded_db, doc, "Lavrov", occurrence=1)
    early = _add(seeded_db, doc, "Sochi")
    model.upsert(late)
    model.upsert(early)
    ids = lambda: [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]  # noqa: E731
    expected = sorted([late, early], key=lambda a: a.start)
    assert ids() == [a.id for a in expected]
    moved = seeded_db.annotations.edit(late.id, "alice", start=0, end=5)  # now the first in the text
    model.upsert(moved)
    assert ids()[0] == late.id and model.rowCount() == 2
    assert model.record(late.id) == moved
    model.remove(early.id)
    assert ids() == [late.id]
    model.remove("no-such-id")
    assert model.rowCount() == 1
    model.set_annotations([early, moved])  # out of text order: `moved` starts at 0
    assert ids() == [a.id for a in sorted([moved, early], key=lambda a: (a.start, a.end, a.id))]
    assert model.row_of(early.id) == ids().index(early.id)


def test_document_model_updates_one_row(qtmodeltester, seeded_db, doc) -> None:
    from dataclasses import replace

    model = DocumentListModel()
    qtmodeltester.check(model)
    model.set_documents(seeded_db.documents.list(annotator="alice"))
    summary = model.summary(doc.id)
    assert summary is not None and summary.status == "todo"
    model.update_document(replace(summary, status="done", annotation_count=3))
    row = model.row_of(doc.id)
    assert model.index(row, DocumentListModel.STATUS).data() == "Done"
    assert model.index(row, DocumentListModel.COUNT).data() == "3"
