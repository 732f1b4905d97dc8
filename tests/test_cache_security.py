"""A repository can never run code through djreview: not through a planted cache file, not by
being imported. Every cache file name djreview reads gets a payload whose unpickling writes a
file; every mode of the command line and the flake8 plugin must leave that file unwritten
and report what a run without any cache reports."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from djreview import __version__
from djreview.cache import FOLDER, key, store
from djreview.cache.findings import FindingsCache
from djreview.cache.index import IndexCache
from djreview.cache.listings import ListingCache
from djreview.cache.summary import SummaryCache
from tests.helpers import SRC, djreview, djreview_process, flake8

CACHE_KINDS = sorted(cls.kind for cls in (IndexCache, FindingsCache, ListingCache, SummaryCache))


class _Payload:
    """Unpickling this runs `exec(code)`: what an attacker would commit."""

    def __init__(self, marker: Path):
        self.code = f"open({str(marker)!r}, 'w').write('pwned')"

    def __reduce__(self):
        return (exec, (self.code,))


def _plant(project: Path, marker: Path, forged_header: bool) -> None:
    folder = project / FOLDER
    folder.mkdir(exist_ok=True)
    payload = pickle.dumps({"version": "x", "entries": _Payload(marker)})
    for kind in CACHE_KINDS:
        data = store.MAGIC + b"\0" * store.MAC_BYTES + payload if forged_header else payload
        store.file_for(folder, kind).write_bytes(data)


def test_every_cache_file_kind_is_covered():
    """A new cache kind must be added to CACHE_KINDS above (and so get planted payloads)."""
    assert sorted(cls.kind for cls in store.CacheFile.__subclasses__()) == CACHE_KINDS


@pytest.mark.parametrize("forged_header", [False, True], ids=["bare-pickle", "forged-header"])
@pytest.mark.parametrize(
    "mode",
    [(), ("-j", "1"), ("--diff",), ("--fix",), ("--format", "json")],
    ids=["check", "one-process", "diff", "fix", "json"],
)
def test_a_planted_cache_never_runs_and_changes_nothing(bookshop, tmp_path, mode, forged_header):
    clean = tmp_path / "clean"
    shutil.copytree(bookshop, clean)
    expected = djreview("--no-cache", "--format", "concise", *mode, ".", cwd=clean)
    marker = tmp_path / "pwned"
    _plant(bookshop, marker, forged_header)
    result = djreview("--format", "concise", *mode, ".", cwd=bookshop)
    assert not marker.exists()
    assert (result.returncode, result.stdout, result.stderr) == (
        expected.returncode,
        expected.stdout,
        expected.stderr,
    )
    if "--fix" in mode:  # the same files were fixed the same way
        for path in clean.rglob("*.py"):
            assert (bookshop / path.relative_to(clean)).read_bytes() == path.read_bytes()
    # the planted files were replaced by authentic ones, which a second run reads
    assert FindingsCache(bookshop / FOLDER).entries


def test_a_planted_cache_never_runs_in_the_flake8_plugin(bookshop, tmp_path):
    expected = flake8("--isolated", "--select", "DJR", "catalog/views.py", cwd=bookshop)
    shutil.rmtree(bookshop / FOLDER)
    marker = tmp_path / "pwned"
    _plant(bookshop, marker, forged_header=False)
    result = flake8("--isolated", "--select", "DJR", "catalog/views.py", cwd=bookshop)
    assert not marker.exists()
    assert "DJR101" in expected.stdout
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)


def test_a_rejected_cache_is_silent_unless_verbose(bookshop, tmp_path):
    _plant(bookshop, tmp_path / "pwned", forged_header=True)
    quiet = djreview("--format", "concise", ".", cwd=bookshop)
    assert "cache" not in quiet.stderr
    _plant(bookshop, tmp_path / "pwned", forged_header=True)
    loud = djreview("--format", "concise", "--verbose", ".", cwd=bookshop)
    assert loud.stdout == quiet.stdout
    for kind in CACHE_KINDS:
        name = f"{kind}-{__version__}.pickle"
        assert f"ignored cache file {bookshop / FOLDER / name}: not written by this user's djreview" in loud.stderr
    assert not (tmp_path / "pwned").exists()


def test_another_users_cache_is_not_trusted(bookshop, tmp_path):
    """A cache written with one key (another user, a shared CI cache) fails with another."""
    first = djreview("--format", "concise", ".", cwd=bookshop, env={"XDG_CACHE_HOME": str(tmp_path / "alice")})
    again = djreview("--format", "concise", "-v", ".", cwd=bookshop, env={"XDG_CACHE_HOME": str(tmp_path / "bob")})
    assert again.stdout == first.stdout
    assert "authentication failed" in again.stderr


def test_the_key_is_private_and_made_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    key.forget()
    try:
        made = key.user_key()
        path = key.key_path()
        assert made is not None and len(made) == key.KEY_BYTES
        assert path.is_relative_to(tmp_path / "xdg")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        key.forget()
        assert key.user_key() == made  # read back, not replaced
        path.chmod(0o644)  # readable by others: not a secret any more
        key.forget()
        assert key.user_key() is None
    finally:
        key.forget()


def test_no_usable_key_means_no_cache_read_or_written(bookshop, tmp_path):
    xdg = tmp_path / "xdg"
    (xdg / "djreview").mkdir(parents=True)
    (xdg / "djreview" / "cache-key").write_bytes(b"k" * key.KEY_BYTES)
    (xdg / "djreview" / "cache-key").chmod(0o644)
    result = djreview("--format", "concise", ".", cwd=bookshop, env={"XDG_CACHE_HOME": str(xdg)})
    assert result.returncode == 1 and "DJR101" in result.stdout
    assert not list((bookshop / FOLDER).glob("*.pickle"))  # nothing written it could not read back


PROJECT_CODE = """
open({marker!r} + "-{name}", "w").write("imported")
from django.db import models

class Shelf(models.Model):
    label = models.CharField(max_length=20)
"""


def test_project_code_is_never_imported_or_run(tmp_path):
    """settings.py, models.py, manage.py, apps.py and a conftest.py that write a file when
    imported: djreview and its flake8 plugin read them as text only."""
    project = tmp_path / "site"
    (project / "shop").mkdir(parents=True)
    marker = str(tmp_path / "ran")
    for rel in ("manage.py", "site_settings/settings.py", "shop/models.py", "shop/apps.py", "conftest.py"):
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(PROJECT_CODE.format(marker=marker, name=rel.replace("/", "-")), encoding="utf-8")
    env = {"DJANGO_SETTINGS_MODULE": "site_settings.settings", "PYTHONPATH": f"{SRC}{os.pathsep}{project}"}
    plugin = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "DJR", "shop/models.py"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert "DJR202" in plugin.stdout  # the model was understood, from its text
    for args in (("--no-cache", "."), (".",), ("-j", "1", "shop/models.py"), ("--diff", "."), ("--fix", ".")):
        result = djreview_process("--format", "concise", *args, cwd=project, env=env)
        assert result.returncode in (0, 1), result.stderr
    assert not list(tmp_path.glob("ran*"))
