"""DJR106: a query that runs once per item of a loop, looking up one value at a time.

``Book.objects.get(pk=book_id)`` inside ``for book_id in ids`` runs one query per id, where
``Book.objects.in_bulk(ids)`` (or ``filter(pk__in=ids)``) before the loop runs one. Reported:
a call that always queries (``get()``, ``filter(...).first()/last()/exists()/count()``,
``earliest()/latest()``, a related manager's ``get()``, ``get_object_or_404``) inside a
``for`` loop or comprehension, when its arguments use the loop variable or a name the loop
body derives from it.

Not reported, since a false alarm costs more than a miss:
- the loop runs a small number of times the code shows (a literal tuple, list or set,
  ``range(n)`` with a literal n <= 5), or stops after the query (``break``/``return`` later
  in the body, ``raise`` right after it, ``if <query>: raise``): a retry, search or check loop;
- the query sits in a ``with`` block the iteration opens (a transaction per row) or in an
  ``except`` handler, takes a lock (``select_for_update()``) or a batch (``__in``);
- the value looked up is what a function call of the iteration produced (``pk = generate(x)``);
- arguments that do not depend on the loop variable (that query can be hoisted; another matter);
- a related manager of a row of the loop's own queryset: that N+1 is DJR101's;
- ``while`` loops, whose iterations differ by state we do not follow;
- a row the loop already holds, fetched again by its own pk (``child = Category.objects.get(
  pk=child.pk)``): a refresh, whose point is the state the earlier iterations wrote;
- a lookup whose row the iteration hands to a project function that writes (saves, deletes,
  creates or updates rows), and a called function that writes: the lookup is one step of a
  per-item unit of work (grant a role, record an acceptance, cancel a task) that batching the
  lookup alone would not make one query; its writes are DJR102's matter.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import libcst as cst

from djreview.index.nodes import all_nodes
from djreview.index.prefilter import Collector, Walked, project_callee
from djreview.naming import plural_snake
from djreview.rule import Rule
from djreview.values import ModelClass, Queryset, RelatedManager, SelfRef
from djreview.walk import children, contains

# Calls that run their query where they are written.
_RUNNING = frozenset({"get", "first", "last", "exists", "count", "earliest", "latest"})
_SHORTCUTS = ("get_object_or_404", "aget_object_or_404")
_NO_ARGUMENTS = frozenset({"first", "last", "exists", "count"})
_CONVERSIONS = frozenset({"int", "str", "float", "Decimal", "UUID", "tuple", "frozenset"})
_FEW = 5  # a loop the code bounds to this many iterations is not worth batching
_SHOWN = 40  # longest loop iterable quoted in the message
_CALLED = re.compile(r"(\w+)\(")  # names called in a text


class LoopQueries(Collector):
    """The names in the lookups (keyword arguments, anywhere in the chain) of each running
    method or shortcut called inside a loop: the file can only concern the rule when one of
    them is bound inside a loop (a loop variable, or a name a loop body assigns)."""

    def __init__(self) -> None:
        self.lookups: list[set[str]] = []
        self.calls: list[tuple[ast.expr, set[str]]] = []  # (what is called, names in its arguments)

    def visit(self, node: ast.AST, in_loop: bool, scope: str) -> None:
        if not in_loop or not isinstance(node, ast.Call):
            return
        func = node.func
        if node.args or node.keywords:  # a project function may query with them
            values = [*node.args, *(k.value for k in node.keywords)]
            self.calls.append((func, {n.id for v in values for n in all_nodes(v) if isinstance(n, ast.Name)}))
        if isinstance(func, ast.Name) and func.id in _SHORTCUTS:
            self.lookups.append(_ast_names(node.keywords))
        elif isinstance(func, ast.Attribute) and func.attr in _RUNNING:
            keywords = list(node.keywords)
            inner = func.value
            while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                keywords.extend(inner.keywords)
                inner = inner.func.value
            self.lookups.append(_ast_names(keywords))

    def result(self, walked: Walked) -> tuple[bool, frozenset[str]]:
        """Whether a query's lookups use a loop-bound name, and the functions called with one."""
        direct = any(names & walked.loop_bound for names in self.lookups)
        called = set()  # helper(x), self.helper(x), module.helper(x); not data.get(x)
        for func, names in self.calls:
            callee = project_callee(func, walked) if names & walked.loop_bound else None
            if callee is not None:
                called.add(callee)
        return direct, frozenset(called)


def _ast_names(keywords: list[ast.keyword]) -> set[str]:
    return {n.id for k in keywords for n in all_nodes(k.value) if isinstance(n, ast.Name)}


@dataclass
class _Loop:
    node: cst.CSTNode
    derived: set[str] = field(default_factory=set)  # the targets and names computed from them
    bounded: bool = False
    rows: set[str] = field(default_factory=set)  # the loop's own targets (the item in hand)


class QueryInLoop(Rule):
    code = "DJR106"
    name = "query-in-loop"
    prefilter = LoopQueries
    skip_kinds = frozenset({"migrations", "tests", "commands"})

    def wants(self, text, facts, index, prefilter) -> bool:
        if "for " not in text:
            return False
        if index.mentions_models(text, facts):
            found = prefilter()
            return found is None or found[0] or index.calls_a_querier(found[1])
        if not index.calls_a_querier(_CALLED.findall(text)):
            return False
        found = prefilter()  # a project function queries for it: the file need not name a model
        return found is None or index.calls_a_querier(found[1])

    def start(self, ctx) -> None:
        super().start(ctx)
        self.loops: list[_Loop] = []
        self.inner: set[int] = set()  # calls that are part of a reported chain
        # loop depth at each open `with` block and `except` handler: a query there runs in a
        # transaction (or a lock) of its own per iteration, or only when something failed
        self.opened: list[int] = []
        self.guarded: set[int] = set()  # calls in `if <query>: raise ...`: a check per item
        self.assigned: dict[int, str] = {}  # `row = <call>`: the call -> the name it binds

    def visit_With(self, node: cst.With) -> None:
        self.opened.append(len(self.loops))

    def leave_With(self, node: cst.With) -> None:
        self.opened.pop()

    visit_ExceptHandler = visit_With
    leave_ExceptHandler = leave_With

    def visit_If(self, node: cst.If) -> None:
        first = node.body.body[0] if isinstance(node.body, cst.IndentedBlock) and node.body.body else None
        if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Raise):
            stack: list[cst.CSTNode] = [node.test]
            while stack:
                current = stack.pop()
                self.guarded.add(id(current))
                stack.extend(children(current))

    # -- loops and the names that vary with them -----------------------------------------
    def visit_For(self, node: cst.For) -> None:
        self.loops.append(_Loop(node, _names(node.target), _bounded(node.iter), _names(node.target)))

    def _visit_comprehension(self, node) -> None:
        loop = _Loop(node)
        comp = node.for_in
        while comp is not None:
            loop.derived |= _names(comp.target)
            loop.rows |= _names(comp.target)
            loop.bounded = loop.bounded or _bounded(comp.iter)
            comp = comp.inner_for_in
        self.loops.append(loop)

    def _leave_loop(self, node) -> None:
        self.loops.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension
    leave_For = leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave_loop

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.loops.append(_Loop(node, bounded=True))  # a nested def runs when it is called

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.loops.pop()

    visit_Lambda = visit_FunctionDef
    leave_Lambda = leave_FunctionDef

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.assigned[id(node.value)] = node.targets[0].target.value
        self._derive([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._derive([node.target], node.value)

    def _derive(self, targets, value) -> None:
        if value is None:
            return
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value not in _CONVERSIONS:
            return  # `pk = generate(item)`: a value the iteration produced, re-read after the work
        used = _names(value)
        for loop in self.loops:
            if loop.derived & used:
                for target in targets:
                    loop.derived |= _names(target)

    # -- the queries ---------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self.inner or id(node) in self.guarded or not self.loops:
            return
        query = self._query(node)
        if query is None:
            return self._through_a_function(node)
        model, written, args, lookup, manager = query
        loop = self._varying(args)
        if loop is None or loop.bounded or _stops_after(loop.node, node):
            return
        level = next(i for i, open_loop in enumerate(self.loops) if open_loop is loop)
        if any(depth > level for depth in self.opened):
            return
        if _refetches_a_row(node, loop) or self._handed_to_a_writer(node, loop):
            return
        self._report(node, loop, model, written, lookup, manager)

    def _handed_to_a_writer(self, node: cst.Call, loop: _Loop) -> bool:
        """Is the row this query binds (`group = Group.objects.get(...)`) handed, in the same
        iteration, to a project function that writes (`assign_role(role, group)`)?"""
        name = self.assigned.get(id(node))
        if name is None:
            return False
        stack: list[cst.CSTNode] = [loop.node.body]  # type: ignore[attr-defined]
        while stack:
            current = stack.pop()
            stack.extend(children(current))
            if not isinstance(current, cst.Call) or not isinstance(current.func, (cst.Name, cst.Attribute)):
                continue
            if not any(isinstance(a.value, cst.Name) and a.value.value == name for a in current.args):
                continue
            callee = self._local_import(current.func) or self.ctx.flow.callee(current.func)
            if callee and self.ctx.index.writes(callee):
                return True
        return False

    def _local_import(self, func: cst.BaseExpression) -> str | None:
        """`from app.roles import assign_role` inside the enclosing function (the usual way
        round a circular import between models and helpers): the name's qualified ref."""
        function = next((loop.node for loop in reversed(self.loops) if isinstance(loop.node, cst.FunctionDef)), None)
        if function is None or not isinstance(func, cst.Name):
            return None
        for statement in function.body.body if isinstance(function.body, cst.IndentedBlock) else ():
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.ImportFrom) or small.relative or small.module is None:
                    continue
                if isinstance(small.names, cst.ImportStar):
                    continue
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if isinstance(bound, cst.Name) and bound.value == func.value:
                        module = self.ctx.module.code_for_node(small.module)
                        return f"{module}.{self.ctx.module.code_for_node(alias.name)}"
        return None

    def _query(self, node: cst.Call):
        """(model, written form, argument nodes, (method, keyword, value name), manager text)
        of a call that always runs a query, or None."""
        func = node.func
        if isinstance(func, cst.Name) and func.value in _SHORTCUTS and node.args:
            first = self.ctx.flow.infer(node.args[0].value)
            if not isinstance(first, (ModelClass, Queryset)) or getattr(first, "via", None) is not None:
                return None
            model = self._model_name(first.model)
            lookup = ("get", *_single_keyword(node.args[1:]))
            keywords = [a.value for a in node.args[1:] if a.keyword is not None]
            return model, f"{func.value}({model})", keywords, lookup, f"{model}.objects"
        if not isinstance(func, cst.Attribute) or func.attr.value not in _RUNNING:
            return None
        method = func.attr.value
        if method in _NO_ARGUMENTS and node.args:
            return None  # list.count(x) on a list of rows, not a query
        owner = self.ctx.flow.infer(func.value)
        if isinstance(owner, RelatedManager):
            if method != "get" or owner.owner.loop is not None or owner.target is None:
                return None  # a loop row's related manager: DJR101
            target = owner.target
        elif isinstance(owner, Queryset):
            if owner.via is not None:
                return None  # built from a loop row's related manager: DJR101
            target = owner.model
        else:
            return None
        arguments: list[cst.Arg] = list(node.args)
        parts = [f"{method}()"]
        inner = func.value
        while isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute):
            self.inner.add(id(inner))
            parts.append(f"{inner.func.attr.value}()")
            arguments.extend(inner.args)
            inner = inner.func.value
        if "select_for_update()" in parts:
            return None  # a lock per row, taken one at a time on purpose (lock order, short locks)
        if any(a.keyword is not None and a.keyword.value.endswith("__in") for a in arguments):
            return None  # a batch per iteration (chunks of ids): already what the hint would say
        base = self.ctx.module.code_for_node(inner)
        model = self._model_name(target)
        manager = base if isinstance(self.ctx.flow.infer(inner), (Queryset, RelatedManager)) else f"{model}.objects"
        written = ".".join([base, *reversed(parts)])
        lookup = (method, *_single_keyword(arguments))
        return model, written, [a.value for a in arguments if a.keyword is not None], lookup, manager

    # -- a function called per item that queries with its argument ------------------------
    def _through_a_function(self, node: cst.Call) -> None:
        func, flow = node.func, self.ctx.flow
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
        if not node.args or not self.ctx.index.may_query(name):
            return
        if isinstance(func, cst.Attribute) and not isinstance(func.value, cst.Name):
            return  # a method of an object we do not follow
        owner = flow.infer(func.value) if isinstance(func, cst.Attribute) else None
        if owner is not None and not isinstance(owner, SelfRef):
            return  # a method of a row or a queryset
        callee = flow.callee(func)
        if not callee or any(arg.star for arg in node.args):
            return
        for position, arg in enumerate(node.args):
            loop = self._varying([arg.value])
            if loop is None or loop.bounded:
                continue
            found = self.ctx.index.queries_of(callee, arg.keyword.value if arg.keyword else position)
            if not found or _stops_after(loop.node, node):
                continue
            level = next(i for i, open_loop in enumerate(self.loops) if open_loop is loop)
            if any(depth > level for depth in self.opened):
                return
            if self.ctx.index.writes(callee):
                return  # a write per item (a removal, a cancellation): DJR102's matter, not a lookup
            model, written, via = found[0]
            return self._report_call(node, loop, self._model_name(model), written, via)

    def _report_call(self, node: cst.Call, loop: _Loop, model: str, written: str, via: tuple[str, ...]) -> None:
        shown = self.ctx.module.code_for_node(_iterable(loop.node))
        items = f"item of `{shown}`" if len(shown) <= _SHOWN and "\n" not in shown else "iteration"
        inside = f" (in {' -> '.join(f'`{v}`' for v in via[1:])})" if len(via) > 1 else ""
        message = f"`{via[0]}` runs `{written}`{inside} once per {items} in this loop."
        hint = (
            f"Fetch the {model} rows for every item once before the loop ({model}.objects.filter(<field>__in=...) "
            f"or in_bulk()) and hand each call its row, or give `{via[0]}` a batch version."
        )
        self.report(node, message, hint=hint)

    def _model_name(self, qual: str) -> str:
        info = self.ctx.index.model(qual)
        return info.name if info else qual.rsplit(".", 1)[-1]

    def _varying(self, args) -> _Loop | None:
        """The innermost loop of this function whose variable the arguments use."""
        used: set[str] = set()
        for arg in args:
            used |= _names(arg)
        for loop in reversed(self.loops):
            if isinstance(loop.node, (cst.FunctionDef, cst.Lambda)):
                return None
            if loop.derived & used:
                return loop
        return None

    def _report(self, node: cst.Call, loop: _Loop, model: str, written: str, lookup, manager: str) -> None:
        shown = self.ctx.module.code_for_node(_iterable(loop.node))
        if len(shown) > _SHOWN or "\n" in shown:
            message = f"{written} runs one query per iteration of this loop."
            values = "[...]"
        else:
            message = f"{written} runs one query per item of `{shown}` in this loop."
            values = shown
        method, keyword, value = lookup
        if value is None or value != _target(loop.node):
            values = "[...]"  # the lookup is not the item itself: no ready-made list to pass
        hint = _hint(model, manager, method, keyword, values)
        self.report(node, message, hint=hint)


def _refetches_a_row(node: cst.Call, loop: _Loop) -> bool:
    """`Model.objects.get(pk=child.pk)` for the loop's own `child`: a fresh copy of a row the
    loop holds (its tree fields moved by an earlier iteration), wanted one at a time."""
    arguments = list(node.args)
    inner = node.func.value if isinstance(node.func, cst.Attribute) else None
    while isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute):
        arguments.extend(inner.args)
        inner = inner.func.value
    for arg in arguments:
        value = arg.value
        if (
            arg.keyword is not None
            and arg.keyword.value in ("pk", "id")
            and isinstance(value, cst.Attribute)
            and value.attr.value in ("pk", "id")
            and isinstance(value.value, cst.Name)
            and value.value.value in loop.rows
        ):
            return True
    return False


def _iterable(loop: cst.CSTNode) -> cst.BaseExpression:
    iterable = getattr(loop, "iter", None)
    return iterable if iterable is not None else loop.for_in.iter  # type: ignore[attr-defined]


def _hint(model: str, manager: str, method: str, keyword: str | None, values: str) -> str:
    rows = plural_snake(model)
    if keyword is None:
        return (
            f"Fetch the rows for every item once before the loop ({manager}.filter(<field>__in=...) "
            f"or a Prefetch) and look each one up in a dict."
        )
    field_name = "pk" if keyword in ("pk", "id") else keyword
    if method == "exists":
        return (
            f"Fetch the matching values once before the loop: found = set({manager}.filter("
            f'{field_name}__in={values}).values_list("{field_name}", flat=True)) and test membership in the set.'
        )
    if method == "count":
        return (
            f"Count them in one query before the loop: {manager}.filter({field_name}__in={values})"
            f'.values("{field_name}").annotate(n=Count("pk")), and look each count up in a dict.'
        )
    if field_name == "pk" and method == "get":
        return (
            f"Fetch them once before the loop: {rows} = {manager}.in_bulk({values}) (or "
            f"{manager}.filter(pk__in={values})) and look each one up in the dict."
        )
    return (
        f"Fetch them once before the loop with {manager}.filter({field_name}__in={values}) and group "
        f"the rows by {field_name} in a dict."
    )


def _single_keyword(args) -> tuple[str | None, str | None]:
    """The one lookup keyword of a query (`pk=x` -> "pk", `author__name=x` -> "author__name")
    and the name its value is, if a plain name; (None, None) when there is not exactly one."""
    keywords = [a for a in args if a.keyword is not None]
    if len(keywords) != 1 or len(keywords) != len(args):
        return None, None
    value = keywords[0].value
    return keywords[0].keyword.value, value.value if isinstance(value, cst.Name) else None


def _target(loop: cst.CSTNode) -> str | None:
    """The loop variable when the loop has one plain name as target."""
    target = getattr(loop, "target", None)
    if target is None and getattr(loop, "for_in", None) is not None and loop.for_in.inner_for_in is None:  # type: ignore[attr-defined]
        target = loop.for_in.target  # type: ignore[attr-defined]
    return target.value if isinstance(target, cst.Name) else None


def _names(node: cst.CSTNode) -> set[str]:
    """Every plain name in an expression (a target, a value), not attribute names."""
    found, stack = set(), [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif not isinstance(current, (cst.Lambda, cst.FunctionDef)):
            stack.extend(children(current))
    return found


def _bounded(iterable: cst.BaseExpression) -> bool:
    """A literal collection, or range() of a few literal steps: the code shows it runs few times."""
    if isinstance(iterable, (cst.Tuple, cst.List, cst.Set)):
        return True
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "range":
        bounds = [_integer(a.value) for a in iterable.args]
        if None in bounds or not bounds:
            return False
        if len(bounds) == 1:
            return bounds[0] <= _FEW  # type: ignore[operator]
        return bounds[1] - bounds[0] <= _FEW  # type: ignore[operator]
    return False


def _integer(node: cst.BaseExpression) -> int | None:
    return int(node.value, 0) if isinstance(node, cst.Integer) else None


def _stops_after(loop: cst.CSTNode, call: cst.Call) -> bool:
    """Does the loop stop once the query has run: a `break`/`return` after the query anywhere
    in the body (a search or retry loop), or a `raise` right after it in its block?"""
    body = getattr(loop, "body", None)
    if not isinstance(body, cst.IndentedBlock):
        return False  # comprehensions run every element
    seen, line = False, None
    for statement, block in _statements(body):
        if contains(statement, call):
            seen = True
            if isinstance(statement, cst.SimpleStatementLine):
                line = (statement, block)
                if any(isinstance(s, cst.Return) for s in statement.body):
                    return True
            continue
        if not seen or not isinstance(statement, cst.SimpleStatementLine):
            continue
        if any(isinstance(s, (cst.Break, cst.Return)) for s in statement.body):
            return True
        if (
            line is not None
            and block is line[1]
            and any(isinstance(s, cst.Raise) for s in statement.body)
            and block.body.index(statement) == block.body.index(line[0]) + 1
        ):
            return True
    return False


def _statements(block: cst.IndentedBlock):
    """Statements of a loop body in order, each with its block, compound ones before their
    own bodies; not descending into nested loops, functions or classes."""
    for statement in block.body:
        yield statement, block
        if isinstance(statement, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef)):
            continue
        for child in children(statement):
            inner = child if isinstance(child, cst.IndentedBlock) else getattr(child, "body", None)
            if isinstance(inner, cst.IndentedBlock):
                yield from _statements(inner)
