"""JSON Lines out: records no line reader can split, written to a temporary file renamed into place.

Before anything is written the target is checked: an export never replaces a database (the open one, its
-wal/-shm/-journal companions, or any file with SQLite's header), and a target that cannot be written is named
in the error, never the temporary file beside it. The file gets the permissions any new file of the user gets
(their umask), or keeps those of the file it replaces."""
from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from storage.errors import StancemarkError

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def json_line(record: dict[str, Any]) -> str:
    """One record, one line. U+2028, U+2029 and U+0085 are legal raw in JSON but are line breaks to
    JavaScript and to Python's str.splitlines, so they are escaped."""
    line = _ENCODER.encode(record)
    if "\u2028" in line:
        line = line.replace("\u2028", "\\u2028")
    if "\u2029" in line:
        line = line.replace("\u2029", "\\u2029")
    if "\x85" in line:
        line = line.replace("\x85", "\\u0085")
    return line


def is_sqlite_file(path: Path) -> bool:
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def refuse_unsafe_target(target: str | Path | TextIO, database_file: str | None) -> None:
    """Raises StancemarkError (one line, naming the target) for a target an export must not write."""
    if target == "-" or not isinstance(target, (str, Path)):
        return
    path = Path(target)
    if path.is_dir():
        raise StancemarkError(f"{path}: is a directory; give the name of a file to export to")
    if database_file and database_file != ":memory:":
        base = Path(database_file)
        for protected in (base, *(base.with_name(base.name + c) for c in SQLITE_COMPANIONS)):
            if _same_file(path, protected):
                what = "the open database" if protected == base else f"a companion file of the open database {base}"
                raise StancemarkError(f"{path}: is {what}; an export never writes over a database, "
                                      "nothing was changed")
    if is_sqlite_file(path):
        raise StancemarkError(f"{path}: is a SQLite database; an export never writes over a database, "
                              "nothing was changed")
    for suffix in SQLITE_COMPANIONS:
        if path.name.endswith(suffix) and is_sqlite_file(path.with_name(path.name[:-len(suffix)])):
            raise StancemarkError(f"{path}: belongs to the SQLite database {path.name[:-len(suffix)]}; an export "
                                  "never writes over a database, nothing was changed")


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)  # elsewhere the only way to read it is to set it; put it straight back
    os.umask(current)
    return current


def _new_file_mode(path: Path) -> int:
    try:
        existing = path.stat()
        if stat.S_ISREG(existing.st_mode):
            return stat.S_IMODE(existing.st_mode)
    except OSError:
        pass
    return 0o666 & ~_umask()


def _cannot_write(path: Path, exc: OSError) -> StancemarkError:
    return StancemarkError(f"{path}: cannot write the export there ({exc.strerror or exc}); nothing was changed")


@contextmanager
def atomic_text_output(target: str | Path | TextIO) -> Iterator[TextIO]:
    """`-` is stdout and an open stream is used as it is; a path gets a temporary file in the same
    directory that replaces it only once everything is written, so a failed export leaves nothing.
    A device or pipe (`/dev/null`, a FIFO) is written directly: it cannot be replaced."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if not isinstance(target, (str, Path)):
        yield target
        return
    path = Path(target)
    if path.exists() and not path.is_file() and not path.is_dir():
        try:
            special = open(path, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        with special:
            yield special
        return
    try:
        handle, temp_name = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.fchmod(handle, _new_file_mode(path))  # mkstemp makes it 0600; an export is an ordinary file
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            os.replace(temp_name, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
