"""The project's line length, as its formatter or linter sees it: fixes wrap a line they make
longer than this (see wrap.py).

Read from the project's root folder, first found wins:
  1. Ruff: `line-length` in `.ruff.toml`, `ruff.toml` (Ruff itself prefers these to
     pyproject.toml), then `[tool.ruff] line-length` in pyproject.toml;
  2. Black: `[tool.black] line-length` in pyproject.toml;
  3. flake8: `max-line-length` in the `[flake8]` section of setup.cfg, tox.ini or .flake8,
     the first of them that has that section (as flake8 itself chooses);
  4. 88, the default of Ruff and Black.
Formatters come first: their value is what formatted code is laid out to, where flake8's is a
lint ceiling, often set higher to leave slack. A value that is not a whole number from 1 to
320 (Ruff's bounds), or a file that cannot be read, is passed over: other tools' settings
never stop a review.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT = 88


def _valid(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, str) and value.strip().isdigit()):
            return None
        value = int(value.strip())
    return value if 1 <= value <= 320 else None


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}


def _flake8(path: Path) -> tuple[bool, int | None]:
    """(whether the file has a [flake8] section, its max-line-length)."""
    if not path.is_file():
        return False, None
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return False, None
    if not parser.has_section("flake8"):
        return False, None
    for key in ("max-line-length", "max_line_length"):  # flake8 accepts both spellings
        if parser.has_option("flake8", key):
            return True, _valid(parser.get("flake8", key).split("#")[0])
    return True, None


def project_line_length(folder: Path, pyproject: dict | None = None) -> tuple[int, str]:
    """(the line length, where it was read) for the project at `folder`; `pyproject` is its
    pyproject.toml already parsed (read here when None)."""
    for name in (".ruff.toml", "ruff.toml"):
        found = _valid(_toml(folder / name).get("line-length"))
        if found is not None:
            return found, f"{name} line-length"
    if pyproject is None:
        pyproject = _toml(folder / "pyproject.toml")
    tool = pyproject.get("tool", {})
    tool = tool if isinstance(tool, dict) else {}
    for section, key in (("ruff", "line-length"), ("black", "line-length")):
        table = tool.get(section, {})
        found = _valid(table.get(key)) if isinstance(table, dict) else None
        if found is not None:
            return found, f"pyproject.toml [tool.{section}] {key}"
    for name in ("setup.cfg", "tox.ini", ".flake8"):
        has_section, found = _flake8(folder / name)
        if found is not None:
            return found, f"{name} [flake8] max-line-length"
        if has_section:
            break  # flake8 reads the first of these files that has a [flake8] section, only
    return DEFAULT, "default"
