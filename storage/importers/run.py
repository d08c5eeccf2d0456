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
from storage.importers.mapping import LabelMap, apply_label_map, checked_label_map
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
        document = html_document(path, content)
        document.shape = "html"
        return [document]
    document = text_document(path, content)
    document.shape = "text"
    return [document]


def import_paths(db: "Database", paths: list[Path] | list[str], *, label_as: str = "claim_type",
                 annotator: str | None = None, progress: Progress | None = None,
                 label_map: LabelMap | None = None, as_annotator: str | None = None) -> ImportSummary:
    """Imports files (.txt .md .html .jsonl) and directories (walked, sorted) as one transaction.

    `label_as` is the attribute a single span label (doccano, Prodigy) lands in; spans with no
    `_annotator_id` belong to `annotator`, else to "import". `progress(done, total)` is called as the
    work proceeds (reading the files is the first half of total, storing them the second).
    `label_map` sends each single label to the (attribute, value) the user chose, or skips it (None);
    labels it does not name go to `label_as` as they are. `as_annotator` makes every annotation the import
    creates that person's, whatever the file says (see preview_import for what the files hold).
    Raises InputError naming file, line and reason; the database is then as it was."""
    if label_as not in ATTRIBUTES:
        raise StancemarkError(f"--label-as must be one of {', '.join(ATTRIBUTES)}, not {label_as!r}")
    mapping = checked_label_map(label_map)
    forced = " ".join((as_annotator or "").split()) or None
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
    summary.spans_skipped_by_label = apply_label_map(docs, mapping, label_as)
    if forced is not None:
        force_annotator(docs, forced)
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


def force_annotator(docs: list[IncomingDocument], name: str) -> None:
    """Every annotation and status of this import becomes `name`'s (the file's own names are dropped)."""
    for doc in docs:
        for annotation in doc.annotations:
            annotation.annotator = name
            annotation.id = None  # a native id names someone else's annotation; derive one for this person
        doc.statuses = {name: status for status in doc.statuses.values()} if doc.statuses else {}
        doc.annotator_roles = {}
