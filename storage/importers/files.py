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
    text = normalise_newlines(extracted)
    found = trafilatura.extract_metadata(raw)
    meta: dict[str, Any] = {"format": "html"}
    for key in ("author", "date", "url", "sitename", "description"):
        value = getattr(found, key, None)
        if isinstance(value, str) and value:
            meta[key] = value
    title = found.title if found is not None and isinstance(found.title, str) and found.title.strip() else ""
    return IncomingDocument(path=str(path), line=None, text=text,
                            title=title.strip()[:300] or title_from(text, path.stem),
                            source=meta.get("url", str(path)), meta=meta)
