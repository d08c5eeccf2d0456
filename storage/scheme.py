"""The label scheme: a file in resources/, copied into each database with a version."""
from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.engine import Sessions
from storage.errors import StancemarkError
from storage.tables import LabelScheme
from storage.paths import default_scheme_path
from storage.records import LabelValue, SchemeRecord

# Colours given to labels that arrive by import and are not in the scheme yet.
_EXTRA_COLOURS = ["#edc948", "#ff9da7", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d"]


def load_scheme_file(path: Path | None = None) -> dict[str, Any]:
    path = path or default_scheme_path()
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StancemarkError(f"{path}: cannot read the label scheme ({exc})") from exc
    for key in ("stance", "claim_types"):
        if key not in body:
            raise StancemarkError(f"{path}: the label scheme has no '{key}'")
    return body


def _values(items: list[dict[str, Any]]) -> tuple[LabelValue, ...]:
    return tuple(
        LabelValue(value=i["value"], label=i.get("label", i["value"]), definition=i.get("definition", ""),
                   colour=i.get("colour", "#999999"), shortcut=i.get("shortcut", ""))
        for i in items
    )


def to_record(version: int, body: dict[str, Any]) -> SchemeRecord:
    return SchemeRecord(
        version=version,
        name=body.get("name", ""),
        stances=_values(body["stance"]["values"]),
        stance_ordinal=bool(body["stance"].get("ordinal", False)),
        claim_types=_values(body["claim_types"]),
        actor_kinds=tuple(body.get("actor_kinds", ["person", "organisation", "state", "other"])),
        actor_colour=body.get("actor_colour", "#9c755f"),
        body=deepcopy(body),
    )


def current_row(session: Session) -> LabelScheme | None:
    version = session.scalar(select(func.max(LabelScheme.version)))
    return session.get(LabelScheme, version) if version is not None else None


def install(session: Session, body: dict[str, Any], note: str) -> int:
    latest = session.scalar(select(func.max(LabelScheme.version))) or 0
    session.add(LabelScheme(version=latest + 1, body=body, note=note))
    session.flush()
    return latest + 1


def add_labels(session: Session, attribute: str, labels: set[str]) -> tuple[int, list[str]]:
    """Adds labels the scheme does not know yet, as a new version; returns (version, added)."""
    row = current_row(session)
    assert row is not None, "the database has no label scheme"
    body = deepcopy(row.body)
    items = body["stance"]["values"] if attribute == "stance" else body["claim_types"]
    known = {i["value"] for i in items}
    added = sorted(labels - known)
    if not added:
        return row.version, []
    taken = {str(i.get("shortcut", "")).upper() for i in body["stance"]["values"] + body["claim_types"]} - {""}
    for n, label in enumerate(added):
        key = free_shortcut(label, attribute, taken)
        taken.add(key)
        items.append({"value": label, "label": label, "definition": "Added by import.",
                      "colour": _EXTRA_COLOURS[(len(items) + n) % len(_EXTRA_COLOURS)], "shortcut": key})
    return install(session, body, note=f"import added {attribute}: {', '.join(added)}"), added


def free_shortcut(label: str, attribute: str, taken: set[str]) -> str:
    """A key no other value has: claim types take the free digits first (as 1-6 are), stances a letter of
    their own name; "" once every key is used. Stance and claim keys share the tag editor, so both count."""
    digits = "7890123456"
    letters = [c.upper() for c in label if c.isascii() and c.isalpha()] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    order = list(digits) + letters if attribute == "claim_type" else letters + list(digits)
    return next((key for key in order if key not in taken), "")


class SchemeService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def current(self) -> SchemeRecord:
        with self._sessions.read() as s:
            row = current_row(s)
            if row is None:
                raise StancemarkError("the database has no label scheme")
            return to_record(row.version, row.body)

    def get(self, version: int) -> SchemeRecord:
        with self._sessions.read() as s:
            row = s.get(LabelScheme, version)
            if row is None:
                raise StancemarkError(f"no label scheme version {version}")
            return to_record(row.version, row.body)

    def replace(self, body: dict[str, Any], note: str = "") -> SchemeRecord:
        with self._sessions.write.begin() as s:
            version = install(s, body, note)
        return to_record(version, body)


@dataclass(frozen=True)
class SchemeLabels:
    """The stance and claim type values one scheme version knows: what every writer checks labels against
    (one span, the bulk path, an import, a review decision), built once per write and not per span."""

    version: int
    stances: frozenset[str]
    claim_types: frozenset[str]

    @classmethod
    def of(cls, version: int, body: dict[str, Any]) -> "SchemeLabels":
        return cls(version, frozenset(i["value"] for i in body["stance"]["values"]),
                   frozenset(i["value"] for i in body["claim_types"]))

    def knows(self, stance: str | None, claim_type: str | None) -> bool:
        return (stance is None or stance in self.stances) and (claim_type is None or claim_type in self.claim_types)

    def check(self, stance: str | None, claim_type: str | None, where: str = "") -> None:
        """Refuses a stance or claim type the scheme does not know (StancemarkError)."""
        if stance is not None and stance not in self.stances:
            raise StancemarkError(f"{where}{stance!r} is not a stance in the label scheme")
        if claim_type is not None and claim_type not in self.claim_types:
            raise StancemarkError(f"{where}{claim_type!r} is not a claim type in the label scheme")


def current_labels(session: Session) -> SchemeLabels:
    """The labels of the scheme every new row is written under (its newest version)."""
    row = current_row(session)
    if row is None:
        raise StancemarkError("the database has no label scheme")
    return SchemeLabels.of(row.version, row.body)
