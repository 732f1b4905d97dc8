"""Output formats users know: concise lines, GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write_project
from tests.test_cli import MODELS, djreview


@pytest.fixture
def project(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    return tmp_path


def test_concise_is_flake8_lines_only(project):
    result = djreview("--format", "concise", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("shop/models.py:12:14: DJR201 Book.author:")


def test_github_workflow_command(project):
    result = djreview("--format", "github", cwd=project)
    line = result.stdout.strip()
    assert line.startswith(
        "::warning file=shop/models.py,line=12,col=14,endLine=12,endColumn=65,title=DJR201 missing-related-name::"
    )
    assert "%0AFix (safe): add related_name=" in line  # newlines are escaped, one line per finding
    assert "\n" not in line


def test_github_severity_maps_to_error(project):
    result = djreview("--format", "github", "--severity", "DJR201=error", cwd=project)
    assert result.stdout.startswith("::error ")


def test_gitlab_code_quality(project):
    issues = json.loads(djreview("--format", "gitlab", cwd=project).stdout)
    assert len(issues) == 1
    issue = issues[0]
    assert issue["check_name"] == "DJR201 missing-related-name"
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "shop/models.py", "lines": {"begin": 12, "end": 12}}
    assert len(issue["fingerprint"]) == 32


def test_gitlab_fingerprint_survives_unrelated_edits(project):
    before = json.loads(djreview("--format", "gitlab", cwd=project).stdout)[0]["fingerprint"]
    models = project / "shop" / "models.py"
    models.write_text("# a new comment line\n" + models.read_text(), encoding="utf-8")
    after = json.loads(djreview("--format", "gitlab", cwd=project).stdout)[0]
    assert after["location"]["lines"]["begin"] == 13
    assert after["fingerprint"] == before
