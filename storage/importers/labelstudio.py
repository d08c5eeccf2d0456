"""Label Studio JSON export (a list of tasks): `data.text`, `annotations[].result[]` and `predictions[]`.

Each `labels` result is one span per label; results that share an `id` are one region, so a region's
`labels` results from several controls fill several fields: a control (`from_name`) named stance, claim_type or
actor fills that field, any other control fills `label_as`; `textarea` results named target or note on the
region fill those. Whose spans: the annotation's `completed_by` (an e-mail, a name, or a user id written as
`user N`); predictions belong to `prediction:MODEL_VERSION`. A region labelled by the `kind` control (Mention,
Cue) is a mention or cue; `relation` results (labels: the role, or a type the relation map names) are
attribution links from the `from_id` region, the claim, to the `to_id` one (the other way with direction
"left"). Cancelled annotations and results of other types (choices, ratings, ...) are counted and reported."""
from __future__ import annotations

import json
from typing import Any

from storage.importers.fields import Where, checked_span, label_of, title_from
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.records import ATTRIBUTES
from storage.text import OffsetMap

TEXT_FIELDS = ("target", "note")


def looks_like_labelstudio(obj: Any) -> bool:
    return isinstance(obj, dict) and (isinstance(obj.get("data"), dict) or isinstance(obj.get("text"), str))


def parse_labelstudio(path: str, content: str, label_as: str, notes: list[str]) -> list[IncomingDocument]:
    try:
        tasks = json.loads(content)
    except json.JSONDecodeError as exc:
        raise Where(path, exc.lineno).error(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not all(looks_like_labelstudio(t) for t in tasks):
        raise Where(path, None).error("expected Label Studio JSON: a list of tasks, each with a 'data' object")
    # Label Studio also takes a bare task ({"text": ...}) as its own data.
    tasks = [t if isinstance(t.get("data"), dict) else {"data": t} for t in tasks]
    skipped: dict[str, int] = {}
    docs = [_task(task, n, path, label_as, skipped) for n, task in enumerate(tasks, start=1)]
    if skipped:
        notes.append(f"{path}: not imported: " + ", ".join(f"{n} {what}" for what, n in sorted(skipped.items())))
    return docs


def _task(task: dict[str, Any], n: int, path: str, label_as: str, skipped: dict[str, int]) -> IncomingDocument:
    where = Where(path, None)
    what = f"task {n} (id {task.get('id')})"
    raw = task["data"].get("text")
    if not isinstance(raw, str) or not raw.strip():
        raise where.error(f"{what}: 'data.text' must be a non-empty string")
    offsets = OffsetMap(raw)
    spans: list[IncomingAnnotation] = []
    links: list[tuple[int, int, str, str]] = []
    for kind in ("annotations", "completions", "predictions"):  # "completions": Label Studio before 1.0
        items = task.get(kind, [])
        if not isinstance(items, list):
            raise where.error(f"{what}: '{kind}' must be a list")
        for m, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("result", []), list):
                raise where.error(f"{what}, {kind[:-1]} {m}: expected an object with a 'result' list")
            if item.get("was_cancelled"):
                skipped["cancelled annotations"] = skipped.get("cancelled annotations", 0) + 1
                continue
            owner = _owner(item) if kind != "predictions" else f"prediction:{item.get('model_version') or 'model'}"
            found, relations = _regions(item.get("result", []), raw, offsets, owner, label_as,
                                        f"{what}, {kind[:-1]} {m}", where, skipped)
            links.extend((len(spans) + a, len(spans) + b, label, at) for a, b, label, at in relations)
            spans.extend(found)
    text = offsets.text
    meta = {k: v for k, v in task["data"].items() if k != "text"}
    meta.update({"format": "label-studio", "label_studio_id": task.get("id")})
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    return IncomingDocument(path=path, line=None, text=text, title=(title or title_from(text, "untitled"))[:300],
                            source=str(meta.get("source") or meta.get("url") or f"{path}#task {task.get('id', n)}"),
                            meta=meta, annotations=spans, relations=links)


def _owner(item: dict[str, Any]) -> str | None:
    who = item.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, bool) or who is None:
        return None
    if isinstance(who, int):
        return f"user {who}"
    return str(who).strip() or None


def _regions(results: list[Any], raw: str, offsets: OffsetMap, owner: str | None, label_as: str, what: str,
             where: Where, skipped: dict[str, int]) -> tuple[list[IncomingAnnotation], list[tuple[int, int, str, str]]]:
    regions: dict[Any, list[dict[str, Any]]] = {}
    relations: list[tuple[Any, Any, str, str]] = []
    for k, result in enumerate(results, start=1):
        if isinstance(result, dict) and result.get("type") == "relation":
            if result.get("labels"):
                relations.append(_relation(result, f"{what}, result {k}", where))
            else:  # a bare arrow says no role
                skipped["relation results without a label"] = skipped.get("relation results without a label", 0) + 1
            continue
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            raise where.error(f"{what}, result {k}: expected an object with a 'value' object")
        kind = result.get("type")
        if kind not in ("labels", "textarea") or "start" not in result["value"]:
            skipped[f"{kind} results"] = skipped.get(f"{kind} results", 0) + 1
            continue
        regions.setdefault(result.get("id", k), []).append(result)
    found: list[IncomingAnnotation] = []
    first: dict[Any, int] = {}
    for region_id, parts in regions.items():
        labelled = [p for p in parts if p["type"] == "labels"]
        if not labelled:
            skipped["textarea results without a labelled region"] = skipped.get(
                "textarea results without a labelled region", 0) + 1
            continue
        value = labelled[0]["value"]
        at = f"{what}, region {region_id} [{value.get('start')}, {value.get('end')})"
        start, end = checked_span(offsets, raw, value.get("start"), value.get("end"), value.get("text"), at, where)
        fields: dict[str, str] = {}
        extra_labels: list[tuple[str, str]] = []
        span_kind = "claim"
        for part in list(labelled):
            if part.get("from_name") == "kind":  # Stancemark's Mention / Cue control
                span_kind = _kind_of(part, at, where)
                labelled.remove(part)
        for part in labelled:
            control = part.get("from_name")
            attribute = control if isinstance(control, str) and control in ATTRIBUTES else label_as
            labels = part["value"].get("labels")
            if not isinstance(labels, list) or not labels:
                raise where.error(f"{at}: 'labels' must be a non-empty list")
            for label in labels:
                label = label_of(label, at, where)
                if attribute in fields:
                    extra_labels.append((attribute, label))
                else:
                    fields[attribute] = label
        for part in parts:
            if part["type"] == "textarea" and part.get("from_name") in TEXT_FIELDS:
                texts = part["value"].get("text")
                fields[part["from_name"]] = "\n".join(texts) if isinstance(texts, list) else str(texts)
        base = {k: v for k, v in fields.items() if k in ("stance", "actor", "claim_type", "target", "note")}
        first[region_id] = len(found)
        found.append(IncomingAnnotation(start=start, end=end, annotator=owner, where=at, kind=span_kind).fill(base))
        # A region with two labels for one field is two spans, one per label.
        for attribute, label in extra_labels:
            found.append(IncomingAnnotation(start=start, end=end, annotator=owner, where=at).fill(
                {**base, attribute: label}))
    linked = []
    for head, child, label, at in relations:
        if head not in first or child not in first:
            raise where.error(f"{at}: 'from_id' and 'to_id' must be ids of labelled regions of this annotation")
        linked.append((first[head], first[child], label, at))
    return found, linked


def _relation(result: dict[str, Any], at: str, where: Where) -> tuple[Any, Any, str, str]:
    labels = result.get("labels") or []
    if not isinstance(labels, list) or len(labels) != 1:
        raise where.error(f"{at}: a relation needs one label naming its role (source, cue, relay or target)")
    head, child = result.get("from_id"), result.get("to_id")
    if result.get("direction") == "left":  # drawn from the mention to the claim
        head, child = child, head
    return head, child, label_of(labels[0], at, where), at


def _kind_of(part: dict[str, Any], at: str, where: Where) -> str:
    labels = part["value"].get("labels")
    kind = labels[0].strip().casefold() if isinstance(labels, list) and len(labels) == 1 and \
        isinstance(labels[0], str) else None
    if kind not in ("mention", "cue", "claim"):
        raise where.error(f"{at}: the 'kind' control takes one of Mention, Cue or Claim, not {labels!r}")
    return kind
