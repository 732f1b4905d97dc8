"""Exact positions for the few nodes a file reports, without rendering the whole file.

libcst computes positions by generating the code of the entire module, then walking it
(about three times the cost of parsing). djreview only needs the positions of reported
nodes and their fix anchors, so it renders just the top-level statements that hold them,
starting each at the line the stdlib AST gives for that statement.
"""

from __future__ import annotations

import ast
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from djreview.index.nodes import first_line
from djreview.walk import children


def _start_lines(body, tree_body: list[ast.stmt]) -> list[tuple[int, ast.stmt]] | None:
    """For each libcst statement of a block, the line its code (leading lines included)
    starts on and its first stdlib statement; None when the two do not line up."""
    starts, i = [], 0
    for stmt in body:
        if i >= len(tree_body):
            return None
        line = first_line(tree_body[i]) - len(stmt.leading_lines)
        decorators = getattr(stmt, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        starts.append((line, tree_body[i]))
        i += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1
    return starts if i == len(tree_body) else None


def _holders(module: cst.Module, wanted: set[int]) -> dict[int, set[int]]:
    """One walk of the tree: for every node holding wanted nodes (itself included), their ids."""
    holding: dict[int, set[int]] = {}
    path: list[cst.CSTNode] = []
    stack: list[tuple[cst.CSTNode, int]] = [(module, 0)]
    left = set(wanted)
    while stack and left:  # the walk stops at the last wanted node: the rest holds none
        node, depth = stack.pop()
        del path[depth:]
        path.append(node)
        if id(node) in wanted:
            left.discard(id(node))
            for ancestor in path:
                holding.setdefault(id(ancestor), set()).add(id(node))
        stack.extend((child, depth + 1) for child in children(node))
    return holding


# Statements whose body is rendered statement by statement when every wanted node lies in it,
# with the stdlib statements that match them.
_BODIES: dict[type, tuple[type, ...]] = {
    cst.ClassDef: (ast.ClassDef,),
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Try: (ast.Try,),
}


class _Renderer:
    def __init__(self, module: cst.Module, wanted: set[int]):
        self.module = module
        self.provider = PositionProvider()
        self.holding = _holders(module, wanted)

    def block(self, body, tree_body: list[ast.stmt], indents: list[str], wanted: set[int]) -> bool:
        """Render the statements of `body` holding wanted nodes; False when the stdlib
        statements do not line up with libcst's (the caller then renders the whole)."""
        starts = _start_lines(body, tree_body)
        if starts is None:
            return False
        for stmt, (line, tree_stmt) in zip(body, starts):
            if not wanted:
                break
            found = self.holding.get(id(stmt), set()) & wanted
            if found:
                if not self._inside(stmt, tree_stmt, indents, found):
                    self.statement(stmt, line, indents)
                wanted -= found
        return True

    def _inside(self, stmt, tree_stmt, indents: list[str], found: set[int]) -> bool:
        """A class, function or block (if, for, while, with, try) whose wanted nodes all lie
        in statements of its body is rendered statement by statement, not whole (a model or a
        view class can be long, and so can the loop around one reported line)."""
        matching = _BODIES.get(type(stmt))
        if id(stmt) in found or matching is None or not isinstance(tree_stmt, matching):
            return False
        block = getattr(stmt, "body", None)
        if not isinstance(block, cst.IndentedBlock):
            return False
        inner: set[int] = set()
        for child in block.body:
            inner |= self.holding.get(id(child), set())
        if inner & found != found:
            return False  # something in the header: render the definition whole
        indent = self.module.default_indent if block.indent is None else block.indent
        return self.block(block.body, getattr(tree_stmt, "body", []), [*indents, indent], set(found))

    def statement(self, stmt: cst.CSTNode, line: int, indents: list[str]) -> None:
        state = PositionProvidingCodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            provider=self.provider,
        )
        state.indent_tokens = list(indents)
        state.line, state.column = line, 0
        stmt._codegen(state)


def positions_of(module: cst.Module, tree: ast.Module | None, nodes: list[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    """The positions of `nodes`; `tree` is the stdlib tree of the same text (None: render
    the whole module instead)."""
    wanted = {id(n) for n in nodes}
    renderer = _Renderer(module, wanted)
    try:
        done = tree is not None and renderer.block(module.body, tree.body, [], wanted)
    except (ValueError, RecursionError, MemoryError):
        done = False
    if not done:  # fall back to rendering everything (still without the metadata walk)
        renderer.provider._gen_impl(module)
    return cast(dict[cst.CSTNode, CodeRange], renderer.provider._computed)  # computed: no lazy values
