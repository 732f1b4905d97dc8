"""DJR101 n-plus-one: a loop over a queryset touches a relation the queryset did not load.

The cases follow the "ORM facts" table in DESIGN.md: each test is one row of it, or one way
djreview must follow a queryset to the loop.
"""

from __future__ import annotations

import textwrap

from tests.helpers import BLOG_INHERITANCE, N_PLUS_ONE_MODELS, codes_lines, fixed

VIEWS = "shop/views.py"


def n_plus_one(review, view: str, path: str = VIEWS, **settings):
    return review({"shop/models.py": N_PLUS_ONE_MODELS, path: view}, select=("DJR101",), **settings)


# -- forward foreign keys --------------------------------------------------------------------
def test_forward_fk_in_for_loop(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def titles():
            for book in Book.objects.all():
                print(book.title, book.author.name)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert (findings[0].column, findings[0].end_column) == (27, 38)  # `book.author`
    assert findings[0].text == (
        "N+1 query: `book.author` loads the relation `author` of Book once per row of this loop. "
        'Add .select_related("author") to the queryset built on line 5.'
    )


def test_forward_fk_in_list_comprehension(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            return [book.author.name for book in Book.objects.filter(published=True)]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]


def test_forward_fk_in_generator_expression(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            return ", ".join(book.author.name for book in Book.objects.all())
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]


def test_forward_fk_in_dict_comprehension(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            return {book.pk: book.author for book in Book.objects.all()}
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]


def test_fk_read_twice_in_a_row_is_reported_once(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def titles():
            for book in Book.objects.all():
                print(book.author.name)
                print(book.author)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_pk_of_the_fk_is_still_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def ids():
            for book in Book.objects.all():
                print(book.author.pk)
            return [book.author.id for book in Book.objects.all()]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6), ("DJR101", VIEWS, 7)]


def test_fk_id_column_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def ids():
            for book in Book.objects.all():
                print(book.author_id, book.editor_id)
    """,
        )
        == []
    )


def test_fk_in_a_condition_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def count():
            for book in Book.objects.all():
                if book.editor:
                    print(book.title)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_enumerate_over_a_queryset_is_followed(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def numbered():
            for i, book in enumerate(Book.objects.all()):
                print(i, book.author)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_queryset_through_a_variable_and_list(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def titles():
            qs = Book.objects.filter(published=True)
            books = list(qs)
            for book in books:
                print(book.author)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 8)]


def test_sliced_queryset_is_reported_and_fixed_before_the_slice(review):
    view = """
        from shop.models import Book

        def latest():
            for book in Book.objects.all()[:10]:
                print(book.author)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'for book in Book.objects.all().select_related("author")[:10]:' in fixed(view, findings[:1])


def test_single_object_outside_a_loop_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def detail(pk):
            book = Book.objects.get(pk=pk)
            return book.author.name
    """,
        )
        == []
    )


# -- what loads a relation -------------------------------------------------------------------
def test_select_related_on_the_queryset_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def titles():
            for book in Book.objects.select_related("author").filter(published=True):
                print(book.author.name)
    """,
        )
        == []
    )


def test_prefetch_related_of_a_forward_fk_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def titles():
            for book in Book.objects.prefetch_related("author"):
                print(book.author.name)
    """,
        )
        == []
    )


def test_select_related_on_a_variable_before_the_loop_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def titles():
            qs = Book.objects.all()
            qs = qs.select_related("author")
            for book in qs:
                print(book.author.name)
    """,
        )
        == []
    )


def test_select_related_as_a_statement_does_not_change_the_queryset(review):
    view = """
        from shop.models import Book

        def titles():
            base = Book.objects.all()
            base.select_related("author")
            for book in base:
                print(book.author)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 8)]
    assert 'base = Book.objects.all().select_related("author")' in fixed(view, findings[:1])


def test_values_rows_are_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def names():
            for row in Book.objects.values("author__name"):
                print(row["author__name"])
            for author in Book.objects.values_list("author", flat=True):
                print(author.name)
    """,
        )
        == []
    )


def test_only_with_the_fk_column_is_still_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            for book in Book.objects.only("title", "author"):
                print(book.author.name)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_select_related_of_another_relation_is_reported(review):
    view = """
        from shop.models import Book

        def names():
            for book in Book.objects.select_related("editor"):
                print(book.author.name)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_select_related_without_arguments_follows_non_null_fks(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def names():
            for book in Book.objects.select_related():
                print(book.author.name)
    """,
        )
        == []
    )


def test_select_related_without_arguments_does_not_follow_a_nullable_fk(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            for book in Book.objects.select_related():
                print(book.author.name, book.editor.name)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert "`book.editor`" in findings[0].text


# -- deeper paths ----------------------------------------------------------------------------
def test_two_deep_path_is_one_finding_for_the_whole_path(review):
    view = """
        from shop.models import Item

        def emails():
            for item in Item.objects.all():
                print(item.order, item.order.customer.email)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'select_related("order__customer")' in findings[0].text
    assert fixed(view, findings[:1]) == textwrap.dedent("""
        from shop.models import Item

        def emails():
            for item in Item.objects.all().select_related("order__customer"):
                print(item.order, item.order.customer.email)
    """)


def test_first_step_selected_reports_the_second(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Item

        def emails():
            for item in Item.objects.select_related("order"):
                print(item.order.customer.email)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert '"order__customer"' in findings[0].text


def test_two_deep_path_selected_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Item

        def emails():
            for item in Item.objects.select_related("order__customer"):
                print(item.order.customer.email, item.order.pk)
    """,
        )
        == []
    )


# -- reverse relations and many-to-many ------------------------------------------------------
def test_reverse_fk_manager_is_reported(review):
    view = """
        from shop.models import Author

        def shelves():
            for author in Author.objects.all():
                print(author.books.all())
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].text == (
        "N+1 query: `author.books` loads the related objects `books` of Author once per row of this loop. "
        'Add .prefetch_related("books") to the queryset built on line 5.'
    )
    assert 'Author.objects.all().prefetch_related("books")' in fixed(view, findings[:1])


def test_many_to_many_manager_iterated_in_a_nested_loop_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def labels():
            for book in Book.objects.all():
                for tag in book.tags.all():
                    print(tag.label)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'prefetch_related("tags")' in findings[0].text


def test_count_on_a_manager_that_is_not_prefetched_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def counts():
            for author in Author.objects.all():
                print(author.books.count())
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_prefetched_manager_all_count_exists_and_len_are_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Author

        def counts():
            for author in Author.objects.prefetch_related("books"):
                print(author.books.all(), author.books.count(), author.books.exists())
                print(len(author.books.all()))
                for book in author.books.all():
                    print(book.title)
    """,
        )
        == []
    )


def test_filter_on_a_prefetched_manager_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def drafts():
            for author in Author.objects.prefetch_related("books"):
                print(author.books.filter(published=False))
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].text == (
        "N+1 query: `author.books.filter()` runs a query for every Author in this loop, even with "
        'prefetch_related. Prefetch the rows you need once with Prefetch("books", queryset=..., '
        "to_attr=...) or annotate the value on the queryset."
    )
    assert findings[0].fix.applicability == "suggestion"
    assert findings[0].fix.edits == ()


def test_other_querying_methods_on_a_prefetched_manager_are_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def queries():
            for author in Author.objects.prefetch_related("books"):
                print(author.books.exclude(pk=1))
            for author in Author.objects.prefetch_related("books"):
                print(author.books.get(pk=1))
            for author in Author.objects.prefetch_related("books"):
                print(author.books.order_by("title"))
            for author in Author.objects.prefetch_related("books"):
                print(author.books.values("title"))
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, line) for line in (6, 8, 10, 12)]


def test_writes_on_a_related_manager_are_not_n_plus_one(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def tag_all(tag):
            for book in Book.objects.prefetch_related("tags"):
                book.tags.add(tag)
    """,
        )
        == []
    )


def test_prefetch_object_with_a_queryset_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from django.db.models import Prefetch
        from shop.models import Author, Book

        def shelves():
            published = Book.objects.filter(published=True)
            for author in Author.objects.prefetch_related(Prefetch("books", queryset=published)):
                print(author.books.all())
    """,
        )
        == []
    )


def test_prefetch_queryset_selections_load_the_nested_rows(review):
    assert (
        n_plus_one(
            review,
            """
        from django.db.models import Prefetch
        from shop.models import Author, Book

        def shelves():
            books = Book.objects.select_related("editor")
            for author in Author.objects.prefetch_related(Prefetch("books", queryset=books)):
                for book in author.books.all():
                    print(book.editor.name)
    """,
        )
        == []
    )


def test_prefetch_to_attr_leaves_the_manager_unprefetched(review):
    findings = n_plus_one(
        review,
        """
        from django.db.models import Prefetch
        from shop.models import Author

        def counts():
            for author in Author.objects.prefetch_related(Prefetch("books", to_attr="book_list")):
                print(author.books.count(), author.book_list)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert "`author.books" in findings[0].text


def test_back_reference_to_the_managers_owner_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Author

        def shelf(pk):
            author = Author.objects.get(pk=pk)
            for book in author.books.all():
                print(book.author.name)
    """,
        )
        == []
    )


def test_other_fk_on_rows_of_a_related_manager_is_reported(review):
    view = """
        from shop.models import Author

        def shelf(pk):
            author = Author.objects.get(pk=pk)
            for book in author.books.all():
                print(book.editor.name)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert 'for book in author.books.all().select_related("editor"):' in fixed(view, findings[:1])


def test_nested_prefetched_manager_reports_the_full_path_on_the_outer_queryset(review):
    view = """
        from shop.models import Author

        def shelves():
            for author in Author.objects.prefetch_related("books"):
                for book in author.books.all():
                    print(book.author.name, book.tags.all())
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert 'prefetch_related("books__tags")' in findings[0].text
    assert 'Author.objects.prefetch_related("books", "books__tags")' in fixed(view, findings[:1])


def test_nested_prefetch_path_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Author

        def shelves():
            for author in Author.objects.prefetch_related("books__tags"):
                for book in author.books.all():
                    print(book.tags.all())
    """,
        )
        == []
    )


def test_reverse_one_to_one_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def profiles():
            for author in Author.objects.all():
                print(author.profile)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'select_related("profile")' in findings[0].text


def test_reverse_one_to_one_selected_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Author

        def profiles():
            for author in Author.objects.select_related("profile"):
                print(author.profile)
    """,
        )
        == []
    )


def test_reverse_one_to_one_is_not_followed_by_select_related_without_arguments(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def profiles():
            for author in Author.objects.select_related():
                print(author.profile)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_generic_foreign_key_is_reported_with_prefetch_related(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Comment

        def targets():
            for comment in Comment.objects.all():
                print(comment.target)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'Add .prefetch_related("target")' in findings[0].text


def test_generic_foreign_key_prefetched_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Comment

        def targets():
            for comment in Comment.objects.prefetch_related("target"):
                print(comment.target)
    """,
        )
        == []
    )


# -- where the queryset comes from -----------------------------------------------------------
def test_loop_variable_from_a_function_parameter_is_not_reported(review):
    assert (
        n_plus_one(
            review,
            """
        def titles(books):
            for book in books:
                print(book.author.name)
    """,
        )
        == []
    )


def test_loop_over_a_class_based_view_queryset_attribute(review):
    view = """
        from django.views.generic import ListView
        from shop.models import Book

        class BookList(ListView):
            queryset = Book.objects.filter(published=True)

            def get_context_data(self, **kwargs):
                return {"names": [book.author.name for book in self.queryset]}
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 9)]
    assert "built on line 6" in findings[0].text
    assert 'queryset = Book.objects.filter(published=True).select_related("author")' in fixed(view, findings[:1])


def test_loop_over_get_queryset_of_a_class_based_view(review):
    view = """
        from django.views.generic import ListView
        from shop.models import Book

        class BookList(ListView):
            def get_queryset(self):
                return Book.objects.select_related("author")

            def get_context_data(self, **kwargs):
                for book in self.get_queryset():
                    print(book.author.name, book.editor.name)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 11)]
    assert "`book.editor`" in findings[0].text
    assert 'Book.objects.select_related("author", "editor")' in fixed(view, findings[:1])


def test_view_with_only_a_model_attribute_gets_a_suggestion(review):
    findings = n_plus_one(
        review,
        """
        from django.views.generic import ListView
        from shop.models import Book

        class BookList(ListView):
            model = Book

            def get_context_data(self, **kwargs):
                for book in self.get_queryset():
                    print(book.author)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 10)]
    assert findings[0].fix.applicability == "suggestion"
    assert findings[0].text.endswith('Add .select_related("author") to the queryset where it is built.')


def test_custom_queryset_method_that_selects_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def names():
            for book in Book.objects.filter(published=True).with_author():
                print(book.author.name)
    """,
        )
        == []
    )


def test_custom_queryset_method_that_does_not_select_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def names():
            for book in Book.objects.published():
                print(book.author.name)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_custom_manager_whose_get_queryset_selects_is_clean(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def names():
            for book in Book.authored.all():
                print(book.author.name)
    """,
        )
        == []
    )


# -- fixes -----------------------------------------------------------------------------------
def test_fix_appends_select_related_to_the_queryset(review):
    view = """
        from shop.models import Book

        def titles():
            for book in Book.objects.filter(published=True):
                print(book.author.name)
    """
    findings = n_plus_one(review, view)
    assert findings[0].fix.applicability == "safe"
    edit = findings[0].fix.edits[0]
    assert (edit.path, edit.line, edit.column, edit.end_line, edit.end_column) == (VIEWS, 5, 52, 5, 52)
    assert fixed(view, findings[:1]) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            for book in Book.objects.filter(published=True).select_related("author"):
                print(book.author.name)
    """)


def test_fix_merges_into_an_existing_select_related(review):
    view = """
        from shop.models import Book

        def titles():
            for book in Book.objects.select_related("editor").filter(published=True):
                print(book.author.name)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert "built on line 5" in findings[0].text
    assert fixed(view, findings[:1]) == textwrap.dedent("""
        from shop.models import Book

        def titles():
            for book in Book.objects.select_related("editor", "author").filter(published=True):
                print(book.author.name)
    """)


def test_fix_merges_into_an_existing_prefetch_related(review):
    view = """
        from shop.models import Book

        def titles():
            for book in Book.objects.prefetch_related("tags"):
                print(book.tags.all(), book.items.all())
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'Book.objects.prefetch_related("tags", "items")' in fixed(view, findings[:1])


def test_fix_on_the_assignment_that_built_the_queryset(review):
    view = """
        from shop.models import Book

        def titles():
            books = Book.objects.filter(published=True)
            for book in books:
                print(book.author.name)
    """
    findings = n_plus_one(review, view)
    assert "built on line 5" in findings[0].text
    assert 'books = Book.objects.filter(published=True).select_related("author")' in fixed(view, findings[:1])


# -- which files are reviewed ----------------------------------------------------------------
LOOP = """
from shop.models import Book


def run():
    for book in Book.objects.all():
        print(book.author)
"""


def test_test_modules_are_skipped_by_default(review):
    assert n_plus_one(review, LOOP, path="shop/tests/test_views.py") == []
    assert n_plus_one(review, LOOP, path="shop/tests.py") == []
    assert n_plus_one(review, LOOP, path="conftest.py") == []


def test_migrations_are_skipped_by_default(review):
    assert n_plus_one(review, LOOP, path="shop/migrations/0002_backfill.py") == []


def test_tests_and_migrations_are_reviewed_with_query_rules_everywhere(review):
    findings = review(
        {
            "shop/models.py": N_PLUS_ONE_MODELS,
            "shop/tests/test_views.py": LOOP,
            "shop/migrations/0002_backfill.py": LOOP,
        },
        select=("DJR101",),
        query_rules_everywhere=True,
    )
    assert codes_lines(findings) == [
        ("DJR101", "shop/migrations/0002_backfill.py", 7),
        ("DJR101", "shop/tests/test_views.py", 7),
    ]


def test_noqa_silences_the_finding(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def titles():
            for book in Book.objects.all():
                print(book.author)  # noqa: DJR101
    """,
        )
        == []
    )


# -- found by reviewing the rule against Django's behaviour ------------------------------------
def test_nested_loop_through_a_many_relation_is_fixed_with_prefetch_related(review):
    """select_related("books__author") would raise FieldError: books is many-valued."""
    view = """
        from shop.models import Tag

        def shelf():
            for tag in Tag.objects.prefetch_related("books"):
                for book in tag.books.all():
                    print(book.author.name)
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert 'Add .prefetch_related("books__author")' in findings[0].text
    assert 'prefetch_related("books", "books__author")' in fixed(view, findings[:1])


def test_named_select_related_after_the_bare_one_stops_following_every_fk(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def rows():
            for book in Book.objects.select_related().select_related("editor"):
                print(book.author.name, book.editor)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert "`book.author`" in findings[0].text


def test_bare_select_related_after_a_named_one_drops_the_nullable_fk(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def rows():
            for book in Book.objects.select_related("editor").select_related():
                print(book.editor)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_fix_for_a_nullable_fk_under_bare_select_related_is_only_a_suggestion(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def rows():
            for book in Book.objects.select_related():
                print(book.author.name, book.editor)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].fix.applicability == "suggestion"
    assert findings[0].fix.edits == ()


def test_filter_after_all_on_a_prefetched_manager_is_still_a_query(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def rows():
            for author in Author.objects.prefetch_related("books"):
                print(author.books.all().filter(title="x"))
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert "Prefetch(" in findings[0].text


def test_count_on_an_unprefetched_manager_suggests_an_annotation(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def rows():
            return [(a.name, a.books.count()) for a in Author.objects.all()]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]
    assert 'annotate(books_count=Count("books"))' in findings[0].text
    assert findings[0].fix.applicability == "suggestion"


def test_from_queryset_manager_keeps_its_get_queryset(review):
    models = N_PLUS_ONE_MODELS.replace(
        "    authored = AuthoredManager()",
        "    authored = AuthoredManager()\n    mixed = AuthoredManager.from_queryset(BookQuerySet)()",
    )
    findings = review(
        {
            "shop/models.py": models,
            VIEWS: """
        from shop.models import Book

        def rows():
            for book in Book.mixed.published():
                print(book.author.name, book.editor)
    """,
        },
        select=("DJR101",),
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert "`book.editor`" in findings[0].text


def test_proxy_and_child_models_inherit_reverse_accessors(review):
    findings = review(
        {
            "blog/models.py": BLOG_INHERITANCE,
            "blog/views.py": """
        from blog.models import Featured, PostProxy

        def rows():
            for p in PostProxy.objects.all():
                print(p.comments.all())
            for f in Featured.objects.all():
                print(f.comments.all())
    """,
        },
        select=("DJR101",),
    )
    assert codes_lines(findings) == [("DJR101", "blog/views.py", 6), ("DJR101", "blog/views.py", 8)]


def test_multi_table_parent_link_is_a_reverse_one_to_one(review):
    findings = review(
        {
            "blog/models.py": BLOG_INHERITANCE,
            "blog/views.py": """
        from blog.models import Post

        def rows():
            for p in Post.objects.all():
                print(p.featured.rank)
    """,
        },
        select=("DJR101",),
    )
    assert codes_lines(findings) == [("DJR101", "blog/views.py", 6)]
    assert 'select_related("featured")' in findings[0].text


def test_assigning_a_relation_is_not_a_read_and_caches_it(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Book

        def reassign(author):
            for book in Book.objects.all():
                book.author = author
                print(book.author.name)
    """,
        )
        == []
    )


def test_read_before_the_assignment_is_still_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def reassign(author):
            for book in Book.objects.all():
                print(book.author.name)
                book.author = author
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_view_whose_get_queryset_cannot_be_read_is_not_reported(review):
    assert (
        n_plus_one(
            review,
            """
        from django.views.generic import ListView
        from shop.models import Book

        class Books(ListView):
            model = Book

            def get_queryset(self):
                if self.request.GET.get("all"):
                    return Book.objects.select_related("author")
                return Book.objects.none()

            def rows(self):
                return [b.author.name for b in self.get_queryset()]
    """,
        )
        == []
    )


def test_view_with_a_project_mixin_defining_get_queryset_is_not_reported(review):
    assert (
        review(
            {
                "shop/models.py": N_PLUS_ONE_MODELS,
                "shop/mixins.py": """
        class AuthorMixin:
            def get_queryset(self):
                return super().get_queryset().select_related("author")
    """,
                VIEWS: """
        from django.views.generic import ListView
        from shop.mixins import AuthorMixin
        from shop.models import Book

        class Books(AuthorMixin, ListView):
            model = Book

            def rows(self):
                return [b.author.name for b in self.get_queryset()]
    """,
            },
            select=("DJR101",),
        )
        == []
    )


def test_object_list_of_a_list_view(review):
    findings = n_plus_one(
        review,
        """
        from django.views.generic import ListView
        from shop.models import Book

        class Books(ListView):
            queryset = Book.objects.all()

            def get_context_data(self, **kwargs):
                context = super().get_context_data(**kwargs)
                context["names"] = [b.author.name for b in self.object_list]
                return context
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 10)]


def test_parameter_annotated_with_a_model_is_one_row(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def titles(author: Author):
            return [tag.label for book in author.books.all() for tag in book.tags.all()]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]
    assert 'prefetch_related("tags")' in findings[0].text


def test_model_bound_with_get_model(review):
    findings = n_plus_one(
        review,
        """
        from django.apps import apps

        Book = apps.get_model("shop", "Book")

        def names():
            return [b.author.name for b in Book.objects.all()]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]


def test_fix_goes_where_the_queryset_was_built_not_on_a_conditional_refinement(review):
    view = """
        from shop.models import Book

        def rows(published):
            books = Book.objects.all()
            if published:
                books = books.filter(published=True)
            return [b.author.name for b in books]
    """
    findings = n_plus_one(review, view)
    assert 'books = Book.objects.all().select_related("author")' in fixed(view, findings[:1])


def test_prefetch_fix_on_an_iterator_is_a_suggestion(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def rows():
            for author in Author.objects.all().iterator():
                print(list(author.books.all()))
    """,
    )
    assert findings[0].fix.applicability == "suggestion"
    assert "chunk_size" in findings[0].fix.description


def test_filtered_inner_queryset_gets_its_own_select_related(review):
    view = """
        from shop.models import Author

        def rows():
            for author in Author.objects.all():
                for book in author.books.filter(published=True):
                    print(book.editor)
    """
    findings = n_plus_one(review, view)
    inner = [f for f in findings if f.line == 7]
    assert inner and 'author.books.filter(published=True).select_related("editor")' in fixed(view, inner[:1])


def test_related_queryset_built_but_not_evaluated_is_not_reported(review):
    assert (
        n_plus_one(
            review,
            """
        from shop.models import Author

        def plan():
            batches = {}
            for author in Author.objects.all():
                batches[author.pk] = author.books.filter(published=False)
            return batches
    """,
        )
        == []
    )


def test_related_queryset_evaluated_by_a_call_is_reported(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def show():
            for author in Author.objects.all():
                print(author.books.filter(published=True))
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]


def test_fix_on_a_queryset_with_only_is_a_suggestion(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def rows():
            return [b.author.name for b in Book.objects.only("title", "author_id")]
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 5)]
    assert findings[0].fix.applicability == "suggestion"
    assert "only()" in findings[0].fix.description


# -- a relation only compared: its key column is already on the row ------------------------
def test_a_relation_only_compared_suggests_its_id_column(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def mine(me, allowed):
            for book in Book.objects.all():
                if book.author == me or book.author in allowed:
                    yield book.title
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].hint == (
        "The loop only compares `book.author`: compare `book.author_id` with the other object's pk instead "
        '(e.g. `book.author_id == other.pk`, or `in` a set of pks), or add .select_related("author") '
        "to the queryset built on line 5."
    )


def test_a_relation_compared_and_read_keeps_the_select_related_hint(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Book

        def mine(me):
            for book in Book.objects.all():
                if book.author != me:
                    print(book.author.name)
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].hint == 'Add .select_related("author") to the queryset built on line 5.'


def test_exists_beside_all_of_the_same_relation_suggests_the_prefetch(review):
    findings = n_plus_one(
        review,
        """
        from shop.models import Author

        def shelves():
            for author in Author.objects.all():
                if author.books.exists():
                    print([book.title for book in author.books.all()])
    """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert findings[0].hint == (
        'Add .prefetch_related("books") to the queryset built on line 5. '
        "Its .exists() in this loop then reads the prefetched rows too."
    )


def test_one_row_keeps_what_its_queryset_prefetched(review):
    # django-action-permissions: `Entry.objects.prefetch_related(Prefetch("group_rules",
    # queryset=... .select_related("group"))).first()`, then a loop over its group rules reading
    # each rule's group. The twin prefetches the rules but not their books
    view = """
    from django.db.models import Prefetch

    from shop.models import Author, Book

    def bibliography(pk):
        author = Author.objects.prefetch_related(Prefetch("books", queryset=Book.objects.select_related("editor"))).get(pk=pk)
        return [book.editor for book in author.books.all()]

    def tags(pk):
        author = Author.objects.prefetch_related("books__editor").first()
        return [book.editor for book in author.books.all()]
    """
    assert n_plus_one(review, view) == []
    twin = view.replace('.select_related("editor")', "").replace('"books__editor"', '"books"')
    assert [line for _, _, line in codes_lines(n_plus_one(review, twin))] == [8, 12]


def test_a_row_taken_by_index_keeps_what_its_queryset_prefetched(review):
    # librephotos: `Person.objects.prefetch_related("faces__photo__faces__person").filter(id=pk)[0]`,
    # then loops over the person's faces. The twin prefetches nothing
    view = """
    from shop.models import Author

    def bibliography(pk):
        author = Author.objects.prefetch_related("books__editor").filter(pk=pk)[0]
        return [book.editor for book in author.books.all()]
    """
    assert n_plus_one(review, view) == []
    twin = view.replace('.prefetch_related("books__editor")', "")
    assert [line for _, _, line in codes_lines(n_plus_one(review, twin))] == [6]


def test_a_row_from_get_object_or_404_keeps_what_its_queryset_prefetched(review):
    # les-emplois: `get_object_or_404(qs.prefetch_related(Prefetch("lines",
    # queryset=Line.objects.prefetch_related("checks"))), pk=pk)`, then every line's checks:
    # loaded with the row, as `.get()` keeps them. The twin's Prefetch loads no tags
    findings = n_plus_one(
        review,
        """
        from django.db.models import Prefetch
        from django.shortcuts import get_object_or_404

        from shop.models import Author, Book

        def shelf(request, pk):
            author = get_object_or_404(
                Author.objects.prefetch_related(Prefetch("books", queryset=Book.objects.prefetch_related("tags"))),
                pk=pk,
            )
            return [tag.name for book in author.books.all() for tag in book.tags.all()]

        def bare_shelf(request, pk):
            author = get_object_or_404(Author.objects.prefetch_related(Prefetch("books")), pk=pk)
            return [tag.name for book in author.books.all() for tag in book.tags.all()]
    """,
    )
    assert [line for _, _, line in codes_lines(findings)] == [16]


def test_first_on_a_prefetched_manager_of_an_ordered_model_reads_the_cache(review):
    """geniza: `doc.textblock_set.first()` over documents that prefetch it. An ordered queryset's
    first() is `[:1]` of the cached rows; an unordered one's is `order_by("pk")`, a new query.
    The twin without Meta.ordering, or without the prefetch, is reported."""
    ordered = N_PLUS_ONE_MODELS.replace(
        """    def __str__(self):
        return self.title""",
        """    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title""",
    )
    view = """
    from shop.models import Author

    def first_titles():
        for author in Author.objects.prefetch_related("books"):
            print(author.books.first())
    """
    files = {"shop/models.py": ordered, VIEWS: textwrap.dedent(view)}
    assert review(files, select=("DJR101",)) == []
    assert codes_lines(n_plus_one(review, view)) == [("DJR101", VIEWS, 6)]
    unprefetched = view.replace('.prefetch_related("books")', ".all()")
    findings = review({"shop/models.py": ordered, VIEWS: textwrap.dedent(unprefetched)}, select=("DJR101",))
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'prefetch_related("books")' in findings[0].text  # a prefetch serves it, unlike unordered rows
    # the same read in a helper the loop's queryset is handed to (geniza's tabulate function)
    helper = """
    from shop.models import Author

    def first_titles(authors):
        for author in authors:
            print(author.books.first())

    def report():
        first_titles(Author.objects.prefetch_related("books"))
        first_titles(Author.objects.all())
    """
    findings = review({"shop/models.py": ordered, VIEWS: textwrap.dedent(helper)}, select=("DJR101",))
    assert codes_lines(findings) == [("DJR101", VIEWS, 10)]


def test_a_generator_that_next_consumes_runs_its_body_once(review):
    """turnout: `next((a.full_address for a in addresses), None)` reads the first row's relation
    once; the same expression handed to join() runs per row and is reported."""
    view = """
    from shop.models import Book

    def first_author_name():
        return next((book.author.name for book in Book.objects.all()), None)

    def author_names():
        return ", ".join(book.author.name for book in Book.objects.all())
    """
    assert codes_lines(n_plus_one(review, view)) == [("DJR101", VIEWS, 8)]
