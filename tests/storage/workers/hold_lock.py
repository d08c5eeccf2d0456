"""Child process that holds a SQLite write lock (BEGIN EXCLUSIVE) until its stdin closes.

Prints "locked" once it holds the lock, so the test knows when to try writing."""
from __future__ import annotations

import sqlite3
import sys


def main() -> None:
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO setting (key, value) VALUES ('held-by-lock-worker', 'uncommitted')")
    print("locked", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    conn.execute("ROLLBACK")
    conn.close()


if __name__ == "__main__":
    main()
