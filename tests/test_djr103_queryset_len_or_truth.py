"""DJR103 queryset-len-or-truth: len(qs), `if qs:` and `qs.count()` as a truth value."""

from __future__ import annotations

from tests.helpers import AUTHOR_AND_BOOKS, fixed

MODELS = AUTHOR_AND_BOOKS
VIEWS = "shop/views.py"


def hygiene(review, view: str):
    return review({"shop/models.py": MODELS, VIEWS: view}, select=("DJR103",))


def lines(findings):
    return [(f.line, f.message.split(" ")[0]) for f in findings]


def test_len_of_a_queryset_whose_rows_are_unused(review):
    view = """
    from shop.models import Book

    def stats(request):
        books = Book.objects.filter(title__startswith="A")
        total = len(books)
        return {"total": total, "inline": len(Book.objects.all())}
    """
    findings = hygiene(review, view)
    assert [f.line for f in findings] == [6, 7]
    assert "len(books) fetches every Book row" in findings[0].message
    assert "books.count()" in findings[0].hint
    assert fixed(view, findings, VIEWS).splitlines()[5:7] == [
        "    total = books.count()",
        '    return {"total": total, "inline": Book.objects.all().count()}',
    ]


def test_truth_tests_of_unused_rows(review):
    view = """
    from shop.models import Book

    def check(request, title):
        if Book.objects.filter(title=title):
            return 1
        pending = Book.objects.filter(author=None)
        label = "some" if pending else "none"
        if not bool(Book.objects.exclude(title="")):
            return 2
        return label
    """
    findings = hygiene(review, view)
    assert [f.line for f in findings] == [5, 8, 9]
    assert fixed(view, findings, VIEWS).splitlines()[4:9] == [
        "    if Book.objects.filter(title=title).exists():",
        "        return 1",
        "    pending = Book.objects.filter(author=None)",
        '    label = "some" if pending.exists() else "none"',
        '    if not bool(Book.objects.exclude(title="").exists()):',
    ]


def test_count_used_as_a_truth_value(review):
    view = """
    from shop.models import Author, Book

    def check(author: Author):
        if author.books.count():
            return 1
        if Book.objects.filter(author=author).count() > 0:
            return 2
        empty = Book.objects.count() == 0
        none = 0 == Book.objects.filter(title="").count()
        return empty, none, bool(Book.objects.count())
    """
    findings = hygiene(review, view)
    assert [f.line for f in findings] == [5, 7, 9, 10, 11]
    assert fixed(view, findings, VIEWS).splitlines()[4:11] == [
        "    if author.books.exists():",
        "        return 1",
        "    if Book.objects.filter(author=author).exists():",
        "        return 2",
        "    empty = not Book.objects.exists()",
        '    none = not Book.objects.filter(title="").exists()',
        "    return empty, none, bool(Book.objects.exists())",
    ]


def test_not_reported_when_the_rows_are_used_afterwards(review):
    view = """
    from django.shortcuts import render
    from shop.models import Book

    def listing(request):
        books = Book.objects.filter(title__startswith="A")
        if books:
            for book in books:
                print(book.title)
        recent = Book.objects.order_by("-id")
        if not recent:
            return None
        shown = Book.objects.all()
        n = len(shown)
        first = Book.objects.all()
        if first:
            return first[0]
        listed = Book.objects.all()
        print(len(listed))
        return render(request, "books.html", {"books": listed, "n": n})
    """
    findings = hygiene(review, view)
    # `recent` is not used again (reported); every other name's rows are read again
    assert [f.line for f in findings] == [11, 14]


def test_not_reported_for_lists_paginators_and_unknown_values(review):
    view = """
    from django.core.paginator import Paginator
    from shop.models import Book

    def listing(request, things):
        rows = list(Book.objects.all())
        total = len(rows)
        titles = [b.title for b in Book.objects.all()]
        if titles:
            total += len(titles)
        page = Paginator(Book.objects.all(), 10).page(1)
        if page:
            total += 1
        if things:
            total += len(things)
        return total + len(sorted(Book.objects.all(), key=str))
    """
    assert hygiene(review, view) == []


def test_not_reported_on_a_prefetched_relation(review):
    view = """
    from shop.models import Author

    def counts():
        out = []
        for author in Author.objects.prefetch_related("books"):
            out.append(len(author.books.all()))
        return out


    def unprefetched(author_id):
        author = Author.objects.get(pk=author_id)
        return len(author.books.all())
    """
    findings = hygiene(review, view)
    assert [f.line for f in findings] == [13]


def test_not_reported_on_a_project_method_that_returns_a_truth_value(review):
    models = MODELS.replace(
        "class Book(models.Model):",
        """class BookQuerySet(models.QuerySet):
    def readable_by(self, user):
        return self.filter(title__isnull=False).exists()


class Book(models.Model):
    objects = BookQuerySet.as_manager()
""",
    )
    view = """
    from shop.models import Book

    def check(user):
        if not Book.objects.readable_by(user):
            return 1
        return 2
    """
    assert review({"shop/models.py": models, VIEWS: view}, select=("DJR103",)) == []


# -- files ruled out before a libcst tree is built ---------------------------------------------
def test_a_file_that_tests_no_queryset_gets_no_cst(review, parses):
    view = """
    from shop.models import Book

    def check(request, title):
        book = Book.objects.get(title=title)
        if title and request.user.is_staff:
            return book
        if len(title) > 3 or bool(request.GET):
            return None
        books = Book.objects.filter(title=title)
        if books.exists():
            return books.first()
        if books:  # its rows are used below: evaluating them once serves both
            return [b.title for b in books]
        return book.title.count("a") > 0
    """
    assert hygiene(review, view) == []
    assert VIEWS not in parses


def test_the_hard_cases_are_still_reviewed(review, parses):
    """A name bound to what a project function returns, a test in a function with no loop, a
    count() compared with 0, a view's own queryset and a parameter typed as a queryset: each
    file must get its CST and its finding."""
    files = {
        "shop/models.py": MODELS,
        "shop/selectors.py": """
            from shop.models import Book

            def recent_books():
                return Book.objects.order_by("-id")
            """,
        "shop/latest.py": """
            from shop.models import Book
            from shop.selectors import recent_books

            def latest(request):
                books = recent_books()
                if books:
                    return 1
                return 0
            """,
        "shop/loopless.py": """
            from shop.models import Book

            def any_titled(title):
                found = Book.objects.filter(title=title)
                return "yes" if found else "no"
            """,
        "shop/counted.py": """
            from shop.models import Book

            def some(author):
                return Book.objects.filter(author=author).count() > 0
            """,
        "shop/shelf.py": """
            from django.views.generic import ListView
            from shop.models import Book

            class Shelf(ListView):
                model = Book

                def get_context_data(self, **kwargs):
                    context = super().get_context_data(**kwargs)
                    if not self.get_queryset():
                        context["empty"] = True
                    return context
            """,
        "shop/typed.py": """
            from django.db.models import QuerySet
            from shop.models import Book

            def size(books: "QuerySet[Book]") -> int:
                return len(books)
            """,
    }
    findings = review(files, select=("DJR103",))
    reviewed = ["shop/latest.py", "shop/loopless.py", "shop/counted.py", "shop/shelf.py", "shop/typed.py"]
    assert sorted((f.path, f.line) for f in findings) == sorted(
        [
            ("shop/latest.py", 7),
            ("shop/loopless.py", 6),
            ("shop/counted.py", 5),
            ("shop/shelf.py", 10),
            ("shop/typed.py", 6),
        ]
    )
    assert set(reviewed) <= set(parses)


def test_a_manager_method_ending_in_first_returns_a_row(review):
    # set D: `if Trial.objects.current_for(page):` where the method ends in `.first()`
    models = """
from django.db import models


class TrialManager(models.Manager):
    def current_for(self, page_id):
        return self.get_queryset().filter(page_id=page_id).first()

    def running(self, page_id):
        return self.get_queryset().filter(page_id=page_id)


class Trial(models.Model):
    page_id = models.IntegerField(db_index=True)
    objects = TrialManager()

    def __str__(self):
        return str(self.page_id)
"""
    view = """
from shop.models import Trial


def can_start(page_id):
    if Trial.objects.current_for(page_id):
        return False
    if Trial.objects.running(page_id):
        return False
    return True
"""
    found = review({"shop/models.py": models, VIEWS: view}, select=("DJR103",))
    assert [f.line for f in found] == [8]


def test_a_count_test_of_a_queryset_whose_rows_are_read_after_it(review):
    """`if pending.count() == 0: return` then `for task in pending`: exists() would still be
    two queries; the rows are read anyway. A count test of a queryset read nowhere else is
    still reported."""
    view = """
    from shop.models import Book

    def drain(author):
        pending = Book.objects.filter(author=author)
        if pending.count() == 0:
            return []
        return [book.title for book in pending]

    def any_left(author):
        pending = Book.objects.filter(author=author)
        if pending.count() == 0:
            return False
        return True
    """
    assert [f.line for f in hygiene(review, view)] == [12]


def test_the_count_a_project_update_override_returns_is_no_queryset(review):
    # mit-learn's QuerySet overrides update() to stamp `updated_on`, returning super().update():
    # `if qs.update(published=False):` tests a row count. The twin tests the queryset itself
    models = (
        MODELS
        + """

class StampedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        kwargs.setdefault("title", "")
        return super().update(**kwargs)


class Listing(models.Model):
    code = models.CharField(max_length=20)
    objects = StampedQuerySet.as_manager()
"""
    )
    view = """
from shop.models import Listing


def retire(prefix):
    orphans = Listing.objects.filter(code__startswith=prefix)
    if orphans.update(code=""):
        return "retired"
    return "none"


def check(prefix):
    orphans = Listing.objects.filter(code__startswith=prefix)
    if orphans:
        return "some"
    return "none"
"""
    findings = review({"shop/models.py": models, VIEWS: view}, select=("DJR103",))
    assert lines(findings) == [(14, "Testing")]
