"""The project index: what djreview learns about models, relations and managers from source.

Each test builds a ProjectIndex from a few modules, parsed with the stdlib parser and passed
through `extract`, exactly as the engine's first phase does, and asks it one question.
"""

from __future__ import annotations

import ast

from djreview.index.extract import extract, module_name
from djreview.index.project import ProjectIndex
from tests.helpers import BLOG_INHERITANCE, NAMED_BASE, write_project
from tests.helpers import index_of as build


def relations(index: ProjectIndex, model: str) -> dict[str, tuple[str, str | None]]:
    return {name: (rel.kind, rel.target) for name, rel in index.models[model].relations.items()}


def field_names(index: ProjectIndex, model: str) -> list[str]:
    return [f.name for f in index.models[model].fields]


SHOP = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""


# -- models and their bases ----------------------------------------------------------------
def test_plain_model_is_indexed_with_its_app_label_and_line():
    index = build({"shop/models.py": SHOP})
    book = index.models["shop.models.Book"]
    assert (book.name, book.app_label, book.path, book.line) == ("Book", "shop", "shop/models.py", 9)
    assert field_names(index, "shop.models.Book") == ["title", "author"]
    assert not book.abstract and not book.proxy and book.parents == []


def test_non_model_classes_are_not_models():
    index = build({"shop/utils.py": "class Helper:\n    name = 'x'\n", "shop/models.py": SHOP})
    assert set(index.models) == {"shop.models.Author", "shop.models.Book"}


def test_base_model_in_another_app_gives_its_fields_first():
    index = build(
        {
            "core/models.py": """
            from django.db import models

            class TimeStamped(models.Model):
                created = models.DateTimeField(auto_now_add=True)

                class Meta:
                    abstract = True
        """,
            "blog/models.py": """
            from django.db import models
            from core.models import TimeStamped

            class Post(TimeStamped):
                title = models.CharField(max_length=100)
        """,
        }
    )
    assert index.models["core.models.TimeStamped"].abstract
    post = index.models["blog.models.Post"]
    assert post.app_label == "blog"
    assert not post.abstract
    assert field_names(index, "blog.models.Post") == ["created", "title"]
    assert post.parents == []  # an abstract base is not a multi-table parent


def test_project_base_model_in_a_non_models_module():
    index = build(
        {
            "core/base.py": """
            from django.db import models

            class BaseModel(models.Model):
                uuid = models.UUIDField()

                class Meta:
                    abstract = True
        """,
            "blog/models.py": """
            from django.db import models
            from core.base import BaseModel

            class Post(BaseModel):
                title = models.CharField(max_length=100)
        """,
        }
    )
    assert "blog.models.Post" in index.models
    assert field_names(index, "blog.models.Post") == ["uuid", "title"]


def test_base_model_through_a_relative_import():
    index = build(
        {
            "blog/base.py": """
            from django.db import models

            class BaseModel(models.Model):
                class Meta:
                    abstract = True
        """,
            "blog/models.py": """
            from .base import BaseModel

            class Post(BaseModel):
                pass
        """,
        }
    )
    assert index.class_kind("blog.models.Post") == "model"
    assert "blog.models.Post" in index.models


def test_subclass_of_a_subclass_is_a_model():
    index = build(
        {
            "blog/models.py": """
            from django.db import models

            class A(models.Model):
                class Meta:
                    abstract = True

            class B(A):
                class Meta:
                    abstract = True

            class C(B):
                pass
        """,
        }
    )
    assert [index.models[q].abstract for q in ("blog.models.A", "blog.models.B", "blog.models.C")] == [
        True,
        True,
        False,
    ]


def test_aliased_models_import():
    index = build(
        {
            "blog/models.py": """
            from django.db import models as m

            class Author(m.Model):
                name = m.CharField(max_length=10)

            class Post(m.Model):
                author = m.ForeignKey(Author, on_delete=m.CASCADE)
        """,
        }
    )
    assert set(index.models) == {"blog.models.Author", "blog.models.Post"}
    assert relations(index, "blog.models.Post") == {"author": ("fk", "blog.models.Author")}


def test_direct_import_of_model_and_field_classes():
    index = build(
        {
            "blog/models.py": """
            from django.db.models import CASCADE, CharField, ForeignKey, Model

            class Author(Model):
                name = CharField(max_length=10)

            class Post(Model):
                author = ForeignKey(Author, CASCADE)
        """,
        }
    )
    assert relations(index, "blog.models.Post") == {"author": ("fk", "blog.models.Author")}


def test_proxy_model():
    index = build(
        {
            "shop/models.py": SHOP
            + """

class Paperback(Book):
    class Meta:
        proxy = True
""",
        }
    )
    proxy = index.models["shop.models.Paperback"]
    assert proxy.proxy and not proxy.abstract
    assert field_names(index, "shop.models.Paperback") == ["title", "author"]
    assert relations(index, "shop.models.Paperback")["author"] == ("fk", "shop.models.Author")


def test_multi_table_inheritance_records_the_concrete_parent():
    index = build(
        {
            "shop/models.py": SHOP
            + """

class Ebook(Book):
    url = models.URLField()
""",
        }
    )
    ebook = index.models["shop.models.Ebook"]
    assert ebook.parents == ["shop.models.Book"]
    assert field_names(index, "shop.models.Ebook") == ["title", "author", "url"]
    assert relations(index, "shop.models.Ebook")["author"] == ("fk", "shop.models.Author")


def test_model_subclassing_django_abstract_user():
    index = build(
        {
            "accounts/models.py": """
            from django.contrib.auth.models import AbstractUser

            class User(AbstractUser):
                pass
        """,
        }
    )
    user = index.models["accounts.models.User"]
    assert user.has_str and user.bases_known


def test_base_from_an_unseen_package_is_flagged_unknown():
    index = build(
        {
            "shop/models.py": """
            from django.db import models
            from model_utils.models import TimeStampedModel

            class Event(TimeStampedModel, models.Model):
                pass
        """,
        }
    )
    assert index.models["shop.models.Event"].bases_known is False


def test_str_from_an_abstract_base_in_another_module():
    index = build(
        {
            "core/models.py": NAMED_BASE,
            "shop/models.py": """
            from core.models import Named

            class Publisher(Named):
                pass
        """,
        }
    )
    assert index.models["shop.models.Publisher"].has_str


def test_str_from_a_plain_project_mixin():
    index = build(
        {
            "core/mixins.py": """
            class StrMixin:
                def __str__(self):
                    return "x"
        """,
            "shop/models.py": """
            from django.db import models
            from core.mixins import StrMixin

            class Tag(StrMixin, models.Model):
                pass
        """,
        }
    )
    tag = index.models["shop.models.Tag"]
    assert tag.has_str and tag.bases_known


def test_meta_app_label_wins_over_the_module_path():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Book(models.Model):
                class Meta:
                    app_label = "library"
        """,
        }
    )
    assert index.models["shop.models.Book"].app_label == "library"
    assert index.model_for("library.Book", is_string=True) == "shop.models.Book"


# -- relation targets ------------------------------------------------------------------------
def test_string_reference_to_a_model_of_the_same_app():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Book(models.Model):
                author = models.ForeignKey("Author", on_delete=models.CASCADE)

            class Author(models.Model):
                pass
        """,
        }
    )
    assert relations(index, "shop.models.Book")["author"] == ("fk", "shop.models.Author")


def test_string_reference_to_another_app():
    index = build(
        {
            "blog/models.py": "from django.db import models\n\nclass Post(models.Model):\n    pass\n",
            "shop/models.py": """
            from django.db import models

            class Book(models.Model):
                post = models.ForeignKey("blog.Post", on_delete=models.CASCADE)
        """,
        }
    )
    assert relations(index, "shop.models.Book")["post"] == ("fk", "blog.models.Post")


def test_self_reference():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Category(models.Model):
                parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
        """,
        }
    )
    parent = index.models["shop.models.Category"].relations["parent"]
    assert (parent.kind, parent.target, parent.null) == ("fk", "shop.models.Category", True)


def test_to_keyword_reference():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Author(models.Model):
                pass

            class Book(models.Model):
                author = models.ForeignKey(to=Author, on_delete=models.CASCADE)
        """,
        }
    )
    assert relations(index, "shop.models.Book")["author"] == ("fk", "shop.models.Author")


AUTH_USER_FK = """
from django.conf import settings
from django.db import models

class Post(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""


def test_auth_user_model_from_the_settings_module():
    index = build(
        {
            "proj/settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
            "accounts/models.py": """
            from django.contrib.auth.models import AbstractUser

            class User(AbstractUser):
                pass
        """,
            "blog/models.py": AUTH_USER_FK,
        }
    )
    assert index.auth_user_model == "accounts.User"
    assert relations(index, "blog.models.Post")["owner"] == ("fk", "accounts.models.User")
    assert relations(index, "accounts.models.User")["post_set"] == ("reverse_fk", "blog.models.Post")


def test_auth_user_model_defaults_to_django_user():
    index = build({"blog/models.py": AUTH_USER_FK})
    assert index.auth_user_model == "auth.User"
    assert relations(index, "blog.models.Post")["owner"] == ("fk", "django.contrib.auth.models.User")


def test_get_user_model_alias_is_the_user_model():
    index = build(
        {
            "proj/settings.py": 'AUTH_USER_MODEL = "accounts.User"\n',
            "accounts/models.py": """
            from django.contrib.auth.models import AbstractUser

            class User(AbstractUser):
                pass
        """,
            "blog/models.py": """
            from django.contrib.auth import get_user_model
            from django.db import models

            User = get_user_model()

            class Profile(models.Model):
                user = models.OneToOneField(User, on_delete=models.CASCADE)
        """,
        }
    )
    assert relations(index, "blog.models.Profile")["user"] == ("o2o", "accounts.models.User")


def test_generic_foreign_key_is_a_relation_without_a_target():
    index = build(
        {
            "shop/models.py": """
            from django.contrib.contenttypes.fields import GenericForeignKey
            from django.db import models

            class Comment(models.Model):
                content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
                object_id = models.PositiveIntegerField()
                target = GenericForeignKey("content_type", "object_id")
        """,
        }
    )
    rels = relations(index, "shop.models.Comment")
    assert rels["target"] == ("gfk", None)
    assert rels["content_type"] == ("fk", "django.contrib.contenttypes.models.ContentType")


def test_fk_column_name_is_an_attname():
    index = build({"shop/models.py": SHOP})
    book = index.models["shop.models.Book"]
    assert book.attname("author_id")
    assert not book.attname("title_id")


# -- reverse accessors -----------------------------------------------------------------------
def test_default_reverse_accessor_is_model_set():
    index = build({"shop/models.py": SHOP})
    assert relations(index, "shop.models.Author") == {"book_set": ("reverse_fk", "shop.models.Book")}
    assert index.models["shop.models.Author"].relations["book_set"].field_name == "author"


def test_related_name_names_the_reverse_accessor():
    index = build(
        {"shop/models.py": SHOP.replace("on_delete=models.CASCADE)", 'on_delete=models.CASCADE, related_name="books")')}
    )
    assert relations(index, "shop.models.Author") == {"books": ("reverse_fk", "shop.models.Book")}


def test_related_name_plus_has_no_reverse_accessor():
    index = build(
        {"shop/models.py": SHOP.replace("on_delete=models.CASCADE)", 'on_delete=models.CASCADE, related_name="+")')}
    )
    assert relations(index, "shop.models.Author") == {}


def test_one_to_one_default_reverse_accessor_is_the_model_name():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Author(models.Model):
                pass

            class Profile(models.Model):
                author = models.OneToOneField(Author, on_delete=models.CASCADE)
        """,
        }
    )
    assert relations(index, "shop.models.Author") == {"profile": ("reverse_o2o", "shop.models.Profile")}


def test_many_to_many_reverse_accessor():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Tag(models.Model):
                pass

            class Book(models.Model):
                tags = models.ManyToManyField(Tag)
        """,
        }
    )
    assert relations(index, "shop.models.Tag") == {"book_set": ("reverse_m2m", "shop.models.Book")}
    assert index.models["shop.models.Book"].relations["tags"].many


def test_symmetrical_self_many_to_many_has_no_reverse_accessor():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class Person(models.Model):
                friends = models.ManyToManyField("self")
                follows = models.ManyToManyField("self", symmetrical=False)
        """,
        }
    )
    assert relations(index, "shop.models.Person") == {
        "friends": ("m2m", "shop.models.Person"),
        "follows": ("m2m", "shop.models.Person"),
        "person_set": ("reverse_m2m", "shop.models.Person"),
    }


def test_class_placeholder_on_an_abstract_base_is_filled_per_subclass():
    index = build(
        {
            "core/models.py": """
            from django.db import models

            class Tag(models.Model):
                pass

            class Tagged(models.Model):
                tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items")

                class Meta:
                    abstract = True
        """,
            "blog/models.py": """
            from core.models import Tagged

            class Post(Tagged):
                pass

            class Note(Tagged):
                pass
        """,
        }
    )
    assert relations(index, "core.models.Tag") == {
        "blog_post_items": ("reverse_fk", "blog.models.Post"),
        "blog_note_items": ("reverse_fk", "blog.models.Note"),
    }


def test_abstract_model_gives_no_reverse_accessor_of_its_own():
    index = build(
        {
            "core/models.py": """
            from django.db import models

            class Tag(models.Model):
                pass

            class Tagged(models.Model):
                tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

                class Meta:
                    abstract = True
        """,
        }
    )
    assert relations(index, "core.models.Tag") == {}


def test_reverse_accessor_across_files():
    index = build(
        {
            "shop/models.py": SHOP,
            "reviews/models.py": """
            from django.db import models
            from shop.models import Book

            class Review(models.Model):
                book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
        """,
        }
    )
    assert relations(index, "shop.models.Book")["reviews"] == ("reverse_fk", "reviews.models.Review")


# -- managers and querysets ------------------------------------------------------------------
MANAGED = """
from django.db import models
from django.db.models import Prefetch


class Author(models.Model):
    pass


class BookQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True).select_related("author")

    def with_reviews(self):
        return self.prefetch_related("reviews", Prefetch("tags", to_attr="tag_list"))

    def titles(self):
        return self.values_list("title", flat=True)

    def pick(self, deep):
        if deep:
            return self.select_related("author", "editor")
        return self.select_related("author")

    def by(self, name):
        return self.select_related(name)

    def chained(self):
        return self.published().order_by("title")

    def total(self):
        return 3


class BookManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("author")


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="edited")

    objects = BookQuerySet.as_manager()
    with_author = BookManager()
"""


def test_as_manager_maps_the_manager_to_its_queryset_class():
    index = build({"shop/models.py": MANAGED})
    assert index.models["shop.models.Book"].managers == {
        "objects": "shop.models.BookQuerySet",
        "with_author": "shop.models.BookManager",
    }
    assert index.class_kind("shop.models.BookQuerySet") == "queryset"
    assert index.class_kind("shop.models.BookManager") == "manager"


def test_queryset_method_reports_what_it_selects():
    index = build({"shop/models.py": MANAGED})
    book = index.models["shop.models.Book"]
    published = index.queryset_method(book, "objects", "published")
    assert (published.select, published.prefetch, published.values) == (("author",), (), False)


def test_queryset_method_records_prefetch_lookups_and_to_attr():
    index = build({"shop/models.py": MANAGED})
    chain = index.queryset_method(index.models["shop.models.Book"], "objects", "with_reviews")
    assert chain.prefetch == ("reviews", "tags->tag_list")


def test_queryset_method_returning_values_is_marked():
    index = build({"shop/models.py": MANAGED})
    assert index.queryset_method(index.models["shop.models.Book"], "objects", "titles").values


def test_branches_only_count_what_every_branch_selects():
    index = build({"shop/models.py": MANAGED})
    assert index.queryset_method(index.models["shop.models.Book"], "objects", "pick").select == ("author",)


def test_selection_that_cannot_be_read_is_opaque():
    index = build({"shop/models.py": MANAGED})
    assert index.queryset_method(index.models["shop.models.Book"], "objects", "by").opaque


def test_method_calling_another_method_records_the_call():
    index = build({"shop/models.py": MANAGED})
    assert index.queryset_method(index.models["shop.models.Book"], "objects", "chained").calls == ("published",)


def test_method_not_returning_a_queryset_is_none():
    index = build({"shop/models.py": MANAGED})
    book = index.models["shop.models.Book"]
    assert index.queryset_method(book, "objects", "total") is None
    assert index.queryset_method(book, "objects", "no_such_method") is None


def test_custom_manager_get_queryset_selection():
    index = build({"shop/models.py": MANAGED})
    book = index.models["shop.models.Book"]
    assert index.manager_base(book, "with_author").select == ("author",)
    assert index.manager_base(book, "objects") is None
    assert index.has_manager(book, "with_author") and index.has_manager(book, "objects")
    assert not index.has_manager(book, "nope")


def test_managers_are_inherited_from_an_abstract_base():
    index = build(
        {
            "shop/models.py": """
            from django.db import models

            class LiveQuerySet(models.QuerySet):
                def live(self):
                    return self.filter(live=True)

            class Base(models.Model):
                objects = LiveQuerySet.as_manager()

                class Meta:
                    abstract = True

            class Page(Base):
                pass
        """,
        }
    )
    page = index.models["shop.models.Page"]
    assert page.managers == {"objects": "shop.models.LiveQuerySet"}
    assert index.queryset_method(page, "objects", "live") is not None


# -- forms and serializers -------------------------------------------------------------------
FORMS = """
from django import forms
from rest_framework import serializers
from shop.models import Book


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"


class BaseForm(forms.ModelForm):
    pass


class ChildForm(BaseForm):
    class Meta:
        model = Book


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id"]


class ContactForm(forms.Form):
    class Meta:
        model = Book
"""


def test_model_form_is_detected_with_its_meta_model():
    index = build({"shop/models.py": SHOP, "shop/forms.py": FORMS})
    assert index.class_kind("shop.forms.BookForm") == "modelform"
    form = index.classes["shop.forms.BookForm"]
    assert index.model_for(form.meta_model) == "shop.models.Book"
    assert form.meta_fields_all


def test_subclass_of_a_project_model_form_is_a_model_form():
    index = build({"shop/models.py": SHOP, "shop/forms.py": FORMS})
    assert index.class_kind("shop.forms.ChildForm") == "modelform"


def test_model_serializer_is_detected_with_its_meta_model():
    index = build({"shop/models.py": SHOP, "shop/forms.py": FORMS})
    assert index.class_kind("shop.forms.BookSerializer") == "serializer"
    serializer = index.classes["shop.forms.BookSerializer"]
    assert index.model_for(serializer.meta_model) == "shop.models.Book"
    assert not serializer.meta_fields_all


def test_plain_form_is_not_a_model_form():
    index = build({"shop/models.py": SHOP, "shop/forms.py": FORMS})
    assert index.class_kind("shop.forms.ContactForm") is None


# -- re-exports ------------------------------------------------------------------------------
PACKAGE = {
    "blog/models/__init__.py": "from .post import Post\nfrom .author import *\n",
    "blog/models/author.py": """
        from django.db import models

        class Author(models.Model):
            pass
    """,
    "blog/models/post.py": """
        from django.db import models

        class Post(models.Model):
            author = models.ForeignKey("Author", on_delete=models.CASCADE)
    """,
    "blog/forms.py": """
        from django import forms
        from blog.models import Post

        class PostForm(forms.ModelForm):
            class Meta:
                model = Post
    """,
}


def test_models_package_reexport_resolves_to_the_defining_module():
    index = build(PACKAGE)
    assert index.resolve("blog.models.Post") == "blog.models.post.Post"
    assert index.model_for("blog.models.Post") == "blog.models.post.Post"
    assert index.model_for("blog.Post", is_string=True) == "blog.models.post.Post"


def test_models_package_modules_belong_to_the_app():
    index = build(PACKAGE)
    assert index.models["blog.models.post.Post"].app_label == "blog"
    assert index.models["blog.models.author.Author"].app_label == "blog"
    # "Author" inside blog/models/post.py is the blog app's Author
    assert relations(index, "blog.models.post.Post")["author"] == ("fk", "blog.models.author.Author")


def test_form_on_a_reexported_model():
    index = build(PACKAGE)
    form = index.classes["blog.forms.PostForm"]
    assert index.class_kind("blog.forms.PostForm") == "modelform"
    assert index.model_for(form.meta_model) == "blog.models.post.Post"


# -- from files on disk ----------------------------------------------------------------------
def test_module_names_from_files_on_disk(tmp_path):
    write_project(
        tmp_path,
        {
            "shop/models/__init__.py": "from .book import Book\n",
            "shop/models/book.py": "from django.db import models\n\nclass Book(models.Model):\n    pass\n",
            "manage.py": "",
        },
    )
    assert module_name(tmp_path / "shop" / "models" / "__init__.py") == "shop.models"
    assert module_name(tmp_path / "shop" / "models" / "book.py") == "shop.models.book"
    assert module_name(tmp_path / "manage.py") == "manage"


def test_a_folder_without_init_inside_a_package_is_a_namespace_package(tmp_path):
    # plane's `plane/authentication/views/app/check.py`: `views/` is a package, `app/` has no
    # `__init__.py`, and `from .app.check import EmailCheckEndpoint` imports it. A top folder
    # without `__init__.py` (a project root) is still not part of the name
    # django-arctic ships a project template inside its package: above the folder holding
    # manage.py, the namespace folder is not part of the project's names
    files = (
        "plane/__init__.py",
        "plane/views/__init__.py",
        "plane/views/app/check.py",
        "scripts/tool.py",
        "arctic/__init__.py",
        "arctic/template/start/__init__.py",
        "arctic/template/start/manage.py",
        "arctic/template/start/config/__init__.py",
        "arctic/template/start/config/settings.py",
    )
    for rel in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    assert module_name(tmp_path / "plane" / "views" / "app" / "check.py") == "plane.views.app.check"
    assert module_name(tmp_path / "scripts" / "tool.py") == "tool"
    settings = tmp_path / "arctic" / "template" / "start" / "config" / "settings.py"
    assert module_name(settings) == "start.config.settings"


def test_an_import_through_namespace_packages_above_the_top_package_resolves(tmp_path):
    # zentral: `zentral/` and `zentral/contrib/` have no `__init__.py` (PEP 420), so
    # `zentral/contrib/inventory/models.py` is indexed as `inventory.models`, while the code
    # imports it as `zentral.contrib.inventory.models`: its classes are still found
    files = {
        "zen/contrib/core/__init__.py": "",
        "zen/contrib/core/models.py": (
            "from django.db import models\n\n\n"
            "class Stamped(models.Model):\n"
            "    created = models.DateTimeField()\n\n"
            "    class Meta:\n"
            "        abstract = True\n"
        ),
        "zen/contrib/inventory/__init__.py": "",
        "zen/contrib/inventory/models.py": (
            "from django.db import models\n\n"
            "from zen.contrib.core.models import Stamped\n\n\n"
            "class Machine(Stamped):\n"
            "    name = models.CharField(max_length=9)\n"
        ),
    }
    facts = []
    for rel, source in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for rel, source in files.items():
        path = tmp_path / rel
        facts.append(extract(ast.parse(source), f"{tmp_path.name}/{rel}", module_name(path), source))
    index = ProjectIndex(facts)
    assert module_name(tmp_path / "zen/contrib/inventory/models.py") == "inventory.models"
    assert index.resolve("zen.contrib.core.models.Stamped") == "core.models.Stamped"
    assert {f.name for f in index.models["inventory.models.Machine"].fields} == {"created", "name"}
    assert index.resolve("other.contrib.core.models.Stamped") == "other.contrib.core.models.Stamped"


def test_index_from_files_on_disk(tmp_path):
    write_project(tmp_path, {"shop/models.py": SHOP, "shop/forms.py": FORMS})
    facts = []
    for path in sorted(tmp_path.rglob("*.py")):
        tree = ast.parse(path.read_text())
        facts.append(extract(tree, str(path.relative_to(tmp_path)), module_name(path)))
    index = ProjectIndex(facts)
    assert set(index.models) == {"shop.models.Author", "shop.models.Book"}
    assert index.class_kind("shop.forms.BookForm") == "modelform"


def test_inherited_self_relation_points_at_the_declaring_model():
    index = build({"blog/models.py": BLOG_INHERITANCE})
    assert index.models["blog.models.Featured"].relations["parent"].target == "blog.models.Post"
    assert index.models["blog.models.PostProxy"].relations["parent"].target == "blog.models.Post"
    post = index.models["blog.models.Post"]
    assert {n for n, r in post.relations.items() if r.kind.startswith("reverse_")} == {
        "children",
        "comments",
        "featured",
    }
    assert index.models["blog.models.Featured"].relations["post_ptr"].kind == "o2o"


def test_an_annotated_meta_attribute_counts():
    # django-polymorphic: `abstract: ClassVar[bool] = True`
    base = "from typing import ClassVar\nfrom django.db import models\n\n\nclass Poly(models.Model):\n"
    base += "    class Meta:\n        abstract: ClassVar[bool] = True\n"
    models = "from django.db import models\nfrom poly.models import Poly\n\n\nclass File(Poly):\n"
    models += "    file = models.FileField()\n"
    index = build({"poly/models.py": base, "shop/models.py": models})
    assert index.models["poly.models.Poly"].abstract
    assert index.models["shop.models.File"].parents == []
    assert "file" not in index.models["shop.models.File"].relations  # no reverse one-to-one from a parent


DRF_VIEWS = """
from rest_framework import generics, viewsets
from rest_framework.views import APIView
from django.views import View


class Ping(APIView):
    pass


class BaseList(generics.ListAPIView):
    pass


class BookList(BaseList):
    pass


class Books(viewsets.ModelViewSet):
    pass


class Page(View):
    pass
"""


def test_drf_views_are_a_kind_through_their_bases_and_django_views_are_not():
    index = build({"shop/api.py": DRF_VIEWS})
    kinds = {name: index.class_kind(f"shop.api.{name}") for name in ("Ping", "BaseList", "BookList", "Books", "Page")}
    assert kinds == {
        "Ping": "drf-view",
        "BaseList": "drf-view",
        "BookList": "drf-view",
        "Books": "drf-view",
        "Page": None,
    }
