"""prefilter → parse → one batched pass → positions only where something is reported.

Phase 1 reads every file with the stdlib parser and extracts index facts; phase 2 parses with
libcst only the files some enabled rule can concern and walks each once for all rules. Both
phases use a process pool when there are enough files to pay for it (pool.py), reuse what
the caches hold (cache/), and run the per-file work in worker.py.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from djreview import gc_policy, limits, pool, worker
from djreview.cache import store
from djreview.cache.findings import fingerprint
from djreview.discovery import discover, display_path, file_kinds, project_root
from djreview.finding import FileResult, Finding
from djreview.index.facts import ModuleFacts
from djreview.index.project import ProjectIndex
from djreview.index.project_files import ProjectFiles, scan
from djreview.rule import reads_migration_history, reads_project_files
from djreview.settings import Settings
from djreview.source import NEWER_SYNTAX

if TYPE_CHECKING:
    from djreview.cache.index import IndexCache
    from djreview.cache.listings import ListingCache
    from djreview.cache.summary import SummaryCache

# on_progress(phase, done, total): "index" (files read for the project index) or "review"
# (files reviewed), called as files are done; the engine knows nothing about how it is shown
OnProgress = Callable[[str, int, int], None]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    errors: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fix_diffs: list[str] = field(default_factory=list)
    # display path -> content digest of the text the findings were computed from: a fix is
    # applied only to that very text (another process may have changed the file since)
    digests: dict[str, str] = field(default_factory=dict)
    models: int = 0  # models the index found in the reviewed projects
    unresolved: int = 0  # classes that look like models but whose bases could not be followed

    @property
    def has_models(self) -> bool:
        return self.models > 0


def kinds_in(path: Path, root: Path | str) -> frozenset[str]:
    """File kinds from the path inside its project, so a project kept under a folder named
    tests/ is not taken for test code."""
    return file_kinds(_relative(path, Path(root)))


def _relative(path: Path, root: Path) -> str:
    full, prefix = os.path.abspath(path), os.path.abspath(root).rstrip(os.sep) + os.sep
    if full.startswith(prefix):  # the common case, without relpath's cost on 1,000 files
        return full[len(prefix) :].replace(os.sep, "/")
    return Path(os.path.relpath(full, root)).as_posix()


def _root_finder(roots: list[str]):
    absolute = sorted((os.path.abspath(r) for r in roots), key=len, reverse=True)

    def root_of(path: Path) -> str:
        full = os.path.abspath(path)
        return next(
            (r for r in absolute if full == r or full.startswith(r.rstrip(os.sep) + os.sep)), os.path.dirname(full)
        )

    return root_of


# -- phase 1 -------------------------------------------------------------------------------
class _Counter:
    """Calls on_progress(phase, done, total) once per file done."""

    def __init__(self, on_progress: OnProgress | None, phase: str, total: int, done: int = 0):
        self.on_progress, self.phase, self.total, self.done = on_progress, phase, total, done
        if on_progress is not None:
            on_progress(phase, done, total)

    def step(self) -> None:
        self.done += 1
        if self.on_progress is not None:
            self.on_progress(self.phase, self.done, self.total)


def index_files(
    paths: list[Path],
    settings: Settings,
    digests: list | None = None,
    on_progress: OnProgress | None = None,
    cache: IndexCache | None = None,
) -> list:
    """Phase 1 for every path, reusing cached facts of unchanged files. The content digest of
    each path as indexed (None if unreadable) is appended to `digests`. `cache`: the index
    cache already read this run (reading it again costs an unpickle of the whole file)."""
    processes = pool.worker_count(settings.jobs, len(paths))
    chunk = max(1, len(paths) // (processes * 8))
    index_file = partial(worker.index_file, limit=settings.max_file_size)
    if settings.cache_dir is None:
        counter = _Counter(on_progress, "index", len(paths))
        done = pool.map_in(processes, index_file, paths, chunk, on_done=counter.step)
        if digests is not None:
            digests.extend(stamp[2] if stamp else None for _, stamp in done)
        return [result for result, _ in done]
    from djreview.cache.index import IndexCache

    cache = cache if cache is not None else IndexCache(settings.cache_dir)
    results: list = [cache.get(p, display_path(p), settings.max_file_size) for p in paths]
    missing = [i for i, r in enumerate(results) if r is None]
    counter = _Counter(on_progress, "index", len(paths), len(paths) - len(missing))
    fresh = pool.map_in(
        pool.worker_count(settings.jobs, len(missing)),
        index_file,
        [paths[i] for i in missing],
        max(1, len(missing) // (processes * 8)),
        on_done=counter.step,
    )
    for i, (result, stamp) in zip(missing, fresh):
        results[i] = result
        cache.put(paths[i], result, stamp)
    cache.save()
    if digests is not None:
        digests.extend(cache.digest(p) for p in paths)
    return results


# -- phase 2 -------------------------------------------------------------------------------
def _review_all(
    jobs: list[tuple[Path, frozenset[str], str | None]],
    facts: dict[str, ModuleFacts],
    settings: Settings,
    indexed_digests: list[tuple[str, str]],
    on_progress: OnProgress | None = None,
    files: ProjectFiles | None = None,
) -> tuple[list[FileResult], ProjectIndex | None]:
    """Phase 2: findings from the cache where they still hold, a review for the rest. The
    project index is only built when some file needs it (and returned, or None)."""
    cache, fp = None, ""
    if settings.cache_dir is not None:
        from djreview.cache.findings import FindingsCache

        extra = [("<templates and packaging>", files.digest())] if files is not None else []
        cache, fp = FindingsCache(settings.cache_dir), fingerprint(indexed_digests + extra)
    key = settings.findings_key()
    results: list[FileResult | None] = [None] * len(jobs)
    to_check = []
    for i, (path, kinds, digest) in enumerate(jobs):
        entry = cache.get(path, digest, display_path(path), kinds, key) if cache else None
        if entry is None:
            continue
        if entry.fingerprint == fp:
            results[i] = entry.result
        else:
            to_check.append((i, entry))
    index = ProjectIndex(list(facts.values()), files) if to_check or None in results else None
    known: dict[tuple, str | None] = {}
    for i, entry in to_check:
        assert cache is not None and index is not None  # entries come from the cache
        if still_holds(entry, index, known):
            cache.confirm(entry, fp)
            results[i] = entry.result
    todo = [i for i, r in enumerate(results) if r is None]
    counter = _Counter(on_progress, "review", len(jobs), len(jobs) - len(todo))
    if todo:
        # a few big files (a model edit re-reviews the modules that use it) pay for a pool too
        big = len(todo) > 1 and sum(pool.size_of(jobs[i][0]) for i in todo) > pool.POOL_BYTES
        processes = pool.worker_count(settings.jobs, pool.POOL_THRESHOLD if big else len(todo))
        if processes > 1:
            # Largest files first, in small chunks: the few files that need a CST are the big
            # ones, and they cluster (django/db/models/...), so contiguous chunks leave a core idle.
            todo.sort(key=lambda i: -pool.size_of(jobs[i][0]))
        work = [jobs[i][:2] for i in todo]
        with gc_policy.frozen():
            fresh = pool.map_in(
                processes,
                worker.review_one,
                work,
                2,
                initializer=worker.start,
                initargs=(index, facts, settings),
                on_done=counter.step,
            )
        for i, result in zip(todo, fresh):
            results[i] = result
            path, kinds, digest = jobs[i]
            if cache is not None:
                cache.record(path, digest, kinds, key, fp, result)
    if cache is not None:
        cache.save()
    return [r for r in results if r is not None], index  # every slot is filled by now


def understood(
    facts: dict[str, ModuleFacts], fp: str, index: ProjectIndex | None, cache: SummaryCache | None
) -> tuple[int, int]:
    """How many models the index found and how many classes it could not resolve. Kept in
    the cache by index fingerprint: a warm run does not build the index to say it."""
    known = cache.counts(fp) if cache is not None else None
    if known is not None:
        return known
    index = index if index is not None else ProjectIndex(list(facts.values()))
    counts = (len(index.project_models()), len(index.unresolved_classes()))
    if cache is not None:
        cache.put_counts(fp, counts)
        cache.save()
    return counts


def still_holds(entry, index: ProjectIndex, known: dict) -> bool:
    """Does the index answer every question the cached review asked the same way?"""
    questions = entry.questions()
    return questions is not None and index.answers_match(questions, known)


# -- the run -------------------------------------------------------------------------------
def run(paths: list[str], settings: Settings, on_progress: OnProgress | None = None) -> Report:
    """Review `paths`. The index is built from the whole project each path belongs to, so a
    single file is reviewed knowing the models of every other file. `on_progress` hears how
    many files each phase has done (see OnProgress)."""
    with gc_policy.fewer_collections():
        return _run(paths, settings, on_progress)


def _run(paths: list[str], settings: Settings, on_progress: OnProgress | None) -> Report:
    start = time.perf_counter()
    store.rejected.clear()
    files, extra, roots, project_files = _project_files(paths, settings)
    root_of = _root_finder(roots)
    report = Report(files=len(files))
    digests: list[str | None] = []
    index_cache, summary = _index_cache(settings), _summary_cache(settings)
    indexed = index_files(files + extra, settings, digests, on_progress, index_cache)
    known = [(r[0], d) for r, d in zip(indexed, digests) if d]
    modules = [f for _, f, _ in indexed if f is not None]
    installed, installed_digests = _installed_bases(
        modules, settings, Path(roots[0]), report.notes, index_cache, summary, fingerprint(known)
    )
    # neither facts nor an error: over max-file-size, never read (the others only teach the index)
    too_big = [p for p, (_, f, error) in zip(files, indexed) if f is None and error is None]
    report.files -= len(too_big)
    report.notes.extend(limits.skipped_note(display_path(p), pool.size_of(p), settings.max_file_size) for p in too_big)
    facts = {display: f for display, f, _ in indexed if f is not None}
    facts.update((f.path, f) for f in installed)
    reviewable = [
        (p, kinds_in(p, root_of(p)), d)
        for p, (_, f, _), d in zip(files, indexed, digests or [None] * len(files))
        if f is not None
    ]
    report.digests = dict(known)
    known += installed_digests
    results, index = _review_all(reviewable, facts, settings, known, on_progress, project_files)
    report.models, report.unresolved = understood(facts, fingerprint(known), index, summary)
    codes = set(settings.codes)
    newer = 0  # files in syntax a newer Python reads (source.py's hint)
    for _, _, error in indexed[: len(files)]:  # parse errors only for the files asked for
        if error is not None:
            report.errors += 1
            newer += NEWER_SYNTAX in error.message
            if error.code in codes:
                report.findings.append(error)
    if newer:
        report.notes.append(_newer_syntax_note(newer))
    for result in results:
        report.findings.extend(result.findings)
        report.notes.extend(result.notes)
    if settings.verbose:
        report.notes.extend(store.rejected)
    report.notes.sort()  # the same order whatever the number of workers
    if settings.config is not None:
        from djreview.config import apply

        report.findings = apply(settings.config, report.findings)
    report.findings.sort(key=Finding.sort_key)
    report.seconds = time.perf_counter() - start
    return report


def _newer_syntax_note(count: int) -> str:
    """Silence in those files is no clean bill: say why, and what to do."""
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"{count} file(s) use syntax newer than Python {running} (DJR001 says which version reads each): "
        "their models, views and calls are unknown to every rule; run djreview on the Python the project targets"
    )


def _project_files(
    paths: list[str], settings: Settings
) -> tuple[list[Path], list[Path], list[str], ProjectFiles | None]:
    """The files to review under `paths`, the other files of their projects (they only teach
    the index), the project roots, and (when DJR201 is enabled) their templates and packaging."""
    listings = _listings(settings)
    files = discover(paths, settings.paths, listings=listings)
    roots = sorted({str(project_root(Path(p))) for p in paths})
    # Test modules and migrations outside the given paths declare no model that the reviewed
    # code uses, and can be thousands of files.
    extra = []
    walked = frozenset(os.path.abspath(p) for p in paths if os.path.isdir(p))
    # a root that is itself a given folder holds nothing more (`djreview .` walks once)
    beyond = [root for root in roots if os.path.abspath(root) not in walked]
    if beyond:
        wanted = {os.path.abspath(p) for p in files}
        extra = [
            p
            for p in discover(beyond, settings.paths, plain_only=True, skip=walked, listings=listings)
            if os.path.abspath(p) not in wanted
        ]
    if reads_migration_history(settings.codes):
        extra += sibling_migrations(files, walked, settings, listings)
    # DJR201 must see every use of the names a related_name renames, in templates and in the
    # test modules this run does not index too.
    project_files = None
    if reads_project_files(settings.codes):
        project_files = scan(roots, settings.paths, listings, {os.path.abspath(p) for p in files + extra})
    listings.save()
    return files, extra, roots, project_files


def sibling_migrations(
    files: list[Path], walked: frozenset[str], settings: Settings, listings: ListingCache | None = None
) -> list[Path]:
    """The other migrations of each migrations folder that holds one of `files` (and is not
    under a folder already walked): DJR504 replays the app's history to judge one migration,
    so a run on a single migration (or on a pull request's changed files) indexes them, without
    reviewing them. Replays stay within one app, so other apps' migrations are not needed."""
    folders = sorted(
        {
            folder
            for folder in (os.path.dirname(os.path.abspath(p)) for p in files)
            if os.path.basename(folder) == "migrations"
            and not any(folder == w or folder.startswith(w.rstrip(os.sep) + os.sep) for w in walked)
        }
    )
    if not folders:
        return []
    taken = {os.path.abspath(p) for p in files}
    return [p for p in discover(folders, settings.paths, listings=listings) if os.path.abspath(p) not in taken]


def learn(paths: list[str], settings: Settings, notes: list[str] | None = None) -> ProjectIndex:
    """The project index a review of `paths` would use (`djreview models` shows it)."""
    files, extra, roots, _ = _project_files(paths, settings)
    index_cache, digests = _index_cache(settings), list[str | None]()
    indexed = index_files(files + extra, settings, digests, cache=index_cache)
    modules = [f for _, f, _ in indexed if f is not None]
    project = fingerprint([(r[0], d) for r, d in zip(indexed, digests) if d])
    installed, _ = _installed_bases(
        modules,
        settings,
        Path(roots[0]),
        notes if notes is not None else [],
        index_cache,
        _summary_cache(settings),
        project,
    )
    return ProjectIndex(modules + installed)


# Rounds of reading installed packages (a base's base's module...) and modules read at most.
_ROUNDS, _MOST_MODULES = 6, 300


def _index_cache(settings: Settings) -> IndexCache | None:
    from djreview.cache.index import IndexCache

    return IndexCache(settings.cache_dir) if settings.cache_dir is not None else None


def _summary_cache(settings: Settings) -> SummaryCache | None:
    from djreview.cache.summary import SummaryCache

    return SummaryCache(settings.cache_dir) if settings.cache_dir is not None else None


def _installed_bases(
    modules: list[ModuleFacts],
    settings: Settings,
    root: Path,
    notes: list[str],
    cache: IndexCache | None = None,
    summary: SummaryCache | None = None,
    project: str = "",
) -> tuple[list[ModuleFacts], list[tuple[str, str]]]:
    """The modules of installed packages that the project's classes reach through their bases
    (`django_lifecycle.LifecycleModel`), read as text from the project's environment and
    indexed like project files (cached too), with their content digests. `project` is the
    fingerprint of the project's files: with the same files and the same environment, the
    files read last time are read again without searching."""
    from djreview.environment import NoEnvironment, find

    try:
        env = find(root, settings.python, settings.config.root if settings.config else root)
    except NoEnvironment as exc:
        notes.append(f"{exc}; bases from installed packages are not followed")
        return [], []
    if summary is not None and project:
        known = summary.installed(project, env.state())
        if known is not None:
            read, digests = _read_installed(list(known), settings, cache)
            if len(read) == len(known):
                return read, digests
    tried: set[str] = set()
    read, digests = [], []

    def tried_already(ref: str) -> bool:
        return ref.rpartition(".")[0] in tried

    for _ in range(_ROUNDS):
        index = ProjectIndex(modules + read, models=False)
        wanted = index.reached_modules(tried_already) - tried
        tried |= wanted
        found = sorted({f for f in map(env.module_file, wanted) if f})[: _MOST_MODULES - len(read)]
        if not found:
            break
        more, more_digests = _read_installed(found, settings, cache)
        read += more
        digests += more_digests
    if summary is not None and project:
        summary.put_installed(project, env.state(), tuple(m.path for m in read))
        summary.save()
    return read, digests


def _read_installed(
    files: list[str], settings: Settings, cache: IndexCache | None
) -> tuple[list[ModuleFacts], list[tuple[str, str]]]:
    read, digests = [], []
    got: list[str | None] = []
    for (display, facts, _), digest in zip(index_files([Path(f) for f in files], settings, got, cache=cache), got):
        if facts is not None:
            facts.external = True
            read.append(facts)
            if digest:
                digests.append((display, digest))
    return read, digests


def _listings(settings: Settings):
    from djreview.cache.listings import ListingCache

    return ListingCache(settings.cache_dir)
