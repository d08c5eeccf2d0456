"""The export formats and label attributes a caller may choose from: a leaf, so that the command line can offer
them without loading the exporters."""
from __future__ import annotations

from storage.records import ATTRIBUTES

PEER_FORMATS = ("brat", "conll", "labelstudio", "csv", "docbin")
EXPORT_FORMATS = ("native", "doccano", "doccano-relations", "spans", "flat") + PEER_FORMATS
LABEL_ATTRIBUTES = ATTRIBUTES
