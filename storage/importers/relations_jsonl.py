"""Relations on a JSON line: doccano's (`relations` between `entities` by id) and Prodigy's (`relations` between
spans by `head_span` / `child_span`). Each becomes (claim index, other index, type, where) for
importers/links.py, which maps the type to a role; an end that names no span of the line is refused."""
from __future__ import annotations

import json
from typing import Any

from storage.importers.fields import Where, label_of


def doccano_relations(entities: Any, relations: Any, where: Where) -> list[tuple[int, int, str, str]]:
    if not isinstance(relations, list):
        raise where.error("'relations' must be a list of {\"from_id\", \"to_id\", \"type\"}")
    index: dict[Any, int] = {}
    for n, entity in enumerate(entities if isinstance(entities, list) else []):
        if isinstance(entity, dict) and "id" in entity:
            if entity["id"] in index:
                raise where.error(f"span {n + 1}: entity id {json.dumps(entity['id'])} is used twice")
            index[entity["id"]] = n
    found = []
    for n, relation in enumerate(relations, start=1):
        what = f"relation {n}"
        if not isinstance(relation, dict):
            raise where.error(f"{what}: expected an object with from_id, to_id and type")
        ends = []
        for key in ("from_id", "to_id"):
            value = relation.get(key)
            if isinstance(value, bool) or value not in index:
                raise where.error(f"{what}: '{key}' {json.dumps(value)[:40]} is not the id of an entity of this line")
            ends.append(index[value])
        found.append((ends[0], ends[1], label_of(relation.get("type"), what, where), what))
    return found


def prodigy_relations(spans: Any, relations: Any, where: Where) -> list[tuple[int, int, str, str]]:
    """Prodigy names a relation's ends by their spans (`head_span`, `child_span`: start and end in characters)."""
    if not isinstance(relations, list):
        raise where.error("'relations' must be a list of {\"head\", \"child\", \"label\", ...}")
    index: dict[tuple[Any, Any], int] = {}
    for n, span in enumerate(spans if isinstance(spans, list) else []):
        if isinstance(span, dict):
            index.setdefault((span.get("start"), span.get("end")), n)
    found = []
    for n, relation in enumerate(relations, start=1):
        what = f"relation {n}"
        if not isinstance(relation, dict):
            raise where.error(f"{what}: expected an object with head, child, head_span, child_span and label")
        ends = []
        for key in ("head_span", "child_span"):
            span = relation.get(key)
            at = (span.get("start"), span.get("end")) if isinstance(span, dict) else None
            if at not in index:
                raise where.error(f"{what}: '{key}' {json.dumps(span)[:60]} is not a span of this task")
            ends.append(index[at])
        found.append((ends[0], ends[1], label_of(relation.get("label"), what, where), what))
    return found
