"""DJR101 on loops whose rows come from elsewhere (issue 15): pages of a Paginator, parameters
annotated with a queryset or list of a model, and project functions that return a queryset."""

from __future__ import annotations

from tests.helpers import N_PLUS_ONE_MODELS, codes_lines

VIEWS = "shop/views.py"

SELECTORS = """
from shop.models import Book


def unselected_books():
    return Book.objects.filter(published=True)


def books_with_authors(recent=False):
    if recent:
        return Book.objects.select_related("author").filter(published=True)
    return Book.objects.select_related("author")


def titles():
    return Book.objects.values_list("title", flat=True)


def first_book():
    return Book.objects.filter(published=True).first()


def authored_only_sometimes(flag):
    if flag:
        return Book.objects.select_related("author")
    return Book.objects.all()
"""


def review_views(review, views: str):
    files = {"shop/models.py": N_PLUS_ONE_MODELS, "shop/selectors.py": SELECTORS, VIEWS: views}
    return review(files, select=("DJR101",))


def test_pages_of_a_paginator_are_rows_of_its_queryset(review):
    findings = review_views(
        review,
        """
from django.core.paginator import Paginator

from shop.models import Book


def listing(request):
    paginator = Paginator(Book.objects.filter(published=True), 20)
    page = paginator.get_page(request.GET.get("page"))
    for book in page:
        print(book.author.name)
    for book in paginator.page(2).object_list:
        print(book.editor)
    for page in paginator:
        print(page.number)
    for book in Paginator(Book.objects.select_related("author"), 5).page(1):
        print(book.author)
""",
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 11), ("DJR101", VIEWS, 13)]
    assert findings[0].text.endswith('Add .select_related("author") to the queryset built on line 8.')
    assert findings[1].fix.edits[0].replacement == '.select_related("editor")'


def test_parameters_annotated_with_rows_of_a_model(review):
    findings = review_views(
        review,
        """
from collections.abc import Iterable

from django.db.models import QuerySet

from shop.models import Book


def report(books: QuerySet[Book], listed: "list[Book]", more: Iterable[Book], one: Book):
    for book in books:
        print(book.author)
    for book in listed:
        print(book.tags.all())
    for book in more:
        print(book.author_id)
    print(one.author)


def unknown(books: QuerySet, things: list[str], maybe: "list[Unknown]"):
    for book in books:
        print(book.author)
""",
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 11), ("DJR101", VIEWS, 13)]
    assert findings[0].text == (
        "N+1 query: `book.author` loads the relation `author` of Book once per row of this loop. "
        'Add .select_related("author") to the queryset that each caller passes as `books`.'
    )
    assert findings[0].fix.applicability == "suggestion"
    assert 'prefetch_related("tags")' in findings[1].text


def test_a_project_function_returning_a_queryset(review):
    findings = review_views(
        review,
        """
from shop import selectors
from shop.selectors import authored_only_sometimes, books_with_authors, first_book, titles, unselected_books


def use(flag):
    for book in unselected_books():
        print(book.author)
    for book in selectors.unselected_books().filter(title="x"):
        print(book.author)
    for book in books_with_authors():
        print(book.author)
    for title in titles():
        print(title.upper())
    for book in [first_book()]:
        print(book.author)
    for book in authored_only_sometimes(flag):
        print(book.author)
""",
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 8), ("DJR101", VIEWS, 10), ("DJR101", VIEWS, 18)]
    assert findings[0].text.endswith('Add .select_related("author") to the queryset that `unselected_books()` returns.')
    assert findings[1].fix.edits[0].replacement == '.select_related("author")'  # after .filter(title="x")
    assert findings[2].text.endswith("that `authored_only_sometimes()` returns.")
