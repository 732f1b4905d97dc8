"""DJR103's prefilter: does a file hold a test or a `len()` of something that may be a queryset?

Nearly every file has an ``if``, and most name a model, but DJR103 reports only where the flow
tracker (flow.py) types the tested expression as a queryset. `TruthCandidates` gathers, from
the stdlib walk (every function, loopless ones included), the expressions the rule would ask
about, in the shapes it asks about them:

- ``len(E)``, ``bool(E)``, ``if E``/``while E``/``x if E else y`` (through ``not``/``and``/``or``):
  E must be a queryset, and a name E must be used nowhere else in its function;
- ``E.count()`` as such a test or compared with 0 or 1: E must be a queryset or a related
  manager;

and every binding of a name (assignments, loop targets, annotated parameters, methods'
first parameters). `Candidates.may_report` then follows the tracker's rules backwards on
sets of kinds (a model class, a queryset, a row, a related manager, the view itself, a
ModelForm), name by name over the whole file, ignoring order and scopes: a name may hold
whatever any of its bindings may. What only the index knows (a name that is a model, a
ModelForm or a function returning a queryset; a custom queryset method) is asked in one
question, `flow_values`. Every step over-approximates the tracker: a file ruled out cannot
get a finding.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from djreview import orm
from djreview.index.nodes import all_nodes, child_nodes, lines_of, node_fields
from djreview.index.prefilter import Collector, Walked, dotted_names

# The kinds of values the flow tracker infers (values.py), as bits.
MODEL = 1  # ModelClass
QS = 2  # Queryset
ROW = 4  # Instance
MANAGER = 8  # RelatedManager
SELF = 16  # SelfRef
FORM = 32  # FormInstance
ALL = MODEL | QS | ROW | MANAGER | SELF | FORM

_LIST_BUILDERS = frozenset({"list", "sorted", "tuple", "set", "reversed", "frozenset"})  # the rule's _is_list
_LIST_LIKE = frozenset({"list", "sorted", "tuple", "reversed", "set"})  # flow's: they keep the queryset
_ROW_CONTAINERS = frozenset(
    {"QuerySet", "list", "List", "Iterable", "Iterator", "Sequence", "Collection", "tuple", "Tuple", "set", "Set"}
)
# Queryset methods the tracker knows to give a queryset (flow._queryset_method), and a row.
_QUERYSET_METHODS = orm.QUERYSET_RETURNING | {
    "select_related",
    "prefetch_related",
    "none",
    "select_for_update",
    "iterator",
    "only",
    "defer",
    "filter",
    "exclude",
    "values",
    "values_list",
    "page",
    "get_page",
}
_RELATED_METHODS = orm.QUERYSET_RETURNING | {"values", "values_list"}
_VIEW_METHODS = ("get_queryset", "filter_queryset", "paginate_queryset")
# `<count> <op> n` pairs the rule reports, with the number on the right (rule's _SOME/_NONE).
_COUNT_TESTS = {
    (ast.Gt, 0),
    (ast.NotEq, 0),
    (ast.GtE, 1),
    (ast.Eq, 0),
    (ast.Lt, 1),
    (ast.LtE, 0),
}
_FLIPPED = {ast.Gt: ast.Lt, ast.Lt: ast.Gt, ast.GtE: ast.LtE, ast.LtE: ast.GtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
_NOT_EVALUATING = orm.QUERYSET_RETURNING | {"count", "exists", "values", "values_list"}  # the rule's
_VIEW = "<view>"  # pseudo-names: what a view's get_queryset() gives, and its `queryset`/`model`
_CLASS = "<class>"

# ("value", expr) | ("row", iterable) | ("annotation", expr) | ("kinds", bits) | ("name", name) |
# ("rows of", name): a queryset when the name may be a model
Source = tuple[str, object]


class TruthCandidates(Collector):
    whole_tree = True

    def __init__(self) -> None:
        # (expression, its function): must be a queryset, and a name used once in the function
        self.tested: list[tuple[ast.expr, ast.FunctionDef | ast.AsyncFunctionDef | None]] = []
        self.counted: list[ast.expr] = []  # receivers of count(): a queryset or a related manager
        self.bindings: dict[str, list[Source]] = {}
        # a view's `queryset`, else its `model`'s rows (flow._class_queryset)
        self.bindings[_CLASS] = [("name", "queryset"), ("rows of", "model")]
        self._function_now: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        self._unread: tuple[ast.Module, list[str]] | None = None

    def scan(self) -> None:
        """Read the tree given to `visit_tree`, once, when DJR103 asks (the walk runs for
        whichever rule asks first, on files DJR103 may never ask about): every node but those
        of a function (at the top of the module or of a class) whose text has no word a
        candidate needs. The names a function binds are its own (the flow tracker resolves
        them lexically), except what a get_queryset() returns, which is always read."""
        if self._unread is not None:
            tree, lines = self._unread
            self._unread = None
            self._scan(tree.body, None, "module", lines)

    def _bind(self, name: str, source: Source) -> None:
        self.bindings.setdefault(name, []).append(source)

    def visit_tree(self, tree: ast.Module, lines: list[str]) -> None:
        """Kept for `scan`."""
        self._unread = (tree, lines)

    def _scan(
        self,
        nodes: list,
        function: ast.FunctionDef | ast.AsyncFunctionDef | None,
        scope: str,
        lines: list[str],
    ) -> None:
        """`nodes` and what they hold, in `function` (the rule's scope) and `scope` (the
        tracker's: "module", "class" or "function"); a nested scope is scanned by a call."""
        stack = list(nodes)
        while stack:
            node = stack.pop()
            kind = type(node)
            if kind in _LEAVES:
                continue
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                if function is None and node.name != "get_queryset" and not _has_candidate_words(node, lines):
                    continue
                self._function(node, method=scope == "class")
                self._scan(child_nodes(node), node, "function", lines)
                continue
            if kind is ast.Lambda:
                self._function(node, method=False)
                self._scan(child_nodes(node), function, "function", lines)
                continue
            if kind is ast.ClassDef:
                stack.extend((*node.decorator_list, *node.bases, *node.keywords))
                self._scan(node.body, function, "class", lines)
                continue
            if kind in _SEEN:
                self._function_now = function
                self._visit(node, kind, scope)
            for name in node_fields(kind):
                value = getattr(node, name, None)
                if type(value) is list:
                    stack.extend(v for v in value if isinstance(v, ast.AST))  # `global a, b` holds names
                elif isinstance(value, ast.AST):
                    stack.append(value)  # not `case True:`'s True

    def _visit(self, node: ast.AST, kind: type, scope: str) -> None:
        if kind is ast.Call:
            self._call(node)  # type: ignore[arg-type]
        elif kind is ast.If or kind is ast.While or kind is ast.IfExp:
            self._test(node.test)  # type: ignore[attr-defined]
        elif kind is ast.Compare:
            self._compare(node)  # type: ignore[arg-type]
        elif kind is ast.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                if type(target) is ast.Name:
                    self._bind(target.id, ("value", node.value))  # type: ignore[attr-defined]
        elif kind is ast.AnnAssign or kind is ast.NamedExpr:
            target = node.target  # type: ignore[attr-defined]
            if type(target) is ast.Name and node.value is not None:  # type: ignore[attr-defined]
                self._bind(target.id, ("value", node.value))  # type: ignore[attr-defined]
        elif kind is ast.For or kind is ast.AsyncFor or kind is ast.comprehension:
            for name in all_nodes(node.target):  # type: ignore[attr-defined]
                if type(name) is ast.Name:
                    self._bind(name.id, ("row", node.iter))  # type: ignore[attr-defined]
        elif kind is ast.ImportFrom and scope != "module":  # the tracker binds a model it names
            for alias in node.names:  # type: ignore[attr-defined]
                self._bind((alias.asname or alias.name).split(".")[0], ("kinds", MODEL))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, method: bool) -> None:
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            if arg.annotation is not None:
                self._bind(arg.arg, ("annotation", arg.annotation))
        if isinstance(node, ast.Lambda):
            return
        if method and every:  # `self` (whatever its name, and even in a staticmethod)
            self._bind(every[0].arg, ("kinds", SELF))
        if node.name == "get_queryset":  # what a view's get_queryset() returns
            for inner in all_nodes(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    self._bind(_VIEW, ("value", inner.value))

    # -- the rule's candidates ---------------------------------------------------------------
    def _call(self, node: ast.Call) -> None:
        func = node.func
        if type(func) is not ast.Name or func.id not in ("len", "bool"):
            return
        if len(node.args) + len(node.keywords) != 1:
            return
        if node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Starred):
                return
        elif node.keywords[0].arg is None:
            return
        else:
            arg = node.keywords[0].value
        if func.id == "len":
            self._queryset(arg)
        else:
            self._truth(arg)

    def _test(self, test: ast.expr) -> None:
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = test.operand
        if isinstance(test, ast.BoolOp):
            for value in test.values:
                self._test(value)
            return
        self._truth(test)

    def _truth(self, expr: ast.expr) -> None:
        receiver = _counted(expr)
        if receiver is not None:
            self.counted.append(receiver)
        self._queryset(expr)

    def _queryset(self, expr: ast.expr) -> None:
        kind = type(expr)
        if kind is ast.Call:
            func = expr.func  # type: ignore[attr-defined]
            if type(func) is ast.Name and func.id in _LIST_BUILDERS:
                return
            if type(func) is ast.Attribute and func.attr in ("page", "get_page", "iterator"):
                return
        elif kind is not ast.Name and kind is not ast.Attribute and kind is not ast.Subscript:
            return
        self.tested.append((expr, self._function_now))

    def _compare(self, node: ast.Compare) -> None:
        if len(node.ops) != 1:
            return
        op, left, right = type(node.ops[0]), node.left, node.comparators[0]
        if _integer(left) is not None and _integer(right) is None:
            left, right, op = right, left, _FLIPPED.get(op, ast.Is)
        number = _integer(right)
        if number is None or (op, number) not in _COUNT_TESTS:
            return
        receiver = _counted(left)
        if receiver is not None:
            self.counted.append(receiver)

    def result(self, walked: Walked) -> Candidates:
        return Candidates(self, walked.qualify)


_SEEN = frozenset(
    {
        ast.Call,
        ast.If,
        ast.While,
        ast.IfExp,
        ast.Compare,
        ast.Assign,
        ast.AnnAssign,
        ast.NamedExpr,
        ast.For,
        ast.AsyncFor,
        ast.comprehension,
        ast.ImportFrom,
    }
)
_LEAVES = frozenset(
    {ast.Name, ast.Constant, ast.Import, ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue, type(None)}
)
_CANDIDATE_WORDS = re.compile(r"\b(?:len|bool|if|while|count)\b")


def _has_candidate_words(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    return any(_CANDIDATE_WORDS.search(line) for line in lines_of(node, lines))


def _integer(node: ast.expr) -> int | None:
    if type(node) is ast.Constant and type(node.value) is int:  # type: ignore[attr-defined]
        return node.value  # type: ignore[attr-defined]
    return None


def _counted(expr: ast.expr) -> ast.expr | None:
    """The receiver of `<receiver>.count()`, else None."""
    if (
        type(expr) is ast.Call
        and not expr.args  # type: ignore[attr-defined]
        and not expr.keywords  # type: ignore[attr-defined]
        and type(expr.func) is ast.Attribute  # type: ignore[attr-defined]
        and expr.func.attr == "count"  # type: ignore[attr-defined]
    ):
        return expr.func.value  # type: ignore[attr-defined]
    return None


class Candidates:
    """What `TruthCandidates` found in one file, to be judged with the index."""

    def __init__(self, found: TruthCandidates, qualify: Callable[[str], str]):
        self.found = found
        self.qualify = qualify
        self._answers: dict[str, str] | None = None  # None: gathering the references to ask about
        self.refs: set[str] = set()
        self.env: dict[str, int] = {}
        self.needed: set[str] = set()
        self._uses: dict[int, dict[str, int]] = {}

    def may_report(self, index) -> bool:
        """Can one of the candidates be what the rule reports, as far as the tracker can know?"""
        self.found.scan()
        if not self.found.tested and not self.found.counted:
            return False
        self._solve()  # every reference standing for anything: which ones matter
        refs = sorted(self.refs)
        self._answers = dict(index.flow_values(" ".join(r for r in refs if r.split() == [r]))) if refs else {}
        for ref in refs:
            if ref.split() != [ref]:  # cannot be asked in a space-separated list: anything
                self._answers[ref] = "mfsq"
        self.env, self.needed = {}, set()
        return self._solve()

    # -- the fixed point ---------------------------------------------------------------------
    def _solve(self) -> bool:
        """Kinds of the names the candidates depend on, until nothing changes; whether a
        candidate may be reported. While gathering, every name may be anything, and each
        name's bindings are looked at once."""
        if self._answers is None:
            self._any_candidate()
            done: set[str] = set()
            while self.needed - done:
                for name in self.needed - done:
                    done.add(name)
                    for source in self.found.bindings.get(name, ()):
                        self._source(source)
            return True
        while True:
            if self._any_candidate():
                return True  # names only gain kinds: it stays true
            needed = len(self.needed)
            changed = False
            for name in list(self.needed):
                bits = self.env.get(name, 0)
                for source in self.found.bindings.get(name, ()):
                    bits |= self._source(source)
                if bits != self.env.get(name, 0):
                    self.env[name] = bits
                    changed = True
            if not changed and len(self.needed) == needed:
                return False  # no name gained a kind, and no other name is asked about

    def _any_candidate(self) -> bool:
        hit = False
        for expr in self.found.counted:
            if self.kinds(expr) & (QS | MANAGER):
                hit = True
        gathering = self._answers is None
        for expr, function in self.found.tested:
            if self.kinds(expr) & QS and (
                gathering or not isinstance(expr, ast.Name) or self._used_once(expr, function)
            ):
                hit = True
        return hit

    def _ask(self, ref: str, letter: str) -> bool:
        if self._answers is None:
            self.refs.add(ref)
            return True
        if ref not in self.refs:
            return True  # not gathered (never expected): anything
        return letter in self._answers.get(ref, "")

    def _name(self, name: str) -> int:
        self.needed.add(name)
        if self._answers is None:
            return ALL
        return self.env.get(name, 0)

    def _source(self, source: Source) -> int:
        kind, what = source
        if kind == "kinds":
            return what  # type: ignore[return-value]
        if kind == "value":
            return self.kinds(what)  # type: ignore[arg-type]
        if kind == "name":
            return self._name(what)  # type: ignore[arg-type]
        if kind == "rows of":
            return QS if self._name(what) & MODEL else 0  # type: ignore[arg-type]
        if kind == "row":
            rows = self.kinds(what)  # type: ignore[arg-type]
            if isinstance(what, ast.Call) and isinstance(what.func, ast.Name) and what.func.id == "enumerate":
                rows |= self.kinds(what.args[0]) if what.args else 0
            return ROW if rows & QS else 0
        return self._annotation(what)  # type: ignore[arg-type]

    def _ref(self, node: ast.AST) -> str | None:
        parts = dotted_names(node)
        return ".".join([self.qualify(parts[0]), *parts[1:]]) if parts else None

    def _annotation(self, node: ast.expr) -> int:
        """flow._annotated: `Book` a row, `QuerySet[Book]`/`list[Book]`... rows, a ModelForm."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                node = ast.parse(node.value.strip(), mode="eval").body
            except (SyntaxError, ValueError):
                return QS | ROW | FORM
        if isinstance(node, ast.Subscript):
            container = (dotted_names(node.value) or [""])[-1]
            element = node.slice
            if container not in _ROW_CONTAINERS or isinstance(element, (ast.Tuple, ast.Slice)):
                return 0
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                if not element.value.isidentifier():
                    return 0
                element = ast.Name(element.value)
            ref = self._ref(element)
            return QS if ref is not None and self._ask(ref, "m") else 0
        ref = self._ref(node)
        if ref is None:
            return 0
        return (ROW if self._ask(ref, "m") else 0) | (FORM if self._ask(ref, "f") else 0)

    # -- what an expression may be ------------------------------------------------------------
    def kinds(self, node: ast.AST) -> int:
        kind = type(node)
        if kind is ast.Name:
            name = node.id  # type: ignore[attr-defined]
            return self._name(name) | (MODEL if self._ask(self.qualify(name), "m") else 0)
        if kind is ast.Attribute:
            return self._attribute(node)  # type: ignore[arg-type]
        if kind is ast.Call:
            return self._call(node)  # type: ignore[arg-type]
        if kind is ast.Subscript:
            return QS | ROW if self.kinds(node.value) & QS else 0  # type: ignore[attr-defined]
        return 0

    def _attribute(self, node: ast.Attribute) -> int:
        base, attr, out = self.kinds(node.value), node.attr, 0
        if base & MODEL:
            out |= QS  # a manager
        if base & ROW:
            out |= ROW | MANAGER  # a relation
        if base & FORM and attr == "instance":
            out |= ROW
        if base & QS and attr == "object_list":
            out |= QS
        if base & SELF:
            if attr == "queryset":
                out |= self._name(_CLASS)
            elif attr == "object_list":
                out |= self._name(_VIEW) | self._name(_CLASS)
            elif attr == "object":
                out |= ROW
            elif attr == "model":
                out |= self._name("model")
        return out

    def _call(self, node: ast.Call) -> int:
        func, out = node.func, 0
        first = [*node.args[:1], *(k.value for k in node.keywords[:1])]  # whichever comes first
        if isinstance(func, ast.Attribute):
            method, owner = func.attr, func.value
            if (
                method == "get_queryset"
                and isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "super"
            ):
                out |= self._name(_CLASS)
            base = self.kinds(owner)
            if base & QS:
                if method in _QUERYSET_METHODS:
                    out |= QS
                elif method in orm.INSTANCE_RETURNING:
                    out |= ROW
                elif self._ask(f"#{method}", "q"):
                    out |= QS
            if base & MANAGER and method in _RELATED_METHODS:
                out |= QS
            if base & FORM and method == "save":
                out |= ROW
            if base & SELF and method in _VIEW_METHODS:
                out |= self._name(_VIEW) | self._name(_CLASS)
                if method != "get_queryset":
                    for arg in first:
                        out |= self.kinds(arg)
            if isinstance(owner, ast.Name) and self._ask(f"{self.qualify(owner.id)}.{method}", "s"):
                out |= QS  # selectors.published_books()
            return out
        if not isinstance(func, ast.Name):
            return 0
        name = func.id
        qual = self.qualify(name)
        firsts = 0
        for arg in first:
            firsts |= self.kinds(arg)
        if name in _LIST_LIKE:
            out |= firsts & QS
        if self.kinds(func) & MODEL:
            out |= ROW  # Book(...)
        if self._ask(qual, "f"):
            out |= FORM
        if qual.rsplit(".", 1)[-1] == "Paginator":
            out |= firsts & QS
        if qual.endswith(("get_object_or_404", "aget_object_or_404")) and firsts & (MODEL | QS):
            out |= ROW
        if qual.endswith("get_list_or_404") and firsts & (MODEL | QS):
            out |= QS
        if self._ask(qual, "s"):
            out |= QS
        return out

    # -- a name the rule reports only when its function uses it nowhere else -----------------
    def _used_once(self, name: ast.Name, function: ast.FunctionDef | ast.AsyncFunctionDef | None) -> bool:
        """Could `name` be its function's only use of it (the rule's _Scope.uses)? Counted low:
        loads only, not the receivers of filter()/count()..., nor the targets of an assignment
        to a name (the rule counts every Name node but those). At module level: maybe."""
        if function is None:
            return True
        key = id(function)
        if key not in self._uses:
            self._uses[key] = _loads(function.body)
        return self._uses[key].get(name.id, 0) < 2


def _loads(body: list[ast.stmt]) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                counts[node.id] = counts.get(node.id, 0) + 1  # type: ignore[attr-defined]
            continue
        if kind is ast.Attribute and type(node.value) is ast.Name and node.attr in _NOT_EVALUATING:  # type: ignore[attr-defined]
            continue
        if kind is ast.Assign and any(type(t) is ast.Name for t in node.targets):  # type: ignore[attr-defined]
            stack.append(node.value)  # type: ignore[attr-defined]
            continue
        if kind is ast.AnnAssign and type(node.target) is ast.Name:  # type: ignore[attr-defined]
            if node.value is not None:  # type: ignore[attr-defined]
                stack.append(node.value)  # type: ignore[attr-defined]
            continue
        stack.extend(child_nodes(node))
    return counts
