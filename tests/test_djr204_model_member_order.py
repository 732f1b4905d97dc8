"""DJR204 model-member-order: model members out of Django's style order (Ruff DJ012, flake8-django DJ12)."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/models.py"
HEAD = """from django.db import models
from django.urls import reverse

"""


def members(review, source: str, extra: dict[str, str] | None = None):
    return review({PATH: HEAD + source, **(extra or {})}, select=("DJR204",))


def test_reports_the_first_field_when_meta_opens_the_class(review):
    source = """
class Review(models.Model):
    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.title

    title = models.CharField(max_length=200)
    body = models.TextField()
"""
    findings = members(review, source)
    assert codes_lines(findings) == [("DJR204", PATH, 12)]
    assert findings[0].text == (
        "Review: field title comes after class Meta; Django's style orders a model's fields, managers, "
        "class Meta, __str__, save(), get_absolute_url(), then other methods. Move it above class Meta."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(HEAD + source, findings).endswith("""
class Review(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return self.title
""")


def test_a_run_of_one_category_is_reported_once_and_each_later_run_again(review):
    source = """
class Book(models.Model):
    def get_absolute_url(self):
        return reverse("book", args=[self.pk])

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13)

    def __str__(self):
        return self.title
"""
    findings = members(review, source)
    assert codes_lines(findings) == [("DJR204", PATH, 9), ("DJR204", PATH, 12), ("DJR204", PATH, 15)]
    assert fixed(HEAD + source, findings).endswith("""
class Book(models.Model):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13)

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("book", args=[self.pk])
""")


def test_a_decorated_method_is_reported_at_its_first_decorator_and_moves_with_its_comments(review):
    source = """
class Book(models.Model):
    title = models.CharField(max_length=200)

    # the shelf label
    @property
    def label(self):
        return self.title.upper()

    class Meta:
        ordering = ["title"]
"""
    findings = members(review, source)
    assert codes_lines(findings) == [("DJR204", PATH, 13)]
    assert "class Meta comes after the custom method" in findings[0].text
    assert fixed(HEAD + source, findings).endswith("""
class Book(models.Model):
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    # the shelf label
    @property
    def label(self):
        return self.title.upper()
""")
    decorated = """
class Book(models.Model):
    def __str__(self):
        return self.title

    @property
    def label(self):
        return self.title.upper()

    title = models.CharField(max_length=200)
"""
    assert codes_lines(members(review, decorated)) == [("DJR204", PATH, 13)]
    save_first = decorated.replace("    @property\n    def label", "    @staticmethod\n    def save")
    assert codes_lines(members(review, save_first.replace("def __str__", "def label"))) == [
        ("DJR204", PATH, 9),
        ("DJR204", PATH, 13),
    ]


def test_managers_known_from_the_index_and_models_through_project_bases(review):
    base = """from django.db import models


class Stamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class PublishedManager(models.Manager):
    pass
"""
    source = """from shop.base import PublishedManager, Stamped


class Book(Stamped):
    published = PublishedManager()
    title = models.CharField(max_length=200)
    tags: list = models.JSONField(default=list)
"""
    findings = members(review, source, {"shop/base.py": base})
    assert codes_lines(findings) == [("DJR204", PATH, 9)]
    assert "field title comes after the manager" in findings[0].text
    in_order = source.replace("    published = PublishedManager()\n", "") + "    published = PublishedManager()\n"
    assert members(review, in_order, {"shop/base.py": base}) == []


def test_a_django_manager_is_a_manager_not_a_field(review):
    source = """
class Book(models.Model):
    objects = models.Manager()
    title = models.CharField(max_length=200)
"""
    assert codes_lines(members(review, source)) == [("DJR204", PATH, 7)]


def test_not_reported_in_order_with_constants_choices_and_dunders(review):
    source = '''
class Book(models.Model):
    """A book."""

    STATUSES = [("d", "draft"), ("p", "published")]

    class Status(models.TextChoices):
        DRAFT = "d"

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=1, choices=STATUSES)
    objects = models.Manager()
    default_manager_name = "objects"

    class Meta:
        ordering = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("book", args=[self.pk])

    def publish(self):
        pass
'''
    assert members(review, source) == []


def test_not_reported_on_classes_that_are_not_models(review):
    source = """
from django import forms


class BookForm(forms.Form):
    class Meta:
        fields = ["title"]

    title = forms.CharField()


class Plain:
    def __str__(self):
        return ""

    title = models.CharField(max_length=200)
"""
    assert members(review, source) == []


def test_only_a_suggestion_when_a_member_would_move_above_a_name_it_uses(review):
    source = """
class Book(models.Model):
    STATUSES = [("d", "draft")]

    def __str__(self):
        return self.title

    status = models.CharField(max_length=1, choices=STATUSES)
"""
    findings = members(review, source)
    assert codes_lines(findings) == [("DJR204", PATH, 11)]
    assert findings[0].fix.applicability == "suggestion"
    assert findings[0].fix.edits == ()
    glued = source.replace('    STATUSES = [("d", "draft")]\n\n', "").replace(
        "    status =", '    STATUSES = [("d", "draft")]\n    status ='
    )
    assert fixed(HEAD + glued, members(review, glued)).endswith("""
class Book(models.Model):
    STATUSES = [("d", "draft")]
    status = models.CharField(max_length=1, choices=STATUSES)

    def __str__(self):
        return self.title
""")


def test_taggit_managers_are_fields(review):
    source = """from taggit.managers import TaggableManager


class Book(models.Model):
    tags = TaggableManager(blank=True)
    title = models.CharField(max_length=200)
"""
    assert members(review, source) == []


def test_a_comment_opening_the_class_keeps_the_fix_when_its_member_stays_first(review):
    source = """
class Book(models.Model):
    # the title shown everywhere
    title = models.CharField(max_length=200)

    def label(self):
        return self.title

    def __str__(self):
        return self.title
"""
    findings = members(review, source)
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(HEAD + source, findings).endswith("""
    # the title shown everywhere
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title

    def label(self):
        return self.title
""")
    moved = source.replace("    # the title shown everywhere\n    title = models.CharField(max_length=200)\n\n", "")
    moved = moved.replace("class Book(models.Model):\n", "class Book(models.Model):\n    # opens\n") + "    n = 1\n"
    assert members(review, moved)[0].fix.applicability == "suggestion"
