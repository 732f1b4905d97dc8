"""DJR202: a concrete model that neither defines nor inherits ``__str__``.

Without it the admin, the shell, logs and error pages show "Book object (17)". The fix adds a
``__str__`` that returns the model's most descriptive text field, else "<Model> <pk>".
"""

from __future__ import annotations

import libcst as cst

from djreview.naming import DESCRIPTIVE_FIELDS, TEXT_FIELD_KINDS
from djreview.rule import FixSpec, NodeEdit, Rule, register


@register
class MissingStr(Rule):
    code = "DJR202"
    name = "missing-str"
    fixable = True
    triggers = ("class ",)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        frame = self.ctx.flow.enclosing_class()
        if frame is None or frame.node is not node or not frame.top_level:
            return
        model = self.ctx.index.model(frame.qualname)
        if model is None or model.abstract or model.proxy or model.has_str or not model.bases_known:
            return
        if model.parents:
            return  # a multi-table child shows its parent's __str__; the parent is reported
        field, body = self._descriptive(model)
        message = (
            f"Model {model.name} has no __str__, so the admin, the shell and logs show it as "
            f'"{model.name} object (1)". Add a __str__ that returns {body}.'
        )
        self.report(node, message, self._fix(node, model.name, field, body))

    @staticmethod
    def _descriptive(model) -> tuple[str | None, str]:
        fields = {
            f.name: f for f in model.fields
            if f.kind.rsplit(".", 1)[-1] in TEXT_FIELD_KINDS and not f.null
        }
        for name in DESCRIPTIVE_FIELDS:
            if name in fields:
                return name, f"self.{name}"
        return None, f'f"{model.name} {{self.pk}}"'

    def _fix(self, node: cst.ClassDef, model_name: str, field: str | None, body: str) -> FixSpec | None:
        if not isinstance(node.body, cst.IndentedBlock):
            return None
        statements = list(node.body.body)
        anchor = next(
            (s for s in statements if isinstance(s, cst.ClassDef) and s.name.value == "Meta"), None
        )
        if anchor is None:
            leading = []
            for stmt in statements:
                if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                    break
                leading.append(stmt)
            anchor = leading[-1] if leading else statements[-1]
        indent = node.body.indent if node.body.indent is not None else self.ctx.module.default_indent
        code = f"\n\n{indent}def __str__(self):\n{indent}{indent}return {body}"
        applicability = "safe" if field else "suggestion"
        return FixSpec(f"add {model_name}.__str__ returning {body}", applicability, (NodeEdit(anchor, code, "after"),))
