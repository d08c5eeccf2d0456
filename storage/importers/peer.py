"""Which peer format a file is in, by its name: brat (.txt beside an .ann), Label Studio (.json), CoNLL."""
from __future__ import annotations

from pathlib import Path

from storage.importers.brat import check_pair, is_brat_text, parse_brat
from storage.importers.conll import CONLL_SUFFIXES, parse_conll
from storage.importers.decode import read_text
from storage.importers.incoming import IncomingDocument
from storage.importers.labelstudio import parse_labelstudio


def is_peer_file(path: Path) -> bool:
    return path.suffix.lower() in (".ann", ".json") + CONLL_SUFFIXES or is_brat_text(path)


def parse_peer(path: Path, label_as: str, notes: list[str]) -> list[IncomingDocument]:
    suffix = path.suffix.lower()
    if suffix == ".ann":
        check_pair(path)
        return []  # read with its .txt
    content = read_text(path)
    if suffix == ".json":
        return parse_labelstudio(str(path), content, label_as, notes)
    if suffix in CONLL_SUFFIXES:
        return parse_conll(str(path), content, label_as, notes)
    ann = path.with_suffix(".ann")
    # An empty .ann is a document nobody annotated yet: read_text refuses empty files, so read it here.
    ann_text = read_text(ann) if ann.stat().st_size and ann.read_bytes().strip() else ""
    return [parse_brat(path, content, ann_text, label_as, notes)]
