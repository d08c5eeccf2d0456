"""export_peer: one export in a format other tools read, dispatched to its writer (brat, conll, labelstudio,
csv, docbin). Above the writers and the helpers they share in peer.py, so that none of them imports back."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.errors import StancemarkError
from storage.exporters import brat, conll, csv_flat, docbin, labelstudio
from storage.exporters.peer import PeerExportSummary, PeerWriter
from storage.exporters.reading import ExportFilter, document_count, documents_with_annotations
from storage.records import ATTRIBUTES, DOCUMENT_STATUSES

if TYPE_CHECKING:
    from storage.database import Database


def export_peer(db: "Database", fmt: str, out: str | Path, *, label: str = "claim_type",
                annotators: tuple[str, ...] | list[str] = (), status: str | None = None,
                document_ids: tuple[str, ...] | list[str] = (),
                progress: Callable[[int, int], None] | None = None, kinds: tuple[str, ...] = ("claim",),
                **_: Any) -> PeerExportSummary:
    """One export in a peer format to a path (stdout only for csv and conll, which are text)."""
    if label not in ATTRIBUTES:
        raise StancemarkError(f"--label must be one of {', '.join(ATTRIBUTES)}, not {label!r}")
    if status is not None and status not in DOCUMENT_STATUSES:
        raise StancemarkError(f"--status must be one of {', '.join(DOCUMENT_STATUSES)}, not {status!r}")
    if str(out) == "-" and fmt in ("brat", "docbin"):
        raise StancemarkError(f"--format {fmt} writes {'a directory' if fmt == 'brat' else 'a binary file'}; "
                              "give it -o PATH")
    writers: dict[str, PeerWriter] = {"brat": brat.write, "conll": conll.write, "labelstudio": labelstudio.write,
               "csv": partial(csv_flat.write, kinds=kinds), "docbin": docbin.write}
    summary = PeerExportSummary(format=fmt, target=str(out))
    where = ExportFilter(annotators=tuple(annotators), document_ids=tuple(document_ids), status=status,
                         include_deleted=False, with_times=fmt in ("csv", "labelstudio"))
    with db.sessions.read() as s:
        total = document_count(s, where) if progress else 0

        def documents() -> Iterator[tuple[Any, list[Any]]]:
            for n, pair in enumerate(documents_with_annotations(s, where), start=1):
                summary.documents += 1
                yield pair
                if progress and (n % 50 == 0 or n == total):
                    progress(n, total)

        writers[fmt](documents(), out, label, summary)
    return summary
