"""Path rules: gitignore patterns relative to the config's folder, wherever djreview runs from;
named files excluded too (pre-commit); .gitignore respected; baselines portable."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.helpers import AUTHOR_AND_BOOK, TAG_WITHOUT_STR, djreview, djreview_process, write_project


def _found(result) -> list[tuple[str, str]]:
    assert result.returncode in (0, 1), result.stderr
    return [(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    write_project(
        root,
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "legacy/models.py": TAG_WITHOUT_STR,
            "shop/legacy/models.py": TAG_WITHOUT_STR.replace("Tag", "Label"),
        },
    )
    return root


def _pyproject(root, body: str) -> None:
    (root / "pyproject.toml").write_text("[tool.djreview]\n" + body, encoding="utf-8")


EVERYTHING = [
    ("DJR202", "legacy/models.py"),
    ("DJR202", "shop/legacy/models.py"),
    ("DJR201", "shop/models.py"),
]


def test_exclude_is_relative_to_the_config_folder_from_any_folder(project):
    _pyproject(project, 'exclude = ["/legacy/"]\n')
    assert _found(djreview("--format", "json", cwd=project)) == EVERYTHING[1:]
    from_parent = _found(djreview("--format", "json", "proj", cwd=project.parent))
    assert from_parent == [("DJR202", "proj/shop/legacy/models.py"), ("DJR201", "proj/shop/models.py")]
    from_inside = _found(djreview("--format", "json", ".", cwd=project / "shop"))
    assert from_inside == [("DJR202", "legacy/models.py"), ("DJR201", "models.py")]


def test_an_unanchored_pattern_matches_at_any_depth(project):
    _pyproject(project, 'exclude = ["legacy/"]\n')
    assert _found(djreview("--format", "json", "proj", cwd=project.parent)) == [("DJR201", "proj/shop/models.py")]


def test_per_file_ignores_from_the_parent_folder(project):
    _pyproject(project, '[tool.djreview.per-file-ignores]\n"legacy/" = ["DJR202"]\n')
    assert _found(djreview("--format", "json", "proj", cwd=project.parent)) == [("DJR201", "proj/shop/models.py")]


def test_a_named_file_is_excluded_unless_no_force_exclude(project):
    _pyproject(project, 'exclude = ["legacy/"]\n')
    named = djreview("--format", "json", "legacy/models.py", "shop/models.py", cwd=project)
    assert _found(named) == [("DJR201", "shop/models.py")]
    forced = djreview("--format", "json", "--no-force-exclude", "legacy/models.py", cwd=project)
    assert _found(forced) == [("DJR202", "legacy/models.py")]


def test_extend_exclude_adds_to_exclude(project):
    _pyproject(project, 'exclude = ["/legacy/"]\nextend-exclude = ["shop/legacy/"]\n')
    assert _found(djreview("--format", "json", cwd=project)) == [("DJR201", "shop/models.py")]
    _pyproject(project, 'exclude = ["/legacy/"]\n')
    result = djreview("--format", "json", "--extend-exclude", "shop/legacy", cwd=project)
    assert _found(result) == [("DJR201", "shop/models.py")]


def test_extend_ignore_adds_to_ignore(project):
    _pyproject(project, 'ignore = ["DJR101"]\nextend-ignore = ["DJR202"]\n')
    assert _found(djreview("--format", "json", cwd=project)) == [("DJR201", "shop/models.py")]
    _pyproject(project, 'ignore = ["DJR101"]\n')
    assert _found(djreview("--format", "json", "--extend-ignore", "DJR201", cwd=project)) == EVERYTHING[:2]


def _git_init(root) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env={"HOME": str(root), "PATH": os.environ["PATH"]})


def test_gitignored_files_are_skipped_by_default(project):
    _git_init(project)
    (project / ".gitignore").write_text("legacy/\n!shop/legacy/\n", encoding="utf-8")
    (project / "shop" / ".gitignore").write_text("models.py\n", encoding="utf-8")
    (project / "shop" / "legacy" / ".gitignore").write_text("!models.py\n", encoding="utf-8")
    # shop/models.py is ignored by shop/.gitignore; the deeper file re-includes shop/legacy/models.py
    assert _found(djreview("--format", "json", cwd=project)) == [("DJR202", "shop/legacy/models.py")]
    assert _found(djreview("--format", "json", "--no-respect-gitignore", cwd=project)) == EVERYTHING
    _pyproject(project, "respect-gitignore = false\n")
    assert _found(djreview("--format", "json", cwd=project)) == EVERYTHING


def test_git_info_exclude_is_respected(project):
    _git_init(project)
    (project / ".git" / "info").mkdir(exist_ok=True)
    (project / ".git" / "info" / "exclude").write_text("/legacy\n", encoding="utf-8")
    assert _found(djreview("--format", "json", cwd=project)) == EVERYTHING[1:]


def test_a_gitignore_outside_a_repository_is_not_read(project):
    (project / ".gitignore").write_text("legacy/\n", encoding="utf-8")
    assert _found(djreview("--format", "json", cwd=project)) == EVERYTHING


def test_a_baseline_works_from_any_folder(project):
    _pyproject(project, "")
    written = djreview("--baseline", "baseline.json", "--write-baseline", cwd=project)
    assert written.returncode == 0, written.stderr
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert sorted(e["path"] for e in entries) == ["legacy/models.py", "shop/legacy/models.py", "shop/models.py"]
    assert djreview("--baseline", "proj/baseline.json", "proj", cwd=project.parent).returncode == 0
    assert djreview("--baseline", "../baseline.json", ".", cwd=project / "shop").returncode == 0


# -- bad input: one line, exit 2, never a hang ---------------------------------------------
def _one_line_error(result, expected: str) -> None:
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_baseline_nested_too_deeply(project):
    (project / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _one_line_error(djreview("--baseline", "deep.json", cwd=project), "nests too deeply")


def test_a_baseline_that_is_a_fifo_does_not_hang(project):
    os.mkfifo(project / "fifo.json")
    _one_line_error(djreview("--baseline", "fifo.json", cwd=project), "is not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_write_baseline_to_a_full_device(project):
    _one_line_error(djreview("--baseline", "/dev/full", "--write-baseline", cwd=project), "cannot write the baseline")


def test_write_baseline_into_a_missing_folder(project):
    result = djreview("--baseline", "no/such/folder/b.json", "--write-baseline", cwd=project)
    _one_line_error(result, "cannot write the baseline no/such/folder/b.json")


def test_a_pyproject_nested_too_deeply(project):
    # a process of its own: the in-process runner may have raised the recursion limit already
    (project / "pyproject.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    _one_line_error(djreview_process(cwd=project), "nests tables or arrays too deeply")
    (project / "pyproject.toml").write_text("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", encoding="utf-8")
    _one_line_error(djreview_process(cwd=project), "nests tables or arrays too deeply")


GIT_PATTERN_SETS = {
    "no negation (joined into one expression)": "__pycache__/\n*.gen.py\n/top_only/\nbuild/\ndeep/**/skip_*.py\n",
    "with negation (pathspec decides)": "*.py\n!keep*.py\n!*/\nbuild/\n",
}


@pytest.mark.parametrize("patterns", GIT_PATTERN_SETS.values(), ids=GIT_PATTERN_SETS.keys())
def test_discovery_skips_exactly_what_git_ignores(tmp_path, patterns):
    from djreview.discovery import discover
    from djreview.paths import PathRules

    names = [
        "a.py", "keep_a.py", "x.gen.py", "top_only/a.py", "pkg/top_only/a.py", "build/a.py",
        "pkg/build/keep.py", "deep/one/two/skip_me.py", "deep/one/keep_me.py", "pkg/sub/b.py",
        "pkg/sub/keep.gen.py",
    ]  # fmt: skip
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    _git_init(tmp_path)
    (tmp_path / ".gitignore").write_text(patterns, encoding="utf-8")
    (tmp_path / "pkg" / ".gitignore").write_text("sub/b.py\n", encoding="utf-8")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z", "--", "*.py"],
        cwd=tmp_path, check=True, capture_output=True, env={"HOME": str(tmp_path), "PATH": os.environ["PATH"]},
    ).stdout.decode()  # fmt: skip
    expected = sorted(name for name in listed.split("\0") if name)
    found = discover([str(tmp_path)], PathRules(root=str(tmp_path)))
    assert sorted(path.relative_to(tmp_path).as_posix() for path in found) == expected
    assert len(expected) < len(names)  # the patterns did skip something
