"""A team on a scratch PostgreSQL database for the attack tests: uniquely named roles (roles are cluster-wide
and other test runs share the server), real work done through the services, a raw psycopg connection per
role, and a dump of everything an attack could change."""
from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from storage import AnnotationDraft, Database, import_paths, open_database, open_with_samples
from storage.team import add_user, drop_user, setup_team

from throwaway_databases import postgres_database

DUMPED_TABLES = ("annotation", "document_status", "event", "gold_annotation", "review_status", "actor",
                 "actor_alias", "annotator", "label_scheme", "document", "setting", "alembic_version")


@dataclass
class Team:
    admin: Database
    url: str
    names: dict[str, str]  # short name (alice, bob, rita, rita2) -> role name
    ids: dict[str, Any] = field(default_factory=dict)

    def connect(self, who: str) -> psycopg.Connection[Any]:
        url = make_url(self.url)
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=self.names[who])

    def as_url(self, who: str) -> str:
        return make_url(self.url).set(username=self.names[who], password=None).render_as_string(hide_password=False)

    def admin_connection(self) -> psycopg.Connection[Any]:
        url = make_url(self.url)
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=url.username,
                               autocommit=True)

    def snapshot(self, annotation_id: str) -> dict[str, Any]:
        """The newest event's snapshot of an annotation: the row as it stands."""
        with self.admin_connection() as conn:
            row = conn.execute("SELECT after FROM event WHERE entity = 'annotation' AND entity_id = %s "
                               "ORDER BY id DESC LIMIT 1", (annotation_id,)).fetchone()
        assert row is not None
        return dict(row[0])

    def dump(self) -> dict[str, Any]:
        """Every row of every table, the roles' powers and memberships, and every trigger, policy, function
        and table of the schema: what an attack must leave as it was."""
        found: dict[str, Any] = {}
        with self.admin_connection() as conn:
            for table in DUMPED_TABLES:
                found[table] = [r[0] for r in conn.execute(
                    f"SELECT row_to_json(t)::text FROM {table} t ORDER BY 1").fetchall()]
            roles = list(self.names.values()) + ["stancemark_annotator", "stancemark_reviewer"]
            found["roles"] = conn.execute(
                "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls, "
                "md5(coalesce(rolpassword, '')) FROM pg_authid "
                "WHERE rolname = ANY(%s) ORDER BY 1", (roles,)).fetchall()
            found["members"] = conn.execute(
                "SELECT pg_get_userbyid(roleid), pg_get_userbyid(member) FROM pg_auth_members "
                "WHERE pg_get_userbyid(member) = ANY(%s) ORDER BY 1, 2", (roles,)).fetchall()
            found["schema"] = conn.execute(
                "SELECT 'trigger', tgname || ' ' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal UNION ALL "
                "SELECT 'policy', polname || ' ' || coalesce(pg_get_expr(polqual, polrelid), '') || coalesce(pg_get_expr(polwithcheck, polrelid), '') FROM pg_policy UNION ALL "
                "SELECT 'function', proname || ' ' || md5(prosrc) || ' ' || pg_get_userbyid(proowner) "
                "FROM pg_proc WHERE pronamespace = 'public'::regnamespace UNION ALL "
                "SELECT 'relation', relname || ' ' || relrowsecurity::text || ' ' || pg_get_userbyid(relowner) "
                "FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1, 2").fetchall()
            found["grants"] = conn.execute(
                "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants "
                "WHERE table_schema = 'public' ORDER BY 1, 2, 3").fetchall()
        return found


def build_team(admin_url: str) -> Iterator[Team]:
    """alice and bob annotate, rita and rita2 review; each has done real work through the services."""
    tag = uuid.uuid4().hex[:8]
    names = {who: f"sm_{who}_{tag}" for who in ("alice", "bob", "rita", "rita2")}
    for url in postgres_database():
        admin = open_with_samples(url)
        setup_team(admin)
        for who, role in names.items():
            add_user(admin, role, reviewer=who.startswith("rita"))
        team = Team(admin, url, names)
        try:
            _do_real_work(team)
            yield team
        finally:
            admin.close()
            cleanup = open_database(url)
            try:
                for role in names.values():
                    drop_user(cleanup, role)
            finally:
                cleanup.close()


def _do_real_work(team: Team) -> None:
    admin, n = team.admin, team.names
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "second.txt"
        article.write_text("A second article\n\nThe ministry denied the report on Tuesday.\n", encoding="utf-8")
        import_paths(admin, [article])
    docs = admin.documents.list()
    doc = docs[0].id
    admin.actors.create("Moscow")
    admin.actors.create("Kremlin", kind="state", aliases=("the Kremlin",))
    admin.actors.create("NATO", kind="organisation")
    admin.actors.merge("Moscow", "Kremlin", by=None)
    ids: dict[str, Any] = {"doc": doc}
    for who in ("alice", "bob"):
        db = open_database(team.as_url(who))
        try:
            first = db.annotations.add(AnnotationDraft(doc, 0, 5, stance="neutral", actor="Kremlin"), by=n[who])
            second = db.annotations.add(AnnotationDraft(doc, 6, 12, actor="A new actor " + who), by=n[who])
            db.annotations.edit(second.id, n[who], expected_revision=second.revision, note="looked again")
            gone = db.annotations.add(AnnotationDraft(doc, 14, 20, actor="NATO"), by=n[who])
            db.annotations.delete(gone.id, n[who])
            db.documents.set_status(doc, "in_progress", by=n[who])
            ids[f"{who}_ann"], ids[f"{who}_deleted"] = first.id, gone.id
        finally:
            db.close()
    rita2 = open_database(team.as_url("rita2"))
    try:
        change = rita2.review.accept(ids["bob_ann"], by=n["rita2"], rationale="clear")
        ids["gold"] = change.added[0].id
    finally:
        rita2.close()
    with team.admin_connection() as conn:
        for key, name in (("kremlin", "Kremlin"), ("nato", "NATO")):
            ids[key] = conn.execute("SELECT id FROM actor WHERE name = %s", (name,)).fetchone()[0]  # type: ignore[index]
        ids["moscow"] = conn.execute("SELECT id FROM actor WHERE merged_into_id IS NOT NULL").fetchone()[0]  # type: ignore[index]
        for who in n:
            ids[f"{who}_id"] = conn.execute("SELECT id FROM annotator WHERE name = %s", (n[who],)).fetchone()[0]  # type: ignore[index]
    ids["other_doc"] = docs[1].id
    team.ids = ids


def as_json(value: dict[str, Any]) -> str:
    return json.dumps(value)
