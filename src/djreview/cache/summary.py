"""How much of the project the index understood (models, classes with unresolved bases), for
the last index fingerprint: a warm run reports it without building the index."""

from __future__ import annotations

from djreview.cache.store import CacheFile


class SummaryCache(CacheFile):
    kind = "summary"
    entries: dict[str, tuple[int, int]]  # index fingerprint -> (models, unresolved classes)

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(n, int) for n in entry)

    @staticmethod
    def still_there(path: str) -> bool:
        return True  # keyed by fingerprint, not by path

    def put(self, fingerprint: str, counts: tuple[int, int]) -> None:
        if self.entries.get(fingerprint) != counts:
            self.entries = {fingerprint: counts}  # only the latest index matters
            self.changed = True
