"""The peer formats from the terminal: a brat folder in, every peer format out, what was left out said."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli import main


def test_brat_in_conll_and_brat_out_with_reports(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Moscow denied the report.\n", encoding="utf-8")
    (inbox / "a.ann").write_text("T1\tdenial 0 6\tMoscow\nT2\tfactual 1 6\toscow\nR1\tX Arg1:T1 Arg2:T2\n",
                                 encoding="utf-8")
    assert main(["--db", db_url, "import", str(inbox), "--annotator", "ana"]) == 0
    out = capsys.readouterr().out
    assert "annotations added: 2" in out and "1 relations" in out
    assert main(["--db", db_url, "export", "--format", "conll", "-o", str(tmp_path / "x.conll")]) == 0
    err = capsys.readouterr().err
    assert "1 annotations left out: not on token boundaries" in err
    assert main(["--db", db_url, "export", "--format", "brat", "-o", str(tmp_path / "b")]) == 0
    assert (tmp_path / "b" / "ana" ).is_dir()
    assert main(["--db", db_url, "export", "--format", "brat", "-o", str(tmp_path / "b")]) != 0
    assert "already exists" in capsys.readouterr().err
