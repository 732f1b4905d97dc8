"""The work done per file, in whichever process runs it: index a file (phase 1), review a
file (phase 2). The index and rule objects are built once per process, not per file."""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Callable
from pathlib import Path

from djreview.cache.store import content_digest
from djreview.discovery import display_path
from djreview.finding import FileResult, Finding
from djreview.index.extract import extract, module_name
from djreview.index.facts import ModuleFacts
from djreview.index.prefilter import walk
from djreview.index.project import ProjectIndex, Recorder, answer_digest
from djreview.noqa import NoqaComments, unknown_codes
from djreview.rule import PARSE_ERROR
from djreview.settings import Settings
from djreview.source import load, load_text, parse_tree, split_lines, split_suggestion

# libcst's code generation (positions) recurses once per nesting level; Python accepts
# expressions nested several hundred deep, which the default limit of 1000 frames does not.
RECURSION_LIMIT = 12000


def read(path: Path) -> tuple[bytes | None, str | None]:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}"


def parse_error(display: str, message: str, line: int = 1, column: int = 1) -> Finding:
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


# -- phase 1 -------------------------------------------------------------------------------
Stamp = tuple[int, int, str]  # size, mtime (ns) and content digest of the bytes indexed


def index_file(path: Path, limit: int = 0) -> tuple[tuple[str, ModuleFacts | None, Finding | None], Stamp | None]:
    """(display path, facts, parse error) of `path`, and the stamp of what was read: the file
    is read once, and the cache keys on exactly these bytes. The stat comes first, so a file
    changed while it is read has a newer stat than the one kept, and is indexed again. A file
    over `limit` bytes (0: no limit) is not read: (display, None, None), see limits.py."""
    display = display_path(path)
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if limit and st is not None and st.st_size > limit:
        return (display, None, None), None
    data, problem = read(path)
    if data is None:
        return (display, None, parse_error(display, problem or "cannot read file")), None
    stamp = (st.st_size, st.st_mtime_ns, content_digest(data)) if st is not None else None
    source = load(data)
    if source.tree is None:
        error = parse_error(display, source.error or "cannot parse", source.line, source.column)
        return (display, None, error), stamp
    remember_tree(display, source.text or "", source.tree)
    return (display, extract(source.tree, display, module_name(path), source.text or ""), None), stamp


# The stdlib trees of the last files indexed in this process: when a changed file is indexed
# and then reviewed in the same process (a warm run, the editor), the prefilter reuses its
# tree instead of parsing the file again. Only a few: a cold run reviews in other processes,
# and computing the prefilter facts for every file while indexing would cost more than the
# few parses it saves (measured on Django: 0.58 s of CPU to save about 0.05 s).
_RECENT_TREES: dict[str, tuple[str, ast.Module]] = {}


def remember_tree(display: str, text: str, tree: ast.Module) -> None:
    _RECENT_TREES[display] = (text, tree)
    while len(_RECENT_TREES) > 4:
        del _RECENT_TREES[next(iter(_RECENT_TREES))]


# -- phase 2 -------------------------------------------------------------------------------
class Reviewer:
    """Reviews files against one project index with the enabled rules."""

    def __init__(self, index: ProjectIndex, facts: dict[str, ModuleFacts], settings: Settings):
        from djreview.rule import all_rules

        self.index = index
        self.facts = facts
        self.settings = settings
        registry = all_rules()
        self.rules = [registry[code]() for code in settings.codes if code in registry]
        self.known_codes = (PARSE_ERROR[0], *registry)  # the codes a noqa comment may name
        self._dispatch: dict[tuple[str, ...], object] = {}
        self._digests: dict[tuple, str] = {}  # one index, so one answer per question

    def active_rules(self, prefilter: _LazyPrefilter, kinds: frozenset[str], facts: ModuleFacts, index) -> list:
        active, text = [], prefilter.text
        if "tests" not in kinds and index.development_module(facts.module):
            kinds = kinds | {"tests"}  # an app only development installs: reviewed as its tests are
        for rule in self.rules:
            skip = rule.skip_kinds
            if rule.code.startswith("DJR1") and self.settings.query_rules_everywhere:
                skip = skip - {"migrations", "tests", "commands"}
            if self.settings.include_tests:
                skip = skip - {"tests"}
            if skip & kinds or (rule.only_kinds and not rule.only_kinds & kinds):
                continue
            if not rule.wants(text, facts, index, prefilter.of(rule)):
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
        The questions the review asks of the index are kept with their answers' digests."""
        recorder = Recorder(self.index)
        result = self._review(path, kinds, text, recorder)
        for key, answer in recorder.asked.items():
            if key not in self._digests:
                self._digests[key] = answer_digest(answer)
            result.answers[key] = self._digests[key]
        return result

    def _review(self, path: Path, kinds: frozenset[str], text: str | None, index) -> FileResult:
        display = display_path(path)
        result = FileResult(display)
        facts = self.facts.get(display)
        if facts is None:
            return result
        if text is None:
            data, _ = read(path)
            text = load(data, compile_check=False).text if data is not None else None
        else:
            text = load_text(text, compile_check=False).text
        if text is None:
            return result
        result.notes.extend(unknown_codes(display, text, self.known_codes))
        prefilter = _LazyPrefilter(text, facts, self.rules)
        rules, found = [], []
        for rule in self.active_rules(prefilter, kinds, facts, index):
            located = rule.findings_from_index(display, text, facts, index)
            if located is None:
                rules.append(rule)
            else:
                found += located
        if not found and not rules:
            return result  # most files: no rule can report there, no noqa comment to read
        noqa = NoqaComments(text, split_lines(text))
        result.findings = [f for f in found if not noqa.suppresses(f)]
        if not rules:
            return result
        import libcst as cst

        from djreview.context import FileContext, TooDeep

        try:
            module = cst.parse_module(text)
        except Exception as exc:  # libcst rejects a file Python accepts: review what we can
            result.notes.append(f"{display}: skipped, libcst cannot parse it ({type(exc).__name__})")
            return result
        flow, dispatch = self.dispatch_for(rules)
        ctx = FileContext(display, text, module, facts, index, kinds, flow, prefilter.tree)
        flow.start(ctx)
        for rule in rules:
            rule.start(ctx)
        try:
            dispatch.run(module)
        except RecursionError:  # the flow tracker follows a chain three frames per link
            result.notes.append(f"{display}: nested too deeply to review on this Python; skipped")
            return result
        for rule in rules:
            rule.finish()
        try:
            findings = ctx.findings()
        except TooDeep:
            result.notes.append(f"{display}: nested too deeply to locate findings on this Python; skipped")
            return result
        # a finding in a template (DJR101) answers to the template's {# noqa #}, read by the rule
        result.findings += [f for f in findings if f.path != display or not noqa.suppresses(f)]
        return result


class _Asked:
    """What `Rule.wants` gets as `prefilter`: call it for the rule's collector result;
    `tree()` is the file's stdlib tree (None when the stdlib parser cannot read it), for a
    rule that looks at a small file whole (a migration) instead of through the walk."""

    def __init__(self, result: Callable[[], object], tree: Callable[[], ast.Module | None]):
        self._result, self.tree = result, tree

    def __call__(self) -> object:
        return self._result()


class _LazyPrefilter:
    """The rules' prefilter results for one file, computed when a rule first asks: one stdlib
    parse and one walk for every rule's collector cost about a tenth of the libcst parse
    they can spare."""

    def __init__(self, text: str, facts: ModuleFacts, rules: list):
        self.text, self.facts, self.rules = text, facts, rules
        self.results: dict[str, object] | None = None
        self._tree: ast.Module | None = None
        self._parsed = False

    def of(self, rule) -> _Asked:
        return _Asked(lambda: self._results().get(rule.code), self.tree)

    def tree(self) -> ast.Module | None:
        """The file's stdlib tree, parsed once per review (or reused from indexing): the
        prefilter walks it, and locating findings (positions.py) follows it."""
        if not self._parsed:
            self._parsed = True
            text, tree = _RECENT_TREES.get(self.facts.path, (None, None))
            self._tree = tree if text == self.text else parse_tree(self.text)
        return self._tree

    def _results(self) -> dict[str, object]:
        if self.results is None:
            self.results = {}
            tree = self.tree()
            if tree is not None:
                collectors = {r.code: r.prefilter() for r in self.rules if r.prefilter is not None}
                walked = walk(tree, self.text, self.facts.qualify, list(collectors.values()))
                self.results = {code: c.result(walked) for code, c in collectors.items()}
        return self.results


# -- the per-process entry points a pool calls -----------------------------------------------
_REVIEWER: Reviewer | None = None


def allow_deep_nesting() -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))


def start(index: ProjectIndex, facts: dict[str, ModuleFacts], settings: Settings) -> None:
    global _REVIEWER
    allow_deep_nesting()
    _REVIEWER = Reviewer(index, facts, settings)


def review_one(job: tuple[Path, frozenset[str]]) -> FileResult:
    assert _REVIEWER is not None, "worker.start() runs first"
    path, kinds = job
    try:
        return _REVIEWER.review(path, kinds)
    except Exception as exc:  # a bug of ours must not end the whole run
        result = FileResult(display_path(path))
        result.notes.append(f"{result.path}: internal error, file skipped: {type(exc).__name__}: {exc}")
        return result
