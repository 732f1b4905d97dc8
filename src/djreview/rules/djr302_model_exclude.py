"""DJR302: ``exclude`` on a ModelForm, a ModelSerializer or a model form factory.

`exclude` lists what the form or serializer must not take; everything else on the model is
in, today and after every later migration. A field added to the model (`is_verified`,
`discount_rate`) becomes writable through the form or the API without anyone deciding it:
the mass-assignment risk `"__all__"` has (DJR301), with the opt-out hidden behind a list.
The fix writes out the `fields` list `exclude` means today, read from the index.

Not reported: a Meta that also lists its `fields` (`exclude` only narrows that list), a form
only ModelAdmin classes or back-office modules use (staff edit it; index/class_uses.py),
`ModelAdmin.exclude`, a plain Form or Serializer (their Meta.exclude does nothing), a factory
called in a ModelAdmin or a back-office module, or given a `form=` whose Meta lists its
`fields` (the factory's Meta inherits them).
"""

from __future__ import annotations

import re

import libcst as cst

from djreview import orm
from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.project import ModelInfo, back_office_module
from djreview.rule import Rule
from djreview.rules._model_fields import excluded_names, form_fields, model_form_kind, runtime_model, serializer_fields

_SERIALIZERS = ("serializer", "hyperlinked-serializer")
_ASSIGNED = re.compile(r"\bexclude\s*=")


class ModelExclude(Rule):
    code = "DJR302"
    name = "model-exclude"
    fixable = True
    triggers = ("exclude",)

    def wants(self, text: str, facts, index, prefilter) -> bool:
        # `exclude = ...` in a Meta or `exclude=` to a factory, not queryset.exclude(...)
        if _ASSIGNED.search(text) is None:
            return False
        if "_factory" in text:
            return True
        kinds = ("modelform", *_SERIALIZERS)  # only their Meta.exclude opens fields
        return any(c.has_meta and model_form_kind(index, c.qualname) in kinds for c in facts.classes)

    def visit_Assign(self, node: cst.Assign) -> None:
        flow = self.ctx.flow
        if not flow.in_class_body or len(flow.classes) != 2 or len(node.targets) != 1:
            return
        target = node.targets[0].target
        meta, owner = flow.classes[-1], flow.classes[-2]
        if not (isinstance(target, cst.Name) and target.value == "exclude" and meta.node.name.value == "Meta"):
            return
        if not owner.top_level or isinstance(meta.attrs.get("fields"), (cst.List, cst.Tuple)):
            return  # `exclude` narrows an explicit list: nothing new gets in
        index = self.ctx.index
        for base in meta.node.bases:  # `class Meta(DocumentForm.Meta)`: its fields list counts
            ref = self.ctx.flow.qualify(base.value) or ""
            if ref.endswith(".Meta") and index.meta_lists_fields(ref.removesuffix(".Meta")) is not False:
                return  # narrows a listed (or unknown) inherited fields list
        kind = model_form_kind(index, owner.qualname)
        if kind not in ("modelform", *_SERIALIZERS):
            return
        if kind == "modelform" and index.form_never_bound(owner.qualname):
            return  # only ModelAdmin classes use it (staff edit it, as they edit the model), or unbound
        model = self._model(meta.attrs.get("model"))
        given = meta.attrs.get("model")
        if given is None and not meta.node.bases and not index.has_subclasses(owner.qualname):
            return  # a base form with no model and no subclass in sight: built at run time (get_form())
        if model is None and runtime_model(self.ctx, given):
            return  # `model = get_profile_model()`: known at run time only, no field list to write
        if model is not None and model.abstract:
            return  # a base for the subclasses' models, never used as is
        excluded = excluded_names(node.value)
        if kind == "modelform":
            fields, complete = form_fields(model, excluded)
            what = "writable through the form"
        else:
            declared = index.declared_fields(owner.qualname)
            fields, complete = serializer_fields(model, declared, kind != "serializer", excluded)
            what = "readable and writable through the API"
        self._report(node, target, node.value, model, f"{owner.node.name.value}.Meta", what, fields, complete)

    def visit_Call(self, node: cst.Call) -> None:
        factory = self.ctx.flow.qualify(node.func) or ""
        position = orm.MODELFORM_FACTORIES.get(factory)
        if position is None:
            return
        keywords = {a.keyword.value: a for a in node.args if a.keyword is not None}
        exclude = keywords.get("exclude")
        if exclude is None or isinstance(
            keywords.get("fields", cst.Arg(cst.Name("None"))).value, (cst.List, cst.Tuple)
        ):
            return
        if self._form_lists_fields(keywords.get("form")):
            return  # `form=F` whose Meta lists `fields`: the factory's Meta inherits them, exclude narrows
        classes = self.ctx.flow.classes
        if back_office_module(self.ctx.facts.module) or (
            classes and self.ctx.index.is_admin_class(classes[0].qualname)
        ):
            return  # a ModelAdmin or a back-office view building its own form: staff only
        positional = [a for a in node.args if a.keyword is None and not a.star]
        model_arg = keywords.get("model") or (positional[position] if len(positional) > position else None)
        model = self._model(model_arg.value if model_arg is not None else None)
        if model is None:
            return  # generic code building forms for whatever model it is given
        fields, complete = form_fields(model, excluded_names(exclude.value))
        name = f"{factory.rsplit('.', 1)[-1]}()"
        self._report(
            exclude, exclude.keyword, exclude.value, model, name, "writable through the form", fields, complete
        )

    def _form_lists_fields(self, form: cst.Arg | None) -> bool:
        """EvaP's `inlineformset_factory(..., form=QuestionAssignmentForm, exclude=(...))`, whose
        form's Meta says `fields = ("order", "questionnaire", "question")`."""
        if form is None:
            return False
        index = self.ctx.index
        qual = index.resolve(self.ctx.flow.qualify(form.value))
        return any(index.classes[q].meta_fields_listed for q in index._class_mro(qual) if q in index.classes)

    def _model(self, node) -> ModelInfo | None:
        value = self.ctx.flow.infer(node)
        return self.ctx.index.model(getattr(value, "model", None))

    def _report(self, where, keyword, value, model, subject, what, fields, complete) -> None:
        model_name = model.name if model else "the model"
        message = (
            f"{subject} uses exclude for {model_name}: every field added to {model_name} later "
            f"becomes {what} without review."
        )
        listing = ", ".join(f'"{f}"' for f in fields)
        hint = "List the fields instead" + (f": fields = [{listing}]." if fields else ".")
        fix = None
        if fields:
            quote = '"'
            if isinstance(value, (cst.List, cst.Tuple)) and value.elements:
                first = value.elements[0].value
                quote = first.value[0] if isinstance(first, cst.SimpleString) else quote
            items = ", ".join(f"{quote}{f}{quote}" for f in fields)
            if isinstance(value, cst.Tuple) and value.lpar:
                replacement = items + ("," if len(fields) == 1 else "")  # inside the tuple's own parentheses
            else:
                replacement = f"[{items}]"
            fix = FixSpec(
                f"replace exclude with the {len(fields)} fields of {model_name} it leaves in",
                "safe" if complete else "suggestion",
                (NodeEdit(keyword, "fields"), NodeEdit(value, replacement)),
            )
        self.report(where, message, fix, hint=hint)
