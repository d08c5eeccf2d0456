"""Every colour and status label the window shows, in one place: the document list, review mode, the Gold dock
and the article view read them from here, so a status looks and reads the same wherever it appears.

Document status ("to do", "in progress", "done") and unit status (agreed, disagreed, incomplete) are different
things; their constants say which they mean."""
from __future__ import annotations

from collections.abc import Sequence

from storage import AGREED, DISAGREED, INCOMPLETE

GREEN, AMBER, RED, BLUE, GREY = "#2e9e5b", "#d08c1a", "#d1495b", "#3a7bd5", "#8a8f98"
NEUTRAL = "#999999"  # someone without a colour of their own (should not happen; never invisible)

# A document's working status, as the document list shows it.
DOCUMENT_STATUS_LABELS = {"todo": "To do", "in_progress": "In progress", "done": "Done"}
DOCUMENT_STATUS_COLOURS = {"todo": GREY, "in_progress": AMBER, "done": GREEN}

# A unit's agreement status in review mode.
UNIT_STATUS_LABELS = {AGREED: "Agreed", DISAGREED: "Disagreed", INCOMPLETE: "Incomplete"}
UNIT_STATUS_COLOURS = {AGREED: GREEN, DISAGREED: RED, INCOMPLETE: AMBER}
UNIT_DECIDED = "#8a8a8a"  # a decided unit in the list: out of the way, still readable
GOLD_REJECTED, GOLD_TAKEN = "#a02030", "#2e7d32"

# A document's review status.
REVIEW_STATUS_LABELS = {"not_reviewed": "Not reviewed", "in_review": "In review", "adjudicated": "Adjudicated"}

# The Gold dock: the decision on my version of a passage (storage.gold_beside's verdicts).
VERDICT_LABELS = {"accepted": "Accepted", "edited": "Edited", "merged": "Merged (all agreed)", "rejected": "Rejected",
                  "other_version": "Another version taken", "not_reviewed": "Not reviewed"}
VERDICT_COLOURS = {"accepted": GREEN, "edited": BLUE, "merged": GREEN, "rejected": RED, "other_version": AMBER}

# One colour per annotator in review mode, by their place among the document's participants.
ANNOTATOR_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
                     "#9c755f")
# Colours for actors in the article view, handed out in order so that no two actors of one article share one.
ACTOR_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#86bcb6", "#d37295", "#8cd17d")
UNSET_COLOUR = "#a0a4ab"  # a span whose colouring label is not set
PASSAGE_MARK = "#ffe08a"  # the passage a gold edit will cover


def annotator_colours(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per annotator, by their place in the (sorted) list of the document's participants."""
    return {name: ANNOTATOR_PALETTE[i % len(ANNOTATOR_PALETTE)] for i, name in enumerate(names)}
