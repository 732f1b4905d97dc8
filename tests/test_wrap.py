"""A line a fix makes too long is laid out as Black / Ruff's formatter would lay it out, to
the project's line length (wrap.py, line_length.py).

Each layout is checked on the exact fixed text; the ones a formatter would change are the
negatives (a comment on the line, a line already too long, a short line)."""

from __future__ import annotations

import textwrap

import pytest

from djreview.config import config_for
from djreview.fixes import apply_edits_placed
from djreview.line_length import project_line_length
from djreview.wrap import wrap_fixed
from tests.helpers import N_PLUS_ONE_MODELS, djreview, write_project

VIEWS = "shop/views.py"


def fixed(review, source: str, line_length: int = 88) -> str:
    """`source` reviewed for DJR101 and fixed with every finding's edits, then wrapped."""
    findings = review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: source}, select=("DJR101",))
    assert findings, "the example must have a finding to fix"
    text = textwrap.dedent(source)
    edits = [e for f in findings if f.fix for e in f.fix.edits]
    return wrap_fixed(text, *apply_edits_placed(text, edits), line_length)


def test_a_line_that_still_fits_is_only_extended(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True)
            return [b.author.name for b in qs]
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True).select_related("author")
            return [b.author.name for b in qs]
    """)


def test_an_overflowing_chain_of_two_calls_becomes_one_call_per_line_in_parentheses(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True, title__startswith="The").order_by("title")
            return [b.author.name for b in qs]
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = (
                Book.objects.filter(published=True, title__startswith="The")
                .order_by("title")
                .select_related("author")
            )
            return [b.author.name for b in qs]
    """)


def test_a_chain_that_fits_inside_the_parentheses_stays_on_one_line_there(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=False).order_by("-title")
            return [b.author.name for b in qs]
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = (
                Book.objects.filter(published=False).order_by("-title").select_related("author")
            )
            return [b.author.name for b in qs]
    """)  # 64 characters before the fix, 89 after; 88 inside the parentheses


def test_one_call_after_the_first_splits_at_a_call_s_brackets(review):
    """Black leaves a chain with a single call after its first unbracketed: the arguments of
    the last call whose first line fits go on their own line."""
    source = """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True, title__startswith="The Long")
            return [b.author.name for b in qs]
    """
    assert fixed(review, source) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(
                published=True, title__startswith="The Long"
            ).select_related("author")
            return [b.author.name for b in qs]
    """)
    assert fixed(review, source, line_length=90) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True, title__startswith="The Long").select_related(
                "author"
            )
            return [b.author.name for b in qs]
    """)


def test_a_call_added_to_a_chain_already_one_call_per_line_gets_its_own_line(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = (
                Book.objects.filter(published=True)
                .order_by("title")
            )
            return [b.author.name for b in qs]
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = (
                Book.objects.filter(published=True)
                .order_by("title")
                .select_related("author")
            )
            return [b.author.name for b in qs]
    """)


def test_an_argument_added_to_a_call_one_argument_per_line_gets_its_own_line(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.select_related(
                "editor",
            )
            return [(b.author.name, b.editor) for b in qs]
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            qs = Book.objects.select_related(
                "editor",
                "author",
            )
            return [(b.author.name, b.editor) for b in qs]
    """)


def test_a_loop_header_deep_in_a_class_is_wrapped_at_its_own_indent(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        class Report:
            def rows(self, wanted):
                if wanted:
                    for b in Book.objects.filter(published=True, title__icontains=wanted):
                        print(b.author.name, [t.label for t in b.tags.all()])
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        class Report:
            def rows(self, wanted):
                if wanted:
                    for b in (
                        Book.objects.filter(published=True, title__icontains=wanted)
                        .prefetch_related("tags")
                        .select_related("author")
                    ):
                        print(b.author.name, [t.label for t in b.tags.all()])
    """)


def test_a_comprehension_clause_on_its_own_line_splits_at_a_call(review):
    assert fixed(
        review,
        """
        from shop.models import Book

        def titles(wanted):
            return {
                b.title: b.author.name
                for b in Book.objects.filter(published=True, title__icontains=wanted)
            }
    """,
    ) == textwrap.dedent("""
        from shop.models import Book

        def titles(wanted):
            return {
                b.title: b.author.name
                for b in Book.objects.filter(
                    published=True, title__icontains=wanted
                ).select_related("author")
            }
    """)


# -- the other fixable rules -------------------------------------------------------------------
def fixed_files(review, files: dict[str, str], path: str, select: str, line_length: int = 88) -> str:
    findings = review(files, select=(select,))
    assert findings, "the example must have a finding to fix"
    text = textwrap.dedent(files[path])
    edits = [e for f in findings if f.fix for e in f.fix.edits if e.path == path]
    return wrap_fixed(text, *apply_edits_placed(text, edits), line_length)


MODELS = """
    from django.db import models


    class Author(models.Model):
        name = models.CharField(max_length=100)

        def __str__(self):
            return self.name


    class Book(models.Model):
        title = models.CharField(max_length=200)
        subtitle = models.CharField(max_length=200)
        isbn = models.CharField(max_length=20)
        published_on = models.DateField()
        author = models.ForeignKey(Author, on_delete=models.CASCADE, verbose_name="author")
        editor = models.ForeignKey(
            Author, on_delete=models.CASCADE, null=True, blank=True, verbose_name="ed"
        )
        short = models.ForeignKey(Author, on_delete=models.CASCADE, null=True)

        def __str__(self):
            return self.title
"""


def test_related_name_added_to_a_field_is_laid_out_as_black_would(review):
    text = fixed_files(review, {"lib/models.py": MODELS}, "lib/models.py", "DJR201")
    assert text.split("class Book(models.Model):\n")[1].split("\n\n")[0] == textwrap.indent(
        textwrap.dedent("""\
            title = models.CharField(max_length=200)
            subtitle = models.CharField(max_length=200)
            isbn = models.CharField(max_length=20)
            published_on = models.DateField()
            author = models.ForeignKey(
                Author,
                on_delete=models.CASCADE,
                verbose_name="author",
                related_name="books_as_author",
            )
            editor = models.ForeignKey(
                Author,
                on_delete=models.CASCADE,
                null=True,
                blank=True,
                verbose_name="ed",
                related_name="books_as_editor",
            )
            short = models.ForeignKey(
                Author, on_delete=models.CASCADE, null=True, related_name="books_as_short"
            )"""),
        "    ",
    )


def test_a_field_list_that_does_not_fit_goes_one_field_per_line(review):
    form = """
        from django import forms

        from lib.models import Book


        class BookForm(forms.ModelForm):
            class Meta:
                model = Book
                fields = "__all__"
    """
    files = {"lib/models.py": MODELS, "lib/forms.py": form}
    assert fixed_files(review, files, "lib/forms.py", "DJR301").endswith(
        "        fields = [\n"
        '            "title", "subtitle", "isbn", "published_on", "author", "editor", "short"\n'
        "        ]\n"
    )
    assert fixed_files(review, files, "lib/forms.py", "DJR301", line_length=60).endswith(
        "        fields = [\n"
        + "".join(f'            "{name}",\n' for name in ("title", "subtitle", "isbn", "published_on", "author"))
        + "".join(f'            "{name}",\n' for name in ("editor", "short"))
        + "        ]\n"
    )
    assert fixed_files(review, files, "lib/forms.py", "DJR301", line_length=120).endswith(
        '        fields = ["title", "subtitle", "isbn", "published_on", "author", "editor", "short"]\n'
    )


def test_an_argument_added_to_a_line_of_several_arguments_stays_on_that_line(review):
    """`"a", "b",` is not one argument per line: the new one joins them rather than starting
    a layout the rest of the call does not follow (seen in pretix)."""
    text = fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.select_related(
                "editor", "editor__profile",
            )
            return [(b.author.name, b.editor) for b in qs]
    """,
    )
    assert '        "editor", "editor__profile", "author",\n    )\n' in text


# -- left as the edit made it --------------------------------------------------------------
def test_a_line_with_a_comment_is_left_long(review):
    text = fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True, title__startswith="The Long")  # the list
            return [b.author.name for b in qs]
    """,
    )
    assert '    qs = Book.objects.filter(published=True, title__startswith="The Long").select_related(' in text


def test_a_line_already_over_the_length_is_not_reflowed(review):
    text = fixed(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True, title__startswith="The Long Title").order_by("x")
            return [b.author.name for b in qs]
    """,
        line_length=80,
    )
    assert 'order_by("x").select_related("author")\n' in text


def test_an_expression_that_is_not_a_plain_chain_is_left_long(review):
    text = fixed(
        review,
        """
        from shop.models import Book

        def titles():
            return [b.author.name for b in Book.objects.filter(published=True, title__startswith="The")]
    """,
    )
    assert text.endswith('title__startswith="The").select_related("author")]\n')


# -- where the line length comes from ----------------------------------------------------------
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, (88, "default")),
        ({".ruff.toml": "line-length = 100\n"}, (100, ".ruff.toml line-length")),
        ({"ruff.toml": "line-length = 101\n"}, (101, "ruff.toml line-length")),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 102\n"}, (102, "pyproject.toml [tool.ruff] line-length")),
        ({"pyproject.toml": "[tool.black]\nline-length = 103\n"}, (103, "pyproject.toml [tool.black] line-length")),
        ({"setup.cfg": "[flake8]\nmax-line-length = 104\n"}, (104, "setup.cfg [flake8] max-line-length")),
        ({"tox.ini": "[flake8]\nmax_line_length = 105\n"}, (105, "tox.ini [flake8] max-line-length")),
        ({".flake8": "[flake8]\nmax-line-length = 106  # wide\n"}, (106, ".flake8 [flake8] max-line-length")),
        # a formatter's setting wins over a linter's, and Ruff's over Black's
        (
            {
                "pyproject.toml": "[tool.black]\nline-length = 90\n[tool.ruff]\nline-length = 99\n",
                "setup.cfg": "[flake8]\nmax-line-length = 120\n",
            },
            (99, "pyproject.toml [tool.ruff] line-length"),
        ),
        (
            {"ruff.toml": "line-length = 95\n", "pyproject.toml": "[tool.ruff]\nline-length = 99\n"},
            (95, "ruff.toml line-length"),
        ),
        # flake8 reads the first file with a [flake8] section, and only that one
        ({"setup.cfg": "[flake8]\nignore = E501\n", "tox.ini": "[flake8]\nmax-line-length = 120\n"}, (88, "default")),
        # what no tool would accept is passed over, never an error
        (
            {"pyproject.toml": "[tool.ruff]\nline-length = 0\n[tool.black]\nline-length = 97\n"},
            (97, "pyproject.toml [tool.black] line-length"),
        ),
        ({"pyproject.toml": '[tool.ruff]\nline-length = "wide"\n'}, (88, "default")),
        ({"ruff.toml": "line-length = [\n", "setup.cfg": "[flake8\n"}, (88, "default")),
        ({"pyproject.toml": "tool = 3\n"}, (88, "default")),
    ],
)
def test_line_length_sources(tmp_path, files, expected):
    write_project(tmp_path, files)
    assert project_line_length(tmp_path) == expected


def test_the_config_carries_the_line_length_of_its_project(tmp_path):
    write_project(tmp_path, {"pyproject.toml": "[tool.djreview]\n\n[tool.black]\nline-length = 79\n", "app/x.py": ""})
    config = config_for(tmp_path / "app")
    assert (config.line_length, config.line_length_from) == (79, "pyproject.toml [tool.black] line-length")


def test_without_a_pyproject_the_line_length_is_read_at_the_project_root(tmp_path):
    write_project(tmp_path, {"manage.py": "", "setup.cfg": "[flake8]\nmax-line-length = 110\n", "app/x.py": ""})
    config = config_for(tmp_path / "app")  # no pyproject.toml: read at the project's root
    assert (config.line_length, config.line_length_from) == (110, "setup.cfg [flake8] max-line-length")


def test_fix_wraps_to_the_configured_length_and_show_settings_says_where_it_came_from(tmp_path):
    view = (
        "from shop.models import Book\n\n\n"
        "def titles():\n"
        "    qs = Book.objects.filter(published=True).order_by('title')\n"
        "    return [b.author.name for b in qs]\n"
    )
    write_project(
        tmp_path,
        {
            "manage.py": "",
            "pyproject.toml": "[tool.ruff]\nline-length = 64\n",
            "shop/__init__.py": "",
            "shop/models.py": N_PLUS_ONE_MODELS,
            "shop/views.py": view,
        },
    )
    result = djreview("--fix", "--no-cache", "--select", "DJR101", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "shop" / "views.py").read_text(encoding="utf-8") == (
        "from shop.models import Book\n\n\n"
        "def titles():\n"
        "    qs = (\n"
        "        Book.objects.filter(published=True)\n"
        "        .order_by('title')\n"
        '        .select_related("author")\n'
        "    )\n"
        "    return [b.author.name for b in qs]\n"
    )
    shown = djreview("--show-settings", ".", cwd=tmp_path).stdout
    assert "line length: 64 (pyproject.toml [tool.ruff] line-length)" in shown.splitlines()
