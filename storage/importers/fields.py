"""Checks on one JSON line's fields; every failure names the file, the line and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from storage.errors import InputError
from storage.text import OffsetMap, unstorable_character


@dataclass(frozen=True)
class Where:
    path: str
    line: int | None

    def error(self, reason: str) -> InputError:
        return InputError(self.path, self.line, reason)


def text_of(obj: dict[str, Any], where: Where) -> str:
    if "text" not in obj:
        raise where.error("missing 'text'")
    text = obj["text"]
    if not isinstance(text, str):
        raise where.error(f"'text' must be a string, not {type(text).__name__}")
    if not text.strip():
        raise where.error("'text' is empty")
    return text


def optional_str(obj: dict[str, Any], key: str, where: Where, what: str = "") -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise where.error(f"{what}'{key}' must be a string, not {type(value).__name__}")


def optional_object(obj: dict[str, Any], key: str, where: Where) -> dict[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(f"'{key}' must be an object, not {type(value).__name__}")
    return value


def whole_number(value: Any, what: str, where: Where) -> int:
    # bool is an int in Python; true/false as an offset is a mistake in the file, not 1 and 0.
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{what} must be a whole number, not {json_repr(value)}")
    return value


def label_of(value: Any, what: str, where: Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"{what}: the label must be a non-empty string, not {json_repr(value)}")
    return value.strip()


def checked_span(offsets: OffsetMap, raw_text: str, start: Any, end: Any, quote: Any, what: str,
                 where: Where) -> tuple[int, int]:
    """Checks a span against the text as the file gives it, then maps it into the normalised text."""
    start = whole_number(start, f"{what}: start", where)
    end = whole_number(end, f"{what}: end", where)
    if start < 0:
        raise where.error(f"{what}: negative start")
    if end > len(raw_text):
        raise where.error(f"{what}: runs past the end of the text ({len(raw_text)} characters)")
    if start >= end:
        raise where.error(f"{what}: reversed or empty (start must be before end)")
    if quote is not None:
        if not isinstance(quote, str):
            raise where.error(f"{what}: the quoted text must be a string, not {json_repr(quote)}")
        if raw_text[start:end] != quote:
            raise where.error(f"{what}: does not match its quoted text: the text there is "
                              f"{short(raw_text[start:end])}, the file says {short(quote)}")
    return offsets.map_span(start, end)


def timestamp(obj: dict[str, Any], key: str, where: Where, what: str = "") -> datetime | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(f"{what}'{key}' must be an ISO 8601 time, not {json_repr(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise where.error(f"{what}'{key}' is not an ISO 8601 time: {short(value)}") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def json_repr(value: Any) -> str:
    if isinstance(value, str):
        return short(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return short(str(value)) if not isinstance(value, (int, float)) else str(value)


TITLE_LENGTH = 100


def title_from(text: str, fallback: str) -> str:
    """The first non-empty line (Markdown heading marks removed), cut to a readable length: how a .txt or
    .md article names itself."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300]
    return fallback


def title_from_body(text: str, fallback: str) -> str:
    """For a JSONL text without a title (doccano, plain): it is often one long paragraph, so its first
    sentence, or its first words and "…", rather than all of it."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            return _headline(line)
    return fallback


def _headline(line: str) -> str:
    if len(line) <= TITLE_LENGTH:
        return line
    for end in range(min(len(line), TITLE_LENGTH), 20, -1):
        if line[end - 1] in ".!?" and (end == len(line) or line[end] == " "):
            return line[:end]
    cut = line.rfind(" ", 0, TITLE_LENGTH)
    return line[:cut if cut > 20 else TITLE_LENGTH].rstrip(" ,;:") + "…"


def refuse_unstorable(value: Any, where: Where, field: str = "") -> None:
    """Raises if any string in a parsed JSON value (keys included) holds what no backend stores (NUL, lone
    surrogates), naming the field, so an import refuses the line instead of storing half of it."""
    if isinstance(value, str):
        problem = unstorable_character(value)
        if problem:
            raise where.error(f"{field or 'a string'} contains {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_unstorable(key, where, f"a key in {field or 'the line'}")
            refuse_unstorable(item, where, f"{field}.{key}" if field else repr(key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            refuse_unstorable(item, where, f"{field}[{n}]")
