"""import_paths: files and directories in, one write transaction; any error and nothing of it remains."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import InputError, StancemarkError
from storage.importers.decode import HTML_SUFFIXES, JSONL_SUFFIXES, collect_files, read_text
from storage.importers.files import html_document, text_document
from storage.importers.incoming import ImportSummary, IncomingDocument
from storage.importers.jsonl import parse_jsonl
from storage.importers.links import RelationMap, apply_relations, checked_relation_map
from storage.importers.mapping import LabelMap, apply_label_map, checked_label_map
from storage.importers.peer import is_peer_file, parse_peer
from storage.importers.writer import ImportWriter
from storage.records import ATTRIBUTES, DOCUMENT_STATUSES

if TYPE_CHECKING:
    from storage.database import Database

Progress = Callable[[int, int], None]
DEFAULT_ANNOTATOR = "import"
KEPT_SUFFIX = {"reject": "rejected", "ignore": "ignored"}


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
                 annotator: str | None = None, as_annotator: str | None = None, keep_rejected: bool = False,
                 progress: Progress | None = None, label_map: LabelMap | None = None,
                 relation_map: RelationMap | None = None) -> ImportSummary:
    """Imports files (.txt .md .html .jsonl and the peer formats) and directories (walked, sorted) as one
    transaction.

    Whose annotations: `as_annotator` if given (every span, whatever the file says); else the file's own field
    (native `annotator`, Prodigy `_annotator_id` / `_session_id`); else `annotator`, else "import".
    `label_as` is the attribute a single span label (doccano, Prodigy) lands in; `label_map` sends each single
    label to the (attribute, value) the user chose, or skips it (None), and labels it does not name go to
    `label_as` as they are (see preview_import for what the files hold). Relations (doccano, Prodigy, brat,
    Label Studio) become attribution links: a type named source, cue, relay or target is that role,
    `relation_map` maps other type names to a role (or None to skip them); a type with no role is refused. Prodigy tasks answered `reject` or
    `ignore` are counted and left out, unless `keep_rejected` stores them (text and spans) under the annotator
    NAME:rejected / NAME:ignored, apart from everyone's accepted work. `progress(done, total)` is called as the
    work proceeds (reading the files is the first half of total, storing them the second).
    Raises InputError naming file, line and reason; the database is then as it was."""
    if label_as not in ATTRIBUTES:
        raise StancemarkError(f"--label-as must be one of {', '.join(ATTRIBUTES)}, not {label_as!r}")
    mapping = checked_label_map(label_map)
    roles = checked_relation_map(relation_map)
    forced = " ".join((as_annotator or "").split()) or None
    default = (annotator or "").strip() or DEFAULT_ANNOTATOR
    files, ignored = collect_files([Path(p) for p in paths])
    summary = ImportSummary(files=len(files), files_ignored=ignored, kept_rejected=keep_rejected,
                            annotator_source="--as" if forced else
                            f"from the files' annotator fields; {default!r} where a line names none")
    sizes = [f.stat().st_size for f in files]
    total = 2 * max(sum(sizes), 1)
    report = progress or (lambda done, total: None)
    docs: list[IncomingDocument] = []
    done = 0
    for path, size in zip(files, sizes):
        for doc in parse_file(path, label_as, summary.notes):
            if _keep(doc, summary, keep_rejected, forced, default):
                docs.append(doc)
        done += size
        report(done, total)
    refuse_conflicting_ids(docs)
    links = apply_relations(docs, roles)
    if links:
        summary.notes.append(f"attribution links read from relations: {links}")
    summary.spans_skipped_by_label = apply_label_map(docs, mapping, label_as)
    written = 0

    def on_written() -> None:
        nonlocal written
        written += 1
        if written % 50 == 0 or written == len(docs):
            report(total // 2 + (total // 2) * written // len(docs), total)

    with db.sessions.write.begin() as s:
        ImportWriter(s, default, summary).write(docs, on_written)
    report(total, total)
    return summary


def _keep(doc: IncomingDocument, summary: ImportSummary, keep_rejected: bool, forced: str | None,
          default: str) -> bool:
    """Counts a Prodigy answer, names the annotations' owner; False for a task that is not to be imported."""
    if forced:
        rename_annotator(doc, forced)
    if doc.answer is None:
        return True
    counts = summary.answers.setdefault(doc.answer, [0, 0])
    counts[0] += 1
    counts[1] += len(doc.annotations)
    if doc.answer == "accept":
        return True
    if not keep_rejected:
        return False
    for a in doc.annotations:
        a.annotator = f"{a.annotator or default}:{KEPT_SUFFIX[doc.answer]}"
    return True


def rename_annotator(doc: IncomingDocument, name: str) -> None:
    """--as: every annotation and status of the document becomes `name`'s. An annotation that carried its own
    id under another name gets a new id derived from that one, so it never collides with the original."""
    for a in doc.annotations:
        if a.id is not None and a.annotator not in (None, name):
            h = hashlib.blake2b(f"{a.id}|{name}".encode("utf-8"), digest_size=16).hexdigest()
            a.id = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        a.annotator = name
    if doc.statuses:
        # Several people's statuses become one: the least finished of them, so "done" is never claimed early.
        status, at = min(doc.statuses.values(), key=lambda item: DOCUMENT_STATUSES.index(item[0]))
        doc.statuses = {name: (status, at)}
    doc.annotator_roles = {}


def refuse_conflicting_ids(docs: list[IncomingDocument]) -> None:
    """One id, one annotation: the same id twice with different content would keep one and drop the other."""
    seen: dict[str, tuple[tuple[object, ...], IncomingDocument, str]] = {}
    for doc in docs:
        for a in doc.annotations:
            if a.id is None:
                continue
            content = (doc.text[a.start:a.end], a.start, a.end, a.annotator, a.stance, a.actor, a.claim_type,
                       a.target, a.note, a.deleted_at, a.kind)
            first, first_doc, first_where = seen.setdefault(a.id, (content, doc, a.where))
            if first != content:
                place = "on this line" if first_doc is doc else f"on {first_doc.path}:{first_doc.line}"
                raise InputError(doc.path, doc.line, f"{a.where or 'an annotation'}: id {a.id!r} is already used "
                                                     f"by a different annotation ({first_where} {place}); "
                                                     "ids must be unique")
