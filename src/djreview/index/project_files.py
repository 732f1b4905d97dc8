"""The project's files besides its Python modules that the index must see for DJR201: the
templates, which may read a default reverse accessor (`{{ author.book_set.count }}`), and the
packaging files that say whether the project is a library other code installs (renaming a
reverse accessor then breaks code the index cannot see).

Templates are read as text, never rendered. The walk skips what discovery skips (VCS and
cache folders, virtualenvs, build output, `exclude` patterns, git-ignored folders) and
reuses the folder listings discovery made.
"""

from __future__ import annotations

import configparser
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field

from djreview.cache.listings import ListingCache
from djreview.discovery import SKIP_DIRS, _Skips, display_path
from djreview.index.uses import accessor_uses
from djreview.paths import PathRules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TEMPLATE_FOLDERS = frozenset({"templates", "jinja2"})  # Django's and its Jinja2 backend's
TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".jinja", ".jinja2", ".j2")
MAX_BYTES = 2_000_000  # a bigger "template" is generated output, not something code renders
_SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([^"']+)["']""")
_PROJECT_TABLE = re.compile(r"^\s*\[project\]", re.MULTILINE)


@dataclass
class ProjectFiles:
    # "book_set" -> the (display path, line) of its uses in templates
    template_uses: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # (absolute project root, distribution name) of each root that is a distributed package
    packages: tuple[tuple[str, str], ...] = ()

    def digest(self) -> str:
        """Changes whenever an answer drawn from these files may change (for the findings
        cache's fingerprint of the project)."""
        text = repr((sorted(self.template_uses.items()), self.packages))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def package_of(self, path: str) -> str | None:
        """The distribution name of the distributed package `path` (a display path) is in."""
        full = os.path.abspath(path)
        for root, name in self.packages:
            if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
                return name
        return None


def scan(roots: list[str], rules: PathRules | None = None, listings: ListingCache | None = None) -> ProjectFiles:
    """The templates and packaging of the projects at `roots` (absolute folders)."""
    found = ProjectFiles()
    packages = []
    for root in roots:
        name = distribution_name(root)
        if name is not None:
            packages.append((root, name))
        for path in _templates(root, rules, listings if listings is not None else ListingCache()):
            text = _read(path)
            if text is None:
                continue
            display = display_path(path)
            for accessor, lines in accessor_uses(text).items():
                found.template_uses.setdefault(accessor, []).extend((display, line) for line in lines)
    found.packages = tuple(packages)
    return found


def _templates(top: str, rules: PathRules | None, listings: ListingCache):
    """Template files under `top`: files with a template suffix below a templates/ folder."""
    skipped = _Skips(rules)
    stack = [(top, False)]
    while stack:
        folder, in_templates = stack.pop()
        listed = listings.listing(folder)
        if listed is None:
            continue
        subfolders, filenames = listed
        if "pyvenv.cfg" in filenames and folder != top:
            continue  # a virtualenv
        for d in subfolders:
            full = os.path.join(folder, d)
            if d in SKIP_DIRS or d.endswith(".egg-info") or skipped(full, True):
                continue
            stack.append((full, in_templates or d in TEMPLATE_FOLDERS))
        if in_templates:
            for name in filenames:
                full = os.path.join(folder, name)
                if name.endswith(TEMPLATE_SUFFIXES) and not skipped(full, False):
                    yield full


def _read(path: str) -> str | None:
    """A regular file's text (never a FIFO or a device), or None."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def distribution_name(root: str) -> str | None:
    """The name under which the project at `root` is distributed (setup.py, setup.cfg's
    [metadata] name, pyproject.toml's [project] name), or None for an application. A
    pyproject.toml that says it builds no package (`[tool.poetry] package-mode = false`,
    `[tool.uv] package = false`) is an application; one that cannot be read but has a
    [project] table is taken for a package."""
    pyproject = _read(os.path.join(root, "pyproject.toml"))
    if pyproject is not None:
        try:
            data = tomllib.loads(pyproject)
        except (tomllib.TOMLDecodeError, RecursionError):
            if _PROJECT_TABLE.search(pyproject):
                return "pyproject.toml"
        else:
            tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
            if _get(tool, "poetry", "package-mode") is False or _get(tool, "uv", "package") is False:
                return None
            name = _get(data, "project", "name")
            if isinstance(name, str) and name:
                return name
    setup_cfg = _read(os.path.join(root, "setup.cfg"))
    if setup_cfg is not None:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(setup_cfg)
            name = parser.get("metadata", "name", fallback=None)
        except configparser.Error:
            name = None
        if name:
            return name.strip()
    setup_py = _read(os.path.join(root, "setup.py"))
    if setup_py is not None:
        match = _SETUP_NAME.search(setup_py)
        return match.group(1) if match else "setup.py"
    return None


def _get(data, *keys):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
