"""DJR601: a synchronous database query written in an ``async def``.

Django's ORM raises ``SynchronousOnlyOperation`` when a query runs on the event loop, so
these lines fail at run time (or, under ``DJANGO_ALLOW_ASYNC_UNSAFE``, block every other
request the worker serves). Reported inside an ``async def``'s own body (rules/_async_scope.py):

- a queryset or manager method that runs its query: ``get()``, ``first()``, ``last()``,
  ``count()``, ``exists()``, ``create()``, ``get_or_create()``, ``update_or_create()``,
  ``update()``, ``delete()``, ``aggregate()``, ``in_bulk()``, ``earliest()``, ``latest()``,
  ``bulk_create()``, ``bulk_update()``, ``contains()``, ``explain()``;
- ``save()``, ``delete()``, ``refresh_from_db()`` on a model row, a bound form's ``save()``;
- evaluating a queryset: ``for x in qs`` (not ``async for``), a comprehension over it,
  ``list(qs)``/``len(qs)``/``bool(qs)``/``tuple``/``set``/``sorted``, ``if qs:``, ``qs[0]``;
- a forward relation not selected, read on a row fetched with ``await ...aget()``;
- any attribute of ``request.user`` (a lazy object: its first read queries the session and
  the user); ``await request.auser()`` is the async way;
- a call of a project function that looks a row up with its argument (the
  index's function summaries).

What a name holds is the flow tracker's answer (querysets, rows, managers); an expression it
cannot type is never reported. Lazy calls (``filter()``, ``select_related()``, ``qs[:10]``)
build a query without running it. Code in a nested ``def`` or ``lambda`` (what one hands to
``sync_to_async`` or ``asyncio.to_thread``) is not on the event loop.
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.orm import CACHED_ON_RELATED
from djreview.rule import Rule
from djreview.rules._async_scope import AsyncScope, async_bodies, parenthesised
from djreview.values import FormInstance, Instance, Queryset, RelatedManager, SelfRef

# Queryset/manager methods that run their query, with their async twins (Django 4.1+).
_RUNNING = {
    "get": "aget",
    "first": "afirst",
    "last": "alast",
    "count": "acount",
    "exists": "aexists",
    "create": "acreate",
    "get_or_create": "aget_or_create",
    "update_or_create": "aupdate_or_create",
    "update": "aupdate",
    "delete": "adelete",
    "aggregate": "aaggregate",
    "in_bulk": "ain_bulk",
    "earliest": "aearliest",
    "latest": "alatest",
    "bulk_create": "abulk_create",
    "bulk_update": "abulk_update",
    "contains": "acontains",
    "explain": "aexplain",
}
_ROW_METHODS = {"save": "asave", "delete": "adelete", "refresh_from_db": "arefresh_from_db"}
# Async fetches whose result is one row: its relations are what the rule follows after them.
_ASYNC_ROW = frozenset({"aget", "afirst", "alast", "aearliest", "alatest", "acreate"})
_EVALUATING = frozenset({"list", "len", "bool", "tuple", "set", "frozenset", "sorted", "sum", "any", "all"})
_LIST_LIKE = frozenset({"list", "tuple", "sorted", "set", "frozenset"})
_SINGLE = frozenset({"fk", "o2o", "gfk", "reverse_o2o"})
_REQUEST_ANNOTATIONS = ("HttpRequest", "ASGIRequest", "WSGIRequest")
_USER = re.compile(r"\buser\b")
_CALLED = re.compile(r"\b([A-Za-z_]\w*+)\s*+\(")


class SyncOrmInAsync(AsyncScope, Rule):
    code = "DJR601"
    name = "sync-orm-in-async"
    fixable = True
    triggers = ("async def",)
    skip_kinds = frozenset({"migrations", "tests"})

    def wants(self, text, facts, index, prefilter) -> bool:
        """Querysets and rows start from a model the file names, a project function returning
        a queryset, or `request.user`; an async file with none of them is not parsed (most of
        Django's own `async def`s are a*() twins that hand the work to sync_to_async, or view
        decorators that pass the request on)."""
        if not super().wants(text, facts, index, prefilter):
            return False
        if index.mentions_models(text, facts) or index.imports_a_selector(facts):
            return True
        if "request" not in text:
            return False
        bodies = async_bodies(text, prefilter)
        # the user a request names, or a project function that may query what it is given
        return bodies is None or any(
            _USER.search(body) or any(index.may_query(name) for name in _CALLED.findall(body)) for body in bodies
        )

    def start(self, ctx) -> None:
        super().start(ctx)
        self.start_scope()
        self.generators = 0  # generator expressions open around the node visited
        self.written: set[int] = set()  # assignment targets: `row.author = None` reads nothing
        self.used_further: set[int] = set()  # nodes whose value is read on (`x.attr`, `x[0]`, `x()`)
        self.lists: list[set[str]] = [set()]  # names holding a list made from a queryset, per function
        self.rows: list[dict[str, tuple[str, frozenset[str]]]] = [{}]  # awaited rows: model, selected
        self.requests: list[set[str]] = [set()]
        self.classes: list[cst.ClassDef] = []  # the request parameters of each function

    # -- scopes --------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.lists.append(set())
        self.rows.append({})
        lazy_user = node.asynchronous is not None and not self._drf_request(node)
        self.requests.append(_request_params(node) if lazy_user else set())

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)
        self.classes.append(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        super().leave_ClassDef(node)
        self.classes.pop()

    def _drf_request(self, node: cst.FunctionDef) -> bool:
        """A DRF-style view (adrf's async APIView and @api_view, or a DRF view) authenticates
        before the handler runs: its `request.user` is a loaded user, not Django's lazy one."""
        flow, index = self.ctx.flow, self.ctx.index
        for decorator in node.decorators:
            target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            qual = flow.qualify(target) or ""
            if qual.endswith(".api_view") and qual.startswith(("adrf.", "rest_framework.")):
                return True
        if not self.classes:
            return False
        for base in self.classes[-1].bases:
            qual = flow.qualify(base.value) or ""
            if qual.startswith("adrf.") or index.class_kind(qual) == "drf-view":
                return True
        return False

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(node)
        self.lists.pop()
        self.rows.pop()
        self.requests.pop()

    # -- what is used further --------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.used_further.add(id(node.value))
        if not self.on_event_loop or id(node) in self.written:
            return
        self._request_user(node)
        self._relation(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.used_further.add(id(node.value))
        if not self.on_event_loop or any(isinstance(e.slice, cst.Slice) for e in node.slice):
            return
        if self._queryset(node.value):
            shown = self._code(node.value)
            index = node.slice[0].slice
            where = self._code(index.value) if isinstance(index, cst.Index) else "i"
            fetch = f"{shown}.afirst()" if where == "0" else f"{shown}[{where}:{where} + 1].afirst()"
            self.report(
                node,
                f"`{self._code(node)}` runs a query on the event loop (indexing the queryset `{shown}`).",
                fix=FixSpec("use afirst() or an async iteration", "suggestion"),
                hint=f"Fetch the row with `await {fetch}`.",
            )

    # -- bindings ------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        self.written.update(id(t.target) for t in node.targets)
        for target in node.targets:  # `request.user = await request.auser()`: a loaded user from here on
            t = target.target
            if isinstance(t, cst.Attribute) and t.attr.value == "user" and isinstance(t.value, cst.Name):
                self.requests[-1].discard(t.value.value)
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        value = node.value
        for name in names:
            self.lists[-1].discard(name)
            self.rows[-1].pop(name, None)
        if _called_name(value) in _LIST_LIKE:
            self.lists[-1].update(names)  # rows = list(qs): a list from now on
        row = self._awaited_row(value)
        if row is not None:
            for name in names:
                self.rows[-1][name] = row

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.written.add(id(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.written.add(id(node.target))

    def _awaited_row(self, value: cst.BaseExpression) -> tuple[str, frozenset[str]] | None:
        if not (isinstance(value, cst.Await) and isinstance(value.expression, cst.Call)):
            return None
        func = value.expression.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in _ASYNC_ROW):
            return None
        owner = self.ctx.flow.infer(func.value)
        if not isinstance(owner, Queryset) or owner.opaque or owner.select_all or owner.values:
            return None
        # `prefetch_related("entry")` runs with `afirst()`/`aget()`: the relation is cached on
        # the row too (courtlistener's document redirect)
        return owner.model, owner.selected | owner.prefetched

    # -- the queries ---------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.used_further.add(id(node.func))
        if not self.on_event_loop:
            return
        func = node.func
        if isinstance(func, cst.Attribute):
            self._method(node, func)
        elif isinstance(func, cst.Name) and func.value in _EVALUATING and node.args and not node.args[0].star:
            self._evaluated(node, node.args[0].value, f"`{func.value}()` evaluates")
        if isinstance(func, (cst.Name, cst.Attribute)):
            self._project_call(node, func)

    def _method(self, node: cst.Call, func: cst.Attribute) -> None:
        method = func.attr.value
        if method in _RUNNING and (
            self._queryset(func.value, allow_manager=True) or self._uncached(func.value, method)
        ):
            if method in ("count", "contains") and len(node.args) != (1 if method == "contains" else 0):
                return
            self._report_twin(node, func, _RUNNING[method])
            return
        if method in _ROW_METHODS:
            owner = self.ctx.flow.infer(func.value)
            awaited = isinstance(func.value, cst.Name) and func.value.value in self.rows[-1]
            if awaited or isinstance(owner, Instance) or (isinstance(owner, FormInstance) and method == "save"):
                if isinstance(owner, FormInstance):
                    self._report_sync_to_async(node, "saves the form's row")
                else:
                    self._report_twin(node, func, _ROW_METHODS[method])

    def _report_twin(self, node: cst.Call, func: cst.Attribute, twin: str) -> None:
        call = self._code(node)
        method = func.attr.value
        renamed = node.with_changes(func=func.with_changes(attr=cst.Name(twin)))
        replacement = parenthesised(f"await {self._code(renamed)}", id(node) in self.used_further)
        self.report(
            node,
            f"`{call}` runs a query on the event loop: `{method}()` is synchronous and raises "
            "SynchronousOnlyOperation in an async function.",
            fix=FixSpec(f"use await ...{twin}()", self._safety, (NodeEdit(node, replacement),)),
            hint=f"Use its async twin: `{replacement}`.",
        )

    def _evaluated(self, node: cst.CSTNode, value: cst.BaseExpression, how: str) -> None:
        if not self._queryset(value):
            return
        shown = self._code(value)
        self.report(
            node,
            f"{how} the queryset `{shown}` on the event loop: it runs the query "
            "synchronously and raises SynchronousOnlyOperation.",
            fix=FixSpec("iterate with async for", "suggestion"),
            hint=f"Collect the rows with `[row async for row in {shown}]` (or `await sync_to_async(list)({shown})`), "
            "or use acount()/aexists() when only the number or the truth is needed.",
        )

    def _report_sync_to_async(self, node: cst.Call, what: str) -> None:
        call = self._code(node)
        self.report(
            node,
            f"`{call}` {what} on the event loop: it raises SynchronousOnlyOperation in an async function.",
            fix=FixSpec("wrap in sync_to_async", "suggestion"),
            hint=f"Run it in a thread: `await sync_to_async({self._code(node.func)})(...)`.",
        )

    # -- loops, tests --------------------------------------------------------------------
    def visit_For(self, node: cst.For) -> None:
        if not self.on_event_loop or node.asynchronous is not None or not self._queryset(node.iter):
            return
        self._report_loop(node, node.iter)

    def _report_loop(self, node: cst.CSTNode, iterable: cst.BaseExpression) -> None:
        shown = self._code(iterable)
        self.report(
            node,
            f"This loop evaluates the queryset `{shown}` on the event loop: a plain `for` runs the query "
            "synchronously and raises SynchronousOnlyOperation.",
            fix=FixSpec("iterate with async for", self._safety, (NodeEdit(node, "async ", "before"),)),
            hint="Iterate with `async for`.",
        )

    def _visit_comprehension(self, node) -> None:
        if not self.on_event_loop:
            return
        comp = node.for_in
        if comp.asynchronous is None and self._queryset(comp.iter):
            written = self._code(comp)
            spaced = written[: len(written) - len(written.lstrip())] + "async " + written.lstrip()
            self.report(
                comp,
                f"This comprehension evaluates the queryset `{self._code(comp.iter)}` on the event loop: it runs "
                "the query synchronously and raises SynchronousOnlyOperation.",
                fix=FixSpec(
                    "iterate with async for",
                    "unsafe" if isinstance(node, cst.GeneratorExp) else self._safety,
                    (NodeEdit(comp, spaced),),
                ),
                hint="Iterate with `async for` in the comprehension.",
            )

    visit_ListComp = visit_SetComp = visit_DictComp = _visit_comprehension

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._visit_comprehension(node)
        self.generators += 1

    def leave_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.generators -= 1

    @property
    def _safety(self) -> str:
        """`await` or `async for` in a generator expression makes it an async generator, which
        `sum()`, `list()` or `any()` cannot consume: the caller must change too."""
        return "unsafe" if self.generators else "safe"

    def visit_If(self, node: cst.If) -> None:
        self._tested(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._tested(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._tested(node.test)

    def _tested(self, test: cst.BaseExpression) -> None:
        if not self.on_event_loop:
            return
        while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test = test.expression
        for part in _operands(test):
            self._evaluated(part, part, "Testing it for truth evaluates")

    # -- request.user and relations ------------------------------------------------------
    def _request_user(self, node: cst.Attribute) -> None:
        user = node.value
        if not (isinstance(user, cst.Attribute) and user.attr.value == "user"):
            return
        request = user.value
        if not (isinstance(request, cst.Name) and request.value in self.requests[-1]):
            return
        self.report(
            node,
            f"`{self._code(node)}` reads the lazy `{request.value}.user` on the event loop: its first read loads "
            "the session and the user synchronously and raises SynchronousOnlyOperation.",
            fix=FixSpec("use await request.auser()", "suggestion"),
            hint=f"Load the user once with `user = await {request.value}.auser()` (Django 5.0+) and read `user`.",
        )

    def _relation(self, node: cst.Attribute) -> None:
        owner = node.value
        if not isinstance(owner, cst.Name) or owner.value not in self.rows[-1]:
            return
        model, selected = self.rows[-1][owner.value]
        info = self.ctx.index.model(model)
        rel = info.relations.get(node.attr.value) if info else None
        if rel is None or rel.kind not in _SINGLE or node.attr.value in selected:
            return
        self.report(
            node,
            f"`{self._code(node)}` loads the {info.name}.{node.attr.value} relation on the event loop "  # type: ignore[union-attr]
            "(it is not selected): the query runs synchronously and raises SynchronousOnlyOperation.",
            fix=FixSpec(f'select_related("{node.attr.value}")', "suggestion"),
            hint=f'Add `.select_related("{node.attr.value}")` to the query that fetched `{owner.value}`.',
        )

    # -- project functions ---------------------------------------------------------------
    def _project_call(self, node: cst.Call, func: cst.Name | cst.Attribute) -> None:
        name = func.value if isinstance(func, cst.Name) else func.attr.value
        index, flow = self.ctx.index, self.ctx.flow
        if not index.may_query(name):
            return
        if isinstance(func, cst.Attribute) and (
            not isinstance(func.value, cst.Name) or not isinstance(flow.infer(func.value), (SelfRef, type(None)))
        ):
            return  # a method of a row, a queryset or an object we do not follow
        callee = flow.callee(func)
        if not callee or index.runs_in_thread(callee):
            return  # `@database_sync_to_async def get_message(...)`: awaited, it runs in a thread
        for position, arg in enumerate(node.args):
            if arg.star:
                return
            found = index.queries_of(callee, arg.keyword.value if arg.keyword else position)
            if found:
                model, written, via = found[0]
                return self._report_sync_to_async(node, f"runs `{written}` (in `{via[-1]}`)")

    # -- helpers -------------------------------------------------------------------------
    def _queryset(self, node: cst.BaseExpression, allow_manager: bool = False) -> bool:
        if isinstance(node, cst.Name) and any(node.value in names for names in self.lists):
            return False
        value = self.ctx.flow.infer(node)
        if isinstance(value, RelatedManager):
            return allow_manager and not value.prefetched
        if isinstance(value, Queryset) and value.via is not None and value.via.prefetched:
            return False  # `row.tags.all()` on a row of a prefetching loop: served from the cache
        return isinstance(value, Queryset) and not value.paginator and not value.evaluated

    def _uncached(self, node: cst.BaseExpression, method: str) -> bool:
        """`row.tags.get(...)` queries even when the relation is prefetched (count() and
        exists() are served from the prefetch cache)."""
        value = self.ctx.flow.infer(node)
        return isinstance(value, RelatedManager) and value.prefetched and method not in CACHED_ON_RELATED

    def _code(self, node: cst.CSTNode) -> str:
        return self.ctx.module.code_for_node(node)


def _called_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        return node.func.value
    return None


def _operands(test: cst.BaseExpression):
    """The parts of a test that are tested for truth: `a and not b` -> a, b."""
    if isinstance(test, cst.BooleanOperation):
        yield from _operands(test.left)
        yield from _operands(test.right)
    elif isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from _operands(test.expression)
    else:
        yield test


def _request_params(node: cst.FunctionDef) -> set[str]:
    """The parameters that hold the request: named `request`, or annotated as one."""
    found = set()
    for param in [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]:
        annotation = param.annotation.annotation if param.annotation else None
        written = cst.Module([]).code_for_node(annotation) if annotation is not None else ""
        if param.name.value == "request" or written.rsplit(".", 1)[-1].strip("\"'") in _REQUEST_ANNOTATIONS:
            found.add(param.name.value)
    return found
