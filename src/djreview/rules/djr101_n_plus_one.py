"""DJR101: a loop over a queryset touches a relation the queryset did not load.

Each row then runs its own query: N rows, N+1 queries. Reported at the relation access, once
per (loop, relation path); the fix adds ``select_related`` (forward FK/one-to-one) or
``prefetch_related`` (reverse FK, many-to-many, generic FK) where the queryset is built.
See "ORM facts" in DESIGN.md for what costs no query.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from djreview import orm
from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.prefilter import Collector, Walked, chain_root, project_callee
from djreview.rule import Rule
from djreview.rules._djr101_templates import TemplateLoops, renders_templates
from djreview.rules._serializer_reads import SerializerReads
from djreview.rules._written_querysets import WrittenQuerysets
from djreview.values import Instance, Queryset, RelatedManager

_SINGLE = ("fk", "o2o", "gfk", "reverse_o2o")
# Methods that run the query they are called on.
_EVALUATING = frozenset(
    {
        "count",
        "exists",
        "first",
        "last",
        "get",
        "earliest",
        "latest",
        "aggregate",
        "in_bulk",
        "contains",
        "explain",
        "iterator",
    }
)
_WRITES = frozenset(
    {
        "update",
        "delete",
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "add",
        "remove",
        "set",
        "clear",
    }
)


@dataclass
class _Candidate:
    node: cst.CSTNode
    path: str
    how: str  # "select" | "prefetch" | "query"
    row: Instance
    relation: str
    target: str | None
    method: str = ""
    kind: str = ""
    compared: bool = False  # an operand of ==, !=, in, not in, is: only its key matters
    via: tuple[str, ...] = ()  # the functions the relation is read in (a helper called per row)
    handed: bool = False  # the queryset is handed to a function that loops over it


class LoopAttributes(Collector):
    """Every attribute name read inside a loop on a chain that starts at a name bound inside a
    loop (``row.author.name``, ``row.books.all()``), or at an expression we do not follow. The
    flow tracker gives rows only to loop targets, and names assigned in the loop keep them; a
    parameter is never a loop row. A file none of whose names is a relation has no N+1."""

    def __init__(self) -> None:
        self.read: list[ast.Attribute] = []
        self.calls: list[ast.Call] = []

    def visit(self, node: ast.AST, in_loop: bool, scope: str) -> None:
        if in_loop and isinstance(node, ast.Attribute):
            self.read.append(node)
        elif in_loop and isinstance(node, ast.Call) and (node.args or node.keywords):
            self.calls.append(node)

    def result(self, walked: Walked) -> frozenset[str]:
        names = set()
        for node in self.read:
            root = chain_root(node.value)
            if not isinstance(root, ast.Name) or root.id in walked.loop_bound:
                names.add(node.attr)
        for call in self.calls:  # helper(row): the helper may read a relation of the row
            name = project_callee(call.func, walked)
            if name is None or f"{name}()" in names:
                continue
            for arg in (*call.args, *(k.value for k in call.keywords)):
                root = chain_root(arg)
                if not isinstance(root, ast.Name) or root.id in walked.loop_bound:
                    names.add(f"{name}()")  # a call: any project function of that name
                    break
        return frozenset(names)


class NPlusOne(TemplateLoops, SerializerReads, Rule):
    code = "DJR101"
    name = "n-plus-one"
    fixable = True
    prefilter = LoopAttributes
    reads_project_files = True  # loops in the templates its views render

    def wants(self, text, facts, index, prefilter) -> bool:
        if renders_templates(text, index) and index.mentions_models(text, facts):
            return True
        if self.serializer_wants(facts, index):  # DRF serializers: rows of a view's queryset
            return True
        if "for " not in text or not (index.mentions_models(text, facts) or index.imports_a_selector(facts)):
            return False
        found = prefilter()  # a loop row's relation is read under one of these attribute names
        return found is None or index.reads_a_relation(found) or index.calls_a_reader(found)

    def start(self, ctx) -> None:
        super().start(ctx)
        self.pending: dict[int, list[_Candidate]] = {}
        self.written: set[int] = set()  # attribute nodes that are assignment targets
        self.writes: set[int] = set()  # calls inside a chain that ends in update()/delete()
        # generators that `next()` consumes: their body runs once, for the first row (turnout's
        # `next((a.full_address for a in addresses), None)`): no loop
        self.once: set[int] = set()
        self.evaluated: set[int] = set()  # expressions whose value is iterated, indexed, tested...
        self.assigned: set[tuple[int, str]] = set()  # (loop, path) set by the loop body itself
        self.compared: set[int] = set()  # operands of a comparison (`row.owner == user`)
        self._templates_start()
        self.called: set[int] = set()  # attributes called as methods (`row.get_title()`)
        self.passes: dict[int, set[str]] = {}  # per function scope: names a loop has iterated
        self.second_pass: set[int] = set()  # loops over a name an earlier loop iterated
        self.shared_builds = WrittenQuerysets(ctx.module, ctx.flow, ctx.text)  # builds a delete()/update() shares

    # -- `row.author = x` writes the relation: no query, and later reads are cached -------
    def visit_Assign(self, node: cst.Assign) -> None:
        self._template_assign(node)
        for target in node.targets:
            self._write(target.target)
            if isinstance(target.target, cst.Name):  # new rows under the old name
                self.passes.get(id(self.ctx.flow.scopes[-1]), set()).discard(target.target.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._write(node.target)

    def _write(self, target: cst.BaseExpression) -> None:
        if not isinstance(target, cst.Attribute):
            return
        self.written.add(id(target))
        owner = self.ctx.flow.infer(target.value)
        if isinstance(owner, Instance) and owner.loop is not None:
            self.assigned.add((id(owner.loop), "__".join((*owner.path, target.attr.value))))

    # -- collecting ----------------------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.compared.add(id(node.left))
        self.compared.update(id(target.comparator) for target in node.comparisons)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if id(node) in self.written:
            return
        owner = self.ctx.flow.infer(node.value)
        if not isinstance(owner, Instance) or owner.loop is None or owner.opaque:
            return
        info = self.ctx.index.model(owner.model)
        rel = info.relations.get(node.attr.value) if info else None
        if rel is None and info is not None and id(node) not in self.called:
            return self._follow(node, owner, f"{owner.model}::{node.attr.value}", 0)  # a property
        if rel is None or rel.kind not in _SINGLE:
            return
        path = (*owner.path, rel.name)
        if self._loaded(owner, path):
            return
        how = "prefetch" if rel.kind == "gfk" else "select"
        compared = id(node) in self.compared and rel.kind in ("fk", "o2o") and not owner.path
        self._add(_Candidate(node, "__".join(path), how, owner, rel.name, rel.target, kind=rel.kind, compared=compared))

    # -- which querysets are evaluated (a related queryset only costs a query when it is) ---
    def _evaluate(self, node) -> None:
        self.evaluated.add(id(node))

    def visit_For(self, node: cst.For) -> None:
        self._evaluate(node.iter)
        self._note_pass(node, node.iter)

    def _visit_comprehension(self, node) -> None:
        self._note_pass(node, node.for_in.iter)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    def _note_pass(self, loop: cst.CSTNode, iterable: cst.BaseExpression) -> None:
        """A second loop over the same name in a function walks the rows the first one
        evaluated: what the first loop's calls loaded is cached on them (weblate hooks.py)."""
        if not isinstance(iterable, cst.Name):
            return
        passes = self.passes.setdefault(id(self.ctx.flow.scopes[-1]), set())
        if iterable.value in passes:
            self.second_pass.add(id(loop))
        passes.add(iterable.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._evaluate(node.iter)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._evaluate(node.value)

    def visit_If(self, node: cst.If) -> None:
        self._evaluate(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._evaluate(node.test)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._evaluate(node.expression)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        self._evaluate(node.left)
        self._evaluate(node.right)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Name)
            and func.value == "next"
            and node.args
            and isinstance(node.args[0].value, cst.GeneratorExp)
        ):
            self.once.add(id(node.args[0].value))
        self._template_call(node)
        for arg in node.args:  # list(qs), len(qs), print(qs), render(..., qs): evaluated, or as good as
            self._evaluate(arg.value)
        self._calls_per_row(node, self.ctx.flow.in_loop() is not None)
        if not isinstance(func, cst.Attribute) or id(node) in self.writes:
            return
        method = func.attr.value
        if method in _EVALUATING:
            self._evaluate(func.value)
        if method in _WRITES:
            # row.books.filter(...).update(...) writes: not a read N+1, and no prefetch helps
            inner = func.value
            while isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute):
                self.writes.add(id(inner))
                inner = inner.func.value
            return
        manager = self.ctx.flow.infer(func.value)
        if isinstance(manager, Queryset) and manager.via is not None and method in orm.QUERYING_ON_RELATED:
            if not self._runs(node, method):
                return
            manager = manager.via  # author.books.all().filter(...): a new query all the same
            if manager.owner.opaque:
                return
            path = "__".join((*manager.owner.path, manager.relation_name))
            return self._add(
                _Candidate(
                    func.value,
                    path,
                    "query",
                    manager.owner,
                    manager.relation_name,
                    manager.target,
                    method,
                    manager.kind,
                )
            )
        if not isinstance(manager, RelatedManager) or manager.owner.loop is None or manager.owner.opaque:
            return
        path = "__".join((*manager.owner.path, manager.relation_name))
        if method in orm.CACHED_ON_RELATED:
            if manager.prefetched or (method == "all" and not self._runs(node, method)):
                return
            # Loading every row to count it is worse than the N+1: counting wants annotate().
            how = "prefetch" if method == "all" else "annotate"
        elif method in orm.QUERYING_ON_RELATED or self._custom_method(manager, method):
            if not self._runs(node, method):
                return  # built and handed on (to a task, a template): no query on this line
            how = "query"
            if method == "first" and self.ctx.index.model_ordered(manager.target):
                # an ordered queryset's first() is `[:1]` of the rows: a prefetch serves it (geniza)
                if manager.prefetched:
                    return
                how = "prefetch"
        else:
            return  # add(), remove(), create(): writes are not N+1 reads
        self._add(
            _Candidate(
                func.value, path, how, manager.owner, manager.relation_name, manager.target, method, manager.kind
            )
        )

    # -- a function, method or property called per row reads a relation of it -----------
    def _calls_per_row(self, node: cst.Call, in_loop: bool) -> None:
        """`helper(row)` in a loop, or `helper(qs)` anywhere when the helper loops over it."""
        func, flow = node.func, self.ctx.flow
        handed = [(i, arg) for i, arg in enumerate(node.args) if not arg.star]
        values = [(arg.keyword.value if arg.keyword else i, arg, flow.infer(arg.value)) for i, arg in handed]
        querysets = [v for v in values if isinstance(v[2], Queryset) and _rows_to_follow(v[2])]
        if not in_loop and not querysets:
            return
        if isinstance(func, cst.Attribute):
            self.called.add(id(func))
            owner = flow.infer(func.value)
            if isinstance(owner, Instance):  # row.get_title(): the method reads the row as self
                if owner.loop is not None and not owner.opaque and self._is_plain_attribute(owner, func.attr.value):
                    self._follow(node, owner, f"{owner.model}::{func.attr.value}()", 0)
                return
        callee = flow.callee(func)
        if callee is None:
            return
        if len(handed) != len(node.args):
            return  # *args: positions unknown
        for where, _arg, value in values:
            if in_loop and isinstance(value, Instance) and value.loop is not None and not value.opaque:
                self._follow(node, value, callee, where)
        for where, arg, value in querysets:
            rows = flow.row_of(value, node, "row")
            if isinstance(rows, Instance):  # its loop is this call: reported when the call ends
                self._follow(arg.value, rows, callee, where, rows=True)

    def _is_plain_attribute(self, owner: Instance, name: str) -> bool:
        info = self.ctx.index.model(owner.model)
        return info is not None and name not in info.relations

    def _follow(self, node: cst.CSTNode, row: Instance, callee: str, where: int | str, rows: bool = False) -> None:
        if id(row.loop) in self.second_pass:
            return  # the rows of an earlier loop, with what its calls loaded
        for reach in self.ctx.index.reads_of(callee, where, row.model, rows):
            path = (*row.path, *reach.path)
            if reach.how in ("select", "prefetch") and self._loaded(row, path):
                continue
            if reach.how == "annotate" and "__".join(path) in row.loaded:
                continue  # counting prefetched rows costs nothing
            candidate = _Candidate(
                node, "__".join(path), reach.how, row, reach.path[-1], reach.target, reach.method, reach.kind
            )
            candidate.via, candidate.handed = reach.via, rows
            self._add(candidate)

    def _runs(self, call: cst.Call, method: str) -> bool:
        """Does this queryset call run a query here: evaluating methods always do, lazy ones
        (`.all()`, `.filter()`) only when the result is iterated, indexed, tested, counted or
        passed to a call; not when it is only assigned, returned or put in a dict."""
        return method in _EVALUATING or id(call) in self.evaluated

    def _custom_method(self, manager: RelatedManager, method: str) -> bool:
        """A method of the target's QuerySet/Manager class: related managers have it too."""
        info = self.ctx.index.model(manager.target)
        return info is not None and self.ctx.index.queryset_method(info, "objects", method) is not None

    def _loaded(self, row: Instance, path: tuple[str, ...]) -> bool:
        joined = "__".join(path)
        if joined in row.loaded:
            return True
        if any((id(row.loop), "__".join(path[:i])) in self.assigned for i in range(1, len(path) + 1)):
            return True  # `row.event = event` in the loop: that object and what it holds
        if row.back_ref and path[0] == row.back_ref:
            # Django sets the FK back to the manager's owner on each row: one object shared
            # by every row, whose own relations load once for the whole loop
            return True
        if row.select_all:
            return self._non_null_chain(row.model, path)
        return False

    def _non_null_chain(self, model: str, path: tuple[str, ...]) -> bool:
        for step in path:
            info = self.ctx.index.model(model)
            rel = info.relations.get(step) if info else None
            if rel is None or rel.kind not in ("fk", "o2o") or rel.null:
                return False
            model = rel.target or ""
        return True

    def _add(self, candidate: _Candidate) -> None:
        if id(candidate.row.loop) in self.once:
            return
        self.pending.setdefault(id(candidate.row.loop), []).append(candidate)

    # -- reporting at the end of each loop -------------------------------------------------
    def _flush(self, node: cst.CSTNode) -> None:
        # a relation the loop reads itself is reported there, before a call that reads it too
        candidates = sorted(self.pending.pop(id(node), []), key=lambda c: bool(c.via))
        seen: set[str] = set()
        paths = {c.path for c in candidates if c.how == "select"}
        read = {c.path for c in candidates if not c.compared}  # a use beyond comparing the key
        # row.tags.exists() beside row.tags.all(): once prefetched, exists() and count() read
        # the prefetched rows, so the prefetch is the fix, not an annotation
        prefetched = {c.path for c in candidates if c.how == "prefetch"}
        counted = {c.path: c.method for c in candidates if c.how == "annotate" and c.path in prefetched}
        for c in candidates:
            if c.how == "select" and any(p.startswith(c.path + "__") for p in paths):
                continue  # item.order.customer covers item.order
            if c.how == "annotate" and c.path in prefetched:
                continue
            if c.path in seen:
                continue
            seen.add(c.path)
            self._report(c, only_compared=c.path not in read, counted=counted.get(c.path))

    leave_For = leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = leave_Call = _flush

    def _report(self, c: _Candidate, only_compared: bool = False, counted: str | None = None) -> None:
        index = self.ctx.index
        row = c.row
        qs = row.source
        root_model = qs.model if qs is not None else row.model
        model = index.model(root_model)
        model_name = model.name if model else root_model.rsplit(".", 1)[-1]
        root = row.root or "row"
        access = ".".join([root, *c.path.split("__")])
        full_path, target_qs = c.path, qs
        if qs is not None and qs.outer is not None and qs.prefix:
            full_path, target_qs = f"{qs.prefix}__{c.path}", qs.outer
        where = _read_in(c.via)
        if c.handed:
            return self._report_handed(c, model_name, full_path, target_qs)
        if c.how == "query":
            message = (
                f"N+1 query: `{access}.{c.method}()`{where} runs a query for every {model_name} in this loop, "
                f"even with prefetch_related."
            )
            hint = (
                f'Prefetch the rows you need once with Prefetch("{full_path}", queryset=..., to_attr=...) '
                f"or annotate the value on the queryset."
            )
            return self.report(
                c.node,
                message,
                FixSpec(f'use Prefetch("{full_path}", ...) or an annotation', "suggestion"),
                hint=hint,
            )
        if c.how == "annotate":
            lookup = index.lookup_path(target_qs.model if target_qs else root_model, full_path)
            message = f"N+1 query: `{access}.{c.method}()`{where} runs a query for every {model_name} in this loop."
            hint = (
                f"Annotate it on the queryset instead, e.g. .annotate({lookup.split('__')[-1]}_count="
                f'Count("{lookup}")), and read the annotation in the loop.'
            )
            fix = FixSpec(f'annotate Count("{lookup}") on the queryset', "suggestion")
            return self.report(c.node, message, fix, hint=hint)
        # A path through a many-valued relation (rows of an outer loop's related manager)
        # can only be prefetched: select_related follows single-valued relations only.
        many = c.how != "select" or full_path != c.path
        method = "prefetch_related" if many else "select_related"
        fix, anchor = self._fix(target_qs, method, full_path, row.loop if target_qs is qs else None)
        built = " where it is built" if anchor is None else " built on line <line:origin>"
        if anchor is None and target_qs is not None and target_qs.parameter:
            built = f" that each caller passes as `{target_qs.parameter}`"
        elif anchor is None and target_qs is not None and target_qs.producer:
            built = f" that `{target_qs.producer}` returns"
        kind = "related objects" if c.kind in ("m2m", "reverse_fk", "reverse_m2m", "generic_relation") else "relation"
        message = f"N+1 query: `{access}`{where} loads the {kind} `{c.path}` of {model_name} once per row of this loop."
        hint = f'Add .{method}("{full_path}") to the queryset{built}.'
        if counted:
            hint += f" Its .{counted}() in this loop then reads the prefetched rows too."
        if only_compared:  # the row already holds the key: no query and no join needed
            hint = (
                f"The loop only compares `{access}`: compare `{access}_id` with the other object's pk "
                f"instead (e.g. `{access}_id == other.pk`, or `in` a set of pks), or add "
                f'.{method}("{full_path}") to the queryset{built}.'
            )
        self.report(c.node, message, fix, lines={"origin": anchor} if anchor is not None else None, hint=hint)

    def _report_handed(self, c: _Candidate, model_name: str, full_path: str, qs: Queryset | None) -> None:
        """A queryset handed to a function that loops over it and reads a relation per row."""
        loops = " -> ".join(f"`{name}`" for name in c.via)
        if c.how in ("query", "annotate"):
            message = (
                f"N+1 query: {loops} loops over this queryset and runs `.{c.path.replace('__', '.')}.{c.method}()` "
                f"for every {model_name}."
            )
            if c.how == "annotate":  # count()/exists() read a prefetched manager's rows
                hint = f'Annotate it on the queryset (Count("{full_path}")) or add .prefetch_related("{full_path}").'
            else:
                hint = (
                    f'Annotate the value on the queryset, or prefetch with Prefetch("{full_path}", queryset=..., '
                    f"to_attr=...) and read that in the loop."
                )
            return self.report(
                c.node, message, FixSpec("annotate or prefetch on the queryset", "suggestion"), hint=hint
            )
        method = "prefetch_related" if c.how == "prefetch" else "select_related"
        fix, anchor = self._fix(qs, method, full_path)
        built = " where it is built" if anchor is None else " built on line <line:origin>"
        message = f"N+1 query: {loops} loops over this queryset and loads `{c.path}` of {model_name} once per row."
        hint = f'Add .{method}("{full_path}") to the queryset{built}.'
        self.report(c.node, message, fix, lines={"origin": anchor} if anchor is not None else None, hint=hint)

    def _fix(self, qs: Queryset | None, method: str, path: str, loop: cst.CSTNode | None = None):
        if qs is None or qs.origin is None:
            return FixSpec(f'add .{method}("{path}") where the queryset is built', "suggestion"), None
        if qs.iterated and method == "prefetch_related":
            return FixSpec(
                f'add .prefetch_related("{path}") before .iterator() and pass iterator(chunk_size=...): '
                f"Django prefetches per chunk",
                "suggestion",
            ), None
        if qs.restricted and method == "select_related":
            # Django refuses to traverse a relation that only()/defer() deferred (FieldError)
            return FixSpec(
                f'add .select_related("{path}") and keep "{path.split("__")[0]}" in only() / out of defer()',
                "suggestion",
            ), None
        if qs.select_all and method == "select_related":
            # Naming a relation would switch off select_related()'s follow-every-non-null-FK mode.
            return FixSpec(
                f'name every relation the loop reads in select_related(..., "{path}") instead of '
                f"select_related() with no arguments, which follows non-null foreign keys only",
                "suggestion",
            ), None
        own = self.shared_builds.loop_anchor(loop, qs)  # never on the build a delete()/update() shares
        if own is not None:
            edit = NodeEdit(own, f'.{method}("{path}")', "after")
            return FixSpec(f'add .{method}("{path}") to the loop\'s own queryset', "safe", (edit,)), own
        existing = qs.select_call if method == "select_related" else qs.prefetch_call
        anchor = existing if existing is not None else qs.origin
        if existing is not None and existing.args:
            edit = NodeEdit(existing.args[-1], f', "{path}"', "after")
        else:
            edit = NodeEdit(qs.origin, f'.{method}("{path}")', "after")
        return FixSpec(f'add "{path}" to {method}() on the queryset', "safe", (edit,)), anchor


def _read_in(via: tuple[str, ...]) -> str:
    """`, read in `format_line()` -> `Product.get_title()`,` for a relation a called function reads."""
    if not via:
        return ""
    return ", read in " + " -> ".join(f"`{name}`" for name in via) + ","


def _rows_to_follow(qs: Queryset) -> bool:
    """A queryset handed to a function whose loop we may judge: model rows we can read."""
    return not (qs.values or qs.opaque or qs.paginator)
