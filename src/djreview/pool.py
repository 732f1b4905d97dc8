"""When to use a process pool, and running work through one (or in this process)."""

from __future__ import annotations

import os
import sys
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

        start = (os.getpid(), initializer, initargs)
        with ProcessPoolExecutor(processes, initializer=_start_worker, initargs=start) as pool:
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


def _start_worker(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    """A worker dies with the process that started it. Killed with SIGKILL, the main process
    cannot shut its pool down, and the workers would wait on their task queue for ever
    (each holding the index: gigabytes on a big project)."""
    _die_with_parent()
    # the process to watch: the main one, or the forkserver that started this worker for it
    watched = os.getppid()
    if watched != parent and not _alive(parent):  # it died before we asked
        os._exit(1)
    import threading

    threading.Thread(target=_watch_parent, args=(watched,), name="djreview-watchdog", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent() -> None:
    """Linux: ask the kernel for SIGKILL when the parent exits (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the watchdog still covers it


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill() there terminates: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process of that pid, or not allowed to ask
    return True


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """Everywhere: exit once the parent is gone (the worker is then adopted: another ppid)."""
    import time

    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
