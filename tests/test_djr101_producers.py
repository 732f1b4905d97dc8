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


def test_a_queryset_handed_to_a_function_that_loops_over_it(review):
    # Inside `report`, the rows are whatever each caller built (weblate's callers select what
    # its annotated `QuerySet[Change]` loops read): judged at each call that hands a queryset.
    findings = review_views(
        review,
        """
from collections.abc import Iterable

from django.db.models import QuerySet

from shop.models import Book


def report(books: QuerySet[Book], more: Iterable[Book] = ()):
    for book in books:
        print(book.author, book.editor_id)
    return [book.tags.count() for book in more]


def callers():
    report(Book.objects.filter(published=True))
    report(Book.objects.select_related("author"))
    report(Book.objects.none(), more=Book.objects.all())
    report(Book.objects.values("title"))
    report(Book.objects.select_related("author"), Book.objects.prefetch_related("tags"))
""",
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 16), ("DJR101", VIEWS, 18)]
    assert findings[0].text == (
        "N+1 query: `report()` loops over this queryset and loads `author` of Book once per row. "
        'Add .select_related("author") to the queryset built on line 16.'
    )
    assert findings[0].column == 12  # the argument
    assert findings[0].fix.edits[0].replacement == '.select_related("author")'
    assert findings[1].text == (
        "N+1 query: `report()` loops over this queryset and runs `.tags.count()` for every Book. "
        'Annotate it on the queryset (Count("tags")) or add .prefetch_related("tags").'
    )


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


def test_the_row_a_model_form_saves(review):
    findings = review_views(
        review,
        """
from django import forms

from shop.models import Author


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name"]


class NotAModelForm(forms.Form):
    pass


def edit(request):
    form = AuthorForm(request.POST)
    author = form.save()
    for book in author.books.all():
        print(book.author.name, book.editor)
    for book in form.instance.books.all():
        print(book.title)


def handle(form: AuthorForm, other: NotAModelForm):
    for book in form.save().books.all():
        print(book.tags.count())
    for book in other.save().books.all():
        print(book.editor)
""",
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 21), ("DJR101", VIEWS, 28)]
    assert findings[0].text.startswith("N+1 query: `book.editor` loads the relation `editor` of Book")
    assert findings[1].text.startswith("N+1 query: `book.tags.count()` runs a query for every Book")
