"""Which functions verify a request's signature: a per-file fact for DJR403 (csrf-exempt).

A view exempt from CSRF is safe when it authenticates each request by a signature the sender
computes with a shared secret (a payment provider's webhook): a forged cross-site POST
cannot carry it. Whether a view verifies is read here from the stdlib tree, per module
function and per method ("Class.method"): does its body verify, and which functions does it
call (the index follows them, across modules, to a bounded depth).

Verifying is calling a constant-time comparison (`hmac.compare_digest`), comparing an
`hmac.new(...)` digest, a provider's verifier (`stripe.Webhook.construct_event`,
`svix.Webhook(...).verify`, nacl/cryptography `.verify(...)`, twilio's
`RequestValidator(...).validate`, slack's `is_valid_request`, `jwt.decode` with a key,
`django.core.signing.loads`/`.unsign`), or calling (or being decorated by) a function whose
name says it verifies a signature (`verify_signature`, `check_hmac`...). Reading or logging
the signature header is not verifying: those reads are kept apart (`headers`), so the rule
can say "it reads the header but never verifies it".

Only files that could hold such code are read (`worth_reading`): the view's own module (it
names `csrf_exempt`) and modules naming a verifier or a signature. A helper that verifies
only through another helper in a module naming none of them is not seen (a miss, not a false
alarm: the view is then reported).
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from dataclasses import dataclass

from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name

_WORDS = re.compile(
    r"csrf_exempt|request|compare_digest|constant_time_compare|hmac|construct_event|verify|signing|unsign|jwt"
    r"|is_valid_request|RequestValidator|_notify-validate|[Ss]ignature|twilio_view|recover_message|recover_hash"
    r"|shared_task|\.task\b"  # a Celery task a webhook queues its payload to may verify it
)
# A name that says it verifies a signature: verify_signature, check_hmac, is_valid_signature,
# validate_twilio_request, signature_is_valid, verify_signed_payload (zentral's MDM check of a
# CMS signature)...
_VERIFYING_NAME = re.compile(
    r"(?i)(verif|check|valid|authenticat)\w*(signature|_sig\b|_sig_|hmac|digest|twilio_request"
    r"|signed_(payload|request|data|message|body))"
    r"|(signature|hmac)\w*_(is_)?(valid|verif|match|ok)"
    # a payment processor's signed post-back checked (mitol's `validate_processor_response`)
    r"|(verif|validat)\w*_(processor|gateway)_(response|request|callback)"
    r"|^twilio_view$"
)
_COMPARISONS = frozenset({"compare_digest", "constant_time_compare"})
# eth-account's `Account.recover_message`/`recover_hash`: the signer's address, recovered from
# the signature (safe-transaction-service checks it against the Safe's owners)
_PROVIDER_METHODS = frozenset(
    {
        "construct_event",
        "verify_header",
        "is_valid_request",
        "unsign",
        "unsign_object",
        "recover_message",
        "recover_hash",
    }
)
_SIGNING = frozenset({"django.core.signing.loads", "django.core.signing.unsign"})
_JWT_DECODE = frozenset({"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"})
_SIGNATURE_HEADER = re.compile(r"(?i)signature|hmac")
_AUTHORIZATION = frozenset({"HTTP_AUTHORIZATION", "Authorization", "authorization", "AUTHORIZATION"})
# A custom header carrying a credential (`HTTP_X_API_KEY`, `X-Auth-Token`): a cross-site form
# cannot send one, and a script on another origin needs a CORS preflight to.
_KEY_HEADER = re.compile(r"(?i)^(HTTP_X_|X-)\w*(KEY|TOKEN|AUTH|SECRET|CREDENTIAL)")
# A call whose name says it computes a signature (an SDK's `calculate_signature()`): compared
# with the request's, that is verifying, as an `hmac.new()` digest compared is.
_SIGNER_NAME = re.compile(r"(?i)^(calc|calculate|compute|generate|make|create|build|expected)_?(signature|hmac)$")
# What the request's cookies give a view: the user, the session, the cookies themselves.
_COOKIE_STATE = frozenset({"user", "session", "COOKIES"})
_SESSION_CALLS = frozenset({"login", "logout", "auth_login", "auth_logout", "update_session_auth_hash"})
# Calls that check a request's origin: python-social-auth validates the OAuth `state` (and
# SAML's signed response) when completing a login (and requests-oauthlib, when a function makes
# an `OAuth2Session(state=...)` and calls its `fetch_token()`, and pylti1p3's
# `DjangoMessageLaunch(...)` whose `validate()`/`get_launch_data()` checks the launch JWT's
# signature, state and nonce, see _Function.read); a view may run Django's CSRF check itself
# (`CsrfViewMiddleware(...)._check_token(request)`).
_ORIGIN_CHECKED = frozenset({"do_complete", "_check_token", "enforce_csrf"})
# Calls that check a message against what only the sender can produce: WebAuthn/FIDO2 (the
# response signs a challenge kept in the session: python-fido2, py_webauthn) and pysaml2 (the
# IdP's signed SAML message, `InResponseTo` matched against the session's outstanding queries).
_CHALLENGE_VERIFIERS = frozenset(
    {
        "register_complete",
        "authenticate_complete",
        "verify_registration_response",
        "verify_authentication_response",
        "parse_authn_request_response",
        "parse_logout_request_response",
        "handle_logout_request",
    }
)
_ORIGIN_CHECKED_REFS = ("social_django.views.complete",)
# Django's calls that only build an answer (`django.shortcuts.reverse` re-exports
# `django.urls.reverse`: read by name within django), and plain value calls on locals and builtins.
_ANSWERS = frozenset(
    {
        "render",
        "redirect",
        "resolve_url",
        "reverse",
        "reverse_lazy",
        "redirect_to_login",
        "render_to_string",
        "TemplateResponse",
        "HttpResponse",
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
        "JsonResponse",
        "HttpResponseBadRequest",
        "HttpResponseForbidden",
        "HttpResponseNotFound",
        "HttpResponseNotAllowed",
        "Http404",
    }
)
_PLAIN_CALLS = frozenset(
    {
        "format",
        "urlencode",
        "get",
        "getlist",
        "join",
        "strip",
        "lower",
        "upper",
        "replace",
        "split",
        "startswith",
        "endswith",
        "get_full_path",
        "build_absolute_uri",
        "get_username",
        "get_full_name",
        "get_short_name",
        "has_perm",
        "str",
        "int",
        "len",
        "bool",
        "dict",
        "list",
    }
)
# What a request carries that a forged POST would choose: its body, its method, its files.
_POSTED = frozenset({"POST", "body", "FILES", "data", "method", "read"})
# Celery's ways of queueing a task: a webhook that queues its payload is verified when the task
# verifies it (mitxonline's Mailgun webhook checks the signature in the worker)
_QUEUEING = frozenset({"delay", "apply_async"})


@dataclass
class SignatureFacts:
    """One function's part in verifying a request's signature."""

    verifies: bool = False  # its body (nested functions included) verifies
    calls: tuple[str, ...] = ()  # functions it calls: qualified refs, "self.<name>" for methods
    headers: tuple[str, ...] = ()  # signature-like header names it reads ("HTTP_X_HUB_SIGNATURE")
    drf: bool = False  # decorated with DRF's @api_view: CSRF is DRF's business there
    identity: bool = False  # acts as the request's user: request.user/.session/.COOKIES, login()
    token_auth: bool = False  # reads the Authorization header: authenticated by it, not by cookies
    signs: bool = False  # computes an HMAC digest it does not compare: a signer whose result callers compare
    compared: tuple[str, ...] = ()  # functions whose result it compares with `==`/`!=` (a signer's, maybe)
    decorators: tuple[str, ...] = ()  # the project functions decorating it (a wrapper may authenticate)
    makes_saml_auth: bool = False  # builds python3-saml's OneLogin_Saml2_Auth (a helper the view calls)
    # it calls process_response()/process_slo() on an object it did not build: one of the
    # functions it calls may build it (mediacms's `auth = build_auth(request, provider)`)
    processes_saml: bool = False
    # classes it instantiates with a value (`LTISelectFormAccessToken(request.POST["jwt"])`): a
    # simplejwt token made from a string checks its signature (the index knows the bases)
    tokens: tuple[str, ...] = ()
    # classes it requires request.user to be (`isinstance(request.user, DAGRunUser)`)
    user_classes: tuple[str, ...] = ()
    # every call only builds an answer (render, redirect, a response) and it reads nothing the
    # request posts, nor the session: a forged cross-site POST gets what a link would
    answers_only: bool = False


_NOTHING = SignatureFacts()


def worth_reading(text: str) -> bool:
    return _WORDS.search(text) is not None


# Words without which a module cannot act as the request's user: a project mixin naming none
# of them (yournextrepresentative's ContributorsMixin, building leaderboards) is known to add
# nothing, and does not hide the Django view it is mixed into.
# (`request` is one of _WORDS; a `user__username` lookup is not the request's user; a
# decorator given by name may be a project function that does, read where it is defined)
_USER_WORDS = re.compile(r"session|COOKIES|login|logout|contrib\.auth\.(decorators|mixins|views)|\breq\b|decorator")


def says_nothing(text: str) -> bool:
    """Can nothing in the module verify a signature or act as the user (no word for either)?"""
    return _USER_WORDS.search(text) is None and not worth_reading(text)


def verifying_name(name: str) -> bool:
    return _VERIFYING_NAME.search(name) is not None


class _Function:
    """One walk of a function (decorators included) gathering its SignatureFacts."""

    def __init__(self, qualify):
        self.qualify = qualify  # a module-level name -> its qualified ref, None when unknown
        self.facts = SignatureFacts()
        self.calls: list[str] = []
        self.compared: list[str] = []
        self.hmac_digest = False
        self.compares = False
        self.twilio = self.validates = False
        self.oauth_state = self.fetches_token = False  # requests-oauthlib checks `state` on fetch_token()
        self.lti_launch = self.lti_validated = False  # pylti1p3: the launch's JWT against the platform's keys
        self.saml_auth = self.saml_processed = False  # python3-saml: the IdP's signed response
        self.user_read = self.user_set = False  # `request.user` read; assigned by the view itself
        # local names and `self` attributes bound to a project object made here: `self.lti = LTI(request)`
        self.instances: dict[str, str] = {}
        self.tokens: list[str] = []
        self.user_classes: list[str] = []
        self.cookies_read = False  # a token read from a cookie rides along with a forged request
        self.local_imports: dict[str, str] = {}  # names a function-level `from x import y` binds
        self.answers = True  # every call builds an answer, nothing posted or stored is read
        self.decorating: set[int] = set()

    def read(self, node: ast.FunctionDef | ast.AsyncFunctionDef, inner: list[ast.AST]) -> SignatureFacts:
        """`inner`: the nodes of the function (decorators included) that may matter."""
        for stmt in node.body:  # `from b2b.api import process` inside a Celery task (no cycle at import)
            if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                for alias in stmt.names:
                    self.local_imports[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
        self.decorating = {id(d) for d in node.decorator_list}  # `@cache_control(...)` builds no answer
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                called_name(d) == "csrf_protect" for d in stmt.decorator_list
            ):
                # froide's `@csrf_protect def fake_view(request)` run on the request: Django's
                # own CSRF check (csrf_protect, or decorator_from_middleware(CsrfViewMiddleware) so named)
                self.facts.verifies = True
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            ref = self._ref(target) or ""
            if ref.rsplit(".", 1)[-1] == "api_view" and "rest_framework" in ref:
                self.facts.drf = True
            if ref.startswith(("django.contrib.auth.", "django.contrib.admin.")):
                self.facts.identity = True  # login_required, permission_required, staff_member_required
            elif ref and not ref.startswith("self."):
                self.facts.decorators += (ref,)
            self._callee(target)
        for child in inner:
            if isinstance(child, ast.Assign):
                self._instance(child)
        for child in inner:
            if isinstance(child, ast.Attribute) and child.attr in _POSTED | {"session", "COOKIES"}:
                self.answers = self.answers and not _is_request(child.value)
            if isinstance(child, ast.Call):
                self._call(child)
            elif isinstance(child, ast.Compare):
                self.compares = self.compares or any(isinstance(op, (ast.Eq, ast.NotEq)) for op in child.ops)
                for side in (child.left, *child.comparators):
                    called = self._ref(side.func) if isinstance(side, ast.Call) else None
                    if isinstance(side, ast.Name):
                        called = self.instances.get(side.id)  # `signed = sign(...)`, then `sig == signed`
                    if called and not called.startswith("self."):
                        self.compared.append(called)
            elif isinstance(child, ast.Subscript):
                self._header(child.slice)
            elif isinstance(child, ast.Attribute) and child.attr in _COOKIE_STATE and _is_request(child.value):
                if child.attr == "user" and isinstance(child.ctx, ast.Store):
                    self.user_set = True  # `request.user = bot.created_by`: the view picks the user itself
                elif child.attr == "user":
                    self.user_read = True
                else:
                    self.facts.identity = True
                    self.cookies_read = self.cookies_read or child.attr == "COOKIES"
            elif isinstance(child, ast.Constant) and child.value == "_notify-validate":
                self.facts.verifies = True  # PayPal IPN: the message is posted back to be validated
            elif isinstance(child, ast.If):
                self.facts.verifies = True  # it turns away requests no script of the site sent
        if (
            self.hmac_digest
            and self.compares
            or self.validates
            and (self.twilio or bool(self.facts.headers))
            or self.oauth_state
            and self.fetches_token
            or self.lti_launch
            and self.lti_validated
            or self.saml_auth
            and self.saml_processed
        ):
            self.facts.verifies = True
        elif self.hmac_digest:
            self.facts.signs = True
        self.facts.makes_saml_auth = self.saml_auth
        self.facts.processes_saml = self.saml_processed and not self.saml_auth
        if self.user_read and not self.user_set:
            self.facts.identity = True  # recipes' Telegram hook sets request.user from its URL token first
        self.facts.calls = tuple(dict.fromkeys(self.calls))
        self.facts.answers_only = self.answers
        self.facts.compared = tuple(dict.fromkeys(self.compared))
        self.facts.tokens = () if self.cookies_read else tuple(dict.fromkeys(self.tokens))
        self.facts.user_classes = tuple(dict.fromkeys(self.user_classes))
        return self.facts

    def _instance(self, assign: ast.Assign) -> None:
        """`lti = LTI(request)`, `self.lti = LTI(request)`: its methods called later are followed."""
        if len(assign.targets) != 1 or not isinstance(assign.value, ast.Call):
            return
        made = self._ref(assign.value.func)
        name = _bound_name(assign.targets[0])
        if made and name and not made.startswith("self."):
            self.instances[name] = made

    def _ref(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        if node.id in ("self", "cls"):
            return f"self.{parts[-1]}" if len(parts) == 1 else None
        base = self.local_imports.get(node.id) or self.qualify(node.id)
        return ".".join([base, *reversed(parts)]) if base else None

    def _callee(self, func: ast.AST) -> None:
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name and verifying_name(name):
            self.facts.verifies = True
        ref = self._ref(func)
        if ref is None and isinstance(func, ast.Attribute):
            made = self.instances.get(_bound_name(func.value) or "")
            ref = f"{made}.{func.attr}" if made else None  # `self.lti.verify()`: LTI.verify
        if ref:
            self.calls.append(ref)
            task, dot, queued = ref.rpartition(".")
            if dot and queued in _QUEUEING and not task.startswith("self"):
                self.calls.append(task)  # `process_event.delay(payload)`: the task runs the function

    def _call(self, call: ast.Call) -> None:
        func = call.func
        self._callee(func)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        ref = self._ref(func) or ""
        answer = ref.startswith("django.") and name in _ANSWERS
        if not answer and (ref or name not in _PLAIN_CALLS) and id(call) not in self.decorating:
            self.answers = False
        if name == "isinstance" and len(call.args) == 2 and _request_user(call.args[0]):
            required = self._ref(call.args[1])
            if required:
                self.user_classes.append(required)  # openhexa's webhook: only a DAGRunUser passes
        if name.endswith("Token") and call.args and ref and not ref.startswith("self."):
            self.tokens.append(ref)  # a token class made from a value: simplejwt's verify it
        if name in _SESSION_CALLS:
            self.facts.identity = True
        if name == "get_authorization_header":
            self.facts.token_auth = True
        verifier = name in _COMPARISONS or name in _PROVIDER_METHODS or name in _CHALLENGE_VERIFIERS
        # `CsrfViewMiddleware(get_response).process_view(...)`: Django's own check, run here
        django_check = name in _ORIGIN_CHECKED or name == "process_view" and _made_by(func, "CsrfViewMiddleware")
        if verifier or django_check or ref in _SIGNING:
            self.facts.verifies = True
        elif name == "verify" and (call.args or call.keywords):
            self.facts.verifies = True  # svix Webhook(...).verify, nacl VerifyKey(...).verify, cryptography
        elif name == "validate_request" and len(call.args) + len(call.keywords) >= 2:
            self.facts.verifies = True  # oauthlib's `SignatureOnlyEndpoint(...).validate_request(uri, method, ...)`
        elif name == "validate" and len(call.args) + len(call.keywords) >= 3:
            # twilio's RequestValidator(token).validate(url, params, signature), the validator
            # made here or handed over by a helper (fx-private-relay's `twilio_validator()`) in a
            # function that reads the signature header
            self.validates = True
        elif ref.startswith(_ORIGIN_CHECKED_REFS) or ref in _JWT_DECODE and _decodes_with_key(call):
            self.facts.verifies = True
        elif ref == "hmac.new" or ref.startswith("hmac.") and name == "HMAC" or _SIGNER_NAME.match(name):
            self.hmac_digest = True
        elif name == "RequestValidator":
            self.twilio = True
        elif name == "OAuth2Session" and any(k.arg == "state" for k in call.keywords):
            self.oauth_state = True  # the callback's `state` must match the one kept in the session
        elif name == "fetch_token":
            self.fetches_token = True
        elif name == "OneLogin_Saml2_Auth":
            self.saml_auth = True  # python3-saml, whose process_response()/process_slo() verify
        elif name in ("process_response", "process_slo"):
            self.saml_processed = True
        elif name.endswith("MessageLaunch"):
            self.lti_launch = True  # pylti1p3's DjangoMessageLaunch(request, tool_conf)
        elif name in ("validate", "get_launch_data", "validate_registration"):
            self.lti_validated = True
        elif name == "get" and call.args:
            self._header(call.args[0])

    def _header(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and (
            node.value in _AUTHORIZATION or isinstance(node.value, str) and _KEY_HEADER.match(node.value)
        ):
            self.facts.token_auth = True
        text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
        if _SIGNATURE_HEADER.search(text) and text not in self.facts.headers and len(text) < 80:
            self.facts.headers += (text,)


def _bound_name(node: ast.AST) -> str | None:
    """`lti` or `self.lti`: a name an object can be bound to and read back from."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None


def _request_user(node: ast.AST) -> bool:
    """`request.user`, `self.request.user` (the request as `_is_request` knows it)."""
    return isinstance(node, ast.Attribute) and node.attr == "user" and _is_request(node.value)


def _made_by(func: ast.AST, cls: str) -> bool:
    """`Cls(...).method`: a method called on an object made right there."""
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)):
        return False
    maker = func.value.func
    name = maker.attr if isinstance(maker, ast.Attribute) else maker.id if isinstance(maker, ast.Name) else ""
    return name == cls


def _is_request(node: ast.AST) -> bool:
    """`request`, `self.request`, `req`: the request object (not `order.user`)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "request"
    return isinstance(node, ast.Name) and (node.id.endswith("request") or node.id == "req")


def _decodes_with_key(call: ast.Call) -> bool:
    """`jwt.decode(token, key, ...)` that does not turn signature checking off."""
    keyed = len(call.args) >= 2 or any(k.arg == "key" for k in call.keywords)
    for keyword in call.keywords:
        if keyword.arg == "verify" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False:
            return False
        if keyword.arg == "options" and "verify_signature" in ast.dump(keyword.value):
            return False
    return keyed


def signature_facts(qualify, statements, nodes: Nodes) -> dict[str, SignatureFacts]:
    """Per module function ("name") and method ("Class.name"), what it does about a signature
    and the request's user: only the functions with something to say are kept."""
    units: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for stmt in statements:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            units.append((stmt.name, stmt))
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    units.append((f"{stmt.name}.{item.name}", item))
    if not units:
        return {}
    inner = _nodes_by_function([node for _, node in units], nodes)
    found: dict[str, SignatureFacts] = {}
    for (key, node), held in zip(units, inner):
        facts = _Function(qualify).read(node, held)
        if (
            facts.verifies
            or facts.calls
            or facts.headers
            or facts.drf
            or facts.identity
            or facts.token_auth
            or facts.signs
            or facts.makes_saml_auth
            or facts.tokens
        ):
            found[key] = facts
    return found


def _nodes_by_function(functions: list[ast.FunctionDef | ast.AsyncFunctionDef], nodes: Nodes) -> list[list[ast.AST]]:
    """For each of `functions` (disjoint: module functions and methods), the nodes a reading
    looks at, from the module's one listing instead of a walk per function: every call, and
    the comparisons, subscripts, attributes and constants that can say something."""
    spans = sorted(
        (
            min([(d.lineno, d.col_offset) for d in f.decorator_list] + [(f.lineno, f.col_offset)]),
            (f.end_lineno or f.lineno, f.end_col_offset or 0),
            i,
        )
        for i, f in enumerate(functions)
    )
    starts = [start for start, _, _ in spans]
    held: list[list[ast.AST]] = [[] for _ in functions]

    def place(node: ast.AST) -> None:
        position = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        at = bisect_right(starts, position) - 1
        if at >= 0 and position <= spans[at][1]:
            held[spans[at][2]].append(node)

    for call in nodes.of(ast.Call):
        place(call)
    for compare in nodes.of(ast.Compare):
        if any(isinstance(op, (ast.Eq, ast.NotEq)) for op in compare.ops):
            place(compare)
    for subscript in nodes.of(ast.Subscript):
        if isinstance(subscript.slice, ast.Constant):
            place(subscript)
    for attribute in nodes.of(ast.Attribute):
        if attribute.attr in _COOKIE_STATE or attribute.attr in _POSTED:
            place(attribute)
    for constant in nodes.of(ast.Constant):
        if constant.value == "_notify-validate":
            place(constant)
    for assign in nodes.of(ast.Assign):
        if isinstance(assign.value, ast.Call):
            place(assign)
    for test in nodes.of(ast.If):
        if _rejects_without_ajax_header(test):
            place(test)
    return held


# `X-Requested-With: XMLHttpRequest`: a header a cross-site form cannot send, and a script on
# another origin cannot either without a CORS preflight the site would have to allow.
_AJAX_HEADER = frozenset({"x-requested-with", "http_x_requested_with"})


def _rejects_without_ajax_header(node: ast.If) -> bool:
    """`if request.headers.get("x-requested-with") != "XMLHttpRequest": return HttpResponseBadRequest()`
    (tabbycat's `require_AJAX`), or `if not request.is_ajax(): raise ...`: the request is turned
    away unless a script of the site's own origin sent it."""
    if not node.body or not isinstance(node.body[-1], (ast.Return, ast.Raise)):
        return False
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = test.operand
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "is_ajax":
            return True
        return isinstance(inner, ast.Compare) and _names_ajax_header(inner) and isinstance(inner.ops[0], ast.Eq)
    return isinstance(test, ast.Compare) and _names_ajax_header(test) and isinstance(test.ops[0], ast.NotEq)


def _names_ajax_header(compare: ast.Compare) -> bool:
    return len(compare.ops) == 1 and any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.lower() in _AJAX_HEADER
        for side in (compare.left, *compare.comparators)
        for n in all_nodes(side)
    )


# -- the project's answer (ProjectIndex.verifies_signature and friends) ----------------------
MAX_DEPTH = 4  # calls followed from the view: view -> helper -> helper -> verifier
_SAFE_HANDLERS = frozenset({"get", "head", "options", "trace"})
# Django's own bases that act as the user: auth views and mixins (other generic views do not).
_AUTH_BASE = re.compile(r"^django\.contrib\.(auth|admin)\.|LoginRequired|Permission|UserPassesTest|AccessMixin")


# Calls that only send the browser elsewhere.
_REDIRECTS = frozenset({"redirect", "HttpResponseRedirect", "HttpResponsePermanentRedirect", "reverse", "resolve_url"})

# Django's display views, whose get() only reads the object or the list it shows.
_DISPLAY_VIEWS = ("ListView", "DetailView")


class Verifiers:
    """Answers about request signatures over the whole index (calls followed across modules)."""

    def __init__(self, index):
        self.index = index

    def _function(self, ref: str) -> tuple[SignatureFacts | None, str | None, bool]:
        """A module function's or a method's facts, the class of a method, and whether its
        module was read at all (else nothing is known of it)."""
        index = self.index
        ref = index.resolve(ref) or ref
        module, _, name = ref.rpartition(".")
        owner = index.resolve(module) or module
        if owner in index.classes:
            return self._method(owner, name), owner, index.class_module[owner].signatures_read
        facts = index._module_named(module)
        if facts is None:
            return None, None, False
        return facts.signatures.get(name), None, facts.signatures_read

    def _method(self, cls: str | None, name: str) -> SignatureFacts | None:
        """The first definition of `name` along the project MRO of `cls`."""
        for qual in self.index._class_mro(cls):
            module = self.index.class_module[qual]
            facts = module.signatures.get(f"{self.index.classes[qual].name}.{name}")
            if facts is not None or name in self.index.classes[qual].methods:
                return facts
        return None

    def _methods(self, cls: str, skipped: frozenset[str] = frozenset()):
        """Every method of a class and its project bases (but those named in `skipped`)."""
        for qual in self.index._class_mro(cls):
            prefix = f"{self.index.classes[qual].name}."
            for key, facts in self.index.class_module[qual].signatures.items():
                if key.startswith(prefix) and key[len(prefix) :] not in skipped:
                    yield facts

    def _reach(self, ref: str, skipped: frozenset[str] = frozenset()):
        """The facts of the function, or of every method of the class (but `skipped`), `ref`,
        then of the project functions they call (depth-bounded, each once)."""
        cls = self.index.resolve(ref) or ref
        if cls in self.index.classes:
            todo = [(facts, cls, 0) for facts in self._methods(cls, skipped)]
        else:
            facts, owner, _ = self._function(ref)
            todo = [(facts, owner, 0)] if facts is not None else []
        seen: set[str] = set()
        while todo:
            facts, owner, depth = todo.pop(0)
            yield facts
            if depth >= MAX_DEPTH:
                continue
            for call in facts.calls:
                key = f"{owner}|{call}" if call.startswith("self.") else call
                if key in seen:
                    continue
                seen.add(key)
                if call.startswith("self."):
                    found, where = (self._method(owner, call[5:]), owner) if owner else (None, None)
                else:
                    resolved = self.index.resolve(call) or call
                    if resolved in self.index.classes:  # instantiating a verifier class
                        found, where = self._method(resolved, "__init__"), resolved
                    else:
                        found, where = self._function(call)[:2]
                if found is not None:
                    todo.append((found, where, depth + 1))

    def verifies(self, ref: str) -> bool:
        """It verifies, or compares a request's value with the result of a project function that
        computes an HMAC (djadyen: `signature == get_signature(item)`)."""
        reached = list(self._reach(ref))
        # the SAML object a method of the view's reach builds (jumpserver's mixin method
        # `self.init_saml_auth(request)`), or a project function a processing one calls
        builds_saml = any(facts.makes_saml_auth for facts in reached)
        return any(
            facts.verifies
            or any(self._known(r).signs for r in facts.compared)
            or any(map(self._jwt_token, facts.tokens))
            or facts.processes_saml
            and (builds_saml or any(self._known(r).makes_saml_auth for r in facts.calls if not r.startswith("self.")))
            for facts in reached
        )

    def _jwt_token(self, ref: str) -> bool:
        """A simplejwt token class, or a project class built on one: made from a string, it
        checks the token's signature and expiry (marsha's `LTISelectFormAccessToken(jwt)`)."""
        qual = self.index.resolve(ref) or ref
        bases = self.index.base_refs(qual) if qual in self.index.classes else (qual,)
        return any(b.startswith("rest_framework_simplejwt.tokens.") for b in bases)

    def _known(self, ref: str) -> SignatureFacts:
        """What the project function `ref` does (nothing, for a function the index does not know)."""
        return self._function(ref)[0] or _NOTHING

    def cookie_authenticated(self, ref: str) -> bool:
        """Can the view act as the user its cookies name? True when it (or a project function
        it calls) uses request.user/session/cookies or Django's auth, and when it cannot be
        known (a view outside the project, a base class that is neither Django's nor the
        project's). False when it authenticates by the Authorization header instead."""
        index = self.index
        qual = index.resolve(ref) or ref
        if qual in index.classes:
            if any(facts.token_auth or self._other_user(facts) for facts in self._methods(qual)):
                return False
            for cls in index._class_mro(qual):
                info = index.classes[cls]
                if not index.class_module[cls].signatures_read or info.dynamic_bases:
                    return True
                for base in info.bases:
                    resolved = index.resolve(base) or base
                    if resolved in index.classes or resolved.endswith(".object") or "." not in resolved:
                        continue
                    if not resolved.startswith("django.") or _AUTH_BASE.search(resolved):
                        return True  # an auth mixin, or a base out of sight
        else:
            facts, _, read = self._function(ref)
            if not read:
                return True
            if facts is not None and (
                facts.token_auth or self._other_user(facts) or any(map(self.token_authenticated, facts.decorators))
            ):
                return False  # it, or a wrapper around it, authenticates by a header
        # a forged cross-site request is a POST (or a GET, which CSRF never guards): what the
        # view does as the user in get() alone it does for any link, exempt or not
        return any(facts.identity for facts in self._reach(ref, _SAFE_HANDLERS))

    def _other_user(self, facts: SignatureFacts) -> bool:
        """Does the view require `request.user` to be a project class that is no model (not
        the user model a session's cookie loads): openhexa's webhooks accept only the
        `DAGRunUser` its middleware makes from a signed Bearer token?"""
        index = self.index
        found = [index.resolve(ref) or ref for ref in facts.user_classes]
        return bool(found) and all(
            q in index.classes and index.class_kind(q) is None and not index.unfollowed_bases(q) for q in found
        )

    def post_answers_as_get(self, ref: str) -> bool:
        """Is `ref` a class view whose `post()` only answers as `get()` does
        (`return self.get(request, *args, **kwargs)`) of a Django `ListView` or `DetailView`,
        and that `get()` does not act as the user (log in, use the session)? A forged cross-site
        POST then reads what a link would, and its answer stays on the other origin's side."""
        cls = self.index.resolve(ref) or ref
        if cls not in self.index.classes:
            return False
        facts = self._method(cls, "post")
        if facts is None or not facts.calls or any(call != "self.get" for call in facts.calls):
            return False
        index = self.index
        bases = {index.resolve(b) or b for qual in index._class_mro(cls) for b in index.classes[qual].bases}
        if not any(b.startswith("django.views.generic.") and b.endswith(_DISPLAY_VIEWS) for b in bases):
            return False  # a TemplateView's get() runs hooks that may write (dartcms moves pages there)
        return not any(found.identity for found in self._reach(f"{cls}.get"))  # a get() that logs in acts as the user

    def function_only_answers(self, ref: str) -> bool:
        """Is `ref` a function view that only builds its answer (renders, redirects: bootcamp's
        landing page, exempt because a payment processor posts back to it), reading nothing the
        request posts and not the session, under Django's decorators alone? A forged POST then
        gets what a link would."""
        facts, owner, _ = self._function(ref)
        if facts is None or owner is not None:
            return False
        return facts.answers_only and all(d.startswith("django.") for d in facts.decorators)

    def post_only_redirects(self, ref: str) -> bool:
        """Is `ref` a class view whose `post()` only redirects (`return redirect(request.build_absolute_uri())`,
        mediacms's React pages: "there is never a reason to POST here")? A forged POST changes nothing."""
        cls = self.index.resolve(ref) or ref
        if cls not in self.index.classes:
            return False
        facts = self._method(cls, "post")
        if facts is None or facts.identity or not facts.calls:
            return False
        return all(call.rsplit(".", 1)[-1] in _REDIRECTS for call in facts.calls)

    def token_authenticated(self, ref: str) -> bool:
        """Does the function `ref`, or a project function it calls, read the Authorization
        header (a wrapper answering 401 unless HTTP Basic or a token authenticates)?"""
        return any(facts.token_auth for facts in self._reach(ref))

    def headers(self, ref: str) -> tuple[str, ...]:
        """The signature-like headers the view (or a project function it calls) reads."""
        return tuple(dict.fromkeys(h for facts in self._reach(ref) for h in facts.headers))

    def drf_function(self, ref: str) -> bool:
        facts = self._function(ref)[0]
        return facts is not None and facts.drf
