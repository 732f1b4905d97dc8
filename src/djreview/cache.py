"""On-disk cache of index facts, per file, so an unchanged file is not parsed again.

One pickle per djreview version under `.djreview_cache/` at the project root. An entry is
reused when the file's size and mtime are unchanged, or, when they changed, its content hash
still matches. A corrupt, unreadable or foreign-version cache is ignored and rebuilt; writes
go to a temporary file that replaces the old one, so a crash never leaves half a cache.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path

from djreview import __version__

FOLDER = ".djreview_cache"


def code_version() -> str:
    """djreview's version plus a digest of its own modules' sizes and mtimes: a cache written
    by other code (a development checkout, a reinstall of the same version) is not reused."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        package = Path(__file__).parent
        h = hashlib.blake2b(digest_size=8)
        for module in sorted(package.rglob("*.py")):
            st = module.stat()
            h.update(f"{module.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        _CODE_VERSION = f"{__version__}+{h.hexdigest()}"
    return _CODE_VERSION


_CODE_VERSION: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class IndexCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / f"index-{__version__}.pickle"
        self.entries: dict[str, tuple[int, int, str, tuple]] = read_entries(
            self.file, lambda e: isinstance(e, tuple) and len(e) == 4
        )
        self.changed = False

    def get(self, path: Path, display: str):
        """The cached (display, facts, error) of `path`, or None when it must be indexed."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        size, mtime, digest, (facts, error) = entry
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            try:
                if _digest(Path(path).read_bytes()) != digest:
                    return None
            except OSError:
                return None
            self.entries[key] = (st.st_size, st.st_mtime_ns, digest, (facts, error))
            self.changed = True
        if facts is not None:
            facts.path = display
        if error is not None:
            error = replace(error, path=display)
        return display, facts, error

    def put(self, path: Path, result) -> None:
        try:
            st = os.stat(path)
            digest = _digest(Path(path).read_bytes())
        except OSError:
            return
        _, facts, error = result
        self.entries[os.path.abspath(path)] = (st.st_size, st.st_mtime_ns, digest, (facts, error))
        self.changed = True

    def digest(self, path: Path) -> str | None:
        """The content digest of `path` as last indexed (after get() or put() this run)."""
        entry = self.entries.get(os.path.abspath(path))
        return entry[2] if entry is not None else None

    def save(self) -> None:
        if self.changed:
            # files deleted since they were cached would otherwise stay in the cache for ever
            self.entries = {path: e for path, e in self.entries.items() if os.path.exists(path)}
            write_pickle(self.folder, self.file, {"version": code_version(), "entries": self.entries})


def read_entries(target: Path, valid) -> dict:
    """The entries of a cache file written by this very code, or {} for a missing, corrupt
    or foreign one (rebuilt, never a crash)."""
    try:
        with open(target, "rb") as handle:
            data = _load(handle)
        if isinstance(data, dict) and data.get("version") == code_version():
            entries = data["entries"]
            if isinstance(entries, dict) and all(valid(e) for e in entries.values()):
                return entries
    except Exception:
        pass
    return {}


def _load(handle):
    """pickle.load without the cyclic collector, which would otherwise scan the growing heap
    again and again while a cache of 100,000 objects is built (a quarter of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()


def write_pickle(folder: Path, target: Path, data) -> None:
    """Write `data` to `target` atomically (a temporary file in the same folder, renamed),
    creating the cache folder with a .gitignore that keeps it out of version control."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by djreview\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only project still gets its review, just not a cache
