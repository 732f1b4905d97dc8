"""DJR202 missing-str: a concrete model that neither defines nor inherits ``__str__``."""

from __future__ import annotations

import textwrap

from tests.helpers import NAMED_BASE, codes_lines, fixed

PATH = "shop/models.py"


def missing_str(review, files: dict[str, str]):
    return review(files, select=("DJR202",))


def test_concrete_model_without_str_is_reported_at_the_class_line(review):
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
"""
    findings = missing_str(review, {PATH: source})
    assert codes_lines(findings) == [("DJR202", PATH, 5)]
    assert findings[0].column == 1
    assert findings[0].text == (
        'Model Book has no __str__, so the admin, the shell and logs show it as "Book object (1)". '
        "Add a __str__ that returns self.title."
    )


def test_decorated_model_is_reported_at_the_class_line(review):
    source = """
from django.db import models


def register(cls):
    return cls


@register
class Book(models.Model):
    title = models.CharField(max_length=200)
"""
    findings = missing_str(review, {PATH: source})
    assert codes_lines(findings) == [("DJR202", PATH, 10)]  # the `class` line, not the decorator


def test_model_defining_str_is_clean(review):
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title
"""
    assert missing_str(review, {PATH: source}) == []


def test_str_inherited_from_an_abstract_base_in_another_file_is_clean(review):
    source = """
from django.db import models
from core.models import Named


class Publisher(Named):
    city = models.CharField(max_length=100)
"""
    assert missing_str(review, {"core/models.py": NAMED_BASE, PATH: source}) == []


def test_str_from_a_plain_mixin_is_clean(review):
    mixin = """
class StrMixin:
    def __str__(self):
        return self.name
"""
    source = """
from django.db import models
from core.mixins import StrMixin


class Publisher(StrMixin, models.Model):
    name = models.CharField(max_length=100)
"""
    assert missing_str(review, {"core/mixins.py": mixin, PATH: source}) == []


def test_abstract_model_is_clean(review):
    source = """
from django.db import models


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
"""
    assert missing_str(review, {PATH: source}) == []


def test_concrete_child_of_an_abstract_base_without_str_is_reported(review):
    source = """
from django.db import models


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Event(TimeStamped):
    title = models.CharField(max_length=100)
"""
    assert codes_lines(missing_str(review, {PATH: source})) == [("DJR202", PATH, 12)]


def test_proxy_model_is_clean(review):
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title


class Paperback(Book):
    class Meta:
        proxy = True
"""
    assert missing_str(review, {PATH: source}) == []


def test_multi_table_child_is_not_reported_only_its_parent(review):
    # The child shows its parent's __str__: adding one to the parent fixes both.
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)


class Ebook(Book):
    url = models.URLField()
"""
    assert codes_lines(missing_str(review, {PATH: source})) == [("DJR202", PATH, 5)]


def test_abstract_user_subclass_is_clean(review):
    source = """
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
"""
    assert missing_str(review, {"accounts/models.py": source}) == []


def test_base_class_from_a_third_party_package_is_clean(review):
    source = """
from django.db import models
from model_utils.models import TimeStampedModel


class Event(TimeStampedModel):
    title = models.CharField(max_length=100)


class Meeting(TimeStampedModel, models.Model):
    title = models.CharField(max_length=100)
"""
    assert missing_str(review, {PATH: source}) == []


def test_non_model_class_is_clean(review):
    source = """
class Book:
    title = "x"
"""
    assert missing_str(review, {PATH: source}) == []


def test_model_in_a_migration_is_not_reported(review):
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
"""
    assert missing_str(review, {"shop/migrations/0001_initial.py": source}) == []


def test_model_in_a_models_package_is_reported(review):
    source = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
"""
    findings = missing_str(
        review,
        {
            "shop/models/__init__.py": "from .book import Book\n",
            "shop/models/book.py": source,
        },
    )
    assert codes_lines(findings) == [("DJR202", "shop/models/book.py", 5)]


# -- the fix ---------------------------------------------------------------------------------
def test_fix_adds_str_after_meta_returning_the_descriptive_field(review):
    source = """
from django.db import models


class Book(models.Model):
    isbn = models.CharField(max_length=13)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    def get_absolute_url(self):
        return "/"
"""
    findings = missing_str(review, {PATH: source})
    assert findings[0].fix.applicability == "safe"
    assert findings[0].fix.description == "add Book.__str__ returning self.title"
    assert fixed(source, findings) == textwrap.dedent("""
from django.db import models


class Book(models.Model):
    isbn = models.CharField(max_length=13)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return "/"
""")


def test_fix_without_meta_goes_after_the_fields(review):
    source = """
from django.db import models


class Tag(models.Model):
    label = models.CharField(max_length=50)

    def colour(self):
        return "red"
"""
    findings = missing_str(review, {PATH: source})
    assert fixed(source, findings) == textwrap.dedent("""
from django.db import models


class Tag(models.Model):
    label = models.CharField(max_length=50)

    def __str__(self):
        return self.label

    def colour(self):
        return "red"
""")


def test_fix_prefers_name_over_other_text_fields(review):
    source = """
from django.db import models


class Shop(models.Model):
    slug = models.SlugField()
    name = models.CharField(max_length=50)
"""
    assert "return self.name" in fixed(source, missing_str(review, {PATH: source}))


def test_fix_skips_nullable_text_fields(review):
    source = """
from django.db import models


class Shop(models.Model):
    name = models.CharField(max_length=50, null=True)
    slug = models.SlugField()
"""
    assert "return self.slug" in fixed(source, missing_str(review, {PATH: source}))


def test_fix_uses_an_inherited_descriptive_field(review):
    source = """
from django.db import models


class Named(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        abstract = True


class Shop(Named):
    city = models.CharField(max_length=50)
"""
    findings = missing_str(review, {PATH: source})
    assert codes_lines(findings) == [("DJR202", PATH, 12)]
    assert findings[0].text.endswith("Add a __str__ that returns self.name.")


def test_fix_without_a_text_field_is_a_suggestion_with_the_pk(review):
    source = """
from django.db import models


class Counter(models.Model):
    value = models.IntegerField()
"""
    findings = missing_str(review, {PATH: source})
    assert findings[0].fix.applicability == "suggestion"
    assert fixed(source, findings) == textwrap.dedent("""
from django.db import models


class Counter(models.Model):
    value = models.IntegerField()

    def __str__(self):
        return f"Counter {self.pk}"
""")


def test_model_without_fields_is_not_reported(review):
    assert (
        missing_str(
            review,
            {
                PATH: """
        from django.db import models

        class Reports(models.Model):
            class Meta:
                managed = False
                default_permissions = ()
                permissions = [("view_reports", "Can view reports")]
    """
            },
        )
        == []
    )


def test_models_in_test_modules_are_skipped_unless_asked(review):
    files = {
        "shop/tests/models.py": """
        from django.db import models

        class Fixture(models.Model):
            name = models.CharField(max_length=10)
    """
    }
    assert review(files) == []
    assert [f.code for f in review(files, include_tests=True)] == ["DJR202"]
