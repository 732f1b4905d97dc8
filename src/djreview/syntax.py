"""Small questions about libcst nodes that rules share: the helpers a rule module imports."""

from __future__ import annotations

import libcst as cst


def literal_string(node: cst.CSTNode | None) -> str | None:
    """The value of a plain string literal (`"author"`), else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def dotted(node: cst.CSTNode) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return parts[::-1]
    return None
