"""--changed-since on a real git repository, and --baseline across edits that shift lines."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.helpers import AUTHOR_MODULE, BOOK_WITHOUT_RELATED_NAME, TAG_WITHOUT_STR, djreview, write_project


def _git(root, *args):
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    )


def _findings(result):
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def repo(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_MODULE, "shop/legacy.py": TAG_WITHOUT_STR})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    (tmp_path / "shop" / "models.py").write_text(AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME, encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "second: a Book with an FK")
    return tmp_path


def test_everything_without_changed_since(repo):
    assert _findings(djreview("--format", "json", cwd=repo)) == [
        ("DJR202", "shop/legacy.py", 5),
        ("DJR201", "shop/models.py", 14),
    ]


def test_changed_since_keeps_only_lines_of_the_change(repo):
    result = djreview("--format", "json", "--changed-since", "HEAD~1", cwd=repo)
    assert _findings(result) == [("DJR201", "shop/models.py", 14)]


def test_changed_since_includes_uncommitted_and_untracked_files(repo):
    (repo / "shop" / "new.py").write_text(TAG_WITHOUT_STR, encoding="utf-8")
    result = djreview("--format", "json", "--changed-since", "HEAD", cwd=repo)
    assert _findings(result) == [("DJR202", "shop/new.py", 5)]


def test_changed_since_with_an_unknown_ref_is_a_usage_error(repo):
    result = djreview("--changed-since", "no-such-ref", cwd=repo)
    assert result.returncode == 2
    assert "--changed-since no-such-ref" in result.stderr
    assert "Traceback" not in result.stderr


def test_baseline_hides_known_findings_across_line_shifts(tmp_path):
    write_project(
        tmp_path, {"shop/models.py": AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME, "shop/legacy.py": TAG_WITHOUT_STR}
    )
    written = djreview("--baseline", "djreview-baseline.json", "--write-baseline", cwd=tmp_path)
    assert written.returncode == 0
    assert "wrote 2 finding(s)" in written.stderr
    assert djreview("--baseline", "djreview-baseline.json", cwd=tmp_path).returncode == 0
    # unrelated edit: lines shift, the known findings stay hidden
    models = tmp_path / "shop" / "models.py"
    models.write_text("# a comment\n# another\n" + models.read_text(), encoding="utf-8")
    assert djreview("--baseline", "djreview-baseline.json", cwd=tmp_path).returncode == 0
    # a new finding is reported
    (tmp_path / "shop" / "more.py").write_text(TAG_WITHOUT_STR.replace("Tag", "Label"), encoding="utf-8")
    result = djreview("--format", "json", "--baseline", "djreview-baseline.json", cwd=tmp_path)
    assert _findings(result) == [("DJR202", "shop/more.py", 5)]


def test_missing_baseline_file_is_a_usage_error(tmp_path):
    write_project(tmp_path, {"shop/legacy.py": TAG_WITHOUT_STR})
    result = djreview("--baseline", "nope.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "--write-baseline" in result.stderr
