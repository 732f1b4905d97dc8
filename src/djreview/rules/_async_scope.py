"""Where code runs on the event loop: the shared scope logic of DJR601 and DJR602.

Code runs on the event loop when it is in the body of an ``async def``: not in a nested
``def``, ``lambda`` or class there. A nested function is what one hands to ``sync_to_async``,
``asyncio.to_thread`` or ``loop.run_in_executor`` (which run it in a thread), and a function
passed by reference (``asyncio.to_thread(time.sleep, 1)``) is no call at all; so the rules only
judge calls written directly in an ``async def``'s own body.
"""

from __future__ import annotations

import ast

import libcst as cst

from djreview.index.nodes import all_nodes
from djreview.rule import stdlib_tree
from djreview.source import split_lines


def async_bodies(text: str, prefilter) -> list[str] | None:
    """The source of each `async def` of the file (nested ones too), from its stdlib tree, for
    a rule that judges a file by what its async functions say; None when the tree cannot be
    read (the rule then parses the file)."""
    tree = stdlib_tree(prefilter)
    if tree is None:
        return None
    lines = split_lines(text)
    return [
        "\n".join(lines[node.lineno - 1 : node.end_lineno])
        for node in all_nodes(tree)
        if isinstance(node, ast.AsyncFunctionDef)
    ]


class AsyncScope:
    """Mixed into a Rule: `self.on_event_loop` is true inside an `async def`'s own body."""

    def start_scope(self) -> None:
        self._async_stack: list[bool] = []

    @property
    def on_event_loop(self) -> bool:
        return bool(self._async_stack) and self._async_stack[-1]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._async_stack.append(node.asynchronous is not None)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._async_stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._async_stack.append(False)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self._async_stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._async_stack.append(False)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._async_stack.pop()


def parenthesised(code: str, used_further: bool) -> str:
    """`await x` where the result is used further (`(await x).title`) needs parentheses."""
    return f"({code})" if used_further else code
