"""actor rights: reviewers and the administrator keep the registry clean, on the server

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 02:00:00

Who may do what with the actor registry on a team server (PostgreSQL; SQLite has no roles):
- every member creates actors on first use (as before);
- reviewers (and the administrator) may also rename, set the kind, add and remove aliases, merge, undo a
  merge and delete an actor nothing uses, each change with its event in their own name: the log trigger
  now accepts those actions from reviewers only, and a new deferred trigger on `actor` refuses a
  member's change to an actor row without an actor event of the same transaction;
- a merge moves colleagues' annotations, which row-level security forbids a reviewer to touch. The
  function `stancemark_move_actor_uses` runs as the table owner (SECURITY DEFINER) and moves them only for a
  reviewer or the administrator, only off an actor merged into the target in the same transaction, or back
  from it for exactly the ids a logged merge moved (undo).
Each actor event must describe what its transaction did (the renamed name, the kind, the alias, the merge
with nothing left on the merged actor, the deleted row gone).
On both backends: an index covering the Actors view's count of each actor's live annotations and documents.
"""
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Sequence, Union

from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PATH = "SET search_path = pg_catalog, public, pg_temp"
REVIEWER_ACTIONS = "('rename', 'kind', 'alias', 'unalias', 'merge', 'unmerge', 'delete')"


def _revision_0003() -> ModuleType:
    """Migration 0003's module: its odd-space pattern, and its functions for the downgrade."""
    path = Path(__file__).with_name("0003_server_enforced_log.py")
    spec = importlib.util.spec_from_file_location("stancemark_revision_0003", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ODD_SPACE = _revision_0003().ODD_SPACE

NEW_FUNCTIONS = [
    # Who is calling, seen from inside a SECURITY DEFINER function too (there current_user is the owner).
    f"""CREATE FUNCTION stancemark_session_is_admin() RETURNS boolean LANGUAGE sql STABLE {PATH} AS $$
        SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'public.event'::regclass),
                           'USAGE') $$""",
    f"""CREATE FUNCTION stancemark_is_reviewer() RETURNS boolean LANGUAGE sql STABLE {PATH} AS $$
        SELECT EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'stancemark_reviewer'
                       AND pg_has_role(session_user, g.oid, 'MEMBER'))
           AND EXISTS (SELECT 1 FROM public.annotator a WHERE a.name = session_user::text) $$""",
    f"""CREATE FUNCTION stancemark_move_actor_uses(from_actor integer, to_actor integer, annotation_ids text[],
                                                gold_ids text[]) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
    DECLARE moved integer; n integer;
    BEGIN
        IF NOT (stancemark_session_is_admin() OR stancemark_is_reviewer()) THEN
            PERFORM stancemark_refuse('moving an actor''s annotations is for reviewers and the administrator');
        END IF;
        IF EXISTS (SELECT 1 FROM public.actor a WHERE a.id = from_actor AND a.merged_into_id = to_actor
                   AND stancemark_now(a.xmin)) THEN
            NULL;  -- a merge of this transaction: the merged actor's uses follow it
        ELSIF EXISTS (SELECT 1 FROM public.actor a WHERE a.id = to_actor AND a.merged_into_id IS NULL
                      AND stancemark_now(a.xmin))
              AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(annotation_ids, '{{}}')) AS x(id) WHERE x.id NOT IN (
                  SELECT jsonb_array_elements_text(e.after::jsonb -> 'annotations') FROM public.event e
                  WHERE e.entity = 'actor' AND e.action = 'merge' AND e.entity_id = to_actor::text
                  AND (e.after::jsonb ->> 'into_id') = from_actor::text))
              AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(gold_ids, '{{}}')) AS x(id) WHERE x.id NOT IN (
                  SELECT jsonb_array_elements_text(e.after::jsonb -> 'gold') FROM public.event e
                  WHERE e.entity = 'actor' AND e.action = 'merge' AND e.entity_id = to_actor::text
                  AND (e.after::jsonb ->> 'into_id') = from_actor::text)) THEN
            NULL;  -- an undone merge of this transaction: only what that merge moved goes back
        ELSE
            PERFORM stancemark_refuse(format('actor %s: its annotations move only with a merge into actor %s '
                                             'or its undo', from_actor, to_actor));
        END IF;
        UPDATE public.annotation SET actor_id = to_actor WHERE id = ANY(annotation_ids) AND actor_id = from_actor;
        GET DIAGNOSTICS moved = ROW_COUNT;
        UPDATE public.gold_annotation SET actor_id = to_actor WHERE id = ANY(gold_ids) AND actor_id = from_actor;
        GET DIAGNOSTICS n = ROW_COUNT;
        RETURN moved + n;
    END $$""",
    # Does an actor event describe what its own transaction did?
    f"""CREATE FUNCTION stancemark_check_actor_event(ident text, act text, before jsonb, after jsonb)
        RETURNS void LANGUAGE plpgsql {PATH} AS $$
    DECLARE a record; fine boolean;
    BEGIN
        SELECT r.*, r.xmin AS row_xmin INTO a FROM public.actor r WHERE r.id::text = ident;
        IF act = 'delete' THEN
            fine := NOT FOUND;
        ELSIF NOT FOUND THEN
            fine := false;
        ELSIF act IN ('alias', 'unalias') THEN
            fine := a.merged_into_id IS NULL AND (act = 'alias') = EXISTS (
                SELECT 1 FROM public.actor_alias x WHERE x.actor_id = a.id
                AND x.alias = coalesce(after ->> 'alias', before ->> 'alias')
                AND (act = 'unalias' OR stancemark_now(x.xmin)));
        ELSE
            fine := stancemark_now(a.row_xmin) AND to_jsonb(a.name) = after -> 'name' AND CASE act
                WHEN 'create' THEN true
                WHEN 'rename' THEN a.merged_into_id IS NULL
                WHEN 'kind' THEN to_jsonb(a.kind) = after -> 'kind'
                WHEN 'unmerge' THEN a.merged_into_id IS NULL
                WHEN 'merge' THEN to_jsonb(a.merged_into_id) = after -> 'into_id'
                    AND NOT EXISTS (SELECT 1 FROM public.annotation n WHERE n.actor_id = a.id)
                    AND NOT EXISTS (SELECT 1 FROM public.gold_annotation g WHERE g.actor_id = a.id)
                ELSE false END;
        END IF;
        IF NOT fine THEN
            PERFORM stancemark_refuse(format('actor %s: the %s event does not describe a change this '
                                             'transaction made', ident, act));
        END IF;
    END $$""",
    f"""CREATE FUNCTION stancemark_actor_logged() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    DECLARE ident text := CASE WHEN TG_OP = 'DELETE' THEN OLD.id::text ELSE NEW.id::text END;
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.entity = 'actor' AND ev.entity_id = ident
                       AND stancemark_now(ev.xmin)) THEN
            PERFORM stancemark_refuse(format('actor %s: changed without its event in the log', ident));
        END IF;
        RETURN NULL;
    END $$""",
]

MEMBER = "WHEN (NOT stancemark_is_admin())"
NEW_FUNCTIONS.append(
    # Only an actor nothing refers to may go, deleted annotations included (an undo could bring them back).
    f"""CREATE FUNCTION stancemark_actor_unused() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM public.annotation n WHERE n.actor_id = OLD.id)
           OR EXISTS (SELECT 1 FROM public.gold_annotation g WHERE g.actor_id = OLD.id)
           OR EXISTS (SELECT 1 FROM public.actor a WHERE a.merged_into_id = OLD.id) THEN
            PERFORM stancemark_refuse(format('actor %s: still used; only an unused actor may be deleted', OLD.name));
        END IF;
        RETURN OLD;
    END $$""")

# Replacements of 0003's functions (same names, so the triggers keep pointing at them).
REPLACED = [
    f"""CREATE OR REPLACE FUNCTION stancemark_event_written() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    DECLARE me integer := stancemark_me();
    BEGIN
        IF me IS NULL THEN
            PERFORM stancemark_refuse('only a team member logged in as themselves may write to the log');
        END IF;
        IF NEW.annotator_id IS DISTINCT FROM me THEN
            PERFORM stancemark_refuse('an event may name only the role that writes it');
        END IF;
        IF NOT ((NEW.entity = 'annotation' AND NEW.action IN ('create', 'edit', 'restore', 'delete'))
                OR (NEW.entity = 'document' AND NEW.action IN ('status', 'review_status'))
                OR (NEW.entity = 'gold' AND NEW.action IN ('accepted', 'edited', 'rejected', 'merged',
                                                           'retract', 'restore'))
                OR (NEW.entity IN ('annotator', 'actor') AND NEW.action = 'create')
                OR (NEW.entity = 'actor' AND NEW.action IN {REVIEWER_ACTIONS} AND stancemark_is_reviewer())) THEN
            PERFORM stancemark_refuse(format('a team member may not log %s of %s', NEW.action, NEW.entity));
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION stancemark_event_logged() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF NEW.entity = 'annotation' THEN
            PERFORM stancemark_check_annotation(NEW.entity_id);
        ELSIF NEW.entity = 'document' AND NEW.action = 'status' THEN
            PERFORM stancemark_check_status(NEW.entity_id, NEW.annotator_id);
        ELSIF NEW.entity = 'document' THEN
            PERFORM stancemark_check_review(NEW.entity_id);
        ELSIF NEW.entity = 'gold' THEN
            PERFORM stancemark_check_gold(NEW.entity_id);
        ELSIF NEW.entity = 'annotator' THEN
            IF NEW.entity_id IS DISTINCT FROM stancemark_me()::text OR NOT EXISTS (
                    SELECT 1 FROM public.annotator a WHERE a.id::text = NEW.entity_id AND stancemark_now(a.xmin)) THEN
                PERFORM stancemark_refuse('an annotator event for a change this transaction did not make');
            END IF;
        ELSE
            PERFORM stancemark_check_actor_event(NEW.entity_id, NEW.action, NEW.before::jsonb, NEW.after::jsonb);
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION stancemark_registry_kept() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF TG_TABLE_NAME = 'annotator' THEN
            IF NEW.name IS DISTINCT FROM session_user::text OR session_user <> current_user
               OR NEW.role <> 'annotator' THEN
                PERFORM stancemark_refuse('a team member may enrol only themselves, as an annotator');
            END IF;
        ELSIF TG_TABLE_NAME = 'actor' THEN
            IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'kind' - 'name' - 'merged_into_id'
                    IS DISTINCT FROM to_jsonb(OLD) - 'kind' - 'name' - 'merged_into_id' THEN
                PERFORM stancemark_refuse('an actor''s id and creation time never change');
            END IF;
            IF (TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name)
               AND (NEW.name ~ '{ODD_SPACE}' OR NEW.name = ''
                    OR EXISTS (SELECT 1 FROM public.actor_alias x WHERE x.alias = NEW.name)) THEN
                PERFORM stancemark_refuse(format('actor %s: a name may not shadow an alias or have odd spaces',
                                                 NEW.name));
            END IF;
            IF TG_OP = 'INSERT' AND NEW.merged_into_id IS NOT NULL THEN
                PERFORM stancemark_refuse(format('actor %s: a new actor may not be merged', NEW.name));
            END IF;
            IF TG_OP = 'UPDATE' AND NEW.merged_into_id IS NOT NULL
               AND NEW.merged_into_id IS DISTINCT FROM OLD.merged_into_id
               AND (NEW.merged_into_id = NEW.id OR NOT EXISTS (SELECT 1 FROM public.actor a
                    WHERE a.id = NEW.merged_into_id AND a.merged_into_id IS NULL)) THEN
                PERFORM stancemark_refuse(format('actor %s: may be merged only into another live actor', NEW.name));
            END IF;
        ELSE
            IF NEW.alias ~ '{ODD_SPACE}' OR NEW.alias = ''
               OR EXISTS (SELECT 1 FROM public.actor a WHERE a.name = NEW.alias)
               OR NOT EXISTS (SELECT 1 FROM public.actor a WHERE a.id = NEW.actor_id AND a.merged_into_id IS NULL) THEN
                PERFORM stancemark_refuse(format('alias %s: must not be an actor''s name, and must name a live actor',
                                                 NEW.alias));
            END IF;
        END IF;
        RETURN NEW;
    END $$""",
]

TRIGGERS = [
    f"CREATE TRIGGER stancemark_actor_unused BEFORE DELETE ON actor FOR EACH ROW {MEMBER} "
    "EXECUTE FUNCTION stancemark_actor_unused()",
    "CREATE CONSTRAINT TRIGGER stancemark_actor_logged AFTER INSERT OR UPDATE OR DELETE ON actor "
    f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {MEMBER} "
    "EXECUTE FUNCTION stancemark_actor_logged()",
]


def upgrade() -> None:
    # Both backends: the Actors view's grouped count of each actor's live annotations and documents, covered.
    op.create_index("ix_annotation_actor_use", "annotation", ["actor_id", "deleted_at", "document_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in NEW_FUNCTIONS + REPLACED + TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_annotation_actor_use", table_name="annotation")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS stancemark_actor_logged ON actor")
    op.execute("DROP TRIGGER IF EXISTS stancemark_actor_unused ON actor")
    previous = _revision_0003().FUNCTIONS
    for statement in REPLACED:
        name = statement.split("FUNCTION ", 1)[1].split("(", 1)[0]
        [old] = [f for f in previous if f.split("FUNCTION ", 1)[1].split("(", 1)[0] == name]
        op.execute(old.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    for statement in reversed(NEW_FUNCTIONS):
        name = statement.split("FUNCTION ", 1)[1].split("(", 1)[0]
        op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
