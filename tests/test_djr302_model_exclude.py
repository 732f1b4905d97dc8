"""DJR302 model-exclude: ``exclude`` on a ModelForm, a ModelSerializer or a model form factory."""

from __future__ import annotations

import textwrap

from tests.helpers import AUTHOR_MODULE, codes_lines, fixed

MODELS = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(editable=False)
    created = models.DateTimeField(auto_now_add=True)
    price = models.DecimalField(max_digits=6, decimal_places=2)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self):
        return self.title
"""
)

FORMS = "shop/forms.py"
VIEWS = "shop/views.py"
ADMIN = "shop/admin.py"
SERIALIZERS = "shop/serializers.py"

MODEL_FORM = """
from django import forms
from shop.models import Book


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        exclude = ["price"]
"""

VIEW = """
from django.shortcuts import render
from shop.forms import BookForm


def edit_book(request):
    form = BookForm(request.POST or None)
    return render(request, "book.html", {"form": form})
"""

ADMIN_USE = """
from django.contrib import admin
from shop.forms import BookForm
from shop.models import Book


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    form = BookForm
    exclude = ["slug"]
"""

MODEL_SERIALIZER = """
from rest_framework import serializers
from shop.models import Book


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        exclude = ("price",)
"""


def model_exclude(review, files: dict[str, str]):
    return review({"shop/models.py": MODELS, **files}, select=("DJR302",))


def test_model_form_exclude_is_reported_at_the_assignment(review):
    findings = model_exclude(review, {FORMS: MODEL_FORM, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR302", FORMS, 9)]
    assert findings[0].column == 9
    assert findings[0].text == (
        "BookForm.Meta uses exclude for Book: every field added to Book later becomes writable through "
        'the form without review. List the fields instead: fields = ["title", "author"].'
    )


def test_fix_replaces_exclude_with_the_fields_it_leaves_in(review):
    findings = model_exclude(review, {FORMS: MODEL_FORM, VIEWS: VIEW})
    assert findings[0].fix.applicability == "safe"
    assert fixed(MODEL_FORM, findings) == textwrap.dedent(
        MODEL_FORM.replace('exclude = ["price"]', 'fields = ["title", "author"]')
    )


def test_empty_exclude_is_reported(review):
    source = MODEL_FORM.replace('exclude = ["price"]', "exclude = []")
    findings = model_exclude(review, {FORMS: source, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR302", FORMS, 9)]
    assert fixed(source, findings).endswith('fields = ["title", "price", "author"]\n')


def test_model_serializer_exclude_is_reported_with_id_and_read_only_fields(review):
    findings = model_exclude(review, {SERIALIZERS: MODEL_SERIALIZER})
    assert codes_lines(findings) == [("DJR302", SERIALIZERS, 9)]
    assert "readable and writable through the API" in findings[0].text
    assert fixed(MODEL_SERIALIZER, findings).endswith("""fields = ("id", "title", "slug", "created", "author")\n""")


def test_modelform_factory_exclude_argument_is_reported(review):
    source = """
from django.forms import modelform_factory
from shop.models import Book

BookForm = modelform_factory(Book, exclude=["price"])
"""
    findings = model_exclude(review, {FORMS: source})
    assert codes_lines(findings) == [("DJR302", FORMS, 5)]
    assert findings[0].column == 36
    assert "modelform_factory() uses exclude for Book" in findings[0].text
    assert fixed(source, findings).endswith('BookForm = modelform_factory(Book, fields=["title", "author"])\n')


def test_inlineformset_factory_through_the_forms_module_is_reported(review):
    source = """
from django import forms
from shop.models import Author, Book

BookFormSet = forms.inlineformset_factory(Author, Book, exclude=("price",))
"""
    findings = model_exclude(review, {FORMS: source})
    assert codes_lines(findings) == [("DJR302", FORMS, 5)]
    assert fixed(source, findings).endswith('fields=("title", "author"))\n')


def test_fix_is_a_suggestion_when_the_model_has_a_field_from_outside_django(review):
    models = MODELS.replace("from django.db import models", "from django.db import models\nimport taggit.managers")
    models = models.replace(
        "    price = models.DecimalField(max_digits=6, decimal_places=2)\n",
        "    price = models.DecimalField(max_digits=6, decimal_places=2)\n    tags = taggit.managers.TaggableManagerField()\n",
    )
    findings = review({"shop/models.py": models, FORMS: MODEL_FORM, VIEWS: VIEW}, select=("DJR302",))
    assert findings[0].fix.applicability == "suggestion"


# -- hard negatives ------------------------------------------------------------------------------
def test_exclude_narrowing_an_explicit_fields_list_is_clean(review):
    source = MODEL_FORM.replace('exclude = ["price"]', 'fields = ["title", "price"]\n        exclude = ["price"]')
    assert model_exclude(review, {FORMS: source, VIEWS: VIEW}) == []


def test_form_only_a_model_admin_uses_is_clean(review):
    assert model_exclude(review, {FORMS: MODEL_FORM, ADMIN: ADMIN_USE}) == []


def test_form_a_model_admin_and_a_view_use_is_reported(review):
    findings = model_exclude(review, {FORMS: MODEL_FORM, ADMIN: ADMIN_USE, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR302", FORMS, 9)]


def test_form_a_subclass_used_by_a_view_counts_as_used_there(review):
    subclass = """
from shop.forms import BookForm


class CheapBookForm(BookForm):
    pass
"""
    view = VIEW.replace("from shop.forms import BookForm", "from shop.cheap import CheapBookForm as BookForm")
    findings = model_exclude(review, {FORMS: MODEL_FORM, "shop/cheap.py": subclass, ADMIN: ADMIN_USE, VIEWS: view})
    assert codes_lines(findings) == [("DJR302", FORMS, 9)]


def test_model_admin_exclude_is_clean(review):
    assert model_exclude(review, {ADMIN: ADMIN_USE.replace("    form = BookForm\n", "")}) == []


def test_factory_called_in_a_model_admin_is_clean(review):
    source = """
from django.contrib import admin
from django.forms import modelform_factory
from shop.models import Book


class BookAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, **kwargs):
        return modelform_factory(Book, exclude=["price"])
"""
    assert model_exclude(review, {ADMIN: source}) == []


def test_meta_exclude_on_plain_form_and_serializer_is_clean(review):
    source = """
from django import forms
from rest_framework import serializers
from shop.models import Book


class SearchForm(forms.Form):
    class Meta:
        model = Book
        exclude = ["price"]


class SearchSerializer(serializers.Serializer):
    class Meta:
        model = Book
        exclude = ["price"]
"""
    assert model_exclude(review, {FORMS: source}) == []


def test_factory_with_a_model_known_only_at_run_time_is_clean(review):
    source = """
from django.forms import modelform_factory


def form_for(model):
    return modelform_factory(model, exclude=["id"])
"""
    assert model_exclude(review, {FORMS: source}) == []


def test_abstract_model_base_form_is_clean(review):
    models = (
        MODELS
        + """

class Dated(models.Model):
    created = models.DateTimeField()

    class Meta:
        abstract = True
"""
    )
    source = MODEL_FORM.replace("model = Book", "model = Dated").replace("import Book", "import Dated")
    assert review({"shop/models.py": models, FORMS: source, VIEWS: VIEW}, select=("DJR302",)) == []


def test_form_of_a_back_office_package_is_clean(review):
    view = """
from django.views.generic import UpdateView
from shop.admin_module.forms import BookForm


class BookEditView(UpdateView):
    form_class = BookForm
"""
    files = {"shop/admin_module/__init__.py": "", "shop/admin_module/forms.py": MODEL_FORM}
    assert model_exclude(review, {**files, "shop/admin_module/views.py": view}) == []
    assert model_exclude(review, files) == []  # defined there, used through code we cannot follow
    assert codes_lines(model_exclude(review, {**files, VIEWS: view})) == [("DJR302", "shop/admin_module/forms.py", 9)]


def test_exclude_narrowing_an_inherited_meta_fields_list_is_clean(review):
    source = (
        MODEL_FORM.replace('exclude = ["price"]', 'fields = ["title", "price"]')
        + """

class NewBookForm(BookForm):
    class Meta(BookForm.Meta):
        exclude = ["price"]


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        exclude = ["email"]
"""
    )
    source = source.replace(
        "from django import forms", "from django import forms\nfrom django.contrib.auth.forms import UserCreationForm"
    )
    assert model_exclude(review, {FORMS: source, VIEWS: VIEW}) == []
    inherits_exclude = (
        MODEL_FORM
        + """

class NewBookForm(BookForm):
    class Meta(BookForm.Meta):
        exclude = ["slug"]
"""
    )
    assert codes_lines(model_exclude(review, {FORMS: inherits_exclude, VIEWS: VIEW})) == [
        ("DJR302", FORMS, 9),
        ("DJR302", FORMS, 14),
    ]


def test_a_model_known_only_at_run_time_is_clean(review):
    # mezzanine: the profile form's model comes from a setting; there is no field list to write
    source = """
from django import forms
from django.apps import apps
from django.conf import settings


def get_profile_model():
    return apps.get_model(settings.PROFILE_MODEL)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_profile_model()
        exclude = ("user",)
"""
    assert model_exclude(review, {FORMS: source, VIEWS: VIEW.replace("BookForm", "ProfileForm")}) == []


def test_a_model_a_call_names_that_the_index_knows_is_reported(review):
    # nautobot: `model = get_user_model()` is the user model
    source = """
from django import forms
from django.contrib.auth import get_user_model


class UserForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        exclude = ("password",)
"""
    view = VIEW.replace("from shop.forms import BookForm", "from shop.forms import UserForm as BookForm")
    assert codes_lines(model_exclude(review, {FORMS: source, VIEWS: view})) == [("DJR302", FORMS, 9)]


def test_a_model_bound_to_a_call_s_result_in_another_module_is_clean(review):
    # django-SHOP: `OrderModel = deferred.MaterializedModel(BaseOrder)`; the merchant's model
    # is found at run time, so the library has no field list to write
    models = (
        MODELS
        + """

class BaseOrder(models.Model):
    number = models.IntegerField()

    class Meta:
        abstract = True


OrderModel = materialized(BaseOrder)
Alias = Book
"""
    )
    source = """
from django import forms

from shop.models import Alias, OrderModel


class OrderForm(forms.ModelForm):
    class Meta:
        model = OrderModel
        exclude = ("number",)


class BookForm(forms.ModelForm):
    class Meta:
        model = Alias
        exclude = ("title",)
"""
    files = {"shop/models.py": "from shop.deferred import materialized\n" + models}
    files["shop/deferred.py"] = "def materialized(base):\n    return base\n"
    # the twin: a plain alias of a model the index knows is that model
    assert codes_lines(model_exclude(review, {FORMS: source, VIEWS: VIEW, **files})) == [("DJR302", FORMS, 16)]


def test_a_base_form_whose_meta_names_no_model_is_clean(review):
    # django-page-cms: `class Meta: exclude = "__all__"` as a placeholder; subclasses (or
    # ModelAdmin.get_form()) bring the model and the fields
    source = """
from django import forms


class BaseForm(forms.ModelForm):
    class Meta:
        exclude = "__all__"


class AddressBaseForm(forms.ModelForm):
    class Meta:
        exclude = ("created",)


class BookForm(AddressBaseForm):
    class Meta(AddressBaseForm.Meta):
        model = Book
"""
    # the twin: a base whose Meta a subclass inherits with a model (django-lfs's address forms)
    found = model_exclude(review, {FORMS: source, VIEWS: VIEW})
    assert codes_lines(found) == [("DJR302", FORMS, 12)]


def test_a_factory_given_a_form_that_lists_its_fields_only_narrows_them(review):
    # EvaP: `inlineformset_factory(..., form=QuestionAssignmentForm, exclude=(...))`, whose Meta
    # lists `fields`: the factory's Meta inherits them. The twin's form lists none
    source = """
from django import forms
from django.forms import modelform_factory
from shop.models import Book


class TitleForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "price"]


BookForm = modelform_factory(Book, form=TitleForm, exclude=["price"])
"""
    assert model_exclude(review, {FORMS: source}) == []
    bare = source.replace('        fields = ["title", "price"]\n', '        labels = {"title": "Title"}\n')
    assert codes_lines(model_exclude(review, {FORMS: bare})) == [("DJR302", FORMS, 13)]
