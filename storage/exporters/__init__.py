"""Exporters: JSON Lines in four shapes (native, doccano, spans, flat) and the counts behind `stats`."""
from __future__ import annotations

from storage.exporters.run import EXPORT_FORMATS, LABEL_ATTRIBUTES, export_jsonl
from storage.exporters.stats import CollectionStats, collection_stats
from storage.exporters.summary import ExportSummary

__all__ = ["EXPORT_FORMATS", "LABEL_ATTRIBUTES", "ExportSummary", "export_jsonl", "CollectionStats",
           "collection_stats"]
