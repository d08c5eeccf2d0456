"""Child process: opens a database as it is given and prints the error class and message (or "opened").

The read-only test runs it as an unprivileged user, because root may write any file whatever its mode."""
from __future__ import annotations

import sys

from storage import AnnotationDraft, StancemarkError, open_with_samples


def main() -> None:
    try:
        db = open_with_samples(sys.argv[1])
        doc = db.documents.list()[0]
        db.annotations.add(AnnotationDraft(doc.id, 0, 4), by="intruder")
    except StancemarkError as exc:
        print(f"{type(exc).__name__}: {exc}")
        return
    print("opened and wrote")


if __name__ == "__main__":
    main()
