"""Every finding says what is wrong (`message`) and what to do (`hint`), as Django's system
checks do. Line-oriented outputs print the two as the one sentence they printed before the
split (`Finding.text`); JSON and SARIF carry the hint on its own too."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest

from djreview.finding import Finding
from tests.helpers import AUTHOR_AND_BOOK, BOOKSHOP, N_PLUS_ONE_MODELS, djreview, flake8, sarif_schema, write_project

VIEWS = "shop/views.py"


def _one(findings) -> Finding:
    assert len(findings) == 1, findings
    f = findings[0]
    assert f.hint, "every rule says what to do"
    assert f.text == f"{f.message} {f.hint}"
    return f


def test_text_is_the_message_alone_without_a_hint():
    f = Finding("DJR001", "parse-error", "error", "a.py", 1, 1, 1, 2, "syntax error: expected ':'")
    assert f.hint == ""
    assert f.text == "syntax error: expected ':'"


# -- DJR101 ----------------------------------------------------------------------------------
def test_djr101_select_hint_names_the_call_and_the_line_it_goes_on(review):
    view = """
        from shop.models import Book

        def titles():
            books = Book.objects.all()
            return [book.author.name for book in books]
    """
    f = _one(review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: view}, select=("DJR101",)))
    assert f.message == "N+1 query: `book.author` loads the relation `author` of Book once per row of this loop."
    # <line:origin> is substituted in the hint as it was in the message
    assert f.hint == 'Add .select_related("author") to the queryset built on line 5.'


def test_djr101_prefetched_manager_query_hint_suggests_prefetch_objects(review):
    view = """
        from shop.models import Author

        def rows():
            for author in Author.objects.prefetch_related("books"):
                print(author.books.filter(title="x"))
    """
    f = _one(review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: view}, select=("DJR101",)))
    assert f.message == (
        "N+1 query: `author.books.filter()` runs a query for every Author in this loop, even with prefetch_related."
    )
    assert f.hint == (
        'Prefetch the rows you need once with Prefetch("books", queryset=..., to_attr=...) '
        "or annotate the value on the queryset."
    )


def test_djr101_count_hint_suggests_an_annotation(review):
    view = """
        from shop.models import Author

        def rows():
            return [(a.name, a.books.count()) for a in Author.objects.all()]
    """
    f = _one(review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: view}, select=("DJR101",)))
    assert f.message == "N+1 query: `a.books.count()` runs a query for every Author in this loop."
    assert f.hint == (
        'Annotate it on the queryset instead, e.g. .annotate(books_count=Count("books")), '
        "and read the annotation in the loop."
    )


# -- DJR102 ----------------------------------------------------------------------------------
LOOP_MODELS = """
from django.db import models

class Book(models.Model):
    title = models.CharField(max_length=200)
    price = models.IntegerField(default=0)

    def __str__(self):
        return self.title
"""


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        (
            "for book in Book.objects.all():\n        book.price = 0\n        book.save()",
            "Book.save() inside a loop runs one UPDATE per iteration.",
            'Collect the rows and call Book.objects.bulk_update(books, ["price"]) once after the loop;',
        ),
        (
            "for title in titles:\n        book = Book(title=title)\n        book.save()",
            "Book.save() on a new Book inside a loop runs one INSERT per iteration.",
            "Collect the new objects in a list and call Book.objects.bulk_create(books) once after the loop;",
        ),
        (
            "for title in titles:\n        Book.objects.create(title=title)",
            "Book.objects.create() inside a loop runs one INSERT per iteration.",
            "Build the Book objects in a list and call Book.objects.bulk_create([Book(...) for ...]) once;",
        ),
    ],
    ids=["update", "insert", "create"],
)
def test_djr102_hint_names_the_bulk_call(review, body, message, hint):
    view = f"from shop.models import Book\n\n\ndef run(titles):\n    {body}\n"
    f = _one(review({"shop/models.py": LOOP_MODELS, VIEWS: view}, select=("DJR102",)))
    assert f.message == message
    assert f.hint.startswith(hint)
    assert f.hint.endswith("so check that nothing here relies on them.")


# -- DJR201 ----------------------------------------------------------------------------------
def test_djr201_hint_is_the_related_name_to_add(review):
    f = _one(review({"shop/models.py": AUTHOR_AND_BOOK}, select=("DJR201",)))
    assert f.message == (
        "Book.author: ForeignKey to Author has no related_name, so the reverse accessor is the implicit "
        "`author.book_set`."
    )
    assert f.hint == 'Add related_name="books" (makemigrations will record it).'


def test_djr201_hint_includes_the_uses_to_rename(review):
    view = "from shop.models import Author\n\n\ndef books(author: Author):\n    return author.book_set.all()\n"
    f = _one(review({"shop/models.py": AUTHOR_AND_BOOK, VIEWS: view}, select=("DJR201",)))
    assert f.message.endswith("has no related_name, so the reverse accessor is the implicit `author.book_set`.")
    assert f.hint == (
        'Add related_name="books" (makemigrations will record it). The project reads `book_set` '
        "(shop/views.py:5): rename those uses to `books` too, or the rename breaks them."
    )


# -- DJR202 ----------------------------------------------------------------------------------
def test_djr202_hint_is_the_str_to_write(review):
    source = "from django.db import models\n\nclass Tag(models.Model):\n    name = models.CharField(max_length=50)\n"
    f = _one(review({"shop/models.py": source}, select=("DJR202",)))
    assert f.message == ('Model Tag has no __str__, so the admin, the shell and logs show it as "Tag object (1)".')
    assert f.hint == "Add a __str__ that returns self.name."


# -- DJR301 ----------------------------------------------------------------------------------
FORM = """
from django import forms

from shop.models import Book

class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"
"""


def test_djr301_hint_lists_the_fields(review):
    f = _one(review({"shop/models.py": LOOP_MODELS, "shop/forms.py": FORM}, select=("DJR301",)))
    assert f.message == (
        'BookForm.Meta uses fields = "__all__" for Book: every field added to Book later becomes '
        "writable through the form without review."
    )
    assert f.hint == 'List the fields explicitly: ["title", "price"].'


# -- DJR001 ----------------------------------------------------------------------------------
def test_djr001_hint_is_pythons_own_suggestion(review):
    f = _one(review({"broken.py": "x = [1 2]\n"}, select=("DJR001",)))
    assert (f.message, f.hint) == ("syntax error: invalid syntax.", "Perhaps you forgot a comma?")


def test_djr001_without_a_suggestion_has_no_hint(review):
    findings = review({"broken.py": "def f(x)\n    pass\n"}, select=("DJR001",))
    assert [(f.message, f.hint, f.text) for f in findings] == [
        ("syntax error: expected ':'", "", "syntax error: expected ':'")
    ]


# -- outputs ---------------------------------------------------------------------------------
SENTENCE = (
    "Book.author: ForeignKey to Author has no related_name, so the reverse accessor is the implicit "
    '`author.book_set`. Add related_name="books" (makemigrations will record it).'
)


def test_concise_prints_message_and_hint_as_one_sentence(shop_project):
    lines = djreview("--format", "concise", cwd=shop_project).stdout.splitlines()
    assert lines == [f"shop/models.py:14:14: DJR201 {SENTENCE}"]


def test_json_has_the_whole_sentence_and_the_hint(shop_project):
    data = json.loads(djreview("--format", "json", cwd=shop_project).stdout)
    finding = data["findings"][0]
    assert finding["message"] == SENTENCE
    assert finding["hint"] == 'Add related_name="books" (makemigrations will record it).'
    assert list(finding)[8:11] == ["message", "hint", "fix"]


def test_json_has_a_hint_key_on_every_finding(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "broken.py": "def f(x)\n    pass\n"})
    data = json.loads(djreview("--format", "json", cwd=tmp_path).stdout)
    assert {f["code"]: f["hint"] for f in data["findings"]} == {
        "DJR001": "",
        "DJR201": 'Add related_name="books" (makemigrations will record it).',
    }


def test_sarif_message_is_the_sentence_and_the_hint_a_property(shop_project):
    sarif = json.loads(djreview("--format", "sarif", cwd=shop_project).stdout)
    result = sarif["runs"][0]["results"][0]
    assert result["message"]["text"] == SENTENCE
    assert result["properties"] == {"hint": 'Add related_name="books" (makemigrations will record it).'}


def test_sarif_with_hints_validates_against_the_official_schema():
    import jsonschema

    sarif = json.loads(djreview("--format", "sarif", "--no-cache", ".", cwd=BOOKSHOP).stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert results and all(r["properties"]["hint"] for r in results)
    assert all(r["message"]["text"].endswith(" " + r["properties"]["hint"]) for r in results)


def test_github_and_gitlab_print_the_whole_sentence(shop_project):
    github = djreview("--format", "github", cwd=shop_project).stdout
    assert f"::{SENTENCE}%0AFix (safe): " in github
    gitlab = json.loads(djreview("--format", "gitlab", cwd=shop_project).stdout)
    assert gitlab[0]["description"] == f"DJR201 {SENTENCE}"


def test_flake8_prints_the_whole_sentence(shop_project):
    (shop_project / "manage.py").write_text("", encoding="utf-8")
    result = flake8("--select", "DJR", "--isolated", "shop/models.py", cwd=shop_project)
    assert result.stdout == f"shop/models.py:14:14: DJR201 {SENTENCE}\n"


def test_rich_output_puts_the_hint_on_its_own_line():
    from rich.console import Console

    from djreview.report.text import render_rich

    finding = Finding(
        "DJR202", "missing-str", "warning", "nowhere.py", 3, 1, 3, 6, "Model Tag has no __str__.", hint="Add one."
    )
    out = io.StringIO()
    report = SimpleNamespace(findings=[finding], files=1, seconds=0.0)
    render_rich(report, Console(file=out, width=200, color_system=None))
    lines = out.getvalue().splitlines()
    assert lines[1:3] == ["  Model Tag has no __str__.", "  hint: Add one."]
