"""DJR504 breaking-schema-change: a migration change that breaks the code still running
during a deploy, decided from the app's migration state (index/migration_state.py)."""

from __future__ import annotations

from tests.helpers import codes_lines

INITIAL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("title", models.CharField(max_length=200)),
                ("subtitle", models.CharField(max_length=200, null=True)),
                ("isbn", models.CharField(max_length=13)),
                ("pages", models.IntegerField(null=True)),
                ("tags", models.ManyToManyField(to="shop.tag")),
            ],
        ),
    ]
"""
PATH = "shop/migrations/0002_change.py"
HEAD = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

"""


def migrate(review, operations: str, extra: dict[str, str] | None = None, path: str = PATH):
    files = {
        "shop/__init__.py": "",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": INITIAL,
        path: HEAD + operations,
        **(extra or {}),
    }
    return review(files, select=("DJR504",))


def test_remove_field_of_an_earlier_model_is_reported_with_the_recipe(review):
    findings = migrate(review, '    operations = [migrations.RemoveField(model_name="book", name="isbn")]\n')
    assert codes_lines(findings) == [("DJR504", PATH, 7)]
    assert findings[0].text.startswith(
        "RemoveField drops book.isbn from the database: the code still running during the deploy (the "
        "previous release) still reads and writes it, and fails. Split it over two releases"
    )
    assert "SeparateDatabaseAndState(state_operations=[...])" in findings[0].text
    assert findings[0].fix.applicability == "suggestion"


def test_rename_delete_and_rename_model_are_reported(review):
    source = """    operations = [
        migrations.RenameField(model_name="book", old_name="title", new_name="name"),
        migrations.RenameModel(old_name="Book", new_name="Volume"),
        migrations.DeleteModel(name="Volume"),
    ]
"""
    findings = migrate(review, source)
    assert codes_lines(findings) == [("DJR504", PATH, 8), ("DJR504", PATH, 9), ("DJR504", PATH, 10)]
    assert "RenameField renames the column book.title to name" in findings[0].text
    assert "db_column='title'" in findings[0].text
    assert "RenameModel renames the table of book" in findings[1].text
    assert findings[2].text.startswith("DeleteModel drops the table of volume")


def test_rename_that_keeps_the_column_or_table_is_not_reported(review):
    source = """    operations = [
        migrations.AlterField(model_name="book", name="title", field=models.CharField(max_length=200, db_column="title")),
        migrations.RenameField(model_name="book", old_name="title", new_name="name"),
    ]
"""
    assert migrate(review, source) == []


def test_not_null_add_field_with_a_python_default_gets_the_softer_message_and_db_default(review):
    source = '    operations = [migrations.AddField("book", "stock", models.IntegerField(default=0))]\n'
    findings = migrate(review, source)
    assert codes_lines(findings) == [("DJR504", PATH, 7)]
    assert findings[0].text == (
        "AddField adds the NOT NULL column book.stock with no database default: Django fills the existing rows "
        "(0), then drops the default, so inserts by the code still running during the deploy (the previous "
        "release), which leave the column out, fail. Give the model field db_default=0 (Django 5.0+; the "
        "database then fills it for the old code too), or add it with null=True and make it NOT NULL in a "
        "later release."
    )


def test_not_null_add_field_without_any_default(review):
    source = '    operations = [migrations.AddField("book", "stock", models.IntegerField())]\n'
    findings = migrate(review, source)
    assert "with no default: the migration fails on existing rows" in findings[0].text


def test_blank_char_field_gets_the_implicit_empty_string(review):
    source = '    operations = [migrations.AddField("book", "note", models.CharField(max_length=9, blank=True))]\n'
    assert 'db_default=""' in migrate(review, source)[0].text


def test_nullable_m2m_and_db_default_add_fields_are_not_reported(review):
    source = """    operations = [
        migrations.AddField("book", "note", models.TextField(null=True)),
        migrations.AddField("book", "shelves", models.ManyToManyField(to="shop.shelf")),
        migrations.AddField("book", "stock", models.IntegerField(db_default=0)),
    ]
"""
    assert migrate(review, source) == []


def test_changes_to_a_model_created_in_the_same_migration_are_not_reported(review):
    source = """    operations = [
        migrations.CreateModel(name="Shelf", fields=[("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=9))]),
        migrations.AddField("shelf", "rows", models.IntegerField(default=1)),
        migrations.RemoveField("shelf", "name"),
        migrations.DeleteModel("Shelf"),
    ]
"""
    assert migrate(review, source) == []


def test_model_created_by_a_later_migration_is_not_reported_in_it(review):
    # 0002 creates Shelf; 0003 adds a NOT NULL field: reported there, not in 0002
    source = """    operations = [
        migrations.CreateModel(name="Shelf", fields=[("id", models.AutoField(primary_key=True))]),
    ]
"""
    later = HEAD.replace('("shop", "0001_initial")', '("shop", "0002_change")') + (
        '    operations = [migrations.AddField("shelf", "rows", models.IntegerField(default=1))]\n'
    )
    findings = migrate(review, source, {"shop/migrations/0003_rows.py": later})
    assert codes_lines(findings) == [("DJR504", "shop/migrations/0003_rows.py", 7)]


def test_alter_field_to_not_null_is_reported_unless_backfilled(review):
    source = '    operations = [migrations.AlterField("book", "pages", models.IntegerField())]\n'
    findings = migrate(review, source)
    assert codes_lines(findings) == [("DJR504", PATH, 7)]
    assert findings[0].text.startswith("AlterField makes book.pages NOT NULL, and no data migration touched book")
    backfilled = (
        """

def fill(apps, schema_editor):
    apps.get_model("shop", "Book").objects.filter(pages=None).update(pages=0)

"""
        + HEAD.replace("from django.db import migrations, models\n", "")
        + """    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("book", "pages", models.IntegerField()),
    ]
"""
    )
    assert migrate(review, "", path="shop/migrations/0002_change.py") == []  # empty HEAD: no operations
    files = {"shop/migrations/0002_change.py": "from django.db import migrations, models\n" + backfilled}
    assert migrate(review, "    operations = []\n", files) == []


def test_alter_field_that_keeps_nullability_is_not_reported(review):
    source = """    operations = [
        migrations.AlterField("book", "pages", models.IntegerField(null=True, help_text="How many")),
        migrations.AlterField("book", "title", models.CharField(max_length=300)),
    ]
"""
    assert migrate(review, source) == []


def test_alter_field_with_a_default_says_django_fills_the_null_rows(review):
    source = '    operations = [migrations.AlterField("book", "pages", models.IntegerField(default=0))]\n'
    assert "Django sets its NULL rows to the default" in migrate(review, source)[0].text


def test_state_only_removal_of_a_nullable_column_and_the_later_drop_are_the_recipe(review):
    source = """    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("book", "subtitle")],
        ),
    ]
"""
    drop = (
        HEAD.replace('("shop", "0001_initial")', '("shop", "0002_change")')
        + """    operations = [
        migrations.RunSQL("ALTER TABLE shop_book DROP COLUMN subtitle", migrations.RunSQL.noop),
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL("DROP TABLE shop_old")]),
    ]
"""
    )
    findings = migrate(review, source, {"shop/migrations/0003_drop.py": drop})
    assert codes_lines(findings) == [("DJR504", "shop/migrations/0003_drop.py", 9)]  # shop_old: never forgotten
    assert findings[0].text.startswith("RunSQL runs drop table on shop_old")


def test_state_only_removal_of_a_not_null_column_is_reported_inside_separate_database_and_state(review):
    source = """    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField("book", "isbn"),
            ],
        ),
    ]
"""
    findings = migrate(review, source)
    assert codes_lines(findings) == [("DJR504", PATH, 10)]
    assert "forgets the NOT NULL column book.isbn" in findings[0].text
    assert "new code's inserts leave it out and fail" in findings[0].text


def test_made_nullable_earlier_then_state_only_removal_is_clean(review):
    source = """    operations = [
        migrations.AlterField("book", "isbn", models.CharField(max_length=13, null=True)),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField("book", "isbn")]),
    ]
"""
    assert migrate(review, source) == []


def test_run_sql_that_drops_or_renames_columns_is_reported(review):
    source = """    operations = [
        migrations.RunSQL("ALTER TABLE shop_book RENAME COLUMN isbn TO ean", "ALTER TABLE shop_book RENAME COLUMN ean TO isbn"),
        migrations.RunSQL("ALTER TABLE shop_book ALTER COLUMN title DROP NOT NULL", migrations.RunSQL.noop),
        migrations.RunSQL("ALTER TABLE shop_book DROP CONSTRAINT x", migrations.RunSQL.noop),
    ]
"""
    findings = migrate(review, source)
    assert codes_lines(findings) == [("DJR504", PATH, 8)]
    assert findings[0].text.startswith("RunSQL runs rename column on shop_book.isbn")


def test_squashed_migration_does_not_double_count(review):
    squash = """from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [("shop", "0001_initial"), ("shop", "0002_change")]
    dependencies = []

    operations = [
        migrations.CreateModel(name="Book", fields=[("id", models.AutoField(primary_key=True)), ("isbn", models.CharField(max_length=13))]),
        migrations.RemoveField("book", "isbn"),
    ]
"""
    later = HEAD.replace('("shop", "0001_initial")', '("shop", "0001_squashed_0002")') + (
        '    operations = [migrations.RemoveField(model_name="book", name="title")]\n'
    )
    findings = migrate(
        review,
        '    operations = [migrations.RemoveField(model_name="book", name="isbn")]\n',
        {"shop/migrations/0001_squashed_0002.py": squash, "shop/migrations/0003_more.py": later},
    )
    assert codes_lines(findings) == [
        ("DJR504", PATH, 7),
        ("DJR504", "shop/migrations/0003_more.py", 7),
    ]


def test_app_label_from_the_dependencies_and_other_apps_ignored(review):
    other = HEAD.replace('("shop", "0001_initial")', '("shop", "0001_initial"), ("auth", "0012_x")') + (
        '    operations = [migrations.RemoveField(model_name="book", name="isbn")]\n'
    )
    findings = migrate(review, "    operations = []\n", {PATH: other})
    assert codes_lines(findings) == [("DJR504", PATH, 7)]


def test_custom_operations_and_unknown_models_stay_silent(review):
    source = """    operations = [
        migrations.RemoveField(model_name="ghost", name="x"),
        migrations.AlterField("book", "unknown", models.IntegerField()),
    ]
"""
    assert migrate(review, source) == []


def test_second_initial_migration_of_the_same_release_is_not_reported(review):
    # makemigrations splits an app's first migration when its relations form a cycle
    split = HEAD.replace(
        "class Migration(migrations.Migration):\n", "class Migration(migrations.Migration):\n    initial = True\n"
    )
    source = '    operations = [migrations.AddField("book", "shelf", models.ForeignKey(to="shop.shelf", on_delete=models.CASCADE))]\n'
    assert migrate(review, "", {PATH: split + source}) == []
    old_style = "shop/migrations/0002_auto_20140827_1705.py"
    assert migrate(review, source, path=old_style) == []  # before Django 1.9: no `initial`
    assert len(migrate(review, source)) == 1  # a later migration adding the same column


def test_custom_null_field_classes_are_unknown(review):
    source = '    operations = [migrations.AddField("book", "code", NullCharField(max_length=9, unique=True))]\n'
    assert migrate(review, "from oscar.models.fields import NullCharField\n" + source) == []


def test_fields_removed_before_their_model_is_deleted_are_judged_with_the_delete(review):
    moved = """    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("book", "isbn"), migrations.DeleteModel("Book")],
        ),
    ]
"""
    assert migrate(review, moved) == []  # a model moved to another app: its table stays
    dropped = '    operations = [migrations.RemoveField("book", "isbn"), migrations.DeleteModel("Book")]\n'
    findings = migrate(review, dropped)
    assert [f.text.split(" ")[0] for f in findings] == ["DeleteModel"]


def test_state_only_removals_of_a_model_moved_to_another_app_later_are_clean(review):
    source = """    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField("book", "isbn")]),
    ]
"""
    later = (
        HEAD.replace('("shop", "0001_initial")', '("shop", "0002_change")')
        + """    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Book")]),
    ]
"""
    )
    assert migrate(review, source, {"shop/migrations/0003_move.py": later}) == []


def test_findings_are_located_from_the_index_without_a_cst(review, parses):
    # a non-ASCII string before the call: the stdlib parser counts bytes, a finding counts characters
    source = '    operations = ["é", migrations.RemoveField(model_name="book", name="isbn")]\n'
    findings = migrate(review, source)
    start = source.index("migrations.RemoveField") + 1
    end = source.index(")]") + 2  # exclusive, after the call's closing parenthesis
    assert [(f.line, f.column, f.end_line, f.end_column) for f in findings] == [(7, start, 7, end)]
    assert parses == []  # no rule but DJR504 wanted the file: it was never parsed with libcst


def test_a_finding_located_from_the_index_answers_to_noqa(review):
    source = """    operations = [
        migrations.RemoveField(model_name="book", name="isbn"),  # noqa: DJR504
        migrations.RemoveField(model_name="book", name="title"),
    ]
"""
    assert codes_lines(migrate(review, source)) == [("DJR504", PATH, 9)]


def test_a_rename_back_to_the_dropped_name_is_not_the_break_the_drop_is(review):
    # djangorestframework-simplejwt: add jti_hex, copy, drop jti, rename jti_hex to jti
    source = """    operations = [
        migrations.AddField("book", "isbn_text", models.CharField(max_length=13, null=True)),
        migrations.RunSQL("UPDATE shop_book SET isbn_text = isbn", migrations.RunSQL.noop),
        migrations.RemoveField("book", "isbn"),
        migrations.RenameField("book", "isbn_text", "isbn"),
    ]
"""
    assert [line for _, _, line in codes_lines(migrate(review, source))] == [10]
    # the twin: a rename to a name no step dropped still breaks the old code
    other = source.replace('RenameField("book", "isbn_text", "isbn")', 'RenameField("book", "title", "name")')
    assert [line for _, _, line in codes_lines(migrate(review, other))] == [10, 11]


def test_dropping_a_column_an_earlier_migration_made_nullable_is_the_recipe_s_last_step(review):
    # edx-proctoring: release N makes video_url nullable, N+1 stops using it, N+2 drops it
    retire = """    operations = [migrations.AlterField("book", "isbn", models.CharField(max_length=13, null=True))]
"""
    drop = HEAD.replace('("shop", "0001_initial")', '("shop", "0002_change")') + (
        '    operations = [migrations.RemoveField("book", "isbn")]\n'
    )
    later = "shop/migrations/0003_drop.py"
    assert migrate(review, retire, {later: drop}) == []
    # the twins: nullable from the start (never retired), or made nullable in the same migration
    nullable = drop.replace('"isbn"', '"subtitle"')
    assert [(p, line) for _, p, line in codes_lines(migrate(review, retire, {later: nullable}))] == [(later, 7)]
    same = retire.replace("]\n", ', migrations.RemoveField("book", "isbn")]\n')
    empty = drop.replace('[migrations.RemoveField("book", "isbn")]', "[]")
    assert [line for _, _, line in codes_lines(migrate(review, same, {later: empty}))] == [7]


def test_a_library_s_example_project_migrations_are_not_deployed(review):
    # dj-payfast's example shop under `examples/` (not a package): nobody deploys it
    operations = '    operations = [migrations.RemoveField(model_name="book", name="isbn")]\n'
    files = {
        "examples/store/shop/__init__.py": "",
        "examples/store/shop/migrations/__init__.py": "",
        "examples/store/shop/migrations/0001_initial.py": INITIAL,
        "examples/store/shop/migrations/0002_change.py": HEAD + operations,
    }
    assert review(files, select=("DJR504",)) == []
    assert codes_lines(migrate(review, operations)) == [("DJR504", PATH, 7)]
