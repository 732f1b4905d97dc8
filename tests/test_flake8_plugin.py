"""flake8 --select DJR reports what djreview reports, codes, lines and columns included."""

from __future__ import annotations

import re

import pytest

from tests.helpers import (
    AUTHOR_AND_BOOK,
    SHOP_MODELS_FK,
    SHOP_VIEWS,
    TAG_WITHOUT_STR,
    bookshop_expected,
    djreview,
    flake8,
    write_project,
)

FLAKE8_LINE = re.compile(r"^\./(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>DJR\d{3}) ")


def test_flake8_reports_the_expected_findings_of_the_sample_project(bookshop):
    result = flake8("--select", "DJR", "--isolated", ".", cwd=bookshop)  # a copy: the plugin writes a cache
    assert result.returncode == 1, result.stderr
    found = sorted(
        (m["path"], int(m["line"]), m["code"]) for m in map(FLAKE8_LINE.match, result.stdout.splitlines()) if m
    )
    # flake8 reads Python files: the findings in templates are djreview's own
    assert found == [e for e in bookshop_expected() if e[0].endswith(".py")]


def test_flake8_columns_match_djreview(bookshop):
    result = djreview("--format", "concise", "--no-cache", "catalog/views.py", cwd=bookshop)
    theirs = flake8("--select", "DJR", "--isolated", "catalog/views.py", cwd=bookshop)
    ours = [line.split(" ", 2)[:2] for line in result.stdout.splitlines() if line.startswith("catalog/views.py:")]
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


# -- what runs is decided the way flake8 and the CLI decide it (issue 13 item 10) -------------
SHOP_WITH_CONFIG = {
    "manage.py": "",
    "pyproject.toml": """
        [tool.djreview]
        extend-exclude = ["legacy/"]
        per-file-ignores = { "shop/models.py" = ["DJR202"], "orders/" = ["DJR201"] }
        severity = { DJR201 = "error" }
        """,
    "shop/models.py": SHOP_MODELS_FK,  # DJR202 (Publisher): ignored for this file
    "shop/views.py": SHOP_VIEWS,  # DJR101
    "catalog/models.py": AUTHOR_AND_BOOK,  # DJR201
    "catalog/tags.py": TAG_WITHOUT_STR,  # DJR202
    "orders/models.py": AUTHOR_AND_BOOK,  # DJR201: ignored under orders/
    "legacy/models.py": TAG_WITHOUT_STR,  # excluded
}


def _found(stdout: str) -> list[tuple[str, int, int, str]]:
    lines = (LINE.match(line) for line in stdout.splitlines())
    return sorted((m["path"].removeprefix("./"), int(m["line"]), int(m["col"]), m["code"]) for m in lines if m)


LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")


def test_flake8_gives_the_cli_findings_under_the_pyproject_path_rules(tmp_path):
    (tmp_path / ".git").mkdir()  # a work tree, whose .gitignore both skip
    write_project(tmp_path, {**SHOP_WITH_CONFIG, ".gitignore": "generated/\n", "generated/models.py": TAG_WITHOUT_STR})
    cli = djreview("--format", "concise", "--no-cache", ".", cwd=tmp_path)
    plugin = flake8("--isolated", "--select", "DJR", ".", cwd=tmp_path)
    assert plugin.returncode == 1, plugin.stderr
    assert _found(plugin.stdout) == _found(cli.stdout)
    assert [(path, code) for path, _, _, code in _found(plugin.stdout)] == [
        ("catalog/models.py", "DJR201"),
        ("catalog/tags.py", "DJR202"),
        ("shop/views.py", "DJR101"),
    ]
    # a file named on its own (as an editor names it) is excluded and ignored the same way
    assert flake8("--isolated", "--select", "DJR", "legacy/models.py", cwd=tmp_path).stdout == ""
    assert flake8("--isolated", "--select", "DJR", "orders/models.py", cwd=tmp_path).stdout == ""
    assert flake8("--isolated", "--select", "DJR", "shop/models.py", cwd=tmp_path).stdout == ""
    assert flake8("--isolated", "--select", "DJR", "generated/models.py", cwd=tmp_path).stdout == ""


def test_pyproject_select_narrows_what_flake8_selects(tmp_path):
    write_project(tmp_path, {**SHOP_WITH_CONFIG, "pyproject.toml": '[tool.djreview]\nignore = ["DJR2"]\n'})
    found = _found(flake8("--isolated", "--select", "DJR", ".", cwd=tmp_path).stdout)
    assert [(path, code) for path, _, _, code in found] == [("shop/views.py", "DJR101")]
    # and flake8's own selection narrows what pyproject.toml enables
    write_project(tmp_path, {"pyproject.toml": "[tool.djreview]\n"})
    found = _found(flake8("--isolated", "--select", "DJR202", ".", cwd=tmp_path).stdout)
    assert {code for *_, code in found} == {"DJR202"} and len(found) == 3


@pytest.mark.parametrize(
    "selection",
    [("--select", "E9"), ("--select", "E,F,W", "--extend-select", "C90"), ("--extend-ignore", "DJR")],
    ids=["select-E9", "extend-select-other", "extend-ignore-DJR"],
)
def test_no_djr_code_selected_costs_no_review_no_index_no_config(tmp_path, selection):
    # a configuration djreview would refuse: reading it would print an error
    write_project(tmp_path, {**SHOP_WITH_CONFIG, "pyproject.toml": "[tool.djreview]\nbogus = 1\n"})
    result = flake8("--isolated", *selection, ".", cwd=tmp_path)
    assert "DJR" not in result.stdout
    assert result.stderr == ""
    assert not (tmp_path / ".djreview_cache").exists()


def test_by_default_flake8_selects_djr_and_reviews(tmp_path):
    write_project(tmp_path, SHOP_WITH_CONFIG)
    result = flake8("--isolated", "--select", "E9,DJR1", ".", cwd=tmp_path)
    assert [(p, c) for p, _, _, c in _found(result.stdout)] == [("shop/views.py", "DJR101")]
    result = flake8("--isolated", ".", cwd=tmp_path)  # no --select: flake8 selects every plugin's codes
    assert ("shop/views.py", "DJR101") in [(p, c) for p, _, _, c in _found(result.stdout)]
    assert (tmp_path / ".djreview_cache").is_dir()


def test_a_bad_djreview_config_is_one_line_and_flake8_goes_on(tmp_path):
    write_project(tmp_path, {"manage.py": "", "pyproject.toml": "[tool.djreview]\nbogus = 1\n", "a.py": "x = 1 \n"})
    result = flake8("--isolated", "--select", "DJR,W291", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "./a.py:1:6: W291 trailing whitespace\n"
    assert result.stderr.startswith("djreview: error: ") and "'bogus'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_flake8_jobs_2_runs_without_a_nested_pool(tmp_path):
    """flake8 -j2 reviews in daemonic pool workers, which cannot start djreview's pool: a
    project large enough for one (48 files and more) used to fail with a traceback."""
    many = {f"tags/tag{i}.py": TAG_WITHOUT_STR for i in range(60)}
    write_project(tmp_path, {**SHOP_WITH_CONFIG, **many})
    cli = djreview("--format", "concise", "--no-cache", ".", cwd=tmp_path)
    result = flake8("--isolated", "-j", "2", "--select", "DJR", ".", cwd=tmp_path)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    assert _found(result.stdout) == _found(cli.stdout)
    assert len(_found(result.stdout)) == 63
    # each worker writes its reviews when it ends, keeping the other's: all of them are cached
    from djreview.cache.findings import FindingsCache

    reviewed = {str(p) for p in tmp_path.rglob("*.py") if "legacy" not in p.parts}
    assert set(FindingsCache(tmp_path / ".djreview_cache").entries) == reviewed


def test_settings_from_narrows_the_configured_codes_and_refuses_unknown_ones(tmp_path):
    from djreview import config as cfg
    from djreview.rule import rule_codes
    from djreview.settings import settings_from

    write_project(tmp_path, {"pyproject.toml": '[tool.djreview]\nselect = ["DJR2"]\nexclude = ["legacy/"]\n'})
    config = cfg.config_for(tmp_path)
    settings = settings_from(config, selected=lambda code: code != "DJR202")
    assert settings.codes == tuple(c for c in rule_codes() if c.startswith("DJR2") and c != "DJR202")
    assert settings.paths is not None and settings.paths.excludes(str(tmp_path / "legacy" / "a.py"))
    config.ignore = ["DJR9"]
    with pytest.raises(cfg.ConfigError, match="unknown rule code or prefix 'DJR9' in ignore"):
        settings_from(config)


def test_max_file_size_from_pyproject_skips_the_file_as_the_cli_does(tmp_path):
    big = AUTHOR_AND_BOOK + "# padding\n" * 50
    write_project(
        tmp_path,
        {"manage.py": "", "pyproject.toml": "[tool.djreview]\nmax-file-size = 400\n", "shop/models.py": big},
    )
    assert djreview("--format", "concise", "--no-cache", ".", cwd=tmp_path).stdout == ""
    assert flake8("--isolated", "--select", "DJR", ".", cwd=tmp_path).stdout == ""
    write_project(tmp_path, {"pyproject.toml": "[tool.djreview]\nmax-file-size = 0\n"})
    assert [c for *_, c in _found(flake8("--isolated", "--select", "DJR", ".", cwd=tmp_path).stdout)] == ["DJR201"]


def test_flake8_runs_the_opt_in_rule_only_when_its_selection_names_it(tmp_path):
    open_view = (
        "from rest_framework import generics\n"
        "from rest_framework.permissions import AllowAny\n\n"
        "from shop.models import Author\n\n\n"
        "class AuthorCreate(generics.CreateAPIView):\n"
        "    queryset = Author.objects.all()\n"
        "    permission_classes = [AllowAny]\n"
    )
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "shop/api.py": open_view})
    codes = {code for *_, code in _found(flake8("--isolated", "--select", "DJR", ".", cwd=tmp_path).stdout)}
    assert "DJR201" in codes and "DJR303" not in codes
    for selection in (("--select", "DJR303"), ("--select", "DJR2", "--extend-select", "DJR303")):
        found = _found(flake8("--isolated", *selection, ".", cwd=tmp_path).stdout)
        assert ("shop/api.py", 7, "DJR303") in [(p, line, c) for p, line, _, c in found], selection
