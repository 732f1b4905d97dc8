"""The on-disk caches: warm runs reuse findings without parsing, a change to a model in one
file re-reviews the files that used it, corrupt caches are rebuilt, and the output does not
depend on the number of workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from djreview.cache.findings import FindingsCache
from djreview.engine import Settings, run
from tests.conftest import ALL_CODES, write_project
from tests.test_bookshop import BOOKSHOP
from tests.test_cli import SRC, djreview

MODELS = """
from django.db import models

class Publisher(models.Model):
    name = models.CharField(max_length=100)

class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=100)

    def __str__(self):
        return self.title
"""

VIEWS = """
from shop.models import Book

def titles():
    return [(book.title, book.author.name) for book in Book.objects.all()]
"""

_CHAR = "author = models.CharField(max_length=100)"
_FK = "author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')"

UNRELATED = """
def total(prices):
    return sum(prices)
"""


@pytest.fixture
def shop(tmp_path, monkeypatch):
    write_project(
        tmp_path, {"shop/models.py": MODELS, "shop/views.py": VIEWS, "shop/utils.py": UNRELATED, "manage.py": ""}
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(root, **settings):
    return run(["."], Settings(codes=ALL_CODES, jobs=1, cache_dir=root / ".djreview_cache", **settings))


def _found(report):
    return [(f.code, f.path, f.line) for f in report.findings]


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


def test_warm_run_reuses_findings_without_parsing(shop, parses):
    (shop / "shop/models.py").write_text(MODELS.replace(_CHAR, _FK))
    cold = _run(shop)
    assert ("DJR101", "shop/views.py", 5) in _found(cold)
    parses.clear()
    warm = _run(shop)
    assert parses == []
    assert warm.findings == cold.findings


def test_editing_a_model_re_reviews_the_file_that_loops_over_it(shop, parses):
    assert [c for c in _found(_run(shop)) if c[0] == "DJR101"] == []  # author is a CharField
    models = shop / "shop/models.py"
    models.write_text(MODELS.replace(_CHAR, _FK))
    parses.clear()
    after = _run(shop)
    # views.py did not change, but its findings used Book's fields
    assert ("DJR101", "shop/views.py", 5) in _found(after)
    assert "shop/views.py" in parses
    assert "shop/utils.py" not in parses  # it asked nothing of Book
    assert after.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings  # same as cold
    models.write_text(MODELS)
    assert [c for c in _found(_run(shop)) if c[0] == "DJR101"] == []


def test_a_body_edit_that_changes_no_declaration_re_reviews_only_that_file(shop, parses):
    (shop / "shop/models.py").write_text(MODELS.replace(_CHAR, _FK))  # views.py then needs a CST
    _run(shop)
    views = shop / "shop/views.py"
    views.write_text(VIEWS + "\n\ndef more():\n    return 1\n")
    parses.clear()
    report = _run(shop)
    assert parses == ["shop/views.py"]
    assert report.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings


def test_other_settings_are_not_served_from_the_cache(shop):
    everything = _found(_run(shop))
    only_str = _found(run(["."], Settings(codes=("DJR202",), jobs=1, cache_dir=shop / ".djreview_cache")))
    assert only_str == [c for c in everything if c[0] == "DJR202"]
    assert _found(_run(shop)) == everything


@pytest.mark.parametrize("name", ["findings", "index"])
def test_a_corrupt_cache_is_rebuilt(shop, name):
    cold = _found(_run(shop))
    folder = shop / ".djreview_cache"
    target = next(folder.glob(f"{name}-*.pickle"))
    target.write_bytes(b"\x80\x05 not a pickle")
    assert _found(_run(shop)) == cold
    assert FindingsCache(folder).entries  # written again, readable


def test_a_cache_of_another_shape_is_ignored(shop):
    cold = _found(_run(shop))
    target = next((shop / ".djreview_cache").glob("findings-*.pickle"))
    import pickle

    target.write_bytes(pickle.dumps({"version": "0", "entries": {"x": 1}}))
    assert _found(_run(shop)) == cold


def test_warm_cli_run_imports_neither_libcst_nor_rich(shop):
    cold = djreview("--format", "concise", ".", cwd=shop)  # fills the caches
    assert "DJR" in cold.stdout
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['djreview', '--format', 'concise', '.']\n"
        "try:\n    runpy.run_module('djreview', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n"
    )
    warm = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=shop,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": SRC, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]},
    )
    assert warm.stdout == cold.stdout
    assert warm.stderr.strip().splitlines()[-1] == "False False"


def test_output_is_byte_identical_with_one_or_two_workers(tmp_path):
    root = tmp_path / "bookshop"
    shutil.copytree(BOOKSHOP, root)
    views = (root / "catalog" / "views.py").read_text(encoding="utf-8")
    for i in range(40):  # enough files for the process pool to start
        (root / "catalog" / f"views_{i}.py").write_text(views, encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        for fmt in ("concise", "json", "sarif"):
            result = djreview("--no-cache", "-j", jobs, "--format", fmt, ".", cwd=root)
            assert result.returncode == 1
            outputs[jobs, fmt] = (result.stdout, result.stderr)
    for fmt in ("concise", "json", "sarif"):
        assert outputs["1", fmt] == outputs["2", fmt]
    assert outputs["1", "concise"][0].count("catalog/views_") > 40


def test_deleted_files_leave_the_caches(shop):
    _run(shop)
    (shop / "shop/utils.py").unlink()
    (shop / "shop/views.py").write_text(VIEWS + "\n# changed\n")
    _run(shop)
    from djreview.cache.index import IndexCache

    gone = str(shop / "shop" / "utils.py")
    assert gone not in IndexCache(shop / ".djreview_cache").entries
    assert gone not in FindingsCache(shop / ".djreview_cache").entries
    assert str(shop / "shop" / "views.py") in FindingsCache(shop / ".djreview_cache").entries


def test_an_entry_whose_answers_cannot_be_read_is_reviewed_again(shop, parses):
    _run(shop)
    cache = FindingsCache(shop / ".djreview_cache")
    for entry in cache.entries.values():
        entry.answers = b"\x80\x05 damaged"
    cache.changed = True
    cache.save()
    (shop / "shop/models.py").write_text(MODELS.replace(_CHAR, _FK))  # the index changed: answers are read
    parses.clear()
    after = _run(shop)
    assert "shop/views.py" in parses
    assert after.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings
