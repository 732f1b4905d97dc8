"""DJR102: ``obj.save()`` on a model instance, or ``Model.objects.create()``, inside a loop.

Each call is its own INSERT/UPDATE round trip. ``bulk_update`` / ``bulk_create`` do the same
in one query, but skip ``save()`` overrides and the pre_save/post_save signals: the message
says so, so the reader can judge whether the loop relies on them.

Not reported, because one write per iteration is what the code needs:
- the write runs at most once (returned, or followed by return/break/raise in its block);
- each iteration opens its own ``with`` block (``transaction.atomic()``, a file it stores) or works on a row it locked with
  ``select_for_update()``;
- a new row is used after it is written in the same iteration (its pk, an m2m ``.set()``,
  a child row pointing at it), or an updated row is re-read with ``refresh_from_db()``.

The fix rewrites a plain ``for`` loop into the bulk call when its body is simple enough for the
result to write the same rows and values (see ``_bulk_rewrite``); it is unsafe, since what the
bulk calls skip no longer runs. Any other loop keeps a suggestion naming the call.
"""

from __future__ import annotations

import ast
import keyword
from dataclasses import dataclass, field

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.prefilter import Collector, Walked, dotted_names
from djreview.naming import plural
from djreview.orm import DJANGO_SAVE_LOGIC
from djreview.rule import Rule
from djreview.rules import _bulk_rewrite
from djreview.syntax import literal_string
from djreview.values import Instance, Queryset, RelatedManager
from djreview.walk import children, contains


@dataclass
class _Write:
    call: cst.Call
    kind: str  # "save" (UPDATE) | "insert" (save() of a new object) | "create"
    model: str
    variable: str | None
    update_fields: list[str] | None = None
    owner: object = None  # what the flow tracker inferred the call is made on
    armed: bool = False  # the call's own subtree has been walked
    used_after: bool = False  # the object is read later in the iteration
    refreshed: bool = False  # refresh_from_db() later in the iteration


@dataclass
class _Loop:
    assigned: dict[str, list[str]] = field(default_factory=dict)  # variable -> fields set
    cleared_pk: set[str] = field(default_factory=set)  # `obj.pk = None`: the save is an insert
    created: set[str] = field(default_factory=set)  # names bound to a create() of this iteration
    writes: list[_Write] = field(default_factory=list)


class WriteRoots(Collector):
    """For each ``save()``/``create()`` called in a loop whose receiver is a plain dotted name
    (``models.Q.create``, ``Book.objects.create``) starting at a name the file never binds,
    the qualified reference of that name: the receiver can only be a row, a queryset or a
    manager when that name is a model class. None when some receiver is anything else."""

    def __init__(self) -> None:
        self.receivers: list[ast.AST] = []

    def visit(self, node: ast.AST, in_loop: bool, scope: str) -> None:
        called = node.func if isinstance(node, ast.Call) else None
        if in_loop and isinstance(called, ast.Attribute) and called.attr in ("save", "create"):
            self.receivers.append(called.value)

    def result(self, walked: Walked) -> frozenset[str] | None:
        roots = set()
        for receiver in self.receivers:
            parts = dotted_names(receiver)
            if parts is None or parts[0] in walked.bound:
                return None
            roots.add(walked.qualify(parts[0]))
        return frozenset(roots)


class SaveInLoop(Rule):
    code = "DJR102"
    name = "save-in-loop"
    fixable = True
    triggers = ("save(", "create(")
    prefilter = WriteRoots

    def wants(self, text, facts, index, prefilter) -> bool:
        if not super().wants(text, facts, index, prefilter) or not index.mentions_models(text, facts):
            return False
        roots = prefilter()  # save()/create() in a loop on a receiver that may be a row or a manager
        return roots is None or index.names_a_model(roots)

    def start(self, ctx) -> None:
        super().start(ctx)
        self.loops: dict[int, _Loop] = {}
        self.result_names: dict[int, str] = {}  # create() call -> name it is assigned to
        self.benign: set[int] = set()  # Name nodes that only collect the object (rows.append(obj))
        self.contexts: list[cst.CSTNode | None] = []  # the loop each open `with` block sits in
        self.scopes: list[cst.CSTNode] = [ctx.module]  # module, then each enclosing def/class

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()

    leave_ClassDef = leave_FunctionDef

    def _loop(self) -> tuple[cst.CSTNode | None, _Loop | None]:
        node = self.ctx.flow.in_loop()
        return node, (self.loops.setdefault(id(node), _Loop()) if node is not None else None)

    # -- what the loop body does around the write -------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        targets = [t.target for t in node.targets]
        self._assigned(targets, node.value)
        if isinstance(node.value, cst.Call) and len(targets) == 1 and isinstance(targets[0], cst.Name):
            self.result_names[id(node.value)] = targets[0].value

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assigned([node.target], None)

    def _assigned(self, targets, value) -> None:
        _, loop = self._loop()
        if loop is None:
            return
        for t in targets:
            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name):
                variable, attr = t.value.value, t.attr.value
                if attr in ("pk", "id") and isinstance(value, cst.Name) and value.value == "None":
                    loop.cleared_pk.add(variable)
                names = loop.assigned.setdefault(variable, [])
                if attr not in names:
                    names.append(attr)

    def visit_With(self, node: cst.With) -> None:
        # any block opened per iteration (atomic(), open(), a lock) scopes the write to it
        self.contexts.append(self.ctx.flow.in_loop())

    def leave_With(self, node: cst.With) -> None:
        self.contexts.pop()

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self.benign:
            return
        for loop in self.loops.values():
            for write in loop.writes:
                if write.armed and write.variable == node.value:
                    write.used_after = True

    def leave_Call(self, node: cst.Call) -> None:
        for loop in self.loops.values():
            for write in loop.writes:
                if write.call is node:
                    write.armed = True

    # -- the writes ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method in ("append", "add", "extend"):
            self.benign.update(id(a.value) for a in node.args if isinstance(a.value, cst.Name))
            return
        if method == "refresh_from_db" and isinstance(func.value, cst.Name):
            for open_loop in self.loops.values():  # re-reading the row needs the write done
                for write in open_loop.writes:
                    if write.armed and write.variable == func.value.value:
                        write.refreshed = True
            return
        if method not in ("save", "create"):
            return
        loop_node, loop = self._loop()
        if loop_node is None or loop is None or self._own_transaction(loop_node) or self._runs_once(loop_node, node):
            return
        owner = self.ctx.flow.infer(func.value)
        if self._needs_each_write(owner, method):
            return
        if method == "save" and isinstance(owner, Instance):
            variable = func.value.value if isinstance(func.value, cst.Name) else None
            if owner.locked or variable in loop.created:
                return  # a row this iteration created, saved again: a status row, a checkpoint
            insert = owner.created or (variable in loop.cleared_pk)
            loop.writes.append(
                _Write(node, "insert" if insert else "save", owner.model, variable, self._update_fields(node), owner)
            )
        elif method == "create" and isinstance(owner, (Queryset, RelatedManager)):
            model = owner.model if isinstance(owner, Queryset) else owner.target
            if model:
                name = self.result_names.get(id(node))
                loop.writes.append(_Write(node, "create", model, name, owner=owner))
                if name:
                    loop.created.add(name)

    def _needs_each_write(self, owner, method: str) -> bool:
        """A save() override, a pre/post_save receiver or a create() override of the project
        runs per object; bulk operations would skip it, so the loop is how it must be."""
        index = self.ctx.index
        model: str | None
        if isinstance(owner, Instance):
            model, manager = owner.model, None
        elif isinstance(owner, Queryset):
            model, manager = owner.model, owner.manager or "objects"
        elif isinstance(owner, RelatedManager):
            model, manager = owner.target, "objects"
        else:
            return False
        info = index.model(model)
        if info is None:  # Django's own User and Site do more in save() than write the row
            return model in DJANGO_SAVE_LOGIC
        return index.save_logic(info, manager if method == "create" else None) is not None

    def _own_transaction(self, loop_node) -> bool:
        """Inside a `with` opened by this very iteration: transaction.atomic() per row, a file
        the write stores (File(f) from open()), a lock. One write per iteration is the point."""
        return any(frame is loop_node for frame in self.contexts)

    @staticmethod
    def _runs_once(loop_node: cst.CSTNode, call: cst.Call) -> bool:
        """Is the write followed by return/break/raise in its block or in a block around it
        (up to the loop's body), or returned itself? Then it runs once, not per iteration."""
        body = getattr(loop_node, "body", None)
        if not isinstance(body, cst.IndentedBlock):
            return False  # comprehensions: every element runs
        path = _containing_path(body, call)
        if not path:
            return False
        statement = path[-1][1]
        if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in statement.body):
            return True
        exits = (cst.Return, cst.Raise, cst.Break)
        loops = [i for i, (_, holder) in enumerate(path) if isinstance(holder, (cst.For, cst.While))]
        for block, holder in path[loops[-1] + 1 if loops else 0 :]:  # an exit after an inner loop ends only it
            later = block.body[block.body.index(holder) + 1 :]
            if any(isinstance(s, cst.SimpleStatementLine) and any(isinstance(x, exits) for x in s.body) for s in later):
                return True
        return False

    @staticmethod
    def _update_fields(node: cst.Call) -> list[str] | None:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "update_fields":
                value = arg.value
                if isinstance(value, (cst.List, cst.Tuple)):
                    names = [literal_string(e.value) for e in value.elements]
                    if all(names):
                        return names  # type: ignore[return-value]
        return None

    # -- reporting at the end of each loop ---------------------------------------------------
    def _flush(self, loop_node: cst.CSTNode) -> None:
        loop = self.loops.pop(id(loop_node), None)
        if loop is None:
            return
        for write in loop.writes:
            # a new row read again in the same iteration (its pk, m2m .set(), a child row)
            # must exist by then; so must an updated row that is re-read from the database
            if (write.used_after and write.kind != "save") or write.refreshed:
                continue
            self._report(write, loop, loop_node)

    def _report(self, write: _Write, loop: _Loop, loop_node: cst.CSTNode) -> None:
        info = self.ctx.index.model(write.model)
        name = info.name if info else write.model.rsplit(".", 1)[-1]
        rows = _list_name(write.variable)
        if write.kind == "save":
            fields = write.update_fields or [
                f
                for f in loop.assigned.get(write.variable or "", [])
                if f not in ("pk", "id") and not f.startswith("_")
            ]
            listing = "[" + ", ".join(f'"{f}"' for f in fields) + "]" if fields else "[<fields you change>]"
            code = f"{name}.objects.bulk_update({rows}, {listing})"
            message = f"{name}.save() inside a loop runs one UPDATE per iteration."
            hint = (
                f"Collect the rows and call {code} once after the loop; bulk_update() does not call "
                f"save() or send pre_save/post_save signals, so check that nothing here relies on them."
            )
        elif write.kind == "insert":
            code = f"{name}.objects.bulk_create({rows})"
            message = f"{name}.save() on a new {name} inside a loop runs one INSERT per iteration."
            hint = (
                f"Collect the new objects in a list and call {code} once after the loop; bulk_create() "
                f"does not call save() or send pre_save/post_save signals, so check that nothing here "
                f"relies on them."
            )
        else:
            code = f"{name}.objects.bulk_create([{name}(...) for ...])"
            written = self.ctx.module.code_for_node(write.call.func)
            message = f"{written}() inside a loop runs one INSERT per iteration."
            hint = (
                f"Build the {name} objects in a list and call {code} once; bulk_create() does not call "
                f"save() or send pre_save/post_save signals, so check that nothing here relies on them."
            )
        fix = self._fix(write, loop_node, info, rows) or FixSpec(f"use {code}", "suggestion")
        self.report(write.call, message, fix, hint=hint)

    def _fix(self, write: _Write, loop_node: cst.CSTNode, info, rows: str) -> FixSpec | None:
        """The loop rewritten into the bulk call, when it is simple enough to be rewritten
        exactly (see _bulk_rewrite); unsafe, since what the bulk calls skip no longer runs."""
        if info is None or not isinstance(loop_node, cst.For):
            return None
        try:
            return self._rewrite(write, loop_node, info, rows)
        except RecursionError:  # code nested deeper than libcst's code generation can go
            return None

    def _rewrite(self, write: _Write, loop_node: cst.For, info, rows: str) -> FixSpec | None:
        if write.kind == "save":
            rewrite = _bulk_rewrite.update(self.ctx, loop_node, write.call, write.owner, info, self.scopes, rows)
            skipped = "bulk_update() does not call save() or send pre_save/post_save signals"
        elif write.kind == "insert":
            rewrite = _bulk_rewrite.insert(self.ctx, loop_node, write.call, info, self.scopes)
            skipped = "bulk_create() does not call save() or send pre_save/post_save signals"
        elif isinstance(write.owner, Queryset):
            rewrite = _bulk_rewrite.create(self.ctx, loop_node, write.call, info, self.scopes)
            skipped = "bulk_create() does not call save() or send pre_save/post_save signals"
        else:
            return None  # a related manager's create(): its bulk_create() is another call
        if rewrite is None:
            return None
        description = (
            f"rewrite the loop to call {rewrite.code} once (unsafe: {skipped}, and the rows are "
            f"written together, so an error part-way writes none of them)"
        )
        return FixSpec(description, "unsafe", (NodeEdit(loop_node, rewrite.replacement, indent_like=loop_node),))

    leave_For = leave_While = leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _flush


def _containing_path(block: cst.IndentedBlock, target: cst.CSTNode) -> list[tuple[cst.IndentedBlock, cst.CSTNode]]:
    """Each statement block from `block` down to the innermost one holding `target`, with the
    statement there that holds it (outermost first); empty when `block` does not hold it."""
    for statement in block.body:
        if contains(statement, target):
            for child in children(statement):
                inner = child if isinstance(child, cst.IndentedBlock) else getattr(child, "body", None)
                if isinstance(inner, cst.IndentedBlock) and contains(inner, target):
                    return [(block, statement), *_containing_path(inner, target)]
            return [(block, statement)]
    return []


def _list_name(variable: str | None) -> str:
    """`book` -> `books`; never a keyword or the loop variable itself."""
    if not variable or len(variable) < 3:
        return "objs"
    name = plural(variable)
    return name if not keyword.iskeyword(name) and name != variable else f"{variable}_list"
