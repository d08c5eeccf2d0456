"""Whole-file documents: plain text and Markdown as they are, HTML through trafilatura's extractor."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.errors import InputError
from storage.importers.fields import title_from
from storage.importers.incoming import IncomingDocument
from storage.text import normalise_newlines


def text_document(path: Path, raw: str) -> IncomingDocument:
    text = normalise_newlines(raw)
    return IncomingDocument(path=str(path), line=None, text=text, title=title_from(text, path.stem),
                            source=str(path))


def html_document(path: Path, raw: str) -> IncomingDocument:
    """The article's main text and title; menus, scripts and markup are left behind (text stays plain)."""
    try:
        import trafilatura
    except ImportError as exc:  # a broken install, not a bad file, but the user must hear it here
        raise InputError(str(path), None, f"cannot read HTML: the trafilatura extractor failed to load ({exc})")
    extracted = trafilatura.extract(raw, include_comments=False, include_tables=True)
    if not extracted or not extracted.strip():
        raise InputError(str(path), None, "no article text found in this HTML page")
    found = trafilatura.extract_metadata(raw)
    meta: dict[str, Any] = {"format": "html"}
    for key in ("author", "date", "url", "sitename", "description"):
        value = getattr(found, key, None)
        if isinstance(value, str) and value:
            meta[key] = value
    body = _paragraphs(normalise_newlines(extracted))
    text = _with_byline(body, meta.get("author"), meta.get("date"))
    title = found.title if found is not None and isinstance(found.title, str) and found.title.strip() else ""
    return IncomingDocument(path=str(path), line=None, text=text,
                            title=title.strip()[:300] or title_from(body, path.stem),
                            source=meta.get("url", str(path)), meta=meta)


def _paragraphs(extracted: str) -> str:
    """trafilatura puts each paragraph on one line; a blank line between them reads like the page did."""
    return "\n\n".join(line.strip() for line in extracted.split("\n") if line.strip())


def _with_byline(text: str, author: str | None, date: str | None) -> str:
    """Who wrote it and when is part of what an analyst reads (and may annotate): kept as the first paragraph."""
    parts = [f"By {author}" if author else "", date or ""]
    byline = " · ".join(part for part in parts if part)
    return f"{byline}\n\n{text}" if byline else text
