"""corpus search: FTS5 tables kept in step by triggers (SQLite), GIN full-text indexes (PostgreSQL)

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01 23:30:00
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Kept in step with storage/search.py (SQLITE_TABLES, the PostgreSQL expressions); written out here so this
# revision keeps meaning what it meant when later code changes.
_SQLITE = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5(title, text, content='document', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON document BEGIN "
    "INSERT INTO search_document_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF title, text ON document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO search_document_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE VIRTUAL TABLE search_annotation_fts USING fts5(quote, note, target, content='annotation', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    "CREATE TRIGGER search_annotation_ai AFTER INSERT ON annotation BEGIN "
    "INSERT INTO search_annotation_fts(rowid, quote, note, target) "
    "VALUES (new.rowid, new.quote, new.note, new.target); END",
    "CREATE TRIGGER search_annotation_ad AFTER DELETE ON annotation BEGIN "
    "INSERT INTO search_annotation_fts(search_annotation_fts, rowid, quote, note, target) "
    "VALUES ('delete', old.rowid, old.quote, old.note, old.target); END",
    "CREATE TRIGGER search_annotation_au AFTER UPDATE OF quote, note, target ON annotation BEGIN "
    "INSERT INTO search_annotation_fts(search_annotation_fts, rowid, quote, note, target) "
    "VALUES ('delete', old.rowid, old.quote, old.note, old.target); "
    "INSERT INTO search_annotation_fts(rowid, quote, note, target) "
    "VALUES (new.rowid, new.quote, new.note, new.target); END",
    # Fill both from the rows already there.
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
    "INSERT INTO search_annotation_fts(search_annotation_fts) VALUES ('rebuild')",
]

_POSTGRES = [
    "CREATE INDEX ix_search_document_tsv ON document USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text, '')))",
    "CREATE INDEX ix_search_annotation_tsv ON annotation USING gin "
    "(to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || coalesce(note, '') || ' ' "
    "|| coalesce(target, '')))",
]


def upgrade() -> None:
    for statement in _SQLITE if op.get_bind().dialect.name == "sqlite" else _POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("document_ai", "document_ad", "document_au",
                        "annotation_ai", "annotation_ad", "annotation_au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_annotation_fts")
        op.execute("DROP TABLE IF EXISTS search_document_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_annotation_tsv")
        op.execute("DROP INDEX IF EXISTS ix_search_document_tsv")
