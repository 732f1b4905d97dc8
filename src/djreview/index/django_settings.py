"""The project's Django settings as production gets them, replayed from the settings modules'
steps (settings_facts.py) without importing anything.

Production settings are the non-development settings modules that `DJANGO_SETTINGS_MODULE`
names in manage.py/wsgi.py/asgi.py, or when it names none, every non-development settings
module that no other settings module star-imports. Development modules are named `dev`,
`development`, `local`, `local_settings`, `ci`, `test*`, `example`, `sample`, `cypress`, `e2e`,
`selenium`, `playwright`, `docs`, `sphinx` (also with a
`_settings` suffix or a `settings_` prefix) or live in a test package; `global_settings` and
`default_settings` are a framework's or an app's defaults, not production either. A module
star-imported by them (`base.py`) is judged through them: its values count where a production
module inherits them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview.discovery import TEST_DIRS
from djreview.index.settings_facts import ANY, UNKNOWN, SettingsFacts, Value

if TYPE_CHECKING:
    from djreview.index.facts import ModuleFacts

# `example`/`sample`: a file to copy and edit (weblate's settings_example.py), never run as
# is; `global_settings`/`default_settings`: the defaults a framework or app ships (Django's own)
# a project to try the code in, not to deploy (oscar's sandbox, shuup's workbench)
_DEV_PACKAGES = frozenset({"sandbox", "example", "examples", "demo", "workbench", "docs", "docsite", "runtests"})
# `exampleapp`, `demo_site`, `example_google_app`
_DEV_PROJECT = re.compile(r"^(?:sandbox|examples?|demo|workbench)(?:_\w+)?_?(?:app|apps|project|proj|site)$")
_PRODUCTION_NAMES = frozenset({"prod", "production", "live", "settings_prod", "prod_settings"})
_DEV_NAMES = frozenset(
    {"dev", "development", "local", "local_settings", "ci", "example", "sample", "global", "default", "defaults"}
    # a browser test run's (oioioi's cypress_settings.py) or a documentation build's (course-discovery's
    # docs_settings.py, which Sphinx imports to read the code's docstrings)
    | {"cypress", "e2e", "selenium", "playwright", "docs", "sphinx"}
    # Nitrate's `devel` (its wsgi.py names `product`); pythondotorg's `static`, run only for
    # `collectstatic` while the image is built
    | {"devel", "develop", "static", "collectstatic"}
)


# `test`, `tests_postgres`, `unit_tests`, DefectDojo's `unittests`, `integration_test`
# (not `contest`, `latest`)
_TEST_NAME = re.compile(r"(^|_|unit)tests?($|_)|^test")


@dataclass(frozen=True)
class SettingValue:
    """A setting in production. state "set": `value` is the Python literal every production
    settings module gets, set at `path`:`line`; "absent": settings modules were found and none
    sets it; "unknown": no settings module was found, production modules disagree, or the
    value is read from the environment or computed."""

    state: str
    value: object = None
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class Entry:
    value: Value
    path: str
    line: int
    # what the code had set before a step that may set anything made the value unknown
    # (`vars().update(yaml.safe_load(f))`): the code's own statement, for questions where a
    # doubt must not raise a finding (ATOMIC_REQUESTS)
    earlier: Value | None = None


@dataclass(frozen=True)
class Inherited:
    """A value a production settings module gets from the file asked about."""

    name: str
    value: Value
    line: int
    production: tuple[str, ...]  # the production modules that get it


_PROJECT_SETTINGS = ("INSTALLED_APPS", "DATABASES", "ROOT_URLCONF", "MIDDLEWARE", "MIDDLEWARE_CLASSES")


def is_development(module: str) -> bool:
    """Development settings by name: the module's, or a package's it sits in (`testproject`,
    `auth_tests`), read from the dotted name so that a project kept under a folder named
    `tests` (djreview's own sample) is judged by its own layout."""
    *packages, name = module.split(".")
    for affix in ("_settings", "settings_"):
        name = name.removesuffix(affix) if affix.startswith("_") else name.removeprefix(affix)
    if name in _DEV_NAMES or _TEST_NAME.search(name) or "migration" in name:
        return True  # `make_migrations_settings`: a script's settings for makemigrations
    return any(_development_package(p) for p in packages)


def demo_module(module: str) -> bool:
    """A module of a library's demo or example project (`sandbox.demo.forms`, `exampleapp.views`),
    by the packages it sits in; test packages are the callers' to judge."""
    return any(p in _DEV_PACKAGES or _DEV_PROJECT.match(p) for p in module.split(".")[:-1])


def demo_path(path: str) -> bool:
    """A file under a library's docs or demo folder (`docs/`, `docsite/`, `examples/store/`),
    by the folders of its path: they need not be packages (a `manage.py` beside the example)."""
    folders = path.replace("\\", "/").split("/")[:-1]
    return any(folder in _DEV_PACKAGES or _DEV_PROJECT.match(folder) for folder in folders)


def _development_package(name: str) -> bool:
    if name in TEST_DIRS or name.startswith("test") or name.endswith("_tests"):
        return True
    if _DEV_PROJECT.match(name):
        return True  # a library's demo project: django-defender's `exampleapp`, `demo_site`
    return any(name == d or name.endswith("_" + d) for d in _DEV_PACKAGES)


def _holds(module: str, paths: list[str]) -> bool:
    """Is there a file for the dotted module among the paths (`config/settings/__init__.py`
    for `config.settings`, whatever the folders above it)?"""
    stem = module.replace(".", "/")
    return any(p.endswith(end) for p in paths for end in (f"/{stem}.py", f"/{stem}/__init__.py")) or any(
        p in (f"{stem}.py", f"{stem}/__init__.py") for p in paths
    )


class ProjectSettings:
    def __init__(self, modules: list[ModuleFacts]):
        self.modules: dict[str, SettingsFacts] = {}
        self.paths: dict[str, str] = {}
        for m in modules:
            if m.settings is not None and not m.external:
                self.modules[m.module], self.paths[m.module] = m.settings, m.path
        named = {self.find(name) for m in modules if not m.external for name in m.settings_modules}
        imported = {self.find(s.name) for facts in self.modules.values() for s in facts.steps if s.kind == "star"}
        candidates = [
            name
            for name, facts in self.modules.items()
            if facts.steps and not is_development(name) and not self._development_too(name)
        ]
        # `production.py` that only a development variant builds on (ecommerce's `devstack.py`:
        # `from .production import *`) is still what production runs
        imported_by_production = {
            self.find(s.name) for name in candidates for s in self.modules[name].steps if s.kind == "star"
        }
        imported -= {n for n in candidates if n.rpartition(".")[2] in _PRODUCTION_NAMES} - imported_by_production
        # When manage.py/wsgi.py/asgi.py name a production module, production is what they
        # name (pretix's _build_settings.py only runs at build time); otherwise every module
        # nobody star-imports (a settings/prod.py chosen by an environment variable).
        chosen = [name for name in candidates if name in named]
        self._namespaces: dict[str, dict[str, Entry]] = {}
        by_manage = {
            self.find(name)
            for m in modules
            if not m.external and m.path.replace("\\", "/").endswith("manage.py")
            for name in m.settings_modules
        }
        apps = {m.module.rpartition(".")[0] for m in modules if not m.external and m.module.endswith(".models")}
        if (
            named
            and not by_manage
            and all(name.rpartition(".")[0] in apps for name in named)
            and not any("ROOT_URLCONF" in self.namespace(name) for name in named if name in self.modules)
        ):
            # no manage.py, and only a wsgi.py inside an app package names settings that route
            # no URLs (django-csvimport's test settings beside models.py): a reusable app;
            # umap's `umap.settings` sets ROOT_URLCONF and is deployed through its wsgi.py
            self.production: list[str] = []
            return
        if named and all(self._test_project(name) for name in named):
            # manage.py runs a test or demo project (`tests.settings`): the repository is a
            # reusable app, whose production settings are its host's; the fragments it ships
            # for hosts (`app/core/settings/common.py`) are not a project's
            self.production = []
            return
        paths = [m.path.replace("\\", "/") for m in modules if not m.external]
        if named and not any(name in self.modules or _holds(name, paths) for name in named):
            # manage.py names a module the repository does not hold (ureport's git-ignored
            # `settings.py`, copied at deploy from `settings.py.prod` over `settings_common`):
            # what production sets is unknown, and the modules it builds on are no production
            # (an empty `config/settings/__init__.py` is there: MetaDeploy's environment names
            # `config.settings.production`)
            self.production = []
            return
        self.production = sorted(
            chosen
            or [
                n
                for n in candidates
                if self.modules[n].looks_like_settings and n not in imported and self._configures_a_project(n)
            ]
        )

    def _development_too(self, module: str) -> bool:
        """A module under a `docs/`, `examples/`, `sandbox/`... folder (an example, whatever
        its dotted name: `manage.py` beside it names a bare `settings`); one that star-imports
        development settings (huey-monitor's `settings/docker.py` on `settings/local.py`, for
        docker-compose), but not a production module overlaying `local.py` inside `try:`; or
        one built on the production module (`from .prod import *`): a variant for another
        place (a Docker development setup), production being `prod.py` itself."""
        if demo_path(self.paths[module]):
            return True  # `docs/`, `examples/shop/settings.py`: whatever its dotted name
        stars = [self.find(s.name, module) for s in self.modules[module].steps if s.kind == "star" and not s.optional]
        if any(star.rpartition(".")[2] in _PRODUCTION_NAMES for star in stars):
            return True  # `settings/docker.py` on `settings/prod.py`, DEBUG = True: a variant for development
        return any(is_development(star) for star in stars)

    @staticmethod
    def _test_project(module: str) -> bool:
        """A module in a test or demo package (`tests.settings`, `testproject.settings`,
        `sandbox.settings`), not one merely named for development (`config.settings.local`)."""
        return any(_development_package(p) for p in module.split(".")[:-1])

    def _configures_a_project(self, module: str) -> bool:
        """An app's `settings.py` of presets (`AUTH_USER_MODEL` beside functions returning a
        REST_FRAMEWORK dict for host projects to call) runs no project: a module defining
        functions that sets (with what it star-imports) none of INSTALLED_APPS, DATABASES,
        ROOT_URLCONF, MIDDLEWARE is not the project's settings."""
        if not self.modules[module].defines_functions:
            return True
        names = self.namespace(module)
        return ANY in names or any(name in names for name in _PROJECT_SETTINGS)

    def find(self, name: str, importer: str = "") -> str:
        """The settings module a dotted name stands for: `core.settings.base` may be imported
        from a folder on sys.path one below the one the index names modules from
        (label-studio's `label_studio/`). A top-level name outside any package is only the
        file beside the importing module or above it (not ReviewBoard's
        `extensions/packaging/conf/settings_local.py` for its own `settings_local`)."""
        if name in self.modules:
            if "." in name or not importer:
                return name
            folder = self.paths[name].rpartition("/")[0]
            return name if self.paths[importer].startswith(folder + "/" if folder else "") else f"<unread>.{name}"
        # one folder down only: `settings_local` is not `reviewboard.extensions.conf.settings_local`
        found = [m for m in self.modules if m.endswith("." + name) and "." not in m[: -len(name) - 1]]
        return found[0] if len(found) == 1 else name

    def namespace(self, module: str, seen: frozenset[str] = frozenset()) -> dict[str, Entry]:
        """Every name the module ends up with, from its own steps and its star imports."""
        if module in self._namespaces:
            return self._namespaces[module]
        path = self.paths[module]
        names: dict[str, Entry] = {}
        for step in self.modules[module].steps:
            here = Entry(step.value, path, step.line)
            if step.kind == "star":
                source = self.find(step.name, module)
                if step.optional and source in self.modules and is_development(source):
                    continue  # a development override in the repository: production lacks it
                if source in self.modules and source not in seen:
                    names.update(self.namespace(source, seen | {module}))
                else:  # a module not read (a gitignored local_settings.py): it may set anything
                    names = _all_unknown(names, here)
            elif step.kind == "unknown" and step.name == ANY:
                names = _all_unknown(names, here)
            elif step.kind == "set":
                names[step.name] = here
            elif step.kind == "extend":
                names[step.name] = Entry(_extended(names.get(step.name), step.value), path, step.line)
            elif step.kind == "key" and step.inner:
                previous = names.get(step.name)
                keys = (step.key, *step.inner)
                value = _with_path(previous, keys, step.value)
                earlier = previous.earlier if previous is not None else None
                if earlier is not None:
                    earlier = _with_path(Entry(earlier, path, step.line), keys, step.value)
                names[step.name] = Entry(value, path, step.line, earlier)
            elif step.kind == "key":
                names[step.name] = Entry(_with_key(names.get(step.name), step.key, step.value), path, step.line)
            else:
                names[step.name] = Entry(UNKNOWN, path, step.line)
        if not seen:
            self._namespaces[module] = names
        return names

    def setting(self, name: str) -> SettingValue:
        answers = [self._one(self.namespace(m), name) for m in self.production]
        return _agreed(answers)

    def atomic_requests(self) -> bool:
        """Does every production settings module's DATABASES set ATOMIC_REQUESTS on an alias,
        in the dict literal or by a key set after it (on an alias read from the environment too)?"""
        # no production module in the repository (les-emplois deploys one named by the
        # environment; manage.py names `dev`): every settings module that has DATABASES agrees
        modules = self.production or [m for m in self.modules if "DATABASES" in self.namespace(m)]
        if not modules:
            return False
        for module in modules:
            entry = self.namespace(module).get("DATABASES")
            if entry is None:
                return False
            value = entry.earlier if entry.value.kind == "unknown" and entry.earlier is not None else entry.value
            if not _sets_atomic_requests(value):
                return False
        return True

    def drf_setting(self, key: str) -> SettingValue:
        answers = []
        for module in self.production:
            entry = self._one(self.namespace(module), "REST_FRAMEWORK")
            if entry.state != "set" or not isinstance(entry.value, Value):
                answers.append(entry)
                continue
            value = entry.value
            if value.kind == "literal" and isinstance(value.literal, dict):
                inner = value.literal.get(key, _ABSENT)
                answers.append(
                    SettingValue("absent") if inner is _ABSENT else SettingValue("set", inner, entry.path, entry.line)
                )
            elif value.kind == "dict":
                found = value.key(key)
                answers.append(_literal_answer(found, entry) if found is not None else SettingValue("absent"))
            else:
                answers.append(SettingValue("unknown"))
        return _agreed(answers, literal=False)

    def inherited_from(self, path: str) -> tuple[Inherited, ...]:
        """The values production settings modules take from the file at `path`, whichever
        module sets them there (its own, or a base it star-imports)."""
        found: dict[tuple[str, int], tuple[Value, list[str]]] = {}
        for module in self.production:
            for name, entry in self.namespace(module).items():
                if entry.path == path and name != ANY:
                    found.setdefault((name, entry.line), (entry.value, []))[1].append(module)
        return tuple(Inherited(name, value, line, tuple(mods)) for (name, line), (value, mods) in sorted(found.items()))

    @staticmethod
    def _one(names: dict[str, Entry], name: str) -> SettingValue:
        entry = names.get(name)
        if entry is None:
            return SettingValue("unknown" if ANY in names else "absent")
        return SettingValue("set", entry.value, entry.path, entry.line)


_ABSENT = object()


def _all_unknown(names: dict[str, Entry], here: Entry) -> dict[str, Entry]:
    """After a step that may set any setting: every name so far is unknown, and so is any
    name not set yet."""
    unknown = {
        name: Entry(UNKNOWN, entry.path, entry.line, entry.earlier if entry.value.kind == "unknown" else entry.value)
        for name, entry in names.items()
    }
    unknown[ANY] = here
    return unknown


def _literal_answer(value: Value, entry: SettingValue) -> SettingValue:
    if value.kind == "literal":
        return SettingValue("set", value.literal, entry.path, entry.line)
    return SettingValue("unknown")


def _agreed(answers: list[SettingValue], literal: bool = True) -> SettingValue:
    """One answer for every production module, or unknown when they differ."""
    if literal:  # `setting()` answers hold the Value: keep literals, the rest is unknown
        answers = [_literal_answer(a.value, a) if a.state == "set" else a for a in answers]  # type: ignore[arg-type]
    if not answers or any(a.state == "unknown" for a in answers):
        return SettingValue("unknown")
    first = answers[0]
    if all(a.state == first.state and a.value == first.value for a in answers):
        return first
    return SettingValue("unknown")


def _extended(previous: Entry | None, added: Value) -> Value:
    if previous is None or previous.value.kind != "literal" or added.kind != "literal":
        return UNKNOWN
    old, new = previous.value.literal, added.literal
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return Value("literal", type(old)(list(old) + list(new)))
    return UNKNOWN


def _as_dict(value: Value) -> Value:
    """A literal dict as a "dict" of literal values, so that a key can hold a value not known."""
    literal = value.literal if isinstance(value.literal, dict) else {}
    return Value("dict", items=tuple((str(k), Value("literal", v)) for k, v in literal.items()))


def _sets_atomic_requests(databases: Value) -> bool:
    if databases.kind == "literal" and isinstance(databases.literal, dict):
        return any(isinstance(alias, dict) and alias.get("ATOMIC_REQUESTS") for alias in databases.literal.values())
    if databases.kind != "dict":
        return False
    for _, alias in databases.items:
        if alias.kind == "literal" and isinstance(alias.literal, dict) and alias.literal.get("ATOMIC_REQUESTS"):
            return True
        found = alias.key("ATOMIC_REQUESTS") if alias.kind == "dict" else None
        if found is not None and found.kind == "literal" and found.literal:
            return True
    return False


def _with_path(previous: Entry | None, keys: tuple[str, ...], value: Value) -> Value:
    """`DATABASES["default"]["ATOMIC_REQUESTS"] = True` (Ghostwriter, cookiecutter-django) on a
    literal dict: the dict with that key set, a literal still. On `{"default": env.db(...)}`, whose
    alias is read from the environment, a "dict" whose alias holds only the keys set since."""
    if previous is None:
        return UNKNOWN
    old = previous.value
    if old.kind == "literal" and isinstance(old.literal, dict) and value.kind != "literal":
        old = _as_dict(old)  # `DATABASES["default"]["CONN_MAX_AGE"] = env.int(...)`
    if old.kind == "literal" and isinstance(old.literal, dict):
        root = copy.deepcopy(old.literal)
        holder: object = root
        for key in keys[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if not isinstance(holder, dict):
            return UNKNOWN
        holder[keys[-1]] = value.literal
        return Value("literal", root)
    if old.kind == "dict" and len(keys) == 2:
        alias, key = keys
        inner = old.key(alias)
        if inner is None:
            return UNKNOWN
        if inner.kind == "literal" and isinstance(inner.literal, dict):
            inner = _as_dict(inner)
        kept = inner.items if inner.kind == "dict" else ()
        changed = Value("dict", items=tuple((k, v) for k, v in kept if k != key) + ((key, value),))
        return Value("dict", items=tuple((k, changed if k == alias else v) for k, v in old.items))
    return UNKNOWN


def _with_key(previous: Entry | None, key: str, value: Value) -> Value:
    if previous is None:
        return UNKNOWN  # a key set on a dict defined elsewhere (a star import not read)
    old = previous.value
    if old.kind == "literal" and isinstance(old.literal, dict):
        items = tuple((str(k), Value("literal", v)) for k, v in old.literal.items())
    elif old.kind == "dict":
        items = old.items
    else:
        return UNKNOWN
    return Value("dict", items=tuple((k, v) for k, v in items if k != key) + ((key, value),))
