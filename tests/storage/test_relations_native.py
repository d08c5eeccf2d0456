"""Native exports carry kind and links (annotations and gold) and import back into a fresh database with the
same structure; bad links in a native line are refused by file and line with nothing stored."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import InputError, export_jsonl, import_paths, open_database
from relation_helpers import ME, QUOTE, fresh_url, relayed_claim, structure


@pytest.fixture
def fresh(db_url: str, tmp_path: Path) -> Iterator[str]:
    yield from fresh_url(db_url, tmp_path)


def test_native_round_trip_keeps_kinds_links_and_the_relayed_claim(seeded_db, fresh: str, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    seeded_db.annotations.delete(ids["lavrov"], ME)  # a dormant link travels as stored, and stays dormant
    out = tmp_path / "native.jsonl"
    export_jsonl(seeded_db, "native", out)
    line = next(json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if ids["claim"] in x)
    claim = next(a for a in line["annotations"] if a["id"] == ids["claim"])
    assert (claim["source_id"], claim["cue_id"], claim["relay_id"]) == (ids["putin"], ids["said"], ids["lavrov"])
    assert "kind" not in claim  # a claim is written as before
    assert next(a for a in line["annotations"] if a["id"] == ids["said"])["kind"] == "cue"
    target = open_database(fresh)
    try:
        import_paths(target, [out])
        assert structure(target) == structure(seeded_db)
        restored = target.annotations.get(ids["claim"])
        assert (restored.actor, restored.quote) == ("Vladimir Putin", QUOTE)
        assert restored.links() == seeded_db.annotations.get(ids["claim"]).links()
        assert target.annotations.get(ids["lavrov"]).deleted_at is not None
    finally:
        target.close()


def test_claims_without_links_are_written_exactly_as_before(seeded_db, tmp_path: Path) -> None:
    from storage import AnnotationDraft
    doc = seeded_db.documents.list()[0].id
    seeded_db.annotations.add(AnnotationDraft(doc, 0, 5, claim_type="factual"), by=ME)
    export_jsonl(seeded_db, "native", tmp_path / "n.jsonl")
    (entry,) = [a for x in (tmp_path / "n.jsonl").read_text(encoding="utf-8").splitlines()
                for a in json.loads(x)["annotations"]]
    assert set(entry) == {"id", "annotator", "start", "end", "quote", "stance", "actor", "claim_type", "target",
                          "note", "scheme_version", "revision", "created_at", "updated_at", "deleted_at"}


def _native_line(**claim_fields: object) -> str:
    text = "Putin said the talks would fail."
    annotations = [
        {"id": "m1", "annotator": "ana", "start": 0, "end": 5, "kind": "mention", "actor": "Vladimir Putin"},
        {"id": "c1", "annotator": "ana", "start": 6, "end": 10, "kind": "cue"},
        {"id": "k1", "annotator": "ana", "start": 11, "end": 31, "claim_type": "predictive", **claim_fields},
    ]
    return json.dumps({"stancemark": 1, "text": text, "annotations": annotations})


@pytest.mark.parametrize("fields, reason", [
    ({"source_id": "nope"}, "its source 'nope' is not an annotation of this line"),
    ({"source_id": "c1"}, "its source must be a mention, not a cue"),
    ({"cue_id": "m1"}, "its cue must be a cue, not a mention"),
    ({"kind": "speech"}, "'kind' must be one of claim, mention, cue"),
    ({"source_id": "m1", "annotator": "ben"}, "its source was marked by another annotator"),
])
def test_bad_native_links_are_refused_by_file_and_line(db, tmp_path: Path, fields: dict, reason: str) -> None:  # type: ignore[type-arg]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "an earlier line"}) + "\n" + _native_line(**fields) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paths(db, [path])
    assert str(caught.value).startswith(f"{path}:2:") and reason in str(caught.value)
    assert db.documents.list() == []


def test_a_good_native_line_links_source_and_cue(db, tmp_path: Path) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text(_native_line(source_id="m1", cue_id="c1") + "\n", encoding="utf-8")
    import_paths(db, [path])
    claim = db.annotations.get("k1")
    assert (claim.links(), claim.actor) == ({"source": "m1", "cue": "c1"}, "Vladimir Putin")


def _gold_line(**claim_fields: object) -> str:
    line = json.loads(_native_line(source_id="m1", cue_id="c1"))
    base = {"reviewer": "rev", "decision": "accepted"}
    line["gold"] = [{"id": "g-m", "start": 0, "end": 5, "kind": "mention", "actor": "Vladimir Putin", **base},
                    {"id": "g-c", "start": 6, "end": 10, "kind": "cue", **base},
                    {"id": "g-k", "start": 11, "end": 31, "claim_type": "predictive", "source_id": "g-m",
                     "cue_id": "g-c", **base, **claim_fields}]
    return json.dumps(line)


def test_gold_kinds_and_links_round_trip_through_native(db, fresh: str, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold_line() + "\n", encoding="utf-8")
    import_paths(db, [path])
    export_jsonl(db, "native", tmp_path / "out.jsonl")
    (line,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = {g["id"]: g for g in line["gold"]}
    assert (gold["g-k"]["source_id"], gold["g-k"]["cue_id"], gold["g-m"]["kind"]) == ("g-m", "g-c", "mention")
    target = open_database(fresh)
    try:
        import_paths(target, [tmp_path / "out.jsonl"])
        back = {g.id: g for g in target.review.gold()}
        assert back["g-k"].links() == {"source": "g-m", "cue": "g-c"}
        assert (back["g-m"].kind, back["g-c"].kind, back["g-k"].kind) == ("mention", "cue", "claim")
    finally:
        target.close()


@pytest.mark.parametrize("fields, reason", [
    ({"source_id": "g-c"}, "its source must be a mention, not a cue"),
    ({"relay_id": "k1"}, "its relay 'k1' is not another gold annotation of this line"),
])
def test_bad_gold_links_are_refused(db, tmp_path: Path, fields: dict, reason: str) -> None:  # type: ignore[type-arg]
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold_line(**fields) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=reason):
        import_paths(db, [path])
    assert db.documents.list() == []
