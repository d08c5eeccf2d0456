"""ExportSummary: what one export wrote and what it left out. A leaf (no storage import), so the exporters that
return it (run.py, gold.py) and whoever shows it (the window's export job, the command line) share it
without importing one another."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportSummary:
    """What was written (live annotations only) and what was left out, and why."""

    format: str
    target: str
    documents: int
    annotations: int
    lines: int
    unlabelled_skipped: int  # spans with no value for the --label attribute (doccano, spans)
    unfinished_left_out: int = 0  # spans: (document, annotator) tasks not marked done
    empty_left_out: int = 0  # doccano, spans: documents none of the selected annotators touched
    unreviewed_left_out: int = 0  # --gold: documents not adjudicated
    deleted_carried: int = 0  # native: deleted annotations written as history, not counted above
    notes: tuple[str, ...] = ()

    def lines_text(self) -> list[str]:
        out = [f"exported {self.documents} documents, {self.annotations} annotations as {self.format} "
               f"({self.lines} lines) to {self.target}"]
        if self.deleted_carried:
            out.append(f"{self.deleted_carried} deleted annotations were written as history (native keeps them)")
        if self.unlabelled_skipped:
            out.append(f"{self.unlabelled_skipped} annotations had no value for the label and were left out")
        if self.unfinished_left_out:
            out.append(f"{self.unfinished_left_out} tasks of annotators who have not marked their document done "
                       "were left out (--include-unfinished writes them with answer \"ignore\")")
        if self.empty_left_out:
            out.append(f"{self.empty_left_out} documents nobody selected has annotated were left out "
                       "(--include-empty writes them)")
        if self.unreviewed_left_out:
            out.append(f"{self.unreviewed_left_out} documents not adjudicated were left out "
                       "(--include-unreviewed writes them)")
        out.extend(self.notes)
        return out
