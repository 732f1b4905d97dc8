"""DJR201 missing-related-name: a Django ForeignKey or ManyToManyField without related_name."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import AUTHOR_AND_BOOK, AUTHOR_MODULE, codes_lines, fixed

PATH = "shop/models.py"


def missing_related_name(review, files: dict[str, str], **settings):
    return review(files, select=("DJR201",), **settings)


def test_foreign_key_without_related_name_is_reported_at_the_call(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    def __str__(self):
        return str(self.pk)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]
    assert findings[0].column == 14  # `models.ForeignKey(`, not the field name
    assert findings[0].text == (
        "Book.author: ForeignKey to Author has no related_name, so the reverse accessor is the "
        'implicit `author.book_set`. Add related_name="books" (makemigrations will record it).'
    )


def test_many_to_many_without_related_name_is_reported(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    authors = models.ManyToManyField(Author)

    def __str__(self):
        return str(self.pk)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]
    assert "ManyToManyField to Author" in findings[0].text


def test_multi_line_call_is_reported_where_the_call_starts(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
    )

    def __str__(self):
        return str(self.pk)
"""
    )
    assert codes_lines(missing_related_name(review, {PATH: source})) == [("DJR201", PATH, 13)]


def test_related_name_present_is_clean(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    authors = models.ManyToManyField(Author, related_name="coauthored")

    def __str__(self):
        return str(self.pk)
"""
    )
    assert missing_related_name(review, {PATH: source}) == []


def test_related_name_plus_is_clean(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return str(self.pk)
"""
    )
    assert missing_related_name(review, {PATH: source}) == []


def test_one_to_one_is_clean(review):
    source = (
        AUTHOR_MODULE
        + """

class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE)

    def __str__(self):
        return str(self.pk)
"""
    )
    assert missing_related_name(review, {PATH: source}) == []


def test_symmetrical_self_many_to_many_is_clean(review):
    source = (
        AUTHOR_MODULE
        + """

class Person(models.Model):
    friends = models.ManyToManyField("self")
    twins = models.ManyToManyField("self", symmetrical=True)

    def __str__(self):
        return str(self.pk)
"""
    )
    assert missing_related_name(review, {PATH: source}) == []


def test_non_symmetrical_self_many_to_many_is_reported(review):
    source = (
        AUTHOR_MODULE
        + """

class Person(models.Model):
    follows = models.ManyToManyField("self", symmetrical=False)

    def __str__(self):
        return str(self.pk)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]


def test_directly_imported_foreign_key_is_reported(review):
    source = """
from django.db.models import CASCADE, ForeignKey, Model


class Author(Model):
    pass


class Book(Model):
    author = ForeignKey("shop.Author", CASCADE)
"""
    assert codes_lines(missing_related_name(review, {PATH: source})) == [("DJR201", PATH, 10)]


def test_annotated_field_assignment_is_reported(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author: models.ForeignKey = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    assert codes_lines(missing_related_name(review, {PATH: source})) == [("DJR201", PATH, 13)]


def test_foreign_key_to_the_user_model_is_reported(review):
    source = """
from django.conf import settings
from django.db import models


class Post(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 7)]
    assert "ForeignKey to User" in findings[0].text
    assert "`user.post_set`" in findings[0].text


def test_sqlalchemy_foreign_key_is_clean(review):
    source = """
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Thing(Base):
    __tablename__ = "thing"
    owner_id = Column(Integer, ForeignKey("user.id"))
    parent = ForeignKey("thing.id")
"""
    assert missing_related_name(review, {"shop/tables.py": source}) == []


def test_foreign_key_in_a_migration_is_not_reported(review):
    migration = """
from django.db import migrations, models


class Migration(migrations.Migration):
    operations = [
        migrations.AddField(
            model_name="book",
            name="author",
            field=models.ForeignKey(on_delete=models.CASCADE, to="shop.author"),
        ),
    ]
    author = models.ForeignKey("shop.Author", on_delete=models.CASCADE)
"""
    assert missing_related_name(review, {"shop/migrations/0002_book_author.py": migration}) == []


def test_foreign_key_outside_a_class_body_is_not_reported(review):
    source = """
from django.db import models

field = models.ForeignKey("shop.Author", on_delete=models.CASCADE)
"""
    assert missing_related_name(review, {PATH: source}) == []


def test_call_with_double_star_kwargs_is_not_reported(review):
    source = (
        AUTHOR_MODULE
        + """

OPTIONS = {"related_name": "books"}


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, **OPTIONS)
"""
    )
    assert missing_related_name(review, {PATH: source}) == []


# -- the fix ---------------------------------------------------------------------------------
def test_fix_on_a_single_line_call(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert findings[0].fix.applicability == "safe"
    assert findings[0].fix.description == 'add related_name="books" to Book.author'
    assert fixed(source, findings) == textwrap.dedent(
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
"""
    )


def test_fix_on_a_multi_line_call_with_a_trailing_comma(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
    )
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert fixed(source, findings) == textwrap.dedent(
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
        related_name="books",
    )
"""
    )


def test_fix_on_a_multi_line_call_without_a_trailing_comma(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE
    )
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert fixed(source, findings) == textwrap.dedent(
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE, related_name="books"
    )
"""
    )


def test_fix_names_the_accessor_in_plural_snake_case(review):
    source = (
        AUTHOR_MODULE
        + """

class BookCategory(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert 'related_name="book_categories"' in findings[0].text


def test_two_foreign_keys_to_the_same_model_get_distinct_names(review):
    source = (
        AUTHOR_MODULE
        + """

class Review(models.Model):
    writer = models.ForeignKey(Author, on_delete=models.CASCADE)
    subject = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 13), ("DJR201", PATH, 14)]
    assert fixed(source, findings) == textwrap.dedent(
        AUTHOR_MODULE
        + """

class Review(models.Model):
    writer = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="reviews_as_writer")
    subject = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="reviews_as_subject")
"""
    )


def test_proposed_name_already_taken_on_the_target_gets_a_suffix(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)


class Shelf(models.Model):
    books = models.ManyToManyField("Book", related_name="shelves")
    owner = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
"""
    )
    findings = missing_related_name(review, {PATH: source})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]
    assert 'related_name="books_as_author"' in findings[0].text


# An abstract model: its FK has no related_name, and each concrete subclass gets its own accessor.
OWNED = (
    AUTHOR_MODULE
    + """

class Owned(models.Model):
    owner = models.ForeignKey(Author, on_delete=models.CASCADE)

    class Meta:
        abstract = True
"""
)


def test_abstract_model_gets_a_placeholder_name(review):
    findings = missing_related_name(review, {PATH: OWNED})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]
    assert (
        'owner = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_related")'
        in fixed(OWNED, findings)
    )


def test_reading_the_default_accessor_makes_the_fix_unsafe_and_the_hint_says_where(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    view = """
def titles(author):
    return [book.title for book in author.book_set.all()]
"""
    findings = missing_related_name(review, {PATH: source, "shop/views.py": view})
    assert codes_lines(findings) == [("DJR201", PATH, 13)]
    assert findings[0].text.endswith(
        'Add related_name="books" (makemigrations will record it). The project reads `book_set` '
        "(shop/views.py:3): rename those uses to `books` too, or the rename breaks them."
    )
    assert findings[0].fix.applicability == "unsafe"


def test_no_warning_when_the_default_accessor_is_unused(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
    )
    findings = missing_related_name(review, {PATH: source, "shop/views.py": "def f(a):\n    return a.books\n"})
    assert "somewhere" not in findings[0].text
    assert findings[0].fix.applicability == "safe"


def test_named_siblings_do_not_force_a_longer_name(review):
    findings = missing_related_name(
        review,
        {
            PATH: AUTHOR_MODULE
            + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="edited_books")

    def __str__(self):
        return self.title
"""
        },
    )
    assert [f.line for f in findings] == [14]
    assert 'related_name="books"' in findings[0].text


def test_abstract_model_message_names_the_per_subclass_accessor(review):
    findings = missing_related_name(
        review,
        {PATH: OWNED},
    )
    assert "each concrete subclass gets its own implicit `author.<subclass>_set`" in findings[0].text
    assert '"%(app_label)s_%(class)s_related"' in findings[0].text


def test_default_query_name_used_in_a_lookup_is_kept_with_related_query_name(review):
    findings = missing_related_name(
        review,
        {
            PATH: AUTHOR_AND_BOOK,
            "shop/views.py": """
from shop.models import Author

def prolific():
    return Author.objects.filter(book__title__startswith="A")
""",
        },
    )
    assert findings[0].fix.applicability == "safe"
    assert findings[0].hint == (
        'Add related_name="books" and related_query_name="book" (makemigrations will record them): '
        "the project may use `book` in query lookups (shop/views.py:5), which related_query_name "
        "keeps working."
    )
    assert 'related_name="books", related_query_name="book")' in fixed(AUTHOR_AND_BOOK, findings, PATH)


def test_abstract_model_checks_each_subclass_default_accessor(review):
    findings = missing_related_name(
        review,
        {
            PATH: OWNED
            + """

class Note(Owned):
    text = models.TextField()

    def __str__(self):
        return self.text
""",
            "shop/views.py": """
def notes(author):
    return list(author.note_set.all())
""",
        },
    )
    assert findings[0].fix.applicability == "unsafe"
    assert "The project reads `note_set` (shop/views.py:3)" in findings[0].text


# -- what the rename would break (issue 13 item 14) ------------------------------------------
# Adding related_name="books" renames both the reverse accessor (`author.book_set`) and the
# reverse query name (`book` in lookups). Each use below works today and fails after the
# plain rename (checked under Django 5.2: FieldError for lookups, AttributeError for reads).
BOOK_FIXED = 'author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")'
BOOK_FIXED_KEEPING_LOOKUPS = (
    'author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books", related_query_name="book")'
)


def _view(body: str) -> str:
    return (
        "from django.db.models import Count, F, Prefetch, Q, Sum\n"
        "from shop.models import Author\n\n\n"
        "def view(a, b):\n"
        f"    return {body}\n"
    )


@pytest.mark.parametrize(
    "use",
    [
        'Author.objects.annotate(n=Count("book"))',
        "Author.objects.filter(book=b)",
        'Author.objects.filter(book__title="Emma")',
        'Author.objects.values_list("book")',
        "Author.objects.exclude(book__isnull=True)",
        'Author.objects.order_by("-book__title")',
        'Author.objects.annotate(total=Sum(F("book__pages")))',
        "Author.objects.filter(Q(book=b) | Q(name=a))",
        "Author.objects.filter(\n        # the author of this book\n        book=b,\n    )",
    ],
)
def test_query_name_use_keeps_the_old_query_name(review, use):
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/views.py": _view(use)})
    assert codes_lines(findings) == [("DJR201", PATH, 14)]
    assert findings[0].fix.applicability == "safe"  # every lookup keeps working
    assert BOOK_FIXED_KEEPING_LOOKUPS in fixed(AUTHOR_AND_BOOK, findings, PATH)
    assert "the project may use `book` in query lookups (shop/views.py:" in findings[0].hint


def test_admin_list_filter_on_the_query_name_keeps_it(review):
    admin = """
from django.contrib import admin


class AuthorAdmin(admin.ModelAdmin):
    list_filter = ("name", "book")
"""
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/admin.py": admin})
    assert BOOK_FIXED_KEEPING_LOOKUPS in fixed(AUTHOR_AND_BOOK, findings, PATH)
    assert "(shop/admin.py:6)" in findings[0].hint


@pytest.mark.parametrize(
    "use",
    [
        'Author.objects.prefetch_related("book_set")',
        'Author.objects.prefetch_related(Prefetch("book_set", queryset=None))',
        'Author.objects.prefetch_related(Prefetch("book_set__tags"))',
        'getattr(a, "book_set")',
        "a.book_set.count()",
    ],
)
def test_accessor_use_makes_the_fix_unsafe(review, use):
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/views.py": _view(use)})
    assert findings[0].fix.applicability == "unsafe"
    assert "The project reads `book_set` (shop/views.py:6): rename those uses to `books` too" in findings[0].hint


def test_serializer_source_on_the_accessor_makes_the_fix_unsafe(review):
    serializer = """
from rest_framework import serializers


class AuthorSerializer(serializers.Serializer):
    books = serializers.PrimaryKeyRelatedField(source="book_set", many=True, read_only=True)
    count = serializers.IntegerField(source="book_set.count")
"""
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/serializers.py": serializer})
    assert findings[0].fix.applicability == "unsafe"
    assert "`book_set` (shop/serializers.py:6, shop/serializers.py:7)" in findings[0].hint


def test_template_reading_the_accessor_makes_the_fix_unsafe(review):
    template = "<ul>\n{% for book in author.book_set.all %}\n  <li>{{ book.title }}</li>\n{% endfor %}\n</ul>\n"
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/templates/shop/author.html": template})
    assert findings[0].fix.applicability == "unsafe"
    assert "The project reads `book_set` (shop/templates/shop/author.html:2)" in findings[0].hint


def test_hint_lists_three_uses_and_counts_the_rest(review):
    view = _view("[a.book_set.all(), a.book_set.count(), a.book_set.first(), a.book_set.last()]")
    findings = missing_related_name(
        review, {PATH: AUTHOR_AND_BOOK, "shop/views.py": view, "shop/templates/a.html": "{{ a.book_set.count }}"}
    )
    assert "(shop/templates/a.html:1, shop/views.py:6, shop/views.py:6 and 2 more)" in findings[0].hint


def test_accessor_and_query_name_uses_together(review):
    view = _view('[a.book_set.all(), Author.objects.filter(book__title="x")]')
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/views.py": view})
    assert findings[0].fix.applicability == "unsafe"
    assert BOOK_FIXED_KEEPING_LOOKUPS in fixed(AUTHOR_AND_BOOK, findings, PATH)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", '[project]\nname = "django-shop"\nversion = "1.0"\n'),
        ("setup.cfg", "[metadata]\nname = django-shop\n"),
        ("setup.py", 'from setuptools import setup\n\nsetup(name="django-shop")\n'),
    ],
)
def test_a_distributed_package_never_gets_a_safe_rename(review, name, content):
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, name: content})
    assert findings[0].fix.applicability == "unsafe"
    assert findings[0].hint.endswith(
        "This project is the distributed package 'django-shop': code that installs it may read "
        "`author.book_set`, so renaming the accessor is not safe."
    )


def test_an_application_pyproject_keeps_the_fix_safe(review):
    pyproject = '[project]\nname = "mysite"\n\n[tool.uv]\npackage = false\n'
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "pyproject.toml": pyproject})
    assert findings[0].fix.applicability == "safe"


def test_the_same_words_outside_lookups_keep_the_fix_safe_and_plain(review):
    """`book` is a common word and `book_set` a common variable name: only uses in lookup
    positions and reads of the accessor count."""
    view = """
from django.shortcuts import redirect, reverse
from django.utils.translation import gettext as _

from shop.models import Author


def view(request, books):
    kind = "book"
    if request.GET["book"] == "book":
        return redirect("book")
    book_set = set(books)
    context = {"book": book_set, "label": _("book"), "url": reverse("book")}
    return context
"""
    models = AUTHOR_AND_BOOK.replace(
        "    title = models.CharField(max_length=200)",
        '    title = models.CharField(max_length=200, verbose_name="book")',
    )
    findings = missing_related_name(
        review,
        {
            PATH: models,
            "shop/views.py": view,
            "shop/urls.py": 'from django.urls import path\n\nurlpatterns = [path("book", view, name="book")]\n',
            "shop/templates/shop/book.html": "{{ book.title }} {{ books }}",
        },
    )
    assert findings[0].fix.applicability == "safe"
    assert findings[0].hint == 'Add related_name="books" (makemigrations will record it).'
    assert BOOK_FIXED in fixed(models, findings, PATH)


def test_migrations_do_not_count_as_uses(review):
    migration = """
from django.db import migrations


def forwards(apps, schema_editor):
    Author = apps.get_model("shop", "Author")
    for author in Author.objects.filter(book__isnull=False):
        author.book_set.update(title="x")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(forwards)]
"""
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "shop/migrations/0002_data.py": migration})
    assert findings[0].fix.applicability == "safe"
    assert BOOK_FIXED in fixed(AUTHOR_AND_BOOK, findings, PATH)


def test_abstract_model_keeps_each_subclass_query_name(review):
    source = (
        OWNED
        + """

class Note(Owned):
    text = models.TextField()
"""
    )
    view = _view('Author.objects.filter(note__text="x")')
    findings = missing_related_name(review, {PATH: source, "shop/views.py": view})
    assert 'related_name="%(app_label)s_%(class)s_related", related_query_name="%(class)s")' in fixed(
        source, findings, PATH
    )


def test_a_template_added_later_invalidates_the_cached_safe_fix(review, tmp_path):
    cache = tmp_path / "cache"
    first = missing_related_name(review, {PATH: AUTHOR_AND_BOOK}, cache_dir=cache)
    assert first[0].fix.applicability == "safe"
    again = missing_related_name(
        review, {PATH: AUTHOR_AND_BOOK, "templates/author.html": "{{ author.book_set.count }}"}, cache_dir=cache
    )
    assert again[0].fix.applicability == "unsafe"
    assert "(templates/author.html:1)" in again[0].hint


def test_multi_line_fix_puts_each_argument_on_its_own_line(review):
    source = (
        AUTHOR_MODULE
        + """

class Book(models.Model):
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
    )
"""
    )
    findings = missing_related_name(review, {PATH: source, "shop/views.py": _view("Author.objects.filter(book=b)")})
    assert fixed(source, findings, PATH).endswith(
        '        on_delete=models.CASCADE,\n        related_name="books",\n        related_query_name="book",\n    )\n'
    )


def test_the_editor_path_sees_templates_too(tmp_path, monkeypatch):
    """The flake8 plugin reviews one file with the index of its project: templates included."""
    from djreview import editor
    from djreview.engine import Settings
    from tests.helpers import write_project

    write_project(tmp_path, {PATH: AUTHOR_AND_BOOK, "shop/templates/author.html": "{{ author.book_set.count }}"})
    (tmp_path / "manage.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(editor, "_PROJECTS", {})
    path = tmp_path / PATH
    result = editor.review_text(path, path.read_text(encoding="utf-8"), Settings(codes=("DJR201",), jobs=1))
    assert [f.line for f in result.findings] == [14]
    assert "The project reads `book_set` (shop/templates/author.html:1)" in result.findings[0].hint


def test_a_run_on_one_file_still_sees_the_uses_in_test_modules(tmp_path, monkeypatch):
    """pre-commit names the changed files: the index learns the rest of the project without
    its test modules, but a rename would break the tests too."""
    from djreview.engine import Settings, run
    from tests.helpers import write_project

    test_module = "def test_count(author):\n    assert author.book_set.count() == 0\n"
    write_project(tmp_path, {PATH: AUTHOR_AND_BOOK, "shop/tests/test_views.py": test_module})
    (tmp_path / "manage.py").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = run([PATH], Settings(codes=("DJR201",), jobs=1)).findings
    assert findings[0].fix.applicability == "unsafe"
    assert "The project reads `book_set` (shop/tests/test_views.py:2)" in findings[0].hint


def test_an_unpacked_wheel_is_a_distributed_package(review):
    metadata = "Metadata-Version: 2.1\nName: django-shop\nVersion: 1.0\n"
    findings = missing_related_name(review, {PATH: AUTHOR_AND_BOOK, "django_shop-1.0.dist-info/METADATA": metadata})
    assert findings[0].fix.applicability == "unsafe"
    assert "This project is the distributed package 'django-shop'" in findings[0].hint


def test_abstract_model_hint_names_the_subclass_accessor_that_is_read(review):
    source = (
        OWNED
        + """

class Note(Owned):
    text = models.TextField()


class Memo(Owned):
    text = models.TextField()
"""
    )
    findings = missing_related_name(review, {PATH: source, "shop/views.py": "def f(a):\n    return a.memo_set.all()\n"})
    assert "The project reads `memo_set` (shop/views.py:2)" in findings[0].hint


def test_a_user_model_named_through_getattr_of_the_settings(review):
    # django-paypal: `ForeignKey(getattr(settings, "AUTH_USER_MODEL", "auth.User"), ...)`
    source = """
from django.conf import settings
from django.db import models


class Payment(models.Model):
    user = models.ForeignKey(getattr(settings, "AUTH_USER_MODEL", "auth.User"), on_delete=models.CASCADE)
    owner = models.ForeignKey(getattr(settings, "SHOP_OWNER_MODEL", "shop.Owner"), on_delete=models.CASCADE)
    clerk = models.ForeignKey(get_user_model_path(), on_delete=models.CASCADE)

    def __str__(self):
        return str(self.pk)
"""
    findings = missing_related_name(review, {PATH: source})
    assert [f.text.split(" has no related_name")[0] for f in findings] == [
        "Payment.user: ForeignKey to User",
        "Payment.owner: ForeignKey to Owner",
        "Payment.clerk: ForeignKey to User",
    ]
    assert '"' not in findings[0].text.split("accessor is the implicit")[1].split("`")[1]
