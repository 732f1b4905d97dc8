"""Folder listings reused from the last run while a folder's mtime is unchanged."""

from __future__ import annotations

import os
import time

import pytest

from djreview.cache import listings as listing_cache
from djreview.cache.listings import ListingCache
from djreview.discovery import discover
from tests.helpers import write_project


def _age(root, seconds=60):
    """Set every folder's mtime in the past, as in a checkout that is not being edited."""
    past = time.time() - seconds
    for folder, _, _ in os.walk(root):
        os.utime(folder, (past, past))


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path, {"shop/models.py": "", "shop/views.py": "", "blog/models.py": ""})
    (tmp_path / ".djreview_cache").mkdir()  # as after a first run: saving does not touch the root
    monkeypatch.chdir(tmp_path)
    _age(tmp_path)
    return tmp_path


def _found(root, cache):
    return [p.relative_to(root).as_posix() for p in discover(["."], listings=cache)]


def _counting_scandir(monkeypatch):
    listed = []
    original = os.scandir

    def scandir(path):
        listed.append(os.path.relpath(path))
        return original(path)

    monkeypatch.setattr(listing_cache.os, "scandir", scandir)
    return listed


def test_unchanged_folders_are_not_listed_again(project, monkeypatch):
    cache_dir = project / ".djreview_cache"
    first = ListingCache(cache_dir)
    expected = _found(project, first)
    first.save()
    listed = _counting_scandir(monkeypatch)
    assert _found(project, ListingCache(cache_dir)) == expected
    assert listed == []


def test_a_file_added_to_a_listed_folder_is_found(project, monkeypatch):
    cache_dir = project / ".djreview_cache"
    cache = ListingCache(cache_dir)
    _found(project, cache)
    cache.save()
    (project / "shop/admin.py").write_text("")  # the folder's mtime is now
    listed = _counting_scandir(monkeypatch)
    assert "shop/admin.py" in _found(project, ListingCache(cache_dir))
    assert listed == ["shop"]


def test_a_folder_changed_just_before_it_was_listed_is_listed_again(project, monkeypatch):
    cache_dir = project / ".djreview_cache"
    (project / "blog/admin.py").write_text("")  # blog/ changed within the racy window
    cache = ListingCache(cache_dir)
    _found(project, cache)
    cache.save()
    listed = _counting_scandir(monkeypatch)
    _found(project, ListingCache(cache_dir))
    assert listed == ["blog"]


def test_a_removed_folder_is_gone_and_a_corrupt_cache_is_ignored(project):
    cache_dir = project / ".djreview_cache"
    cache = ListingCache(cache_dir)
    before = _found(project, cache)
    cache.save()
    for name in ("models.py", "__init__.py"):
        (project / "blog" / name).unlink()
    (project / "blog").rmdir()
    assert _found(project, ListingCache(cache_dir)) == [p for p in before if not p.startswith("blog/")]
    next(cache_dir.glob("listing-*.pickle")).write_bytes(b"not a pickle")
    assert "shop/views.py" in _found(project, ListingCache(cache_dir))
