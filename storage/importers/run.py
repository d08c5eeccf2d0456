"""Interim: plain text only. (Full importer lands with the import issue work.)"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from storage.documents import new_document_row
from storage.errors import InputError
from storage.models import Document
from storage.text import document_id_for, normalise_newlines, text_sha256

if TYPE_CHECKING:
    from storage.database import Database


@dataclass
class ImportSummary:
    documents_added: int = 0
    documents_skipped: int = 0
    annotations_added: int = 0
    labels_added: dict[str, list[str]] = field(default_factory=dict)


def import_paths(db: "Database", paths: list[Path]) -> ImportSummary:
    summary = ImportSummary()
    files = sorted(p for path in paths for p in (Path(path).rglob("*") if Path(path).is_dir() else [Path(path)])
                   if p.is_file())
    with db.sessions.write.begin() as s:
        for f in files:
            try:
                raw = f.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InputError(str(f), None, f"not UTF-8 (byte {exc.start})") from exc
            text = normalise_newlines(raw)
            sha = text_sha256(text)
            if s.scalar(select(Document.id).where(Document.sha256 == sha)):
                summary.documents_skipped += 1
                continue
            title = next((line.strip() for line in text.splitlines() if line.strip()), f.stem)
            s.add(new_document_row(document_id_for(text), title, str(f.name), text, sha, {}))
            s.flush()
            summary.documents_added += 1
    return summary
