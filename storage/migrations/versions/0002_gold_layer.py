"""gold layer: adjudicated annotations and per-document review status

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 10:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "gold_annotation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("stance", sa.String(length=100), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("claim_type", sa.String(length=100), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("source_annotation_ids", sa.JSON(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("scheme_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('start >= 0 AND start <= "end"', name="ck_gold_span"),
        sa.CheckConstraint("decision IN ('accepted', 'edited', 'rejected', 'merged')", name="ck_gold_decision"),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["annotator.id"]),
        sa.ForeignKeyConstraint(["scheme_version"], ["label_scheme.version"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("gold_annotation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gold_annotation_document_id"), ["document_id"], unique=False)

    op.create_table(
        "review_status",
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('not_reviewed', 'in_review', 'adjudicated')", name="ck_review_status"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"]),
        sa.ForeignKeyConstraint(["reviewer_id"], ["annotator.id"]),
        sa.PrimaryKeyConstraint("document_id"),
    )


def downgrade() -> None:
    op.drop_table("review_status")
    with op.batch_alter_table("gold_annotation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gold_annotation_document_id"))
    op.drop_table("gold_annotation")
