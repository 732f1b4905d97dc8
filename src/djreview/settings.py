"""What a run is asked to do, as the command line or the flake8 plugin decided it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from djreview import config as config_module
from djreview.config import Config
from djreview.limits import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from djreview.paths import PathRules


@dataclass
class Settings:
    codes: tuple[str, ...]  # enabled rule codes
    paths: PathRules | None = None  # what to skip (None: only VCS, caches, virtualenvs)
    jobs: int = 0  # 0: one per core
    query_rules_everywhere: bool = False  # review migrations and tests with DJR1xx too
    include_tests: bool = False  # review test modules with every rule
    config: Config | None = None  # per-file-ignores and severity overrides
    cache_dir: Path | None = None  # the cache folder (None: no cache)
    verbose: bool = False  # say why a cache file was ignored
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; larger files are skipped (0: no limit)
    python: str | None = None  # the project's interpreter or virtualenv (None: found as editors do)
    line_length: int = 88  # fixes wrap a line they make longer than this (see line_length.py)

    def findings_key(self) -> tuple:
        """What shapes a file's findings besides its text and the index (per-file ignores and
        severity overrides are applied afterwards, so they are not part of it)."""
        return (self.codes, self.query_rules_everywhere, self.include_tests)


def settings_from(
    config: Config,
    *,
    force_exclude: bool = True,
    jobs: int = 0,
    cache_dir: Path | None = None,
    verbose: bool = False,
    selected: Callable[[str], bool] | None = None,
) -> Settings:
    """What a run does under `config`: the one place where the command line and the flake8
    plugin turn a configuration into settings, so the two cannot drift apart. `selected`
    narrows the enabled codes further (flake8's own --select/--ignore). Raises ConfigError
    for a code, prefix or severity that names nothing."""
    known = config_module.known_codes()
    config_module.check_codes(config, known)
    codes = config_module.enabled_codes(config, known)
    if selected is not None:
        codes = tuple(code for code in codes if selected(code))
    return Settings(
        codes=codes,
        paths=config_module.path_rules(config, force_exclude),
        jobs=jobs,
        query_rules_everywhere=config.query_rules_everywhere,
        include_tests=config.include_tests,
        config=config,
        cache_dir=cache_dir,
        verbose=verbose,
        max_file_size=config.max_file_size,
        python=config.python,
        line_length=config.line_length,
    )
