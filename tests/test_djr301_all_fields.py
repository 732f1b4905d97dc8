"""DJR301 all-fields: ``fields = "__all__"`` on a ModelForm, a ModelSerializer or modelform_factory."""

from __future__ import annotations

import textwrap

from tests.helpers import AUTHOR_MODULE, codes_lines, fixed

MODELS = (
    AUTHOR_MODULE
    + """

class Tag(models.Model):
    label = models.CharField(max_length=50)

    def __str__(self):
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, related_name="books")

    def __str__(self):
        return self.title
"""
)

FORMS = "shop/forms.py"
SERIALIZERS = "shop/serializers.py"


def all_fields(review, files: dict[str, str]):
    return review({"shop/models.py": MODELS, **files}, select=("DJR301",))


MODEL_FORM = """
from django import forms
from shop.models import Book


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"
"""

MODEL_SERIALIZER = """
from rest_framework import serializers
from shop.models import Book


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = "__all__"
"""


def test_model_form_meta_is_reported_at_the_assignment(review):
    findings = all_fields(review, {FORMS: MODEL_FORM})
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]
    assert findings[0].column == 9  # `fields`
    assert findings[0].text == (
        'BookForm.Meta uses fields = "__all__" for Book: every field added to Book later becomes '
        'writable through the form without review. List the fields explicitly: ["title", "author", "tags"].'
    )


def test_model_serializer_meta_is_reported(review):
    findings = all_fields(review, {SERIALIZERS: MODEL_SERIALIZER})
    assert codes_lines(findings) == [("DJR301", SERIALIZERS, 9)]
    assert "readable and writable through the API" in findings[0].text


def test_hyperlinked_model_serializer_is_reported(review):
    source = MODEL_SERIALIZER.replace("serializers.ModelSerializer", "serializers.HyperlinkedModelSerializer")
    assert codes_lines(all_fields(review, {SERIALIZERS: source})) == [("DJR301", SERIALIZERS, 9)]


def test_subclass_of_a_project_model_form_is_reported(review):
    source = """
from django import forms
from shop.models import Book


class BaseForm(forms.ModelForm):
    pass


class BookForm(BaseForm):
    class Meta:
        model = Book
        fields = "__all__"
"""
    assert codes_lines(all_fields(review, {FORMS: source})) == [("DJR301", FORMS, 13)]


def test_modelform_factory_argument_is_reported(review):
    source = """
from django.forms import modelform_factory
from shop.models import Author

AuthorForm = modelform_factory(Author, fields="__all__")
"""
    findings = all_fields(review, {FORMS: source})
    assert codes_lines(findings) == [("DJR301", FORMS, 5)]
    assert findings[0].column == 40  # the `fields=` argument
    assert fixed(source, findings) == textwrap.dedent("""
from django.forms import modelform_factory
from shop.models import Author

AuthorForm = modelform_factory(Author, fields=["name"])
""")


def test_modelformset_factory_through_the_forms_module_is_reported(review):
    source = """
from django import forms
from shop.models import Tag

TagFormSet = forms.modelformset_factory(Tag, fields="__all__")
"""
    assert codes_lines(all_fields(review, {FORMS: source})) == [("DJR301", FORMS, 5)]


def test_explicit_field_list_is_clean(review):
    source = MODEL_FORM.replace('fields = "__all__"', 'fields = ["title", "author"]')
    assert all_fields(review, {FORMS: source}) == []


def test_exclude_is_clean(review):
    source = MODEL_FORM.replace('fields = "__all__"', 'exclude = ["slug"]')
    assert all_fields(review, {FORMS: source}) == []


def test_plain_form_with_meta_fields_all_is_clean(review):
    source = """
from django import forms
from shop.models import Book


class ContactForm(forms.Form):
    class Meta:
        model = Book
        fields = "__all__"
"""
    assert all_fields(review, {FORMS: source}) == []


def test_other_class_with_meta_fields_all_is_clean(review):
    source = """
import django_filters


class BookFilter(django_filters.FilterSet):
    class Meta:
        fields = "__all__"


class Anything:
    class Meta:
        fields = "__all__"
"""
    assert all_fields(review, {"shop/filters.py": source}) == []


def test_plain_function_with_fields_all_is_clean(review):
    source = """
def export(model, fields="__all__"):
    return model, fields

export(None, fields="__all__")
"""
    assert all_fields(review, {"shop/export.py": source}) == []


def test_model_form_in_a_migration_is_not_reported(review):
    assert all_fields(review, {"shop/migrations/0002_forms.py": MODEL_FORM}) == []


# -- the fix ---------------------------------------------------------------------------------
def test_form_fix_leaves_out_auto_now_non_editable_and_the_auto_pk(review):
    findings = all_fields(review, {FORMS: MODEL_FORM})
    assert findings[0].fix.applicability == "safe"
    assert findings[0].fix.description == "list the 3 fields of Book that __all__ stands for"
    assert fixed(MODEL_FORM, findings) == textwrap.dedent(
        MODEL_FORM.replace('fields = "__all__"', 'fields = ["title", "author", "tags"]')
    )


def test_serializer_fix_includes_id_and_read_only_fields(review):
    findings = all_fields(review, {SERIALIZERS: MODEL_SERIALIZER})
    expected = '["id", "title", "slug", "created", "updated", "author", "tags"]'
    assert fixed(MODEL_SERIALIZER, findings) == textwrap.dedent(MODEL_SERIALIZER.replace('"__all__"', expected))


def test_serializer_fix_uses_an_explicit_primary_key_instead_of_id(review):
    models = (
        MODELS
        + """

class Isbn(models.Model):
    code = models.CharField(primary_key=True, max_length=13)
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="isbns")
"""
    )
    source = MODEL_SERIALIZER.replace("model = Book", "model = Isbn").replace("import Book", "import Isbn")
    findings = review({"shop/models.py": models, SERIALIZERS: source}, select=("DJR301",))
    assert 'List the fields explicitly: ["code", "book"].' in findings[0].text


def test_fix_keeps_the_quote_style(review):
    source = MODEL_FORM.replace('"__all__"', "'__all__'")
    findings = all_fields(review, {FORMS: source})
    assert "fields = ['title', 'author', 'tags']" in fixed(source, findings)


def test_fix_includes_inherited_abstract_fields_first(review):
    models = (
        MODELS
        + """

class Stamped(models.Model):
    stamp = models.CharField(max_length=10)

    class Meta:
        abstract = True


class Note(Stamped):
    body = models.TextField()
"""
    )
    source = MODEL_FORM.replace("Book", "Note")
    findings = review({"shop/models.py": models, FORMS: source}, select=("DJR301",))
    assert 'List the fields explicitly: ["stamp", "body"].' in findings[0].text


def test_fix_is_unsafe_when_the_model_has_a_base_we_cannot_see(review):
    models = """
from django.db import models
from model_utils.models import TimeStampedModel


class Event(TimeStampedModel, models.Model):
    title = models.CharField(max_length=100)
"""
    source = MODEL_FORM.replace("Book", "Event")
    findings = review({"shop/models.py": models, FORMS: source}, select=("DJR301",))
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]
    assert findings[0].fix.applicability == "unsafe"


def test_fix_is_unsafe_with_a_third_party_field(review):
    models = """
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField


class Shop(models.Model):
    name = models.CharField(max_length=100)
    phone = PhoneNumberField()
"""
    source = MODEL_FORM.replace("Book", "Shop")
    findings = review({"shop/models.py": models, FORMS: source}, select=("DJR301",))
    assert 'List the fields explicitly: ["name", "phone"].' in findings[0].text
    assert findings[0].fix.applicability == "unsafe"


def test_unknown_model_is_reported_without_a_fix(review):
    source = """
from django import forms
from elsewhere.models import Thing


class ThingForm(forms.ModelForm):
    class Meta:
        model = Thing
        fields = "__all__"
"""
    findings = all_fields(review, {FORMS: source})
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]
    assert findings[0].fix is None
    assert findings[0].text.endswith("List the fields explicitly.")


def test_form_on_a_model_reexported_from_a_models_package(review):
    files = {
        "shop/models/__init__.py": "from .book import Book\n",
        "shop/models/book.py": """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title
""",
        FORMS: MODEL_FORM,
    }
    findings = review(files, select=("DJR301",))
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]
    assert 'List the fields explicitly: ["title"].' in findings[0].text


def test_form_fix_keeps_a_primary_key_that_is_not_an_auto_field(review):
    # Only AutoFields have no form field: a CharField primary key is a form field like any other.
    models = (
        MODELS
        + """

class Isbn(models.Model):
    code = models.CharField(primary_key=True, max_length=13)
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="isbns")
"""
    )
    source = MODEL_FORM.replace("Book", "Isbn")
    findings = review({"shop/models.py": models, FORMS: source}, select=("DJR301",))
    assert 'List the fields explicitly: ["code", "book"].' in findings[0].text


PROXY_AND_CHILD = (
    MODELS
    + """

class Paperback(Book):
    class Meta:
        proxy = True


class Ebook(Book):
    url = models.URLField()
"""
)


def test_serializer_fix_on_a_proxy_model_includes_id(review):
    source = MODEL_SERIALIZER.replace("Book", "Paperback")
    findings = review({"shop/models.py": PROXY_AND_CHILD, SERIALIZERS: source}, select=("DJR301",))
    assert codes_lines(findings) == [("DJR301", SERIALIZERS, 9)]
    assert 'List the fields explicitly: ["id", "title", "slug", "created", "updated", "author", "tags"].' in (
        findings[0].text
    )


def test_serializer_fix_on_a_multi_table_child_uses_the_parents_id(review):
    # DRF follows the parent link to the root pk: the fields are id, the parent's, the child's.
    source = MODEL_SERIALIZER.replace("Book", "Ebook")
    findings = review({"shop/models.py": PROXY_AND_CHILD, SERIALIZERS: source}, select=("DJR301",))
    assert codes_lines(findings) == [("DJR301", SERIALIZERS, 9)]
    assert findings[0].text.endswith(
        'List the fields explicitly: ["id", "title", "slug", "created", "updated", "url", "author", "tags"].'
    )


def test_form_fix_on_a_multi_table_child_orders_fields_by_creation(review):
    # fields_for_model sorts by creation: the parent's editable fields, then the child's.
    source = MODEL_FORM.replace("Book", "Ebook")
    findings = review({"shop/models.py": PROXY_AND_CHILD, FORMS: source}, select=("DJR301",))
    assert findings[0].text.endswith('List the fields explicitly: ["title", "author", "tags", "url"].')


def test_hyperlinked_serializer_fix_starts_with_url(review):
    source = MODEL_SERIALIZER.replace("serializers.ModelSerializer", "serializers.HyperlinkedModelSerializer")
    findings = all_fields(review, {SERIALIZERS: source})
    assert findings[0].text.endswith(
        'List the fields explicitly: ["url", "title", "slug", "created", "updated", "author", "tags"].'
    )


def test_factory_over_a_runtime_model_is_not_reported(review):
    assert (
        all_fields(
            review,
            {
                "shop/models.py": MODELS,
                FORMS: """
        from django.forms import modelform_factory

        def form_for(model):
            return modelform_factory(model, fields="__all__")
    """,
            },
        )
        == []
    )


ADMIN_USE = """
from django.contrib import admin
from shop.forms import BookForm
from shop.models import Book


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    form = BookForm
"""


def test_a_form_only_model_admins_use_is_clean_as_in_djr302(review):
    # weblate: admin forms with "__all__": staff edit every field through the admin anyway
    assert all_fields(review, {FORMS: MODEL_FORM, "shop/admin.py": ADMIN_USE}) == []
    view = "from shop.forms import BookForm\n\n\ndef edit(request):\n    return BookForm(request.POST)\n"
    findings = all_fields(review, {FORMS: MODEL_FORM, "shop/admin.py": ADMIN_USE, "shop/views.py": view})
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]


def test_a_model_only_known_at_run_time_has_no_field_list(review):
    # django-SHOP's `OrderModel = MaterializedModel(BaseOrder)`; mezzanine's `get_profile_model()`
    source = """
from rest_framework import serializers

from shop.models import OrderModel, get_profile_model


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderModel
        fields = "__all__"


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_profile_model()
        fields = "__all__"
"""
    models = MODELS + "\n\ndef get_profile_model():\n    return Book\n\n\nOrderModel = get_profile_model()\n"
    assert review({"shop/models.py": models, SERIALIZERS: source}, select=("DJR301",)) == []
    twin = source.replace("model = OrderModel", "model = Book").replace("import OrderModel", "import Book")
    found = review({"shop/models.py": models, SERIALIZERS: twin}, select=("DJR301",))
    assert codes_lines(found) == [("DJR301", SERIALIZERS, 10)]


def test_a_cms_plugin_s_form_is_staff_only_and_model_none_is_set_at_run_time(review):
    # richie: a django CMS plugin (CMSPluginBase is a ModelAdmin) edits with this form;
    # set D: a generic serializer with `model = None`, given its model in __init__
    forms = """
from django import forms
from rest_framework import serializers

from shop.models import Book


class BookPluginForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = "__all__"


class AnySerializer(serializers.ModelSerializer):
    class Meta:
        model = None
        fields = "__all__"
"""
    plugins = """
from cms.plugin_base import CMSPluginBase

from shop.forms import BookPluginForm


class BookPlugin(CMSPluginBase):
    form = BookPluginForm
"""
    assert all_fields(review, {FORMS: forms, "shop/cms_plugins.py": plugins}) == []
    # the twin: the same form used by a view too
    view = "from shop.forms import BookPluginForm\n\n\ndef edit(request):\n    return BookPluginForm(request.POST)\n"
    found = all_fields(review, {FORMS: forms, "shop/cms_plugins.py": plugins, "shop/views.py": view})
    assert codes_lines(found) == [("DJR301", FORMS, 11)]


def test_models_unpacked_from_a_call_are_only_known_at_run_time(review):
    """django-cities-light: `Country, City = get_cities_models()` returns swappable models."""
    source = """
from rest_framework import serializers

from shop.models import get_models

Country, City = get_models()


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = "__all__"
"""
    models = MODELS + "\n\ndef get_models():\n    return Book, Book\n"
    assert review({"shop/models.py": models, SERIALIZERS: source}, select=("DJR301",)) == []
    twin = source.replace("model = Country", "model = Book").replace("import get_models", "import Book, get_models")
    found = review({"shop/models.py": models, SERIALIZERS: twin}, select=("DJR301",))
    assert codes_lines(found) == [("DJR301", SERIALIZERS, 12)]


def test_a_subclass_of_an_admin_form_only_rendered_unbound_writes_nothing(review):
    # tomtoolkit: the admin's form is subclassed by a form an inclusion tag only renders
    # (`ShareForm(initial=...)`); the page posts to an API with its own serializer. The twin
    # binds the subclass to request data
    forms = MODEL_FORM + "\n\nclass ShareForm(BookForm):\n    pass\n"
    tag = (
        "from shop.forms import ShareForm\n\n\ndef share_form(book):\n"
        '    return {"form": ShareForm(initial={"title": book.title})}\n'
    )
    files = {FORMS: forms, "shop/admin.py": ADMIN_USE, "shop/templatetags/tags.py": tag}
    assert all_fields(review, files) == []
    bound = tag.replace('ShareForm(initial={"title": book.title})', "ShareForm(book.data)")
    assert codes_lines(all_fields(review, {**files, "shop/templatetags/tags.py": bound})) == [("DJR301", FORMS, 9)]


def test_a_form_whose_init_replaces_its_fields_keeps_only_those(review):
    # crt-portal's contacts form: `fields = "__all__"` "to satisfy Django", then `__init__` sets
    # `self.fields` to the few it keeps. The twin's `__init__` only changes one field
    form = (
        MODEL_FORM
        + """
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {name: self.fields[name] for name in ("title", "author")}
"""
    )
    views = """
from shop.forms import BookForm


def edit(request):
    form = BookForm(request.POST)
    form.save()
"""
    assert all_fields(review, {FORMS: form, "shop/views.py": views}) == []
    tweaked = form.replace(
        '        self.fields = {name: self.fields[name] for name in ("title", "author")}\n',
        '        self.fields["title"].required = False\n',
    )
    findings = all_fields(review, {FORMS: tweaked, "shop/views.py": views})
    assert codes_lines(findings) == [("DJR301", FORMS, 9)]
