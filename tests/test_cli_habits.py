"""What a terminal user expects of the command line (issue 13 items 5, 6, 9): a progress
display, the fixable count, and Ruff's habits (--exit-zero, --output-file, -q, --show-settings,
--show-fixes, --add-noqa, warnings for a mistyped noqa code and for nothing to review)."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from djreview import progress
from djreview.engine import Settings, run
from tests.helpers import ALL_CODES, AUTHOR_AND_BOOK, bookshop_counts, djreview, write_project

# shop/models.py:14 is the one finding of AUTHOR_AND_BOOK (DJR201, a safe fix)
FINDING_LINE = "shop/models.py:14:14: DJR201 Book.author: ForeignKey to Author has no related_name"


# -- item 5: progress ------------------------------------------------------------------------
class _Spy(progress.ProgressDisplay):
    made: list[_Spy] = []

    def __init__(self, console=None):
        from rich.console import Console

        super().__init__(Console(stderr=True, force_terminal=True, width=100))
        _Spy.made.append(self)


@pytest.fixture
def fake_terminal(monkeypatch):
    """stderr taken for a terminal, the display shown at once, every display made kept."""
    _Spy.made = []
    monkeypatch.setattr(progress, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "ProgressDisplay", _Spy)
    return _Spy.made


def test_engine_reports_progress_of_both_phases(shop_project, monkeypatch):
    monkeypatch.chdir(shop_project)
    calls: list[tuple[str, int, int]] = []
    report = run(["."], Settings(codes=ALL_CODES, jobs=1), on_progress=lambda *call: calls.append(call))
    indexed = [c for c in calls if c[0] == "index"]
    reviewed = [c for c in calls if c[0] == "review"]
    assert indexed[0] == ("index", 0, 2) and indexed[-1] == ("index", 2, 2)  # shop/__init__.py, models.py
    assert [done for _, done, _ in indexed] == [0, 1, 2]
    assert reviewed[-1] == ("review", 2, 2)
    assert report.files == 2


def test_engine_counts_cached_files_as_done_at_once(shop_project, monkeypatch, tmp_path):
    monkeypatch.chdir(shop_project)
    settings = Settings(codes=ALL_CODES, jobs=1, cache_dir=tmp_path / "cache")
    run(["."], settings)
    calls: list[tuple[str, int, int]] = []
    run(["."], settings, on_progress=lambda *call: calls.append(call))
    assert calls == [("index", 2, 2), ("review", 2, 2)]  # warm: nothing left to count


def test_progress_shown_on_a_terminal_stderr_for_text(bookshop, fake_terminal):
    result = djreview(".", cwd=bookshop)
    assert result.returncode == 1
    (display,) = fake_terminal
    files = len(list(bookshop.rglob("*.py")))
    assert display.totals["index"] == (files, files)
    done, total = display.totals["review"]
    assert done == total and 0 < total <= files
    assert "files indexed" in result.stderr and "files reviewed" in result.stderr
    assert "files indexed" not in result.stdout


@pytest.mark.parametrize("args", [["--format", "json"], ["--format", "sarif"], ["-q"], ["--format", "concise"]])
def test_no_progress_in_machine_formats_or_quiet(shop_project, fake_terminal, args):
    result = djreview(*args, "shop", cwd=shop_project)
    assert result.returncode == 1
    assert result.stderr == ""
    assert fake_terminal == []


def test_no_progress_when_stderr_is_not_a_terminal(shop_project, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = djreview("shop", cwd=shop_project)
    assert result.returncode == 1 and result.stderr == ""


def test_quick_run_shows_nothing(shop_project, fake_terminal, monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 60.0)
    result = djreview("shop", cwd=shop_project)
    assert result.stderr == ""
    (display,) = fake_terminal
    assert display.totals["review"] == (2, 2)  # it heard the run, and never showed it


# -- item 6: what is fixable -----------------------------------------------------------------
def test_bookshop_ends_with_what_is_fixable(bookshop):
    # the counts of the fixes recorded for each finding (tests/fixtures/bookshop.fixes.expected,
    # which test_bookshop checks against the JSON report); the sample has both kinds
    counts = bookshop_counts()
    assert counts.safe and counts.unsafe
    result = djreview(".", cwd=bookshop)
    assert (
        result.stdout.splitlines()[-1]
        == f"{counts.safe} fixable with `--fix` ({counts.unsafe} more with `--unsafe-fixes`)"
    )


def test_fixable_line_with_unsafe_fixes_given_counts_them_all(bookshop):
    counts = bookshop_counts()
    result = djreview("--unsafe-fixes", ".", cwd=bookshop)
    assert result.stdout.splitlines()[-1] == f"{counts.safe + counts.unsafe} fixable with `--fix`"


def test_fixable_line_without_unsafe_fixes_has_no_parenthesis(shop_project):
    assert djreview("shop", cwd=shop_project).stdout.splitlines()[-1] == "1 fixable with `--fix`"


def test_no_fixable_line_when_nothing_is_fixable_or_after_fix(tmp_path, shop_project):
    write_project(tmp_path / "broken", {"app/models.py": "def broken(:\n"})
    result = djreview("app", cwd=tmp_path / "broken")
    assert result.returncode == 1 and "DJR001" in result.stdout
    assert "fixable" not in result.stdout
    fixed = djreview("--fix", "shop", cwd=shop_project)
    assert fixed.returncode == 0
    assert "fixable with" not in fixed.stdout
    assert "applied 1 fix(es) (DJR201 1) to 1 file(s); 0 fixable left" in fixed.stderr


def test_no_fixable_line_in_concise_or_quiet(shop_project):
    for args in (["--format", "concise"], ["-q"]):
        assert djreview(*args, "shop", cwd=shop_project).stdout.splitlines() == [FINDING_LINE + _rest(shop_project)]


def _rest(root) -> str:
    line = djreview("--format", "concise", "shop", cwd=root).stdout.splitlines()[0]
    return line[len(FINDING_LINE) :]


# -- item 9: --exit-zero, --output-file, -q ---------------------------------------------------
def test_exit_zero_with_findings_but_still_two_on_errors(shop_project):
    result = djreview("--exit-zero", "shop", cwd=shop_project)
    assert result.returncode == 0 and FINDING_LINE in result.stdout
    assert djreview("--exit-zero", "--diff", "shop", cwd=shop_project).returncode == 0
    error = djreview("--exit-zero", "--select", "DJR999", "shop", cwd=shop_project)
    assert error.returncode == 2 and error.stderr.count("\n") == 1


def test_output_file_holds_the_report_and_stdout_stays_empty(shop_project):
    result = djreview("--output-file", "report.txt", "shop", cwd=shop_project)
    assert result.returncode == 1 and result.stdout == ""
    lines = (shop_project / "report.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(FINDING_LINE)
    assert lines[1].startswith("Found 1 finding(s)") and lines[2:] == ["2 model(s).", "1 fixable with `--fix`"]
    as_json = djreview("--format", "json", "--output-file", "report.json", "shop", cwd=shop_project)
    assert as_json.stdout == ""
    assert json.loads((shop_project / "report.json").read_text())["summary"]["findings"] == 1


@pytest.mark.parametrize("target", ["missing/report.txt", "/dev/full"])
def test_output_file_that_cannot_be_written_is_one_line(shop_project, target):
    if target.startswith("/dev/") and not os.path.exists(target):
        pytest.skip("no /dev/full here")
    result = djreview("--output-file", target, "shop", cwd=shop_project, env={"DJREVIEW_DEBUG": ""})
    assert result.returncode == 2
    assert result.stderr.startswith(f"djreview: error: --output-file {target}: ")
    assert result.stderr.count("\n") == 1


def test_quiet_prints_findings_only(shop_project):
    (shop_project / "shop" / "views.py").write_text("x = 1  # noqa: DJR999\n", encoding="utf-8")
    loud = djreview("shop", cwd=shop_project)
    assert "DJR999" in loud.stderr and "Found 1" in loud.stdout
    quiet = djreview("-q", "shop", cwd=shop_project)
    assert quiet.returncode == 1
    assert [line[: len(FINDING_LINE)] for line in quiet.stdout.splitlines()] == [FINDING_LINE]
    assert quiet.stderr == ""


# -- --show-settings, --show-fixes -----------------------------------------------------------
def test_show_settings_prints_the_resolved_settings_and_reviews_nothing(shop_project):
    (shop_project / "pyproject.toml").write_text(
        '[tool.djreview]\nexclude = ["legacy/"]\n[tool.djreview.per-file-ignores]\n"shop/*" = ["DJR202"]\n'
    )
    result = djreview(
        "--show-settings", "--ignore", "DJR1", "-j", "3", "--extend-exclude", "*.gen.py", "shop", cwd=shop_project
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"config file: {shop_project.resolve() / 'pyproject.toml'}" in lines
    assert f"root: {shop_project.resolve()}" in lines
    enabled = ", ".join(c for c in ALL_CODES if not c.startswith("DJR1") and c != "DJR303")  # DJR303: opt-in
    assert f"enabled codes: {enabled}" in lines
    assert "exclude: legacy/, *.gen.py" in lines
    assert "per-file-ignores: shop/* = DJR202" in lines
    assert "respect-gitignore: true" in lines and "force-exclude: true" in lines
    assert f"cache dir: {shop_project.resolve() / '.djreview_cache'}" in lines
    assert "jobs: 3" in lines
    assert not any(line.startswith("shop/") for line in lines)
    assert not (shop_project / ".djreview_cache").exists()


def test_show_fixes_lists_what_fix_would_apply_and_applied(shop_project):
    listing = ["- shop/models.py:", "    1 × DJR201 (missing-related-name)"]
    diff = djreview("--diff", "--show-fixes", "shop", cwd=shop_project)
    assert diff.stdout.startswith("--- a/shop/models.py")  # the patch stays a patch
    assert diff.stderr.splitlines() == ["Would apply 1 fix(es):", *listing]
    would = djreview("--show-fixes", "shop", cwd=shop_project)
    assert would.stdout.splitlines()[-3:] == ["Would apply 1 fix(es):", *listing]
    machine = djreview("--show-fixes", "--format", "json", "shop", cwd=shop_project)
    json.loads(machine.stdout)  # the list goes to stderr: the document stays whole
    assert machine.stderr.splitlines() == ["Would apply 1 fix(es):", *listing]
    applied = djreview("--fix", "--show-fixes", "shop", cwd=shop_project)
    assert applied.returncode == 0
    assert applied.stdout.splitlines()[-3:] == ["Applied 1 fix(es):", *listing]
    again = djreview("--fix", "--show-fixes", "shop", cwd=shop_project)
    assert again.stdout.splitlines()[-1] == "No fixes applied."


# -- --add-noqa ------------------------------------------------------------------------------
NOQA_MODELS = '''
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, on_delete=models.CASCADE)  # noqa: E501
    reviewer = models.ForeignKey(Author, on_delete=models.CASCADE, help_text="""first
    second""")
    translator = models.ForeignKey(Author, \\
        on_delete=models.CASCADE)

    def __str__(self):
        return str(self.pk)
'''


def test_add_noqa_writes_merges_and_never_twice(tmp_path):
    write_project(tmp_path, {"shop/models.py": NOQA_MODELS})
    before = djreview("--no-cache", "--format", "json", "shop", cwd=tmp_path)
    assert [(f["code"], f["line"]) for f in json.loads(before.stdout)["findings"]] == [
        ("DJR201", 13),
        ("DJR201", 14),
        ("DJR201", 15),
        ("DJR201", 17),
    ]
    result = djreview("--no-cache", "--add-noqa", "shop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "djreview: added # noqa to 4 line(s) in 1 file(s)\n"
    lines = (tmp_path / "shop" / "models.py").read_text(encoding="utf-8").splitlines()
    assert lines[12].endswith("on_delete=models.CASCADE)  # noqa: DJR201")
    assert lines[13].endswith("# noqa: E501, DJR201")
    assert lines[14].endswith('help_text="""first')  # inside the string: left as it was
    assert lines[15] == '    second""")  # noqa: DJR201'
    assert lines[16].endswith("\\")  # a comment cannot follow a backslash continuation
    assert lines[17] == "        on_delete=models.CASCADE)  # noqa: DJR201"
    compile("\n".join(lines), "models.py", "exec")
    after = djreview("--no-cache", "shop", cwd=tmp_path)
    assert after.returncode == 0 and "Found 0 finding(s)" in after.stdout
    again = djreview("--no-cache", "--add-noqa", "shop", cwd=tmp_path)
    assert again.stderr == "djreview: added # noqa to 0 line(s) in 0 file(s)\n"
    assert (tmp_path / "shop" / "models.py").read_text(encoding="utf-8").splitlines() == lines


def test_add_noqa_leaves_a_file_changed_since_it_was_reviewed(tmp_path, monkeypatch):
    from djreview.add_noqa import add_noqa

    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK})
    monkeypatch.chdir(tmp_path)
    report = run(["shop"], Settings(codes=ALL_CODES, jobs=1))
    models = tmp_path / "shop" / "models.py"
    models.write_text(models.read_text() + "\n# edited meanwhile\n")
    result = add_noqa(report.findings, report.digests, within=["shop"])
    assert result.lines == 0 and result.files == []
    assert result.skipped == ["shop/models.py: changed since it was reviewed; left unchanged (run djreview again)"]
    assert "noqa" not in models.read_text()


def test_noqa_merging_rules():
    from djreview.noqa import add_codes

    assert add_codes("x = 1", ["DJR201"]) == "x = 1  # noqa: DJR201"
    assert add_codes("x = 1  # noqa:E501", ["DJR201"]) == "x = 1  # noqa:E501, DJR201"
    assert add_codes("x = 1  # noqa: DJR2", ["DJR201"]) == "x = 1  # noqa: DJR2"  # a prefix covers it
    assert add_codes("x = 1  # noqa", ["DJR201"]) == "x = 1  # noqa"  # silences everything already
    assert add_codes("x = 1  # see #12", ["DJR101", "DJR201"]) == "x = 1  # see #12  # noqa: DJR101, DJR201"


# -- warnings ----------------------------------------------------------------------------------
def test_noqa_naming_an_unknown_code_is_a_warning_and_the_run_goes_on(shop_project):
    (shop_project / "shop" / "views.py").write_text(
        textwrap.dedent(
            """
            x = 1  # noqa: DJR999
            y = 2  # noqa: E501, DJR1, DJR201
            z = 3  # noqa: djr77
            """
        ),
        encoding="utf-8",
    )
    result = djreview("shop", cwd=shop_project)
    assert result.returncode == 1 and FINDING_LINE in result.stdout
    assert result.stderr.splitlines() == [
        "djreview: shop/views.py:2: warning: `# noqa: DJR999` names no djreview code (see `djreview rules`)",
        "djreview: shop/views.py:4: warning: `# noqa: DJR77` names no djreview code (see `djreview rules`)",
    ]


def test_warning_when_no_python_file_or_no_model(tmp_path):
    (tmp_path / "empty").mkdir()
    empty = djreview("--no-cache", "empty", cwd=tmp_path)
    assert empty.returncode == 0
    assert empty.stderr == "djreview: warning: no Python file found in empty\n"
    write_project(tmp_path / "tools", {"tools/run.py": "print('not django')\n"})
    plain = djreview("--no-cache", "tools", cwd=tmp_path / "tools")
    assert plain.returncode == 0
    assert plain.stderr == (
        "djreview: warning: no Django model found in tools or the rest of its project (is it a Django project?)\n"
    )
    named = ["tools/a.py", "tools/b.py", "tools/c.py", "tools/d.py"]
    for name in named:
        (tmp_path / "tools" / name).write_text("")
    # as pre-commit names files, all excluded here
    many = djreview("--no-cache", "--extend-exclude", "[a-d].py", *named, cwd=tmp_path / "tools")
    assert many.stderr == "djreview: warning: no Python file found in the 4 paths given\n"
    assert djreview("--no-cache", "-q", "empty", cwd=tmp_path).stderr == ""


def test_models_found_through_an_alias(tmp_path):
    """No class names a Django model base directly: the project index follows the alias."""
    write_project(
        tmp_path,
        {
            "shop/models.py": "from django.db import models\n\nBase = models.Model\n\n\nclass Tag(Base):\n"
            "    def __str__(self):\n        return ''\n",
        },
    )
    assert "no Django model" not in djreview("--no-cache", "shop", cwd=tmp_path).stderr


def test_readme_options_table_covers_every_option_of_the_review():
    from pathlib import Path

    from djreview.cli import check

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `-")]
    names = [name for p in check.params if p.name != "paths" for name in p.opts + p.secondary_opts]
    missing = [n for n in names if not any(f"`{n}`" in row or f"`{n} " in row for row in table)]
    assert missing == []


def test_where_a_noqa_comment_can_go():
    from djreview.noqa import CommentPlaces

    source = 'x = f"""a\n{1}\nb""" + """c\nd"""\ny = 1 + \\\n    2  # ends with \\\nz = (1,\n     2)\n'
    places = CommentPlaces(source)
    # lines 1-3 end inside strings, the last of which closes on line 4; line 5 is continued
    assert [places.line_for(n) for n in range(1, 9)] == [4, 4, 4, 4, 6, 6, 7, 8]
    assert CommentPlaces('s = """never closed\n').line_for(1) == 1  # not Python: its own line


def test_a_noqa_silences_its_own_line_or_where_the_comment_can_go():
    from djreview.finding import Finding
    from djreview.noqa import NoqaComments

    def finding(line: int) -> Finding:
        return Finding("DJR201", "missing-related-name", "warning", "m.py", line, 1, line, 2, "m")

    text = 'a = f(x, help="""one\ntwo""")  # noqa: DJR201\nb = 1\n\nc = 2  # noqa: DJR201\n'
    noqa = NoqaComments(text, text.splitlines())
    assert noqa.suppresses(finding(1))  # its line ends inside the string that line 2 closes
    assert noqa.suppresses(finding(5))
    assert not noqa.suppresses(finding(3))  # a noqa on another line silences nothing else
