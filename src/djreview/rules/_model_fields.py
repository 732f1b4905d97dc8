"""The fields a ModelForm or a ModelSerializer builds from its model, read from the index.

Shared by DJR301 (what `"__all__"` stands for) and DJR302 (the `fields` list that replaces
`exclude`): both write out the same list, in the order Django and DRF build the fields.
"""

from __future__ import annotations

import libcst as cst

from djreview import orm
from djreview.index.project import ModelInfo
from djreview.syntax import literal_string

_FIELD_SUFFIXES = ("Field", "ForeignKey")
_NOT_FORM_FIELDS = orm.GENERIC_FK | orm.GENERIC_RELATION


def runtime_model(ctx, given: cst.BaseExpression | None) -> bool:
    """Is a Meta's `model` only known at run time, with no field list to write: a call
    (`model = get_profile_model()`; not `get_user_model()`, whose model the index knows), or a
    name bound to a call's result (django-SHOP's `OrderModel = MaterializedModel(BaseOrder)`)?"""
    if isinstance(given, cst.Name) and given.value == "None":
        return True  # `model = None`, set per instance in __init__: a generic serializer
    if isinstance(given, cst.Call):
        return ctx.flow.qualify(given.func) != "django.contrib.auth.get_user_model"
    if isinstance(given, (cst.Name, cst.Attribute)):
        ref = ctx.flow.qualify(given)
        return ref is not None and ctx.index.call_result(ref)
    return False


def model_fields(model: ModelInfo):
    for f in model.fields:
        if f.kind.rsplit(".", 1)[-1].endswith(_FIELD_SUFFIXES) or f.kind in _NOT_FORM_FIELDS:
            yield f


def certain(model: ModelInfo) -> bool:
    """Every field is a Django field and no base or parent is out of sight."""
    return (
        model.bases_known
        and not model.parents
        and all(f.kind.startswith("django.") and not f.dynamic for f in model_fields(model))
    )


def form_fields(model: ModelInfo | None, exclude: set[str] | None) -> tuple[list[str], bool]:
    """ModelForm: editable model fields in creation order, M2M included (fields_for_model);
    the bool says whether the list is certain."""
    if model is None or exclude is None:
        return [], False
    names = [
        f.name
        for f in model_fields(model)
        if f.kind not in orm.AUTO_FIELDS and f.kind not in _NOT_FORM_FIELDS and f.editable and f.name not in exclude
    ]
    return names, certain(model)


def serializer_fields(
    model: ModelInfo | None, declared: list[str], hyperlinked: bool, exclude: set[str] | None = None
) -> tuple[list[str], bool]:
    """DRF's get_default_field_names: pk (or url), declared, plain fields, forward relations,
    minus `exclude` (DRF removes excluded names from that list)."""
    if model is None or exclude is None:
        return [], False
    fields = [f for f in model_fields(model) if f.kind not in _NOT_FORM_FIELDS]
    pk = next((f.name for f in fields if f.primary_key or f.kind in orm.AUTO_FIELDS), "id")
    relation_kinds = orm.FOREIGN_KEY | orm.ONE_TO_ONE
    plain = [f.name for f in fields if f.name != pk and f.kind not in relation_kinds | orm.MANY_TO_MANY]
    single = [f.name for f in fields if f.name != pk and f.kind in relation_kinds]
    many = [f.name for f in fields if f.kind in orm.MANY_TO_MANY]
    names: list[str] = []
    for name in ["url" if hyperlinked else pk, *declared, *plain, *single, *many]:
        if name not in names and name not in exclude:
            names.append(name)
    return names, certain(model)


def excluded_names(node) -> set[str] | None:
    """Names in a literal `exclude` (a libcst list or tuple of strings); the empty set when
    there is none, None when it is there but not readable."""
    if node is None:
        return set()
    if isinstance(node, (cst.List, cst.Tuple)):
        names = [literal_string(e.value) for e in node.elements]
        if all(names):
            return set(names)  # type: ignore[arg-type]
    return None


def model_form_kind(index, qual: str) -> str | None:
    """'modelform', 'serializer' or 'hyperlinked-serializer' for a class built on Django's or
    DRF's (index.class_kind), or on a package's subclass the index cannot read whose name
    says what it is (rest_flex_fields' FlexFieldsModelSerializer, parler's TranslatableModelForm)."""
    kind = index.class_kind(qual)
    if kind in ("modelform", "serializer", "hyperlinked-serializer"):
        return kind
    if kind is not None:
        return None
    for base in index.base_refs(qual):
        name = base.rsplit(".", 1)[-1]
        if name.endswith("HyperlinkedModelSerializer"):
            return "hyperlinked-serializer"
        if name.endswith("ModelSerializer"):
            return "serializer"
        if name.endswith("ModelForm"):
            return "modelform"
    return None
