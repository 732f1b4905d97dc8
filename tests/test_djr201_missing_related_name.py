"""DJR201 missing-related-name: a Django ForeignKey or ManyToManyField without related_name."""

from __future__ import annotations

import textwrap

from tests.helpers import AUTHOR_AND_BOOK, AUTHOR_MODULE, codes_lines, fixed

PATH = "shop/models.py"


def missing_related_name(review, files: dict[str, str]):
    return review(files, select=("DJR201",))


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


def test_message_warns_when_the_project_reads_the_default_accessor(review):
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
        "The project uses `book_set` somewhere: related_name renames the reverse accessor and the query name, so rename those uses too."
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


def test_default_query_name_used_in_a_lookup_makes_the_fix_unsafe(review):
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
    assert findings[0].fix.applicability == "unsafe"
    assert "the lookup `book__...`" in findings[0].text


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
    assert "`note_set`" in findings[0].text
