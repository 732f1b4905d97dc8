"""DJR401 raw-sql-interpolation: SQL text built from non-literal parts, passed to the database."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

HEAD = """
from django.db import connection, connections
from django.db.models.expressions import RawSQL

from shop.models import Book

TABLE = "shop_book"
"""


def sql(review, body: str):
    return review(
        {
            "shop/models.py": "from django.db import models\n\nclass Book(models.Model):\n    title = models.CharField(max_length=9)\n",
            "shop/reports.py": HEAD + body,
        },
        select=("DJR401",),
    )


def lines(findings) -> list[int]:
    return [line for _, _, line in codes_lines(findings)]


def test_reports_an_f_string_passed_to_cursor_execute_and_fixes_it_with_a_parameter(review):
    body = """
def sales(request):
    year = request.GET["year"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM sales WHERE year = {year}")
"""
    findings = sql(review, body)
    assert codes_lines(findings) == [("DJR401", "shop/reports.py", 12)]
    assert findings[0].message == (
        "SQL passed to cursor.execute() is built from year with string formatting: a value that reaches it "
        "from a request can change the query (SQL injection)."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(HEAD + body, findings) == fixed(
        HEAD
        + body.replace('f"SELECT * FROM sales WHERE year = {year}")', '"SELECT * FROM sales WHERE year = %s", [year])'),
        [],
    )


def test_percent_of_a_quoted_value_loses_its_quotes_and_literal_percent_signs_are_doubled(review):
    body = """
def search(request):
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM book WHERE title LIKE 'a%%' AND name = '%s'" % request.user.username)
"""
    findings = sql(review, body)
    assert lines(findings) == [11]
    assert fixed(HEAD + body, findings).splitlines()[-1] == (
        "    cursor.execute(\"SELECT * FROM book WHERE title LIKE 'a%%' AND name = %s\", [request.user.username])"
    )


def test_an_identifier_position_gets_a_suggestion_not_an_edit(review):
    body = """
def ordered(request):
    order = request.GET["order"]
    with connections["replica"].cursor() as c:
        c.execute(f"SELECT * FROM book ORDER BY {order}")
"""
    findings = sql(review, body)
    assert lines(findings) == [12]
    assert findings[0].fix.applicability == "suggestion" and not findings[0].fix.edits


def test_follows_a_local_variable_through_plus_equals(review):
    body = """
def filtered(request):
    where = "WHERE 1 = 1"
    if request.GET.get("author"):
        where += " AND author = '" + request.GET["author"] + "'"
    sql = "SELECT * FROM book " + where
    with connection.cursor() as cursor:
        cursor.execute(sql)
"""
    findings = sql(review, body)
    assert lines(findings) == [15]
    assert 'request.GET["author"]' in findings[0].message


def test_reports_raw_extra_and_rawsql(review):
    body = """
def listing(request, name):
    a = Book.objects.raw("SELECT * FROM shop_book WHERE title = '%s'" % name)
    b = Book.objects.extra(where=["title = '" + name + "'"])
    c = Book.objects.annotate(x=RawSQL("SELECT %s FROM t" % request.GET["column"], []))
    return a, b, c
"""
    assert lines(sql(review, body)) == [10, 11, 12]


def test_an_identifier_from_code_is_quiet_where_a_name_goes_and_reported_where_a_value_goes(review):
    """A table, a column or a clause (`FROM {table}`, `ALTER SCHEMA {old} RENAME TO {new}`,
    `{alias}.count`, `{prefix} {query}`) is put there by code: quoted, read from the schema or the
    catalog. Unless it comes from the request, a reviewer sees no injection. The same unknown
    value where a value goes (after `=`, in `IN (...)`, in quotes) is still reported."""
    body = """
def rename(old, new):
    with connection.cursor() as cursor:
        cursor.execute("ALTER SCHEMA {0} RENAME TO {1}".format(quoted(old), quoted(new)))


def count(query, alias):
    return RawSQL("{0}.count".format(alias), [])


def explain(prefix, query, params):
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {query}", params)
        cursor.execute("DROP TABLE " + query)


def drop_constraints(table):
    with connection.cursor() as cursor:
        for name in constraint_names(cursor, table):
            cursor.execute(f"ALTER TABLE {table} DROP FOREIGN KEY {name}")


def by_title(title, ids):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE} WHERE title = {title}")
        cursor.execute("SELECT * FROM book WHERE id IN ({})".format(", ".join(ids)))
        cursor.execute(f"SELECT * FROM book WHERE title LIKE '%{title}%'")


def sorted_books(request, slug):
    order = request.GET.get("order", "title")
    where = f"slug = '{slug}'"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM book ORDER BY {order}")
        cursor.execute(f"SELECT * FROM book WHERE {where}")
"""
    findings = sql(review, body)
    assert lines(findings) == [32, 33, 34, 41, 42]
    assert "built from order" in findings[3].message
    assert "built from slug" in findings[4].message


def test_not_reported_for_literal_sql_with_parameters_and_a_placeholder_list(review):
    body = """
ORDER = "title"


def safe(ids, name):
    placeholders = ", ".join(["%s"] * len(ids))
    marks = ",".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM book WHERE title = %s", [name])
        cursor.execute(f"SELECT * FROM {TABLE} WHERE id IN ({placeholders}) ORDER BY {ORDER}", ids)
        cursor.execute("SELECT * FROM book WHERE id IN (%s)" % marks, ids)
        cursor.execute("SELECT * FROM book WHERE id = %d" % len(ids))
"""
    assert sql(review, body) == []


def test_not_reported_for_identifiers_from_code(review):
    body = """
def counts(model, field):
    table = model._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name(table))
        cursor.execute(f"SELECT {qn(field.column)} FROM {qn(table)}")
        cursor.execute("TRUNCATE %s" % Book._meta.db_table)
        for name in ("a", "b"):
            cursor.execute(f"DELETE FROM {name}")
        sql, params = Book.objects.all().query.sql_with_params()
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) sub", params)
"""
    assert sql(review, body) == []


def test_not_reported_for_sql_passed_on_as_it_came(review):
    body = """
def run(query, params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.execute(build_query(params))
"""
    assert sql(review, body) == []


def test_execute_on_something_that_is_no_database_cursor_is_not_reported(review):
    body = """
def other(name, pool, db):
    pool.execute(f"task {name}")
    runner = pool.cursor()
    runner.execute(f"SELECT {name}")
    db.execute(f"SELECT * FROM t WHERE a = {name}")
"""
    assert sql(review, body) == []


def test_a_module_that_generates_sql_for_the_orm_is_not_reviewed(review):
    body = """
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def rename(table, old, new):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME {old} TO {new}")
"""
    assert sql(review, body) == []


def test_numbers_keys_and_the_objects_own_settings_are_not_reported(review):
    body = """
class Visits:
    mode = "IMMEDIATE"

    def run(self, user, review_request, rows):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM t WHERE id = %d" % rows)
            cursor.execute("UPDATE %(table)s SET x = 1 WHERE id = %(id)s" % {
                "table": Book._meta.db_table,
                "id": review_request.pk,
            })
            cursor.execute(f"BEGIN {self.mode}")
            cursor.execute(f"SET ROLE {self.role}")
            for i, table in enumerate(("a", "b")):
                cursor.execute(f"DELETE FROM {table} WHERE n > {i}")
"""
    assert sql(review, body) == []


def test_a_management_command_is_not_reviewed(review):
    files = {
        "shop/models.py": "from django.db import models\n",
        "shop/management/commands/lock.py": HEAD
        + """
def handle(lock_id):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_lock({lock_id})")
""",
    }
    assert review(files, select=("DJR401",)) == []


def test_executemany_gets_a_suggestion_its_parameters_are_rows(review):
    body = """
def bulk(request, rows):
    table_suffix = request.GET["suffix"]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO t_{table_suffix} VALUES (%s)", rows)
        cursor.executemany(f"DELETE FROM t WHERE id = {rows[0].pk} AND name = {rows[0].name}")
"""
    findings = sql(review, body)
    assert lines(findings) == [12, 13]
    assert all(f.fix.applicability == "suggestion" for f in findings)


def test_a_file_that_passes_only_literal_sql_is_never_parsed(review, parses):
    body = """
def titles(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM shop_book WHERE id = %s", [pk])
        return cursor.fetchall()
"""
    assert sql(review, body) == []
    assert "shop/reports.py" not in parses  # ruled out from the stdlib tree


def test_sql_held_by_a_name_is_still_reviewed(review, parses):
    body = """
def titles(pk):
    query = f"SELECT title FROM shop_book WHERE id = {pk}"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()
"""
    assert [code for code, _, _ in codes_lines(sql(review, body))] == ["DJR401"]
    assert "shop/reports.py" in parses


def test_numbers_from_clocks_and_enumerate_and_values_the_driver_quoted(review):
    # askbot: `time.time()`; feincms: the index of `enumerate()` in a comprehension; kolibri:
    # rows quoted by psycopg's `cursor.mogrify()`
    body = """
import time


def purge():
    Book.objects.extra(where=[f"issued + lifetime < {time.time()}"]).delete()


def counts(kinds):
    tmpl = " ".join(["SELECT %d AS idx, COUNT(id) FROM %s", "GROUP BY parent_id"])
    query = " UNION ".join(tmpl % (idx, kind._meta.db_table) for idx, kind in enumerate(kinds))
    with connection.cursor() as cursor:
        cursor.execute(query)


def upsert(raw, rows):
    cursor = raw.cursor()
    values = ", ".join(cursor.mogrify("(%s, %s)", row).decode() for row in rows)
    cursor.execute("INSERT INTO item (id, name) VALUES {} ON CONFLICT (id) DO NOTHING".format(values))


def still_reported(kinds):
    query = " UNION ".join("SELECT id FROM x WHERE kind = '%s'" % (kind,) for idx, kind in enumerate(kinds))
    with connection.cursor() as cursor:
        cursor.execute(query)
"""
    findings = sql(review, body)
    assert lines(findings) == [32]
    assert "built from kind" in findings[0].message


def test_settings_are_the_deployment_s_not_a_request_s(review):
    # django-tenants: the schema and database names come from settings
    body = """
from django.conf import settings


def create_schema(name):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {settings.PUBLIC_SCHEMA_NAME}")
        cursor.execute("SELECT pg_size('%s')" % settings.DATABASES["default"]["NAME"])
        cursor.execute(f"SELECT pg_size('{name}')")
"""
    findings = sql(review, body)
    assert lines(findings) == [16]
    assert "built from name" in findings[0].message


def test_names_from_code_through_chains_dicts_and_settings_lookups(review):
    # askbot: `"ts_rank(" + table + "." + column + ...`; kolibri: one name in three places;
    # watson: `.format(**names)` of quoted identifiers; django-tenants: `DATABASES[...].get(...)`
    body = """
from django.conf import settings


def rank(table, column):
    clause = "ts_rank(" + table + "." + column + ", plainto_tsquery(%s))"
    return Book.objects.extra(select={"relevance": clause}, select_params=["x"])


def upsert(column_names):
    sets = ", ".join(
        "{column} = COALESCE(EXCLUDED.{column}, t.{column})".format(column=name) for name in column_names
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO t SELECT * FROM s ON CONFLICT (id) DO UPDATE SET {sets}")


def search(words):
    names = {"table": connection.ops.quote_name("t"), "op": connection.operators["iregex"]}
    where = "{table}.title {op} %s".format(**names)
    owner = settings.DATABASES["default"].get("USER", None) or "postgres"
    with connection.cursor() as cursor:
        cursor.execute('ALTER FUNCTION f() OWNER TO "{owner}"'.format(owner=owner))
    return Book.objects.extra(where=[where], params=words)


def still_reported(term, column):
    clause = "title = '" + term + "' AND " + column + " > 0"
    names = {"table": term}
    with connection.cursor() as cursor:
        cursor.execute("SELECT {table}.{column} FROM t WHERE x = {column}".format(table="t", column=column))
        cursor.execute(" ".join(["SELECT * FROM t", "WHERE id = %s"]) % term)
    return Book.objects.extra(where=[clause, "{table}.title = 1".format(**names)])
"""
    findings = sql(review, body)
    assert lines(findings) == [38, 39, 40, 40]
    assert [f.message.split(" is built from ")[1].split(" with ")[0] for f in findings] == [
        "column",
        "term",
        "term",
        "names",
    ]


def test_a_list_of_keys_joined_into_the_same_name(review):
    # django-lfs: `ids = [str(r.id) for r in qs]` then `ids = ", ".join(ids)`
    body = """
def parents(books):
    ids = [str(b.id) for b in books]
    ids = ", ".join(ids)
    titles = [b.title for b in books]
    titles = "', '".join(titles)
    with connection.cursor() as cursor:
        cursor.execute("SELECT author_id FROM shop_book WHERE id IN (%s)" % ids)
        cursor.execute("SELECT id FROM shop_book WHERE title IN ('%s')" % titles)
"""
    findings = sql(review, body)
    assert lines(findings) == [16]
    assert "built from titles with" in findings[0].message


def test_a_helper_returning_a_row_s_key_formats_a_number(review):
    # a permissions helper formats `permission_id = {perm_id}` with the id a helper of the
    # module returns (`Permission.objects.get(...).id`). The twin's helper returns a title
    body = """
def book_id(title):
    return Book.objects.get(title=title).id


def has_book(user, title):
    query = "SELECT id FROM shop_book WHERE id = {book} AND owner_id = {user}"
    query = query.format(book=book_id(title), user=user.id)
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone() is not None
"""
    assert sql(review, body) == []
    titled = body.replace("return Book.objects.get(title=title).id", "return Book.objects.get(title=title).title")
    assert lines(sql(review, titled)) == [17]


def test_a_row_s_key_read_through_a_call_is_a_number(review):
    # django-tagging formats `ContentType.objects.get_for_model(model).pk` into its SQL. The
    # twin formats the model's name
    body = """
def tagged(model):
    query = "SELECT tag_id FROM tagged WHERE content_type_id = %s" % Book.objects.get(title=model).pk
    with connection.cursor() as cursor:
        cursor.execute(query)
"""
    assert sql(review, body) == []
    assert lines(sql(review, body.replace(".get(title=model).pk", ".get(title=model).title"))) == [12]


def test_a_helper_formatting_literals_and_keys_the_call_passes_builds_code_made_sql(review):
    # taiga's `_build_sql_for_type(for_user, "task", "tasks_task")` formats `for_user.id` and the
    # literals each call passes; the request's values go as parameters. The twin passes the
    # request's value to the helper
    body = """

def _part(user, kind, table):
    sql = "SELECT {table}.id, '{kind}' AS type FROM {table} WHERE {table}.owner_id = {uid}"
    return sql.format(table=table, kind=kind, uid=user.id)


def watched(request):
    sql = "SELECT * FROM ({a} UNION {b}) AS e WHERE e.type = %s".format(
        a=_part(request.user, "task", "shop_task"), b=_part(request.user, kind="issue", table="shop_issue")
    )
    connection.cursor().execute(sql, [request.GET["type"]])
"""
    assert sql(review, body) == []
    tainted = body.replace('_part(request.user, "task", "shop_task")', '_part(request.user, request.GET["t"], "t")')
    assert lines(sql(review, tainted)) == [19]


def test_rows_of_a_select_of_keys_or_server_names_are_code_made(review):
    # peering-manager: `SELECT current_database()`; Geotrek: the ids a parameterised SELECT returned
    body = """
def size(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        name = cursor.fetchone()[0]
        cursor.execute(f"SELECT pg_database_size('{name}')")
        return cursor.fetchone()[0]


def ordered(ids):
    query = "SELECT id FROM shop_book WHERE id IN (%s)" % ", ".join(["%s"] * len(ids))
    cursor = connection.cursor()
    cursor.execute(query, ids)
    pks = [row[0] for row in cursor.fetchall()]
    order = " ".join(f"WHEN id={pk} THEN {i}" for i, pk in enumerate(pks))
    return Book.objects.extra(select={"o": f"CASE {order} END"})
"""
    assert sql(review, body) == []


def test_rows_of_a_select_of_stored_text_are_not(review):
    body = """
def size(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        cursor.execute("SELECT title FROM shop_book LIMIT 1")
        name = cursor.fetchone()[0]
        cursor.execute(f"SELECT * FROM shop_book WHERE title = '{name}'")


def ordered(ids):
    query = "SELECT title FROM shop_book WHERE id IN (%s)" % ", ".join(["%s"] * len(ids))
    cursor = connection.cursor()
    cursor.execute(query, ids)
    titles = [row[0] for row in cursor.fetchall()]
    order = " ".join(f"WHEN title='{t}' THEN {i}" for i, t in enumerate(titles))
    return Book.objects.extra(select={"o": f"CASE {order} END"})
"""
    assert lines(sql(review, body)) == [14, 23]


def test_the_values_of_a_settings_mapping_joined_into_the_sql_are_the_deployment_s(review):
    # Geotrek: `SET search_path=` the schemas its settings name
    body = """
from django.conf import settings


def set_search_path():
    path = ", ".join(("public", *tuple(set(settings.DATABASE_SCHEMAS.values()))))
    connection.cursor().execute(f"ALTER ROLE app SET search_path={path}")


def set_search_path_from(request):
    path = ", ".join(("public", *tuple(set(request.GET.values()))))
    connection.cursor().execute(f"ALTER ROLE app SET search_path={path}")
"""
    assert lines(sql(review, body)) == [19]


def test_a_date_s_iso_format_is_no_injection(review):
    # opencraft's daily log purge: `cutoff = timezone.now() - timedelta(days=settings.X)`, then
    # `'{cutoff}'` filled with `cutoff.isoformat()` (digits and `-:+.T`). The twin fills in the
    # cutoff's text as a caller gave it
    body = """
from django.utils import timezone


def purge(days):
    cutoff = timezone.now() - timezone.timedelta(days=days)
    query = "DELETE FROM shop_log WHERE created < '{cutoff}'".format(cutoff=cutoff.isoformat())
    with connection.cursor() as cursor:
        cursor.execute(query)


def purge_given(request):
    query = "DELETE FROM shop_log WHERE created < '{cutoff}'".format(cutoff=request.GET["cutoff"])
    with connection.cursor() as cursor:
        cursor.execute(query)
"""
    assert lines(sql(review, body)) == [22]


def test_an_attribute_the_view_puts_on_the_request_from_code_is_not_input(review):
    # cla_backend's search: `self.request.temp_view_name` is a literal plus get_random_string(),
    # set by the view itself, then quoted into CREATE/DROP VIEW. The twin stores a query
    # parameter on the request first
    body = """
from django.utils.crypto import get_random_string


class Search:
    def prepare(self):
        self.request.tmp_view = "search_{}".format(get_random_string(12))
        self.request.sort_column = self.request.GET.get("sort", "title")

    def run(self):
        with connection.cursor() as cursor:
            cursor.execute('CREATE TEMPORARY VIEW "{}" AS SELECT id FROM shop_book'.format(self.request.tmp_view))
            cursor.execute("SELECT id FROM shop_book ORDER BY {}".format(self.request.sort_column))
"""
    assert lines(sql(review, body)) == [20]


def test_the_items_of_a_module_mapping_of_literals_are_literals(review):
    # capstone's setup script formats `(k, v) for k, v in nsmap.items()`, a module dict of
    # namespace URLs, into a CREATE FUNCTION. The twin's mapping is built from the request
    body = """
NAMESPACES = {"inv": "http://example.org/inventory", "ord": "http://example.org/orders"}


def install():
    arrays = ", ".join("ARRAY['%s', '%s']" % (k, v) for k, v in NAMESPACES.items())
    with connection.cursor() as cursor:
        cursor.execute("SELECT xpath($1, $2, ARRAY[%s])" % arrays)


def install_given(request):
    given = {request.GET["prefix"]: request.GET["uri"]}
    arrays = ", ".join("ARRAY['%s', '%s']" % (k, v) for k, v in given.items())
    with connection.cursor() as cursor:
        cursor.execute("SELECT xpath($1, $2, ARRAY[%s])" % arrays)
"""
    assert lines(sql(review, body)) == [22]


def test_a_parameter_every_caller_gives_a_literal_or_a_setting(review):
    """capstone's statement_timeout(timeout), called with settings only; bluebottle's
    update_sequence(table), called with literal table names. The twins are reported: a
    helper one caller gives a request value, one handed on as a value (its callers unknown),
    and one whose default is not code-made."""
    db = """
from django.db import connection


def statement_timeout(timeout):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '%ss'" % timeout)


def update_sequence(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)")


def lock_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM shop_lock WHERE name = '{table}'")


def vacuum(table):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM shop_queue WHERE name = '{table}'")


def analyze(table=DEFAULT_TABLE):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM shop_stats WHERE name = '{table}'")
"""
    callers = """
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from shop import db


def count(request):
    db.statement_timeout(settings.LIVE_COUNT_TIME_LIMIT)
    db.update_sequence("shop_book")
    db.update_sequence(table="shop_author")
    db.lock_rows("shop_book")
    db.lock_rows(request.GET["table"])
    db.analyze()
    db.analyze("shop_book")
    with ThreadPoolExecutor() as pool:
        pool.submit(db.vacuum, request.GET["table"])
    db.vacuum("shop_book")


def nightly():
    db.statement_timeout(settings.TASK_COUNT_TIME_LIMIT)
"""
    findings = review({"shop/db.py": db, "shop/views.py": callers}, select=("DJR401",))
    assert codes_lines(findings) == [("DJR401", "shop/db.py", n) for n in (17, 22, 27)]


def test_keys_from_values_list_joined_into_the_sql_are_numbers(review):
    # QGIS-Django's plugin list: `list(zip(*User.objects.filter(...).values_list("id")))[0]`,
    # each `str(id)` joined into `RawSQL("... in (%s)" % ...)`: primary keys, no text. The twin
    # joins a column of text the same ways
    body = """
def trusted(request):
    ids = list(zip(*Book.objects.filter(title="x").values_list("id")))[0]
    return Book.objects.annotate(t=RawSQL("id in (%s)" % ",".join([str(i) for i in ids]), ()))


def flat(request):
    ids = Book.objects.values_list("pk", flat=True)
    return Book.objects.raw("SELECT * FROM shop_book WHERE id IN (%s)" % ",".join(str(i) for i in ids))


def titles(request):
    ids = list(zip(*Book.objects.filter(title="x").values_list("title")))[0]
    return Book.objects.annotate(t=RawSQL("id in (%s)" % ",".join([str(i) for i in ids]), ()))


def titles_flat(request):
    ids = Book.objects.values_list("title", flat=True)
    return Book.objects.raw("SELECT * FROM shop_book WHERE id IN (%s)" % ",".join(str(i) for i in ids))
"""
    assert lines(sql(review, body)) == [21, 26]


def test_a_class_s_upper_case_constant_is_code_made(review):
    # zentral's santa rule query: `wheres.append(f"pr.policy != {Rule.Policy.CEL}")`, an
    # IntegerChoices member, joined into the WHERE clause. The twin formats a value the
    # request sent
    body = """
def rules(request):
    wheres = ["r.enabled"]
    wheres.append(f"r.policy != {Book.Policy.CEL}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM r WHERE " + " and ".join(wheres))


def rules_given(request):
    wheres = ["r.enabled"]
    wheres.append(f"r.policy != {request.GET['policy']}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM r WHERE " + " and ".join(wheres))
"""
    assert lines(sql(review, body)) == [20]
