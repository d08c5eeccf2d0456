"""The sample articles: loaded by the window into the database it creates on first start, or on request.

Kept out of open_database() so that a database made by `stancemark import` or `export` holds only what the
user put in it (a pipeline importing 100 articles exports 100, not 101)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.tables import Document, Setting
from storage.paths import seeds_dir

if TYPE_CHECKING:
    from storage.database import Database
    from storage.importers import ImportSummary

SEEDED_SETTING = "seeded"


def load_sample_articles(db: "Database") -> "ImportSummary":
    """Imports the sample articles (those already present are skipped, as in every import)."""
    from storage.importers import import_paths  # the importers load only when there is something to seed

    summary = import_paths(db, [seeds_dir()])
    _remember_seeded(db)
    return summary


def seed_new_database(db: "Database") -> "ImportSummary | None":
    """The window's first-start step: sample articles into a database that has never had any document and
    was never seeded. Returns None when nothing was loaded."""
    with db.sessions.read() as s:
        if s.get(Setting, SEEDED_SETTING) is not None or s.query(Document.id).limit(1).first() is not None:
            return None
    if not seeds_dir().is_dir():
        return None
    # "seeded" is written after the import, so a crash in between only means importing again next time, and
    # a second program opening the new database at the same moment skips the articles the first one added.
    return load_sample_articles(db)


def _remember_seeded(db: "Database") -> None:
    with db.sessions.write.begin() as s:
        if s.get(Setting, SEEDED_SETTING) is None:
            s.add(Setting(key=SEEDED_SETTING, value="yes"))


def open_with_samples(path_or_url: str | Path | None = None, **options: Any) -> "Database":
    """A database as the window's first start leaves it: opened, and the sample articles in it if it was new."""
    from storage.database import open_database

    db = open_database(path_or_url, **options)
    try:
        seed_new_database(db)
    except BaseException:
        db.close()
        raise
    return db
