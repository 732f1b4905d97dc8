"""Helpers: review a small in-memory project through the real engine."""

from __future__ import annotations

import os
import tempfile
import textwrap
from pathlib import Path

import pytest

from djreview.engine import Settings, run
from djreview.rule import all_rules
from djreview.worker import PARSE_ERROR

ALL_CODES = (PARSE_ERROR[0], *all_rules())


def pytest_configure(config) -> None:
    """The per-user cache key (djreview/cache/key.py) lives under a folder of the test run's
    own, never in the home of whoever runs the tests; subprocesses inherit it."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="djreview-tests-xdg-")


def write_project(root: Path, files: dict[str, str]) -> None:
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        # make every folder on the way a package, as in a real Django project
        parent = path.parent
        while parent != root:
            (parent / "__init__.py").touch()
            parent = parent.parent


@pytest.fixture
def review(tmp_path, monkeypatch):
    """review(files, select=None) -> list of findings, paths relative to the project root."""

    def _review(files: dict[str, str], select: tuple[str, ...] | None = None, **settings):
        write_project(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        codes = tuple(c for c in ALL_CODES if not select or any(c.startswith(s) for s in select))
        return run(["."], Settings(codes=codes, jobs=1, **settings)).findings

    return _review


def codes_lines(findings) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in findings]
