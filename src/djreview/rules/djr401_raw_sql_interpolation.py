"""DJR401: SQL text built from non-literal parts, passed to the database as is.

`cursor.execute(f"... WHERE name = '{name}'")` is SQL injection when `name` comes from a
request: the database driver can only keep values apart from the SQL when they are passed
as parameters (`cursor.execute("... WHERE name = %s", [name])`). Checked: `.raw()`,
`.extra(where=/select=/tables=)`, `RawSQL()`, and `execute()`/`executemany()` on a cursor
from `connection.cursor()` (or a name `cursor`/`c`/`cur` made by some `.cursor()`).

Not reported: text made of literals, module constants and class attributes holding literals,
identifiers from code (`Model._meta.db_table`, `connection.ops.quote_name(...)`, a field's
`.column`), SQL Django compiled (`query.sql_with_params()`, `as_sql()`), numbers, and the
`IN (%s, %s, ...)` placeholder list (`", ".join(["%s"] * len(ids))`): the standard safe idioms.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.nodes import all_nodes
from djreview.index.prefilter import called_name
from djreview.rule import Rule, stdlib_tree
from djreview.rules._built_text import (
    BuiltText,
    FunctionStack,
    Policy,
    indexed_return_kind,
    parameter_given_code,
    shown,
)
from djreview.syntax import dotted
from djreview.values import Queryset
from djreview.walk import children, descendants

_CURSOR_NAMES = frozenset({"cursor", "c", "cur", "curs"})
# Attributes that name tables and columns (identifiers Django or the code defines).
_IDENTIFIER_ATTRS = frozenset(
    {"db_table", "column", "attname", "db_column", "db_tablespace", "table_name", "model_name", "app_label", "vendor"}
)
_SAFE_SQL_CALLS = frozenset(
    {
        "quote_name",
        "quote_name_unless_alias",
        "qn",
        "qn2",
        "sql_with_params",
        "as_sql",
        "compile",
        "db_type",
        "m2m_db_table",
        "m2m_column_name",
        "m2m_reverse_name",
        "get_attname_column",
        "get_placeholder",
        "pk_default_value",
        "mogrify",  # the driver's own quoting of the values (psycopg)
    }
)
# Attributes of a view that hold what the request sent.
_REQUEST_ATTRS = frozenset({"request", "kwargs", "args", "data", "query_params", "cleaned_data"})
# Modules that generate SQL for the ORM (database backends, query compilers): their text is
# made of identifiers from models and introspection, and of settings.
_SQL_GENERATORS = ("django.db.backends", "django.db.models.sql")
# A value stands where a value goes: after a comparison, in LIMIT/OFFSET.
_VALUE_BEFORE = re.compile(r"(?:[=<>]|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET)\s*'?$", re.IGNORECASE)
# Where a value goes: after a comparison or a pattern match, in an `IN (...)` or `VALUES (...)`
# list, after LIMIT/OFFSET/BETWEEN/THEN/ELSE.
_VALUE_SLOT = re.compile(
    r"(?:[=<>]|\b(?:LIKE|ILIKE|LIMIT|OFFSET|BETWEEN|THEN|ELSE))\s*$|\b(?:IN|VALUES)\s*\([^()]*$",
    re.IGNORECASE,
)
_VALUE_AFTER = re.compile(r"^'?(?:\s|\)|;|,|$)")
_FETCHES = frozenset({"fetchone", "fetchall", "fetchmany"})
# What a literal `SELECT` may return for its rows to be code-made: keys (`id`, `t.pk`,
# `author_id`), counts, and functions of nothing (`current_database()`, `version()`): numbers,
# or the server's own names, never text a request stored.
_SELECT_LIST = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?(?P<items>.+?)(?:\s+FROM\b.*)?;?\s*$", re.I | re.S)
_KEY_ITEM = re.compile(
    r"^(?:(?:\w+\.)?(?:id|pk|\w+_id)|count\s*\([^()]*\)|(?:min|max)\s*\((?:\w+\.)?(?:id|\w+_id)\)|\w+\(\s*\))"
    r"(?:\s+(?:AS\s+)?\w+)?$",
    re.I,
)


def _key_column(arg: cst.Arg) -> bool:
    """`"id"`, `"pk"`, `"author_id"` among `values_list()`'s fields (a `flat=True` aside)."""
    if arg.keyword is not None:
        return arg.keyword.value in ("flat", "named")
    field = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
    return isinstance(field, str) and (field in ("id", "pk") or field.endswith("_id"))


def _candidate(node: ast.AST) -> bool:
    """Before the CST: a call that takes SQL (`.execute()`, `.executemany()`, `.raw()`,
    `RawSQL()`, `.extra(where=/select=/tables=)`) given something other than a string literal."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = called_name(func)
    if name == "extra":
        return any(k.arg in ("where", "select", "tables") or k.arg is None for k in node.keywords)
    if name not in ("execute", "executemany", "raw", "RawSQL"):
        return False
    if not node.args:
        return True  # the SQL by keyword (or none): let the CST walk decide
    sql = node.args[0]
    return not (isinstance(sql, ast.Constant) and isinstance(sql.value, str))


class SqlPolicy(Policy):
    """Identifiers made by code and SQL Django compiled are no injection."""

    def __init__(self, module: cst.Module | None = None):
        self._module = module
        self._code_set: frozenset[str] | None = None

    def _set_by_code(self, name: str) -> bool:
        """Does the module's own code put `request.<name>` on the request, from no request
        input (cla_backend's `self.request.temp_view_name = self.get_temporary_view_name()`)?
        Read once, when a request attribute first reaches the SQL."""
        if self._code_set is None:
            self._code_set = _set_by_code(self._module) if self._module is not None else frozenset()
        return name in self._code_set

    def safe_call(self, name: str, call: cst.Call, analysis: BuiltText) -> bool:
        if name in _SAFE_SQL_CALLS:
            return True
        if name == "isoformat" and isinstance(call.func, cst.Attribute) and not call.args:
            return True  # a date's or time's `2026-12-07T13:54:31+00:00`: no quote can reach the SQL
        if name in _FETCHES and analysis.scope is not None:
            return _fetches_keys(analysis, call)
        if name == "values_list" and call.args and all(_key_column(a) for a in call.args):
            return True  # `User.objects.filter(...).values_list("id")`: keys, even through `zip(*...)`
        parts = dotted(call.func) or []
        return "ops" in parts[:-1] or "_meta" in parts[:-1]  # connection.ops.date_trunc_sql(...)

    def quiet_slot(self, before: str, after: str) -> bool:
        """Where a name goes, not a value: a table or column (`FROM {table}`, `{alias}.count`),
        a clause or a whole statement (`{prefix} {query}`). Code puts names there (quoted,
        from the schema, from settings); only a value from the request is the injection a
        reviewer asks about. A value's place (after `=`, `LIKE`, in `IN (...)`, `LIMIT`, or
        inside quotes) is never quiet."""
        if before.count("'") % 2:
            return False  # inside a string literal (`LIKE '%{term}%'`): a value
        return not _VALUE_SLOT.search(before)

    def safe_attribute(self, parts: list[str]) -> bool:
        attribute = _request_attribute(parts)
        if attribute is not None and self._set_by_code(attribute):
            return True  # `self.request.tmp_view`, set by the view from a random name
        if parts[0] == "settings":
            return True  # `settings.DATABASES["default"]["NAME"]`: the deployment's, not a request's
        if len(parts) == 2 and parts[0] == "self" and parts[1] not in _REQUEST_ATTRS:
            return True  # the object's own configuration (a backend's mode, a command's table)
        if parts[-1] == "operators" and "connection" in parts[-2:-1]:
            return True  # `connection.operators["iregex"]`: the backend's SQL for a lookup
        if parts[-1] in ("pk", "id"):
            return True  # a row's key: `ContentType.objects.get_for_model(m).pk`, `user.id` (a number or UUID)
        return "_meta" in parts or parts[-1] in _IDENTIFIER_ATTRS or "ops" in parts[:-1]


class RawSqlInterpolation(FunctionStack, Rule):
    code = "DJR401"
    name = "raw-sql-interpolation"
    fixable = True
    triggers = ("execute(", "executemany(", "raw(", "RawSQL", "extra(")
    policy = SqlPolicy()

    def wants(self, text, facts, index, prefilter) -> bool:
        if not super().wants(text, facts, index, prefilter):
            return False
        if "/management/commands/" in "/" + facts.path.replace("\\", "/"):
            return False  # run by an operator from the shell: no request reaches it
        if any(ref.startswith(_SQL_GENERATORS) for ref in facts.imports.values()):
            return False
        tree = stdlib_tree(prefilter)
        return tree is None or any(_candidate(node) for node in all_nodes(tree))

    def visit_Module(self, node: cst.Module) -> None:
        self._reset(node)
        self.policy = SqlPolicy(node)

    def known_safe(self):
        return self._returns_code_made_sql

    def given_by_callers(self):
        index = self.ctx.index
        return lambda function, name: parameter_given_code(index, function, name)

    def _returns_code_made_sql(self, node: cst.CSTNode) -> bool:
        """A project function, method or property the index knows returns a number (a row's
        `.id`, a `count()`: `perm_id = get_permission_id(name)`) or text made of literals and
        numbers only (taiga's `_build_sql_for_type(user, "task", "tasks_task")`, its parameters
        bound to the call's literals), formatted into the SQL. Text the index calls safe is
        HTML-safe, not SQL-safe, so it does not count."""
        return indexed_return_kind(self.ctx, node, local=True) in ("number", "literal")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        target = None
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in ("execute", "executemany") and self._is_cursor(func.value):
                target = self._positional(node, 0, "sql")
                what = f"cursor.{method}()"
            elif method == "raw" and self._is_manager(func.value):
                target = self._positional(node, 0, "raw_query")
                what = ".raw()"
            elif method == "extra":
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value in ("where", "select", "tables"):
                        self._extra(arg)
                return
        if target is None and (dotted(func) or [""])[-1] == "RawSQL":
            target = self._positional(node, 0, "sql")
            what = "RawSQL()"
        if target is None:
            return
        self._check(node, target, what)

    # -- where SQL goes ------------------------------------------------------------------
    @staticmethod
    def _positional(node: cst.Call, index: int, keyword: str) -> cst.Arg | None:
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if len(positional) > index:
            return positional[index]
        return next((a for a in node.args if a.keyword is not None and a.keyword.value == keyword), None)

    def _is_cursor(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Call):
            return self._cursor_call(node, strict=True)
        if not isinstance(node, cst.Name):
            return False
        function = self.function()
        if function is None:
            return False
        strict = node.value not in _CURSOR_NAMES
        return any(self._cursor_call(v, strict) for v in _cursor_bindings(function, node.value))

    def _cursor_call(self, node: cst.CSTNode, strict: bool) -> bool:
        """`<connection>.cursor()`; when strict, of a Django connection."""
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            return False
        if node.func.attr.value != "cursor":
            return False
        if not strict:
            return True
        owner = node.func.value
        if isinstance(owner, cst.Subscript):
            owner = owner.value
        parts = dotted(owner) or []
        qualified = self.ctx.flow.qualify(owner) or "" if parts else ""
        return qualified.startswith("django.db.") or parts[-1:] in (["connection"], ["connections"])

    def _is_manager(self, node: cst.BaseExpression) -> bool:
        parts = dotted(node)
        if parts and parts[-1] in ("objects", "_default_manager", "_base_manager"):
            return True
        return isinstance(self.ctx.flow.infer(node), Queryset)

    def _extra(self, arg: cst.Arg) -> None:
        value = arg.value
        pieces: list[cst.BaseExpression] = []
        if isinstance(value, (cst.List, cst.Tuple)):
            pieces = [e.value for e in value.elements]
        elif isinstance(value, cst.Dict):
            pieces = [e.value for e in value.elements if isinstance(e, cst.DictElement)]
        for piece in pieces:
            self._check(None, cst.Arg(piece), f".extra({arg.keyword.value}=)", at=piece)  # type: ignore[union-attr]

    # -- the finding ---------------------------------------------------------------------
    def _check(self, call: cst.Call | None, arg: cst.Arg, what: str, at: cst.CSTNode | None = None) -> None:
        frame = self.ctx.flow.enclosing_class()
        analysis = self.analysis(frame.attrs if frame else None, frame.node.name.value if frame else None)
        analysis.site = arg.value
        parts = analysis.text(arg.value)
        if parts is None or not parts.built or not parts.unsafe:
            return
        module = self.ctx.module
        names = ", ".join(dict.fromkeys(shown(module.code_for_node(p)) for p in parts.unsafe))
        message = (
            f"SQL passed to {what} is built from {names} with string formatting: a value that reaches it "
            "from a request can change the query (SQL injection)."
        )
        fix = self._fix(call, arg, what) if call is not None else None
        hint = (
            'Pass the values as parameters (`cursor.execute("... WHERE id = %s", [value])`); an identifier '
            "(table, column, ORDER BY) must come from code: quote it with `connection.ops.quote_name()` after "
            "checking it against a list of allowed names."
        )
        if fix is None:
            fix = FixSpec("pass the values as query parameters", "suggestion")
        self.report(at if at is not None else arg.value, message, fix, hint=hint)

    def _fix(self, call: cst.Call, arg: cst.Arg, what: str) -> FixSpec | None:
        """`"... = %s"` with the values as parameters, when the SQL is written right here as a
        plain f-string or `%` of names, each in a value position, and no parameters are given."""
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if len(call.args) != 1 or positional != [arg] or what.startswith(".extra") or "executemany" in what:
            return None
        built = _parameterised(arg.value, self.ctx.module)
        if built is None:
            return None
        sql, values = built
        return FixSpec(
            f"pass {', '.join(values)} as query parameters",
            "unsafe",
            (NodeEdit(arg.value, f"{sql}, [{', '.join(values)}]"),),
        )


def _cursor_bindings(function: cst.FunctionDef, name: str):
    """The values `name` is bound to in `function`: `name = X`, `with X as name`."""
    stack: list[cst.CSTNode] = [function.body]

    while stack:
        node = stack.pop()
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name) and target.target.value == name:
                    yield node.value
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            alias = node.asname.name
            if isinstance(alias, cst.Name) and alias.value == name:
                yield node.item
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(children(node))


def _parameterised(node: cst.BaseExpression, module: cst.Module) -> tuple[str, list[str]] | None:
    if isinstance(node, cst.FormattedString):
        return _from_fstring(node, module)
    if (
        isinstance(node, cst.BinaryOperation)
        and isinstance(node.operator, cst.Modulo)
        and isinstance(node.left, cst.SimpleString)
    ):
        return _from_percent(node.left, node.right, module)
    return None


def _simple(node: cst.BaseExpression) -> bool:
    return dotted(node) is not None


def _from_fstring(node: cst.FormattedString, module: cst.Module) -> tuple[str, list[str]] | None:
    prefix = node.prefix.lower()
    if "b" in prefix:
        return None
    pieces: list[tuple[str, str | None]] = []  # (text, None) / ("", value code)
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            pieces.append((part.value.replace("{{", "{").replace("}}", "}"), None))
        elif not isinstance(part, cst.FormattedStringExpression):
            return None
        else:
            if part.conversion is not None or part.format_spec is not None or not _simple(part.expression):
                return None
            pieces.append(("", module.code_for_node(part.expression)))
    return _assemble(pieces, node.start, node.end, keep_prefix=node.prefix.replace("f", "").replace("F", ""))


def _from_percent(
    template: cst.SimpleString, right: cst.BaseExpression, module: cst.Module
) -> tuple[str, list[str]] | None:
    values = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
    if not all(_simple(v) for v in values):
        return None
    body = template.raw_value
    chunks = re.split(r"(%%|%s)", body)
    if any(re.search(r"%[^%s]", c) or c.endswith("%") for c in chunks if c not in ("%%", "%s")):
        return None  # %d, %(name)s, ...: not the plain form
    pieces: list[tuple[str, str | None]] = []
    queue = list(values)
    for chunk in chunks:
        if chunk == "%s":
            if not queue:
                return None
            pieces.append(("", module.code_for_node(queue.pop(0))))
        else:
            pieces.append((chunk.replace("%%", "%"), None))
    if queue:
        return None
    return _assemble(pieces, template.quote, template.quote, keep_prefix=template.prefix)


def _assemble(pieces, start: str, end: str, keep_prefix: str) -> tuple[str, list[str]] | None:
    """The SQL with `%s` for each value (and `%` doubled), if every value is in a value position;
    quotes around a value go (the driver quotes it)."""
    quote = end
    out: list[str] = []
    values: list[str] = []
    for i, (text, value) in enumerate(pieces):
        if value is None:
            out.append(text.replace("%", "%%"))
            continue
        before = "".join(out)
        after = next((t for t, v in pieces[i + 1 :] if v is None), "") if i + 1 < len(pieces) else ""
        if pieces[i + 1 : i + 2] and pieces[i + 1][1] is not None:
            return None  # two values side by side
        if not _VALUE_BEFORE.search(before) or not _VALUE_AFTER.match(after):
            return None
        quoted = before.endswith("'")
        if quoted != after.startswith("'"):
            return None
        if quoted:
            out[-1] = out[-1][:-1]
            j = i + 1
            pieces[j] = (pieces[j][0][1:], None)
        out.append("%s")
        values.append(value)
    if not values:
        return None
    start_quote = start[len(start) - len(quote) :] if start.endswith(quote) else quote
    return f"{keep_prefix}{start_quote}{''.join(out)}{quote}", values


def _fetches_keys(analysis: BuiltText, fetch: cst.Call) -> bool:
    """Do the rows `cursor.fetchone()`/`fetchall()` returns hold only keys, counts or the
    server's own names? So when the cursor's last `execute()` before it ran a SELECT of those
    whose select list is literal (Geotrek's `SELECT id FROM ... WHERE id IN (%s, ...)` with the
    placeholders formatted in, peering-manager's `SELECT current_database()`): numbers and
    names the database made, not stored text."""
    if not isinstance(fetch.func, cst.Attribute) or analysis.scope is None:
        return False
    cursor = dotted(fetch.func.value)
    last: cst.Call | None = None
    for node in descendants(analysis.scope):  # in source order: the executes before the fetch
        if node is fetch:
            break
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "execute"
            and dotted(node.func.value) == cursor
        ):
            last = node
    else:
        return False
    if last is None or not last.args:
        return False
    sql = last.args[0].value
    if isinstance(sql, cst.Name):
        values = analysis.local.values.get(sql.value, [])
        sql = values[0] if len(values) == 1 else sql
    if isinstance(sql, cst.BinaryOperation) and isinstance(sql.operator, cst.Modulo):
        sql = sql.left  # the template: what fills its placeholders comes after the select list
    text = sql.evaluated_value if isinstance(sql, (cst.SimpleString, cst.ConcatenatedString)) else None
    match = _SELECT_LIST.match(text) if isinstance(text, str) else None
    return match is not None and all(_KEY_ITEM.match(item.strip()) for item in match["items"].split(","))


# What Django and DRF put on a request from what the client sent.
_REQUEST_INPUT = frozenset(
    {"GET", "POST", "data", "query_params", "body", "headers", "META", "COOKIES", "FILES", "path", "path_info"}
    | {"method", "content_type", "session", "user", "resolver_match", "kwargs", "args"}
)


def _request_attribute(parts: list[str]) -> str | None:
    """`X` of `request.X` or `self.request.X` (nothing further), else None."""
    if len(parts) == 2 and parts[0] == "request":
        return parts[1]
    if len(parts) == 3 and parts[:2] == ["self", "request"]:
        return parts[2]
    return None


def _set_by_code(module: cst.Module) -> frozenset[str]:
    """Attributes the module assigns on the request (`self.request.tmp_view = ...`) whose
    every assignment names nothing the client sent: the view's own values, not input."""
    clean: set[str] = set()
    tainted: set[str] = set()
    for node in descendants(module):
        if not isinstance(node, cst.Assign) or len(node.targets) != 1:
            continue
        name = _request_attribute(dotted(node.targets[0].target) or [])
        if name is None or name in _REQUEST_INPUT:
            continue
        words = {n.value for n in descendants(node.value) if isinstance(n, cst.Name)}
        (tainted if words & (_REQUEST_INPUT | {"request"}) else clean).add(name)
    return frozenset(clean - tainted)
