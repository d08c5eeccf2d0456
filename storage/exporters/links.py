"""What every exporter needs to know of attribution: a row's kind and the links among the rows it writes.

A claim's links point at mentions and cues of the same annotator in the same document (storage/attribution.py).
A format that holds relations writes a link only when both ends are in what it writes; a link to a deleted or
left-out span is no link, as `storage.live_links` says."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storage.exporters.reading import ID, KIND, LINK_COLUMNS

# The span label of a mention or a cue in formats with one label per span (a claim's is its --label value).
KIND_LABELS = {"mention": "mention", "cue": "cue"}
# brat types and Label Studio labels are capitalised by convention.
KIND_TYPES = {"mention": "Mention", "cue": "Cue"}


def kind_of(row: Any) -> str:
    return row[KIND] or "claim"


def is_claim(row: Any) -> bool:
    return kind_of(row) == "claim"


def row_links(rows: Iterable[Any], written: set[str] | None = None) -> list[tuple[Any, str, Any]]:
    """(claim row, role, linked row) for every link whose two ends are among `rows` (and among `written`, the
    ids a format could write, when given), in the rows' order and role order."""
    rows = list(rows)
    by_id = {r[ID]: r for r in rows}
    keep = set(by_id) if written is None else set(by_id) & written
    out = []
    for r in rows:
        if not is_claim(r) or r[ID] not in keep:
            continue
        for role, column in LINK_COLUMNS.items():
            linked = r[column]
            if linked is not None and linked in keep:
                out.append((r, role, by_id[linked]))
    return out


def dropped_links(rows: Iterable[Any]) -> int:
    """How many live links the rows hold: what a format without relations leaves out."""
    return len(row_links(rows))


def left_out_kinds(rows: Iterable[Any]) -> int:
    return sum(not is_claim(r) for r in rows)
