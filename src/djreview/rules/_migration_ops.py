"""What the migration rules (DJR5xx) share: naming Django's migration operations in a call,
and reading the argument that makes an operation reversible."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TypeGuard

import libcst as cst

from djreview.index.migration_state import REVERSE_ARGUMENT, lacks_reverse
from djreview.index.nodes import all_nodes
from djreview.index.prefilter import called_name
from djreview.rule import stdlib_tree
from djreview.syntax import literal_string

_OPERATION_MODULES = ("django.db.migrations", "django.db.migrations.operations")


def operation(qualified: str | None) -> str | None:
    """'RunPython', 'CreateModel'... when `qualified` names one of Django's migration
    operations (`migrations.RunPython`, `from django.db.migrations.operations import ...`)."""
    if not qualified:
        return None
    module, _, name = qualified.rpartition(".")
    if module in _OPERATION_MODULES or module.startswith("django.db.migrations.operations."):
        return name
    return None


@dataclass(frozen=True)
class Argument:
    """An operation's argument as written: `state` is "given", "missing", "none" (an
    explicit `None`) or "unknown" (`**kwargs`, `*args`: it may be there)."""

    state: str
    node: cst.BaseExpression | None = None


def argument(call: cst.Call, keyword: str, position: int) -> Argument:
    """The argument `keyword`, also accepted at `position` (0-based) among positionals."""
    positional = 0
    for arg in call.args:
        if arg.star:
            return Argument("unknown")
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return _written(arg.value)
            continue
        if positional == position:
            return _written(arg.value)
        positional += 1
    return Argument("missing")


def _written(node: cst.BaseExpression) -> Argument:
    if isinstance(node, cst.Name) and node.value == "None":
        return Argument("none", node)
    return Argument("given", node)


def is_get_model(node: cst.CSTNode) -> TypeGuard[cst.Call]:
    """`apps.get_model(...)` (any receiver: the function's first parameter is `apps`)."""
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get_model"


def model_asked(call: cst.Call) -> tuple[str, str]:
    """(app label, lower-cased model name) a `get_model("shop", "Book")` or
    `get_model("shop.Book")` call asks for; ("", "") when they are not literal."""
    texts = [literal_string(a.value) for a in call.args if a.keyword is None]
    if len(texts) == 1 and texts[0] and "." in texts[0]:
        label, _, model = texts[0].partition(".")
        return label, model.lower()
    if len(texts) >= 2 and texts[0] and texts[1]:
        return texts[0], texts[1].lower()
    return "", ""


class ModuleFunctions:
    """Mixin for a migration rule: the module-level functions of the file by name (the
    functions `RunPython` is handed), gathered at `visit_Module`."""

    _functions: dict[str, cst.FunctionDef]

    def visit_Module(self, node: cst.Module) -> None:
        self._functions = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}


# -- before the CST: the stdlib tree of a migration ---------------------------------------------
def without_reverse(facts, prefilter, name: str) -> bool:
    """Can the file hold a `...name(...)` call (RunPython, RunSQL) with no reverse? Read from
    the index's migration facts, else from the stdlib tree (a file with no `Migration` class),
    else True. The CST rule then decides; False rules the file out."""
    if facts.migration is not None:
        return name in facts.migration.without_reverse
    tree = stdlib_tree(prefilter)
    if tree is None:
        return True
    keyword = REVERSE_ARGUMENT[name]
    return any(
        isinstance(node, ast.Call) and called_name(node.func) == name and lacks_reverse(node, keyword)
        for node in all_nodes(tree)
    )
