"""DJR404: a production setting that fails open, the static twin of ``manage.py check --deploy``.

Decided from the index's settings facts (index/django_settings.py): which values production
settings modules get, and from which file and line. A value set in `base.py` is reported
there when a production module inherits it without overriding it. An environment read whose
fallback is insecure is reported too: production gets the fallback when the variable is unset.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.settings_facts import Value
from djreview.rule import Rule

_WHY = {
    "DEBUG": "Django then shows tracebacks, settings and SQL to anyone who triggers an error",
    "SECRET_KEY": "anyone who can read the code can forge sessions, password-reset links and signed data",
    "ALLOWED_HOSTS": "any Host header is accepted, which lets attackers poison password-reset links and caches",
    "SESSION_COOKIE_SECURE": "the session cookie is also sent over plain HTTP, where it can be stolen",
    "CSRF_COOKIE_SECURE": "the CSRF cookie is also sent over plain HTTP",
    "SECURE_SSL_REDIRECT": "plain HTTP requests are served instead of redirected to HTTPS",
    "SECURE_HSTS_SECONDS": "browsers are not told to insist on HTTPS (no Strict-Transport-Security header)",
}
_SECURE = {
    "DEBUG": "False",
    "SESSION_COOKIE_SECURE": "True",
    "CSRF_COOKIE_SECURE": "True",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
}


def insecure(name: str, value: object) -> bool:
    """Is this value of the setting one that `check --deploy` warns about?"""
    if name == "DEBUG":
        return value is True
    if name == "SECRET_KEY":
        return isinstance(value, str) and value != ""  # an empty key fails closed: Django refuses it
    if name == "ALLOWED_HOSTS":
        return isinstance(value, (list, tuple)) and "*" in value or value == "*"
    if name == "SECURE_HSTS_SECONDS":
        return value == 0 and value is not False
    if name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
        return value is False
    return False


def insecure_value(name: str, value: Value) -> bool:
    if value.kind == "literal":
        return insecure(name, value.literal)
    return value.kind == "env" and value.has_fallback and insecure(name, value.literal)


class InsecureSetting(Rule):
    code = "DJR404"
    name = "insecure-setting"
    fixable = True

    def wants(self, text, facts, index, prefilter) -> bool:
        return facts.settings is not None and bool(self._findings(index, facts.path))

    @staticmethod
    def _findings(index, path: str):
        return [i for i in index.settings_inherited_from(path) if insecure_value(i.name, i.value)]

    def visit_Module(self, node: cst.Module) -> None:
        wanted = self._findings(self.ctx.index, self.ctx.path)
        statements = list(_top_level(node.body))
        spans = self.ctx.spans(statements) if wanted else None
        if spans is None:
            return
        by_line = {spans.text.count("\n", 0, spans.start(s)) + 1: s for s in statements}
        for found in wanted:
            statement = by_line.get(found.line)
            if statement is not None:
                self._report(statement, found)

    def _report(self, statement: cst.BaseSmallStatement, found) -> None:
        name, value = found.name, found.value
        shown = f"is set to {value.literal!r}" if value.kind == "literal" else f"falls back to {value.literal!r}"
        if name == "SECRET_KEY":
            shown = "is a literal in the code" if value.kind == "literal" else "falls back to a literal key"
        here = self.ctx.facts.module
        others = [m for m in found.production if m != here]
        inherited = f" (inherited by {', '.join(others)})" if others else ""
        message = f"Production setting {name} {shown}{inherited}: {_WHY[name]}."
        if value.kind == "env":
            message += " Production gets this fallback whenever the variable is unset."
        self.report(statement, message, self._fix(statement, name, value), hint=_hint(name, value))

    def _fix(self, statement: cst.BaseSmallStatement, name: str, value: Value) -> FixSpec | None:
        if not isinstance(statement, cst.Assign):
            return None
        if value.kind == "env":
            call = statement.value
            variable = _environ_get_name(call)
            if variable is None:
                return None
            return FixSpec(
                f"read {name} from the environment with no fallback",
                "unsafe",
                (NodeEdit(call, f"os.environ[{variable}]"),),
            )
        if name == "SECRET_KEY":
            if "os" not in self.ctx.facts.imports:
                return None
            return FixSpec(
                "read SECRET_KEY from the environment",
                "unsafe",
                (NodeEdit(statement.value, 'os.environ["DJANGO_SECRET_KEY"]'),),
            )
        secure = _SECURE.get(name)
        if secure is None:
            return None
        return FixSpec(f"set {name} = {secure}", "unsafe", (NodeEdit(statement.value, secure),))


def _hint(name: str, value: Value) -> str:
    if name == "SECRET_KEY":
        return (
            'Read it from the environment with no fallback (`SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`), '
            "so that a missing variable stops the server instead of using a key everyone knows; "
            "then rotate the key, since this one is public."
        )
    if name == "ALLOWED_HOSTS":
        return (
            'List the domains the site serves (`ALLOWED_HOSTS = ["example.com"]`), or read them from the environment.'
        )
    if value.kind == "env":
        return f"Give the environment read no insecure fallback, or the secure one (`{_SECURE[name]}`)."
    if name == "SECURE_HSTS_SECONDS":
        return "Set it to a positive number of seconds (start with 3600, then 31536000 once HTTPS works everywhere)."
    return f"Set {name} = {_SECURE[name]} in production (or read it from the environment with no fallback)."


def _environ_get_name(node: cst.BaseExpression) -> str | None:
    """The variable name's code in `os.environ.get(NAME, fallback)` / `os.getenv(NAME, fallback)`."""
    if not (isinstance(node, cst.Call) and len(node.args) == 2 and isinstance(node.func, cst.Attribute)):
        return None
    func = node.func
    is_get = func.attr.value == "get" and _is_os_environ(func.value)
    is_getenv = func.attr.value == "getenv" and isinstance(func.value, cst.Name) and func.value.value == "os"
    if not (is_get or is_getenv) or node.args[0].keyword is not None:
        return None
    first = node.args[0].value
    return first.value if isinstance(first, cst.SimpleString) else None


def _is_os_environ(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "environ"
        and isinstance(node.value, cst.Name)
        and node.value.value == "os"
    )


def _top_level(body):
    """Module-level small statements, including those in if/try/with blocks."""
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.With)):
            blocks = [statement.body]
            if isinstance(statement, cst.If) and statement.orelse is not None:
                blocks.append(statement.orelse.body)  # type: ignore[arg-type]
            if isinstance(statement, cst.Try):
                blocks += [h.body for h in statement.handlers]
            for block in blocks:
                if isinstance(block, cst.IndentedBlock):
                    yield from _top_level(block.body)
                elif isinstance(block, cst.If):
                    yield from _top_level([block])
