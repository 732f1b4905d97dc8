"""DJR502 irreversible-runsql: a migration's RunSQL without reverse_sql."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/migrations/0003_index.py"
HEAD = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_backfill")]
"""


def runsql(review, operations: str):
    return review({PATH: HEAD + operations, "shop/__init__.py": ""}, select=("DJR502",))


def test_reports_runsql_without_reverse_sql_and_names_the_undoing_statement(review):
    source = '    operations = [migrations.RunSQL("CREATE INDEX shop_book_title ON shop_book (title)")]\n'
    findings = runsql(review, source)
    assert codes_lines(findings) == [("DJR502", PATH, 7)]
    assert findings[0].text == (
        "RunSQL (CREATE INDEX) has no reverse_sql: Django cannot unapply this migration, so migrating back "
        "past it stops with IrreversibleError. Pass reverse_sql with the statement that undoes it (DROP INDEX), "
        "or reverse_sql=migrations.RunSQL.noop if undoing needs nothing."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(HEAD + source, findings).endswith(
        '    operations = [migrations.RunSQL("CREATE INDEX shop_book_title ON shop_book (title)", '
        "reverse_sql=migrations.RunSQL.noop)]\n"
    )


def test_reports_reverse_sql_none_and_replaces_it(review):
    source = '    operations = [migrations.RunSQL(sql="UPDATE shop_book SET stock = 0", reverse_sql=None)]\n'
    findings = runsql(review, source)
    assert "RunSQL (UPDATE) has reverse_sql=None" in findings[0].text
    assert fixed(HEAD + source, findings).endswith("reverse_sql=migrations.RunSQL.noop)]\n")


def test_sql_built_at_run_time_is_reported_without_naming_a_statement(review):
    findings = runsql(review, "    operations = [migrations.RunSQL(SQL)]\nSQL = ['SELECT 1']\n")
    assert findings[0].text.startswith("RunSQL has no reverse_sql")


def test_not_reported_with_reverse_sql_positional_keyword_or_noop(review):
    source = """    operations = [
        migrations.RunSQL("CREATE EXTENSION citext", "DROP EXTENSION citext"),
        migrations.RunSQL("UPDATE shop_book SET stock = 0", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(sql=["SELECT 1"], reverse_sql=["SELECT 1"]),
    ]
"""
    assert runsql(review, source) == []


def test_a_dropped_index_names_the_create_index_that_made_it(review):
    findings = runsql(review, '    operations = [migrations.RunSQL("DROP INDEX IF EXISTS shop_book_title")]\n')
    assert "RunSQL (DROP INDEX) has no reverse_sql" in findings[0].text
    assert "(the CREATE INDEX that made it)" in findings[0].text


def test_an_unlisted_statement_is_named_by_its_first_word(review):
    findings = runsql(review, '    operations = [migrations.RunSQL("update shop_book set stock = 0")]\n')
    assert findings[0].text.startswith("RunSQL (UPDATE) has no reverse_sql")


def test_a_migration_whose_runsql_calls_all_have_a_reverse_is_never_parsed(review, parses):
    code = """
from django.db import migrations


class Migration(migrations.Migration):
    operations = [migrations.RunSQL("CREATE INDEX i ON t (c)", "DROP INDEX i")]
"""
    assert review({"shop/migrations/0002_index.py": code, "shop/__init__.py": ""}, select=("DJR502",)) == []
    assert parses == []  # ruled out by the index's migration facts: no CST


def test_a_runsql_made_inside_a_runpython_function_is_no_operation(review):
    # mygpo: `migrations.RunSQL(...)` built inside the RunPython function is an object that
    # nothing runs (the index is never made): not an irreversible operation. The twin, a helper
    # without a schema editor that returns the operation for the list, is one
    source = """
from django.db import migrations


def forwards(apps, schema_editor):
    migrations.RunSQL("CREATE INDEX shop_book_title ON shop_book (title)")


def index_operation():
    return migrations.RunSQL("CREATE INDEX shop_book_year ON shop_book (year)")


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_backfill")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop), index_operation()]
"""
    findings = review({PATH: source, "shop/__init__.py": ""}, select=("DJR502",))
    assert codes_lines(findings) == [("DJR502", PATH, 10)]
