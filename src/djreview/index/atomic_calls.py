"""Which functions a module calls inside a transaction, and which outside one (DJR104).

A helper that writes twice needs no `atomic()` of its own when every call of it in the project
runs inside one: `with transaction.atomic():` around the call, or a caller decorated with
`@transaction.atomic`. Calls are keyed by the called name alone (`save_items` for
`save_items(...)`, `self.save_items(...)`, `utils.save_items(...)`): a name called anywhere
outside a transaction counts as unprotected, so a collision can only hide a protection, never
invent one.
"""

from __future__ import annotations

import ast
import re

# `name(` and `.name(`, but not the `def name(` / `class Name(` that define it
_CALLED = re.compile(r"(?<!def )(?<!class )\b([A-Za-z_]\w*)\s*\(")


def _atomic(node: ast.AST) -> bool:
    """`transaction.atomic`, `atomic()`, `transaction.atomic(using="x")`."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return "atomic" in name.lower() or "transaction" in name.lower()


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def atomic_calls(tree: ast.Module, text: str, migration: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    """(names called inside a transaction, names called outside one) in this module. A
    migration runs in a transaction (atomic by default): every call in it is inside one."""
    inside: set[str] = set()
    outside: set[str] = set()
    if migration or ("atomic" not in text and "transaction" not in text):
        # No transaction in sight: every call is on one side, and the names are read from the
        # text (a walk of every node cost more than the rest of the index on Django's source).
        # A name in a comment or string counts too, which can only hide a protection.
        outside = set(_CALLED.findall(text))
        return (frozenset(outside), frozenset()) if migration else (frozenset(), frozenset(outside))

    def walk(node: ast.AST, protected: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # a nested function runs when it is called, not where it is defined
            protected = any(_atomic(d) for d in node.decorator_list)
        elif isinstance(node, ast.Lambda):
            protected = False
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(_atomic(i.context_expr) for i in node.items):
            for item in node.items:
                walk(item, protected)
            for stmt in node.body:
                walk(stmt, True)
            return
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name:
                (inside if protected else outside).add(name)
        for child in ast.iter_child_nodes(node):
            walk(child, protected)

    walk(tree, False)
    return frozenset(inside), frozenset(outside)
