"""DJR101 for DRF serializers (issue 15, item 3): a serializer field reads a relation of each
row that a list view's queryset does not load. Reported at the serializer line that reads it,
naming the views; the fix goes on the view's queryset."""

from __future__ import annotations

import textwrap

from tests.helpers import codes_lines, fixed

MODELS = """
from django.db import models


class Publisher(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=50)
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="authors")

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, related_name="books")

    def __str__(self):
        return self.title

    def author_label(self):
        return self.author.name
"""

SERIALIZERS = "shop/serializers.py"
VIEWS = "shop/views.py"
HEAD = "from rest_framework import generics, serializers, viewsets\nfrom shop.models import Author, Book, Tag\n"


def review_drf(review, serializers: str, views: str | None = None):
    files = {"shop/models.py": MODELS, SERIALIZERS: HEAD + textwrap.dedent(serializers)}
    if views is not None:
        files[VIEWS] = (
            HEAD + "from django.db.models import Prefetch\nfrom shop.serializers import *\n" + textwrap.dedent(views)
        )
    return review(files, select=("DJR101",))


METHOD_FIELD = """

class BookSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["id", "title", "author_name"]

    def get_author_name(self, obj):
        return obj.author.name
"""


def test_a_method_field_reading_a_relation_is_reported_at_the_read_naming_the_view(review):
    findings = review_drf(
        review,
        METHOD_FIELD,
        """
        class BookViewSet(viewsets.ModelViewSet):
            queryset = Book.objects.all()
            serializer_class = BookSerializer
        """,
    )
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert findings[0].column == 16  # obj.author
    assert findings[0].text == (
        "N+1 query: `obj.author` in `BookSerializer.get_author_name()` loads `author` once for every Book that "
        "BookViewSet (shop/views.py:7) serializes: the queryset does not select_related() it. "
        'Add .select_related("author") to the queryset of BookViewSet (shop/views.py:7).'
    )
    assert findings[0].fix.applicability == "suggestion"  # the view is in another file


def test_clean_twins_of_the_method_field(review):
    # the view selects it; prefetching through Prefetch(queryset=...) loads it too
    assert (
        review_drf(
            review,
            METHOD_FIELD,
            """
            class BookViewSet(viewsets.ModelViewSet):
                queryset = Book.objects.select_related("author")
                serializer_class = BookSerializer


            class BookList(generics.ListAPIView):
                serializer_class = BookSerializer

                def get_queryset(self):
                    return Book.objects.prefetch_related(Prefetch("author", queryset=Author.objects.all()))
            """,
        )
        == []
    )


def test_a_method_field_reading_only_keys_is_clean(review):
    serializer = """

    class BookSerializer(serializers.ModelSerializer):
        author = serializers.SerializerMethodField(method_name="author_key")

        class Meta:
            model = Book
            fields = ["id", "author"]

        def author_key(self, obj):
            return [obj.pk, obj.author_id]
    """
    views = """
    class BookViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    assert review_drf(review, serializer, views) == []


def test_method_name_and_a_to_attr_prefetch(review):
    serializer = """

    class BookSerializer(serializers.ModelSerializer):
        tag_names = serializers.SerializerMethodField(method_name="names")

        class Meta:
            model = Book
            fields = ["id", "tag_names"]

        def names(self, obj):
            return [tag.name for tag in obj.tags.all()]


    class TopTagsSerializer(serializers.ModelSerializer):
        top = serializers.SerializerMethodField()

        class Meta:
            model = Book
            fields = ["id", "top"]

        def get_top(self, obj):
            return [tag.name for tag in obj.top_tags]
    """
    views = """
    class BookViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer


    class TopTags(generics.ListAPIView):
        queryset = Book.objects.prefetch_related(Prefetch("tags", queryset=Tag.objects.all(), to_attr="top_tags"))
        serializer_class = TopTagsSerializer


    class Prefetched(generics.ListAPIView):
        queryset = Book.objects.prefetch_related("tags")
        serializer_class = BookSerializer
    """
    findings = review_drf(review, serializer, views)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    # the view that prefetches the tags is not listed
    assert "every Book that BookViewSet (shop/views.py:7) serializes: the queryset does not prefetch_related() it" in (
        findings[0].text
    )


def test_a_serializer_used_by_no_list_view_or_an_opaque_queryset_is_clean(review):
    views = """
    class BookDetail(generics.RetrieveAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer


    class Unknown(generics.ListAPIView):
        serializer_class = BookSerializer

        def get_queryset(self):
            if self.request.user.is_staff:
                return Book.objects.all()
            return Book.objects.filter(title="x")


    class Built(generics.ListAPIView):
        queryset = build_queryset()
        serializer_class = BookSerializer
    """
    assert review_drf(review, METHOD_FIELD) == []
    assert review_drf(review, METHOD_FIELD, views) == []


def test_source_field_nested_serializer_and_related_fields(review):
    serializer = """

    class AuthorSerializer(serializers.ModelSerializer):
        class Meta:
            model = Author
            fields = ["id", "name", "publisher"]


    class BookSerializer(serializers.ModelSerializer):
        author_name = serializers.CharField(source="author.name")
        author = AuthorSerializer()
        tags = serializers.StringRelatedField(many=True)
        tag_ids = serializers.PrimaryKeyRelatedField(source="tags", many=True, read_only=True)
        author_key = serializers.PrimaryKeyRelatedField(source="author", read_only=True)
        publisher_key = serializers.PrimaryKeyRelatedField(source="author.publisher", read_only=True)

        class Meta:
            model = Book
            fields = ["id", "author_name", "author", "tags", "tag_ids", "author_key", "publisher_key"]
    """
    views = """
    class BookList(generics.ListAPIView):
        queryset = Book.objects.filter(title="x")
        serializer_class = BookSerializer
    """
    findings = review_drf(review, serializer, views)
    # author_name (author) and tags, each once: author, publisher_key (author) and tag_ids
    # (tags) read what the first field loaded; author_key reads author_id only
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, n) for n in (12, 14)]
    assert "field `author_name` (`author.name`) loads `author`" in findings[0].text
    assert 'prefetch_related("tags")' in findings[1].text
    clean = views.replace('filter(title="x")', 'select_related("author").prefetch_related("tags")')
    assert review_drf(review, serializer, clean) == []


def test_nested_serializer_reads_are_prefixed_and_many_nested_needs_a_prefetch(review):
    serializer = """

    class AuthorSerializer(serializers.ModelSerializer):
        publisher = serializers.StringRelatedField()

        class Meta:
            model = Author
            fields = ["id", "publisher"]


    class BookSerializer(serializers.ModelSerializer):
        author = AuthorSerializer(read_only=True)

        class Meta:
            model = Book
            fields = ["id", "author"]


    class PublisherSerializer(serializers.ModelSerializer):
        authors = AuthorSerializer(many=True, read_only=True)

        class Meta:
            model = Publisher
            fields = ["id", "authors"]
    """.replace("Author, Book, Tag", "Author, Book, Publisher, Tag")
    views = """
    class BookList(generics.ListAPIView):
        queryset = Book.objects.select_related("author")
        serializer_class = BookSerializer


    class PublisherDetail(generics.RetrieveAPIView):
        queryset = Publisher.objects.all()
        serializer_class = PublisherSerializer
    """
    files_head = "from shop.models import Publisher\n"
    findings = review_drf(review, files_head + textwrap.dedent(serializer), files_head + textwrap.dedent(views))
    # BookSerializer.author reads author__publisher (author is selected, its publisher is not);
    # PublisherSerializer.authors: one detail row, but each of its authors reads its publisher
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 15), ("DJR101", SERIALIZERS, 23)]
    assert 'select_related("author__publisher")' in findings[0].text
    assert 'prefetch_related("authors__publisher")' in findings[1].text


def test_meta_fields_many_relation_is_one_query_per_row_a_forward_fk_is_not(review):
    serializer = """

    class BookSerializer(serializers.ModelSerializer):
        class Meta:
            model = Book
            fields = ["id", "author", "tags"]
    """
    views = """
    class BookViewSet(viewsets.ModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    findings = review_drf(review, serializer, views)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 8)]
    assert findings[0].column == 35  # the "tags" entry
    assert "`tags` in Meta.fields (a PrimaryKeyRelatedField(many=True)) loads `tags`" in findings[0].text
    deep = serializer.replace('fields = ["id", "author", "tags"]', 'fields = ["id", "author"]\n            depth = 1')
    assert codes_lines(review_drf(review, deep, views)) == [("DJR101", SERIALIZERS, 8)]


def test_same_file_view_gets_an_edit_and_views_are_listed_once_per_field(review):
    source = METHOD_FIELD + textwrap.dedent(
        """

        class BookViewSet(viewsets.ModelViewSet):
            queryset = Book.objects.all()
            serializer_class = BookSerializer


        class BookList(generics.ListAPIView):
            serializer_class = BookSerializer

            def get_queryset(self):
                return super().get_queryset().filter(title="x")

            queryset = Book.objects.prefetch_related("tags")
        """
    )
    findings = review_drf(review, source)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "BookViewSet (shop/serializers.py:17), BookList (shop/serializers.py:25) serialize:" in findings[0].text
    assert findings[0].fix.applicability == "safe"
    text = fixed(HEAD + textwrap.dedent(source), findings)
    assert 'queryset = Book.objects.all().select_related("author")' in text
    assert 'queryset = Book.objects.prefetch_related("tags").select_related("author")' not in text
    assert 'return super().get_queryset().filter(title="x").select_related("author")' in text


def test_action_and_api_view_calling_the_serializer_with_many(review):
    views = """
    from rest_framework.decorators import action
    from rest_framework.response import Response
    from rest_framework.views import APIView


    class AuthorViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = Author.objects.all()

        @action(detail=False)
        def recent(self, request):
            books = Book.objects.filter(title="x")
            return Response(BookSerializer(books, many=True).data)


    class Books(APIView):
        def get(self, request):
            rows = Book.objects.select_related("author")
            return Response(BookSerializer(rows, many=True).data)
    """
    findings = review_drf(review, METHOD_FIELD, views)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "AuthorViewSet.recent (shop/views.py:16) serializes" in findings[0].text


def test_views_that_never_list_their_queryset_are_left_out(review):
    # .none() (rows come from elsewhere), no GET, a list() of its own, a create-only view
    views = """
    from rest_framework.response import Response


    class Clone(viewsets.ModelViewSet):
        queryset = Book.objects.none()
        serializer_class = BookSerializer


    class PostOnly(viewsets.ModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        http_method_names = ["post"]


    class OwnList(viewsets.ReadOnlyModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer

        def list(self, request):
            return Response([])


    class Create(generics.CreateAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    assert review_drf(review, METHOD_FIELD, views) == []
    checked = views.replace("return Response([])", "self.check(request)\n            return super().list(request)")
    findings = review_drf(review, METHOD_FIELD, checked)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "every Book that OwnList (shop/views.py:21) serializes" in findings[0].text


def test_a_project_mixin_get_queryset_makes_the_queryset_unknown(review):
    views = """
    class Optimising:
        def get_queryset(self):
            qs = super().get_queryset()
            for name in self.related():
                qs = qs.select_related(name)
            return qs


    class BookViewSet(Optimising, viewsets.ModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    assert review_drf(review, METHOD_FIELD, views) == []


def test_meta_fields_decides_which_inherited_fields_are_serialized(review):
    serializer = """

    class BaseBookSerializer(serializers.ModelSerializer):
        author_name = serializers.SerializerMethodField()

        class Meta:
            model = Book
            fields = ["id", "author_name"]

        def get_author_name(self, obj):
            return obj.author.name


    class SlimBookSerializer(BaseBookSerializer):
        class Meta:
            model = Book
            fields = ["id", "title"]


    class FullBookSerializer(BaseBookSerializer):
        class Meta(BaseBookSerializer.Meta):
            fields = ["id", "title", "author_name"]
    """
    views = """
    class Slim(generics.ListAPIView):
        queryset = Book.objects.all()
        serializer_class = SlimBookSerializer


    class Full(generics.ListAPIView):
        queryset = Book.objects.all()
        serializer_class = FullBookSerializer
    """
    findings = review_drf(review, serializer, views)
    # reported at the subclass's class line (the read is in its base), for Full only
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 22)]
    assert "(inherited from BaseBookSerializer)" in findings[0].text
    assert "Full (shop/views.py:12)" in findings[0].text


def test_an_own_to_representation_reads_what_it_reads(review):
    serializer = """

    class BookSerializer(serializers.ModelSerializer):
        author_name = serializers.CharField(source="author.name")

        class Meta:
            model = Book
            fields = ["id", "author_name"]

        def to_representation(self, instance):
            return {"id": instance.pk, "tags": [t.name for t in instance.tags.filter(name__gt="a")]}
    """
    views = """
    class Books(generics.ListAPIView):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    findings = review_drf(review, serializer, views)
    # author_name is never read; the .filter() queries per row even if prefetched
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "`instance.tags` in `BookSerializer.to_representation()` runs `.filter()`" in findings[0].text


def test_get_serializer_class_a_list_mixin_and_a_paginated_action(review):
    views = """
    from rest_framework import mixins
    from rest_framework.decorators import action
    from rest_framework.response import Response


    class One(generics.ListAPIView):
        queryset = Book.objects.all()

        def get_serializer_class(self):
            return BookSerializer


    class Own(generics.ListAPIView):
        queryset = Book.objects.filter(title="x")
        serializer_class = BookSerializer

        def get_serializer_class(self):
            return self.serializer_class


    class Either(generics.ListAPIView):
        queryset = Book.objects.all()

        def get_serializer_class(self):
            if self.request.user.is_staff:
                return BookSerializer
            return serializers.Serializer


    class Mixed(mixins.ListModelMixin, viewsets.GenericViewSet):
        queryset = Book.objects.select_related("author")
        serializer_class = BookSerializer

        @action(detail=False)
        def cheap(self, request):
            page = self.paginate_queryset(self.get_queryset().filter(title="x"))
            return Response(self.get_serializer(page, many=True).data)
    """
    findings = review_drf(review, METHOD_FIELD, views)
    # One lists BookSerializer rows without the author; Either's class depends on the request;
    # Mixed and its action go through the selected queryset
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "every Book that One (shop/views.py:12), Own (shop/views.py:19) serialize:" in findings[0].text


def test_editing_the_view_re_reviews_the_serializer(tmp_path):
    from tests.helpers import djreview, write_project

    views = (
        HEAD
        + "from shop.serializers import BookSerializer\n"
        + textwrap.dedent(
            """
        class BookViewSet(viewsets.ModelViewSet):
            queryset = Book.objects.all()
            serializer_class = BookSerializer
        """
        )
    )
    write_project(tmp_path, {"shop/models.py": MODELS, SERIALIZERS: HEAD + textwrap.dedent(METHOD_FIELD), VIEWS: views})
    args = ("--select", "DJR101", "--format", "concise", ".")
    assert "shop/serializers.py:13:" in djreview(*args, cwd=tmp_path).stdout
    (tmp_path / VIEWS).write_text(views.replace("Book.objects.all()", 'Book.objects.select_related("author")'))
    assert djreview(*args, cwd=tmp_path).stdout == ""
    (tmp_path / VIEWS).write_text(views)
    assert "shop/serializers.py:13:" in djreview(*args, cwd=tmp_path).stdout


def test_two_fields_reading_one_relation_are_one_finding(review):
    # label-studio: a `user` CharField and a method field both read draft.user; the first
    # loads it for both, and one select_related fixes both
    findings = review_drf(
        review,
        """

        class BookSerializer(serializers.ModelSerializer):
            author = serializers.CharField(source="author.name")
            author_name = serializers.SerializerMethodField()

            class Meta:
                model = Book
                fields = ["id", "author", "author_name"]

            def get_author_name(self, obj):
                return obj.author.name
        """,
        """
        class BookViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Book.objects.all()
            serializer_class = BookSerializer
        """,
    )
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 6)]
    assert "field `author` (`author.name`) loads `author` once for every Book" in findings[0].text


def test_a_base_get_serializer_class_decides_over_a_subclass_serializer_class(review):
    """A project base whose get_serializer_class() picks another serializer for the list
    action (vitriolic's list_serializer_class): the subclass's serializer_class is not what
    its list serializes. A base returning self.serializer_class leaves the attribute to decide."""
    views = """
    class PerAction(viewsets.ReadOnlyModelViewSet):
        def get_serializer_class(self):
            if self.action == "list" and hasattr(self, "list_serializer_class"):
                return self.list_serializer_class
            return super().get_serializer_class()


    class Plain(viewsets.ReadOnlyModelViewSet):
        def get_serializer_class(self):
            return self.serializer_class


    class Listed(PerAction):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        list_serializer_class = serializers.Serializer


    class Direct(Plain):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
    """
    findings = review_drf(review, METHOD_FIELD, views)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "every Book that Direct (shop/views.py:" in findings[0].text
    assert "Listed" not in findings[0].text


def test_a_get_serializer_class_picking_per_action_hands_the_list_to_the_attribute(review):
    """waldur's ActionsViewSet: `getattr(self, self.action + "_serializer_class", default)`
    serializes the list with `serializer_class` unless a `list_serializer_class` is set; a
    method naming only other actions (`self.action == "users"`) leaves the list to it too."""
    views = """
    class ActionsViewSet(viewsets.ReadOnlyModelViewSet):
        def get_serializer_class(self):
            default = super().get_serializer_class()
            return getattr(self, self.action + "_serializer_class", default)


    class Plain(ActionsViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer


    class ListOwn(ActionsViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer
        list_serializer_class = serializers.Serializer


    class Users(viewsets.ReadOnlyModelViewSet):
        queryset = Book.objects.all()
        serializer_class = BookSerializer

        def get_serializer_class(self):
            if self.action == "users":
                return serializers.Serializer
            return super().get_serializer_class()
    """
    findings = review_drf(review, METHOD_FIELD, views)
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "every Book that Plain (shop/views.py:" in findings[0].text
    assert "Users (shop/views.py:" in findings[0].text
    assert "ListOwn" not in findings[0].text


def test_get_serializer_class_picking_by_the_request_s_method(review):
    # argus: `if self.request.method in ("POST", "PUT", "PATCH"): return WriteSerializer`, then
    # `return ReadSerializer`: a GET list gets the read serializer. The twin picks by the user
    views = """
    class ByMethod(generics.ListAPIView):
        queryset = Book.objects.all()

        def get_serializer_class(self):
            if self.request.method in ("POST", "PUT", "PATCH"):
                return serializers.Serializer
            return BookSerializer


    class Safe(generics.ListAPIView):
        queryset = Book.objects.all()

        def get_serializer_class(self):
            if self.request.method not in permissions.SAFE_METHODS:
                return serializers.Serializer
            return BookSerializer
    """
    head = "from rest_framework import permissions\n"
    findings = review_drf(review, METHOD_FIELD, head + textwrap.dedent(views))
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 13)]
    assert "ByMethod (shop/views.py:" in findings[0].text and "Safe (shop/views.py:" in findings[0].text
    by_user = views.replace('self.request.method in ("POST", "PUT", "PATCH")', "self.request.user.is_staff")
    by_user = by_user.replace("self.request.method not in permissions.SAFE_METHODS", "self.request.user.is_staff")
    assert review_drf(review, METHOD_FIELD, head + textwrap.dedent(by_user)) == []


def test_a_list_serializer_loading_the_rows_relation_serves_the_nested_field(review):
    # django-formidable: `Meta.list_serializer_class = FieldListSerializer`, whose `get_attribute()`
    # returns `super().get_attribute(instance).prefetch_related("items")`: one query for the
    # items of a publisher's authors, not one per author. The twin's list serializer loads another relation
    serializer = """

    class AuthorListSerializer(serializers.ListSerializer):
        def get_attribute(self, instance):
            return super().get_attribute(instance).prefetch_related("publisher")


    class AuthorSerializer(serializers.ModelSerializer):
        publisher_name = serializers.CharField(source="publisher.name")

        class Meta:
            model = Author
            list_serializer_class = AuthorListSerializer
            fields = ["id", "publisher_name"]


    class PublisherSerializer(serializers.ModelSerializer):
        authors = AuthorSerializer(many=True, read_only=True)

        class Meta:
            model = Publisher
            fields = ["id", "authors"]
    """.replace("Author, Book, Tag", "Author, Book, Publisher, Tag")
    views = """
    class PublisherDetail(generics.RetrieveAPIView):
        queryset = Publisher.objects.all()
        serializer_class = PublisherSerializer
    """
    head = "from shop.models import Publisher\n"
    assert review_drf(review, head + textwrap.dedent(serializer), head + textwrap.dedent(views)) == []
    other = serializer.replace('prefetch_related("publisher")', 'prefetch_related("books")')
    findings = review_drf(review, head + textwrap.dedent(other), head + textwrap.dedent(views))
    assert codes_lines(findings) == [("DJR101", SERIALIZERS, 21)]
    assert 'prefetch_related("authors__publisher")' in findings[0].text


def test_a_to_representation_loop_over_a_relation_every_view_prefetches(review):
    # argus-server: `to_representation(self, instance: Incident)` loops over
    # `instance.incident_tag_relations.all()` reading `.tag`, and every view feeding the
    # serializer prefetches "incident_tag_relations__tag". The twin's view does not
    serializer = """

    class TagSerializer(serializers.ModelSerializer):
        class Meta:
            model = Tag
            fields = ["id", "name"]

        def to_representation(self, instance: Tag):
            data = super().to_representation(instance)
            data["authors"] = [book.author.name for book in instance.books.all()]
            return data
    """
    views = """
    class TagList(generics.ListAPIView):
        queryset = Tag.objects.prefetch_related("books__author")
        serializer_class = TagSerializer
    """
    assert review_drf(review, serializer, views) == []
    bare = views.replace('prefetch_related("books__author")', "all()")
    assert codes_lines(review_drf(review, serializer, bare)) == [("DJR101", SERIALIZERS, 12)]
