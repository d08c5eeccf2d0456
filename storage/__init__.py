"""Stancemark's storage: the only module gui/ may import. Qt-free; hands out frozen records."""
from __future__ import annotations

from storage.agreement import (
    AGREED,
    ASPECTS,
    DISAGREED,
    INCOMPLETE,
    MEASURES,
    UNIT_STATUSES,
    AgreementReport,
    Figure,
    Unit,
)
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
from storage.attribution import live_links
from storage.records import (
    ATTRIBUTES,
    KINDS,
    LINK_FIELDS,
    LINK_KINDS,
    LINK_ROLES,
    ROLES,
    STATUSES,
    ActorMerge,
    ActorPassage,
    ActorRecord,
    ActorUsage,
    AnnotationDraft,
    AnnotationRecord,
    AnnotatorRecord,
    DocumentRecord,
    DocumentSummary,
    GOLD_DECISIONS,
    REVIEW_STATUSES,
    EventRecord,
    AnnotationChange,
    GoldChange,
    GoldRecord,
    LabelUse,
    LabelValue,
    ReviewStatusRecord,
    SchemeRecord,
    StatusRecord,
)
from storage.review import ReviewUnit
from storage.review_links import describe_attribution
from storage.search import SearchFilters, SearchHit
from storage.samples import load_sample_articles, open_with_samples, seed_new_database
from storage.exporters import EXPORT_FORMATS, LABEL_ATTRIBUTES, ExportSummary, export_jsonl
from storage.importers import ImportPreview, ImportSummary, LabelFound, import_paths, preview_import
from storage.suggestions import (
    SUGGESTERS,
    Proposal,
    ProposedSpan,
    Suggester,
    SuggestionInput,
    input_fingerprint,
    repeat_labels_across,
    run_suggesters,
    run_suggesters_many,
    suggesters_named,
)

__all__ = [
    "open_database", "Database", "resources_dir",
    "StancemarkError", "ConflictError", "DatabaseUnavailable", "InputError", "InvalidSpan", "NotFound",
    "PermissionDenied",
    "ATTRIBUTES", "ROLES", "STATUSES", "KINDS", "LINK_FIELDS", "LINK_KINDS", "LINK_ROLES", "live_links",
    "ActorRecord", "ActorMerge", "ActorPassage", "ActorUsage",
    "AnnotationDraft", "AnnotationRecord", "AnnotatorRecord", "DocumentRecord", "DocumentSummary",
    "EventRecord", "LabelValue", "SchemeRecord", "StatusRecord",
    "AGREED", "ASPECTS", "DISAGREED", "INCOMPLETE", "MEASURES", "UNIT_STATUSES", "AgreementReport", "Figure", "Unit",
    "GOLD_DECISIONS", "REVIEW_STATUSES", "AnnotationChange", "GoldChange", "GoldRecord", "ReviewStatusRecord", "ReviewUnit",
    "describe_attribution",
    "SearchFilters", "SearchHit",
    "load_sample_articles", "open_with_samples", "seed_new_database",
    "SUGGESTERS", "Proposal", "ProposedSpan", "Suggester", "SuggestionInput", "input_fingerprint",
    "repeat_labels_across", "run_suggesters", "run_suggesters_many", "suggesters_named",
    "import_paths", "ImportSummary", "preview_import", "ImportPreview", "LabelFound", "LabelUse", "export_jsonl", "ExportSummary", "EXPORT_FORMATS", "LABEL_ATTRIBUTES",
]
