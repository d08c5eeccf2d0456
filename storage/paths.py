"""Where the shipped data lives, for a checkout (editable install) and for a plain install."""
from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

_REPO = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    in_repo = _REPO / name
    if in_repo.is_dir():
        return in_repo
    return Path(sys.prefix) / "share" / "stancemark" / name


def resources_dir() -> Path:
    return _data_dir("resources")


def seeds_dir() -> Path:
    return _data_dir("seeds")


def default_scheme_path() -> Path:
    return resources_dir() / "scheme.json"


def default_database_path() -> Path:
    """The analyst's own database, in the platform's user data directory."""
    return Path(platformdirs.user_data_dir("stancemark", appauthor=False)) / "stancemark.db"
