"""DJR101's fix never lands on a queryset build that a `.delete()` or `.update()` shares.

Django drops select_related in delete() and update(), update() ignores prefetch lookups, and
delete()'s collector re-runs the prefetches when it loads the rows: a relation added where
`base` is built, for a loop over `base.filter(...)`, only burdens `base.delete()`. The fix
then goes on the loop's own queryset; a loop over the very name that is written keeps it
where it is built (the loop needs it)."""

from __future__ import annotations

import textwrap

from tests.helpers import N_PLUS_ONE_MODELS, codes_lines, fixed

VIEWS = "shop/views.py"


def n_plus_one(review, view: str):
    return review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: view}, select=("DJR101",))


def _fixed(review, view: str, line: int = 7):
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, line)]
    return findings[0], fixed(view, findings)


def test_loop_over_a_filter_of_a_deleted_base_is_fixed_in_the_loop(review):
    view = """
        from shop.models import Book

        def purge(shelf):
            stale = Book.objects.filter(published=False)
            for book in stale.exclude(title=""):
                print(book.author.name)
            stale.delete()
    """
    finding, text = _fixed(review, view)
    assert text == textwrap.dedent("""
        from shop.models import Book

        def purge(shelf):
            stale = Book.objects.filter(published=False)
            for book in stale.exclude(title="").select_related("author"):
                print(book.author.name)
            stale.delete()
    """)
    assert finding.text.endswith('Add .select_related("author") to the queryset built on line 6.')


def test_updated_base_through_a_chain_and_a_prefetch_in_a_comprehension(review):
    view = """
        from shop.models import Book

        def mark(shelf):
            base = Book.objects.filter(published=True)
            labels = [t.label for book in base.filter(title="x") for t in book.tags.all()]
            base.filter(title="y").update(published=False)
            return labels
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert 'for book in base.filter(title="x").prefetch_related("tags")' in fixed(view, findings)


def test_alias_of_a_written_base_is_fixed_at_the_loop(review):
    view = """
        from shop.models import Book

        def purge():
            base = Book.objects.all()
            rows = base.filter(published=False)
            for book in rows:
                print(book.author)
            base.delete()
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 8)]
    assert '    for book in rows.select_related("author"):\n' in fixed(view, findings)
    assert "base = Book.objects.all()\n" in fixed(view, findings)


def test_sliced_loop_over_a_written_base_is_fixed_before_the_slice(review):
    view = """
        from shop.models import Book

        def purge():
            base = Book.objects.all()
            for book in base.order_by("title")[:10]:
                print(book.author)
            base.update(published=False)
    """
    _, text = _fixed(review, view)
    assert 'for book in base.order_by("title").select_related("author")[:10]:' in text


# -- hard negatives: the fix stays where the queryset is built ---------------------------
def test_loop_over_the_deleted_name_itself_keeps_the_fix_at_the_build(review):
    view = """
        from shop.models import Book

        def purge():
            qs = Book.objects.filter(published=False)
            for book in qs:
                print(book.author)
            qs.delete()
    """
    findings = n_plus_one(review, view)
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert 'qs = Book.objects.filter(published=False).select_related("author")\n' in fixed(view, findings)


def test_write_in_another_function_leaves_the_fix_at_the_build(review):
    view = """
        from shop.models import Book

        def show():
            base = Book.objects.all()
            for book in base.filter(published=True):
                print(book.author)

        def purge():
            base = Book.objects.all()
            base.delete()
    """
    _, text = _fixed(review, view)
    assert 'base = Book.objects.all().select_related("author")\n' in text
    assert text.count("select_related") == 1


def test_write_on_an_unrelated_queryset_leaves_the_fix_at_the_build(review):
    view = """
        from shop.models import Book, Order

        def show():
            base = Book.objects.all()
            for book in base.filter(published=True):
                print(book.author)
            Order.objects.filter(pk=1).delete()
            other = Book.objects.filter(title="x")
            other.update(published=True)
    """
    _, text = _fixed(review, view)
    assert 'base = Book.objects.all().select_related("author")\n' in text


def test_writes_inside_the_loop_are_still_not_reported(review):
    view = """
        from shop.models import Book

        def clear():
            for book in Book.objects.all():
                book.tags.all().delete()
                book.tags.filter(label="x").update(label="y")
    """
    assert n_plus_one(review, view) == []
