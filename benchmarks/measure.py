"""Run a snippet in a fresh Python process and report its wall time and peak memory.

Every measurement gets its own process so that imports, caches and memory are counted honestly. The
snippet sets `result` (a dict) and the time between `# start` and the end of the snippet is measured;
peak memory is the process's maximum resident set size beyond what it held after the imports (and,
for snippets that start worker processes, the largest worker's maximum). CPU time (user + system, of
every thread and of finished worker processes) is reported too: on a machine shared with other
processes, wall times vary between identical runs far more than CPU times do.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

WRAPPER = """
import json, os, resource, time
{imports}
_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
_cpu = lambda: sum(x for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for x in resource.getrusage(w)[:2])
_c0 = _cpu()
_t0 = time.perf_counter()
{body}
_seconds = time.perf_counter() - _t0
_cpu_s = _cpu() - _c0
_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest worker process, if any
print("\\n__RESULT__" + json.dumps({{"seconds": _seconds, "peak_mb": _peak / 1024,
                                   "extra_mb": (_peak - _before) / 1024, "child_mb": _child / 1024,
                                   "cpu_s": _cpu_s,
                                   **(result or {{}})}}), flush=True)
os._exit(0)  # measured; skip interpreter shutdown, where an unfinished stream's reader threads can hang
"""


def run(imports: str, body: str, env: dict[str, str] | None = None) -> dict:
    code = WRAPPER.format(imports=textwrap.dedent(imports), body=textwrap.dedent(body))
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"measurement failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.rsplit("__RESULT__", 1)[1])


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {python}"


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): how much other processes competed."""
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def ratio(baseline: float, ours: float) -> str:
    return f"{baseline / ours:.1f}x" if ours > 0 else "n/a"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def store_files(store: Path) -> list[str]:
    return sorted(str(p) for p in (store / "data").glob("*/*.parquet"))
