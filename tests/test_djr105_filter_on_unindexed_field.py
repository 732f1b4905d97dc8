"""DJR105 filter-on-unindexed-field: a field the project filters or orders on that no index serves."""

from __future__ import annotations

import textwrap

from tests.helpers import codes_lines, fixed

MODELS = "shop/models.py"
VIEWS = "shop/views.py"

SHOP = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=100)
    joined = models.DateTimeField(auto_now_add=True)  # a table that grows with use


class Book(models.Model):
    title = models.CharField(max_length=100)
    isbn = models.CharField(max_length=13, db_index=True)
    code = models.CharField(max_length=13)
    year = models.IntegerField()
    month = models.IntegerField()
    sku = models.CharField(max_length=20)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    published = models.BooleanField(default=False)
    slug = models.SlugField()
    state = models.CharField(max_length=10, choices=[("a", "A")])
    cover = models.FileField()

    class Meta:
        ordering = ["-title"]
        indexes = [models.Index(fields=["year", "month"])]
        constraints = [models.UniqueConstraint(fields=["sku"], name="sku")]
"""


def unindexed(review, views: str, models: str = SHOP, **extra: str):
    return review({MODELS: models, VIEWS: views, **extra}, select=("DJR105",))


def test_reports_the_field_once_at_its_definition_naming_the_queries(review):
    views = """
from shop.models import Book


def one(request):
    return Book.objects.filter(code=request.code)


def two(request):
    return Book.objects.exclude(code__in=request.codes).order_by("year")


def three(request):
    return Book.objects.get(code=request.code)


def four(request):
    return Book.objects.filter(code__gte=request.code)
"""
    findings = unindexed(review, views)
    # the exclude() at line 10 is not one: NOT (...) keeps most rows, no index serves it
    assert codes_lines(findings) == [("DJR105", MODELS, 14)]
    assert findings[0].text == (
        "Book.code has no index, but the project filters or orders on it (shop/views.py:6, shop/views.py:14, "
        "shop/views.py:18): each of those queries scans the whole table once it grows. Add "
        "db_index=True (or a Meta.indexes entry that starts with it); it needs a migration, and building the "
        "index locks or slows writes on a large table."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert "    code = models.CharField(max_length=13, db_index=True)\n" in fixed(SHOP, findings)


def test_related_paths_q_and_the_shortcuts_reach_the_field(review):
    views = """
from django.db.models import Q
from django.shortcuts import get_object_or_404, get_list_or_404
from shop.models import Author, Book


def view(request):
    a = get_object_or_404(Book, author__name=request.name)
    b = Author.objects.filter(Q(email=request.email) | Q(name=request.name))
    c = get_list_or_404(Book.objects.filter(code=request.code))
    return a, b, c
"""
    assert [line for _, _, line in codes_lines(unindexed(review, views))] == [6, 7, 14]


def test_not_reported_for_indexed_fields_relations_slugs_booleans_choices_and_files(review):
    views = """
from shop.models import Book


def view(request):
    return Book.objects.filter(isbn=v, published=True, slug=v, state=v, cover=v).filter(sku=v)
"""
    assert unindexed(review, views) == []


def test_a_later_column_of_a_composite_index_counts_only_with_the_columns_before_it(review):
    together = """
from shop.models import Book


def view(request):
    return Book.objects.filter(year=request.year, month=request.month)
"""
    assert unindexed(review, together) == []
    alone = together.replace("year=request.year, ", "")
    assert [line for _, _, line in codes_lines(unindexed(review, alone))] == [16]


def test_not_reported_when_the_query_also_uses_an_indexed_column(review):
    views = """
from django.db.models import Prefetch
from shop.models import Author, Book


def view(request, author):
    a = Book.objects.filter(author=author, code=v)
    b = Book.objects.filter(pk=1).order_by("code")
    c = Author.objects.prefetch_related(Prefetch("book_set", queryset=Book.objects.order_by("code")))
    d = Book.objects.filter(code=v, **request.GET.dict())
    return a, b, c, d
"""
    assert unindexed(review, views) == []


def test_not_reported_for_lookups_no_plain_index_serves(review):
    views = """
from django.db.models import F
from shop.models import Author, Book


def view(request):
    a = Book.objects.filter(code__icontains=v, year__lt=F("month") + 1)
    b = Author.objects.filter(name__iexact=v, email=None)
    return a, b
"""
    assert unindexed(review, views) == []


def test_not_reported_when_the_model_is_not_known(review):
    views = """
def view(request, author, qs):
    return author.book_set.filter(code=v), qs.filter(code=v), request.user.objects.filter(code=v)
"""
    assert unindexed(review, views) == []


def test_tests_migrations_and_management_commands_do_not_count(review):
    query = """
from shop.models import Book


def run():
    return Book.objects.filter(code=v)
"""
    files = {"shop/tests/test_views.py": query, "shop/management/commands/tidy.py": query}
    assert unindexed(review, "", **files) == []
    # behave's step definitions are tests too (django-river); a `steps` package elsewhere is not
    assert unindexed(review, "", **{"features/steps/basic_steps.py": query}) == []
    assert len(unindexed(review, "", **{"shop/steps/basic_steps.py": query})) == 1


def test_meta_ordering_counts_only_beside_a_query(review):
    assert unindexed(review, "") == []
    views = """
from shop.models import Book


def view(request):
    return Book.objects.filter(title=request.title)
"""
    findings = unindexed(review, views)
    assert codes_lines(findings) == [("DJR105", MODELS, 12)]
    assert "(shop/views.py:6)" in findings[0].text  # Book has a parent (author): read through it
    tags = """
from django.db import models


class Tag(models.Model):
    label = models.CharField(max_length=10)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
"""
    assert unindexed(review, "", tags) == []
    findings = unindexed(review, "from shop.models import Tag\nTAGS = Tag.objects.filter(label=label)\n", tags)
    assert "(shop/models.py:10, shop/views.py:2)" in findings[0].text


def test_a_field_of_an_abstract_base_is_reported_for_the_queries_on_its_models(review):
    models = """
from django.db import models


class Stamped(models.Model):
    seen = models.DateTimeField()
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table

    class Meta:
        abstract = True


class Visit(Stamped):
    pass
"""
    views = """
from shop.models import Visit


def view(request):
    return Visit.objects.filter(seen__year=request.year)
"""
    assert codes_lines(unindexed(review, views, models)) == [("DJR105", MODELS, 6)]


def test_ordering_beside_a_filter_and_back_office_queries_do_not_count(review):
    views = """
from shop.models import Book


def view(request):
    return Book.objects.filter(published=True).order_by("code")
"""
    admin = """
from shop.models import Book

CODES = Book.objects.filter(code=CODE)
"""
    assert unindexed(review, views, **{"shop/admin.py": admin}) == []


def test_not_reported_for_enum_fields_and_package_relations(review):
    models = """
from django.db import models
from enumfields import EnumIntegerField
from filer.fields.folder import FilerFolderField


class Shelf(models.Model):
    kind = EnumIntegerField(int)
    folder = FilerFolderField(related_name="shelves", on_delete=models.CASCADE)
"""
    views = """
from shop.models import Shelf


def view(request, folder):
    return Shelf.objects.filter(kind=request.kind), Shelf.objects.filter(folder=folder)
"""
    assert unindexed(review, views, models) == []


def test_not_reported_for_constants_custom_queryset_methods_and_view_querysets(review):
    views = """
from django.utils.translation import gettext as _
from rest_framework.generics import ListAPIView
from shop.models import Author, Book


def view(request):
    a = Author.objects.get(email="admin@example.com")
    b = Author.objects.get(name=_("Anonymous"))
    c = Book.objects.for_shop(request.shop).filter(code=request.code)
    d = Book.objects.filter(request.conditions).order_by("code")
    return a, b, c, d


class Books(ListAPIView):
    queryset = Book.objects.order_by("code")
"""
    assert unindexed(review, views) == []


def test_class_constants_none_querysets_and_values_computed_in_python(review):
    # askbot: `filter(status=Tag.SUGGESTED)` is a constant like `status=0`, and
    # `get(url=name + "@" + provider, provider=provider)` uses the composite index's first
    # column; wiki: `none().order_by(...)` never reaches the database
    models = """
from django.db import models


class Login(models.Model):
    SUGGESTED = 0
    url = models.CharField(max_length=255)
    provider = models.CharField(max_length=64)
    rank = models.IntegerField(default=SUGGESTED)
    edited = models.DateTimeField()
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)

    class Meta:
        unique_together = ("url", "provider")
"""
    views = """
from django.db.models import F
from shop.models import Login


def find(name, provider):
    return Login.objects.get(url=name + "@" + provider, provider=provider)


def suggested():
    return Login.objects.filter(rank=Login.SUGGESTED)


def nothing():
    return Login.objects.none().order_by("-edited")


def column_against_column(url):
    return Login.objects.filter(url=url, rank=F("rank") + 1)
"""
    assert unindexed(review, views, models) == []
    # twins: a variable's value, a real query
    twins = (
        views.replace("rank=Login.SUGGESTED", "rank=request_rank")
        .replace("def suggested():", "def suggested(request_rank):")
        .replace(".none()", ".all()")
    )
    assert [f.message.split(" has ")[0] for f in unindexed(review, twins, models)] == ["Login.rank", "Login.edited"]


def test_a_string_relation_names_the_model_beside_it_over_another_of_its_app(review):
    # askbot: a nested `models` module of the app declares a `Tag` too; `ForeignKey("Tag")`
    # is the one in the declaring module
    models = """
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table


class Marked(models.Model):
    tag = models.ForeignKey("Tag", on_delete=models.CASCADE)
"""
    old = """
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50)
"""
    views = """
from shop.models import Marked


def marked(names):
    return Marked.objects.filter(tag__name__in=names)
"""
    files = {"shop/apps.py": "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n"}
    assert unindexed(review, views, models, **{"shop/importers/old/models.py": old, **files}) == []
    # the twin: the field in the declaring module has no index
    assert [f.path for f in unindexed(review, views, models.replace(", unique=True", ""), **files)] == [MODELS]


def test_models_the_project_names_small_are_not_reported(review, tmp_path):
    # pretix's RegisteredApplePayDomain, celery-beat's CrontabSchedule: tables that stay small,
    # which nothing in the code shows; `djr105-small-models` names them
    from djreview.config import Config, load

    views = """
from shop.models import Author, Book


def find(request):
    return Book.objects.filter(code=request.code), Author.objects.filter(email=request.email)
"""
    both = unindexed(review, views)
    assert sorted(f.message.split(" has ")[0] for f in both) == ["Author.email", "Book.code"]
    config = Config(djr105_small_models=["Author"])
    findings = review({MODELS: SHOP, VIEWS: views}, select=("DJR105",), config=config)
    assert [f.message.split(" has ")[0] for f in findings] == ["Book.code"]
    (tmp_path / "pyproject.toml").write_text('[tool.djreview]\ndjr105-small-models = ["Author"]\n')
    assert load(tmp_path / "pyproject.toml").djr105_small_models == ["Author"]


def test_a_broken_small_models_value_is_one_clear_error(tmp_path):
    from djreview.config import ConfigError, load

    (tmp_path / "pyproject.toml").write_text('[tool.djreview]\ndjr105-small-models = "Author"\n')
    try:
        load(tmp_path / "pyproject.toml")
    except ConfigError as error:
        assert "djr105-small-models must be a list of model class names" in str(error)
    else:
        raise AssertionError("a string is not a list of names")


FIELD_CLASSES = """
from django.db import models


class OwnerKey(models.ForeignKey):
    def __init__(self, *args, **kwargs):
        kwargs["to_field"] = "id"
        super().__init__(*args, **kwargs)


class KindField(models.CharField):
    def __init__(self, enum, *args, **kwargs):
        defaults = {"choices": enum.choices, "max_length": 255}
        defaults.update(kwargs)
        super().__init__(*args, **defaults)
"""


def test_project_field_classes_built_on_a_relation_or_giving_choices(review):
    # dj-stripe: `StripeForeignKey(ForeignKey)` is a relation (indexed), and `StripeEnumField`
    # gives itself choices in __init__ (a few values)
    models = """
from django.db import models

from shop.fields import KindField, OwnerKey


class Account(models.Model):
    name = models.CharField(max_length=10, unique=True)


class Key(models.Model):
    owner = OwnerKey(Account, on_delete=models.CASCADE)
    kind = KindField(enum=None)
    label = models.CharField(max_length=10)
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table
"""
    views = """
from shop.models import Key


def keys(account, kind, label):
    return Key.objects.filter(owner=account, label=label).first(), Key.objects.filter(kind=kind)


def labelled(label):
    return Key.objects.filter(label=label)
"""
    findings = review({MODELS: models, VIEWS: views, "shop/fields.py": FIELD_CLASSES}, select=("DJR105",))
    # only the query on `label` alone; `kind` has choices, `owner` is an indexed relation
    assert [(f.message.split(" has ")[0], f.message.count("views.py")) for f in findings] == [("Key.label", 1)]


def test_a_query_naming_a_field_the_model_lacks_is_not_held_against_the_others(review):
    # django-ledger: `filter(cash_account=..., account_number=...)` names a field the model does
    # not have (a query that fails, or a column the index cannot see): like `**kwargs`, it may
    # be indexed. An annotation of the same chain is no column: the query still counts
    views = """
from shop.models import Book


def find(request):
    return Book.objects.filter(cash_account=request.account, code=request.code)
"""
    assert unindexed(review, views) == []
    annotated = """
from django.db.models import Count
from shop.models import Book


def annotated(request):
    return Book.objects.annotate(n=Count("author")).filter(n=2, code=request.code)
"""
    assert [f.message.split(" has ")[0] for f in unindexed(review, annotated)] == ["Book.code"]


def test_an_index_starting_with_a_column_filtered_beside_it_or_on_null_serves_the_query(review):
    # django-cas-ng: `filter(session_key=None, date__lt=cutoff)` with unique_together starting
    # with session_key (b-tree indexes find IS NULL); django-push-notifications:
    # `db_index=not UNIQUE, unique=UNIQUE` indexes the column either way
    models = """
from django.conf import settings
from django.db import models

UNIQUE = getattr(settings, "UNIQUE_TOKENS", False)


class Grant(models.Model):
    session_key = models.CharField(max_length=40, null=True)
    owner = models.CharField(max_length=40, null=True)
    created = models.DateTimeField(auto_now_add=True)
    token = models.CharField(max_length=200, db_index=not UNIQUE, unique=UNIQUE)
    code = models.CharField(max_length=200, db_index=False)

    class Meta:
        unique_together = ("session_key", "owner")
"""
    views = """
from shop.models import Grant


def purge(cutoff, token, code):
    Grant.objects.filter(session_key=None, created__lt=cutoff).delete()
    Grant.objects.filter(session_key="k", created__lt=cutoff).delete()
    Grant.objects.filter(token=token).update(owner=None)
    return Grant.objects.filter(code=code)
"""
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [13]
    # the twin: IS NULL on a column no index starts with does not serve the query (a lower
    # bound: an upper one beside another condition is a cutoff, not held against the date)
    alone = views.replace("session_key=None", "owner=None").replace('session_key="k"', 'owner="k"')
    alone = alone.replace("created__lt", "created__gte")
    assert [line for _, _, line in codes_lines(unindexed(review, alone, models))] == [11, 13]


def test_only_the_first_ordering_key_and_no_command_helper_count(review):
    # django-todo: `order_by("author__name", "code")` sorts by another table first; django-survey:
    # a base class in `management/` that only commands use
    views = """
from shop.models import Book


def lists():
    return Book.objects.order_by("author__name", "code")


def by_code():
    return Book.objects.order_by("-code", "title")
"""
    helper = """
from shop.models import Book


class Exporter:
    def rows(self, title):
        return Book.objects.filter(title=title)
"""
    findings = unindexed(review, views, **{"shop/management/exporter.py": helper})
    assert [line for _, _, line in codes_lines(findings)] == [14]
    assert "(shop/views.py:10)" in findings[0].message


def test_commands_in_folders_without_init_files_are_command_code(tmp_path, monkeypatch):
    # django-flexible-subscriptions ships management/commands/ without __init__.py files
    from djreview.engine import Settings, run

    query = "from shop.models import Book\n\n\ndef run(v):\n    return Book.objects.filter(code=v)\n"
    (tmp_path / "shop" / "management" / "commands").mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(textwrap.dedent(SHOP))
    (tmp_path / "shop" / "management" / "commands" / "_runner.py").write_text(query)
    monkeypatch.chdir(tmp_path)
    assert run(["."], Settings(codes=("DJR105",), jobs=1)).findings == []
    (tmp_path / "shop" / "views.py").write_text(query)  # the twin: the same query in a view
    assert [f.line for f in run(["."], Settings(codes=("DJR105",), jobs=1)).findings] == [14]


def test_a_relation_path_joins_on_the_key_an_index_starts_with_and_module_constants(review):
    # django-lti: get(registration__uuid=u, deployment_id=d) with a UniqueConstraint on
    # (registration, deployment_id); set C: get(token=t, method=PAYPAL), PAYPAL a module constant
    models = """
from django.db import models


class Registration(models.Model):
    uuid = models.CharField(max_length=36, unique=True)


class Deployment(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE)
    deployment_id = models.CharField(max_length=255)
    method = models.CharField(max_length=20)
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "deployment_id"], name="u")]
"""
    views = """
from shop.models import Deployment

PAYPAL = "paypal"


def find(u, d, t):
    a = Deployment.objects.get(registration__uuid=u, deployment_id=d)
    b = Deployment.objects.get(token=t, method=PAYPAL)
    return a, b
"""
    # only token is reported; the twin: deployment_id without the relation beside it
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [13]
    alone = views.replace("registration__uuid=u, ", "")
    assert [line for _, _, line in codes_lines(unindexed(review, alone, models))] == [11, 13]


def test_one_column_per_query_an_exclude_and_a_many_to_many_join(review):
    """`filter(to_url=u, language_code=c)`: one index on to_url serves it, so only to_url is
    reported; an exclude() alone is served by no index; `channels=ch` starts the join at the
    through table's index. The twins: each column queried alone is reported."""
    models = """
from django.db import models


class Channel(models.Model):
    name = models.CharField(max_length=20)


class Redirect(models.Model):
    to_url = models.CharField(max_length=400)
    language_code = models.CharField(max_length=10)
    amount = models.IntegerField()
    channels = models.ManyToManyField(Channel, related_name="redirects")
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table
"""
    views = """
from shop.models import Redirect


def follow(url, lang):
    return Redirect.objects.filter(to_url=url, language_code=lang)


def cheap(total, channel):
    return Redirect.objects.exclude(amount__gt=total), Redirect.objects.filter(channels=channel, amount__lte=total)
"""
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [10]
    alone = (
        views
        + """

def by_language(lang, total):
    return Redirect.objects.filter(language_code=lang), Redirect.objects.filter(amount=total)
"""
    )
    assert [line for _, _, line in codes_lines(unindexed(review, alone, models))] == [10, 11, 12]


def test_a_custom_field_class_and_a_demo_project_s_queries(review):
    """A project's own `models.Field` subclass stores what its code says (a through table,
    no column); a query in a library's demo project (`sandbox/demo/`) is not production's.
    The twins: a CharField subclass, and the same query in the app."""
    models = """
from django.db import models


class ReferenceField(models.Field):
    def db_type(self, connection):
        return None


class LowerCharField(models.CharField):
    pass


class Context(models.Model):
    owner = ReferenceField()
    label = LowerCharField(max_length=40)
    title = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table
"""
    views = """
from shop.models import Context


def find(owner, label):
    return Context.objects.filter(owner=owner), Context.objects.filter(label=label)
"""
    demo = """
from shop.models import Context


def pick(title):
    return Context.objects.filter(title=title)
"""
    found = unindexed(review, views, models, **{"sandbox/demo/forms.py": demo})
    assert [line for _, _, line in codes_lines(found)] == [16]
    found = unindexed(review, views + demo.replace("from shop.models import Context\n", ""), models)
    assert [line for _, _, line in codes_lines(found)] == [16, 17]


def test_an_ordering_read_whole_needs_no_index_but_a_paged_one_does(review):
    # coldfront's grant report loops over every grant `order_by("-total_amount_awarded")`:
    # the database reads the whole table anyway.
    # sortinghat's log is ordered, then paged: the index gives the first rows without a sort
    whole = """
from shop.models import Author, Book


def report(writer):
    for book in Book.objects.all().order_by("-code"):
        writer.writerow([book.code])


def tag():
    authors = list(Author.objects.order_by("email"))
    return {"authors": authors, "rows": [a.name for a in Book.objects.order_by("title")]}
"""
    assert codes_lines(unindexed(review, whole)) == []
    # a template may page what it gets (`{% autopaginate authors 20 %}`)
    context = whole.replace('list(Author.objects.order_by("email"))', 'Author.objects.order_by("email")')
    assert [line for _, _, line in codes_lines(unindexed(review, context))] == [7]
    paged = """
from django.core.paginator import Paginator
from shop.models import Author, Book


def report(page):
    books = Book.objects.all().order_by("-code")
    return Paginator(books, 25).page(page)


def tag():
    authors = Author.objects.order_by("email")
    first = authors.first()
    return {"authors": authors, "rows": [b.title for b in Book.objects.order_by("title")[:10]]}
"""
    assert [line for _, _, line in codes_lines(unindexed(review, paged))] == [
        7,
        12,
        14,
    ]  # Author.email, Book.title, Book.code


def test_an_older_than_cutoff_beside_another_condition_is_not_held_against_the_date(review):
    # salebox times out `filter(status__lt=30).filter(created__lt=now() - timeout)`: the cutoff
    # matches nearly every row, the open statuses narrow them. Alone, or as a lower bound (the
    # recent rows), the date column is what an index would serve
    models = """
from django.db import models


class Checkout(models.Model):
    status = models.IntegerField(choices=[(10, "open"), (30, "paid")])
    created = models.DateTimeField(auto_now_add=True)
    paid = models.DateTimeField(null=True)
    closed = models.DateTimeField(null=True)
    expires = models.DateTimeField(null=True)
"""
    views = """
from datetime import timedelta

from django.db.models import Q
from django.utils.timezone import now

from shop.models import Checkout


def time_out(cutoff):
    Checkout.objects.filter(status__lt=30).filter(created__lt=cutoff).update(status=50)
    Checkout.objects.exclude(status=30).filter(closed__lte=cutoff).delete()


def recent(since):
    return Checkout.objects.filter(status=30, paid__gte=since)


def purge(cutoff):
    # pretix's mail purge: `closed IS NULL` is on the cutoff's own column, it narrows nothing
    Checkout.objects.filter(Q(closed__lt=cutoff) | Q(closed__isnull=True, created__lt=cutoff)).delete()


def due():
    # `now()` alone is no cutoff: the rows past their due time are the few ones
    Checkout.objects.filter(status=10, created__lt=now() - timedelta(days=3))
    return Checkout.objects.filter(status=10, expires__lte=now())
"""
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [8, 9, 10]


def test_of_the_columns_one_query_filters_the_identifier_is_reported(review):
    # django-incident-response filters `display_name=..., external_id=...`; salebox
    # `event=..., transaction_guid=...`: one row per external id or guid, so that index
    # narrows most. The twin: two plain names, the first written is reported
    models = """
from django.db import models


class Person(models.Model):
    display_name = models.CharField(max_length=50)
    external_id = models.CharField(max_length=50)
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table
"""
    views = """
from shop.models import Person


def lookup(name, ident):
    return Person.objects.get(display_name=name, external_id=ident)
"""
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [7]
    plain = models.replace("external_id", "nickname")
    assert [line for _, _, line in codes_lines(unindexed(review, views.replace("external_id", "nickname"), plain))] == [
        6
    ]


def test_a_lowercase_class_constant_finds_a_fixed_row(review):
    # a selector fetches its storage device by `short_name=self.dname`, with `dname = "calc"`
    # bound once in the class body: one fixed row, as `status=Tag.SUGGESTED`. The twin assigns
    # `self.dname` elsewhere, so it is a value like any other
    views = """
from shop.models import Book


class Selector:
    dname = "for_calculated_variables"

    def device(self):
        return Book.objects.get(code=self.dname)
"""
    assert unindexed(review, views) == []
    changed = views + "\n    def rename(self, name):\n        self.dname = name\n"
    assert [line for _, _, line in codes_lines(unindexed(review, changed))] == [14]


def test_a_prefetch_queryset_held_in_a_name(review):
    # `qs = Book.objects.filter(code=c)` then `Prefetch("book_set", queryset=qs)`: the prefetch
    # filters on the relation's key, an index. The twin runs the same queryset on its own
    views = """
from django.db.models import Prefetch

from shop.models import Author, Book


def authors(code):
    books = Book.objects.filter(code=code)
    return Author.objects.prefetch_related(Prefetch("book_set", queryset=books))
"""
    assert unindexed(review, views) == []
    alone = views.replace('Prefetch("book_set", queryset=books)', '"book_set"') + "    return list(books)\n"
    assert [line for _, _, line in codes_lines(unindexed(review, alone))] == [14]


def test_a_documentation_snippet_queries_no_production_table(review):
    # django-mqueue's docsite/ holds example code for its documentation. The twin is the app's
    snippet = "from shop.models import Book\n\n\ndef show(code):\n    return Book.objects.filter(code=code)\n"
    assert unindexed(review, "", **{"docsite/src/assets/py/example.py": snippet}) == []
    assert [line for _, _, line in codes_lines(unindexed(review, snippet))] == [14]


def test_an_unmanaged_model_s_table_is_another_program_s(review):
    # djangoproject.com reads Trac's `ticket_change` through `Meta.managed = False`: no migration
    # of the project builds an index there. The twin's table is the project's own
    models = """
from django.db import models


class TicketChange(models.Model):
    author = models.TextField()
    created = models.DateTimeField(auto_now_add=True)  # grows with use: no reference table

    class Meta:
        db_table = "ticket_change"
        managed = False
"""
    views = """
from shop.models import TicketChange


def reviewed(username):
    return TicketChange.objects.filter(author=username).count()
"""
    assert unindexed(review, views, models) == []
    # varfish's materialized view: `managed = settings.IS_TESTING`, a table only tests migrate
    testing = models.replace("managed = False", "managed = settings.IS_TESTING").replace(
        "from django.db import models", "from django.conf import settings\nfrom django.db import models"
    )
    assert unindexed(review, views, testing) == []
    owned = models.replace("managed = False", "managed = True")
    assert codes_lines(unindexed(review, views, owned)) == [("DJR105", MODELS, 6)]


def test_an_ordering_counted_with_len_is_read_whole(review):
    # babybuddy's card: `instances = Timer.objects.order_by("-start")`, then `len(instances)` and
    # `list(instances)`: every row is fetched. The twin slices it for the page
    views = """
from shop.models import Book


def card():
    books = Book.objects.order_by("code")
    return {"empty": len(books) == 0, "books": list(books)}
"""
    assert unindexed(review, views) == []
    sliced = views.replace("list(books)", "books[:5]")
    assert codes_lines(unindexed(review, sliced)) == [("DJR105", MODELS, 14)]


def test_a_join_through_a_forward_relation_serves_the_model_s_other_columns(review):
    # pressfreedomtracker's city lookup: `filter(name__iexact=c, regcode=r, isocode__iso3=i)`.
    # The relation's indexed column finds the places; the country's column is judged on its own
    # table. The twin filters the places alone
    models = """
from django.db import models


class Country(models.Model):
    iso3 = models.CharField(max_length=3)
    added = models.DateTimeField(auto_now_add=True)


class Place(models.Model):
    name = models.TextField()
    regcode = models.TextField()
    country = models.ForeignKey(Country, on_delete=models.PROTECT)
    added = models.DateTimeField(auto_now_add=True)
"""
    views = """
from shop.models import Place


def coords(city, region, iso3):
    return Place.objects.filter(name__iexact=city, regcode=region, country__iso3=iso3).first()
"""
    assert codes_lines(unindexed(review, views, models)) == [("DJR105", MODELS, 6)]
    alone = views.replace(", country__iso3=iso3", "")
    assert codes_lines(unindexed(review, alone, models)) == [("DJR105", MODELS, 12)]
    # orchestra's `Q(user__username=n) | Q(slack_username=n)`: one branch of an OR narrows nothing
    # the other finds, through a relation or on an indexed column
    either = views.replace(
        "filter(name__iexact=city, regcode=region, country__iso3=iso3)",
        "filter(Q(country__iso3=iso3) | Q(regcode=region), Q(country=city) | Q(name=city))",
    ).replace("from shop.models import Place", "from django.db.models import Q\nfrom shop.models import Place")
    found = codes_lines(unindexed(review, either, models))
    assert found == [("DJR105", MODELS, 6), ("DJR105", MODELS, 12)]  # regcode: the more selective of the two


def test_an_index_or_constraint_given_its_columns_as_expressions(review):
    # les-emplois: `UniqueConstraint("nir", condition=~Q(nir=""), name=...)`, the column given
    # as an expression (a string, or `F("x")`); `Lower("email")` indexes a function, which
    # a lookup of the plain column does not use
    views = """
from shop.models import Book


def by_code(request):
    return Book.objects.filter(code=request.code)


def by_sku(request):
    return Book.objects.filter(sku=request.sku)


def by_title(request):
    return Book.objects.filter(title=request.title)
"""
    models = SHOP.replace(
        '        constraints = [models.UniqueConstraint(fields=["sku"], name="sku")]',
        '        constraints = [models.UniqueConstraint("code", name="code", condition=~models.Q(code=""))]\n'
        '        indexes = [models.Index(models.F("sku"), name="sku"), models.Index(Lower("title"), name="t")]',
    )
    assert [line for _, _, line in codes_lines(unindexed(review, views, models))] == [12]


def test_equality_on_a_whole_json_document_wants_no_plain_index(review):
    """seqr: `VariantSearch.objects.filter(search=search_dict)` on a JSONField: a B-tree index
    fails on a document over about 2.7 kB (a hash column is the fix); its text twin is reported."""
    models = SHOP.replace(
        "    cover = models.FileField()\n", "    cover = models.FileField()\n    search = models.JSONField()\n"
    )
    views = """
from shop.models import Book


def view(request, query):
    return Book.objects.filter(search=query), Book.objects.filter(code=query)
"""
    findings = unindexed(review, views, models)
    assert [f.text.split(" has no index")[0] for f in findings] == ["Book.code"]


def test_a_model_no_migration_of_its_app_creates_belongs_to_another_program(review):
    """rnacentral: `GoAnnotation` is missing from every migration of its app; the import
    pipeline builds and indexes the table, as for `managed = False`. Book, which 0001 creates,
    is still reported; so is every model of an app without migrations."""
    models = (
        SHOP
        + """

class Annotation(models.Model):
    rna_id = models.CharField(max_length=20)
"""
    )
    migration = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name="Author", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.CreateModel(name="Book", fields=[("id", models.AutoField(primary_key=True))]),
    ]
"""
    views = """
from shop.models import Annotation, Book


def view(request, query):
    return Annotation.objects.filter(rna_id=query), Book.objects.filter(code=query)
"""
    without = unindexed(review, views, models)  # first: the review's folder keeps what it wrote
    assert [f.text.split(" has no index")[0] for f in without] == ["Book.code", "Annotation.rna_id"]
    files = {"shop/migrations/__init__.py": "", "shop/migrations/0001_initial.py": migration}
    findings = unindexed(review, views, models, **files)
    assert [f.text.split(" has no index")[0] for f in findings] == ["Book.code"]
    # a custom operation (bluebottle's RenameModel subclass) may make any model: unknown again
    custom = migration.replace("initial = True", "initial = False").replace(
        "operations = [", "operations = [\n        RenameWithBase('Note', 'Annotation'),"
    )
    custom = "from shop.migration_tools import RenameWithBase\n" + custom.replace(
        "dependencies = []", 'dependencies = [("shop", "0001_initial")]'
    )
    files["shop/migrations/0002_rename.py"] = custom
    again = unindexed(review, views, models, **files)
    assert [f.text.split(" has no index")[0] for f in again] == ["Book.code", "Annotation.rna_id"]


def test_a_column_a_migration_indexes_with_create_index_sql(review):
    """ureport: `polls/0046` runs `RunSQL(INDEX_SQL)`, a module constant holding
    `CREATE INDEX polls_pollresult_contact ON polls_pollresult (contact)`; varfish's index on
    `(release, chromosome, ...)` serves a query on both. An index of another table, or one on
    an expression, serves nothing."""
    views = """
from shop.models import Author, Book


def view(request, query):
    return Author.objects.filter(email=query), Book.objects.filter(code=query), Author.objects.filter(name=query)
"""
    migration = '''
from django.db import migrations

INDEX_SQL = """
CREATE INDEX shop_author_email
ON shop_author (email);
"""


class Migration(migrations.Migration):
    dependencies = []
    operations = [
        migrations.RunSQL(INDEX_SQL),
        migrations.RunSQL(["CREATE INDEX IF NOT EXISTS b ON shop_other (code)", "CREATE INDEX n ON shop_author (lower(name))"]),
    ]
'''
    without = unindexed(review, views)  # first: the review's folder keeps what it wrote
    assert [f.text.split(" has no index")[0] for f in without] == ["Author.name", "Author.email", "Book.code"]
    files = {"shop/migrations/__init__.py": "", "shop/migrations/0001_initial.py": migration}
    findings = unindexed(review, views, **files)
    assert [f.text.split(" has no index")[0] for f in findings] == ["Author.name", "Book.code"]


def test_a_queryset_narrowed_later_in_the_function_is_one_query(review):
    """jumpserver's report mixin: `qs = Execution.objects.filter(type__in=types)`, then
    `qs = qs.filter(automation_id__in=ids)`: one query that also filters on an indexed
    relation. The twin narrows on a column no index leads (`month`, second in `(year, month)`):
    still reported."""
    views = """
from shop.models import Book


def view(request, codes, ids):
    books = Book.objects.filter(code__in=codes)
    books = books.filter(author_id__in=ids)
    return list(books)
"""
    assert unindexed(review, views) == []
    other = views.replace("books.filter(author_id__in=ids)", "books.filter(month=ids)")
    assert [f.text.split(" has no index")[0] for f in unindexed(review, other)] == ["Book.code"]


def test_a_queryset_narrowed_only_under_a_condition_is_judged_without_it(review):
    """zentral's user search: `qs = RealmUser.objects.order_by("username")`, then
    `if realm: qs = qs.filter(realm=realm)`: without a realm the list is ordered on an
    unindexed column, so it is still reported."""
    views = """
from shop.models import Book


def view(request, codes, ids):
    books = Book.objects.filter(code__in=codes)
    if ids:
        books = books.filter(author_id__in=ids)
    return list(books)
"""
    assert [f.text.split(" has no index")[0] for f in unindexed(review, views)] == ["Book.code"]
