"""DJR303: a DRF view anyone may call.

DRF's default `DEFAULT_PERMISSION_CLASSES` is `AllowAny`: a view that sets no permission
classes (itself, its project bases, `get_permissions()`, `@permission_classes`) in a project
whose settings set no default serves every anonymous request. On a view that only reads that
is mostly a public catalogue (reported only for the user model's rows); on a view that
accepts POST/PUT/PATCH/DELETE, as with `permission_classes = [AllowAny]` (or `[]`, `()`) on
the view or written out as the settings' default, it lets anyone change data.

Not reported: login, signup and token views (open by design: ObtainAuthToken and simplejwt
bases, create-only views of the user model, *Login*/*Signup*/*Register*/*PasswordReset*/token
names, views of an authentication app); a base view the project only subclasses (its
subclasses are judged); views whose access is decided in code (get_permissions, checks of
request.user, a signature check in the view or its serializer, login_required) or through a base the index cannot read;
views that turn authentication off (webhooks, device pairing); settings whose default the
index cannot read. The decisions are the index's (index/drf_access.py).
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.drf_access import LOGIN_WORDS, READ_ONLY_CALLS
from djreview.rule import Rule
from djreview.rules._drf_access import (
    class_attribute,
    class_attribute_edit,
    drf_default,
    holds_drf_views,
    imported_name,
    view_of,
)
from djreview.syntax import dotted, literal_string
from djreview.walk import children

_ALLOW_ANY = "rest_framework.permissions.AllowAny"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_ACCESS_DECORATORS = ("login_required", "permission_required", "staff_member_required", "user_passes_test")
_ACCESS_WORDS = ("is_authenticated", "is_anonymous", "is_staff", "is_superuser", "has_perm", "PermissionDenied")
# `login(request, user)`, `logout(request)`, simplejwt's `AccessToken.for_user(user)`, as the
# index reads a class's handlers (drf_access._issues_credentials).
_ISSUES_CREDENTIALS = re.compile(r"(?<![\w.])(auth_)?log(in|out)\(|\.for_user\(")
_HINT = (
    "Set permission_classes = [IsAuthenticated] (or the permission the view needs), or a "
    'DEFAULT_PERMISSION_CLASSES in the REST_FRAMEWORK setting (["rest_framework.permissions.IsAuthenticated"]).'
)


class ViewWithoutPermissions(Rule):
    code = "DJR303"
    name = "view-without-permissions"
    fixable = True

    def wants(self, text, facts, index, prefilter) -> bool:
        if "api_view" in text:
            return True
        if "class " not in text or not holds_drf_views(facts, index):
            return False
        return any(_message(index, index.drf_view(c.qualname), c.qualname) for c in facts.classes if c.bases)

    # -- class-based views ---------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        view = view_of(self.ctx, node)
        message = _message(self.ctx.index, view, f"{self.ctx.facts.module}.{node.name.value}")
        if message is not None:
            replace = view.permissions == "open" and view.permission_owner == view.name
            self.report(node, message, self._fix(node, replace), hint=_HINT)

    def _fix(self, node: cst.ClassDef, replace: bool) -> FixSpec | None:
        name, imports = imported_name(self.ctx, "rest_framework.permissions", "IsAuthenticated")
        current = class_attribute(node, "permission_classes") if replace else None
        if current is not None:
            edit: NodeEdit | None = NodeEdit(current, f"[{name}]")
        else:
            edit = class_attribute_edit(node, f"permission_classes = [{name}]")
        if edit is None:
            return None
        return FixSpec(
            "require an authenticated user (permission_classes = [IsAuthenticated])", "unsafe", (edit, *imports)
        )

    # -- @api_view functions -------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        flow = self.ctx.flow
        if len(flow.scopes) != 2 or not node.decorators:
            return  # the flow has entered the function: a module-level one has two scopes
        api_view = None
        permissions: list[str | None] | None = None
        for decorator in node.decorators:
            expr = decorator.decorator
            func = expr.func if isinstance(expr, cst.Call) else expr
            qual = flow.qualify(func) or ""
            if qual == "rest_framework.decorators.api_view":
                api_view = decorator
            elif qual == "rest_framework.decorators.permission_classes":
                permissions = _permission_refs(flow, expr)
            elif qual == "rest_framework.decorators.authentication_classes" and _empty_argument(expr):
                return  # `@authentication_classes([])`: no user on purpose (a beacon, a webhook)
            elif qual == "rest_framework.decorators.authentication_classes":
                refs = _permission_refs(flow, expr)  # the same literal list shape
                if refs and all(r and self.ctx.index.demands_credentials(r) for r in refs):
                    return  # each class refuses a request without credentials (lite-api's HMRC hooks)
            elif any(word in qual for word in _ACCESS_DECORATORS):
                return
        if api_view is None:
            return
        name = node.name.value
        if any(word in name.lower().replace("_", "") for word in LOGIN_WORDS):
            return
        unsafe = [m for m in _methods(api_view.decorator) if m not in _SAFE]
        code = self.ctx.module.code_for_node(node.body)
        if any(word in code for word in _ACCESS_WORDS):
            return  # the function checks who calls it
        if _ISSUES_CREDENTIALS.search(code):
            return  # it logs the caller in or mints their token: a login view, open by design
        if self.ctx.index.verifies_signature(f"{self.ctx.facts.module}.{name}"):
            return  # a webhook: the payload's signature decides who may call (as for a class)
        fix = FixSpec(
            "require an authenticated user: @permission_classes([IsAuthenticated]) below @api_view", "suggestion"
        )
        hint = "Add @permission_classes([IsAuthenticated]) (or the permission it needs) below @api_view, or " + (
            'a DEFAULT_PERMISSION_CLASSES in the REST_FRAMEWORK setting (["rest_framework.permissions.IsAuthenticated"]).'
        )
        if _login_required_everywhere(self.ctx.index):
            return
        if permissions is None:
            default, chosen = _default(self.ctx.index)
            if default is None or not unsafe or chosen and _answers_only(node, flow, self.ctx.index):
                return  # it only reads, or the settings chose AllowAny: judged as the view's own AllowAny is
            methods = f" (it accepts {', '.join(unsafe)})" if unsafe else ""
            message = f"DRF view {name}() sets no permission classes and {default}: anyone can call it{methods}."
            self.report(api_view, message, fix, hint=hint)
        elif unsafe and all(p == _ALLOW_ANY for p in permissions) and not _answers_only(node, flow, self.ctx.index):
            message = (
                f"DRF view {name}() allows anyone (@permission_classes is AllowAny or empty) and accepts "
                f"{', '.join(unsafe)}: anonymous requests can change data."
            )
            self.report(api_view, message, fix, hint=hint)


def _answers_only(node: cst.FunctionDef, flow, index) -> bool:
    """Does the function only build an answer (every call is a response, a read-only
    serializer step, as drf_access reads a class's handlers, or a project function called by
    name that writes nothing)? An `api_gone()` view that returns 410 to every method changes
    nothing, whoever calls it; nor does cla_backend's eligibility check grading each posted
    case with a function of its own."""
    stack: list[cst.CSTNode] = [node.body]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            name = (dotted(current.func) or [""])[-1]
            ref = flow.qualify(current.func) if isinstance(current.func, cst.Name) else None
            if name not in READ_ONLY_CALLS and not (ref and index.writes_nothing(ref)):
                return False
        stack.extend(children(current))
    return True


def _empty_argument(expr: cst.BaseExpression) -> bool:
    """`@authentication_classes([])` / `(())`: a decorator given an empty list or tuple."""
    return (
        isinstance(expr, cst.Call)
        and len(expr.args) == 1
        and isinstance(expr.args[0].value, (cst.List, cst.Tuple))
        and not expr.args[0].value.elements
    )


def _message(index, view, qual: str) -> str | None:
    """What is wrong with a DRF view class, or None when nothing is (or the index cannot tell)."""
    if view is None or not view.routed or view.login or view.anonymous:
        return None  # anonymous: authentication turned off on purpose (a webhook, a device pairing)
    if _login_required_everywhere(index):
        return None
    default, chosen = _default(index) if view.permissions == "default" else (None, False)
    if view.permissions == "default" and default is None:
        return None
    user_model = index.model_for("<user-model>")
    if view.permissions == "default" and not chosen and (view.unsafe or view.model and view.model == user_model):
        methods = f" (it accepts {', '.join(view.unsafe)})" if view.unsafe else ""
        return f"DRF view {view.name} sets no permission classes and {default}: anyone can call it{methods}."
    # a view that only reads (a public catalogue), or AllowAny chosen by the view or by the
    # settings (a public data API): only views that write are reported
    if view.permissions not in ("open", "default") or not view.unsafe:
        return None
    if view.token_checked or any(index.verifies_signature(ref) for ref in (qual, view.serializer) if ref):
        return None  # a webhook's signature (in the view or its serializer), a reset link's token: they decide
    if view.unsafe == ("POST",) and view.model and view.model == user_model:
        return None  # a create-only view of the user model: a signup
    if view.unsafe == ("POST",) and view.permissions == "open" and view.throttled:
        return None  # AllowAny chosen on a throttled create-only view: a public form (feedback, contact)
    if default is not None:
        return (
            f"DRF view {view.name} sets no permission classes, {default}, and it accepts "
            f"{', '.join(view.unsafe)}: anonymous requests can change data."
        )
    owner = view.permission_owner
    where = "" if owner == view.name else f" (from {owner})"
    return (
        f"DRF view {view.name} allows anyone (permission_classes{where} is AllowAny or empty) and accepts "
        f"{', '.join(view.unsafe)}: anonymous requests can change data."
    )


def _login_required_everywhere(index) -> bool:
    """Does production's MIDDLEWARE hold a login-required middleware (Django 5.1's
    `LoginRequiredMiddleware`, django-login-required's, rengine's), or a project middleware
    that turns anonymous requests away (experimenter's SSO header check answering 401)?
    Anonymous requests are then refused before any view runs, DRF's included."""
    middleware = index.setting("MIDDLEWARE")
    if middleware.state != "set" or not isinstance(middleware.value, (list, tuple)):
        return False
    entries = [m for m in middleware.value if isinstance(m, str)]
    return any(m.rsplit(".", 1)[-1] == "LoginRequiredMiddleware" or index.refuses_anonymous(m) for m in entries)


def _default(index) -> tuple[str | None, bool]:
    """Why the settings' default lets anyone in (None when it does not, or is unknown), and
    whether the settings chose that: `DEFAULT_PERMISSION_CLASSES = [AllowAny]` written out is
    a public API's decision, judged as a view's own `AllowAny` is (a view that writes is
    reported, unless it only answers or checks a signature); a missing key is an omission
    (views that write are reported, and a read-only view of the user model)."""
    default = drf_default(index, "DEFAULT_PERMISSION_CLASSES")
    if default is None:
        return None, False
    if default.state == "absent":
        return "the REST_FRAMEWORK setting has no DEFAULT_PERMISSION_CLASSES (DRF's default is AllowAny)", False
    value = default.value
    if default.state != "set" or not isinstance(value, (list, tuple)):
        return None, False
    if all(isinstance(v, str) and v.rsplit(".", 1)[-1] == "AllowAny" for v in value):
        return ("DEFAULT_PERMISSION_CLASSES is AllowAny" if value else "DEFAULT_PERMISSION_CLASSES is empty"), True
    return None, False


def _permission_refs(flow, call: cst.BaseExpression) -> list[str | None]:
    """The classes of `@permission_classes([A, B])` (None for one we cannot name)."""
    if not isinstance(call, cst.Call) or not call.args:
        return [None]
    value = call.args[0].value
    if not isinstance(value, (cst.List, cst.Tuple)):
        return [None]
    return [flow.qualify(e.value) for e in value.elements]


def _methods(decorator: cst.BaseExpression) -> list[str]:
    """The HTTP methods of `@api_view([...])` (GET when none are given)."""
    if not isinstance(decorator, cst.Call) or not decorator.args:
        return ["GET"]
    value = decorator.args[0].value
    if not isinstance(value, (cst.List, cst.Tuple)):
        return ["POST"]  # not literal: may accept anything
    names = [literal_string(e.value) for e in value.elements]
    return [n.upper() if n else "POST" for n in names]
