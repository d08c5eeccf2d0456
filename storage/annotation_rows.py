"""The one builder of an annotation row's column values, for every writer: one add or edit, the bulk path, and
an import. Validation (span, labels, links) is the caller's and happens before; this only says what is stored."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol


class LabelledSpan(Protocol):
    """What a writer was asked to store: an AnnotationDraft, or a span an importer parsed."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def stance(self) -> str | None: ...
    @property
    def claim_type(self) -> str | None: ...
    @property
    def note(self) -> str: ...


def annotation_values(span: LabelledSpan, text: str, *, actor_id: int | None, target: str | None,
                      scheme_version: int, links: Mapping[str, str | None]) -> dict[str, Any]:
    """The columns a person's request sets, on a new row and on an edited or restored one alike: the quote is
    cut from the text (it always equals text[start:end]); an empty target or note is stored as None and ""."""
    return dict(start=span.start, end=span.end, quote=text[span.start:span.end], stance=span.stance,
                actor_id=actor_id, claim_type=span.claim_type, target=target or None, note=span.note or "",
                scheme_version=scheme_version, **links)


def new_annotation_row(span: LabelledSpan, text: str, *, id: str, document_id: str, annotator_id: int, kind: str,
                       actor_id: int | None, target: str | None, scheme_version: int,
                       links: Mapping[str, str | None], created_at: datetime, updated_at: datetime,
                       revision: int = 1, deleted_at: datetime | None = None) -> dict[str, Any]:
    """Every column of a row inserted in bulk (executemany takes dicts, not ORM objects)."""
    return dict(id=id, document_id=document_id, annotator_id=annotator_id, kind=kind, revision=revision,
                created_at=created_at, updated_at=updated_at, deleted_at=deleted_at,
                **annotation_values(span, text, actor_id=actor_id, target=target, scheme_version=scheme_version,
                                    links=links))
