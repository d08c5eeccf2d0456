"""No import circles in storage/, gui/ or cli/: a module that needs another which needs it back only starts
because one of the two imports late, and every reader (and tool) must know which.

Counted: every import that runs, at module level or deferred inside a function. Not counted: imports under
`if TYPE_CHECKING:`, which never run (mypy reads them, and resolves a circle among them by itself)."""
from __future__ import annotations

from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]

# gui/main_window.py opens a second window through gui.app.open_window, which builds a MainWindow. It goes once
# main_window asks for the window through a signal that gui.app connects (being rewritten elsewhere now).
KNOWN: set[frozenset[str]] = set()  # none left; a new one fails this test


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    members = set(group)
    lines = [" <-> ".join(group)]
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"    {importer} line {detail['line_number']}: {detail['line_contents']}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def graph(monkeypatch_module: pytest.MonkeyPatch) -> grimp.ImportGraph:
    monkeypatch_module.syspath_prepend(str(ROOT))  # this checkout's packages, not an installed copy
    return grimp.build_graph("storage", "gui", "cli", cache_dir=None, exclude_type_checking_imports=True)


@pytest.fixture(scope="module")
def monkeypatch_module():  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_finder_sees_a_circle() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_no_import_circles_in_storage_gui_or_cli(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_directly_imported_by("cli")  # the graph was built from real code
    unknown = [group for group in import_cycles(graph) if frozenset(group) not in KNOWN]
    assert not unknown, "import circles:\n" + "\n".join(describe(graph, group) for group in unknown)
