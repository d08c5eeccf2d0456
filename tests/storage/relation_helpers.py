"""The attribution cases the relation-format tests export, and what they compare after a trip."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage import AnnotationDraft, Database

ME = "ana"
QUOTE = "“today all the conditions are in place to turn this tragic page in Syria’s history.”"


def sample(db: Database) -> tuple[str, str]:
    doc = next(d for d in db.documents.list() if "Syria Peace Talks" in d.title)
    return doc.id, db.documents.get(doc.id).text


def span(text: str, words: str, after: str = "") -> tuple[int, int]:
    start = text.index(words, text.index(after) if after else 0)
    return start, start + len(words)


def relayed_claim(db: Database, by: str = ME) -> dict[str, str]:
    """Putin's message read by Lavrov: content the quotation, source Putin, cue "said", relay Lavrov; and the
    opposition's accusation with a target mention ("him"), so every role is there."""
    doc, body = sample(db)
    sentence = "In a message to the participants"
    putin = db.annotations.add(AnnotationDraft(doc, *span(body, "Putin", sentence), kind="mention",
                                               actor="Vladimir Putin"), by=by)
    lavrov = db.annotations.add(AnnotationDraft(doc, *span(body, "Lavrov", sentence), kind="mention",
                                                actor="Sergei Lavrov"), by=by)
    said = db.annotations.add(AnnotationDraft(doc, *span(body, "said", sentence), kind="cue"), by=by)
    claim = db.annotations.add(AnnotationDraft(doc, *span(body, QUOTE), stance="support", claim_type="predictive",
                                               source_id=putin.id, cue_id=said.id, relay_id=lavrov.id), by=by)
    accusation = "The Syrian leader’s opponents accuse him"
    him = db.annotations.add(AnnotationDraft(doc, *span(body, "him", accusation), kind="mention",
                                             actor="Bashar al-Assad"), by=by)
    opponents = db.annotations.add(AnnotationDraft(doc, *span(body, "The Syrian leader’s opponents"),
                                                   kind="mention", actor="Syrian opposition"), by=by)
    accuse = db.annotations.add(AnnotationDraft(doc, *span(body, "accuse", accusation), kind="cue"), by=by)
    db.annotations.add(AnnotationDraft(doc, *span(body, "killing hundreds of thousands of civilians"),
                                       stance="oppose", claim_type="accusation", source_id=opponents.id,
                                       cue_id=accuse.id, target_id=him.id), by=by)
    db.documents.set_status(doc, "done", by=by)
    return {"doc": doc, "putin": putin.id, "lavrov": lavrov.id, "said": said.id, "claim": claim.id}


def structure(db: Database, document_id: str | None = None,
              fields: tuple[str, ...] = ("kind", "start", "end", "quote", "annotator", "actor", "stance",
                                         "claim_type")) -> set[tuple[Any, ...]]:
    """Every live span as a tuple of `fields` plus its links as (role, start, end) of the linked span: what
    must survive a trip whatever ids the other side gives."""
    found = set()
    for summary in db.documents.list():
        if document_id is not None and summary.id != document_id:
            continue
        records = db.annotations.for_document(summary.id)
        by_id = {r.id: r for r in records}
        for r in records:
            links = tuple(sorted((role, by_id[i].start, by_id[i].end) for role, i in r.links().items()
                                 if i in by_id))
            found.add(tuple(getattr(r, f) for f in fields) + (links,))
    return found


def relayed_structure() -> set[tuple[Any, ...]]:
    """The relayed case as (kind, quote, actor, links by quote) for checks on one file."""
    return {("claim", QUOTE, "Vladimir Putin", (("cue", "said"), ("relay", "Lavrov"), ("source", "Putin")))}


def fresh_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same backend as `db_url`."""
    if "://" not in db_url:
        yield str(tmp_path / "fresh.db")
        return
    from throwaway_databases import postgres_database

    yield from postgres_database()
