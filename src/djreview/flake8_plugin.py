"""flake8 plugin: `flake8 --select DJR` reports djreview's findings, with cross-file knowledge.

flake8 hands over one file at a time; the plugin finds the file's project (manage.py,
pyproject.toml, setup.cfg or .git above it), builds or loads that project's index from the
on-disk cache once per process, and reviews the file's text as flake8 read it (an editor's
unsaved buffer included).

What runs is decided once, in `parse_options`, the way the command line decides it:
flake8's own select/ignore (its DecisionEngine, default selection included) say which DJR
codes flake8 would show; `[tool.djreview]` in pyproject.toml narrows them and supplies the
path rules, per-file ignores and severities (`settings.settings_from`, shared with the CLI).
When flake8 shows no DJR code (`flake8 --select E9`) the plugin does nothing at all: no
config, no index, no cache, no pool.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from djreview import __version__

if TYPE_CHECKING:
    import argparse

    from djreview.paths import GitIgnores
    from djreview.settings import Settings


class Plugin:
    name = "djreview"
    version = __version__
    # Decided by parse_options for the whole flake8 run (and inherited by its forked workers):
    # the settings to review with, or None when no DJR code is to be shown.
    _decided = False
    _settings: Settings | None = None

    def __init__(self, tree, filename: str, lines: list[str]):
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        from flake8.style_guide import Decision, DecisionEngine

        from djreview.rule import OPT_IN_CODES, PARSE_ERROR, rule_codes

        engine = DecisionEngine(options)
        shown = frozenset(
            code for code in (PARSE_ERROR[0], *rule_codes()) if engine.decision_for(code) is Decision.Selected
        )
        cls._decided, cls._settings = True, None
        if not shown:
            return
        paths = [_named(name, options) for name in (options.filenames or ["."])]
        # `flake8 --extend-select DJR303` names an opt-in rule in full, as the CLI's would
        named = {c.strip().upper() for key in ("select", "extend_select") for c in getattr(options, key, None) or ()}
        cls._settings = _settings_for(paths[0], shown, frozenset(named & OPT_IN_CODES))
        if cls._settings is not None:
            _prepare(paths, cls._settings)

    def run(self):
        if not Plugin._decided:  # built without flake8's option parsing: every code is shown
            Plugin._decided, Plugin._settings = True, _settings_for(Path(self.filename or "."), None)
        settings = Plugin._settings
        if settings is None or self.filename in ("stdin", "-", None):
            return
        from djreview.config import apply
        from djreview.editor import review_text

        path = Path(self.filename)
        if _excluded(path, settings):
            return
        result = review_text(path, "".join(self.lines), _here(settings))
        findings = apply(settings.config, result.findings) if settings.config is not None else result.findings
        for f in findings:
            if f.path != result.path:
                continue  # a finding in a template the file renders: flake8 shows this file's lines only
            yield f.line, f.column - 1, f"{f.code} {f.text}", type(self)


def _named(name: str, options) -> Path:
    """The path flake8 was given; standard input stands for its --stdin-display-name."""
    if name == "-":
        display = getattr(options, "stdin_display_name", "stdin")
        return Path(display if display not in ("stdin", "-") else ".")
    return Path(name)


def _settings_for(start: Path, shown: frozenset[str] | None, opt_in: frozenset[str] = frozenset()) -> Settings | None:
    """The CLI's settings for a run on `start` (its pyproject.toml, its cache folder), keeping
    only the codes flake8 shows, plus the opt-in codes flake8's selection names in full; None
    when nothing is left or the configuration is wrong (one line on stderr: flake8's other
    checks still run)."""
    from djreview import config as cfg
    from djreview.discovery import default_cache_folder
    from djreview.settings import settings_from

    try:
        config = cfg.config_for(start)
        config.extend_select = [*config.extend_select, *sorted(opt_in)]
        settings = settings_from(
            config,
            cache_dir=default_cache_folder(start),
            selected=shown.__contains__ if shown is not None else None,
        )
    except cfg.ConfigError as exc:
        print(f"djreview: error: {exc} (DJR checks are off for this run)", file=sys.stderr)
        return None
    return settings if settings.codes else None


def _here(settings: Settings) -> Settings:
    """flake8's -j workers are daemonic processes of a pool already using every core: a pool
    of djreview's own inside them would be nested (and daemonic processes cannot have
    children), so there the work stays in the process."""
    import multiprocessing
    from dataclasses import replace

    return replace(settings, jobs=1) if multiprocessing.current_process().daemon else settings


def _prepare(paths: list[Path], settings: Settings) -> None:
    """Index what the CLI indexes for these paths before flake8 forks its workers, which then
    inherit the index instead of each building its own."""
    from contextlib import suppress

    from djreview.editor import prepare

    # a failure here would end flake8 with a traceback; the first review tries again, and
    # flake8 reports what fails there as the plugin's error, its other checks unharmed
    with suppress(Exception):
        prepare(paths, _here(settings))


_GIT_IGNORES: GitIgnores | None = None  # the .gitignore files read so far, for every file


def _excluded(path: Path, settings: Settings) -> bool:
    """Would the CLI skip this file if it were named (exclude patterns, .gitignore)?"""
    global _GIT_IGNORES
    rules = settings.paths
    if rules is None or not rules.force_exclude:
        return False
    full = os.path.abspath(path)
    if rules.excludes(full):
        return True
    if not rules.respect_gitignore:
        return False
    if _GIT_IGNORES is None:
        from djreview.paths import GitIgnores

        _GIT_IGNORES = GitIgnores()
    return _GIT_IGNORES.ignores(full)
