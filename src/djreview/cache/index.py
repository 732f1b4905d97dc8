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

from djreview.cache.store import CacheFile, content_digest, pack, unpack

RACY_NS = 2_000_000_000  # the coarsest common mtime granularity (FAT: 2 s)
UNKNOWN_MTIME = -1  # never equal to a real mtime: the content decides


def _mtime_to_keep(mtime_ns: int) -> int:
    return mtime_ns if time.time_ns() - mtime_ns > RACY_NS else UNKNOWN_MTIME


class CachedFacts:
    """A file's index facts as the cache keeps them: serialised until something reads them.
    A warm run whose findings all still hold never builds the project index, so it never
    unpickles the facts of a project file (on pretix that was half of a warm run's time)."""

    __slots__ = ("_blob", "_path", "_facts")

    def __init__(self, blob: bytes, path: str):
        object.__setattr__(self, "_blob", blob)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_facts", None)

    def _load(self):
        facts = self._facts
        if facts is None:
            facts = unpack(self._blob)
            facts.path = self._path  # the display path of this run (the cache keys on absolute paths)
            object.__setattr__(self, "_facts", facts)
        return facts

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy and pickle probing for hooks: not the facts' business
            raise AttributeError(name)
        return getattr(self._load(), name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._load(), name, value)

    def __reduce__(self):
        """Sent to a spawned worker (macOS and Windows start their pools so) as what it is:
        still serialised, or the facts themselves once read (and maybe changed)."""
        if self._facts is None:
            return (CachedFacts, (self._blob, self._path))
        return (_itself, (self._facts,))


def _itself(value):
    return value


class IndexCache(CacheFile):
    kind = "index"
    # path -> (size, mtime, digest, (pickled facts or None, error))
    entries: dict[str, tuple[int, int, str, tuple]]

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
        size, mtime, digest, (blob, error) = entry
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            try:
                if content_digest(Path(path).read_bytes()) != digest:
                    return None
            except OSError:
                return None
            kept = _mtime_to_keep(st.st_mtime_ns)
            if (size, mtime) != (st.st_size, kept):
                self.entries[key] = (st.st_size, kept, digest, (blob, error))
                self.changed = True
        facts = CachedFacts(blob, display) if blob is not None else None
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
        blob = pack(facts) if facts is not None else None
        self.entries[os.path.abspath(path)] = (size, _mtime_to_keep(mtime), digest, (blob, error))
        self.changed = True

    def digest(self, path: Path) -> str | None:
        """The content digest of `path` as last indexed (after get() or put() this run)."""
        entry = self.entries.get(os.path.abspath(path))
        return entry[2] if entry is not None else None
