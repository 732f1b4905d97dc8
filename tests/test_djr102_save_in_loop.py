"""DJR102 save-in-loop: ``obj.save()`` on a model instance, or ``Model.objects.create()``, in a loop."""

from __future__ import annotations

from tests.conftest import codes_lines

MODELS = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    price = models.IntegerField(default=0)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self):
        return self.title
"""

FORMS = """
from django import forms
from shop.models import Book


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title"]
"""

VIEWS = "shop/views.py"


def save_in_loop(review, view: str, path: str = VIEWS, **settings):
    return review(
        {"shop/models.py": MODELS, "shop/forms.py": FORMS, path: view}, select=("DJR102",), **settings
    )


def test_save_on_rows_of_a_queryset_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def shout():
            for book in Book.objects.filter(price__gt=0):
                book.title = book.title.upper()
                book.price = 3
                book.save()
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    assert (findings[0].column, findings[0].end_column) == (9, 20)  # the call `book.save()`


def test_message_names_bulk_update_and_the_fields_assigned_in_the_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def shout():
            for book in Book.objects.filter(price__gt=0):
                book.title = book.title.upper()
                book.price = 3
                book.save()
    """)
    assert findings[0].message == (
        "Book.save() inside a loop runs one UPDATE per iteration. Collect the rows and call "
        'Book.objects.bulk_update(books, ["title", "price"]) once after the loop; bulk_update() '
        "does not call save() or send pre_save/post_save signals, so check that nothing here relies on them."
    )
    assert findings[0].fix.applicability == "suggestion"
    assert findings[0].fix.edits == ()


def test_update_fields_are_the_fields_named_in_the_message(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def shout():
            for book in Book.objects.all():
                book.save(update_fields=["title"])
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 6)]
    assert 'bulk_update(books, ["title"])' in findings[0].message


def test_no_fields_assigned_gives_a_placeholder(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def touch():
            for book in Book.objects.all():
                book.save()
    """)
    assert "bulk_update(books, [<fields you change>])" in findings[0].message


def test_save_on_a_model_built_in_the_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def import_names(names):
            for name in names:
                author = Author(name=name)
                author.save()
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert findings[0].message == (
        "Author.save() on a new Author inside a loop runs one INSERT per iteration. Collect the new "
        "objects in a list and call Author.objects.bulk_create(authors) once after the loop; "
        "bulk_create() does not call save() or send pre_save/post_save signals, so check that nothing "
        "here relies on them."
    )


def test_create_in_a_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def import_names(names):
            for name in names:
                Author.objects.create(name=name)
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 6)]
    assert findings[0].message == (
        "Author.objects.create() inside a loop runs one INSERT per iteration. Build the Author objects "
        "in a list and call Author.objects.bulk_create([Author(...) for ...]) once; bulk_create() does "
        "not call save() or send pre_save/post_save signals, so check that nothing here relies on them."
    )


def test_create_in_a_list_comprehension(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def import_names(names):
            return [Author.objects.create(name=name) for name in names]
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 5)]


def test_create_on_a_related_manager_in_a_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def seed(titles):
            author = Author.objects.get(pk=1)
            for title in titles:
                author.books.create(title=title)
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert findings[0].message.startswith("author.books.create() inside a loop")


def test_save_in_a_while_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def drain():
            book = Book.objects.get(pk=1)
            while book.price > 0:
                book.price -= 1
                book.save()
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]


def test_save_on_rows_of_a_nested_related_manager_loop(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def reprice():
            for author in Author.objects.all():
                for book in author.books.all():
                    book.price = 1
                    book.save()
    """)
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    assert 'bulk_update(books, ["price"])' in findings[0].message


def test_save_outside_a_loop_is_clean(review):
    assert save_in_loop(review, """
        from shop.models import Book

        def rename(pk, title):
            book = Book.objects.get(pk=pk)
            book.title = title
            book.save()
            Book.objects.create(title=title)
    """) == []


def test_form_save_in_a_loop_is_clean(review):
    assert save_in_loop(review, """
        from shop.forms import BookForm

        def import_rows(rows):
            for row in rows:
                form = BookForm(row)
                if form.is_valid():
                    form.save()
    """) == []


def test_save_on_an_object_of_unknown_type_is_clean(review):
    assert save_in_loop(review, """
        def save_all(objects):
            for obj in objects:
                obj.save()
    """) == []


def test_save_in_a_function_defined_in_a_loop_is_not_reported(review):
    # Decided: a function defined in a loop body is not run by the loop itself (it may be a
    # callback stored for later, run once, or never), so its body is not "inside the loop".
    assert save_in_loop(review, """
        from shop.models import Book

        def schedule(callbacks):
            for book in Book.objects.all():
                def later():
                    book.save()
                callbacks.append(later)
    """) == []


def test_migrations_and_tests_are_skipped_by_default(review):
    loop = """
        from shop.models import Book

        def run():
            for book in Book.objects.all():
                book.save()
    """
    assert save_in_loop(review, loop, path="shop/migrations/0002_data.py") == []
    assert save_in_loop(review, loop, path="shop/tests/test_views.py") == []


def test_migrations_are_reviewed_with_query_rules_everywhere(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def run():
            for book in Book.objects.all():
                book.save()
    """, path="shop/migrations/0002_data.py", query_rules_everywhere=True)
    assert codes_lines(findings) == [("DJR102", "shop/migrations/0002_data.py", 6)]


def test_augmented_assignments_are_fields_to_update(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def discount():
            for book in Book.objects.all():
                book.price -= 1
                book.save()
    """)
    assert "Book.objects.bulk_update(books, [\"price\"])" in findings[0].message


def test_list_name_is_never_a_keyword(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def discount():
            for a in Book.objects.all():
                a.price = 0
                a.save()
    """)
    assert "bulk_update(objs, [\"price\"])" in findings[0].message


# -- one write per iteration on purpose (found on real applications) -------------------------
def test_atomic_block_per_iteration_is_not_reported(review):
    assert save_in_loop(review, """
        from django.db import transaction
        from shop.models import Book

        def reprice():
            for book in Book.objects.all():
                with transaction.atomic():
                    book.price = 0
                    book.save()
    """) == []


def test_loop_inside_one_atomic_block_is_reported(review):
    findings = save_in_loop(review, """
        from django.db import transaction
        from shop.models import Book

        def reprice():
            with transaction.atomic():
                for book in Book.objects.all():
                    book.price = 0
                    book.save()
    """)
    assert [f.line for f in findings] == [9]


def test_row_locked_per_iteration_is_not_reported(review):
    assert save_in_loop(review, """
        from shop.models import Book

        def reprice(ids):
            for pk in ids:
                book = Book.objects.select_for_update().get(pk=pk)
                book.price = 0
                book.save()
    """) == []


def test_write_followed_by_return_runs_once(review):
    assert save_in_loop(review, """
        from shop.models import Book

        def first_cheap():
            for book in Book.objects.all():
                if book.price < 5:
                    book.price = 5
                    book.save()
                    return book
            return None
    """) == []


def test_created_row_used_in_the_same_iteration_is_not_reported(review):
    assert save_in_loop(review, """
        from shop.models import Author, Book

        def import_rows(rows):
            for row in rows:
                author = Author.objects.create(name=row["author"])
                Book.objects.filter(title=row["title"]).update(author=author)
    """) == []


def test_created_row_only_collected_is_still_reported(review):
    findings = save_in_loop(review, """
        from shop.models import Author

        def import_rows(rows):
            made = []
            for row in rows:
                author = Author.objects.create(name=row["author"])
                made.append(author)
            return made
    """)
    assert [(f.code, f.line) for f in findings] == [("DJR102", 7)]


def test_cloned_row_is_an_insert_without_pk_in_the_field_list(review):
    findings = save_in_loop(review, """
        from shop.models import Book

        def duplicate():
            for book in Book.objects.all():
                book.pk = None
                book.title = book.title + " (copy)"
                book.save()
    """)
    assert "bulk_create(books)" in findings[0].message


def test_write_inside_a_with_block_of_the_iteration_is_not_reported(review):
    assert save_in_loop(review, """
        from shop.models import Book

        def attach(paths):
            for book, path in zip(Book.objects.all(), paths):
                with open(path, "rb") as handle:
                    book.title = handle.name
                    book.save()
    """) == []


def test_status_row_created_then_saved_in_the_same_iteration_is_not_reported(review):
    assert save_in_loop(review, """
        from shop.models import Author

        def run(jobs):
            for job in jobs:
                status = Author.objects.create(name="running")
                job()
                status.name = "done"
                status.save()
    """) == []
