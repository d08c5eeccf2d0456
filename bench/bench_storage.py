"""Storage benchmark: import, bulk annotation, every export format against a raw sqlite3 + json baseline,
and span import against raw executemany. Prints a table; `--small` for a quick smoke run.

    .venv/bin/python bench/bench_storage.py [--small]
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import AnnotationDraft, export_jsonl, import_paths, open_database  # noqa: E402

WORDS = ("minister said talks would fail government opposition claimed Kremlin denied reports sanctions "
         "économie Zürich naïve — “quoted” 👍 peace deal vote parliament rejected proposal").split()
CLAIMS = ["factual", "evaluative", "predictive", "policy", "accusation", "denial"]
STANCES = ["oppose", "neutral", "support"]
ANNOTATORS = ["alice", "bob", "carol", "dave"]
EXPORT_TARGET, IMPORT_TARGET = 1.5, 3.0


def article(rng: random.Random, n: int, size: int = 3000) -> str:
    words = [f"Article {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}", "\n"]
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
        if rng.random() < 0.05:
            words.append("\n")
    return " ".join(words)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


# -- the raw baseline: sqlite3 and json, written by hand, producing the same bytes -----------------
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def raw_line(record: dict[str, Any]) -> str:
    line = _ENCODER.encode(record)
    for char, escaped in (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("\x85", "\\u0085")):
        if char in line:
            line = line.replace(char, escaped)
    return line


def raw_time(value: str | None) -> str | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=timezone.utc).isoformat()


RAW_ANNOTATIONS = """
    SELECT a.id, a.document_id, n.name, a.start, a."end", a.quote, a.stance, ac.name, a.claim_type, a.target,
           a.note, a.scheme_version, a.revision, {times}
    FROM annotation a JOIN annotator n ON n.id = a.annotator_id LEFT JOIN actor ac ON ac.id = a.actor_id
    {where} ORDER BY a.document_id, a.start, a."end", a.id"""


def raw_export(db_path: str, fmt: str, out_path: Path) -> None:
    con = sqlite3.connect(db_path)
    docs = con.execute("SELECT id, title, source, text, sha256, meta, created_at FROM document "
                       "ORDER BY id").fetchall()
    where = "" if fmt == "native" else "WHERE a.deleted_at IS NULL"
    grouped: dict[str, list[tuple[Any, ...]]] = {d[0]: [] for d in docs}
    times = "a.created_at, a.updated_at, a.deleted_at" if fmt in ("native", "flat") else "NULL, NULL, NULL"
    for row in con.execute(RAW_ANNOTATIONS.format(where=where, times=times)):
        grouped[row[1]].append(row)
    extra: dict[str, Any] = {}
    if fmt == "native":
        extra["version"] = con.execute("SELECT max(version) FROM label_scheme").fetchone()[0]
        extra["roles"] = dict(con.execute("SELECT name, role FROM annotator"))
        extra["actors"] = {n: {"kind": k, "aliases": []} for n, k in
                           con.execute("SELECT name, kind FROM actor WHERE merged_into_id IS NULL")}
        for name, alias in con.execute("SELECT ac.name, al.alias FROM actor ac JOIN actor_alias al "
                                       "ON al.actor_id = ac.id ORDER BY al.alias"):
            if name in extra["actors"]:
                extra["actors"][name]["aliases"].append(alias)
        # The benchmark makes no gold layer; native lines then carry an empty one, which the baseline writes too.
        gold_rows = con.execute("SELECT count(*) FROM gold_annotation").fetchone()[0]
        review_rows = con.execute("SELECT count(*) FROM review_status").fetchone()[0]
        assert gold_rows == review_rows == 0, "the raw baseline does not model gold or review rows"
    extra["status"] = {}
    for doc_id, name, status, at in con.execute("SELECT s.document_id, n.name, s.status, s.updated_at FROM "
                                                "document_status s JOIN annotator n ON n.id = s.annotator_id"):
        extra["status"].setdefault(doc_id, {})[name] = (status, at)
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        for doc in docs:
            for record in RAW_FORMATS[fmt](doc, grouped[doc[0]], extra):
                out.write(raw_line(record))
                out.write("\n")
    con.close()


def raw_native(doc: tuple[Any, ...], rows: list[tuple[Any, ...]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    statuses = extra["status"].get(doc[0], {})
    people = sorted({r[2] for r in rows} | set(statuses))
    return [{"stancemark": 1, "id": doc[0], "title": doc[1], "source": doc[2], "text": doc[3], "sha256": doc[4],
             "scheme_version": extra["version"], "meta": json.loads(doc[5]) if doc[5] else {},
             "created_at": raw_time(doc[6]),
             "annotators": {p: extra["roles"].get(p, "annotator") for p in people},
             "actors": {n: extra["actors"][n] for n in sorted({r[7] for r in rows if r[7]}) if n in extra["actors"]},
             "status": {n: {"status": s, "updated_at": raw_time(at)} for n, (s, at) in sorted(statuses.items())},
             "annotations": [{"id": r[0], "annotator": r[2], "start": r[3], "end": r[4], "quote": r[5],
                              "stance": r[6], "actor": r[7], "claim_type": r[8], "target": r[9], "note": r[10],
                              "scheme_version": r[11], "revision": r[12], "created_at": raw_time(r[13]),
                              "updated_at": raw_time(r[14]), "deleted_at": raw_time(r[15])} for r in rows],
             "gold": []}]


def raw_people(doc: tuple[Any, ...], rows: list[tuple[Any, ...]], extra: dict[str, Any]) -> dict[str, str]:
    """Who touched the document (a live span, or a status past todo) and their status of it."""
    statuses = extra["status"].get(doc[0], {})
    people = {r[2] for r in rows} | {n for n, (st, _) in statuses.items() if st != "todo"}
    return {n: statuses[n][0] if n in statuses else "todo" for n in people}


def raw_by(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    by: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        by.setdefault(r[2], []).append(r)
    return by


def raw_doccano(doc: tuple[Any, ...], rows: list[tuple[Any, ...]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    people, by = raw_people(doc, rows, extra), raw_by(rows)
    return [{"text": doc[3], "label": [[r[3], r[4], r[8]] for r in by.get(name, []) if r[8] is not None],
             "document_id": doc[0], "annotator": name, "status": people[name]} for name in sorted(people)]


def raw_spans(doc: tuple[Any, ...], rows: list[tuple[Any, ...]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    people, by = raw_people(doc, rows, extra), raw_by(rows)
    return [{"text": doc[3], "spans": [{"start": r[3], "end": r[4], "label": r[8], "text": r[5], "id": r[0],
                                        "stance": r[6], "actor": r[7], "claim_type": r[8], "target": r[9],
                                        "note": r[10]} for r in by.get(name, []) if r[8] is not None],
             "meta": {"document_id": doc[0], "title": doc[1], "source": doc[2], "annotator": name, "status": "done"},
             "_annotator_id": name, "answer": "accept"} for name in sorted(people) if people[name] == "done"]


def raw_flat(doc: tuple[Any, ...], rows: list[tuple[Any, ...]], extra: dict[str, Any]) -> list[dict[str, Any]]:
    statuses = extra["status"].get(doc[0], {})
    return [{"document_id": doc[0], "id": r[0], "start": r[3], "end": r[4], "quote": r[5], "stance": r[6],
             "actor": r[7], "claim_type": r[8], "target": r[9], "note": r[10], "annotator": r[2],
             "status": statuses[r[2]][0] if r[2] in statuses else "todo",
             "scheme_version": r[11], "revision": r[12], "created_at": raw_time(r[13]),
             "updated_at": raw_time(r[14])} for r in rows]


RAW_FORMATS = {"native": raw_native, "doccano": raw_doccano, "spans": raw_spans, "flat": raw_flat}


def raw_span_import(db_path: str, jsonl: Path) -> None:
    """The floor for importing spans: parse the lines, one executemany per table, one commit."""
    con = sqlite3.connect(db_path)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    (annotator_id,) = con.execute("INSERT INTO annotator (name, role, created_at) VALUES ('raw', 'annotator', ?) "
                                  "RETURNING id", (now,)).fetchone()
    docs, spans = [], []
    for n, line in enumerate(jsonl.read_text(encoding="utf-8").split("\n")):
        if not line:
            continue
        record = json.loads(line)
        text = record["text"]
        doc_id = f"raw{n}"
        docs.append((doc_id, text[:50], "", text, len(text), f"sha{n}", "{}", now))
        spans.extend((str(uuid.uuid4()), doc_id, annotator_id, s["start"], s["end"], text[s["start"]:s["end"]],
                      s["label"], 1, 1, now, now) for i, s in enumerate(record["spans"]))
    con.executemany("INSERT INTO document (id, title, source, text, text_length, sha256, meta, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", docs)
    con.executemany('INSERT INTO annotation (id, document_id, annotator_id, start, "end", quote, claim_type, '
                    "scheme_version, revision, created_at, updated_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
                    spans)
    con.commit()
    con.close()


def differences(ours: Path, raw: Path) -> str:
    """The baseline writes the same bytes; if not, say which keys differ (the check keeps both honest)."""
    if ours.read_bytes() == raw.read_bytes():
        return ""
    keys: set[str] = set()
    for mine, theirs in zip(ours.read_text(encoding="utf-8").split("\n"), raw.read_text(encoding="utf-8").split("\n")):
        if mine != theirs:
            a, b = json.loads(mine), json.loads(theirs)
            keys |= {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    return f" (output differs from the baseline in: {', '.join(sorted(keys)) or 'line count'})"


def peer_rows(db: Any, db_path: str, work: Path, total: int) -> list[tuple[str, int, float, float | None,
                                                                           float | None, str]]:
    """The formats other tools read (bench/bench_peer.py has the raw baselines), best of three in turns."""
    import shutil

    from bench_peer import PEER_FORMATS, raw_peer_export, same_output  # type: ignore[import-not-found]

    found = []
    for fmt in PEER_FORMATS:
        ours, raw = work / f"ours.{fmt}", work / f"raw.{fmt}"
        mine, base = float("inf"), float("inf")
        for _ in range(3):
            for path in (ours, raw):
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            mine = min(mine, timed(lambda: export_jsonl(db, fmt, ours))[0])
            base = min(base, timed(lambda: raw_peer_export(db_path, fmt, raw))[0])
        compared = same_output(ours, raw) if fmt in ("csv", "labelstudio", "brat") else " (same tokenizer, not byte-compared)"
        verdict = ("PASS" if mine / base <= EXPORT_TARGET else "MISS") + compared
        found.append((f"export {fmt}", total, mine, base, EXPORT_TARGET, verdict))
    return found


# -- the run --------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 articles and 5,000 annotations")
    args = parser.parse_args()
    n_docs, per_doc = (100, 50) if args.small else (1000, 100)
    rng = random.Random(20261128)
    rows: list[tuple[str, int, float, float | None, float | None, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "articles"
        folder.mkdir()
        texts = [article(rng, n) for n in range(n_docs)]
        for n, text in enumerate(texts):
            (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        db_path = str(work / "bench.db")
        db = open_database(db_path)
        seconds, _ = timed(lambda: import_paths(db, [folder]))
        rows.append((f"import {n_docs:,} articles of ~3 KB (.txt)", n_docs, seconds, None, None, ""))

        docs = [(d.id, d.length) for d in db.documents.list()]
        drafts: dict[str, list[AnnotationDraft]] = {name: [] for name in ANNOTATORS}
        for doc_id, length in docs:
            for i in range(per_doc):
                start = rng.randrange(0, length - 40)
                drafts[ANNOTATORS[i % len(ANNOTATORS)]].append(AnnotationDraft(
                    doc_id, start, start + rng.randrange(5, 40), stance=rng.choice(STANCES),
                    actor=f"Actor {rng.randrange(50)}", claim_type=rng.choice(CLAIMS)))
        total = sum(map(len, drafts.values()))
        seconds, _ = timed(lambda: [db.annotations.add_many(d, by=name) for name, d in drafts.items()])
        rows.append((f"add_many {total:,} annotations", total, seconds, None, None, ""))
        # Most work finished, some not: spans exports "accept" only for the documents marked done.
        for n, (doc_id, _) in enumerate(docs):
            for name in ANNOTATORS[: 1 + n % len(ANNOTATORS)]:
                db.documents.set_status(doc_id, "done" if name != "dave" else "in_progress", by=name)

        for fmt in ("native", "doccano", "spans", "flat"):
            ours, raw = work / f"ours.{fmt}.jsonl", work / f"raw.{fmt}.jsonl"
            # Best of five, taken in turns, so a stray pause or a busy neighbour does not decide PASS or MISS.
            mine, base = float("inf"), float("inf")
            for _ in range(5):
                mine = min(mine, timed(lambda: export_jsonl(db, fmt, ours))[0])
                base = min(base, timed(lambda: raw_export(db_path, fmt, raw))[0])
            ratio = mine / base
            verdict = ("PASS" if ratio <= EXPORT_TARGET else "MISS") + differences(ours, raw)
            rows.append((f"export {fmt}", total, mine, base, EXPORT_TARGET, verdict))
        rows.extend(peer_rows(db, db_path, work, total))
        db.close()

        spans_file = work / "spans.jsonl"
        with open(spans_file, "w", encoding="utf-8") as out:
            for n, text in enumerate(texts):
                text = text.replace("Article", "Copy")
                starts = rng.sample(range(len(text) - 40), per_doc)
                spans = [{"start": start, "end": start + rng.randrange(5, 40), "label": rng.choice(CLAIMS)}
                         for start in starts]
                out.write(json.dumps({"text": text, "spans": spans, "_annotator_id": "importer"}) + "\n")
        empty = work / "empty.db"
        open_database(str(empty)).close()
        for name in ("ours.db", "raw.db"):
            (work / name).write_bytes(empty.read_bytes())
        target = open_database(str(work / "ours.db"))
        mine, summary = timed(lambda: import_paths(target, [spans_file]))
        target.close()
        base, _ = timed(lambda: raw_span_import(str(work / "raw.db"), spans_file))
        ratio = mine / base
        rows.append((f"import {summary.annotations_added:,} spans (Prodigy JSONL)", summary.annotations_added,
                     mine, base, IMPORT_TARGET, "PASS" if ratio <= IMPORT_TARGET else "MISS"))

    print(f"{'step':<44} {'rows':>8} {'seconds':>8} {'raw s':>8} {'ratio':>6} {'target':>7}  result")
    for step, count, seconds, base, target, verdict in rows:
        base_text = f"{base:8.2f}" if base else " " * 8
        ratio_text = f"{seconds / base:6.2f}" if base else " " * 6
        target_text = f"{target:.1f}x" if target else ""
        print(f"{step:<44} {count:>8,} {seconds:>8.2f} {base_text} {ratio_text} {target_text:>7}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
