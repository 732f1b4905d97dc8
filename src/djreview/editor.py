"""One file at a time, for editors (the flake8 plugin): the file's text, maybe an unsaved
buffer, reviewed with the index of the whole project it belongs to.

The project's facts are loaded once per process (from the cache when there is one). When the
text is the file as saved, findings cached by an earlier run are reused, and the review is
cached for the next one.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from djreview import worker
from djreview.cache.findings import FindingsCache
from djreview.discovery import discover, display_path, project_root
from djreview.engine import index_files, kinds_in, sibling_migrations, still_holds
from djreview.finding import FileResult
from djreview.index.extract import extract, module_name
from djreview.index.facts import ModuleFacts
from djreview.index.project import ProjectIndex
from djreview.index.project_files import ProjectFiles, scan
from djreview.limits import skipped_note
from djreview.rule import reads_migration_history, reads_project_files
from djreview.settings import Settings
from djreview.source import load, load_text


@dataclass
class _Project:
    facts: dict[str, ModuleFacts]
    digests: dict[str, str]  # display path -> content digest (with a cache)
    fingerprint: str
    files: ProjectFiles | None = None  # templates and packaging, when DJR201 is enabled
    index: ProjectIndex | None = None
    findings: FindingsCache | None = None  # read once; written when the process ends

    def get_index(self) -> ProjectIndex:
        if self.index is None:
            self.index = ProjectIndex(list(self.facts.values()), self.files)
        return self.index


_PROJECTS: dict[tuple, _Project] = {}


def prepare(paths: list[Path], settings: Settings) -> None:
    """Index what `djreview PATHS` indexes, now: every Python file under `paths` (test
    modules and migrations included) and the plain modules of the rest of their projects.
    Each file flake8 then hands over is in the index as the CLI saw it, and flake8's forked
    workers inherit the index instead of each building one."""
    by_root: dict[Path, list[str]] = {}
    for path in paths:
        if path.exists():
            by_root.setdefault(project_root(path), []).append(str(path))
    for root, named in sorted(by_root.items()):
        _project(root, settings, named).get_index()


def _project(root: Path, settings: Settings, named: list[str] | None = None) -> _Project:
    """The facts of the project at `root`, loaded once per process (from the cache if any):
    its plain modules, and every file under the `named` paths."""
    key = (str(root), settings.codes, settings.paths, settings.cache_dir)
    if key not in _PROJECTS:
        from djreview.cache.listings import ListingCache

        listings = ListingCache(settings.cache_dir)
        files = discover(named, settings.paths, listings=listings) if named else []
        walked = frozenset(os.path.abspath(p) for p in named or [] if os.path.isdir(p))
        wanted = {os.path.abspath(p) for p in files}
        files += [
            p
            for p in discover([str(root)], settings.paths, plain_only=True, skip=walked, listings=listings)
            if os.path.abspath(p) not in wanted
        ]
        if files and reads_migration_history(settings.codes):  # a migration named: its app's history
            files += sibling_migrations(files, walked, settings, listings)
        project_files = None
        if reads_project_files(settings.codes):  # templates, and the test modules not indexed (read if asked)
            project_files = scan([str(root)], settings.paths, listings, {os.path.abspath(p) for p in files})
        listings.save()
        digests: list[str | None] = []
        indexed = index_files(files, settings, digests)
        facts = {display: f for display, f, _ in indexed if f is not None}
        known = {r[0]: d for r, d in zip(indexed, digests) if d}
        fp = ""
        if settings.cache_dir is not None:
            from djreview.cache.findings import fingerprint

            extra = [("<templates and packaging>", project_files.digest())] if project_files is not None else []
            fp = fingerprint(list(known.items()) + extra)
        _PROJECTS[key] = _Project(facts, known, fp, project_files)
    return _PROJECTS[key]


_ROOTS: dict[str, Path] = {}  # folder -> its project root


def _root_of(path: Path) -> Path:
    """project_root, asked once per folder: flake8 hands over a whole tree a file at a time."""
    folder = os.path.dirname(os.path.realpath(path))  # project_root follows links too
    if folder not in _ROOTS:
        _ROOTS[folder] = project_root(path)
    return _ROOTS[folder]


def review_text(path: Path, text: str, settings: Settings) -> FileResult:
    """Review `text` as the content of `path`, with the index of the project it belongs to."""
    root = _root_of(path)
    project = _project(root, settings)
    display, kinds = display_path(path), kinds_in(path, root)
    size = len(text.encode("utf-8", "surrogatepass"))
    if settings.max_file_size and size > settings.max_file_size:  # never parsed
        return FileResult(display, notes=[skipped_note(display, size, settings.max_file_size)])
    cache, digest = _saved_digest(path, text, display, project, settings)
    entry = cache.get(path, digest, display, kinds, settings.findings_key()) if cache else None
    if entry is not None and (entry.fingerprint == project.fingerprint or still_holds(entry, project.get_index(), {})):
        return entry.result
    facts, index = project.facts, None
    if digest is None or display not in facts:  # an unsaved buffer (or a file not indexed)
        source = load_text(text)  # re-encoding would let a latin-1 cookie garble the buffer
        if source.tree is None:
            error = worker.parse_error(display, source.error or "cannot parse", source.line, source.column)
            return FileResult(display, [error])
        worker.remember_tree(display, source.text or "", source.tree)  # the prefilter's tree
        own = extract(source.tree, display, module_name(path), source.text or "")
        if facts.get(display) != own:  # the buffer changed this file's declarations
            facts = {**facts, display: own}
            index = ProjectIndex(list(facts.values()), project.files)
    reviewer = worker.Reviewer(index or project.get_index(), facts, settings)
    worker.allow_deep_nesting()
    result = reviewer.review(path, kinds, text)
    if cache is not None and index is None:
        cache.record(path, digest, kinds, settings.findings_key(), project.fingerprint, result)
        _save_at_exit(cache, path)
    return result


def _saved_digest(path: Path, text: str, display: str, project: _Project, settings: Settings):
    """The findings cache, and the content digest of `path` when `text` is what is saved
    there (an editor's unsaved buffer has none)."""
    digest = project.digests.get(display)
    if settings.cache_dir is None or digest is None:
        return None, None
    if project.findings is None:
        project.findings = FindingsCache(settings.cache_dir)
    data, _ = worker.read(path)
    saved = load(data, compile_check=False).text if data is not None else None
    return project.findings, (digest if saved == text else None)


# (process, cache) -> the cache and the files this process reviewed; keyed by process too: a
# forked child inherits this dict but not the parent's exit hooks
_PENDING: dict[tuple[int, int], tuple[FindingsCache, set[str]]] = {}


def _save_at_exit(cache: FindingsCache, path: Path) -> None:
    """Write this process's reviews once, when it ends (saving after each file would rewrite
    the whole cache once per file). multiprocessing's exit hook runs in flake8's main process
    and in its pool workers alike; entries other processes saved meanwhile are kept."""
    key = (os.getpid(), id(cache))
    if key not in _PENDING:
        from multiprocessing import util

        _PENDING[key] = (cache, set())
        util.Finalize(None, _save_merged, args=(key,), exitpriority=10)
    _PENDING[key][1].add(os.path.abspath(path))


def _save_merged(key: tuple[int, int]) -> None:
    cache, reviewed = _PENDING.pop(key, (None, set()))
    if cache is None or cache.folder is None or not reviewed:
        return
    with _locked(cache.folder):  # flake8's workers end together: read, merge and write in turn
        on_disk = FindingsCache(cache.folder)
        on_disk.entries.update({p: cache.entries[p] for p in reviewed if p in cache.entries})
        on_disk.changed = True
        on_disk.save()


@contextmanager
def _locked(folder: Path):
    """An exclusive lock on the cache folder itself (no lock file to leave behind); none where
    the system has no flock or the folder cannot be opened: then the last writer wins."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
