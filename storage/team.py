"""Team mode on PostgreSQL: each annotator logs in as their own role, and the server itself refuses what
their role may not do, whatever client or SQL they use.

Three layers, all on the server. Grants decide which tables and columns a role may write at all (registry
rights included: annotators create actors on first use; reviewers may also rename, set the kind, add, move
or remove aliases, merge (and undo a merge) and delete unused actors, each with its event (migration 0006);
the label scheme is the administrator's). Row-level
security decides whose rows (only one's own annotations and statuses). The triggers of migration 0003 decide
that every change comes with its event, in the member's own name, describing the row as stored.

`setup_team` (admin, once per database and again after an upgrade adds tables) creates the two NOLOGIN group
roles, the grants and the policies; `add_user` creates one login role per annotator, named as the annotator.
Every statement is composed with psycopg.sql (identifiers quoted as identifiers, values as literals); a
password is hashed here as SCRAM-SHA-256, so only its hash ever reaches the server or its log."""
from __future__ import annotations

import unicodedata
from collections.abc import Set
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql
from sqlalchemy import inspect, text

from storage.errors import StancemarkError

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from storage.database import Database

ANNOTATOR_GROUP = "stancemark_annotator"
REVIEWER_GROUP = "stancemark_reviewer"
MAX_NAME_BYTES = 63  # PostgreSQL's NAMEDATALEN - 1: longer names are silently cut by the server
RESERVED_NAMES = {"public", "none", "current_user", "session_user", "current_role", "user", "all"}
ME = "stancemark_me()"
EVENT_COLUMNS = "(at, annotator_id, action, entity, entity_id, before, after)"  # never the id: it orders the log

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
    # The log is append-only for the team, and nobody may write an event in another's name (or in none).
    "event": (f"SELECT, INSERT {EVENT_COLUMNS}", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id = {ME}"),
    }),
    "annotator": ("SELECT, INSERT (name, role, created_at)", {
        "SELECT": ("true", None),
        "INSERT": (None, "name = session_user AND session_user = current_user AND role = 'annotator'"),
    }),
    "actor": ("SELECT, INSERT (name, kind, merged_into_id, created_at)", {}),  # created on first use
    "actor_alias": ("SELECT", {}),
    "document": ("SELECT", {}),
    "label_scheme": ("SELECT", {}),
    "setting": ("SELECT", {}),
    "alembic_version": ("SELECT", {}),
    "gold_annotation": ("SELECT", {}),
    "review_status": ("SELECT", {}),
    # Suggestions are written by whoever runs a suggester (the proposals are the same for everyone); each
    # analyst's decisions and the provenance of their accepted annotations are theirs alone.
    "suggestion_run": ("SELECT, INSERT, UPDATE (version, fingerprint, text_sha256, ran_by, ran_at)", {
        "SELECT": ("true", None),
        "INSERT": (None, f"ran_by = {ME}"),
        "UPDATE": ("true", f"ran_by = {ME}"),
    }),
    "suggestion": ("SELECT, INSERT, UPDATE (version, fingerprint, text_sha256, retired_at), DELETE", {}),
    "suggestion_decision": ("SELECT, INSERT, DELETE", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id = {ME}"),
        "DELETE": (f"annotator_id = {ME}", None),
    }),
    "suggestion_origin": ("SELECT, INSERT, DELETE", {
        "SELECT": ("true", None),
        "INSERT": (None, f"annotator_id = {ME} AND EXISTS (SELECT 1 FROM annotation a WHERE a.id = annotation_id "
                         f"AND a.annotator_id = {ME})"),
        "DELETE": (f"annotator_id = {ME}", None),
    }),
}
REVIEWER_TABLES = {
    "gold_annotation": "INSERT, UPDATE",
    "review_status": "INSERT, UPDATE",
    "actor": "UPDATE (name, kind, merged_into_id), DELETE",  # rename, kind, merge and its undo, delete (0006)
    "actor_alias": "INSERT (actor_id, alias), UPDATE (actor_id), DELETE",
}


def _require_postgres(db: "Database") -> None:
    if db.engine.dialect.name != "postgresql":
        raise StancemarkError("team mode needs a PostgreSQL server; a SQLite file is for one person "
                              "(use --db postgresql+psycopg://admin@host/database)")


def _driver_connection(conn: Connection) -> psycopg.Connection[Any]:
    """psycopg's own connection under SQLAlchemy's: roles, grants and policies are psycopg statements."""
    raw = conn.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):  # a postgresql+psycopg2 URL opens the data, not team commands
        raise StancemarkError("team commands need the psycopg driver: use a postgresql+psycopg:// URL")
    return raw


def _run(cursor: Any, statement: sql.Composable) -> None:
    cursor.execute(statement)


def _ensure_group(cursor: Any, group: str) -> None:
    """A NOLOGIN role without password, made so again if someone turned it into a login."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,))
    if cursor.fetchone() is None:
        cursor.execute("SAVEPOINT stancemark_role")
        try:  # two admins (or test runs) creating it at once: whoever loses finds it there
            _run(cursor, sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
            cursor.execute("RELEASE SAVEPOINT stancemark_role")
        except Exception as exc:  # noqa: BLE001 - only a duplicate is expected here
            if getattr(exc, "sqlstate", None) not in ("42710", "23505"):
                raise
            cursor.execute("ROLLBACK TO SAVEPOINT stancemark_role")
    _run(cursor, sql.SQL("ALTER ROLE {} NOLOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS PASSWORD NULL")
         .format(sql.Identifier(group)))


def setup_team(db: "Database") -> list[str]:
    """Group roles, grants and row-level security policies; safe to run again. Returns what it did."""
    _require_postgres(db)
    present = set(inspect(db.engine).get_table_names())
    done = []
    with db.engine.begin() as conn:
        cur = _driver_connection(conn).cursor()
        annotators, reviewers = sql.Identifier(ANNOTATOR_GROUP), sql.Identifier(REVIEWER_GROUP)
        for group in (ANNOTATOR_GROUP, REVIEWER_GROUP):
            _ensure_group(cur, group)
        _run(cur, sql.SQL("GRANT {} TO {}").format(annotators, reviewers))
        database = sql.Identifier(db.engine.url.database or "")
        _run(cur, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, annotators))
        # No objects of one's own: no table, function or trigger in public, no temporary table to shadow ours.
        _run(cur, sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        _run(cur, sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(database))
        _run(cur, sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(annotators))
        _run(cur, sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(annotators))
        _run(cur, sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(annotators))
        for table, (privileges, policies) in TABLES.items():
            if table not in present:
                continue
            name = sql.Identifier(table)
            for group_role in (annotators, reviewers):
                _run(cur, sql.SQL("REVOKE ALL ON {} FROM {}").format(name, group_role))
            _run(cur, sql.SQL("GRANT " + privileges + " ON {} TO {}").format(name, annotators))
            for command, (using, check) in policies.items():
                policy = sql.Identifier(f"stancemark_{command.lower()}")
                _run(cur, sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(policy, name))
                clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
                _run(cur, sql.SQL("CREATE POLICY {} ON {} FOR " + command + " TO {}" + clauses)
                     .format(policy, name, annotators))
            if policies:
                _run(cur, sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
            done.append(f"{table}: {privileges.lower()}" + (" (own rows only)" if len(policies) > 1 else ""))
        for table, privileges in REVIEWER_TABLES.items():
            if table in present:
                _run(cur, sql.SQL("GRANT " + privileges + " ON {} TO {}").format(sql.Identifier(table), reviewers))
                done.append(f"{table}: reviewers may also {privileges.lower()}")
    return done


def _admin_names(cur: Any) -> set[str]:
    cur.execute("SELECT current_user::text, session_user::text, pg_get_userbyid(d.datdba)::text "
                "FROM pg_database d WHERE d.datname = current_database()")
    return {n for n in cur.fetchone() or () if n}


def check_user_name(name: str, admins: Set[str] = frozenset()) -> str:
    """The name as it will be stored, or a one-line refusal saying why it cannot be a team member's role."""
    if not name or name != " ".join(name.split()):
        raise StancemarkError(f"{name!r}: a user name must not be empty or have surrounding or doubled spaces")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise StancemarkError(f"{name!r}: a user name must not contain control or invisible format characters")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise StancemarkError(f"{name[:20]!r}...: a user name may be at most {MAX_NAME_BYTES} bytes in UTF-8 "
                              f"(PostgreSQL would cut it), this one has {len(name.encode('utf-8'))}")
    folded = name.lower()
    if folded in RESERVED_NAMES or folded.startswith("pg_") or folded.startswith("stancemark_"):
        raise StancemarkError(f"{name!r}: reserved for PostgreSQL or for Stancemark's group roles")
    if name in admins:
        raise StancemarkError(f"{name!r}: that is the administrator's own role; the administrator is no annotator")
    return name


def add_user(db: "Database", name: str, *, reviewer: bool = False, password: str | None = None) -> str:
    """A login role `name` in the annotator (or reviewer) group, and the annotator row of the same name."""
    _require_postgres(db)
    group = REVIEWER_GROUP if reviewer else ANNOTATOR_GROUP
    with db.engine.begin() as conn:
        raw = _driver_connection(conn)
        cur = raw.cursor()
        check_user_name(name, _admin_names(cur))
        cur.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", (ANNOTATOR_GROUP, REVIEWER_GROUP))
        if len(cur.fetchall()) < 2:
            raise StancemarkError("run `stancemark team-setup` on this database first")
        cur.execute("SELECT rolsuper OR rolcreaterole OR rolbypassrls OR rolreplication OR NOT rolcanlogin, "
                    "EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = r.oid) "
                    "FROM pg_roles r WHERE rolname = %s", (name,))
        existing = cur.fetchone()
        if existing is not None and any(existing):
            raise StancemarkError(f"{name!r}: an existing role with powers beyond an annotator's (a superuser, "
                                  "a role administrator, a group or a NOLOGIN role) cannot be made a team member")
        role = sql.Identifier(name)
        if existing is None:
            _run(cur, sql.SQL("CREATE ROLE {} LOGIN").format(role))
        if password is not None:
            hashed = raw.pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"),
                                                 b"scram-sha-256").decode("ascii")
            _run(cur, sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(hashed)))
        _run(cur, sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), role))
    db.annotators.ensure(name, role="reviewer" if reviewer else "annotator")
    if reviewer:
        db.annotators.set_role(name, "reviewer")
    return f"{name}: login role in {group}" + ("" if password else " (no password set: the server's "
                                                               "pg_hba.conf decides how it logs in)")


def drop_user(db: "Database", name: str) -> None:
    """Removes the login role (its annotator row and work stay: the log names them). For tests and cleanup."""
    _require_postgres(db)
    with db.engine.begin() as conn:
        cur = _driver_connection(conn).cursor()
        check_user_name(name, _admin_names(cur))
        _run(cur, sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def team_identity(db: "Database") -> str | None:
    """The annotator this connection logs in as, when it is a team member's role on a server: the window
    then needs not ask who you are (and could not be told otherwise, the server's policies see to that)."""
    if db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT current_user::text WHERE pg_has_role(current_user, "
                                "(SELECT oid FROM pg_roles WHERE rolname = :group), 'MEMBER') "
                                "AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"),
                           {"group": ANNOTATOR_GROUP})
