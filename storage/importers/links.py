"""Attribution links read from files: relation types mapped to roles, span kinds settled, links checked.

A parser hands the relations it read as (from span index, to span index, type, where) on
`IncomingDocument.relations`, the `from` end being the claim (Stancemark's exports write them so). Before
anything is stored, `apply_relations` maps each type to a role (source, cue, relay, target: these names, in any
case, map to themselves; a `relation_map` maps foreign names, or skips them with None), makes the other end a
mention (a cue for the cue role) and sets the claim's link. A type with no role, a span that would be claim and
mention at once, or a claim with two sources is refused by file and line, so nothing is stored."""
from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping
from typing import Any, Literal

from storage.errors import InputError, StancemarkError
from storage.importers.fields import Where, optional_str
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.records import KINDS, LINK_KINDS, LINK_ROLES

RelationMap = Mapping[str, "str | None"]
SKIP = "skip"


def checked_relation_map(relation_map: RelationMap | None) -> dict[str, str | None]:
    """`{file type: role or None}`; a role that is not one of LINK_ROLES is refused before any file is read."""
    checked: dict[str, str | None] = {}
    for name, role in (relation_map or {}).items():
        if role is None or role == SKIP:
            checked[name] = None
            continue
        if role not in LINK_ROLES:
            raise StancemarkError(f"relation type {name!r}: the role must be one of {', '.join(LINK_ROLES)} or "
                                  f"{SKIP}, not {role!r}")
        checked[name] = role
    return checked


def role_of(relation_type: str, relation_map: Mapping[str, str | None]) -> str | None | Literal[False]:
    """The role a type maps to, None to skip it, False when nothing says (the import is then refused)."""
    if relation_type in relation_map:
        return relation_map[relation_type]
    own = relation_type.strip().casefold()
    return own if own in LINK_ROLES else False


def relation_types(docs: list[IncomingDocument]) -> Counter[str]:
    return Counter(kind for doc in docs for _, _, kind, _ in doc.relations)


def kind_field(item: dict[str, Any], where: Where, what: str) -> str:
    kind = optional_str(item, "kind", where, f"{what}: ") or "claim"
    if kind not in KINDS:
        raise where.error(f"{what}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def kind_from_label(annotation: IncomingAnnotation, label: str | None) -> None:
    """A span labelled "mention" or "cue" (what Stancemark's single-label exports write) is one."""
    if label is not None and label.strip().casefold() in ("mention", "cue"):
        annotation.kind = label.strip().casefold()
        for attribute in ("stance", "claim_type", "actor"):
            if getattr(annotation, attribute) == label:
                setattr(annotation, attribute, None)


def link_ids(item: dict[str, Any], where: Where, what: str) -> dict[str, str]:
    """A native annotation's stored links: {role: id of another annotation of the same line}."""
    found = {}
    for role in LINK_ROLES:
        linked = optional_str(item, f"{role}_id", where, f"{what}: ")
        if linked is not None:
            found[role] = linked
    return found


def resolve_link_ids(annotations: list[IncomingAnnotation], ids: list[dict[str, str]], where: Where) -> None:
    """Native: link ids become indices into the line's annotations; an id the line does not hold is refused."""
    index = {a.id: n for n, a in enumerate(annotations) if a.id is not None}
    for annotation, links in zip(annotations, ids):
        for role, linked in links.items():
            if linked not in index:
                raise where.error(f"{annotation.where}: its {role} {linked!r} is not an annotation of this line")
            annotation.links[role] = index[linked]


def apply_relations(docs: list[IncomingDocument], relation_map: Mapping[str, str | None]) -> int:
    """Settles kinds and links from each document's relations, in place; returns how many links were set."""
    made = 0
    for doc in docs:
        made += _apply(doc, relation_map)
    return made


def _brat_mapped(doc: IncomingDocument, relation_map: Mapping[str, str | None]) -> None:
    """brat R lines of a type the relation map names were kept verbatim by the parser: they become relations."""
    brat = doc.meta.get("brat") if isinstance(doc.meta.get("brat"), dict) else None
    wanted = {name for name, role in relation_map.items() if role is not None}
    if brat is None or not wanted:
        return
    span_ids, kept = list(brat.get("ids") or {}), []
    for line in brat.get("kept") or []:
        found = brat_relation(line, span_ids, wanted) if line.startswith("R") else None
        if found is None:
            kept.append(line)
        else:
            doc.relations.append(found)
    brat["kept"] = kept


def _apply(doc: IncomingDocument, relation_map: Mapping[str, str | None]) -> int:
    _brat_mapped(doc, relation_map)
    unknown = sorted({kind for _, _, kind, _ in doc.relations if role_of(kind, relation_map) is False})
    if unknown:
        raise InputError(doc.path, doc.line, f"relation types with no attribution role: {', '.join(unknown)} "
                                             f"(map each to {', '.join(LINK_ROLES)} or {SKIP}, e.g. "
                                             f"--relation-map {unknown[0]}=source)")
    wanted = [(f, t, role, what) for f, t, kind, what in doc.relations
              if (role := role_of(kind, relation_map)) not in (None, False)]
    claims = {f for f, *_ in wanted}
    for f, t, role, what in wanted:
        claim, linked = doc.annotations[f], doc.annotations[t]
        need = LINK_KINDS[str(role)]
        if f == t:
            raise InputError(doc.path, doc.line, f"{what}: a span cannot be its own {role}")
        if t in claims:
            raise InputError(doc.path, doc.line, f"{what}: {linked.where or 'its other end'} is the claim of "
                                                 f"another relation and cannot also be its {role}")
        if claim.kind != "claim":
            raise InputError(doc.path, doc.line, f"{what}: {claim.where or 'its first end'} is a {claim.kind}; "
                                                 "the first end of a relation is the claim")
        if linked.kind not in ("claim", need):
            raise InputError(doc.path, doc.line, f"{what}: {linked.where or 'its other end'} is a {linked.kind}, "
                                                 f"not a {need}, so it cannot be a {role}")
        if claim.links.get(str(role), t) != t:
            raise InputError(doc.path, doc.line, f"{what}: {claim.where or 'the claim'} has two {role}s")
        linked.kind = need
        claim.links[str(role)] = t
    for annotation in doc.annotations:
        if annotation.kind != "claim":
            _as_mention_or_cue(annotation)
    return len(wanted)


def _as_mention_or_cue(annotation: IncomingAnnotation) -> None:
    """A mention or cue has no stance and no claim type; its single label, unless it is the kind's own name, is
    kept in its note, so nothing the file said is lost."""
    label = annotation.label
    own_word = label is not None and label.strip().casefold() == annotation.kind
    for attribute in ("stance", "claim_type", "actor"):
        if label is not None and getattr(annotation, attribute) == label:
            setattr(annotation, attribute, None)
    if label is not None and not own_word:
        annotation.note = "\n".join(x for x in (annotation.note, f"label: {label}") if x)
    annotation.stance = annotation.claim_type = None
    if annotation.kind == "cue":
        annotation.actor = annotation.target = None
    annotation.label = None


def brat_relation(line: str, span_ids: list[str],
                  types: Container[str] = LINK_ROLES) -> tuple[int, int, str, str] | None:
    """`R1<TAB>Source Arg1:T3 Arg2:T1` between two continuous T spans whose type (any case) is in `types`:
    (Arg1's index, the claim; Arg2's index, its mention or cue; type; "R1"). Anything else is kept verbatim."""
    fields = line.split("\t")
    parts = fields[1].split(" ") if len(fields) > 1 else []
    if len(parts) != 3 or not parts[1].startswith("Arg1:") or not parts[2].startswith("Arg2:"):
        return None
    kind, head, child = parts[0], parts[1][5:], parts[2][5:]
    if kind.casefold() not in types and kind not in types or head not in span_ids or child not in span_ids:
        return None
    return span_ids.index(head), span_ids.index(child), kind, fields[0]
