"""Follow names through one file: which expressions are querysets, model rows, managers.

The tracker runs first in the engine's single walk. It binds names on assignments, loop
targets and comprehensions, and answers ``infer(expr)`` for the rules. It only claims what
the index and the code show: an expression it cannot type is None, and rules report nothing
about None (a loop variable whose type is unknown is never reported).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import cast

import libcst as cst

from djreview import orm
from djreview.syntax import dotted, literal_string
from djreview.values import (
    ClassFrame,
    FormInstance,
    Instance,
    ModelClass,
    Queryset,
    RelatedManager,
    SelfRef,
    Value,
    paths_with_prefixes,
)
from djreview.walk import children

_SINGLE = ("fk", "o2o", "gfk", "reverse_o2o")
_LIST_LIKE = frozenset({"list", "sorted", "tuple", "reversed", "set"})
# Annotations whose element type is the type of the rows a loop over the value gives.
_ROW_CONTAINERS = frozenset(
    {"QuerySet", "list", "List", "Iterable", "Iterator", "Sequence", "Collection", "tuple", "Tuple", "set", "Set"}
)
_PAGINATORS = ("Paginator",)


@dataclass
class Scope:
    kind: str  # module | class | function
    names: dict[str, Value] = field(default_factory=dict)
    loop_base: int = 0  # loops below this index belong to an enclosing function


@dataclass
class LoopFrame:
    node: cst.CSTNode
    names: dict[str, Value] = field(default_factory=dict)


class Flow:
    def start(self, ctx) -> None:
        self.ctx = ctx
        self.index = ctx.index
        self.scopes: list[Scope] = [Scope("module")]
        self.loops: list[LoopFrame] = []
        self.classes: list[ClassFrame] = []
        self._busy: set[int] = set()
        # infer() results until the next binding change: rules ask about every link of a
        # chain such as qs.filter().filter()..., which would otherwise cost O(n²).
        self._memo: dict[int, Value] = {}

    # -- questions -----------------------------------------------------------------------
    @property
    def in_class_body(self) -> bool:
        return self.scopes[-1].kind == "class"

    @property
    def at_module_level(self) -> bool:
        return len(self.scopes) == 1

    def in_loop(self) -> cst.CSTNode | None:
        """The innermost loop of the current function, if any."""
        base = self.scopes[-1].loop_base
        return self.loops[-1].node if len(self.loops) > base else None

    def qualify(self, node: cst.CSTNode) -> str | None:
        """Qualified dotted name of `models.ForeignKey`-like references, through imports."""
        parts = dotted(node)
        if not parts:
            return None
        return ".".join([self.ctx.facts.qualify(parts[0]), *parts[1:]])

    def callee(self, func: cst.BaseExpression) -> str | None:
        """What a call reaches in the project, as the index's `reads_of` and `queries_of` take
        it: "<class qual>#<name>" for `self.name(...)` in a class, else the qualified name."""
        if isinstance(func, cst.Attribute):
            owner = self.infer(func.value)
            if isinstance(owner, SelfRef):
                return f"{owner.frame.qualname}#{func.attr.value}"
        return self.qualify(func) if isinstance(func, (cst.Name, cst.Attribute)) else None

    def class_qualname(self, name: str) -> str:
        return f"{self.ctx.facts.module}.{name}"

    def enclosing_class(self) -> ClassFrame | None:
        return self.classes[-1] if self.classes else None

    # -- scopes --------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        frame = ClassFrame(node, self.class_qualname(node.name.value), top_level=self.at_module_level)
        for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(stmt, cst.FunctionDef):
                frame.methods[stmt.name.value] = stmt
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            frame.attrs[target.value] = small.value
        self.classes.append(frame)
        self.scopes.append(Scope("class", loop_base=len(self.loops)))
        self._memo.clear()

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._memo.clear()
        self.scopes.pop()
        self.classes.pop()

    def _enter_function(self, params: cst.Parameters, method: bool) -> None:
        scope = Scope("function", loop_base=len(self.loops))
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                every.append(extra)
        for param in every:
            scope.names[param.name.value] = self._annotated(param)
        if method and every and self.classes:
            scope.names[every[0].name.value] = SelfRef(self.classes[-1])
        self.scopes.append(scope)
        self._memo.clear()

    def _annotated(self, param: cst.Param) -> Value:
        """`order: Order` (or `"Order"`) is one row of that model; `QuerySet[Order]`,
        `list[Order]`, `Iterable[Order]` and the like are rows the callers built; anything
        else is unknown."""
        if param.annotation is None:
            return None
        annotation: cst.BaseExpression | None = param.annotation.annotation
        text = literal_string(annotation)
        if text is not None:
            try:
                annotation = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return None
        if isinstance(annotation, cst.Subscript) and len(annotation.slice) == 1:
            container = (dotted(annotation.value) or [""])[-1]
            element = annotation.slice[0].slice
            if container in _ROW_CONTAINERS and isinstance(element, cst.Index):
                model = self._annotation_model(element.value)
                # the callers build it, and may well select what the loop reads (measured on
                # weblate): judged at each call site that hands a queryset (function summaries)
                evaluated = container.lower() in ("list", "tuple", "set")
                return (
                    Queryset(model, origin=None, parameter=param.name.value, opaque=True, evaluated=evaluated)
                    if model
                    else None
                )
            return None
        model = self._annotation_model(annotation)
        if model:
            return Instance(model)
        form = self.index.form_model(self.qualify(annotation)) if annotation is not None else None
        return FormInstance(form) if form else None  # `form: BookForm`

    def _annotation_model(self, annotation: cst.BaseExpression | None) -> str | None:
        text = literal_string(annotation)
        if text is not None:
            annotation = cst.Name(text) if text.isidentifier() else None
        if not isinstance(annotation, (cst.Name, cst.Attribute)):
            return None
        return self.index.model_for(self.qualify(annotation))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        is_method = self.scopes[-1].kind == "class" and not any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators
        )
        self._enter_function(node.params, is_method)
        if is_method and (node.name.value == "to_representation" or node.name.value.startswith("get_")):
            self._serializer_row(node.params)

    def _serializer_row(self, params: cst.Parameters) -> None:
        """A serializer's `to_representation(self, instance: Incident)` (or a method field's
        `get_x(self, obj: Incident)`) is handed the rows of the views that use the serializer:
        what every one of them selects or prefetches is loaded on the row (argus-server's
        `instance.incident_tag_relations.all()` under `prefetch_related("incident_tag_relations__tag")`)."""
        every = [*params.posonly_params, *params.params]
        if len(every) < 2:
            return
        name = every[1].name.value
        row = self.scopes[-1].names.get(name)
        frame = self.classes[-1]
        if not isinstance(row, Instance) or row.loaded:
            return
        loaded = self.index.serializer_rows_loaded(frame.qualname, row.model)
        if loaded:
            self.scopes[-1].names[name] = replace(row, loaded=loaded)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._memo.clear()
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._enter_function(node.params, False)

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self._memo.clear()
        self.scopes.pop()

    # -- loops ---------------------------------------------------------------------------
    def visit_For(self, node: cst.For) -> None:
        frame = LoopFrame(node)
        self._bind_loop_target(frame, node.target, node.iter)
        self.loops.append(frame)
        self._memo.clear()

    def leave_For(self, node: cst.For) -> None:
        self._memo.clear()
        self.loops.pop()

    def visit_While(self, node: cst.While) -> None:
        self._memo.clear()
        self.loops.append(LoopFrame(node))

    def leave_While(self, node: cst.While) -> None:
        self._memo.clear()
        self.loops.pop()

    def _visit_comprehension(self, node) -> None:
        frame = LoopFrame(node)
        self.loops.append(frame)  # later `for` clauses may use earlier targets
        self._memo.clear()
        comp = node.for_in
        while comp is not None:
            self._bind_loop_target(frame, comp.target, comp.iter)
            comp = comp.inner_for_in

    def _leave_comprehension(self, node) -> None:
        self._memo.clear()
        self.loops.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension
    leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_comprehension

    def _bind_loop_target(self, frame: LoopFrame, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        if (
            isinstance(target, (cst.Tuple, cst.List))
            and isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "enumerate"
            and iterable.args
            and len(target.elements) == 2
        ):
            self._bind_names(target.elements[0].value, None, frame)
            inner = target.elements[1].value
            if isinstance(inner, cst.Name):
                frame.names[inner.value] = self.row_of(self.infer(iterable.args[0].value), frame.node, inner.value)
            else:
                self._bind_names(inner, None, frame)
            return
        if isinstance(target, cst.Name):
            frame.names[target.value] = self.row_of(self.infer(iterable), frame.node, target.value)
        else:
            self._bind_names(target, None, frame)

    def row_of(self, value: Value, loop: cst.CSTNode, name: str) -> Value:
        """What one iteration of `for name in value` holds."""
        if not isinstance(value, Queryset) or value.values or value.paginator:
            return None  # a paginator's items are pages
        return Instance(
            model=value.model,
            # a key the filter makes null reads as None with no query (Django's descriptor)
            loaded=value.selected | value.prefetched | value.nulls,
            select_all=value.select_all,
            opaque=value.opaque,
            back_ref=value.back_ref,
            loop=loop,
            source=value,
            root=name,
        )

    # -- assignments ---------------------------------------------------------------------
    def _bind_names(self, target: cst.CSTNode, value: Value, frame: LoopFrame | None = None) -> None:
        self._memo.clear()
        if isinstance(target, cst.Name):
            name = target.value
            if frame is not None:
                frame.names[name] = value
                return
            for loop in reversed(self.loops[self.scopes[-1].loop_base :]):
                if name in loop.names:
                    loop.names[name] = value
                    return
            self.scopes[-1].names[name] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_names(element.value, None, frame)
        elif isinstance(target, cst.StarredElement):
            self._bind_names(target.value, None, frame)

    def leave_Assign(self, node: cst.Assign) -> None:
        value = self.infer(node.value)
        if isinstance(value, Queryset) and not value.anchored:
            value = value.with_(anchored=True)
        for target in node.targets:
            t = target.target
            if value is None and self.at_module_level and isinstance(t, cst.Name) and t.value in self.ctx.facts.aliases:
                continue  # `Book = apps.get_model(...)`: the index knows better than infer()
            self._bind_names(t, value)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_names(node.target, self.infer(node.value) if node.value is not None else None)

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_names(node.target, None)

    def leave_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_names(node.target, self.infer(node.value))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_names(node.asname.name, None)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self.at_module_level or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = alias.evaluated_alias or alias.evaluated_name
            if "." in name:
                continue
            candidates = self.index.models_named(alias.evaluated_name)
            self._bind_names(cst.Name(name), ModelClass(candidates[0]) if len(candidates) == 1 else None)

    def leave_Expr(self, node: cst.Expr) -> None:
        # prefetch_related_objects(rows, "author") caches relations on a list we track.
        call = node.value
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, (cst.Name, cst.Attribute))
            and (dotted(call.func) or [""])[-1] == "prefetch_related_objects"
            and call.args
            and isinstance(call.args[0].value, cst.Name)
        ):
            current = self.lookup(call.args[0].value.value)
            if isinstance(current, Queryset):
                self._bind_names(call.args[0].value, current.with_(opaque=True))

    # -- inference -----------------------------------------------------------------------
    def lookup(self, name: str) -> Value:
        for loop in reversed(self.loops[self.scopes[-1].loop_base :]):
            if name in loop.names:
                return loop.names[name]
        for depth in range(len(self.scopes) - 1, -1, -1):
            scope = self.scopes[depth]
            if scope.kind == "class" and depth != len(self.scopes) - 1:
                continue  # class bodies are not visible from their methods
            if name in scope.names:
                return scope.names[name]
        model = self.index.model_for(self.qualify(cst.Name(name)))
        return ModelClass(model) if model else None

    def infer(self, node: cst.CSTNode | None) -> Value:
        if node is None:
            return None
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:  # self.get_queryset() calling itself, and the like
            return None
        self._busy.add(key)
        try:
            value = self._memo[key] = self._infer(node)
            return value
        finally:
            self._busy.discard(key)

    def _infer(self, node: cst.CSTNode) -> Value:
        if isinstance(node, cst.Name):
            return self.lookup(node.value)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Subscript):
            base = self.infer(node.value)
            if isinstance(base, Queryset):
                is_slice = any(isinstance(e.slice, cst.Slice) for e in node.slice)
                if is_slice:
                    return base
                # `Person.objects.prefetch_related("faces__photo").filter(id=x)[0]`: one row, which
                # keeps what its queryset loaded, as get() and first() do (librephotos)
                loaded = base.selected | base.prefetched | base.nulls
                return Instance(base.model, loaded=loaded, select_all=base.select_all, opaque=base.opaque)
            return None
        return None

    @staticmethod
    def _extend(qs: Queryset, node: cst.CSTNode) -> cst.CSTNode | None:
        """Where a fix goes after `qs.<method>()`: a queryset bound to a name and extended later
        (`qs = qs.filter(...)` under an if) is fixed where it was first built."""
        return qs.origin if qs.anchored or qs.iterated else node

    def _manager_queryset(self, model: str, manager: str, node: cst.BaseExpression | None) -> Queryset | None:
        info = self.index.model(model)
        if info is None:
            return Queryset(model, manager=manager, origin=node) if manager == "objects" else None
        if not (self.index.has_manager(info, manager) or manager in ("_default_manager", "_base_manager")):
            return None
        base = self.index.manager_base(info, manager)
        qs = Queryset(model, manager=manager, origin=node)
        if base is not None:
            qs = qs.with_(
                selected=paths_with_prefixes(base.select),
                prefetched=paths_with_prefixes(base.prefetch),
                opaque=base.opaque or bool(base.calls),
            )
        return qs

    def _attribute(self, node: cst.Attribute) -> Value:
        attr = node.attr.value
        base = self.infer(node.value)
        if isinstance(base, ModelClass):
            return self._manager_queryset(base.model, attr, node)
        if isinstance(base, Instance):
            return self.relation_of(base, attr)
        if isinstance(base, FormInstance) and attr == "instance":
            return Instance(base.model)
        if isinstance(base, Queryset) and attr == "object_list":  # page.object_list
            return base if not base.paginator else base.with_(paginator=False)
        if isinstance(base, SelfRef):
            if attr in ("queryset", "object_list"):  # object_list: ListView's page of rows
                return self.view_queryset(base.frame) if attr == "object_list" else self._class_queryset(base.frame)
            if attr == "object":  # DetailView/UpdateView's get_object()
                value = self.view_queryset(base.frame)
                return Instance(value.model) if isinstance(value, Queryset) else None
            if attr == "model" and "model" in base.frame.attrs:
                return self.infer(base.frame.attrs["model"])
        return None

    def relation_of(self, owner: Instance, attr: str) -> Value:
        info = self.index.model(owner.model)
        if info is None:
            return None
        rel = info.relations.get(attr)
        if rel is None:
            return None
        path = (*owner.path, attr)
        if rel.kind in _SINGLE:
            return Instance(
                model=rel.target or "",
                loaded=owner.loaded,
                select_all=owner.select_all,
                opaque=owner.opaque or rel.target is None,
                back_ref=None,
                loop=owner.loop,
                path=path,
                source=owner.source,
                root=owner.root,
            )
        return RelatedManager(owner, attr, rel.target, rel.kind, "__".join(path) in owner.loaded)

    def view_queryset(self, frame: ClassFrame) -> Value:
        """A class-based view's queryset: get_queryset(), else `queryset = …`, else `model = …`."""
        method = frame.methods.get("get_queryset")
        if method is not None:
            return self._method_return(method)  # an override we cannot read is unknown
        if self._base_overrides_get_queryset(frame):
            return None
        return self._class_queryset(frame)

    def _base_overrides_get_queryset(self, frame: ClassFrame) -> bool:
        """A project mixin's get_queryset() may change what the view iterates."""
        index = self.index
        for base in frame.node.bases:
            if index.class_defines(index.resolve(self.qualify(base.value)), "get_queryset"):
                return True
        return False

    def _class_queryset(self, frame: ClassFrame) -> Value:
        """What the generic views' get_queryset() starts from: `queryset`, else `model`."""
        if "queryset" in frame.attrs:
            return self.infer(frame.attrs["queryset"])
        if "model" in frame.attrs:
            model = self.infer(frame.attrs["model"])
            if isinstance(model, ModelClass):
                return Queryset(model.model, manager="objects", origin=None)
        return None

    def _method_return(self, method: cst.FunctionDef) -> Value:
        body = method.body.body if isinstance(method.body, cst.IndentedBlock) else ()
        returns = [
            s.body[0] for s in body if isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], cst.Return)
        ]
        if len(returns) != 1 or returns[0].value is None or _count_returns(method) != 1:
            return None  # several ways out: which queryset comes back depends on the request
        value = returns[0].value
        if isinstance(value, cst.Name):  # qs = …; return qs
            for stmt in reversed(body):
                if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign):
                    assign = stmt.body[0]
                    if any(isinstance(t.target, cst.Name) and t.target.value == value.value for t in assign.targets):
                        return self._in_class_context(assign.value)
            return None
        return self._in_class_context(value)

    def _in_class_context(self, expr: cst.BaseExpression) -> Value:
        # `self` and `super()` inside get_queryset mean the view itself.
        return self.infer(expr)

    def _call(self, node: cst.Call) -> Value:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            owner_node = func.value
            if (
                isinstance(owner_node, cst.Call)
                and isinstance(owner_node.func, cst.Name)
                and owner_node.func.value == "super"
                and method == "get_queryset"
                and self.classes
            ):
                return self._class_queryset(self.classes[-1])
            base = self.infer(owner_node)
            if isinstance(base, Queryset):
                return self._queryset_method(base, method, node)
            if isinstance(base, RelatedManager):
                return self._related_manager_method(base, method, node)
            if isinstance(base, FormInstance) and method == "save":  # the row the form saved
                return Instance(base.model)
            if isinstance(base, SelfRef) and method in ("get_queryset", "filter_queryset", "paginate_queryset"):
                if method != "get_queryset" and node.args:  # DRF: the same rows, filtered or one page
                    return self.infer(node.args[0].value)
                return self.view_queryset(base.frame)
            if base is None and isinstance(owner_node, cst.Name):  # selectors.published_books()
                return self._selector(self.qualify(func) or "")
            return None
        if isinstance(func, cst.Name):
            name = func.value
            if name in _LIST_LIKE and node.args:
                value = self.infer(node.args[0].value)
                return value if isinstance(value, Queryset) else None
            target = self.lookup(name)
            if isinstance(target, ModelClass):
                explicit_pk = any(a.keyword is not None and a.keyword.value in ("pk", "id") for a in node.args)
                return Instance(target.model, created=not explicit_pk)
            qual = self.qualify(func) or ""
            form = self.index.form_model(qual) if qual else None
            if form:  # BookForm(request.POST)
                return FormInstance(form)
            if qual.rsplit(".", 1)[-1] in _PAGINATORS and node.args:  # Paginator(qs, 20)
                rows = self.infer(node.args[0].value)
                return rows.with_(paginator=True) if isinstance(rows, Queryset) else None
            if qual.endswith(("get_object_or_404", "aget_object_or_404")) and node.args:
                first = self.infer(node.args[0].value)
                if isinstance(first, Queryset):
                    # the row keeps what its queryset loaded, as `.get()` does (les-emplois's
                    # `get_object_or_404(qs.prefetch_related(Prefetch(...)), pk=pk)`)
                    loaded = first.selected | first.prefetched | first.nulls
                    return Instance(
                        first.model,
                        loaded=loaded,
                        select_all=first.select_all,
                        opaque=first.opaque,
                        locked=first.locked,
                    )
                if isinstance(first, ModelClass):
                    return Instance(first.model)
            selected = self._selector(qual)
            if selected is not None:
                return selected
            if qual.endswith("get_list_or_404") and node.args:
                first = self.infer(node.args[0].value)
                if isinstance(first, ModelClass):
                    return Queryset(first.model, origin=None)
                return first if isinstance(first, Queryset) else None
        return None

    def _selector(self, qual: str) -> Queryset | None:
        """The queryset a project function returns (`for b in published_books():`)."""
        found = self.index.selector(qual) if qual else None
        if found is None:
            return None
        model, selector = found
        chain = selector.chain
        if any(c in orm.INSTANCE_RETURNING or c in orm.VALUES_METHODS for c in chain.calls):
            return None  # a row or a number, not rows
        qs = self._manager_queryset(model, selector.manager, None)
        if qs is None:
            return None
        return qs.with_(
            selected=qs.selected | paths_with_prefixes(chain.select),
            prefetched=qs.prefetched | paths_with_prefixes(p for p in chain.prefetch if "->" not in p),
            values=chain.values,
            opaque=qs.opaque or chain.opaque or bool(chain.calls),
            origin=None,
            producer=f"{qual.rsplit('.', 1)[-1]}()",
        )

    def _queryset_method(self, qs: Queryset, method: str, node: cst.Call) -> Value:
        if qs.paginator:  # paginator.page(2): one page of the queryset's rows
            return qs.with_(paginator=False) if method in ("page", "get_page") else None
        if qs.values:
            return None
        if method == "select_related":
            # Django: select_related() with no arguments replaces any named selection with "every
            # non-null FK"; named relations after it replace that mode again.
            if not node.args:
                return qs.with_(select_all=True, selected=frozenset(), origin=self._extend(qs, node), select_call=None)
            names = [literal_string(a.value) for a in node.args]
            if any(n is None or a.star for n, a in zip(names, node.args)):
                return qs.with_(opaque=True, origin=self._extend(qs, node))
            selected = paths_with_prefixes(names) | (frozenset() if qs.select_all else qs.selected)
            return qs.with_(selected=selected, select_all=False, origin=self._extend(qs, node), select_call=node)
        if method == "prefetch_related":
            prefetched = set(qs.prefetched)
            for arg in node.args:
                lookups = self._prefetch_lookups(arg)
                if lookups is None:
                    return qs.with_(opaque=True, origin=self._extend(qs, node))
                prefetched |= lookups
            return qs.with_(
                prefetched=paths_with_prefixes(prefetched), origin=self._extend(qs, node), prefetch_call=node
            )
        if method == "none":  # an empty result: no row to read anything from
            return qs.with_(values=True, origin=self._extend(qs, node))
        if method == "select_for_update":
            return qs.with_(locked=True, origin=self._extend(qs, node))
        if method == "iterator":  # returns a generator: a fix goes before it
            return qs.with_(iterated=True)
        if method in ("only", "defer"):
            return qs.with_(restricted=True, origin=self._extend(qs, node))
        if method in ("filter", "exclude"):
            nulls = _null_keys(node, method == "exclude")
            return qs.with_(origin=self._extend(qs, node), nulls=qs.nulls | nulls if nulls else qs.nulls)
        if method in orm.QUERYSET_RETURNING:
            return qs.with_(origin=self._extend(qs, node))
        if method in ("values", "values_list"):
            return qs.with_(values=True, origin=self._extend(qs, node))
        if method in orm.INSTANCE_RETURNING:
            # `Entry.objects.prefetch_related("rules__group").get(...)`: the row keeps what its
            # queryset loaded, so a loop over `entry.rules.all()` reads `rule.group` for free
            loaded = qs.selected | qs.prefetched | qs.nulls
            return Instance(qs.model, loaded=loaded, select_all=qs.select_all, opaque=qs.opaque, locked=qs.locked)
        if method in _NO_ROWS:
            return None  # a project `update()` overriding Django's returns its count (mit-learn's)
        info = self.index.model(qs.model)
        if info is None:
            return None
        chain = self.index.queryset_method(info, qs.manager or "objects", method)
        if chain is None:
            return None
        if any(c in orm.INSTANCE_RETURNING for c in chain.calls):
            return None  # `...filter(...).first()`: a row (or None), not rows (as for _selector)
        if chain.values:
            return qs.with_(values=True, origin=self._extend(qs, node))
        return qs.with_(
            selected=qs.selected | paths_with_prefixes(chain.select),
            prefetched=qs.prefetched | paths_with_prefixes(p for p in chain.prefetch if "->" not in p),
            opaque=qs.opaque or chain.opaque or bool(chain.calls),
            origin=self._extend(qs, node),
        )

    def _prefetch_lookups(self, arg: cst.Arg) -> set[str] | None:
        if arg.star:
            return None
        text = literal_string(arg.value)
        if text is not None:
            return {text}
        call = arg.value
        if not (isinstance(call, cst.Call) and (dotted(call.func) or [""])[-1] == "Prefetch"):
            return None
        lookup = None
        to_attr = False
        inner: Value = None
        for i, a in enumerate(call.args):
            key = a.keyword.value if a.keyword else ("lookup" if i == 0 else "queryset" if i == 1 else "to_attr")
            if key == "lookup":
                lookup = literal_string(a.value)
            elif key == "queryset":
                inner = self.infer(a.value)
            elif key == "to_attr":
                to_attr = True
        if lookup is None:
            return None
        if to_attr:
            return set()  # rows land on another attribute; the manager itself is not cached
        found = {lookup}
        if isinstance(inner, Queryset):
            found |= {f"{lookup}__{p}" for p in inner.selected | inner.prefetched}
        return found

    def _related_manager_method(self, rm: RelatedManager, method: str, node: cst.Call) -> Value:
        if rm.target is None or (method not in orm.QUERYSET_RETURNING and method not in ("values", "values_list")):
            return None
        owner = rm.owner
        in_loop = owner.loop is not None
        prefix = "__".join((*owner.path, rm.relation_name))
        cached = rm.prefetched and method == "all"
        inner_loaded = frozenset(p[len(prefix) + 2 :] for p in owner.loaded if p.startswith(prefix + "__"))
        info = self.index.model(owner.model)
        rel = info.relations.get(rm.relation_name) if info else None
        base = Queryset(
            rm.target,
            selected=inner_loaded if cached else frozenset(),
            opaque=owner.opaque,
            origin=None if in_loop else node.func.value,  # type: ignore[attr-defined]
            back_ref=rel.field_name if rel is not None and rel.kind == "reverse_fk" else None,
            prefix=prefix if in_loop else "",
            outer=owner.source if in_loop else None,
            via=rm if in_loop else None,
        )
        if method == "all":
            return base.with_(origin=None if in_loop else node)
        # .filter() and the like run a new query per row: its rows are not the outer prefetch,
        # and a select_related for them belongs on this inner queryset.
        base = base.with_(prefix="", outer=None, origin=node.func.value)  # type: ignore[attr-defined]
        return self._queryset_method(base, method, node)


# Django's queryset methods that return no rows: a project override keeps their result.
_NO_ROWS = frozenset(
    {"update", "delete", "count", "exists", "aggregate", "bulk_create", "bulk_update", "in_bulk", "explain"}
    | {"get_or_create", "update_or_create", "contains"}
)


def _count_returns(func: cst.FunctionDef) -> int:
    """Return statements in a function's own body (nested functions and classes excluded)."""
    count, stack = 0, [cast(cst.CSTNode, func.body)]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Return):
            count += 1
        elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.BaseExpression)):
            stack.extend(children(node))
    return count


def _null_keys(call: cst.Call, excluded: bool) -> frozenset[str]:
    """The relations a filter makes null on every row: `parent__isnull=True`, `parent=None`
    (or, in exclude(), `parent__isnull=False`). One step only: `a__b__isnull` says nothing of a."""
    found = set()
    for arg in call.args:
        if arg.keyword is None:
            continue
        key, value = arg.keyword.value, arg.value
        truth = value.value if isinstance(value, cst.Name) and value.value in ("True", "False", "None") else None
        if key.endswith("__isnull") and "__" not in key[: -len("__isnull")] and truth in ("True", "False"):
            if (truth == "True") != excluded:
                found.add(key[: -len("__isnull")])
        elif "__" not in key and truth == "None" and not excluded:
            found.add(key)
    return frozenset(found)
