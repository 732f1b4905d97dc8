"""One file at a time, for editors (the flake8 plugin): the file's text, maybe an unsaved
buffer, reviewed with the index of the whole project it belongs to.

The project's facts are loaded once per process (from the cache when there is one). When the
text is the file as saved, findings cached by an earlier run are reused, and the review is
cached for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from djreview import worker
from djreview.discovery import discover, display_path, project_root
from djreview.engine import index_files, kinds_in, still_holds
from djreview.finding import FileResult
from djreview.index.extract import extract, module_name
from djreview.index.facts import ModuleFacts
from djreview.index.project import ProjectIndex
from djreview.index.project_files import ProjectFiles, scan
from djreview.limits import skipped_note
from djreview.settings import Settings
from djreview.source import load, load_text


@dataclass
class _Project:
    facts: dict[str, ModuleFacts]
    digests: dict[str, str]  # display path -> content digest (with a cache)
    fingerprint: str
    files: ProjectFiles | None = None  # templates and packaging, when DJR201 is enabled
    index: ProjectIndex | None = None

    def get_index(self) -> ProjectIndex:
        if self.index is None:
            self.index = ProjectIndex(list(self.facts.values()), self.files)
        return self.index


_PROJECTS: dict[tuple[str, tuple[str, ...]], _Project] = {}


def _project(root: Path, settings: Settings) -> _Project:
    """The facts of the project at `root`, loaded once per process (from the cache if any)."""
    key = (str(root), settings.codes)
    if key not in _PROJECTS:
        from djreview.cache.listings import ListingCache

        listings = ListingCache(settings.cache_dir)
        files = discover([str(root)], settings.paths, plain_only=True, listings=listings)
        project_files = None
        if "DJR201" in settings.codes:  # templates, and the test modules not indexed (read if asked)
            project_files = scan([str(root)], settings.paths, listings, {str(p) for p in files})
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


def review_text(path: Path, text: str, settings: Settings) -> FileResult:
    """Review `text` as the content of `path`, with the index of the project it belongs to."""
    root = project_root(path)
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
        cache.save()
    return result


def _saved_digest(path: Path, text: str, display: str, project: _Project, settings: Settings):
    """The findings cache, and the content digest of `path` when `text` is what is saved
    there (an editor's unsaved buffer has none)."""
    digest = project.digests.get(display)
    if settings.cache_dir is None or digest is None:
        return None, None
    from djreview.cache.findings import FindingsCache

    data, _ = worker.read(path)
    saved = load(data, compile_check=False).text if data is not None else None
    return FindingsCache(settings.cache_dir), (digest if saved == text else None)
