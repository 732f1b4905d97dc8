"""DJR501 irreversible-runpython: a migration's RunPython without reverse_code."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/migrations/0002_backfill.py"
HEAD = """
from django.db import migrations, models


def backfill(apps, schema_editor):
    Book = apps.get_model("shop", "Book")
    Book.objects.filter(slug="").update(slug="x")


def fill_stats(apps, schema_editor):
    Stat = apps.get_model("shop", "Stat")
    Stat.objects.create(name="all")


def undo(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
"""


def runpython(review, operations: str, path: str = PATH, **settings):
    return review({path: HEAD + operations, "shop/__init__.py": ""}, select=("DJR501",), **settings)


def test_reports_runpython_without_reverse_code_at_the_call(review):
    findings = runpython(review, "    operations = [migrations.RunPython(backfill)]\n")
    assert codes_lines(findings) == [("DJR501", PATH, 21)]
    assert findings[0].column == 19
    assert findings[0].text == (
        "RunPython(backfill) has no reverse_code: Django cannot unapply this migration, so "
        "`migrate shop <earlier migration>` stops with IrreversibleError and a rollback cannot go back past it. "
        "Write a function that undoes backfill and pass it as reverse_code, or pass "
        "reverse_code=migrations.RunPython.noop if undoing needs nothing (the rows it changed can stay as they are)."
    )
    assert findings[0].fix.applicability == "unsafe"  # only the author knows whether it needs an undo


def test_reports_an_explicit_reverse_code_none_and_the_fix_replaces_it(review):
    source = "    operations = [migrations.RunPython(backfill, None)]\n"
    findings = runpython(review, source)
    assert "has reverse_code=None" in findings[0].text
    assert fixed(HEAD + source, findings).endswith(
        "    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]\n"
    )


def test_keyword_none_is_reported_too(review):
    findings = runpython(review, "    operations = [migrations.RunPython(code=backfill, reverse_code=None)]\n")
    assert codes_lines(findings) == [("DJR501", PATH, 21)]


def test_fix_is_safe_when_the_function_only_fills_models_this_migration_creates(review):
    source = """    operations = [
        migrations.CreateModel(name="Stat", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.RunPython(
            fill_stats,
            elidable=True,
        ),
    ]
"""
    findings = runpython(review, source)
    assert codes_lines(findings) == [("DJR501", PATH, 23)]
    assert findings[0].fix.applicability == "safe"
    assert "fill_stats only fills tables this migration creates" in findings[0].text
    assert fixed(HEAD + source, findings).endswith(
        """        migrations.RunPython(
            fill_stats,
            elidable=True,
            reverse_code=migrations.RunPython.noop,
        ),
    ]
"""
    )


def test_fix_is_unsafe_when_a_model_comes_from_an_earlier_migration(review):
    source = """    operations = [
        migrations.CreateModel(name="Stat", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.RunPython(backfill),
    ]
"""
    assert runpython(review, source)[0].fix.applicability == "unsafe"


def test_initial_migration_is_reported_too(review):
    findings = runpython(
        review, "    operations = [migrations.RunPython(backfill)]\n", "shop/migrations/0001_initial.py"
    )
    assert codes_lines(findings) == [("DJR501", "shop/migrations/0001_initial.py", 21)]


def test_runpython_imported_by_name_is_reported_and_the_noop_spelled_alike(review):
    source = """
from django.db.migrations import Migration as Base, RunPython


def forwards(apps, schema_editor):
    pass


class Migration(Base):
    operations = [RunPython(forwards)]
"""
    findings = review({PATH: source, "shop/__init__.py": ""}, select=("DJR501",))
    assert codes_lines(findings) == [("DJR501", PATH, 10)]
    assert fixed(source, findings).endswith("operations = [RunPython(forwards, reverse_code=RunPython.noop)]\n")


def test_not_reported_with_a_reverse_function_or_noop(review):
    source = """    operations = [
        migrations.RunPython(backfill, undo),
        migrations.RunPython(backfill, reverse_code=migrations.RunPython.noop),
        migrations.RunPython(fill_stats, migrations.RunPython.noop),
    ]
"""
    assert runpython(review, source) == []


def test_not_reported_when_arguments_come_from_a_mapping(review):
    source = "    operations = [migrations.RunPython(backfill, **OPTIONS)]\nOPTIONS = {}\n"
    assert runpython(review, source) == []


def test_not_reported_outside_migrations_nor_for_a_project_class_named_runpython(review):
    outside = "from django.db import migrations\n\nOPERATION = migrations.RunPython(print)\n"
    own = """
class RunPython:
    def __init__(self, code):
        self.code = code


def forwards(apps, schema_editor):
    pass


operations = [RunPython(forwards)]
"""
    files = {"shop/operations.py": outside, PATH: own, "shop/__init__.py": ""}
    assert review(files, select=("DJR501",)) == []


def test_migrations_of_test_apps_are_skipped_by_default(review):
    path = "tests/testapp/migrations/0002_backfill.py"
    assert runpython(review, "    operations = [migrations.RunPython(backfill)]\n", path) == []


def test_the_app_label_comes_from_the_apps_config_when_it_differs_from_the_folder(review):
    apps = """
from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    label = "shopcore"
"""
    migration = """
from django.db import migrations, models


def first_user(apps, schema_editor):
    apps.get_model("shopcore", "Customer").objects.create(name="admin")


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(name="Customer", fields=[("id", models.AutoField(primary_key=True))]),
        migrations.RunPython(first_user),
    ]
"""
    path = "shop/migrations/0001_initial.py"
    findings = review({path: migration, "shop/apps.py": apps, "shop/__init__.py": ""}, select=("DJR501",))
    assert codes_lines(findings) == [("DJR501", path, 13)]
    assert "`migrate shopcore <earlier migration>`" in findings[0].text
    assert findings[0].fix.applicability == "safe"


def test_a_migration_whose_runpython_calls_all_have_a_reverse_is_never_parsed(review, parses):
    operations = """    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(fill_stats, reverse_code=undo),
    ]
"""
    assert runpython(review, operations) == []
    assert parses == []  # ruled out from the stdlib tree: no CST


def test_one_runpython_without_a_reverse_among_reversible_ones_is_still_reviewed(review, parses):
    operations = """    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(fill_stats, reverse_code=None),
    ]
"""
    assert [f.code for f in runpython(review, operations)] == ["DJR501"]
    assert parses == [PATH]


def test_a_runpython_held_in_a_name_outside_the_list_is_still_reviewed(review, parses):
    """The index's migration facts rule files out (no stdlib tree in the review): they read
    every RunPython call of the file, not only the ones written in the `operations` list."""
    operations = """    fill = migrations.RunPython(fill_stats)
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop), fill]
"""
    assert codes_lines(runpython(review, operations)) == [("DJR501", PATH, 21)]
    assert parses == [PATH]
