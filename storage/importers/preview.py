"""preview_import: what an import would bring, read from the files without writing anything.

The window shows this before the user confirms: the documents, the labels per shape, where each single
label would go and whether it matches a value the database already has (case and spacing aside), and
the annotator names the files carry. `ImportPreview.proposed_map()` is the label mapping it suggests."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.importers.decode import collect_files
from storage.importers.incoming import IncomingDocument
from storage.importers.links import SKIP, RelationMap, checked_relation_map, relation_types, role_of
from storage.importers.mapping import label_key
from storage.importers.run_import import parse_file
from storage.tables import Actor, ActorAlias, Document
from storage.records import ATTRIBUTES
from storage.scheme import current_row, to_record
from storage.text import text_sha256

if TYPE_CHECKING:
    from storage.database import Database

_IN_CHUNK = 500


@dataclass(frozen=True)
class LabelFound:
    """One label as the files spell it.

    `single`: a bare label (doccano, Prodigy) whose attribute the user chooses; otherwise the file names
    the attribute itself (native, a Prodigy span's own `stance`) and `attribute` is that one.
    `matches`: (attribute, existing value) for every attribute where the database has it already."""

    label: str
    single: bool
    attribute: str
    value: str  # the proposal: the existing match in `attribute`, else the label itself (a new value)
    spans: int
    shapes: tuple[str, ...]
    matches: tuple[tuple[str, str], ...]

    @property
    def is_new(self) -> bool:
        return self.match_in(self.attribute) is None

    def match_in(self, attribute: str) -> str | None:
        return next((value for a, value in self.matches if a == attribute), None)


@dataclass(frozen=True)
class ImportPreview:
    files: tuple[str, ...]
    files_ignored: tuple[str, ...]
    documents: int
    documents_present: int  # texts the database holds already (an import skips them)
    shapes: tuple[tuple[str, int], ...]  # (shape, documents)
    labels: tuple[LabelFound, ...]
    annotators: tuple[str, ...]  # names the files give; spans without one are the import's
    spans: int
    spans_without_annotator: int
    existing: tuple[tuple[str, tuple[str, ...]], ...]  # (attribute, the values the database has)
    # (relation type as the files spell it, relations, the role it goes to: a role, "skip", or None when
    # nothing maps it and the import would refuse it)
    relation_types: tuple[tuple[str, int, str | None], ...] = ()

    @property
    def single_labels(self) -> tuple[LabelFound, ...]:
        return tuple(found for found in self.labels if found.single)

    def existing_values(self, attribute: str) -> tuple[str, ...]:
        return next((values for a, values in self.existing if a == attribute), ())

    def proposed_map(self) -> dict[str, tuple[str, str] | None]:
        """The label mapping for import_paths that does what this preview proposes."""
        return {found.label: (found.attribute, found.value) for found in self.single_labels}


def preview_import(db: "Database", paths: list[Path] | list[str], *, label_as: str | None = None,
                   relation_map: RelationMap | None = None) -> ImportPreview:
    """Reads and checks the files as import_paths would (the same errors), and writes nothing.

    Single labels go to `label_as` when given; otherwise to the attribute where the database already has
    them (stance before claim type before actor), else to claim type, as a plain import would."""
    files, ignored = collect_files([Path(p) for p in paths])
    docs: list[IncomingDocument] = []
    for path in files:
        docs.extend(parse_file(path, "claim_type"))
    with db.sessions.read() as s:
        row = current_row(s)
        assert row is not None, "the database has no label scheme"
        scheme = to_record(row.version, row.body)
        existing: dict[str, dict[str, str]] = {a: {} for a in ATTRIBUTES}
        for attribute in ("stance", "claim_type"):
            for item in scheme.values(attribute):
                existing[attribute].setdefault(label_key(item.value), item.value)
                existing[attribute].setdefault(label_key(item.label), item.value)
        for name, canonical in sorted(_actor_names(s)):
            existing["actor"].setdefault(label_key(name), canonical)
        present = _present(s, docs)
    listed = tuple((a, tuple(dict.fromkeys(v for v in values.values()))) for a, values in existing.items())
    return ImportPreview(
        files=tuple(str(f) for f in files), files_ignored=tuple(ignored), documents=len(docs),
        documents_present=present, shapes=tuple(sorted(Counter(d.shape for d in docs).items())),
        labels=_labels(docs, existing, label_as),
        annotators=tuple(sorted({a.annotator for d in docs for a in d.annotations if a.annotator})),
        spans=sum(len(d.annotations) for d in docs),
        spans_without_annotator=sum(1 for d in docs for a in d.annotations if not a.annotator),
        existing=listed, relation_types=_relation_types(docs, checked_relation_map(relation_map)),
    )


def _relation_types(docs: list[IncomingDocument],
                    relation_map: dict[str, str | None]) -> tuple[tuple[str, int, str | None], ...]:
    found: list[tuple[str, int, str | None]] = []
    for name, count in sorted(relation_types(docs).items(), key=lambda kv: kv[0].casefold()):
        role = role_of(name, relation_map)
        found.append((name, count, SKIP if role is None else (role or None)))
    return tuple(found)


def _labels(docs: list[IncomingDocument], existing: dict[str, dict[str, str]],
            label_as: str | None) -> tuple[LabelFound, ...]:
    counts: Counter[tuple[str, str | None]] = Counter()
    shapes: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for doc in docs:
        for a in doc.annotations:
            keys: list[tuple[str, str | None]] = []
            if a.kind != "claim":  # a mention's or cue's label names its kind, not a value to map
                continue
            if a.label is not None:
                keys.append((a.label, None))
            for attribute in ATTRIBUTES:
                value = getattr(a, attribute)
                if value is not None and not (a.label is not None and attribute == "claim_type"):
                    keys.append((value, attribute))
            for key in keys:
                counts[key] += 1
                shapes[key].add(doc.shape)
    found = []
    for (label, fixed), spans in sorted(counts.items(), key=lambda kv: (kv[0][1] or "", kv[0][0].casefold())):
        matches = tuple((a, existing[a][label_key(label)]) for a in ATTRIBUTES if label_key(label) in existing[a])
        if fixed is not None:
            attribute = fixed
        elif label_as is not None:
            attribute = label_as
        else:
            attribute = next((a for a in ("stance", "claim_type", "actor") if any(m[0] == a for m in matches)),
                             "claim_type")
        value = next((v for a, v in matches if a == attribute), label)
        found.append(LabelFound(label=label, single=fixed is None, attribute=attribute, value=value, spans=spans,
                                shapes=tuple(sorted(shapes[(label, fixed)])), matches=matches))
    return tuple(found)


def _actor_names(session: Session) -> list[tuple[str, str]]:
    """(name or alias, canonical actor name) for every registered actor (aliases lead to their actor)."""
    rows = [(n, n) for n in session.scalars(select(Actor.name).where(Actor.merged_into_id.is_(None))).all()]
    rows += session.execute(select(ActorAlias.alias, Actor.name)
                            .join(Actor, Actor.id == ActorAlias.actor_id)
                            .where(Actor.merged_into_id.is_(None))).all()
    return [(n, c) for n, c in rows]


def _present(session: Session, docs: list[IncomingDocument]) -> int:
    shas = sorted({text_sha256(d.text) for d in docs})
    found: set[str] = set()
    for i in range(0, len(shas), _IN_CHUNK):
        found.update(session.scalars(select(Document.sha256).where(Document.sha256.in_(shas[i:i + _IN_CHUNK]))))
    return sum(1 for d in docs if text_sha256(d.text) in found)
