"""One store for every cache file: authenticated pickles, written atomically.

A cache file is `MAGIC`, a keyed BLAKE2b MAC of the rest (made with the per-user key from
`key.py`, over the file's kind and its payload), then a pickle of
`{"version": code_version(), "entries": {...}}`. The MAC is checked before anything is
unpickled, so a planted file is only ever read as bytes. A missing, foreign, corrupt or
unauthenticated file, or entries of the wrong shape, give an empty cache that the run
rebuilds; the reason is kept for `--verbose`. Writes go to a temporary file that replaces
the old one, so a crash never leaves half a cache. The folder and every file in it must be
real (no symbolic link, FIFO or device) and the user's own, or no cache is used at all.

Why pickle: measured on Django's source, a warm run loads about 2 MB of cached facts and
findings; pickle reads them several times faster than JSON, and the MAC costs a few ms.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import pickle
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from djreview import __version__
from djreview.cache.key import user_key

MAGIC = b"djreview-cache-v1\n"
MAC_BYTES = 32

# Why the caches read nothing, for --verbose: one line per cache file rejected this run.
rejected: list[str] = []


def code_version() -> str:
    """djreview's version plus a digest of its own modules' sizes and mtimes: a cache written
    by other code (a development checkout, a reinstall of the same version) is not reused."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        package = Path(__file__).parent.parent
        h = hashlib.blake2b(digest_size=8)
        for module in sorted(package.rglob("*.py")):
            st = module.stat()
            h.update(f"{module.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        _CODE_VERSION = f"{__version__}+{h.hexdigest()}"
    return _CODE_VERSION


_CODE_VERSION: str | None = None


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _mac(key: bytes, kind: str, payload: bytes) -> bytes:
    h = hashlib.blake2b(key=key, digest_size=MAC_BYTES)
    h.update(kind.encode() + b"\0")
    h.update(payload)
    return h.digest()


def file_for(folder: Path, kind: str) -> Path:
    return folder / f"{kind}-{__version__}.pickle"


def read(folder: Path | None, kind: str, valid: Callable[[Any], bool]) -> dict:
    """The entries of the `kind` cache file in `folder` if this user's djreview wrote it with
    this very code and every entry passes `valid`; otherwise {}."""
    if folder is None:
        return {}
    problem = folder_problem(folder)
    if problem is not None:
        return _reject_folder(folder, problem)
    target = file_for(folder, kind)
    try:
        data = _read_regular(target)
    except FileNotFoundError:
        return {}
    except _NotRegular as exc:
        return _reject(target, str(exc))
    except OSError as exc:
        return _reject(target, f"unreadable ({exc.strerror or exc})")
    key = user_key()
    if key is None:
        return _reject(target, "no private key to check it with (see the README's Security section)")
    head, tag, payload = data[: len(MAGIC)], data[len(MAGIC) : len(MAGIC) + MAC_BYTES], data[len(MAGIC) + MAC_BYTES :]
    if head != MAGIC or not hmac.compare_digest(tag, _mac(key, kind, payload)):
        return _reject(target, "not written by this user's djreview (authentication failed)")
    try:
        content = _unpickle(payload)
    except Exception as exc:  # authentic but unreadable: written by other code
        return _reject(target, f"unreadable ({type(exc).__name__})")
    if not isinstance(content, dict) or content.get("version") != code_version():
        return _reject(target, "written by another version of djreview")
    entries = content.get("entries")
    if not isinstance(entries, dict) or not all(valid(e) for e in entries.values()):
        return _reject(target, "entries of an unexpected shape")
    return entries


def _reject(target: Path, why: str) -> dict:
    rejected.append(f"ignored cache file {target}: {why}; it will be rebuilt")
    return {}


def _reject_folder(folder: Path, why: str) -> dict:
    line = f"ignored cache folder {folder}: {why}; running without a cache"
    if line not in rejected:  # each cache file asks: say it once
        rejected.append(line)
    return {}


# -- the folder and its files are real, and the user's own ---------------------------------
# A repository can commit `.djreview_cache` as a symbolic link (or fill it with links, a FIFO,
# files of another owner): following one would make djreview read or write outside the
# repository, or hang. Such a folder is not used at all.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_BINARY = getattr(os, "O_BINARY", 0)
FILE_MODE, FOLDER_MODE = 0o600, 0o700


class _NotRegular(OSError):
    pass


def _foreign(st: os.stat_result) -> bool:
    return hasattr(os, "getuid") and st.st_uid != os.getuid()


def folder_problem(folder: Path) -> str | None:
    """Why the cache folder must not be used, or None (a missing one is made when written)."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if _foreign(st):
        return "it belongs to another user"
    if hasattr(os, "getuid") and st.st_mode & 0o002:  # group-writable is a umask 002 habit
        return "anyone can write into it"
    try:
        for name in os.listdir(folder):  # a handful of files
            est = os.lstat(os.path.join(folder, name))
            if stat.S_ISLNK(est.st_mode):
                return f"it holds a symbolic link ({name})"
            if not stat.S_ISREG(est.st_mode):
                return f"it holds {name}, which is not a regular file"
            if _foreign(est):
                return f"it holds {name}, which belongs to another user"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


def _read_regular(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file of this user's; never follows a link, and
    never waits on a FIFO."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular("not a regular file")
        if _foreign(st):
            raise _NotRegular("it belongs to another user")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def _create(path: Path, data: bytes) -> None:
    """Write `data` to a new file `path` (mode 0600); fails if anything is already there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _unpickle(payload: bytes) -> Any:
    """pickle.loads without the cyclic collector, which would otherwise scan the growing heap
    again and again while a cache of 100,000 objects is built (a quarter of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if enabled:
            gc.enable()


def write(folder: Path, kind: str, entries: dict) -> None:
    """Write the `kind` cache file atomically (a temporary file in the same folder, renamed),
    creating the cache folder with a .gitignore that keeps it out of version control."""
    key = user_key()
    if key is None:
        return  # nothing could read it back
    payload = pickle.dumps({"version": code_version(), "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL)
    target = file_for(folder, kind)
    try:
        if not os.path.lexists(folder):
            folder.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another djreview made it just now
                os.mkdir(folder, FOLDER_MODE)
        if folder_problem(folder) is not None:
            return  # never write through a link or into a folder others control
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):
            with contextlib.suppress(FileExistsError):  # another djreview made it just now
                _create(ignore, b"# created by djreview\n*\n")
        tmp = folder / f".{target.stem}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            _create(tmp, MAGIC + _mac(key, kind, payload) + payload)
            os.replace(tmp, target)  # replaces a name: never writes through a link there
        except BaseException:
            if os.path.lexists(tmp):
                os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only project still gets its review, just not a cache


def pack(value: Any) -> bytes:
    """Part of an entry kept serialised until needed (it travels inside an authenticated file)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Any:
    """A part made by `pack`, read from an entry of a file `read` authenticated."""
    return pickle.loads(blob)


class CacheFile:
    """The entries of one cache file, keyed by absolute path; saved only when changed, without
    the entries whose path is gone."""

    kind: str

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.entries: dict[str, Any] = read(folder, self.kind, self.valid)
        self.changed = False

    @staticmethod
    def valid(entry: Any) -> bool:
        raise NotImplementedError

    @staticmethod
    def still_there(path: str) -> bool:
        return os.path.exists(path)

    def save(self) -> None:
        if self.changed and self.folder is not None:
            self.entries = {path: e for path, e in self.entries.items() if self.still_there(path)}
            write(self.folder, self.kind, self.entries)
            self.changed = False
