"""brat, Label Studio, CSV, CoNLL and DocBin with attribution: the relayed case in each, links through a fresh
database where the format holds them, a warning where it cannot."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import InputError, export_jsonl, import_paths, open_database
from relation_helpers import ME, QUOTE, fresh_url, relayed_claim, structure

FIELDS = ("kind", "start", "end", "quote", "annotator", "actor", "stance", "claim_type")


@pytest.fixture
def fresh(db_url: str, tmp_path: Path) -> Iterator[str]:
    yield from fresh_url(db_url, tmp_path)


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_links_round_trip_through_brat_and_label_studio(seeded_db, fresh: str, tmp_path: Path, fmt: str) -> None:
    ids = relayed_claim(seeded_db)
    out = tmp_path / ("out" if fmt == "brat" else "out.json")
    export_jsonl(seeded_db, fmt, out, label="stance" if fmt == "brat" else "claim_type")
    target = open_database(fresh)
    try:
        import_paths(target, [out], annotator=ME, label_as="stance" if fmt == "brat" else "claim_type")
        fields = FIELDS if fmt == "labelstudio" else FIELDS[:-1]  # brat: the label as T type, claim type as A
        assert structure(target, fields=fields) == structure(seeded_db, ids["doc"], fields=fields)
    finally:
        target.close()


def test_brat_writes_mentions_cues_and_r_lines(seeded_db, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    export_jsonl(seeded_db, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / ME / f"{ids['doc']}.ann").read_text(encoding="utf-8").splitlines()
    tid = {line.split("\t")[2]: line.split("\t")[0] for line in ann if line.startswith("T")}
    types = {line.split("\t")[2]: line.split("\t")[1].split(" ")[0] for line in ann if line.startswith("T")}
    assert (types["Putin"], types["said"], types[QUOTE]) == ("Mention", "Cue", "predictive")
    relations = {line.split("\t")[1] for line in ann if line.startswith("R")}
    assert {f"Source Arg1:{tid[QUOTE]} Arg2:{tid['Putin']}", f"Cue Arg1:{tid[QUOTE]} Arg2:{tid['said']}",
            f"Relay Arg1:{tid[QUOTE]} Arg2:{tid['Lavrov']}"} <= relations
    assert f"Actor {tid['Putin']}\tVladimir Putin" in {line.split("\t", 1)[1] for line in ann if line[0] == "#"}


def test_brat_relation_types_map_and_unknown_ones_stay_kept(db, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Moscow denied it, said Peskov.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tdenial 0 16\tMoscow denied it\nT2\tPER 23 29\tPeskov\nT3\tCue 18 22\tsaid\n"
                                  "R1\tSpeaker Arg1:T1 Arg2:T2\nR2\tcue Arg1:T1 Arg2:T3\nR3\tCause Arg1:T1 Arg2:T2\n",
                                  encoding="utf-8")
    import_paths(db, [folder], relation_map={"Speaker": "source"})
    (doc,) = db.documents.list()
    records = {r.quote: r for r in db.annotations.for_document(doc.id)}
    assert records["Moscow denied it"].links() == {"source": records["Peskov"].id, "cue": records["said"].id}
    assert db.documents.get(doc.id).meta["brat"]["kept"] == ["R3\tCause Arg1:T1 Arg2:T2"]


def test_label_studio_relations_have_the_documented_shape(seeded_db, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    export_jsonl(seeded_db, "labelstudio", tmp_path / "ls.json")
    (task,) = [t for t in json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
               if t["data"]["document_id"] == ids["doc"]]
    results = task["annotations"][0]["result"]
    relations = [r for r in results if r["type"] == "relation"]
    assert all(set(r) == {"type", "from_id", "to_id", "direction", "labels"} for r in relations)
    assert {(r["from_id"], r["to_id"], r["labels"][0]) for r in relations} >= {
        (ids["claim"], ids["putin"], "source"), (ids["claim"], ids["said"], "cue"), (ids["claim"], ids["lavrov"], "relay")}
    kinds = {r["id"]: r["value"]["labels"][0] for r in results if r.get("from_name") == "kind"}
    assert (kinds[ids["putin"]], kinds[ids["said"]]) == ("Mention", "Cue")


def test_a_label_studio_relation_to_nothing_is_refused(db, tmp_path: Path) -> None:
    task = {"data": {"text": "Lavrov said no."}, "annotations": [{"result": [
        {"id": "a", "from_name": "claim_type", "to_name": "text", "type": "labels",
         "value": {"start": 12, "end": 14, "labels": ["denial"]}},
        {"type": "relation", "from_id": "a", "to_id": "zz", "direction": "right", "labels": ["source"]}]}]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(InputError, match=r"ls.json: task 1 .*'from_id' and 'to_id' must be ids of labelled regions"):
        import_paths(db, [path])
    assert db.documents.list() == []


def test_csv_has_attribution_columns_and_claims_only_unless_asked(seeded_db, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    export_jsonl(seeded_db, "csv", tmp_path / "a.csv")
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["kind"] for r in rows} == {"claim"} and len(rows) == 2
    (claim,) = [r for r in rows if r["id"] == ids["claim"]]
    body = seeded_db.documents.get(ids["doc"]).text
    assert (claim["source_actor"], claim["source_mention"], claim["cue"], claim["relay_actor"],
            claim["relay_mention"]) == ("Vladimir Putin", "Putin", "said", "Sergei Lavrov", "Lavrov")
    assert body[int(claim["source_start"]):int(claim["source_end"])] == "Putin"
    export_jsonl(seeded_db, "flat", tmp_path / "all.jsonl", kinds=("claim", "mention", "cue"))
    lines = [json.loads(x) for x in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(x["kind"] for x in lines) == ["claim"] * 2 + ["cue"] * 2 + ["mention"] * 4


def test_conll_says_it_cannot_hold_relations(seeded_db, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    relayed_claim(seeded_db)
    summary = export_jsonl(seeded_db, "conll", tmp_path / "a.conll")
    text = "\n".join(summary.lines_text())
    assert "CoNLL cannot hold relations: 6 attribution links" in text
    assert "6 annotations left out: a mention or cue" in text


def test_docbin_holds_mentions_and_cues_in_span_groups_and_links_in_user_data(seeded_db, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    ids = relayed_claim(seeded_db)
    export_jsonl(seeded_db, "docbin", tmp_path / "a.spacy")
    nlp = spacy.blank("en")
    (doc,) = [d for d in DocBin().from_disk(tmp_path / "a.spacy").get_docs(nlp.vocab)
              if d.user_data["document_id"] == ids["doc"]]
    assert {s.text for s in doc.spans["mention"]} == {"Putin", "Lavrov", "him", "The Syrian leader’s opponents"}
    assert {s.text for s in doc.spans["cue"]} == {"said", "accuse"} and QUOTE in {s.text for s in doc.spans["sc"]}
    assert not {e.text for e in doc.ents} & {"Putin", "said"}
    roles = {role: doc.text[s:e] for cs, ce, role, s, e in doc.user_data["relations"] if doc.text[cs:ce] == QUOTE}
    assert roles == {"source": "Putin", "cue": "said", "relay": "Lavrov"}


def test_a_bad_brat_relation_names_the_ann_file_and_line(db, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Moscow denied it, said Peskov.", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tdenial 0 16\tMoscow denied it\nT2\tCue 18 22\tsaid\n"
                                  "R1\tSource Arg1:T1 Arg2:T2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ann line 3 \(R1\): .* is a cue, not a mention, so it cannot be a source"):
        import_paths(db, [folder])
    assert db.documents.list() == []
