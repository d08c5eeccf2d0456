"""Reading input files: UTF-8 with or without BOM and nothing else, and walking directories."""
from __future__ import annotations

import codecs
import errno
import os
import stat
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
    """(files to import, files ignored). Directories are walked in sorted order, hidden entries skipped,
    symbolic links followed but each folder read once (a link loop is noted, not walked forever); a file
    named explicitly must be a regular file of a known type, and a folder named explicitly must hold one."""
    files: list[Path] = []
    ignored: list[str] = []
    for path in map(Path, paths):
        info = _stat(path)
        if stat.S_ISDIR(info.st_mode):
            found_before = len(files)
            loops: list[str] = []
            _walk(path, files, ignored, loops, {(info.st_dev, info.st_ino)})
            if len(files) == found_before:
                raise InputError(str(path), None, _nothing_found(ignored, loops))
        elif stat.S_ISREG(info.st_mode):
            if path.suffix.lower() not in KNOWN_SUFFIXES:
                raise InputError(str(path), None, f"unknown file type {path.suffix or '(no extension)'!r}; "
                                                  f"expected one of {', '.join(KNOWN_SUFFIXES)}")
            files.append(path)
        else:
            raise InputError(str(path), None, f"{_kind(info.st_mode)}, not a regular file; import reads files "
                                              f"and folders only")
    return files, ignored


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(str(path), None, f"a broken symbolic link (to {os.readlink(path)!r})") from None
        raise InputError(str(path), None, "no such file or directory") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(str(path), None, "a symbolic link loop (the link points back to itself)") from None
        raise InputError(str(path), None, f"cannot read: {exc.strerror or exc}") from None


def _walk(folder: Path, files: list[Path], ignored: list[str], loops: list[str],
          seen: set[tuple[int, int]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(str(folder), None, f"cannot read the folder: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            info = entry.stat()  # follows links
        except OSError:
            ignored.append(f"{path} (broken symbolic link or link loop)")
            loops.append(str(path))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen:
                loops.append(str(path))
                continue
            _walk(path, files, ignored, loops, seen | {key})
        elif not stat.S_ISREG(info.st_mode):
            ignored.append(f"{path} ({_kind(info.st_mode)})")
        elif path.suffix.lower() in KNOWN_SUFFIXES:
            files.append(path)
        else:
            ignored.append(str(path))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _nothing_found(ignored: list[str], loops: list[str]) -> str:
    reason = f"nothing to import found (no {', '.join(KNOWN_SUFFIXES)} files)"
    if loops:
        reason += f"; symbolic link loops skipped: {', '.join(loops[:3])}"
    if ignored:
        reason += f"; {len(ignored)} other file(s) ignored"
    return reason
