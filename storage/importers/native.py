"""Stancemark's own export read back: documents with every annotation, annotator, actor and status."""
from __future__ import annotations

from typing import Any

from storage.importers.fields import (
    Where,
    checked_span,
    optional_object,
    optional_str,
    text_of,
    timestamp,
    title_from,
    whole_number,
)
from storage.importers.gold_import import parse_gold, parse_review
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.importers.links import kind_field, link_ids, resolve_link_ids
from storage.records import ROLES, DOCUMENT_STATUSES
from storage.text import OffsetMap, text_sha256

# Keys the native format defines; anything else on the line is kept in the document's metadata.
NATIVE_KEYS = {"stancemark", "id", "title", "source", "text", "sha256", "scheme_version", "meta", "created_at",
               "annotators", "actors", "status", "annotations", "gold", "review"}
ACTOR_KINDS = ("person", "organisation", "state", "other")
# The newest native format this version reads (the exporter writes it as "stancemark").
NATIVE_FORMAT_VERSION = 1


def native_document(obj: dict[str, Any], where: Where) -> IncomingDocument:
    _check_format_version(obj, where)
    raw = text_of(obj, where)
    offsets = OffsetMap(raw)
    text = offsets.text
    stated_sha = optional_str(obj, "sha256", where)
    if stated_sha is not None and stated_sha != text_sha256(text):
        raise where.error("'sha256' does not match the text (was the text edited after export?)")
    doc_id = optional_str(obj, "id", where)
    if doc_id is not None and not 0 < len(doc_id) <= 32:
        raise where.error("'id' must be 1 to 32 characters")
    meta = dict(optional_object(obj, "meta", where))
    meta.update({k: v for k, v in obj.items() if k not in NATIVE_KEYS})
    items = obj.get("annotations", [])
    if not isinstance(items, list):
        raise where.error("'annotations' must be a list")
    annotations = [_annotation(item, n, raw, offsets, where) for n, item in enumerate(items, start=1)]
    resolve_link_ids(annotations, [link_ids(item, where, a.where) for item, a in zip(items, annotations)], where)
    return IncomingDocument(
        path=where.path, line=where.line, text=text,
        title=optional_str(obj, "title", where) or title_from(text, "untitled"),
        source=optional_str(obj, "source", where) or "", meta=meta, id=doc_id,
        created_at=timestamp(obj, "created_at", where),
        annotations=annotations,
        annotator_roles=_roles(optional_object(obj, "annotators", where), where),
        actors=_actors(optional_object(obj, "actors", where), where),
        statuses=_statuses(optional_object(obj, "status", where), where),
        gold=parse_gold(obj, raw, offsets, where), review=parse_review(obj, where),
    )


def _check_format_version(obj: dict[str, Any], where: Where) -> None:
    """A newer format may mean fields this version would drop without knowing it: refuse rather than guess."""
    version = obj.get("stancemark", NATIVE_FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise where.error(f"a Stancemark native line whose 'stancemark' format version is {version!r}; "
                          f"expected a whole number from 1 to {NATIVE_FORMAT_VERSION}")
    if version > NATIVE_FORMAT_VERSION:
        raise where.error(f"a Stancemark native line from a newer Stancemark (format version {version}; this "
                          f"version reads up to {NATIVE_FORMAT_VERSION}); upgrade Stancemark to import it")


def _annotation(item: Any, n: int, raw: str, offsets: OffsetMap, where: Where) -> IncomingAnnotation:
    if not isinstance(item, dict):
        raise where.error(f"annotation {n} must be an object")
    what = f"annotation {n} [{item.get('start')}, {item.get('end')})"
    annotator = optional_str(item, "annotator", where, f"{what}: ")
    if not annotator or not annotator.strip():
        raise where.error(f"{what}: missing 'annotator'")
    start, end = checked_span(offsets, raw, item.get("start"), item.get("end"), item.get("quote"), what, where)
    ann_id = optional_str(item, "id", where, f"{what}: ")
    if ann_id is not None and not 0 < len(ann_id) <= 36:
        raise where.error(f"{what}: 'id' must be 1 to 36 characters")
    revision = whole_number(item.get("revision", 1), f"{what}: revision", where)
    version = item.get("scheme_version")
    return IncomingAnnotation(
        start=start, end=end, annotator=annotator.strip(), id=ann_id,
        stance=optional_str(item, "stance", where, f"{what}: "),
        actor=optional_str(item, "actor", where, f"{what}: "),
        claim_type=optional_str(item, "claim_type", where, f"{what}: "),
        target=optional_str(item, "target", where, f"{what}: "),
        note=optional_str(item, "note", where, f"{what}: ") or "",
        revision=max(revision, 1),
        scheme_version=None if version is None else whole_number(version, f"{what}: scheme_version", where),
        created_at=timestamp(item, "created_at", where, f"{what}: "),
        updated_at=timestamp(item, "updated_at", where, f"{what}: "),
        deleted_at=timestamp(item, "deleted_at", where, f"{what}: "),
        where=what, kind=kind_field(item, where, what),
    )


def _roles(found: dict[str, Any], where: Where) -> dict[str, str]:
    for name, role in found.items():
        if role not in ROLES:
            raise where.error(f"annotator {name!r}: role must be one of {', '.join(ROLES)}, not {role!r}")
    return dict(found)


def _actors(found: dict[str, Any], where: Where) -> dict[str, tuple[str, tuple[str, ...]]]:
    actors: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, entry in found.items():
        if not isinstance(entry, dict):
            raise where.error(f"actor {name!r} must be an object with 'kind' and 'aliases'")
        kind = entry.get("kind", "other")
        aliases = entry.get("aliases", [])
        if kind not in ACTOR_KINDS:
            raise where.error(f"actor {name!r}: kind must be one of {', '.join(ACTOR_KINDS)}, not {kind!r}")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise where.error(f"actor {name!r}: 'aliases' must be a list of names")
        actors[name] = (kind, tuple(aliases))
    return actors


def _statuses(found: dict[str, Any], where: Where) -> dict[str, tuple[str, Any]]:
    statuses: dict[str, tuple[str, Any]] = {}
    for name, entry in found.items():
        entry = entry if isinstance(entry, dict) else {"status": entry}
        if entry.get("status") not in DOCUMENT_STATUSES:
            raise where.error(f"status of {name!r} must be one of {', '.join(DOCUMENT_STATUSES)}, not {entry.get('status')!r}")
        statuses[name] = (entry["status"], timestamp(entry, "updated_at", where, f"status of {name!r}: "))
    return statuses
