"""The relayed message of the sample article, marked through the services, and checks on the gold layer it
leads to: shared by the storage, team and window tests of review with attribution."""
from __future__ import annotations

from typing import Any

from storage import AnnotationDraft, Database, GoldRecord

QUOTE = "“today all the conditions are in place to turn this tragic page in Syria’s history.”"
SENTENCE = "In a message to the participants"


def sample(db: Database) -> tuple[str, str]:
    doc = next(d for d in db.documents.list() if "Syria Peace Talks" in d.title)
    return doc.id, db.documents.get(doc.id).text


def span(body: str, words: str, after: str = "") -> tuple[int, int]:
    start = body.index(words, body.index(after) if after else 0)
    return start, start + len(words)


def relayed(db: Database, by: str, source_actor: str = "Vladimir Putin", cue: bool = True) -> dict[str, str]:
    """'In a message to the participants, read by Lavrov, Putin said that “today …”': source Putin, cue "said",
    relay Lavrov; `source_actor` is whom this annotator takes "Putin" to name."""
    doc, body = sample(db)
    putin = db.annotations.add(AnnotationDraft(doc, *span(body, "Putin", SENTENCE), kind="mention",
                                               actor=source_actor), by=by)
    lavrov = db.annotations.add(AnnotationDraft(doc, *span(body, "Lavrov", SENTENCE), kind="mention",
                                                actor="Sergei Lavrov"), by=by)
    said = db.annotations.add(AnnotationDraft(doc, *span(body, "said", SENTENCE), kind="cue"), by=by) if cue else None
    claim = db.annotations.add(AnnotationDraft(doc, *span(body, QUOTE), stance="support", claim_type="predictive",
                                               source_id=putin.id, cue_id=said.id if said else None,
                                               relay_id=lavrov.id), by=by)
    found = {"doc": doc, "putin": putin.id, "lavrov": lavrov.id, "claim": claim.id}
    if said:
        found["said"] = said.id
    return found


def live_gold(db: Database, doc: str) -> dict[str, GoldRecord]:
    return {g.id: g for g in db.review.gold(doc)}


def check_gold_log(db: Database, gold_ids: list[str]) -> None:
    """Each gold row's newest event describes it as stored: kind, links and whether it is live."""
    for gold_id in gold_ids:
        (row,) = [g for g in db.review.gold(include_deleted=True) if g.id == gold_id]
        after: dict[str, Any] = db.review.history(gold_id)[-1].after or {}
        assert (after["kind"], after["source_id"], after["cue_id"], after["relay_id"], after["target_id"]) == \
            (row.kind, row.source_id, row.cue_id, row.relay_id, row.target_id)
        assert (after["deleted_at"] is None) == (row.deleted_at is None)
