"""Stancemark's storage: the only module gui/ may import. Qt-free; hands out frozen records."""
from __future__ import annotations

from storage.database import Database, open_database
from storage.errors import (
    ConflictError,
    DatabaseUnavailable,
    InputError,
    InvalidSpan,
    NotFound,
    PermissionDenied,
    StancemarkError,
)
from storage.paths import resources_dir
from storage.records import (
    ATTRIBUTES,
    ROLES,
    STATUSES,
    ActorRecord,
    AnnotationDraft,
    AnnotationRecord,
    AnnotatorRecord,
    DocumentRecord,
    DocumentSummary,
    EventRecord,
    LabelValue,
    SchemeRecord,
    StatusRecord,
)

__all__ = [
    "open_database", "Database", "resources_dir",
    "StancemarkError", "ConflictError", "DatabaseUnavailable", "InputError", "InvalidSpan", "NotFound",
    "PermissionDenied",
    "ATTRIBUTES", "ROLES", "STATUSES",
    "ActorRecord", "AnnotationDraft", "AnnotationRecord", "AnnotatorRecord", "DocumentRecord", "DocumentSummary",
    "EventRecord", "LabelValue", "SchemeRecord", "StatusRecord",
]
