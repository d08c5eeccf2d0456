"""On a team server the window works as the role the analyst logged in as, not a name remembered locally."""
from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from gui.app import open_window
from storage import open_with_samples
from storage.team import add_user, setup_team
from window_driver import temporary_settings


def test_window_takes_the_login_role_as_the_annotator(qtbot: QtBot, postgres_url: str, tmp_path: Path) -> None:
    admin = open_with_samples(postgres_url)
    setup_team(admin)
    add_user(admin, "carol")
    settings = temporary_settings(tmp_path)
    settings.annotator = "someone-on-this-laptop"
    as_carol = make_url(postgres_url).set(username="carol", password=None).render_as_string(hide_password=False)

    window = open_window(as_carol, None, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.controller.poll_timer.stop()
    assert window.controller.annotator == "carol"
    assert "carol" in window.windowTitle()
    admin.close()
