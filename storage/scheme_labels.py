"""Scheme values in use, and removing one nothing uses (a new scheme version, logged like any change).

A value still on an annotation (deleted ones included: undo may restore them) or a gold row stays; the
refusal says how many use it. Older scheme versions keep the value, so history still reads."""
from __future__ import annotations

from copy import deepcopy

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.audit import record_event
from storage.errors import NotFound, StancemarkError
from storage.tables import Annotation, Annotator, GoldAnnotation, LabelScheme
from storage.records import LabelUse, SchemeRecord
from storage.scheme import SchemeService, current_row, install, to_record

SCHEME_ATTRIBUTES = ("stance", "claim_type")


def _counts(session: Session, model: type, attribute: str) -> dict[str, int]:
    column = getattr(model, attribute)
    return dict(session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)).all())


def label_usage(session: Session) -> list[LabelUse]:
    row = current_row(session)
    assert row is not None, "the database has no label scheme"
    scheme = to_record(row.version, row.body)
    uses: list[LabelUse] = []
    for attribute in SCHEME_ATTRIBUTES:
        annotations = _counts(session, Annotation, attribute)
        gold = _counts(session, GoldAnnotation, attribute)
        uses.extend(LabelUse(attribute=attribute, value=v.value, label=v.label, annotations=annotations.get(v.value, 0),
                             gold=gold.get(v.value, 0)) for v in scheme.values(attribute))
    return uses


def remove_label(session: Session, attribute: str, value: str, by: str | None = None) -> int:
    """Removes an unused value from the current scheme; returns the new version. Refuses a used one."""
    if attribute not in SCHEME_ATTRIBUTES:
        raise StancemarkError(f"only stance and claim type values are in the scheme, not {attribute!r}")
    use = next((u for u in label_usage(session) if u.attribute == attribute and u.value == value), None)
    what = f"{attribute.replace('_', ' ')} {value!r}"
    if use is None:
        raise NotFound(f"the label scheme has no {what}")
    if use.used:
        parts = [f"{use.annotations} annotation{'s' if use.annotations != 1 else ''}"] if use.annotations else []
        parts += [f"{use.gold} gold span{'s' if use.gold != 1 else ''}"] if use.gold else []
        verb = "uses" if use.annotations + use.gold == 1 else "use"
        raise StancemarkError(f"cannot remove {what}: {' and '.join(parts)} {verb} it")
    row = current_row(session)
    assert row is not None
    body = deepcopy(row.body)
    items = body["stance"]["values"] if attribute == "stance" else body["claim_types"]
    removed = next(i for i in items if i["value"] == value)
    items.remove(removed)
    version = install(session, body, note=f"removed {attribute}: {value}")
    who = session.scalar(select(Annotator.id).where(Annotator.name == by)) if by else None
    record_event(session, by=who, action="remove_label", entity="scheme", entity_id=str(version),
                 before={"version": row.version, "attribute": attribute, "value": removed},
                 after={"version": version})
    return version


class LabelledSchemeService(SchemeService):
    """The scheme as the database hands it out (`db.scheme`): SchemeService's reading and replacing, with the
    label usage and removal of this module. Here rather than in scheme.py, so that neither imports the other."""

    def usage(self) -> list[LabelUse]:
        """Every stance and claim type value with how many annotations and gold spans use it."""
        with self._sessions.read() as s:
            return label_usage(s)

    def remove_label(self, attribute: str, value: str, by: str | None = None) -> SchemeRecord:
        """Removes a value nothing uses (a new version, logged); a used one is refused with the count."""
        with self._sessions.write.begin() as s:
            version = remove_label(s, attribute, value, by)
            row = s.get(LabelScheme, version)
            assert row is not None
            return to_record(version, row.body)
