"""Exact positions for the few nodes a file reports, without rendering the whole file.

libcst computes positions by generating the code of the entire module, then walking it
(about three times the cost of parsing). djreview only needs the positions of reported
nodes and their fix anchors, so it renders just the top-level statements that hold them,
starting each at the line the stdlib AST gives for that statement.
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import CodeRange
from libcst.metadata import PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from djreview.walk import children


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([stmt.lineno, *(d.lineno for d in decorators or ())])


def _start_lines(module: cst.Module, tree: ast.Module) -> list[int] | None:
    """Line on which each top-level libcst statement's code (leading lines included) starts."""
    starts, i = [], 0
    for stmt in module.body:
        if i >= len(tree.body):
            return None
        line = _first_line(tree.body[i]) - len(stmt.leading_lines)
        decorators = getattr(stmt, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        starts.append(line)
        i += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return starts if i == len(tree.body) else None


def _contains(root: cst.CSTNode, wanted: set[int]) -> set[int]:
    found, stack = set(), [root]
    while stack and len(found) < len(wanted):
        node = stack.pop()
        if id(node) in wanted:
            found.add(id(node))
        stack.extend(children(node))
    return found


def positions_of(module: cst.Module, source: str, nodes: list[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    provider = PositionProvider()
    try:
        tree = ast.parse(source)
        starts = _start_lines(module, tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        starts = None
    if starts is None:  # fall back to rendering everything (still without the metadata walk)
        provider._gen_impl(module)
        return provider._computed
    wanted = {id(n) for n in nodes}
    for stmt, line in zip(module.body, starts):
        if not wanted:
            break
        if isinstance(stmt, cst.CSTNode) and id(stmt) in wanted or _contains(stmt, wanted):
            state = PositionProvidingCodegenState(
                default_indent=module.default_indent, default_newline=module.default_newline, provider=provider,
            )
            state.line, state.column = line, 0
            stmt._codegen(state)
            wanted -= {id(n) for n in nodes if n in provider._computed}
    return provider._computed
