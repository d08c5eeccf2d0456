"""import_paths: files and directories in, one write transaction; any error and nothing of it remains."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import StancemarkError
from storage.importers.decode import HTML_SUFFIXES, JSONL_SUFFIXES, collect_files, read_text
from storage.importers.files import html_document, text_document
from storage.importers.incoming import ImportSummary, IncomingDocument
from storage.importers.jsonl import parse_jsonl
from storage.importers.peer import is_peer_file, parse_peer
from storage.importers.writer import ImportWriter
from storage.records import ATTRIBUTES

if TYPE_CHECKING:
    from storage.database import Database

Progress = Callable[[int, int], None]
DEFAULT_ANNOTATOR = "import"


def parse_file(path: Path, label_as: str = "claim_type", notes: list[str] | None = None) -> list[IncomingDocument]:
    if is_peer_file(path):
        return parse_peer(path, label_as, notes if notes is not None else [])
    content = read_text(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl(str(path), content, label_as)
    if suffix in HTML_SUFFIXES:
        return [html_document(path, content)]
    return [text_document(path, content)]


def import_paths(db: "Database", paths: list[Path] | list[str], *, label_as: str = "claim_type",
                 annotator: str | None = None, progress: Progress | None = None) -> ImportSummary:
    """Imports files (.txt .md .html .jsonl) and directories (walked, sorted) as one transaction.

    `label_as` is the attribute a single span label (doccano, Prodigy) lands in; spans with no
    `_annotator_id` belong to `annotator`, else to "import". `progress(done, total)` is called as the
    work proceeds (reading the files is the first half of total, storing them the second).
    Raises InputError naming file, line and reason; the database is then as it was."""
    if label_as not in ATTRIBUTES:
        raise StancemarkError(f"--label-as must be one of {', '.join(ATTRIBUTES)}, not {label_as!r}")
    files, ignored = collect_files([Path(p) for p in paths])
    summary = ImportSummary(files=len(files), files_ignored=ignored)
    sizes = [f.stat().st_size for f in files]
    total = 2 * max(sum(sizes), 1)
    report = progress or (lambda done, total: None)
    docs: list[IncomingDocument] = []
    done = 0
    for path, size in zip(files, sizes):
        docs.extend(parse_file(path, label_as, summary.notes))
        done += size
        report(done, total)
    written = 0

    def on_written() -> None:
        nonlocal written
        written += 1
        if written % 50 == 0 or written == len(docs):
            report(total // 2 + (total // 2) * written // len(docs), total)

    with db.sessions.write.begin() as s:
        ImportWriter(s, (annotator or "").strip() or DEFAULT_ANNOTATOR, summary).write(docs, on_written)
    report(total, total)
    return summary
