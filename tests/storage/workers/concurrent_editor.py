"""Child process for the concurrency test: one annotator adding, editing, deleting and restoring
annotations on shared documents for a while, through the services, as fast as it can.

Prints "ready", waits for a line on stdin, then works; prints one JSON line at the end: counts of what it did, and any error that reached it (there must be none;
PermissionDenied when touching a colleague's annotation is the refusal it expects, and counts it)."""
from __future__ import annotations

import json
import random
import sys
import time
import traceback

from storage import AnnotationDraft, AnnotationRecord, NotFound, PermissionDenied, open_database

STANCES = ["oppose", "neutral", "support", None]
ACTORS = ["Kremlin", "NATO", "Sergei Lavrov", "UN", None]  # shared names: first use creates them, racing


def main() -> None:
    url, name, seconds, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    counts = {"add": 0, "edit": 0, "delete": 0, "restore": 0, "refused": 0}
    errors: list[str] = []
    db = open_database(url)
    docs = db.documents.list()
    deleted: list[AnnotationRecord] = []
    print("ready", flush=True)
    sys.stdin.readline()  # all four start together, so their first adds race to create the same actors
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        doc = rng.choice(docs)
        try:
            mine = db.annotations.for_document(doc.id, annotator=name)
            roll = rng.random()
            if roll < 0.45 or not mine:
                start = rng.randrange(0, doc.length - 1)
                end = rng.randrange(start + 1, min(doc.length, start + 60) + 1)
                db.annotations.add(AnnotationDraft(doc.id, start, end, stance=rng.choice(STANCES),
                                                   actor=rng.choice(ACTORS)), by=name)
                counts["add"] += 1
            elif roll < 0.75:
                target = rng.choice(mine)
                db.annotations.edit(target.id, name, expected_revision=target.revision,
                                    stance=rng.choice(STANCES), actor=rng.choice(ACTORS), note=f"{name} {roll:.3f}")
                counts["edit"] += 1
            elif roll < 0.9:
                deleted.append(db.annotations.delete(rng.choice(mine).id, name))
                counts["delete"] += 1
            elif roll < 0.95 and deleted:
                db.annotations.add(deleted.pop(rng.randrange(len(deleted))).as_draft(), by=name)
                counts["restore"] += 1
            else:
                others = [a for a in db.annotations.for_document(doc.id) if a.annotator != name]
                if others:
                    try:
                        db.annotations.edit(rng.choice(others).id, name, stance="support")
                        errors.append("edited a colleague's annotation")
                    except PermissionDenied:
                        counts["refused"] += 1
                    except NotFound:
                        pass  # its owner deleted it meanwhile: a clear answer, not a failure
        except Exception:  # noqa: BLE001 - anything at all that reaches the user is a failure of the test
            errors.append(traceback.format_exc())
    db.close()
    counts["seconds"] = round(time.monotonic() - deadline + seconds, 2)
    print(json.dumps({"name": name, "counts": counts, "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
