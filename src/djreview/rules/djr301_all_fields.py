"""DJR301: ``fields = "__all__"`` on a ModelForm, a ModelSerializer or ``modelform_factory``.

Every field added to the model later becomes writable (forms) or public (serializers) without
anyone deciding it. The fix writes out the fields "__all__" means today, read from the index.
"""

from __future__ import annotations

import libcst as cst

from djreview import orm
from djreview.flow import literal_string
from djreview.index.project import ModelInfo
from djreview.rule import FixSpec, NodeEdit, Rule, register

_FIELD_SUFFIXES = ("Field", "ForeignKey")


@register
class AllFields(Rule):
    code = "DJR301"
    name = "all-fields"
    fixable = True
    triggers = ("__all__",)

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
        if kind not in ("modelform", "serializer"):
            return
        model_node = meta.attrs.get("model")
        model = self._model(model_node)
        what = "ModelForm" if kind == "modelform" else "ModelSerializer"
        self._report(target, node.value, model, what, owner.node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.flow.qualify(node.func) not in orm.MODELFORM_FACTORIES:
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "fields" and literal_string(arg.value) == "__all__":
                model = self._model(node.args[0].value if node.args and node.args[0].keyword is None else None)
                self._report(arg, arg.value, model, "modelform_factory()", None)

    def _model(self, node) -> ModelInfo | None:
        value = self.ctx.flow.infer(node)
        return self.ctx.index.model(getattr(value, "model", None))

    def _report(self, where, string: cst.BaseExpression, model: ModelInfo | None, what: str, owner: str | None) -> None:
        subject = f"{owner}.Meta" if owner else what
        model_name = model.name if model else "the model"
        exposed = "writable through the form" if what != "ModelSerializer" else "readable and writable through the API"
        fields, complete = self.field_list(model, serializer=what == "ModelSerializer")
        listing = ", ".join(f'"{f}"' for f in fields)
        message = (
            f'{subject} uses fields = "__all__" for {model_name}: every field added to {model_name} later '
            f"becomes {exposed} without review. List the fields explicitly"
            + (f": [{listing}]." if fields else ".")
        )
        fix = None
        if fields:
            quote = string.value[0] if isinstance(string, cst.SimpleString) else '"'
            replacement = "[" + ", ".join(f"{quote}{f}{quote}" for f in fields) + "]"
            fix = FixSpec(
                f"list the {len(fields)} fields of {model_name} that __all__ stands for",
                "safe" if complete else "unsafe",
                (NodeEdit(string, replacement),),
            )
        self.report(where, message, fix)

    @staticmethod
    def field_list(model: ModelInfo | None, serializer: bool) -> tuple[list[str], bool]:
        """The fields "__all__" means today, and whether every one of them is known for sure."""
        if model is None:
            return [], False
        complete = model.bases_known
        names: list[str] = []
        has_pk = False
        for f in model.fields:
            short = f.kind.rsplit(".", 1)[-1]
            if f.kind in orm.GENERIC_FK or f.kind in orm.GENERIC_RELATION:
                continue
            if not short.endswith(_FIELD_SUFFIXES):
                continue
            if not f.kind.startswith("django."):
                complete = False
            if f.primary_key or f.kind in orm.AUTO_FIELDS:
                has_pk = True
                if serializer:
                    names.insert(0, f.name)
                continue
            if not f.editable and not serializer:
                continue
            names.append(f.name)
        if serializer and not has_pk and not model.parents:
            names.insert(0, "id")
        return names, complete
