"""The command line contract: formats, exit codes, selection, subcommands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from djreview import __version__
from tests.conftest import write_project

SRC = str(Path(__file__).parents[1] / "src")

MODELS = """
from django.db import models

class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    def __str__(self):
        return self.title
"""


def djreview(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "djreview", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )


@pytest.fixture
def project(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    return tmp_path


def test_plain_output_is_flake8_style_without_colour(project):
    result = djreview("shop", cwd=project)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("shop/models.py:12:14: DJR201 Book.author: ForeignKey to Author has no related_name")
    assert "\x1b[" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Found 1 finding(s) in 2 file(s)")


def test_json_output_follows_the_contract(project):
    result = djreview("--format", "json", cwd=project)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["version"] == __version__
    assert data["summary"] == {"files": 2, "findings": 1, "errors": 0, "by_code": {"DJR201": 1}}
    finding = data["findings"][0]
    assert {k: finding[k] for k in ("code", "name", "severity", "path", "line", "column", "end_line")} == {
        "code": "DJR201",
        "name": "missing-related-name",
        "severity": "warning",
        "path": "shop/models.py",
        "line": 12,
        "column": 14,
        "end_line": 12,
    }
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"] == [
        {
            "path": "shop/models.py",
            "line": 12,
            "column": 64,
            "end_line": 12,
            "end_column": 64,
            "replacement": ', related_name="books"',
        }
    ]


def test_no_findings_exits_zero(project):
    result = djreview("--ignore", "DJR2", cwd=project)
    assert result.returncode == 0
    assert result.stdout.startswith("Found 0 finding(s)")


def test_select_by_prefix(project):
    assert djreview("--select", "DJR1", "shop", cwd=project).returncode == 0
    assert djreview("--select", "DJR201", "shop", cwd=project).returncode == 1


@pytest.mark.parametrize("args", [["--select", "DJR999"], ["--ignore", "XYZ"], ["missing/"]])
def test_usage_errors_exit_two_with_one_line(project, args):
    result = djreview(*args, cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_names_the_path(project):
    result = djreview("nowhere", cwd=project)
    assert "no such file or directory: nowhere" in result.stderr


def test_rule_page_and_rule_list(project):
    listing = djreview("rules", cwd=project)
    assert listing.returncode == 0
    assert "DJR101  n-plus-one" in listing.stdout
    page = djreview("rule", "DJR201", cwd=project)
    assert page.returncode == 0
    assert page.stdout.startswith("# DJR201")
    assert djreview("rule", "DJR999", cwd=project).returncode == 2


def test_djr001_has_a_page_and_is_listed_first(project):
    page = djreview("rule", "djr001", cwd=project)
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("# DJR001 parse-error\n")
    listing = djreview("rules", cwd=project).stdout.splitlines()
    assert listing[0] == "DJR001  parse-error            tool"
    assert [line.split()[0] for line in listing[1:]] == ["DJR101", "DJR102", "DJR201", "DJR202", "DJR301"]


def test_version_and_help(project):
    assert djreview("--version", cwd=project).stdout.strip() == f"djreview, version {__version__}"
    assert "Review PATHS" in djreview("check", "--help", cwd=project).stdout


def test_index_cache_is_reused_and_a_corrupt_one_rebuilt(project):
    first = djreview("shop", cwd=project)
    cache = project / ".djreview_cache"
    pickles = list(cache.glob("index-*.pickle"))
    assert len(pickles) == 1
    assert djreview("shop", cwd=project).stdout.splitlines()[0] == first.stdout.splitlines()[0]
    pickles[0].write_bytes(b"not a pickle")
    again = djreview("shop", cwd=project)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stdout.splitlines()[0] == first.stdout.splitlines()[0]


def test_cache_notices_an_edited_model(project):
    djreview("shop", cwd=project)
    models = project / "shop" / "models.py"
    models.write_text(
        models.read_text().replace(
            "models.ForeignKey(Author, on_delete=models.CASCADE)",
            'models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")',
        ),
        encoding="utf-8",
    )
    assert djreview("shop", cwd=project).returncode == 0


def test_no_cache_writes_nothing(project):
    djreview("--no-cache", "shop", cwd=project)
    assert not (project / ".djreview_cache").exists()
