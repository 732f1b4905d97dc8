"""Facts read from the stdlib tree that let a rule rule a file out before its CST is built.

The libcst parse and walk are most of what a review costs, and a stdlib parse plus a walk of
the functions that loop cost about a tenth of it. The facts over-approximate what the rules
can see, never under: when in doubt, a name counts.

- ``loop_attributes`` (DJR101 reports a relation read on a row of a loop over a queryset):
  every attribute name read inside a loop on a chain that starts at a name bound inside a
  loop (``row.author.name``, ``row.books.all()``), or at an expression we do not follow. The
  flow tracker gives rows only to loop targets, and names assigned in the loop keep them; a
  parameter is never a loop row.
- ``write_roots`` (DJR102 reports ``save()``/``create()`` called in a loop on a row, a
  queryset or a manager): for each such call whose receiver is a plain dotted name
  (``models.Q.create``, ``Book.objects.create``) starting at a name the file never binds, the
  qualified reference of that name; the receiver can only be a row, a queryset or a manager
  when that name is a model class. ``None`` when some receiver is anything else.
- ``class_calls`` (DJR201 reports ``name = ForeignKey(...)`` in a class body): the qualified
  names of the callables whose result a class body assigns to a name.

A function whose text has neither ``for``/``while`` nor ``class`` holds no loop and no class
body, and the names it binds are its own (the flow tracker resolves names lexically): it is
not walked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_WORTH_WALKING = re.compile(r"\b(?:for|while|class)\b")
WRITE_METHODS = frozenset({"save", "create"})


@dataclass(frozen=True)
class PrefilterFacts:
    loop_attributes: frozenset[str] = frozenset()
    write_roots: frozenset[str] | None = frozenset()
    class_calls: frozenset[str] = frozenset()


def _bound_names(node: ast.AST, scope: str) -> list[str]:
    """Names `node` binds: assignment and loop targets, parameters, `except ... as`, match
    captures, `global`, and imports inside a function or class (a module-level import is how
    a name is resolved, not a binding that hides it)."""
    if isinstance(node, ast.Name):
        return [node.id] if not isinstance(node.ctx, ast.Load) else []
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if scope != "module" and isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    return []


def _root(node: ast.AST) -> ast.AST:
    """The start of a chain of attributes, subscripts and method calls."""
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return node


def _dotted(node: ast.AST) -> list[str] | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _units(tree: ast.Module):
    """Top-level statements, with each top-level class split into its header and statements."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            yield from ((part, "module") for part in (*stmt.decorator_list, *stmt.bases, *stmt.keywords))
            yield from ((part, "class") for part in stmt.body)
        else:
            yield stmt, "module"


def _worth_walking(unit: ast.AST, lines: list[str]) -> bool:
    if not isinstance(unit, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    start = min([unit.lineno, *(d.lineno for d in unit.decorator_list)])
    return any(_WORTH_WALKING.search(line) for line in lines[start - 1 : unit.end_lineno])


def _class_call(node: ast.AST) -> ast.AST | None:
    """The call a class-body statement assigns to one name, if any."""
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        or isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
    ):
        value = node.value
    else:
        return None
    return value.func if isinstance(value, ast.Call) else None


def prefilter_facts(tree: ast.Module, text: str, qualify: Callable[[str], str]) -> PrefilterFacts:
    """`qualify` maps a name to the dotted reference the flow tracker resolves it to."""
    lines = text.splitlines()
    bound: set[str] = set()  # bound in the module, a class body, or a function worth walking
    loop_bound: set[str] = set()  # bound inside a loop
    attributes: list[ast.Attribute] = []
    writes: list[ast.AST] = []  # receivers of save()/create() inside loops
    calls: set[str] = set()
    stack = [(unit, False, scope) for unit, scope in _units(tree) if _worth_walking(unit, lines)]
    while stack:
        node, in_loop, scope = stack.pop()
        names = _bound_names(node, scope)
        if names:
            bound.update(names)
            if in_loop:
                loop_bound.update(names)
        if in_loop:
            if isinstance(node, ast.Attribute):
                attributes.append(node)
            elif (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_METHODS
            ):
                writes.append(node.func.value)
        if scope == "class" and isinstance(node, (ast.Assign, ast.AnnAssign)):
            func = _class_call(node)
            parts = _dotted(func) if func is not None else None
            if parts:
                calls.add(".".join([qualify(parts[0]), *parts[1:]]))
        if isinstance(node, ast.arg):
            bound.add(node.arg)  # a parameter is never a loop row, but hides a module name
        inner_loop = in_loop or isinstance(node, _LOOPS)
        if isinstance(node, ast.ClassDef):
            inner = "class"
        elif isinstance(node, _FUNCTIONS):
            inner = "function"
        else:
            inner = scope
        stack.extend((child, inner_loop, inner) for child in ast.iter_child_nodes(node))
    read = set()
    for node in attributes:
        root = _root(node.value)
        if not isinstance(root, ast.Name) or root.id in loop_bound:
            read.add(node.attr)
    return PrefilterFacts(frozenset(read), _write_roots(writes, bound, qualify), frozenset(calls))


def _write_roots(writes: list[ast.AST], bound: set[str], qualify: Callable[[str], str]) -> frozenset[str] | None:
    """The qualified names the save()/create() receivers start at, or None when one of them
    is not a plain dotted name on a name the file never binds."""
    roots = set()
    for receiver in writes:
        parts = _dotted(receiver)
        if parts is None or parts[0] in bound:
            return None
        roots.add(qualify(parts[0]))
    return frozenset(roots)
