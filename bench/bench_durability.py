"""Durability costs: commits per second (one writer and four at once) and backup time, SQLite and PostgreSQL.

    .venv/bin/python bench/bench_durability.py [--seconds S] [--annotations N] [--postgres ADMIN_URL]

PostgreSQL rows appear when --postgres (or $STANCEMARK_TEST_POSTGRES) names a server where a scratch database
may be created and dropped; the "team" rows run the same writers each logged in as their own team role
(`team-setup`, `add-user`), so they pay for the server's checks (row-level security, the log triggers), while
the plain rows write as the administrator. Prints a table; asserts nothing."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage import AnnotationDraft, open_database, open_with_samples
from storage.backup import backup_database


@contextmanager
def scratch(kind: str, admin_url: str | None) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "bench.db")
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url or "")
    info = dict(host=admin.host, port=admin.port or 5432, user=admin.username, dbname=admin.database,
                password=admin.password or None)
    name = f"sm_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**info, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**info, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _writer(url: str, name: str, seconds: float, start_at: float, results: "multiprocessing.Queue[list[float]]",
            as_role: bool = False) -> None:
    from sqlalchemy.engine import make_url

    db = open_database(make_url(url).set(username=name).render_as_string(hide_password=False) if as_role else url)
    doc = db.documents.list()[0]
    rng = random.Random(name)
    times: list[float] = []
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = rng.randrange(0, doc.length - 10)
        began = time.perf_counter()
        db.annotations.add(AnnotationDraft(doc.id, start, start + 8, actor=rng.choice(["NATO", "UN"])), by=name)
        times.append(time.perf_counter() - began)
    db.close()
    results.put(times)


def writers(url: str, count: int, seconds: float, names: list[str] | None = None) -> tuple[int, list[float]]:
    """`count` processes adding for `seconds` (as the team roles `names`, if given); returns commits and every
    commit's latency."""
    context = multiprocessing.get_context("fork")
    results: "multiprocessing.Queue[list[float]]" = context.Queue()
    start_at = time.time() + 1.0
    procs = [context.Process(target=_writer, args=(url, names[i] if names else f"writer{i}", seconds, start_at,
                                                   results, names is not None))
             for i in range(count)]
    for proc in procs:
        proc.start()
    latencies = [t for _ in procs for t in results.get(timeout=120)]
    for proc in procs:
        proc.join()
    return len(latencies), latencies


@contextmanager
def team_roles(url: str, count: int) -> Iterator[list[str]]:
    """`count` uniquely named annotator roles on the server (roles are cluster-wide), dropped afterwards."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    from storage.team import add_user, setup_team

    names = [f"sm_bench_{uuid.uuid4().hex[:8]}" for _ in range(count)]
    db = open_database(url)
    try:
        setup_team(db)
        for name in names:
            add_user(db, name)
    finally:
        db.close()
    try:
        yield names
    finally:
        admin = make_url(url)
        with psycopg.connect(host=admin.host, port=admin.port or 5432, user=admin.username, dbname=admin.database,
                             password=admin.password or None, autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def timed_backup(url: str, annotations: int, folder: Path) -> tuple[float, int]:
    db = open_with_samples(url)
    doc = db.documents.list()[0]
    db.annotations.add_many((AnnotationDraft(doc.id, i % (doc.length - 9), i % (doc.length - 9) + 8)
                             for i in range(annotations)), by="bulk")
    began = time.perf_counter()
    result = backup_database(db, folder / f"backup-{uuid.uuid4().hex[:6]}")
    elapsed = time.perf_counter() - began
    db.close()
    return elapsed, result.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--annotations", type=int, default=20_000)
    parser.add_argument("--postgres", default=os.environ.get("STANCEMARK_TEST_POSTGRES"))
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    kinds = [k for k in ["sqlite"] + (["postgresql"] if args.postgres else []) if k in args.backends]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.seconds:g} s per writer row")
    print(f"{'backend':<11} {'measure':<26} {'commits/s':>10} {'median ms':>10} {'p95 ms':>8} {'other':>22}")
    for kind in kinds:
        for count in (1, 4):
            with scratch(kind, args.postgres) as url:
                open_with_samples(url).close()
                commits, latencies = writers(url, count, args.seconds)
                p95 = sorted(latencies)[int(len(latencies) * 0.95)] * 1000
                print(f"{kind:<11} {f'{count} writer(s), add':<26} {commits / args.seconds:>10.0f} "
                      f"{statistics.median(latencies) * 1000:>10.1f} {p95:>8.1f} {'':>22}")
            if kind == "postgresql":
                with scratch(kind, args.postgres) as url:
                    open_with_samples(url).close()
                    with team_roles(url, count) as names:
                        commits, latencies = writers(url, count, args.seconds, names)
                p95 = sorted(latencies)[int(len(latencies) * 0.95)] * 1000
                print(f"{kind:<11} {f'{count} team role(s), add':<26} {commits / args.seconds:>10.0f} "
                      f"{statistics.median(latencies) * 1000:>10.1f} {p95:>8.1f} {'':>22}")
        with scratch(kind, args.postgres) as url, tempfile.TemporaryDirectory() as folder:
            try:
                elapsed, size = timed_backup(url, args.annotations, Path(folder))
                other = f"{size / 1e6:.1f} MB in {elapsed * 1000:.0f} ms"
            except Exception as exc:  # noqa: BLE001 - a missing pg_dump is a row, not a crash
                other = f"failed: {exc}"[:22]
            print(f"{kind:<11} {f'backup, {args.annotations:,} annotations':<26} {'':>10} {'':>10} {'':>8} {other:>22}")


if __name__ == "__main__":
    main()
