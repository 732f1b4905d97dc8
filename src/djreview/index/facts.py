"""Per-file facts extracted for the project index: plain, picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field

from djreview.index.drf_access import AccessFacts
from djreview.index.lookups import Lookup
from djreview.index.migration_state import MigrationFacts
from djreview.index.serializers import SerializerFacts, ViewFacts
from djreview.index.settings_facts import SettingsFacts
from djreview.index.signatures import SignatureFacts
from djreview.index.summaries import FunctionSummary

ANY_SENDER = "<any>"  # a signal receiver connected without a sender runs for every model


@dataclass
class FieldFacts:
    name: str
    kind: str  # qualified class of the field call, e.g. "django.db.models.ForeignKey"
    line: int
    target: str | None = None  # relation target as written: qualified ref or "app.Model" string
    target_is_string: bool = False
    related_name: str | None = None
    null: bool = False
    editable: bool = True
    primary_key: bool = False
    symmetrical: bool | None = None
    dynamic: bool = False  # some argument we could not read (``**kwargs``)
    indexed: bool = False  # db_index= or unique= given, and not literally False (DJR105)
    choices: bool = False  # choices= given: a few values, which a plain index rarely serves (DJR105)
    max_length: int | None = None  # a literal max_length: a short code holds few values (DJR105)
    stamped: bool = False  # auto_now_add=True or default=now: the row's creation time (DJR105)
    # `validators=[...]`: references as written, "<plain>" for a RegexValidator of a plain
    # pattern (index/plain_values.py, DJR402)
    validators: tuple[str, ...] = ()


@dataclass
class QuerysetChain:
    """What a manager/queryset method returns when that is a queryset chain."""

    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()  # other methods of the same class the chain calls
    values: bool = False
    opaque: bool = False  # select/prefetch arguments we could not read


@dataclass
class Selector:
    """A module function whose every return is `Model.<manager>.<chain>` (a "selector")."""

    model: str  # the model's reference as written (qualified through the imports)
    manager: str
    chain: QuerysetChain
    line: int


@dataclass
class ClassFacts:
    name: str
    qualname: str
    line: int
    column: int  # 0-based character offset of the ``class`` keyword
    bases: list[str] = field(default_factory=list)
    fields: list[FieldFacts] = field(default_factory=list)
    managers: dict[str, str] = field(default_factory=dict)  # attr -> qualified queryset/manager class
    methods: dict[str, QuerysetChain | None] = field(default_factory=dict)
    defines_str: bool = False
    abstract: bool = False
    proxy: bool = False
    unmanaged: bool = False  # Meta.managed = False (or not True): the table is another program's (DJR105)
    app_label: str | None = None  # Meta.app_label
    db_table: str | None = None  # Meta.db_table
    meta_model: str | None = None  # Meta.model for forms/serializers
    meta_fields_all: bool = False
    app_name: str | None = None  # an AppConfig's `name` (the app's package)
    has_meta: bool = False  # declares an inner `class Meta`
    dynamic_bases: int = 0  # bases that are not plain names (`six.with_metaclass(...)`)
    app_config_label: str | None = None  # an AppConfig's `label`
    summaries: dict[str, FunctionSummary] = field(default_factory=dict)  # methods reading their parameters
    serializer: SerializerFacts | None = None  # a DRF serializer's fields (index/serializers.py)
    view: ViewFacts | None = None  # a DRF view's serializer and queryset
    access: AccessFacts | None = None  # a DRF view's permissions and pagination (index/drf_access.py)
    meta_fields_listed: bool = False  # Meta.fields is a list or tuple (DJR302: exclude narrows it)
    atomic_methods: tuple[str, ...] = ()  # methods decorated `@transaction.atomic` (DJR104)
    sets_choices: bool = False  # a field class whose __init__ passes `choices` (dj-stripe's StripeEnumField)
    own_dispatch: bool = False  # a dispatch() that never calls super().dispatch(): it answers itself (DJR403)
    refuses_anonymous: bool = False  # a middleware hook turning anonymous requests away (gate_middleware.py)
    demands_credentials: bool = False  # a DRF authentication class raising when credentials are missing
    # `return Other().authenticate(request)` on every path: the classes it hands the request to
    auth_delegates: tuple[str, ...] = ()
    # `@method_decorator(X, name="dispatch")`: the decorators wrapping its dispatch (DJR403)
    dispatch_decorators: tuple[str, ...] = ()
    # DJR105: the column lists of Meta.indexes, constraints, unique_together, index_together;
    # Meta.ordering's fields ("-" dropped) and its line (0: no literal ordering)
    indexes: tuple[tuple[str, ...], ...] = ()
    ordering: tuple[str, ...] = ()
    ordering_line: int = 0


@dataclass
class ModuleFacts:
    path: str
    module: str
    external: bool = False  # read from an installed package to follow a base class, not reviewed
    imports: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # module-level Name = dotted ref
    # module-level names bound to what a call returns (`OrderModel = materialized(BaseOrder)`)
    call_results: frozenset[str] = frozenset()
    classes: list[ClassFacts] = field(default_factory=list)
    auth_user_model: str | None = None
    model_settings: dict[str, str] = field(default_factory=dict)  # FOO_MODEL = "app.Model"
    # names a related_name would rename, with the lines that use them (index/uses.py)
    accessor_uses: dict[str, tuple[int, ...]] = field(default_factory=dict)  # "book_set" -> lines
    query_uses: dict[str, tuple[int, ...]] = field(default_factory=dict)  # "book" of lookups -> line
    receivers: dict[str, set[str]] = field(default_factory=dict)  # model signal -> senders ("<any>": all)
    star_imports: list[str] = field(default_factory=list)  # modules of `from X import *`, in order
    public_names: tuple[str, ...] | None = None  # a literal `__all__`; None: every public name
    class_names: set[str] = field(default_factory=set)  # classes defined at module level
    functions: dict[str, FunctionSummary] = field(default_factory=dict)  # module-level functions (summaries.py)
    selectors: dict[str, Selector] = field(default_factory=dict)  # module functions returning a queryset
    settings: SettingsFacts | None = None  # a Django settings module's steps (settings_facts.py)
    settings_modules: tuple[str, ...] = ()  # modules it names as DJANGO_SETTINGS_MODULE
    # functions ("name") and methods ("Class.name") that verify a request's signature, read a
    # signature header or call other functions (index/signatures.py, for DJR403)
    signatures: dict[str, SignatureFacts] = field(default_factory=dict)
    signatures_read: bool = False  # the file was read for them (else nothing is known of its views)
    routed: tuple[str, ...] = ()  # views it routes: `X.as_view()`, `router.register(p, X)` (drf_access.py)
    # for each route of a view: "ref" (every method its class answers: a router, `as_view()`)
    # or "ref|get:retrieve,post:create" (a viewset's `as_view({...})` mapping)
    routes: tuple[str, ...] = ()
    class_uses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ref -> "how@owner" (class_uses.py)
    # names of functions called inside a transaction.atomic block; (name, caller) of each call
    # outside one, the caller being the function whose body holds it, "" none (atomic_calls.py)
    calls_in_atomic: frozenset[str] = frozenset()
    sync_wrapped: frozenset[str] = frozenset()  # names handed to `async_to_sync(f)` (DJR602)
    sync_decorated: frozenset[str] = frozenset()  # functions defined under `@async_to_sync` (DJR602)
    callers_outside_atomic: frozenset[tuple[str, str]] = frozenset()
    migration: MigrationFacts | None = None  # a migration file's operations (migration_state.py, DJR504)
    lookups: tuple[Lookup, ...] = ()  # queries on known models (index/lookups.py, DJR105)
    status_values: dict[str, tuple[str | int, ...]] = field(default_factory=dict)  # "status" -> literals (DJR206)
    received_statuses: frozenset[str] = frozenset()  # status-like names given received data (DJR206)
    plain_validators: tuple[str, ...] = ()  # validators admitting no HTML character (plain_values.py)
    # module-level names bound once to literals only (`TASK_STATUSES = {"queued": Status("Queued", "info")}`)
    literal_constants: tuple[str, ...] = ()
    seeded: tuple[str, ...] = ()  # models whose rows a loop over a fixed list creates (index/seeded_tables.py)
    creates: tuple[str, ...] = ()  # what its code may create rows of (index/created_rows.py)
    # "func" / "Class.method" -> what it returns: "safe", "number", deferrals (index/returns.py)
    returns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    annotations: dict[str, bool] = field(default_factory=dict)  # queryset annotation -> a number? (returns.py)
    # called name -> what each call passes, slot by slot; names handed on as arguments (call_arguments.py)
    call_arguments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    passed_names: frozenset[str] = frozenset()

    def qualify(self, name: str) -> str:
        """The dotted reference a module-level name stands for: an import, an alias, or a
        name of this module. A class defined here wins over an import of the same name
        (`try: from x import Base` / `except ImportError: class Base`): it is the one we see."""
        if name in self.class_names:
            return f"{self.module}.{name}"
        return self.imports.get(name) or self.aliases.get(name) or f"{self.module}.{name}"
