"""Native gold entries bring their attribution back: kind (claim, mention, cue) and a claim's links to the
line's own gold mentions and cues; a link that names no gold row of the line, or the wrong kind, is refused
with file and line, and nothing is imported. Lines written here in the native shape: each gold entry gains
"kind" and "source_id", "cue_id", "relay_id", "target_id" beside its other fields. Every backend."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import Database, InputError, open_with_samples
from storage.exporters import export_jsonl
from storage.importers import import_paths

from attribution_samples import relayed


def _native_line(tmp_path: Path) -> tuple[dict, dict[str, tuple]]:  # type: ignore[type-arg]
    """A native line of the sample article with the relayed claim in gold, and each gold row's (kind, links)."""
    source = open_with_samples(tmp_path / "source.db")
    try:
        source.annotators.ensure("rita", role="reviewer")
        ids = relayed(source, "alice")
        source.review.accept(ids["claim"], by="rita", rationale="his words")
        out = tmp_path / "native.jsonl"
        export_jsonl(source, "native", out, document_ids=[ids["doc"]])
        gold = {g.id: g for g in source.review.gold(ids["doc"])}
    finally:
        source.close()
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    for entry in line["gold"]:
        record = gold[entry["id"]]
        entry.update(kind=record.kind, source_id=record.source_id, cue_id=record.cue_id, relay_id=record.relay_id,
                     target_id=record.target_id)
    return line, {g.id: (g.kind, g.links(), g.actor, g.quote) for g in gold.values()}


def _write(tmp_path: Path, line: dict, name: str) -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_gold_links_come_back_from_a_native_line(db: Database, tmp_path: Path) -> None:
    line, expected = _native_line(tmp_path)
    import_paths(db, [_write(tmp_path, line, "gold.jsonl")])
    found = {g.id: (g.kind, g.links(), g.actor, g.quote) for g in db.review.gold()}
    assert found == expected
    assert sorted(kind for kind, *_ in found.values()) == ["claim", "cue", "mention", "mention"]
    import_paths(db, [_write(tmp_path, line, "again.jsonl")])  # matched by id: nothing new
    assert len(db.review.gold()) == 4


@pytest.mark.parametrize("change, reason", [
    (lambda claim, others: claim.update(source_id="no-such-row"), "its source .no-such-row. is not another gold annotation of this line"),
    (lambda claim, others: claim.update(source_id=claim["cue_id"]), "source must be a mention, not a cue"),
    (lambda claim, others: others[0].update(cue_id=claim["cue_id"]), "only a claim links"),
    (lambda claim, others: claim.update(kind="quote"), "'kind' must be one of claim, mention, cue"),
])
def test_a_bad_gold_link_names_file_and_line_and_imports_nothing(db: Database, tmp_path: Path, change,  # type: ignore[no-untyped-def]
                                                                  reason: str) -> None:
    line, _ = _native_line(tmp_path)
    claim = next(e for e in line["gold"] if e["kind"] == "claim")
    change(claim, [e for e in line["gold"] if e["kind"] != "claim"])
    with pytest.raises(InputError, match=rf"bad\.jsonl.*1.*{reason}"):
        import_paths(db, [_write(tmp_path, line, "bad.jsonl")])
    assert db.documents.count() == 0 and db.review.gold(include_deleted=True) == []


def test_a_gold_label_the_scheme_does_not_know_is_added_to_it_like_an_annotation_label(db: Database,
                                                                                      tmp_path: Path) -> None:
    """The import writer checks gold rows' labels as it checks annotations': a new one extends the scheme."""
    line, _ = _native_line(tmp_path)
    claim = next(entry for entry in line["gold"] if entry["kind"] == "claim")
    claim["stance"] = "sceptical"
    summary = import_paths(db, [_write(tmp_path, line, "gold.jsonl")])
    assert summary.labels_added == {"stance": ["sceptical"]}
    assert "sceptical" in {v.value for v in db.scheme.current().stances}
    (gold,) = [g for g in db.review.gold() if g.kind == "claim"]
    assert gold.stance == "sceptical" and gold.scheme_version == db.scheme.current().version
