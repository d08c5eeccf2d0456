"""Reading input files: UTF-8 with or without BOM and nothing else, and walking directories."""
from __future__ import annotations

import codecs
from pathlib import Path

from storage.errors import InputError

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PEER_SUFFIXES = (".ann", ".json", ".conll", ".bio", ".iob")  # brat, Label Studio, CoNLL (importers/peer.py)
KNOWN_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + PEER_SUFFIXES

_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_utf8(data: bytes, path: str) -> str:
    """The file's text; anything not UTF-8 is refused with the byte position where it stops being so."""
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise InputError(path, None, f"{name} text (byte order mark at byte 0); save the file as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, None, f"binary file, not text (NUL byte at byte position {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
        raise InputError(path, None, f"not UTF-8: byte 0x{data[offset]:02x} at byte position {offset} "
                                     f"cannot be decoded; save the file as UTF-8") from exc
    if not text.strip():
        raise InputError(path, None, "empty file")
    return text


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from exc
    return decode_utf8(data, str(path))


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """(files to import, files ignored). Directories are walked in sorted order, hidden entries skipped;
    a file named explicitly must be of a known type, one found in a directory is ignored if it is not."""
    files: list[Path] = []
    ignored: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if not found.is_file() or any(part.startswith(".") for part in found.relative_to(path).parts):
                    continue
                if found.suffix.lower() in KNOWN_SUFFIXES:
                    files.append(found)
                else:
                    ignored.append(str(found))
        elif path.is_file():
            if path.suffix.lower() not in KNOWN_SUFFIXES:
                raise InputError(str(path), None, f"unknown file type {path.suffix or '(no extension)'!r}; "
                                                  f"expected one of {', '.join(KNOWN_SUFFIXES)}")
            files.append(path)
        else:
            raise InputError(str(path), None, "no such file or directory")
    return files, ignored
