"""The query lookups a module writes on a known model, and the literal values it gives to
status-like names (for DJR105 filter-on-unindexed-field and DJR206 status-without-choices), and the models whose
rows a form lists in a select box (DJR105: a table a person picks from is small).

A lookup counts only where its model is certain: a chain that starts at `Model.<manager>`
(`Book.objects.filter(isbn=x).order_by("-published")`), or `get_object_or_404(Book, ...)`.
`Q()` objects count inside such a call; a lookup on a related manager or a queryset held in
a variable is left out (its model is not known here). Read from the stdlib tree, in one walk,
and only for files whose text can hold one (the walk is the cost).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name
from djreview.index.whole_reads import read_whole

_LOOKUP_METHODS = frozenset({"filter", "exclude", "get", "order_by"})
# Django's own queryset methods: any other call in a chain is the project's (it may filter).
QUERYSET_METHODS = frozenset(
    {
        "all",
        "none",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "values",
        "values_list",
        "distinct",
        "annotate",
        "alias",
        "using",
        "select_for_update",
        "reverse",
        "first",
        "last",
        "exists",
        "count",
        "iterator",
        "delete",
        "update",
        "in_bulk",
        "aggregate",
        "get_queryset",
        "earliest",
        "latest",
        "contains",
        "explain",
        "union",
        "intersection",
        "difference",
        "get_or_create",
        "update_or_create",
        "create",
    }
)
_SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# Calls whose keyword arguments give a field a value (DJR206's literal values).
_VALUE_METHODS = frozenset({"filter", "exclude", "get", "create", "get_or_create", "update_or_create", "update"})
STATUS_NAMES = frozenset({"status", "state", "kind", "type", "stage", "level"})
_STATUS_ASSIGN = re.compile(r"\.(?:status|state|kind|type|stage|level|\w+_status|\w+_state)\s*=\s*[\"'0-9]")
_MAX_VALUES = 20


def status_name(name: str) -> bool:
    """`status`, `state`, `kind`, `type`, `stage`, `level`, or a name ending `_status`/`_state`."""
    return name in STATUS_NAMES or name.endswith(("_status", "_state"))


@dataclass(frozen=True)
class Lookup:
    """One query on a model: its lookups (`author__name__iexact`, `-published` for
    order_by) with the line of each; the ones written together filter together."""

    model: str  # the model's reference as written, qualified through the imports
    keys: tuple[tuple[str, int], ...]


def wanted(text: str) -> bool:
    return "objects" in text or "_or_404" in text or _STATUS_ASSIGN.search(text) is not None


def _q_keys(
    node: ast.AST,
    line: int,
    out: list[tuple[str, int]],
    depth: int = 0,
    constants: frozenset[str] = frozenset(),
    alternative: str = "",
) -> None:
    """The keywords of `Q(...)`, `Q(a) | Q(b)`, `~Q(...)` (nested Q too). A keyword under an
    OR is marked "|": one branch of it does not narrow the rows the other branch finds."""
    if depth > 20:
        return
    if isinstance(node, ast.BinOp):
        either = "|" if isinstance(node.op, ast.BitOr) else alternative
        _q_keys(node.left, line, out, depth + 1, constants, either)
        _q_keys(node.right, line, out, depth + 1, constants, either)
    elif isinstance(node, ast.UnaryOp):
        _q_keys(node.operand, line, out, depth + 1, constants, alternative)
    elif isinstance(node, ast.Call) and called_name(node.func) == "Q":
        if any(k.arg is None for k in node.keywords):
            out.append(("<unknown>", line))
        out += [
            (alternative + _marked(k.arg, k.value, constants), k.value.lineno)
            for k in node.keywords
            if k.arg and _comparable(k.value)
        ]
        for arg in node.args:
            _q_keys(arg, line, out, depth + 1, constants, alternative)


def _call_keys(
    call: ast.Call, method: str, out: list[tuple[str, int]], skip: int = 0, constants: frozenset[str] = frozenset()
) -> None:
    if method == "order_by":
        # "^": it orders, it does not filter. Only the first key: an index on a later one
        # cannot give the order (`order_by("group__name", "name")` sorts by another table first)
        # and not a joined table's column: the rows come from this table, in that table's order
        first = call.args[0] if call.args else None
        if (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value != "?"
            and "__" not in first.value
        ):
            out.append((f"^{first.value.lstrip('-+')}", first.lineno))
        return
    if any(k.arg is None for k in call.keywords):
        out.append(("<unknown>", call.lineno))  # `**kwargs` may filter on an indexed column
    # "!": an `exclude()` keeps the rows that do not match (most of them): no index serves it
    negated = "!" if method == "exclude" else ""
    out += [
        (negated + _marked(k.arg, k.value, constants), k.value.lineno)
        for k in call.keywords
        if k.arg and k.arg != "defaults" and _comparable(k.value)
    ]
    for arg in call.args[skip:]:
        if _is_q(arg):
            _q_keys(arg, call.lineno, out, 0, constants)
        else:
            out.append(("<unknown>", call.lineno))  # `filter(conditions)`: a Q built elsewhere


def _is_q(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp):
        return _is_q(node.left) and _is_q(node.right)
    if isinstance(node, ast.UnaryOp):
        return _is_q(node.operand)
    return isinstance(node, ast.Call) and called_name(node.func) == "Q"


TRANSLATIONS = frozenset({"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ugettext", "ugettext_lazy"})


def _class_constants(nodes: Nodes) -> frozenset[str]:
    """Names a class body binds to a literal (`dname = "for_calculated_variables"`) and that
    no statement of the module assigns as an attribute (`self.dname = ...`): constants,
    whatever the case of their names."""
    bound: dict[str, int] = {}
    for cls in nodes.of(ast.ClassDef):
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        bound[target.id] = bound.get(target.id, 0) + 1
    if not bound:
        return frozenset()
    changed = {n.attr for n in nodes.of(ast.Attribute) if isinstance(n.ctx, ast.Store)}
    return frozenset(name for name, count in bound.items() if count == 1 and name not in changed)


def _marked(key: str, value: ast.AST, constants: frozenset[str] = frozenset()) -> str:
    """A lookup against a constant (`special_role="authenticated"`, `weight=0`, a translated
    name, a class constant) is marked "=": it finds a fixed row, the way code reads a lookup
    table."""
    if isinstance(value, ast.Constant) and value.value is None:
        return f"~{key}"  # IS NULL: no plain index finds it, but an index on a column beside it may
    constant = isinstance(value, ast.Constant) and not isinstance(value.value, bool)
    if isinstance(value, ast.Call) and called_name(value.func) in TRANSLATIONS:
        constant = True
    if isinstance(value, ast.Attribute) and (value.attr.isupper() or value.attr in constants):
        constant = True  # a class constant, `status=Tag.SUGGESTED`, `self.dname`: the literal it holds
    if isinstance(value, ast.Name) and value.id.isupper() and len(value.id) > 1:
        constant = True  # a module constant, `method=PAYPAL`
    if not constant and _past_cutoff(value):
        return f"@{key}"  # "@": a point in the past (a cutoff)
    return f"={key}" if constant else key


_CUTOFF_WORDS = ("cutoff", "ago", "threshold")


def _past_cutoff(value: ast.AST) -> bool:
    """`now() - timedelta(hours=1)`, or a name saying so (`cutoff`, `week_ago`): a point in
    the past, where `now()` alone may be a due time (`schedule_next_run__lt=now()`)."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Sub):
        return True
    name = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else ""
    return any(word in _CUTOFF_WORDS for word in name.lower().split("_"))  # `week_ago`, not `chicago`


def _comparable(value: ast.AST) -> bool:
    """A value an index can look up: not a comparison with another column (`F("a") + 1`);
    a value computed in Python is one (`url=name + "@" + provider`)."""
    parts = [value]
    while parts:
        part = parts.pop()
        if isinstance(part, ast.Call) and called_name(part.func) in ("F", "ExpressionWrapper"):
            return False
        if isinstance(part, ast.BinOp):
            parts += [part.left, part.right]
    return True


def _chain(node: ast.Call) -> tuple[list[ast.Call], ast.AST]:
    calls = []
    expr: ast.AST = node
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        calls.append(expr)
        expr = expr.func.value
    return calls, expr


def _model_root(root: ast.AST, ref: Callable[[ast.AST], str | None]) -> str | None:
    """`Book.objects` -> the reference of `Book` (an upper-case name: a class, not a variable)."""
    if not isinstance(root, ast.Attribute):
        return None
    owner = root.value
    name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    if not name[:1].isupper():
        return None
    return ref(owner)


# The key of a Lookup that is no query: the model's rows fill a form's select box.
LISTED = "<listed>"
_AUTOCOMPLETE = ("autocomplete", "select2", "search", "ajax", "remote", "rawid", "foreignkeyraw")


def _listed_model(call: ast.Call, ref: Callable[[ast.AST], str | None]) -> str | None:
    """`forms.ModelChoiceField(queryset=Tag.objects.all())`: a form offers every row of the
    model (or a slice picked by constants) in a select box, so the table is one a person
    picks from: a handful of rows. Not when the queryset filters on a variable (a user's own
    rows), goes through a project method, is a `none()` placeholder, or a widget fetches the
    choices as the user types (an autocomplete: any size); a module that assigns some
    `.queryset` (a form narrowing its choices in `__init__`) lists nothing (see lookup_facts)."""
    queryset = next((k.value for k in call.keywords if k.arg == "queryset"), None)
    if queryset is None and call.args:
        queryset = call.args[0]
    if not isinstance(queryset, ast.Call):
        return None
    for k in call.keywords:
        if k.arg == "widget" and any(word in ast.dump(k.value).lower() for word in _AUTOCOMPLETE):
            return None
    return _listed_chain(queryset, ref)


def _listed_chain(queryset: ast.Call, ref: Callable[[ast.AST], str | None]) -> str | None:
    """The model of a queryset that holds every row (or a slice picked by constants)."""
    calls, root = _chain(queryset)
    for link in calls:
        method = link.func.attr  # type: ignore[attr-defined]
        if method == "none" or (method not in QUERYSET_METHODS and method not in _LOOKUP_METHODS):
            return None  # `none()`: set later; a project method may narrow it to a user's rows
        if any(k.arg is None or not _constant(k.value) for k in link.keywords) or (method != "order_by" and link.args):
            return None  # narrowed by a variable: the box holds some rows of a table of any size
    return _model_root(root, ref)


def _constant(node: ast.AST) -> bool:
    """A literal, or a class constant (`ConditionalOffer.VOUCHER`)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_constant(e) for e in node.elts)
    return isinstance(node, ast.Attribute) and node.attr.isupper()


def _literal(node: ast.AST) -> str | int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
        return node.value
    return None


def lookup_facts(
    nodes: Nodes, ref: Callable[[ast.AST], str | None]
) -> tuple[tuple[Lookup, ...], dict[str, tuple[str | int, ...]]]:
    """The module's lookups on known models, and the literal values status-like names get
    (`obj.status = "paid"`, `filter(status="paid")`, `create(state=2)`)."""
    lookups: list[Lookup] = []
    values: dict[str, set[str | int]] = {}
    inner: set[int] = set()  # calls already read as part of an outer chain
    view_querysets = {  # `queryset = Model.objects...` in a class body
        id(stmt.value)
        for cls in nodes.tree.body  # type: ignore[attr-defined]
        if isinstance(cls, ast.ClassDef)
        for stmt in cls.body
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "queryset" for t in stmt.targets)
    }
    prefetched = {  # `Prefetch("books", queryset=qs)`: the names of querysets held for one
        arg.id
        for call in nodes.of(ast.Call)
        if called_name(call.func) == "Prefetch"
        for arg in [*call.args[1:], *(k.value for k in call.keywords if k.arg == "queryset")]
        if isinstance(arg, ast.Name)
    }
    narrowed = False
    held: dict[int, int] = {}  # a chain's outer call -> its Lookup's position
    constants = _class_constants(nodes)
    whole: frozenset[int] | None = None  # chains read whole (whole_reads), computed when needed
    for assign in nodes.of(ast.Assign):
        if any(isinstance(t, ast.Attribute) and t.attr == "queryset" for t in assign.targets):
            # a form's choices set in __init__: every row is a listing, a narrowed one is not
            listed = _listed_chain(assign.value, ref) if isinstance(assign.value, ast.Call) else None
            if listed is None:
                narrowed = True
            else:
                lookups.append(Lookup(listed, ((LISTED, assign.lineno),)))
                inner.update(map(id, _chain(assign.value)[0]))  # type: ignore[arg-type]
        if isinstance(assign.value, ast.Call) and any(
            isinstance(t, ast.Name) and t.id in prefetched for t in assign.targets
        ):
            inner.update(map(id, _chain(assign.value)[0]))  # a Prefetch's: it filters on the relation's key too
        value = _literal(assign.value)
        if value is not None:
            for target in assign.targets:
                if isinstance(target, ast.Attribute) and status_name(target.attr):
                    values.setdefault(target.attr, set()).add(value)
    for comp in nodes.of(ast.ListComp):
        # `[(f.name, f.name) for f in Facility.objects.all()]`: a choices list of every row
        if isinstance(comp.elt, ast.Tuple) and len(comp.elt.elts) == 2 and len(comp.generators) == 1:
            source = comp.generators[0].iter
            listed = _listed_chain(source, ref) if isinstance(source, ast.Call) else None
            if listed is not None and not comp.generators[0].ifs:
                lookups.append(Lookup(listed, ((LISTED, comp.lineno),)))
                inner.update(map(id, _chain(source)[0]))  # type: ignore[arg-type]
    for node in nodes.of(ast.Call):  # breadth first: a chain's outermost call comes first
        method = called_name(node.func)
        if method in _VALUE_METHODS:
            for k in node.keywords:
                value = _literal(k.value) if k.arg and status_name(k.arg) else None
                if value is not None:
                    values.setdefault(k.arg, set()).add(value)  # type: ignore[arg-type]
        if id(node) in inner:
            continue
        if method and method.endswith(("ChoiceField", "ChoiceFilter")):
            listed = _listed_model(node, ref)
            if listed is not None:
                lookups.append(Lookup(listed, ((LISTED, node.lineno),)))
            continue
        if method == "Prefetch":
            # the prefetch query filters on the relation's key (`book_id IN (...)`): indexed
            for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "queryset")]:
                if isinstance(arg, ast.Call):
                    inner.update(map(id, _chain(arg)[0]))
            continue
        if method in _SHORTCUTS and node.args:
            keys: list[tuple[str, int]] = []
            _call_keys(node, "get", keys, 1, constants)  # the model or queryset comes first
            first = node.args[0]
            if isinstance(first, ast.Call):
                calls, root = _chain(first)
                inner.update(map(id, calls))
                for call in calls:
                    if call.func.attr in _LOOKUP_METHODS:  # type: ignore[attr-defined]
                        _call_keys(call, call.func.attr, keys, 0, constants)  # type: ignore[attr-defined]
                model = _model_root(root, ref)
            elif isinstance(first, (ast.Name, ast.Attribute)):
                model = _model_root(ast.Attribute(value=first, attr="objects"), ref)
            else:
                model = None
            if model and keys:
                lookups.append(Lookup(model, tuple(keys)))
            continue
        if not isinstance(node.func, ast.Attribute):
            continue
        calls, root = _chain(node)
        inner.update(map(id, calls))
        if any(call.func.attr == "none" for call in calls):  # type: ignore[attr-defined]
            continue  # `Page.objects.none().order_by(...)`: no query reaches the database
        keys = []
        for call in calls:
            method = call.func.attr  # type: ignore[attr-defined]
            if method in _LOOKUP_METHODS:
                _call_keys(call, method, keys, 0, constants)
            elif method not in QUERYSET_METHODS:
                keys.append(("<unknown>", call.lineno))  # a custom queryset method may filter
        annotated = {
            k.arg
            for call in calls
            if call.func.attr in ("annotate", "alias")  # type: ignore[attr-defined]
            for k in call.keywords
            if k.arg
        }
        if annotated:  # `annotate(n=...).filter(n__gt=1)`: a computed value, no column to index
            keys = [(key, line) for key, line in keys if key.lstrip("|!^=~@").split("__")[0] not in annotated]
        if id(node) in view_querysets:
            keys.append(("<unknown>", node.lineno))  # narrowed by the view (get_queryset, filters)
        if keys and all(key.startswith("^") for key, _ in keys):
            # an ordering alone: it needs an index only where the rows are paged or sliced
            whole = read_whole(nodes) if whole is None else whole
            if id(node) in whole:
                continue
        if keys:
            model = _model_root(root, ref)
            if model:
                held[id(node)] = len(lookups)
                lookups.append(Lookup(model, tuple(keys)))
    _join_narrowing(nodes, lookups, held, constants)
    if narrowed:  # `self.fields["offer"].queryset = ...`: a listing may be replaced in __init__
        lookups = [lookup for lookup in lookups if lookup.keys[0][0] != LISTED]
    return tuple(lookups), {name: tuple(sorted(v, key=str)[:_MAX_VALUES]) for name, v in values.items()}


def _join_narrowing(nodes: Nodes, lookups: list[Lookup], held: dict[int, int], constants: frozenset[str]) -> None:
    """`qs = Execution.objects.filter(type__in=...)`, then `qs = qs.filter(automation_id__in=ids)`
    as a later statement of the same block: one query, filtered on both (jumpserver's report
    mixin). The later lookups join the first one's, so an indexed column there serves it. A
    narrowing under a condition (`if realm: qs = qs.filter(realm=realm)`) may not happen: the
    query without it is judged alone."""
    if not held:
        return
    for block in _blocks(nodes):
        bound: dict[str, int] = {}  # name -> the Lookup of the chain last assigned to it here
        for stmt in block:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
                continue
            name = stmt.targets[0].id
            if id(stmt.value) in held:
                bound[name] = held[id(stmt.value)]
                continue
            position = bound.pop(name, None)
            if position is None or not isinstance(stmt.value, ast.Call):
                continue
            calls, root = _chain(stmt.value)
            if not (isinstance(root, ast.Name) and root.id == name):
                continue  # rebound to something else
            keys: list[tuple[str, int]] = []
            for link in calls:
                method = link.func.attr  # type: ignore[attr-defined]
                if method in ("filter", "exclude", "get"):
                    _call_keys(link, method, keys, 0, constants)
            earlier = lookups[position]
            lookups[position] = Lookup(earlier.model, earlier.keys + tuple(keys))
            bound[name] = position  # `qs = qs.filter(...)` again, further down


_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


def _blocks(nodes: Nodes):
    """The statement lists of the module's functions, each run in order: every function's
    own, a nested function's read as its own function, not again inside its outer one."""
    for function in nodes.of(ast.FunctionDef) + nodes.of(ast.AsyncFunctionDef):
        stack: list[ast.AST] = [function]
        while stack:
            node = stack.pop()
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    yield block
            stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, _FUNCTION_NODES))


def received_statuses(nodes: Nodes) -> frozenset[str]:
    """Status-like names given a value read from received data: `payment.status =
    data["status"]`, `update_or_create(defaults={"status": raw["status"]})`,
    `create(state=payload.get("state"))`, or a local holding such an item (`stage =
    request.POST.get("stage")`, then `create(stage=stage)`). A provider's statuses are its own (DJR206)."""
    found: set[str] = set()
    # locals holding a received item (`stage = request.POST.get("stage")`), by name in the module
    held = {
        t.id
        for assign in nodes.of(ast.Assign)
        if _received(assign.value)
        for t in assign.targets
        if isinstance(t, ast.Name)
    }
    for assign in nodes.of(ast.Assign):
        if _received(assign.value):
            found.update(t.attr for t in assign.targets if isinstance(t, ast.Attribute) and status_name(t.attr))
    for loop in nodes.of(ast.For):
        found.update(_copied_keys(loop))
    for call in nodes.of(ast.Call):
        if called_name(call.func) not in _VALUE_METHODS:
            continue
        for k in call.keywords:
            passed = isinstance(k.value, ast.Name) and k.value.id in held
            if k.arg and status_name(k.arg) and (_received(k.value) or passed):
                found.add(k.arg)
            elif k.arg == "defaults" and isinstance(k.value, ast.Dict):
                for key, value in zip(k.value.keys, k.value.values):
                    name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
                    if status_name(name) and _received(value):
                        found.add(name)
    return frozenset(found)


def _copied_keys(loop: ast.For) -> set[str]:
    """`for key in ("type", "title"): setattr(self, key, response[key])` (django-fluent-contents'
    oEmbed cache): each status-like name of the literal tuple is given the received item."""
    if not (isinstance(loop.target, ast.Name) and isinstance(loop.iter, (ast.Tuple, ast.List))):
        return set()
    key = loop.target.id
    names = [e.value for e in loop.iter.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    for node in (n for stmt in loop.body for n in all_nodes(stmt)):
        if not (isinstance(node, ast.Call) and called_name(node.func) == "setattr" and len(node.args) == 3):
            continue
        name, value = node.args[1], node.args[2]
        if (
            isinstance(name, ast.Name)
            and name.id == key
            and isinstance(value, ast.Subscript)
            and isinstance(value.slice, ast.Name)
            and value.slice.id == key
        ):
            return {n for n in names if status_name(n)}
    return set()


def _received(value: ast.AST) -> bool:
    """An item of received data: `data["status"]`, `payload.get("state")`."""
    if isinstance(value, ast.Subscript):
        return isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str)
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get"
        and bool(value.args)
        and isinstance(value.args[0], ast.Constant)
        and isinstance(value.args[0].value, str)
    )


def _strings(node: ast.AST | None) -> list[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    out = []
    for item in node.elts:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return None
        out.append(item.value)
    return out


def meta_indexes(name: str, value: ast.AST) -> list[tuple[str, ...]]:
    """The column lists a Meta attribute indexes: `indexes = [models.Index(fields=[...])]`,
    `constraints = [UniqueConstraint(fields=[...])]`, `unique_together`/`index_together`
    (a tuple of tuples, or one tuple). Descending columns ("-created") count by name."""
    found: list[tuple[str, ...]] = []
    if name in ("unique_together", "index_together"):
        single = _strings(value)
        if single is not None:
            return [tuple(single)] if single else []
        for item in getattr(value, "elts", ()):
            columns = _strings(item)
            if columns:
                found.append(tuple(columns))
        return found
    if name in ("indexes", "constraints"):
        for item in getattr(value, "elts", ()):
            if not isinstance(item, ast.Call):
                continue
            for k in item.keywords:
                columns = _strings(k.value) if k.arg == "fields" else None
                if columns:
                    found.append(tuple(c.lstrip("-") for c in columns))
            # expressions: `UniqueConstraint("nir", condition=...)` (les-emplois), `Index(F("x"))`;
            # a string or F() names the column itself (not `Lower("email")`, a function's index)
            named = [_expression_column(arg) for arg in item.args]
            if named and all(named):
                found.append(tuple(c.lstrip("-") for c in named if c))
    return found


def _expression_column(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None)) == "F"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None
