"""Child process: imports everything, prints "ready", waits for a line on stdin, then opens the database
and prints one JSON line: the backup it took (if any) and the number of documents, or the error."""
from __future__ import annotations

import json
import sys

from storage import StancemarkError, open_with_samples


def main() -> None:
    url = sys.argv[1]
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        db = open_with_samples(url)
        result = {"backup": db.backup_taken, "documents": db.documents.count()}
        db.close()
    except StancemarkError as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
