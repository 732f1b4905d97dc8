"""DJR203 null-string-field: null=True on a model's string field (Ruff DJ001, flake8-django DJ01)."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/models.py"


def null_strings(review, source: str, **extra: str):
    return review({PATH: source, **extra}, select=("DJR203",))


def test_reports_a_nullable_charfield_at_the_field_call(review):
    source = """
from django.db import models


class Book(models.Model):
    subtitle = models.CharField(max_length=100, null=True, blank=True)
"""
    findings = null_strings(review, source)
    assert codes_lines(findings) == [("DJR203", PATH, 6)]
    assert findings[0].column == 16
    assert findings[0].text == (
        'Book.subtitle: CharField with null=True has two values for "no data", NULL and "", so code and queries '
        'must test both (subtitle__isnull=True misses the empty strings). Remove null=True and store "" for no '
        "data (keep blank=True for forms); the migration needs a default for existing NULL rows, so set them to "
        '"" first.'
    )
    assert findings[0].fix.applicability == "unsafe"  # a migration, and existing NULL rows
    assert fixed(source, findings).endswith("    subtitle = models.CharField(max_length=100, blank=True)\n")


def test_every_string_field_kind_and_the_fix_keeps_the_layout(review):
    source = """
from django.db import models
from django.db.models import TextField


class Book(models.Model):
    body = TextField(null=True)
    slug = models.SlugField(
        max_length=20,
        null=True,
        blank=True,
    )
    email = models.EmailField(
        blank=True,
        null=True
    )
    url = models.URLField(null=True, max_length=300)
    path = models.FilePathField(path="/tmp", null=True)
"""
    findings = null_strings(review, source)
    assert [line for _, _, line in codes_lines(findings)] == [7, 8, 13, 17, 18]
    assert (
        fixed(source, findings).split("class Book(models.Model):\n")[1]
        == """    body = TextField()
    slug = models.SlugField(
        max_length=20,
        blank=True,
    )
    email = models.EmailField(
        blank=True
    )
    url = models.URLField(max_length=300)
    path = models.FilePathField(path="/tmp")
"""
    )


def test_a_project_subclass_of_a_string_field_and_an_abstract_base_model_are_reported(review):
    fields = """
from django.db import models


class CodeField(models.CharField):
    pass
"""
    source = """
from django.db import models

from shop.fields import CodeField


class Coded(models.Model):
    code = CodeField(max_length=5, null=True)

    class Meta:
        abstract = True
"""
    findings = null_strings(review, source, **{"shop/fields.py": fields})
    assert codes_lines(findings) == [("DJR203", PATH, 8)]
    assert findings[0].text.startswith("Coded.code: CodeField (a CharField) with null=True")


def test_not_reported_with_unique_and_blank_or_on_other_fields_or_outside_models(review):
    source = """
from django.db import models
from django import forms


class Book(models.Model):
    isbn = models.CharField(max_length=13, null=True, unique=True, blank=True)
    pages = models.IntegerField(null=True)
    title = models.CharField(max_length=100, null=False)
    author = models.ForeignKey("shop.Author", null=True, on_delete=models.SET_NULL)


class Author(models.Model):
    name = models.CharField(max_length=100)


class SearchForm(forms.Form):
    q = forms.CharField(required=False)


class Plain:
    title = models.CharField(max_length=100, null=True)


def build():
    return models.CharField(max_length=100, null=True)
"""
    assert null_strings(review, source) == []


def test_unique_alone_or_blank_alone_does_not_excuse_it(review):
    source = """
from django.db import models


class Book(models.Model):
    isbn = models.CharField(max_length=13, null=True, unique=True)
    note = models.CharField(max_length=13, null=True, blank=True)
"""
    assert [line for _, _, line in codes_lines(null_strings(review, source))] == [6, 7]


def test_a_field_bound_to_two_names_is_reported_once(review):
    source = """
from django.db import models


class Step(models.Model):
    default = lookup = models.TextField(blank=True, null=True)
"""
    findings = null_strings(review, source)
    assert codes_lines(findings) == [("DJR203", PATH, 6)]
    assert findings[0].text.startswith("Step.lookup: TextField with null=True")
