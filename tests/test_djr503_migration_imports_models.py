"""DJR503 migration-imports-models: a RunPython function using today's model class."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/migrations/0002_fill.py"
MODELS = """
from django.db import models


class Product(models.Model):
    class Kind(models.TextChoices):
        BOOK = "book"

    name = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)


class Base(models.Model):
    class Meta:
        abstract = True


DEFAULT_NAME = "unnamed"
"""


def imports_models(review, migration: str):
    files = {PATH: migration, "shop/models.py": MODELS, "shop/__init__.py": "", "shop/migrations/__init__.py": ""}
    return review(files, select=("DJR503",))


def test_reports_the_import_of_a_project_model_a_runpython_function_uses(review):
    source = """
from django.db import migrations

from shop.models import Product


def name_products(apps, schema_editor):
    \"\"\"Give every product a name.\"\"\"
    Product.objects.filter(name="").update(name="unnamed")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    findings = imports_models(review, source)
    assert codes_lines(findings) == [("DJR503", PATH, 4)]
    assert findings[0].text == (
        "RunPython function name_products uses Product, today's model class, instead of the model as of this "
        "migration: fields added by later migrations are queried before their columns exist, and the migration "
        'breaks once Product changes or is removed. Use the historical model: `Product = apps.get_model("shop", '
        '"Product")` inside name_products; custom managers and methods are not on it unless the manager sets '
        "use_in_migrations."
    )
    assert findings[0].fix.applicability == "unsafe"  # custom managers and methods are gone
    assert (
        fixed(source, findings)
        == """
from django.db import migrations



def name_products(apps, schema_editor):
    \"\"\"Give every product a name.\"\"\"
    Product = apps.get_model("shop", "Product")
    Product.objects.filter(name="").update(name="unnamed")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    )


def test_reports_a_django_contrib_model_and_an_import_inside_the_function(review):
    source = """
from django.contrib.auth.models import Group
from django.db import migrations


def add_groups(apps, schema_editor):
    Group.objects.create(name="editors")


def remove_groups(apps, schema_editor):
    from django.contrib.auth.models import Group

    Group.objects.filter(name="editors").delete()


class Migration(migrations.Migration):
    operations = [migrations.RunPython(add_groups, remove_groups)]
"""
    findings = imports_models(review, source)
    assert codes_lines(findings) == [("DJR503", PATH, 2), ("DJR503", PATH, 11)]
    assert 'apps.get_model("auth", "Group")' in findings[0].text
    assert (
        fixed(source, findings).split("def add_groups")[1]
        == """(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.create(name="editors")


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")

    Group.objects.filter(name="editors").delete()


class Migration(migrations.Migration):
    operations = [migrations.RunPython(add_groups, remove_groups)]
"""
    )


def test_a_model_reached_through_import_of_the_models_module_is_reported_at_that_import(review):
    source = """
import shop.models
from django.db import migrations


def fill(apps, schema_editor):
    shop.models.Product.objects.update(name="x")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""
    findings = imports_models(review, source)
    assert codes_lines(findings) == [("DJR503", PATH, 2)]
    assert "uses shop.models.Product" in findings[0].text
    assert findings[0].fix is None or not findings[0].fix.edits  # the author rewrites the uses


def test_not_reported_for_choices_constants_abstract_models_or_imports_no_runpython_uses(review):
    source = """
import shop.models
from django.db import migrations, models

from shop.models import DEFAULT_NAME, Base, Product


def fill(apps, schema_editor):
    Item = apps.get_model("shop", "Product")
    Item.objects.filter(name="").update(name=DEFAULT_NAME, kind=shop.models.Product.Kind.BOOK.value)
    print(Base)


class Migration(migrations.Migration):
    operations = [
        migrations.AddField("product", "code", models.CharField(default=shop.models.Product, max_length=3)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
"""
    # `shop.models.Product.Kind.BOOK` reads a constant of the class, spelled in full (patchew's
    # `api.models.Result.PENDING`): no query goes through it, as with `Product.Kind.BOOK`
    assert imports_models(review, source) == []
    queried = source.replace("    print(Base)", "    print(Base, shop.models.Product.objects.count())")
    findings = imports_models(review, queried)
    assert [(f.line, "shop.models.Product" in f.text) for f in findings] == [(2, True)]


def test_not_reported_when_the_function_uses_only_the_historical_model(review):
    source = """
from django.db import migrations

from shop.models import Product


def fill(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    Product.objects.update(name="x")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""
    # the function binds the name itself; the module-level import is merely unused
    assert imports_models(review, source) == []


def test_not_reported_outside_migrations(review):
    source = """
from django.db import migrations

from shop.models import Product


def fill(apps, schema_editor):
    Product.objects.update(name="x")


OPERATION = migrations.RunPython(fill)
"""
    files = {"shop/setup.py": source, "shop/models.py": MODELS, "shop/__init__.py": ""}
    assert review(files, select=("DJR503",)) == []


def test_a_migration_that_imports_no_model_is_never_parsed(review, parses):
    source = """
from django.db import migrations

from shop.models import DEFAULT_NAME


def name_products(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    Product.objects.filter(name="").update(name=DEFAULT_NAME)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    assert PATH not in parses


def test_a_model_imported_inside_the_function_is_still_reviewed(review, parses):
    source = """
from django.db import migrations


def name_products(apps, schema_editor):
    from shop.models import Product

    Product.objects.filter(name="").update(name="unnamed")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    assert codes_lines(imports_models(review, source)) == [("DJR503", PATH, 6)]
    assert PATH in parses


def test_a_model_read_only_for_its_class_constants_is_no_query(review):
    # django-survey: the function queries through apps.get_model and reads Survey.BY_QUESTION
    source = """
from django.db import migrations

from shop.models import Product


def kinds(apps, schema_editor):
    historical = apps.get_model("shop", "Product")
    historical.objects.update(kind=Product.Kind.BOOK)
    historical.objects.filter(name="").update(name=Product.DEFAULT_NAME)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(kinds, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    # the twin: the same class queried as well
    queried = source.replace("historical.objects.filter", "Product.objects.filter")
    assert codes_lines(imports_models(review, queried)) == [("DJR503", PATH, 4)]


def test_a_method_handed_the_historical_registry_is_no_query_through_today_s_model(review):
    # manage.get.gov: `UserGroup.create_cisa_analyst_group(apps, schema_editor)`, a static
    # method that takes every model from `apps.get_model`: the class is only a namespace.
    # The twins call a method given no registry, or query through the class as well
    source = """
from django.db import migrations

from shop.models import Product


def seed(registry, schema_editor):
    Product.create_defaults(registry, schema_editor)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    unhanded = source.replace("Product.create_defaults(registry, schema_editor)", "Product.create_defaults()")
    assert codes_lines(imports_models(review, unhanded)) == [("DJR503", PATH, 4)]
    queried = source.replace(
        "    Product.create_defaults(registry, schema_editor)\n",
        "    Product.create_defaults(registry, schema_editor)\n    Product.objects.filter(name='').delete()\n",
    )
    assert codes_lines(imports_models(review, queried)) == [("DJR503", PATH, 4)]


def test_a_model_used_only_after_the_function_returned_is_dead_code(review):
    # acceslibre: the RunPython function returns at once ("too slow for the deploy"), its old
    # loop over today's model kept below. The twin returns only after the loop
    source = """
from django.db import migrations

from shop.models import Product


def fill(apps, schema_editor):
    return
    for product in Product.objects.all():
        product.save()


class Migration(migrations.Migration):
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    late = source.replace("    return\n    for product", "    for product").replace(
        "        product.save()\n", "        product.save()\n    return\n"
    )
    assert codes_lines(imports_models(review, late)) == [("DJR503", PATH, 4)]


def test_a_standard_library_class_named_like_a_model_is_no_model(review):
    # Geotrek-admin has a `Path` model, and its migrations use `from pathlib import Path` for
    # file names. The twin imports the project's own `Product` under another module path
    migration = """
from pathlib import Product

from django.db import migrations


def name_products(apps, schema_editor):
    return Product("a/b").name


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    assert imports_models(review, migration) == []
    unmapped = migration.replace("from pathlib import Product", "from catalog.shop.models import Product")
    assert codes_lines(imports_models(review, unmapped)) == [("DJR503", PATH, 2)]


def test_catching_a_model_s_exception_runs_no_query(review):
    # zds-site's migration catches `User.DoesNotExist` around a helper that queries today's
    # model, which raises exactly that. The twin queries through the imported class
    migration = """
from django.db import migrations

from shop.models import Product


def name_products(apps, schema_editor):
    try:
        apps.get_model("shop", "Product").objects.get(name="")
    except (Product.DoesNotExist, Product.MultipleObjectsReturned):
        pass


class Migration(migrations.Migration):
    operations = [migrations.RunPython(name_products, migrations.RunPython.noop)]
"""
    assert imports_models(review, migration) == []
    queried = migration.replace('apps.get_model("shop", "Product").objects', "Product.objects")
    assert codes_lines(imports_models(review, queried)) == [("DJR503", PATH, 4)]


def test_a_model_named_only_in_an_annotation_is_not_used(review):
    # pydis-site: `rows: site.models.X = apps.get_model(...)`; the annotation is never evaluated
    source = """
from django.db import migrations

import shop.models


def rename(apps, schema_editor):
    rows: shop.models.Product = apps.get_model("shop", "Product")
    rows.objects.filter(name="").update(name="unnamed")


class Migration(migrations.Migration):
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    used = source.replace('rows.objects.filter(name="")', 'shop.models.Product.objects.filter(name="")')
    assert codes_lines(imports_models(review, used)) == [("DJR503", PATH, 4)]


def test_an_alias_imported_in_the_function_for_a_constant_is_no_query(review):
    # akvo-rsr: `from rsr.models import Partnership as ps` read only as `ps.TYPES_TO_ROLES[...]`
    source = """
from django.db import migrations


def fill(apps, schema_editor):
    from shop.models import Product as p
    Product = apps.get_model("shop", "Product")
    for row in Product.objects.all():
        row.name = p.KINDS_TO_NAMES[row.kind]
        row.save()


class Migration(migrations.Migration):
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
"""
    assert imports_models(review, source) == []
    queried = source.replace("row.name = p.KINDS_TO_NAMES[row.kind]", "row.name = p.objects.count()")
    assert codes_lines(imports_models(review, queried)) == [("DJR503", PATH, 6)]
