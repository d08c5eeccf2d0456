"""`stancemark` with no sub-command opens the window as the person named on the command line."""
from __future__ import annotations

from pathlib import Path

import pytest

import gui.app
from cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    calls: list = []  # type: ignore[type-arg]
    monkeypatch.setattr(gui.app, "run_window", lambda args: calls.append(args) or 0)
    monkeypatch.delenv("STANCEMARK_DB", raising=False)
    return calls


def test_annotator_and_database_reach_the_window(opened: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    db = str(tmp_path / "team.db")
    assert main(["--db", db, "--annotator", "dana"]) == 0
    [args] = opened
    assert (args.db, args.annotator) == (db, "dana")


def test_database_from_the_environment(opened: list, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    monkeypatch.setenv("STANCEMARK_DB", "/data/shared.db")
    assert main([]) == 0
    assert (opened[0].db, opened[0].annotator) == ("/data/shared.db", None)
