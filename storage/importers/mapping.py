"""Where single labels go: a file label mapped to (attribute, value), or skipped, before anything is stored.

doccano and Prodigy spans carry one bare label; whether "support" is a stance or a claim type is the
user's call, and "Denial" should land on the scheme's existing "denial" rather than beside it."""
from __future__ import annotations

from collections.abc import Mapping

from storage.errors import StancemarkError
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.records import ATTRIBUTES

# file label -> (attribute, value), or None to drop the label (and the span, if nothing else is left on it)
LabelMap = Mapping[str, "tuple[str, str] | None"]


def label_key(text: str) -> str:
    """What two spellings must share to count as one label: case and spacing do not matter."""
    return "".join(text.split()).casefold()


def checked_label_map(label_map: LabelMap | None) -> dict[str, tuple[str, str] | None]:
    """The mapping with each value checked and trimmed; a bad entry is refused before any file is read."""
    checked: dict[str, tuple[str, str] | None] = {}
    for label, choice in (label_map or {}).items():
        if choice is None:
            checked[label] = None
            continue
        attribute, value = choice
        if attribute not in ATTRIBUTES:
            raise StancemarkError(f"label {label!r}: attribute must be one of {', '.join(ATTRIBUTES)}, "
                                  f"not {attribute!r}")
        value = " ".join(str(value).split())
        if not value:
            raise StancemarkError(f"label {label!r}: the value it maps to is empty")
        checked[label] = (attribute, value)
    return checked


def apply_label_map(docs: list[IncomingDocument], label_map: dict[str, tuple[str, str] | None],
                    label_as: str) -> int:
    """Moves each mapped single label from `label_as` to its chosen attribute and value, in place.

    Returns how many spans were dropped because their only label was skipped."""
    if not label_map:
        return 0
    dropped = 0
    for doc in docs:
        kept = []
        for annotation in doc.annotations:
            if annotation.kind != "claim" or annotation.label is None or annotation.label not in label_map:
                kept.append(annotation)
                continue
            setattr(annotation, label_as, None)
            choice = label_map[annotation.label]
            if choice is not None:
                setattr(annotation, choice[0], choice[1])
            if annotation.stance is None and annotation.claim_type is None and annotation.actor is None:
                dropped += 1
                continue
            kept.append(annotation)
        _keep_links(doc, kept)
        doc.annotations = kept
    return dropped


def _keep_links(doc: IncomingDocument, kept: list[IncomingAnnotation]) -> None:
    """Links are indices into the document's spans: renumber them once dropped claims are gone (only claims
    are dropped, and only claims have links, so no link loses its other end)."""
    if len(kept) == len(doc.annotations):
        return
    new_index = {id(a): n for n, a in enumerate(kept)}
    old = doc.annotations
    for annotation in kept:
        annotation.links = {role: new_index[id(old[i])] for role, i in annotation.links.items()}
