"""server-enforced log: PostgreSQL triggers refuse a team member's change without its event

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:30:00

On PostgreSQL every change a team member (any role but the administrator who owns the tables) makes to an
annotation, a document status, a gold row or a review status is checked at commit by a deferred constraint
trigger: the newest event for that row must have been written in the same transaction, in the member's own
name, and describe the row exactly as it now stands (what `stancemark check` replays). An event that
describes no change made in the transaction is refused the same way. The actor registry gets the checks that
grants alone cannot express (no name that shadows an alias, no alias equal to a name, no merge on insert).
The functions run as the invoker (so `current_user` is the member) with a fixed search_path.
SQLite has no roles: nothing to do there.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PATH = "SET search_path = pg_catalog, public, pg_temp"
# Characters Python's str.split() treats as whitespace: a name with any of them (or with leading, trailing or
# doubled spaces) would be changed by the app's normalisation and resolve to another actor on replay.
ODD_SPACE = r"[\u0009-\u000d\u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|^ | $|  "
INSTANT = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d:\d\d$"
ANNOTATION_KEYS = "ARRAY['document_id','annotator_id','start','end','quote','stance','actor','claim_type'," \
                  "'target','note','scheme_version','revision','created_at','updated_at']"

FUNCTIONS = [
    # The administrator: a superuser or a member of the role owning the tables; never checked.
    f"""CREATE FUNCTION stancemark_is_admin() RETURNS boolean LANGUAGE sql STABLE {PATH} AS $$
        SELECT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'public.event'::regclass),
                           'USAGE') $$""",
    # The annotator row of the connected role; none after SET ROLE (the login is who is writing).
    f"""CREATE FUNCTION stancemark_me() RETURNS integer LANGUAGE sql STABLE {PATH} AS $$
        SELECT a.id FROM public.annotator a WHERE a.name = session_user::text AND session_user = current_user $$""",
    f"""CREATE FUNCTION stancemark_now(x xid) RETURNS boolean LANGUAGE sql STABLE {PATH} AS $$
        SELECT x = pg_current_xact_id()::xid $$""",
    f"""CREATE FUNCTION stancemark_refuse(message text) RETURNS void LANGUAGE plpgsql {PATH} AS $$
        BEGIN RAISE EXCEPTION USING MESSAGE = message, ERRCODE = 'insufficient_privilege'; END $$""",
    # A snapshot's instant: an ISO string with its offset (replay reads it with datetime.fromisoformat).
    f"""CREATE FUNCTION stancemark_same_instant(j jsonb, t timestamptz) RETURNS boolean LANGUAGE sql STABLE {PATH}
        AS $$ SELECT CASE WHEN j IS NULL OR j = 'null'::jsonb THEN t IS NULL
                          WHEN jsonb_typeof(j) <> 'string' OR t IS NULL THEN false
                          WHEN (j #>> '{{}}') !~ '{INSTANT}' THEN false
                          ELSE (j #>> '{{}}')::timestamptz = t END $$""",
    # A snapshot's actor: the exact name of the live (unmerged) actor the row points at.
    f"""CREATE FUNCTION stancemark_names_actor(j jsonb, actor integer) RETURNS boolean LANGUAGE sql STABLE {PATH}
        AS $$ SELECT CASE WHEN j IS NULL OR j = 'null'::jsonb THEN actor IS NULL
                          WHEN jsonb_typeof(j) <> 'string' OR actor IS NULL THEN false
                          ELSE EXISTS (SELECT 1 FROM public.actor a WHERE a.id = actor
                                       AND a.merged_into_id IS NULL AND a.name = j #>> '{{}}') END $$""",
    f"""CREATE FUNCTION stancemark_check_annotation(ann text) RETURNS void LANGUAGE plpgsql {PATH} AS $$
    DECLARE r record; e record; me integer := stancemark_me(); latest bigint;
    BEGIN
        SELECT a.*, a.xmin AS row_xmin INTO r FROM public.annotation a WHERE a.id = ann;
        IF NOT FOUND OR me IS NULL OR r.annotator_id IS DISTINCT FROM me THEN
            PERFORM stancemark_refuse(format('annotation %s: not yours to change or log', ann));
        END IF;
        IF NOT stancemark_now(r.row_xmin) THEN
            PERFORM stancemark_refuse(format('annotation %s: an event for a change this transaction did not make', ann));
        END IF;
        SELECT max(ev.id) INTO latest FROM public.event ev WHERE ev.entity = 'annotation' AND ev.entity_id = ann;
        IF NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.id = latest AND stancemark_now(ev.xmin)) THEN
            PERFORM stancemark_refuse(format('annotation %s: changed without its event in the log', ann));
        END IF;
        FOR e IN SELECT ev.id, ev.annotator_id, ev.action, ev.after::jsonb AS after FROM public.event ev
                 WHERE ev.entity = 'annotation' AND ev.entity_id = ann AND stancemark_now(ev.xmin) LOOP
            IF e.annotator_id IS DISTINCT FROM me
               OR e.action NOT IN ('create', 'edit', 'restore', 'delete')
               OR (e.action = 'delete') <> (r.deleted_at IS NOT NULL)
               OR (e.action = 'create' AND EXISTS (SELECT 1 FROM public.event ev WHERE ev.entity = 'annotation'
                                                   AND ev.entity_id = ann AND NOT stancemark_now(ev.xmin)))
               OR e.after IS NULL OR jsonb_typeof(e.after) <> 'object' OR NOT (e.after ?& {ANNOTATION_KEYS})
               OR NOT (e.after @> jsonb_build_object(
                    'document_id', r.document_id, 'annotator_id', r.annotator_id, 'start', r.start, 'end', r."end",
                    'quote', r.quote, 'stance', r.stance, 'claim_type', r.claim_type, 'target', r.target,
                    'note', r.note, 'scheme_version', r.scheme_version, 'revision', r.revision))
               OR NOT stancemark_same_instant(e.after -> 'created_at', r.created_at)
               OR NOT stancemark_same_instant(e.after -> 'updated_at', r.updated_at)
               OR NOT stancemark_same_instant(e.after -> 'deleted_at', r.deleted_at)
               OR NOT stancemark_names_actor(e.after -> 'actor', r.actor_id) THEN
                PERFORM stancemark_refuse(format('annotation %s: event %s does not describe the row as stored',
                                                 ann, e.id));
            END IF;
        END LOOP;
    END $$""",
    f"""CREATE FUNCTION stancemark_check_status(doc text, who integer) RETURNS void LANGUAGE plpgsql {PATH} AS $$
    DECLARE r record; me integer := stancemark_me(); latest bigint;
    BEGIN
        SELECT s.status, s.xmin AS row_xmin INTO r FROM public.document_status s
        WHERE s.document_id = doc AND s.annotator_id = who;
        IF NOT FOUND OR me IS NULL OR who IS DISTINCT FROM me OR NOT stancemark_now(r.row_xmin) THEN
            PERFORM stancemark_refuse(format('document %s: no status of yours changed here', doc));
        END IF;
        SELECT max(ev.id) INTO latest FROM public.event ev
        WHERE ev.entity = 'document' AND ev.entity_id = doc AND ev.action = 'status' AND ev.annotator_id = who;
        IF NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.id = latest AND stancemark_now(ev.xmin))
           OR EXISTS (SELECT 1 FROM public.event ev WHERE ev.entity = 'document' AND ev.entity_id = doc
                      AND ev.action = 'status' AND ev.annotator_id = who AND stancemark_now(ev.xmin)
                      AND ((ev.after::jsonb -> 'status') IS DISTINCT FROM to_jsonb(r.status))) THEN
            PERFORM stancemark_refuse(format('document %s: status changed without its event in the log', doc));
        END IF;
    END $$""",
    f"""CREATE FUNCTION stancemark_check_review(doc text) RETURNS void LANGUAGE plpgsql {PATH} AS $$
    DECLARE r record; me integer := stancemark_me(); latest bigint;
    BEGIN
        SELECT s.status, s.reviewer_id, s.xmin AS row_xmin INTO r FROM public.review_status s WHERE s.document_id = doc;
        IF NOT FOUND OR me IS NULL OR r.reviewer_id IS DISTINCT FROM me OR NOT stancemark_now(r.row_xmin) THEN
            PERFORM stancemark_refuse(format('document %s: no review status of yours changed here', doc));
        END IF;
        SELECT max(ev.id) INTO latest FROM public.event ev
        WHERE ev.entity = 'document' AND ev.entity_id = doc AND ev.action = 'review_status';
        IF NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.id = latest AND stancemark_now(ev.xmin))
           OR EXISTS (SELECT 1 FROM public.event ev WHERE ev.entity = 'document' AND ev.entity_id = doc
                      AND ev.action = 'review_status' AND stancemark_now(ev.xmin)
                      AND (ev.annotator_id IS DISTINCT FROM me
                           OR (ev.after::jsonb -> 'status') IS DISTINCT FROM to_jsonb(r.status))) THEN
            PERFORM stancemark_refuse(format('document %s: review status changed without its event', doc));
        END IF;
    END $$""",
    f"""CREATE FUNCTION stancemark_check_gold(gold text) RETURNS void LANGUAGE plpgsql {PATH} AS $$
    DECLARE r record; e record; me integer := stancemark_me(); latest bigint; fresh boolean;
    BEGIN
        SELECT g.*, g.xmin AS row_xmin INTO r FROM public.gold_annotation g WHERE g.id = gold;
        IF NOT FOUND OR me IS NULL OR NOT stancemark_now(r.row_xmin) THEN
            PERFORM stancemark_refuse(format('gold %s: no change of yours to log', gold));
        END IF;
        fresh := NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.entity = 'gold' AND ev.entity_id = gold
                             AND NOT stancemark_now(ev.xmin));
        SELECT max(ev.id) INTO latest FROM public.event ev WHERE ev.entity = 'gold' AND ev.entity_id = gold;
        IF (fresh AND r.reviewer_id IS DISTINCT FROM me)
           OR NOT EXISTS (SELECT 1 FROM public.event ev WHERE ev.id = latest AND stancemark_now(ev.xmin)) THEN
            PERFORM stancemark_refuse(format('gold %s: changed without its event in the log', gold));
        END IF;
        FOR e IN SELECT ev.id, ev.annotator_id, ev.action, ev.after::jsonb AS after FROM public.event ev
                 WHERE ev.entity = 'gold' AND ev.entity_id = gold AND stancemark_now(ev.xmin) LOOP
            IF e.annotator_id IS DISTINCT FROM me
               OR (fresh AND e.action IS DISTINCT FROM r.decision)
               OR (NOT fresh AND e.action NOT IN ('retract', 'restore'))
               OR (NOT fresh AND (e.action = 'retract') <> (r.deleted_at IS NOT NULL))
               OR e.after IS NULL OR jsonb_typeof(e.after) <> 'object'
               OR NOT (e.after @> jsonb_build_object(
                    'document_id', r.document_id, 'start', r.start, 'end', r."end", 'quote', r.quote,
                    'stance', r.stance, 'claim_type', r.claim_type, 'target', r.target, 'note', r.note,
                    'decision', r.decision, 'reviewer_id', r.reviewer_id, 'rationale', r.rationale,
                    'scheme_version', r.scheme_version))
               OR (e.after -> 'source_annotation_ids') IS DISTINCT FROM r.source_annotation_ids::jsonb
               OR NOT stancemark_same_instant(e.after -> 'deleted_at', r.deleted_at)
               OR (fresh AND NOT stancemark_names_actor(e.after -> 'actor', r.actor_id)) THEN
                PERFORM stancemark_refuse(format('gold %s: event %s does not describe the row as stored',
                                                 gold, e.id));
            END IF;
        END LOOP;
    END $$""",
    # Immediate checks on an event as it is written: only in one's own name, only what the app writes.
    f"""CREATE FUNCTION stancemark_event_written() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
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
                OR (NEW.entity IN ('annotator', 'actor') AND NEW.action = 'create')) THEN
            PERFORM stancemark_refuse(format('a team member may not log %s of %s', NEW.action, NEW.entity));
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION stancemark_event_logged() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
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
        ELSIF NOT EXISTS (SELECT 1 FROM public.actor a WHERE a.id::text = NEW.entity_id AND stancemark_now(a.xmin)
                          AND to_jsonb(a.name) = NEW.after::jsonb -> 'name') THEN
            PERFORM stancemark_refuse('an actor event for a change this transaction did not make');
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION stancemark_row_logged() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF TG_TABLE_NAME = 'annotation' THEN
            PERFORM stancemark_check_annotation(NEW.id);
        ELSIF TG_TABLE_NAME = 'document_status' THEN
            PERFORM stancemark_check_status(NEW.document_id, NEW.annotator_id);
        ELSIF TG_TABLE_NAME = 'review_status' THEN
            PERFORM stancemark_check_review(NEW.document_id);
        ELSE
            PERFORM stancemark_check_gold(NEW.id);
        END IF;
        RETURN NULL;
    END $$""",
    # Gold rows are decisions: a reviewer may retract or restore one, never rewrite it.
    f"""CREATE FUNCTION stancemark_gold_kept() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF to_jsonb(NEW) - 'deleted_at' - 'updated_at' IS DISTINCT FROM to_jsonb(OLD) - 'deleted_at' - 'updated_at' THEN
            PERFORM stancemark_refuse(format('gold %s: a decision may be retracted or restored, not rewritten', OLD.id));
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION stancemark_registry_kept() RETURNS trigger LANGUAGE plpgsql {PATH} AS $$
    BEGIN
        IF TG_TABLE_NAME = 'annotator' THEN
            IF NEW.name IS DISTINCT FROM session_user::text OR session_user <> current_user
               OR NEW.role <> 'annotator' THEN
                PERFORM stancemark_refuse('a team member may enrol only themselves, as an annotator');
            END IF;
        ELSIF TG_TABLE_NAME = 'actor' THEN
            IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'kind' IS DISTINCT FROM to_jsonb(OLD) - 'kind' THEN
                PERFORM stancemark_refuse('renaming and merging actors is the administrator''s');
            END IF;
            IF TG_OP = 'INSERT' AND (NEW.merged_into_id IS NOT NULL OR NEW.name ~ '{ODD_SPACE}' OR NEW.name = ''
                    OR EXISTS (SELECT 1 FROM public.actor_alias x WHERE x.alias = NEW.name)) THEN
                PERFORM stancemark_refuse(format('actor %s: a new actor may not shadow an alias or be merged',
                                                 NEW.name));
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

LOGGED_TABLES = ("annotation", "document_status", "review_status", "gold_annotation")
MEMBER = "WHEN (NOT stancemark_is_admin())"
TRIGGERS = [
    *(f"CREATE CONSTRAINT TRIGGER stancemark_logged AFTER INSERT OR UPDATE ON {t} DEFERRABLE INITIALLY DEFERRED "
      f"FOR EACH ROW {MEMBER} EXECUTE FUNCTION stancemark_row_logged()" for t in LOGGED_TABLES),
    f"CREATE TRIGGER stancemark_event_written BEFORE INSERT ON event FOR EACH ROW {MEMBER} "
    "EXECUTE FUNCTION stancemark_event_written()",
    "CREATE CONSTRAINT TRIGGER stancemark_event_logged AFTER INSERT ON event DEFERRABLE INITIALLY DEFERRED "
    f"FOR EACH ROW {MEMBER} EXECUTE FUNCTION stancemark_event_logged()",
    f"CREATE TRIGGER stancemark_gold_kept BEFORE UPDATE ON gold_annotation FOR EACH ROW {MEMBER} "
    "EXECUTE FUNCTION stancemark_gold_kept()",
    *(f"CREATE TRIGGER stancemark_registry_kept BEFORE INSERT OR UPDATE ON {t} FOR EACH ROW {MEMBER} "
      "EXECUTE FUNCTION stancemark_registry_kept()" for t in ("annotator", "actor", "actor_alias")),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in FUNCTIONS + TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in LOGGED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS stancemark_logged ON {table}")
    for name in ("stancemark_event_written", "stancemark_event_logged"):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON event")
    op.execute("DROP TRIGGER IF EXISTS stancemark_gold_kept ON gold_annotation")
    for table in ("annotator", "actor", "actor_alias"):
        op.execute(f"DROP TRIGGER IF EXISTS stancemark_registry_kept ON {table}")
    for statement in reversed(FUNCTIONS):
        name = statement.split("FUNCTION ", 1)[1].split("(", 1)[0]
        op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
