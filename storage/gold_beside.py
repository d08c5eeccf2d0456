"""Gold beside my annotations: for an annotator, each of her annotations in a document with the reviewer's
decision on its passage. The matching of spans into units (storage.review) is the slow part, seconds on a long
article, so the window runs this query in a background job of its own; it is Qt-free and returns frozen records.

A unit's gold is the latest live decision drawing on any version of that passage: when a reviewer took a
colleague's differing version, the row says "another version" instead of "not reviewed"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from storage.records import AnnotationRecord, GoldRecord

if TYPE_CHECKING:
    from storage.database import Database
    from storage.review import ReviewUnit

NOT_REVIEWED = "not_reviewed"  # nobody decided on the passage yet
OTHER_VERSION = "other_version"  # the reviewer decided on the passage, drawing on someone else's version


@dataclass(frozen=True)
class GoldBesideMine:
    """One of my annotations and the gold decision on its passage (None while nobody decided)."""

    mine: AnnotationRecord
    gold: GoldRecord | None

    @property
    def id(self) -> str:
        return self.mine.id

    @property
    def drew_on_mine(self) -> bool:
        return self.gold is not None and self.mine.id in self.gold.source_annotation_ids

    @property
    def verdict(self) -> str:
        """The gold decision on my version ("accepted", "edited", "merged", "rejected"), else NOT_REVIEWED or
        OTHER_VERSION."""
        if self.gold is None:
            return NOT_REVIEWED
        return self.gold.decision if self.drew_on_mine else OTHER_VERSION


def gold_beside(units: Sequence[ReviewUnit], annotator: str) -> list[GoldBesideMine]:
    """My version of every unit I marked, in text order, with the unit's gold decision."""
    rows = [GoldBesideMine(span, unit.gold) for unit in units for span in unit.spans if span.annotator == annotator]
    return sorted(rows, key=lambda r: (r.mine.start, r.mine.end, r.mine.id))


def gold_beside_mine(db: Database, document_id: str, annotator: str) -> list[GoldBesideMine]:
    """The annotator's annotations in the document, each with the live gold decision on its passage."""
    return gold_beside(db.review.units(document_id), annotator)
