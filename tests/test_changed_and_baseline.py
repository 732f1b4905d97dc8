"""--changed-since on a real git repository, and --baseline across edits that shift lines."""

from __future__ import annotations

import json

import pytest

from tests.helpers import AUTHOR_MODULE, BOOK_WITHOUT_RELATED_NAME, TAG_WITHOUT_STR, djreview, git, write_project


def _findings(result):
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def repo(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_MODULE, "shop/legacy.py": TAG_WITHOUT_STR})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    (tmp_path / "shop" / "models.py").write_text(AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME, encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "second: a Book with an FK")
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


@pytest.fixture
def branch(repo):
    """`feature` branches off before main's Book commit and adds the same Book; main then
    renames the legacy model, which the branch never touched."""
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    (repo / "shop" / "models.py").write_text(AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "feature: the same Book")
    git(repo, "checkout", "-q", "main")
    (repo / "shop" / "legacy.py").write_text(TAG_WITHOUT_STR.replace("Tag", "Label"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "main: Tag becomes Label")
    git(repo, "checkout", "-q", "feature")
    return repo


def test_changed_since_compares_with_the_merge_base_not_the_tip(branch):
    # the branch added the Book (line 14); main's rename of the legacy model is not the branch's
    for ref in ("main", "main...HEAD", "main...", "main...feature"):
        result = djreview("--format", "json", "--changed-since", ref, cwd=branch)
        assert _findings(result) == [("DJR201", "shop/models.py", 14)], ref


def test_two_dots_compare_with_the_first_commit_itself(branch):
    # against main's tip the Book is old news and the branch seems to rename Label back to Tag
    result = djreview("--format", "json", "--changed-since", "main..HEAD", cwd=branch)
    assert _findings(result) == [("DJR202", "shop/legacy.py", 5)]


@pytest.mark.parametrize(
    "config",
    [
        ("diff.noprefix", "true"),
        ("diff.mnemonicPrefix", "true"),
        ("diff.external", "false"),
        ("color.diff", "always"),
        ("diff.relative", "true"),
        ("core.quotePath", "false"),
        ("diff.renames", "false"),
    ],
)
def test_changed_since_ignores_the_users_git_configuration(repo, config):
    git(repo, "config", *config)
    result = djreview("--format", "json", "--changed-since", "HEAD~1", cwd=repo / "shop")
    assert _findings(result) == [("DJR201", "models.py", 14)]


@pytest.mark.parametrize("name", ["my models.py", "modèles.py", 'quote"d.py', "tab\tname.py"])
def test_changed_since_keeps_files_with_unusual_names(repo, name):
    (repo / "shop" / name).write_text(AUTHOR_MODULE, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a model module with an unusual name")
    (repo / "shop" / name).write_text(AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME, encoding="utf-8")
    result = djreview("--format", "json", "--changed-since", "HEAD", cwd=repo)
    assert _findings(result) == [("DJR201", f"shop/{name}", 14)]


def test_unknown_ref_is_named(branch):
    result = djreview("--changed-since", "main...no-such-branch", cwd=branch)
    assert result.returncode == 2
    assert "cannot resolve git ref 'no-such-branch'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_git_runs_in_the_repository_of_the_reviewed_path(repo, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("not-a-repository")
    result = djreview("--format", "json", "--changed-since", "HEAD~1", str(repo), cwd=elsewhere)
    assert result.returncode == 1
    assert [(code, line) for code, _, line in _findings(result)] == [("DJR201", 14)]


def test_a_path_outside_any_repository_is_a_usage_error(tmp_path):
    write_project(tmp_path, {"shop/legacy.py": TAG_WITHOUT_STR})
    result = djreview("--changed-since", "HEAD", cwd=tmp_path)
    assert result.returncode == 2
    assert "not in a git repository" in result.stderr
