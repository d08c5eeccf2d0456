"""Inter-annotator agreement: pure functions over annotation records (no database, no Qt).

units.py matches spans into units, measures.py holds the statistics, report.py assembles the figures for a
document or the corpus, each with the units behind it; corpus.py makes the same corpus figures document by
document, from counts. See those docstrings for the documented choices."""
from storage.agreement.measures import alpha, alpha_from_coincidences, binary_alpha, cohen_kappa, f1
from storage.agreement.report import (
    ALPHA,
    ATTRIBUTE_MEASURES,
    BOUNDARY_ALPHA,
    CORPUS,
    F1_EXACT,
    F1_CUE,
    F1_OVERLAP,
    F1_SOURCE,
    KAPPA,
    MEASURES,
    SOURCE_ACTOR,
    AgreementReport,
    DocumentInput,
    Figure,
    corpus_report,
    document_report,
)
from storage.agreement.corpus import CorpusFigures, UnitKeys, corpus_figures
from storage.agreement.units import (
    AGREED, ASPECTS, DISAGREED, INCOMPLETE, LINK_ASPECTS, UNIT_STATUSES, Unit, build_units,
)

__all__ = [
    "alpha", "alpha_from_coincidences", "binary_alpha", "cohen_kappa", "f1",
    "CorpusFigures", "UnitKeys", "corpus_figures",
    "ALPHA", "ATTRIBUTE_MEASURES", "BOUNDARY_ALPHA", "CORPUS", "F1_EXACT", "F1_OVERLAP", "F1_SOURCE", "F1_CUE", "KAPPA",
    "MEASURES", "SOURCE_ACTOR",
    "AgreementReport", "DocumentInput", "Figure", "corpus_report", "document_report",
    "AGREED", "ASPECTS", "DISAGREED", "INCOMPLETE", "LINK_ASPECTS", "UNIT_STATUSES", "Unit", "build_units",
]
