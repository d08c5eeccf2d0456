"""CSV of the flat export: one row per annotation, the same columns as `--format flat`.

UTF-8 with a byte order mark, so Excel opens it as UTF-8 on a double click (pandas reads it with
`pd.read_csv(path)`; the BOM is taken off by `encoding="utf-8-sig"`, which pandas applies by default to
UTF-8). Fields with commas, quotes or line breaks are quoted as RFC 4180 says; rows end with CRLF.
Claims only unless `kinds` asks for mentions and cues too; each claim's source actor, source mention, cue, relay
and target mention (words and offsets) are columns of its row."""
from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storage.exporters.formats import ATTRIBUTION_COLUMNS, flat_lines
from storage.exporters.peer import PeerExportSummary, atomic_binary

COLUMNS = ["document_id", "id", "start", "end", "quote", "stance", "actor", "claim_type", "target", "note",
           "annotator", "scheme_version", "revision", "created_at", "updated_at"] + ATTRIBUTION_COLUMNS


def write(documents: Iterable[tuple[Any, list[Any]]], out: str | Path, label: str,
          summary: PeerExportSummary, kinds: tuple[str, ...] = ("claim",)) -> None:
    if str(out) == "-":
        _rows(documents, sys.stdout, summary, kinds)
        return
    with atomic_binary(out) as temp, open(temp, "w", encoding="utf-8-sig", newline="") as stream:
        _rows(documents, stream, summary, kinds)


def _rows(documents: Iterable[tuple[Any, list[Any]]], stream: Any, summary: PeerExportSummary,
          kinds: tuple[str, ...]) -> None:
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for doc, rows in documents:
        for line in flat_lines(doc, rows, {}, kinds):  # no status column in the CSV (yet)
            # A cell that starts with = + - @ is a formula to a spreadsheet; the quote column keeps the text
            # as it is (offsets must match it), so nothing is prefixed here: open it as text if that matters.
            writer.writerow(["" if line[c] is None else line[c] for c in COLUMNS])
            summary.annotations += 1
