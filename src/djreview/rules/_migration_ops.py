"""What the migration rules (DJR5xx) share: naming Django's migration operations in a call,
and reading the argument that makes an operation reversible."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

_OPERATION_MODULES = ("django.db.migrations", "django.db.migrations.operations")


def operation(qualified: str | None) -> str | None:
    """'RunPython', 'CreateModel'... when `qualified` names one of Django's migration
    operations (`migrations.RunPython`, `from django.db.migrations.operations import ...`)."""
    if not qualified:
        return None
    module, _, name = qualified.rpartition(".")
    if module in _OPERATION_MODULES or module.startswith("django.db.migrations.operations."):
        return name
    return None


@dataclass(frozen=True)
class Argument:
    """An operation's argument as written: `state` is "given", "missing", "none" (an
    explicit `None`) or "unknown" (`**kwargs`, `*args`: it may be there)."""

    state: str
    node: cst.BaseExpression | None = None


def argument(call: cst.Call, keyword: str, position: int) -> Argument:
    """The argument `keyword`, also accepted at `position` (0-based) among positionals."""
    positional = 0
    for arg in call.args:
        if arg.star:
            return Argument("unknown")
        if arg.keyword is not None:
            if arg.keyword.value == keyword:
                return _written(arg.value)
            continue
        if positional == position:
            return _written(arg.value)
        positional += 1
    return Argument("missing")


def _written(node: cst.BaseExpression) -> Argument:
    if isinstance(node, cst.Name) and node.value == "None":
        return Argument("none", node)
    return Argument("given", node)
