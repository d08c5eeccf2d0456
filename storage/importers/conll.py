"""CoNLL / BIO files (.conll, .bio, .iob): one token per line, its tag in the last column, a blank line between
sentences. `-DOCSTART-` lines and `# document_id = ...` comments start a new document; `# annotator = NAME`
names whose spans follow. IOB2 tags (B-X, I-X, O) are read; an I-X after O or after another label starts a
span, as IOB1 does, and is counted in the summary.

The file holds tokens, not the text between them, so the text is rebuilt: tokens joined by one space,
sentences by a line break. Spans are exact on that text."""
from __future__ import annotations

from dataclasses import dataclass, field

from storage.importers.fields import Where, title_from
from storage.importers.incoming import IncomingAnnotation, IncomingDocument

CONLL_SUFFIXES = (".conll", ".bio", ".iob")


@dataclass
class _Block:
    line: int
    document_id: str | None = None
    annotator: str | None = None
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=lambda: [[]])


def parse_conll(path: str, content: str, label_as: str, notes: list[str]) -> list[IncomingDocument]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if stripped.startswith("#"):
            key, _, value = stripped[1:].partition("=")
            key, value = key.strip(), value.strip()
            if key == "document_id":
                current = _Block(number, document_id=value or None)
                blocks.append(current)
            elif key == "annotator":
                if current is None or current.annotator is not None or any(current.sentences):
                    current = _Block(number, document_id=current.document_id if current else None)
                    blocks.append(current)
                current.annotator = value or None
            continue
        if stripped.startswith("-DOCSTART-"):
            current = None
            continue
        if not stripped:
            if current is not None and current.sentences[-1]:
                current.sentences.append([])
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if len(columns) < 2:
            raise Where(path, number).error(f"expected 'TOKEN<TAB>TAG', not {line[:40]!r}")
        if current is None:
            current = _Block(number)
            blocks.append(current)
        current.sentences[-1].append((columns[0], columns[-1], number))
    repaired = [0]
    docs = [_document(path, block, label_as, repaired) for block in blocks if any(block.sentences)]
    if repaired[0]:
        notes.append(f"{path}: {repaired[0]} spans start with I- (IOB1 style) and were read as starting there")
    return [d for d in docs if d.text.strip()]


def _document(path: str, block: _Block, label_as: str, repaired: list[int]) -> IncomingDocument:
    pieces: list[str] = []
    spans: list[IncomingAnnotation] = []
    open_span: tuple[int, int, str] | None = None  # (start, end, label)
    position = 0

    def close() -> None:
        nonlocal open_span
        if open_span is not None:
            start, end, label = open_span
            spans.append(IncomingAnnotation(start=start, end=end, annotator=block.annotator,
                                            where=f"span [{start}, {end})").fill({label_as: label}))
            open_span = None

    for s, sentence in enumerate(s for s in block.sentences if s):
        if s:
            pieces.append("\n")
            position += 1
            close()
        for t, (token, tag, number) in enumerate(sentence):
            if t:
                pieces.append(" ")
                position += 1
            start, end = position, position + len(token)
            pieces.append(token)
            position = end
            prefix, _, label = tag.partition("-")
            if tag == "O" or not label or prefix not in ("B", "I", "E", "S", "L", "U"):
                if tag != "O":
                    raise Where(path, number).error(f"tag {tag!r} is not IOB2 (B-LABEL, I-LABEL or O)")
                close()
                continue
            if prefix in ("B", "S", "U") or open_span is None or open_span[2] != label:
                if prefix in ("I", "E", "L") and (open_span is None or open_span[2] != label):
                    repaired[0] += 1
                close()
                open_span = (start, end, label)
            else:
                open_span = (open_span[0], end, label)
        close()
    text = "".join(pieces)
    name = block.document_id or f"{path}:{block.line}"
    meta = {"format": "conll", "tokenised_text": True}
    if block.document_id:
        meta["conll_document_id"] = block.document_id
    return IncomingDocument(path=path, line=block.line, text=text, title=title_from(text, name)[:300],
                            source=f"{path}:{block.line}", meta=meta, annotations=spans)
