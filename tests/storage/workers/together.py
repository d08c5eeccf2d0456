"""Runs worker scripts so that they start work at the same instant: each prints "ready" once its imports
are done and waits for a line on stdin; all get "go" together; each ends by printing one JSON line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def start_ready(script: Path, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(script), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        raise AssertionError(f"{script.name} did not start: {proc.communicate()[1]}")
    return proc


def go(procs: list[subprocess.Popen[str]]) -> None:
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"worker failed ({proc.returncode}): {err}")
    return json.loads(out)


def run_together(script: Path, argument_lists: list[list[str]]) -> list[dict[str, Any]]:
    procs = [start_ready(script, *args) for args in argument_lists]
    go(procs)
    return [finish(proc) for proc in procs]
