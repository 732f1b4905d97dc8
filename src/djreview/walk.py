"""One traversal of a libcst tree for every rule, without libcst's node-rebuilding visit.

libcst's own ``visit`` reconstructs every node it passes (``_visit_and_replace_children``),
which costs about as much as parsing. Rules only read, so this walker iterates the dataclass
fields that can hold code (trivia such as whitespace, commas and parentheses is skipped) and
calls the rules' ``visit_<Node>`` / ``leave_<Node>`` methods from a dispatch table built once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

import libcst as cst

_TRIVIA = frozenset(
    {
        "colon",
        "comma",
        "dot",
        "equal",
        "first_colon",
        "second_colon",
        "footer",
        "header",
        "leading_lines",
        "lines_after_decorators",
        "lpar",
        "rpar",
        "lbrace",
        "rbrace",
        "lbracket",
        "rbracket",
        "newline",
        "semicolon",
        "empty_lines",
        "trailing_whitespace",
        "leading_whitespace",
        "operator",
        "asynchronous",
        "posonly_ind",
        "star",
        "indent",
    }
)
_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(cls: type) -> tuple[str, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in _TRIVIA and not f.name.startswith("whitespace")
        )
        _FIELDS[cls] = fields
    return fields


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The code-bearing children of `node`, in source order."""
    out: list[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            out.append(value)
        elif isinstance(value, (tuple, list)):
            out.extend(v for v in value if isinstance(v, cst.CSTNode))
    return out


Hook = Callable[["cst.CSTNode"], None]  # a string: libcst may be loaded lazily (rule.all_rules)


class Dispatch:
    """Per node type, the visit and leave hooks of every listener (built once per process)."""

    def __init__(self, listeners: Iterable[object]):
        self.visit: dict[str, list[Hook]] = {}
        self.leave: dict[str, list[Hook]] = {}
        self._listeners = list(listeners)
        # Listeners visit in order and leave in reverse, so the first one (the flow tracker)
        # has bound names before any rule looks at a node, and unbinds them after.
        for listener in self._listeners:
            for attr in dir(type(listener)):
                if attr.startswith("visit_"):
                    self.visit.setdefault(attr[6:], []).append(getattr(listener, attr))
        for listener in reversed(self._listeners):
            for attr in dir(type(listener)):
                if attr.startswith("leave_"):
                    self.leave.setdefault(attr[6:], []).append(getattr(listener, attr))

    def run(self, module: cst.Module) -> None:
        visit, leave = self.visit, self.leave
        # An explicit stack: deeply nested generated code must not hit the recursion limit.
        stack: list[tuple[cst.CSTNode, bool]] = [(module, False)]
        while stack:
            node, leaving = stack.pop()
            name = type(node).__name__
            if leaving:
                for hook in leave.get(name, ()):
                    hook(node)
                continue
            for hook in visit.get(name, ()):
                hook(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children(node)))


def contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    """Is `target` (by identity) `node` or a node below it?"""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is target:
            return True
        stack.extend(children(current))
    return False


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every code-bearing node below it, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
