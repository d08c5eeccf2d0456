"""The suggester interface: text and the actor registry in, proposals out. Plain data, no database, no Qt.

A suggestion is never an annotation: the storage layer keeps proposals apart and turns one into the analyst's
own annotation only when a person accepts it. Offsets are code points of the stored text, as everywhere."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from storage.records import ActorRecord, AnnotationRecord

#: What a suggester may read from its input; the fingerprint covers exactly what it declares.
INPUT_PARTS = frozenset({"text", "actors", "actor_kinds", "annotations", "claim_types"})
DEFAULT_USES = frozenset({"text", "actors"})


@dataclass(frozen=True)
class ProposedSpan:
    start: int
    end: int


@dataclass(frozen=True)
class Proposal:
    kind: str  # "claim" or "mention"
    start: int
    end: int
    claim_type: str | None
    actor: str | None
    source: ProposedSpan | None
    cue: ProposedSpan | None
    suggester: str
    version: str
    stance: str | None = None
    #: Which rule of the suggester proposed it (shown to the analyst; useful when a rule misfires).
    rule: str = ""


@dataclass(frozen=True)
class SuggestionInput:
    document_id: str
    text: str
    actors: tuple[ActorRecord, ...]
    annotations: tuple[AnnotationRecord, ...] = ()
    claim_types: tuple[str, ...] = ()


@runtime_checkable
class Suggester(Protocol):
    name: str
    version: str

    def suggest(self, item: SuggestionInput) -> list[Proposal]: ...


def suggester_uses(suggester: Suggester) -> frozenset[str]:
    """The input parts a suggester reads (its `uses` attribute, else text and registry names and aliases)."""
    return frozenset(getattr(suggester, "uses", DEFAULT_USES)) & INPUT_PARTS


def live_claims(annotations: tuple[AnnotationRecord, ...]) -> list[AnnotationRecord]:
    """The analyst's live claim annotations (records from before the attribution model count as claims)."""
    return [a for a in annotations if a.deleted_at is None and getattr(a, "kind", "claim") == "claim"]


def input_fingerprint(item: SuggestionInput, suggester: Suggester) -> str:
    """A hash of what the suggester's output depends on: stored suggestions are re-run only when it changes.

    Always the suggester's name and version and the text; the registry's names and aliases (order-free) for
    every suggester that reads the registry; actor kinds, the scheme's claim types and the analyst's claim
    annotations only for the suggesters that declare they read them (`uses`), so that tagging a passage does
    not re-run the attribution finder."""
    uses = suggester_uses(suggester)
    parts: dict[str, object] = {
        "suggester": [suggester.name, suggester.version],
        "text": hashlib.sha256(item.text.encode("utf-8")).hexdigest(),
    }
    if "actors" in uses:
        parts["actors"] = sorted([a.name, sorted(set(a.aliases))] for a in item.actors)
    if "actor_kinds" in uses:
        parts["actor_kinds"] = sorted([a.name, a.kind] for a in item.actors)
    if "claim_types" in uses:
        parts["claim_types"] = sorted(item.claim_types)
    if "annotations" in uses:
        parts["annotations"] = sorted(
            [a.start, a.end, a.claim_type, a.actor, a.stance, a.target] for a in live_claims(item.annotations))
    body = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
