"""Resolve function summaries (summaries.py) against the models: which relations a call reads.

`Reader` answers, for a function or method and the model of the row handed to it, the
relation paths its body reads from that row, through the functions it calls (to
`MAX_DEPTH`), model methods and properties. It is the index's (`ProjectIndex.reads_of`),
whose answers the cache records: editing a helper re-reviews the files that call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from djreview import orm
from djreview.index.summaries import ELEMENT, NULL_TEST

if TYPE_CHECKING:
    from djreview.index.project import ProjectIndex
    from djreview.index.summaries import FunctionSummary

MAX_DEPTH = 4  # calls followed from the one in the loop: helpers calling helpers
# Methods not followed: a write per row is DJR102's matter, and what save() and delete()
# read depends on the state of the row (created or not) more than any other method.
NOT_FOLLOWED = frozenset({"save", "delete", "full_clean", "clean", "clean_fields", "validate_unique", "__init__"})
_SINGLE = ("fk", "o2o", "gfk", "reverse_o2o")


@dataclass(frozen=True)
class Reach:
    """One relation a call reads from its argument, with how a queryset could load it."""

    path: tuple[str, ...]  # relation names from the argument ("product", "parent")
    how: str  # "select" | "prefetch" | "annotate" | "query", as DJR101's candidates
    kind: str  # the relation kind of the last step
    target: str | None
    method: str = ""  # the manager method for prefetch/annotate/query reads
    via: tuple[str, ...] = ()  # the functions the read is in, outermost first ("Line.get_title")
    nullable: bool = False  # a nullable forward relation


class Reader:
    def __init__(self, index: ProjectIndex):
        self.index = index

    # -- where summaries are ---------------------------------------------------------------
    def function(self, ref: str, depth: int = 0) -> FunctionSummary | None:
        """A module-level function by its qualified ref, through re-exports."""
        module, _, name = ref.rpartition(".")
        facts = self.index._module_named(module) if module else None
        if facts is None or depth > 5:
            return None
        if name in facts.functions:
            return facts.functions[name]
        target = facts.imports.get(name) or facts.aliases.get(name)
        return self.function(target, depth + 1) if target and target != ref else None

    def method(self, class_qual: str, name: str) -> tuple[str, FunctionSummary] | None:
        """The summary of `name` on a project class or its project bases, with its class."""
        if name in NOT_FOLLOWED:
            return None
        for qual in self.index._class_mro(class_qual):
            cls = self.index.classes[qual]
            if name in cls.summaries:
                return qual, cls.summaries[name]
            if name in cls.methods:
                return None  # defined here without reading its parameters
        return None

    # -- what they read -------------------------------------------------------------------
    def of_call(
        self, summary: FunctionSummary, where: int | str, model: str, owner: str | None, via, depth: int, rows=False
    ):
        """What `summary` reads from the row passed at `where` (position or keyword); with
        `rows`, from each row of the queryset passed there (`for row in rows:` in its body)."""
        if via.count(via[-1]) > 1:  # a function calling itself (on a related row): once is enough
            return []
        param = self._param(summary, where)
        if param is None or depth > MAX_DEPTH:
            return []
        out = []
        for chain in summary.reads.get(param, ()):
            if (chain[0] == ELEMENT) == rows:
                out += self.chain(model, chain[1:] if rows else chain, via, depth)
        for call in summary.calls:
            for position, name, chain in call.args:
                if name != param:
                    continue
                handed_rows = rows and not chain  # the queryset itself, handed on
                if rows and chain[:1] == (ELEMENT,):
                    chain = chain[1:]  # one of its rows
                elif rows != handed_rows:
                    continue
                end = self._single_path(model, chain)
                if end is None:
                    continue
                target, prefix = end
                found = self._callee(call.callee, position, target, owner, via, depth + 1, handed_rows)
                out += [_prefixed(r, prefix) for r in found]
        return out

    def queries_of(self, summary: FunctionSummary, where: int | str, owner: str | None, via, depth: int):
        """The queries `summary` always runs with a lookup on the value passed at `where`, as
        (model, written form, via), through the functions it hands that value to."""
        param = self._param(summary, where)
        if param is None or depth > MAX_DEPTH or via.count(via[-1]) > 1:
            return []
        out = []
        for ref, written in summary.queries.get(param, ()):
            model = self.index.model_for(ref)
            if model:
                out.append((model, written, via))
        for call in summary.calls:
            for position, name, chain in call.args:
                if name == param and not chain:  # handed on as it is
                    out += self._callee_queries(call.callee, position, owner, via, depth + 1)
        return out

    def _callee_queries(self, callee: str, position, owner: str | None, via, depth: int):
        found = self.callee(callee, position, owner)
        if found is None:
            return []
        summary, where, owner, label = found
        return self.queries_of(summary, where, owner, (*via, label), depth)

    def callee(self, callee: str, position, owner: str | None):
        """The summary a call reaches, with the parameter `position` lands on, the class that
        `self` means inside it, and how messages name it. `callee`: a function's qualified ref,
        "self.<name>" (a summary's call, `owner` the class) or "<class qual>#<name>" (a call
        site's `self.name(...)`); the call site does not pass `self`, so a method's positions
        shift by one."""
        if callee.startswith("self.") or "#" in callee:
            cls, name = (owner, callee[5:]) if callee.startswith("self.") else callee.split("#", 1)
            found = self.method(cls, name) if cls else None
            if found is None:
                return None
            qual, summary = found
            where = position + 1 if isinstance(position, int) and summary.is_method else position
            return summary, where, cls, display(qual, summary)
        function = self.function(self.index.resolve(callee) or callee)
        return (function, position, None, f"{function.name}()") if function is not None else None

    @staticmethod
    def _param(summary: FunctionSummary, where: int | str) -> str | None:
        if isinstance(where, int):
            return summary.params[where] if where < len(summary.params) else None
        return where if where in summary.params or where in summary.keyword_only else None

    def _callee(self, callee: str, position, model: str, owner: str | None, via, depth: int, rows=False):
        found = self.callee(callee, position, owner)
        if found is None:
            return []
        summary, where, owner, label = found
        return self.of_call(summary, where, model, owner, (*via, label), depth, rows)

    def member(self, model: str, name: str, called: bool, via=(), depth: int = 0):
        """What `row.name()` (a model method) or `row.name` (a property) reads from the row."""
        found = self.method(model, name)
        if found is None or depth > MAX_DEPTH:
            return []
        qual, summary = found
        if not summary.is_method or summary.is_property == called:
            return []
        return self.of_call(summary, 0, model, model, (*via, display(qual, summary)), depth + 1)

    def chain(self, model: str, chain: tuple[str, ...], via, depth: int) -> list[Reach]:
        """The relations an attribute chain read from a `model` row walks through."""
        out: list[Reach] = []
        path: tuple[str, ...] = ()
        current: str | None = model
        for i, step in enumerate(chain):
            if step == NULL_TEST:
                # Django answers a null foreign key with None and no query: testing a nullable
                # one costs a query only on rows where it is set (weblate's repository links)
                if out and out[-1].path == path and out[-1].nullable:
                    out.pop()
                break
            info = self.index.models.get(current) if current else None
            if info is None:
                break
            if step.endswith("()") or step not in info.relations:  # a method or a property
                found = self.member(info.qualname, step.removesuffix("()"), step.endswith("()"), via, depth)
                out += [_prefixed(r, path) for r in found]
                break
            rel = info.relations[step]
            path = (*path, step)
            if rel.kind in _SINGLE:
                how = "prefetch" if rel.kind == "gfk" else "select"
                out.append(Reach(path, how, rel.kind, rel.target, via=via, nullable=rel.null))
                current = rel.target
                continue
            reach = _manager_read(chain[i + 1 : i + 3], path, rel.kind, rel.target, via, self.index.model_ordered)
            if reach is not None:
                out.append(reach)
            break
        return out

    def _single_path(self, model: str, chain: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
        """The model at the end of a chain of single-valued relations (`line.order`), and it."""
        current = model
        for step in chain:
            info = self.index.models.get(current)
            rel = info.relations.get(step) if info else None
            if rel is None or rel.kind not in ("fk", "o2o", "reverse_o2o") or rel.target is None:
                return None
            current = rel.target
        return current, chain


def _manager_read(calls: tuple[str, ...], path, kind: str, target, via, ordered) -> Reach | None:
    """`row.tags.<calls>`: what the calls on a many-valued relation cost per row. `first()` on
    a model with Meta.ordering (`ordered(target)`) is `all()[:1]`: a prefetch serves it."""
    if not calls or not calls[0].endswith("()"):
        return None  # the manager itself, not read
    first = calls[0][:-2]
    after = calls[1][:-2] if len(calls) > 1 and calls[1].endswith("()") else None
    if first == "all" and after in orm.QUERYING_ON_RELATED:
        first, after = after, None
    if first == "all":
        return Reach(path, "prefetch", kind, target, "all", via)
    if first == "first" and after is None and ordered(target):
        return Reach(path, "prefetch", kind, target, "first", via)  # geniza's `doc.textblock_set.first()`
    if first in ("count", "exists"):
        return Reach(path, "annotate", kind, target, first, via)
    if first in orm.QUERYING_ON_RELATED:
        return Reach(path, "query", kind, target, first, via)
    return None


def _prefixed(reach: Reach, prefix: tuple[str, ...]) -> Reach:
    return Reach((*prefix, *reach.path), reach.how, reach.kind, reach.target, reach.method, reach.via, reach.nullable)


def display(qual: str, summary: FunctionSummary) -> str:
    """`Line.get_title()`, or `Line.title` for a property."""
    return f"{qual.rsplit('.', 1)[-1]}.{summary.name}{'' if summary.is_property else '()'}"
