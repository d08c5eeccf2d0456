"""ReviewUnit, the record the review service hands out: in a module of its own, so that the window can name it
without loading the review service and the agreement code (numpy) behind it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage.records import AnnotationRecord, GoldRecord

if TYPE_CHECKING:
    from storage.agreement import Unit


@dataclass(frozen=True)
class ReviewUnit:
    """A unit as the reviewer sees it: every annotator's version and the gold decision, if any."""

    unit: Unit
    gold: GoldRecord | None
    gold_links: Mapping[str, GoldRecord] = field(default_factory=dict, compare=False)  # role -> live gold row

    @property
    def key(self) -> str:
        return self.unit.key

    @property
    def start(self) -> int:
        return self.unit.start

    @property
    def end(self) -> int:
        return self.unit.end

    @property
    def status(self) -> str:
        return self.unit.status

    @property
    def spans(self) -> tuple[AnnotationRecord, ...]:
        return self.unit.spans

    @property
    def differences(self) -> tuple[str, ...]:
        return self.unit.differences

    def version(self, annotator: str) -> AnnotationRecord | None:
        return self.unit.version(annotator)

    def attribution(self, annotation_id: str) -> Mapping[str, AnnotationRecord]:
        """{role: live mention or cue} of one annotator's version."""
        return self.unit.attribution(annotation_id)
