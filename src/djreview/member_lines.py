"""Where each member of a class body lies, read from the stdlib tree of the same text.

A fix that moves whole members (DJR204) needs their lines, not their exact columns: the stdlib
tree has them for free, where libcst would render the whole class to compute them.
"""

from __future__ import annotations

import ast

import libcst as cst  # a rule imports this module: only attribute uses inside functions load libcst

from djreview.index.nodes import all_nodes, first_line

AST_DEFINITIONS = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def class_body_lines(tree: ast.Module | None, node: cst.ClassDef) -> list[tuple[int, int]] | None:
    """The first and last line (1-based; the first decorator for a decorated member) of each
    statement of a class body, read from the stdlib tree of the same text: rendering a long
    model to learn where its members lie cost more than parsing it. None when the class cannot
    be told apart from another of the same name and shape."""
    if tree is None or not isinstance(node.body, cst.IndentedBlock):
        return None
    found = None
    for candidate in _classes(tree):
        if candidate.name == node.name.value:
            lines = _member_lines(node.body.body, candidate.body)
            if lines is not None:
                if found is not None:
                    return None
                found = lines
    return found


_CLASSES: list[tuple[ast.Module, list[ast.ClassDef]]] = []  # the last tree's classes


def _classes(tree: ast.Module) -> list[ast.ClassDef]:
    """Every class of the tree, found once per file (a model file reports class after class)."""
    if not _CLASSES or _CLASSES[0][0] is not tree:
        _CLASSES[:] = [(tree, [n for n in all_nodes(tree) if isinstance(n, ast.ClassDef)])]
    return _CLASSES[0][1]


def _member_lines(body, tree_body: list[ast.stmt]) -> list[tuple[int, int]] | None:
    out, i = [], 0
    for stmt in body:
        count = len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
        group = tree_body[i : i + count]
        if len(group) != count or isinstance(stmt, (cst.ClassDef, cst.FunctionDef)) != isinstance(
            group[0], AST_DEFINITIONS
        ):
            return None
        if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)) and stmt.name.value != getattr(group[0], "name", None):
            return None
        out.append((first_line(group[0]), group[-1].end_lineno or group[-1].lineno))
        i += count
    return out if i == len(tree_body) else None
