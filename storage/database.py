"""open_database(): the one way in. Upgrades the schema and installs the label scheme in a new database.

It never adds documents: the sample articles are the window's first-start step (storage/samples.py), so a
database made by the command line holds only what the user put in it."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from storage import migrate
from storage.actor_merge import ActorRegistry
from storage.annotations import AnnotationService
from storage.engine import BUSY_TIMEOUT_MS, Sessions, database_url, explain_driver_error, make_engine
from storage.documents import AnnotatorService, DocumentService
from storage.search import SearchService
from storage.errors import DatabaseUnavailable, StancemarkError
from storage.scheme import current_row, install, load_scheme_file
from storage.scheme_labels import LabelledSchemeService

if TYPE_CHECKING:
    from storage.review import ReviewService
    from storage.suggestions.store import SuggestionService


class Database:
    """One open database and its services; cheap to share, each call opens its own short session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = Sessions.over(engine)
        self.documents = DocumentService(self.sessions)
        self.annotators = AnnotatorService(self.sessions)
        self.annotations = AnnotationService(self.sessions)
        self.actors = ActorRegistry(self.sessions)
        self.scheme = LabelledSchemeService(self.sessions)
        self.search = SearchService(self.sessions)
        self.backup_taken: str | None = None

    # Built on first use: review loads the agreement code (numpy, scipy), suggestions the suggesters; the
    # window's first screen needs neither, and most commands need one at most.
    @cached_property
    def review(self) -> ReviewService:
        from storage.review import ReviewService

        return ReviewService(self.sessions)

    @cached_property
    def suggestions(self) -> SuggestionService:
        from storage.suggestions.store import SuggestionService

        return SuggestionService(self.sessions, self.annotations, self.actors)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def location(self) -> str:
        """What open_database() takes to open this same database again (a worker thread's own connection)."""
        if self.engine.dialect.name == "sqlite" and not self.engine.url.query:
            return self.engine.url.database or ":memory:"
        return self.engine.url.render_as_string(hide_password=False)  # a SQLite URI keeps its ?uri=true

    @property
    def display_name(self) -> str:
        if self.engine.dialect.name == "sqlite":
            return Path(self.engine.url.database or ":memory:").name
        return self.url

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def team_identity(self) -> str | None:
        """On a team server, the annotator name this connection logs in as (None elsewhere, or for the admin)."""
        from storage.team import team_identity

        return team_identity(self)

    def close(self) -> None:
        self.engine.dispose()


def _explain(exc: Exception, where: str) -> StancemarkError:
    known = explain_driver_error(exc, where)
    if known is not None:
        return known
    text = str(getattr(exc, "orig", exc))
    return DatabaseUnavailable(f"{where}: {text.splitlines()[0] if text else type(exc).__name__}")


def open_database(path_or_url: str | Path | None = None, *,
                  scheme_file: Path | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
    """Opens (creating or upgrading as needed) the database at a path or SQLAlchemy URL."""
    url = database_url(path_or_url)
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    where = str(path_or_url) if path_or_url else url
    try:
        backup = migrate.upgrade(engine)
        db = Database(engine)
        db.backup_taken = backup
        _install_scheme(db, scheme_file)
    except StancemarkError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise _explain(exc, where) from exc
    return db


def _install_scheme(db: Database, scheme_file: Path | None) -> None:
    with db.sessions.write.begin() as s:
        if current_row(s) is None:
            install(s, load_scheme_file(scheme_file), note="default scheme")
