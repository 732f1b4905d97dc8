"""DJR403: ``csrf_exempt`` on a Django view that does not verify the request's signature.

Behind ``AuthenticationMiddleware`` every view is authenticated by the session cookie, which
the browser sends with any request, including a POST a hostile site makes it send. The CSRF
token is what tells those apart; ``@csrf_exempt`` turns the check off. A webhook from a
payment provider may be exempt, because it authenticates each request by a signature only the
provider can compute: the view (or a project function it calls, followed by the index) must
then verify it (index/signatures.py). Reading or logging the signature header is not
verifying, and the message says so.

Found: ``@csrf_exempt`` (any decorator position, dotted or aliased, resolved through the
imports to Django's), ``@method_decorator(csrf_exempt, name="dispatch")`` on a class or
``@method_decorator(csrf_exempt)`` on its ``dispatch``, and ``csrf_exempt(view)`` /
``csrf_exempt(View.as_view())`` calls. Not reported: DRF views (``APIView`` subclasses,
viewsets, ``@api_view`` functions), where the decorator is a no-op (DRF exempts them and
``SessionAuthentication`` enforces CSRF itself); decorators on ``get``/``post``... handlers
of a class, which Django ignores (only ``dispatch`` counts); GET-only views
(``@require_GET``, ``@require_safe``, a project guard given a list of methods) and views
that take no POST (another origin needs a CORS preflight for PUT/PATCH/DELETE), which CSRF
does not protect anyway, views behind ``decorator_from_middleware(M)`` whose middleware
authenticates by the Authorization header, and class-based
views with no ``post()`` of their own or from a base (``View``, ``TemplateView``, ``ListView``
answer 405): a cross-site form can only GET or POST.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec
from djreview.rule import Rule
from djreview.syntax import literal_string

_CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
_METHOD_DECORATOR = "django.utils.decorators.method_decorator"
_SAFE_ONLY = frozenset({"django.views.decorators.http.require_GET", "django.views.decorators.http.require_safe"})
_REQUIRE_METHODS = "django.views.decorators.http.require_http_methods"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_HTTP_METHODS = _SAFE_METHODS | {"POST", "PUT", "PATCH", "DELETE"}
_FROM_MIDDLEWARE = frozenset(
    {
        "django.utils.decorators.decorator_from_middleware",
        "django.utils.decorators.decorator_from_middleware_with_args",
    }
)
# Handlers a class-based view's dispatch() calls: Django reads csrf_exempt on dispatch only.
_HANDLERS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})


# django-oauth-toolkit's endpoints for OAuth2 clients (server to server, client credentials)
_OAUTH_TOKEN_VIEWS = frozenset({"TokenView", "RevokeTokenView", "IntrospectTokenView"})


class CsrfExempt(Rule):
    code = "DJR403"
    name = "csrf-exempt"
    triggers = ("csrf_exempt",)

    def start(self, ctx) -> None:
        super().start(ctx)
        self._scopes: list[tuple[str, str]] = []  # ("class" | "function", name), outermost first

    # -- decorators ------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        top = not self._scopes
        self._scopes.append(("class", node.name.value))
        if not node.decorators:
            return
        qual = f"{self.ctx.facts.module}.{node.name.value}" if top else None
        if qual is not None and self.ctx.index.class_kind(qual) == "drf-view":
            return
        if qual is not None and not self.ctx.index.may_handle_post(qual):
            return  # no POST handler: a cross-site form has nothing to send to
        for decorator in node.decorators:
            found = self._exempting(decorator.decorator, on_class=True)
            if found:
                self._judge(decorator, node.name.value, qual)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        in_class = bool(self._scopes) and self._scopes[-1][0] == "class"
        self._scopes.append(("function", node.name.value))
        exempting = [d for d in node.decorators if self._exempting(d.decorator, on_class=False)]
        if not exempting or self._safe_only(node):
            return
        module = self.ctx.facts.module
        if in_class:
            if node.name.value in _HANDLERS:
                return  # Django reads the attribute from dispatch() only: a no-op here
            owner = self._scopes[-2][1]
            qual = f"{module}.{owner}" if len(self._scopes) == 2 else None
            if qual is not None and self.ctx.index.class_kind(qual) == "drf-view":
                return
            if qual is not None and node.name.value == "dispatch" and not self.ctx.index.may_handle_post(qual):
                return  # no POST handler: a cross-site form has nothing to send to
            shown = owner if node.name.value == "dispatch" else f"{owner}.{node.name.value}"
        else:
            if self._api_view(node):
                return
            qual = f"{module}.{self._scopes[0][1]}" if self._scopes[0][0] == "function" else None
            shown = node.name.value
        for decorator in exempting:
            self._judge(decorator, shown, qual)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def _exempting(self, node: cst.BaseExpression, on_class: bool) -> bool:
        """`csrf_exempt`, or `method_decorator(csrf_exempt...)` on dispatch (a class's
        `name="dispatch"`, or a method: the caller checks which)."""
        if self._is_exempt(node):
            return True
        if not (isinstance(node, cst.Call) and self._qualified(node.func) == _METHOD_DECORATOR and node.args):
            return False
        first = node.args[0].value
        items = [e.value for e in first.elements] if isinstance(first, (cst.List, cst.Tuple)) else [first]
        if not any(self._is_exempt(item) for item in items):
            return False
        if not on_class:
            return True
        name = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "name"), None)
        return name is not None and literal_string(name) in ("dispatch", None)

    def _is_exempt(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, (cst.Name, cst.Attribute)) and self._qualified(node) == _CSRF_EXEMPT

    def _qualified(self, node: cst.BaseExpression) -> str | None:
        ref = self.ctx.flow.qualify(node)
        return self.ctx.index.resolve(ref) if ref and not ref.startswith("django.") else ref

    def _decorators(self, node: cst.FunctionDef):
        for decorator in node.decorators:
            expr = decorator.decorator
            yield expr, self._qualified(expr.func if isinstance(expr, cst.Call) else expr) or ""

    def _api_view(self, node: cst.FunctionDef) -> bool:
        return any(ref.startswith("rest_framework.") and ref.endswith(".api_view") for _, ref in self._decorators(node))

    def _safe_only(self, node: cst.FunctionDef) -> bool:
        """No request a hostile page can make the browser send with the cookies reaches the
        view: it is GET-only (`@require_GET`, `@require_safe`, a list of methods given to
        `require_http_methods` or to a project's own method guard), it takes no POST (a
        cross-site form can only GET or POST; PUT/PATCH/DELETE from another origin need a CORS
        preflight, unless the settings let any origin send credentials), or a middleware
        applied to it (`decorator_from_middleware`) authenticates by the Authorization header."""
        for expr, ref in self._decorators(node):
            if ref in _SAFE_ONLY:
                return True
            if not isinstance(expr, cst.Call) or not expr.args:
                continue
            if ref in _FROM_MIDDLEWARE:
                middleware = self._qualified(expr.args[0].value)
                if middleware is not None and self.ctx.index.token_authenticated(middleware):
                    return True
                continue
            methods = _http_methods(expr.args[0].value)
            if methods is None or (ref != _REQUIRE_METHODS and len(expr.args) != 1):
                continue
            if methods <= _SAFE_METHODS or ("POST" not in methods and not self._cors_open()):
                return True
        return False

    def _cors_open(self) -> bool:
        """django-cors-headers letting every origin send credentialed requests."""
        setting = self.ctx.index.setting
        any_origin = any(
            setting(name).state == "set" and setting(name).value is True
            for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
        )
        credentials = setting("CORS_ALLOW_CREDENTIALS")
        return any_origin and credentials.state != "absent" and credentials.value is not False

    # -- csrf_exempt(view) -------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if not self._is_exempt(node.func) or len(node.args) != 1:
            return
        view = node.args[0].value
        index = self.ctx.index
        if isinstance(view, cst.Call) and isinstance(view.func, cst.Attribute) and view.func.attr.value == "as_view":
            ref = self._qualified(view.func.value)
            if ref is not None and index.class_kind(ref) == "drf-view":
                return
            self._judge(node, self._text(view.func.value), ref)
            return
        if isinstance(view, cst.Call) and isinstance(view.func, (cst.Name, cst.Attribute)):
            wrapper = self._qualified(view.func)
            if wrapper is not None and (index.token_authenticated(wrapper) or index.verifies_signature(wrapper)):
                return  # `csrf_exempt(basicauth(view))`: the wrapper authenticates each request itself
        ref = self._qualified(view) if isinstance(view, (cst.Name, cst.Attribute)) else None
        if ref is not None and (index.class_kind(ref) == "drf-view" or index.drf_function_view(ref)):
            return
        if isinstance(view, cst.Name) and self._scopes and not self._module_level_name(view.value):
            return  # a parameter or a local: a helper wrapping whatever view its caller gives it
        self._judge(node, self._text(view), ref)

    def _oauth_token_endpoint(self, ref: str) -> bool:
        """django-oauth-toolkit's token endpoints (`oauth2_provider.views.TokenView`): OAuth2
        clients post there from their servers, authenticated by their own credentials, never by
        a browser's cookies. Other packages' views stay reported: graphene's `GraphQLView`
        runs mutations as the cookies' user."""
        index = self.ctx.index
        resolved = index.resolve(ref) or ref
        classes = (resolved, *index.base_refs(resolved)) if resolved in index.classes else (resolved,)
        # a project subclass too (cla_backend's throttled `AccessTokenView(TokenView)`)
        return any(c.split(".")[0] == "oauth2_provider" and c.rsplit(".", 1)[-1] in _OAUTH_TOKEN_VIEWS for c in classes)

    def _module_level_name(self, name: str) -> bool:
        facts = self.ctx.facts
        return name in facts.imports or name in facts.aliases or name in facts.class_names or name in facts.signatures

    def _text(self, node: cst.CSTNode) -> str:
        text = self.ctx.module.code_for_node(node)
        return text if len(text) <= 60 else text[:57] + "..."

    # -- the finding -------------------------------------------------------------------------
    def _judge(self, where: cst.CSTNode, shown: str, ref: str | None) -> None:
        index = self.ctx.index
        if ref is not None and index.verifies_signature(ref):
            return
        if ref is not None and self._oauth_token_endpoint(ref):
            return  # django-oauth-toolkit's `TokenView`: the package's code, which the index does not read
        if ref is not None and not index.may_handle_post(ref):
            return  # `csrf_exempt(ReadView.as_view())` of a view with no post(): a POST gets 405
        if ref is not None and index.post_answers_as_get(ref):
            return  # `post()` returns `self.get(...)`: a forged POST changes nothing
        if ref is not None and index.dispatch_out_of_sight(ref):
            return  # a package's decorator answers every request (an ActivityPub inbox): not the project's code
        headers = index.signature_headers(ref) if ref is not None else ()
        if not headers and ref is not None and not index.cookie_authenticated(ref):
            return  # it never acts as the cookies' user: a forged POST gains nothing a direct one does not
        message = (
            f"View {shown} is exempt from CSRF: behind AuthenticationMiddleware a logged-in user's browser "
            "can be made to POST to it from another site, with the user's cookies."
        )
        if headers:
            message += (
                f" It looks like a webhook: it reads the {headers[0]} header but never verifies it, so anyone "
                "can forge its requests."
            )
            hint = (
                "Verify the provider's signature before acting: compare an HMAC of request.body with the header "
                "using hmac.compare_digest, or call the provider's verifier (stripe.Webhook.construct_event, ...)."
            )
            fix = FixSpec("verify the request's signature (hmac.compare_digest)", "suggestion")
        else:
            hint = (
                "Remove csrf_exempt and send the token ({% csrf_token %} in forms, the X-CSRFToken header from "
                "JavaScript); for a webhook, verify the provider's signature instead (hmac.compare_digest)."
            )
            fix = FixSpec("remove csrf_exempt and send the CSRF token", "suggestion")
        self.report(where, message, fix, hint=hint)


def _http_methods(node: cst.BaseExpression) -> frozenset[str] | None:
    """The methods of a literal list of HTTP method names (`["GET", "head"]`), else None."""
    if not isinstance(node, (cst.List, cst.Tuple)) or not node.elements:
        return None
    names = [literal_string(e.value) for e in node.elements]
    if None in names:
        return None
    upper = frozenset(n.upper() for n in names if n is not None)
    return upper if upper <= _HTTP_METHODS else None
