"""Querysets a module reads whole: every row, in order, with no LIMIT (DJR105).

`for grant in Grant.objects.order_by("-amount")`, or the same queryset held in a name that is
only looped over, converted with `list()` or counted with `len()`: the database reads the whole table whatever the
index, so an index on the ordering column saves nothing. Not a queryset handed to a template:
tendenci's templates page theirs (`{% autopaginate entry_list 20 %}`).
An ordering needs an index where the rows are paged or sliced (`[:10]`, `first()`, a
paginator): the index then gives the first rows without sorting all of them. A name that is
returned, sliced or passed to any other call may be paged there, and is not read whole here.
"""

from __future__ import annotations

import ast

from djreview.index.nodes import Nodes, all_nodes

# Calls that read every row of the queryset they get (`len()` fetches them all into its cache).
_WHOLE_CALLS = frozenset({"list", "tuple", "sorted", "set", "len"})
# Methods that read one row, or a window: the ordering picks which.
_ROW_METHODS = frozenset({"first", "last", "earliest", "latest", "get"})


def read_whole(nodes: Nodes) -> frozenset[int]:
    """The ids of the expressions (query chains) in the module that are read whole."""
    whole: set[int] = set()
    for loop in nodes.of(ast.For):
        whole.add(id(loop.iter))
    for comp in nodes.of(ast.comprehension):
        whole.add(id(comp.iter))
    for call in nodes.of(ast.Call):
        if isinstance(call.func, ast.Name) and call.func.id in _WHOLE_CALLS and len(call.args) == 1:
            whole.add(id(call.args[0]))
    for function in [*nodes.of(ast.FunctionDef), *nodes.of(ast.AsyncFunctionDef)]:
        whole.update(_names_read_whole(function, whole))
    return frozenset(whole)


def _names_read_whole(function: ast.AST, whole: set[int]) -> set[int]:
    """The values assigned to local names that the function only reads whole."""
    assigned: dict[str, list[int]] = {}
    read: set[str] = set()
    limited: set[str] = set()
    for node in all_nodes(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned.setdefault(node.targets[0].id, []).append(id(node.value))
        elif isinstance(node, ast.Call):
            whole_call = isinstance(node.func, ast.Name) and node.func.id in _WHOLE_CALLS
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Name) and not whole_call:
                    limited.add(arg.id)  # a paginator, a serializer, a helper: may slice it
            owner = node.func.value if isinstance(node.func, ast.Attribute) else None
            if isinstance(owner, ast.Name) and node.func.attr in _ROW_METHODS:  # type: ignore[attr-defined]
                limited.add(owner.id)
        elif isinstance(node, (ast.Subscript, ast.Return)) and isinstance(node.value, ast.Name):
            limited.add(node.value.id)  # `rows[:10]`, or `return rows`: the caller may page it
        if isinstance(node, ast.Name) and id(node) in whole:
            read.add(node.id)
    found: set[int] = set()
    for name in read - limited:
        found.update(assigned.get(name, ()))
    return found
