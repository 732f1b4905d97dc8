"""Find the Python files under the paths a user gave, in a deterministic order."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "__pycache__", "node_modules", "build", "dist", ".tox", ".nox",
        ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".djreview_cache", "venv",
        ".venv", "site-packages",
    }
)


class MissingPath(Exception):
    """A path the user named does not exist."""


def _skipped_dir(path: Path, exclude: tuple[str, ...]) -> bool:
    if path.name in SKIP_DIRS or path.name.endswith(".egg-info"):
        return True
    if (path / "pyvenv.cfg").exists():  # any virtualenv, whatever its name
        return True
    return _excluded(path, exclude)


def _excluded(path: Path, exclude: tuple[str, ...]) -> bool:
    text = path.as_posix()
    return any(fnmatch.fnmatch(text, pat) or fnmatch.fnmatch(path.name, pat) for pat in exclude)


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> list[Path]:
    """Every .py file under `paths`, sorted, without duplicates.

    A file named explicitly is always included; folders are walked, skipping VCS, caches,
    virtualenvs and build output.
    """
    found: dict[str, Path] = {}
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise MissingPath(raw)
        if root.is_file():
            found.setdefault(os.path.normpath(str(root)), root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not _skipped_dir(base / d, exclude))
            for name in filenames:
                if name.endswith(".py"):
                    path = base / name
                    if not _excluded(path, exclude):
                        found.setdefault(os.path.normpath(str(path)), path)
    return [found[key] for key in sorted(found)]


ROOT_MARKERS = ("manage.py", "pyproject.toml", "setup.cfg", "setup.py", ".git")


def project_root(path: Path) -> Path:
    """The project a path belongs to: the nearest folder holding manage.py, pyproject.toml,
    setup.cfg, setup.py or .git; the path itself (or its folder) when there is none."""
    start = path.resolve()
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return start


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the cwd when under it."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.getcwd())
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def file_kinds(display: str) -> frozenset[str]:
    """What kind of Django module a path is: rules skip kinds they do not concern."""
    parts = display.split("/")
    name = parts[-1]
    kinds = set()
    if "migrations" in parts[:-1]:
        kinds.add("migrations")
    if (
        name.startswith("test_")
        or name.endswith("_tests.py")
        or name == "tests.py"
        or name == "conftest.py"
        or any(p in ("tests", "test") for p in parts[:-1])
    ):
        kinds.add("tests")
    return frozenset(kinds)
