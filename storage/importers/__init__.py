"""Importers: a module per input shape; import_paths runs one whole import as one transaction."""
from __future__ import annotations

from storage.importers.incoming import ImportSummary
from storage.importers.mapping import label_key
from storage.importers.preview import ImportPreview, LabelFound, preview_import
from storage.importers.run_import import import_paths

__all__ = ["ImportSummary", "import_paths", "ImportPreview", "LabelFound", "label_key", "preview_import"]
