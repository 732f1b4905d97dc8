"""Which relations a template reads once per row of a `{% for %}` over a context queryset.

A template is walked the way Django renders it, without rendering: the context gives each
name a value (a queryset's rows, a paginator page, or nothing known); `{% for %}` binds its
variable to one row; `{% with %}` and `{% include … with %}` bind names; a child template's
blocks are walked in its parent's place (the parent's loops around them count). A variable
read on a row (`{{ book.author.name }}`, `{% for t in book.tags.all %}`, `book.tags.count`)
that the queryset did not select or prefetch is a query per row: a `Read`.

The attribute rules are Django's: `book.author_id` is a column, `book.author` loads the
author unless selected, `book.tags.all` is a query unless prefetched (one per row), and
`book.tags.count`/`.exists` count with a query unless prefetched. Anything else (a method, a
property, a field, a name the context does not hold) is unknown and reads nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from djreview.templates.lexer import Block, Include, Loop, Template, Use, With
from djreview.values import Queryset

_SINGLE = ("fk", "o2o", "gfk", "reverse_o2o")
_COUNTING = ("count", "exists")
# filters a loop's source may pass through and still give the queryset's rows
_ROW_FILTERS = frozenset({"slice", "dictsort", "dictsortreversed"})
_MOST_INCLUDES = 8  # nesting of {% include %} / {% extends %} followed
# Nodes walked for one view's template at most: a template that includes others many times
# over, at every level, would otherwise cost a walk per path through the includes.
_MOST_NODES = 100_000


@dataclass(frozen=True)
class Rows:
    """Iterating gives the rows of `qs` at relation path `path` (from one row of `qs`)."""

    qs: Queryset
    path: tuple[str, ...] = ()
    many: bool = False  # the path goes through a many-valued relation: only prefetch reaches it
    known: frozenset[str] = frozenset()  # paths Django fills without a query (a manager's back-reference)


@dataclass(frozen=True)
class Page:
    """A paginator page of `qs` (ListView's `page_obj`): iterable, and `.object_list`."""

    qs: Queryset


@dataclass(frozen=True)
class Row:
    qs: Queryset
    path: tuple[str, ...]
    many: bool
    loop: tuple[str, int, int] | None  # (template path, line, column) of its {% for %}; None: one
    # object of the queryset outside any loop (a DetailView's `object`): reading its relations
    # is one query, but the rows of its managers are rows of a loop
    root: str  # the loop variable
    local: tuple[str, ...] = ()  # the attributes read from the loop variable to here
    known: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Manager:
    row: Row
    name: str  # the relation
    target: str | None
    kind: str
    back: str | None = None  # a reverse foreign key's field: Django sets it on each row it gives


Value = Rows | Page | Row | _Manager | None


@dataclass(frozen=True)
class Read:
    """A query per row: where (template path, line, column, end column), what."""

    path: str
    line: int
    column: int
    end_column: int
    access: str  # as written from the loop variable: "book.author"
    relation: str  # relative to the loop variable's row: "author"
    full_path: str  # relative to the queryset's rows: "tags__category"
    how: str  # "select" | "prefetch" | "annotate"
    method: str  # count/exists for "annotate"
    kind: str  # the relation's kind (fk, m2m, ...)
    model: str  # model of the loop variable's rows
    qs: Queryset
    loop: tuple[str, int, int] | None


Loader = Callable[[str], "Template | None"]


class Walk:
    """One template, walked with one context; `reads` holds what it found."""

    def __init__(self, index, load: Loader, code: str = "DJR101"):
        self.index, self.load, self.code = index, load, code
        self.reads: list[Read] = []
        self._seen: set[tuple] = set()
        self._names: list[str] = []  # templates being walked (an include cycle ends here)
        self._budget = _MOST_NODES

    def template(self, template: Template, scope: list[dict[str, Value]]) -> None:
        """Walk `template` (its ancestors first, with its blocks in their place)."""
        chain, overrides = [template], dict[str, tuple[Block, Template]]()
        while chain[-1].extends and len(chain) < _MOST_INCLUDES:
            parent = self.load(chain[-1].extends)
            if parent is None or parent in chain:
                break
            chain.append(parent)
        for member in chain:  # the most derived template's block wins
            for name, block in member.blocks().items():
                overrides.setdefault(name, (block, member))
        root = chain[-1]
        if root.extends is not None:
            # its parent is unknown: its blocks are still rendered, in the same context
            for block, member in {id(b): (b, m) for b, m in overrides.values()}.values():
                self._nodes(block.body, scope, member, overrides)
            return
        self._nodes(root.nodes, scope, root, overrides)

    def _nodes(self, nodes: list, scope: list[dict[str, Value]], where: Template, overrides: dict) -> None:
        self._budget -= len(nodes)
        if self._budget < 0:
            return  # what was found so far stands; the rest is not walked
        for node in nodes:
            if isinstance(node, Use):
                self._read(node, scope, where)
            elif isinstance(node, Loop):
                self._loop(node, scope, where, overrides)
            elif isinstance(node, With):
                bound = {name: self._read(use, scope, where) if use else None for name, use in node.bindings}
                self._nodes(node.body, [*scope, bound], where, overrides)
            elif isinstance(node, Block):
                block, member = overrides.get(node.name, (node, where))
                self._nodes(block.body, scope, member, overrides)
            elif isinstance(node, Include):
                self._include(node, scope, where)

    def _loop(self, loop: Loop, scope: list[dict[str, Value]], where: Template, overrides: dict) -> None:
        source = self._read(loop.source, scope, where) if loop.source is not None else None
        if loop.source is not None and not _ROW_FILTERS.issuperset(loop.source.filters):
            source = None
        key = (where.path, *loop.at)
        bound: dict[str, Value] = dict.fromkeys(loop.names)
        if len(loop.names) == 1:
            name = loop.names[0]
            if isinstance(source, Rows):
                bound[name] = Row(source.qs, source.path, source.many, key, name, known=source.known)
            elif isinstance(source, Page):
                bound[name] = Row(source.qs, (), False, key, name)
        self._nodes(loop.body, [*scope, bound], where, overrides)
        self._nodes(loop.empty, scope, where, overrides)

    def _include(self, node: Include, scope: list[dict[str, Value]], where: Template) -> None:
        if node.name is None or node.name in self._names or len(self._names) >= _MOST_INCLUDES:
            return
        included = self.load(node.name)
        if included is None:
            return
        bound = {name: self._read(use, scope, where) if use else None for name, use in node.bindings}
        self._names.append(node.name)
        try:
            self.template(included, [bound] if node.only else [*scope, bound])
        finally:
            self._names.pop()

    # -- one variable --------------------------------------------------------------------
    def _read(self, use: Use, scope: list[dict[str, Value]], where: Template) -> Value:
        value = _lookup(scope, use.parts[0])
        for i in range(1, len(use.parts)):
            if value is None:
                return None
            value = self._step(value, use, i, where)
        return value

    def _step(self, value: Value, use: Use, i: int, where: Template) -> Value:
        part = use.parts[i]
        if isinstance(value, Page):
            return Rows(value.qs) if part == "object_list" else None
        if isinstance(value, Row):
            info = self._model_at(value)
            rel = info.relations.get(part) if info is not None else None
            if rel is None:
                return None  # a column (`author_id`), a field, a method: no relation read
            path = (*value.path, part)
            if rel.kind in _SINGLE:
                loaded = self._loaded(value.qs, path, value.many) or "__".join(path) in value.known
                if not loaded and value.loop is not None:
                    how = "prefetch" if rel.kind == "gfk" or value.many else "select"
                    self._found(use, i, where, value, part, how, "", rel.kind)
                return Row(value.qs, path, value.many, value.loop, value.root, (*value.local, part), value.known)
            back = rel.field_name if rel.kind == "reverse_fk" else None
            return _Manager(value, part, rel.target, rel.kind, back)
        if isinstance(value, _Manager):
            row = value.row
            path = (*row.path, value.name)
            loaded = "__".join(path) in row.qs.prefetched
            after = use.parts[i + 1] if i + 1 < len(use.parts) else None
            loaded = loaded or row.loop is None  # one object: one query, not one per row
            if part in _COUNTING or (part == "all" and after in _COUNTING):
                if not loaded:
                    method = part if part in _COUNTING else str(after)
                    self._found(use, i - 1, where, row, value.name, "annotate", method, value.kind)
                return None
            if part != "all":
                return None  # first/last/a custom method: not followed
            if not loaded:
                self._found(use, i - 1, where, row, value.name, "prefetch", "all", value.kind)
            known = row.known | ({"__".join((*path, value.back))} if value.back else set())
            return Rows(row.qs, path, many=True, known=frozenset(known))
        return None

    def _model_at(self, row: Row):
        model = row.qs.model
        for step in row.path:
            info = self.index.model(model)
            rel = info.relations.get(step) if info is not None else None
            if rel is None or rel.target is None:
                return None
            model = rel.target
        return self.index.model(model)

    def _loaded(self, qs: Queryset, path: tuple[str, ...], many: bool) -> bool:
        joined = "__".join(path)
        if joined in qs.selected or joined in qs.prefetched:
            return True
        if qs.back_ref and path == (qs.back_ref,):
            return True  # Django sets the FK back to the manager's owner on each row
        return qs.select_all and not many and self._non_null_chain(qs.model, path)

    def _non_null_chain(self, model: str, path: tuple[str, ...]) -> bool:
        for step in path:
            info = self.index.model(model)
            rel = info.relations.get(step) if info else None
            if rel is None or rel.kind not in ("fk", "o2o") or rel.null:
                return False
            model = rel.target or ""
        return True

    def _found(self, use: Use, i: int, where: Template, row: Row, relation: str, how: str, method: str, kind: str):
        """`use.parts[: i + 1]` reads `relation` of `row` once per row of its loop."""
        line = use.at[0]
        full = "__".join((*row.path, relation))
        key = (row.loop, full, how)
        if row.loop is None or key in self._seen or where.silenced(line, self.code):
            return
        self._seen.add(key)
        own = row.path[: len(row.path) - len(row.local)]  # the loop variable's rows
        info = self._model_at(Row(row.qs, own, row.many, row.loop, row.root))
        model = info.name if info is not None else row.qs.model.rsplit(".", 1)[-1]
        local = "__".join((*row.local, relation))
        access = ".".join(use.parts[: i + 1])
        end = use.end(i + 1)
        self.reads.append(
            Read(where.path, line, use.at[1], end, access, local, full, how, method, kind, model, row.qs, row.loop)
        )


def loop_reads(template: Template | None, load: Loader) -> set[str]:
    """The attribute names read in the template, and in those it extends or includes, when
    one of them has a `{% for %}` (no loop: nothing is read per row, the empty set)."""
    names, looped = _reads(template, load, 0, set())
    return names if looped else set()


def _reads(template: Template | None, load: Loader, depth: int, seen: set[str]) -> tuple[set[str], bool]:
    """(attribute names, has a loop) of the template and the ones it pulls in, each read once."""
    if template is None or depth > _MOST_INCLUDES or template.path in seen:
        return set(), False
    seen.add(template.path)
    names: set[str] = set()
    looped = False
    stack = list(template.nodes)
    includes = [template.extends] if template.extends else []
    while stack:
        node = stack.pop()
        looped = looped or isinstance(node, Loop)
        uses = [node] if isinstance(node, Use) else [node.source] if isinstance(node, Loop) and node.source else []
        uses += [use for _, use in getattr(node, "bindings", ()) if use is not None]
        for use in uses:
            names.update(use.parts[1:])
        if isinstance(node, Include) and node.name:
            includes.append(node.name)
        stack.extend(getattr(node, "body", ()))
        stack.extend(getattr(node, "empty", ()))
    for name in includes:
        more, more_looped = _reads(load(name), load, depth + 1, seen)
        names |= more
        looped = looped or more_looped
    return names, looped


def _lookup(scope: list[dict[str, Value]], name: str) -> Value:
    for names in reversed(scope):
        if name in names:
            return names[name]
    return None


def covered(reads: list[Read]) -> list[Read]:
    """DJR101's rules for one loop's reads: `item.order.customer` covers `item.order` (one
    select_related reaches both), and a count beside a prefetch of the same relation reads
    the prefetched rows once the prefetch is added."""
    selects = {(r.loop, r.full_path) for r in reads if r.how == "select"}
    prefetched = {(r.loop, r.full_path) for r in reads if r.how == "prefetch"}
    out = []
    for r in reads:
        if r.how == "select" and any(loop == r.loop and p.startswith(r.full_path + "__") for loop, p in selects):
            continue
        if r.how == "annotate" and (r.loop, r.full_path) in prefetched:
            continue
        out.append(r)
    return out
