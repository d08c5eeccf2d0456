"""Stancemark's storage: the only module gui/ may import. Qt-free; hands out services and frozen records.

Errors and records load with the package; everything else (the database and its services, agreement with
numpy, the importers, exporters and suggesters) loads on first use of its name (PEP 562), so a program pays
only for what it touches: the window's first screen never loads agreement, exports or spaCy. Type checkers
read the imports under TYPE_CHECKING, so `from storage import X` is checked as before."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any
from storage.errors import (
    ConflictError,
    DatabaseUnavailable,
    InputError,
    InvalidSpan,
    NotFound,
    PermissionDenied,
    StancemarkError,
)
from storage.records import (
    AGREED,
    ATTRIBUTES,
    DISAGREED,
    INCOMPLETE,
    UNIT_STATUSES,
    DOCUMENT_STATUSES,
    ActorMerge,
    ActorPassage,
    ActorRecord,
    ActorUsage,
    AnnotationChange,
    AnnotationDraft,
    AnnotationRecord,
    AnnotatorRecord,
    DocumentRecord,
    DocumentSummary,
    EventRecord,
    GOLD_DECISIONS,
    GoldChange,
    GoldRecord,
    KINDS,
    LINK_FIELDS,
    LINK_KINDS,
    LINK_ROLES,
    LabelUse,
    LabelValue,
    REVIEW_STATUSES,
    ROLES,
    ReviewStatusRecord,

    SchemeRecord,
    StatusRecord,
)

if TYPE_CHECKING:
    from storage.agreement import (
        ASPECTS,
        AgreementReport,
        Figure,
        MEASURES,
        Unit,
    )
    from storage.attribution import (
        live_links,
    )
    from storage.collector import (
        collector_paused,
    )
    from storage.database import (
        Database,
        open_database,
    )
    from storage.exporters import (
        EXPORT_FORMATS,
        ExportSummary,
        LABEL_ATTRIBUTES,
        export_jsonl,
    )
    from storage.gold_beside import (
        GoldBesideMine,
        gold_beside,
        gold_beside_mine,
    )
    from storage.importers import (
        ImportPreview,
        ImportSummary,
        LabelFound,
        import_paths,
        preview_import,
    )
    from storage.paths import (
        resources_dir,
    )
    from storage.review_records import (
        ReviewUnit,
    )
    from storage.review_links import (
        describe_attribution,
    )
    from storage.samples import (
        load_sample_articles,
        open_with_samples,
        seed_new_database,
    )
    from storage.search import (
        SearchFilters,
        SearchHit,
    )
    from storage.undo_history import (
        LoggedChange,
        undoable_changes,
    )
    from storage.suggestions import (
        Proposal,
        ProposedSpan,
        SUGGESTERS,
        Suggester,
        SuggestionInput,
        input_fingerprint,
        repeat_labels_across,
        run_suggesters,
        run_suggesters_many,
        suggesters_named,
    )

# name -> the module that defines it, imported on first use
_LAZY: dict[str, str] = {
    **dict.fromkeys(('ASPECTS', 'AgreementReport', 'Figure', 'MEASURES', 'Unit'), 'storage.agreement'),
    **dict.fromkeys(('live_links',), 'storage.attribution'),
    **dict.fromkeys(('collector_paused',), 'storage.collector'),
    **dict.fromkeys(('Database', 'open_database'), 'storage.database'),
    **dict.fromkeys(('EXPORT_FORMATS', 'ExportSummary', 'LABEL_ATTRIBUTES', 'export_jsonl'), 'storage.exporters'),
    **dict.fromkeys(('GoldBesideMine', 'gold_beside', 'gold_beside_mine'), 'storage.gold_beside'),
    **dict.fromkeys(('ImportPreview', 'ImportSummary', 'LabelFound', 'import_paths', 'preview_import'), 'storage.importers'),
    **dict.fromkeys(('resources_dir',), 'storage.paths'),
    **dict.fromkeys(('ReviewUnit',), 'storage.review_records'),
    **dict.fromkeys(('describe_attribution',), 'storage.review_links'),
    **dict.fromkeys(('load_sample_articles', 'open_with_samples', 'seed_new_database'), 'storage.samples'),
    **dict.fromkeys(('SearchFilters', 'SearchHit'), 'storage.search'),
    **dict.fromkeys(('LoggedChange', 'undoable_changes'), 'storage.undo_history'),
    **dict.fromkeys(('Proposal', 'ProposedSpan', 'SUGGESTERS', 'Suggester', 'SuggestionInput', 'input_fingerprint', 'repeat_labels_across', 'run_suggesters', 'run_suggesters_many', 'suggesters_named'), 'storage.suggestions'),
}

__all__ = [
    "open_database", "Database", "resources_dir", "collector_paused",
    "StancemarkError", "ConflictError", "DatabaseUnavailable", "InputError", "InvalidSpan", "NotFound",
    "PermissionDenied",
    "ATTRIBUTES", "ROLES", "DOCUMENT_STATUSES", "KINDS", "LINK_FIELDS", "LINK_KINDS", "LINK_ROLES", "live_links",
    "ActorRecord", "ActorMerge", "ActorPassage", "ActorUsage",
    "AnnotationDraft", "AnnotationRecord", "AnnotatorRecord", "DocumentRecord", "DocumentSummary",
    "EventRecord", "LabelValue", "SchemeRecord", "StatusRecord",
    "AGREED", "ASPECTS", "DISAGREED", "INCOMPLETE", "MEASURES", "UNIT_STATUSES", "AgreementReport", "Figure", "Unit",
    "GOLD_DECISIONS", "REVIEW_STATUSES", "AnnotationChange", "GoldChange", "GoldRecord", "ReviewStatusRecord",
    "ReviewUnit", "describe_attribution", "GoldBesideMine", "gold_beside", "gold_beside_mine",
    "SearchFilters", "SearchHit", "LoggedChange", "undoable_changes",
    "load_sample_articles", "open_with_samples", "seed_new_database",
    "SUGGESTERS", "Proposal", "ProposedSpan", "Suggester", "SuggestionInput", "input_fingerprint",
    "repeat_labels_across", "run_suggesters", "run_suggesters_many", "suggesters_named",
    "import_paths", "ImportSummary", "preview_import", "ImportPreview", "LabelFound", "LabelUse", "export_jsonl", "ExportSummary", "EXPORT_FORMATS", "LABEL_ATTRIBUTES",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'storage' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
