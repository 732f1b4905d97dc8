"""Models reached through the ways real projects load them: AppConfig labels, swappable model
settings, Django's apps.get_model()/get_user_model() and django-oscar's get_model(),
get_class() and get_classes()."""

from __future__ import annotations

from tests.helpers import index_of

SHOP = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey("store.Author", on_delete=models.CASCADE)
"""

STORE_CONFIG = """
from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "project.shop"
    label = "store"
"""


def test_the_app_label_comes_from_the_apps_appconfig():
    index = index_of({"project/shop/apps.py": STORE_CONFIG, "project/shop/models.py": SHOP})
    assert index.models["project.shop.models.Book"].app_label == "store"
    assert index.models["project.shop.models.Book"].relations["author"].target == "project.shop.models.Author"
    assert index.model_for("store.Book", is_string=True) == "project.shop.models.Book"


def test_an_appconfig_through_a_project_base_and_without_a_label():
    configs = """
from django.apps import AppConfig


class BaseConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"


class ShopConfig(BaseConfig):
    name = "project.shop"
"""
    index = index_of({"project/core/apps.py": configs, "project/shop/models.py": SHOP})
    assert index.models["project.shop.models.Book"].app_label == "shop"


def test_a_class_with_a_name_that_is_not_an_appconfig_sets_no_label():
    form = 'from django import forms\n\n\nclass Search(forms.Form):\n    name = "project.shop"\n    label = "store"\n'
    index = index_of({"project/shop/forms.py": form, "project/shop/models.py": SHOP})
    assert index.models["project.shop.models.Book"].app_label == "shop"


def test_a_swappable_model_setting_resolves_to_its_model():
    settings = 'SHOP_AUTHOR_MODEL = "store.Author"\nAUTH_USER_MODEL = "store.Author"\n'
    models = SHOP.replace('"store.Author"', "settings.SHOP_AUTHOR_MODEL").replace(
        "from django.db import models", "from django.conf import settings\nfrom django.db import models"
    )
    index = index_of(
        {"project/settings.py": settings, "project/shop/apps.py": STORE_CONFIG, "project/shop/models.py": models}
    )
    assert index.models["project.shop.models.Book"].relations["author"].target == "project.shop.models.Author"
    assert index.model_for("django.conf.settings.AUTH_USER_MODEL") == "project.shop.models.Author"
    assert index.model_for("django.conf.settings.UNKNOWN_MODEL") is None


def test_djangos_and_oscars_loaders():
    views = """
from django.apps import apps
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_classes, get_model
from swapper import load_model

Book = apps.get_model("store", "Book")
Swappable = load_model("store", "Book")  # openwisp: the swappable model's default
Writer = apps.get_model("store.Author")
User = get_user_model()
Order = get_model("order", "Order")
Line = get_class("order.models", "Line")
OrderCreator, Partner = get_classes("order.models", ["Order", "Partner"])
Nothing = get_class("order.models", some_name)
"""
    order = "from django.db import models\n\n\nclass Order(models.Model):\n    pass\n\n\nclass Line(models.Model):\n    pass\n"
    index = index_of(
        {
            "project/shop/apps.py": STORE_CONFIG,
            "project/shop/models.py": SHOP,
            "oscar/apps/order/models.py": order,
            "project/shop/views.py": views,
        }
    )

    def model(name: str) -> str | None:
        return index.model_for(f"project.shop.views.{name}")

    assert model("Book") == "project.shop.models.Book"
    assert model("Swappable") == "project.shop.models.Book"
    assert model("Writer") == "project.shop.models.Author"
    assert model("User") == "django.contrib.auth.models.User"
    assert model("Order") == "oscar.apps.order.models.Order"
    assert model("Line") == "oscar.apps.order.models.Line"
    assert model("OrderCreator") == "oscar.apps.order.models.Order"
    assert model("Partner") is None  # not a model the index has seen
    assert model("Nothing") is None


def test_a_project_field_class_built_on_a_foreign_key_is_a_relation(review):
    # dj-stripe's StripeForeignKey(models.ForeignKey): its rows' owners load one per row
    fields = """
from django.db import models


class OwnerKey(models.ForeignKey):
    def __init__(self, *args, **kwargs):
        kwargs["to_field"] = "id"
        super().__init__(*args, **kwargs)
"""
    models = """
from django.db import models

from shop.fields import OwnerKey


class Account(models.Model):
    name = models.CharField(max_length=10)

    def __str__(self):
        return self.name


class Key(models.Model):
    owner = OwnerKey(Account, on_delete=models.CASCADE, related_name="keys")

    def __str__(self):
        return str(self.pk)
"""
    views = "from shop.models import Key\n\n\ndef owners():\n    return [k.owner.name for k in Key.objects.all()]\n"
    files = {"shop/fields.py": fields, "shop/models.py": models, "shop/views.py": views}
    findings = review(files, select=("DJR101",))
    assert [(f.code, f.path, f.line) for f in findings] == [("DJR101", "shop/views.py", 5)]
