"""A `.djreview_cache` a repository commits cannot make djreview read or write elsewhere, or
hang: a folder that is a symbolic link, holds one (or a FIFO, or another user's file) is not
used at all, and --verbose says why (issue 13 items 12 and 16). What djreview creates is the
user's alone: the folder 0700, its files 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from djreview import __version__
from djreview.cache import FOLDER, store
from tests.helpers import SRC, djreview

INDEX_FILE = f"index-{__version__}.pickle"
FINDINGS_FILE = f"findings-{__version__}.pickle"


@pytest.fixture
def expected(bookshop):
    result = djreview("--no-cache", "--format", "concise", ".", cwd=bookshop)
    assert result.returncode == 1 and "DJR101" in result.stdout
    return result.stdout


def _run_verbose(bookshop):
    return djreview("--format", "concise", "--verbose", ".", cwd=bookshop)


def test_a_cache_folder_that_is_a_symlink_is_not_used(bookshop, tmp_path, expected):
    outside = tmp_path / "outside"
    outside.mkdir()
    (bookshop / FOLDER).symlink_to(outside, target_is_directory=True)
    result = _run_verbose(bookshop)
    assert (result.returncode, result.stdout) == (1, expected)
    assert f"ignored cache folder {bookshop / FOLDER}: it is a symbolic link; running without a cache" in (
        result.stderr.splitlines()[0].removeprefix("djreview: ")
    )
    assert list(outside.iterdir()) == []  # nothing written through the link
    assert (bookshop / FOLDER).is_symlink()


def test_a_symlinked_gitignore_is_never_written_through(bookshop, tmp_path, expected):
    target = tmp_path / "victim"
    target.write_text("precious\n")
    (bookshop / FOLDER).mkdir(mode=0o700)
    (bookshop / FOLDER / ".gitignore").symlink_to(target)
    result = _run_verbose(bookshop)
    assert (result.returncode, result.stdout) == (1, expected)
    assert "it holds a symbolic link (.gitignore)" in result.stderr
    assert target.read_text() == "precious\n"
    assert sorted(p.name for p in (bookshop / FOLDER).iterdir()) == [".gitignore"]  # no cache written


def test_a_symlinked_cache_file_pointing_outside_is_left_alone(bookshop, tmp_path, expected):
    target = tmp_path / "victim.pickle"
    target.write_bytes(b"not a cache")
    (bookshop / FOLDER).mkdir(mode=0o700)
    (bookshop / FOLDER / INDEX_FILE).symlink_to(target)
    for _ in range(2):
        result = _run_verbose(bookshop)
        assert (result.returncode, result.stdout) == (1, expected)
        assert f"it holds a symbolic link ({INDEX_FILE})" in result.stderr
    assert target.read_bytes() == b"not a cache"
    assert (bookshop / FOLDER / INDEX_FILE).is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_cache_file_does_not_hang_the_run(bookshop, expected):
    (bookshop / FOLDER).mkdir(mode=0o700)
    os.mkfifo(bookshop / FOLDER / FINDINGS_FILE)
    result = subprocess.run(
        [sys.executable, "-m", "djreview", "--format", "concise", "--verbose", "."],
        cwd=bookshop,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, expected)
    assert f"it holds {FINDINGS_FILE}, which is not a regular file" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_that_appears_after_the_folder_check_is_not_opened_for_long(tmp_path, monkeypatch):
    """The second guard: a cache file is opened without blocking and must be a regular file."""
    folder = tmp_path / FOLDER
    folder.mkdir(mode=0o700)
    os.mkfifo(store.file_for(folder, "index"))
    monkeypatch.setattr(store, "folder_problem", lambda folder: None)
    store.rejected.clear()
    assert store.read(folder, "index", lambda entry: True) == {}
    assert store.rejected == [
        f"ignored cache file {store.file_for(folder, 'index')}: not a regular file; it will be rebuilt"
    ]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give a file away")
def test_a_cache_folder_of_another_user_is_not_used(bookshop, expected):
    djreview("--format", "concise", ".", cwd=bookshop)  # a real cache
    os.chown(bookshop / FOLDER / FINDINGS_FILE, 65534, 65534)
    result = _run_verbose(bookshop)
    assert (result.returncode, result.stdout) == (1, expected)
    assert f"it holds {FINDINGS_FILE}, which belongs to another user" in result.stderr
    assert (bookshop / FOLDER / FINDINGS_FILE).stat().st_uid == 65534  # not replaced


def test_the_cache_folder_and_its_files_are_private(bookshop, expected):
    result = djreview("--format", "concise", ".", cwd=bookshop)
    assert (result.returncode, result.stdout) == (1, expected)
    folder = bookshop / FOLDER
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {".gitignore", INDEX_FILE, FINDINGS_FILE}
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    warm = djreview("--format", "concise", "--verbose", ".", cwd=bookshop)
    assert (warm.stdout, warm.stderr) == (expected, "")  # and a real cache is used, quietly
