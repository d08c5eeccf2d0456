"""Exporters: JSON Lines in four shapes (native, doccano, spans, flat), the peer formats, and the counts behind
`stats`. Each name loads its module on first use (PEP 562): choosing a format costs nothing."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from storage.exporters.choices import EXPORT_FORMATS, LABEL_ATTRIBUTES
from storage.exporters.summary import ExportSummary

if TYPE_CHECKING:
    from storage.exporters.run_export import export_jsonl
    from storage.exporters.stats import CollectionStats, collection_stats

_LAZY = {"export_jsonl": "storage.exporters.run_export", "CollectionStats": "storage.exporters.stats",
         "collection_stats": "storage.exporters.stats"}

__all__ = ["EXPORT_FORMATS", "LABEL_ATTRIBUTES", "ExportSummary", "export_jsonl", "CollectionStats",
           "collection_stats"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'storage.exporters' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
