"""DJR304 list-without-pagination: DRF list endpoints that return every row."""

from __future__ import annotations

from tests.helpers import DRF_BOOK_MODEL, DRF_BOOK_SERIALIZER, codes_lines

NO_PAGINATION = 'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n'
PAGINATED = (
    'REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 20}\n'
)
LIST = """
from rest_framework import generics, viewsets

from .models import Book
from .serializers import BookSerializer


class BookList(generics.ListAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class BookViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class BookDetail(generics.RetrieveAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""


def project(views: str, settings: str = NO_PAGINATION, **more) -> dict[str, str]:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": settings,
        "shop/__init__.py": "",
        "shop/models.py": DRF_BOOK_MODEL,
        "shop/serializers.py": DRF_BOOK_SERIALIZER,
        "shop/views.py": views,
    }
    files.update(more)
    return files


def pagination(review, files):
    return review(files, select=("DJR304",))


def test_reports_list_endpoints_when_no_pagination_class_applies(review):
    findings = pagination(review, project(LIST))
    assert codes_lines(findings) == [("DJR304", "shop/views.py", 8), ("DJR304", "shop/views.py", 13)]
    assert findings[0].message == (
        "DRF list endpoint BookList has no pagination (no pagination_class, and the REST_FRAMEWORK setting "
        "has no DEFAULT_PAGINATION_CLASS): its list returns every Book row in one response."
    )
    assert findings[0].hint.startswith("Set pagination_class to a class with a page size (class BookPagination(")
    assert findings[0].fix.applicability == "suggestion"


def test_not_reported_with_the_settings_pagination_class_and_page_size(review):
    assert pagination(review, project(LIST, PAGINATED)) == []


def test_page_size_alone_paginates_nothing(review):
    settings = 'REST_FRAMEWORK = {"PAGE_SIZE": 20}\n'
    assert len(pagination(review, project(LIST, settings))) == 2


def test_reports_a_default_pagination_class_without_page_size(review):
    settings = 'REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination"}\n'
    findings = pagination(review, project(LIST, settings))
    assert len(findings) == 2
    assert "(the DEFAULT_PAGINATION_CLASS has no page_size and the REST_FRAMEWORK setting has no PAGE_SIZE)" in (
        findings[0].message
    )


PAGINATORS = """
from rest_framework.pagination import CursorPagination, PageNumberPagination


class Sized(PageNumberPagination):
    page_size = 50


class Cursor(CursorPagination):
    page_size = 100
    ordering = "-id"


class Unsized(PageNumberPagination):
    page_size = None


class BySetting(PageNumberPagination):
    max_page_size = 200
"""


def views_with(pagination_class: str) -> str:
    return LIST.replace(
        "from .models import Book\n", f"from core.pagination import {pagination_class}\nfrom .models import Book\n"
    ).replace(
        "    queryset = Book.objects.all()\n",
        f"    pagination_class = {pagination_class}\n    queryset = Book.objects.all()\n",
    )


def test_not_reported_with_a_pagination_class_that_sets_a_page_size(review):
    for name in ("Sized", "Cursor"):
        files = project(views_with(name), **{"core/__init__.py": "", "core/pagination.py": PAGINATORS})
        assert pagination(review, files) == [], name


def test_not_reported_with_a_pagination_class_with_page_size_none_a_decision(review):
    """waldur's UnlimitedLinkHeaderPagination: unlimited on purpose, like pagination_class = None."""
    files = project(views_with("Unsized"), **{"core/__init__.py": "", "core/pagination.py": PAGINATORS})
    assert pagination(review, files) == []


def test_a_pagination_class_without_page_size_needs_the_page_size_setting(review):
    files = project(views_with("BySetting"), **{"core/__init__.py": "", "core/pagination.py": PAGINATORS})
    assert len(pagination(review, files)) == 2
    files["proj/settings.py"] = 'REST_FRAMEWORK = {"PAGE_SIZE": 20}\n'
    assert pagination(review, files) == []


def test_not_reported_with_pagination_class_none_a_decision(review):
    views = LIST.replace(
        "    queryset = Book.objects.all()\n", "    pagination_class = None\n    queryset = Book.objects.all()\n"
    )
    assert pagination(review, project(views)) == []


def test_not_reported_with_paginator_none_the_same_decision(review):
    # amy's CSV export sets DRF's `paginator` property to None: unlimited on purpose; any
    # other value the index cannot read as a paginator (`paginator = 5`) is no such decision
    views = LIST.replace(
        "    queryset = Book.objects.all()\n", "    paginator = None\n    queryset = Book.objects.all()\n"
    )
    assert pagination(review, project(views)) == []
    assert len(pagination(review, project(views.replace("paginator = None", "paginator = 5")))) == 2


def test_not_reported_with_a_pagination_class_the_index_cannot_read(review):
    views = LIST.replace("from .models import Book\n", "from somewhere.paging import Pages\nfrom .models import Book\n")
    views = views.replace(
        "    queryset = Book.objects.all()\n", "    pagination_class = Pages\n    queryset = Book.objects.all()\n"
    )
    assert pagination(review, project(views)) == []


def test_not_reported_when_the_settings_cannot_be_read(review):
    settings = "import os\nREST_FRAMEWORK = {'DEFAULT_PAGINATION_CLASS': os.environ['PAGER']}\n"
    assert pagination(review, project(LIST, settings)) == []
    files = project(LIST)
    del files["proj/settings.py"]
    assert pagination(review, files) == []


def test_pagination_from_a_base_in_another_module(review):
    base = """
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 25


class PagedList(generics.ListAPIView):
    pagination_class = Pages
"""
    views = """
from core.base import PagedList

from .models import Book
from .serializers import BookSerializer


class BookList(PagedList):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""
    assert pagination(review, project(views, **{"core/__init__.py": "", "core/base.py": base})) == []


VIEWSET_LISTS = """
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from core.paging import paginate

from .models import Book
from .serializers import BookSerializer


class AllBooks(viewsets.ViewSet):
    def list(self, request):
        return Response(BookSerializer(Book.objects.all(), many=True).data)


class PagedBooks(viewsets.GenericViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OwnPages(viewsets.ViewSet):
    @extend_schema(parameters=[OpenApiParameter("tags", many=True)])
    def list(self, request):
        page = paginate(Book.objects.all(), request.GET.get("page"), 12)
        return Response({"results": BookSerializer(page.object_list, many=True).data})


class Summary(viewsets.ViewSet):
    @extend_schema(parameters=[OpenApiParameter("tags", many=True)])
    def list(self, request):
        return Response({"books": Book.objects.count()})


class Mine(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def list(self, request):
        return Response(BookSerializer(self.get_queryset().first(), many=False).data)
"""


def test_reports_a_viewsets_own_list_that_serializes_every_row(review):
    """Not: a list() paged its own way (misago's paginate()), one answering with one row
    (wger's profile), `many=True` in a schema decorator (galaxy-ng)."""
    findings = pagination(review, project(VIEWSET_LISTS, PAGINATED))
    assert codes_lines(findings) == [("DJR304", "shop/views.py", 12)]
    assert "(its own list() serializes the rows without the paginator)" in findings[0].message
    assert codes_lines(pagination(review, project(VIEWSET_LISTS))) == [
        ("DJR304", "shop/views.py", 12),
        ("DJR304", "shop/views.py", 17),
    ]


def test_not_reported_for_views_that_never_list(review):
    views = LIST.replace(
        "class BookViewSet(viewsets.ReadOnlyModelViewSet):",
        "class BookViewSet(viewsets.ReadOnlyModelViewSet):\n    http_method_names = ['post']",
    )
    views = views.replace("generics.ListAPIView", "generics.CreateAPIView")
    assert pagination(review, project(views)) == []


def test_a_base_only_subclassed_is_judged_through_its_subclasses(review):
    views = (
        LIST
        + """

class TitleList(BookList):
    pagination_class = None
"""
    )
    assert codes_lines(pagination(review, project(views))) == [("DJR304", "shop/views.py", 13)]


def test_not_reported_for_a_list_of_objects_built_in_code(review):
    """pretix's exporters and shredders: plugins registered in code, not a table."""
    views = """
from rest_framework import viewsets
from rest_framework.response import Response

from .serializers import BookSerializer


class Exporters(viewsets.ViewSet):
    @property
    def exporters(self):
        return sorted(load_plugins())

    def list(self, request):
        return Response({"results": BookSerializer(self.exporters, many=True).data})
"""
    assert pagination(review, project(views)) == []


def test_not_reported_when_filter_queryset_pages_its_own_way(review):
    """label-studio's ProjectTaskListAPI: filter_queryset() returns `paginator(tasks, request)`."""
    views = LIST.replace(
        "class BookViewSet(",
        """def paginator(rows, request):
    return rows[:100]


class BookViewSet(""",
    ).replace(
        "class BookDetail(",
        """class PagedList(generics.ListAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def filter_queryset(self, queryset):
        return paginator(queryset, self.request)


class BookDetail(""",
    )
    assert [f.message.split()[3] for f in pagination(review, project(views))] == ["BookList", "BookViewSet"]


def test_a_paginator_instance_on_the_class_paginates_with_its_page_size(review):
    """`paginator = FiftyPerPage()` replaces GenericAPIView.paginator (a property built from
    pagination_class): the list is paged by the instance's class."""
    for name, reported in (("Sized", 0), ("BySetting", 2)):
        views = views_with(name).replace(f"pagination_class = {name}\n", f"paginator = {name}()\n")
        files = project(views, **{"core/__init__.py": "", "core/pagination.py": PAGINATORS})
        assert len(pagination(review, files)) == reported, name


def test_a_list_that_answers_only_in_debug_is_no_production_endpoint(review):
    # a trading app's list() returns 404 unless settings.DEBUG ("for test and debug purposes")
    debug_only = VIEWSET_LISTS.replace(
        "    def list(self, request):\n        return Response(BookSerializer(",
        '    def list(self, request):\n        """Debug only."""\n        if not settings.DEBUG:\n'
        "            return Response(status=404)\n        return Response(BookSerializer(",
    ).replace(
        "from rest_framework import viewsets\n",
        "from django.conf import settings\nfrom rest_framework import viewsets\n",
    )
    assert debug_only != VIEWSET_LISTS
    assert codes_lines(pagination(review, project(debug_only, PAGINATED))) == []
    twin = debug_only.replace("if not settings.DEBUG:", "if not request.user.is_staff:")
    assert codes_lines(pagination(review, project(twin, PAGINATED))) == [("DJR304", "shop/views.py", 13)]


def test_an_own_list_of_a_view_that_sets_pagination_class_none(review):
    # argus: a viewset of one incident's tags sets `pagination_class = None` (a handful of
    # rows) and serializes them in its own list(): a decision, as for DRF's own list
    views = VIEWSET_LISTS.replace(
        "class AllBooks(viewsets.ViewSet):\n", "class AllBooks(viewsets.ViewSet):\n    pagination_class = None\n\n"
    )
    assert views != VIEWSET_LISTS
    assert codes_lines(pagination(review, project(views, PAGINATED))) == []


def test_a_viewset_whose_routes_map_no_list_has_no_list_endpoint(review):
    # plane routes a ModelViewSet only as `as_view({"post": "create"})`. The twin maps GET to list
    urls = (
        "from django.urls import path\nfrom . import views\n\n"
        'urlpatterns = [path("b/", views.BookViewSet.as_view({"post": "create"}))]\n'
    )
    found = pagination(review, project(LIST, **{"shop/urls.py": urls}))
    assert codes_lines(found) == [("DJR304", "shop/views.py", 8)]
    listed = urls.replace('{"post": "create"}', '{"get": "list", "post": "create"}')
    found = pagination(review, project(LIST, **{"shop/urls.py": listed}))
    assert codes_lines(found) == [("DJR304", "shop/views.py", 8), ("DJR304", "shop/views.py", 13)]


def test_a_list_mixin_on_a_view_with_no_rows_cannot_list(review):
    # treeherder's `ClassificationViewSet(mixins.ListModelMixin, viewsets.ViewSet)` has no
    # queryset, model or get_queryset(): DRF's list() cannot run there. The twin has a queryset
    views = """
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from .models import Book


class ClassificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    def destroy(self, request, pk=None):
        return Response(status=204)
"""
    assert pagination(review, project(views)) == []
    rows = views.replace("    def destroy", "    queryset = Book.objects.all()\n\n    def destroy")
    assert codes_lines(pagination(review, project(rows))) == [("DJR304", "shop/views.py", 8)]


def test_a_list_of_the_caller_s_one_row_is_not_reported(review):
    # fx-private-relay's ProfileViewSet and UserViewSet: `filter(user=request.user)` on a
    # OneToOne and `filter(id=request.user.id)` (`none()` for an anonymous caller) list one row.
    # The twins: a ForeignKey to the user (many rows each), and an `__in` lookup
    models = """
from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    plan = models.CharField(max_length=20)


class Alias(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    address = models.CharField(max_length=200)
"""
    serializers = """
from django.contrib.auth.models import User
from rest_framework import serializers

from .models import Alias, Profile


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = ["id", "plan"]


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "address"]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email"]
"""
    views = """
from django.contrib.auth.models import User
from rest_framework import viewsets

from .models import Alias, Profile
from .serializers import AliasSerializer, ProfileSerializer, UserSerializer


class ProfileViewSet(viewsets.ModelViewSet):
    serializer_class = ProfileSerializer

    def get_queryset(self):
        if self.request.user.is_authenticated:
            return Profile.objects.filter(user=self.request.user).select_related("user")
        return Profile.objects.none()


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        return User.objects.filter(id=self.request.user.id)


class AliasViewSet(viewsets.ModelViewSet):
    serializer_class = AliasSerializer

    def get_queryset(self):
        return Alias.objects.filter(user=self.request.user)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        return User.objects.filter(id__in=self.request.user.team_ids)


class MeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        return get_user_model().objects.filter(pk=self.request.user.pk)


class ActiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer

    def get_queryset(self):
        return get_user_model().objects.filter(is_active=True)
"""
    views = "from django.contrib.auth import get_user_model\n" + views
    files = project(views, **{"shop/models.py": models, "shop/serializers.py": serializers})
    # kerrokantasi's MeViewSet spells the user model `get_user_model()`: one row too
    assert codes_lines(pagination(review, files)) == [
        ("DJR304", "shop/views.py", 26),
        ("DJR304", "shop/views.py", 33),
        ("DJR304", "shop/views.py", 47),
    ]


def test_a_list_kept_whole_in_the_cache_is_a_decision(review):
    # a4-meinberlin's map lists: list() serializes every public row once, keeps the answer in
    # the cache and serves it from there, as `pagination_class = None` decides the whole list.
    # The twin serializes every row on each request
    views = """
from django.core.cache import cache
from rest_framework import viewsets
from rest_framework.response import Response

from .models import Book
from .serializers import BookSerializer


class BookMapViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def list(self, request, *args, **kwargs):
        data = cache.get("book-map")
        if data is None:
            data = self.get_serializer(self.filter_queryset(self.get_queryset()), many=True).data
            cache.set("book-map", data)
        return Response(data)
"""
    assert pagination(review, project(views)) == []
    uncached = views.replace('        data = cache.get("book-map")\n        if data is None:\n', "        if True:\n")
    uncached = uncached.replace('            cache.set("book-map", data)\n', "")
    assert codes_lines(pagination(review, project(uncached))) == [("DJR304", "shop/views.py", 10)]


def test_a_mixin_caching_what_super_list_answers_is_a_decision(review):
    # experimenter's CachedListMixin: `response = super().list(...)`, rendered and kept in the
    # cache for ten minutes. The twin's mixin only times the call
    mixins = """
from django.core.cache import cache


class CachedListMixin:
    def list(self, request, *args, **kwargs):
        cached = cache.get("books")
        if cached is not None:
            return cached
        response = super().list(request, *args, **kwargs)
        cache.set("books", response, timeout=600)
        return response
"""
    views = """
from rest_framework import mixins, viewsets

from .mixins import CachedListMixin
from .models import Book
from .serializers import BookSerializer


class BookViewSet(CachedListMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""
    assert pagination(review, project(views, **{"shop/mixins.py": mixins})) == []
    timed = mixins.replace('        cache.set("books", response, timeout=600)\n', "        log(response)\n")
    findings = pagination(review, project(views, **{"shop/mixins.py": timed}))
    assert codes_lines(findings) == [("DJR304", "shop/views.py", 9)]


def test_a_list_cached_whole_by_cache_page_is_a_decision(review):
    # MetaDeploy's product categories: `@method_decorator(cache_page(60 * 60 * 2))` on list(),
    # the whole answer served from the cache for two hours. The twin's list() has another
    # decorator
    views = """
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie
from rest_framework import viewsets

from .models import Book
from .serializers import BookSerializer


class CachedBooks(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    @method_decorator(cache_page(60 * 60 * 2))
    def list(self, *args, **kwargs):
        return super().list(*args, **kwargs)


class VariedBooks(viewsets.ReadOnlyModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer

    @method_decorator(vary_on_cookie)
    def list(self, *args, **kwargs):
        return super().list(*args, **kwargs)
"""
    assert codes_lines(pagination(review, project(views))) == [("DJR304", "shop/views.py", 20)]


def test_a_list_of_a_library_s_fixed_rows_is_no_table(review):
    # mitxonline's countries: `get_queryset()` returns `sorted(pycountry.countries, ...)`, which
    # its own list() serializes: about 250 rows a library holds. The twin sorts a queryset
    views = """
import pycountry
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .models import Book


class CountrySerializer(serializers.Serializer):
    name = serializers.CharField()


class CountryViewSet(viewsets.GenericViewSet):
    serializer_class = CountrySerializer

    def get_queryset(self):
        return sorted(pycountry.countries, key=lambda country: country.name)

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)
"""
    assert pagination(review, project(views)) == []
    books = views.replace(
        "sorted(pycountry.countries, key=lambda country: country.name)", "sorted(Book.objects.all(), key=str)"
    )
    assert codes_lines(pagination(review, project(books))) == [("DJR304", "shop/views.py", 13)]
