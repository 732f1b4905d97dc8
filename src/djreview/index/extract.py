"""Extract a module's index facts from the stdlib AST.

The index only needs declarations (imports, classes, class-level assignments, method returns),
so it reads the cheap stdlib tree; the libcst tree is built later, and only for files a rule
can concern.
"""

from __future__ import annotations

import ast
import os
import re
from functools import lru_cache
from pathlib import Path

from djreview.index import class_uses, created_rows, gate_middleware, lookups, seeded_tables
from djreview.index.atomic_calls import atomic_calls, decorated_atomic
from djreview.index.call_arguments import call_arguments
from djreview.index.drf_access import access_facts, delegated_authenticators, demands_credentials, routed_views
from djreview.index.facts import ANY_SENDER, ClassFacts, FieldFacts, ModuleFacts, QuerysetChain, Selector
from djreview.index.gate_middleware import refuses_anonymous
from djreview.index.lookups import meta_indexes
from djreview.index.migration_state import is_migration_file, migration_facts
from djreview.index.nodes import Nodes, all_nodes, class_base
from djreview.index.plain_values import plain_validators, regex_validator_plain
from djreview.index.prefilter import called_name
from djreview.index.returns import annotation_kinds, literal_constants, return_kinds
from djreview.index.serializers import serializer_facts, view_facts
from djreview.index.settings_facts import named_settings_modules, settings_facts
from djreview.index.signatures import says_nothing, signature_facts, worth_reading
from djreview.index.summaries import summarize, thread_wrappers
from djreview.index.uses import accessor_uses, query_uses
from djreview.orm import QUERYSET_RETURNING, VALUES_METHODS

# Only a file naming the signals can connect a receiver to them (not `response_post_save_add`).
_SIGNAL = re.compile(r"\b(?:pre_save|post_save|m2m_changed|pre_delete|post_delete)\b")


@lru_cache(maxsize=4096)
def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def module_name(path: Path) -> str:
    """Dotted module name: the file's parts up to the first folder that is not a package. A
    folder without `__init__.py` inside a package is a namespace package that Python imports
    as part of it (plane's `plane/authentication/views/app/check.py` is
    `plane.authentication.views.app.check`); not above a folder holding manage.py, where a
    project's path starts (django-arctic's `arctic/project_template/start/config/settings.py`
    is `start.config.settings`)."""
    resolved = path.resolve()
    parts = [resolved.stem] if resolved.name != "__init__.py" else []
    directory = resolved.parent
    rooted = False  # a folder on the way holds manage.py: Python's path starts there, not above
    while _is_package(str(directory)) or (
        not rooted and directory.parent != directory and _is_package(str(directory.parent))
    ):
        rooted = rooted or os.path.isfile(os.path.join(directory, "manage.py"))
        parts.append(directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(reversed(parts)) or resolved.stem


def _package_of(module: str, is_init: bool) -> list[str]:
    parts = module.split(".")
    return parts if is_init else parts[:-1]


class _Resolver:
    def __init__(self, facts: ModuleFacts):
        self.facts = facts
        self.functions: set[str] = set()  # module-level function names
        self.serializes = False  # the file calls something with many=True (a serializer?)
        self.checks_tokens = False  # the file names check_token (a password-reset link's check)
        # module-level functions returning `database_sync_to_async(...)`: decorators of their own
        self.thread_decorators: frozenset[str] = frozenset()

    def callee(self, name: str, attr: str | None) -> str | None:
        """The qualified ref of a function called by a module-level name (`helper`,
        `utils.helper`): an import, an alias or a function of this module, else None."""
        facts = self.facts
        if name in facts.imports or name in facts.aliases:
            base = facts.qualify(name)
        elif attr is None and (name in self.functions or facts.star_imports):
            base = f"{facts.module}.{name}"  # a star import may bind it: the index will know
        else:
            return None
        return f"{base}.{attr}" if attr else base

    def known(self, name: str) -> str | None:
        """The qualified ref of a module-level name the module binds (import, alias, class or
        function), else None (a local, a parameter, a builtin)."""
        facts = self.facts
        if name in facts.imports or name in facts.aliases or name in facts.class_names or name in self.functions:
            return facts.qualify(name)
        return None

    def ref(self, node: ast.AST | None) -> str | None:
        """Qualified dotted name an expression stands for, or None."""
        if isinstance(node, ast.Name):
            return self.facts.qualify(node.id)
        if isinstance(node, ast.Attribute):
            base = self.ref(node.value)
            return f"{base}.{node.attr}" if base else None
        return None


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _const(node: ast.AST | None):
    return node.value if isinstance(node, ast.Constant) else None


def _maybe_true(node: ast.AST) -> bool:
    """Not a literal False or None: True, or a value only known at run time."""
    return not (isinstance(node, ast.Constant) and node.value in (False, None))


def _inner_blocks(stmt: ast.stmt, with_blocks: bool = False) -> list[list[ast.stmt]]:
    """The statement lists nested in an if/try (and, on request, with) statement."""
    if isinstance(stmt, ast.If):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, ast.Try):
        return [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse]
    if with_blocks and isinstance(stmt, ast.With):
        return [stmt.body]
    return []


def _module_statements(body: list[ast.stmt]):
    """Module-level statements, looking into if/try blocks (conditional imports)."""
    for stmt in body:
        yield stmt
        for block in _inner_blocks(stmt):
            yield from _module_statements(block)


def _record_import(facts: ModuleFacts, stmt: ast.stmt, is_init: bool) -> None:
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                facts.imports[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                facts.imports.setdefault(top, top)
    elif isinstance(stmt, ast.ImportFrom):
        if stmt.level:
            package = _package_of(facts.module, is_init)
            keep = len(package) - (stmt.level - 1)
            base_parts = package[: max(keep, 0)]
            if stmt.module:
                base_parts = base_parts + stmt.module.split(".")
            base = ".".join(base_parts)
        else:
            base = stmt.module or ""
        for alias in stmt.names:
            if alias.name == "*":
                if base and base not in facts.star_imports:
                    facts.star_imports.append(base)
                continue
            facts.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name


def _calls_to_root(expr: ast.AST) -> tuple[list[tuple[ast.Call, str]], ast.AST]:
    """`a.filter(x).select_related("b")` -> its calls with their method names, and `a`."""
    calls: list[tuple[ast.Call, str]] = []
    node = expr
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        calls.append((node, node.func.attr))
        node = node.func.value
    return calls, node


def chain_of(expr: ast.AST, resolver: _Resolver | None = None) -> QuerysetChain | None:
    """Read ``self.filter(...).select_related("a")``-like chains rooted at the queryset itself."""
    calls, node = _calls_to_root(expr)
    root_ok = (isinstance(node, ast.Name) and node.id == "self") or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )
    if not root_ok or not calls:
        return None
    return _read_chain(calls)


def _read_chain(calls: list[tuple[ast.Call, str]]) -> QuerysetChain:
    chain = QuerysetChain()
    select, prefetch, others = [], [], []
    for call, method in reversed(calls):
        if method == "select_related":
            for arg in call.args:
                text = _string(arg)
                if text is None:
                    chain.opaque = True
                else:
                    select.append(text)
        elif method == "prefetch_related":
            for arg in call.args:
                text = _string(arg)
                if text is None and isinstance(arg, ast.Call) and arg.args:
                    text = _string(arg.args[0])
                    to_attr = next((_string(k.value) for k in arg.keywords if k.arg == "to_attr"), None)
                    if text and to_attr:
                        text = f"{text}->{to_attr}"
                if text is None:
                    chain.opaque = True
                else:
                    prefetch.append(text)
        elif method in VALUES_METHODS:
            chain.values = True
        elif method not in QUERYSET_RETURNING:
            others.append(method)
    chain.select, chain.prefetch, chain.calls = tuple(select), tuple(prefetch), tuple(others)
    return chain


def _method_chain(func: ast.FunctionDef | ast.AsyncFunctionDef) -> QuerysetChain | None:
    returns = list(_returns(func.body))
    if not returns:
        return None
    merged: QuerysetChain | None = None
    for ret in returns:
        chain = chain_of(ret.value) if ret.value is not None else None
        if chain is None:
            return None
        merged = chain if merged is None else _either_chain(merged, chain)
    return merged


def _either_chain(one: QuerysetChain, other: QuerysetChain) -> QuerysetChain:
    """Any branch may be taken: only what every branch selects counts as selected."""
    return QuerysetChain(
        select=tuple(s for s in one.select if s in other.select),
        prefetch=tuple(p for p in one.prefetch if p in other.prefetch),
        calls=one.calls + other.calls,
        values=one.values or other.values,
        opaque=one.opaque or other.opaque,
    )


def _selector(func: ast.FunctionDef | ast.AsyncFunctionDef, resolver: _Resolver) -> Selector | None:
    """`def published_books(): return Book.objects.filter(...).select_related("author")`:
    the model, manager and chain every return statement builds, else None."""
    found: Selector | None = None
    for ret in _returns(func.body):
        calls, root = _calls_to_root(ret.value) if ret.value is not None else ([], None)
        if not calls or not isinstance(root, ast.Attribute):
            return None
        model = resolver.ref(root.value)
        if model is None or (found is not None and (found.model, found.manager) != (model, root.attr)):
            return None
        chain = _read_chain(calls)
        found = Selector(model, root.attr, chain if found is None else _either_chain(found.chain, chain), func.lineno)
    return found


def _returns(body: list[ast.stmt]):
    """Return statements of a method, through if/try/with blocks but not nested functions.

    Loops are not followed: a return inside a loop is not how queryset methods are written,
    and walking every statement of every method is the index's most expensive step."""
    for stmt in body:
        if isinstance(stmt, ast.Return):
            yield stmt
        for block in _inner_blocks(stmt, with_blocks=True):
            yield from _returns(block)


def _field(name: str, call: ast.Call, kind: str, resolver: _Resolver) -> FieldFacts:
    field = FieldFacts(name=name, kind=kind, line=call.lineno)
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    field.dynamic = any(k.arg is None for k in call.keywords)
    target = call.args[0] if call.args else kwargs.get("to")
    text = _string(target)
    if text is not None:
        field.target, field.target_is_string = text, True
    elif target is not None:
        field.target = resolver.ref(target)
    related = kwargs.get("related_name")
    if related is not None:
        field.related_name = _string(related) or "<dynamic>"
    field.null = _const(kwargs.get("null")) is True
    field.primary_key = _const(kwargs.get("primary_key")) is True
    auto = _const(kwargs.get("auto_now")) is True or _const(kwargs.get("auto_now_add")) is True
    field.editable = not (auto or _const(kwargs.get("editable")) is False)
    # `db_index=not UNIQUE, unique=UNIQUE` (django-push-notifications): a value only known at
    # run time may index the column, and one of the two surely does; only False/None do not
    field.indexed = any(key in kwargs and _maybe_true(kwargs[key]) for key in ("db_index", "unique"))
    field.choices = "choices" in kwargs
    default = resolver.ref(kwargs["default"]) if "default" in kwargs else None
    field.stamped = (
        _const(kwargs.get("auto_now_add")) is True
        or (default or "").rsplit(".", 1)[-1] == "now"  # `default=timezone.now`
        or "CreationDate" in kind  # django-extensions' CreationDateTimeField
    )
    length = _const(kwargs.get("max_length"))
    field.max_length = length if isinstance(length, int) and not isinstance(length, bool) else None
    if "symmetrical" in kwargs:
        field.symmetrical = _const(kwargs["symmetrical"]) is not False
    validators = kwargs.get("validators")
    if isinstance(validators, (ast.List, ast.Tuple)):
        field.validators = tuple(
            "<plain>" if regex_validator_plain(v) else resolver.ref(v) or "<other>" for v in validators.elts
        )
    return field


def _dispatch_decorators(node: ast.ClassDef, resolver: _Resolver) -> tuple[str, ...]:
    """The refs of `@method_decorator(X, name="dispatch")` class decorators (`X` given by name)."""
    found = []
    for decorator in node.decorator_list:
        if not (isinstance(decorator, ast.Call) and decorator.args):
            continue
        if (resolver.ref(decorator.func) or "").rpartition(".")[2] != "method_decorator":
            continue
        if not any(
            k.arg == "name" and isinstance(k.value, ast.Constant) and k.value.value == "dispatch"
            for k in decorator.keywords
        ):
            continue
        ref = resolver.ref(decorator.args[0])
        if ref:
            found.append(ref)
    return tuple(found)


def _class_facts(node: ast.ClassDef, facts: ModuleFacts, resolver: _Resolver) -> ClassFacts:
    cls = ClassFacts(
        name=node.name,
        qualname=f"{facts.module}.{node.name}",
        line=node.lineno,
        column=node.col_offset,
        bases=[b for b in (resolver.ref(class_base(base)) for base in node.bases) if b],
    )
    cls.dynamic_bases = len(node.bases) - len(cls.bases)
    cls.dispatch_decorators = _dispatch_decorators(node, resolver)
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name == "__str__":
                cls.defines_str = True
            cls.methods[stmt.name] = _method_chain(stmt)
            if decorated_atomic(stmt):
                cls.atomic_methods += (stmt.name,)
            if stmt.name == "__init__" and _passes_choices(stmt):
                cls.sets_choices = True
            if stmt.name == "contribute_to_class" and _assigns_choices(stmt):
                cls.sets_choices = True  # adhocracy's field taking its choices from the model class
            if stmt.name == "dispatch" and not _hands_on_to_super(stmt):
                cls.own_dispatch = True  # it answers every HTTP method itself (allauth's SAML ACS)
            if stmt.name in gate_middleware.HOOKS and refuses_anonymous(stmt):
                cls.refuses_anonymous = True
            if stmt.name == "authenticate" and demands_credentials(stmt):
                cls.demands_credentials = True
            elif stmt.name == "authenticate":
                cls.auth_delegates = tuple(r for r in (resolver.ref(x) for x in delegated_authenticators(stmt)) if r)
            summary = summarize(stmt, True, resolver.callee, resolver.thread_decorators)
            if summary is not None:
                cls.summaries[stmt.name] = summary
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
            cls.has_meta = True
            _read_meta(stmt, cls, resolver)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) != 1 or not isinstance(targets[0], ast.Name):
                continue
            name, value = targets[0].id, stmt.value
            if name == "__str__":
                cls.defines_str = True
            if name in ("name", "label") and cls.bases:  # an AppConfig's? the index decides
                setattr(cls, "app_name" if name == "name" else "app_config_label", _string(value))
            if isinstance(value, ast.Call):
                _class_call(name, value, cls, resolver)
    if cls.bases:
        cls.serializer, cls.view = serializer_facts(node, resolver), view_facts(node, resolver, resolver.serializes)
    cls.access = access_facts(node, resolver)  # a mixin with no bases may set permissions or pagination
    return cls


def _passes_choices(init: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does this `__init__` give `choices` (`kwargs["choices"] = ...`, `{"choices": ...}`,
    `super().__init__(choices=...)`)? A field class that does has a few values by design."""
    return any(
        (isinstance(node, ast.Constant) and node.value == "choices")
        or (isinstance(node, ast.keyword) and node.arg == "choices")
        for node in all_nodes(init)
    )


def _assigns_choices(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the method set `self.choices = ...`?"""
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "choices"
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        for node in all_nodes(method)
    )


def _hands_on_to_super(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the method call `super().<its name>(...)`? A dispatch() that does routes each HTTP
    method to its handler, after whatever it prepares (arches' APIBase rewrites the query)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method.name
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        for node in all_nodes(method)
    )


def _class_call(name: str, value: ast.Call, cls: ClassFacts, resolver: _Resolver) -> None:
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr == "as_manager":
        cls.managers[name] = resolver.ref(func.value) or "?"
        return
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute) and func.func.attr == "from_queryset":
        # Manager.from_queryset(QuerySet)(): the manager's get_queryset and the queryset's methods
        manager = resolver.ref(func.func.value) or "?"
        cls.managers[name] = f"{manager}|{resolver.ref(func.args[0]) if func.args else '?'}"
        return
    kind = resolver.ref(func)
    if kind is None:
        return
    if kind.rsplit(".", 1)[-1].endswith("Manager"):
        cls.managers[name] = kind
    else:
        cls.fields.append(_field(name, value, kind, resolver))


def _read_meta(meta: ast.ClassDef, cls: ClassFacts, resolver: _Resolver) -> None:
    target: ast.expr
    for stmt in meta.body:
        # `abstract = True`, or annotated: `abstract: ClassVar[bool] = True` (django-polymorphic)
        if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if target.id == "abstract":
            cls.abstract = _const(value) is True
        elif target.id == "proxy":
            cls.proxy = _const(value) is True
        elif target.id == "managed":
            # `managed = settings.IS_TESTING` (varfish's materialized view): only tests migrate it
            cls.unmanaged = _const(value) is not True
        elif target.id == "app_label":
            cls.app_label = _string(value)
        elif target.id == "db_table":
            cls.db_table = _string(value)
        elif target.id == "model":
            cls.meta_model = resolver.ref(value)
        elif target.id in ("indexes", "constraints", "unique_together", "index_together"):
            cls.indexes += tuple(meta_indexes(target.id, value))
        elif target.id == "ordering":
            ordering = [_string(item) for item in getattr(value, "elts", ())]
            cls.ordering = tuple(f"^{o.lstrip('-')}" for o in ordering if o and o != "?")
            cls.ordering_line = stmt.lineno
        elif target.id == "fields":
            cls.meta_fields_all = _string(value) == "__all__"
            cls.meta_fields_listed = isinstance(value, (ast.List, ast.Tuple))


_SIGNALS = ("pre_save", "post_save", "m2m_changed", "pre_delete", "post_delete")


def _signals(node: ast.AST | None, resolver: _Resolver) -> list[str]:
    """The model signals an expression names (`post_save`, `[pre_save, post_save]`)."""
    nodes = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    names = [(resolver.ref(n) or "").rsplit(".", 1)[-1] for n in nodes]
    return [name for name in names if name in _SIGNALS]


def _literal_loop(node: ast.AST) -> bool:
    """`for name in (A, B):`, `for name in [A, B]:`: a loop variable whose values we can list."""
    return (
        isinstance(node, ast.For)
        and isinstance(node.target, ast.Name)
        and isinstance(node.iter, (ast.List, ast.Tuple, ast.Set))
    )


def _senders(node: ast.expr | None, resolver: _Resolver, loops: dict[str, list[ast.expr]], depth: int = 0) -> set[str]:
    """The models a `sender` argument names: a model, an "app.Model" label, a list or tuple of
    them, or a loop variable over a literal list; anything else could be any model."""
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return {ANY_SENDER}
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and depth < 3:
        return set().union(*(_senders(item, resolver, loops, depth + 1) for item in node.elts)) or {ANY_SENDER}
    if isinstance(node, ast.Name) and node.id in loops and depth < 3:
        return set().union(*(_senders(item, resolver, loops, depth + 1) for item in loops[node.id]))
    text = _string(node)
    if text:
        return {f"<label:{text}>"}
    facts = resolver.facts
    if isinstance(node, ast.Name) and not (
        node.id in facts.imports or node.id in facts.aliases or node.id in facts.class_names
    ):
        return {ANY_SENDER}  # a parameter or a loop variable over models we cannot list
    ref = resolver.ref(node)
    return {ref} if ref else {ANY_SENDER}


def _receivers(nodes: Nodes, resolver: _Resolver) -> dict[str, set[str]]:
    """Per model signal, the senders of its receivers: `@receiver(post_save, sender=X)`,
    `post_save.connect(handler, X)` or `sender=X`, lists and tuples of senders, loops over a
    literal list of models; ANY_SENDER when a receiver listens to every model."""
    found: dict[str, set[str]] = {}
    # one walk: the calls, and the names bound by `for name in (A, B):` over literal lists
    loops: dict[str, list[ast.expr]] = {}
    for loop in nodes.of(ast.For):
        if _literal_loop(loop):
            loops.setdefault(loop.target.id, []).extend(loop.iter.elts)  # type: ignore[attr-defined]
    for node in nodes.of(ast.Call):
        sender = next((k.value for k in node.keywords if k.arg == "sender"), None)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "connect":
            signals = _signals(func.value, resolver)
            if sender is None and len(node.args) > 1:
                sender = node.args[1]
        elif (resolver.ref(func) or "").rsplit(".", 1)[-1] == "receiver" and node.args:
            signals = _signals(node.args[0], resolver)
        else:
            continue
        for signal in signals:
            found.setdefault(signal, set()).update(_senders(sender, resolver, loops))
    return found


def _strings(node: ast.AST | None) -> list[str] | None:
    """The strings of a literal list or tuple of strings, else None."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    items = [_string(item) for item in node.elts]
    strings = [item for item in items if item is not None]
    return strings if len(strings) == len(items) else None


def _call_on(node: ast.AST, name: str) -> bool:
    """Is `node` a method call on the module-level name `name` (`__all__.append(...)`)?"""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
    )


def _public_names(statements: list[ast.stmt]) -> tuple[str, ...] | None:
    """A module's `__all__` when every statement building it is literal (`=`, `+=`,
    `.append()`, `.extend()`), else None: a star import then takes every public name."""
    names: list[str] | None = None
    for stmt in statements:
        value: list[str] | None
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            names = _strings(stmt.value)
            if names is None:
                return None
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
            value = _strings(stmt.value)
            if value is None or names is None:
                return None
            names += value
        elif isinstance(stmt, ast.Expr) and _call_on(stmt.value, "__all__"):
            call = stmt.value
            assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            arg = call.args[0] if len(call.args) == 1 else None
            item = _string(arg)
            if call.func.attr == "append":
                value = [item] if item is not None else None
            else:
                value = _strings(arg) if call.func.attr == "extend" else None
            if value is None or names is None:
                return None
            names += value
    return tuple(names) if names is not None else None


_LABEL = re.compile(r"^[A-Za-z_]\w*\.[A-Za-z_]\w*$")  # "app_label.ModelName"


def _loaded_class(value: ast.Call, resolver: _Resolver) -> list[str] | None:
    """The references of the classes a dynamic loader call returns, in order: Django's
    `apps.get_model("app", "Model")`/`("app.Model")` and `get_user_model()`, django-oscar's
    `get_model("app", "Model")`, swapper's `load_model("app", "Model")` (openwisp), `get_class("app.module", "Name")` and
    `get_classes("app.module", ["A", "B"])` (module labels resolve by their unique suffix)."""
    loader = (resolver.ref(value.func) or "").rsplit(".", 1)[-1]
    args = [_string(arg) for arg in value.args[:2]]
    if loader == "get_user_model" and not value.args:
        return ["<user-model>"]
    if loader in ("get_model", "load_model"):  # load_model: swapper's (openwisp), a swappable model's default
        label = ".".join(a for a in args if a)
        return [f"<label:{label}>"] if label.count(".") == 1 else None
    if loader == "get_class" and len(args) == 2 and args[0] and args[1]:
        return [f"{args[0]}.{args[1]}"]
    if loader == "get_classes" and len(value.args) == 2 and args[0]:
        names = _strings(value.args[1])
        return [f"{args[0]}.{name}" for name in names] if names is not None else None
    return None


def _module_assignment(facts: ModuleFacts, target: ast.expr, value: ast.expr, resolver: _Resolver) -> None:
    """What a module-level `NAME = ...` (or `A, B = ...`) tells the index: a setting naming a
    model ("app.Model"), an alias of another name, or a class a loader returns."""
    if isinstance(target, ast.Name):
        name, text = target.id, _string(value)
        if text is not None and name.isupper() and name.endswith("_MODEL") and _LABEL.match(text):
            facts.model_settings[name] = text  # AUTH_USER_MODEL and swappable settings alike
            if name == "AUTH_USER_MODEL":
                facts.auth_user_model = text
        elif isinstance(value, (ast.Name, ast.Attribute)):
            ref = resolver.ref(value)
            if ref:
                facts.aliases[name] = ref
        elif isinstance(value, ast.Call):
            loaded = _loaded_class(value, resolver)
            if loaded is not None and len(loaded) == 1:
                facts.aliases[name] = loaded[0]
            else:
                facts.call_results |= {name}
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, ast.Call):
        loaded = _loaded_class(value, resolver)
        if loaded is not None and len(loaded) == len(target.elts):
            for element, ref in zip(target.elts, loaded):
                if isinstance(element, ast.Name):
                    facts.aliases[element.id] = ref
        else:  # `Country, Region, City = get_cities_models()`: swappable, known at run time
            facts.call_results |= {e.id for e in target.elts if isinstance(e, ast.Name)}


def extract(tree: ast.Module, path: str, module: str, text: str = "") -> ModuleFacts:
    facts = ModuleFacts(path=path, module=module)
    nodes = Nodes(tree)  # one walk for the readers that look at every call
    is_init = path.endswith("__init__.py")
    resolver = _Resolver(facts)
    statements = list(_module_statements(tree.body))
    facts.class_names = {stmt.name for stmt in statements if isinstance(stmt, ast.ClassDef)}
    for stmt in statements:
        _record_import(facts, stmt, is_init)
    for stmt in statements:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            _module_assignment(facts, stmt.targets[0], stmt.value, resolver)
    facts.public_names = _public_names(statements)
    resolver.serializes = "many=True" in text
    resolver.checks_tokens = "check_token" in text
    resolver.functions = {s.name for s in statements if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if "sync_to_async" in text:  # most files name neither: no walk of their functions
        resolver.thread_decorators = thread_wrappers(statements)
    for stmt in statements:
        if isinstance(stmt, ast.ClassDef):
            facts.classes.append(_class_facts(stmt, facts, resolver))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            summary = summarize(stmt, False, resolver.callee, resolver.thread_decorators)
            if summary is not None:
                facts.functions[stmt.name] = summary
            selector = _selector(stmt, resolver)
            if selector is not None:
                facts.selectors[stmt.name] = selector
    if "ValidationError" in text or "RegexValidator" in text:
        facts.plain_validators = plain_validators(statements)
    if "migrations" not in path.split("/")[:-1]:
        facts.returns = return_kinds(statements, resolver.callee)
        facts.literal_constants = literal_constants(statements)
        facts.annotations = annotation_kinds(nodes, text)
    if "migrations" not in path.split("/")[:-1]:
        # old migrations run on historical models: renaming an accessor does not touch them
        facts.accessor_uses = accessor_uses(text)
        facts.query_uses = query_uses(text)
    if _SIGNAL.search(text):
        facts.receivers = _receivers(nodes, resolver)
    facts.settings = settings_facts(tree, path, module, is_init)
    facts.settings_modules = named_settings_modules(path, text)
    if worth_reading(text):
        facts.signatures, facts.signatures_read = signature_facts(resolver.known, statements, nodes), True
    elif says_nothing(text):
        facts.signatures_read = True  # read by its words: no function of it verifies or acts as the user
    if "as_view" in text or "register(" in text:
        facts.routed, facts.routes = routed_views(nodes, resolver)
    if class_uses.wanted(text) and "migrations" not in path.split("/")[:-1]:
        facts.class_uses = class_uses.class_uses(tree, resolver.ref)
    migration = "migrations" in path.split("/")[:-1]
    facts.calls_in_atomic, facts.callers_outside_atomic = atomic_calls(tree, nodes, text, migration)
    if not migration:
        facts.call_arguments, facts.passed_names = call_arguments(nodes)
    if "async_to_sync" in text:
        facts.sync_wrapped = frozenset(
            name
            for call in nodes.of(ast.Call)
            if called_name(call.func) == "async_to_sync" and call.args
            for name in [called_name(call.args[0])]
            if name
        )
        functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = [*nodes.of(ast.FunctionDef)]
        functions += nodes.of(ast.AsyncFunctionDef)
        facts.sync_decorated = frozenset(
            function.name
            for function in functions
            if any(called_name(d) == "async_to_sync" for d in function.decorator_list)
        )
    if is_migration_file(path) and "Migration" in text:
        facts.migration = migration_facts(nodes, path, facts.imports, text)
    if lookups.wanted(text) and "migrations" not in path.split("/")[:-1]:
        facts.lookups, facts.status_values = lookups.lookup_facts(nodes, resolver.ref)
    if (lookups.wanted(text) or "setattr(" in text) and "migrations" not in path.split("/")[:-1]:
        facts.received_statuses = lookups.received_statuses(nodes)
    if seeded_tables.wanted(text):
        facts.seeded = seeded_tables.seeded_models(nodes, resolver.ref, lambda call: _loaded_class(call, resolver))
    folders = path.split("/")
    admin = folders[-1] == "admin.py" or "admin" in folders[:-1]
    migration = "migrations" in folders[:-1]
    historical = seeded_tables.historical_models(nodes, lambda call: _loaded_class(call, resolver)) if migration else {}
    facts.creates = created_rows.creation_refs(nodes, resolver.ref, migration, admin, historical)
    return facts
