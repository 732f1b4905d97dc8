"""Which files a run skips, and which codes a file ignores: one rule for every path pattern.

Patterns (`exclude`, `extend-exclude`, `per-file-ignores`, from pyproject.toml or the command
line) are gitignore patterns relative to the folder of the configuration file, or of the
current folder when there is none: `legacy/` skips every folder named legacy, `/legacy/` only
the one at the root, `*.gen.py` any such file. The same holds wherever djreview is run from.

Files that git ignores (`.gitignore` files inside the repository and `.git/info/exclude`) are
skipped too, unless `respect-gitignore = false`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pathspec
from pathspec.pattern import RegexPattern


@lru_cache(maxsize=64)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


class _IgnoreFile:
    """One folder's ignore patterns, asked "does this file say anything about `rel`?".

    Without negated (`!`) patterns the answer is "ignored" as soon as any pattern matches, so
    the patterns are joined into one regular expression (one search per path instead of one
    per pattern: discovery asks about every file and folder). With negations, pathspec decides
    which matching pattern wins."""

    def __init__(self, patterns: tuple[str, ...]):
        self.spec = _spec(patterns)
        active = [p for p in self.spec.patterns if isinstance(p, RegexPattern) and p.include is not None]
        self.joined: re.Pattern[str] | None = None
        if active and len(active) == len(self.spec.patterns) and all(p.include for p in active):
            sources = [_NAMED_GROUP.sub("(?:", p.regex.pattern) for p in active if p.regex is not None]
            self.joined = re.compile("|".join(f"(?:{source})" for source in sources))

    def says(self, rel: str) -> bool | None:
        """True: ignored; False: re-included by a `!` pattern; None: no pattern matches."""
        if self.joined is not None:
            return True if self.joined.search(rel) else None
        return self.spec.check_file(rel).include


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def relative_to(root: str, path: str) -> str | None:
    """`path` (absolute) relative to `root` in posix form, or None when it is outside it."""
    if path == root:
        return ""
    prefix = root.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].replace(os.sep, "/")


def matches(patterns: tuple[str, ...], root: str, path: str, is_dir: bool = False) -> bool:
    """Does `path` (absolute) match one of the gitignore `patterns` anchored at `root`? A path
    outside `root` is matched by its name only, so unanchored patterns still apply to it."""
    if not patterns:
        return False
    rel = relative_to(root, path)
    if rel is None:  # maybe reached through a symlinked folder; else matched by its name
        rel = relative_to(root, os.path.realpath(path))
    if rel is None:
        rel = os.path.basename(path)
    if not rel:
        return False
    return _spec(patterns).match_file(rel + "/" if is_dir else rel)


@dataclass(frozen=True)
class PathRules:
    """What a run skips. Picklable: pool workers and the flake8 plugin get the same rules."""

    root: str  # absolute folder the patterns are relative to
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = True  # also skip excluded files that were named explicitly

    def excludes(self, path: str, is_dir: bool = False) -> bool:
        return matches(self.exclude, self.root, path, is_dir)


@dataclass
class GitIgnores:
    """The `.gitignore` files met during one walk, with those of the folders above it up to
    the repository's top. Outside a git work tree nothing is ignored, as git does."""

    read: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folder -> its patterns
    tops: dict[str, str | None] = field(default_factory=dict)  # folder -> its work tree
    chains: dict[str, tuple[tuple[str, _IgnoreFile], ...]] = field(default_factory=dict)
    # folder -> the names in it, when the walk listed it: no stat for `.git`, no open of a
    # `.gitignore` that is not there (most folders have neither)
    listed: dict[str, frozenset[str]] = field(default_factory=dict)

    def saw(self, folder: str, subfolders, filenames) -> None:
        """The walk listed `folder` (call before asking about anything in it)."""
        names = {".git", ".gitignore"}.intersection((*subfolders, *filenames))
        self.listed[folder] = frozenset(names)

    def _has(self, folder: str, name: str) -> bool:
        names = self.listed.get(folder)
        return name in names if names is not None else os.path.exists(os.path.join(folder, name))

    def _work_tree(self, folder: str) -> str | None:
        if folder not in self.tops:
            parent = os.path.dirname(folder)
            if self._has(folder, ".git"):
                self.tops[folder] = folder
            else:
                self.tops[folder] = None if parent == folder else self._work_tree(parent)
        return self.tops[folder]

    def _patterns(self, folder: str, top: str) -> tuple[str, ...]:
        if folder not in self.read:
            names = [os.path.join(folder, ".gitignore")] if self._has(folder, ".gitignore") else []
            if folder == top:
                names.append(os.path.join(folder, ".git", "info", "exclude"))
            lines: list[str] = []
            for name in names:
                try:
                    with open(name, encoding="utf-8", errors="surrogateescape") as handle:
                        lines += handle.read().splitlines()
                except OSError:  # none there, unreadable, or a folder: nothing to ignore
                    pass
            self.read[folder] = tuple(line for line in lines if line.strip() and not line.startswith("#"))
        return self.read[folder]

    def _chain(self, folder: str) -> tuple[tuple[str, _IgnoreFile], ...]:
        """The folders from `folder` up to its work tree's top that have patterns, deepest
        first, each with its compiled patterns (asked once per folder, not once per file)."""
        if folder not in self.chains:
            top = self._work_tree(folder)
            chain: list[tuple[str, _IgnoreFile]] = []
            if top is not None:
                if folder != top:
                    chain += self._chain(os.path.dirname(folder))
                patterns = self._patterns(folder, top)
                if patterns:
                    chain.insert(0, (folder, _IgnoreFile(patterns)))
            self.chains[folder] = tuple(chain)
        return self.chains[folder]

    def ignores(self, path: str, is_dir: bool = False) -> bool:
        """Is `path` (absolute) ignored by git? The deepest `.gitignore` with a say decides;
        the walk never enters an ignored folder, so a parent's exclusion is already honoured."""
        for base, ignore_file in self._chain(os.path.dirname(path)):  # deepest first
            rel = relative_to(base, path) or ""
            said = ignore_file.says(rel + "/" if is_dir else rel)
            if said is not None:
                return said
        return False
