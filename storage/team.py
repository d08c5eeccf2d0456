"""Team mode on PostgreSQL: each annotator logs in as their own role, and the server itself refuses
changes to another annotator's work (row-level security), whatever client or SQL they use.

`setup_team` (admin, once per database and again after an upgrade adds tables) creates two group roles
and the policies; `add_user` creates one login role per annotator, named as the annotator. The admin who
created the database owns the tables, and owners are not subject to these policies (imports, scheme
changes, actor merges and upgrades are the admin's)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from storage.errors import StancemarkError

if TYPE_CHECKING:
    from storage.database import Database

ANNOTATOR_GROUP = "stancemark_annotator"
REVIEWER_GROUP = "stancemark_reviewer"
ME = "(SELECT a.id FROM annotator a WHERE a.name = current_user)"

# table -> (privileges for every annotator, {policy command: (USING, WITH CHECK)}); a table with policies
# gets row-level security switched on, and a table without a write privilege here is read-only to the team.
TABLES: dict[str, tuple[str, dict[str, tuple[str | None, str | None]]]] = {
    "annotation": ("SELECT, INSERT, UPDATE", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id = {ME}"),
        "UPDATE": (f"annotator_id = {ME}", f"annotator_id = {ME}"),
    }),
    "document_status": ("SELECT, INSERT, UPDATE", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id = {ME}"),
        "UPDATE": (f"annotator_id = {ME}", f"annotator_id = {ME}"),
    }),
    # The log is append-only for the team, and nobody may write an event in a colleague's name.
    "event": ("SELECT, INSERT", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id IS NULL OR annotator_id = {ME}"),
    }),
    "annotator": ("SELECT, INSERT", {
        "SELECT": ("true", None),
        "INSERT": (None, "name = current_user AND role = 'annotator'"),
    }),
    "actor": ("SELECT, INSERT", {}),  # actors are created on first use; merging them is the admin's
    "actor_alias": ("SELECT, INSERT", {}),
    "document": ("SELECT", {}),
    "label_scheme": ("SELECT", {}),
    "setting": ("SELECT", {}),
    "alembic_version": ("SELECT", {}),
    "gold_annotation": ("SELECT", {}),
    "review_status": ("SELECT", {}),
}
REVIEWER_TABLES = {"gold_annotation": "INSERT, UPDATE", "review_status": "INSERT, UPDATE"}


def _require_postgres(db: "Database") -> None:
    if db.engine.dialect.name != "postgresql":
        raise StancemarkError("team mode needs a PostgreSQL server; a SQLite file is for one person "
                              "(use --db postgresql+psycopg://admin@host/database)")


def _quote(db: "Database", name: str) -> str:
    return db.engine.dialect.identifier_preparer.quote_identifier(name)


def _ensure_role(conn: object, quoted: str, options: str) -> None:
    # Two admins (or test runs) creating the same role at once is harmless: whoever loses finds it there.
    conn.execute(text(f"DO $$ BEGIN CREATE ROLE {quoted} {options}; "  # type: ignore[attr-defined]
                      "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"))


def setup_team(db: "Database") -> list[str]:
    """Group roles, grants and row-level security policies; safe to run again. Returns what it did."""
    _require_postgres(db)
    present = set(inspect(db.engine).get_table_names())
    done = []
    with db.engine.begin() as conn:
        for group in (ANNOTATOR_GROUP, REVIEWER_GROUP):
            _ensure_role(conn, group, "NOLOGIN")
        conn.execute(text(f"GRANT {ANNOTATOR_GROUP} TO {REVIEWER_GROUP}"))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {_quote(db, db.engine.url.database or '')} "
                          f"TO {ANNOTATOR_GROUP}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {ANNOTATOR_GROUP}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ANNOTATOR_GROUP}"))
        for table, (privileges, policies) in TABLES.items():
            if table not in present:
                continue
            conn.execute(text(f"REVOKE ALL ON {table} FROM {ANNOTATOR_GROUP}"))
            conn.execute(text(f"GRANT {privileges} ON {table} TO {ANNOTATOR_GROUP}"))
            for command, (using, check) in policies.items():
                name = f"stancemark_{command.lower()}"
                conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {table}"))
                clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
                conn.execute(text(f"CREATE POLICY {name} ON {table} FOR {command} TO {ANNOTATOR_GROUP}{clauses}"))
            if policies:
                conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            done.append(f"{table}: {privileges.lower()}" + (" (own rows only)" if len(policies) > 1 else ""))
        for table, privileges in REVIEWER_TABLES.items():
            if table in present:
                conn.execute(text(f"GRANT {privileges} ON {table} TO {REVIEWER_GROUP}"))
                done.append(f"{table}: reviewers may also {privileges.lower()}")
    return done


def add_user(db: "Database", name: str, *, reviewer: bool = False, password: str | None = None) -> str:
    """A login role `name` in the annotator (or reviewer) group, and the annotator row of the same name."""
    _require_postgres(db)
    name = name.strip()
    if not name or name != " ".join(name.split()) or len(name) > 63:
        raise StancemarkError(f"{name!r}: a user name must be 1-63 characters without surrounding spaces")
    quoted = _quote(db, name)
    group = REVIEWER_GROUP if reviewer else ANNOTATOR_GROUP
    with db.engine.begin() as conn:
        exists = conn.scalar(text(f"SELECT 1 FROM pg_roles WHERE rolname = '{ANNOTATOR_GROUP}'"))
        if not exists:
            raise StancemarkError("run `stancemark team-setup` on this database first")
        _ensure_role(conn, quoted, "LOGIN")
        conn.execute(text(f"ALTER ROLE {quoted} LOGIN"))
        if password is not None:
            literal = "'" + password.replace("'", "''") + "'"
            conn.execute(text(f"ALTER ROLE {quoted} PASSWORD {literal}"))
        conn.execute(text(f"GRANT {group} TO {quoted}"))
    db.annotators.ensure(name, role="reviewer" if reviewer else "annotator")
    if reviewer:
        db.annotators.set_role(name, "reviewer")
    return f"{name}: login role in {group}" + ("" if password else " (no password set: the server's "
                                                               "pg_hba.conf decides how it logs in)")


def team_identity(db: "Database") -> str | None:
    """The annotator this connection logs in as, when it is a team member's role on a server: the window
    then needs not ask who you are (and could not be told otherwise, the server's policies see to that)."""
    if db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as conn:
        return conn.scalar(text(f"SELECT current_user::text WHERE pg_has_role(current_user, "
                                f"(SELECT oid FROM pg_roles WHERE rolname = '{ANNOTATOR_GROUP}'), 'MEMBER') "
                                "AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"))
