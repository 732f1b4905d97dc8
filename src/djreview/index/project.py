"""The project index: every model, relation, reverse accessor and manager, across files.

Rules ask it questions only through the methods marked ``@query``. A file is reviewed
against a `Recorder` of the index, which keeps each question and its answer with the file's
cached findings; on a later run the questions are asked again of the new index, and the
findings are reused only when every answer is the same (a model edited in one file
re-reviews the files whose findings used it, and only those).
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from djreview import orm
from djreview.discovery import TEST_DIRS
from djreview.index.atomic_calls import SHARED_METHODS
from djreview.index.call_arguments import site_gives_code
from djreview.index.django_settings import Inherited, ProjectSettings, SettingValue, demo_module, demo_path
from djreview.index.facts import ANY_SENDER, ClassFacts, FieldFacts, ModuleFacts, QuerysetChain, Selector
from djreview.index.lookups import LISTED
from djreview.index.migration_state import MigrationFacts, OpState, replay
from djreview.index.reads import Reach, Reader

if TYPE_CHECKING:
    from djreview.index.project_files import ProjectFiles
    from djreview.index.returns import Returns

_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9_]*")
_BUILTIN_KINDS = (
    (orm.MODEL_BASES, "model"),
    (orm.MANAGER_BASES, "manager"),
    (orm.QUERYSET_BASES, "queryset"),
    (orm.MODELFORM_BASES, "modelform"),
    (orm.SERIALIZER_BASES, "serializer"),
    (orm.HYPERLINKED_SERIALIZER_BASES, "hyperlinked-serializer"),
    (orm.DRF_VIEW_BASES, "drf-view"),
)
_RELATION_KINDS = (
    (orm.FOREIGN_KEY, "fk"),
    (orm.ONE_TO_ONE, "o2o"),
    (orm.MANY_TO_MANY, "m2m"),
    (orm.GENERIC_FK, "gfk"),
    (orm.GENERIC_RELATION, "generic_relation"),
)
# Names djreview gives Django's and DRF's meaning. A project that vendors a copy of Django
# (a `django/db/models/__init__.py` of its own) must not redefine them: its classes of these
# names are left out of the index, and a reference to one never follows the copy's imports.
_KNOWN_NAMES = frozenset().union(
    *(bases for bases, _ in _BUILTIN_KINDS),
    *(kinds for kinds, _ in _RELATION_KINDS),
    orm.DJANGO_MODELS,
    orm.MODELFORM_FACTORIES,
)


# How many callers up DJR104 follows a function's calls to find the `atomic()` around them.
_CALL_CHAIN = 3
VIEW_BASES = ("django.views.", "django.contrib.auth.views.")  # a class-based view's (DJR104's too)
# Django's class-based views and mixins that define no post() (FormView, the edit views,
# RedirectView and DeletionMixin do)
_VIEWS_WITHOUT_POST = frozenset(
    {
        "View",
        "TemplateView",
        "ListView",
        "DetailView",
        "BaseListView",
        "BaseDetailView",
        "ArchiveIndexView",
        "YearArchiveView",
        "MonthArchiveView",
        "WeekArchiveView",
        "DayArchiveView",
        "TodayArchiveView",
        "DateDetailView",
        "ContextMixin",
        "TemplateResponseMixin",
        "MultipleObjectMixin",
        "SingleObjectMixin",
        "MultipleObjectTemplateResponseMixin",
        "SingleObjectTemplateResponseMixin",
        "AccessMixin",
        "LoginRequiredMixin",
        "PermissionRequiredMixin",
        "UserPassesTestMixin",
    }
)


# Packages' class-based views with no post() of their own or from a base (read in their
# source): smartmin's read views, SmartView over Django's DetailView and TemplateView (ureport)
_PACKAGE_VIEWS_WITHOUT_POST = frozenset({"smartmin.views.SmartReadView", "smartmin.views.SmartTemplateView"})


def query(method):
    """Mark a question rules may ask: a `Recorder` keeps its arguments and answer."""
    method.is_query = True
    return method


class Recorder:
    """The index as one file's review sees it. Every ``@query`` is answered by the index and
    kept in `asked` (question -> answer). Other methods run with the recorder as ``self``, so
    the questions they ask on the rule's behalf (`mentions_models` asks `any_model_named`)
    are kept too; a query's own inner calls need not be, its answer covers them."""

    def __init__(self, index: ProjectIndex):
        self._index = index
        self.asked: dict[tuple, object] = {}

    def __getattr__(self, name: str):
        func = getattr(type(self._index), name, None)
        if not isinstance(func, types.FunctionType):
            return getattr(self._index, name)  # data, or a property
        method = self._recording(name, func) if getattr(func, "is_query", False) else types.MethodType(func, self)
        setattr(self, name, method)  # the next lookup finds it without __getattr__
        return method

    def _recording(self, name: str, func: types.FunctionType):
        answer_of, asked = types.MethodType(func, self._index), self.asked

        def recorded(*args, **kwargs):
            answer = answer_of(*args, **kwargs)
            key = (name, tuple(_by_name(a) for a in args), tuple(sorted(kwargs.items())))
            asked.setdefault(key, answer)
            return answer

        return recorded


_POSITIONS = re.compile(r"\b(?:line|column)=-?[0-9]+")


def answer_digest(answer) -> str:
    """A short digest of an answer: its repr covers every field of the dataclasses involved,
    except the line and column of declarations, which no rule reports across files (so a
    line added at the top of models.py does not re-review every file that uses its models)."""
    text = _POSITIONS.sub("", repr(answer))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _joined(names) -> str:
    return " ".join(sorted(set(names)))


def _uses_by_name(modules, kind: str) -> dict[str, list[tuple[str, int]]]:
    """name -> (path, line) of each use recorded in the modules' `kind` facts."""
    found: dict[str, list[tuple[str, int]]] = {}
    for module in modules:
        for name, lines in getattr(module, kind).items():
            found.setdefault(name, []).extend((module.path, line) for line in lines)
    return found


def _shown(places: list[tuple[str, int]], shown: int) -> tuple[int, tuple[str, ...]]:
    """How many places, and the first `shown` of them (by path and line) as "path:line"."""
    return len(places), tuple(f"{path}:{line}" for path, line in sorted(places)[:shown])


def _by_name(value):
    return ModelRef(value.qualname) if isinstance(value, ModelInfo) else value


@dataclass(frozen=True)
class ModelRef:
    """A ModelInfo argument in a recorded question, by name (the info itself may change)."""

    qualname: str


@dataclass
class Relation:
    name: str
    kind: str  # fk | o2o | m2m | gfk | generic_relation | reverse_fk | reverse_o2o | reverse_m2m
    target: str | None  # qualified name of the model at the other end, when known
    null: bool = False
    field_name: str | None = None  # for reverse relations: the field on the other model
    line: int = 0
    query_name: str | None = None  # name in filter()/annotate() lookups, when not `name`

    @property
    def many(self) -> bool:
        return self.kind in ("m2m", "reverse_fk", "reverse_m2m", "generic_relation")


@dataclass
class ModelInfo:
    qualname: str
    name: str
    module: str
    path: str
    app_label: str
    line: int
    abstract: bool = False
    proxy: bool = False
    fields: list[FieldFacts] = field(default_factory=list)  # own and inherited, in MRO order
    relations: dict[str, Relation] = field(default_factory=dict)  # forward and reverse, by attribute
    managers: dict[str, str | None] = field(default_factory=dict)  # attr -> queryset/manager class
    has_str: bool = False
    bases_known: bool = True
    assumed: bool = False  # its bases could not be followed; its fields say it is a model
    parents: list[str] = field(default_factory=list)  # concrete model parents (multi-table)
    field_origin: dict[str, str] = field(default_factory=dict)  # field -> model that declares it

    def attname(self, name: str) -> bool:
        """Is `name` the ``<fk>_id`` column of a forward relation (costs no query)?"""
        return name.endswith("_id") and self.relations.get(name[:-3], Relation("", "", None)).kind in ("fk", "o2o")


# Packages whose classes djreview knows by name: a base from them is followed, not unknown.
_KNOWN_PACKAGES = ("django.", "rest_framework.", "builtins.", "typing.", "abc.", "enum.", "collections.")
_FIELD_MODULES = {"models", "fields"}
_FIELD_NAMES = ("Field", "ForeignKey", "ManyToManyField", "OneToOneField")


def _test_module(name: str) -> bool:
    """`app.tests.test_api`, `app.test_views`, `conftest`: a module of the test suite (its
    dotted name, so a project kept under a `tests/` folder is not one)."""
    parts = name.split(".")
    if any(a == "features" and b == "steps" for a, b in zip(parts, parts[1:])):
        return True  # behave's step definitions (`features/steps/*.py`): BDD tests
    return (
        any(p in TEST_DIRS or p.startswith(("test_", "tests_")) or p.endswith("_tests") for p in parts)
        or parts[-1] == "conftest"
        or (parts[-1].endswith("_test") and "migrations" not in parts)  # pytest's `*_test.py`, not `0002_test`
    )


# DRF view bases with no handler of their own that writes a serializer's data out.
_SILENT_DRF_VIEWS = frozenset(
    {
        "rest_framework.views.APIView",
        "rest_framework.generics.GenericAPIView",
        "rest_framework.viewsets.ViewSet",
        "rest_framework.viewsets.GenericViewSet",
        "rest_framework.viewsets.ViewSetMixin",
    }
)

# The handlers DRF's generic views define, each writing the serializer's data out.
_DRF_HANDLERS = {
    "rest_framework.generics.CreateAPIView": {"post"},
    "rest_framework.generics.ListAPIView": {"get"},
    "rest_framework.generics.RetrieveAPIView": {"get"},
    "rest_framework.generics.DestroyAPIView": {"delete"},
    "rest_framework.generics.UpdateAPIView": {"put", "patch"},
    "rest_framework.generics.ListCreateAPIView": {"get", "post"},
    "rest_framework.generics.RetrieveUpdateAPIView": {"get", "put", "patch"},
    "rest_framework.generics.RetrieveDestroyAPIView": {"get", "delete"},
    "rest_framework.generics.RetrieveUpdateDestroyAPIView": {"get", "put", "patch", "delete"},
}


def back_office_module(name: str) -> bool:
    """A module of a back office only staff reach: an app's `admin.py`, an `admin` package
    (shuup's `shuup.admin.modules`), an `admin_module` (shuup's apps), a `manage` or
    `backoffice` package (django-lfs's `lfs.manage`, whose views all require
    `core.manage_shop`). Not `staff` or `dashboard`: tendenci's staff directory is public,
    oscar's dashboard searches the order tables."""
    parts = name.split(".")
    return any(p == "admin" or p.startswith("admin_") or p.endswith("_admin") for p in parts) or any(
        p in _BACK_OFFICE_PACKAGES for p in parts[:-1]
    )


_BACK_OFFICE_PACKAGES = frozenset({"manage", "backoffice", "back_office"})
# Packages' staff editors built on Django's admin (the index does not read their bases).
_PACKAGE_ADMINS = frozenset(
    {
        "cms.plugin_base.CMSPluginBase",
        "wagtail.contrib.modeladmin.options.ModelAdmin",
        "wagtail_modeladmin.options.ModelAdmin",
        "wagtail.snippets.views.snippets.SnippetViewSet",
    }
)


def _real_django(module: ModuleFacts) -> bool:
    """Django's own contrib models, read from the project's environment (never from a copy
    inside the project: its classes must not stand for Django's)."""
    return module.external and module.module.startswith("django.contrib.")


def _known_outside(ref: str) -> bool:
    return ref.startswith(_KNOWN_PACKAGES) or "." not in ref or ref.endswith(".object")


_NOT_MODEL_FIELDS = ("django.forms.", "rest_framework.", "django_filters.")


def _field_name(kind: str) -> bool:
    """`models.CharField`, `mptt.fields.TreeForeignKey`: a field class from a models/fields
    module (a bare `Field` is import-export's or graphene's column, not a model field)."""
    module, _, name = kind.rpartition(".")
    return name != "Field" and name.endswith(_FIELD_NAMES) and bool(_FIELD_MODULES & set(module.split(".")))


_APP_CONFIG = frozenset({"django.apps.AppConfig", "django.apps.config.AppConfig"})


class ProjectIndex:
    def __init__(self, modules: list[ModuleFacts], files: ProjectFiles | None = None, models: bool = True):
        """`files`: the project's templates and packaging (index/project_files.py); `models`:
        False builds only what resolving names needs (modules and classes)."""
        self.modules = {m.module: m for m in modules}
        self._every_module = modules  # two files may share a module name; each may use accessors
        self.files = files
        # `x.y` may be imported as written from a folder on sys.path that is itself a package
        # (an __init__.py beside manage.py): let a unique suffix of a module name stand for it.
        self._by_suffix: dict[str, list[str]] = {}
        for name, facts in self.modules.items():
            if facts.external:
                continue  # an installed package is imported by its full name
            parts = name.split(".")
            for i in range(1, len(parts)):
                self._by_suffix.setdefault(".".join(parts[i:]), []).append(name)
            for longer in _namespace_names(facts.path, name):
                self._by_suffix.setdefault(longer, []).append(name)
        self.classes: dict[str, ClassFacts] = {}
        self.class_module: dict[str, ModuleFacts] = {}
        alternatives: dict[str, list[ClassFacts]] = {}
        for module in modules:
            for cls in module.classes:
                if cls.qualname in _KNOWN_NAMES and not _real_django(module):
                    continue
                if cls.qualname in self.classes:
                    alternatives.setdefault(cls.qualname, []).append(cls)
                self.classes.setdefault(cls.qualname, cls)
                self.class_module.setdefault(cls.qualname, module)
        self.auth_user_model = next((m.auth_user_model for m in modules if m.auth_user_model), "auth.User")
        self.model_settings: dict[str, str] = {}
        for module in modules:
            for name, label in module.model_settings.items():
                self.model_settings.setdefault(name, label)
        self.app_labels = self._app_configs(modules)
        self._accessor_uses: dict[str, list[tuple[str, int]]] | None = None  # built when first asked
        self._query_uses: dict[str, list[tuple[str, int]]] | None = None
        self._kind_cache: dict[str, str | None] = {}
        for qual, others in alternatives.items():
            self._either(qual, others)
        self.models: dict[str, ModelInfo] = {}
        self._by_label: dict[tuple[str, str], str] = {}
        self._by_name: dict[str, list[str]] = {}
        self._relation_names: set[str] | None = None
        self._fields_by_name: dict[str, list[tuple[ModelInfo, FieldFacts]]] | None = None
        self._development_apps: frozenset[str] | None = None
        self._reader_names: set[str] | None = None
        self._selector_names: set[str] | None = None
        self._querier_names: set[str] | None = None
        self._queryset_method_names: set[str] | None = None  # flow_values()
        self._drf_users: dict | None = None  # serializer -> the views that use it (drf_reads.py)
        self._url_lookups: frozenset[str] | None = None  # url_lookup_fields()
        self._drf_answers: dict[str, tuple] = {}
        self._class_uses: dict[str, set[tuple[str, str]]] | None = None  # class_audience()
        self._returns_facts: Returns | None = None  # what functions return (index/returns.py), built when first asked
        self._atomic_callees: frozenset[str] | None = None  # only_called_in_transaction()
        self._project_packages: frozenset[str] | None = None  # unread_project_bases()
        self._created_models: dict[str, set[str]] | None = None  # app label -> models its migrations create
        self._command_callees: frozenset[str] | None = None  # only_called_from_commands()
        self._alone_on_loops: frozenset[str] | None = None  # runs_alone_on_its_loop()
        self._sites: list[_CallSite] | None = None  # _call_sites()
        self._indexes_by_table: dict[str, list[tuple[str, ...]]] | None = None  # _sql_indexes()
        self._unprotected_savers: frozenset[str] | None = None  # serializer_saved_in_transaction()
        self._migration_answers: dict[str, dict[str, tuple[OpState, ...]]] | None = None  # _schema_answers()
        # _field_lookups(): field name -> its lookups, and the models a form lists whole
        self._lookups_by_field: dict[str, list[tuple[str, frozenset[str], str, int, bool]]] | None = None
        self._listed_models: frozenset[str] = frozenset()
        self._fk_targets: frozenset[str] | None = None  # small_table(): models a ForeignKey points at
        self._seeded_models: frozenset[str] | None = None  # small_table(): lookup tables (index/seeded_tables.py)
        self._creations: _Creations | None = None  # small_table(): where code creates rows
        self._hand_filled_memo: dict[str, bool] = {}
        self._grows_memo: dict[str, bool] = {}  # _reference_table(): the model shows it grows with use
        self._django_settings: ProjectSettings | None = None
        self._words: tuple[str | None, str] = (None, "")  # the last text mentions_models() scanned
        if models:
            self._build_models()

    # -- names ---------------------------------------------------------------------------
    @query
    def resolve(self, ref: str | None, depth: int = 0) -> str | None:
        """Follow re-exports (``from .book import Book`` in a package) to a class's home."""
        if ref is None or depth > 8:
            return ref
        if ref in self.classes or ref in _KNOWN_NAMES:
            return ref
        module, _, name = ref.rpartition(".")
        facts = self.modules.get(module)
        home = ref
        if facts is None and module:
            found = self._by_suffix.get(module, [])
            if len(found) == 1:
                module, facts = found[0], self.modules[found[0]]
                home = f"{module}.{name}"  # `main.utils.f` of a project indexed one folder up
                if home in self.classes:
                    return home
        if facts is not None:
            target = facts.imports.get(name) or facts.aliases.get(name)
            if target and target != ref:
                return self.resolve(target, depth + 1)
            # Several star imports may bind the name (a package re-exporting its modules, one
            # of which imports the name back from the package): the last one that leads to a
            # class wins, as the same class is bound either way.
            star = None
            for source in self._star_sources(facts, name, {facts.module}):
                star = self.resolve(f"{source}.{name}", depth + 1)
                if star in self.classes:
                    return star
            if star is not None:
                return star
        return home

    def _module_named(self, name: str) -> ModuleFacts | None:
        """A project module by its dotted name, or by the unique module it is a suffix of."""
        facts = self.modules.get(name)
        if facts is None:
            found = self._by_suffix.get(name, [])
            facts = self.modules[found[0]] if len(found) == 1 else None
        return facts

    def _star_sources(self, facts: ModuleFacts, name: str, seen: set[str]):
        """The modules whose `from M import *` in `facts` binds `name`, the last one first
        (it wins at run time). Chains are followed; `seen` ends cycles."""
        for source in reversed(facts.star_imports):
            module = self._module_named(source)
            if module is not None and module.module not in seen and self._exports(module, name, seen | {module.module}):
                yield module.module

    def _exports(self, facts: ModuleFacts, name: str, seen: set[str]) -> bool:
        """Does `from <facts> import *` bind `name`? Its literal `__all__` decides; without
        one, every public name it defines, imports or star-imports itself."""
        if facts.public_names is not None:
            return name in facts.public_names
        if name.startswith("_"):
            return False
        if name in facts.imports or name in facts.aliases or name in facts.functions:
            return True
        if f"{facts.module}.{name}" in self.classes:
            return True
        return next(self._star_sources(facts, name, seen), None) is not None

    def _either(self, qual: str, others: list[ClassFacts]) -> None:
        """One name, two definitions (`if ...: class Order(A)` / `else: class Order(B)`, or a
        try/except fallback): either may run, so the name is a model if either is one."""
        kinds = {id(cls): next((k for k in map(self.class_kind, cls.bases) if k), None) for cls in others}
        if next((k for k in map(self.class_kind, self.classes[qual].bases) if k), None) is None:
            chosen = next((cls for cls in others if kinds[id(cls)]), None)
            if chosen is not None:
                self.classes[qual] = chosen
        self._kind_cache.clear()

    @query
    def class_kind(self, ref: str | None) -> str | None:
        """'model', 'manager', 'queryset', 'modelform', 'serializer', 'hyperlinked-serializer',
        'drf-view' (a DRF APIView, generic view or viewset) or None, through bases."""
        qual = self.resolve(ref)
        if qual is None:
            return None
        if qual in self._kind_cache:
            return self._kind_cache[qual]
        self._kind_cache[qual] = None  # cycle guard
        kind = self._builtin_kind(qual)
        if kind is None and qual in self.classes:
            for base in self.classes[qual].bases:
                kind = self.class_kind(base)
                if kind:
                    break
        self._kind_cache[qual] = kind
        return kind

    @staticmethod
    def _builtin_kind(qual: str) -> str | None:
        if qual in orm.DJANGO_MODELS:
            return "model"
        return next((kind for bases, kind in _BUILTIN_KINDS if qual in bases), None)

    # -- models --------------------------------------------------------------------------
    def _app_configs(self, modules: list[ModuleFacts]) -> dict[str, str]:
        """App package -> label, from the AppConfig classes that declare `name` (and `label`)."""
        labels: dict[str, str] = {}
        for module in modules:
            for cls in module.classes:
                if cls.app_name and self._is_app_config(cls.qualname):
                    labels.setdefault(cls.app_name, cls.app_config_label or cls.app_name.rsplit(".", 1)[-1])
        return labels

    def _is_app_config(self, qual: str, depth: int = 0) -> bool:
        if qual in _APP_CONFIG or depth > 8:
            return qual in _APP_CONFIG
        cls = self.classes.get(qual)
        return cls is not None and any(self._is_app_config(self.resolve(b) or b, depth + 1) for b in cls.bases)

    def _app_label(self, cls: ClassFacts, module: str) -> str:
        """Meta.app_label, else the label of the AppConfig whose package holds the module,
        else the package's name (the folder above `models`)."""
        if cls.app_label:
            return cls.app_label
        label = self.app_label_of(module)
        if label is not None:
            return label
        parts = module.split(".")
        return parts[-2] if len(parts) > 1 else parts[0]

    # -- classes whose bases cannot be followed ----------------------------------------
    def unfollowed_bases(self, qual: str, seen: set[str] | None = None) -> list[str]:
        """The bases of a project class, and of its project bases, that lead to a class the
        index cannot see and does not know ("<dynamic>" for a base that is not a name)."""
        seen = seen if seen is not None else set()
        cls = self.classes.get(qual)
        if cls is None or qual in seen:
            return []
        seen.add(qual)
        out = ["<dynamic>"] * min(cls.dynamic_bases, 1)
        for base in cls.bases:
            resolved = self.resolve(base) or base
            if resolved in self.classes:
                out += self.unfollowed_bases(resolved, seen)
            elif not _known_outside(resolved) and resolved not in out:
                out.append(resolved)
        return out

    @query
    def arguments_code_made(self, function: str, position: int | None, keyword: str) -> bool:
        """Does every call of `function` (by name, tests included) that gives this parameter a
        value (by `position` among the positional ones, or by `keyword`) give a code-made one
        (a literal, a number, a setting), with at least one such call, and is the name never
        handed on as an argument? (index/call_arguments.py; the default is the caller's to judge)"""
        given: list[bool | None] = []
        for module in self._every_module:
            if module.external:
                continue
            if function in module.passed_names:
                return False
            given += [site_gives_code(text, position, keyword) for text in module.call_arguments.get(function, ())]
        return True in given and False not in given

    @query
    def model_ordered(self, ref: str | None) -> bool:
        """Does the model (or a project base) give its Meta a non-empty `ordering`? A query of
        it is then ordered, and `first()` on its prefetched rows slices the cache (DJR101)."""
        qual = self.model_for(ref) if ref else None
        if qual is None or qual not in self.classes:
            return False
        owner = next((q for q in self._mro(qual) if self.classes[q].ordering_line), None)
        return owner is not None and bool(self.classes[owner].ordering)

    @query
    def unread_project_bases(self, qual: str) -> tuple[str, ...]:
        """The unfollowed bases of a project class that name a module of the project's own
        packages: a file the index could not read (a syntax error, Python 3.12 syntax on 3.11),
        so what the class is stays unknown (amy's views over PEP 695 generic bases)."""
        if self._project_packages is None:
            self._project_packages = frozenset(m.module.split(".")[0] for m in self._every_module if not m.external)
        return tuple(b for b in self.unfollowed_bases(qual) if b.split(".")[0] in self._project_packages)

    def looks_like_model(self, cls: ClassFacts) -> bool:
        """Model fields declared in the body (a `*Field`, ForeignKey, ... from a module named
        `models` or `fields`), and a Meta or a manager: a form or a serializer has neither."""
        return (cls.has_meta or bool(cls.managers)) and any(self.looks_like_field(f.kind) for f in cls.fields)

    def looks_like_field(self, kind: str, depth: int = 0) -> bool:
        """Is `kind` a model field class? A project field class is followed to the base it
        comes from: a serializer's or a form's field is not one, whatever its name."""
        kind = self.resolve(kind) or kind
        if kind.startswith(_NOT_MODEL_FIELDS):
            return False
        if kind.startswith("django.db.models."):
            return True
        cls = self.classes.get(kind)
        if cls is not None and cls.bases and depth < 8:
            return any(self.looks_like_field(base, depth + 1) for base in cls.bases)
        return _field_name(kind)

    def project_models(self) -> list[ModelInfo]:
        """The models of the project itself (not the bases read from installed packages)."""
        return [m for m in self.models.values() if not self.class_module[m.qualname].external]

    def reached_modules(self, is_known: Callable[[str], bool]) -> set[str]:
        """The modules outside the index that the project's classes name as bases, directly or
        through the bases already read: what to read next from the environment."""
        wanted: set[str] = set()
        seen: set[str] = set()
        todo = [q for q, m in self.class_module.items() if not m.external]
        while todo:
            qual = todo.pop()
            if qual in seen:
                continue
            seen.add(qual)
            for base in self.classes[qual].bases:
                resolved = self.resolve(base) or base
                if resolved in self.classes:
                    todo.append(resolved)
                elif resolved in orm.DJANGO_MODELS and not is_known(resolved):
                    wanted.add(resolved.rpartition(".")[0])  # Django's own, when it is installed
                elif not _known_outside(resolved) and not is_known(resolved):
                    module = resolved.rpartition(".")[0]
                    facts = self._module_named(module)
                    # a module of the index that star-imports a package (`from modelsearch.index
                    # import *`): the name may come from there
                    wanted.update(facts.star_imports if facts is not None else [module])
        return wanted

    def unresolved_classes(self) -> dict[str, list[str]]:
        """Classes that look like models (model fields in the body) but whose bases could not
        all be followed, assumed models included: qualname -> the bases not followed."""
        found = {}
        for qual, cls in self.classes.items():
            if self.class_module[qual].external:
                continue
            info = self.models.get(qual)
            if info is not None and not info.assumed:
                continue
            if info is None and not any(self.looks_like_field(f.kind) for f in cls.fields):
                continue
            bases = self.unfollowed_bases(qual)
            if bases:
                found[qual] = bases
        return found

    def _assume_models(self) -> set[str]:
        """Classes that are models by every sign but whose bases cannot be followed."""
        assumed = set()
        for qual, cls in self.classes.items():
            if self._builtin_kind(qual) is None and self.looks_like_model(cls) and self.unfollowed_bases(qual):
                assumed.add(qual)
        self._kind_cache.clear()
        self._kind_cache.update(dict.fromkeys(assumed, "model"))
        return assumed

    def _build_models(self) -> None:
        assumed = self._assume_models()
        for qual, cls in self.classes.items():
            if self.class_kind(qual) != "model":
                continue
            if qual in orm.DJANGO_MODELS and not _real_django(self.class_module[qual]):
                continue
            module = self.class_module[qual]
            info = ModelInfo(
                qualname=qual,
                name=cls.name,
                module=module.module,
                path=module.path,
                app_label=self._app_label(cls, module.module),
                line=cls.line,
                abstract=cls.abstract,
                proxy=cls.proxy,
                assumed=qual in assumed,
            )
            self.models[qual] = info
            self._by_label.setdefault((info.app_label, cls.name.lower()), qual)
            if not module.external:  # a model is found by its bare name only in the project
                self._by_name.setdefault(cls.name, []).append(qual)
        for info in self.models.values():
            # a model through an assumed base rests on the same assumption
            info.assumed = any(qual in assumed for qual in self._mro(info.qualname))
            self._inherit(info)
        for info in self.models.values():  # a base's unseen base is unseen for its subclasses too
            info.bases_known = all(self.models[qual].bases_known for qual in self._mro(info.qualname))
        for info in self.models.values():
            self._forward_relations(info)
        for info in self.models.values():
            self._parent_links(info)
        for info in list(self.models.values()):
            if not info.abstract:
                self._reverse_relations(info)
        for info in self.models.values():
            self._inherit_reverse(info)

    def _mro(self, qual: str, seen: set[str] | None = None) -> list[str]:
        """Project model classes from `qual` up, depth first (close enough to C3 for models)."""
        seen = seen if seen is not None else set()
        if qual in seen or qual not in self.classes:
            return []
        seen.add(qual)
        order = [qual]
        for base in self.classes[qual].bases:
            resolved = self.resolve(base)
            if resolved in self.models:
                order.extend(self._mro(resolved, seen))
        return order

    def _inherit(self, info: ModelInfo) -> None:
        cls = self.classes[info.qualname]
        for base in cls.bases:
            resolved = self.resolve(base)
            if resolved in self.models or resolved in orm.DJANGO_MODELS or resolved in orm.MODEL_BASES:
                continue
            if resolved in self.classes and self.class_kind(resolved) is None:
                if self._mixin_defines_str(resolved):
                    info.has_str = True  # a plain mixin of the project's own
                continue
            if not resolved.endswith(".object"):
                info.bases_known = False  # a class we cannot see may define __str__ or fields
        fields: dict[str, FieldFacts] = {}
        # Bases first: Django orders fields by creation, and a base's fields are created first;
        # a subclass's field of the same name replaces the base's.
        for qual in reversed(self._mro(info.qualname)):
            facts = self.classes[qual]
            model = self.models[qual]
            if facts.defines_str:
                info.has_str = True
            for base in facts.bases:
                resolved = self.resolve(base)
                if resolved in orm.DJANGO_MODELS and orm.DJANGO_MODELS[resolved][1]:
                    info.has_str = True
            if qual != info.qualname and not model.abstract and not model.proxy and qual not in info.parents:
                info.parents.append(qual)
            for f in facts.fields:
                fields[f.name] = f
                info.field_origin[f.name] = qual
            for attr, manager in facts.managers.items():
                info.managers[attr] = "|".join(self.resolve(m) or m for m in manager.split("|"))
        info.fields = list(fields.values())

    def _mixin_defines_str(self, qual: str) -> bool:
        return any(self.classes[q].defines_str for q in self._class_mro(qual))

    @query
    def model_for(self, ref: str | None, context: ModelInfo | None = None, is_string: bool = False) -> str | None:
        """Qualified name of the model a field target or a code reference points at."""
        if ref is None:
            return None
        if ref in ("django.conf.settings.AUTH_USER_MODEL", "<user-model>") or ref.endswith(".<user-model>"):
            return self.model_for(self.auth_user_model, is_string=True)
        if ref.startswith("django.conf.settings.") and ref.count(".") == 3:
            label = self.model_settings.get(ref.rsplit(".", 1)[1])  # a swappable model setting
            return self.model_for(label, is_string=True) if label else None
        if ref.startswith("<label:"):
            return self.model_for(ref[len("<label:") : -1], is_string=True)
        if is_string:
            if ref == "self":
                return context.qualname if context else None
            if "." in ref:
                label, _, name = ref.rpartition(".")
            else:
                label, name = (context.app_label if context else ""), ref
                beside = f"{context.qualname.rpartition('.')[0]}.{ref}" if context else ""
                if beside in self.models:
                    # the model of that name in the declaring module: its app's, whatever else
                    # claims the label (askbot's importer has a `Tag` of its own under the app)
                    return beside
            found = self._by_label.get((label, name.lower()))
            if found:
                return found
            if ref in orm.DJANGO_MODEL_LABELS:
                return orm.DJANGO_MODEL_LABELS[ref]
            candidates = self._by_name.get(name, [])
            return candidates[0] if len(candidates) == 1 else None
        resolved = self.resolve(ref)
        if resolved in self.models or resolved in orm.DJANGO_MODELS:
            return resolved
        if resolved and resolved != ref and (resolved[0] == "<" or resolved.startswith("django.conf.settings.")):
            return self.model_for(resolved, context)  # an alias of a loader call or a setting
        module, _, name = (resolved or "").rpartition(".")
        candidates = self._by_name.get(name, [])
        if module.split(".")[0] in _NOT_PROJECT_ROOTS:
            return None  # `from pathlib import Path` names no model, whatever the project calls `Path`
        if module not in self.modules and len(candidates) == 1:
            return candidates[0]  # imported through a path we could not map to a module
        return None

    def _declared_by(self, info: ModelInfo, name: str) -> ModelInfo:
        """The model whose table holds a field: itself for its own and abstract-inherited fields,
        the concrete parent for fields inherited through multi-table inheritance or a proxy."""
        origin = self.models.get(info.field_origin.get(name, info.qualname), info)
        return info if origin.abstract else origin

    def _forward_relations(self, info: ModelInfo) -> None:
        for f in info.fields:
            kind = self._relation_kind(f.kind) or self._project_relation_kind(f.kind)
            if kind is None:
                continue
            # "self" and "Author" resolve on the model that declares the field
            context = self._declared_by(info, f.name)
            target = None if kind == "gfk" else self.model_for(f.target, context, f.target_is_string)
            info.relations[f.name] = Relation(f.name, kind, target, null=f.null, line=f.line)

    def _parent_links(self, info: ModelInfo) -> None:
        """Multi-table inheritance: child.<parent>_ptr and the parent's reverse one-to-one."""
        if info.proxy:
            return
        for base in self.classes[info.qualname].bases:
            parent = self.models.get(self.resolve(base) or "")
            if parent is None or parent.abstract or parent.proxy:
                continue
            ptr = f"{parent.name.lower()}_ptr"
            info.relations.setdefault(ptr, Relation(ptr, "o2o", parent.qualname))
            parent.relations.setdefault(
                info.name.lower(),
                Relation(info.name.lower(), "reverse_o2o", info.qualname, field_name=ptr, query_name=info.name.lower()),
            )

    def _inherit_reverse(self, info: ModelInfo) -> None:
        """Proxies and multi-table children inherit their parents' reverse accessors."""
        for qual in self._mro(info.qualname)[1:]:
            for name, rel in self.models[qual].relations.items():
                if rel.kind.startswith("reverse_"):
                    info.relations.setdefault(name, rel)

    @query
    def field_sets_choices(self, kind: str | None) -> bool:
        """Does this project field class (or a project base) pass `choices` in its `__init__`?"""
        resolved = self.resolve(kind) or kind
        return resolved in self.classes and any(self.classes[c].sets_choices for c in self._class_mro(resolved))

    def _project_relation_kind(self, kind: str) -> str | None:
        """A project field class built on a relation (dj-stripe's `StripeForeignKey(ForeignKey)`)."""
        resolved = self.resolve(kind) or kind
        if resolved not in self.classes:
            return None
        return next(
            (
                found
                for base in self._field_bases(resolved)
                if (found := self._relation_kind(self.resolve(base) or base))
            ),
            None,
        )

    @staticmethod
    def _relation_kind(kind: str) -> str | None:
        return next((name for kinds, name in _RELATION_KINDS if kind in kinds), None)

    def _reverse_relations(self, info: ModelInfo) -> None:
        for rel in list(info.relations.values()):
            if rel.kind not in ("fk", "o2o", "m2m") or rel.target not in self.models:
                continue
            if rel.name not in info.field_origin or self._declared_by(info, rel.name) is not info:
                continue  # a parent link, or a field whose accessor the declaring model created
            field = next(f for f in info.fields if f.name == rel.name)
            accessor = self.reverse_accessor(info, field, rel.kind)
            if accessor is None:
                continue
            if rel.kind == "m2m" and rel.target == info.qualname and field.symmetrical is not False:
                continue  # symmetrical self M2M has no reverse accessor
            reverse_kind = {"fk": "reverse_fk", "o2o": "reverse_o2o", "m2m": "reverse_m2m"}[rel.kind]
            target = self.models[rel.target]
            query_name = accessor if field.related_name else info.name.lower()
            target.relations.setdefault(
                accessor,
                Relation(
                    accessor, reverse_kind, info.qualname, field_name=rel.name, line=rel.line, query_name=query_name
                ),
            )

    @staticmethod
    def reverse_accessor(info: ModelInfo, field: FieldFacts, kind: str) -> str | None:
        related = field.related_name
        if related == "<dynamic>":
            return None
        if related:
            if related.endswith("+"):
                return None
            return related.replace("%(class)s", info.name.lower()).replace("%(app_label)s", info.app_label.lower())
        return info.name.lower() if kind == "o2o" else f"{info.name.lower()}_set"

    # -- questions rules ask ---------------------------------------------------------------
    @query
    def model(self, qual: str | None) -> ModelInfo | None:
        return self.models.get(qual) if qual else None

    @query
    def queryset_method(self, model: ModelInfo, manager: str, method: str) -> QuerysetChain | None:
        """What `Model.<manager>.<method>()` returns, when it is a custom queryset method."""
        for manager_class in (model.managers.get(manager) or "").split("|"):
            for qual in self._class_mro(manager_class or None):
                methods = self.classes[qual].methods
                if method in methods:
                    return methods[method]
        return None

    @query
    def manager_base(self, model: ModelInfo, manager: str) -> QuerysetChain | None:
        """What a custom manager's get_queryset() already selects."""
        return self.queryset_method(model, manager, "get_queryset")

    @query
    def saves_nothing(self, ref: str | None) -> bool:
        """Is `ref` a project class that is no model, ModelForm or serializer and whose
        nearest `save()` (its own or a project base's) writes no row? django-timepiece's
        `YearMonthForm(forms.Form).save()` returns two dates."""
        qual = self.resolve(ref)
        if qual not in self.classes or self.class_kind(qual) is not None:
            return False
        for owner in self._class_mro(qual):
            summary = self.classes[owner].summaries.get("save")
            if summary is not None:
                return not summary.writes and not summary.calls
            if "save" in self.classes[owner].methods:
                return False  # a save() the summaries did not read
        return False

    def _class_mro(self, qual: str | None, depth: int = 0) -> list[str]:
        if qual is None or qual not in self.classes or depth > 10:
            return []
        order = [qual]
        for base in self.classes[qual].bases:
            order.extend(self._class_mro(self.resolve(base), depth + 1))
        return order

    def mentions_models(self, text: str, facts: ModuleFacts) -> bool:
        """Could code in this file name a model? (Querysets and rows can only start there.)"""
        if any(v == "<user-model>" for v in facts.aliases.values()):
            return True
        if self._words[0] is not text:  # DJR101 and DJR102 both ask, about the same text
            self._words = (text, _joined(_CAPITALISED.findall(text)))
        return self.any_model_named(self._words[1])

    def reads_a_relation(self, names) -> bool:
        """Is one of these attribute names a relation (forward or reverse) of some model?"""
        return self.any_relation_named(_joined(n for n in names if not n.endswith("()")))

    def imports_a_selector(self, facts: ModuleFacts) -> bool:
        """Could this file loop over a queryset a project function returns (no model named)?"""
        if facts.selectors:
            return True
        refs = [ref for ref in facts.imports.values() if "." in ref]
        return bool(refs) and self.any_selector_ref(_joined(refs))

    @query
    def any_selector_ref(self, refs: str) -> bool:
        if self._selector_names is None:
            self._selector_names = {name for m in self._every_module for name in m.selectors}
        names = {ref.rpartition(".")[2] for ref in refs.split()}
        if self._selector_names.isdisjoint(names):
            return False
        return any(self.selector(ref) for ref in refs.split() if ref.rpartition(".")[2] in self._selector_names)

    def calls_a_querier(self, names) -> bool:
        """Is one of these names a function or method that queries with a parameter?"""
        return self.any_querier_named(_joined(names))

    @query
    def any_querier_named(self, names: str) -> bool:
        if self._querier_names is None:
            found = {name for m in self._every_module for name, f in m.functions.items() if f.queries or f.calls}
            found |= {name for c in self.classes.values() for name, f in c.summaries.items() if f.queries or f.calls}
            self._querier_names = found
        return any(self._names_a_function(name, self._querier_names) for name in names.split())

    def may_query(self, name: str) -> bool:
        """Could a call of this name reach a function that queries? (Not recorded: a rule asks
        `queries_of` for the answer it uses; this only spares it the question.)"""
        if self._querier_names is None:
            self.any_querier_named("")
        return name in (self._querier_names or ())

    def calls_a_reader(self, names) -> bool:
        """Is one of these names a function, method or property that reads its parameters?"""
        return self.any_reader_named(_joined(names))

    def names_a_model(self, refs) -> bool:
        """Does one of these code references (qualified dotted names) name a model?"""
        return self.any_model_ref(_joined(refs))

    # The three questions below take their names as one space-separated string: they are
    # recorded with every cached file, and a string of 200 words loads far faster than a set.
    @query
    def any_model_named(self, names: str) -> bool:
        return not self._by_name.keys().isdisjoint(names.split())

    @query
    def any_relation_named(self, names: str) -> bool:
        if self._relation_names is None:
            self._relation_names = {name for info in self.models.values() for name in info.relations}
        return not self._relation_names.isdisjoint(names.split())

    @query
    def any_model_ref(self, refs: str) -> bool:
        return any(self.model_for(ref) for ref in refs.split())

    def _fields_named(self, name: str) -> list[tuple[ModelInfo, FieldFacts]]:
        """Every (model, field) the project's models declare or inherit under `name`, from one
        pass over the models (asked per candidate of DJR104 and DJR206)."""
        if self._fields_by_name is None:
            self._fields_by_name = {}
            for info in self.models.values():
                for f in info.fields:
                    self._fields_by_name.setdefault(f.name, []).append((info, f))
        return self._fields_by_name.get(name, [])

    @query
    def file_field_name(self, name: str) -> bool:
        """Is every field the project's models declare under `name` a FileField/ImageField
        (and one at least)? `x.avatar.delete()` then deletes a file, whatever `x` is."""
        kinds = [(self.resolve(f.kind) or f.kind).rsplit(".", 1)[-1] for _, f in self._fields_named(name)]
        return bool(kinds) and all(k.endswith(("FileField", "ImageField")) for k in kinds)

    @query
    def call_result(self, ref: str) -> bool:
        """Is `ref` a module-level name bound to what a call returns (a model only known at
        run time: django-SHOP's `OrderModel = deferred.MaterializedModel(BaseOrder)`)?"""
        ref = self.resolve(ref) or ref
        module, _, name = ref.rpartition(".")
        facts = self._module_named(module)
        return facts is not None and name in facts.call_results

    @query
    def models_with_field(self, name: str) -> int:
        """How many concrete project models declare (or inherit) a field called `name` with no
        `choices` (the fields a literal given to `obj.<name>` may be meant for)."""
        return len({id(info) for info, f in self._fields_named(name) if not info.abstract and not f.choices})

    @query
    def models_named(self, name: str) -> list[str]:
        """Qualified names of the project's models called `name`."""
        return list(self._by_name.get(name, []))

    @query
    def reads_of(self, callee: str, where: int | str, model: str, rows: bool = False) -> tuple[Reach, ...]:
        """The relations of a `model` row that a call reads when the row is its argument at
        `where` (a position at the call site, or a keyword). `callee`: a function's qualified
        ref, or "<class qual>#<method>" for `self.method(row)` found through the class's MRO,
        or "<model>::<name>" / "<model>::<name>()" for a property / method of the row itself.
        `rows`: the argument is a queryset of `model`, which the function loops over."""
        reader = Reader(self)
        if "::" in callee:
            owner, _, name = callee.partition("::")
            return tuple(reader.member(owner, name.removesuffix("()"), name.endswith("()")))
        found = reader.callee(callee, where, None)
        if found is None:
            return ()
        summary, where, owner, label = found
        return tuple(reader.of_call(summary, where, model, owner, (label,), 1, rows))

    @query
    def queries_of(self, callee: str, where: int | str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """The queries a called function always runs with a lookup on its argument at `where`
        (`def book(pk): return Book.objects.get(pk=pk)`): (model, written form, functions).
        `callee` as for `reads_of` ("<class qual>#<method>" for `self.method(x)`)."""
        reader = Reader(self)
        found = reader.callee(callee, where, None)
        if found is None:
            return ()
        summary, where, owner, label = found
        return tuple(reader.queries_of(summary, where, owner, (label,), 1))

    @query
    def runs_in_thread(self, callee: str) -> bool:
        """Is the called project function decorated to run in a thread when awaited
        (`@sync_to_async`, channels' `@database_sync_to_async`)? `callee` as for queries_of."""
        found = Reader(self).callee(callee, 0, None)
        return found is not None and found[0].in_thread

    @query
    def selector(self, ref: str) -> tuple[str, Selector] | None:
        """A project function that returns `Model.<manager>.<chain>` on every path: its
        model's qualified name and what it builds (the queryset a loop over its result gets)."""
        module, name = (self.resolve(ref) or ref).rpartition(".")[::2]
        for _ in range(6):  # through re-exports
            facts = self._module_named(module)
            if facts is None:
                return None
            if name in facts.selectors:
                found = facts.selectors[name]
                model = self.model_for(found.model)  # qualified through its module's imports
                return (model, found) if model else None
            target = facts.imports.get(name)
            if not target:
                return None
            module, name = target.rpartition(".")[::2]
        return None

    @query
    def flow_values(self, refs: str) -> tuple[tuple[str, str], ...]:
        """What the flow tracker (flow.py) can make of these space-separated references, for
        the ones it makes something of: (ref, letters), "m" a model (a name it looks up, an
        annotation), "f" a ModelForm class, "s" a project function returning a queryset
        (`selector`); "#name" asks whether some class defines a queryset method `name`,
        "q" (a custom manager or queryset method)."""
        if self._queryset_method_names is None:
            self._queryset_method_names = {name for cls in self.classes.values() for name in cls.methods}
        found = []
        for ref in refs.split():
            if ref.startswith("#"):
                letters = "q" if ref[1:] in self._queryset_method_names else ""
            else:
                letters = "m" if self.model_for(ref) else ""
                letters += "f" if self.form_model(ref) else ""
                letters += "s" if self.selector(ref) else ""
            if letters:
                found.append((ref, letters))
        return tuple(found)

    @query
    def form_model(self, ref: str | None) -> str | None:
        """The model of a ModelForm class (its Meta.model, through its bases), else None."""
        if not ref or self.class_kind(ref) != "modelform":
            return None
        for qual in self._class_mro(self.resolve(ref)):
            meta = self.classes[qual].meta_model
            if meta:
                return self.model_for(meta)
        return None

    @query
    def serializer_reads(self, qual: str) -> tuple:
        """The relations a DRF serializer's fields read per row that the queryset of a view
        feeding it rows does not load, each with those views (index/drf_reads.py)."""
        from djreview.index import drf_reads

        if qual not in self._drf_answers:  # asked by `wants` and again by the walk
            self._drf_answers[qual] = drf_reads.serializer_reads(self, qual, self._serializer_users())
        return self._drf_answers[qual]

    def _serializer_users(self) -> dict:
        """serializer -> the views that use it (drf_reads.DrfReader.users), read once."""
        from djreview.index import drf_reads

        if self._drf_users is None:
            self._drf_users = drf_reads.DrfReader(self).users()
        return self._drf_users

    @query
    def url_lookup_fields(self) -> frozenset[str]:
        """The fields DRF views look rows up by in their URLs (`lookup_field = "friendly_token"`):
        identifiers every link to the row shows, not secrets."""
        if self._url_lookups is None:
            self._url_lookups = frozenset(
                cls.view.lookup_field
                for qual, cls in self.classes.items()
                if cls.view is not None and cls.view.lookup_field and not self.class_module[qual].external
            )
        return self._url_lookups

    @query
    def serializer_rows_loaded(self, qual: str, model: str) -> frozenset[str] | None:
        """The relation paths every view feeding the serializer `qual` rows of `model` selects or
        prefetches on them; None when it is no serializer, no view is known to use it, or one
        view's rows cannot be read (index/drf_reads.py)."""
        from djreview.index import drf_reads

        cls = self.classes.get(qual)
        if cls is None or cls.serializer is None:
            return None
        uses = self._serializer_users().get(qual, ())
        reader = drf_reads.DrfReader(self)
        found: frozenset[str] | None = None
        for view, what in uses:
            rows = reader.rows(view, what)
            if rows is None or rows.model != model:
                return None
            found = rows.loaded if found is None else found & rows.loaded
        return found

    @query
    def any_reader_named(self, names: str) -> bool:
        """Is one of these names a project function or method that reads its parameters
        ("helper()": a call), or a method or property of a model ("title": a row's attribute)?"""
        if self._reader_names is None:
            found = {f"{name}()" for m in self._every_module for name in m.functions}
            found |= {f"{name}()" for cls in self.classes.values() for name in cls.summaries if name != "__init__"}
            reader = Reader(self)  # a row's member counts only when it reads one of its relations
            found |= {
                name
                for model in self.models
                for qual in self._class_mro(model)
                for name in self.classes[qual].summaries
                if reader.member(model, name, True) or reader.member(model, name, False)
            }
            self._reader_names = found
        return any(self._names_a_function(name, self._reader_names) for name in names.split())

    def _names_a_function(self, name: str, known: set[str]) -> bool:
        """`name` (bare, or "app.utils.helper()" qualified) is in `known`, and a qualified one
        lives in a project module (`itertools.product()` is not the project's `product()`)."""
        if name in known:
            return True
        module, dot, function = name.rpartition(".")
        if not dot or not module or self._module_named(module) is None:
            return False
        ref = f"{module}.{function.removesuffix('()')}"  # a module's function, not a viewset's list()
        found = Reader(self).function(self.resolve(ref) or ref)
        return found is not None and (found.name in known or f"{found.name}()" in known)

    @query
    def class_defines(self, qual: str | None, method: str) -> bool:
        """Does the project class `qual`, or a project base of it, define `method`?"""
        return any(method in self.classes[c].methods for c in self._class_mro(qual))

    @query
    def writes_nothing(self, ref: str) -> bool:
        """Is `ref` a project function the index read whose body writes no row, nor the project
        functions it hands its arguments to (index/drf_access.py)?"""
        from djreview.index.drf_access import _writes_nothing
        from djreview.index.reads import Reader

        return _writes_nothing(Reader(self), ref)

    @query
    def demands_credentials(self, ref: str) -> bool:
        """Is `ref` a project DRF authentication class whose `authenticate()` never answers None,
        itself or through the classes it hands the request to (index/drf_access.py)?"""
        from djreview.index.drf_access import _demands

        return _demands(self, ref, 0)

    @query
    def refuses_anonymous(self, ref: str) -> bool:
        """Is `ref` (a MIDDLEWARE entry) a project middleware, or a subclass of one, that turns
        anonymous requests away before any view runs (index/gate_middleware.py)?"""
        return any(self.classes[c].refuses_anonymous for c in self._class_mro(self.resolve(ref) or ref))

    @query
    def accessor_uses(self, name: str, shown: int = 3) -> tuple[int, tuple[str, ...]]:
        """Where the project reads the attribute `name` (a default `book_set`), in code, in
        strings ("book_set__title", DRF `source=`), in templates or in test modules the run
        did not index: how many uses, and the first `shown` as "path:line". Migrations are
        left out: they run on historical models."""
        if self._accessor_uses is None:
            self._accessor_uses = _uses_by_name(self._every_module, "accessor_uses")
            for more in (self.files.template_uses(), self.files.python_uses()[0]) if self.files else ():
                for accessor, places in more.items():
                    self._accessor_uses.setdefault(accessor, []).extend(places)
        return _shown(self._accessor_uses.get(name, []), shown)

    @query
    def query_name_uses(self, name: str, shown: int = 1) -> tuple[int, tuple[str, ...]]:
        """Where the project may use `name` as the first step of a query lookup
        (`filter(book=b)`, `Count("book")`, "book__title"): how many files, and the first
        `shown` as "path:line"."""
        if self._query_uses is None:
            self._query_uses = _uses_by_name(self._every_module, "query_uses")
            for word, places in (self.files.python_uses()[1] if self.files else {}).items():
                self._query_uses.setdefault(word, []).extend(places)
        return _shown(self._query_uses.get(name, []), shown)

    @query
    def distribution(self, path: str) -> str | None:
        """The name of the distributed package (setup.py, setup.cfg, pyproject.toml [project])
        the file at `path` belongs to: other code may install it and use its models."""
        return self.files.package_of(path) if self.files else None

    @query
    def template(self, name: str):
        """The project's template of that name (templates/lexer.py's Template), or None."""
        return self.files.template(name) if self.files else None

    @query
    def default_template_names(self, words: str) -> tuple[str, ...]:
        """`<app>/<model>_list.html` and `_detail.html` of the models these words (separated
        by spaces) name: what a ListView or DetailView renders unless told otherwise."""
        names = []
        for word in words.split():
            for info in filter(None, map(self.models.get, self._by_name.get(word, ()))):
                names += [f"{info.app_label}/{info.name.lower()}_{kind}.html" for kind in ("list", "detail")]
        return tuple(names)

    # -- Django settings (django_settings.py) --------------------------------------------
    @property
    def django_settings(self) -> ProjectSettings:
        if self._django_settings is None:
            self._django_settings = ProjectSettings(self._every_module)
        return self._django_settings

    @query
    def setting(self, name: str) -> SettingValue:
        """A top-level setting as every production settings module gets it."""
        return self.django_settings.setting(name)

    @query
    def drf_setting(self, key: str) -> SettingValue:
        """A key of `REST_FRAMEWORK` as every production settings module gets it."""
        return self.django_settings.drf_setting(key)

    @query
    def settings_inherited_from(self, path: str) -> tuple[Inherited, ...]:
        """The values production settings take from the settings file at `path`."""
        return self.django_settings.inherited_from(path)

    @query
    def has_templates(self) -> bool:
        return bool(self.files and self.files.templates)

    @query
    def string_field(self, ref: str | None) -> str | None:
        """The Django string field (`django.db.models.CharField`...) a field class is, itself or
        through the project's subclasses of it; None for any other class."""
        qual = self.resolve(ref) or ref
        for cls in [qual, *self._class_mro(qual)]:
            if cls in orm.STRING_FIELDS:
                return cls
            for base in self.classes[cls].bases if cls in self.classes else ():
                resolved = self.resolve(base) or base
                if resolved in orm.STRING_FIELDS:
                    return resolved
        return None

    @query
    def app_label_of(self, module: str) -> str | None:
        """The label of the app a module belongs to (`pretix.base.migrations.0001_initial` ->
        "pretixbase"): its AppConfig's label, else the package that holds `migrations`/`models`."""
        package = module
        while package:
            if package in self.app_labels:
                return self.app_labels[package]
            package = package.rpartition(".")[0]
        parts = module.split(".")
        for folder in ("migrations", "models"):
            if folder in parts[1:]:
                return parts[parts.index(folder, 1) - 1]
        return None

    # -- replaying recorded questions --------------------------------------------------------
    def answers_match(self, recorded: dict[tuple, str], known: dict[tuple, str | None]) -> bool:
        """Would every recorded question (key -> digest of its answer) get the same answer
        now? `known` memoises answers across files."""
        for key, digest in recorded.items():
            if key not in known:
                known[key] = self._replay(key)
            if known[key] != digest:
                return False
        return True

    def _replay(self, key: tuple) -> str | None:
        name, args, kwargs = key
        values = []
        for arg in args:
            if isinstance(arg, ModelRef):
                arg = self.models.get(arg.qualname)
                if arg is None:
                    return None  # the model is gone: no recorded answer can match
            values.append(arg)
        try:
            return answer_digest(getattr(self, name)(*values, **dict(kwargs)))
        except Exception:  # a question that no longer makes sense has a different answer
            return None

    @query
    def lookup_path(self, model: str, path: str) -> str:
        """`book_set__author` as attributes -> `book__author` as a query lookup."""
        parts = []
        for step in path.split("__"):
            info = self.models.get(model)
            rel = info.relations.get(step) if info else None
            parts.append(rel.query_name or step if rel else step)
            model = rel.target if rel and rel.target else ""
        return "__".join(parts)

    @query
    def save_logic(self, model: ModelInfo, manager: str | None = None) -> str | None:
        """What a bulk operation would skip for this model: a save() override, a pre/post_save
        receiver, or (for create) a manager's create() override; None when there is none."""
        # every base the index can see, mixins and installed packages' classes included
        # (django-lifecycle's LifecycleModelMixin.save() runs its hooks)
        for qual in self._class_mro(model.qualname):
            if "save" in self.classes[qual].methods:
                return f"{self.classes[qual].name}.save()"
        for qual in self._mro(model.qualname):
            for base in self.classes[qual].bases:
                logic = orm.DJANGO_SAVE_LOGIC.get(self.resolve(base) or "")
                if logic:
                    return logic
        receivers = self._save_receivers()
        if ANY_SENDER in receivers:
            return "a pre_save/post_save receiver for every model"
        if model.qualname in receivers:
            return f"a pre_save/post_save receiver for {model.name}"
        if manager is not None:
            for part in (model.managers.get(manager) or "").split("|"):
                for qual in self._class_mro(part or None):
                    if "create" in self.classes[qual].methods:
                        return f"{self.classes[qual].name}.create()"
        return None

    def _save_receivers(self) -> set[str | None]:
        """The models pre_save/post_save receivers are connected to (ANY_SENDER: every one)."""
        if not hasattr(self, "_receivers"):
            refs = {
                ref
                for m in self.modules.values()
                for signal in ("pre_save", "post_save")
                for ref in m.receivers.get(signal, ())
            }
            self._receivers = {ref if ref == ANY_SENDER else self.model_for(ref) for ref in refs}
        return self._receivers

    @query
    def concrete_subclasses(self, qual: str) -> list[ModelInfo]:
        return [m for m in self.models.values() if not m.abstract and qual in self._mro(m.qualname)[1:]]

    @query
    def declared_fields(self, qual: str) -> list[str]:
        """Fields declared on a serializer class and its project bases, bases first (DRF order)."""
        names: list[str] = []
        for cls in reversed(self._class_mro(self.resolve(qual))):
            for f in self.classes[cls].fields:
                if f.name not in names:
                    names.append(f.name)
        return names

    @query
    def has_manager(self, model: ModelInfo, name: str) -> bool:
        return name == "objects" or name in model.managers

    @query
    def writes(self, callee: str) -> bool:
        """Does a called project function (or `self` method, "<class qual>#<name>") save,
        delete, create or update rows in its body? DJR106 leaves a call per item whose job is
        a write alone: the lookup it starts with is one step of a per-item unit of work."""
        found = Reader(self).callee(callee, 0, None)
        return found is not None and found[0].writes

    # -- request signatures (index/signatures.py, for DJR403) -----------------------------
    def _verifiers(self):
        from djreview.index.signatures import Verifiers

        return Verifiers(self)

    @query
    def verifies_signature(self, ref: str) -> bool:
        """Does the view `ref` (a function, or a class through any method of it and its project
        bases) verify the request's signature, itself or in a project function it calls?"""
        return self._verifiers().verifies(ref)

    @query
    def signature_headers(self, ref: str) -> tuple[str, ...]:
        """The signature-like request headers the view `ref` reads ("HTTP_X_HUB_SIGNATURE")."""
        return self._verifiers().headers(ref)

    @query
    def cookie_authenticated(self, ref: str) -> bool:
        """Can the view `ref` act as the user the request's cookies name (request.user, the
        session, Django's auth), or is that unknown? False for a view that does not, or that
        authenticates by the Authorization header."""
        return self._verifiers().cookie_authenticated(ref)

    @query
    def post_answers_as_get(self, ref: str) -> bool:
        """Is `ref` a class view whose `post()` only returns `self.get(...)`, or only redirects,
        or a function view that only renders or redirects?"""
        verifiers = self._verifiers()
        return (
            verifiers.post_answers_as_get(ref)
            or verifiers.post_only_redirects(ref)
            or verifiers.function_only_answers(ref)
        )

    @query
    def token_authenticated(self, ref: str) -> bool:
        """Does the project function `ref` (a view wrapper) read the Authorization header?"""
        return self._verifiers().token_authenticated(ref)

    @query
    def drf_function_view(self, ref: str) -> bool:
        """Is `ref` a function view decorated with DRF's `@api_view`?"""
        return self._verifiers().drf_function(ref)

    # -- DRF access: permissions and pagination (index/drf_access.py; DJR303, DJR304) -----------
    @query
    def drf_view(self, qual: str):
        """A DRF view as its project bases make it (drf_access.DrfView: permissions, the HTTP
        methods that write, pagination, routed or only extended), or None."""
        from djreview.index import drf_access

        return drf_access.drf_view(self, self.resolve(qual) or qual)

    @query
    def pagination_size(self, ref: str) -> str:
        """How a pagination class (a ref, or a dotted path from the settings) sizes its pages:
        "sized", "unsized", "setting" (PAGE_SIZE decides) or "unknown"."""
        from djreview.index import drf_access

        return drf_access.pagination_size(self, ref)

    def routed_methods(self, qual: str) -> dict[str, set[str]] | None:
        """HTTP method -> actions, when every route of the view class maps its actions
        (`as_view({"get": "retrieve"})`); None when one serves it whole or none routes it."""
        if not hasattr(self, "_drf_route_actions"):
            from djreview.index import drf_access

            self._drf_route_actions = drf_access.routed_actions(self)
        return self._drf_route_actions.get(qual)

    def _drf_routed(self, qual: str) -> bool:
        """Routed by a urlconf, or extended by no project class (a base only subclassed is
        judged through its subclasses)."""
        if not hasattr(self, "_drf_routes"):
            from djreview.index import drf_access

            self._drf_routes = drf_access.routed_and_extended(self)
        routed, extended = self._drf_routes
        return qual in routed or qual not in extended

    # -- who uses a form or a serializer (class_uses.py) -------------------------------------
    @query
    def class_audience(self, qual: str) -> tuple[str, ...]:
        """How the project uses the class, through its subclasses and the serializers nesting
        it: "input" (called with `data=` only, its result only validated), "admin" (used in a
        ModelAdmin class or a back-office module: staff only), "output" (anything else); ()
        when no use is found."""
        if self._class_uses is None:
            self._class_uses = {}
            for module in self._every_module:
                if module.external or _test_module(module.module):
                    continue  # a test calling a serializer with data= says nothing of production
                back_office = back_office_module(module.module)
                for ref, uses in module.class_uses.items():
                    resolved = self.resolve(ref) or ref
                    for use in uses:
                        how, _, owner = use.partition("@")
                        if back_office and how in ("input", "output", "read", "unbound"):
                            how = "admin"  # shuup's `admin/modules/*/views`, an app's admin.py
                        owner_qual = f"{module.module}.{owner}" if owner else ""
                        self._class_uses.setdefault(resolved, set()).add((how, owner_qual))
        qual = self.resolve(qual) or qual
        found = {kind for kind, _ in self._audience(qual, set())}
        home = self.class_module.get(qual)
        if not found and home is not None and back_office_module(home.module):
            found.add("admin")  # defined in the back office, used there through code we cannot follow
        return tuple(sorted(found))

    @query
    def form_never_bound(self, qual: str) -> bool:
        """Is the form used, and only by ModelAdmin classes (staff) or made with no data
        (`ShareForm(initial=...)` in an inclusion tag: rendered, it saves nothing), through
        its subclasses? tomtoolkit's PersistentShareForm."""
        if self.class_audience(qual) == ("admin",):  # builds the uses
            return True
        found = {kind for kind, _ in self._audience(self.resolve(qual) or qual, set(), unbound=True)}
        return bool(found) and found <= {"admin", "unbound"}

    def _audience(self, qual: str, seen: set[str], unbound: bool = False) -> set[tuple[str, str]]:
        """(kind, owner) of every use, through subclasses and nesting serializers; a call
        with no data is "unbound" when asked (forms), else "output" (a serializer's)."""
        if qual in seen:
            return set()
        seen.add(qual)
        found: set[tuple[str, str]] = set()
        for how, owner in self._class_uses.get(qual, ()):  # type: ignore[union-attr]
            if how == "doc" or owner == qual:
                continue  # a schema annotation, or the class naming itself (`super(Form, self)`)
            if how == "unbound" and unbound and not (owner and self._is_admin(owner)):
                found.add(("unbound", owner))
            elif how in ("base", "field") and owner:
                found |= self._audience(owner, seen, unbound)
            elif how == "admin" or (owner and self._is_admin(owner)):
                found.add(("admin", owner))
            elif how == "view-input":
                found.add(("input" if self._writes_nothing(owner) else "output", owner))
            elif how.startswith("view-dropped:"):
                dropped = set(how.removeprefix("view-dropped:").split(","))
                found.add(("input" if self._handlers_within(owner, dropped) else "output", owner))
            else:
                found.add(("input" if how == "input" else "output", owner))
        return found

    @query
    def signs_up_with(self, qual: str) -> bool:
        """Does a create-only DRF view of the user model (a sign-up, whatever its name:
        bluebottle's `UserCreate`) write the class's output?"""
        from djreview.index.drf_access import drf_view

        self.class_audience(qual)  # builds the uses
        user_model = self.model_for("<user-model>")
        for kind, owner in self._audience(self.resolve(qual) or qual, set()):
            view = drf_view(self, owner) if kind == "output" and owner in self.classes else None
            if view is not None and view.unsafe == ("POST",) and user_model and view.model == user_model:
                return True
        return False

    @query
    def output_users(self, qual: str) -> tuple[str, ...]:
        """The classes and functions (by name) that may write the class's output: its uses
        that are not input-only (class_audience); "" for one at module level."""
        self.class_audience(qual)  # builds the uses
        found = self._audience(self.resolve(qual) or qual, set())
        return tuple(sorted({owner.rsplit(".", 1)[-1] for kind, owner in found if kind == "output"}))

    def _writes_nothing(self, view: str) -> bool:
        """A DRF view whose DRF bases have no handler writing serializer output (APIView,
        GenericAPIView, ViewSet, GenericViewSet): only the project's own methods respond."""
        bases = {self.resolve(b) or b for c in self._class_mro(view) for b in self.classes[c].bases}
        drf = {b for b in bases if b.startswith("rest_framework.")}
        return bool(drf) and drf <= _SILENT_DRF_VIEWS

    def _handlers_within(self, view: str, handlers: set[str]) -> bool:
        """Are the handlers the view's DRF bases give it all among `handlers` (the ones the view
        overrides to drop their data)? A DRF base not in the table: no."""
        bases = {self.resolve(b) or b for c in self._class_mro(view) for b in self.classes[c].bases}
        drf = {b for b in bases if b.startswith("rest_framework.")}
        given: set[str] = set()
        for base in drf:
            if base in _SILENT_DRF_VIEWS:
                continue
            if base not in _DRF_HANDLERS:
                return False
            given |= _DRF_HANDLERS[base]
        return bool(drf) and given <= handlers

    def _is_admin(self, qual: str) -> bool:
        """A ModelAdmin or inline (a base from django.contrib.admin, through project bases), or
        a package's subclass of one: a django CMS plugin (`CMSPluginBase` is a ModelAdmin),
        wagtail's ModelAdmin and snippet viewsets (staff editors)."""
        return any(
            (ref := self.resolve(base) or base).startswith("django.contrib.admin.") or ref in _PACKAGE_ADMINS
            for cls in self._class_mro(qual)
            for base in self.classes[cls].bases
        )

    @query
    def is_admin_class(self, qual: str) -> bool:
        """A ModelAdmin or inline, or a mixin that only ModelAdmin classes of the project use
        (its `save_related()` runs where the admin runs it: in a transaction)."""
        qual = self.resolve(qual) or qual
        if self._is_admin(qual):
            return True
        users = self._subclasses(qual)
        return bool(users) and all(self._is_admin(c) for c in users)

    def _subclasses(self, qual: str) -> list[str]:
        """The project classes that inherit `qual`, through any number of project bases."""
        return [c for c in self.classes if c != qual and qual in self._class_mro(c)]

    @query
    def has_subclasses(self, qual: str) -> bool:
        return bool(self._subclasses(self.resolve(qual) or qual))

    @query
    def base_refs(self, qual: str) -> tuple[str, ...]:
        """Every base of the class, through its project bases, as resolved references (a base
        from a package the index does not read is kept as written: `rest_flex_fields.X`)."""
        return tuple(
            sorted(
                {
                    self.resolve(base) or base
                    for cls in self._class_mro(self.resolve(qual))
                    for base in self.classes[cls].bases
                }
            )
        )

    @query
    def meta_lists_fields(self, qual: str) -> bool | None:
        """Does the Meta of this form or serializer class (or of a project base) list its
        fields? None when the class is not one the index read (a package's)."""
        qual = self.resolve(qual) or qual
        if qual not in self.classes:
            return None
        return any(self.classes[c].meta_fields_listed for c in self._class_mro(qual))

    @query
    def only_called_in_transaction(self, name: str, owner: str = "") -> bool:
        """Is this function (a method of the class named `owner`) called somewhere in the
        project (tests and installed packages aside), and always inside `transaction.atomic`
        (index/atomic_calls.py), or from a function of which the same holds, up to
        `_CALL_CHAIN` callers up? `save_items` called in `checkout()` alone, and `checkout`
        only inside `atomic()`. A method is reached by every call of its name but those through
        `self` in an unrelated class: `self.commit()` in `OrderChangeManager` is no call of
        `CartManager.commit`, while one in a base, a subclass or a subclass's other base may
        be. A call outside every function (module level, a lambda) or in a function called
        somewhere outside a transaction leaves the name unprotected, and so does recursion (a
        function calling itself is never covered through itself)."""
        if self._atomic_callees is None:
            self._atomic_callees = self._covered_by_transactions()
        return (f"{owner}.{name}" if owner else name) in self._atomic_callees

    @query
    def only_called_from_commands(self, name: str) -> bool:
        """Is the function (or method) `name` called in the project,
        and only from management commands (tests aside)? An import helper a command drives
        runs offline, now and then, where committing progress is often the point (DJR104
        leaves commands out). A name also called anywhere else, or by a string, is not."""
        if self._command_callees is None:
            # each called name's call sites: (in a command module, the calling function's name)
            sites: dict[str, list[tuple[bool, str]]] = {}
            for site in self._call_sites():
                if not site.test:
                    for called in {site.key, site.name}:
                        sites.setdefault(called, []).append((site.command, site.caller.rpartition(".")[2]))
            # a call from a function only commands reach counts as a command's (foundation's
            # fake-data `generate()`s, two calls below the command), grown from the names only
            # commands call; a call from a function of the same name (recursion, or a package's
            # `generate()` handing on to its modules') neither counts for nor against it
            only: set[str] = set()
            changed = True
            while changed:
                changed = False
                for called, found in sites.items():
                    others = [(command, caller) for command, caller in found if caller != called]
                    if called not in only and others and all(c or caller in only for c, caller in others):
                        only.add(called)
                        changed = True
            self._command_callees = frozenset(only)
        return name in self._command_callees

    @query
    def runs_alone_on_its_loop(self, name: str) -> bool:
        """Does the coroutine function `name` only ever run on an event loop of its own, in a
        sync worker? So it does when it is defined under `@async_to_sync` (every call goes
        through the wrapper), or handed to `async_to_sync(f)` and never called otherwise, or
        awaited only from functions of which that holds (venueless's command awaiting a
        staggered send from its `@async_to_sync` method): a blocking call there blocks only it."""
        if self._alone_on_loops is None:
            self._alone_on_loops = self._loops_of_their_own()
        return name in self._alone_on_loops

    def _loops_of_their_own(self) -> frozenset[str]:
        wrapped: set[str] = set()
        alone: set[str] = set()
        callers: dict[str, list[str]] = {}  # called name -> the names of its callers ("" unknown)
        for module in self._every_module:
            if not module.external:
                wrapped |= module.sync_wrapped
                alone |= module.sync_decorated
        for site in self._call_sites():  # tests too: a test awaiting it runs it on the test's loop
            callers.setdefault(site.name, []).append(site.caller.rpartition(".")[2])
        alone |= {name for name in wrapped if name not in callers}
        grown = True
        while grown:
            grown = False
            for name, found in callers.items():
                if name not in alone and found and all(c in alone for c in found):
                    alone.add(name)
                    grown = True
        return frozenset(alone)

    def _covered_by_transactions(self) -> frozenset[str]:
        """Every function key (`name`, or `Class.name` for a method) all of whose calls run
        in a transaction (only_called_in_transaction)."""
        sites = [site for site in self._call_sites() if not site.test]
        inside = {site.key for site in sites if site.protected}
        outside = {(site.key, site.caller) for site in sites if not site.protected}
        # each call by the name it calls: (class of a `self` call or "", protected, caller)
        calls: dict[str, list[tuple[str, bool, str]]] = {}
        for key in inside:
            owner, _, name = key.rpartition(".")
            calls.setdefault(name, []).append((owner, True, ""))
        for key, caller in outside:
            owner, _, name = key.rpartition(".")
            calls.setdefault(name, []).append((owner, False, caller))
        families = self._class_families()
        # what may be called: every function called by its plain name, and every method of a
        # class its own or a related class calls through `self`, or that a caller is
        targets = {name for name in calls} | {key for key in inside} | {key for key, _ in outside}
        targets |= {caller for _, caller in outside if caller}

        plain = self._plain_classes()

        def reaching(target: str) -> list[tuple[bool, str]]:
            owner, _, name = target.rpartition(".")
            family = families.get(owner) if owner else None
            # `form_data.update(...)`, `qs.update(...)`: a call of a name that dicts, sets and
            # querysets have too, on an object of unknown class, is not taken for a call of a
            # plain class's method (parking-permits' `CustomerPermit.update()`)
            typed_only = owner in plain and name in SHARED_METHODS
            return [
                (protected, caller)
                for by, protected, caller in calls.get(name, ())
                if (by or not typed_only) and (not by or family is None or by in family)
            ]

        candidates = {t: r for t in targets if (r := reaching(t))}
        # under ATOMIC_REQUESTS a method of a view class runs in the request's transaction
        # (amy's `Person.archive()`, called only from a DeleteView's perform_destroy)
        views: set[str] = set()
        if self.atomic_requests():
            views = self._view_methods({c for _, c in outside if "." in c})
            views |= self._request_functions({c for _, c in outside if c and "." not in c})
        covered = {t for t, r in candidates.items() if all(p or c in views for p, c in r)}
        for _ in range(_CALL_CHAIN):
            # "" (no function) is never covered; nor is a name still being decided (a cycle)
            more = {
                t
                for t, r in candidates.items()
                if t not in covered and all(p or c in covered or c in views for p, c in r)
            }
            if not more:
                break
            covered |= more
        return frozenset(covered)

    def _call_sites(self) -> list[_CallSite]:
        """Every call of the project's modules (installed packages aside) by the name it calls
        (index/atomic_calls.py), read once for the questions asked of them: is a function only
        called in a transaction, only from management commands, only on a loop of its own, and
        which functions save outside a transaction."""
        if self._sites is None:
            self._sites = []
            for module in self._every_module:
                if module.external:
                    continue
                test = _test_module(module.module)
                parts = module.path.replace("\\", "/").split("/")
                command = "commands" in parts[:-1] and "management" in parts[:-2]
                for key in module.calls_in_atomic:
                    self._sites.append(_CallSite(key, "", True, command, test))
                for key, caller in module.callers_outside_atomic:
                    self._sites.append(_CallSite(key, caller, False, command, test))
        return self._sites

    def _plain_classes(self) -> frozenset[str]:
        """The names of the project classes that are neither models, managers, querysets,
        forms, serializers nor views (class_kind), nor built on a class the index cannot read
        (cla_backend's `Operator(TimeStampedModel)` from model_utils is a model), under every
        class of that name: their methods are called only on their own instances."""
        kinds: dict[str, set[str | None]] = {}
        for qual, info in self.classes.items():
            kind = "unread" if self.unfollowed_bases(qual) else self.class_kind(qual)
            kinds.setdefault(info.name, set()).add(kind)
        return frozenset(name for name, found in kinds.items() if found == {None})

    def _request_functions(self, callers: set[str]) -> set[str]:
        """The callers (module functions by name) every project function of that name takes
        `request` first: function views (zentral's `dep_web_enroll_callback(request, ...)`)."""
        first: dict[str, set[str]] = {}
        for module in self._every_module:
            if not module.external:
                for name, summary in module.functions.items():
                    first.setdefault(name, set()).add(summary.params[0] if summary.params else "")
        return {caller for caller in callers if first.get(caller) == {"request"}}

    def _view_methods(self, callers: set[str]) -> set[str]:
        """The callers (`Class.method`) whose every project class of that name is a Django or
        DRF view (through its bases)."""
        by_name: dict[str, list[str]] = {}
        for qual, info in self.classes.items():
            by_name.setdefault(info.name, []).append(qual)
        found = set()
        for caller in callers:
            quals = by_name.get(caller.rpartition(".")[0])
            if quals and all(self._is_view_class(q) or self.unread_project_bases(q) for q in quals):
                found.add(caller)  # a class over a base the index cannot read may be a view too
        return found

    def _is_view_class(self, qual: str) -> bool:
        return self.class_kind(qual) == "drf-view" or any(b.startswith(VIEW_BASES) for b in self.base_refs(qual))

    @query
    def development_module(self, module: str) -> bool:
        """Is the module part of an app the settings install only outside production (`if DEBUG:`,
        `if ENVIRONMENT not in ("production", "prod"): INSTALLED_APPS += ("localdev.seed",)`)?
        Its code never runs in production: rules leave it as they leave tests."""
        if self._development_apps is None:
            apps = set()
            for facts in self._every_module:
                if facts.settings is not None and not facts.external:
                    for app in facts.settings.development_apps:
                        # `seed.apps.SeedConfig` names the app's config: the package is `seed`
                        apps.add(app.split(".apps.")[0] if ".apps." in app else app)
            self._development_apps = frozenset(apps)
        return any(module == app or module.startswith(app + ".") for app in self._development_apps)

    @query
    def atomic_requests(self) -> bool:
        """Do the production settings' DATABASES set ATOMIC_REQUESTS (each view in a transaction)?"""
        return self.django_settings.atomic_requests()

    @query
    def serializer_saved_in_transaction(self, qual: str, method: str) -> bool:
        """Does DRF call this serializer's `create()` (or `update()`) only inside a
        transaction? DRF calls them from `serializer.save()`, which its generic views call
        in `perform_create()`/`perform_update()`. Covered when every use of the class in the
        project is a view's `serializer_class` (or a nested field, which DRF never saves), and
        every such view, and each subclass of one, gets that hook from a project class that
        decorates it `@transaction.atomic`, with no other method of the view saving anything
        outside a transaction (an action's own `serializer.save()`). pretix's ItemViewSet
        saves its ItemSerializer in an atomic `perform_update()`. A serializer also called
        elsewhere (`S(data=...).save()`), subclassed, or used by a view whose hook is DRF's
        own is not covered, unless the settings set ATOMIC_REQUESTS: every view is then one
        transaction, whatever its hooks."""
        from djreview.index import drf_reads

        hook = {"create": "perform_create", "update": "perform_update"}.get(method)
        qual = self.resolve(qual) or qual
        if hook is None or qual not in self.classes:
            return False  # a serializer by its use: some view's serializer_class (its bases may be a package's)
        self.class_audience(qual)  # reads every module's class uses once
        views: set[str] = set()
        for how, owner in self._class_uses.get(qual, ()):  # type: ignore[union-attr]
            if how in ("doc", "field", "read", "unbound") or owner == qual:
                continue  # a schema annotation, a nested field, an instance given no data, itself
            if how == "base" or owner not in self.classes or self.class_kind(owner) != "drf-view":
                return False  # a subclass, a function or another class: saves we do not see
            if drf_reads.view_serializer(self, owner) != qual:
                return False  # named in an action or a helper of the view: saved there maybe
            views.add(owner)
        views |= {c for c in self.classes if any(v in self._class_mro(c)[1:] for v in views)}
        if not views:
            return False
        if self.atomic_requests():
            return True  # every view runs in the request's transaction, DRF's own hooks too
        unprotected = self._saving_outside_transactions()
        for view in views:
            order = self._class_mro(view)
            defining = next((c for c in order if hook in self.classes[c].methods), None)
            if defining is None or hook not in self.classes[defining].atomic_methods:
                return False  # DRF's own hook saves outside a transaction
            for cls in order:
                owner = cls.rpartition(".")[2]
                if any(f"{owner}.{m}" in unprotected for m in self.classes[cls].methods if m != hook):
                    return False
        return True

    @query
    def may_handle_post(self, qual: str) -> bool:
        """Could this class-based view answer a POST? Not when neither it nor a project base
        defines `post()` or a `dispatch()` that answers itself (one that never calls
        `super().dispatch()`), and every other base is a Django view or mixin that has none
        (`View`, `TemplateView`, `ListView`, `DetailView`, the login mixins): `View.dispatch`
        answers 405 to a method no handler takes. A base the index does not read may."""
        qual = self.resolve(qual) or qual
        if qual not in self.classes:
            return True
        for cls in self._class_mro(qual):
            facts = self.classes[cls]
            if "post" in facts.methods or facts.own_dispatch or facts.dynamic_bases:
                return True
            if any(not (self.resolve(d) or d).startswith("django.") for d in facts.dispatch_decorators):
                return True  # a project's or package's wrapper of dispatch runs on a POST too
            for base in facts.bases:
                ref = self.resolve(base) or base
                if (
                    ref not in self.classes
                    and ref not in _PACKAGE_VIEWS_WITHOUT_POST
                    and ref.rpartition(".")[2] != "object"  # `class RedirectConfigMixin(object)`
                    and not (ref.startswith("django.") and ref.rpartition(".")[2] in _VIEWS_WITHOUT_POST)
                ):
                    return True
        return False

    @query
    def dispatch_out_of_sight(self, qual: str) -> bool:
        """Is this class-based view's every answer given by a third-party decorator wrapping its
        dispatch (`@method_decorator(activitypub_object_view, name="dispatch")` on a `View`
        with no handler of its own: federation's ActivityPub object and inbox view)? What the
        view does with a POST is then the package's, which the index does not read."""
        qual = self.resolve(qual) or qual
        if qual not in self.classes:
            return False
        wrapped = False
        for cls in self._class_mro(qual):
            facts = self.classes[cls]
            if any(name in facts.methods for name in ("get", "post", "put", "patch", "delete", "dispatch")):
                return False
            for ref in facts.dispatch_decorators:
                resolved = self.resolve(ref) or ref
                module = resolved.rpartition(".")[0]
                if not resolved.startswith("django.") and (module not in self.modules or self.modules[module].external):
                    wrapped = True
        return wrapped

    def _saving_outside_transactions(self) -> frozenset[str]:
        """The functions (`Class.method` for methods) that call some `.save()` outside a
        transaction."""
        if self._unprotected_savers is None:
            self._unprotected_savers = frozenset(
                site.caller for site in self._call_sites() if not site.protected and site.name == "save"
            )
        return self._unprotected_savers

    def _class_families(self) -> dict[str, set[str]]:
        """For each project class name, the names of the classes whose `self` may be one of
        its instances, or whose methods its own `self` may reach: itself, its bases, its
        subclasses and their bases. Names, not qualified names, as the calls know them: two
        classes of one name share their families (more calls, never fewer)."""
        ancestors: dict[str, set[str]] = {}
        for qual in self.classes:
            own = qual.rpartition(".")[2]
            ancestors.setdefault(own, {own}).update(c.rpartition(".")[2] for c in self._class_mro(qual))
        descendants: dict[str, set[str]] = {}
        for own, bases in ancestors.items():
            for base in bases:
                descendants.setdefault(base, set()).add(own)
        return {
            own: {related for below in descendants.get(own, {own}) for related in ancestors.get(below, {below})}
            for own in ancestors
        }

    def model_member(self, ref: str | None) -> str | None:
        """What a call in a model's body declares (DJR204): 'manager' (Django's Manager, a
        project or package class named or built as one), 'field' (a model field class:
        Django's, the project's subclasses, a package's `*Field`/`*ForeignKey` from a `models`
        or `fields` module), else None (`models.Q()`, `models.Index()`, a plain helper)."""
        qual = self.resolve(ref) or ref
        if qual is None:
            return None
        if self.class_kind(qual) == "manager":
            return "manager"
        # taggit's managers are fields (a RelatedField): the name says manager, the column a field
        if qual in ("taggit.managers.TaggableManager", "modelcluster.contrib.taggit.ClusterTaggableManager"):
            return "field"
        if qual in self.classes and self.looks_like_field(qual):
            return "field"
        if qual.rsplit(".", 1)[-1].endswith("Manager"):
            return "manager"
        if qual.startswith("django.db.models."):
            name = qual.rsplit(".", 1)[-1]
            return "field" if name.endswith(_FIELD_NAMES) or name == "GenericForeignKey" else None
        return "field" if self.looks_like_field(qual) else None

    # -- migration state (DJR504, index/migration_state.py) ----------------------------------
    @query
    def schema_before(self, module: str) -> tuple[OpState, ...] | None:
        """For each operation of the migration `module` (in the order of its facts), what the
        app's migration state held just before it; None when the module is not a migration
        the index read."""
        facts = self.modules.get(module)
        if facts is None or facts.migration is None:
            return None
        package = module.rpartition(".")[0]
        answers = self._schema_answers().get(package, {})
        return answers.get(facts.migration.name)

    def _schema_answers(self) -> dict[str, dict[str, tuple[OpState, ...]]]:
        """Every migrations package replayed once (package -> migration -> answers)."""
        if self._migration_answers is not None:
            return self._migration_answers
        packages: dict[str, dict[str, MigrationFacts]] = {}
        for facts in self._every_module:
            if facts.migration is not None and not facts.external:
                packages.setdefault(facts.module.rpartition(".")[0], {})[facts.migration.name] = facts.migration
        answers = {}
        for package, migrations in packages.items():
            label = self.app_label_of(package) or package.rpartition(".")[0].rpartition(".")[2]
            answers[package] = replay(migrations, label)
        self._migration_answers = answers
        return answers

    # -- lookups on unindexed fields (index/lookups.py, DJR105) and status values (DJR206) ----
    @query
    def unindexed_lookups(self, qual: str, name: str, shown: int = 3) -> tuple[int, tuple[str, ...]]:
        """Where the project (not its tests or migrations) filters or orders on the field `name`
        that the class `qual` declares, on `qual` or a model inheriting the field, and no index
        serves the query: the field has no db_index/unique/primary_key, is not a relation, a
        SlugField or a BooleanField, and is neither the first column of a Meta index or
        constraint nor a later one whose earlier columns the same query filters on. How many
        places, and the first `shown` as "path:line"; (0, ()) when none."""
        cls = self.classes.get(qual)
        declared = next((f for f in cls.fields if f.name == name), None) if cls else None
        if declared is None or not self._indexable_plain_field(declared):
            return 0, ()
        descriptive = not self._holds_row_key(declared)
        places = [
            (path, line, ordering)
            for model, cofiltered, path, line, ordering in self._field_lookups().get(name, ())
            if self.models[model].field_origin.get(name) == qual
            and not self.unmanaged(model)
            and not self._never_migrated(model)
            and not self._index_serves(model, name, cofiltered)
            and not self.small_table(model)
            and not (descriptive and self._reference_table(model))
        ]
        if all(ordering for *_, ordering in places):
            return 0, ()  # Meta.ordering alone: small tables (product classes, settings) sort cheaply
        return _shown(sorted({(path, line) for path, line, _ in places}), shown)

    def _never_migrated(self, model: str) -> bool:
        """Does the model's app have migrations of which none creates it (`CreateModel`, or a
        `RenameModel` to it)? Then another program builds and indexes its table, as for
        `managed = False` (rnacentral's annotation tables, filled by its import pipeline)."""
        info = self.models.get(model)
        if info is None or info.abstract or info.proxy:
            return False
        if self._created_models is None:
            created: dict[str, set[str]] = {}
            for facts in self._every_module:
                if facts.migration is None or facts.external:
                    continue
                label = self.app_label_of(facts.module) or ""
                names = created.setdefault(label, set())
                if facts.migration.opaque or facts.migration.custom:
                    names.add("<any>")  # operations built in code, or a custom one: any model may be made there
                for op in facts.migration.operations:
                    if op.kind == "CreateModel":
                        names.add(op.model)
                    elif op.kind == "RenameModel":
                        names.add(op.new_name)
            self._created_models = created
        made = self._created_models.get(info.app_label) or set()
        return bool(made) and "<any>" not in made and info.name.lower() not in made

    def _holds_row_key(self, field: FieldFacts) -> bool:
        """A column that holds one row's key (an id, code, token, hash, URL, path, address,
        e-mail, number): looked up row by row whatever the table's size."""
        kind = (self.resolve(field.kind) or field.kind).rsplit(".", 1)[-1]
        return bool(_ROW_KEY.search(field.name)) or kind in _ROW_KEY_KINDS

    def _reference_table(self, model: str) -> bool:
        """Is this a reference table (a category, a tag, a page type), which stays small? Its
        model shows none of the signs of a table that grows with use: no relation to the user
        model, at most one other relation, no creation time stamp, fewer than ten fields.
        Asked only for a descriptive column (a name, a label, an order). Measured on 236 judged
        findings of twelve held-out sets (G to R): the findings this leaves out were a quarter true."""
        if model not in self._grows_memo:
            fields = self.models[model].fields
            relations = [
                f for f in fields if (self.resolve(f.kind) or f.kind).endswith(("ForeignKey", "OneToOneField"))
            ]
            self._grows_memo[model] = (
                len(fields) >= _MANY_FIELDS
                or any(f.stamped for f in fields)
                or len(relations) >= 2
                or any(map(self._to_user, relations))
            )
        return not self._grows_memo[model]

    def _to_user(self, field: FieldFacts) -> bool:
        """A relation to the user model: per-user rows, which grow with the users."""
        target = field.target or ""
        if target.endswith(("AUTH_USER_MODEL", "<user-model>")) or target.rsplit(".", 1)[-1] == "User":
            return True
        user = self.model_for(self.auth_user_model, is_string=True)
        return user is not None and self.model_for(target, is_string=field.target_is_string) == user

    @query
    def unmanaged(self, model: str) -> bool:
        """`Meta.managed = False` (its own or an abstract base's): another program owns the table
        (djangoproject.com's Trac tables), and no migration of the project would build an index."""
        for qual in self._mro(model):
            cls = self.classes[qual]
            if cls.unmanaged:
                return True
            if qual != model and not cls.abstract:
                break
        return False

    def small_table(self, model: str) -> bool:
        """Does the code say the model's table stays small, so that a scan costs what an index
        lookup would (DJR105 stays quiet)? The code creates its rows from a fixed list (a
        lookup table of statuses; index/seeded_tables.py). Or a form offers its rows in a select box
        (`ModelChoiceField(queryset=Model.objects.all())`, or a slice picked by constants; not
        an autocomplete widget, not a queryset narrowed by a variable): the project itself
        renders every row on a page, so the table holds what a person can pick from. Unless
        other rows belong to its rows (a ForeignKey or OneToOne points at it: an event's
        registrations): then it is what the app is about and grows with use, and a staff
        form listing all of it says little (many-to-many picks are choices, they count)."""
        if self._seeded_models is None:
            self._seeded_models = frozenset(
                found
                for module in self._every_module
                if not module.external and not _test_module(module.module)
                for ref in module.seeded
                for found in [self.model_for(ref)]
                if found
            )
        if model in self._seeded_models:
            return True  # a lookup table: the code creates its rows from a fixed list
        if self._hand_filled(model):
            return True  # only staff (the admin), fixtures and data migrations write its rows
        self._field_lookups()
        if model not in self._listed_models:
            return False
        owners = self._fk_targets
        if owners is None:
            owners = frozenset(
                rel.target
                for info in self.models.values()
                for rel in info.relations.values()
                if rel.kind in ("fk", "o2o") and rel.target is not None and rel.target not in info.parents
            )
            self._fk_targets = owners
        return not any(qual in owners for qual in self._mro(model)) or self._lookup_table(model)

    def _created_rows(self) -> _Creations:
        """What the project's code (not its tests) may create rows of (index/created_rows.py):
        models, classes whose own methods create ("self:"), relation accessors and labels; and
        the models staff curate (registered in the admin, written by hand in a data migration)."""
        if self._creations is None:
            models: set[str] = set()
            selves: set[str] = set()
            accessors: set[str] = set()
            labels: set[str] = set()
            curated: set[str] = set()
            for module in self._every_module:
                if module.external or _test_module(module.module):
                    continue
                for entry in module.creates:
                    kind, _, name = entry.partition(":") if entry.startswith(_CREATION_KINDS) else ("", "", entry)
                    if kind == "self":
                        selves.add(self.resolve(name) or name)
                    elif kind == "accessor":
                        accessors.add(name)
                    elif kind == "label":
                        labels.add(name)
                    elif kind == "curated":
                        found = self.model_for(name)
                        if found:
                            curated.add(found)
                    else:
                        found = self.model_for(name)
                        if found:
                            models.add(found)
            self._creations = _Creations(
                frozenset(models), frozenset(selves), frozenset(accessors), frozenset(labels), frozenset(curated)
            )
        return self._creations

    def _hand_filled(self, model: str) -> bool:
        """Does no code of the project create the model's rows (index/created_rows.py), while
        the admin registers it (or a data migration writes its rows one by one), so that only
        staff fill it: a table curated by hand (licences, exam types), small by how it is
        filled? Not the user model, nor a model
        with a base from outside the project or Django (a package may create its rows), nor
        one whose family (parents, children, proxies) or managers the code creates through."""
        if model in self._hand_filled_memo:
            return self._hand_filled_memo[model]
        verdict = self._hand_filled_memo[model] = self._judge_hand_filled(model)
        return verdict

    def _judge_hand_filled(self, model: str) -> bool:
        info = self.models.get(model)
        if info is None or info.abstract or info.assumed or not info.bases_known:
            return False
        if model not in self.classes or self.class_module[model].external:
            return False  # Django's or a package's model: its code creates rows the index does not read
        if model == self.model_for("<user-model>"):
            return False
        mro = self._class_mro(model)
        for cls in mro:
            for base in self.classes[cls].bases:
                ref = self.resolve(base) or base
                if ref not in self.classes and ref not in _PLAIN_MODEL_BASES:
                    return False  # a package's model base: the package may create its rows
        created = self._created_rows()
        family = {model, *info.parents} | {q for q in self.models if model in self._class_mro(q)}
        if not family & created.curated:
            return False  # no sign of staff curating it either: the code may not show how it fills
        if family & created.models or any(self.models[q].name in created.labels for q in family if q in self.models):
            return False
        owners = set(mro) | {m for q in family if q in self.models for m in self.models[q].managers.values() if m}
        if any(o in created.selves or any(c in created.selves for c in self._class_mro(o)) for o in owners):
            return False
        return not any(
            rel.name in created.accessors
            for other in self.models.values()
            for rel in other.relations.values()
            if rel.target in family and rel.kind in ("reverse_fk", "m2m", "reverse_m2m", "generic_relation")
        )

    def _lookup_table(self, model: str) -> bool:
        """A model that holds values other rows point at and nothing of its own: no relation
        out of it, no date or time (zds-site's `Licence`, Geotrek's `POIType`: code, title).
        Listed whole in a select box, it stays as small as its list, whatever points at it;
        an event's table has a venue, an organiser or dates, and grows with use."""
        info = self.models[model]
        if any(rel.kind in ("fk", "o2o", "m2m") for rel in info.relations.values()):
            return False
        kinds = [(self.resolve(f.kind) or f.kind).rsplit(".", 1)[-1] for f in info.fields]
        return not any(kind.endswith(("DateTimeField", "DateField", "TimeField")) for kind in kinds)

    def _indexable_plain_field(self, declared: FieldFacts) -> bool:
        """A plain column no index comes with: not indexed, unique or a key, not a relation,
        not a slug (indexed by default), not a boolean or a field with choices (a few values:
        a plain index rarely helps; a partial one might, which is a designer's call), not a
        file (its path is compared to find duplicates in small tables)."""
        if declared.indexed or declared.primary_key or declared.dynamic or declared.choices:
            return False
        if self.field_sets_choices(declared.kind):
            return False  # the field's class gives it choices (dj-stripe's StripeEnumField)
        if declared.related_name is not None:
            return False  # a package's relation field (django-filer's FilerFolderField)
        kind = self.resolve(declared.kind) or declared.kind
        if kind in orm.AUTO_FIELDS or self._relation_kind(kind) or self._project_relation_kind(kind):
            return False
        kinds = [self.resolve(c) or c for c in [kind, *self._field_bases(kind)]]
        shorts = [c.rsplit(".", 1)[-1] for c in kinds]
        if kind in self.classes and all(short == "Field" for c, short in zip(kinds, shorts) if c not in self.classes):
            return False  # the project's own `models.Field` subclass: what it stores (a column?) is its code's
        return not any(short.startswith("Enum") or short.endswith(_NOT_INDEXED_KINDS) for short in shorts)

    def _field_bases(self, kind: str) -> list[str]:
        """The bases of a project field class (`ForeignKeyWithAutoRelatedName(ForeignKey)`)."""
        return [base for qual in self._class_mro(kind) for base in self.classes[qual].bases]

    def _index_serves(self, model: str, name: str, cofiltered: frozenset[str]) -> bool:
        """An index with the field in it, after columns the query also filters on; or one
        that starts with a column the query filters on beside it (that index finds the rows,
        the field is checked on those)."""
        indexes = [columns for qual in self._mro(model) for columns in self.classes[qual].indexes]
        indexes += self._sql_indexes().get(self._table(model), [])
        for columns in indexes:
            if name in columns and set(columns[: columns.index(name)]) <= cofiltered:
                return True
            if columns and columns[0] != name and columns[0] in cofiltered:
                return True
        return False

    def _table(self, model: str) -> str:
        """The model's table: its `Meta.db_table`, or Django's `<app_label>_<model name>`."""
        info = self.models[model]
        return (self.classes[model].db_table or f"{info.app_label}_{info.name}").lower()

    def _sql_indexes(self) -> dict[str, list[tuple[str, ...]]]:
        """table -> the columns of each index a migration's `RunSQL("CREATE INDEX ...")` makes."""
        if self._indexes_by_table is None:
            self._indexes_by_table = {}
            for module in self._every_module:
                if module.migration is not None and not module.external:
                    for op in module.migration.operations:
                        for table, columns in op.indexes:
                            self._indexes_by_table.setdefault(table, []).append(columns)
        return self._indexes_by_table

    def _field_lookups(self) -> dict[str, list[tuple[str, frozenset[str], str, int, bool]]]:
        """field name -> (concrete model, the fields filtered with it, path, line, from
        Meta.ordering) of every lookup that reaches a plain field of a known model."""
        if self._lookups_by_field is not None:
            return self._lookups_by_field
        found: dict[str, list[tuple[str, frozenset[str], str, int, bool]]] = {}
        listed: set[str] = set()
        for module in self._every_module:
            parts = module.module.split(".")
            in_management = "management" in parts or "/management/" in "/" + module.path.replace("\\", "/")
            if module.external or _test_module(module.module) or "migrations" in parts or in_management:
                # a management command (or a helper of commands beside them in `management/`)
                # runs now and then, offline: its scans keep no one waiting
                continue
            if back_office_module(module.module):
                continue  # staff pages over configuration tables (roles, ranks, menus): small and rare
            if demo_module(module.module) or demo_path(module.path) or self.development_module(module.module):
                continue  # a library's demo project (`sandbox/demo/`), its docs, an app only development installs
            for lookup in module.lookups:
                model = self.model_for(lookup.model)
                if model not in self.models:
                    continue
                if lookup.keys[0][0] == LISTED:
                    listed.add(model)
                else:
                    self._resolve_keys(model, lookup.keys, module.path, found, False)
        for info in self.models.values():
            if info.abstract:
                continue
            owner = next((q for q in self._mro(info.qualname) if self.classes[q].ordering_line), None)
            if owner is not None and not any(r.kind in ("fk", "o2o") for r in info.relations.values()):
                # a model with a parent is read through it (`event.items.all()`): the parent's
                # key finds the rows, and Meta.ordering only sorts that parent's few rows
                cls = self.classes[owner]
                keys = tuple((key, cls.ordering_line) for key in cls.ordering[:1])  # the first key sorts
                self._resolve_keys(info.qualname, keys, self.class_module[owner].path, found, True)
        self._lookups_by_field = found
        self._listed_models = frozenset(listed)
        return found

    def _resolve_keys(self, model: str, keys, path: str, found: dict, ordering: bool) -> None:
        """Follow each lookup (`author__name__iexact`) to the plain field it filters on. A
        query that also filters on an indexed column (a relation, the key, an indexed field)
        is served by that index: its other fields are only checked on the rows it finds.
        The fields reached through the same relation path filter together."""
        reached: list[tuple[str, str, str, int]] = []  # model, relation prefix, field, line
        ranges: list[bool] = []  # for each reached: a range lookup (`__gt`, `__year`...)
        beside: list[tuple[str, str, str]] = []  # the same, for `field=None` and constants
        filters = any(not key.startswith("^") for key, _ in keys)
        # the columns of conditions that are no ordering and no cutoff: one of them narrows
        narrowing = {
            key.lstrip("|!^=~@").split("__")[0] for key, _ in keys if not key.lstrip("|!").startswith(("^", "@"))
        }
        for key, line in keys:
            alternative = key.startswith("|")  # one branch of an OR: it narrows nothing beside it
            key = key.lstrip("|")
            if key.startswith("^") and filters:
                continue  # the filter decides which index serves the query; it sorts what it finds
            if key.startswith("!"):
                continue  # `exclude()`: NOT (...) keeps most rows; the other filters decide
            if key.startswith("~") and "__" in key:
                continue  # IS NULL across a join (`component__parent=None`, often excluded): no help
            head = key.lstrip("^=~@").split("__")[0]
            if "__" in key and not key.startswith("^") and head in self.models[model].relations and not alternative:
                # `registration__uuid=u` joins on this model's `registration_id`: an index starting
                # with that column serves the fields filtered beside it
                beside.append((model, "", head))
            target = self._lookup_field(model, key.lstrip("^=~@"))
            if target == "indexed" and not alternative:
                return  # `session_key=None` on the first column of an index: it finds the rows
            if target == "indexed":
                continue  # `Q(user=u) | Q(name=n)`: the other branch still needs its own index
            if isinstance(target, tuple) and key.startswith(("~", "=")):
                # not held against the field itself (IS NULL, a constant's row), but an index
                # starting with it serves the fields filtered beside it (not another OR branch's)
                if not alternative:
                    beside.append(target)
            elif target is not None:
                if narrowing - {head} and isinstance(target, tuple) and self._cutoff(target, key):
                    continue  # "older than a cutoff" beside another condition: that one narrows
                reached.append((*target, line))
                ranges.append(key.rsplit("__", 1)[-1] in _RANGE_LOOKUPS)
        # One index serves a query: of the columns it filters together on one table, the one
        # an index would narrow most is reported (equality over a range, a long value over a
        # short code or a number), not each of them (`to_url=u, language_code=c`: index to_url)
        best: dict[tuple[str, str], tuple[tuple, int]] = {}
        for at, (target_model, prefix, name, _) in enumerate(reached):
            rank = (ranges[at], self._selectivity(target_model, name), at)
            if (target_model, prefix) not in best or rank < best[(target_model, prefix)][0]:
                best[(target_model, prefix)] = (rank, at)
        chosen = {at for _, at in best.values()}
        relations = self.models[model].relations
        # `isocode__iso3=x` beside `regcode=r`: the join on the forward relation's indexed column
        # finds this model's rows, whatever the other table's column (judged on its own)
        joined = any(
            m == model and not p and relations[h].kind in ("fk", "o2o") for m, p, h in beside if h in relations
        )
        for at, (target_model, prefix, name, line) in enumerate(reached):
            if at not in chosen or joined and target_model == model and not prefix:
                continue
            together = frozenset(n for m, p, n, _ in reached if (m, p) == (target_model, prefix)) | frozenset(
                n for m, p, n in beside if (m, p) == (target_model, prefix)
            )
            found.setdefault(name, []).append((target_model, together, path, line, ordering))

    def _cutoff(self, target: tuple[str, str, str], key: str) -> bool:
        """`created__lt=now() - timedelta(days=3)` (or `=cutoff`): an upper bound in the past matches
        every row older than the cutoff, most of a table that keeps its history; where the
        query also filters on another column (`status__lt=PAID`, `exclude(state=...)`; not
        another cutoff, nor `sent__isnull=True` beside `sent__lt=cutoff`), that column narrows
        the rows and an index on the date would not be chosen."""
        if not key.startswith("@") or key.rsplit("__", 1)[-1] not in ("lt", "lte"):
            return False  # `schedule_next_run__lt=now()`: the rows that are due, a few
        return self._selectivity(target[0], target[2]) == 3

    def _selectivity(self, model: str, name: str) -> int:
        """How little an index on the field narrows an equality (lower narrows more): an
        identifier by its name (-1; not `app_id`, which may name one of a few apps), a long
        text, key or address (0), a short code such as a language or currency (1), a number
        (2), a date or time (3)."""
        declared = next((f for f in self.models[model].fields if f.name == name), None)
        kind = (self.resolve(declared.kind) or declared.kind).rsplit(".", 1)[-1] if declared else ""
        if _IDENTIFIER.search(name) and not kind.endswith(("DateTimeField", "DateField", "TimeField")):
            return -1  # one row per value: `external_id`, `transaction_guid`, `token`, `email`
        if kind.endswith(("DateTimeField", "DateField", "TimeField")):
            return 3
        if kind.endswith(("IntegerField", "DecimalField", "FloatField")):
            return 2
        if declared is not None and declared.max_length is not None and declared.max_length <= _SHORT_CODE:
            return 1
        return 0

    def _lookup_field(self, model: str, key: str) -> tuple[str, str, str] | str | None:
        """(model, relation prefix, field) of the plain field a lookup filters with an index-
        friendly comparison (exact, in, ranges, startswith, year); "indexed" for a lookup on
        an indexed column (a relation's key, the primary key, an indexed field); else None."""
        if key == "<unknown>":
            return "indexed"  # `**kwargs`: it may name an indexed column; assume it does
        parts = key.split("__")
        prefix = ""
        for at, part in enumerate(parts):
            info = self.models.get(model)
            if info is None:
                return None
            if part in ("pk", "id"):
                return "indexed"
            rel = info.relations.get(part) or next(
                (r for r in info.relations.values() if r.query_name == part and r.kind.startswith("reverse_")), None
            )
            if rel is None and info.attname(part):
                return "indexed"  # `event_id=`
            if rel is not None:
                if at + 1 == len(parts) or parts[at + 1] in _RELATION_LOOKUPS:
                    # the relation's key column, or (many-to-many, reverse) the other table's key:
                    # the join starts at an index there (`channels=ch` reads the through table)
                    return "indexed"
                if rel.target not in self.models:
                    return None
                model, prefix = rel.target, f"{prefix}{part}__"
                continue
            declared = next((f for f in info.fields if f.name == part), None)
            if declared is None and at == 0 and info.bases_known and not info.assumed:
                # no field, relation or key of a model the index knows whole: an annotation, or
                # a name that fails (django-ledger's `cash_account`); as for `**kwargs`, the
                # query is not held against the fields it names beside it
                return "indexed"
            if declared is None:
                return None  # a column of a class we cannot see
            rest = parts[at + 1 :]
            if rest and rest[0] not in _INDEXED_LOOKUPS:
                return None  # icontains, a transform, a JSON key: a plain index does not serve it
            if not self._indexable_plain_field(declared) and (declared.indexed or declared.primary_key):
                return "indexed"
            if "SlugField" in declared.kind and (not rest or rest[0] in ("exact", "in")):
                return "indexed"
            return model, prefix, part
        return None

    @query
    def status_received(self, name: str) -> bool:
        """Does the project (not its tests or migrations) give the status-like name a value
        read from received data (`payment.status = data["status"]`)?"""
        return any(
            name in module.received_statuses
            for module in self._every_module
            if not (module.external or _test_module(module.module) or "migrations" in module.module.split("."))
        )

    @query
    def status_values(self, name: str) -> tuple[str | int, ...]:
        """The literal values the project (not its tests or migrations) gives a status-like
        name: `obj.status = "paid"`, `filter(status="paid")`, `create(status="paid")`."""
        values: set[str | int] = set()
        for module in self._every_module:
            if module.external or _test_module(module.module) or "migrations" in module.module.split("."):
                continue
            values.update(module.status_values.get(name, ()))
        return tuple(sorted(values, key=lambda v: (isinstance(v, str), v if isinstance(v, str) else f"{v:012d}")))

    # -- what functions return (index/returns.py; DJR402) ------------------------------------
    def _returns(self):
        if self._returns_facts is None:
            from djreview.index.returns import Returns

            self._returns_facts = Returns(self)
        return self._returns_facts

    @query
    def returns_kind(self, ref: str, bound: tuple[tuple[str, str], ...] = ()) -> str | None:
        """What the project function or method `ref` returns: "safe" (escaped or code-made
        text), "number", or None (unknown, or not a project function). `bound`: the kinds of
        the literal arguments of the call, by position ("0") or keyword, for a function that
        returns or formats its parameters (index/returns.py)."""
        return self._returns().kind_of_ref(ref, bound)

    @query
    def file_field(self, name: str) -> bool:
        """Is a project model field named `name` a FileField or ImageField, and none a relation
        (whose target's `.name` could be anything)?"""
        return all(self._returns().file_fields.get(name, (False, False)))

    @query
    def member_returns_kind(self, name: str, attribute: bool) -> str | None:
        """What every project method (`attribute` False) or property (True) named `name`
        returns: "safe", "number", or None (unknown, none, or they differ)."""
        return self._returns().kind_of_member(name, attribute)


def _namespace_names(path: str, module: str) -> list[str]:
    """The longer names a module may be imported by when the folders above its top package
    have no `__init__.py` (PEP 420 namespace packages): zentral's
    `zentral/contrib/inventory/public_views.py`, indexed as `inventory.public_views`, is
    imported as `zentral.contrib.inventory.public_views`. Up to three folders up."""
    folders = path.replace("\\", "/").split("/")[:-1]
    inside = module.count(".") + (1 if path.endswith("__init__.py") else 0)
    above = folders[: len(folders) - inside] if inside else folders
    return [".".join([*above[-k:], module]) for k in range(1, min(3, len(above)) + 1)]


class _CallSite(NamedTuple):
    """A call: `key` is the called name, or `Class.name` for a call on a `self` or an instance
    of known class; `caller` the function whose body holds it (`Class.method`; "" at module
    level, in a lambda, or not recorded for a call inside a transaction)."""

    key: str
    caller: str
    protected: bool  # inside `transaction.atomic` (or a migration)
    command: bool  # in a management command's module
    test: bool  # in a test module

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]


class _Creations(NamedTuple):
    """Where the project's code may create rows (index/created_rows.py), and what staff curate."""

    models: frozenset[str]  # models created by reference
    selves: frozenset[str]  # classes (models, managers) whose own methods create rows
    accessors: frozenset[str]  # relation accessors created through (`order.items.create()`)
    labels: frozenset[str]  # class names handed on, named in strings, or created by name
    curated: frozenset[str]  # models the admin registers or a data migration writes by hand


# The bases a model written against Django alone has.
_PLAIN_MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
_CREATION_KINDS = ("self:", "accessor:", "label:", "curated:")

# Packages no project model comes from: the standard library's, Django's and DRF's (Geotrek's
# `from pathlib import Path` beside its `Path` model).
_NOT_PROJECT_ROOTS = frozenset(sys.stdlib_module_names) | {"django", "rest_framework"}

# Comparisons a b-tree index on the column serves (`year` becomes a range of dates).
_INDEXED_LOOKUPS = frozenset({"exact", "in", "gt", "gte", "lt", "lte", "range", "startswith", "year"})
_RANGE_LOOKUPS = frozenset({"gt", "gte", "lt", "lte", "range", "startswith", "year"})
_SHORT_CODE = 12  # max_length of a code with few values: a language, a currency, a country
# Names of columns that hold one value per row: external ids, uuids, tokens, hashes, e-mails.
_IDENTIFIER = re.compile(r"(?i)(^|_)(external_id|uuid|guid|token|hash|digest|email|key)$")
# Columns that hold one row's key, looked up row by row: DJR105 reports them on any table.
_ROW_KEY = re.compile(
    r"(?i)(_id$|^id_|key$|code$|token|hash|digest|url|path$|host|address|number$|email|uuid|guid|account|serial"
    r"|sha\d*$|checksum|fingerprint|external|reference|_ref$|isbn|sku|barcode)"
)
_ROW_KEY_KINDS = frozenset({"UUIDField", "EmailField", "URLField"})
_MANY_FIELDS = 10  # a model this wide records something about each row: it grows with use
# Field classes DJR105 leaves alone: indexed already (slugs, relations), a few values (booleans,
# django-enumfields' EnumField/EnumIntegerField), files (their paths are compared to find
# duplicates in small tables), or whole JSON documents (a B-tree index fails on a row over
# about 2.7 kB: a hash column or an expression index is the fix, not db_index; seqr's
# `filter(search=search_dict)`).
_NOT_INDEXED_KINDS = (
    "SlugField",
    "BooleanField",
    "ForeignKey",
    "OneToOneField",
    "ManyToManyField",
    "FileField",
    "ImageField",
    "JSONField",
)
# A relation followed by one of these compares its key column (indexed with the relation).
_RELATION_LOOKUPS = frozenset(
    {"exact", "iexact", "in", "isnull", "gt", "gte", "lt", "lte", "range", "contains", "icontains", "startswith"}
)
