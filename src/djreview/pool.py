"""When to use a process pool, and running work through one (or in this process)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

POOL_THRESHOLD = 48  # below this many files a pool costs more than it saves
POOL_BYTES = 400_000  # ... unless they hold this much source (about 10,000 lines)


def worker_count(requested: int, files: int) -> int:
    """Processes for `files` files: one for a small project, else `requested` (0: one per core)."""
    if files < POOL_THRESHOLD:
        return 1
    return requested or os.cpu_count() or 1


def map_in(
    processes: int,
    func: Callable,
    items: list,
    chunk: int,
    initializer: Callable | None = None,
    initargs: tuple = (),
    on_done: Callable[[], None] | None = None,
) -> list[Any]:
    """`[func(item) for item in items]`, in a pool of `processes` when more than one; each
    process (this one included) runs `initializer(*initargs)` first. `on_done()` is called
    as each result arrives (a progress display counts them)."""
    if processes > 1:
        from concurrent.futures import ProcessPoolExecutor  # 35 ms of imports: only for a pool

        with ProcessPoolExecutor(processes, initializer=initializer, initargs=initargs) as pool:
            return _collect(pool.map(func, items, chunksize=chunk), on_done)
    if initializer is not None:
        initializer(*initargs)
    return _collect((func(item) for item in items), on_done)


def _collect(results, on_done: Callable[[], None] | None) -> list[Any]:
    if on_done is None:
        return list(results)
    out = []
    for result in results:
        out.append(result)
        on_done()
    return out


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
