"""The one tokenisation behind the CoNLL and DocBin exports: spaCy's rule-based English tokenizer
(`spacy.blank("en")`, no trained model, nothing downloaded). spaCy is an optional extra:
`pip install 'stancemark[spacy]'`."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from storage.errors import StancemarkError

ALIGNMENT_MODE = "strict"  # a span must start and end on token boundaries; nothing is widened or cut


@lru_cache(maxsize=1)
def blank_english() -> Any:
    try:
        import spacy
    except ImportError:
        raise StancemarkError("this format needs spaCy: pip install 'stancemark[spacy]'") from None
    return spacy.blank("en")
