"""Relations from the terminal: --relation-map on import, one line and a non-zero exit for a type with no role,
--format doccano-relations and --kinds on export."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli import main

LINE = {"text": "Moscow denied it, said Peskov.",
        "entities": [{"id": 1, "start_offset": 0, "end_offset": 16, "label": "denial"},
                     {"id": 2, "start_offset": 18, "end_offset": 22, "label": "cue"},
                     {"id": 3, "start_offset": 23, "end_offset": 29, "label": "PER"}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 3, "type": "saidBy"},
                      {"id": 2, "from_id": 1, "to_id": 2, "type": "cue"}]}


def test_relation_map_on_import_and_relations_on_export(db_url: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "re.jsonl"
    path.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    assert main(["--db", db_url, "import", str(path), "--annotator", "ana"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{path}:1: relation types with no attribution role: saidBy" in err[0]
    assert main(["--db", db_url, "import", str(path), "--annotator", "ana", "--relation-map", "saidBy=source"]) == 0
    assert "attribution links read from relations: 2" in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert main(["--db", db_url, "export", "--format", "doccano-relations", "-o", str(out)]) == 0
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["type"] for r in line["relations"]) == ["cue", "source"]
    table = tmp_path / "a.csv"
    assert main(["--db", db_url, "export", "--format", "csv", "--kinds", "claim,mention,cue", "-o", str(table)]) == 0
    with open(table, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["kind"] for r in rows) == ["claim", "cue", "mention"]
    (claim,) = [r for r in rows if r["kind"] == "claim"]
    assert (claim["source_mention"], claim["cue"]) == ("Peskov", "said")
    assert main(["--db", db_url, "import", str(path), "--relation-map", "saidBy"]) != 0
    assert "TYPE=ROLE" in capsys.readouterr().err
