"""Real files of other tools (brat's example corpora, Label Studio exports), read from STANCEMARK_PEER_FILES:
every span checked against the source file's own offsets, exported, and read back by the real consumer.

    STANCEMARK_PEER_FILES=/path/to/peer-files pytest tests/storage/test_peer_files.py

The directory holds brat/**.ann+.txt and labelstudio/*.json; the tests skip when it is absent."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from storage import export_jsonl, import_paths
from peer_helpers import spans_of

ROOT = Path(os.environ.get("STANCEMARK_PEER_FILES", "/nonexistent"))
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="STANCEMARK_PEER_FILES is not set to a directory")


def brat_pairs() -> list[Path]:
    return sorted(p for p in (ROOT / "brat").rglob("*.ann") if p.with_suffix(".txt").is_file())


def expected_brat_spans(ann: Path) -> tuple[str, Counter]:  # type: ignore[type-arg]
    """What the .ann says, read here independently: continuous T lines as (start, end, type, quote)."""
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    spans: Counter = Counter()  # type: ignore[type-arg]
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T") and ";" not in line.split("\t")[1]:
            kind, start, end = line.split("\t")[1].split(" ")
            spans[(int(start), int(end), kind, text[int(start):int(end)])] += 1
    return text, spans


def test_brat_example_corpora_every_span_at_its_offsets_and_back(db, tmp_path: Path) -> None:
    pairs = brat_pairs()
    assert pairs, "no brat .ann/.txt pairs under STANCEMARK_PEER_FILES/brat"
    summary = import_paths(db, [ROOT / "brat"])
    expected: Counter = Counter()  # type: ignore[type-arg]
    for ann in pairs:
        text, spans = expected_brat_spans(ann)
        assert "\r" not in text  # the offsets below are the file's own only if nothing was normalised
        expected.update({(s, e, k, q): 1 for (s, e, k, q) in spans})  # duplicates collapse on import
    got = spans_of(db, ("start", "end", "claim_type", "quote"))
    assert set(got) == set(expected)
    relations = sum(1 for ann in pairs for line in ann.read_text(encoding="utf-8").splitlines()
                    if line.startswith("R"))
    reported = sum(int(part.split(" relations")[0].split()[-1]) for line in summary.lines()
                   for part in [line] if " relations" in line)
    assert reported == relations > 0
    out = tmp_path / "brat_out"
    export_jsonl(db, "brat", out)
    back_lines = {line for f in out.rglob("*.ann") for line in f.read_text(encoding="utf-8").splitlines()}
    original = {line for ann in pairs for line in ann.read_text(encoding="utf-8").splitlines()
                if line[:1] in "RE*N" or (line.startswith("T") and ";" in line.split("\t")[1])}
    assert original <= back_lines  # relations, events and discontinuous spans come back verbatim
    print(f"brat: {len(pairs)} documents, {sum(got.values())} spans, {relations} relations kept")


def test_brat_corpora_through_spacy_docbin_and_pandas(db, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    pandas = pytest.importorskip("pandas")
    from spacy.tokens import DocBin

    import_paths(db, [ROOT / "brat"])
    summary = export_jsonl(db, "docbin", tmp_path / "train.spacy")
    texts = {db.documents.get(s.id).text for s in db.documents.list()}
    aligned = 0
    for doc in DocBin().from_disk(tmp_path / "train.spacy").get_docs(spacy.blank("en").vocab):
        assert doc.text in texts
        for span in doc.spans["sc"]:
            assert doc.char_span(span.start_char, span.end_char) is not None
            aligned += 1
    total = sum(spans_of(db, ("id",)).values())
    assert aligned + sum(summary.left_out.values()) == total
    export_jsonl(db, "csv", tmp_path / "flat.csv")
    frame = pandas.read_csv(tmp_path / "flat.csv", keep_default_na=False)
    assert len(frame) == total
    by_id = {s.id: db.documents.get(s.id).text for s in db.documents.list()}
    assert all(by_id[d][s:e] == q for d, s, e, q in zip(frame["document_id"], frame["start"], frame["end"],
                                                         frame["quote"]))
    print(f"docbin: {aligned} of {total} spans aligned (strict), left out: {summary.left_out}")


def label_studio_files() -> list[Path]:
    return sorted((ROOT / "labelstudio").glob("*.json"))


def test_label_studio_exports_every_span_at_its_offsets_and_back(db, tmp_path: Path) -> None:
    files = label_studio_files()
    if not files:
        pytest.skip("no Label Studio files under STANCEMARK_PEER_FILES/labelstudio")
    import_paths(db, files)
    expected: Counter = Counter()  # type: ignore[type-arg]
    for path in files:
        tasks = json.loads(path.read_text(encoding="utf-8"))
        for task in tasks if isinstance(tasks, list) else [tasks]:
            text = task.get("data", task)["text"]
            for item in task.get("annotations", []) + task.get("completions", []) + task.get("predictions", []):
                for result in item.get("result", []):
                    value = result.get("value", {})
                    if result.get("type") == "labels":
                        assert text[value["start"]:value["end"]] == value["text"]  # the file's own offsets
                        for label in value["labels"]:
                            expected[(value["start"], value["end"], label, value["text"])] = 1
    assert expected
    got = spans_of(db, ("start", "end", "claim_type", "quote"))
    assert set(got) == set(expected)
    export_jsonl(db, "labelstudio", tmp_path / "back.json")
    tasks = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    for task in tasks:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                v = result["value"]
                assert task["data"]["text"][v["start"]:v["end"]] == v["text"]
                assert {"from_name", "to_name", "type", "id"} <= set(result)
    print(f"label studio: {len(files)} files, {sum(got.values())} spans")
