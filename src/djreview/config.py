"""Settings from `[tool.djreview]` in pyproject.toml, with the command line on top.

Keys (the same names work as command-line options, which win):
  select, ignore, extend-select   codes or prefixes ("DJR1", "DJR201")
  extend-ignore                   codes or prefixes to disable on top of ignore
  exclude, extend-exclude         gitignore patterns of paths to skip (see paths.py)
  per-file-ignores                {pattern: [codes]}
  respect-gitignore               skip what git ignores (default true)
  severity                        {code: "error" | "warning" | "info"}
  query-rules-everywhere, include-tests   booleans
  max-file-size                   larger files are skipped with a note (bytes, or "512KiB")
  python                          the project's virtualenv (or its interpreter), where the bases
                                  of third-party packages are read from (see environment.py)
  djr504-python-default           DJR504 also reports an AddField of a NOT NULL column that has a
                                  Python default= only (default true; false: teams that deploy
                                  with downtime, where only a rolling deploy's old inserts fail)
  djr105-small-models             model class names whose tables stay small (configuration,
                                  schedules): DJR105 does not ask to index their fields
The line length fixes wrap to is not a djreview key: it is the project's Ruff, Black or
flake8 setting, read beside the same pyproject.toml (see line_length.py).
An unknown key, code or severity is an error that names it; nothing is silently ignored.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from djreview.limits import DEFAULT_MAX_FILE_SIZE, parse_size
from djreview.line_length import DEFAULT as DEFAULT_LINE_LENGTH
from djreview.line_length import project_line_length
from djreview.paths import PathRules, matches

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

KEYS = {
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "per-file-ignores",
    "severity",
    "query-rules-everywhere",
    "include-tests",
    "max-file-size",
    "python",
    "djr504-python-default",
    "djr105-small-models",
}
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A setting djreview cannot honour; the message names it."""


@dataclass
class Config:
    path: Path | None = None  # the pyproject.toml read, if any
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    query_rules_everywhere: bool = False
    include_tests: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    python: str | None = None
    djr504_python_default: bool = True  # DJR504's softer kind (see rules/DJR504-*.md)
    djr105_small_models: list[str] = field(default_factory=list)  # class names (see rules/DJR105-*.md)
    folder: Path | None = None  # where patterns are anchored when there is no config file
    line_length: int = DEFAULT_LINE_LENGTH  # the project's formatter's, for wrapping fixed lines
    line_length_from: str = "default"  # where line_length was read (see line_length.py)

    @property
    def root(self) -> Path:
        """The folder that path patterns and baseline paths are relative to."""
        if self.path:
            return self.path.parent.resolve()
        return (self.folder or Path.cwd()).resolve()


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def config_for(start: Path, explicit: Path | None = None) -> Config:
    """The configuration of a run on `start`: the `explicit` file, or the nearest
    pyproject.toml above `start`; without one, patterns are anchored at its project's root."""
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"no such config file: {explicit}")
    config = load(explicit or find_pyproject(start))
    if config.path is None:
        from djreview.discovery import project_root

        config.folder = project_root(start)
        config.line_length, config.line_length_from = project_line_length(config.root)
    return config


def known_codes() -> list[str]:
    """Every code a run can report: the parse error's and each rule's."""
    from djreview.rule import PARSE_ERROR, rule_codes

    return [PARSE_ERROR[0], *rule_codes()]


def _codes(key: str, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of codes")
    return [v.strip().upper() for v in value if v.strip()]


def load(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path} nests tables or arrays too deeply to read") from None
    section = data.get("tool", {}).get("djreview", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.djreview] must be a table")
    unknown = sorted(set(section) - KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} in [tool.djreview] (known: {', '.join(sorted(KEYS))})")
    config = Config(path=path)
    config.line_length, config.line_length_from = project_line_length(path.parent, data)
    config.select = _codes("select", section.get("select", []))
    config.ignore = _codes("ignore", section.get("ignore", []))
    config.extend_select = _codes("extend-select", section.get("extend-select", []))
    config.extend_ignore = _codes("extend-ignore", section.get("extend-ignore", []))
    for key in ("exclude", "extend-exclude"):
        patterns = section.get(key, [])
        if not isinstance(patterns, list) or not all(isinstance(e, str) for e in patterns):
            raise ConfigError(f"{key} must be a list of path patterns")
        setattr(config, key.replace("-", "_"), patterns)
    pfi = section.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError("per-file-ignores must be a table of pattern = [codes]")
    config.per_file_ignores = {glob: _codes(f"per-file-ignores.{glob}", codes) for glob, codes in pfi.items()}
    severity = section.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError("severity must be a table of CODE = level")
    config.severity = {code.upper(): level for code, level in severity.items()}
    for key in ("query-rules-everywhere", "include-tests", "respect-gitignore", "djr504-python-default"):
        value = section.get(key, getattr(config, key.replace("-", "_")))
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false")
        setattr(config, key.replace("-", "_"), value)
    small = section.get("djr105-small-models", [])
    if not isinstance(small, list) or not all(isinstance(m, str) and m.isidentifier() for m in small):
        raise ConfigError('djr105-small-models must be a list of model class names, like ["CrontabSchedule"]')
    config.djr105_small_models = small
    if "max-file-size" in section:
        size = parse_size(section["max-file-size"])
        if size is None:
            raise ConfigError('max-file-size must be a size in bytes, or like "512KiB" or "1MB" (0: no limit)')
        config.max_file_size = size
    if "python" in section:
        if not isinstance(section["python"], str) or not section["python"].strip():
            raise ConfigError("python must be the path of a virtualenv or of its python")
        config.python = section["python"]
    return config


def check_codes(config: Config, known: list[str]) -> None:
    """Every code or prefix must name at least one rule; every severity must be a level."""
    named = [("select", c) for c in config.select] + [("ignore", c) for c in config.ignore]
    named += [("extend-select", c) for c in config.extend_select]
    named += [("extend-ignore", c) for c in config.extend_ignore]
    named += [(f"per-file-ignores.{g}", c) for g, codes in config.per_file_ignores.items() for c in codes]
    named += [("severity", c) for c in config.severity]
    for key, code in named:
        if not any(k.startswith(code) for k in known):
            raise ConfigError(f"unknown rule code or prefix {code!r} in {key} (see `djreview rules`)")
    for code, level in config.severity.items():
        if level not in SEVERITIES:
            raise ConfigError(f"severity for {code} must be one of {', '.join(SEVERITIES)}, not {level!r}")


def enabled_codes(config: Config, known: list[str]) -> tuple[str, ...]:
    from djreview.rule import OPT_IN_CODES

    # an opt-in rule only when named in full (rule.OPT_IN_CODES)
    named = {*config.select, *config.extend_select}
    allowed = [k for k in known if k not in OPT_IN_CODES or k in named]
    chosen = [k for k in allowed if not config.select or any(k.startswith(s) for s in config.select)]
    chosen += [k for k in allowed if k not in chosen and any(k.startswith(s) for s in config.extend_select)]
    ignored = config.ignore + config.extend_ignore
    return tuple(k for k in known if k in chosen and not any(k.startswith(i) for i in ignored))


def path_rules(config: Config, force_exclude: bool = True) -> PathRules:
    return PathRules(
        root=str(config.root),
        exclude=tuple(config.exclude + config.extend_exclude),
        respect_gitignore=config.respect_gitignore,
        force_exclude=force_exclude,
    )


def apply(config: Config, findings: list) -> list:
    """per-file-ignores and severity overrides, on paths relative to the config's folder, and
    the findings a rule's setting turns off (djr504-python-default, djr105-small-models).
    Applied after the review (and its cache), so none of them is part of
    Settings.findings_key()."""
    from dataclasses import replace

    out = []
    root = str(config.root)
    if not config.djr504_python_default:
        from djreview.rules.djr504_breaking_schema_change import python_default_only

        findings = [f for f in findings if not python_default_only(f)]
    if config.djr105_small_models:
        from djreview.rules.djr105_filter_on_unindexed_field import model_of

        small = set(config.djr105_small_models)
        findings = [f for f in findings if model_of(f) not in small]
    for f in findings:
        full = os.path.abspath(f.path)
        ignored = any(
            any(f.code.startswith(c) for c in codes) and matches((pattern,), root, full)
            for pattern, codes in config.per_file_ignores.items()
        )
        if ignored:
            continue
        level = next((lvl for code, lvl in config.severity.items() if f.code.startswith(code)), None)
        out.append(replace(f, severity=level) if level else f)
    return out
