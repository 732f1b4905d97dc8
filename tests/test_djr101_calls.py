"""DJR101 through calls: a helper, model method or property called once per row that reads a
relation of the row (issue 15, item 1). The summaries are per function (index/summaries.py),
resolved against the models by the index (index/reads.py)."""

from __future__ import annotations

import textwrap

from djreview.engine import run
from djreview.settings import Settings
from tests.helpers import codes_lines, fixed

MODELS = """
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")

    def __str__(self):
        return self.name


class Product(models.Model):
    title = models.CharField(max_length=50)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="products")
    tags = models.ManyToManyField("Tag", related_name="products")

    def __str__(self):
        return self.title

    def get_title(self):
        return f"{self.category.name}: {self.title}"

    def get_code(self):
        return f"{self.pk}-{self.category_id}"

    @property
    def tag_count(self):
        return self.tags.count()

    @property
    def tag_list(self):
        return [tag.name for tag in self.tags.all()]


class Tag(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Line(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="lines")

    def __str__(self):
        return str(self.pk)

    def get_title(self):
        return self.product.get_title()
"""

HELPERS = """
from django.core.cache import cache

from shop.models import Tag


def category_name(product):
    return product.category.name


def keys_only(product):
    return product.pk, product.category_id, product.title


def tag_names(product):
    return [tag.name for tag in product.tags.all()]


def tags_queryset(product):
    return product.tags.all()


def first_tag(product):
    return product.tags.filter(name__startswith="a").first()


def through(item, label=""):
    return label + category_name(item)


def rebinds(product):
    product = product.category_id
    return product.name


def sets_it(product, category):
    product.category = category
    return product


def parent_name(category):
    return category.parent.name


def guarded(product):
    if product.category_id:
        return product.category.name
    return ""


def early(product):
    if not product.title:
        return None
    return product.category.name


def cached_name(product):
    cache.get(product.pk)  # a cached value first: the query runs on a miss only
    return product.category.name


def subquery(product):
    return Tag.objects.filter(pk__in=product.tags.values_list("pk"))


def parent_label(category):
    if category.parent is not None:  # nullable: None costs no query
        return category.parent.name
    return category.name


def category_label(product):
    if product.category:  # not nullable: loads it on every call
        return "x"
    return ""


def ping(product, n=0):
    return pong(product, n)


def pong(product, n=0):
    return ping(product, n) if n else product.title
"""

VIEWS = "shop/views.py"


def calls(review, body: str, helpers: str = HELPERS):
    views = "from shop.helpers import *\nfrom shop.models import Category, Line, Product\n\n" + textwrap.dedent(body)
    files = {"shop/models.py": MODELS, "shop/helpers.py": helpers, VIEWS: views}
    return review(files, select=("DJR101",))


def test_a_helper_called_per_row_reads_a_forward_relation(review):
    findings = calls(
        review,
        """
        def view():
            for product in Product.objects.all():
                print(category_name(product))
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert findings[0].column == 15  # the call, where the row is handed on
    assert findings[0].text == (
        "N+1 query: `product.category`, read in `category_name()`, loads the relation `category` of "
        'Product once per row of this loop. Add .select_related("category") to the queryset built on line 6.'
    )
    assert 'Product.objects.all().select_related("category")' in fixed(
        "from shop.helpers import *\nfrom shop.models import Category, Line, Product\n\n"
        + textwrap.dedent(
            """
        def view():
            for product in Product.objects.all():
                print(category_name(product))
        """
        ),
        findings,
    )


def test_a_helper_reading_only_keys_and_fields_is_clean(review):
    assert (
        calls(
            review,
            """
        def view():
            for product in Product.objects.all():
                keys_only(product)
                product.get_code()
        """,
        )
        == []
    )


def test_a_selected_or_prefetched_relation_is_clean(review):
    assert (
        calls(
            review,
            """
        def view():
            for product in Product.objects.select_related("category").prefetch_related("tags"):
                category_name(product)
                tag_names(product)
                product.get_title()
                print(product.tag_count, product.tag_list)
        """,
        )
        == []
    )


def test_a_helper_iterating_a_many_relation_wants_a_prefetch(review):
    findings = calls(
        review,
        """
        def view():
            return [tag_names(product) for product in Product.objects.filter(title="x")]
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 6)]
    assert findings[0].text.startswith(
        "N+1 query: `product.tags`, read in `tag_names()`, loads the related objects `tags` of Product"
    )
    assert 'prefetch_related("tags")' in findings[0].text


def test_a_helper_returning_an_unevaluated_queryset_is_not_a_read(review):
    assert (
        calls(
            review,
            """
        def view():
            for product in Product.objects.all():
                tags_queryset(product)
        """,
        )
        == []
    )


def test_a_helper_filtering_a_related_manager_queries_even_when_prefetched(review):
    findings = calls(
        review,
        """
        def view():
            for product in Product.objects.prefetch_related("tags"):
                first_tag(product)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7)]
    assert "`product.tags.filter()`, read in `first_tag()`, runs a query for every Product" in findings[0].text


def test_model_methods_and_properties_read_the_row_as_self(review):
    findings = calls(
        review,
        """
        def view():
            for product in Product.objects.all():
                product.get_title()
            for product in Product.objects.all():
                print(product.tag_count)
            for product in Product.objects.all():
                print(product.tag_list)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7), ("DJR101", VIEWS, 9), ("DJR101", VIEWS, 11)]
    assert "`product.category`, read in `Product.get_title()`, loads the relation `category`" in findings[0].text
    assert "`product.tags.count()`, read in `Product.tag_count`, runs a query for every Product" in findings[1].text
    assert 'Count("tags")' in findings[1].text
    assert "`product.tags`, read in `Product.tag_list`, loads the related objects `tags`" in findings[2].text


def test_reads_through_a_relation_and_a_chain_of_methods(review):
    findings = calls(
        review,
        """
        def view():
            for line in Line.objects.select_related("product"):
                line.get_title()
            for line in Line.objects.all():
                category_name(line.product)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 7), ("DJR101", VIEWS, 9)]
    assert findings[0].text.startswith(
        "N+1 query: `line.product.category`, read in `Line.get_title()` -> `Product.get_title()`, loads the "
        "relation `product__category` of Line once per row of this loop."
    )
    assert findings[0].fix.edits[0].replacement == ', "product__category"'  # joins the existing call
    # line.product itself is read on line 9, and the helper reads on through it
    assert "`line.product.category`, read in `category_name()`" in findings[1].text


def test_helpers_calling_helpers_keywords_and_methods_of_the_view(review):
    findings = calls(
        review,
        """
        class ProductList:
            def label(self, product):
                return parent_name(product.category)

            def get(self):
                return [self.label(product) for product in Product.objects.select_related("category")]


        def view():
            for product in Product.objects.all():
                through(label="x", item=product)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 10), ("DJR101", VIEWS, 15)]
    assert "`product.category.parent`, read in `ProductList.label()` -> `parent_name()`" in findings[0].text
    assert "`product.category`, read in `through()` -> `category_name()`" in findings[1].text


def test_reads_that_may_not_run_on_every_call_are_not_followed(review):
    # reviewers judged reads under a guard, after an early return, behind a cache lookup or
    # inside a subquery to be no query per row for the rows the loop passes
    assert (
        calls(
            review,
            """
        def view():
            for product in Product.objects.all():
                guarded(product)
                early(product)
                cached_name(product)
                subquery(product)
        """,
        )
        == []
    )


def test_testing_a_nullable_relation_for_none_is_not_a_read_of_it(review):
    # weblate's Component.repository tests `self.linked_component is not None`: Django answers
    # a null key with None and no query, so rows without the link cost nothing
    findings = calls(
        review,
        """
        def view():
            for category in Category.objects.all():
                parent_label(category)
            for product in Product.objects.all():
                category_label(product)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 9)]
    assert "`product.category`, read in `category_label()`" in findings[0].text


def test_a_rebound_or_written_parameter_and_a_cycle_are_clean(review):
    assert (
        calls(
            review,
            """
        def view():
            for product in Product.objects.all():
                rebinds(product)
                sets_it(product, None)
                ping(product)
        """,
        )
        == []
    )


def test_an_unknown_row_or_a_values_row_is_clean(review):
    assert (
        calls(
            review,
            """
        def view(products):
            for product in products:
                category_name(product)
            for product in Product.objects.values("title"):
                category_name(product)
        """,
        )
        == []
    )


def test_editing_a_helper_reviews_its_callers_again(tmp_path, monkeypatch):
    from tests.helpers import write_project

    views = "from shop.helpers import *\nfrom shop.models import Product\n\n\ndef view():\n"
    views += "    for product in Product.objects.all():\n        keys_only(product)\n"
    write_project(tmp_path, {"shop/models.py": MODELS, "shop/helpers.py": HELPERS, VIEWS: views})
    monkeypatch.chdir(tmp_path)
    settings = Settings(codes=("DJR101",), jobs=1, cache_dir=tmp_path / "cache")
    assert run(["."], settings).findings == []
    helpers = tmp_path / "shop/helpers.py"
    helpers.write_text(helpers.read_text().replace("product.category_id, product.title", "product.category.name"))
    assert codes_lines(run(["."], settings).findings) == [("DJR101", VIEWS, 7)]


def test_a_relation_the_loop_reads_itself_is_reported_there_not_at_the_call(review):
    findings = calls(
        review,
        """
        def view():
            for product in Product.objects.all():
                category_name(product)
                print(product.category.name)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 8)]
    assert findings[0].text.startswith("N+1 query: `product.category` loads the relation `category`")


def test_a_second_loop_over_the_same_rows_is_not_judged_through_calls(review):
    # weblate hooks.py: a first loop's calls (a save() that sets the relation) loaded what a
    # second pass over the same evaluated rows reads through a property; a direct read in
    # the second loop is still reported, and a name bound anew is a first pass again
    findings = calls(
        review,
        """
        def view():
            products = Product.objects.all()
            for product in products:
                product.save()
            names = [category_name(product) for product in products]
            for product in products:
                print(product.tags.all())
            products = Product.objects.filter(title="x")
            return [category_name(product) for product in products] + names
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 11), ("DJR101", VIEWS, 13)]
    assert "`product.tags` loads the related objects" in findings[0].text
    assert "read in `category_name()`" in findings[1].text


def test_a_relation_the_queryset_filters_to_null_costs_nothing(review):
    # django-cms: `for page in Page.objects.filter(parent__isnull=True)`, then a method reads
    # page.parent: None on every row, no query
    findings = calls(
        review,
        """
        def view():
            for category in Category.objects.filter(parent__isnull=True):
                parent_name(category)
                print(category.parent)
            for category in Category.objects.filter(parent=None):
                print(category.parent)
            for category in Category.objects.exclude(parent__isnull=False):
                print(category.parent)
            for category in Category.objects.filter(parent__isnull=False):
                print(category.parent)
        """,
    )
    assert codes_lines(findings) == [("DJR101", VIEWS, 14)]
