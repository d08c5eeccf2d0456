"""A short news-style article with attributions, and a registry, for the stored-suggestion tests."""
from __future__ import annotations

from pathlib import Path

from storage import Database, import_paths

TEXT = ("Talks in Geneva\n\n"
        "The Kremlin said on Monday that the talks would continue next week. "
        "NATO denied the report on Tuesday. "
        "“We will not leave the region,” Sergei Lavrov told reporters. "
        "Later the minister said that the ceasefire was holding.\n")


def article(db: Database, folder: Path) -> str:
    """Imports the article (and the registry it names) and returns its document id."""
    path = folder / "geneva.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_paths(db, [path])
    db.actors.create("Kremlin", kind="state", aliases=("the Kremlin",))
    db.actors.create("NATO", kind="organisation")
    db.actors.create("Sergei Lavrov", kind="person")
    [doc] = [d.id for d in db.documents.list() if d.title.startswith("Talks")]
    return doc
