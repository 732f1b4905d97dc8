"""flake8 --select DJR reports what djreview reports, codes, lines and columns included."""

from __future__ import annotations

import re

from tests.helpers import AUTHOR_AND_BOOK, bookshop_expected, djreview, flake8, write_project

FLAKE8_LINE = re.compile(r"^\./(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>DJR\d{3}) ")


def test_flake8_reports_the_expected_findings_of_the_sample_project(bookshop):
    result = flake8("--select", "DJR", "--isolated", ".", cwd=bookshop)  # a copy: the plugin writes a cache
    assert result.returncode == 1, result.stderr
    found = sorted(
        (m["path"], int(m["line"]), m["code"]) for m in map(FLAKE8_LINE.match, result.stdout.splitlines()) if m
    )
    assert found == bookshop_expected()


def test_flake8_columns_match_djreview(bookshop):
    result = djreview("--format", "concise", "--no-cache", "catalog/views.py", cwd=bookshop)
    theirs = flake8("--select", "DJR", "--isolated", "catalog/views.py", cwd=bookshop)
    ours = [line.split(" ", 2)[:2] for line in result.stdout.splitlines()]
    theirs = [line.split(" ", 2)[:2] for line in theirs.stdout.splitlines()]
    assert ours and ours == theirs


def test_one_file_still_knows_the_models_of_other_files(tmp_path):
    (tmp_path / "manage.py").write_text("", encoding="utf-8")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "shop" / "models.py").write_text(
        "from django.db import models\n\n\nclass Author(models.Model):\n    name = models.TextField()\n\n"
        "    def __str__(self):\n        return self.name\n\n\nclass Book(models.Model):\n"
        "    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')\n\n"
        "    def __str__(self):\n        return str(self.pk)\n",
        encoding="utf-8",
    )
    (tmp_path / "shop" / "views.py").write_text(
        "from shop.models import Book\n\n\ndef names():\n    return [b.author.name for b in Book.objects.all()]\n",
        encoding="utf-8",
    )
    result = flake8("--select", "DJR", "--isolated", "shop/views.py", cwd=tmp_path)
    assert result.stdout.startswith("shop/views.py:5:13: DJR101 N+1 query: `b.author`")
    assert (tmp_path / ".djreview_cache" / ".gitignore").is_file()


def test_buffer_of_a_latin1_file_is_not_decoded_again():
    """flake8 hands over decoded text: re-encoding it as UTF-8 and honouring the latin-1 cookie
    would turn caf\u00e9 into caf\u00c3\u00a9 and shift every column after it."""
    from djreview.source import load_text

    text = "# -*- coding: latin-1 -*-\nname = 'caf\u00e9'; x = 1\n"
    source = load_text(text)
    assert source.tree is not None
    assert source.text.splitlines()[1] == "name = 'caf\u00e9'; x = 1"


def test_a_saved_file_comes_from_the_findings_cache_and_an_edited_buffer_does_not(tmp_path):
    import dataclasses

    from djreview.cache.findings import FindingsCache
    from djreview.finding import Finding

    write_project(
        tmp_path,
        {
            "manage.py": "",
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/views.py": "def names(authors):\n    return [a.name for a in authors]\n",
        },
    )
    assert flake8("--select", "DJR", "--isolated", "shop/views.py", cwd=tmp_path).stdout == ""
    cache = FindingsCache(tmp_path / ".djreview_cache")
    entry = cache.entries[str(tmp_path / "shop" / "views.py")]
    # plant a finding: if the next run prints it, the saved file was served from the cache
    planted = Finding("DJR101", "n-plus-one", "warning", "shop/views.py", 2, 5, 2, 6, "planted")
    entry.result = dataclasses.replace(entry.result, findings=[planted])
    cache.changed = True
    cache.save()
    assert flake8("--select", "DJR", "--isolated", "shop/views.py", cwd=tmp_path).stdout == (
        "shop/views.py:2:5: DJR101 planted\n"
    )
    # an unsaved buffer with an N+1 is reviewed as it is, not answered from the cache
    buffer = "from shop.models import Book\n\ndef titles():\n    return [b.author.name for b in Book.objects.all()]\n"
    edited = flake8(
        "--select", "DJR", "--isolated", "--stdin-display-name", "shop/views.py", "-", cwd=tmp_path, input=buffer
    )
    assert edited.stdout.startswith("shop/views.py:4:")
    assert "DJR101" in edited.stdout and "planted" not in edited.stdout
