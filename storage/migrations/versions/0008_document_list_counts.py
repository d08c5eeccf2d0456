"""document list counts: an index covering each document's live claims, per annotator or for everyone

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:40:00

The document list shows every document with its count of live claims (`DocumentService.list`): a grouped
count over `annotation` filtered on kind, deleted_at and (for the window) the annotator. Without this index
SQLite walked `ix_annotation_document_id` and read every annotation row to test those columns: 220 ms at
1,000,000 annotations (bench/bench_scale.py). With (kind, deleted_at, document_id, annotator_id) the count is
read from the index alone, in document order, for one annotator or all of them (about 60 ms there), and the
few documents a colleague touched (`ids=`) are direct look-ups. Both backends.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ["kind", "deleted_at", "document_id", "annotator_id"]


def upgrade() -> None:
    op.create_index("ix_annotation_document_counts", "annotation", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_annotation_document_counts", table_name="annotation")
