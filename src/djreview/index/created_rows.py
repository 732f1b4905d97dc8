"""Where the project's own code creates rows: a per-file fact for DJR105's small tables.

A table the code never fills, whose rows only staff type in the admin, load from a fixture or
write once in a data migration, holds what people curate by hand: licences, exam types, a
site's categories. A scan of it costs what an index lookup would. So the index records every
place that may create rows, and a model none of them names is left alone (ProjectIndex.
hand_filled). Every shape counts, so that a miss here costs a silence, not a false alarm:

- `Model.objects.create()` / `get_or_create()` / `update_or_create()` / `bulk_create()`, on any
  chain from the class (`Model.objects.using(db).create`), and `Model(...)` (saved later);
- `model = Model` in a class body outside the admin (a ModelForm's or serializer's Meta, a
  CreateView, a factory, an import-export resource) and the model given to
  `modelform_factory`/`modelformset_factory`/`inlineformset_factory`;
- `cls(...)`, `cls.objects.create(...)`, `self.__class__(...)` in a class's methods, and
  `self.create(...)`, `self.model(...)`, `super().create(...)` in a manager or queryset
  ("self:<class>": the index maps managers to their models);
- `<accessor>.create(...)` through a relation (`order.items.create()`: "accessor:items");
- a many-to-many's `through=` model (its `add()` creates the through rows);
- a string naming a model by label (`"app.Model"`, `upload_to="files.FileData/bytes"`, a
  setting such as `AUTH_USER_MODEL`): code the project does not show may create its rows
  ("label:Model"); not the target of a relation field, which only points at it.

In migrations only creations inside a loop count: a data migration writing a handful of rows
one by one is hand-written data; one looping over a file or a query fills a table.

The evidence of curation is recorded too ("curated:<ref>"): the models the admin registers
(`admin.site.register`, `@admin.register`, an inline's `model = X`) and the rows a data
migration writes one by one. A model is hand-filled only with such evidence and no creation.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections.abc import Callable

from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name

_CREATES = frozenset({"create", "get_or_create", "update_or_create", "bulk_create", "acreate", "aget_or_create"})
_FACTORIES = frozenset(
    {"modelform_factory", "modelformset_factory", "inlineformset_factory", "generic_inlineformset_factory"}
)
_RELATION_FIELDS = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey", "ParentalManyToManyField"}
)
# Calls that take a model class without making rows of it.
_NOT_MAKERS = frozenset(
    {"isinstance", "issubclass", "get_object_or_404", "get_list_or_404", "register", "receiver", "connect"}
    | {"get_for_model", "get_for_models", "Prefetch"}
    | _RELATION_FIELDS
    | {"GenericRelation", "TreeForeignKey", "TreeOneToOneField", "TaggableManager"}
)
_LABEL = re.compile(r"\b[a-z_][a-z0-9_]*\.([A-Z][A-Za-z0-9_]*)\b")


def creation_refs(
    nodes: Nodes, ref: Callable[[ast.AST], str | None], migration: bool, admin: bool, historical: dict[str, str]
) -> tuple[str, ...]:
    """What this module's code may create rows of: model refs (resolved by the index),
    "self:<Class>", "accessor:<name>" and "label:<Model>" entries. `historical`: a data
    migration's `X = apps.get_model("app", "Model")` names, as "<label:app.Model>"."""
    tree = nodes.tree
    found: set[str] = set()
    looped = _inside_loops(tree) if migration else None
    if historical:
        plain = ref

        def ref(node: ast.AST) -> str | None:
            if isinstance(node, ast.Name) and node.id in historical:
                return historical[node.id]
            return plain(node)

    classes = _Classes(tree, ref)
    pointing: set[int] = set()  # the first argument of a relation field: a model it points at
    for call in nodes.of(ast.Call):  # one pass over the calls, for every kind of entry
        owner = classes.owner(call) if classes.spans else None
        if owner is not None and owner[0] and _makes_own(call.func):
            found.add(f"self:{owner[0]}")
        if call.args and (called_name(call.func) or "") in _RELATION_FIELDS:
            pointing.add(id(call.args[0]))
        if looped is not None and id(call) not in looped:
            made: set[str] = set()
            _call(call, ref, made)  # a row written by hand in a data migration: curated
            found.update(f"curated:{m}" for m in made if ":" not in m)
            continue
        if admin and called_name(call.func) == "register":
            _registered(call, ref, found)
        _call(call, ref, found)
    if classes.spans:
        for assign in nodes.of(ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == "model" for t in assign.targets):
                owner = classes.owner(assign)
                target = ref(assign.value) if owner is not None else None
                if owner is not None and target:  # a Meta's or a view's `model = X`; an admin inline's is curation
                    found.add(f"curated:{target}" if admin or owner[1] else target)
    if not migration and not admin:  # the admin's `register([A, B])` lists what staff curate
        for kind in (ast.Dict, ast.List, ast.Tuple, ast.Set):
            for collection in nodes.of(kind):
                for item in collection.values if isinstance(collection, ast.Dict) else collection.elts:  # type: ignore[attr-defined]
                    _handed(item, found)
    if not migration:
        _labels(nodes, pointing, found)
    return tuple(sorted(found))


def _call(call: ast.Call, ref: Callable[[ast.AST], str | None], found: set[str]) -> None:
    func = call.func
    name = called_name(func)
    for keyword in call.keywords:
        if keyword.arg == "through":  # a many-to-many's `add()` creates the through model's rows
            value = keyword.value
            target = ref(value)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(f"label:{value.value.rpartition('.')[2]}")
            elif target:
                found.add(target)
    if name in _FACTORIES:
        for arg in call.args[:2]:
            target = ref(arg)
            if target:
                found.add(target)
        return
    if isinstance(func, ast.Attribute) and func.attr in _CREATES:
        root = func.value
        while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
            root = root.func.value  # `Model.objects.using(db).create`
        if isinstance(root, ast.Attribute) and root.attr in ("objects", "_default_manager", "_base_manager"):
            _made(root.value, ref, found)
        elif isinstance(root, ast.Attribute):
            found.add(f"accessor:{root.attr}")  # `order.items.create()`
        return
    if isinstance(func, (ast.Name, ast.Attribute)) and (name or "")[:1].isupper():
        _made(func, ref, found)  # `Model(...)`: resolved to a model, or to nothing, by the index
    if name not in _NOT_MAKERS:
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            _handed(arg, found)  # `create_job(DaskJob, ...)`: a helper may create its rows


def _made(node: ast.AST, ref: Callable[[ast.AST], str | None], found: set[str]) -> None:
    """A class whose rows are made: by its reference, and by its name too (a class imported
    inside the function, which the module's imports do not show)."""
    target = ref(node)
    if target:
        found.add(target)
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    if name[:1].isupper():
        found.add(f"label:{name}")


def _handed(node: ast.AST, found: set[str]) -> None:
    """A class handed on as a value (an argument, an item of a collection: tethys's
    `JOB_TYPES = {"DASK": DaskJob}`): code that receives it may create its rows."""
    if isinstance(node, ast.Name) and node.id[:1].isupper() and not node.id.isupper():
        found.add(f"label:{node.id}")
    elif isinstance(node, ast.Attribute) and node.attr[:1].isupper() and not node.attr.isupper():
        found.add(f"label:{node.attr}")


class _Classes:
    """The module's top-level classes by line span: which one a node sits in (one bisection,
    not a walk of every class body)."""

    def __init__(self, tree: ast.AST, ref: Callable[[ast.AST], str | None]):
        classes = sorted(
            (n.lineno, n.end_lineno or n.lineno, n) for n in getattr(tree, "body", ()) if isinstance(n, ast.ClassDef)
        )
        self.spans = [(start, end) for start, end, _ in classes]
        self.starts = [start for start, _ in self.spans]
        # (qualified name, an admin inline?) per class
        self.info = [
            (ref(ast.Name(c.name)), any((called_name(b) or "").endswith("Inline") for b in c.bases))
            for _, _, c in classes
        ]

    def owner(self, node: ast.AST) -> tuple[str | None, bool] | None:
        line = getattr(node, "lineno", 0)
        i = bisect_right(self.starts, line) - 1
        return self.info[i] if i >= 0 and line <= self.spans[i][1] else None


def _makes_own(func: ast.AST) -> bool:
    """`cls(...)`, `self.create(...)`, `self.model(...)`, `super().create(...)`,
    `self.__class__(...)`, `cls.objects.create(...)`: a class (or its manager) making rows of itself."""
    if isinstance(func, ast.Name):
        return func.id == "cls"
    if not isinstance(func, ast.Attribute):
        return False
    if _own(func.value) and (func.attr in _CREATES or func.attr == "model"):
        return True
    if func.attr == "__class__":
        return True
    return func.attr in _CREATES and isinstance(func.value, ast.Attribute) and _own(func.value.value)


def _registered(call: ast.Call, ref: Callable[[ast.AST], str | None], found: set[str]) -> None:
    """`admin.site.register(Model, ...)`, `admin.site.register([A, B])`, `@admin.register(A, B)`:
    staff curate these models' rows in the admin."""
    for arg in call.args:
        for item in arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]:
            target = ref(item)
            if target:
                found.add(f"curated:{target}")


def _own(node: ast.AST) -> bool:
    """`self`, `cls`, `super()`: the class itself (or its manager)."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _labels(nodes: Nodes, pointing: set[int], found: set[str]) -> None:
    """Models named by label in a string (`"shop.Offer"`), not where a relation field points."""
    for node in nodes.of(ast.Constant):
        if isinstance(node.value, str) and id(node) not in pointing and len(node.value) < 200:
            for match in _LABEL.finditer(node.value):
                found.add(f"label:{match.group(1)}")


def _inside_loops(tree: ast.AST) -> set[int]:
    """The nodes inside a `for`/`while` loop or a comprehension."""
    inside: set[int] = set()
    for node in all_nodes(tree):
        if isinstance(
            node, (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
        ):
            inside.update(id(n) for n in all_nodes(node))
    return inside
