"""What a person at a terminal sees: progress bars on stderr and tables on stdout, both drawn by rich.

A bar is drawn only when stderr is a terminal, so piped output, scripts and tests see nothing of it; a table
is laid out at its natural width when stdout is not a terminal (a pipe has no width to wrap to). Every cell
is plain text: names others typed are never read as rich markup."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

ProgressReport = Callable[[int, int], None]  # (done, total); total 0 while the amount is not known
PIPE_WIDTH = 10_000  # wide enough that no table line is wrapped


def _nothing(done: int, total: int) -> None:
    pass


def stderr_console() -> Console:
    from rich.console import Console  # rich loads only for a command that draws (`stancemark` alone never)

    return Console(stderr=True, highlight=False)


@contextmanager
def progress_bar(label: str, console: Console | None = None, *, counted: bool = True) -> Iterator[ProgressReport]:
    """A bar named `label` while the block runs; yields the `progress(done, total)` that storage calls.
    Left on screen when done (what was done, how much, how long); nothing at all when not at a terminal.
    `counted`: done/total are things worth showing (documents, events); otherwise a percentage (bytes)."""
    if console is None and not sys.stderr.isatty():  # a pipe or a log file: nothing to draw, nothing to load
        yield _nothing
        return
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
    )

    console = console or stderr_console()
    amount = MofNCompleteColumn() if counted else TaskProgressColumn()
    with Progress(TextColumn("{task.description}"), BarColumn(), amount, TimeElapsedColumn(),
                  console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield report
        finished = bar.tasks[0].total or 1
        bar.update(task, completed=finished, total=finished)  # what was done stays, as a full bar


def write_table(out: TextIO, columns: Sequence[str], rows: Sequence[Sequence[str]],
                right_aligned: frozenset[int] = frozenset(), title: str | None = None) -> None:
    """Columns under a ruled header; `right_aligned` are column indexes (counts)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=title, title_justify="left",
                  title_style=None, header_style="bold")
    for i, name in enumerate(columns):
        table.add_column(Text(name), justify="right" if i in right_aligned else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    table_console(out).print(table)


def table_console(out: TextIO) -> Console:
    from rich.console import Console

    console = Console(file=out, highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console = Console(file=out, highlight=False, soft_wrap=False, width=PIPE_WIDTH)
    return console
