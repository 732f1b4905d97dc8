"""DRF facts for the index: what a serializer's fields read, and what a view feeds them.

Extracted per file from the stdlib tree with no model knowledge (the index resolves them,
index/drf_reads.py): a serializer's declared fields (`source=`, nested serializers,
`SerializerMethodField`, relational fields) and its Meta; a view's `serializer_class`, its
`queryset`/`get_queryset()` chain, and the methods that call `XSerializer(rows, many=True)`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from djreview.index.nodes import all_nodes, class_base

# DRF fields that serialize a relation by its key alone (`use_pk_only_optimization`): a
# forward FK costs nothing, the row holds `<fk>_id`. HyperlinkedRelatedField only when its
# lookup_field is "pk" (the default).
_PK_ONLY = frozenset({"PrimaryKeyRelatedField", "HyperlinkedRelatedField"})
# Relational fields that load the related object (str() of it, or one of its attributes).
_OBJECT = frozenset({"StringRelatedField", "SlugRelatedField", "RelatedField"})
# Fields that do not read a source attribute of the row.
_NOT_READ = frozenset({"HyperlinkedIdentityField", "HiddenField", "SerializerMethodField", "ListSerializer"})
_LIST_VIEWS = (
    "ListAPIView",
    "ListCreateAPIView",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "ListModelMixin",
)


@dataclass
class SerializerField:
    name: str
    line: int
    column: int  # 0-based offset of the assignment target
    kind: str  # "method" | "nested" | "pk" | "object" | "value"
    source: tuple[str, ...]  # attribute path from the row ("author", "name"); () for "*"
    many: bool = False
    ref: str | None = None  # the field's class (a nested serializer's qualified ref)
    method: str | None = None  # a method field's method


@dataclass
class SerializerFacts:
    fields: list[SerializerField] = field(default_factory=list)
    meta_fields: tuple[str, ...] | None = None  # a literal Meta.fields list
    meta_exclude: tuple[str, ...] = ()
    depth: int = 0
    write_only: tuple[str, ...] = ()  # declared fields that are never serialized out
    meta_fields_set: bool = False  # Meta assigns `fields` (literal or not)
    representation: str | None = None  # to_representation(): "super" when it calls super()'s, "own" else
    list_serializer: str | None = None  # Meta.list_serializer_class, as referenced
    # a ListSerializer's own get_attribute()/to_representation() loading relations of the rows
    # it is handed: `return super().get_attribute(instance).prefetch_related("items")`
    row_prefetches: tuple[str, ...] = ()


@dataclass
class QuerysetSource:
    """A queryset expression as written: its root and the calls made on it."""

    root: str  # "model:<ref>.<manager>" | "view" (self.get_queryset(), self.queryset, super())
    steps: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (method, literal lookups; "?" unread)
    line: int = 0
    column: int = 0


@dataclass
class SerializerUse:
    """A method that serializes rows: `XSerializer(rows, many=True)`, `self.get_serializer(...)`."""

    method: str
    line: int
    serializer: str | None  # None: the view's own serializer class (self.get_serializer)
    rows: QuerysetSource | None  # None: rows we cannot follow
    many: bool
    detail: bool | None = None  # @action(detail=...): None when not an action


@dataclass
class ViewFacts:
    serializer: str | None = None  # serializer_class, or get_serializer_class()'s one return
    serializer_dynamic: bool = False  # get_serializer_class() we could not read
    serializer_method: bool = False  # `serializer` is what its get_serializer_class() returns
    # a get_serializer_class() picking per action: the actions it names (`self.action == "x"`),
    # and the suffix of `getattr(self, self.action + "_serializer_class", ...)`
    serializer_actions: tuple[str, ...] = ()
    serializer_action_suffix: str = ""
    serializer_attrs: tuple[str, ...] = ()  # the `*_serializer_class` attributes it sets
    own_serializer: str | None = None  # its `serializer_class` attribute, whatever the method does
    queryset: QuerysetSource | None = None  # the class attribute `queryset = ...`
    get_queryset: QuerysetSource | None = None
    get_queryset_opaque: bool = False  # defined, but not one chain we can read
    uses: list[SerializerUse] = field(default_factory=list)
    no_get: bool = False  # http_method_names leaves out "get": it never lists
    list_override: str | None = None  # "super": its list() returns super().list(); "own": anything else
    lookup_field: str | None = None  # `lookup_field = "friendly_token"`: the field its URLs carry


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _strings(node) -> tuple[str, ...] | None:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    items = [_string(e) for e in node.elts]
    return tuple(i for i in items if i is not None) if all(i is not None for i in items) else None


def serializer_facts(node: ast.ClassDef, resolver) -> SerializerFacts | None:
    """The fields and Meta of a class that looks like a serializer (a base named so)."""
    if not any("erializer" in (resolver.ref(class_base(b)) or "") for b in node.bases):
        return None
    facts = SerializerFacts()
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "to_representation":
            facts.representation = "super" if _calls_super(stmt, "to_representation") else "own"
        if isinstance(stmt, ast.FunctionDef) and stmt.name in ("get_attribute", "to_representation"):
            facts.row_prefetches += _loaded_in(stmt)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            _meta(stmt, facts, resolver)
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
        ):
            found = _field(stmt.targets[0], stmt.value, resolver, facts)
            if found is not None:
                facts.fields.append(found)
    return facts


def _loaded_in(func: ast.FunctionDef) -> tuple[str, ...]:
    """The literal lookups of the prefetch_related()/select_related() calls in a method."""
    return tuple(
        path
        for call in all_nodes(func)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        for path in _lookups(call.func.attr, call)
        if path != "?"
    )


def _meta(meta: ast.ClassDef, facts: SerializerFacts, resolver) -> None:
    for stmt in meta.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        name, value = stmt.targets[0].id, stmt.value
        if name == "list_serializer_class":
            facts.list_serializer = resolver.ref(value)
        elif name == "fields":
            facts.meta_fields, facts.meta_fields_set = _strings(value), True
        elif name == "exclude":
            facts.meta_exclude = _strings(value) or ()
        elif name == "depth" and isinstance(value, ast.Constant) and isinstance(value.value, int):
            facts.depth = value.value
        elif name == "extra_kwargs" and isinstance(value, ast.Dict):
            facts.write_only += tuple(
                k.value
                for k, v in zip(value.keys, value.values)
                if isinstance(k, ast.Constant)
                and isinstance(k.value, str)
                and isinstance(v, ast.Dict)
                and _write_only(v)
            )


def _calls_super(func: ast.FunctionDef, name: str) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == name
        and _is_super(n.func.value)
        for n in all_nodes(func)
    )


def _write_only(options: ast.Dict) -> bool:
    return any(_string(k) == "write_only" and _true(v) for k, v in zip(options.keys, options.values))


def _field(target: ast.Name, call: ast.Call, resolver, facts: SerializerFacts) -> SerializerField | None:
    ref = resolver.ref(call.func)
    if ref is None:
        return None
    name = target.id
    kind_name = ref.rsplit(".", 1)[-1]
    if _true(_keyword(call, "write_only")):
        facts.write_only += (name,)
        return None
    many = _true(_keyword(call, "many"))
    source_text = _string(_keyword(call, "source"))
    if source_text == "*":
        return None
    source = tuple(source_text.split(".")) if source_text else (name,)
    found = SerializerField(name, target.lineno, target.col_offset, "value", source, many, ref)
    if kind_name == "SerializerMethodField":
        found.kind, found.source = "method", ()
        found.method = _string(_keyword(call, "method_name")) or (_string(call.args[0]) if call.args else None)
        found.method = found.method or f"get_{name}"
    elif kind_name in _NOT_READ or kind_name.endswith("IdentityField"):
        return None
    elif kind_name in _PK_ONLY:
        lookup = _string(_keyword(call, "lookup_field"))
        found.kind = "pk" if lookup in (None, "pk") else "object"
    elif kind_name in _OBJECT or kind_name.endswith("RelatedField"):
        found.kind = "object"  # a project RelatedField subclass reads the object too
    elif not ref.startswith("rest_framework.") and not kind_name.endswith("Field"):
        found.kind = "nested"  # the index decides whether the class is a serializer
    return found


# -- views -------------------------------------------------------------------------------------
_VIEW_ATTRS = frozenset({"serializer_class", "queryset", "lookup_field"})
_VIEW_METHODS = frozenset({"get_queryset", "get_serializer_class"})


def view_facts(node: ast.ClassDef, resolver, serializes: bool) -> ViewFacts | None:
    """What a DRF view feeds its serializer. `serializes`: the file calls a serializer with
    many=True somewhere (only then are method bodies walked for it)."""
    assigned = {
        s.targets[0].id: s.value
        for s in node.body
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
    }
    methods = {s.name: s for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not (_VIEW_ATTRS & assigned.keys() or _VIEW_METHODS & methods.keys() or serializes):
        return None  # a class only setting `create_serializer_class` is no view of its own
    facts = ViewFacts()
    facts.lookup_field = _string(assigned.get("lookup_field"))
    allowed = _strings(assigned.get("http_method_names"))
    facts.no_get = allowed is not None and "get" not in allowed
    if "list" in methods:
        facts.list_override = "super" if _returns_super_list(methods["list"]) else "own"
    if "serializer_class" in assigned:
        facts.serializer = facts.own_serializer = resolver.ref(assigned["serializer_class"])
    facts.serializer_attrs = tuple(n for n in assigned if n.endswith("_serializer_class"))
    if "queryset" in assigned:
        facts.queryset = source_of(assigned["queryset"], resolver, {})
    if "get_serializer_class" in methods:
        returns = _returns(methods["get_serializer_class"])
        refs = {_serializer_ref(r.value, resolver) for r in returns}
        if returns and all(_own_attribute(r.value) for r in returns):
            pass  # `return self.serializer_class`: the nearest attribute decides, as without it
        elif len(refs) == 1 and None not in refs:
            facts.serializer, facts.serializer_method = refs.pop(), True
        elif (read := _read_serializer(methods["get_serializer_class"], resolver)) is not None:
            facts.serializer, facts.serializer_method = read, True  # a GET's, picked by the request's method
        else:
            facts.serializer, facts.serializer_dynamic = None, True
            facts.serializer_actions, facts.serializer_action_suffix = _action_dispatch(methods["get_serializer_class"])
    if "get_queryset" in methods:
        facts.get_queryset = _returned_source(methods["get_queryset"], resolver)
        facts.get_queryset_opaque = facts.get_queryset is None
    if serializes:
        for method in methods.values():
            facts.uses += _serializer_uses(method, resolver)
    if facts == ViewFacts():
        return None
    return facts


def _serializer_ref(value, resolver) -> str | None:
    """A class get_serializer_class() returns by name; None for anything else (`self.x`)."""
    if isinstance(value, ast.Attribute) and _is_self(value.value):
        return None
    return resolver.ref(value) if isinstance(value, (ast.Name, ast.Attribute)) else None


def _read_serializer(func, resolver) -> str | None:
    """The serializer a get_serializer_class() that picks by the request's method gives a
    GET (a list): `if self.request.method in ("POST", "PUT"): return WriteS` then `return
    ReadS`, or `if self.request.method in SAFE_METHODS: return ReadS` (argus's incidents)."""
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) not in (1, 2) or not isinstance(body[0], ast.If):
        return None
    test, then = body[0].test, body[0].body
    otherwise = body[0].orelse or body[1:]
    if not (len(then) == 1 and len(otherwise) == 1 and isinstance(then[0], ast.Return)):
        return None
    if not isinstance(otherwise[0], ast.Return):
        return None
    get = _get_matches(test)
    if get is None:
        return None
    chosen = then[0] if get else otherwise[0]
    return _serializer_ref(chosen.value, resolver)


def _get_matches(test) -> bool | None:
    """Does a GET pass `self.request.method in (...)` / `== "..."` (or their negations)?"""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left = test.left
    if not (isinstance(left, ast.Attribute) and left.attr == "method"):
        return None
    owner = left.value
    if not (
        isinstance(owner, ast.Name)
        and owner.id == "request"
        or isinstance(owner, ast.Attribute)
        and owner.attr == "request"
    ):
        return None
    op, right = test.ops[0], test.comparators[0]
    if (
        isinstance(right, (ast.Name, ast.Attribute))
        and (getattr(right, "id", "") or getattr(right, "attr", "")) == "SAFE_METHODS"
    ):
        methods = {"GET", "HEAD", "OPTIONS"}
    elif isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        methods = {v.upper() for v in map(_string, right.elts) if v}
    elif _string(right):
        methods = {(_string(right) or "").upper()}
    else:
        return None
    if isinstance(op, (ast.In, ast.Eq)):
        return "GET" in methods
    if isinstance(op, (ast.NotIn, ast.NotEq)):
        return "GET" not in methods
    return None


def _action_dispatch(func) -> tuple[tuple[str, ...], str]:
    """The actions a get_serializer_class() compares `self.action` with, and the suffix of a
    `getattr(self, self.action + "_serializer_class", default)` (or its f-string)."""
    actions: list[str] = []
    suffix = ""
    for node in ast.walk(func):
        if isinstance(node, ast.Compare) and _is_self_action(node.left):
            for comparator in node.comparators:
                items = comparator.elts if isinstance(comparator, (ast.Tuple, ast.List, ast.Set)) else [comparator]
                actions += [v for v in map(_string, items) if v is not None]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.BinOp) and _is_self_action(name.left) and _string(name.right):
                suffix = _string(name.right) or ""
            elif isinstance(name, ast.JoinedStr) and len(name.values) == 2:
                first, rest = name.values
                if isinstance(first, ast.FormattedValue) and _is_self_action(first.value) and _string(rest):
                    suffix = _string(rest) or ""
    return tuple(dict.fromkeys(actions)), suffix


def _is_self_action(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "action" and _is_self(node.value)


def _own_attribute(value) -> bool:
    return isinstance(value, ast.Attribute) and _is_self(value.value) and value.attr == "serializer_class"


def _returns_super_list(func) -> bool:
    """`return super().list(request, ...)` after permission checks: the list still runs."""
    returns = _returns(func)
    return bool(returns) and all(
        isinstance(r.value, ast.Call)
        and isinstance(r.value.func, ast.Attribute)
        and r.value.func.attr == "list"
        and _is_super(r.value.func.value)
        for r in returns
    )


def _returns(func) -> list[ast.Return]:
    found = []
    stack = list(func.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.Return):
            found.append(stmt)
        elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for name in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, name, []))
            stack.extend(s for h in getattr(stmt, "handlers", []) for s in h.body)
    return found


def _assignments(func) -> dict[str, ast.expr | None]:
    """Names assigned exactly once in the method's own body (else None: which value is unknown)."""
    found: dict[str, ast.expr | None] = {}
    for stmt in all_nodes(func):
        if isinstance(stmt, ast.Assign):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    found[t.id] = stmt.value if t.id not in found else None
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign, ast.For, ast.comprehension, ast.NamedExpr)):
            for n in all_nodes(stmt.target):
                if isinstance(n, ast.Name):
                    found[n.id] = None
    return found


def _returned_source(func, resolver) -> QuerysetSource | None:
    returns = _returns(func)
    if len(returns) != 1 or returns[0].value is None:
        return None  # several ways out: which queryset comes back depends on the request
    return source_of(returns[0].value, resolver, _assignments(func))


_ROW_PASSING = frozenset({"filter_queryset", "paginate_queryset"})  # same rows, maybe fewer


def source_of(expr: ast.expr, resolver, assigns: dict, depth: int = 0) -> QuerysetSource | None:
    """`Book.objects.select_related("a").filter(...)`, `self.get_queryset().prefetch_related(...)`,
    `super().get_queryset()`, `self.queryset`, or a name assigned once to one of them."""
    if depth > 5:
        return None
    steps: list[tuple[str, tuple[str, ...]]] = []
    node = expr
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            owner = node.func.value
            if method in _ROW_PASSING and _is_self(owner) and node.args:
                inner = source_of(node.args[0], resolver, assigns, depth + 1)
                return _extended(inner, steps) if inner else None
            if method == "get_queryset" and (_is_self(owner) or _is_super(owner)):
                return QuerysetSource("view", tuple(reversed(steps)), expr.lineno, expr.col_offset)
            steps.append((method, _lookups(method, node)))
            node = owner
        elif isinstance(node, ast.Attribute) and _is_self(node.value) and node.attr == "queryset":
            return QuerysetSource("view", tuple(reversed(steps)), expr.lineno, expr.col_offset)
        elif isinstance(node, ast.Attribute):
            model = resolver.ref(node.value)
            if model is None:
                return None
            return QuerysetSource(f"model:{model}.{node.attr}", tuple(reversed(steps)), expr.lineno, expr.col_offset)
        elif isinstance(node, ast.Name) and assigns.get(node.id) is not None:
            inner = source_of(assigns[node.id], resolver, {**assigns, node.id: None}, depth + 1)
            return _extended(inner, steps) if inner else None
        else:
            return None


def _extended(inner: QuerysetSource, steps) -> QuerysetSource:
    return QuerysetSource(inner.root, inner.steps + tuple(reversed(steps)), inner.line, inner.column)


def _is_self(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _is_super(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _lookups(method: str, call: ast.Call) -> tuple[str, ...]:
    """The literal lookups of select_related/prefetch_related ("?" for one we cannot read)."""
    if method not in ("select_related", "prefetch_related"):
        return ()
    out = []
    for arg in call.args:
        text = _string(arg)
        if (
            text is None
            and isinstance(arg, ast.Call)
            and (getattr(arg.func, "id", None) or getattr(arg.func, "attr", "")) == "Prefetch"
        ):
            out.extend(_prefetch(arg))
            continue
        out.append(text if text is not None else "?")
    return tuple(out)


def _prefetch(call: ast.Call) -> list[str]:
    """Prefetch("books", queryset=Book.objects.select_related("publisher")) loads books and
    books__publisher; with to_attr the rows land elsewhere: the relation is not cached."""
    lookup = _string(call.args[0]) if call.args else _string(_keyword(call, "lookup"))
    if lookup is None:
        return ["?"]
    if _keyword(call, "to_attr") is not None or len(call.args) > 2:
        return []
    inner = _keyword(call, "queryset") or (call.args[1] if len(call.args) > 1 else None)
    found = [lookup]
    node = inner
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        for path in _lookups(node.func.attr, node):
            found.append(f"{lookup}__{path}" if path != "?" else "?")
        node = node.func.value
    return found


def _serializer_uses(func, resolver) -> list[SerializerUse]:
    """Calls in a view method that serialize rows: `XSerializer(rows, many=True)` and
    `self.get_serializer(rows, many=True)`."""
    detail = None
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and (getattr(dec.func, "id", None) or getattr(dec.func, "attr", "")) == "action":
            value = _keyword(dec, "detail")
            detail = value.value if isinstance(value, ast.Constant) and isinstance(value.value, bool) else None
    assigns: dict | None = None
    uses = []
    for node in all_nodes(func):
        if not (isinstance(node, ast.Call) and node.args and _true(_keyword(node, "many"))):
            continue
        func_node = node.func
        if isinstance(func_node, ast.Attribute) and _is_self(func_node.value) and func_node.attr == "get_serializer":
            serializer = None
        elif isinstance(func_node, (ast.Name, ast.Attribute)) and _name(func_node).endswith("Serializer"):
            serializer = resolver.ref(func_node)
            if serializer is None:
                continue
        else:
            continue
        if assigns is None:
            assigns = _assignments(func)
        rows = source_of(node.args[0], resolver, assigns)
        uses.append(SerializerUse(func.name, node.lineno, serializer, rows, True, detail))
    return uses


def _name(node) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr


def list_view_base(qual: str) -> bool:
    """A DRF base whose list action serializes many rows."""
    return qual.startswith("rest_framework.") and qual.rsplit(".", 1)[-1] in _LIST_VIEWS


def detail_view_base(qual: str) -> bool:
    """A DRF base that serializes one row of its queryset (RetrieveAPIView, RetrieveModelMixin...)."""
    return qual.startswith("rest_framework.") and "Retrieve" in qual.rsplit(".", 1)[-1]
