"""What every export line writer shares: the tally of what was written and left out, the stored-quote check,
the column each label attribute is read from, and doccano's overlap rule. A leaf below formats.py and
relation_formats.py, so neither needs the other to start."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.errors import StancemarkError
from storage.exporters.reading import ACTOR, CLAIM, END, ID, QUOTE, STANCE, START

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}


def checked(text: str, row: Any, doc_id: str) -> None:
    if text[row[START]:row[END]] != row[QUOTE]:
        raise StancemarkError(f"annotation {row[ID]} in document {doc_id}: its stored quote does not match "
                              f"the text at [{row[START]}, {row[END]}); nothing was exported")


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
