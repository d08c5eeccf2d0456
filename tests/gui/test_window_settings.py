"""The window's settings: defaults, round trips through an INI file, refusal of nonsense."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from gui.settings import Settings


def test_defaults_round_trip_and_refusals(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "settings.ini")
    settings = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert (settings.annotator, settings.last_database, settings.colour_by, settings.show_others) == \
        ("", "", "claim_type", False)
    assert settings.geometry() is None and settings.window_state() is None
    settings.annotator = "  alice  "
    settings.colour_by = "actor"
    settings.show_others = True
    settings.save_layout(QByteArray(b"geometry"), QByteArray(b"state"))
    with pytest.raises(ValueError):
        settings.colour_by = "font"
    settings.sync()

    again = Settings(QSettings(path, QSettings.Format.IniFormat))  # as the next start reads them
    assert (again.annotator, again.colour_by, again.show_others) == ("alice", "actor", True)
    assert bytes(again.geometry()) == b"geometry" and bytes(again.window_state()) == b"state"
    QSettings(path, QSettings.Format.IniFormat).setValue("view/colour_by", "sparkles")  # edited by hand
    assert Settings(QSettings(path, QSettings.Format.IniFormat)).colour_by == "claim_type"
