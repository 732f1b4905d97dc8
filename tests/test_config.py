"""[tool.djreview] in pyproject.toml, the command line on top of it, and # noqa, end to end."""

from __future__ import annotations

import json

import pytest

from tests.helpers import AUTHOR_AND_BOOK, TAG_WITHOUT_STR, djreview, write_project


@pytest.fixture
def project(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "legacy/models.py": TAG_WITHOUT_STR})
    return tmp_path


def _codes(result) -> list[tuple[str, str, str]]:
    data = json.loads(result.stdout)
    return [(f["code"], f["path"], f["severity"]) for f in data["findings"]]


def _pyproject(root, body: str) -> None:
    (root / "pyproject.toml").write_text("[tool.djreview]\n" + body, encoding="utf-8")


def test_without_config_every_rule_runs(project):
    assert _codes(djreview("--format", "json", cwd=project)) == [
        ("DJR202", "legacy/models.py", "warning"),
        ("DJR201", "shop/models.py", "warning"),
    ]


def test_select_and_ignore_from_pyproject(project):
    _pyproject(project, 'select = ["DJR2"]\nignore = ["DJR202"]\n')
    assert _codes(djreview("--format", "json", cwd=project)) == [("DJR201", "shop/models.py", "warning")]


def test_command_line_wins_over_pyproject(project):
    _pyproject(project, 'select = ["DJR201"]\n')
    assert _codes(djreview("--format", "json", "--select", "DJR202", cwd=project)) == [
        ("DJR202", "legacy/models.py", "warning")
    ]


def test_extend_select_adds_to_select(project):
    _pyproject(project, 'select = ["DJR1"]\nextend-select = ["DJR202"]\n')
    assert _codes(djreview("--format", "json", cwd=project)) == [("DJR202", "legacy/models.py", "warning")]


def test_per_file_ignores(project):
    _pyproject(project, '[tool.djreview.per-file-ignores]\n"legacy/*" = ["DJR2"]\n')
    assert _codes(djreview("--format", "json", cwd=project)) == [("DJR201", "shop/models.py", "warning")]


def test_per_file_ignores_on_the_command_line(project):
    result = djreview("--format", "json", "--per-file-ignores", "shop/*:DJR201", cwd=project)
    assert _codes(result) == [("DJR202", "legacy/models.py", "warning")]


def test_severity_override(project):
    _pyproject(project, '[tool.djreview.severity]\nDJR201 = "error"\n')
    assert ("DJR201", "shop/models.py", "error") in _codes(djreview("--format", "json", cwd=project))


def test_exclude_from_pyproject(project):
    _pyproject(project, 'exclude = ["legacy/*"]\n')
    assert _codes(djreview("--format", "json", cwd=project)) == [("DJR201", "shop/models.py", "warning")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('selct = ["DJR1"]\n', "unknown key 'selct' in [tool.djreview]"),
        ('select = ["DJR999"]\n', "unknown rule code or prefix 'DJR999' in select"),
        ('[tool.djreview.severity]\nDJR101 = "fatal"\n', "severity for DJR101 must be one of error, warning, info"),
        ("select = [\n", "is not valid TOML"),
        ("include-tests = 1\n", "include-tests must be true or false"),
    ],
)
def test_broken_config_is_one_clear_line(project, body, expected):
    _pyproject(project, body)
    result = djreview(cwd=project)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_noqa_with_one_code_several_codes_and_bare(tmp_path):
    source = AUTHOR_AND_BOOK.replace(
        "author = models.ForeignKey(Author, on_delete=models.CASCADE)",
        "author = models.ForeignKey(Author, on_delete=models.CASCADE)  # noqa: DJR101, DJR201",
    )
    write_project(
        tmp_path,
        {
            "a/models.py": source,
            "b/models.py": TAG_WITHOUT_STR.replace("class Tag(models.Model):", "class Tag(models.Model):  # noqa"),
            "c/models.py": TAG_WITHOUT_STR.replace(
                "class Tag(models.Model):", "class Tag(models.Model):  # noqa: DJR201"
            ),
        },
    )
    assert _codes(djreview("--format", "json", cwd=tmp_path)) == [("DJR202", "c/models.py", "warning")]


def test_statistics(project):
    result = djreview("--format", "concise", "--statistics", cwd=project)
    assert result.stdout.splitlines()[-2:] == ["1      DJR201 missing-related-name", "1      DJR202 missing-str"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "github"])
def test_statistics_with_a_machine_format_go_to_stderr(project, fmt):
    result = djreview("--format", fmt, "--statistics", cwd=project)
    assert result.stdout == djreview("--format", fmt, cwd=project).stdout  # the document alone
    if fmt != "github":
        json.loads(result.stdout)
    assert result.stderr.splitlines()[-2:] == ["1      DJR201 missing-related-name", "1      DJR202 missing-str"]


OPEN_VIEW = """
from rest_framework import generics
from rest_framework.permissions import AllowAny

from shop.models import Author


class AuthorCreate(generics.CreateAPIView):
    queryset = Author.objects.all()
    permission_classes = [AllowAny]
"""


@pytest.mark.parametrize(
    ("args", "body", "reported"),
    [
        ((), "", False),
        (("--select", "DJR3"), "", False),
        (("--select", "DJR"), "", False),
        (("--extend-select", "DJR303"), "", True),
        (("--select", "DJR303"), "", True),
        ((), 'extend-select = ["DJR303"]\n', True),
        (("--extend-ignore", "DJR303"), 'extend-select = ["DJR303"]\n', False),
    ],
    ids=["default", "prefix-DJR3", "prefix-DJR", "cli-extend", "cli-select", "pyproject", "ignored"],
)
def test_an_opt_in_rule_runs_only_when_its_code_is_named_in_full(project, args, body, reported):
    """DJR303 is opt-in (rule.OPT_IN_CODES): no prefix and no default turns it on."""
    (project / "shop" / "views.py").write_text(OPEN_VIEW, encoding="utf-8")
    if body:
        _pyproject(project, body)
    result = djreview("--format", "json", *args, cwd=project)
    assert result.returncode in (0, 1), result.stderr
    codes = [code for code, _, _ in _codes(result)]
    assert ("DJR303" in codes) is reported


def test_the_rule_list_marks_opt_in_rules(project):
    listing = djreview("rules", cwd=project).stdout.splitlines()
    marked = [line.split()[0] for line in listing if "opt-in" in line]
    assert marked == ["DJR303"]
    assert "--extend-select DJR303" in next(line for line in listing if line.startswith("DJR303"))
