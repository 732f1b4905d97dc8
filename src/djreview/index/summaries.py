"""Function summaries: which attribute chains of its parameters a function reads.

A helper called once per row (`format_line(line)`), a model method (`line.get_title()`) or a
property (`line.title`) may read a relation of its argument or of `self`; DJR101 follows the
call with these summaries. They are extracted per file from the stdlib tree, with no model
knowledge (a chain is attribute names: `("product", "parent", "title")`), and resolved against
the models by the index (`ProjectIndex.reads_of`), where the relations become known.

A chain element ending in "()" is a method call on what precedes it (`("tags", "count()")`).
A lazy queryset call (`obj.tags.all()`, `.filter()`) counts only where its result is iterated,
indexed, tested or passed to a call in the function: built and returned, it runs no query here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from djreview.index.nodes import all_nodes, child_nodes
from djreview.orm import QUERYSET_RETURNING

_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
# Queryset methods that run their query where they are called (DJR106's).
_RUNNING = frozenset({"get", "first", "last", "exists", "count", "earliest", "latest"})
# Builtins that run a queryset passed to them.
_EVALUATING_BUILTINS = frozenset(
    {
        "list",
        "len",
        "tuple",
        "set",
        "frozenset",
        "sorted",
        "sum",
        "any",
        "all",
        "bool",
        "max",
        "min",
        "dict",
        "enumerate",
    }
)
_CACHE_READS = frozenset({"get", "get_many", "get_or_set"})
_LAZY = QUERYSET_RETURNING | {"values", "values_list"}  # build a queryset, run nothing
# Calls that make a parameter an argument without reading it (`isinstance(obj, Book)`).
_NOT_A_READ = frozenset({"isinstance", "issubclass", "id", "type", "hasattr", "getattr", "setattr", "super"})
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.cmpop, ast.boolop, ast.unaryop)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
ELEMENT = "[]"  # a chain step: each element of an iterable parameter (`for row in rows`)
NULL_TEST = "?"  # a chain's last step: only tested against None (`if obj.parent is not None`)
_MAX_CHAINS = 64  # per parameter: a function reading more is not a per-row helper we can judge
# Writes a function's body makes (anywhere, branches included): a function whose job is a write
# per call (a removal, a cancellation, a role granted) is a unit of work, not a lookup to batch.
_ROW_WRITES = frozenset({"save", "delete"})  # with no positional argument: not image.save(fp)
_MANAGER_WRITES = frozenset({"create", "get_or_create", "update_or_create"})  # keywords only
_BATCH_WRITES = frozenset({"bulk_create", "bulk_update"})
_QUERYSET_STEPS = frozenset({"objects", "filter()", "exclude()", "all()"})  # `qs.update()`, not dict.update


@dataclass
class CallOut:
    """A call that hands (an attribute chain of) a parameter to another function."""

    callee: str  # qualified ref ("app.utils.helper"), or "self.<name>" for a method of the class
    args: tuple[tuple[int | str, str, tuple[str, ...]], ...]  # (position or keyword, param, chain)
    line: int


@dataclass
class FunctionSummary:
    name: str
    line: int
    params: tuple[str, ...]  # positional parameters in order, `self` included for methods
    keyword_only: tuple[str, ...] = ()
    is_method: bool = False  # the first parameter is the instance (not a static/class method)
    is_property: bool = False
    reads: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # param -> chains
    calls: tuple[CallOut, ...] = ()
    # param -> queries the body always runs with a lookup on it: (model ref, written form),
    # e.g. ("app.models.Book", "Book.objects.get()") for `Book.objects.get(pk=book_id)`
    queries: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    writes: bool = False  # the body saves, deletes, creates or updates rows (_is_write)
    in_thread: bool = False  # `@sync_to_async`, channels' `@database_sync_to_async`: awaited, runs in a thread


def _is_write(node: ast.Call, querysets: set[str]) -> bool:
    """`row.save()`, `row.delete()`, `Book.objects.create(...)`, `row.items.create(...)`,
    `Book.objects.filter(...).update(...)` or `qs.update(...)` of a name the function built
    from a queryset (`querysets`), `bulk_create(...)`: a call that writes rows."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    name = func.attr
    if name in _BATCH_WRITES:
        return True
    if name in _ROW_WRITES or name in _MANAGER_WRITES:
        return not node.args
    if name == "update":
        root, parts, _ = _unwind(func.value)
        return bool(_QUERYSET_STEPS.intersection(parts)) or (isinstance(root, ast.Name) and root.id in querysets)
    return False


# Decorators that make a function awaitable and run its body in a worker thread.
_THREAD_DECORATORS = frozenset({"sync_to_async", "database_sync_to_async"})


def _decorator_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for dec in func.decorator_list:
        node = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Name):
            names.add(node.id)
    return names


def _unwind(node: ast.expr) -> tuple[ast.expr, list[str], list[ast.Call]]:
    """`obj.tags.filter(x=1).count()` -> (obj, ["tags", "filter()", "count()"], its calls)."""
    parts: list[str] = []
    calls: list[ast.Call] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            parts.append(node.func.attr + "()")
            calls.append(node)
            node = node.func.value
        else:
            break
    parts.reverse()
    return node, parts, calls


class _Reader:
    """One walk of a function body, collecting chains rooted at its parameters."""

    def __init__(self, params: set[str], resolve):
        self.params = params
        self.resolve = resolve  # module-level name -> qualified ref
        self.reads: dict[str, set[tuple[str, ...]]] = {}
        self.calls: list[CallOut] = []
        self.rebound: set[str] = set()
        self.elements: dict[str, str] = {}  # `for row in rows:` -> row: rows (a parameter)
        self.element_level: dict[str, int] = {}  # the branching level of that loop's body
        self.queries: dict[str, set[tuple[str, str]]] = {}
        self.branching = 0  # inside an if/loop/except/conditional expression: may not run
        self.left = False  # a conditional return or raise came before: what follows may not run
        self.cached = False  # reads Django's cache: its queries run on a miss, not per call
        self.writes = False
        self.querysets: set[str] = set()  # local names bound to a queryset chain (`qs = x.filter()`)

    def rooted(self, root: ast.AST, parts: list[str]) -> tuple[str, list[str]] | None:
        """The parameter a chain starts from, and the chain; a loop variable over a parameter
        reads its elements: `row.author` in `for row in rows` is `rows` -> ["[]", "author"]."""
        if not isinstance(root, ast.Name):
            return None
        if root.id in self.elements:
            return self.elements[root.id], [ELEMENT, *parts]
        return (root.id, parts) if root.id in self.params else None

    def always(self, root: ast.AST) -> bool:
        """Does code here run on every call (for a loop variable over a parameter: on every
        iteration)? Reads under an `if`, an `except`, after a conditional `return`, or in
        one arm of `and`/`or`/`x if c else y` may never run (reviewers judged 7 of 18 false
        alarms to be such reads, dead for the arguments the loop passes)."""
        if self.left:
            return False
        if isinstance(root, ast.Name) and root.id in self.element_level:
            return self.branching == self.element_level[root.id]
        return self.branching == 0

    def chain(self, node: ast.expr, evaluated: bool, tested: bool = False) -> None:
        root, parts, calls = _unwind(node)
        if tested and parts and not parts[-1].endswith("()"):
            parts = [*parts, NULL_TEST]  # `if obj.parent is not None:`, `if obj.parent:`
        for call in calls:
            self.arguments(call)
        if not isinstance(root, ast.Name):  # helper(obj).x, (a or b).x: read what it is made of
            self.expr(root, evaluated=True)
        found = self.rooted(root, parts) if parts else None
        if found is None or not self.always(root):
            return
        param, parts = found
        if not evaluated:  # obj.tags.all() built and handed back: no query here
            while parts and parts[-1].endswith("()") and parts[-1][:-2] in _LAZY:
                parts.pop()
        if parts and parts != [ELEMENT]:
            self.reads.setdefault(param, set()).add(tuple(parts))

    def over_parameter(self, target: ast.AST, iterable: ast.AST) -> str | None:
        """`for row in rows` over a parameter: the loop variable, which then reads elements."""
        if (
            isinstance(target, ast.Name)
            and isinstance(iterable, ast.Name)
            and iterable.id in self.params
            and target.id not in self.params
        ):
            self.elements[target.id] = iterable.id
            self.element_level[target.id] = self.branching + 1  # its body, one level in
            return target.id
        return None

    def arguments(self, call: ast.Call) -> None:
        # list(obj.tags.all()) runs the query; filter(pk__in=obj.tags.values_list("pk")) or
        # helper(obj.tags.all()) hands on a lazy queryset (a subquery, or not run at all)
        evaluated = isinstance(call.func, ast.Name) and call.func.id in _EVALUATING_BUILTINS
        for arg in call.args:
            self.expr(arg.value if isinstance(arg, ast.Starred) else arg, evaluated=evaluated)
        for kw in call.keywords:
            self.expr(kw.value)

    def query(self, node: ast.Call) -> None:
        """`Book.objects.filter(isbn=isbn).first()` run on every call: a query per call."""
        if self.branching or self.left or node.func.attr not in _RUNNING:  # type: ignore[attr-defined]
            return  # a query that may not run on every call
        root, parts, calls = _unwind(node)
        if not isinstance(root, ast.Name) or root.id in self.params or root.id in self.elements or len(parts) < 2:
            return
        if any(p.removesuffix("()") in ("select_for_update", "using") for p in parts):
            return
        ref = self.resolve(root.id, None)
        keywords = [kw for call in calls for kw in call.keywords]
        if ref is None or any((kw.arg or "").endswith("__in") for kw in keywords):
            return
        written = ".".join([root.id, *parts])
        for kw in keywords:
            lookup_root, lookup_parts, lookup_calls = _unwind(kw.value)
            found = self.rooted(lookup_root, lookup_parts) if not lookup_calls else None
            if found is not None and found[1][:1] != [ELEMENT]:
                self.queries.setdefault(found[0], set()).add((ref, written))

    def call(self, node: ast.Call, evaluated: bool) -> None:
        func = node.func
        self.writes = self.writes or _is_write(node, self.querysets)
        if isinstance(func, ast.Attribute) and func.attr in _CACHE_READS:
            holder = func.value.attr if isinstance(func.value, ast.Attribute) else getattr(func.value, "id", "")
            if holder.endswith("cache"):
                self.cached = True
        if isinstance(func, ast.Attribute):
            self.query(node)
            self.chain(node, evaluated)
            callee = None
            if isinstance(func.value, ast.Name) and func.value.id == "self":
                callee = f"self.{func.attr}"
            elif isinstance(func.value, ast.Name) and func.value.id not in self.params:
                callee = self.resolve(func.value.id, func.attr)
        else:
            self.expr(func, evaluated=False)
            self.arguments(node)
            callee = self.resolve(func.id, None) if isinstance(func, ast.Name) else None
            if isinstance(func, ast.Name) and func.id in _NOT_A_READ:
                callee = None
        if callee is None:
            return
        handed: list[tuple[int | str, str, tuple[str, ...]]] = []
        passed: list[tuple[int | str, ast.expr]] = [*enumerate(node.args)]
        passed += [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        for where, value in passed:
            root, parts, calls = _unwind(value)
            found = self.rooted(root, parts) if not calls and self.always(root) else None
            if found is not None:
                handed.append((where, found[0], tuple(found[1])))
        if handed:
            self.calls.append(CallOut(callee, tuple(handed), node.lineno))

    def expr(self, node: ast.AST | None, evaluated: bool = False) -> None:
        if node is None or isinstance(node, _LEAVES):
            return
        if isinstance(node, ast.stmt):
            self.statements([node])
            return
        if isinstance(node, ast.Call):
            self.call(node, evaluated)
            return
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
            and isinstance(node.left, ast.Attribute)
        ):
            self.chain(node.left, evaluated, tested=True)
            return
        if isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                self.chain(node, evaluated)
            else:  # obj.author = x writes the relation: the value is what is read
                root, parts, calls = _unwind(node.value)
                for call in calls:
                    self.arguments(call)
            return
        if isinstance(node, ast.Subscript):
            self.expr(node.value, evaluated=True)
            self.expr(node.slice)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            bound = []
            for comp in node.generators:  # the clauses first: they bind what the element reads
                self.expr(comp.iter, evaluated=True)
                bound.append(self.over_parameter(comp.target, comp.iter))
                if bound[-1]:
                    self.element_level[bound[-1]] = self.branching
                for cond in comp.ifs:
                    self.expr(cond, evaluated=True)
            for part in (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,):
                self.expr(part)
            for name in bound:
                self.elements.pop(name or "", None)
            return
        if isinstance(node, ast.BoolOp):
            self.expr(node.values[0], evaluated=True)
            self.branching += 1  # `a or b`: b may not be evaluated
            for value in node.values[1:]:
                self.expr(value, evaluated=True)
            self.branching -= 1
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.expr(node.operand, evaluated=True)
            return
        if isinstance(node, ast.IfExp):
            self.expr(node.test, evaluated=True)
            self.branching += 1
            self.expr(node.body)
            self.expr(node.orelse)
            self.branching -= 1
            return
        if isinstance(node, _FUNCTIONS):
            return  # a nested function runs when it is called, with parameters of its own
        for child in child_nodes(node):
            self.expr(child)

    def statements(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.For, ast.AsyncFor)):
                self.expr(stmt.iter, evaluated=True)
                self.rebinds(stmt.target)
                bound = self.over_parameter(stmt.target, stmt.iter)
                self.branching += 1
                self.statements(stmt.body)
                self.elements.pop(bound or "", None)
                self.statements(stmt.orelse)
                self.branching -= 1
            elif isinstance(stmt, (ast.If, ast.While)):
                if isinstance(stmt.test, ast.Attribute):  # `if obj.parent:`
                    self.chain(stmt.test, True, tested=True)
                else:
                    self.expr(stmt.test, evaluated=True)
                self.branching += 1
                self.statements(stmt.body)
                self.statements(stmt.orelse)
                self.branching -= 1
            elif isinstance(stmt, (ast.Return, ast.Raise)) and self.branching:
                for child in child_nodes(stmt):
                    self.expr(child)
                self.left = True
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self.statements(stmt.body)  # type: ignore[attr-defined]  # runs, its query too
                self.branching += 1  # handlers and `else` may not run
                for handler in stmt.handlers:  # type: ignore[attr-defined]
                    self.statements(handler.body)
                self.statements(stmt.orelse)  # type: ignore[attr-defined]
                self.branching -= 1
                self.statements(stmt.finalbody)  # type: ignore[attr-defined]
            elif isinstance(stmt, ast.Match):
                self.expr(stmt.subject, evaluated=True)
                self.branching += 1  # one case runs
                for case in stmt.cases:
                    self.statements(case.body)
                self.branching -= 1
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                self.expr(stmt.value)
                self.queryset_bound(stmt)
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for target in targets:
                    self.expr(target)
                    self.rebinds(target)
            elif isinstance(stmt, _FUNCTIONS):
                continue
            else:  # return, with, try, match, expressions: every child in order
                for child in child_nodes(stmt):
                    self.expr(child)

    def queryset_bound(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        """`qs = Book.objects.filter(...)`, `qs = qs.exclude(...)`: a name whose `.update()`
        writes rows (a dict's `.update()` does not)."""
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            return
        root, parts, _ = _unwind(stmt.value)
        chained = bool(parts) and parts[-1].endswith("()") and parts[-1][:-2] in QUERYSET_RETURNING
        if chained and (
            "objects" in parts
            or (isinstance(root, ast.Name) and root.id in self.querysets)
            or "filter()" in parts
            or "exclude()" in parts
        ):
            self.querysets.add(stmt.targets[0].id)
        else:
            self.querysets.discard(stmt.targets[0].id)

    def rebinds(self, target: ast.AST) -> None:
        """A parameter assigned in the body no longer holds the argument everywhere."""
        for node in all_nodes(target):
            if isinstance(node, ast.Name) and node.id in self.params:
                self.rebound.add(node.id)


def thread_wrappers(statements) -> frozenset[str]:
    """Module-level functions that return `sync_to_async(...)`/`database_sync_to_async(...)`:
    a decorator of the project's own (`def db_thread(*a, **k): return database_sync_to_async(*a, **k)`)."""
    found = set()
    for stmt in statements:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        returns = [n.value for n in all_nodes(stmt) if isinstance(n, ast.Return) and n.value is not None]
        if returns and all(isinstance(r, ast.Call) and _called(r.func) in _THREAD_DECORATORS for r in returns):
            found.add(stmt.name)
    return frozenset(found)


def _called(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def summarize(
    func: ast.FunctionDef | ast.AsyncFunctionDef,
    in_class: bool,
    resolve,
    thread_decorators: frozenset[str] = frozenset(),
) -> FunctionSummary | None:
    """The summary of one function, or None when no parameter is read or handed on.
    `resolve(name, attr)` gives the qualified ref of a module-level name (and attribute);
    `thread_decorators` are the module's own decorators that run it in a thread."""
    decorators = _decorator_names(func)
    args = func.args
    params = tuple(a.arg for a in (*args.posonlyargs, *args.args))
    named = set(params) | {a.arg for a in args.kwonlyargs}
    is_method = in_class and bool(params) and not decorators & {"staticmethod", "classmethod"}
    if in_class and "classmethod" in decorators and params:
        named.discard(params[0])  # cls: the class, not a row
    reader = _Reader(named, resolve)
    reader.statements(func.body)
    reads = {
        param: tuple(sorted(chains))
        for param, chains in reader.reads.items()
        if param not in reader.rebound and len(chains) <= _MAX_CHAINS
    }
    calls = tuple(
        CallOut(c.callee, tuple(a for a in c.args if a[1] not in reader.rebound), c.line)
        for c in reader.calls
        if any(a[1] not in reader.rebound for a in c.args)
    )
    queries = {param: tuple(sorted(found)) for param, found in reader.queries.items() if param not in reader.rebound}
    if reader.cached:  # `cache.get(key)` first: the reads serve a cache miss (4 of 18 false alarms)
        reads, calls, queries = {}, (), {}
    if not reads and not calls and not queries and not reader.writes:
        return None
    return FunctionSummary(
        name=func.name,
        line=func.lineno,
        params=params,
        keyword_only=tuple(a.arg for a in args.kwonlyargs),
        is_method=is_method,
        is_property=in_class and bool(decorators & _PROPERTY_DECORATORS),
        reads=reads,
        calls=calls,
        queries=queries,
        writes=reader.writes,
        in_thread=bool(decorators & (_THREAD_DECORATORS | thread_decorators)),
    )
