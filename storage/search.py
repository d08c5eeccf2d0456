"""Corpus search over document titles and text and over annotations (quote, note, target, actor, labels,
annotator). SQLite answers through FTS5 tables kept in step by triggers, PostgreSQL through GIN full-text
indexes (both made by migration 0004). The database only narrows the candidates: where a hit lies, and the
words around it, are worked out here in Python on the stored text, so offsets are exact code points."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Unpack

from sqlalchemy import Row, text

from storage.engine import Sessions

KINDS = ("all", "documents", "annotations")
FIELDS = ("title", "text", "quote", "note", "target", "actor")
CONTEXT_CHARS = 40
HITS_PER_DOCUMENT = 5
# The FTS5 tables and their shadow tables: not ORM tables, kept out of the schema comparison.
SQLITE_TABLES = ("search_document_fts", "search_annotation_fts")
POSTGRES_INDEXES = ("ix_search_document_tsv", "ix_search_annotation_tsv")

_WORD = re.compile(r"\w+")
_DOC_TSV = "to_tsvector('simple'::regconfig, coalesce(d.title, '') || ' ' || coalesce(d.text, ''))"
_ANN_TSV = ("to_tsvector('simple'::regconfig, coalesce(a.quote, '') || ' ' || coalesce(a.note, '') || ' ' "
            "|| coalesce(a.target, ''))")


def is_search_object(name: str | None) -> bool:
    """True for the search tables and indexes the ORM does not describe (for schema comparisons)."""
    return name is not None and (name in POSTGRES_INDEXES or any(name.startswith(t) for t in SQLITE_TABLES))


@dataclass(frozen=True)
class SearchHit:
    """One place a query matched: `start`/`end` are code points of the document text (the annotation's span
    for an annotation hit); `before`/`match`/`after` are plain-text context from the field that matched."""

    kind: str  # "document" or "annotation"
    field: str  # one of FIELDS
    document_id: str
    document_title: str
    start: int
    end: int
    before: str
    match: str
    after: str
    annotation_id: str | None = None
    annotator: str | None = None
    stance: str | None = None
    claim_type: str | None = None
    actor: str | None = None

    @property
    def context(self) -> str:
        return f"{self.before}{self.match}{self.after}"


@dataclass(frozen=True)
class SearchFilters:
    kind: str = "all"
    annotator: str | None = None
    stance: str | None = None
    claim_type: str | None = None
    actor: str | None = None

    @property
    def narrows_annotations(self) -> bool:
        return any((self.annotator, self.stance, self.claim_type, self.actor))


def query_terms(query: str) -> list[str]:
    """The words of a query in lower case (as the indexes store tokens); each is matched as the start of a word
    (typing `Lavr` finds Lavrov)."""
    return [w.lower() for w in _WORD.findall(query)]


def find_prefixes(value: str, terms: list[str], limit: int | None = None) -> list[tuple[int, int]]:
    """Code-point spans in `value` where a word starts with a term (case-folded), in text order. Case folding
    may change a string's length (ß -> ss): then each character is folded alone and mapped back."""
    if not terms or not value:
        return []
    folded = value.casefold()
    back: list[int] | None = None  # folded index -> index in `value`, where folding changed the length
    if len(folded) != len(value):
        parts: list[str] = []
        back = []
        for i, ch in enumerate(value):
            f = ch.casefold()
            parts.append(f)
            back.extend([i] * len(f))
        folded = "".join(parts)
        back.append(len(value))
    pattern = _prefix_pattern(tuple(terms))
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(folded):
        if limit is not None and len(spans) >= limit:
            break
        end = m.end()
        while end < len(folded) and (folded[end].isalnum() or folded[end] == "_"):
            end += 1  # the whole word
        if back is None:
            spans.append((m.start(), end))
        else:
            spans.append((back[m.start()], back[end] if end < len(back) else len(value)))
    return spans


@lru_cache(maxsize=64)
def _prefix_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    folded = sorted({t.casefold() for t in terms}, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(t)}" for t in folded))


def _all_terms_in(values: Iterable[str | None], terms: list[str]) -> bool:
    joined = " ".join(v for v in values if v)
    return all(find_prefixes(joined, [t]) for t in terms)


def _context(value: str, start: int, end: int) -> tuple[str, str, str]:
    """A few words either side of [start, end), on one line."""
    left = value[max(0, start - CONTEXT_CHARS):start]
    right = value[end:end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in left:
        left = "…" + left[left.index(" ") + 1:]
    if end + CONTEXT_CHARS < len(value) and " " in right:
        right = right[:right.rindex(" ")] + "…"
    flat = " ".join
    return flat(left.split()) + (" " if left[-1:].isspace() else ""), \
        flat(value[start:end].split()), (" " if right[:1].isspace() else "") + flat(right.split())


class SearchService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def search(self, query: str, filters: SearchFilters | None = None, *, limit: int = 200) -> list[SearchHit]:
        """Documents first (title, then text passages), then annotations; at most `limit` hits."""
        filters = filters or SearchFilters()
        terms = query_terms(query)
        if not terms and not filters.narrows_annotations:
            return []
        with self._sessions.read() as s:
            sqlite = s.get_bind().dialect.name == "sqlite"
            hits: list[SearchHit] = []
            if filters.kind in ("all", "documents") and terms and not filters.narrows_annotations:
                # with both kinds asked for, documents leave room for the annotations
                hits.extend(self._documents(s, terms, sqlite, limit if filters.kind == "documents" else limit // 2))
            if filters.kind in ("all", "annotations") and len(hits) < limit:
                hits.extend(self._annotations(s, terms, filters, sqlite, limit - len(hits)))
            return hits[:limit]

    # -- documents ------------------------------------------------------------------------------------------
    def _documents(self, s: Any, terms: list[str], sqlite: bool, limit: int) -> list[SearchHit]:
        if sqlite:
            sql = ("SELECT d.id, d.title, d.text FROM search_document_fts f JOIN document d ON d.rowid = f.rowid "
                   "WHERE search_document_fts MATCH :q LIMIT :n")
            params: dict[str, Any] = {"q": _fts5_query(terms), "n": limit}
        else:
            sql = f"SELECT d.id, d.title, d.text FROM document d WHERE {_DOC_TSV} @@ to_tsquery('simple', :q) LIMIT :n"
            params = {"q": _ts_query(terms), "n": limit}
        hits: list[SearchHit] = []
        for doc_id, title, body in s.execute(text(sql), params):
            if len(hits) >= limit:
                break
            if not _all_terms_in((title, body), terms):
                continue  # the index's tokens differ from ours here; show only what we can place exactly
            for start, end in find_prefixes(title, terms)[:1]:
                hits.append(SearchHit("document", "title", doc_id, title, 0, 0, *_context(title, start, end)))
            for start, end in find_prefixes(body, terms, limit=HITS_PER_DOCUMENT):
                hits.append(SearchHit("document", "text", doc_id, title, start, end, *_context(body, start, end)))
        return sorted(hits[:limit], key=lambda h: (h.document_title.casefold(), h.field != "title", h.start))

    # -- annotations ----------------------------------------------------------------------------------------
    def _annotations(self, s: Any, terms: list[str], filters: SearchFilters, sqlite: bool,
                     limit: int) -> list[SearchHit]:
        where = ["a.deleted_at IS NULL"]
        params: dict[str, Any] = {"n": limit}
        for column, value in (("n.name", filters.annotator), ("a.stance", filters.stance),
                              ("a.claim_type", filters.claim_type)):
            if value:
                where.append(f"{column} = :{column[2:]}")
                params[column[2:]] = value
        if filters.actor:
            ids = self._actor_ids(s, None, exact=filters.actor)
            where.append(_in_list("a.actor_id", ids, params, "fa"))
        select_part = ("SELECT a.id, a.document_id, d.title, a.start, a.\"end\", a.quote, a.note, a.target, n.name, "
                       "a.stance, a.claim_type, r.name ")
        joins = ("JOIN document d ON d.id = a.document_id JOIN annotator n ON n.id = a.annotator_id "
                 "LEFT JOIN actor r ON r.id = a.actor_id ")
        # No ORDER BY over every match: the first `limit` in index order, sorted below (a sort of 100,000
        # matches would cost more than the search).
        if not terms:
            sql = select_part + "FROM annotation a " + joins + "WHERE " + " AND ".join(where) + " LIMIT :n"
            rows = list(s.execute(text(sql), params))
        else:
            if sqlite:
                sql = (select_part + "FROM search_annotation_fts f JOIN annotation a ON a.rowid = f.rowid " + joins
                       + "WHERE search_annotation_fts MATCH :q AND " + " AND ".join(where) + " LIMIT :n")
                params["q"] = _fts5_query(terms)
            else:
                sql = (select_part + "FROM annotation a " + joins + f"WHERE {_ANN_TSV} @@ to_tsquery('simple', :q) "
                       "AND " + " AND ".join(where) + " LIMIT :n")
                params["q"] = _ts_query(terms)
            rows = list(s.execute(text(sql), params))
            actor_ids = self._actor_ids(s, terms)
            if actor_ids and len(rows) < limit:
                seen = {row[0] for row in rows}
                sql = (select_part + "FROM annotation a " + joins + "WHERE " + " AND ".join(
                    [*where, _in_list("a.actor_id", actor_ids, params, "ta")]) + " LIMIT :m")
                params["m"] = limit + len(seen)
                more = [row for row in s.execute(text(sql), params) if row[0] not in seen]
                rows.extend(more[:limit - len(rows)])
        aliases = self._aliases(s) if terms else {}
        hits = [hit for row in rows if (hit := _annotation_hit(row, terms, aliases)) is not None]
        return sorted(hits, key=lambda h: (h.document_title.casefold(), h.start, h.annotation_id or ""))

    def _actor_ids(self, s: Any, terms: list[str] | None, exact: str | None = None) -> list[int]:
        """Actors whose name or an alias matches every term (or equals `exact`), with the actors merged into
        them, read from the actor tables (small next to the annotations)."""
        names: dict[int, list[str]] = {}
        for actor_id, name, merged in s.execute(text("SELECT id, name, merged_into_id FROM actor")):
            names.setdefault(merged or actor_id, []).append(name)
        for actor_id, alias in s.execute(text("SELECT actor_id, alias FROM actor_alias")):
            names.setdefault(actor_id, []).append(alias)
        if exact is not None:
            wanted = exact.casefold()
            return [i for i, ns in names.items() if any(n.casefold() == wanted for n in ns)]
        return [i for i, ns in names.items() if any(_all_terms_in([n], terms or []) for n in ns)]

    def _aliases(self, s: Any) -> dict[str, list[str]]:
        aliases: dict[str, list[str]] = {}
        for name, alias in s.execute(text("SELECT r.name, l.alias FROM actor_alias l JOIN actor r "
                                          "ON r.id = l.actor_id")):
            aliases.setdefault(name, []).append(alias)
        return aliases


def _annotation_hit(row: Row[Unpack[tuple[Any, ...]]], terms: list[str],
                    aliases: dict[str, list[str]]) -> SearchHit | None:
    ann_id, doc_id, title, start, end, quote, note, target, annotator, stance, claim_type, actor = row

    def hit(field: str, before: str, match: str, after: str) -> SearchHit:
        return SearchHit("annotation", field, doc_id, title, start, end, before, match, after, annotation_id=ann_id,
                         annotator=annotator, stance=stance, claim_type=claim_type, actor=actor)

    if not terms:
        return hit("quote", "", quote, "")
    fields = {"quote": quote, "note": note, "target": target}
    if _all_terms_in(fields.values(), terms):
        for field, value in fields.items():
            spans = find_prefixes(value or "", terms)
            if spans:
                return hit(field, *_context(value, *spans[0]))
    for name in ([actor] if actor else []) + aliases.get(actor or "", []):
        if _all_terms_in([name], terms):
            spans = find_prefixes(name, terms)
            a, b = spans[0][0], spans[-1][1]
            return hit("actor", name[:a], name[a:b], name[b:])
    return None  # matched by the index on tokens we do not split the same way


def _in_list(column: str, ids: list[int], params: dict[str, Any], prefix: str) -> str:
    if not ids:
        return "1 = 0"
    names = [f"{prefix}{i}" for i in range(len(ids))]
    params.update(zip(names, ids))
    return f"{column} IN ({', '.join(':' + n for n in names)})"


def _fts5_query(terms: list[str]) -> str:
    """Every term as a quoted prefix token: nothing the analyst types is read as FTS5 syntax."""
    return " ".join('"' + t.replace('"', '""') + '"*' for t in terms)


def _ts_query(terms: list[str]) -> str:
    """Terms are \\w runs, so quoting them as tsquery lexemes with a prefix mark is safe."""
    return " & ".join("'" + t.replace("'", "''") + "':*" for t in terms)
