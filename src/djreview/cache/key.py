"""The per-user key that authenticates cache files.

A repository can ship a `.djreview_cache/` folder (a `.gitignore` does not stop `git add -f`),
and cache files are pickles: unpickling a planted one would run its code. So each cache file
carries a MAC made with a random key that lives in the user's own cache directory, outside
every repository, readable by the user alone. A file whose MAC does not check is never
unpickled. No usable key (an unwritable home, a key file others can read) means no cache.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

KEY_BYTES = 32
_KEY: bytes | None = None
_LOADED = False


def key_path() -> Path:
    """`$XDG_CACHE_HOME/djreview/cache-key`, else the platform's per-user cache folder."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    if not base:
        home = Path.home()
        base = str(home / "Library" / "Caches") if sys.platform == "darwin" else str(home / ".cache")
    return Path(base) / "djreview" / "cache-key"


def user_key() -> bytes | None:
    """The user's key, created on first use; None when none can be read or made safely."""
    global _KEY, _LOADED
    if not _LOADED:
        _KEY, _LOADED = _load_or_create(key_path()), True
    return _KEY


def forget() -> None:
    """Read the key again on next use (tests point XDG_CACHE_HOME elsewhere)."""
    global _KEY, _LOADED
    _KEY, _LOADED = None, False


def _load_or_create(path: Path) -> bytes | None:
    key = _read(path)
    if key is not None:
        return key
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # written whole under a temporary name, then linked: a second djreview starting at
        # the same moment sees either no key or the complete one, and link() never replaces
        tmp = path.with_name(f".{path.name}-{os.getpid()}-{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won the race: use its key
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    except OSError:
        return None
    return _read(path)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            return None  # someone else's key, or one others can read: not a secret
        key = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None
