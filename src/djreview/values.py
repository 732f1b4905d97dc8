"""Abstract values the flow tracker infers for expressions: what a name holds at a point."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst


@dataclass(frozen=True)
class ModelClass:
    model: str  # qualified model name


@dataclass(frozen=True)
class Queryset:
    """A queryset (or a list made from one) of `model` instances."""

    model: str
    selected: frozenset[str] = frozenset()  # select_related paths, "a__b" form, prefixes included
    prefetched: frozenset[str] = frozenset()
    select_all: bool = False  # select_related() with no arguments: non-null FKs only
    opaque: bool = False  # selection we could not read: never report from it
    values: bool = False  # .values()/.values_list(): rows are not model instances
    manager: str | None = None
    origin: cst.BaseExpression | None = None  # append .select_related(...) after this node
    select_call: cst.Call | None = None  # an existing select_related("…") call to merge into
    prefetch_call: cst.Call | None = None
    back_ref: str | None = None  # FK field set by Django on rows of a related manager
    prefix: str = ""  # for rows of a related manager of a loop row: path from the outer row
    outer: Queryset | None = None  # the outer loop's queryset that a fix should change
    via: RelatedManager | None = None  # built from a loop row's related manager
    locked: bool = False  # select_for_update(): one write per locked row is the point
    anchored: bool = False  # bound to a name: later calls extend it, the fix goes where it was built
    iterated: bool = False  # .iterator(): a prefetch needs chunk_size
    restricted: bool = False  # .only()/.defer(): a select_related must be named there too
    paginator: bool = False  # Paginator(qs, n): its pages (.page(k), .get_page(k)) hold the rows
    parameter: str | None = None  # a parameter annotated `QuerySet[Book]`: built by the callers
    evaluated: bool = False  # annotated `list[Book]` (a tuple, a set): the rows are fetched already
    producer: str | None = None  # built by a project function (`published_books()`) we call
    nulls: frozenset[str] = frozenset()  # `filter(parent__isnull=True)`: keys null on every row

    def with_(self, **changes) -> Queryset:
        return replace(self, **changes)


@dataclass(frozen=True)
class Instance:
    model: str
    loaded: frozenset[str] = frozenset()  # relation paths (relative to this row) that cost no query
    select_all: bool = False
    opaque: bool = False
    back_ref: str | None = None
    loop: cst.CSTNode | None = None  # the loop whose rows these are (None: a single object)
    path: tuple[str, ...] = ()  # relation path from the loop row to this object
    source: Queryset | None = None
    root: str | None = None  # the loop variable's name
    created: bool = False  # built with Model(...): its save() is an INSERT
    locked: bool = False  # one object fetched with select_for_update(): a lock per iteration


@dataclass(frozen=True)
class RelatedManager:
    owner: Instance
    relation_name: str
    target: str | None
    kind: str
    prefetched: bool


@dataclass(frozen=True)
class FormInstance:
    """A bound ModelForm of `model`: its save() and .instance are one row of it."""

    model: str


@dataclass(frozen=True)
class SelfRef:
    """`self` inside a method of a class defined in this file."""

    frame: ClassFrame


@dataclass(eq=False)
class ClassFrame:
    node: cst.ClassDef
    qualname: str
    top_level: bool
    attrs: dict[str, cst.BaseExpression] = field(default_factory=dict)
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)


Value = ModelClass | Queryset | Instance | RelatedManager | SelfRef | FormInstance | None


def paths_with_prefixes(paths) -> frozenset[str]:
    """select_related("a__b") also loads "a"."""
    out = set()
    for p in paths:
        parts = p.split("__")
        for i in range(1, len(parts) + 1):
            out.add("__".join(parts[:i]))
    return frozenset(out)
