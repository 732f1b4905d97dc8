"""On-disk cache of each file's findings, so an unchanged file is neither parsed nor walked.

An entry is reused when the file's content digest, its display path and kinds, and the
settings that shape findings (djreview version, enabled rules, which files the rules
review) are the same, and the project index is either the very one the findings were
computed against (same fingerprint: every indexed file unchanged) or answers every question
the review asked of it the same way (see `ProjectIndex.answers_match`). Per-file ignores and
severity overrides are applied after the cache, so changing them costs no review.

"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

from djreview.cache.store import CacheFile, pack, unpack
from djreview.finding import FileResult


@dataclass
class Entry:
    digest: str  # content digest of the file the findings were computed from
    display: str
    kinds: frozenset[str]
    settings: tuple
    fingerprint: str  # of the project index the answers were last checked against
    # {question asked of the index: digest of its answer}, pickled: only a run whose index
    # changed reads them, and a warm run loads the cache three times faster without them
    answers: bytes
    result: FileResult

    def questions(self) -> dict[tuple, str] | None:
        try:
            questions = unpack(self.answers)
        except Exception:  # a damaged entry: review the file again
            return None
        return questions if isinstance(questions, dict) else None


def fingerprint(digests: list[tuple[str, str]]) -> str:
    """One digest for the whole indexed project: every file's path and content digest."""
    h = hashlib.blake2b(digest_size=16)
    for path, digest in sorted(digests):
        h.update(f"{path}\0{digest}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class FindingsCache(CacheFile):
    kind = "findings"
    entries: dict[str, Entry]

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, Entry)

    def get(self, path: Path, digest: str | None, display: str, kinds: frozenset[str], settings: tuple) -> Entry | None:
        """The entry for this exact file content and settings; its answers still need checking
        unless its fingerprint is the current one."""
        if digest is None:
            return None
        entry = self.entries.get(os.path.abspath(path))
        if entry is None or (entry.digest, entry.display, entry.kinds, entry.settings) != (
            digest,
            display,
            kinds,
            settings,
        ):
            return None
        return entry

    def confirm(self, entry: Entry, fingerprint: str) -> None:
        """The entry's answers hold for the index with this fingerprint too."""
        if entry.fingerprint != fingerprint:
            entry.fingerprint = fingerprint
            self.changed = True

    def record(
        self,
        path: Path,
        digest: str | None,
        kinds: frozenset[str],
        settings: tuple,
        fingerprint: str,
        result: FileResult,
    ) -> None:
        """Keep a fresh review of `path` (content `digest`) for the next run; a review that
        left notes (a file skipped or an internal error) is tried again instead."""
        if digest is None or result.notes:
            return
        answers = pack(result.answers)
        entry = Entry(digest, result.path, kinds, settings, fingerprint, answers, replace(result, answers={}))
        self.entries[os.path.abspath(path)] = entry
        self.changed = True
