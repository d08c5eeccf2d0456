"""The window's shipped look: the stylesheet and the toolbar icons under resources/."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from storage import resources_dir


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """An icon from resources/icons/<name>.svg; an empty icon if it is missing (the action keeps its text)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def stylesheet() -> str:
    path = resources_dir() / "style.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
