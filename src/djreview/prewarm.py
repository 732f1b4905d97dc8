"""A worker that loads libcst while the main process still reads the project.

When a cached run finds a few changed files, the review of those that need a CST starts with
importing libcst: 0.2-0.4 s, as much as everything else such a run does. So a cached run forks
one child at its start, before the caches are read (a fork of a small process is cheap; once
the main process holds the index, each page it writes after a fork is copied). The child
imports libcst and the rules while the main process walks the project, reads the caches and
replays the answers; it then gets the project index and the files to review through a pipe
and sends their results back. Plain os.fork and pipes: importing multiprocessing alone costs
40 ms. Without fork (Windows, macOS), or if anything goes wrong, the main process reviews
the files itself, with the same output.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys


def available() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork")


class Prewarmed:
    def __init__(self) -> None:
        work_read, work_write = os.pipe()
        result_read, result_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(work_write)
            os.close(result_read)
            _serve(work_read, result_write)  # never returns
        os.close(work_read)
        os.close(result_write)
        self._pid: int | None = pid
        self._work = os.fdopen(work_write, "wb")
        self._results = os.fdopen(result_read, "rb")

    def review(self, index, facts, settings, jobs: list) -> list | None:
        """The FileResults of `jobs` [(path, kinds)], or None if the worker failed."""
        try:
            with self._work:
                pickle.dump((index, facts, settings, jobs), self._work, protocol=pickle.HIGHEST_PROTOCOL)
            results = pickle.load(self._results)
            return results if isinstance(results, list) and len(results) == len(jobs) else None
        except (OSError, EOFError, pickle.PickleError, AttributeError, ValueError, TypeError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)  # done, or not needed: nothing of it is kept
        os.waitpid(self._pid, 0)
        self._pid = None
        for stream in (self._work, self._results):
            with contextlib.suppress(OSError):
                stream.close()


def _serve(work_fd: int, result_fd: int) -> None:
    status = 0
    try:
        from djreview import engine
        from djreview.rule import all_rules

        all_rules()
        import libcst

        libcst.Module  # noqa: B018  (the point: libcst is loaded before the work arrives)
        import djreview.context  # noqa: F401  (and with it positions and libcst.metadata)

        with os.fdopen(work_fd, "rb") as work:
            index, facts, settings, jobs = pickle.load(work)
        engine._init_worker(index, facts, settings)
        results = [engine._review_one(job) for job in jobs]
        with os.fdopen(result_fd, "wb") as out:
            pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent sees EOF and reviews the files itself
        status = 1
    finally:
        os._exit(status)  # a forked child: no atexit handlers, no flushing of inherited buffers
