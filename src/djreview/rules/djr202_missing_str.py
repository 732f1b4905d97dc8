"""DJR202: a concrete model that neither defines nor inherits ``__str__``.

Without it the admin, the shell, logs and error pages show "Book object (17)". The fix adds a
``__str__`` that returns the model's most descriptive text field, else "<Model> <pk>".
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import INDENT, FixSpec, NodeEdit
from djreview.naming import DESCRIPTIVE_FIELDS, TEXT_FIELD_KINDS
from djreview.rule import Rule


class MissingStr(Rule):
    code = "DJR202"
    name = "missing-str"
    fixable = True

    def wants(self, text, facts, index, prefilter) -> bool:
        return any(self._reportable(index.model(cls.qualname)) for cls in facts.classes)

    @staticmethod
    def _reportable(model) -> bool:
        if model is None or model.abstract or model.proxy or model.has_str or not model.bases_known:
            return False
        if not model.fields:
            return False  # a fieldless model (permissions holder) has nothing to show
        return not model.parents  # a multi-table child shows its parent's __str__: report the parent

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        frame = self.ctx.flow.enclosing_class()
        if frame is None or frame.node is not node or not frame.top_level:
            return
        model = self.ctx.index.model(frame.qualname)
        if not self._reportable(model):
            return
        field, body = self._descriptive(model)
        message = (
            f'Model {model.name} has no __str__, so the admin, the shell and logs show it as "{model.name} object (1)".'
        )
        hint = f"Add a __str__ that returns {body}."
        self.report(node, message, self._fix(node, model.name, field, body), hint=hint)

    @staticmethod
    def _descriptive(model) -> tuple[str | None, str]:
        fields = {f.name: f for f in model.fields if f.kind.rsplit(".", 1)[-1] in TEXT_FIELD_KINDS and not f.null}
        for name in DESCRIPTIVE_FIELDS:
            if name in fields:
                return name, f"self.{name}"
        return None, f'f"{model.name} {{self.pk}}"'

    def _fix(self, node: cst.ClassDef, model_name: str, field: str | None, body: str) -> FixSpec | None:
        if not isinstance(node.body, cst.IndentedBlock):
            return None
        statements = list(node.body.body)
        anchor: cst.BaseStatement | None = next(
            (s for s in statements if isinstance(s, cst.ClassDef) and s.name.value == "Meta"), None
        )
        if anchor is None:
            leading: list[cst.BaseStatement] = []
            for stmt in statements:
                if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                    break
                leading.append(stmt)
            anchor = leading[-1] if leading else statements[-1]
        unit = node.body.indent if node.body.indent is not None else self.ctx.module.default_indent
        line_end = _line_end(anchor)
        method = f"{INDENT}def __str__(self):\n{INDENT}{unit}return {body}"
        if line_end is not None:  # after the anchor's newline, so a trailing comment stays put
            edit = NodeEdit(line_end, f"\n{method}\n", "after", indent_like=anchor)
        else:
            edit = NodeEdit(anchor, f"\n\n{method}", "after", indent_like=anchor)
        applicability = "safe" if field else "suggestion"
        return FixSpec(f"add {model_name}.__str__ returning {body}", applicability, (edit,))


def _line_end(stmt: cst.CSTNode) -> cst.TrailingWhitespace | None:
    """The comment-and-newline node that ends a statement's last line."""
    while not isinstance(stmt, cst.SimpleStatementLine):
        body = getattr(stmt, "body", None)
        if not isinstance(body, cst.IndentedBlock) or getattr(stmt, "orelse", None) or not body.body:
            return None
        stmt = body.body[-1]
    ws = stmt.trailing_whitespace
    return ws if ws.newline.value is None or ws.newline.value else None
