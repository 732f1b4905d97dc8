"""DJR106 query-in-loop: a query per item of a loop, looking up one value at a time."""

from __future__ import annotations

import pytest

from tests.helpers import AUTHOR_MODULE, codes_lines

MODELS = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self):
        return self.title
"""
)

VIEWS = "shop/views.py"


def query_in_loop(review, view: str, path: str = VIEWS, select=("DJR106",), **settings):
    return review({"shop/models.py": MODELS, path: view}, select=select, **settings)


# -- reported ------------------------------------------------------------------------------
def test_reports_get_by_pk_over_request_data_ids(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Book

        def titles(request):
            ids = request.data["ids"]
            out = []
            for book_id in ids:
                out.append(Book.objects.get(pk=book_id).title)
            return out
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 8)]
    assert (findings[0].line, findings[0].column) == (8, 20)
    assert findings[0].text == (
        "Book.objects.get() runs one query per item of `ids` in this loop. Fetch them once before the loop: "
        "books = Book.objects.in_bulk(ids) (or Book.objects.filter(pk__in=ids)) and look each one up in the dict."
    )


def test_reports_filter_first_over_a_list_with_a_field_lookup(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Book

        def by_isbn(codes):
            found = []
            for code in codes:
                book = Book.objects.filter(isbn=code).first()
                found.append(book)
            return found
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 7)]
    assert findings[0].column == 16
    assert findings[0].text == (
        "Book.objects.filter().first() runs one query per item of `codes` in this loop. Fetch them once "
        "before the loop with Book.objects.filter(isbn__in=codes) and group the rows by isbn in a dict."
    )


def test_reports_a_related_manager_get_per_item(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Author

        def pick(author_id, ids):
            author = Author.objects.get(pk=author_id)
            return [author.books.get(pk=i) for i in ids]
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 6)]
    assert findings[0].text.startswith("author.books.get() runs one query per item of `ids` in this loop.")
    assert "author.books.in_bulk(ids)" in findings[0].text


def test_reports_get_object_or_404_in_a_loop(review):
    findings = query_in_loop(
        review,
        """
        from django.shortcuts import get_object_or_404
        from shop.models import Book

        def checkout(request):
            for item in request.POST.getlist("item"):
                book = get_object_or_404(Book, pk=item)
                book.title
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 7)]
    assert findings[0].text.startswith("get_object_or_404(Book) runs one query per item of")


def test_reports_a_name_derived_from_the_loop_variable(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Book

        def check(rows):
            for row in rows:
                code = row["isbn"].strip()
                if Book.objects.filter(isbn=code).exists():
                    print(code)
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 7)]
    assert "set(Book.objects.filter(isbn__in=[...])" in findings[0].text


def test_reports_a_comprehension(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Book

        def counts(authors):
            return {a: Book.objects.filter(author_id=a).count() for a in authors}
        """,
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 5)]


def test_reports_a_get_on_a_row_id_of_a_queryset_loop_that_djr101_does_not(review):
    findings = query_in_loop(
        review,
        """
        from shop.models import Author, Book

        def names():
            for book in Book.objects.all():
                print(Author.objects.get(pk=book.author_id).name)
        """,
        select=("DJR101", "DJR106"),
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 6)]
    assert "in_bulk([...])" in findings[0].text  # the item is not the id itself


# -- not reported --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "loop",
    ["for i in range(2):", "for i in (32, 64):", "for i in [1, 2, 3]:", "for i in range(1, 4):"],
)
def test_not_reported_when_the_code_bounds_the_loop(review, loop):
    view = f"""
from shop.models import Book

def few():
    {loop}
        print(Book.objects.get(pk=i))
"""
    assert query_in_loop(review, view) == []


def test_not_reported_when_the_query_is_followed_by_break(review):
    view = """
        from shop.models import Book

        def first_free(codes):
            for code in codes:
                if not Book.objects.filter(isbn=code).exists():
                    chosen = code
                    break
            return chosen
        """
    assert query_in_loop(review, view) == []


def test_not_reported_in_a_retry_loop(review):
    view = """
        import time
        from shop.models import Book

        def fetch(book_id, attempts):
            for attempt in range(attempts):
                try:
                    return Book.objects.get(pk=book_id)
                except Book.DoesNotExist:
                    time.sleep(attempt)
        """
    assert query_in_loop(review, view) == []


def test_not_reported_when_the_search_loop_returns_what_it_found(review):
    view = """
        from shop.models import Book

        def find(codes):
            for code in codes:
                book = Book.objects.filter(isbn=code).first()
                if book is not None:
                    return book
        """
    assert query_in_loop(review, view) == []


def test_not_reported_when_the_query_does_not_depend_on_the_loop_variable(review):
    view = """
        from shop.models import Book

        def label(book_id, rows):
            for row in rows:
                print(row, Book.objects.get(pk=book_id))
        """
    assert query_in_loop(review, view) == []


def test_not_reported_for_a_loop_rows_related_manager_which_is_djr101s(review):
    view = """
        from shop.models import Author

        def newest(isbns):
            for author in Author.objects.all():
                for isbn in isbns:
                    print(author.books.get(isbn=isbn))
        """
    findings = query_in_loop(review, view, select=("DJR101", "DJR106"))
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]


def test_not_reported_for_list_count_on_a_list_of_rows(review):
    view = """
        from shop.models import Book

        def tally(titles):
            books = list(Book.objects.all())
            return [books.count(t) for t in titles]
        """
    assert query_in_loop(review, view) == []


def test_not_reported_for_batches_of_ids(review):
    view = """
        from shop.models import Book

        def sizes(chunks):
            return [Book.objects.filter(pk__in=chunk).count() for chunk in chunks]
        """
    assert query_in_loop(review, view) == []


def test_not_reported_in_a_while_loop(review):
    view = """
        from shop.models import Book

        def unique(code):
            n = 0
            while Book.objects.filter(isbn=code).exists():
                n += 1
                code = f"{code}-{n}"
            return code
        """
    assert query_in_loop(review, view) == []


VIEW_WITH_QUERY_PER_ID = """
from shop.models import Book

def titles(ids):
    return [Book.objects.get(pk=i).title for i in ids]
"""


def test_not_reported_in_a_management_command(review):
    path = "shop/management/commands/titles.py"
    assert query_in_loop(review, VIEW_WITH_QUERY_PER_ID, path=path) == []


def test_management_commands_reviewed_with_query_rules_everywhere(review):
    path = "shop/management/commands/titles.py"
    findings = query_in_loop(review, VIEW_WITH_QUERY_PER_ID, path=path, query_rules_everywhere=True)
    assert codes_lines(findings) == [("DJR106", path, 5)]


def test_not_reported_when_each_iteration_opens_its_own_transaction(review):
    view = """
        from django.db import transaction
        from shop.models import Book

        def retitle(ids):
            for book_id in ids:
                with transaction.atomic():
                    book = Book.objects.get(pk=book_id)
                    book.title = book.title.strip()
        """
    assert query_in_loop(review, view) == []


def test_not_reported_in_an_except_handler(review):
    view = """
        from shop.models import Book

        def lookup(codes):
            out = []
            for code in codes:
                try:
                    out.append(Book.objects.get(isbn=code))
                except Book.MultipleObjectsReturned:
                    out.append(Book.objects.filter(isbn=code).first())
            return out
        """
    findings = query_in_loop(review, view)
    assert codes_lines(findings) == [("DJR106", VIEWS, 8)]  # the get(), not the fallback


def test_not_reported_for_a_check_that_raises(review):
    view = """
        from shop.models import Book

        def validate(codes):
            for code in codes:
                if Book.objects.filter(isbn=code).exists():
                    raise ValueError(code)
        """
    assert query_in_loop(review, view) == []


def test_not_reported_for_a_row_the_iteration_produced(review):
    view = """
        from shop.models import Book

        def render_all(items):
            for item in items:
                pk = generate(item)
                print(Book.objects.get(pk=pk))
        """
    assert query_in_loop(review, view) == []


def test_reported_together_with_djr101_never_on_the_same_call(review):
    view = """
        from shop.models import Author, Book

        def report(isbns):
            for author in Author.objects.all():
                print(author.books.filter(isbn=author.name).first())
                for isbn in isbns:
                    print(Book.objects.get(isbn=isbn))
        """
    findings = query_in_loop(review, view, select=("DJR101", "DJR106"))
    assert codes_lines(findings) == [("DJR101", VIEWS, 6), ("DJR106", VIEWS, 8)]


def test_reports_a_loop_inside_one_transaction(review):
    view = """
        from django.db import transaction
        from shop.models import Book

        def retitle(ids):
            with transaction.atomic():
                for book_id in ids:
                    book = Book.objects.get(pk=book_id)
                    book.title = book.title.strip()
        """
    assert codes_lines(query_in_loop(review, view)) == [("DJR106", VIEWS, 8)]


def test_a_file_whose_loops_only_call_dict_get_is_not_parsed(review, parses):
    view = """
        from shop.models import Book

        def labels(keys, names):
            shown = [names.get(k) for k in keys]
            return shown, Book.objects.get(pk=1)
        """
    assert query_in_loop(review, view) == []
    assert VIEWS not in parses  # the lookup names no loop variable: ruled out before the CST


def test_not_reported_for_a_fresh_copy_of_the_row_the_loop_holds(review):
    # An earlier iteration may have moved rows around (tree fields, counters): re-reading
    # the row in hand by its own pk is the point, not a lookup to batch.
    view = """
        from shop.models import Author, Book

        def regroup(authors, target):
            for author in authors:
                author = Author.objects.get(pk=author.pk)
                author.name = target
                print(Book.objects.filter(author_id=author.pk).first())
        """
    findings = query_in_loop(review, view)
    assert codes_lines(findings) == [("DJR106", VIEWS, 8)]  # another model, by the row's pk


LEDGER = """
from shop.models import Book


def stamp(book, when):
    book.title = f"{book.title} ({when})"
    book.save(update_fields=["title"])


def shelve(book, shelf):
    Book.objects.filter(pk=book.pk).update(title=shelf)


def describe(book, data):
    data.update(title=book.title)  # a dict: not a write
    return data
"""


def test_not_reported_when_the_row_fetched_is_handed_to_a_function_that_writes(review):
    # The iteration's work is a write per item through a project function (a role granted,
    # an acceptance recorded); fetching the rows up front would still leave a write each.
    view = """
        from shop.ledger import describe, stamp
        from shop.models import Book

        def borrow(ids, when):
            for book_id in ids:
                book = Book.objects.get(pk=book_id)
                stamp(book, when)

        def move(codes, shelf):
            from shop.ledger import shelve

            for code in codes:
                found = Book.objects.filter(isbn=code).first()
                shelve(found, shelf)

        def show(ids, when):
            for book_id in ids:
                book = Book.objects.get(pk=book_id)
                describe(book, {})
                stamp(book_id, when)
        """
    findings = review(
        {"shop/models.py": MODELS, "shop/ledger.py": LEDGER, VIEWS: view},
        select=("DJR106",),
    )
    assert codes_lines(findings) == [("DJR106", VIEWS, 19)]  # handed only to a reader
