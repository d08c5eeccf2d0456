"""Exports in the formats other tools read: brat, CoNLL (IOB2), Label Studio JSON, CSV and spaCy DocBin.

Each writer takes (document row, its annotation rows) a document at a time and reports, per reason, every
span it could not write (no value for the label, not on token boundaries, overlapping in BIO); the summary
says so. Files are written to a temporary name and renamed; brat's directory likewise, never over one."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.errors import StancemarkError
from storage.exporters.reading import ANNOTATOR


@dataclass
class PeerExportSummary:
    format: str
    target: str
    documents: int = 0
    annotations: int = 0
    files: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kept_lines_dropped: int = 0  # brat relations or events whose spans this file does not have

    def leave_out(self, reason: str, n: int = 1) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + n

    @property
    def unlabelled_skipped(self) -> int:
        return self.left_out.get("no value for the label", 0)

    def lines_text(self) -> list[str]:
        out = [f"exported {self.documents} documents, {self.annotations} annotations as {self.format} to {self.target}"]
        for reason, n in sorted(self.left_out.items()):
            out.append(f"{n} annotations left out: {reason}")
        if self.kept_lines_dropped:
            out.append(f"{self.kept_lines_dropped} relation or event lines kept from a brat import were left out of "
                       "an annotator's file that lacks one of their spans")
        return out + self.notes


# A peer format's writer: (documents with their annotation rows, target path or "-", label attribute, summary).
PeerWriter = Callable[[Iterable[tuple[Any, list[Any]]], str | Path, str, PeerExportSummary], None]


def by_annotator(rows: list[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for r in rows:
        found.setdefault(r[ANNOTATOR], []).append(r)
    return dict(sorted(found.items()))


@contextmanager
def atomic_binary(target: str | Path) -> Iterator[Path]:
    """A temporary path beside the target, renamed onto it once the writer is done."""
    path = Path(target)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(target: str | Path) -> Iterator[Path]:
    """A new directory: filled under a temporary name, then renamed; an existing target is refused."""
    path = Path(target)
    if path.exists() or path.is_symlink():
        raise StancemarkError(f"{path}: already exists; brat export writes a new directory and never into one")
    if not path.parent.is_dir():
        raise StancemarkError(f"{path.parent}: no such directory")
    temp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield temp
        os.chmod(temp, 0o777 & ~_umask())
        os.rename(temp, path)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
