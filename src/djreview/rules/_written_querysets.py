"""Where a DJR101 fix must not go: the build of a queryset that a `.delete()` or `.update()`
also starts from.

Django drops `select_related` in both (`QuerySet.delete()` sets `query.select_related = False`;
`update()` compiles an UPDATE that never reads it) and `update()` ignores prefetch lookups, but
`delete()` hands the queryset to its Collector, which loads the rows when it cannot
fast-delete (signals, cascades) and so runs every prefetch again for nothing. A relation added
where `base` is built, for a loop over `base.filter(...)`, would thus also ride into
`base.delete()`: useless at best, and a reader sees a prefetch on a queryset that is deleted.
The fix then goes on the loop's own queryset. A loop over the very name that is later deleted
or updated keeps the fix where it is built: the loop needs it, and the write drops it.
"""

from __future__ import annotations

import libcst as cst

from djreview.values import Queryset

_WRITE = frozenset({"delete", "update"})


class _Writes:
    """Per function (the module counts as one), the names a `.delete()`/`.update()` chain
    starts at (`base.delete()`, `base.filter(x=1).update(y=2)`), and the function each loop
    is in."""

    # A plain class whose methods libcst's visitor calls by name (see `_visitor`): subclassing
    # cst.CSTVisitor here would load libcst's nodes at import, for files that never need them.
    def __init__(self) -> None:
        self.scope: list[cst.CSTNode | None] = [None]
        self.written: dict[int, set[str]] = {}
        self.loop_scope: dict[int, int] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scope.append(node)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.scope.pop()

    def _loop(self, node: cst.CSTNode) -> None:
        self.loop_scope[id(node)] = id(self.scope[-1])

    visit_For = visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _loop

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _WRITE:
            root = _chain_root(node.func.value)
            if isinstance(root, cst.Name):
                self.written.setdefault(id(self.scope[-1]), set()).add(root.value)


def _visitor(writes: _Writes) -> cst.CSTVisitor:
    class Visitor(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            method = getattr(writes, f"visit_{type(node).__name__}", None)
            if method is not None:
                method(node)
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            method = getattr(writes, f"leave_{type(original_node).__name__}", None)
            if method is not None:
                method(original_node)

    return Visitor()


def _chain_root(node: cst.BaseExpression) -> cst.BaseExpression:
    while True:
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value
        else:
            return node


def _loop_iterables(loop: cst.CSTNode) -> list[cst.BaseExpression]:
    """What a `for` or each clause of a comprehension iterates, `enumerate(...)` seen through."""
    if isinstance(loop, cst.For):
        iterables = [loop.iter]
    elif isinstance(loop, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
        iterables = []
        clause: cst.CompFor | None = loop.for_in
        while clause is not None:
            iterables.append(clause.iter)
            clause = clause.inner_for_in
    else:
        return []
    out = []
    for iterable in iterables:
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "enumerate"
            and iterable.args
        ):
            iterable = iterable.args[0].value
        out.append(iterable)
    return out


class WrittenQuerysets:
    """Asked once per DJR101 fix; the file is walked for writes at most once, on first need."""

    def __init__(self, module: cst.Module, flow, text: str = "") -> None:
        self.module = module
        self.flow = flow
        # a file that writes nothing has nothing to walk for (the walk is a whole libcst visit)
        self.writes_anything = not text or ".delete(" in text or ".update(" in text
        self._writes: _Writes | None = None

    def loop_anchor(self, loop: cst.CSTNode | None, qs: Queryset) -> cst.BaseExpression | None:
        """The loop's own queryset expression when the fix must go there rather than where
        `qs` is built: that build is shared with a name this function deletes or updates, and
        the loop iterates another queryset made from it. None: fix where it is built."""
        if loop is None or qs.origin is None or not qs.anchored or qs.iterated or not self.writes_anything:
            return None
        iterable = next((e for e in _loop_iterables(loop) if self._built_at(e, qs.origin)), None)
        if isinstance(iterable, cst.Subscript):
            iterable = iterable.value  # base.filter()[:10]: the fix goes before the slice
        # a method chain or a name we can extend, not list(qs)
        chain = isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        if iterable is None or not (chain or isinstance(iterable, cst.Name)):
            return None
        if self._writes is None:
            self._writes = _Writes()
            self.module.visit(_visitor(self._writes))
        names = self._writes.written.get(self._writes.loop_scope.get(id(loop), -1), set())
        if isinstance(iterable, cst.Name) and iterable.value in names:
            return None  # the loop reads the very queryset that is written: the fix helps it
        for name in names:
            value = self.flow.lookup(name)
            if isinstance(value, Queryset) and value.origin is qs.origin:
                return iterable
        return None

    def _built_at(self, expr: cst.BaseExpression, origin: cst.BaseExpression) -> bool:
        value = self.flow.infer(expr)
        return isinstance(value, Queryset) and value.origin is origin
