"""The project's files besides the Python modules it indexed that the index must see for
DJR201: the templates, which may read a default reverse accessor (`{{ author.book_set.count }}`),
the test modules a partial run does not index (a run on one app, pre-commit naming a few
files, the editor), whose uses a rename would break too, and the packaging files that say
whether the project is a library other code installs (renaming a reverse accessor then breaks
code the index cannot see).

Templates are read as text, never rendered. The walk skips what discovery skips (VCS and
cache folders, virtualenvs, build output, `exclude` patterns, git-ignored folders) and
reuses the folder listings discovery made.
"""

from __future__ import annotations

import configparser
import contextlib
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field

from djreview.cache.listings import ListingCache
from djreview.discovery import SKIP_DIRS, _Skips, display_path, file_kinds
from djreview.index.uses import accessor_uses, query_uses
from djreview.paths import PathRules
from djreview.templates.dirs import is_settings, template_dirs
from djreview.templates.lexer import Template, parse
from djreview.templates.names import by_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TEMPLATE_FOLDERS = frozenset({"templates", "jinja2"})  # Django's and its Jinja2 backend's
TEMPLATE_SUFFIXES = (".html", ".htm", ".txt", ".xml", ".jinja", ".jinja2", ".j2")
MAX_BYTES = 2_000_000  # a bigger "template" is generated output, not something code renders
_SETUP_NAME = re.compile(r"""\bname\s*=\s*["']([^"']+)["']""")
_PROJECT_TABLE = re.compile(r"^\s*\[project\]", re.MULTILINE)
_METADATA_NAME = re.compile(r"^Name:\s*(\S+)", re.MULTILINE)  # core metadata (PKG-INFO, METADATA)


@dataclass
class ProjectFiles:
    # templates: (absolute path, size, mtime in ns), read only when DJR201 first asks (a warm
    # run with nothing to re-review never reads them)
    templates: tuple[tuple[str, int, int], ...] = ()
    # (absolute project root, distribution name) of each root that is a distributed package
    packages: tuple[tuple[str, str], ...] = ()
    # test modules the run did not index: (absolute path, size, mtime in ns), read only when
    # DJR201 first asks (a run whose models all have a related_name never reads them)
    unindexed: tuple[tuple[str, int, int], ...] = ()
    _python_uses: tuple[dict, dict] | None = None
    _template_uses: dict[str, list[tuple[str, int]]] | None = None
    _template_paths: dict[str, str | None] | None = None  # template name -> file, built when asked
    _parsed: dict[str, Template | None] = field(default_factory=dict)  # file -> its template
    # folders TEMPLATES["DIRS"] names (templates/dirs.py): their templates are named from them
    template_roots: tuple[str, ...] = ()

    def digest(self) -> str:
        """Changes whenever an answer drawn from these files may change (for the findings
        cache's fingerprint of the project)."""
        text = repr((self.templates, self.packages, self.unindexed, self.template_roots))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def template_uses(self) -> dict[str, list[tuple[str, int]]]:
        """ "book_set" -> the (display path, line) of its uses in templates."""
        if self._template_uses is None:
            self._template_uses = {}
            for path, _, _ in self.templates:
                text = _read(path)
                if text is None:
                    continue
                display = display_path(path)
                for accessor, lines in accessor_uses(text).items():
                    self._template_uses.setdefault(accessor, []).extend((display, line) for line in lines)
        return self._template_uses

    def template(self, name: str) -> Template | None:
        """The template views call `name` ("catalog/book_list.html"), read with Django's
        template grammar; None when no file, or more than one, has that name."""
        if self._template_paths is None:
            self._template_paths = by_name((path for path, _, _ in self.templates), self.template_roots)
        path = self._template_paths.get(name)
        if path is None:
            return None
        if path not in self._parsed:
            text = _read(path)
            self._parsed[path] = parse(text, display_path(path)) if text is not None else None
        return self._parsed[path]

    def python_uses(self) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]:
        """The accessor and query-name uses in the unindexed test modules (name -> places)."""
        if self._python_uses is None:
            accessors: dict[str, list[tuple[str, int]]] = {}
            queries: dict[str, list[tuple[str, int]]] = {}
            for path, _, _ in self.unindexed:
                text = _read(path)
                if text is None:
                    continue
                display = display_path(path)
                for found, into in ((accessor_uses(text), accessors), (query_uses(text), queries)):
                    for name, lines in found.items():
                        into.setdefault(name, []).extend((display, line) for line in lines)
            self._python_uses = (accessors, queries)
        return self._python_uses

    def package_of(self, path: str) -> str | None:
        """The distribution name of the distributed package `path` (a display path) is in."""
        full = os.path.realpath(path)  # the roots are resolved paths
        for root, name in self.packages:
            if full == root or full.startswith(root.rstrip(os.sep) + os.sep):
                return name
        return None


def scan(
    roots: list[str],
    rules: PathRules | None = None,
    listings: ListingCache | None = None,
    indexed: set[str] | None = None,
) -> ProjectFiles:
    """The templates, packaging and unindexed test modules of the projects at `roots`
    (absolute folders); `indexed` holds the absolute paths of the Python files indexed."""
    found = ProjectFiles()
    packages: list[tuple[str, str]] = []
    unindexed: list[tuple[str, int, int]] = []
    templates: list[tuple[str, int, int]] = []
    indexed = indexed or set()
    real: set[str] | None = None  # the indexed paths with links resolved, made when needed
    for root in roots:
        name = distribution_name(root)
        if name is not None:
            packages.append((root, name))
        listed = listings if listings is not None else ListingCache()
        for path, is_template in _walk(root, rules, listed):
            if not is_template:
                if path in indexed:
                    continue
                if real is None:  # roots are resolved paths, discovery's are not
                    real = {os.path.realpath(p) for p in indexed}
                if os.path.realpath(path) in real:
                    continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            (templates if is_template else unindexed).append((path, st.st_size, st.st_mtime_ns))
        listed_templates = {path for path, _, _ in templates}
        for folder in _settings_dirs(root, indexed):  # TEMPLATES["DIRS"] folders named otherwise
            found.template_roots += (folder,)
            for path, is_template in _walk(folder, rules, listed, in_templates=True):
                if is_template and path not in listed_templates:
                    with contextlib.suppress(OSError):
                        st = os.stat(path)
                        templates.append((path, st.st_size, st.st_mtime_ns))
                        listed_templates.add(path)
    found.packages, found.unindexed, found.templates = (
        tuple(packages),
        tuple(sorted(unindexed)),
        tuple(sorted(templates)),
    )
    return found


def _settings_dirs(root: str, indexed: set[str]) -> list[str]:
    """The folders the settings modules under `root` name in TEMPLATES["DIRS"]."""
    prefix = root.rstrip(os.sep) + os.sep
    settings = [p for p in indexed if is_settings(p) and os.path.realpath(p).startswith(prefix)]
    texts = [(p, text) for p in sorted(settings) if (text := _read(p)) is not None and "DIRS" in text]
    return template_dirs(texts, root) if texts else []


def _walk(top: str, rules: PathRules | None, listings: ListingCache, in_templates: bool = False):
    """(path, True) for each template under `top` (a file with a template suffix below a
    templates/ folder, or anywhere below `top` when `in_templates`), (path, False) for each
    test module (migrations run on historical models: a rename does not concern them)."""
    skipped = _Skips(rules)
    stack = [(top, in_templates)]
    while stack:
        folder, in_templates = stack.pop()
        listed = listings.listing(folder)
        if listed is None:
            continue
        subfolders, filenames = listed
        if "pyvenv.cfg" in filenames and folder != top:
            continue  # a virtualenv
        skipped.saw(folder, subfolders, filenames)
        for d in subfolders:
            full = os.path.join(folder, d)
            if d in SKIP_DIRS or d.endswith(".egg-info") or skipped(full, True):
                continue
            stack.append((full, in_templates or d in TEMPLATE_FOLDERS))
        for name in filenames:
            if in_templates and name.endswith(TEMPLATE_SUFFIXES):
                is_template = True
            elif name.endswith(".py"):
                kinds = file_kinds(os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/"))
                if "tests" not in kinds or "migrations" in kinds:
                    continue
                is_template = False
            else:
                continue
            full = os.path.join(folder, name)
            if not skipped(full, False):
                yield full, is_template


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
    [metadata] name, pyproject.toml's [project] name, or the core metadata of an unpacked
    sdist or wheel: PKG-INFO, *.dist-info/METADATA), or None for an application. A
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
    return _unpacked_distribution(root)


def _unpacked_distribution(root: str) -> str | None:
    """The name in the core metadata of a distribution unpacked at `root`."""
    candidates = [os.path.join(root, "PKG-INFO")]
    with contextlib.suppress(OSError):  # an unreadable root: no metadata to read
        candidates += [os.path.join(root, n, "METADATA") for n in os.listdir(root) if n.endswith(".dist-info")]
    for path in candidates:
        text = _read(path)
        match = _METADATA_NAME.search(text) if text is not None else None
        if match:
            return match.group(1)
    return None


def _get(data, *keys):
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
