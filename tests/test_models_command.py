"""`djreview models` shows what the index understood; a class whose bases cannot be followed
but whose body says "model" is an assumed model; a run's summary says how many models it saw
and how many classes it could not resolve, so silence is never a clean bill."""

from __future__ import annotations

import json

from tests.helpers import djreview, index_of, write_project

MODELS = """
from django.db import models
from django_lifecycle import LifecycleModel
from mptt.fields import TreeForeignKey


class Base(LifecycleModel):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Book(Base):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    class Meta:
        ordering = ["title"]


class Node(LifecycleModel):
    parent = TreeForeignKey("self", null=True, on_delete=models.CASCADE)
    objects = models.Manager()


class Loose(LifecycleModel):
    name = models.CharField(max_length=10)


class Shelf(models.Model):
    owner = models.ForeignKey(Author, on_delete=models.CASCADE)

    def __str__(self):
        return str(self.owner)
"""


def line_of(text: str) -> int:
    return MODELS.splitlines().index(text) + 1


NOT_MODELS = """
from django import forms
from django_filters import FilterSet, CharFilter
from rest_framework import serializers
from import_export import fields, resources
from i18n.rest_framework import I18nAwareSerializer
from shop.serializer_fields import PluginsField


class SearchForm(forms.Form):
    name = forms.CharField()

    class Meta:
        model = None


class BookSerializer(I18nAwareSerializer):
    title = serializers.CharField()
    plugins = PluginsField()

    class Meta:
        fields = ["title"]


class BookFilter(FilterSet):
    title = CharFilter()

    class Meta:
        fields = ["title"]


class BookResource(resources.ModelResource):
    title = fields.Field(attribute="title")

    class Meta:
        fields = ["title"]
"""

SERIALIZER_FIELDS = """
from rest_framework import serializers


class PluginsField(serializers.Field):
    pass
"""


def test_a_class_with_model_fields_and_a_meta_or_manager_is_assumed():
    index = index_of({"shop/models.py": MODELS})
    kinds = {q.rsplit(".", 1)[1]: ("assumed" if m.assumed else "model") for q, m in index.models.items()}
    # Book is a model through an assumed base; Loose has a model field but neither a Meta
    # nor a manager: not enough to assume
    assert kinds == {"Base": "assumed", "Author": "model", "Book": "assumed", "Node": "assumed", "Shelf": "model"}
    assert index.models["shop.models.Book"].relations["author"].target == "shop.models.Author"
    assert index.unresolved_classes() == {
        "shop.models.Base": ["django_lifecycle.LifecycleModel"],
        "shop.models.Book": ["django_lifecycle.LifecycleModel"],
        "shop.models.Node": ["django_lifecycle.LifecycleModel"],
        "shop.models.Loose": ["django_lifecycle.LifecycleModel"],
    }


def test_forms_serializers_filtersets_and_resources_are_never_assumed():
    index = index_of(
        {"shop/models.py": MODELS, "shop/forms.py": NOT_MODELS, "shop/serializer_fields.py": SERIALIZER_FIELDS}
    )
    assert not [q for q in index.models if q.startswith("shop.forms.")]
    assert not [q for q in index.unresolved_classes() if q.startswith("shop.forms.")]


def test_a_dynamic_base_is_named_as_such():
    source = MODELS + "\n\nclass Odd(with_metaclass(Meta, models.Model)):\n    x = models.IntegerField()\n\n"
    source += "    class Meta:\n        pass\n"
    index = index_of({"shop/models.py": source})
    assert index.models["shop.models.Odd"].assumed
    assert index.unresolved_classes()["shop.models.Odd"] == ["<dynamic>"]


def test_a_fix_on_an_assumed_model_is_unsafe(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    result = djreview("--format", "json", "--select", "DJR201", "--no-cache", ".", cwd=tmp_path)
    found = {f["message"].split(":")[0]: f["fix"]["applicability"] for f in json.loads(result.stdout)["findings"]}
    assert found == {"Book.author": "unsafe", "Shelf.owner": "safe"}
    hint = next(f["hint"] for f in json.loads(result.stdout)["findings"] if f["message"].startswith("Book."))
    assert "djreview assumed Book to be a model" in hint


def test_models_command_lists_models_by_app_then_the_unresolved(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS, "blog/models.py": "from django.db import models\n\n"
                             "class Post(models.Model):\n    title = models.CharField(max_length=9)\n"})  # fmt: skip
    result = djreview("models", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "blog"
    assert lines[1].split() == ["Post", "concrete", "1", "fields,", "0", "relations", "blog/models.py:3"]
    assert lines[2] == "shop"
    assert [line.split()[:2] for line in lines[3:8]] == [
        ["Author", "concrete"], ["Base", "assumed"], ["Book", "assumed"], ["Node", "assumed"], ["Shelf", "concrete"]
    ]  # fmt: skip
    assert "base django_lifecycle.LifecycleModel: not found in the project or its Python environment" in result.stdout
    assert lines[-1] == "6 model(s); 4 class(es) with unresolved bases: listed above."


def test_models_command_json(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    data = json.loads(djreview("models", "--format", "json", "--no-cache", ".", cwd=tmp_path).stdout)
    book = next(m for m in data["models"] if m["name"] == "Book")
    assert book == {
        "app": "shop",
        "name": "Book",
        "qualname": "shop.models.Book",
        "path": "shop/models.py",
        "line": line_of("class Book(Base):"),
        "kind": "assumed",
        "fields": 3,
        "relations": 1,
        "reverse_relations": 0,
        "managers": [],
    }
    assert {"qualname": "shop.models.Loose", "path": "shop/models.py", "line": line_of("class Loose(LifecycleModel):"),
            "base": "django_lifecycle.LifecycleModel", "reason": "not found in the project or its Python environment"} in data["unresolved"]  # fmt: skip


def test_models_command_on_a_missing_path_is_one_line(tmp_path):
    result = djreview("models", "nowhere", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr == "djreview: error: no such file or directory: nowhere\n"


def test_a_run_says_how_many_models_it_saw_and_how_many_classes_it_could_not_resolve(tmp_path):
    write_project(tmp_path, {"shop/models.py": MODELS})
    for _ in range(2):  # cold, then warm (the counts then come from the cache)
        lines = djreview(".", cwd=tmp_path).stdout.splitlines()
        assert "5 model(s); 4 class(es) with unresolved bases: `djreview models` lists them." in lines
