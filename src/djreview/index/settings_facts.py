"""What a Django settings module sets, read from its stdlib tree as literals, never executed.

A settings module is a sequence of steps that the project-level reader (django_settings.py)
replays in order: star imports of other settings modules, assignments, `+=`/`.append()` on
lists, and keys set on dicts. A value is a literal, an environment read (with the fallback
production gets when the variable is unset), a dict of such values, or unknown.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from djreview.index.nodes import all_nodes

# Names only settings modules assign: a module setting two of them at top level is read as
# settings even when its file name does not say so (one is not enough: a reusable app's
# `__init__.py` may offer an INSTALLED_APPS list to copy).
_SETTINGS_ONLY = frozenset(
    {"SECRET_KEY", "INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "DATABASES", "ALLOWED_HOSTS", "REST_FRAMEWORK"}
)
# Django settings a module named `settings.py` must assign one of to be Django's settings (and
# not an app's `settings.py` of views, serializers or its own preferences).
_DJANGO_SETTINGS = _SETTINGS_ONLY | frozenset(
    {
        "DEBUG", "MIDDLEWARE_CLASSES", "TEMPLATES", "STATIC_URL", "STATIC_ROOT", "MEDIA_URL", "MEDIA_ROOT",
        "TIME_ZONE", "LANGUAGE_CODE", "USE_TZ", "USE_I18N", "AUTH_USER_MODEL", "LOGGING", "CACHES",
        "WSGI_APPLICATION", "ASGI_APPLICATION", "AUTHENTICATION_BACKENDS", "SITE_ID", "DEFAULT_AUTO_FIELD",
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "EMAIL_BACKEND", "LOGIN_URL",
    }
)  # fmt: skip
_SETTINGS_MODULE = re.compile(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]")
# decouple's and django-environ's spellings of true
_TRUE_WORDS = frozenset({"true", "1", "yes", "on", "y", "t"})
_ENV_READERS = frozenset({"env", "config", "environ_config"})
# a project's own helper reading the environment: get_env("X", default), get_bool_env(...)
_ENV_HELPER = re.compile(r"^(?:get_?)?(?:(bool|int|list|str)_)?env(?:_(bool|int|list|str))?$|^getenv$")
_ENV_CASTS = frozenset({"bool", "str", "int", "list", "tuple", "float"})


@dataclass(frozen=True)
class Value:
    """A setting's value as far as the text tells it.

    kind "literal": `literal` is the Python value. kind "env": read from the environment;
    `literal` is what production gets when the variable is unset, when `has_fallback`.
    kind "dict": `items` are its keys' values. kind "unknown": anything else."""

    kind: str
    literal: object = None
    has_fallback: bool = False
    items: tuple[tuple[str, Value], ...] = ()

    def key(self, name: str) -> Value | None:
        return next((v for k, v in self.items if k == name), None)


UNKNOWN = Value("unknown")


@dataclass(frozen=True)
class Step:
    """One statement of a settings module. kind: "star" (`name` is the module imported),
    "set", "extend" (`+=`, `.append()`, `.extend()`), "key" (`NAME[key] = value`,
    `NAME.update({...})`), or "unknown" (bound in a way not read: the name's value is unknown;
    name ANY for a call that may set any setting)."""

    kind: str
    name: str
    line: int
    value: Value = UNKNOWN
    key: str = ""
    optional: bool = False  # a star import inside `try:` (a local override that may be absent)
    inner: tuple[str, ...] = ()  # keys below `key`: `DATABASES["default"]["ATOMIC_REQUESTS"] = True`


@dataclass
class SettingsFacts:
    steps: tuple[Step, ...] = ()
    # named like one or assigning a name only settings assign; otherwise a module that may be
    # settings (star import + upper-case names) and is one only when another names it
    looks_like_settings: bool = False
    defines_functions: bool = False  # a top-level `def`: presets for others to call, maybe
    # apps added to INSTALLED_APPS only under a test that production fails (`if DEBUG:`,
    # mitxpro's `if ENVIRONMENT not in ("production", "prod"): INSTALLED_APPS += ("localdev.seed",)`)
    development_apps: tuple[str, ...] = ()


_ENTRY_POINTS = frozenset({"manage.py", "wsgi.py", "asgi.py"})


def named_settings_modules(path: str, text: str) -> tuple[str, ...]:
    """Modules a server entry point (manage.py, wsgi.py, asgi.py) names as DJANGO_SETTINGS_MODULE
    in literal text. Other scripts name build or test settings (pretix's _build.py)."""
    if path.rsplit("/", 1)[-1] not in _ENTRY_POINTS or "DJANGO_SETTINGS_MODULE" not in text:
        return ()
    return tuple(dict.fromkeys(_SETTINGS_MODULE.findall(text)))


def is_settings_path(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    # a module anywhere below a `settings/` package: split-settings' `settings/components/*.py`
    return name == "settings.py" or name.endswith("_settings.py") or "settings" in parts[:-1]


def settings_facts(tree: ast.Module, path: str, module: str, is_init: bool) -> SettingsFacts | None:
    """The settings steps of a module named like settings or assigning a settings-only name."""
    if _reads_django_settings(tree.body):
        return None  # an app's `settings.py` of defaults read from the project's (djaodjin-survey)
    assigned = _assigned_names(tree.body)
    includes = _split_settings_names(tree.body)
    star = _star_import(tree.body) or bool(includes[0])
    looks = len(assigned & _SETTINGS_ONLY) >= 2 or (
        is_settings_path(path) and (star or bool(assigned & _DJANGO_SETTINGS))
    )
    if not looks and not (star and any(name.isupper() for name in assigned)):
        return None
    reader = _Reader(module, is_init, _env_objects(tree.body), includes)
    steps: list[Step] = []
    for stmt in tree.body:
        steps.extend(reader.steps(stmt, conditional=False, in_try=False))
    functions = any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) for stmt in tree.body)
    return SettingsFacts(tuple(steps), looks, functions, _development_apps(tree.body))


_PRODUCTION_WORDS = frozenset({"prod", "production", "live"})
_DEVELOPMENT_WORDS = frozenset({"dev", "development", "local", "test", "testing", "ci"})


def _development_apps(body: list[ast.stmt]) -> tuple[str, ...]:
    """The app labels a top-level `if` that production fails adds to INSTALLED_APPS
    (`+=`, `.append()`, `.extend()`, `.insert()` of literal strings)."""
    found: list[str] = []
    for stmt in body:
        if not (isinstance(stmt, ast.If) and _not_in_production(stmt.test)):
            continue
        for inner in stmt.body:
            added = None
            if isinstance(inner, ast.AugAssign) and isinstance(inner.target, ast.Name):
                if inner.target.id == "INSTALLED_APPS":
                    added = inner.value
            elif isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Call):
                func = inner.value.func
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "INSTALLED_APPS"
                    and inner.value.args
                ):
                    added = inner.value.args[-1]
            if added is not None:
                found += [n.value for n in all_nodes(added) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return tuple(dict.fromkeys(found))


def _not_in_production(test: ast.expr) -> bool:
    """`DEBUG`, `settings.DEBUG`, `ENVIRONMENT not in ("production", "prod")`,
    `ENV != "production"`, `ENV == "dev"`, `not IS_PRODUCTION`: production takes the other branch."""
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = test.id if isinstance(test, ast.Name) else test.attr
        return name == "DEBUG"
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        operand = test.operand
        name = (
            operand.id if isinstance(operand, ast.Name) else operand.attr if isinstance(operand, ast.Attribute) else ""
        )
        return "PROD" in name.upper()
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, right = test.ops[0], test.comparators[0]
        words = {n.value.lower() for n in all_nodes(right) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        if isinstance(op, (ast.NotIn, ast.NotEq)):
            return bool(words & _PRODUCTION_WORDS)
        if isinstance(op, (ast.In, ast.Eq)):
            return bool(words) and words <= _DEVELOPMENT_WORDS
    return False


def _reads_django_settings(body: list[ast.stmt]) -> bool:
    """`from django.conf import settings` at the top: a module reading the project's settings
    (an app's `settings.py` of `getattr(settings, "X", default)`), never a settings module
    itself, which Django loads before `django.conf.settings` exists."""
    return any(
        isinstance(s, ast.ImportFrom) and s.module == "django.conf" and any(a.name == "settings" for a in s.names)
        for s in body
    )


def _assigned_names(body: list[ast.stmt]) -> set[str]:
    """Top-level names assigned, extended (`+=`) or given a key (`NAME["k"] = v`)."""
    names: set[str] = set()
    for stmt in body:
        targets = (
            stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AugAssign) else []
        )
        for target in targets:
            if isinstance(target, ast.Subscript):
                target = target.value
            if isinstance(target, ast.Name):
                names.add(target.id)
    return names


def _star_import(body: list[ast.stmt]) -> bool:
    """A top-level `from x import *`: with upper-case names assigned, a module that is
    settings when DJANGO_SETTINGS_MODULE or a settings module names it (`config/production.py`
    doing `from .common import *`)."""
    return any(isinstance(s, ast.ImportFrom) and any(a.name == "*" for a in s.names) for s in body)


def _split_settings_names(body: list[ast.stmt]) -> tuple[frozenset[str], frozenset[str]]:
    """The names django-split-settings' `include` and `optional` are imported as: `include(
    "components/base.py", optional("local.py"))` runs those files in the module, in order,
    as star imports would (geniza's settings package)."""
    found: dict[str, set[str]] = {"include": set(), "optional": set()}
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("split_settings"):
            for alias in stmt.names:
                if alias.name in found:
                    found[alias.name].add(alias.asname or alias.name)
    return frozenset(found["include"]), frozenset(found["optional"])


def _env_objects(body: list[ast.stmt]) -> frozenset[str]:
    """Module names bound to `environ.Env(...)` (django-environ) or `AutoConfig(...)`."""
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("Env", "AutoConfig", "Config"):
                names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return frozenset(names)


class _Reader:
    def __init__(
        self,
        module: str,
        is_init: bool,
        env_objects: frozenset[str],
        includes: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
    ):
        self.package = module.split(".") if is_init else module.split(".")[:-1]
        self.env_objects = env_objects
        self.include, self.optional = includes
        self.dict_keys: dict[str, tuple[str, ...]] = {}  # module dicts of literal keys: `OVERRIDES = dict(USER=...)`
        self.loop_keys: dict[str, tuple[str, ...]] = {}  # `for key, value in OVERRIDES.items():` -> key: its keys

    def steps(self, stmt: ast.stmt, conditional: bool, in_try: bool):
        line = stmt.lineno
        # `include(...)` (its `scope=globals()` is this module: no rewrite of unknown names)
        included = (
            isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Call)
            and getattr(stmt.value.func, "id", None) in self.include
        )
        if self.dict_keys:
            self._forget_changed_keys(stmt)
        if isinstance(stmt, ast.ImportFrom):
            source = self._absolute(stmt)
            for alias in stmt.names:
                if alias.name == "*":
                    yield Step("star", source, line, optional=in_try or conditional)
                else:
                    yield Step("unknown", alias.asname or alias.name, line)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            keys = _literal_keys(stmt.value)
            for target in targets:
                if isinstance(target, ast.Name) and not conditional:
                    self._remember_keys(target.id, keys)
            value = UNKNOWN if conditional else self.value(stmt.value)
            for target in targets:
                yield from self._assigned(target, value, line)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            value = UNKNOWN if conditional else self.value(stmt.value)
            yield Step("extend" if isinstance(stmt.op, ast.Add) else "unknown", stmt.target.id, line, value)
        elif included:
            yield from self._included(stmt.value, conditional or in_try, line)  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            yield from self._method_call(stmt.value, conditional, line)
        if isinstance(stmt, (ast.Expr, ast.Assign)) and not included and _rewrites_the_module(stmt):
            yield Step("unknown", ANY, line)
        elif isinstance(stmt, ast.For):
            bound = self._loop_keys(stmt)
            self.loop_keys.update(bound)
            try:
                yield from self._block(stmt, in_try, conditional)
            finally:
                for name in bound:
                    self.loop_keys.pop(name, None)
        elif isinstance(stmt, (ast.If, ast.While, ast.With, ast.Try)):
            yield from self._block(stmt, in_try, conditional)

    def _forget_changed_keys(self, stmt: ast.stmt) -> None:
        """A dict whose keys may change (`OVERRIDES[name] = x`, `OVERRIDES.update(...)`) no longer
        has known keys."""
        for node in all_nodes(stmt):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                or isinstance(node, ast.Attribute)
                and node.attr not in ("items", "keys", "values", "get")
            ):
                changed = node.value
            else:
                continue
            if isinstance(changed, ast.Name):
                self.dict_keys.pop(changed.id, None)

    def _remember_keys(self, name: str, keys: tuple[str, ...] | None) -> None:
        if keys is None:
            self.dict_keys.pop(name, None)
        else:
            self.dict_keys[name] = keys

    def _loop_keys(self, loop: ast.For) -> dict[str, tuple[str, ...]]:
        """`for key, value in OVERRIDES.items():` (or `for key in OVERRIDES:`) over a module dict
        whose keys are literals: the loop's key takes only those values (edX's DB_OVERRIDES
        sets USER, HOST...: never ATOMIC_REQUESTS)."""
        source = loop.iter
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and not source.args:
            source = source.func.value if source.func.attr in ("items", "keys") else source
        keys = self.dict_keys.get(source.id) if isinstance(source, ast.Name) else None
        target = loop.target.elts[0] if isinstance(loop.target, ast.Tuple) and loop.target.elts else loop.target
        if keys is None or not isinstance(target, ast.Name):
            return {}
        return {target.id: keys}

    def _block(self, stmt: ast.stmt, in_try: bool, conditional: bool = False):
        """Statements under a condition: what they bind is unknown (either branch may run),
        except a star import, which is replayed as optional. A block inside a condition
        (`if CIRCLECI:` then `with suppress(ImportError):`) stays conditional."""
        is_try = isinstance(stmt, ast.Try)
        blocks: list[list[ast.stmt]] = [stmt.body]  # type: ignore[attr-defined]
        if isinstance(stmt, ast.Try):
            blocks += [h.body for h in stmt.handlers] + [stmt.orelse, stmt.finalbody]
        elif isinstance(stmt, (ast.If, ast.For, ast.While)):
            blocks.append(stmt.orelse)
        for block in blocks:
            for inner in block:
                # a try body's assignments run (when nothing raises): only an if/loop is uncertain
                sure = is_try and block is stmt.body or isinstance(stmt, ast.With)  # type: ignore[attr-defined]
                yield from self.steps(inner, conditional=conditional or not sure, in_try=in_try or is_try)

    def _assigned(self, target: ast.expr, value: Value, line: int):
        if isinstance(target, ast.Name):
            yield Step("set", target.id, line, value)
        elif isinstance(target, ast.Subscript):
            keys: list[object] = []
            node: ast.expr = target
            while isinstance(node, ast.Subscript):
                keys.insert(0, _constant(node.slice))
                node = node.value
            if not isinstance(node, ast.Name):
                return
            last = target.slice
            choices = self.loop_keys.get(last.id) if isinstance(last, ast.Name) and len(keys) > 1 else None
            if choices is not None and all(isinstance(k, str) for k in keys[:-1]):
                # `DATABASES["default"][key] = value` with `key` one of a dict's literal keys
                for choice in choices:
                    yield Step("key", node.id, line, UNKNOWN, key=str(keys[0]), inner=(*map(str, keys[1:-1]), choice))
            elif all(isinstance(k, str) for k in keys):
                yield Step("key", node.id, line, value, key=str(keys[0]), inner=tuple(str(k) for k in keys[1:]))
            else:
                yield Step("unknown", node.id, line)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                yield from self._assigned(element, UNKNOWN, line)

    def _method_call(self, call: ast.Call, conditional: bool, line: int):
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        name, method = func.value.id, func.attr
        if not name.isupper():
            return
        if method in ("append", "extend", "insert") and call.args:
            added = self.value(call.args[-1])
            if method != "extend" and added.kind == "literal":
                added = Value("literal", [added.literal])
            yield Step("unknown" if conditional else "extend", name, line, added)
        elif method == "update" and len(call.args) == 1 and isinstance(call.args[0], ast.Dict):
            for key, value in zip(call.args[0].keys, call.args[0].values):
                text = _constant(key)
                if isinstance(text, str):
                    yield Step("key", name, line, UNKNOWN if conditional else self.value(value), key=text)
                else:
                    yield Step("unknown", name, line)
        elif method in ("remove", "pop", "clear", "setdefault", "update"):
            yield Step("unknown", name, line)

    def _included(self, call: ast.Call, optional: bool, line: int):
        """split-settings' `include(...)`: each file named by a literal path is a star import of
        the module it holds, `optional(...)` ones as a star import in `try:`; a path built at
        run time (`optional(f"environments/{ENV}.py")`) or a pattern (`components/*.py`) may
        load anything."""
        for arg in call.args:
            optional_file = isinstance(arg, ast.Call) and getattr(arg.func, "id", None) in self.optional
            path = (
                _constant(arg.args[0]) if isinstance(arg, ast.Call) and optional_file and arg.args else _constant(arg)
            )
            parts = path.removesuffix(".py").split("/") if isinstance(path, str) and path.endswith(".py") else []
            if not parts or any(not p.isidentifier() for p in parts):
                yield Step("unknown", ANY, line)
                continue
            yield Step("star", ".".join(self.package + parts), line, optional=optional or optional_file)

    def _absolute(self, stmt: ast.ImportFrom) -> str:
        if not stmt.level:
            return stmt.module or ""
        keep = len(self.package) - (stmt.level - 1)
        parts = self.package[: max(keep, 0)] + (stmt.module.split(".") if stmt.module else [])
        return ".".join(parts)

    # -- values ------------------------------------------------------------------------------
    def value(self, node: ast.expr) -> Value:
        try:
            return Value("literal", ast.literal_eval(node))
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Dict):
            items = []
            for key, value in zip(node.keys, node.values):
                text = _constant(key)
                if not isinstance(text, str):
                    return UNKNOWN  # `**other` or a computed key: the keys are not all known
                items.append((text, self.value(value)))
            return Value("dict", items=tuple(items))
        env = self._environment(node)
        return env if env is not None else UNKNOWN

    def _environment(self, node: ast.expr) -> Value | None:
        """An environment read, with what production gets when the variable is unset."""
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            return Value("env")  # os.environ["X"]: no fallback, a missing variable raises
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left = self._environment(node.left)
            right = _literal(node.comparators[0])
            if left is None or right is _MISSING:
                return None
            if not left.has_fallback:
                return Value("env")
            return Value("env", _compare(node.ops[0], left.literal, right), True)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self._environment(node.operand)
            if inner is None:
                return None
            return Value("env", not inner.literal, True) if inner.has_fallback else Value("env")
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("lower", "strip", "upper", "split") and not node.keywords:
            inner = self._environment(func.value)
            if inner is None:
                return None
            if not inner.has_fallback or not isinstance(inner.literal, str):
                return Value("env")
            text = inner.literal
            if func.attr == "split":
                sep = _literal(node.args[0]) if node.args else None
                return Value("env", text.split(sep if isinstance(sep, str) else None), True)
            return Value("env", getattr(text, func.attr)(), True)
        if isinstance(func, ast.Name) and func.id in ("bool", "int", "str", "strtobool", "str2bool") and node.args:
            inner = self._environment(node.args[0])
            if inner is None or not inner.has_fallback:
                return inner
            return Value("env", _cast(func.id, inner.literal), True)
        if _is_os_environ_get(func):
            if len(node.args) >= 2:
                fallback = _literal(node.args[1])
                return Value("env", fallback, True) if fallback is not _MISSING else Value("env")
            # no fallback written: None when unset, which no rule holds against the code
            return Value("env")
        return self._env_library(node)

    def _env_library(self, node: ast.Call) -> Value | None:
        """django-environ (`env("X", default=...)`, `env.bool("X", True)`) and python-decouple
        (`config("X", default="False", cast=bool)`)."""
        func = node.func
        cast = None
        helper = _ENV_HELPER.match(func.id) if isinstance(func, ast.Name) else None
        if helper is not None:
            cast = helper.group(1) or helper.group(2)
        elif isinstance(func, ast.Name) and (func.id in _ENV_READERS or func.id in self.env_objects):
            pass
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id in _ENV_READERS or func.value.id in self.env_objects)
            and func.attr in _ENV_CASTS
        ):
            cast = func.attr
        else:
            return None
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        default = keywords.get("default") or (node.args[1] if len(node.args) >= 2 else None)
        if default is None:
            return Value("env")
        fallback = _literal(default)
        if fallback is _MISSING:
            return Value("env")
        cast_node = keywords.get("cast")
        if cast is None and isinstance(cast_node, ast.Name):
            cast = cast_node.id
        return Value("env", _cast(cast, fallback) if cast else fallback, True)


_MISSING = object()
ANY = "*"  # the name of an "unknown" step after which any setting may have any value


def _rewrites_the_module(stmt: ast.stmt) -> bool:
    """A call that may set any setting: it is handed the module (`__name__`, `locals()`,
    `globals()`: dynaconf's `DjangoDynaconf(__name__)`, `django_heroku.settings(locals())`),
    loads more settings (`import_local_settings(path)`) or runs a file's code in the module
    (`exec(compile(open(path).read(), path, "exec"))`)."""
    for node in all_nodes(stmt):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _namespace(node.value):
            return True  # `globals()[name] = value`
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in ("exec", "execfile"):
            return True  # patchman runs /etc/patchman/local_settings.py over its own values
        if isinstance(func, ast.Attribute) and called in ("update", "setdefault") and _namespace(func.value):
            return True  # edX's `vars().update(yaml.safe_load(f))`: the YAML's keys become settings
        if node is getattr(stmt, "value", None) and isinstance(stmt, ast.Expr) and "settings" in called.lower():
            return True  # called for its effect alone
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Name) and arg.id == "__name__":
                return True
            if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") in ("locals", "globals", "vars"):
                return True
    return False


def _literal_keys(node: ast.expr) -> tuple[str, ...] | None:
    """The keys of `{"USER": ..., "HOST": ...}` or `dict(USER=..., HOST=...)` when all are literal."""
    if isinstance(node, ast.Dict) and all(isinstance(_constant(k), str) for k in node.keys):
        return tuple(str(_constant(k)) for k in node.keys)
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "dict"
        and not node.args
        and all(k.arg is not None for k in node.keywords)
    ):
        return tuple(str(k.arg) for k in node.keywords)
    return None


def _namespace(node: ast.expr) -> bool:
    """`globals()`, `locals()`, `vars()`: the settings module's own names, at its top level."""
    return (
        isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("locals", "globals", "vars") and not node.args
    )


def _literal(node: ast.expr | None):
    if node is None:
        return _MISSING
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _MISSING


def _constant(node: ast.expr | None):
    return node.value if isinstance(node, ast.Constant) else None


def _compare(op: ast.cmpop, left, right) -> object:
    try:
        if isinstance(op, ast.Eq):
            return left == right
        if isinstance(op, ast.NotEq):
            return left != right
        if isinstance(op, ast.In):
            return left in right
        if isinstance(op, ast.NotIn):
            return left not in right
    except TypeError:
        pass
    return None


def _cast(cast: str, value: object) -> object:
    if cast in ("bool", "strtobool", "str2bool") and isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    if cast == "bool":
        return bool(value)
    if cast in ("list", "tuple") and isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if cast == "int" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ) or (isinstance(node, ast.Name) and node.id == "environ")


def _is_os_environ_get(func: ast.expr) -> bool:
    """`os.environ.get`, `environ.get`, `os.getenv`, `getenv`."""
    if isinstance(func, ast.Attribute) and func.attr == "get" and _is_os_environ(func.value):
        return True
    if isinstance(func, ast.Attribute) and func.attr == "getenv":
        return isinstance(func.value, ast.Name) and func.value.id == "os"
    return isinstance(func, ast.Name) and func.id == "getenv"
