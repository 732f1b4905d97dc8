"""DJR105 stays quiet on a table the code says is small, and only there.

Each signal has a hard negative (quiet) and a twin that is still reported."""

from __future__ import annotations

from tests.helpers import codes_lines

MODELS = "shop/models.py"
FORMS = "shop/forms.py"
VIEWS = "shop/views.py"

SHOP = """
from django.db import models


class Offer(models.Model):
    SITE, VOUCHER = "Site", "Voucher"
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=[(SITE, SITE), (VOUCHER, VOUCHER)])
    ends = models.DateTimeField()
    created = models.DateTimeField(auto_now_add=True)  # rows made as the shop runs: no reference table


class Order(models.Model):
    number = models.CharField(max_length=20)
    offers = models.ManyToManyField(Offer, related_name="orders")  # picks from a list
"""

QUERY = """
from shop.models import Offer


def view(request):
    return Offer.objects.filter(ends__gt=request.now)
"""


def unindexed(review, forms: str, views: str = QUERY, models: str = SHOP, **extra: str):
    return review({MODELS: models, FORMS: forms, VIEWS: views, **extra}, select=("DJR105",))


def test_the_twin_without_a_listing_is_reported(review):
    assert codes_lines(unindexed(review, "")) == [("DJR105", MODELS, 9)]


def test_quiet_when_a_form_lists_every_row_in_a_select_box(review):
    forms = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all().order_by("name"))
"""
    assert unindexed(review, forms) == []
    positional = forms.replace("queryset=", "")
    assert unindexed(review, positional) == []


def test_quiet_when_a_form_lists_a_slice_picked_by_constants(review):
    forms = """
from django import forms
from shop.models import Offer


class VoucherForm(forms.Form):
    offers = forms.ModelMultipleChoiceField(queryset=Offer.objects.filter(kind=Offer.VOUCHER), required=False)
"""
    assert unindexed(review, forms) == []


def test_reported_when_the_listing_is_narrowed_by_a_variable(review):
    forms = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"] = forms.ModelChoiceField(queryset=Offer.objects.filter(name=user.offer_name))
"""
    assert codes_lines(unindexed(review, forms)) == [("DJR105", MODELS, 7), ("DJR105", MODELS, 9)]
    custom = forms.replace("filter(name=user.offer_name)", "mine()")
    assert codes_lines(unindexed(review, custom)) == [("DJR105", MODELS, 9)]


def test_reported_when_an_autocomplete_widget_fetches_the_choices(review):
    forms = """
from django import forms
from dal import autocomplete
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(
        queryset=Offer.objects.all(), widget=autocomplete.ModelSelect2(url="offer-autocomplete")
    )
"""
    assert codes_lines(unindexed(review, forms)) == [("DJR105", MODELS, 9)]


def test_a_listing_in_a_test_module_does_not_count(review):
    forms = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all())
"""
    assert codes_lines(unindexed(review, "", **{"shop/tests/test_forms.py": forms})) == [("DJR105", MODELS, 9)]


def test_a_listing_of_one_model_leaves_another_reported(review):
    forms = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all())
"""
    views = QUERY + "\n\ndef other(request):\n    return Order.objects.get(number=request.number)\n"
    views = views.replace("import Offer", "import Offer, Order")
    assert codes_lines(unindexed(review, forms, views)) == [("DJR105", MODELS, 14)]


def test_a_unique_field_and_a_singleton_row_are_already_indexed(review):
    models = """
from django.db import models


class SiteConfig(models.Model):
    name = models.CharField(max_length=50, unique=True)
    theme = models.CharField(max_length=50)
    created = models.DateTimeField(auto_now_add=True)
"""
    views = """
from shop.models import SiteConfig


def view(request):
    return SiteConfig.objects.get(name=request.name), SiteConfig.objects.get(pk=1, theme=request.theme)
"""
    assert unindexed(review, "", views, models) == []
    twin = views.replace("pk=1, ", "")
    assert codes_lines(unindexed(review, "", twin, models)) == [("DJR105", MODELS, 7)]


def test_reported_when_the_listing_is_a_placeholder_set_later(review):
    placeholder = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.none())
"""
    assert codes_lines(unindexed(review, placeholder)) == [("DJR105", MODELS, 9)]
    narrowed = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all())

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = user.offers.all()
"""
    assert codes_lines(unindexed(review, narrowed)) == [("DJR105", MODELS, 9)]


def test_reported_when_other_rows_belong_to_the_listed_rows(review):
    forms = """
from django import forms
from shop.models import Offer


class ReportForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.all(), required=False)
"""
    assert unindexed(review, forms) == []
    owned = (
        SHOP
        + """

class Redemption(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="redemptions")
"""
    )
    assert codes_lines(unindexed(review, forms, models=owned)) == [("DJR105", MODELS, 9)]


def test_quiet_on_a_lookup_table_the_code_fills_from_a_fixed_list(review):
    # coldfront: a data migration and a defaults command create AllocationStatusChoice's rows
    # from a tuple of names; django-ansible-base fills its content types from apps.get_models().
    # A ForeignKey pointing at a lookup table does not make it grow. The twins: a loop over
    # rows the code reads (any number), and a create with no value from the loop
    models = (
        SHOP
        + """

class Status(models.Model):
    name = models.CharField(max_length=50)
    created = models.DateTimeField(auto_now_add=True)


class Registered(models.Model):
    app_label = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)


class Ticket(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE)
"""
    )
    views = """
from shop.models import Offer, Registered, Status


def view(request, name):
    Status.objects.get(name=name)
    Registered.objects.filter(app_label=name)
    return Offer.objects.filter(ends__gt=request.now)
"""
    migration = """
from django.db import migrations

NAMES = ("Active", "Denied")


def fill(apps, schema_editor):
    Status = apps.get_model("shop", "Status")
    for name in NAMES:
        Status.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""
    registry = """
from django.apps import apps

from shop.models import Offer, Registered


def sync():
    for model in apps.get_models():
        Registered.objects.get_or_create(app_label=model._meta.app_label)
    for name in ["a", "b"]:
        Offer.objects.create(name="fixed")
"""
    extra = {"shop/migrations/0002_fill.py": migration, "shop/registry.py": registry}
    assert codes_lines(unindexed(review, "", views, models, **extra)) == [("DJR105", MODELS, 9)]
    twin = registry.replace("apps.get_models()", "Offer.objects.all()")
    extra = {"shop/migrations/0002_fill.py": migration.replace("for name in NAMES", "for name in names(apps)")}
    assert codes_lines(unindexed(review, "", views, models, **extra, **{"shop/registry.py": twin})) == [
        ("DJR105", MODELS, 9),
        ("DJR105", MODELS, 19),
        ("DJR105", MODELS, 24),
    ]


def test_quiet_when_every_row_becomes_choices_in_init_or_a_list(review):
    # django-sphinx-hosting sets `self.fields["project"].queryset = Project.objects.order_by(...)`
    # in __init__; tomtoolkit builds `[(x.full_name, x.full_name) for x in Facility.objects.all()]`.
    # The twins: a queryset narrowed by a variable, and a list that filters rows
    in_init = """
from django import forms
from shop.models import Offer


class PickForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.order_by("name")
"""
    assert unindexed(review, in_init) == []
    narrowed = in_init.replace('Offer.objects.order_by("name")', "Offer.objects.filter(name=self.name)")
    # Offer.name (its own lookup now) and Offer.ends
    assert codes_lines(unindexed(review, narrowed)) == [("DJR105", MODELS, 7), ("DJR105", MODELS, 9)]
    choices = """
from shop.models import Offer


def offer_choices():
    return [(o.name, o.name) for o in Offer.objects.all()]
"""
    assert unindexed(review, choices) == []
    some = choices.replace("Offer.objects.all()]", "Offer.objects.all() if o.name]")
    assert codes_lines(unindexed(review, some)) == [("DJR105", MODELS, 9)]


def test_quiet_when_a_django_filter_lists_every_row(review):
    # django-filter's ModelChoiceFilter offers every row in a select box, as a form field does
    filters = """
import django_filters
from shop.models import Offer, Order


class OrderFilter(django_filters.FilterSet):
    offer = django_filters.ModelChoiceFilter(queryset=Offer.objects.all())

    class Meta:
        model = Order
        fields = ["offer"]
"""
    assert unindexed(review, filters) == []
    narrowed = filters.replace("Offer.objects.all()", "Offer.objects.filter(name=NAME)")
    assert codes_lines(unindexed(review, narrowed)) == [("DJR105", MODELS, 9)]


def test_quiet_on_a_listed_lookup_table_other_rows_point_at(review):
    # zds-site's `Licence` (a code and a title, about ten rows) is listed whole in a select box,
    # and every content points at its licence: rows pointing at a table of plain values do not
    # make it grow. The twins: a licence with an owner of its own, and one with a date
    models = """
from django.db import models


class Licence(models.Model):
    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=80)


class Content(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="contents")
"""
    forms = """
from django import forms
from shop.models import Licence


class ContentForm(forms.Form):
    licence = forms.ModelChoiceField(queryset=Licence.objects.order_by("title"))
"""
    views = """
from shop.models import Licence


def by_title(request):
    return Licence.objects.get(title=request.GET["t"])
"""
    assert unindexed(review, forms, views, models) == []
    owned = models.replace(
        "    title = models.CharField(max_length=80)\n",
        "    title = models.CharField(max_length=80)\n    author = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n",
    )
    assert codes_lines(unindexed(review, forms, views, owned)) == [("DJR105", MODELS, 7)]
    dated = models.replace(
        "    title = models.CharField(max_length=80)\n",
        "    title = models.CharField(max_length=80)\n    since = models.DateTimeField(auto_now_add=True)\n",
    )
    assert codes_lines(unindexed(review, forms, views, dated)) == [("DJR105", MODELS, 7)]


ADMIN = """
from django.contrib import admin

from shop.models import Offer

admin.site.register(Offer)
"""


def test_quiet_on_a_table_only_staff_fill_in_the_admin(review):
    # freesound's License, open-humans' GrantProject: registered in the admin, created by no
    # code of the project. The twins below are each still reported
    assert unindexed(review, "", **{"shop/admin.py": ADMIN}) == []
    decorated = ADMIN.replace(
        "admin.site.register(Offer)", "@admin.register(Offer)\nclass OfferAdmin(admin.ModelAdmin):\n    pass"
    )
    assert unindexed(review, "", **{"shop/admin.py": decorated}) == []
    # a data migration writing its rows one by one is curation too
    migration = """
from django.db import migrations


def add(apps, schema_editor):
    Offer = apps.get_model("shop", "Offer")
    Offer.objects.create(name="Spring", kind="Site", ends="2026-06-01")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
"""
    assert (
        unindexed(review, "", **{"shop/migrations/0002_offers.py": migration, "shop/migrations/__init__.py": ""}) == []
    )


def test_reported_when_code_creates_the_rows_however_it_does(review):
    ways = {
        "a manager": "Offer.objects.create(name=name)",
        "a queryset chain": "Offer.objects.using('default').get_or_create(name=name)",
        "the constructor": "Offer(name=name).save()",
        "a relation's manager": "order.offers.create(name=name)",
        "a class imported in the function": "from shop import models\n    models.Offer.objects.create(name=name)",
        "a helper handed the class": "make_rows({'offer': Offer}, name)",
    }
    for way, code in ways.items():
        top = "" if "import" in code else "from shop.models import Offer\n"
        writes = f"{top}\n\ndef add(order, name):\n    {code}\n"
        found = unindexed(review, "", **{"shop/admin.py": ADMIN, "shop/services.py": writes})
        assert codes_lines(found) == [("DJR105", MODELS, 9)], way
    form = "from django import forms\nfrom shop.models import Offer\n\n\nclass OfferForm(forms.ModelForm):\n    class Meta:\n        model = Offer\n        fields = ['name']\n"
    assert codes_lines(unindexed(review, "", **{"shop/admin.py": ADMIN, "shop/offer_forms.py": form})) == [
        ("DJR105", MODELS, 9)
    ]


def test_reported_without_a_sign_of_curation_or_when_a_migration_loads_a_file(review):
    assert codes_lines(unindexed(review, "")) == [("DJR105", MODELS, 9)]
    migration = """
import csv

from django.db import migrations


def load(apps, schema_editor):
    Offer = apps.get_model("shop", "Offer")
    with open("offers.csv") as f:
        for row in csv.reader(f):
            Offer.objects.create(name=row[0], kind="Site", ends=row[1])


class Migration(migrations.Migration):
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
"""
    files = {"shop/admin.py": ADMIN, "shop/migrations/0002_offers.py": migration, "shop/migrations/__init__.py": ""}
    assert codes_lines(unindexed(review, "", **files)) == [("DJR105", MODELS, 9)]


def test_quiet_on_a_lookup_table_bulk_created_from_a_fixed_list(review):
    # Nitrate's case statuses: `bulk_create([Status(name=n) for n in NAMES])` in a data
    # migration. The twin builds the rows from what it reads
    models = (
        SHOP
        + "\n\nclass Status(models.Model):\n    name = models.CharField(max_length=50)\n    created = models.DateTimeField(auto_now_add=True)\n"
    )
    views = "from shop.models import Status\n\n\ndef view(request, name):\n    return Status.objects.get(name=name)\n"
    migration = """
from django.db import migrations

NAMES = ["PROPOSED", "CONFIRMED", "DISABLED"]


def seed(apps, schema_editor):
    Status = apps.get_model("shop", "Status")
    Status.objects.bulk_create([Status(name=name) for name in NAMES])


class Migration(migrations.Migration):
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
"""
    extra = {"shop/migrations/0002_seed.py": migration, "shop/migrations/__init__.py": ""}
    assert unindexed(review, "", views, models, **extra) == []
    read = migration.replace("for name in NAMES", "for name in open('names.txt')")
    extra["shop/migrations/0002_seed.py"] = read
    assert codes_lines(unindexed(review, "", views, models, **extra)) == [("DJR105", MODELS, 19)]


def test_quiet_on_a_reference_table_queried_by_a_descriptive_column(review):
    # Geotrek's POIType.label, akvo's FocusArea.name, EvaP's ExamType.order: a table of a few
    # columns with no sign of growing with use, queried by a name, is a reference table. The
    # twins show each sign that a table grows: rows per user, a creation time stamp, two
    # relations, ten fields; and a column holding one row's key (a code) stays reported
    models = """
from django.db import models


class Region(models.Model):
    name = models.CharField(max_length=50)


class Category(models.Model):
    label = models.CharField(max_length=50)
    code = models.CharField(max_length=10)
    region = models.ForeignKey(Region, on_delete=models.CASCADE)
"""
    views = """
from shop.models import Category


def pick(request):
    return Category.objects.get(label=request.GET["l"]), Category.objects.filter(code=request.GET["c"])
"""
    label, code = ("DJR105", MODELS, 10), ("DJR105", MODELS, 11)
    assert codes_lines(unindexed(review, "", views, models)) == [code]
    region = "    region = models.ForeignKey(Region, on_delete=models.CASCADE)\n"
    signs = [
        "    owner = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n",
        "    added = models.DateTimeField(auto_now_add=True)\n",
        "    parent = models.ForeignKey('self', null=True, on_delete=models.CASCADE)\n",
        "".join(f"    note{i} = models.TextField()\n" for i in range(7)),
    ]
    for sign in signs:
        grown = models.replace(region, region + sign)
        assert codes_lines(unindexed(review, "", views, grown)) == [label, code], sign
