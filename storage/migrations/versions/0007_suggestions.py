"""suggestions: what the suggesters proposed, kept apart from annotations, and each analyst's decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:00:00

`suggestion_run`: one row per (document, suggester, scope) with the input fingerprint the stored proposals
were computed from (scope is '' for suggesters that read only the text and the registry, else the analyst
whose annotations they read). `suggestion`: the proposals (content, source and cue spans, labels), never
read by exports, agreement or gold. `suggestion_decision`: one analyst's accept or reject of one suggestion
(accepted ones name the annotations they created). `suggestion_origin`: which suggestion an annotation came
from. New tables only, so plain CREATE TABLE on both backends.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "suggestion_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("suggester", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("ran_by", sa.Integer(), nullable=True),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["ran_by"], ["annotator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "suggester", "scope", name="uq_suggestion_run"),
    )
    op.create_table(
        "suggestion",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("suggester", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("claim_type", sa.String(length=100), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("stance", sa.String(length=100), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("rule", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('start >= 0 AND start < "end"', name="ck_suggestion_span"),
        sa.CheckConstraint("kind IN ('claim', 'mention')", name="ck_suggestion_kind"),
        sa.ForeignKeyConstraint(["run_id"], ["suggestion_run.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_suggestion_document_id", "suggestion", ["document_id"])
    op.create_index("ix_suggestion_run_id", "suggestion", ["run_id"])
    op.create_table(
        "suggestion_decision",
        sa.Column("suggestion_id", sa.String(length=36), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("annotation_ids", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("decision IN ('accepted', 'rejected')", name="ck_suggestion_decision"),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestion.id"]),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotator.id"]),
        sa.PrimaryKeyConstraint("suggestion_id", "annotator_id"),
    )
    op.create_table(
        "suggestion_origin",
        sa.Column("annotation_id", sa.String(length=36), nullable=False),
        sa.Column("suggestion_id", sa.String(length=36), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["annotation_id"], ["annotation.id"]),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestion.id"]),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotator.id"]),
        sa.PrimaryKeyConstraint("annotation_id"),
    )
    op.create_index("ix_suggestion_origin_suggestion_id", "suggestion_origin", ["suggestion_id"])


def downgrade() -> None:
    for table in ("suggestion_origin", "suggestion_decision", "suggestion", "suggestion_run"):
        op.drop_table(table)
