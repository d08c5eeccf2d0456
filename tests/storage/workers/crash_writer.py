"""Child process for the crash test: a fork server whose children add annotations until they are killed.

Protocol on stdin/stdout (one line each):
  test -> "fork"          server forks a writer and answers "child <pid>"
  test -> "import <path>" server forks an importer: "child <pid>", then "importing" as import_paths starts
  writer -> "added <id>"  printed and flushed only after `annotations.add` has returned (committed)
  server -> "reaped <pid> <wait status>" once the writer is dead, so every line it wrote is already in the pipe
Forking from a warm server keeps each of the many rounds to a few milliseconds of start-up.
"""
from __future__ import annotations

import os
import random
import sys

from storage import AnnotationDraft, Database, open_database
from storage.importers import import_paths


def say(line: str) -> None:
    """One write per line: with PYTHONUNBUFFERED, print() would write the text and the newline separately,
    and a line of the server could then be cut in two by a line of its child on the shared pipe."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def write_until_killed(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    doc = db.documents.list()[0]
    while True:
        start = rng.randrange(0, doc.length - 1)
        end = rng.randrange(start + 1, min(doc.length, start + 80) + 1)
        draft = AnnotationDraft(doc.id, start, end, stance=rng.choice(["oppose", "neutral", "support", None]),
                                actor=rng.choice(["Kremlin", "NATO", None]), note=f"round {seed}")
        added = db.annotations.add(draft, by="crash-writer")
        say(f"added {added.id}")


def main() -> None:
    url = sys.argv[1]
    # Opened once here; no connection stays open across a fork (dispose), so each writer dials its own.
    # One warm-up add compiles the statements every writer will use, so a writer commits within milliseconds.
    db = open_database(url)
    doc = db.documents.list()[0]
    db.annotations.add(AnnotationDraft(doc.id, 0, 1, actor="Kremlin", note="warm-up"), by="crash-writer")
    db.engine.dispose()
    say("ready")
    for rounds, line in enumerate(sys.stdin):
        command, _, argument = line.strip().partition(" ")
        if command not in ("fork", "import"):
            break
        pid = os.fork()
        if pid == 0:
            try:
                if command == "import":
                    say("importing")
                    import_paths(db, [argument])
                    os._exit(0)
                write_until_killed(db, seed=rounds)
            finally:
                os._exit(1)  # only reached if writing failed; the test reports the missing "added" lines
        say(f"child {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"reaped {pid} {status}")


if __name__ == "__main__":
    main()
