"""Find the Python files under the paths a user gave, in a deterministic order."""

from __future__ import annotations

import os
import re
from pathlib import Path

from djreview.cache.listings import ListingCache
from djreview.paths import GitIgnores, PathRules

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".djreview_cache",
        "venv",
        ".venv",
        "site-packages",
    }
)


class MissingPath(Exception):
    """A path the user named does not exist."""


# Folders whose modules only hold tests and their support code (factories, fixtures,
# helpers), and modules that do: rules that skip tests skip them too (see file_kinds).
TEST_DIRS = frozenset({"tests", "test", "testing", "test_utils", "factories", "fixtures"})
TEST_MODULES = frozenset({"tests.py", "test.py", "conftest.py", "factories.py"})  # helios-server's `test.py`
# Folders whose modules only ever hold tests or migrations.
KIND_DIRS = TEST_DIRS | {"migrations"}
# Folders of scripts an operator runs by hand.
_SCRIPT_DIRS = frozenset({"scripts", "useful_scripts", "one_off_scripts", "oneoff"})
# A suite's folder or module named for its kind, in one word: ESP-Website's `seltests/seltests.py`
# (Selenium), `unittests`, `functests`, `e2etests` (not `contests`, `latest`).
_TEST_SUITE = re.compile(r"^(sel|unit|func|functional|e2e|integration|selenium|browser|acceptance|smoke)tests?$")


class _Skips:
    """The user's exclude patterns and git's ignore files, asked about absolute paths."""

    def __init__(self, rules: PathRules | None):
        self.rules = rules
        self.git = GitIgnores() if rules is not None and rules.respect_gitignore else None

    def saw(self, folder: str, subfolders, filenames) -> None:
        """The walk listed `folder`: what git's ignore rules need to know of it."""
        if self.git is not None:
            self.git.saw(folder, subfolders, filenames)

    def __call__(self, path: str, is_dir: bool) -> bool:
        if self.rules is not None and self.rules.excludes(path, is_dir):
            return True
        return self.git is not None and self.git.ignores(path, is_dir)


def discover(
    paths: list[str],
    rules: PathRules | None = None,
    plain_only: bool = False,
    skip: frozenset[str] = frozenset(),
    listings: ListingCache | None = None,
) -> list[Path]:
    """Every .py file under `paths`, sorted, without duplicates.

    Folders are walked, skipping VCS, caches, virtualenvs, build output, and what `rules`
    exclude (patterns and .gitignore). A file named explicitly is skipped only when `rules`
    exclude it and force the exclusion (pre-commit names every file). `plain_only` also skips
    test modules and migrations below each folder walked (the index does not need them, and
    they can be thousands of files); `skip` holds absolute folders not to walk (already
    walked); `listings` may hold the folder listings of the last run.
    """
    listings = listings if listings is not None else ListingCache()
    skipped = _Skips(rules)
    # Keys: the path as written under the argument (the order uses it); values: the absolute
    # path, so that nothing downstream asks for the cwd once per file.
    found: dict[str, str] = {}
    for raw in paths:
        if not os.path.exists(raw):
            raise MissingPath(raw)
        if os.path.isfile(raw):
            full = os.path.abspath(raw)
            if not (rules is not None and rules.force_exclude and skipped(full, False)):
                found.setdefault(os.path.normpath(raw), full)
            continue
        top = os.path.abspath(raw)
        stack = [top]
        while stack:
            folder = stack.pop()
            listed = listings.listing(folder)
            if listed is None:
                continue  # unreadable: as os.walk, go on without it
            subfolders, filenames = listed
            if "pyvenv.cfg" in filenames and folder != top:  # any virtualenv, whatever its name
                continue
            skipped.saw(folder, subfolders, filenames)
            written = raw + folder[len(top) :]
            for d in subfolders:
                full = os.path.join(folder, d)
                if d in SKIP_DIRS or d.endswith(".egg-info") or (plain_only and d in KIND_DIRS):
                    continue
                if not (skip and full in skip) and not skipped(full, True):
                    stack.append(full)
            for name in filenames:
                if not name.endswith(".py") or (plain_only and file_kinds(name)):
                    continue
                full = os.path.join(folder, name)
                if not skipped(full, False):
                    found.setdefault(os.path.normpath(os.path.join(written, name)), full)
    return [Path(found[key]) for key in sorted(found)]


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


def display_path(path: Path | str) -> str:
    """The path as the user would type it: relative to the cwd when under it."""
    full, cwd = os.path.abspath(path), os.getcwd()
    prefix = cwd.rstrip(os.sep) + os.sep
    if full.startswith(prefix):  # the common case, without relpath's cost on 1,000 files
        return full[len(prefix) :].replace(os.sep, "/")
    try:
        rel = os.path.relpath(full, cwd)
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
    return Path(path).as_posix() if rel.startswith("..") else Path(rel).as_posix()


def file_kinds(display: str) -> frozenset[str]:
    """What kind of Django module a path is: rules skip kinds they do not concern."""
    parts = display.split("/")
    name = parts[-1]
    kinds = set()
    if "migrations" in parts[:-1]:
        kinds.add("migrations")
    if (
        name.startswith(("test_", "tests_"))  # `tests_vector.py` (geonode), as `test_views.py`
        or name.endswith("_tests.py")
        or (name.endswith("_test.py") and "migrations" not in parts[:-1])  # pytest's *_test.py; not `0002_test.py`
        or name in TEST_MODULES
        or _TEST_SUITE.match(name.removesuffix(".py"))
        or any(p in TEST_DIRS or _TEST_SUITE.match(p) for p in parts[:-1])
    ):
        kinds.add("tests")
    if "commands" in parts[:-1] and "management" in parts[:-2]:
        kinds.add("commands")  # management commands: one-off scripts, reviewed by some rules only
    elif "migrations" not in kinds and (
        not name.removesuffix(".py").isidentifier() or any(p in _SCRIPT_DIRS for p in parts[:-1])
    ):
        # a file no import can name (ESP-Website's `change-capacities-move-rooms-june-2013.py`)
        # or one kept with scripts: run by hand from the shell, as a management command is
        kinds.add("commands")
    return frozenset(kinds)


def default_cache_folder(path: Path) -> Path:
    """The cache folder for a run on `path`: `.djreview_cache` at the root of its project, or
    in the current directory when no project marker (manage.py, pyproject.toml, setup.cfg,
    setup.py, .git) is found above it."""
    from djreview.cache import FOLDER

    root = project_root(path) if path.exists() else Path.cwd()
    if not any((root / marker).exists() for marker in ROOT_MARKERS):
        root = Path.cwd()
    return root / FOLDER
