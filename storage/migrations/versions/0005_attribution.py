"""attribution: claims, mentions and cues, and the links from a claim to its source, cue, relay and target

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00

PARC 3.0's model on the existing rows: `kind` says whether an annotation is a claim (every row so far), a
mention (a span naming an actor) or a cue; four nullable columns link a claim to annotations of the same
annotator in the same document. The gold layer gets the same columns.

SQLite: plain ADD COLUMN, not a batch copy of the table. A copy would renumber the rowids that the corpus
search index of revision 0004 is keyed by, and drop its triggers.
PostgreSQL: the log check of revision 0003 is replaced by one that also checks the new columns, and that a
link points at a row of the same annotator, document and the right kind.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = {"annotation": "ck_annotation_kind", "gold_annotation": "ck_gold_kind"}
LINKS = ("source_id", "cue_id", "relay_id", "target_id")
KIND_CHECK = "kind IN ('claim', 'mention', 'cue')"
PATH = "SET search_path = pg_catalog, public, pg_temp"
ANNOTATION_KEYS = "ARRAY['document_id','annotator_id','start','end','quote','stance','actor','claim_type'," \
                  "'target','note','scheme_version','revision','created_at','updated_at','kind','source_id'," \
                  "'cue_id','relay_id','target_id']"

CHECK_ANNOTATION = f"""CREATE OR REPLACE FUNCTION stancemark_check_annotation(ann text) RETURNS void
    LANGUAGE plpgsql {PATH} AS $$
    DECLARE r record; e record; me integer := stancemark_me(); latest bigint;
    BEGIN
        SELECT a.*, a.xmin AS row_xmin INTO r FROM public.annotation a WHERE a.id = ann;
        IF NOT FOUND OR me IS NULL OR r.annotator_id IS DISTINCT FROM me THEN
            PERFORM stancemark_refuse(format('annotation %s: not yours to change or log', ann));
        END IF;
        IF NOT stancemark_now(r.row_xmin) THEN
            PERFORM stancemark_refuse(format('annotation %s: an event for a change this transaction did not make', ann));
        END IF;
        IF (r.kind <> 'claim' AND num_nonnulls(r.source_id, r.cue_id, r.relay_id, r.target_id) > 0)
           OR EXISTS (SELECT 1 FROM (VALUES (r.source_id, 'mention'), (r.cue_id, 'cue'), (r.relay_id, 'mention'),
                                            (r.target_id, 'mention')) AS link(id, kind)
                      WHERE link.id IS NOT NULL AND NOT EXISTS (
                          SELECT 1 FROM public.annotation o WHERE o.id = link.id AND o.kind = link.kind
                          AND o.annotator_id = r.annotator_id AND o.document_id = r.document_id)) THEN
            PERFORM stancemark_refuse(format('annotation %s: links only from a claim to your own mention or cue '
                                             'in the same document', ann));
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
               OR NOT (e.after @> jsonb_build_object(
                    'kind', r.kind, 'source_id', r.source_id, 'cue_id', r.cue_id, 'relay_id', r.relay_id,
                    'target_id', r.target_id))
               OR NOT stancemark_same_instant(e.after -> 'created_at', r.created_at)
               OR NOT stancemark_same_instant(e.after -> 'updated_at', r.updated_at)
               OR NOT stancemark_same_instant(e.after -> 'deleted_at', r.deleted_at)
               OR NOT stancemark_names_actor(e.after -> 'actor', r.actor_id) THEN
                PERFORM stancemark_refuse(format('annotation %s: event %s does not describe the row as stored',
                                                 ann, e.id));
            END IF;
        END LOOP;
    END $$"""

CHECK_GOLD = f"""CREATE OR REPLACE FUNCTION stancemark_check_gold(gold text) RETURNS void
    LANGUAGE plpgsql {PATH} AS $$
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
               OR NOT (e.after @> jsonb_build_object(
                    'kind', r.kind, 'source_id', r.source_id, 'cue_id', r.cue_id, 'relay_id', r.relay_id,
                    'target_id', r.target_id))
               OR (e.after -> 'source_annotation_ids') IS DISTINCT FROM r.source_annotation_ids::jsonb
               OR NOT stancemark_same_instant(e.after -> 'deleted_at', r.deleted_at)
               OR (fresh AND NOT stancemark_names_actor(e.after -> 'actor', r.actor_id)) THEN
                PERFORM stancemark_refuse(format('gold %s: event %s does not describe the row as stored',
                                                 gold, e.id));
            END IF;
        END LOOP;
    END $$"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table, check in TABLES.items():
            op.execute(f"ALTER TABLE {table} ADD COLUMN kind VARCHAR(20) DEFAULT 'claim' NOT NULL "
                       f"CONSTRAINT {check} CHECK ({KIND_CHECK})")
            for link in LINKS:
                op.execute(f"ALTER TABLE {table} ADD COLUMN {link} VARCHAR(36) REFERENCES {table} (id)")
        return
    for table, check in TABLES.items():
        op.add_column(table, sa.Column("kind", sa.String(length=20), server_default="claim", nullable=False))
        op.create_check_constraint(check, table, KIND_CHECK)
        for link in LINKS:
            op.add_column(table, sa.Column(link, sa.String(length=36), nullable=True))
            op.create_foreign_key(f"fk_{table}_{link}_{table}", table, table, [link], ["id"])
    if _has_log_checks():
        op.execute(CHECK_ANNOTATION)
        op.execute(CHECK_GOLD)


def _has_log_checks() -> bool:
    return bool(op.get_bind().execute(sa.text(
        "SELECT 1 FROM pg_proc WHERE proname = 'stancemark_check_annotation'")).first())


def downgrade() -> None:
    raise NotImplementedError("revision 0005 cannot be undone: links would be lost; restore the backup taken "
                              "before the upgrade instead")
