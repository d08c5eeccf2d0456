"""document list: a stored length of each text, an index holding the list's columns, the claim count by annotator

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:10:00

The document list shows every document's length (`DocumentService.list`). `length(text)` read the whole text
of every document to count its characters: 67 MB at 10,000 documents, 35-110 ms (bench/bench_scale.py).
`text_length` holds len(text) in code points (what SQLite's and PostgreSQL's length() count), written by
the importer with the text and filled here for the rows already there. `ix_document_list` holds the list's
columns in its order (created_at, title, id), so the list is read from the index alone: in the table a row's
later columns sit behind its text, whose overflow pages SQLite walks to reach them.

The count of live claims per document (revision 0008's index on kind, deleted_at, document_id, annotator_id)
read every annotator's claims to count one annotator's: about 110 ms of CPU at 1,000,000 annotations.
`ix_annotation_claim_counts` puts the annotator before the document: one annotator's count reads only their
entries (about 35 ms), and everyone's is counted per annotator and document, then summed (as fast as before).

SQLite: plain ADD COLUMN (NOT NULL needs a default there, 0, which every writer overrides), not a batch copy
of the table: a copy would renumber the rowids the corpus search index of revision 0004 is keyed by, and drop
its triggers. The backfill updates text_length only, so the search triggers (on title and text) do not fire.
PostgreSQL: the default is dropped again once the rows are filled, so a writer that forgot the length fails.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

LIST_COLUMNS = ["created_at", "title", "id", "source", "text_length"]
OLD_COUNTS, OLD_COUNT_COLUMNS = "ix_annotation_document_counts", ["kind", "deleted_at", "document_id", "annotator_id"]
COUNTS, COUNT_COLUMNS = "ix_annotation_claim_counts", ["kind", "deleted_at", "annotator_id", "document_id"]


def upgrade() -> None:
    op.add_column("document", sa.Column("text_length", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE document SET text_length = length(text)")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("document", "text_length", server_default=None)
    op.create_index("ix_document_list", "document", LIST_COLUMNS)
    op.drop_index(OLD_COUNTS, table_name="annotation")
    op.create_index(COUNTS, "annotation", COUNT_COLUMNS)


def downgrade() -> None:
    op.drop_index(COUNTS, table_name="annotation")
    op.create_index(OLD_COUNTS, "annotation", OLD_COUNT_COLUMNS)
    op.drop_index("ix_document_list", table_name="document")
    # ALTER TABLE DROP COLUMN on both (SQLite 3.35+), not a batch copy, for the rowids of revision 0004.
    op.execute("ALTER TABLE document DROP COLUMN text_length")
