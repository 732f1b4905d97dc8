"""One walk of the stdlib tree that lets rules rule a file out before its CST is built.

The libcst parse and walk are most of what a review costs, and a stdlib parse plus a walk of
the functions that loop cost about a tenth of it. Each rule that wants to rule files out
this way defines a `Collector` in its own module (`Rule.prefilter`): the walk shows every
collector each node with whether it sits in a loop and in which kind of scope, and then
asks each for its result, given the names the file binds. What a collector gathers must
over-approximate what its rule can see, never under: when in doubt, a name counts.

A function whose text has neither ``for``/``while`` nor ``class`` holds no loop and no class
body, and the names it binds are its own (the flow tracker resolves names lexically): it is
not walked. A collector that needs every function (DJR103: its tests sit in loopless functions
too) says `whole_tree`, and is given the tree to walk its own way instead.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from djreview.index.nodes import child_nodes, lines_of
from djreview.source import split_lines

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_WORTH_WALKING = re.compile(r"\b(?:for|while|class)\b")


@dataclass
class Walked:
    """What the walk learnt of the file's names, for the collectors' results."""

    bound: set[str]  # bound in the module, a class body, or a function worth walking
    loop_bound: set[str]  # bound inside a loop (the flow tracker gives rows only to these)
    qualify: Callable[[str], str]  # a name -> the dotted reference the flow tracker resolves


class Collector:
    """What one rule gathers from the walk; a rule module subclasses it."""

    # Given the whole tree (`visit_tree`) instead of the walk's nodes.
    whole_tree: ClassVar[bool] = False

    def visit_tree(self, tree: ast.Module, lines: list[str]) -> None:
        """For a `whole_tree` collector: the file's tree and lines."""

    def visit(self, node: ast.AST, in_loop: bool, scope: str) -> None:
        """`scope`: "module", "class" (a class body) or "function"."""

    def result(self, walked: Walked) -> Any:
        raise NotImplementedError


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


def chain_root(node: ast.AST) -> ast.AST:
    """The start of a chain of attributes, subscripts and method calls."""
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            return node


def project_callee(func: ast.expr, walked: Walked) -> str | None:
    """What a call may reach in the project, as the index's `any_reader_named`
    and `any_querier_named` take it:
    `helper(...)` as its qualified name ("app.utils.helper"), `self.helper(...)` as the bare
    name, `utils.helper(...)` qualified through the import; not a method of a local object
    (`data.get(row)`), which is no project function."""
    if isinstance(func, ast.Name):
        return func.id if func.id in walked.bound else walked.qualify(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "self":
            return func.attr
        if func.value.id not in walked.bound:
            return f"{walked.qualify(func.value.id)}.{func.attr}"
    return None


def called_name(func: ast.AST) -> str | None:
    """The last name of what a call calls: `execute` of `cursor().execute(...)`, `Q` of `Q(...)`."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def dotted_names(node: ast.AST) -> list[str] | None:
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
    return any(_WORTH_WALKING.search(line) for line in lines_of(unit, lines))


def class_body_call(node: ast.AST) -> ast.AST | None:
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


def walk(tree: ast.Module, text: str, qualify: Callable[[str], str], collectors: list[Collector]) -> Walked:
    """Show every collector the nodes worth walking; the names bound, for their results."""
    lines = split_lines(text)
    walked = Walked(set(), set(), qualify)
    for collector in collectors:
        if collector.whole_tree:
            collector.visit_tree(tree, lines)
    collectors = [c for c in collectors if not c.whole_tree]
    if not collectors:
        return walked
    stack = [(unit, False, scope) for unit, scope in _units(tree) if _worth_walking(unit, lines)]
    while stack:
        node, in_loop, scope = stack.pop()
        names = _bound_names(node, scope)
        if names:
            walked.bound.update(names)
            if in_loop:
                walked.loop_bound.update(names)
        for collector in collectors:
            collector.visit(node, in_loop, scope)
        if isinstance(node, ast.arg):
            walked.bound.add(node.arg)  # a parameter is never a loop row, but hides a module name
        inner_loop = in_loop or isinstance(node, _LOOPS)
        if isinstance(node, ast.ClassDef):
            inner = "class"
        elif isinstance(node, _FUNCTIONS):
            inner = "function"
        else:
            inner = scope
        stack.extend((child, inner_loop, inner) for child in child_nodes(node))
    return walked
