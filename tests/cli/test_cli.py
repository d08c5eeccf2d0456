"""The command line, in-process through cli.main and once as the installed `stancemark` program."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from storage import open_with_samples


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.jsonl"
    path.write_text(json.dumps({"text": "The minister denied it.", "label": [[4, 12, "denial"], [13, 19, "sceptic"]],
                                "_annotator_id": "carol"}) + "\n", encoding="utf-8")
    return path


def test_import_stats_and_export_in_process(db_url: str, sample: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "import", str(sample), "--label-as", "claim_type"]) == 0
    out = capsys.readouterr().out
    assert "documents added: 1" in out and "annotations added: 2" in out and "sceptic" in out

    assert main(["stats", "--db", db_url]) == 0
    stats = capsys.readouterr().out
    assert "documents: 1" in stats and "annotations: 2" in stats  # ours only: the command line seeds nothing
    assert "carol" in stats and "denial" in stats

    target = tmp_path / "out.jsonl"
    assert main(["export", "--db", db_url, "--format", "doccano", "--label", "claim_type", "-o", str(target),
                 "--annotator", "carol"]) == 0
    lines = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
    assert [x["label"] for x in lines if x["label"]] == [[[4, 12, "denial"], [13, 19, "sceptic"]]]
    assert "exported 1 documents, 2 annotations" in capsys.readouterr().err


def test_export_to_stdout_with_document_filter(sqlite_path: str, sample: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(sample), "--db", sqlite_path]) == 0
    db = open_with_samples(sqlite_path)
    doc_id = next(d.id for d in db.documents.list() if d.title.startswith("The minister"))
    db.close()
    capsys.readouterr()
    assert main(["export", "--db", sqlite_path, "--format", "flat", "--document", doc_id]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["quote"], r["annotator"]) for r in rows] == [("minister", "carol"), ("denied", "carol")]


def test_database_from_environment(sqlite_path: str, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEMARK_DB", sqlite_path)
    assert main(["import", str(sample)]) == 0
    assert Path(sqlite_path).exists()


@pytest.mark.parametrize("argv", [["export", "--format", "xlsx"], ["frobnicate"], ["import"]])
def test_usage_errors_exit_with_2(argv: list[str], sqlite_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--db", sqlite_path]) == 2
    assert "usage:" in capsys.readouterr().err


def test_bad_option_value_is_one_line_and_exit_1(sqlite_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", sqlite_path, "--format", "flat", "--db", str(Path(sqlite_path).parent)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stancemark: error:")


def test_installed_program(sqlite_path: str, sample: Path, tmp_path: Path) -> None:
    program = shutil.which("stancemark", path=str(Path(sys.executable).parent)) or shutil.which("stancemark")
    assert program, "the stancemark console script is not installed"
    env = {k: v for k, v in os.environ.items() if k != "STANCEMARK_DB"}
    done = subprocess.run([program, "import", str(sample), "--db", sqlite_path], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and "annotations added: 2" in done.stdout, done.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")
    failed = subprocess.run([program, "--db", sqlite_path, "import", str(bad)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [f"stancemark: error: {bad}: not UTF-8: byte 0xe9 at byte "
                                                  f"position 3 cannot be decoded; save the file as UTF-8"]


def test_export_into_a_closed_pipe_is_quiet(sqlite_path: str, tmp_path: Path) -> None:
    """`stancemark export | head -1`: the reader leaving early is not an error."""
    program = shutil.which("stancemark", path=str(Path(sys.executable).parent)) or shutil.which("stancemark")
    assert program
    many = tmp_path / "many.jsonl"
    many.write_text("".join(f'{{"text": "article {i} with words", "label": [[0, 7, "ORG"]]}}\n' for i in range(3000)),
                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "STANCEMARK_DB"}
    assert subprocess.run([program, "--db", sqlite_path, "import", str(many)], capture_output=True,
                          env=env, timeout=120).returncode == 0
    piped = subprocess.run(f"'{program}' --db '{sqlite_path}' export --format doccano | head -n 1", shell=True,
                           capture_output=True, text=True, env=env, timeout=120)
    assert piped.stdout.count("\n") == 1
    assert "Broken pipe" not in piped.stderr and "error" not in piped.stderr, piped.stderr
