"""What each call of a module gives its callee, slot by slot: code-made or not (DJR401).

A function that formats a parameter into SQL is safe when every call of it in the
project passes code-made values there: capstone's `statement_timeout(timeout)`, called only
with `settings.LIVE_COUNT_TIME_LIMIT` and `settings.TASK_COUNT_TIME_LIMIT`; bluebottle's
`update_sequence(table)`, called eleven times with a literal table name. Code-made here is a
literal (text, a number, None, a bool), a negative number, or a setting (`settings.X`).

Calls are keyed by the called name (`helper(...)`, `utils.helper(...)`, `self.helper(...)`)
and kept as one text each: the positional slots in order, `L` (code-made) or `?`, then the
keywords as `name=L`/`name=?`, comma-separated; `*` for a call unpacking `*args`/`**kwargs`.
A call with no argument says nothing the callee's defaults do not (the rule requires a
code-made default anyway). A name handed on as a value (`executor.submit(helper, value)`,
`map(helper, rows)`) is called where nobody knows: it is kept apart, and its parameters are
never judged code-made. Matching by name only errs on the safe side: a same-named function's
calls add sites that must be code-made too.
"""

from __future__ import annotations

import ast

from djreview.index.nodes import Nodes

# Names no project function of interest has (builtins, the ORM's and str's methods): not kept,
# so a function so named gets no site, and its parameters are never judged code-made. Nor are
# capitalised names kept (classes, whose parameters this does not follow).
_NOT_KEPT = frozenset(
    [
        "filter",
        "get",
        "format",
        "annotate",
        "str",
        "append",
        "isinstance",
        "create",
        "save",
        "select_related",
        "len",
        "prefetch_related",
        "getattr",
        "list",
        "pop",
        "split",
        "dict",
        "join",
        "set",
        "update",
        "send",
        "startswith",
        "endswith",
        "hasattr",
        "any",
        "all",
        "order_by",
        "reverse",
        "replace",
        "sorted",
        "add",
        "values",
        "exclude",
        "values_list",
        "int",
        "render",
        "get_object_or_404",
        "exception",
        "error",
        "max",
        "min",
        "dumps",
        "loads",
        "enumerate",
        "range",
        "setdefault",
        "apply_async",
        "redirect",
        "aggregate",
        "sum",
        "open",
        "bool",
        "delete",
        "warning",
        "info",
        "debug",
        "getlist",
        "items",
        "keys",
        "extend",
        "strip",
        "lower",
        "upper",
        "encode",
        "decode",
        "index",
        "count",
        "insert",
        "remove",
        "discard",
        "print",
        "super",
        "setattr",
        "zip",
        "map",
        "float",
        "tuple",
        "isoformat",
        "strftime",
        "strptime",
        "now",
        "today",
        "match",
        "search",
        "sub",
        "compile",
        "gettext",
        "gettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "ngettext",
        "_",
        "mark_safe",
        "format_html",
        "escape",
        "path",
        "re_path",
        "url",
    ]
)


def _code_made(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, type(...))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings"


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def call_arguments(nodes: Nodes) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(called name -> the text of each of its calls that passes arguments, names handed on
    as a call's argument)."""
    calls: dict[str, list[str]] = {}
    passed: set[str] = set()
    for call in nodes.of(ast.Call):
        values = [*call.args, *(k.value for k in call.keywords)]
        for value in values:
            if isinstance(value, ast.Starred):
                value = value.value
            name = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else None
            if name is not None and name.lstrip("_")[:1].islower() and name not in _NOT_KEPT:
                passed.add(name)  # maybe a function handed on (a class or a constant is not kept)
        called = _called(call.func)
        if called is None or not values or called in _NOT_KEPT or not called.lstrip("_")[:1].islower():
            continue
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            text = "*"
        else:
            slots = ["L" if _code_made(a) else "?" for a in call.args]
            slots += [f"{k.arg}={'L' if _code_made(k.value) else '?'}" for k in call.keywords]
            text = ",".join(slots)
        calls.setdefault(called, []).append(text)
    return {name: tuple(sorted(set(texts))) for name, texts in calls.items()}, frozenset(passed)


def site_gives_code(text: str, position: int | None, keyword: str) -> bool | None:
    """Does this call (its text) give the parameter a code-made value: True, False, or None
    when it does not give it at all (the default applies)?"""
    if text == "*":
        return False
    positional = 0
    for slot in text.split(","):
        name, equals, kind = slot.rpartition("=")
        if equals:
            if name == keyword:
                return kind == "L"
        else:
            if positional == position:
                return kind == "L"
            positional += 1
    return None
