"""Review mode driven from the keyboard: step through disagreements, accept a version with a rationale,
auto-merge the rest, undo; the database holds gold with provenance; an annotator cannot adjudicate."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from gui.review import ReviewWindow
from gui.review.item_models import DisagreementFilter, FigureTableModel, PairMatrixModel, UnitListModel
from storage import AnnotationDraft, PermissionDenied

from review_driver import open_review, press


def test_reviewer_steps_accepts_with_rationale_and_auto_merges(qtbot, review_setup) -> None:  # type: ignore[no-untyped-def]
    db, doc, stance, claim = review_setup
    window = open_review(qtbot, db, "rita")
    assert window.participants == ("alice", "bob")
    starts = []
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_F8)
        starts.append(window.current_unit().start)
    assert starts == [40, 60, 20]  # opened on the first (20); F8 walks on and wraps round
    press(qtbot, window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.current_unit().start == 60
    press(qtbot, window, Qt.Key.Key_K)
    assert window.current_unit().start == 40

    # The claim-type disagreement: write a rationale, then take bob's version with key 2.
    qtbot.keyClicks(window.decision.rationale, "opinion, not fact: 'disastrous'")
    window.disagreements.table.setFocus()
    with qtbot.waitSignal(window.sig_units_shown, timeout=20000):  # the units are re-read in the background
        press(qtbot, window, Qt.Key.Key_2)
    (gold,) = db.review.gold(doc)
    assert (gold.decision, gold.claim_type, gold.reviewer) == ("accepted", "evaluative", "rita")
    assert gold.source_annotation_ids == (claim[1].id,)
    assert gold.rationale == "opinion, not fact: 'disastrous'"
    assert window.decision.rationale_text() == ""
    assert "accepted by rita" in window.decision.gold_label.text()
    assert db.annotations.get(claim[0].id).claim_type == "factual"  # the original is untouched

    window.auto_merge_action.trigger()
    merged = [g for g in db.review.gold(doc) if g.decision == "merged"]
    assert sorted(g.start for g in merged) == [0, 100]
    assert all(len(g.source_annotation_ids) == 2 and g.reviewer == "rita" for g in merged)
    assert db.review.status(doc).status == "in_review"

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the auto-merge
    assert [g.decision for g in db.review.gold(doc)] == ["accepted"]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the accept
    assert db.review.gold(doc) == []
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert sorted(g.decision for g in db.review.gold(doc)) == ["accepted", "merged", "merged"]


def test_matrix_click_filters_disagreements_and_reject_uses_the_current_unit(qtbot, review_setup) -> None:  # type: ignore[no-untyped-def]
    db, doc, stance, claim = review_setup
    window = open_review(qtbot, db, "rita")
    panel = window.agreement
    panel.measure_box.setCurrentIndex(panel.measure_box.findText("Stance κ"))
    index = panel.matrix_model.index(0, 1)
    # 3 units coded by both: (support, support), (oppose, oppose), (oppose, neutral): po = 2/3, pe = 1/3.
    assert index.data() == "0.50"
    rect = panel.matrix.visualRect(index)
    assert panel.matrix.viewport().rect().contains(rect.center())
    qtbot.mouseClick(panel.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.disagreements.proxy.pair == ("alice", "bob")
    assert window.disagreements.proxy.aspect is None  # all of the pair's disagreements, whatever the measure
    assert window.disagreements.proxy.rowCount() == 3 and window.current_unit().start == 20
    window.decision.rationale.setPlainText("headline, not a claim")
    press(qtbot, window, Qt.Key.Key_R)
    (gold,) = db.review.gold(doc)
    assert gold.decision == "rejected" and set(gold.source_annotation_ids) == {s.id for s in stance}


def test_clicking_a_unit_in_the_text_selects_it(qtbot, review_setup) -> None:  # type: ignore[no-untyped-def]
    db, doc, _, _ = review_setup
    window = open_review(qtbot, db, "rita")
    view = window.text_view
    cursor = view.textCursor()
    cursor.setPosition(105)
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert window.current_unit().start == 100 and window.current_unit().status == "agreed"


def test_an_annotator_cannot_adjudicate(qtbot, review_setup) -> None:  # type: ignore[no-untyped-def]
    db, doc, stance, _ = review_setup
    db.review.accept(stance[1].id, by="rita", rationale="reported, not endorsed")
    window = open_review(qtbot, db, "alice")
    assert not window.may_adjudicate and "not a reviewer" in window.last_message
    assert not any(a.isEnabled() for a in window.accept_actions)
    assert not window.auto_merge_action.isEnabled() and not window.status_box.isEnabled()
    assert not window.decision.reject_button.isEnabled() and window.decision.rationale.isReadOnly()
    press(qtbot, window, Qt.Key.Key_F8)  # looking is allowed
    window.disagreements.select_key(db.review.units(doc)[1].key)
    assert "Rationale: reported, not endorsed" in window.decision.gold_label.text()
    assert not any(b.isEnabled() for b in window.decision.accept_buttons)
    press(qtbot, window, Qt.Key.Key_1)
    window.accept(stance[0].id)  # even called directly, storage refuses and the window says so
    assert "not a reviewer" in window.last_message
    assert [g.reviewer for g in db.review.gold(doc)] == ["rita"]
    with pytest.raises(PermissionDenied):
        db.review.auto_merge(doc, by="alice")


def test_every_item_model_passes_the_model_tester(qtmodeltester, review_setup) -> None:  # type: ignore[no-untyped-def]
    db, doc, _, _ = review_setup
    units = UnitListModel()
    units.set_units(db.review.units(doc))
    qtmodeltester.check(units)
    proxy = DisagreementFilter()
    proxy.setSourceModel(units)
    qtmodeltester.check(proxy)
    proxy.set_pair(("alice", "bob"))
    proxy.set_aspect("stance")
    assert proxy.rowCount() == 1
    report, corpus = db.review.agreement(doc), db.review.agreement()
    matrix = PairMatrixModel()
    matrix.set_report(report)
    matrix.set_measure("kappa", "claim_type")
    qtmodeltester.check(matrix)
    figures = FigureTableModel()
    figures.set_reports(report, corpus)
    qtmodeltester.check(figures)


def test_the_main_window_opens_review_mode(qtbot, sqlite_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from window_driver import start_window, temporary_settings

    window = start_window(qtbot, sqlite_path, temporary_settings(tmp_path), annotator="alice")
    window.review_action.trigger()
    review = window.review_window
    assert isinstance(review, ReviewWindow) and review.isVisible()
    assert review.reviewer == "alice" and not review.may_adjudicate
    review.close()


def test_edit_writes_the_reviewers_own_version_and_refresh_sees_new_work(qtbot, review_setup) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    db, doc, stance, _ = review_setup
    window = open_review(qtbot, db, "rita")
    assert window.current_unit().start == 20

    def fill_in() -> None:
        dialog = window.edit_dialog
        dialog.end.setValue(28)
        dialog.stance.setCurrentIndex(dialog.stance.findData("support"))
        dialog.target.setText("the peace plan")
        dialog.accept()

    window.decision.rationale.setPlainText("both missed the irony")
    QTimer.singleShot(0, fill_in)
    press(qtbot, window, Qt.Key.Key_E)
    window.edit_dialog.deleteLater()
    (gold,) = db.review.gold(doc)
    assert (gold.decision, gold.start, gold.end, gold.stance, gold.target) == ("edited", 20, 28, "support",
                                                                                "the peace plan")
    assert gold.rationale == "both missed the irony" and gold.source_annotation_ids[0] == stance[0].id

    db.annotations.add(AnnotationDraft(doc, 60, 70, stance="oppose"), by="carol")  # meanwhile, elsewhere
    with qtbot.waitSignal(window.sig_units_shown, timeout=20000):
        window.refresh()
    assert window.participants == ("alice", "bob", "carol")
    assert any(label.endswith("carol") for label in window.legend.labels())
