"""What a parser hands the writer: documents and annotations checked against their text, not yet stored."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# The text fields a file may fill by a name it decides at run time: a single label lands in the attribute
# `label_as` names, a Label Studio control fills the field it is named after.
NAMED_FIELDS = ("stance", "actor", "claim_type", "target", "note")


@dataclass
class IncomingAnnotation:
    """One span, already remapped to code points of the normalised text and checked against it."""

    start: int
    end: int
    annotator: str | None  # None: the import's default annotator
    stance: str | None = None
    actor: str | None = None
    claim_type: str | None = None
    target: str | None = None
    note: str = ""
    id: str | None = None  # None: derived from the content, so re-importing the same span skips it
    revision: int = 1
    scheme_version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    where: str = ""  # "span 3 [10, 17)" for messages
    label: str | None = None  # the single label as the file gives it (doccano, Prodigy), for a label mapping
    kind: str = "claim"  # claim, mention or cue (storage.records.KINDS)
    # Attribution links of a claim: role (source, cue, relay, target) -> index of the linked annotation in the
    # same document's `annotations` list (indices, because imported ids are often derived only when written).
    links: dict[str, int] = field(default_factory=dict)

    def fill(self, values: Mapping[str, str]) -> IncomingAnnotation:
        """Sets the fields named in `values` and returns this annotation (names come from the file or `label_as`)."""
        for name, value in values.items():
            if name not in NAMED_FIELDS:
                raise TypeError(f"an imported annotation has no text field {name!r}")
            setattr(self, name, value)
        return self


@dataclass
class IncomingDocument:
    path: str
    line: int | None
    text: str  # normalised
    title: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    id: str | None = None  # native exports carry their id; otherwise derived from the text
    created_at: datetime | None = None
    annotations: list[IncomingAnnotation] = field(default_factory=list)
    annotator_roles: dict[str, str] = field(default_factory=dict)
    actors: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name -> (kind, aliases)
    statuses: dict[str, tuple[str, datetime | None]] = field(default_factory=dict)  # annotator -> status
    gold: list[Any] = field(default_factory=list)  # importers/gold_import.py IncomingGold rows (native only)
    review: Any = None  # importers/gold_import.py IncomingReview (native only)
    shape: str = ""  # native, doccano, prodigy, plain, text or html: what the preview reports
    answer: str | None = None  # Prodigy's accept / reject / ignore; None where the line has no answer
    # Relations as the file gives them: (claim's index, other end's index, the file's type, "relation 2" for
    # messages); importers/links.py maps the types to roles and turns them into `links`.
    relations: list[tuple[int, int, str, str]] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What one import did; `lines()` is what the command line prints."""

    files: int = 0
    documents_added: int = 0
    documents_skipped: int = 0
    annotations_added: int = 0
    annotations_skipped: int = 0
    labels_added: dict[str, list[str]] = field(default_factory=dict)
    files_ignored: list[str] = field(default_factory=list)
    spans_skipped_by_label: int = 0  # spans left with no label once the mapping skipped theirs
    notes: list[str] = field(default_factory=list)  # what a format could not bring in, said once per file
    annotators: dict[str, int] = field(default_factory=dict)  # name -> annotations added in that name
    annotator_source: str = ""  # how those names were chosen, in words
    # Prodigy answers: answer -> [tasks, spans]; "kept" when --keep-rejected stored reject/ignore tasks
    answers: dict[str, list[int]] = field(default_factory=dict)
    kept_rejected: bool = False

    def lines(self) -> list[str]:
        out = [
            f"files read: {self.files}",
            f"documents added: {self.documents_added}, already present: {self.documents_skipped}",
            f"annotations added: {self.annotations_added}, already present: {self.annotations_skipped}",
        ]
        if self.annotators:
            names = ", ".join(f"{name} {count}" for name, count in sorted(self.annotators.items()))
            out.append(f"annotations added per annotator: {names} ({self.annotator_source})")
        if self.answers:
            out.append(self._answers_line())
        for attribute, labels in sorted(self.labels_added.items()):
            out.append(f"new {attribute.replace('_', ' ')} labels added to the scheme: {', '.join(labels)}")
        if self.spans_skipped_by_label:
            out.append(f"spans skipped (their label was set to skip): {self.spans_skipped_by_label}")
        if self.files_ignored:
            out.append(f"ignored (not .txt/.md/.html/.jsonl): {', '.join(self.files_ignored)}")
        return out + self.notes

    def _answers_line(self) -> str:
        def part(answer: str) -> str:
            tasks, spans = self.answers.get(answer, [0, 0])
            return f"{tasks} {answer}ed ({spans} spans)" if answer != "ignore" else f"{tasks} ignored ({spans} spans)"
        line = f"Prodigy tasks: {part('accept')}, {part('reject')}, {part('ignore')}"
        if self.answers.get("reject", [0])[0] or self.answers.get("ignore", [0])[0]:
            line += ("; rejected and ignored kept as annotator NAME:rejected / NAME:ignored" if self.kept_rejected
                     else "; rejected and ignored tasks not imported (--keep-rejected keeps them)")
        return line
