"""The stdlib prefilter: which files the rules rule out before a libcst tree is built, and
that ruling a file out never drops a finding."""

from __future__ import annotations

import ast
import textwrap

import pytest

from djreview.index.prefilter import walk
from djreview.rules.djr101_n_plus_one import LoopAttributes
from djreview.rules.djr102_save_in_loop import WriteRoots
from djreview.rules.djr201_missing_related_name import ClassBodyCalls
from tests.helpers import AUTHOR_AND_BOOK, codes_lines, djreview_then, write_project


class _Facts:
    """What the three rules' collectors gather from one walk of `source`."""

    def __init__(self, source: str):
        source = textwrap.dedent(source)
        collectors = [LoopAttributes(), WriteRoots(), ClassBodyCalls()]
        walked = walk(
            ast.parse(source),
            source,
            lambda name: {"models": "django.db.models"}.get(name, f"app.{name}"),
            collectors,
        )
        self.loop_attributes, self.write_roots, self.class_calls = (c.result(walked) for c in collectors)


def test_loop_attributes_follow_names_the_loops_bind():
    facts = _Facts("""
        def f(request, rows):
            for row in rows:
                alias = row
                print(alias.author.name, request.user, row.books.all().first().publisher)
            return [x.shelf for x in rows]
    """)
    # request is a parameter, never a loop row: request.user cannot be an N+1; print() is
    # called with a loop row's chain, and a project function of that name could read it
    assert facts.loop_attributes == {"author", "name", "books", "all", "first", "publisher", "shelf", "app.print()"}


def test_loop_attributes_keep_chains_they_cannot_follow():
    facts = _Facts("""
        def f(rows):
            for row in rows:
                sorted(row.books.all())[0].author
    """)
    assert {"author", "books"} <= facts.loop_attributes


def test_a_function_without_loops_is_not_walked_but_class_bodies_are():
    facts = _Facts("""
        from django.db import models

        def helper(book):
            return book.author.name

        class Book(models.Model):
            if True:
                author = models.ForeignKey("Author", on_delete=models.CASCADE)
            title: str = models.CharField(max_length=10)

            def shelves(self):
                return [s.room for s in self.shelf_set.all()]
    """)
    assert facts.loop_attributes == {"room"}
    assert facts.class_calls == {"django.db.models.ForeignKey", "django.db.models.CharField"}


def test_write_roots_are_known_only_for_dotted_names_the_file_never_binds():
    unbound = _Facts("""
        from django.db import models

        def f(bits):
            for bit in bits:
                models.Q.create(bit)
                Book.objects.create(title=bit)
    """)
    assert unbound.write_roots == {"django.db.models", "app.Book"}
    for receiver in ("book", "self.row", "Book.objects.filter(x=1)", "models"):
        bound = _Facts(f"""
            def f(self, rows, book):
                models = None
                for row in rows:
                    {receiver}.save()
        """)
        assert bound.write_roots is None, receiver


def test_a_file_whose_loops_read_no_relation_gets_no_cst(review, parses):
    found = review(
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/views.py": """
            from shop.models import Book

            def titles(request):
                return [(book.title, request.user.pk) for book in Book.objects.all()]
        """,
        },
        select=("DJR1",),
    )
    assert found == []
    assert "shop/views.py" not in parses


def test_a_row_renamed_in_the_loop_is_still_reported(review):
    found = review(
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/views.py": """
            from shop.models import Book

            def names():
                out = []
                for book in Book.objects.all():
                    current = book
                    out.append(current.author.name)
                return out
        """,
        },
        select=("DJR101",),
    )
    assert codes_lines(found) == [("DJR101", "shop/views.py", 8)]


def test_a_loop_calling_create_on_a_model_manager_is_still_reported(review):
    found = review(
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/load.py": """
            from shop import models as m
            from shop.models import Author

            def load(names):
                for name in names:
                    m.Q.create(name)  # not a model: nothing to say
                    Author.objects.create(name=name)
        """,
        },
        select=("DJR102",),
    )
    assert codes_lines(found) == [("DJR102", "shop/load.py", 8)]


def test_a_foreign_key_built_outside_a_class_body_rules_out_djr201(review, parses):
    found = review(
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/admin.py": """
            from django.db import models

            def is_fk(field):
                return isinstance(field, models.ForeignKey)
        """,
        },
        select=("DJR201",),
    )
    assert codes_lines(found) == [("DJR201", "shop/models.py", 14)]
    assert "shop/admin.py" not in parses


@pytest.mark.parametrize("needs_cst", [False, True])
def test_libcst_is_loaded_only_when_a_file_needs_a_cst(tmp_path, needs_cst):
    loop = "book.author.name" if needs_cst else "book.title"
    write_project(
        tmp_path,
        {
            "manage.py": "",
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/views.py": f"from shop.models import Book\n\ndef f():\n    return [{loop} for book in Book.objects.all()]\n",
        },
    )
    result = djreview_then(
        "check",
        "--no-cache",
        "--select",
        "DJR101",
        "shop/views.py",
        cwd=tmp_path,
        then="print('LOADED' if 'libcst._nodes' in sys.modules else 'NOT LOADED')",
    )
    assert result.stdout.strip().endswith("LOADED" if needs_cst else "NOT LOADED"), result.stdout + result.stderr
    assert ("DJR101" in result.stdout) == needs_cst
