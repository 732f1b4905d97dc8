"""DJR106 through calls: a project function called once per item that always runs a query
with a lookup on its argument (issue 15, item 1: "whether it queries")."""

from __future__ import annotations

from tests.helpers import N_PLUS_ONE_MODELS, codes_lines

VIEWS = "shop/views.py"

LOOKUPS = """
from shop.models import Author, Book


def book(pk):
    return Book.objects.get(pk=pk)


def maybe_book(pk):
    if not pk:
        return None
    return Book.objects.get(pk=pk)


def checked(pk):
    try:
        return Book.objects.get(pk=pk)
    except Book.DoesNotExist:
        return None


def by_title(title, strict=True):
    return Author.objects.filter(books__title=title).exists() if strict else False


def through(value):
    return book(value)


def batch(pks):
    return Book.objects.filter(pk__in=pks).count()


def locked(pk):
    return Book.objects.select_for_update().get(pk=pk)
"""


def calls(review, views: str):
    files = {"shop/models.py": N_PLUS_ONE_MODELS, "shop/lookups.py": LOOKUPS, VIEWS: views}
    return review(files, select=("DJR106",))


def test_a_function_that_always_queries_with_its_argument(review):
    findings = calls(
        review,
        """
from shop.lookups import book, through
from shop.models import Book


class Importer:
    def category(self, code):
        return Book.objects.filter(isbn=code).first()

    def run(self, rows):
        for row in rows:
            self.category(row["code"])


def view(request):
    for item in request.data:
        book(item["id"])
    return [through(value=pk) for pk in request.GET.getlist("pk")]
""",
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 12), ("DJR106", VIEWS, 17), ("DJR106", VIEWS, 18)]
    assert findings[1].text == (
        "`book()` runs `Book.objects.get()` once per item of `request.data` in this loop. "
        "Fetch the Book rows for every item once before the loop (Book.objects.filter(<field>__in=...) "
        "or in_bulk()) and hand each call its row, or give `book()` a batch version."
    )


def test_through_another_function_and_keyword_arguments(review):
    findings = calls(
        review,
        """
from shop.lookups import checked, through


def view(request):
    for pk in request.GET.getlist("pk"):
        checked(pk)  # in a try body: the query runs, whatever it raises
    return [through(value=pk) for pk in request.GET.getlist('pk')]
""",
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 7), ("DJR106", VIEWS, 8)]
    assert findings[0].text.startswith("`checked()` runs `Book.objects.get()` once per item")
    assert findings[1].text.startswith(
        "`through()` runs `Book.objects.get()` (in `book()`) once per item of `request.GET.getlist('pk')`"
    )


def test_queries_that_may_not_run_or_do_not_vary_are_not_reported(review):
    assert (
        calls(
            review,
            """
from shop.lookups import batch, book, by_title, checked, locked, maybe_book


def view(request, fixed):
    for item in request.data:
        maybe_book(item)  # an early return may skip the query
        by_title(item)  # in one branch of a conditional expression
        batch([item])  # a batch per item already
        locked(item)  # a lock per row, on purpose
        book(fixed)  # the same query every time: hoisting it is another matter
    for size in (1, 2):
        book(size)
    for pk in request.GET.getlist("pk"):
        book(pk)
        break
""",
        )
        == []
    )


WRITERS = """
from shop.models import Book


def withdraw(pk):
    book = Book.objects.get(pk=pk)
    book.delete()


def retitle(pk, title):
    if Book.objects.filter(pk=pk).exists():
        Book.objects.filter(pk=pk).update(title=title)
    return Book.objects.get(pk=pk)


def relabel(pk, label):
    book = Book.objects.get(pk=pk)
    shelf = Book.objects.filter(author_id=book.author_id)
    shelf.exclude(title=label).update(title=label)


def catalogue(pk, data):
    data.update(pk=pk)  # a dict, and a positional save() of a file: not row writes
    data["file"].save("cover.png")
    return Book.objects.get(pk=pk)
"""


def test_a_function_whose_job_is_a_write_per_item_is_not_reported(review):
    # Removing or updating one row per call: the lookup that starts it is one step of a
    # unit of work per item (a write, DJR102's matter), not a read to batch.
    views = """
from shop.writers import catalogue, relabel, retitle, withdraw


def view(request):
    for pk in request.data:
        withdraw(pk)
        retitle(pk, "x")
        relabel(pk, "y")
        catalogue(pk, {})
"""
    files = {"shop/models.py": N_PLUS_ONE_MODELS, "shop/writers.py": WRITERS, VIEWS: views}
    findings = review(files, select=("DJR106",))
    assert codes_lines(findings) == [("DJR106", VIEWS, 10)]
    assert findings[0].text.startswith("`catalogue()` runs `Book.objects.get()` once per item")
