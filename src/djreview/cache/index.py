"""Index facts per file, so an unchanged file is not parsed again.

An entry is reused when the file's size and mtime are unchanged, or, when they changed, its
content hash still matches. A file modified within `RACY_NS` of the moment its entry is
made is "racy" (as git and Ruff call it): a coarse file-system clock, or an editor that
restores the mtime, could hide a later edit of the same size, so its entry keeps no mtime and
the next run compares its content instead.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from djreview.cache.store import CacheFile, content_digest

RACY_NS = 2_000_000_000  # the coarsest common mtime granularity (FAT: 2 s)
UNKNOWN_MTIME = -1  # never equal to a real mtime: the content decides


def _mtime_to_keep(mtime_ns: int) -> int:
    return mtime_ns if time.time_ns() - mtime_ns > RACY_NS else UNKNOWN_MTIME


class IndexCache(CacheFile):
    kind = "index"
    entries: dict[str, tuple[int, int, str, tuple]]  # path -> (size, mtime, digest, (facts, error))

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, tuple) and len(entry) == 4

    def get(self, path: Path, display: str, limit: int = 0):
        """The cached (display, facts, error) of `path`, or None when it must be indexed; a
        file now over `limit` bytes is indexed again (and skipped there)."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if limit and st.st_size > limit:
            return None
        size, mtime, digest, (facts, error) = entry
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            try:
                if content_digest(Path(path).read_bytes()) != digest:
                    return None
            except OSError:
                return None
            kept = _mtime_to_keep(st.st_mtime_ns)
            if (size, mtime) != (st.st_size, kept):
                self.entries[key] = (st.st_size, kept, digest, (facts, error))
                self.changed = True
        if facts is not None:
            facts.path = display
        if error is not None:
            error = replace(error, path=display)
        return display, facts, error

    def put(self, path: Path, result, stamp: tuple[int, int, str] | None) -> None:
        """Keep what indexing `path` gave; `stamp` (size, mtime, digest) describes the bytes it
        read (None: the file could not be read, nothing to key on)."""
        if stamp is None:
            return
        _, facts, error = result
        size, mtime, digest = stamp
        self.entries[os.path.abspath(path)] = (size, _mtime_to_keep(mtime), digest, (facts, error))
        self.changed = True

    def digest(self, path: Path) -> str | None:
        """The content digest of `path` as last indexed (after get() or put() this run)."""
        entry = self.entries.get(os.path.abspath(path))
        return entry[2] if entry is not None else None
