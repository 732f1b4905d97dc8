"""Fixtures: review a small in-memory project through the real engine, copies of the sample
project, and a check that the suite leaves tests/fixtures/ as it found it. Plain helpers and
shared model sources are in helpers.py."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from djreview.engine import Settings, run
from tests.helpers import ALL_CODES, AUTHOR_AND_BOOK, BOOKSHOP, FIXTURES, write_project

_XDG: list[str] = []  # the folder this process made, removed when the run ends


def pytest_configure(config) -> None:
    """The per-user cache key (djreview/cache/key.py) lives under a folder of the test run's
    own, never in the home of whoever runs the tests; subprocesses inherit it."""
    _XDG.append(tempfile.mkdtemp(prefix="djreview-tests-xdg-"))
    os.environ["XDG_CACHE_HOME"] = _XDG[-1]


def pytest_unconfigure(config) -> None:
    """Each run used to leave its folder (and a key) behind in the temporary directory."""
    while _XDG:
        shutil.rmtree(_XDG.pop(), ignore_errors=True)


@pytest.fixture
def review(tmp_path, monkeypatch):
    """review(files, select=None) -> list of findings, paths relative to the project root."""

    def _review(files: dict[str, str], select: tuple[str, ...] | None = None, **settings):
        write_project(tmp_path, files)
        monkeypatch.chdir(tmp_path)
        codes = tuple(c for c in ALL_CODES if not select or any(c.startswith(s) for s in select))
        return run(["."], Settings(codes=codes, jobs=1, **settings)).findings

    return _review


@pytest.fixture
def parses(monkeypatch):
    """The files reviewed from now on with a CST (not served from the cache)."""
    from djreview.context import FileContext

    seen: list[str] = []
    original = FileContext.__init__

    def spy(self, display, *args, **kwargs):
        seen.append(display)
        original(self, display, *args, **kwargs)

    monkeypatch.setattr(FileContext, "__init__", spy)
    return seen


@pytest.fixture
def shop_project(tmp_path):
    """A project of one file, shop/models.py: AUTHOR_AND_BOOK (one DJR201 finding)."""
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK})
    return tmp_path


@pytest.fixture
def bookshop(tmp_path):
    """A copy of the sample project, for tests that run djreview (or flake8) with a cache or
    with --fix: what they write stays under tmp_path."""
    root = tmp_path / "bookshop"
    shutil.copytree(BOOKSHOP, root, ignore=shutil.ignore_patterns(".djreview_cache", "__pycache__"))
    return root


def _fixture_files() -> dict[str, tuple[int, int]]:
    seen = {}
    for folder, folders, files in os.walk(FIXTURES):
        for name in folders + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            seen[os.path.relpath(path, FIXTURES)] = (st.st_size, st.st_mtime_ns)
    if os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS"):  # test_bookshop rewrites its snapshots on purpose
        seen.pop("bookshop.expected", None)
        seen.pop("bookshop.fixes.expected", None)
    return seen


@pytest.fixture(scope="session", autouse=True)
def fixtures_are_left_untouched():
    """The suite fails (an error at the teardown of its last test) if anything under
    tests/fixtures/ was created, changed or removed while it ran."""
    before = _fixture_files()
    yield
    after = _fixture_files()
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert not changed, f"the tests wrote into tests/fixtures/: {changed}"
