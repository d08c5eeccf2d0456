"""What every export line writer shares: the tally of what was written and left out, the stored-quote check,
the column each label attribute is read from, and doccano's overlap rule. A leaf below formats.py and
relation_formats.py, so neither needs the other to start."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storage.errors import StancemarkError
from storage.exporters.reading import ACTOR, ANNOTATOR, CLAIM, END, ID, QUOTE, STANCE, START

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}


def checked(text: str, row: Any, doc_id: str) -> None:
    if text[row[START]:row[END]] != row[QUOTE]:
        raise StancemarkError(f"annotation {row[ID]} in document {doc_id}: its stored quote does not match "
                              f"the text at [{row[START]}, {row[END]}); nothing was exported")


def untouched_document(doc_id: str, text: str, rows: list[Any], who: dict[str, str], include_empty: bool,
                       tally: Tally, empty_line: Callable[[], dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The start every per-annotator line writer shares: each stored quote checked against the text, then, for a
    document none of the selected annotators touched, its lines (none, counted in the tally, or with
    `include_empty` the one `empty_line()`). None: somebody touched it, the writer goes on."""
    for r in rows:
        checked(text, r, doc_id)
    if who or rows:
        return None
    if not include_empty:
        tally.empty += 1
        return []
    return [empty_line()]


def by_annotator(rows: list[Any]) -> dict[str, list[Any]]:
    """The rows of one document, each annotator's in their stored order."""
    grouped: dict[str, list[Any]] = {}
    for r in rows:
        grouped.setdefault(r[ANNOTATOR], []).append(r)
    return grouped


@dataclass
class Tally:
    """What an export wrote and what it left out, for the summary."""

    documents: int = 0
    annotations: int = 0
    lines: int = 0
    unlabelled: int = 0  # spans with no value for the --label attribute
    unfinished: int = 0  # (document, annotator) tasks left out: not marked done
    empty: int = 0  # documents none of the selected annotators touched
    unreviewed: int = 0  # gold: documents not adjudicated
    deleted: int = 0  # native: deleted annotations carried as history
    overlapping: int = 0  # doccano: spans overlapping an earlier one of the same line
    attribution: int = 0  # mentions and cues a shape without relations left out


def doccano_overlaps(labels: list[list[Any]]) -> int:
    """How many spans doccano's importer drops from one line in a project without "Allow overlapping
    spans": sorted by start, it keeps a span only if it starts at or after the end of the last one kept."""
    last_end, dropped = -1, 0
    for start, end, _ in sorted(labels, key=lambda x: x[0]):
        if start >= last_end:
            last_end = end
        else:
            dropped += 1
    return dropped
