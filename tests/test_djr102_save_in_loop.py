"""DJR102 save-in-loop: ``obj.save()`` on a model instance, or ``Model.objects.create()``, in a loop."""

from __future__ import annotations

import ast
import textwrap

from tests.helpers import AUTHOR_MODULE, codes_lines, djreview, fixed, write_project

MODELS = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    price = models.IntegerField(default=0)
    on_sale = models.BooleanField(default=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self):
        return self.title


class Tag(models.Model):
    name = models.CharField(max_length=50)
    slug = models.SlugField()

    def __str__(self):
        return self.name


class Shelf(models.Model):
    label = models.CharField(max_length=50)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.label


class LiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(live=True)


class Offer(models.Model):
    price = models.IntegerField(default=0)
    live = models.BooleanField(default=True)
    objects = LiveManager()

    def __str__(self):
        return str(self.price)
"""
)

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
    return review({"shop/models.py": MODELS, "shop/forms.py": FORMS, path: view}, select=("DJR102",), **settings)


def test_save_on_rows_of_a_queryset_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def shout():
            for book in Book.objects.filter(price__gt=0):
                book.title = book.title.upper()
                book.price = 3
                book.save()
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    assert (findings[0].column, findings[0].end_column) == (9, 20)  # the call `book.save()`


def test_message_names_bulk_update_and_the_fields_assigned_in_the_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def shout():
            for book in Book.objects.filter(price__gt=0):
                book.title = book.title.upper()
                book.price = 3
                book.save()
    """,
    )
    assert findings[0].text == (
        "Book.save() inside a loop runs one UPDATE per iteration. Collect the rows and call "
        'Book.objects.bulk_update(books, ["title", "price"]) once after the loop; bulk_update() '
        "does not call save() or send pre_save/post_save signals, so check that nothing here relies on them."
    )
    assert findings[0].fix.applicability == "unsafe"  # the loop is simple: see the fix tests below


def test_update_fields_are_the_fields_named_in_the_message(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def shout():
            for book in Book.objects.all():
                book.save(update_fields=["title"])
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 6)]
    assert 'bulk_update(books, ["title"])' in findings[0].text


def test_no_fields_assigned_gives_a_placeholder(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def touch():
            for book in Book.objects.all():
                book.save()
    """,
    )
    assert "bulk_update(books, [<fields you change>])" in findings[0].text


def test_save_on_a_model_built_in_the_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def import_names(names):
            for name in names:
                author = Author(name=name)
                author.save()
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert findings[0].text == (
        "Author.save() on a new Author inside a loop runs one INSERT per iteration. Collect the new "
        "objects in a list and call Author.objects.bulk_create(authors) once after the loop; "
        "bulk_create() does not call save() or send pre_save/post_save signals, so check that nothing "
        "here relies on them."
    )


def test_create_in_a_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def import_names(names):
            for name in names:
                Author.objects.create(name=name)
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 6)]
    assert findings[0].text == (
        "Author.objects.create() inside a loop runs one INSERT per iteration. Build the Author objects "
        "in a list and call Author.objects.bulk_create([Author(...) for ...]) once; bulk_create() does "
        "not call save() or send pre_save/post_save signals, so check that nothing here relies on them."
    )


def test_create_in_a_list_comprehension(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def import_names(names):
            return [Author.objects.create(name=name) for name in names]
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 5)]


def test_create_on_a_related_manager_in_a_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def seed(titles):
            author = Author.objects.get(pk=1)
            for title in titles:
                author.books.create(title=title)
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert findings[0].text.startswith("author.books.create() inside a loop")


def test_save_in_a_while_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def drain():
            book = Book.objects.get(pk=1)
            while book.price > 0:
                book.price -= 1
                book.save()
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]


def test_save_on_rows_of_a_nested_related_manager_loop(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def reprice():
            for author in Author.objects.all():
                for book in author.books.all():
                    book.price = 1
                    book.save()
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    assert 'bulk_update(books, ["price"])' in findings[0].text


def test_save_outside_a_loop_is_clean(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Book

        def rename(pk, title):
            book = Book.objects.get(pk=pk)
            book.title = title
            book.save()
            Book.objects.create(title=title)
    """,
        )
        == []
    )


def test_form_save_in_a_loop_is_clean(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.forms import BookForm

        def import_rows(rows):
            for row in rows:
                form = BookForm(row)
                if form.is_valid():
                    form.save()
    """,
        )
        == []
    )


def test_save_on_an_object_of_unknown_type_is_clean(review):
    assert (
        save_in_loop(
            review,
            """
        def save_all(objects):
            for obj in objects:
                obj.save()
    """,
        )
        == []
    )


def test_save_in_a_function_defined_in_a_loop_is_not_reported(review):
    # Decided: a function defined in a loop body is not run by the loop itself (it may be a
    # callback stored for later, run once, or never), so its body is not "inside the loop".
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Book

        def schedule(callbacks):
            for book in Book.objects.all():
                def later():
                    book.save()
                callbacks.append(later)
    """,
        )
        == []
    )


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
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def run():
            for book in Book.objects.all():
                book.save()
    """,
        path="shop/migrations/0002_data.py",
        query_rules_everywhere=True,
    )
    assert codes_lines(findings) == [("DJR102", "shop/migrations/0002_data.py", 6)]


def test_augmented_assignments_are_fields_to_update(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def discount():
            for book in Book.objects.all():
                book.price -= 1
                book.save()
    """,
    )
    assert 'Book.objects.bulk_update(books, ["price"])' in findings[0].text


def test_list_name_is_never_a_keyword(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def discount():
            for a in Book.objects.all():
                a.price = 0
                a.save()
    """,
    )
    assert 'bulk_update(objs, ["price"])' in findings[0].text


# -- one write per iteration on purpose (found on real applications) -------------------------
def test_atomic_block_per_iteration_is_not_reported(review):
    assert (
        save_in_loop(
            review,
            """
        from django.db import transaction
        from shop.models import Book

        def reprice():
            for book in Book.objects.all():
                with transaction.atomic():
                    book.price = 0
                    book.save()
    """,
        )
        == []
    )


def test_loop_inside_one_atomic_block_is_reported(review):
    findings = save_in_loop(
        review,
        """
        from django.db import transaction
        from shop.models import Book

        def reprice():
            with transaction.atomic():
                for book in Book.objects.all():
                    book.price = 0
                    book.save()
    """,
    )
    assert [f.line for f in findings] == [9]


def test_row_locked_per_iteration_is_not_reported(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Book

        def reprice(ids):
            for pk in ids:
                book = Book.objects.select_for_update().get(pk=pk)
                book.price = 0
                book.save()
    """,
        )
        == []
    )


def test_write_followed_by_return_runs_once(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Book

        def first_cheap():
            for book in Book.objects.all():
                if book.price < 5:
                    book.price = 5
                    book.save()
                    return book
            return None
    """,
        )
        == []
    )


def test_created_row_used_in_the_same_iteration_is_not_reported(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Author, Book

        def import_rows(rows):
            for row in rows:
                author = Author.objects.create(name=row["author"])
                Book.objects.filter(title=row["title"]).update(author=author)
    """,
        )
        == []
    )


def test_created_row_only_collected_is_still_reported(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def import_rows(rows):
            made = []
            for row in rows:
                author = Author.objects.create(name=row["author"])
                made.append(author)
            return made
    """,
    )
    assert [(f.code, f.line) for f in findings] == [("DJR102", 7)]


def test_cloned_row_is_an_insert_without_pk_in_the_field_list(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def duplicate():
            for book in Book.objects.all():
                book.pk = None
                book.title = book.title + " (copy)"
                book.save()
    """,
    )
    assert "bulk_create(books)" in findings[0].text


def test_write_inside_a_with_block_of_the_iteration_is_not_reported(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Book

        def attach(paths):
            for book, path in zip(Book.objects.all(), paths):
                with open(path, "rb") as handle:
                    book.title = handle.name
                    book.save()
    """,
        )
        == []
    )


def test_status_row_created_then_saved_in_the_same_iteration_is_not_reported(review):
    assert (
        save_in_loop(
            review,
            """
        from shop.models import Author

        def run(jobs):
            for job in jobs:
                status = Author.objects.create(name="running")
                job()
                status.name = "done"
                status.save()
    """,
        )
        == []
    )


# -- the fix: the loop rewritten into one bulk call (unsafe), or a suggestion ----------------
def only_fix(findings):
    assert len(findings) == 1 and findings[0].code == "DJR102"
    return findings[0].fix


UPDATE_LOOP = """
    from shop.models import Book

    def reprice():
        for book in Book.objects.filter(price__gt=0):
            book.price = book.price * 2
            book.on_sale = True
            book.save()
"""


def test_update_loop_is_rewritten_into_bulk_update(review):
    findings = save_in_loop(review, UPDATE_LOOP)
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    fix = only_fix(findings)
    assert fix.applicability == "unsafe"
    assert fix.description == (
        'rewrite the loop to call Book.objects.bulk_update(books, ["price", "on_sale"]) once (unsafe: '
        "bulk_update() does not call save() or send pre_save/post_save signals, and the rows are written "
        "together, so an error part-way writes none of them)"
    )
    assert fixed(UPDATE_LOOP, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Book

        def reprice():
            books = list(Book.objects.filter(price__gt=0))
            for book in books:
                book.price = book.price * 2
                book.on_sale = True
            Book.objects.bulk_update(books, ["price", "on_sale"])
    """)


def test_rewrite_in_a_nested_function_is_indented_like_the_loop(review):
    source = """
        from shop.models import Book

        class Pricing:
            def run(self, rate):
                def apply():
                    if rate:
                        for book in Book.objects.filter(
                            price__gt=0,
                        ).order_by("pk"):
                            book.price += rate
                            book.save()
                apply()
    """
    findings = save_in_loop(review, source)
    assert codes_lines(findings) == [("DJR102", VIEWS, 12)]
    assert only_fix(findings).applicability == "unsafe"
    assert fixed(source, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Book

        class Pricing:
            def run(self, rate):
                def apply():
                    if rate:
                        books = list(Book.objects.filter(
                            price__gt=0,
                        ).order_by("pk"))
                        for book in books:
                            book.price += rate
                        Book.objects.bulk_update(books, ["price"])
                apply()
    """)


def test_update_fields_are_the_bulk_update_fields(review):
    source = """
        from shop.models import Book

        def discount(author):
            for book in Book.objects.filter(author=author):
                book.price = book.price - 1
                book.title = book.title.strip()
                book.save(update_fields=["price", "author_id"])
    """
    findings = save_in_loop(review, source)
    assert codes_lines(findings) == [("DJR102", VIEWS, 8)]
    assert only_fix(findings).applicability == "unsafe"
    # save(update_fields=...) writes only those fields (the title is not saved): bulk_update
    # is given the same ones, the `author_id` column by its field name
    assert fixed(source, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Book

        def discount(author):
            books = list(Book.objects.filter(author=author))
            for book in books:
                book.price = book.price - 1
                book.title = book.title.strip()
            Book.objects.bulk_update(books, ["price", "author"])
    """)


def test_update_fields_on_rows_of_a_queryset_bound_to_a_name_reuse_that_name(review):
    source = """
        from shop.models import Book

        def discount():
            books = Book.objects.filter(on_sale=True)
            if not books:
                return
            for book in books:
                book.price -= 1
                book.save(update_fields=["price"])
    """
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    # the queryset caches its rows on the first iteration: bulk_update() gets the same objects
    assert fixed(source, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Book

        def discount():
            books = Book.objects.filter(on_sale=True)
            if not books:
                return
            for book in books:
                book.price -= 1
            Book.objects.bulk_update(books, ["price"])
    """)


def test_bare_save_on_rows_bound_to_a_name_is_a_suggestion(review):
    # save() writes every field as the object holds it; rows fetched before the loop may hold
    # changes made elsewhere, which bulk_update(["price"]) would not write
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def discount():
            books = list(Book.objects.filter(on_sale=True))
            for book in books:
                book.price -= 1
                book.save()
    """,
    )
    assert only_fix(findings).applicability == "suggestion"
    assert only_fix(findings).edits == ()


def book_loop(*body: str) -> str:
    """`for book in Book.objects.all():` with these lines (8-space indented) as its body."""
    lines = ["from shop.models import Book", "", "def reprice(price_of):", "    for book in Book.objects.all():"]
    return "\n".join(lines + ["        " + line for line in body]) + "\n"


def test_an_extra_statement_in_the_body_gives_a_suggestion(review):
    for extra in (
        ["print(book.title)"],
        ["if book.price > 10:", "    book.on_sale = True"],
        ["book.author.name = 'x'"],  # not a field of the row
        ["book.price = book.discounted()"],  # a model method may save, or read anything
        ["book.price = price_of(book)"],  # the row handed to a function
        ["book.pk = 3"],
        ["book.price = Book.objects.count()"],  # reads the table the loop writes
        ["book.price, book.title = 1, 'x'"],
    ):
        findings = save_in_loop(review, book_loop("book.price = 1", *extra, "book.save()"))
        assert only_fix(findings).applicability == "suggestion", extra
        assert only_fix(findings).edits == (), extra
    # the same loop without the extra statement is rewritten
    assert only_fix(save_in_loop(review, book_loop("book.price = 1", "book.save()"))).applicability == "unsafe"


def test_save_that_is_not_the_last_statement_gives_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def reprice():
            for book in Book.objects.all():
                book.save()
                book.price = 1
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_loop_with_an_else_clause_gives_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def reprice():
            for book in Book.objects.all():
                book.price = 1
                book.save()
            else:
                print("done")
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert only_fix(findings).applicability == "suggestion"


def test_a_comment_in_the_loop_gives_a_suggestion(review):
    for body in (
        ["# keep the price", "book.price = 1", "book.save()"],
        ["book.price = 1  # keep", "book.save()"],
        ["book.price = 1", "book.save()  # once per row"],
        ["book.price = (", "    1  # one", ")", "book.save()"],
    ):
        findings = save_in_loop(review, book_loop(*body))
        assert only_fix(findings).applicability == "suggestion", body
    source = (
        "from shop.models import Book\n\ndef reprice():\n    for book in Book.objects.all():  # all\n"
        "        book.price = 1\n        book.save()\n"
    )
    assert only_fix(save_in_loop(review, source)).applicability == "suggestion"


def test_list_name_already_used_in_the_function_gives_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        def reprice(books):
            for book in Book.objects.exclude(pk__in=books):
                book.price = 1
                book.save()
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_list_name_used_in_another_function_does_not_clash(review):
    source = """
        from shop.models import Book

        def other(books):
            return books

        def reprice():
            for book in Book.objects.all():
                book.price = 1
                book.save()
    """
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    assert "    books = list(Book.objects.all())\n" in fixed(source, findings, VIEWS)


def test_auto_now_field_keeps_a_suggestion(review):
    # save() refreshes `updated` (auto_now); bulk_update() would leave it as it was
    findings = save_in_loop(
        review,
        """
        from shop.models import Shelf

        def rename():
            for shelf in Shelf.objects.all():
                shelf.label = shelf.label.upper()
                shelf.save()
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_auto_now_field_outside_update_fields_is_rewritten(review):
    source = """
        from shop.models import Shelf

        def rename():
            for shelf in Shelf.objects.all():
                shelf.label = shelf.label.upper()
                shelf.save(update_fields=["label"])
    """
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    assert 'Shelf.objects.bulk_update(shelfs, ["label"])' in fixed(source, findings, VIEWS)


def test_manager_that_filters_its_rows_keeps_a_suggestion(review):
    # Offer.objects hides rows that save() (the base manager) would still update
    findings = save_in_loop(
        review,
        """
        from shop.models import Offer

        def reprice():
            for offer in Offer.objects.all():
                offer.price = 0
                offer.save()
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


CREATE_LOOP = """
    from shop.models import Tag

    def import_tags(rows):
        for row in rows:
            Tag.objects.create(name=row["name"], slug=row["slug"])
        return len(rows)
"""


def test_create_loop_is_rewritten_into_bulk_create(review):
    findings = save_in_loop(review, CREATE_LOOP)
    assert codes_lines(findings) == [("DJR102", VIEWS, 6)]
    fix = only_fix(findings)
    assert fix.applicability == "unsafe"
    assert fix.description.startswith(
        "rewrite the loop to call Tag.objects.bulk_create([Tag(...) for row in rows]) once (unsafe: "
        "bulk_create() does not call save()"
    )
    assert fixed(CREATE_LOOP, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Tag

        def import_tags(rows):
            Tag.objects.bulk_create([Tag(name=row["name"], slug=row["slug"]) for row in rows])
            return len(rows)
    """)


def test_create_with_a_tuple_target_and_a_multiline_call(review):
    source = """
        from shop.models import Book

        def import_books(author, pairs):
            for title, price in pairs.items():
                Book.objects.create(
                    title=title.strip(),
                    price=price,
                    author=author,
                )
    """
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    assert fixed(source, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Book

        def import_books(author, pairs):
            Book.objects.bulk_create([Book(
                    title=title.strip(),
                    price=price,
                    author=author,
                ) for title, price in pairs.items()])
    """)


def test_create_on_a_related_manager_keeps_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def seed(titles):
            author = Author.objects.get(pk=1)
            for title in titles:
                author.books.create(title=title)
    """,
    )
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert only_fix(findings).applicability == "suggestion"


def test_create_whose_loop_variable_is_read_after_the_loop_keeps_a_suggestion(review):
    # a comprehension's variable is its own: `row` would no longer be bound after the loop
    findings = save_in_loop(
        review,
        """
        from shop.models import Tag

        def import_tags(rows):
            for row in rows:
                Tag.objects.create(name=row["name"], slug=row["slug"])
            return row
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_create_whose_arguments_cannot_be_moved_keeps_a_suggestion(review):
    for call in (
        'Tag.objects.create(name=str(Tag.objects.count()), slug=row["slug"])',  # sees earlier inserts
        "Tag.objects.create(**row)",  # which fields it sets is unknown
        'Tag.objects.create(name=unique_name(row["name"]), slug=row["slug"])',  # may read Tag
    ):
        findings = save_in_loop(
            review,
            (
                "from shop.models import Tag\n\ndef import_tags(rows, unique_name):\n"
                f"    for row in rows:\n        {call}\n"
            ),
        )
        assert only_fix(findings).applicability == "suggestion", call


def test_create_with_its_result_assigned_keeps_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Tag

        def import_tags(rows):
            for row in rows:
                tag = Tag.objects.create(name=row["name"], slug=row["slug"])
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_new_object_saved_in_the_loop_is_rewritten_into_bulk_create(review):
    source = """
        from shop.models import Author

        def import_names(names):
            for name in names:
                author = Author(name=name.strip())
                author.save()
    """
    findings = save_in_loop(review, source)
    assert codes_lines(findings) == [("DJR102", VIEWS, 7)]
    assert only_fix(findings).applicability == "unsafe"
    assert fixed(source, findings, VIEWS) == textwrap.dedent("""
        from shop.models import Author

        def import_names(names):
            Author.objects.bulk_create([Author(name=name.strip()) for name in names])
    """)


def test_new_object_with_its_pk_given_keeps_a_suggestion(review):
    # save() of an object whose pk is given may UPDATE an existing row; bulk_create() cannot
    findings = save_in_loop(
        review,
        """
        from shop.models import Author

        def import_names(rows):
            for row in rows:
                author = Author(name=row[1], id=row[0])
                author.save()
    """,
    )
    assert all(f.fix.applicability == "suggestion" for f in findings)


def test_while_loops_and_comprehensions_keep_a_suggestion(review):
    findings = save_in_loop(
        review,
        """
        from shop.models import Book, Tag

        def drain(names):
            book = Book.objects.get(pk=1)
            while book.price > 0:
                book.price -= 1
                book.save()
            return [Tag.objects.create(name=name, slug=name) for name in names]
    """,
    )
    assert [f.line for f in findings] == [8, 9]
    assert [f.fix.applicability for f in findings] == ["suggestion", "suggestion"]


def test_fix_from_the_command_line_parses_and_a_second_run_changes_nothing(tmp_path):
    files = {"shop/models.py": MODELS, VIEWS: UPDATE_LOOP + CREATE_LOOP.replace("from shop.models import Tag\n", "")}
    files[VIEWS] = "from shop.models import Tag\n" + textwrap.dedent(files[VIEWS])
    write_project(tmp_path, files)
    safe_only = djreview("--fix", "--no-cache", "--select", "DJR102", "shop", cwd=tmp_path)
    assert "applied 0 fix(es)" in safe_only.stderr  # both rewrites are unsafe
    first = djreview("--fix", "--unsafe-fixes", "--no-cache", "--select", "DJR102", "shop", cwd=tmp_path)
    assert "applied 2 fix(es) (DJR102 2)" in first.stderr, first.stderr
    text = (tmp_path / VIEWS).read_text(encoding="utf-8")
    ast.parse(text)
    assert '    Book.objects.bulk_update(books, ["price", "on_sale"])\n' in text
    assert '    Tag.objects.bulk_create([Tag(name=row["name"], slug=row["slug"]) for row in rows])\n' in text
    second = djreview("--fix", "--unsafe-fixes", "--no-cache", "--select", "DJR102", "shop", cwd=tmp_path)
    assert "applied 0 fix(es)" in second.stderr
    assert (tmp_path / VIEWS).read_text(encoding="utf-8") == text


def test_rewrite_keeps_crlf_line_endings(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    (tmp_path / VIEWS).write_bytes(textwrap.dedent(UPDATE_LOOP).replace("\n", "\r\n").encode("utf-8"))
    djreview("--fix", "--unsafe-fixes", "--no-cache", "--select", "DJR102", "shop", cwd=tmp_path)
    data = (tmp_path / VIEWS).read_bytes()
    assert b"    books = list(Book.objects.filter(price__gt=0))\r\n    for book in books:\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_list_name_read_by_the_loop_itself_gives_a_suggestion(review):
    # `books` is the module's list here: a local `books` would hide it from the loop
    findings = save_in_loop(
        review,
        """
        from shop.models import Book

        books = []

        def reprice():
            for book in Book.objects.exclude(pk__in=books):
                book.price = 1
                book.save()
    """,
    )
    assert only_fix(findings).applicability == "suggestion"


def test_names_in_strings_and_attributes_are_not_uses(review):
    source = '''
        from shop.models import Tag

        def import_tags(rows, row_count):
            """Each row is a dict."""
            for row in rows:
                Tag.objects.create(name=row["name"], slug=row["slug"])
            return row_count.row
    '''
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    assert '    Tag.objects.bulk_create([Tag(name=row["name"], slug=row["slug"]) for row in rows])\n' in fixed(
        source, findings, VIEWS
    )


def test_copying_rows_of_the_same_model_is_rewritten_unless_streamed(review):
    # a queryset fetches all its rows on the first iteration, before the first insert
    source = """
        from shop.models import Tag

        def copy_tags(prefix):
            for tag in Tag.objects.filter(name__startswith=prefix):
                Tag.objects.create(name=tag.name + " (copy)", slug=tag.slug + "-copy")
    """
    findings = save_in_loop(review, source)
    assert only_fix(findings).applicability == "unsafe"
    assert fixed(source, findings, VIEWS).endswith(
        '    Tag.objects.bulk_create([Tag(name=tag.name + " (copy)", slug=tag.slug + "-copy") '
        "for tag in Tag.objects.filter(name__startswith=prefix)])\n"
    )
    # .iterator() reads the rows while the loop inserts
    streamed = save_in_loop(review, source.replace("startswith=prefix)", "startswith=prefix).iterator()"))
    assert only_fix(streamed).applicability == "suggestion"


def test_only_known_pure_functions_may_compute_the_values(review):
    def import_tags(head: str, call: str) -> str:
        return (
            f"{head}\nfrom shop.models import Tag\n\ndef import_tags(names):\n    for name in names:\n"
            f"        Tag.objects.create(name=name, slug={call})\n"
        )

    django_slugify = save_in_loop(review, import_tags("from django.utils.text import slugify", "slugify(name)"))
    assert only_fix(django_slugify).applicability == "unsafe"
    builtin = save_in_loop(review, import_tags("", 'str(name).lower().replace(" ", "-")'))
    assert only_fix(builtin).applicability == "unsafe"
    # a project's own slugify may read the table to make the slug unique
    own = save_in_loop(review, import_tags("from shop.utils import slugify", "slugify(name)"))
    assert only_fix(own).applicability == "suggestion"
    shadowed = save_in_loop(review, import_tags("def str(value):\n    return value\n", "str(name)"))
    assert only_fix(shadowed).applicability == "suggestion"
    query_get = save_in_loop(review, import_tags("", "names.get(slug=name)"))
    assert only_fix(query_get).applicability == "suggestion"


def test_write_followed_by_break_in_an_enclosing_block_runs_once(review):
    # pretix's login loop: the device that matched is saved once, then the loop ends
    view = """
        from shop.models import Book

        def mark_first(title):
            for book in Book.objects.all():
                if book.title == title:
                    if book.price < 5:
                        book.price = 5
                        book.save()
                    found = True
                    break
    """
    assert save_in_loop(review, view) == []


def test_break_after_an_inner_loop_does_not_make_its_saves_run_once(review):
    view = """
        from shop.models import Book, Shelf

        def relabel(shelves):
            for shelf in shelves:
                for book in Book.objects.filter(price__gt=0):
                    book.price = 1
                    book.save()
                break
    """
    assert codes_lines(save_in_loop(review, view)) == [("DJR102", VIEWS, 8)]


def test_a_save_override_on_a_plain_mixin_counts(review):
    # django-lifecycle: LifecycleModelMixin.save() runs the model's hooks; bulk_update would not
    models = MODELS.replace(
        "class Book(models.Model):",
        "class HooksMixin:\n    def save(self, *args, **kwargs):\n        super().save(*args, **kwargs)\n\n\n"
        "class Book(HooksMixin, models.Model):",
    )
    view = """
        from shop.models import Book

        def shout():
            for book in Book.objects.all():
                book.title = book.title.upper()
                book.save()
    """
    files = {"shop/models.py": models, "shop/forms.py": FORMS, VIEWS: view}
    assert review(files, select=("DJR102",)) == []
