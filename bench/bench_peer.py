"""Raw sqlite3 baselines for the peer formats of bench_storage.py (csv, labelstudio, brat): the same bytes,
written by hand. CoNLL and DocBin are timed against spaCy's own tokenizer and DocBin on the raw rows."""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from bench_storage import RAW_ANNOTATIONS, raw_time  # type: ignore[import-not-found]

PEER_FORMATS = ("csv", "labelstudio", "brat", "conll", "docbin")
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _rows(db_path: str, with_times: bool) -> tuple[list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]:
    con = sqlite3.connect(db_path)
    docs = con.execute("SELECT id, title, source, text FROM document ORDER BY id").fetchall()
    times = "a.created_at, a.updated_at, a.deleted_at" if with_times else "NULL, NULL, NULL"
    grouped: dict[str, list[tuple[Any, ...]]] = {d[0]: [] for d in docs}
    for row in con.execute(RAW_ANNOTATIONS.format(where="WHERE a.deleted_at IS NULL", times=times)):
        grouped[row[1]].append(row)
    con.close()
    return docs, grouped


def _by_annotator(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    by: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        by.setdefault(r[2], []).append(r)
    return dict(sorted(by.items()))


def raw_peer_export(db_path: str, fmt: str, out: Path) -> None:
    docs, grouped = _rows(db_path, with_times=fmt in ("csv", "labelstudio"))
    {"csv": _csv, "labelstudio": _labelstudio, "brat": _brat, "conll": _conll, "docbin": _docbin}[fmt](
        docs, grouped, out)


def _csv(docs: list[Any], grouped: dict[str, list[Any]], out: Path) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["document_id", "id", "start", "end", "quote", "stance", "actor", "claim_type", "target",
                         "note", "annotator", "scheme_version", "revision", "created_at", "updated_at"])
        for doc in docs:
            for r in grouped[doc[0]]:
                writer.writerow(["" if v is None else v for v in (doc[0], r[0], r[3], r[4], r[5], r[6], r[7], r[8],
                                 r[9], r[10], r[2], r[11], r[12], raw_time(r[13]), raw_time(r[14]))])


def _labelstudio(docs: list[Any], grouped: dict[str, list[Any]], out: Path) -> None:
    with open(out, "w", encoding="utf-8", newline="\n") as stream:
        stream.write("[")
        for n, doc in enumerate(docs):
            annotations = []
            for name, own in _by_annotator(grouped[doc[0]]).items():
                results = []
                for r in own:
                    base = {"start": r[3], "end": r[4], "text": r[5]}
                    for field, value in (("claim_type", r[8]), ("stance", r[6]), ("actor", r[7])):
                        if value is not None:
                            results.append({"id": r[0], "from_name": field, "to_name": "text", "type": "labels",
                                            "origin": "manual", "value": {**base, "labels": [value]}})
                    for field, value in (("target", r[9]), ("note", r[10])):
                        if value:
                            results.append({"id": r[0], "from_name": field, "to_name": "text", "type": "textarea",
                                            "origin": "manual", "value": {**base, "text": [value]}})
                annotations.append({"completed_by": {"email": name}, "result": results, "was_cancelled": False,
                                    "ground_truth": False, "created_at": raw_time(min(r[13] for r in own)),
                                    "updated_at": raw_time(max(r[14] for r in own))})
            stream.write(",\n" if n else "\n")
            stream.write(_ENCODER.encode({"data": {"text": doc[3], "document_id": doc[0], "title": doc[1],
                                                   "source": doc[2]}, "annotations": annotations,
                                          "predictions": []}))
        stream.write("\n]\n")


def _safe(name: str) -> str:
    return re.sub(r"[^\w.@+-]", "_", name).lstrip(".") or "_"


def _brat(docs: list[Any], grouped: dict[str, list[Any]], out: Path) -> None:
    out.mkdir()
    for doc in docs:
        for name, own in _by_annotator(grouped[doc[0]]).items():
            folder = out / _safe(name)
            folder.mkdir(exist_ok=True)
            lines, t, a, h = [], 0, 0, 0
            for r in own:
                if r[8] is None:
                    continue
                t += 1
                lines.append(f"T{t}\t{r[8]} {r[3]} {r[4]}\t{r[5].replace(chr(10), ' ')}")
                if r[6] is not None:
                    a += 1
                    lines.append(f"A{a}\tStance T{t} {r[6]}")
                for kind, value in (("Actor", r[7]), ("Target", r[9]), ("AnnotatorNotes", r[10])):
                    if value:
                        h += 1
                        lines.append(f"#{h}\t{kind} T{t}\t{value}")
            (folder / f"{_safe(doc[0])}.txt").write_text(doc[3], encoding="utf-8", newline="")
            (folder / f"{_safe(doc[0])}.ann").write_text("".join(f"{x}\n" for x in lines), encoding="utf-8",
                                                         newline="")


def _conll(docs: list[Any], grouped: dict[str, list[Any]], out: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    with open(out, "w", encoding="utf-8") as stream:
        for doc in docs:
            tokens = nlp.make_doc(doc[3])
            for name, own in _by_annotator(grouped[doc[0]]).items():
                tags = ["O"] * len(tokens)
                for r in own:
                    span = tokens.char_span(r[3], r[4])
                    if span is not None and all(tags[i] == "O" for i in range(span.start, span.end)):
                        for i in range(span.start, span.end):
                            tags[i] = ("B-" if i == span.start else "I-") + r[8]
                stream.write(f"# document_id = {doc[0]}\n# annotator = {name}\n")
                stream.write("\n".join(f"{tok.text}\t{tag}" for tok, tag in zip(tokens, tags) if not tok.is_space))
                stream.write("\n\n")


def _docbin(docs: list[Any], grouped: dict[str, list[Any]], out: Path) -> None:
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        for name, own in _by_annotator(grouped[doc[0]]).items():
            tokens = nlp.make_doc(doc[3])
            spans = [s for s in (tokens.char_span(r[3], r[4], label=r[8]) for r in own) if s is not None]
            tokens.spans["sc"] = spans
            tokens.ents = filter_spans(spans)
            tokens.user_data["document_id"], tokens.user_data["annotator"] = doc[0], name
            docbin.add(tokens)
    docbin.to_disk(out)


def same_output(ours: Path, raw: Path) -> str:
    """'' when both wrote the same bytes (conll and docbin: not compared byte for byte, only timed)."""
    if ours.is_dir():
        mine = {p.relative_to(ours): p.read_bytes() for p in ours.rglob("*") if p.is_file()}
        theirs = {p.relative_to(raw): p.read_bytes() for p in raw.rglob("*") if p.is_file()}
        return "" if mine == theirs else f" (output differs from the baseline in {len(set(mine.items()) ^ set(theirs.items()))} files)"
    return "" if ours.read_bytes() == raw.read_bytes() else " (output differs from the baseline)"
