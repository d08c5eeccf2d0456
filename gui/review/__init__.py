"""Review mode: adjudicating annotators' disagreements into the gold layer (see review_window.ReviewWindow)."""
from gui.review.review_window import ReviewWindow

__all__ = ["ReviewWindow"]
