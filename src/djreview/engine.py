"""prefilter → parse → one batched pass → positions only where something is reported.

Phase 1 reads every file with the stdlib parser and extracts index facts; phase 2 parses with
libcst only the files some enabled rule can concern and walks each once for all rules. Both
phases use a process pool when there are enough files to pay for it.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from djreview.discovery import discover, display_path, file_kinds, project_root
from djreview.finding import FileResult, Finding
from djreview.index.extract import extract, module_name
from djreview.index.facts import ModuleFacts
from djreview.index.prefilter import PrefilterFacts, prefilter_facts
from djreview.index.project import ProjectIndex, answer_digest
from djreview.source import load, load_text, split_suggestion

PARSE_ERROR = ("DJR001", "parse-error")
POOL_THRESHOLD = 48  # below this many files a pool costs more than it saves
POOL_BYTES = 400_000  # ... unless they hold this much source (about 10,000 lines)
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


@dataclass
class Settings:
    codes: tuple[str, ...]  # enabled rule codes
    exclude: tuple[str, ...] = ()
    jobs: int = 0  # 0: one per core
    query_rules_everywhere: bool = False  # review migrations and tests with DJR1xx too
    include_tests: bool = False  # review test modules with every rule
    config: object = None  # djreview.config.Config: per-file-ignores and severity overrides
    cache_dir: Path | None = None  # index facts cache (None: no cache)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    errors: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fix_diffs: list[str] = field(default_factory=list)


# -- phase 1 -------------------------------------------------------------------------------
def _read(path: Path) -> tuple[bytes | None, str | None]:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"


def _error_finding(display: str, message: str, line: int = 1, column: int = 1) -> Finding:
    message, hint = split_suggestion(message)
    return Finding(
        code=PARSE_ERROR[0],
        name=PARSE_ERROR[1],
        severity="error",
        path=display,
        line=line,
        column=column,
        end_line=line,
        end_column=column + 1,
        message=message,
        hint=hint,
    )


def index_file(path: Path) -> tuple[str, ModuleFacts | None, Finding | None]:
    display = display_path(path)
    data, problem = _read(path)
    if data is None:
        return display, None, _error_finding(display, problem or "cannot read file")
    source = load(data)
    if source.tree is None:
        return display, None, _error_finding(display, source.error or "cannot parse", source.line, source.column)
    _RECENT_TREES[display] = (source.text, source.tree)
    while len(_RECENT_TREES) > 4:
        del _RECENT_TREES[next(iter(_RECENT_TREES))]
    return display, extract(source.tree, display, module_name(path), source.text or ""), None


# The stdlib trees of the last files indexed in this process: when one changed file is
# indexed and then reviewed in the same process, the prefilter reuses its tree.
_RECENT_TREES: dict[str, tuple[str | None, ast.Module]] = {}


# -- phase 2 -------------------------------------------------------------------------------
class _Worker:
    """Per-process state: the index and rule objects are built once, not per file."""

    def __init__(self, index: ProjectIndex, facts: dict[str, ModuleFacts], settings: Settings):
        from djreview.rule import all_rules

        self.index = index
        self.facts = facts
        self.settings = settings
        registry = all_rules()
        self.rules = [registry[code]() for code in settings.codes if code in registry]
        self._dispatch: dict[tuple[str, ...], object] = {}
        self._digests: dict[tuple, str] = {}  # one index, so one answer per question

    def active_rules(self, text: str, kinds: frozenset[str], facts: ModuleFacts):
        active = []
        prefilter = _LazyPrefilter(text, facts)
        for rule in self.rules:
            skip = rule.skip_kinds
            if rule.code.startswith("DJR1") and self.settings.query_rules_everywhere:
                skip = skip - {"migrations", "tests"}
            if self.settings.include_tests:
                skip = skip - {"tests"}
            if skip & kinds:
                continue
            if not rule.wants(text, facts, self.index, prefilter):
                continue
            active.append(rule)
        return active

    def dispatch_for(self, rules):
        from djreview.flow import Flow
        from djreview.walk import Dispatch

        key = tuple(r.code for r in rules)
        if key not in self._dispatch:
            flow = Flow()
            self._dispatch[key] = (flow, Dispatch([flow, *rules]))
        return self._dispatch[key]

    def review(self, path: Path, kinds: frozenset[str], text: str | None = None) -> FileResult:
        """Review one file; `text` is the editor's buffer when it is not the file on disk.
        The questions the review asks of the index are recorded with their answers."""
        self.index.recorded = {}
        try:
            result = self._review(path, kinds, text)
        finally:
            asked, self.index.recorded = self.index.recorded, None
        for key, answer in asked.items():
            if key not in self._digests:
                self._digests[key] = answer_digest(answer)
            result.answers[key] = self._digests[key]
        return result

    def needs_cst(self, path: Path, kinds: frozenset[str]) -> bool:
        """Would reviewing this file on disk build its libcst tree?"""
        return bool(self._rules_for(path, kinds, None)[2])

    def _rules_for(self, path: Path, kinds: frozenset[str], text: str | None):
        """(facts, text, rules that want the file) for the file on disk, or for `text`; no
        rules when it is not indexed or cannot be read."""
        facts = self.facts.get(display_path(path))
        if facts is None:
            return None, None, []
        if text is None:
            data, _ = _read(path)
            text = load(data, compile_check=False).text if data is not None else None
        else:
            text = load_text(text, compile_check=False).text
        if text is None:
            return facts, None, []
        return facts, text, self.active_rules(text, kinds, facts)

    def _review(self, path: Path, kinds: frozenset[str], text: str | None) -> FileResult:
        display = display_path(path)
        result = FileResult(display)
        facts, text, rules = self._rules_for(path, kinds, text)
        if not rules:
            return result
        import libcst as cst

        from djreview.context import FileContext, TooDeep

        try:
            module = cst.parse_module(text)
        except Exception as exc:  # libcst rejects a file Python accepts: review what we can
            result.notes.append(f"{display}: skipped, libcst cannot parse it ({type(exc).__name__})")
            return result
        ctx = FileContext(display, text, module, facts, self.index, kinds)
        flow, dispatch = self.dispatch_for(rules)
        ctx.flow = flow
        flow.start(ctx)
        for rule in rules:
            rule.start(ctx)
        dispatch.run(module)
        for rule in rules:
            rule.finish()
        lines = text.splitlines()
        try:
            findings = ctx.findings()
        except TooDeep:
            result.notes.append(f"{display}: nested too deeply to locate findings on this Python; skipped")
            return result
        result.findings = [f for f in findings if not _suppressed(f, lines)]
        return result


class _LazyPrefilter:
    """The file's PrefilterFacts, computed when a rule first asks: a stdlib parse and a walk
    of the functions that loop cost about a tenth of the libcst parse they can spare."""

    def __init__(self, text: str, facts: ModuleFacts):
        self.text, self.facts, self.done, self.value = text, facts, False, None

    def __call__(self) -> PrefilterFacts | None:
        if not self.done:
            self.done = True
            text, tree = _RECENT_TREES.get(self.facts.path, (None, None))
            if text != self.text:
                tree = load_text(self.text).tree
            if tree is None:
                return None
            self.value = prefilter_facts(tree, self.text, self.facts.qualify)
        return self.value


def _suppressed(finding: Finding, lines: list[str]) -> bool:
    if finding.line > len(lines):
        return False
    match = _NOQA.search(lines[finding.line - 1])
    if not match:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(finding.code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)


_WORKER: _Worker | None = None


# libcst's code generation (positions) recurses once per nesting level; Python accepts
# expressions nested several hundred deep, which the default limit of 1000 frames does not.
RECURSION_LIMIT = 12000


def _init_worker(index, facts, settings) -> None:
    global _WORKER
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    _WORKER = _Worker(index, facts, settings)


def _review_one(job: tuple[Path, frozenset[str]]) -> FileResult:
    assert _WORKER is not None
    path, kinds = job
    try:
        return _WORKER.review(path, kinds)
    except Exception as exc:  # a bug of ours must not end the whole run
        result = FileResult(display_path(job[0]))
        result.notes.append(f"{result.path}: internal error, file skipped: {type(exc).__name__}: {exc}")
        return result


# -- one file, for editors (the flake8 plugin) ------------------------------------------------
@dataclass
class _Project:
    facts: dict[str, ModuleFacts]
    digests: dict[str, str]  # display path -> content digest (with a cache)
    fingerprint: str
    index: ProjectIndex | None = None

    def get_index(self) -> ProjectIndex:
        if self.index is None:
            self.index = ProjectIndex(list(self.facts.values()))
        return self.index


_PROJECTS: dict[tuple[str, tuple[str, ...]], _Project] = {}


def _project(root: Path, settings: Settings) -> _Project:
    """The facts of the project at `root`, loaded once per process (from the cache if any)."""
    key = (str(root), settings.codes)
    if key not in _PROJECTS:
        listings = _listings(settings)
        files = discover([str(root)], settings.exclude, plain_only=True, listings=listings)
        listings.save()
        digests: list[str | None] = []
        indexed = _index(files, settings, _jobs(settings, len(files)), max(1, len(files) // 16), digests)
        facts = {display: f for display, f, _ in indexed if f is not None}
        known = {r[0]: d for r, d in zip(indexed, digests) if d}
        fp = ""
        if settings.cache_dir is not None:
            from djreview.findings_cache import fingerprint

            fp = fingerprint(list(known.items()))
        _PROJECTS[key] = _Project(facts, known, fp)
    return _PROJECTS[key]


def review_text(path: Path, text: str, settings: Settings) -> FileResult:
    """Review `text` as the content of `path`, with the index of the project it belongs to.
    When `text` is the file as saved, findings cached by an earlier run are reused, and the
    review is cached for the next one."""
    root = project_root(path)
    project = _project(root, settings)
    display, kinds = display_path(path), _kinds(path, root)
    cache, digest = _saved_digest(path, text, display, project, settings)
    entry = cache.get(path, digest, display, kinds, _settings_key(settings)) if cache else None
    if entry is not None and (entry.fingerprint == project.fingerprint or _still_holds(entry, project.get_index(), {})):
        return entry.result
    facts, index = project.facts, None
    if digest is None or display not in facts:  # an unsaved buffer (or a file not indexed)
        source = load_text(text)  # re-encoding would let a latin-1 cookie garble the buffer
        if source.tree is None:
            return FileResult(
                display, [_error_finding(display, source.error or "cannot parse", source.line, source.column)]
            )
        own = extract(source.tree, display, module_name(path), source.text or "")
        if facts.get(display) != own:  # the buffer changed this file's declarations
            facts = {**facts, display: own}
            index = ProjectIndex(list(facts.values()))
    worker = _Worker(index or project.get_index(), facts, settings)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    result = worker.review(path, kinds, text)
    if cache is not None and index is None:
        cache.record(path, digest, kinds, _settings_key(settings), project.fingerprint, result)
        cache.save()
    return result


def _saved_digest(path: Path, text: str, display: str, project: _Project, settings: Settings):
    """The findings cache, and the content digest of `path` when `text` is what is saved
    there (an editor's unsaved buffer has none)."""
    digest = project.digests.get(display)
    if settings.cache_dir is None or digest is None:
        return None, None
    from djreview.findings_cache import FindingsCache

    data, _ = _read(path)
    saved = load(data, compile_check=False).text if data is not None else None
    return FindingsCache(settings.cache_dir), (digest if saved == text else None)


def _kinds(path: Path, root: Path | str) -> frozenset[str]:
    """File kinds from the path inside its project, so a project kept under a folder named
    tests/ is not taken for test code."""
    return file_kinds(_relative(path, Path(root)))


def _relative(path: Path, root: Path) -> str:
    full, prefix = os.path.abspath(path), os.path.abspath(root).rstrip(os.sep) + os.sep
    if full.startswith(prefix):  # the common case, without relpath's cost on 1,000 files
        return full[len(prefix) :].replace(os.sep, "/")
    return Path(os.path.relpath(full, root)).as_posix()


# -- the run -------------------------------------------------------------------------------
def _jobs(settings: Settings, count: int) -> int:
    if count < POOL_THRESHOLD:
        return 1
    return settings.jobs or os.cpu_count() or 1


def _map(jobs: int, func, items: list, chunk: int, **pool_args) -> list:
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor  # 35 ms of imports: only for a pool

        with ProcessPoolExecutor(jobs, **pool_args) as pool:
            return list(pool.map(func, items, chunksize=chunk))
    if "initializer" in pool_args:
        pool_args["initializer"](*pool_args["initargs"])
    return [func(item) for item in items]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _root_finder(roots: list[str]):
    absolute = sorted((os.path.abspath(r) for r in roots), key=len, reverse=True)

    def root_of(path: Path) -> str:
        full = os.path.abspath(path)
        return next(
            (r for r in absolute if full == r or full.startswith(r.rstrip(os.sep) + os.sep)), os.path.dirname(full)
        )

    return root_of


def _index(paths: list[Path], settings: Settings, jobs: int, chunk: int, digests: list | None = None) -> list:
    """Phase 1 for every path, reusing cached facts of unchanged files. With a cache, the
    content digest of each path is appended to `digests`."""
    if settings.cache_dir is None:
        return _map(jobs, index_file, paths, chunk)
    from djreview.cache import IndexCache

    cache = IndexCache(settings.cache_dir)
    results: list = [cache.get(p, display_path(p)) for p in paths]
    missing = [i for i, r in enumerate(results) if r is None]
    fresh = _map(
        _jobs(settings, len(missing)), index_file, [paths[i] for i in missing], max(1, len(missing) // (jobs * 8))
    )
    for i, result in zip(missing, fresh):
        results[i] = result
        cache.put(paths[i], result)
    cache.save()
    if digests is not None:
        digests.extend(cache.digest(p) for p in paths)
    return results


def _review_all(
    jobs: list[tuple[Path, frozenset[str], str | None]],
    facts: dict[str, ModuleFacts],
    settings: Settings,
    indexed_digests: list[tuple[str, str]],
    prewarmed=None,
) -> list[FileResult]:
    """Phase 2: findings from the cache where they still hold, a review for the rest. The
    project index is only built when some file needs it. `prewarmed`: a worker that has
    libcst loaded already (prewarm.py), for a few files."""
    cache, fp = None, ""
    if settings.cache_dir is not None:
        from djreview.findings_cache import FindingsCache, fingerprint

        cache, fp = FindingsCache(settings.cache_dir), fingerprint(indexed_digests)
    key = _settings_key(settings)
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
    index = None
    if to_check or None in results:
        index = ProjectIndex(list(facts.values()))
    known: dict[tuple, str | None] = {}
    for i, entry in to_check:
        if _still_holds(entry, index, known):
            cache.confirm(entry, fp)
            results[i] = entry.result
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        # a few big files (a model edit re-reviews the modules that use it) pay for a pool too
        big = len(todo) > 1 and sum(_size(jobs[i][0]) for i in todo) > POOL_BYTES
        count = _jobs(settings, POOL_THRESHOLD if big else len(todo))
        if count > 1:
            # Largest files first, in small chunks: the few files that need a CST are the big
            # ones, and they cluster (django/db/models/...), so contiguous chunks leave a core idle.
            todo.sort(key=lambda i: -_size(jobs[i][0]))
        work = [jobs[i][:2] for i in todo]
        fresh = _review_beside(prewarmed, index, facts, settings, work) if prewarmed and count == 1 else None
        if fresh is None:
            fresh = _map(count, _review_one, work, 2, initializer=_init_worker, initargs=(index, facts, settings))
        for i, result in zip(todo, fresh):
            results[i] = result
            path, kinds, digest = jobs[i]
            if cache is not None:
                cache.record(path, digest, kinds, key, fp, result)
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def _still_holds(entry, index: ProjectIndex, known: dict) -> bool:
    """Does the index answer every question the cached review asked the same way?"""
    questions = entry.questions()
    return questions is not None and index.answers_match(questions, known)


def _review_beside(
    prewarmed, index: ProjectIndex, facts: dict[str, ModuleFacts], settings: Settings, work: list
) -> list[FileResult] | None:
    """The files that need a CST are reviewed by the prewarmed worker (libcst loaded), the
    others here; None if the worker failed."""
    _init_worker(index, facts, settings)
    assert _WORKER is not None
    parsed = [job for job in work if _WORKER.needs_cst(*job)]
    remote = prewarmed.review(index, facts, settings, parsed) if parsed else []
    if remote is None:
        return None
    done = dict(zip((id(job) for job in parsed), remote))
    return [done[id(job)] if id(job) in done else _review_one(job) for job in work]


def _settings_key(settings: Settings) -> tuple:
    """What shapes a file's findings besides its text and the index (per-file ignores and
    severity overrides are applied afterwards)."""
    return (settings.codes, settings.query_rules_everywhere, settings.include_tests)


def run(paths: list[str], settings: Settings) -> Report:
    """Review `paths`. The index is built from the whole project each path belongs to, so a
    single file is reviewed knowing the models of every other file."""
    start = time.perf_counter()
    listings = _listings(settings)
    files = discover(paths, settings.exclude, listings=listings)
    roots = sorted({str(project_root(Path(p))) for p in paths})
    root_of = _root_finder(roots)

    def kinds(path: Path) -> frozenset[str]:
        return _kinds(path, root_of(path))

    # Files outside the given paths only teach the index; test modules and migrations
    # declare no model that the reviewed code uses, and can be thousands of files.
    extra = []
    if roots != sorted(paths):
        walked = frozenset(os.path.abspath(p) for p in paths if os.path.isdir(p))
        wanted = {os.path.abspath(p) for p in files}
        extra = [
            p
            for p in discover(roots, settings.exclude, plain_only=True, skip=walked, listings=listings)
            if os.path.abspath(p) not in wanted
        ]
    listings.save()
    to_index = files + extra
    report = Report(files=len(files))
    jobs = _jobs(settings, len(to_index))
    chunk = max(1, len(to_index) // (jobs * 8))

    prewarmed = _prewarm(settings)
    try:
        results, indexed = _phases(files, to_index, kinds, settings, jobs, chunk, prewarmed)
    finally:
        if prewarmed is not None:
            prewarmed.close()
    codes = set(settings.codes)
    for _, _, error in indexed[: len(files)]:  # parse errors only for the files asked for
        if error is not None:
            report.errors += 1
            if error.code in codes:
                report.findings.append(error)
    for result in results:
        report.findings.extend(result.findings)
        report.notes.extend(result.notes)
    report.notes.sort()  # the same order whatever the number of workers
    if settings.config is not None:
        from djreview.config import apply

        report.findings = apply(settings.config, report.findings)
    report.findings.sort(key=Finding.sort_key)
    report.seconds = time.perf_counter() - start
    return report


def _listings(settings: Settings):
    from djreview.listing_cache import ListingCache

    return ListingCache(settings.cache_dir)


def _prewarm(settings: Settings):
    """On a cached run (few files, if any, to review), a worker that loads libcst meanwhile."""
    if settings.cache_dir is None or settings.jobs == 1 or (os.cpu_count() or 1) < 2:
        return None
    from djreview import prewarm

    if not prewarm.available() or not any(settings.cache_dir.glob("findings-*.pickle")):
        return None
    return prewarm.Prewarmed()


def _phases(
    files: list[Path], to_index: list[Path], kinds, settings: Settings, jobs: int, chunk: int, prewarmed
) -> tuple[list[FileResult], list]:
    """Index `to_index`, then review `files`: the results, and the index phase's output."""
    digests: list[str | None] = []
    indexed = _index(to_index, settings, jobs, chunk, digests)
    facts = {display: f for display, f, _ in indexed if f is not None}
    reviewable = [
        (p, kinds(p), d) for p, (_, f, _), d in zip(files, indexed, digests or [None] * len(files)) if f is not None
    ]
    known = [(r[0], d) for r, d in zip(indexed, digests) if d]
    return _review_all(reviewable, facts, settings, known, prewarmed), indexed


def print_notes(report: Report) -> None:
    for note in report.notes:
        print(f"djreview: {note}", file=sys.stderr)
