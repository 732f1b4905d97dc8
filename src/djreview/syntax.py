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


def binding_targets(node: cst.CSTNode) -> list[cst.BaseExpression]:
    """What a node binds, as written: the targets of an assignment (`=`, `+=`, annotated, `:=`),
    a `for`, a `with ... as`, an `except ... as`, and the names an import binds (`import a.b`
    binds `a`)."""
    if isinstance(node, cst.Assign):
        return [t.target for t in node.targets]
    if isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
        return [node.target]
    if isinstance(node, cst.WithItem) and node.asname is not None:
        return [node.asname.name]
    if isinstance(node, cst.ExceptHandler) and node.name is not None:
        return [node.name.name]
    if isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
        found: list[cst.BaseExpression] = []
        for alias in node.names:
            bound = alias.asname.name if alias.asname else alias.name
            found.append(bound if isinstance(bound, cst.Name) else cst.Name((dotted(bound) or ["_"])[0]))
        return found
    return []
