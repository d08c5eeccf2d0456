"""Typed access to the window's QSettings, with the defaults in one place.

Build it after the QApplication exists: QSettings takes the organisation and application names from it.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

COLOUR_BY_CHOICES = ("claim_type", "stance", "actor")


class _TextSetting:
    """One string setting, stripped, "" when unset."""

    def __init__(self, key: str, doc: str) -> None:
        self.key, self.__doc__ = key, doc

    def __get__(self, owner: "Settings", _type: type | None = None) -> str:
        return str(owner._q.value(self.key, "") or "").strip()

    def __set__(self, owner: "Settings", value: str) -> None:
        owner._q.setValue(self.key, value.strip())


class Settings:
    """What the app remembers between runs: who the analyst is, the last database, view choices."""

    def __init__(self, backing: QSettings | None = None) -> None:
        self._q = backing if backing is not None else QSettings()

    # -- identity and database --------------------------------------------------------------------
    annotator = _TextSetting("annotator", "who files annotations from this computer")
    last_database = _TextSetting("last_database", "path or URL opened last")
    last_document = _TextSetting("last_document", "id of the document open at the end of the last session")
    last_directory = _TextSetting("last_directory", "where the import and export dialogs start")

    # -- view choices ----------------------------------------------------------------------------
    @property
    def colour_by(self) -> str:
        value = str(self._q.value("view/colour_by", "claim_type"))
        return value if value in COLOUR_BY_CHOICES else "claim_type"

    @colour_by.setter
    def colour_by(self, attribute: str) -> None:
        if attribute not in COLOUR_BY_CHOICES:
            raise ValueError(f"cannot colour by {attribute!r}")
        self._q.setValue("view/colour_by", attribute)

    @property
    def show_others(self) -> bool:
        return _as_bool(self._q.value("view/show_others", False))

    @show_others.setter
    def show_others(self, on: bool) -> None:
        self._q.setValue("view/show_others", bool(on))

    # -- window layout ---------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._q.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)

    def sync(self) -> None:
        self._q.sync()


def _as_bool(value: object) -> bool:
    """QSettings hands back 'true'/'false' strings from INI files and bools from native stores."""
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)
