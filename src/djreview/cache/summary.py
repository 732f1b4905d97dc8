"""What the last run learnt about the whole project, for its index fingerprint: how much the
index understood (models, classes with unresolved bases) and which installed-package files
its classes reach. A warm run reuses both without building the index."""

from __future__ import annotations

from djreview.cache.store import CacheFile


class SummaryCache(CacheFile):
    kind = "summary"
    # "counts:<fingerprint>" -> (models, unresolved classes)
    # "installed:<fingerprint>:<environment>" -> the installed-package files read
    entries: dict[str, tuple]

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, tuple)

    @staticmethod
    def still_there(path: str) -> bool:
        return True  # keyed by fingerprint, not by path

    def counts(self, fingerprint: str) -> tuple[int, int] | None:
        found = self.entries.get(f"counts:{fingerprint}")
        return found if found is not None and len(found) == 2 and all(isinstance(n, int) for n in found) else None

    def installed(self, fingerprint: str, environment: str) -> tuple[str, ...] | None:
        found = self.entries.get(f"installed:{fingerprint}:{environment}")
        return found if found is not None and all(isinstance(p, str) for p in found) else None

    def put_counts(self, fingerprint: str, counts: tuple[int, int]) -> None:
        self._put("counts:", fingerprint, counts)

    def put_installed(self, fingerprint: str, environment: str, paths: tuple[str, ...]) -> None:
        self._put("installed:", f"{fingerprint}:{environment}", paths)

    def _put(self, kind: str, key: str, value: tuple) -> None:
        if self.entries.get(kind + key) != value:
            # only the latest entry of each kind matters
            self.entries = {k: v for k, v in self.entries.items() if not k.startswith(kind)}
            self.entries[kind + key] = value
            self.changed = True
