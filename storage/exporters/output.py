"""JSON Lines out: records no line reader can split, written to a temporary file renamed into place."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


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


@contextmanager
def atomic_text_output(target: str | Path | TextIO) -> Iterator[TextIO]:
    """`-` is stdout and an open stream is used as it is; a path gets a temporary file in the same
    directory that replaces it only once everything is written, so a failed export leaves nothing."""
    if target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if not isinstance(target, (str, Path)):
        yield target
        return
    path = Path(target)
    handle, temp_name = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
