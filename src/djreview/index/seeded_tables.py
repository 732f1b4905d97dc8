"""Models whose rows the code creates from a fixed list: lookup tables (DJR105).

coldfront's data migration and its `add_allocation_defaults` command both run
`for choice in ("Active", "Denied", ...): AllocationStatusChoice.objects.get_or_create(name=choice)`.
The table holds what the list holds, a handful of rows, and a scan of it costs what an index
lookup would. A row created from a loop over a literal list, tuple, set or dict (or a module
constant or an UPPER_CASE class attribute holding one, `.items()` of it included), or over
`apps.get_models()` (a registry with a row per model class), with a value taken from the
loop, marks the model as seeded. A data migration's historical model
(`X = apps.get_model("app", "Model")`) counts as that model.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from djreview.index.lookups import TRANSLATIONS
from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name

_CREATES = frozenset({"create", "get_or_create", "update_or_create", "bulk_create"})


def wanted(text: str) -> bool:
    return "create(" in text and "for " in text


def seeded_models(
    nodes: Nodes, ref: Callable[[ast.AST], str | None], loaded: Callable[[ast.Call], list[str] | None]
) -> tuple[str, ...]:
    """References of the models whose rows a loop over a literal collection creates: a
    qualified name, or `<label:app.Model>` for a historical model (`loaded`: what a loader
    call such as `apps.get_model(...)` returns, as extract.py reads it)."""
    tree = nodes.tree
    constants = {
        target.id
        for stmt in getattr(tree, "body", ())
        if isinstance(stmt, ast.Assign) and _literal_collection(stmt.value)
        for target in stmt.targets
        if isinstance(target, ast.Name)
    }
    historical = historical_models(nodes, loaded)
    found: set[str] = set()
    for loop in nodes.of(ast.For):
        if not _fixed(loop.iter, constants):
            continue
        names = {n.id for n in all_nodes(loop.target) if isinstance(n, ast.Name)}
        for node in (n for stmt in loop.body for n in all_nodes(stmt)):
            model = _created(node, names, historical, ref)
            if model is not None:
                found.add(model)
    comprehensions: list[ast.ListComp | ast.GeneratorExp] = [*nodes.of(ast.ListComp), *nodes.of(ast.GeneratorExp)]
    for comp in comprehensions:  # `bulk_create([Status(name=n) for n in NAMES])` (Nitrate's case statuses)
        if not all(_fixed(g.iter, constants) for g in comp.generators):
            continue
        names = {n.id for g in comp.generators for n in all_nodes(g.target) if isinstance(n, ast.Name)}
        model = _constructed(comp.elt, names, historical, ref)
        if model is not None:
            found.add(model)
    return tuple(sorted(found))


def _constructed(
    node: ast.AST, names: set[str], historical: dict[str, str], ref: Callable[[ast.AST], str | None]
) -> str | None:
    """The model `Model(name=choice)` makes a row of, when a value comes from the loop's names."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))):
        return None
    return _model_given(node.func, node, names, historical, ref)


def historical_models(nodes: Nodes, loaded: Callable[[ast.Call], list[str] | None]) -> dict[str, str]:
    """`X = apps.get_model("app", "Model")` (or `"app.Model"`) -> "<label:app.Model>"."""
    found = {}
    for assign in nodes.of(ast.Assign):
        if len(assign.targets) != 1 or not isinstance(assign.targets[0], ast.Name):
            continue
        classes = loaded(assign.value) if isinstance(assign.value, ast.Call) else None
        if classes is not None and len(classes) == 1:
            found[assign.targets[0].id] = classes[0]
    return found


def _created(
    node: ast.AST, names: set[str], historical: dict[str, str], ref: Callable[[ast.AST], str | None]
) -> str | None:
    """The model `Model.objects.get_or_create(name=choice)` creates a row of, when a value
    comes from the loop's names."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CREATES):
        return None
    manager = node.func.value
    if not (isinstance(manager, ast.Attribute) and isinstance(manager.value, (ast.Name, ast.Attribute))):
        return None
    return _model_given(manager.value, node, names, historical, ref)


def _model_given(
    owner: ast.Name | ast.Attribute,
    call: ast.Call,
    names: set[str],
    historical: dict[str, str],
    ref: Callable[[ast.AST], str | None],
) -> str | None:
    """The model class `owner` names, when the call is given a value from the loop's names."""
    values = [*call.args, *(k.value for k in call.keywords)]
    if not any(isinstance(n, ast.Name) and n.id in names for v in values for n in all_nodes(v)):
        return None
    if isinstance(owner, ast.Name) and owner.id in historical:
        return historical[owner.id]
    name = owner.id if isinstance(owner, ast.Name) else owner.attr
    return ref(owner) if name[:1].isupper() else None


def _fixed(node: ast.AST, constants: set[str]) -> bool:
    """A literal collection, a module constant holding one, an UPPER_CASE attribute, or
    `.items()`/`.keys()`/`.values()` of one."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
        if node.func.attr == "get_models":
            return True  # `apps.get_models()`: one row per model class of the code base
        if node.func.attr in ("items", "keys", "values"):
            node = node.func.value
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.Attribute):
        return node.attr.isupper()
    return _literal_collection(node)


def _literal_collection(node: ast.AST) -> bool:
    if isinstance(node, ast.Dict):
        return bool(node.keys) and all(isinstance(k, ast.Constant) for k in node.keys)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts) and all(_literal_item(e) for e in node.elts)
    return False


def _literal_item(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_literal_item(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys) and all(_literal_item(v) for v in node.values)
    return isinstance(node, ast.Call) and called_name(node.func) in TRANSLATIONS
