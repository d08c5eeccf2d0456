"""Progress bars and tables of the command line: a bar for a person at a terminal (on stderr), nothing of it in
a pipe; tables laid out by rich, every cell plain text; the machine-readable outputs untouched."""
from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from cli import main
from cli.suggest import SUGGESTER_NAMES
from cli.terminal import progress_bar, write_table

ROOT = Path(__file__).resolve().parents[2]


def _articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"article-{i:02d}.txt").write_text(f"Article {i}\n\nThe minister denied it, Lavrov said.\n",
                                                   encoding="utf-8")
    return folder


def test_a_bar_is_drawn_on_a_terminal_and_ends_full() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress_bar("importing", console) as progress:
        progress(3, 10)
        progress(7, 10)
    drawn = screen.getvalue()
    assert "importing" in drawn and "10/10" in drawn and "\x1b[" in drawn  # drawn with terminal codes


def test_no_bar_where_output_is_not_a_terminal() -> None:
    log = io.StringIO()
    with progress_bar("importing", Console(file=log)) as progress:
        progress(5, 10)
    assert log.getvalue() == ""


def _run_with_terminal_stderr(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Runs `python -m cli ARGS` with stderr on a pseudo-terminal and stdout on a pipe: (code, stdout, terminal)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=follower, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read().decode("utf-8") if process.stdout else ""
    code = process.wait(timeout=120)
    os.close(leader)
    return code, out, seen.decode("utf-8", "replace")


def test_import_shows_progress_on_a_terminal_and_keeps_stdout_clean(tmp_path: Path) -> None:
    folder = _articles(tmp_path / "articles", 5)
    database = str(tmp_path / "bar.db")
    code, out, terminal = _run_with_terminal_stderr("--db", database, "import", str(folder), cwd=ROOT)
    assert code == 0, terminal
    assert "importing" in terminal and "\x1b[" in terminal
    assert "documents added: 5" in out and "\x1b" not in out  # the summary on stdout, no terminal codes in it


def test_piped_commands_print_no_progress(tmp_path: Path) -> None:
    folder = _articles(tmp_path / "articles", 3)
    database = str(tmp_path / "pipe.db")
    for args in (("import", str(folder)), ("export", "--format", "native"), ("agreement",), ("check",),
                 ("backup", str(tmp_path / "copy.db"))):
        done = subprocess.run([sys.executable, "-m", "cli", "--db", database, *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "━" not in done.stderr and "\x1b" not in done.stderr and "\x1b" not in done.stdout
    exported = subprocess.run([sys.executable, "-m", "cli", "--db", database, "export", "--format", "native"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
    assert sorted(json.loads(line)["title"] for line in exported.splitlines()) == ["Article 0", "Article 1", "Article 2"]


def test_bad_input_stays_one_line_naming_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{"text": \n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "cli", "--db", str(tmp_path / "bad.db"), "import", str(broken)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.jsonl:2: malformed JSON" in lines[0]


def test_a_table_keeps_names_as_typed_and_its_full_width_in_a_pipe() -> None:
    out = io.StringIO()
    long_name = "The [bold]Ministry[/bold] of :smile: Affairs, " + "very " * 30 + "long"
    write_table(out, ("id", "name", "count"), [("1", long_name, "12"), ("22", "Kremlin", "3")],
                right_aligned=frozenset({0, 2}))
    lines = out.getvalue().splitlines()
    assert any(long_name in line for line in lines)  # neither markup, emoji code nor wrapping changed it
    kremlin = next(line for line in lines if "Kremlin" in line)
    assert kremlin.split()[:3] == ["22", "Kremlin", "3"]
    assert "\x1b" not in out.getvalue()


def test_actors_list_table_names_every_actor(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "actors", "add", "[red]Putin[/red]", "--alias", "V. Putin",
                 "--annotator", "rita"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "actors", "list"]) == 0
    out = capsys.readouterr().out
    assert "[red]Putin[/red]" in out and "V. Putin" in out and "1 actor(s)" in out
    assert main(["--db", db_url, "actors", "list", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "id,name,kind,aliases,annotations,documents,gold"


def test_the_suggester_choices_are_the_suggesters() -> None:
    from storage.suggestions import SUGGESTERS

    assert SUGGESTER_NAMES == tuple(SUGGESTERS)
