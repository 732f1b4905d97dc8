"""DJR301: ``fields = "__all__"`` on a ModelForm, a ModelSerializer or a model form factory.

Every field added to the model later becomes writable (forms) or public (serializers) without
anyone deciding it. The fix writes out what "__all__" means today, read from the index, in
the order Django and DRF build the fields, so the form or the API output does not change.
"""

from __future__ import annotations

import libcst as cst

from djreview import orm
from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.project import ModelInfo
from djreview.rule import Rule
from djreview.rules._model_fields import excluded_names, form_fields, runtime_model, serializer_fields
from djreview.syntax import dotted, literal_string
from djreview.walk import descendants

_SERIALIZERS = ("serializer", "hyperlinked-serializer")


def _replaces_its_fields(cls: cst.ClassDef) -> bool:
    """Does the form's `__init__` assign `self.fields` a whole new mapping (the names it keeps)?
    Then no model field reaches the form unless that code names it."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return any(
        isinstance(node, cst.Assign) and any(dotted(t.target) == ["self", "fields"] for t in node.targets)
        for stmt in body
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__"
        for node in descendants(stmt.body)
    )


class AllFields(Rule):
    code = "DJR301"
    name = "all-fields"
    fixable = True
    triggers = ('"__all__"', "'__all__'")

    def visit_Assign(self, node: cst.Assign) -> None:
        flow = self.ctx.flow
        if not flow.in_class_body or len(flow.classes) < 2 or len(node.targets) != 1:
            return
        target = node.targets[0].target
        meta, owner = flow.classes[-1], flow.classes[-2]
        if not (isinstance(target, cst.Name) and target.value == "fields" and meta.node.name.value == "Meta"):
            return
        if literal_string(node.value) != "__all__" or not owner.top_level:
            return
        kind = self.ctx.index.class_kind(owner.qualname)
        if kind not in ("modelform", *_SERIALIZERS):
            return
        if kind == "modelform" and self.ctx.index.form_never_bound(owner.qualname):
            # only ModelAdmin classes use it (the admin's own form has every field too, as
            # DJR302), or it is only rendered with no data: nothing is written through it
            return
        if kind == "modelform" and _replaces_its_fields(owner.node):
            return  # `self.fields = kept` in __init__: "__all__" only satisfies Django (crt-portal)
        model = self._model(meta.attrs.get("model"))
        if model is None and runtime_model(self.ctx, meta.attrs.get("model")):
            return  # `model = OrderModel`, bound to a call's result: no field list to write
        if model is not None and model.abstract:
            return  # a base serializer/form for the subclasses' models, never used as is
        if kind == "modelform":
            fields, complete = form_fields(model, excluded_names(meta.attrs.get("exclude")))
            what = "ModelForm"
        else:
            declared = self.ctx.index.declared_fields(owner.qualname)
            fields, complete = serializer_fields(model, declared, hyperlinked=kind != "serializer", exclude=set())
            what = "ModelSerializer"
        self._report(target, node.value, model, what, f"{owner.node.name.value}.Meta", fields, complete)

    def visit_Call(self, node: cst.Call) -> None:
        factory = self.ctx.flow.qualify(node.func) or ""
        position = orm.MODELFORM_FACTORIES.get(factory)
        if position is None:
            return
        positional = [a for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a for a in node.args if a.keyword is not None}
        fields_arg = keywords.get("fields")
        if fields_arg is None or literal_string(fields_arg.value) != "__all__":
            return
        model_arg = keywords.get("model") or (positional[position] if len(positional) > position else None)
        model = self._model(model_arg.value if model_arg is not None else None)
        if model is None:
            return  # generic code building forms for whatever model it is given
        name = f"{factory.rsplit('.', 1)[-1]}()"
        exclude = keywords.get("exclude")
        fields, complete = form_fields(model, excluded_names(exclude.value if exclude else None))
        self._report(fields_arg, fields_arg.value, model, "form", name, fields, complete)

    def _model(self, node) -> ModelInfo | None:
        value = self.ctx.flow.infer(node)
        return self.ctx.index.model(getattr(value, "model", None))

    def _report(self, where, string, model, what, subject, fields, complete) -> None:
        model_name = model.name if model else "the model"
        exposed = "readable and writable through the API" if what == "ModelSerializer" else "writable through the form"
        listing = ", ".join(f'"{f}"' for f in fields)
        message = (
            f'{subject} uses fields = "__all__" for {model_name}: every field added to {model_name} later '
            f"becomes {exposed} without review."
        )
        hint = "List the fields explicitly" + (f": [{listing}]." if fields else ".")
        fix = None
        if fields:
            quote = string.value[0] if isinstance(string, cst.SimpleString) else '"'
            replacement = "[" + ", ".join(f"{quote}{f}{quote}" for f in fields) + "]"
            fix = FixSpec(
                f"list the {len(fields)} fields of {model_name} that __all__ stands for",
                "safe" if complete else "unsafe",
                (NodeEdit(string, replacement),),
            )
        self.report(where, message, fix, hint=hint)
