"""The command line contract: formats, exit codes, selection, subcommands."""

from __future__ import annotations

import json

import pytest

from djreview import __version__
from djreview.rule import all_rules
from tests.helpers import djreview


def test_plain_output_is_flake8_style_without_colour(shop_project):
    result = djreview("shop", cwd=shop_project)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("shop/models.py:14:14: DJR201 Book.author: ForeignKey to Author has no related_name")
    assert "\x1b[" not in result.stdout
    assert result.stdout.splitlines()[-3].startswith("Found 1 finding(s) in 2 file(s)")
    assert result.stdout.splitlines()[-2] == "2 model(s)."
    assert result.stdout.splitlines()[-1] == "1 fixable with `--fix`"


def test_json_output_follows_the_contract(shop_project):
    result = djreview("--format", "json", cwd=shop_project)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["version"] == __version__
    assert data["summary"] == {
        "files": 2, "findings": 1, "errors": 0, "by_code": {"DJR201": 1}, "models": 2, "unresolved_classes": 0
    }  # fmt: skip
    finding = data["findings"][0]
    assert {k: finding[k] for k in ("code", "name", "severity", "path", "line", "column", "end_line")} == {
        "code": "DJR201",
        "name": "missing-related-name",
        "severity": "warning",
        "path": "shop/models.py",
        "line": 14,
        "column": 14,
        "end_line": 14,
    }
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"] == [
        {
            "path": "shop/models.py",
            "line": 14,
            "column": 64,
            "end_line": 14,
            "end_column": 64,
            "replacement": ', related_name="books"',
        }
    ]


def test_no_findings_exits_zero(shop_project):
    result = djreview("--ignore", "DJR2", cwd=shop_project)
    assert result.returncode == 0
    assert result.stdout.startswith("Found 0 finding(s)")


def test_select_by_prefix(shop_project):
    assert djreview("--select", "DJR1", "shop", cwd=shop_project).returncode == 0
    assert djreview("--select", "DJR201", "shop", cwd=shop_project).returncode == 1


@pytest.mark.parametrize("args", [["--select", "DJR999"], ["--ignore", "XYZ"], ["missing/"]])
def test_usage_errors_exit_two_with_one_line(shop_project, args):
    result = djreview(*args, cwd=shop_project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_path_names_the_path(shop_project):
    result = djreview("nowhere", cwd=shop_project)
    assert "no such file or directory: nowhere" in result.stderr


def test_rule_page_and_rule_list(shop_project):
    listing = djreview("rules", cwd=shop_project)
    assert listing.returncode == 0
    assert "DJR101  n-plus-one" in listing.stdout
    page = djreview("rule", "DJR201", cwd=shop_project)
    assert page.returncode == 0
    assert page.stdout.startswith("# DJR201")
    assert djreview("rule", "DJR999", cwd=shop_project).returncode == 2


def test_djr001_has_a_page_and_is_listed_first(shop_project):
    page = djreview("rule", "djr001", cwd=shop_project)
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("# DJR001 parse-error\n")
    listing = djreview("rules", cwd=shop_project).stdout.splitlines()
    assert listing[0] == "DJR001  parse-error            tool"
    assert [line.split()[0] for line in listing[1:]] == sorted(all_rules())


def test_version_and_help(shop_project):
    assert djreview("--version", cwd=shop_project).stdout.strip() == f"djreview, version {__version__}"
    assert "Review the Django code in PATHS" in djreview("check", "--help", cwd=shop_project).stdout


def test_bare_help_is_the_reviews_help(tmp_path):
    text = djreview("--help", cwd=tmp_path).stdout
    assert text.startswith("Usage: djreview [OPTIONS] [PATHS]...\n")
    for option in ("--format", "--select", "--changed-since", "--fix", "--baseline"):
        assert option in text
    assert "djreview rule CODE" in text and "djreview rules" in text


def test_a_mistyped_option_is_one_line_with_the_suggestion(tmp_path):
    result = djreview("--formt", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "djreview: error: No such option '--formt'. Did you mean '--format'?\n"


def test_index_cache_is_reused_and_a_corrupt_one_rebuilt(shop_project):
    first = djreview("shop", cwd=shop_project)
    cache = shop_project / ".djreview_cache"
    pickles = list(cache.glob("index-*.pickle"))
    assert len(pickles) == 1
    assert djreview("shop", cwd=shop_project).stdout.splitlines()[0] == first.stdout.splitlines()[0]
    pickles[0].write_bytes(b"not a pickle")
    again = djreview("shop", cwd=shop_project)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stdout.splitlines()[0] == first.stdout.splitlines()[0]


def test_cache_notices_an_edited_model(shop_project):
    djreview("shop", cwd=shop_project)
    models = shop_project / "shop" / "models.py"
    models.write_text(
        models.read_text().replace(
            "models.ForeignKey(Author, on_delete=models.CASCADE)",
            'models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")',
        ),
        encoding="utf-8",
    )
    assert djreview("shop", cwd=shop_project).returncode == 0


def test_no_cache_writes_nothing(shop_project):
    djreview("--no-cache", "shop", cwd=shop_project)
    assert not (shop_project / ".djreview_cache").exists()
