"""Which functions a module calls inside a transaction, and which outside one (DJR104).

A helper that writes twice needs no `atomic()` of its own when every call of it in the project
runs inside one: `with transaction.atomic():` around the call, or a caller decorated with
`@transaction.atomic`, or a caller every call of which runs inside one (up the call chain, see
`ProjectIndex.only_called_in_transaction`). Calls are keyed by the called name (`save_items`
for `save_items(...)`, `utils.save_items(...)`, `obj.save_items(...)`), except a method's call
through `self` or `cls`, keyed by its class too (`Cart.commit` for `self.commit()` in a method
of `Cart`): pretix's `CartManager` and `OrderChangeManager` each have a `commit()` and a
`_perform_operations()`, and only the class tells their callers apart. A call outside a
transaction is kept with the function whose body holds it, a method as `Class.name` ("" when
none does: module level, a class body, a lambda): a name called anywhere outside a
transaction and outside a function counts as unprotected, so a collision can only hide a
protection, never invent one.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right

from djreview.index.nodes import Nodes
from djreview.index.prefilter import called_name
from djreview.source import line_starts

# a name as a whole string literal: `getattr(backend, "pull_cluster")`, a task told which method
# to run; it may be called anywhere from there, so it counts as a call outside every function
_NAMED = re.compile(r"""(['"])(?<![\w.]['"])([A-Za-z_]\w*+)\1""")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_OWN = ("self", "cls")  # a method's call through these reaches its own class's methods
_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")
# the statement lists each node type holds (a simple statement none): asked once per type
_BLOCKS_OF: dict[type[ast.AST], tuple[str, ...]] = {}


def _blocks_of(kind: type[ast.AST]) -> tuple[str, ...]:
    found = _BLOCKS_OF.get(kind)
    if found is None:
        found = _BLOCKS_OF[kind] = tuple(name for name in _BLOCKS if name in kind._fields)
    return found


def _atomic(node: ast.AST) -> bool:
    """`transaction.atomic`, `atomic()`, `transaction.atomic(using="x")`."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return "atomic" in name.lower() or "transaction" in name.lower()


# Queryset methods that return a queryset: a call on their result (`X.objects.filter(...)
# .update(...)`) is the ORM's, never a call of a project function of that name.
_QUERYSET_STEPS = frozenset(
    {"filter", "exclude", "all", "select_related", "prefetch_related", "order_by", "annotate", "distinct"}
    | {"select_for_update", "using", "only", "defer", "none", "values", "values_list"}
)


# Django's own QuerySet methods, by name: called on a queryset or a manager, they are the ORM's
# (a project's custom queryset or manager method keeps its calls).
_QUERYSET_METHODS = _QUERYSET_STEPS | frozenset(
    {"update", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
    | {"get", "first", "last", "count", "exists", "aggregate", "iterator", "in_bulk", "latest", "earliest"}
)


# Method names that dicts, sets, lists, querysets, managers and model instances have too: a
# call of one on an object of unknown class is more likely theirs than a plain project class's
SHARED_METHODS = _QUERYSET_METHODS | frozenset(
    {"save", "add", "remove", "clear", "set", "pop", "setdefault", "append", "extend", "insert", "discard", "copy"}
)


def _orm_receiver(func: ast.expr) -> bool:
    """`Permit.objects.filter(...).update(...)`, `Permit.objects.update(...)`: a method called on
    a queryset or a manager (parking-permits' `CustomerPermit.update()` is no such call)."""
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Attribute) and receiver.attr == "objects":
        return True
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr in _QUERYSET_STEPS
    )


def _instance_classes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """The local names of the function that can only hold an instance of one class, named as
    written: the parameter is annotated with a capitalised name (`consent: Consent`), or every
    binding of the name is `Name(...)` or `module.Name(...)` of one (`service =
    Parkkihubi(permit)`). `service.update()` is then a call of `Parkkihubi.update`, not of
    every `update()` in the project."""
    found: dict[str, str] = {}
    own = function.args
    params = [*own.posonlyargs, *own.args, *own.kwonlyargs]
    for arg in params:
        if (cls := _class_name(arg.annotation)) is not None:
            found[arg.arg] = cls
    typed: set[int] = set()  # the target of each `name = Name(...)`
    stores: list[ast.Name] = []
    # any other binding: a loop target, a second class, a nested function's parameter
    unknown: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            cls = _class_name(node.value.func) if isinstance(node.value, ast.Call) else None
            if cls is not None and found.setdefault(node.targets[0].id, cls) == cls:
                typed.add(id(node.targets[0]))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores.append(node)
        elif isinstance(node, ast.arg) and node not in params:
            unknown.add(node.arg)
    unknown.update(node.id for node in stores if id(node) not in typed)
    return {name: cls for name, cls in found.items() if name not in unknown}


def _class_name(node: ast.expr | None) -> str | None:
    """`Parkkihubi`, `services.Parkkihubi`: a capitalised name, not a CONSTANT."""
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return name if name[:1].isupper() and not name.isupper() else None


def decorated_atomic(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`@transaction.atomic`, `@atomic()`: the function's body runs in a transaction."""
    return any(_atomic(d) for d in function.decorator_list)


def atomic_calls(
    tree: ast.Module, nodes: Nodes, text: str, migration: bool = False
) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(keys called inside a transaction, (key, caller) of each call outside one) in this
    module: a key is the called name, or `Class.name` for a call through `self`/`cls` in a
    method of `Class`; the caller is the function whose body holds the call (`Class.name` for
    a method), "" when none does. A migration runs in a transaction (atomic by default):
    every call in it is inside one."""
    if migration:
        return frozenset(filter(None, (called_name(c.func) for c in nodes.of(ast.Call)))), frozenset()
    inside, outside = _calls_by_region(tree, nodes)
    return inside, outside | _named(tree, text)


def _named(tree: ast.Module, text: str) -> frozenset[tuple[str, str]]:
    """Names written as string literals, as calls from nowhere known (a call by name); not the
    names an `__all__` exports."""
    exported = [
        (stmt.lineno, stmt.end_lineno or stmt.lineno)
        for stmt in tree.body
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in _targets(stmt))
    ]
    if not exported:
        return frozenset((name, "") for _, name in _NAMED.findall(text))
    starts = line_starts(text)
    names = set()
    for match in _NAMED.finditer(text):
        line = bisect_right(starts, match.start())
        if not any(first <= line <= last for first, last in exported):
            names.add((match.group(2), ""))
    return frozenset(names)


def _targets(stmt: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _calls_by_region(tree: ast.Module, nodes: Nodes) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(names called inside a transaction, (name, caller) of every other call). The regions
    come from a walk of the statements only: function bodies (decorators and defaults run
    where the function is defined, outside its body), the bodies of `with atomic():` blocks,
    and lambdas (their calls run whenever they are called: nobody knows where). Each call of
    the module's one listing (index/nodes.py) gets the innermost region holding it: a
    function's body is inside a transaction when it is decorated with `atomic`, a `with
    atomic()` body always is, and its caller is the function around it."""
    Position = tuple[int, int]
    # (start, end, caller, protected, the caller's names of known class) of each region
    regions: list[tuple[Position, Position, str, bool, dict[str, str]]] = []

    def region(first: ast.AST, last: ast.AST, caller: str, protected: bool, classes: dict[str, str]) -> None:
        start = (first.lineno, first.col_offset)  # type: ignore[attr-defined]
        end = (last.end_lineno, last.end_col_offset)  # type: ignore[attr-defined]
        regions.append((start, end, caller, protected, classes))

    # the lines of `name = Name(...)`: a function holding none, and no parameter annotated with
    # a class, has no name of known class (most functions: their bodies are not walked again)
    constructed = sorted(
        a.lineno
        for a in nodes.of(ast.Assign)
        if isinstance(a.value, ast.Call) and len(a.targets) == 1 and _class_name(a.value.func) is not None
    )
    # (node, caller, the class whose body holds node directly: its functions are methods,
    # the caller's names of known class)
    stack: list[tuple[ast.AST, str, str, dict[str, str]]] = [(tree, "", "", {})]
    while stack:
        node, caller, owner, classes = stack.pop()
        if isinstance(node, _FUNCTIONS):
            caller = f"{owner}.{node.name}" if owner else node.name
            first = bisect_right(constructed, node.lineno - 1)
            holds = first < len(constructed) and constructed[first] <= (node.end_lineno or node.lineno)
            params = (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
            annotated = any(_class_name(a.annotation) is not None for a in params)
            classes = _instance_classes(node) if holds or annotated else {}
            region(node.body[0], node, caller, any(_atomic(d) for d in node.decorator_list), classes)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(_atomic(i.context_expr) for i in node.items):
            region(node.body[0], node, caller, True, classes)  # its items run outside it
        inner = node.name if isinstance(node, ast.ClassDef) else ""
        for block in _blocks_of(type(node)):
            for child in getattr(node, block):
                if isinstance(child, ast.match_case):
                    stack.extend((s, caller, "", classes) for s in child.body)
                elif isinstance(child, (ast.stmt, ast.ExceptHandler)):
                    stack.append((child, caller, inner, classes))
    for lam in nodes.of(ast.Lambda):
        region(lam.body, lam, "", False, {})
    regions.sort(key=lambda r: (r[0], (-r[1][0], -r[1][1])))  # outer before inner at one start

    # the region around each one (regions nest or are apart): a call climbs to the innermost
    # region that still holds it
    parent: list[int] = []
    open_regions: list[int] = []
    for i, (start, *_) in enumerate(regions):
        while open_regions and regions[open_regions[-1]][1] <= start:
            open_regions.pop()
        parent.append(open_regions[-1] if open_regions else -1)
        open_regions.append(i)
    starts = [r[0] for r in regions]

    # `from .db import delete_identity as delete_identity_db`: a call of the alias is a call
    # of the function it names
    renamed = {a.asname: a.name for i in nodes.of(ast.ImportFrom) for a in i.names if a.asname}
    inside: set[str] = set()
    outside: set[tuple[str, str]] = set()
    for call in nodes.of(ast.Call):
        name = called_name(call.func)
        if not name or (name in _QUERYSET_METHODS and _orm_receiver(call.func)):
            continue  # `X.objects.filter(...).update()`: Django's update(), not a project method's
        if isinstance(call.func, ast.Name):
            name = renamed.get(name, name)
        position = (call.lineno, call.col_offset)
        at = bisect_right(starts, position) - 1
        while at >= 0 and not position < regions[at][1]:
            at = parent[at]
        caller, protected, classes = regions[at][2:] if at >= 0 else ("", False, {})
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id in _OWN and "." in caller:
            name = f"{caller.partition('.')[0]}.{name}"  # self.commit() in a method of Cart
        elif isinstance(receiver, ast.Name) and receiver.id in classes:
            name = f"{classes[receiver.id]}.{name}"  # service.update(), service = Parkkihubi(...)
        elif isinstance(receiver, ast.Call) and (cls := _class_name(receiver.func)) is not None:
            name = f"{cls}.{name}"  # CustomerPermit(customer_id).update(data)
        if protected:
            inside.add(name)
        else:
            outside.add((name, caller))
    return frozenset(inside), frozenset(outside)
