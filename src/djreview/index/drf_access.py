"""DRF access facts for the index: who may call a view, and how much a list returns.

Extracted per class from the stdlib tree (DJR303, DJR304): `permission_classes`, methods that
decide access in code (`get_permissions`, `check_permissions`, checks of `request.user`),
`pagination_class`, the page size of a pagination class, and the request handlers a class
defines (with whether they write). Per module: the views a urlconf routes (`X.as_view()`,
`router.register(prefix, X)`), so a base view that is only subclassed is judged through its
subclasses. The project index combines them through the bases (ProjectIndex.drf_view).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from djreview import orm
from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name
from djreview.index.serializers import _assignments, source_of

# Handlers of a request: HTTP methods of an APIView, actions of a viewset.
_UNSAFE_HANDLERS = frozenset({"post", "put", "patch", "delete", "create", "update", "partial_update", "destroy"})
_HANDLERS = _UNSAFE_HANDLERS | {"get", "list", "retrieve"}
# Methods that decide access in code: a view defining one is judged by its author.
_ACCESS_METHODS = frozenset({"get_permissions", "check_permissions", "initial", "dispatch", "has_permission"})
# Names whose mention in a handler means the handler checks who calls it.
_ACCESS_WORDS = frozenset(
    {
        "is_authenticated",
        "is_anonymous",
        "is_staff",
        "is_superuser",
        "has_perm",
        "has_perms",
        "PermissionDenied",
        "NotAuthenticated",
        "compare_digest",
        "check_permissions",
        "check_object_permissions",
    }
)
# Calls a handler may make without writing anything: validating and answering.
READ_ONLY_CALLS = frozenset(
    {
        "Response",
        "JsonResponse",
        "HttpResponse",
        "is_valid",
        "get_serializer",
        "get_serializer_class",
        "get_serializer_context",
        "get_exception_handler_context",
        "exception_handler",
        "finalize_response",
        "super",
        "get",
        "getattr",
        "hasattr",
        "isinstance",
        "len",
        "str",
        "int",
        "bool",
        "dict",
        "list",
        "_",
        "gettext",
        "ValidationError",
        "debug",
        "info",
        "warning",
        "error",
        "exception",
    }
)
_PAGE_SIZE_ATTRS = ("page_size", "default_limit")
_PAGE_METHODS = frozenset({"get_page_size", "get_limit", "paginate_queryset"})


@dataclass
class AccessFacts:
    permissions: tuple[str, ...] | None = None  # a literal `permission_classes`, refs as written
    permissions_dynamic: bool = False  # `permission_classes` assigned something else
    decides_access: bool = False  # an access method, a check of the user, or a class decorator
    pagination: str | None = None  # `pagination_class`: a ref, "<none>" or "<dynamic>"
    page_size: bool | None = None  # page_size/default_limit: True set, False set to None
    sizes_pages: bool = False  # overrides get_page_size/get_limit/paginate_queryset
    handlers: tuple[tuple[str, bool], ...] = ()  # (handler method, writes) it defines
    # (handler, project functions it calls by name) for a handler that writes only if one of
    # them does: the index judges them (a POST search handing the body to `run_search()`)
    handler_calls: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unsafe_actions: bool = False  # an @action accepting POST/PUT/PATCH/DELETE
    # its own list(): "pages" (calls DRF's paginator), "super" (returns super().list()), "all"
    # (serializes many=True rows), "other"; None: it defines no list()
    list_mode: str | None = None
    list_rows: str | None = None  # "all": the root of the rows it serializes ("view", "model:<ref>.<manager>")
    authentication: bool | None = None  # `authentication_classes`: False when [] or (), else True
    authenticators: tuple[str, ...] | None = None  # a literal, non-empty `authentication_classes`, refs as written
    pages_itself: bool = False  # a method (filter_queryset...) calls a paginator of the project's own
    filter_backends: tuple[str, ...] | None = None  # a literal `filter_backends`, refs as written
    # a filter backend's `filter_queryset()` that reads `request.user`: it narrows every
    # queryset to the rows the user may see (mayan's MayanObjectPermissionsFilter)
    filters_by_user: bool = False
    # the @actions it defines: (name, "set" | "open" | "none"), from `@action(permission_classes=...)`
    actions: tuple[tuple[str, str], ...] = ()
    paginator: bool = False  # `paginator = X()`: an instance replaces GenericAPIView.paginator
    checks_token: bool = False  # a method calls a token generator's check_token() (a reset link)
    logs_in: bool = False  # a handler hands out credentials: login(), RefreshToken.for_user(), a new Token row
    # it says where a list's rows come from: `queryset = ...`, `model = ...`, get_queryset()
    # or get_object(); a ListModelMixin on a class without any of them cannot list
    rows_source: bool = False
    # get_queryset() returns `Model.objects.filter(key=value)` on one key and one value:
    # (model ref, key); a list of at most one row when the key is unique (pk, a OneToOne)
    one_row: tuple[str, str] | None = None
    # get_queryset() returns a sorted or listed copy of something that is no queryset
    # (mitxonline's `sorted(pycountry.countries, ...)`): a fixed list in memory, not a table
    rows_in_memory: bool = False
    # get_queryset()/get_object() defined here whose every return is looked up by the caller
    # (`filter(adviser=self.request.user)`): the caller reaches only their own rows
    callers_rows: tuple[str, ...] = ()
    # a non-empty `throttle_classes` or a `throttle_scope`: the view limits how often anyone
    # may call it (mit-learn's open feedback form)
    throttled: bool | None = None  # None: it sets neither


# Queryset steps that keep the rows a filter chose.
_KEEPING = frozenset({"select_related", "prefetch_related", "order_by", "only", "defer", "all", "distinct"})


def _one_row(node: ast.FunctionDef | ast.AsyncFunctionDef, resolver) -> tuple[str, str] | None:
    """`return Account.objects.filter(user=self.request.user)`: every return filters one model
    on one key with one value (not a list, not a lookup such as `__in`)."""
    found = set()
    for stmt in all_nodes(node):
        if not isinstance(stmt, ast.Return):
            continue
        value = stmt.value
        while (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _KEEPING
            and isinstance(value.func.value, ast.Call)
        ):
            value = value.func.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "none":
            continue  # `Profile.objects.none()` for an anonymous caller: no row
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "filter"):
            return None
        manager = value.func.value
        if value.args or len(value.keywords) != 1 or not isinstance(manager, ast.Attribute):
            return None
        key = value.keywords[0]
        if key.arg is None or "__" in key.arg or isinstance(key.value, (ast.List, ast.Tuple, ast.Set, ast.ListComp)):
            return None
        model = resolver.ref(manager.value) if manager.attr == "objects" else None
        made = manager.value
        if manager.attr == "objects" and isinstance(made, ast.Call) and called_name(made.func) == "get_user_model":
            model = "<user-model>"  # kerrokantasi's `get_user_model().objects.filter(pk=request.user.pk)`
        if model is None:
            return None
        found.add((model, key.arg))
    return found.pop() if len(found) == 1 else None


def _rows_in_memory(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does every return give `sorted(x)`/`list(x)` of a value that names no queryset step
    (`objects`, `filter`, `all`...)? Rows a library or the code holds, not a table's."""
    returns = [n for n in all_nodes(node) if isinstance(n, ast.Return)]
    if not returns:
        return False
    for ret in returns:
        value = ret.value
        if not (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("sorted", "list")
        ):
            return False
        # a queryset step, or a call that may return one (`get_rows()`): rows of a table maybe
        if not value.args or any(
            isinstance(n, ast.Call) or isinstance(n, ast.Attribute) and n.attr in _QUERYSET_WORDS
            for n in all_nodes(value.args[0])
        ):
            return False
    return True


_QUERYSET_WORDS = frozenset({"objects", "filter", "all", "exclude", "order_by", "select_related", "queryset"})


def access_facts(node: ast.ClassDef, resolver) -> AccessFacts | None:
    """The access facts of a class with bases, or None when it has none of them."""
    facts = AccessFacts()
    handlers = []
    handler_calls: list[tuple[str, tuple[str, ...]]] = []
    actions = []
    if node.decorator_list and any(_decides(d) for d in node.decorator_list):
        facts.decides_access = True
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = stmt.name
            if name in _ACCESS_METHODS:
                facts.decides_access = True
            elif name in _PAGE_METHODS:
                facts.sizes_pages = True
            if name in _HANDLERS or _is_action(stmt):
                if name in _HANDLERS:
                    deferred: list[str] = []
                    handlers.append((name, _writes(stmt, name, resolver, deferred)))
                    if deferred:
                        handler_calls.append((name, tuple(deferred)))
                if _checks_user(stmt):
                    facts.decides_access = True
                if not facts.logs_in and _issues_credentials(stmt):
                    facts.logs_in = True
                if _is_action(stmt):
                    facts.unsafe_actions = facts.unsafe_actions or _unsafe_action(stmt)
                    actions.append((name, _action_permissions(stmt, resolver)))
            if resolver.checks_tokens and not facts.checks_token and _calls(stmt, "check_token"):
                facts.checks_token = True  # `default_token_generator.check_token(user, token)`
            if name == "filter_queryset" and _reads_request_user(stmt):
                facts.filters_by_user = True
            if name in ("get_queryset", "get_object"):
                facts.rows_source = True
                if _rows_of_caller(stmt):
                    facts.callers_rows += (name,)
            if name == "get_queryset":
                facts.one_row = _one_row(stmt, resolver)
                facts.rows_in_memory = _rows_in_memory(stmt)
            if name == "get_object" and _returns_caller(stmt):
                facts.decides_access = True  # the caller's own record: the credentials pick the row
            if name == "list":
                facts.list_mode, facts.list_rows = _list_mode(stmt, resolver)
            elif name in _QUERYSET_METHODS and _calls_own_paginator(stmt):
                facts.pages_itself = True
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if len(targets) != 1 or not isinstance(targets[0], ast.Name) or stmt.value is None:
                continue
            _attribute(facts, targets[0].id, stmt.value, resolver)
    facts.handlers = tuple(handlers)
    facts.handler_calls = tuple(handler_calls)
    facts.actions = tuple(actions)
    if (handlers or facts.unsafe_actions) and not facts.decides_access and _verifies_signatures(node):
        facts.decides_access = True  # a webhook: the payload's signature decides who may call
    if handlers and not facts.decides_access and _verified_callback(node):
        facts.decides_access = True  # a gateway's callback confirmed with the gateway before it writes
    return None if facts == AccessFacts() else facts


# A view a payment gateway (or the payer's browser, sent back by it) calls: `PaymentCallback`,
# `PaypalIPN`, `StripeReturn`, `OrderNotify`.
_CALLBACK_NAME = re.compile(r"(?i)callback|ipn|notif|return|webhook")


def _verified_callback(node: ast.ClassDef) -> bool:
    """A gateway's callback whose handler calls a verifier (`verify_at_gateway(authority,
    amount)`, `verify_payment(...)`): the payment is confirmed with the provider, server to
    server, before anything is written; who calls the view decides nothing."""
    if not _CALLBACK_NAME.search(node.name):
        return False
    return any(
        isinstance(n, ast.Call) and "verif" in (_call_name(n) or "").lower()
        for stmt in node.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in _HANDLERS
        for n in all_nodes(stmt)
    )


def _returns_caller(func) -> bool:
    """`def get_object(self): return self.request.auth` (tabbycat's URL-key participant) or
    `self.request.user`: every return is whom the request authenticated."""
    returns = [n for n in all_nodes(func) if isinstance(n, ast.Return)]
    return bool(returns) and all(
        isinstance(r.value, ast.Attribute)
        and r.value.attr in ("user", "auth")
        and isinstance(r.value.value, ast.Attribute)
        and r.value.value.attr == "request"
        for r in returns
    )


_LOGIN_CALLS = frozenset({"login", "auth_login", "for_user"})


def _issues_credentials(func) -> bool:
    """Does the handler log the caller in or mint a token for them: `login(request, user)`,
    simplejwt's `RefreshToken.for_user(user)`, `Token.objects.get_or_create(user=user)`?"""
    for node in all_nodes(func):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in _LOGIN_CALLS:
            return True
        if name in ("create", "get_or_create") and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Attribute) and owner.attr == "objects":
                model = owner.value
                model_name = model.id if isinstance(model, ast.Name) else getattr(model, "attr", "")
                if model_name.endswith("Token"):
                    return True
    return False


# A token obtained by another route (`ObtainEmailCallbackToken`), a magic link, a passwordless login.
_LOGIN_NAME = re.compile(r"obtain\w*token|magiclink|passwordless")
# A one-time-password step of a login: `OTPCodeSend`, `SendOtp`, `otp_verify` (not `Footprint`).
_OTP_NAME = re.compile(r"(?:^|[a-z_])(?:OTP|Otp)(?:[A-Z_]|$)|(?:^|_)otp(?:_|$)")


def _calls(func, method: str) -> bool:
    return any(isinstance(n, ast.Call) and _call_name(n) == method for n in all_nodes(func))


def _rows_of_caller(func) -> bool:
    """Does every `return` of `get_queryset()`/`get_object()` hand back rows looked up by the
    caller: `filter(adviser=self.request.user)`, or a name bound from
    `get_or_create(adviser=self.request.user)` (data-hub's reminders)? An anonymous caller
    then reaches no other user's row."""
    keyed: set[str] = set()
    returns = []
    for node in all_nodes(func):
        if isinstance(node, ast.Assign) and _looks_up_by_caller(node.value):
            for target in node.targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                keyed.update(n.id for n in names if isinstance(n, ast.Name))
        elif isinstance(node, ast.Return):
            returns.append(node.value)
    return bool(returns) and all(
        value is not None and (_looks_up_by_caller(value) or isinstance(value, ast.Name) and value.id in keyed)
        for value in returns
    )


def _looks_up_by_caller(expr: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Call) and any(k.arg and _is_request_user(k.value) for k in n.keywords)
        for n in all_nodes(expr)
    )


def _is_request_user(n: ast.AST) -> bool:
    """`request.user` or `self.request.user`."""
    return (
        isinstance(n, ast.Attribute)
        and n.attr == "user"
        and (
            (isinstance(n.value, ast.Name) and n.value.id == "request")
            or (isinstance(n.value, ast.Attribute) and n.value.attr == "request")
        )
    )


def _reads_request_user(func) -> bool:
    """`request.user` (or `self.request.user`) anywhere in the function."""
    return any(_is_request_user(n) for n in all_nodes(func))


def _verifies_signatures(node: ast.ClassDef) -> bool:
    """Does the class name a signature check (`compare_digest`, a `*Signature*` serializer,
    `verify_signature()`)? Only asked of classes that define handlers or serializers."""
    for n in all_nodes(node):
        name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else None
        if name and ("signature" in name.lower() or name == "compare_digest"):
            return True
    return False


def _attribute(facts: AccessFacts, name: str, value: ast.expr, resolver) -> None:
    if name in ("queryset", "model"):
        facts.rows_source = True
    elif name == "permission_classes":
        refs = [resolver.ref(e) for e in value.elts] if isinstance(value, (ast.List, ast.Tuple)) else None
        if refs is not None and all(refs):
            facts.permissions = tuple(r for r in refs if r)
        else:
            facts.permissions_dynamic = True
    elif name == "paginator" and isinstance(value, ast.Call) and not value.args and not value.keywords:
        facts.pagination, facts.paginator = resolver.ref(value.func) or "<dynamic>", True
    elif name == "paginator" and isinstance(value, ast.Constant) and value.value is None:
        facts.pagination, facts.paginator = "<none>", True  # amy's CSV export: no pages, as pagination_class = None
    elif name == "pagination_class" and not facts.paginator:
        if isinstance(value, ast.Constant) and value.value is None:
            facts.pagination = "<none>"
        else:
            facts.pagination = resolver.ref(value) or "<dynamic>"
    elif name == "filter_backends":
        refs = [resolver.ref(e) for e in value.elts] if isinstance(value, (ast.List, ast.Tuple)) else None
        facts.filter_backends = tuple(r for r in refs if r) if refs is not None and all(refs) else None
    elif name == "authentication_classes":
        facts.authentication = not (isinstance(value, (ast.List, ast.Tuple)) and not value.elts)
        refs = [resolver.ref(e) for e in value.elts] if isinstance(value, (ast.List, ast.Tuple)) else None
        facts.authenticators = tuple(r for r in refs if r) if refs and all(refs) else None
    elif name == "throttle_classes":
        facts.throttled = not (isinstance(value, (ast.List, ast.Tuple)) and not value.elts)
    elif name == "throttle_scope":
        facts.throttled = isinstance(value, ast.Constant) and isinstance(value.value, str)
    elif name in _PAGE_SIZE_ATTRS:
        is_none = isinstance(value, ast.Constant) and value.value is None
        if facts.page_size is not True:
            facts.page_size = not is_none


def _decides(decorator: ast.expr) -> bool:
    """`@method_decorator(login_required, name="dispatch")`, `@permission_required(...)`."""
    text = ast.dump(decorator)
    return any(word in text for word in ("login_required", "permission_required", "staff_member_required"))


def _is_action(func) -> bool:
    return any(_call_name(d) in ("action", "detail_route", "list_route") for d in func.decorator_list)


def _action_permissions(func, resolver) -> str:
    """An @action's own `permission_classes=`: "open" (AllowAny, [] or ()), "set", or "none"
    (the view's apply)."""
    for dec in func.decorator_list:
        value = next((k.value for k in getattr(dec, "keywords", ()) if k.arg == "permission_classes"), None)
        if value is None:
            continue
        if not isinstance(value, (ast.List, ast.Tuple)):
            return "set"  # computed: the author decided
        refs = [resolver.ref(e) for e in value.elts]
        return "open" if all(r and r.rsplit(".", 1)[-1] == "AllowAny" for r in refs) else "set"
    return "none"


def _unsafe_action(func) -> bool:
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call):
            methods = next((k.value for k in dec.keywords if k.arg == "methods"), None)
            if methods is None:
                continue  # GET only
            if not isinstance(methods, (ast.List, ast.Tuple)):
                return True
            for item in methods.elts:
                if not (isinstance(item, ast.Constant) and str(item.value).lower() in ("get", "head", "options")):
                    return True
    return False


def _call_name(node) -> str | None:
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _writes(func, name: str, resolver=None, deferred: list[str] | None = None) -> bool:
    """Could the handler change anything? A handler that only validates and answers (every
    call is a serializer check, a response or a delegation to another handler) does not;
    one that hands over to DRF's own action (`super().create(...)`) does. A plain call of a
    function imported from the project (`run_search(request.data)`) is put in `deferred`
    for the index to judge, when nothing else in the handler writes."""
    if name not in _UNSAFE_HANDLERS:
        return False
    calls: list[str] = []
    for node in all_nodes(func):
        if isinstance(node, ast.Call):
            called = _call_name(node)
            if called in _ACTIONS and isinstance(node.func, ast.Attribute) and _is_super_call(node.func.value):
                return True
            if called in READ_ONLY_CALLS or (called in _UNSAFE_HANDLERS and _on_the_view(node.func)):
                continue  # a delegation (`super().post()`, `self.create()`) is judged where it lands
            if _answers(node, called):
                continue
            if called in _ORM_READS and isinstance(node.func, ast.Attribute):
                continue  # `Order.objects.filter(...).values_list(...)`: a lookup, no row written
            ref = resolver.ref(node.func) if resolver is not None and isinstance(node.func, ast.Name) else None
            if ref and "." in ref and not ref.startswith(("django.", "rest_framework.", "builtins.")):
                calls.append(ref)
                continue
            return True
    if calls and deferred is not None:
        deferred.extend(dict.fromkeys(calls))
    return False


# Queryset methods that read: a handler searching the table writes nothing (lego's search POST).
_ORM_READS = (
    (orm.QUERYSET_RETURNING - {"select_for_update", "extra"})
    | orm.VALUES_METHODS
    | {
        "get",
        "first",
        "last",
        "earliest",
        "latest",
    }
)


def _answers(call: ast.Call, called: str | None) -> bool:
    """A call that computes an answer and writes nothing: a serializer or form bound to the
    request's data (`Params(data=request.data)`: nothing is saved until `save()`), or a
    function that renders text (Ghostwriter's `render_markdown(...)`, `format_html(...)`)."""
    if any(k.arg == "data" for k in call.keywords) and (called or "")[:1].isupper():
        return True
    return (called or "").startswith(("render", "format_", "markdown"))


def _on_the_view(func) -> bool:
    """`self.create`, `super().post`, a bare `update(...)`: not `Book.objects.create`."""
    if not isinstance(func, ast.Attribute):
        return True
    owner = func.value
    return (isinstance(owner, ast.Name) and owner.id == "self") or _is_super_call(owner)


def _is_super_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _checks_user(func) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and n.attr in _ACCESS_WORDS)
        or (isinstance(n, ast.Name) and n.id in _ACCESS_WORDS)
        for n in all_nodes(func)
    )


def _list_mode(func, resolver) -> tuple[str, str | None]:
    """How a view's own list() answers (its body only: decorators are schema, not code), and
    for "all" the root of the queryset it serializes."""
    if _debug_only(func):
        return "other", None  # `if not settings.DEBUG: return Response(status=404)`: no production list
    nodes = [n for stmt in func.body for n in all_nodes(stmt)]
    names = {n.attr for n in nodes if isinstance(n, ast.Attribute)} | {n.id for n in nodes if isinstance(n, ast.Name)}
    if names & {"paginate_queryset", "get_paginated_response", "paginator"}:
        return "pages", None  # DRF's paginator: the pagination class decides
    if any("paginat" in name.lower() for name in names):
        return "other", None  # Django's Paginator, or the project's own paginate(): paged its own way
    if any(_caches(n) for n in nodes) or _cache_paged(func):
        # a4-meinberlin's map lists, experimenter's CachedListMixin around `super().list()`: the
        # whole answer kept in the cache and served from there, a decision about its size as
        # `pagination_class = None` is; also `@method_decorator(cache_page(7200))` on list()
        # (MetaDeploy's product categories)
        return "other", None
    if any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "list"
        and isinstance(n.func.value, ast.Call)
        and getattr(n.func.value.func, "id", None) == "super"
        for n in nodes
    ):
        return "super", None
    for n in nodes:
        if isinstance(n, ast.Call) and n.args and any(k.arg == "many" and _is_true(k.value) for k in n.keywords):
            rows = source_of(n.args[0], resolver, _assignments(func))
            if rows is not None:
                return "all", rows.root  # the index decides whether the root is a model
    return "other", None


def _cache_paged(func) -> bool:
    """`@method_decorator(cache_page(...))` or `@cache_page(...)` on the method."""
    return any(
        isinstance(n, ast.Call) and called_name(n.func) == "cache_page"
        for decorator in func.decorator_list
        for n in all_nodes(decorator)
    )


def _caches(node: ast.AST) -> bool:
    """`cache.set(key, data)`, `cache.get_or_set(...)`, `caches["lists"].set(...)`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr not in ("set", "get_or_set", "set_many"):
        return False
    owner = node.func.value
    if isinstance(owner, ast.Subscript):
        owner = owner.value
    name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return name in ("cache", "caches") or name.endswith("_cache")


def _debug_only(func) -> bool:
    """Does the method start by returning unless `settings.DEBUG` (a docstring aside)?"""
    body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    first = body[0] if body else None
    if not (isinstance(first, ast.If) and first.body and isinstance(first.body[-1], (ast.Return, ast.Raise))):
        return False
    test = first.test
    return (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and isinstance(test.operand, ast.Attribute)
        and test.operand.attr == "DEBUG"
    )


_QUERYSET_METHODS = frozenset({"filter_queryset", "get_queryset", "paginate_queryset"})
_DRF_PAGINATOR = frozenset({"paginate_queryset", "get_paginated_response"})


def _calls_own_paginator(func) -> bool:
    """label-studio's ProjectTaskListAPI.filter_queryset(): `paginator(tasks, request)`."""
    return any(
        isinstance(n, ast.Call) and "paginat" in (_call_name(n) or "").lower() and _call_name(n) not in _DRF_PAGINATOR
        for stmt in func.body
        for n in all_nodes(stmt)
    )


def _is_true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def routed_views(nodes: Nodes, resolver) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The classes a module routes: `X.as_view(...)` and `router.register(prefix, X, ...)`
    (`viewset=X` too), as refs; and each route, with the actions a viewset's
    `as_view({"get": "retrieve"})` maps (ProjectIndex.routed_actions)."""
    found: list[str] = []
    routes: list[str] = []
    for node in nodes.of(ast.Call):
        if not isinstance(node.func, ast.Attribute):
            continue
        target = None
        mapping = ""
        if node.func.attr == "as_view":
            target = node.func.value
            actions = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "actions"), None)
            mapping = _action_mapping(actions)
        elif node.func.attr == "register":
            keyword = next((k.value for k in node.keywords if k.arg == "viewset"), None)
            target = keyword if keyword is not None else (node.args[1] if len(node.args) > 1 else None)
        ref = resolver.ref(target) if target is not None else None
        if ref and ref not in found:
            found.append(ref)
        if ref:
            routes.append(f"{ref}|{mapping}" if mapping else ref)
    return tuple(found), tuple(dict.fromkeys(routes))


def _action_mapping(actions: ast.AST | None) -> str:
    """`{"get": "list", "post": "create"}` -> "get:list,post:create"; "" for anything else."""
    if not isinstance(actions, ast.Dict) or not actions.keys:
        return ""
    pairs = []
    for key, value in zip(actions.keys, actions.values):
        if not (isinstance(key, ast.Constant) and isinstance(value, ast.Constant)):
            return ""
        if not (isinstance(key.value, str) and isinstance(value.value, str)):
            return ""
        pairs.append(f"{key.value.lower()}:{value.value}")
    return ",".join(pairs)


# -- the project's view of a DRF class (ProjectIndex.drf_view) ---------------------------------
_ALLOW_ANY = "rest_framework.permissions.AllowAny"
_DRF_PAGINATIONS = frozenset(
    f"rest_framework.pagination.{name}"
    for name in ("PageNumberPagination", "LimitOffsetPagination", "CursorPagination")
)
# HTTP method -> the handlers it runs, in call order (APIView's method, then the mixin's action)
_CHAINS = {
    "POST": ("post", "create"),
    "PUT": ("put", "update"),
    "PATCH": ("patch", "partial_update", "update"),
    "DELETE": ("delete", "destroy"),
}
# DRF bases -> the handlers they provide
_DRF_WRITES = {
    "CreateModelMixin": ("post", "create"),
    "UpdateModelMixin": ("put", "patch", "update", "partial_update"),
    "DestroyModelMixin": ("delete", "destroy"),
    "CreateAPIView": ("post", "create"),
    "ListCreateAPIView": ("post", "create"),
    "UpdateAPIView": ("put", "patch", "update", "partial_update"),
    "RetrieveUpdateAPIView": ("put", "patch", "update", "partial_update"),
    "DestroyAPIView": ("delete", "destroy"),
    "RetrieveDestroyAPIView": ("delete", "destroy"),
    "RetrieveUpdateDestroyAPIView": ("put", "patch", "delete", "update", "partial_update", "destroy"),
    "ModelViewSet": ("post", "put", "patch", "delete", "create", "update", "partial_update", "destroy"),
}
_ACTIONS = frozenset({"create", "update", "destroy"})
_VIEWSETS = frozenset({"ViewSet", "GenericViewSet", "ViewSetMixin", "ModelViewSet", "ReadOnlyModelViewSet"})
_DRF_LISTS = frozenset({"ListAPIView", "ListCreateAPIView", "ModelViewSet", "ReadOnlyModelViewSet", "ListModelMixin"})
# Bases that log a user in or hand out tokens: open by design.
_LOGIN_BASES = (
    "rest_framework.authtoken.views.ObtainAuthToken",
    "rest_framework_simplejwt.views.Token",
    "rest_framework_jwt.views.",
    "dj_rest_auth.",
    "rest_auth.",
    "knox.views.LoginView",
)
LOGIN_WORDS = (  # in a view's name: a login, logout, signup or token view (DJR303)
    "login",
    "logout",
    "signup",
    "signin",
    "register",
    "registration",  # "register" is no part of it
    "activate",  # an account's activation link: open until the account is active
    "activation",
    "verifyemail",
    "confirmemail",
    "passwordreset",
    "resetpassword",
    "forgotpassword",
    "authtoken",
    "obtaintoken",
    "tokenobtain",
    "tokenrefresh",
    "refreshtoken",
)
# An app whose package says it authenticates (waldur_auth_valimo, jwt_auth, oauth2, sso):
# its open views are the login flow.
_AUTH_PACKAGES = frozenset({"auth", "authentication", "oauth", "oauth2", "login", "sso", "saml", "saml2", "social"})
# Django mixins that decide access themselves.
_ACCESS_MIXINS = frozenset({"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin", "AccessMixin"})
_KNOWN_OUTSIDE = ("rest_framework.", "django.", "builtins.", "typing.", "abc.", "collections.", "object")


@dataclass(frozen=True)
class DrfView:
    """What a DRF view gets through its project bases (DJR303, DJR304)."""

    name: str
    # "default" (no class sets them: the settings' default applies), "open" (AllowAny, [] or ()),
    # "set", "custom" (decided in code: get_permissions, a user check, a decorator or mixin),
    # "unknown" (dynamic, or a base the index cannot read)
    permissions: str
    permission_owner: str = ""  # the class that sets permission_classes
    unsafe: tuple[str, ...] = ()  # HTTP methods it accepts that may write
    routed: bool = True  # routed by a urlconf, or a class no project class extends
    login: bool = False  # a login, signup or token view
    lists: str = ""  # "" no list endpoint, "paginator" (DRF's list, or one calling the paginator), "all" (its own list() serializes every row), "other"
    # "default" (the settings' DEFAULT_PAGINATION_CLASS), "none" (pagination_class = None),
    # "sized", "unsized" (page_size = None), "setting" (the page size is PAGE_SIZE), "unknown"
    pagination: str = "default"
    pagination_owner: str = ""
    pagination_class: str = ""
    model: str | None = None  # the model it serves, when the index knows it
    anonymous: bool = False  # authentication_classes = [] or (): no user, on purpose (webhooks, pairing)
    # it, or its serializer, checks a token generator's token (a password-reset link): the
    # link's token decides who may call it
    token_checked: bool = False
    serializer: str = ""  # the serializer class it names (resolved), when it names one
    throttled: bool = False  # it, or a base, sets throttle_classes or a throttle_scope


def drf_view(index, qual: str) -> DrfView | None:
    """The DRF view `qual` as its project bases make it, or None when it is not one."""
    if index.class_kind(qual) != "drf-view" or qual not in index.classes:
        return None
    mro = index._class_mro(qual)
    outside = [
        index.resolve(b) or b
        for c in mro
        for b in index.classes[c].bases
        if (index.resolve(b) or b) not in index.classes
    ]
    unreadable = any(not ref.startswith(_KNOWN_OUTSIDE) for ref in outside) or any(
        index.classes[c].dynamic_bases for c in mro
    )
    drf_names = {ref.rsplit(".", 1)[-1] for ref in outside if ref.startswith("rest_framework.")}
    facts = [(c, index.classes[c].access) for c in mro if index.classes[c].access is not None]
    name = index.classes[qual].name
    view = DrfView(
        name=name,
        permissions="unknown" if unreadable else "default",
        routed=index._drf_routed(qual),
        login=_login(name, outside, mro, index),
        unsafe=() if unreadable else _unsafe(index, mro, drf_names),
        lists=_lists(index, mro, drf_names),
    )
    permissions, owner = _permissions(index, facts, outside)
    if permissions == "default" and _actions_guard_every_route(facts, drf_names):
        permissions = "set"  # a viewset routing only @actions, each with its own permission_classes
    if permissions == "default" and "POST" not in view.unsafe and _filters_by_user(index, facts):
        # every object it serves or changes is looked up through the backend's queryset: a
        # user who may not see a row gets a 404 (a POST creates without any lookup)
        permissions = "custom"
    if permissions in ("default", "open") and _credentials_demanded(index, facts):
        # every authentication class refuses a request without credentials (lite-api's
        # token headers raise PermissionDenied): no anonymous request reaches a handler
        permissions = "custom"
    if permissions in ("default", "open") and "POST" not in view.unsafe and _caller_rows_only(index, mro):
        # every row it serves or changes is looked up by the caller: an anonymous request
        # reaches no one's rows (a POST creates without a lookup and is still judged)
        permissions = "custom"
    if not unreadable:
        view = _replace(view, permissions=permissions, permission_owner=owner)
    pagination, owner, cls = _pagination(index, facts)
    view = _replace(view, pagination="unknown" if unreadable else pagination, pagination_owner=owner)
    if view.lists == "paginator" and not unreadable and not any(a.rows_source for _, a in facts):
        # treeherder's `ListModelMixin, ViewSet` with no queryset anywhere: list() cannot run
        view = _replace(view, lists="")
    one_row = next((a.one_row for _, a in facts if a.one_row is not None), None)
    if view.lists and one_row is not None and _unique_key(index, *one_row):
        view = _replace(view, lists="")  # `filter(user=request.user)` on a OneToOne: the caller's one row
    mapped = index.routed_methods(qual)
    if mapped is not None:
        # a viewset routed only as `as_view({"get": "retrieve"})`: the other methods are not served
        view = _replace(view, unsafe=tuple(m for m in view.unsafe if m.lower() in mapped))
        if not any("list" in actions for actions in mapped.values()):
            view = _replace(view, lists="")
    anonymous = next((a.authentication is False for _, a in facts if a.authentication is not None), False)
    throttled = next((a.throttled for _, a in facts if a.throttled is not None), False)
    view = _replace(view, pagination_class=cls, model=_model(index, mro), anonymous=anonymous, throttled=throttled)
    serializer = next((index.classes[q].view.serializer for q in mro if index.classes[q].view is not None), None)
    serializer = index.resolve(serializer) or serializer if serializer else ""
    return _replace(view, token_checked=_checks_token(index, mro, serializer), serializer=serializer)


def _unique_key(index, ref: str, key: str) -> bool:
    """Does `key` name at most one row of the model `ref`: its pk, or a OneToOne relation?"""
    if key in ("pk", "id"):
        return True
    model = index.model_for(ref)
    info = index.models.get(model) if model else None
    relation = info.relations.get(key.removesuffix("_id")) if info else None
    return relation is not None and relation.kind == "o2o"


def _checks_token(index, mro, serializer: str) -> bool:
    """Does the view, or the serializer it names, call `check_token()` in a method?"""
    classes = list(mro) + (index._class_mro(serializer) if serializer else [])
    return any(index.classes[c].access is not None and index.classes[c].access.checks_token for c in classes)


_BARE_VIEWSETS = frozenset({"ViewSet", "GenericViewSet", "ViewSetMixin"})


def _actions_guard_every_route(facts, drf_names) -> bool:
    """A viewset with no mixin and no handler of its own is routed only through its @actions:
    when each sets `permission_classes` (or is a login/logout action, open by design) no route
    falls back to the settings' default."""
    if not drf_names or not drf_names <= _BARE_VIEWSETS or any(a.handlers for _, a in facts):
        return False
    actions: dict[str, str] = {}
    for _, access in facts:
        for name, state in access.actions:
            actions.setdefault(name, state)
    return bool(actions) and all(
        state == "set" or any(word in name.lower().replace("_", "") for word in LOGIN_WORDS)
        for name, state in actions.items()
    )


def _credentials_demanded(index, facts) -> bool:
    """Are the view's authentication classes (its own or its nearest base's literal list, else
    the settings' DEFAULT_AUTHENTICATION_CLASSES) all project classes whose `authenticate()`
    raises rather than answering None for a request without credentials?"""
    refs = next((a.authenticators for _, a in facts if a.authentication is not None), None)
    if refs is None and not any(a.authentication is not None for _, a in facts):
        default = index.drf_setting("DEFAULT_AUTHENTICATION_CLASSES")
        if default.state == "set" and isinstance(default.value, (list, tuple)):
            refs = tuple(v for v in default.value if isinstance(v, str)) or None
    if not refs:
        return False
    return all(_demands(index, r, 0) for r in refs)


def _demands(index, ref: str, depth: int) -> bool:
    """Does the authentication class `ref` (or a project base) never answer None, itself or
    through every class it hands the request to (lite-api's SharedAuthentication)?"""
    for cls in index._class_mro(index.resolve(ref) or ref):
        info = index.classes[cls]
        if info.demands_credentials:
            return True
        if info.auth_delegates and depth < 3:
            return all(_demands(index, d, depth + 1) for d in info.auth_delegates)
    return False


def _caller_rows_only(index, mro) -> bool:
    """Is the nearest `get_queryset()` along the MRO one that looks rows up by the caller, and
    the nearest `get_object()` (when any) too? A get_object() of DRF's reads get_queryset()."""
    found: dict[str, bool] = {}
    for qual in mro:
        cls = index.classes[qual]
        for method in ("get_queryset", "get_object"):
            if method in cls.methods and method not in found:
                found[method] = cls.access is not None and method in cls.access.callers_rows
    return bool(found) and all(found.values())


def _filters_by_user(index, facts) -> bool:
    """Does the view's `filter_backends` (its own or its nearest base's) hold a project filter
    backend whose `filter_queryset()` reads `request.user`?"""
    backends = next((a.filter_backends for _, a in facts if a.filter_backends is not None), ())
    for ref in backends:
        qual = index.resolve(ref) or ref
        if any(
            index.classes[c].access is not None and index.classes[c].access.filters_by_user
            for c in index._class_mro(qual)
        ):
            return True
    return False


def _replace(view: DrfView, **changes) -> DrfView:
    from dataclasses import replace

    return replace(view, **changes)


def _permissions(index, facts, outside) -> tuple[str, str]:
    if any(ref.rsplit(".", 1)[-1] in _ACCESS_MIXINS for ref in outside):
        return "custom", ""
    if any(a.decides_access for _, a in facts):
        return "custom", ""
    for qual, access in facts:
        if access.permissions_dynamic:
            return "unknown", index.classes[qual].name
        if access.permissions is not None:
            refs = [index.resolve(r) or r for r in access.permissions]
            return ("open" if all(r == _ALLOW_ANY for r in refs) else "set"), index.classes[qual].name
    return "default", ""


def _unsafe(index, mro, drf_names) -> tuple[str, ...]:
    """The HTTP methods that may write: a DRF base's handler, or the project's own, unless
    the handlers the method runs are all the project's and only validate and answer."""
    provided = {h for n in drf_names for h in _DRF_WRITES.get(n, ())}
    defined: dict[str, bool] = {}
    unsafe_action = False
    for qual in mro:
        access = index.classes[qual].access
        if access is None:
            continue
        unsafe_action = unsafe_action or access.unsafe_actions
        calls = dict(access.handler_calls)
        for handler, writes in access.handlers:
            if not writes and handler in calls:
                writes = not all(index.writes_nothing(ref) for ref in calls[handler])
            defined.setdefault(handler, writes)
    found = []
    for method, chain in _CHAINS.items():
        handlers = [h for h in chain if h in provided or h in defined]
        if not handlers:
            continue
        # DRF's own post()/put()/partial_update() only hand over to the action; its action
        # (create/update/destroy) writes unless the project overrides it
        if any(defined.get(h, False) for h in handlers) or any(
            h in provided and h not in defined for h in handlers if h in _ACTIONS
        ):
            found.append(method)
    if unsafe_action and not found:
        found.append("an @action")
    return tuple(found)


def _writes_nothing(reader, ref: str, depth: int = 0) -> bool:
    """Is `ref` a project function the index read whose body writes no row, nor the project
    functions it hands its arguments to (three calls deep; a package's, such as
    `requests.post()`, writes none of the project's rows)? An unknown function may write."""
    found = reader.callee(ref, 0, None)
    if found is None or found[0].writes or depth > 2:
        return False
    for call in found[0].calls:
        if call.callee.startswith("self."):
            return False  # a method of an object the index does not type
        if reader.callee(call.callee, 0, None) is not None and not _writes_nothing(reader, call.callee, depth + 1):
            return False
    return True


def _lists(index, mro, drf_names) -> str:
    """ "paginator" (DRF's list, or its own calling a paginator), "all" (its own list()
    serializes every row), "other" (its own list() answers something else), "" (no list)."""
    view_facts = next((index.classes[q].view for q in mro if index.classes[q].view is not None), None)
    if view_facts is not None and view_facts.no_get:
        return ""
    is_list = bool(drf_names & _DRF_LISTS)
    if any((index.classes[q].access or AccessFacts()).pages_itself for q in mro):
        return "other"  # paged its own way
    for qual in mro:  # the first list() on the way up answers, unless it hands over to super()
        access = index.classes[qual].access
        mode = access.list_mode if access is not None else None
        if mode is None or mode == "super":
            continue
        if not drf_names & (_VIEWSETS | _DRF_LISTS):
            return ""  # list() of an APIView is no endpoint of its own
        if mode == "all" and not _rows_of_a_model(index, access.list_rows):
            return "other"  # plugins, choices, objects built in code: not a table
        if (
            mode == "all"
            and access.list_rows == "view"
            and any((index.classes[q].access or AccessFacts()).rows_in_memory for q in mro)
        ):
            return "other"  # get_queryset() sorts a library's fixed list (countries): not a table
        return "paginator" if mode == "pages" else mode
    return "paginator" if is_list else ""


def _rows_of_a_model(index, root: str | None) -> bool:
    if root == "view":
        return True
    if root is None or not root.startswith("model:"):
        return False
    return index.model_for(root[len("model:") :].rpartition(".")[0]) is not None


def _pagination(index, facts) -> tuple[str, str, str]:
    for qual, access in facts:
        if access.pagination is None:
            continue
        owner = index.classes[qual].name
        if access.pagination == "<none>":
            return "none", owner, ""
        if access.pagination == "<dynamic>":
            return "unknown", owner, ""
        return pagination_size(index, access.pagination), owner, access.pagination
    return "default", "", ""


def pagination_size(index, ref: str) -> str:
    """How a pagination class sizes its pages: "sized" (page_size/default_limit, or its own
    sizing methods), "unsized" (page_size = None), "setting" (DRF's classes: PAGE_SIZE),
    "unknown" (a class the index cannot read: assumed to work)."""
    qual = index.resolve(ref) or ref
    if qual in _DRF_PAGINATIONS:
        return "setting"
    if qual not in index.classes:
        return "unknown"
    mro = index._class_mro(qual)
    for c in mro:
        access = index.classes[c].access
        if access is None:
            continue
        if access.sizes_pages:
            return "sized"
        if access.page_size is not None:
            return "sized" if access.page_size else "unsized"
    outside = {index.resolve(b) or b for c in mro for b in index.classes[c].bases} - set(index.classes)
    return "setting" if outside and outside <= _DRF_PAGINATIONS | {"object"} else "unknown"


def _login(name: str, outside, mro, index) -> bool:
    if mro and mro[0].startswith(_LOGIN_BASES):
        return True  # DRF's ObtainAuthToken itself, a token package's own views
    lowered = name.lower().replace("_", "")
    if any(word in lowered for word in LOGIN_WORDS) or _OTP_NAME.search(name) or _LOGIN_NAME.search(lowered):
        return True
    if any(index.classes[c].access is not None and index.classes[c].access.logs_in for c in mro):
        return True  # it logs the caller in, or hands out their token: the login itself
    module = index.class_module[mro[0]].module if mro else ""
    if _AUTH_PACKAGES & set(module.replace(".", "_").split("_")):
        return True
    return any(ref.startswith(_LOGIN_BASES) for ref in outside)


def _model(index, mro) -> str | None:
    """The model a view serves: its queryset's, else its serializer's Meta.model."""
    for qual in mro:
        view = index.classes[qual].view
        if view is None:
            continue
        if view.queryset is not None and view.queryset.root.startswith("model:"):
            model = index.model_for(view.queryset.root[len("model:") :].rpartition(".")[0])
            if model:
                return model
        if view.serializer:
            for ser in index._class_mro(index.resolve(view.serializer)):
                meta = index.classes[ser].meta_model
                if meta:
                    return index.model_for(meta)
    return None


def routed_and_extended(index) -> tuple[set[str], set[str]]:
    """The classes some urlconf routes, and the classes some project class extends."""
    routed = {index.resolve(ref) or ref for m in index.modules.values() for ref in m.routed}
    extended = {
        index.resolve(b) or b
        for q, cls in index.classes.items()
        if not index.class_module[q].external
        for b in cls.bases
    }
    return routed, extended


def routed_actions(index) -> dict[str, dict[str, set[str]] | None]:
    """view class -> HTTP method -> the actions its routes map (`as_view({"get": "retrieve"})`);
    None for a class some route serves whole (a router, `as_view()` with no mapping)."""
    found: dict[str, dict[str, set[str]] | None] = {}
    for module in index.modules.values():
        for route in module.routes:
            ref, _, mapping = route.partition("|")
            qual = index.resolve(ref) or ref
            if not mapping:
                found[qual] = None
                continue
            if qual in found and found[qual] is None:
                continue
            methods = found.setdefault(qual, {})
            for pair in mapping.split(","):
                method, _, action = pair.partition(":")
                methods.setdefault(method, set()).add(action)  # type: ignore[union-attr]
    return found


_REFUSALS = frozenset({"AuthenticationFailed", "NotAuthenticated", "PermissionDenied"})


def demands_credentials(func) -> bool:
    """A DRF authentication class's `authenticate()` that never answers None: it raises
    (AuthenticationFailed, NotAuthenticated, PermissionDenied), or it always ends with a
    `(user, auth)` pair (its helpers raise). DRF's contract is None for "no credentials here,
    try the next class"; never answering so turns every anonymous request away."""
    raises = returns_none = False
    for node in all_nodes(func):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raises = raises or _call_name(node.exc) in _REFUSALS
        elif isinstance(node, ast.Return) and (
            node.value is None or isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            returns_none = True
    last = func.body[-1] if func.body else None
    if returns_none or not isinstance(last, (ast.Raise, ast.Return)):
        return False
    # it raises itself, or it ends handing back DRF's (user, auth) pair with no way to answer
    # None: a helper it calls raises instead (lite-api's hawk and token header checks)
    return raises or isinstance(last, ast.Return) and isinstance(last.value, ast.Tuple)


def delegated_authenticators(func) -> list[ast.expr]:
    """`return ExporterAuthentication().authenticate(request)` on every path (and no path
    answering None): the classes made, whose `authenticate()` decides."""
    made: list[ast.expr] = []
    for node in all_nodes(func):
        if not isinstance(node, ast.Return):
            continue
        value = node.value
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "authenticate"
            and isinstance(value.func.value, ast.Call)
            and isinstance(value.func.value.func, (ast.Name, ast.Attribute))
        ):
            return []
        made.append(value.func.value.func)
    last = func.body[-1] if func.body else None
    ends = isinstance(last, (ast.Return, ast.Raise)) or (isinstance(last, ast.If) and _all_paths_end(last))
    return made if ends else []


def _all_paths_end(node: ast.If) -> bool:
    """Do both branches of the `if` end in a return or a raise (an `elif` chain too)?"""
    for branch in (node.body, node.orelse):
        if not branch:
            return False
        tail = branch[-1]
        if isinstance(tail, ast.If):
            if not _all_paths_end(tail):
                return False
        elif not isinstance(tail, (ast.Return, ast.Raise)):
            return False
    return True
