"""DJR601 sync-orm-in-async: a synchronous query written in an `async def`."""

from __future__ import annotations

from tests.helpers import AUTHOR_AND_BOOKS, codes_lines, fixed

MODELS = AUTHOR_AND_BOOKS
VIEWS = "shop/views.py"
HEAD = "from asgiref.sync import sync_to_async\n\nfrom shop.models import Book\n\n\n"


def orm_in_async(review, body: str, extra: dict | None = None):
    return review({"shop/models.py": MODELS, VIEWS: HEAD + body, **(extra or {})}, select=("DJR601",))


def test_reports_get_and_fixes_it_with_aget(review):
    body = "async def detail(request, pk):\n    book = Book.objects.get(pk=pk)\n    return book\n"
    findings = orm_in_async(review, body)
    assert codes_lines(findings) == [("DJR601", VIEWS, 7)]
    assert findings[0].text == (
        "`Book.objects.get(pk=pk)` runs a query on the event loop: `get()` is synchronous and raises "
        "SynchronousOnlyOperation in an async function. Use its async twin: `await Book.objects.aget(pk=pk)`."
    )
    assert findings[0].fix.applicability == "safe"
    assert "    book = await Book.objects.aget(pk=pk)\n" in fixed(HEAD + body, findings)


def test_a_running_call_whose_result_is_read_on_gets_parentheses(review):
    body = "async def title(request):\n    return Book.objects.filter(title='a').first().title\n"
    findings = orm_in_async(review, body)
    assert "return (await Book.objects.filter(title='a').afirst()).title" in fixed(HEAD + body, findings)


def test_reports_count_exists_create_update_delete_and_row_save(review):
    body = """async def change(request):
    n = Book.objects.count()
    found = Book.objects.filter(title="a").exists()
    book = Book.objects.create(title="b")
    Book.objects.filter(title="a").update(title="c")
    book.save()
    book.delete()
    return n, found
"""
    findings = orm_in_async(review, body)
    assert [f.line for f in findings] == [7, 8, 9, 10, 11, 12]
    text = fixed(HEAD + body, findings)
    for twin in ("acount()", "aexists()", "acreate(", "aupdate(", "book.asave()", "book.adelete()"):
        assert "await " in text and twin in text


def test_reports_a_plain_for_loop_over_a_queryset_and_fixes_it_with_async_for(review):
    body = "async def titles(request):\n    out = []\n    for book in Book.objects.all():\n        out.append(book.title)\n    return out\n"
    findings = orm_in_async(review, body)
    assert codes_lines(findings) == [("DJR601", VIEWS, 8)]
    assert "    async for book in Book.objects.all():\n" in fixed(HEAD + body, findings)


def test_reports_evaluations_of_a_queryset(review):
    body = """async def many(request):
    qs = Book.objects.filter(title="a")
    rows = [b.title for b in qs]
    n = len(qs)
    if qs:
        pass
    first = qs[0]
    return rows, n, first, list(qs)
"""
    findings = orm_in_async(review, body)
    assert [f.line for f in findings] == [8, 9, 10, 12, 13]
    assert "[b.title async for b in qs]" in fixed(HEAD + body, findings)


def test_reports_attributes_of_request_user(review):
    body = "async def me(request):\n    if request.user.is_authenticated:\n        return 1\n"
    findings = orm_in_async(review, body)
    assert codes_lines(findings) == [("DJR601", VIEWS, 7)]
    assert "`user = await request.auser()`" in findings[0].text
    assert findings[0].fix.applicability == "suggestion"


def test_reports_an_unselected_relation_of_an_awaited_row(review):
    body = """async def detail(request, pk):
    book = await Book.objects.aget(pk=pk)
    chosen = await Book.objects.select_related("author").aget(pk=pk)
    chosen.author = None
    return book.author.name, chosen.author.name
"""
    findings = orm_in_async(review, body)
    assert codes_lines(findings) == [("DJR601", VIEWS, 10)]
    assert "Book.author relation" in findings[0].text


def test_a_relation_prefetched_with_the_awaited_row_is_cached(review):
    # courtlistener's redirect: `prefetch_related("docket_entry")`, then `await qs.afirst()`
    # runs the prefetch with the row; the twin prefetches another relation
    body = """async def detail(request, pk):
    books = Book.objects.filter(pk=pk).prefetch_related("author")
    book = await books.afirst()
    other = await Book.objects.prefetch_related("tags").afirst()
    return book.author.name, other.author.name
"""
    findings = orm_in_async(review, body)
    assert [(code, line) for code, _, line in codes_lines(findings)] == [("DJR601", 10)]
    assert "other.author" in findings[0].text


def test_reports_a_call_of_a_project_function_that_looks_a_row_up(review):
    helper = "from shop.models import Book\n\n\ndef book_by_pk(pk):\n    return Book.objects.get(pk=pk)\n"
    body = "from shop.lookup import book_by_pk\n\n\nasync def detail(request, pk):\n    return book_by_pk(pk)\n"
    findings = orm_in_async(review, body, {"shop/lookup.py": helper})
    assert codes_lines(findings) == [("DJR601", VIEWS, 10)]
    assert "sync_to_async(book_by_pk)" in findings[0].text


# -- not reported --------------------------------------------------------------------------
def test_not_reported_for_async_twins_and_async_for(review):
    body = """async def detail(request, pk):
    book = await Book.objects.aget(pk=pk)
    n = await Book.objects.acount()
    await book.asave()
    rows = [b async for b in Book.objects.all()]
    async for b in Book.objects.filter(title="a"):
        pass
    user = await request.auser()
    return book, n, rows, user.is_authenticated
"""
    assert orm_in_async(review, body) == []


def test_not_reported_for_lazy_calls_and_slices(review):
    body = """async def lazy(request):
    qs = Book.objects.filter(title="a").select_related("author").order_by("title")
    page = qs[:10]
    return qs, page
"""
    assert orm_in_async(review, body) == []


def test_not_reported_in_functions_handed_to_a_thread(review):
    body = """import asyncio


async def wrapped(request, pk):
    book = await sync_to_async(lambda: Book.objects.get(pk=pk))()
    count = await sync_to_async(Book.objects.count)()

    def titles():
        return [b.title for b in Book.objects.all()]

    return book, count, await asyncio.to_thread(titles)
"""
    assert orm_in_async(review, body) == []


def test_not_reported_in_sync_functions_or_on_lists(review):
    body = """def sync_view(request):
    return Book.objects.get(pk=1), request.user.is_authenticated


async def on_a_list(request, books: list):
    rows = list(await sync_to_async(list)(Book.objects.all()))
    titles = ["a", "b"]
    return len(titles), [t for t in titles], titles.count("a"), {}.get("a")
"""
    assert orm_in_async(review, body) == []


def test_not_reported_for_a_sync_list_of_rows_used_in_a_nested_async_function(review):
    body = """def sign(pks):
    books = list(Book.objects.filter(pk__in=pks))

    async def each():
        return [b async for b in Book.objects.none()], [b for b in books]

    return each
"""
    assert orm_in_async(review, body) == []


def test_not_reported_for_an_assignment_to_a_relation_of_an_awaited_row(review):
    body = """async def unlink(request, pk):
    book = await Book.objects.aget(pk=pk)
    book.author = None
    await book.asave()
"""
    assert orm_in_async(review, body) == []


def test_not_reported_for_a_project_function_that_only_writes_without_a_lookup(review):
    helper = "class Store:\n    def save(self):\n        pass\n\n\ndef persist(store):\n    store.save()\n"
    body = "from shop.store import persist\n\n\nasync def keep(request, store):\n    return persist(store)\n"
    assert orm_in_async(review, body, {"shop/store.py": helper}) == []


def test_not_reported_for_a_prefetched_relation_of_a_row_of_an_async_loop(review):
    body = """async def shelves(request):
    out = []
    async for author in Author.objects.prefetch_related("books"):
        out.append([b.title for b in author.books.all()] + [author.books.count()])
    return out
"""
    files = {"shop/models.py": MODELS, VIEWS: "from shop.models import Author\n\n\n" + body}
    assert review(files, select=("DJR601",)) == []


def test_reports_an_unprefetched_relation_of_a_row_of_an_async_loop(review):
    body = """async def shelves(request):
    out = []
    async for author in Author.objects.all():
        out.append([b.title for b in author.books.all()])
    return out
"""
    files = {"shop/models.py": MODELS, VIEWS: "from shop.models import Author\n\n\n" + body}
    assert [f.line for f in review(files, select=("DJR601",))] == [7]


def test_the_fix_is_unsafe_in_a_generator_expression(review):
    body = "async def total(request, ids):\n    return sum(Book.objects.get(pk=i).pk for i in ids)\n"
    findings = orm_in_async(review, body)
    assert [f.fix.applicability for f in findings] == ["unsafe"]


def test_not_reported_for_request_user_in_an_adrf_view_which_authenticates_first(review):
    body = """from adrf.decorators import api_view
from adrf.views import APIView


class Me(APIView):
    async def get(self, request):
        return request.user.username


@api_view(["GET"])
async def me(request):
    return request.user.username
"""
    assert orm_in_async(review, body) == []


def test_not_reported_after_request_user_is_set_to_the_awaited_user(review):
    body = "async def me(request):\n    request.user = await request.auser()\n    return request.user.username\n"
    assert orm_in_async(review, body) == []


# -- which files are parsed ------------------------------------------------------------------
def test_a_view_decorator_that_passes_the_request_on_is_never_parsed(review, parses):
    """Django's own view decorators: an async wrapper awaiting the view, naming no model."""
    decorator = """def add_header(view):
    async def wrapper(request, *args, **kwargs):
        response = await view(request, *args, **kwargs)
        response["X-Seen"] = "1"
        return response

    return wrapper
"""
    findings = review({"shop/models.py": MODELS, "shop/decorators.py": decorator}, select=("DJR601",))
    assert findings == [] and "shop/decorators.py" not in parses


def test_a_file_naming_no_model_is_still_reviewed_for_request_user_and_project_lookups(review):
    helper = "from shop.models import Book\n\n\ndef book_by_pk(pk):\n    return Book.objects.get(pk=pk)\n"
    views = """from shop.lookup import book_by_pk


async def me(request):
    return request.user.is_staff


async def detail(request, pk):
    return book_by_pk(pk)
"""
    files = {"shop/models.py": MODELS, "shop/lookup.py": helper, VIEWS: views}
    assert codes_lines(review(files, select=("DJR601",))) == [("DJR601", VIEWS, 5), ("DJR601", VIEWS, 9)]


def test_a_project_helper_decorated_to_run_in_a_thread_is_awaited_safely(review):
    # django-private-chat2: channels' `@database_sync_to_async` helpers, awaited in a consumer
    helpers = """
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from shop.models import Book


@database_sync_to_async
def book_by_pk(pk):
    return Book.objects.filter(pk=pk).first()


@sync_to_async
def other_by_pk(pk):
    return Book.objects.filter(pk=pk).first()


def plain_by_pk(pk):
    return Book.objects.filter(pk=pk).first()
"""
    body = """from shop.db import book_by_pk, other_by_pk, plain_by_pk


async def receive(request, pk):
    a = await book_by_pk(pk)
    b = await other_by_pk(pk)
    c = plain_by_pk(pk)
    return a, b, c
"""
    findings = orm_in_async(review, body, {"shop/db.py": helpers})
    assert codes_lines(findings) == [("DJR601", VIEWS, 12)]
    assert findings[0].text.startswith("`plain_by_pk(pk)` runs")


def test_a_parameter_annotated_as_a_list_of_rows_holds_fetched_rows(review):
    # set C: `async def f(items: List[Transfer])` called with `await sync_to_async(list)(qs)`
    body = """from typing import List

from django.db.models import QuerySet


async def titles(books: List[Book]):
    return [book.title for book in books]


async def twin(books: QuerySet[Book]):
    return [book.title for book in books]
"""
    assert codes_lines(orm_in_async(review, body)) == [("DJR601", VIEWS, 16)]


def test_a_project_decorator_returning_database_sync_to_async(review):
    # set F: `def db_thread(*a, **k): return database_sync_to_async(*a, **k)` used as a decorator
    helpers = """
from channels.db import database_sync_to_async

from shop.models import Book


def db_thread(*args, **kwargs):
    kwargs.setdefault("thread_sensitive", False)
    return database_sync_to_async(*args, **kwargs)


def logged(func):
    return func


@db_thread
def book_by_pk(pk):
    return Book.objects.filter(pk=pk).first()


@logged
def other_by_pk(pk):
    return Book.objects.filter(pk=pk).first()
"""
    body = """from shop.db import book_by_pk, other_by_pk


async def receive(request, pk):
    a = await book_by_pk(pk)
    b = other_by_pk(pk)
    return a, b
"""
    findings = orm_in_async(review, body, {"shop/db.py": helpers})
    assert codes_lines(findings) == [("DJR601", VIEWS, 11)]
    assert findings[0].text.startswith("`other_by_pk(pk)` runs")
