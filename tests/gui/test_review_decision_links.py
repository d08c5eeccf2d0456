"""Review mode with attribution: the decision panel names each version's source, cue and relay in plain text,
the gold decision keeps them, and the source-actor figures sit with the others, their units selectable."""
from __future__ import annotations

from PySide6.QtCore import Qt

from storage import Database

from review_driver import open_review, press
from attribution_samples import live_gold, relayed

ALICE = "Source: 'Putin' → Vladimir Putin · cue: 'said' · relay: 'Lavrov' → Sergei Lavrov"
BOB = "Source: 'Putin' → Kremlin · cue: 'said' · relay: 'Lavrov' → Sergei Lavrov"


def _version_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    grid = window.decision.versions_box.layout()
    return [grid.itemAtPosition(row, 2).widget().text() for row in range(len(window.participants))]


def _on_sample(qtbot, seeded_db: Database):  # type: ignore[no-untyped-def]
    seeded_db.annotators.ensure("rita", role="reviewer")
    alice, _ = relayed(seeded_db, "alice"), relayed(seeded_db, "bob", source_actor="Kremlin")
    window = open_review(qtbot, seeded_db, "rita")
    window.document_box.setCurrentIndex(window.document_box.findData(alice["doc"]))
    qtbot.waitUntil(lambda: window.document_id == alice["doc"] and not window.loading, timeout=20000)
    window.disagreements.table.setFocus()
    return window, alice


def test_the_decision_panel_names_source_cue_and_relay(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window, alice = _on_sample(qtbot, seeded_db)
    assert window.disagreements.proxy.rowCount() == 1  # one claim unit: mentions and cues are not units
    alices, bobs = _version_texts(window)
    assert alices.splitlines()[1] == ALICE and bobs.splitlines()[1] == BOB
    assert "source actor" in window.decision.heading.text()
    assert window.decision.versions_box.layout().itemAtPosition(0, 2).widget().textFormat() == \
        Qt.TextFormat.PlainText

    with qtbot.waitSignal(window.sig_units_shown, timeout=20000):  # the units are re-read in the background
        press(qtbot, window, Qt.Key.Key_1)  # the keyboard flow is unchanged: 1 takes alice's version
    gold = live_gold(seeded_db, alice["doc"])
    assert len(gold) == 4
    assert window.decision.gold_label.text().splitlines()[1] == ALICE
    with qtbot.waitSignal(window.sig_units_shown, timeout=20000):
        press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert live_gold(seeded_db, alice["doc"]) == {}
    assert window.decision.gold_label.text() == "Not decided yet"


def test_source_actor_figures_list_their_units(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window, alice = _on_sample(qtbot, seeded_db)
    panel = window.agreement
    labels = [panel.measure_box.itemText(i) for i in range(panel.measure_box.count())]
    assert {"Source actor κ", "Source actor α", "Source mention F1", "Cue F1"} <= set(labels)
    panel.measure_box.setCurrentIndex(labels.index("Source mention F1"))
    assert panel.matrix_model.index(0, 1).data() == "1.00"
    panel.measure_box.setCurrentIndex(labels.index("Source actor κ"))
    index = panel.matrix_model.index(0, 1)
    assert index.data() == "0.00"  # Putin against the Kremlin: no agreement beyond chance
    rect = panel.matrix.visualRect(index)
    qtbot.mouseClick(panel.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.disagreements.proxy.pair == ("alice", "bob")
    assert window.disagreements.proxy.rowCount() == 1
    box = window.disagreements.aspect_box
    box.setCurrentIndex(box.findData("source_actor"))
    assert window.disagreements.proxy.rowCount() == 1
    box.setCurrentIndex(box.findData("cue"))
    assert window.disagreements.proxy.rowCount() == 0  # both took "said" as the cue
    figures = panel.figures_model
    row = next(r for r in range(figures.rowCount()) if figures.index(r, 0).data() == "Source actor κ")
    assert figures.index(row, 1).data() == "0.00"
