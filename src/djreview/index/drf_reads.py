"""Resolve DRF facts (serializers.py) against the models: what a serializer reads per row, and
which views feed it rows whose queryset does not load it.

A list view serializes every row of its queryset: each relation a field reads (a method
field's `obj.owner`, `source="author.name"`, a nested serializer, a relational field with
`many=True`) is a query per row unless the queryset selects or prefetches it. The index
answers `ProjectIndex.serializer_reads(qual)` with this module; the answer is recorded, so
editing a view re-reviews its serializers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview import orm
from djreview.index.reads import Reach, Reader, display
from djreview.index.serializers import (
    QuerysetSource,
    SerializerFacts,
    SerializerField,
    detail_view_base,
    list_view_base,
)

if TYPE_CHECKING:
    from djreview.index.project import ProjectIndex

_MAX_NESTING = 3  # nested serializers followed from the one under review


def view_serializer(index, view: str) -> str | None:
    """The serializer class a DRF view's list gets (`serializer_class`, or the one class its
    `get_serializer_class()` returns), through its project bases; None when it has none or
    it is picked in code. DRF calls the nearest get_serializer_class(), so one in a base
    decides over a subclass's `serializer_class`: one that picks per action and names the
    list (`self.action == "list"`, or a `list_serializer_class` its `getattr(self,
    self.action + "_serializer_class")` finds) leaves it unknown; one that names other actions
    only hands the list to the attribute. DRF's own classes, when read, add nothing."""
    mro = [q for q in index._class_mro(view) if not q.startswith("rest_framework.")]
    views = [index.classes[q].view for q in mro if index.classes[q].view is not None]
    attrs = {name for facts in views for name in facts.serializer_attrs}
    attribute = None
    for facts in views:
        if facts.serializer_dynamic:
            if "list" in facts.serializer_actions or f"list{facts.serializer_action_suffix}" in attrs:
                return None
            per_action = bool(facts.serializer_actions or facts.serializer_action_suffix)
            if attribute is None and per_action:
                attribute = next((f.own_serializer for f in views if f.own_serializer), None)
            return index.resolve(attribute) if attribute else None
        if facts.serializer and facts.serializer_method:
            return index.resolve(facts.serializer)
        if facts.serializer and attribute is None:
            attribute = facts.serializer
    return index.resolve(attribute) if attribute else None


@dataclass(frozen=True)
class ViewUse:
    """A view (or one of its methods) that serializes rows with the serializer."""

    name: str  # "BookViewSet", or "BookViewSet.low_stock" for a method calling the serializer
    view: str  # the view class's qualified name
    path: str  # the file where the rows' queryset is built
    queryset_line: int  # the line of that queryset (not `line`: answer digests ignore lines)
    where: str  # "queryset" | "get_queryset" | "<method name>"
    many: bool  # serializes many rows (a list), not one object


@dataclass(frozen=True)
class FieldRead:
    """A relation a serializer field reads from each row, and the views that do not load it."""

    field: str
    declared_in: str  # the serializer class declaring the field
    line: int  # the field's line; 0 for a field Meta.fields makes
    method: str | None  # a method field's method
    reach: Reach
    model: str  # the rows' model
    views: tuple[ViewUse, ...]
    source: tuple[str, ...] = ()  # the field's source path (`author.name`)


@dataclass(frozen=True)
class _Rows:
    model: str
    loaded: frozenset[str]
    use: ViewUse


class DrfReader:
    def __init__(self, index: ProjectIndex):
        self.index = index
        self.reader = Reader(index)

    # -- which views serialize with which serializer ------------------------------------------
    def users(self) -> dict[str, list[tuple[str, object]]]:
        """serializer qual -> (view qual, what it serializes: "class" or a SerializerUse)."""
        index = self.index
        found: dict[str, list[tuple[str, object]]] = {}
        for qual, cls in index.classes.items():
            view = cls.view
            if view is None or index.class_module[qual].external:
                continue
            own = self._view_serializer(qual)
            if own is not None:
                found.setdefault(own, []).append((qual, "class"))
            for use in view.uses:
                ref = own if use.serializer is None else index.resolve(use.serializer)
                if ref is not None:
                    found.setdefault(ref, []).append((qual, use))
        return found

    def _view_serializer(self, view: str) -> str | None:
        return view_serializer(self.index, view)

    def _mro(self, view: str) -> list[str]:
        """The view's classes that the project wrote (DRF's own, when the environment is read,
        are what the facts already mean: GenericAPIView.get_queryset() returns `queryset`)."""
        return [q for q in self.index._class_mro(view) if not q.startswith("rest_framework.")]

    def _lists(self, view: str) -> bool | None:
        """Does the view's list action serialize its queryset? True for a DRF list view, False
        for a detail-only one, None when it cannot tell (a list() of its own, no GET)."""
        index = self.index
        mro = index._class_mro(view)
        for qual in self._mro(view):
            facts = index.classes[qual].view
            if facts is not None and facts.no_get:
                return None
            if "list" in index.classes[qual].methods:
                if facts is None or facts.list_override != "super":
                    return None  # a list() that may serialize other rows, or none
                break
        bases = [index.resolve(b) or b for q in mro for b in index.classes[q].bases] + mro
        if any(list_view_base(b) for b in bases):
            return True
        return False if any(detail_view_base(b) for b in bases) else None  # create-only: no rows out

    # -- what a view's rows load ---------------------------------------------------------------
    def rows(self, view: str, what) -> _Rows | None:
        index = self.index
        module = index.class_module[view]
        name = index.classes[view].name
        if what == "class":
            many = self._lists(view)  # False: a detail view, one row (nested many=True still iterate)
            if many is None:
                return None
            found = self._view_queryset(view, self._mro(view))
            if found is None:
                return None
            source, where, path = found
            use = ViewUse(name, view, path, source.line, where, many)
        else:
            if what.rows is None:
                return None
            source = what.rows
            use = ViewUse(f"{name}.{what.method}", view, module.path, source.line, what.method, what.many)
        resolved = self._resolve(source, view, self._mro(view))
        if resolved is None:
            return None
        model, loaded = resolved
        return _Rows(model, loaded, use)

    def _view_queryset(self, view: str, mro: list[str]) -> tuple[QuerysetSource, str, str] | None:
        """What the view's get_queryset() returns: the first get_queryset() along the MRO
        (one we cannot read, a project mixin's that optimises or filters, is unknown), else
        the first `queryset =`."""
        classes = self.index.classes
        for qual in mro:
            if "get_queryset" in classes[qual].methods:
                facts = classes[qual].view
                if facts is None or facts.get_queryset is None:
                    return None
                return facts.get_queryset, "get_queryset", self.index.class_module[qual].path
        return self._class_attr_queryset(mro)

    def _resolve(self, source: QuerysetSource, view: str, mro: list[str], depth: int = 0):
        """(model, loaded paths) of a queryset source, or None when any part is unknown."""
        index = self.index
        if depth > 4:
            return None
        manager_name = "objects"
        if source.root == "view":
            # self.get_queryset() in a view method: the view's queryset; super().get_queryset()
            # or self.queryset inside get_queryset(): the class attribute below it
            found = self._view_queryset(view, mro) if depth == 0 else None
            if depth == 0 and found is None:
                return None
            if found is None or found[0] is source:
                defining = [q for q in mro if "get_queryset" in index.classes[q].methods]
                found = self._class_attr_queryset(mro) if len(defining) <= 1 else None
            if found is None or found[0] is source:
                return None
            inner = self._resolve(found[0], view, mro, depth + 1)
            if inner is None:
                return None
            model, selected, prefetched = inner[0], set(inner[1]), set[str]()
        else:
            ref, _, manager_name = source.root[len("model:") :].rpartition(".")
            model = index.model_for(ref)
            info = index.models.get(model or "")
            if info is None or not (
                index.has_manager(info, manager_name) or manager_name in ("_default_manager", "_base_manager")
            ):
                return None
            selected, prefetched = set(), set()
            base = index.manager_base(info, manager_name)
            if base is not None:
                if base.opaque or base.calls:
                    return None
                selected |= set(base.select)
                prefetched |= {p for p in base.prefetch if "->" not in p}
        for method, lookups in source.steps:
            if "?" in lookups or method == "none":
                return None  # lookups we cannot read; .none(): no rows (the real ones come elsewhere)
            if method == "select_related":
                if not lookups:
                    return None  # every non-null FK: left to DJR101's loops
                selected |= set(lookups)
            elif method == "prefetch_related":
                prefetched |= set(lookups)
            elif method in orm.QUERYSET_RETURNING:
                continue
            else:
                info = index.models.get(model)
                chain = index.queryset_method(info, manager_name, method) if info else None
                if chain is None or chain.values or chain.opaque or chain.calls:
                    return None
                selected |= set(chain.select)
                prefetched |= {p for p in chain.prefetch if "->" not in p}
        return model, _with_prefixes(selected | prefetched)

    def _class_attr_queryset(self, mro: list[str]):
        for qual in mro:
            facts = self.index.classes[qual].view
            if facts is not None and facts.queryset is not None:
                return facts.queryset, "queryset", self.index.class_module[qual].path
        return None

    # -- what a serializer reads -----------------------------------------------------------------
    def field_reads(self, serializer: str, model: str, depth: int = 0) -> list[tuple]:
        """(field, declaring class, line, method, reach, source) for every relation the
        serializer's fields read from a `model` row."""
        index = self.index
        if depth > _MAX_NESTING or model not in index.models:
            return []
        mro = [q for q in index._class_mro(serializer) if not q.startswith("rest_framework.")]
        declared: dict[str, tuple[str, SerializerField]] = {}
        write_only: set[str] = set()
        facts_of: list[tuple[str, SerializerFacts]] = []
        for qual in reversed(mro):
            facts = index.classes[qual].serializer
            if facts is None:
                continue
            facts_of.append((qual, facts))
            write_only |= set(facts.write_only)
            for f in facts.fields:
                declared[f.name] = (qual, f)
        names, every, exclude, meta_of = _meta(index, facts_of)
        out: list[tuple] = []
        for name, (qual, f) in declared.items():
            if name in write_only or name in exclude:
                continue
            if not every and (names is not None and name not in names):
                continue  # an inherited declared field the subclass's Meta.fields leaves out
            if not every and names is None and meta_of is not None and qual != serializer:
                continue  # Meta.fields we cannot read: only the class's own fields must be in it
            for reach in self._field(serializer, qual, f, model, depth):
                out.append((name, qual, f.line, f.method, reach, f.source))
        out += self._implicit(serializer, names, every, exclude, declared, write_only, model, facts_of)
        owner = next((q for q, facts in reversed(facts_of) if facts.representation), None)
        if owner is not None and index.classes[owner].serializer.representation == "own":  # type: ignore[union-attr]
            # a to_representation() of its own: the fields may go unread; what it reads is read
            method = SerializerField("to_representation", 0, 0, "method", (), method="to_representation")
            summary = index.classes[owner].summaries.get("to_representation")
            start = summary.line if summary else index.classes[owner].line
            reaches = self._field(serializer, owner, method, model, depth)
            out = [("to_representation", owner, start, "to_representation", r, ()) for r in reaches]
        return out

    def _field(self, top: str, qual: str, f, model: str, depth: int) -> list[Reach]:
        reader = self.reader
        if f.kind == "method":
            found = reader.method(top, f.method)  # a subclass may override the method
            if found is None:
                return []
            owner, summary = found
            if not summary.is_method:
                return []
            return _covering(reader.of_call(summary, 1, model, qual, (display(owner, summary),), 1))
        chain = _chain_steps(self.index, model, f.source)
        if f.kind == "pk" and not f.many:
            return _covering(reader.chain(model, chain[:-1], (), 0)) if len(chain) > 1 else []
        if f.many:
            chain = (*chain, "all()")
        if f.kind == "nested" and not self._is_serializer(self.index.resolve(f.ref)):
            return []  # a class we cannot see: what it reads is unknown
        reaches = _covering(reader.chain(model, chain, (), 0))
        if f.kind == "nested":
            nested = self.index.resolve(f.ref) or ""
            end = _end_model(self.index, model, f.source)
            if end is not None and nested != qual:
                prefix = tuple(f.source)
                loaded = self._list_prefetches(nested) if f.many else ()
                for _, _, _, _, reach, _ in self.field_reads(nested, end, depth + 1):
                    if any(reach.path[: len(p)] == p for p in loaded):
                        continue  # its list serializer loads it for the rows it is handed
                    reaches.append(
                        Reach((*prefix, *reach.path), reach.how, reach.kind, reach.target, reach.method, reach.via)
                    )
        return _covering(reaches)

    def _list_prefetches(self, serializer: str) -> list[tuple[str, ...]]:
        """What the `Meta.list_serializer_class` of a nested `many=True` serializer loads for the
        rows it is handed (django-formidable's `get_attribute()` returning
        `qs.prefetch_related("items")`): one query per parent, not one per row."""
        classes = self.index.classes
        facts = [classes[q].serializer for q in self.index._class_mro(serializer)]
        ref = next((f.list_serializer for f in facts if f is not None and f.list_serializer), None)
        listing = self.index.resolve(ref) if ref else None
        if listing is None:
            return []
        lists = [classes[q].serializer for q in self.index._class_mro(listing)]
        return [tuple(path.split("__")) for f in lists if f is not None for path in f.row_prefetches]

    def _is_serializer(self, qual: str | None) -> bool:
        return any(self.index.classes[q].serializer is not None for q in self.index._class_mro(qual))

    def _implicit(self, serializer, names, every, exclude, declared, write_only, model, facts_of) -> list:
        """ModelSerializer fields Meta.fields makes: a many-valued relation becomes
        PrimaryKeyRelatedField(many=True) (its keys, read per row); a forward FK reads
        `<fk>_id` and costs nothing unless Meta.depth nests it."""
        index = self.index
        if index.class_kind(serializer) not in ("serializer", "hyperlinked-serializer"):
            return []
        depth = next((facts.depth for _, facts in reversed(facts_of) if facts.depth), 0)
        info = index.models[model]
        if every or (names is None and exclude):
            names = tuple(f.name for f in info.fields if f.name in info.relations)
        if not names:
            return []
        out = []
        for name in names:
            if name in declared or name in write_only or name in exclude:
                continue
            rel = info.relations.get(name)
            if rel is None:
                continue
            if rel.many and rel.kind != "generic_relation":
                chain: tuple[str, ...] = (name, "all()")
            elif rel.kind in ("fk", "o2o") and depth > 0:
                chain = (name,)
            else:
                continue
            for reach in self.reader.chain(model, chain, (), 0):
                out.append((name, serializer, 0, None, reach, (name,)))
        return out


def _meta(index, facts_of):
    """The Meta that counts (the last one along the MRO that sets fields/exclude): its literal
    fields (None: "__all__" or unreadable), whether every field, its exclude, and its class."""
    names, every, exclude, meta_of = None, False, set(), None
    for qual, facts in facts_of:  # bases first: the last Meta wins
        cls = index.classes[qual]
        if facts.meta_fields_set or cls.meta_fields_all:
            names, every, meta_of = facts.meta_fields, cls.meta_fields_all, qual
        if facts.meta_exclude:
            exclude = set(facts.meta_exclude)
    return names, every, exclude, meta_of


def _chain_steps(index, model: str, source: tuple[str, ...]) -> tuple[str, ...]:
    """A `source` path as the reader's chain: DRF calls a callable it reaches, so a model
    method on the path is a call (`get_full_name()`), a property an attribute."""
    out = []
    current: str | None = model
    for step in source:
        info = index.models.get(current) if current else None
        if info is None:
            out.append(step)
            current = None
            continue
        rel = info.relations.get(step)
        if rel is not None:
            out.append(step)
            current = rel.target if not rel.many else None
            continue
        found = Reader(index).method(info.qualname, step)
        out.append(f"{step}()" if found is not None and not found[1].is_property else step)
        current = None
    return tuple(out)


def _end_model(index, model: str, source: tuple[str, ...]) -> str | None:
    current = model
    for step in source:
        info = index.models.get(current)
        rel = info.relations.get(step) if info else None
        if rel is None or rel.target is None:
            return None
        current = rel.target
    return current


def _covering(reaches: list[Reach]) -> list[Reach]:
    """`author__publisher` covers `author`: one select_related loads both."""
    selects = {r.path for r in reaches if r.how == "select"}
    return [
        r
        for r in reaches
        if not (r.how == "select" and any(p != r.path and p[: len(r.path)] == r.path for p in selects))
    ]


def serializer_reads(index: ProjectIndex, serializer: str, users) -> tuple[FieldRead, ...]:
    """The relations the serializer's fields read per row that some view feeding it rows does
    not load, grouped per (field, relation), with those views. `users`: DrfReader.users()."""
    drf = DrfReader(index)
    grouped: dict[tuple, list[ViewUse]] = {}
    reads: dict[tuple, tuple] = {}
    cache: dict[str, list] = {}
    for view, what in users.get(serializer, ()):
        rows = drf.rows(view, what)
        if rows is None:
            continue
        if rows.model not in cache:
            cache[rows.model] = drf.field_reads(serializer, rows.model)
        for name, qual, line, method, reach, source in cache[rows.model]:
            if not _costs(index, rows, reach):
                continue
            key = (name, reach.path, reach.how, reach.method)
            reads.setdefault(key, (name, qual, line, method, reach, rows.model, source))
            if rows.use not in grouped.setdefault(key, []):
                grouped[key].append(rows.use)
    return tuple(
        FieldRead(name, qual, line, method, reach, model, tuple(grouped[key]), source)
        for key, (name, qual, line, method, reach, model, source) in reads.items()
    )


def _costs(index, rows: _Rows, reach: Reach) -> bool:
    """Does this read run a query per row the view serializes?"""
    if not rows.use.many and not under_many(index, rows.model, reach.path):
        return False  # one object: one query, not one per row
    joined = "__".join(reach.path)
    if reach.how == "query":
        return True
    return joined not in rows.loaded


def under_many(index, model: str, path: tuple[str, ...]) -> bool:
    """Is the last step of `path` read once per row of a many-valued relation before it
    (a nested `many=True` serializer of a detail view)? Such a path can only be prefetched."""
    current = model
    for step in path[:-1]:
        info = index.model(current)
        rel = info.relations.get(step) if info else None
        if rel is None:
            return False
        if rel.many:
            return True
        current = rel.target or ""
    return False


def _with_prefixes(paths) -> frozenset[str]:
    """select_related("a__b") loads "a" too (values.paths_with_prefixes, which imports libcst:
    a warm run answers this question without it)."""
    return frozenset("__".join(p.split("__")[:i]) for p in paths for i in range(1, p.count("__") + 2))
