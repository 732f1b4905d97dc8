"""What the model-field rules share: each `name = SomeField(...)` in a class body, handed to
the rule with the class it is in (DJR201, DJR203, DJR206), and how they read its keywords."""

from __future__ import annotations

import libcst as cst

from djreview.values import ClassFrame


class ClassBodyFields:
    """Mixin: calls `self.field_call(name, call, frame)` for every assignment of a call in a
    class body (`a = b = X(...)` binds one object; the last name is the one reported)."""

    def visit_Assign(self, node: cst.Assign) -> None:
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        if names:
            self._in_class_body(names[-1], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self._in_class_body(node.target.value, node.value)

    def _in_class_body(self, name: str, value: cst.BaseExpression) -> None:
        flow = self.ctx.flow  # type: ignore[attr-defined]
        frame = flow.enclosing_class()
        if flow.in_class_body and frame is not None and isinstance(value, cst.Call):
            self.field_call(name, value, frame)

    def field_call(self, name: str, call: cst.Call, frame: ClassFrame) -> None:
        raise NotImplementedError


def keyword_true(arg: cst.Arg | None) -> bool:
    """A field keyword given the literal `True` (`null=True`, `blank=True`)."""
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"
