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
) -> list[Any]:
    """`[func(item) for item in items]`, in a pool of `processes` when more than one; each
    process (this one included) runs `initializer(*initargs)` first."""
    if processes > 1:
        from concurrent.futures import ProcessPoolExecutor  # 35 ms of imports: only for a pool

        with ProcessPoolExecutor(processes, initializer=initializer, initargs=initargs) as pool:
            return list(pool.map(func, items, chunksize=chunk))
    if initializer is not None:
        initializer(*initargs)
    return [func(item) for item in items]


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
