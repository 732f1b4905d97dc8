"""Does a middleware hook turn anonymous requests away before any view runs?

A project's own authentication middleware (experimenter's `OpenIDCAuthMiddleware`, which
answers 401 to every request without its SSO header) decides access for the whole site, DRF
views included: DJR303 then has nothing to add. Read from `__call__`, `process_request` and
`process_view`: a 401 answer, `redirect_to_login()`, or a 403 / `PermissionDenied` / a
redirect to the login URL in a hook that looks at who is calling (`request.user`,
`is_authenticated`, `authenticate()`). A 403 alone is not enough: an IP block list or a
maintenance switch also answers 403, to everyone alike.
"""

from __future__ import annotations

import ast

from djreview.index.nodes import all_nodes
from djreview.index.prefilter import called_name

HOOKS = frozenset({"__call__", "process_request", "process_view"})
_WHO_WORDS = frozenset({"user", "is_authenticated", "is_anonymous", "authenticate", "auth"})


def refuses_anonymous(hook: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    unauthenticated = forbidden = looks_at_caller = False
    for node in all_nodes(hook):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _WHO_WORDS
            or isinstance(node, ast.Name)
            and node.id in _WHO_WORDS
        ):
            looks_at_caller = True
        elif isinstance(node, ast.Raise) and node.exc is not None and _called(node.exc) == "PermissionDenied":
            forbidden = True
        elif isinstance(node, ast.Call):
            name = called_name(node.func)
            status = _status(node)
            if name == "redirect_to_login" or status == 401 or name == "HttpResponseNotAuthorized":
                unauthenticated = True
            elif (
                name == "HttpResponseForbidden"
                or status == 403
                or name in ("redirect", "HttpResponseRedirect")
                and "login" in ast.unparse(node).lower()
            ):
                forbidden = True
    return unauthenticated or (forbidden and looks_at_caller)


def _status(call: ast.Call) -> int | None:
    for keyword in call.keywords:
        if keyword.arg == "status" and isinstance(keyword.value, ast.Constant):
            value = keyword.value.value
            return value if isinstance(value, int) else None
    return None


def _called(node: ast.expr) -> str | None:
    """`PermissionDenied` of `raise PermissionDenied(...)` or `raise PermissionDenied`."""
    return called_name(node.func if isinstance(node, ast.Call) else node)
