"""DJR102: ``obj.save()`` on a model instance, or ``Model.objects.create()``, inside a loop.

Each call is its own INSERT/UPDATE round trip. ``bulk_update`` / ``bulk_create`` do the same
in one query, but skip ``save()`` overrides and the pre_save/post_save signals: the message
says so, so the reader can judge whether the loop relies on them.
"""

from __future__ import annotations

import keyword

import libcst as cst

from djreview.flow import literal_string
from djreview.naming import plural
from djreview.rule import FixSpec, Rule, register
from djreview.values import Instance, Queryset, RelatedManager


@register
class SaveInLoop(Rule):
    code = "DJR102"
    name = "save-in-loop"
    skip_kinds = frozenset({"migrations", "tests"})
    triggers = ("save(", "create(")

    def wants(self, text, facts, index) -> bool:
        return super().wants(text, facts, index) and index.mentions_models(text, facts)

    def start(self, ctx) -> None:
        super().start(ctx)
        self.assigned: dict[tuple[int, str], list[str]] = {}
        self.pending: dict[int, list[tuple[cst.Call, str, str, str | None, list[str] | None]]] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assigned([t.target for t in node.targets])

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assigned([node.target])

    def _assigned(self, targets) -> None:
        loop = self.ctx.flow.in_loop()
        if loop is None:
            return
        for t in targets:
            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name):
                names = self.assigned.setdefault((id(loop), t.value.value), [])
                if t.attr.value not in names:
                    names.append(t.attr.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        flow = self.ctx.flow
        if not isinstance(func, cst.Attribute) or func.attr.value not in ("save", "create"):
            return
        loop = flow.in_loop()
        if loop is None:
            return
        owner = flow.infer(func.value)
        if func.attr.value == "save" and isinstance(owner, Instance):
            variable = func.value.value if isinstance(func.value, cst.Name) else None
            self.pending.setdefault(id(loop), []).append(
                (node, "insert" if owner.created else "save", owner.model, variable, self._update_fields(node))
            )
        elif func.attr.value == "create" and isinstance(owner, (Queryset, RelatedManager)):
            model = owner.model if isinstance(owner, Queryset) else owner.target
            if model:
                self.pending.setdefault(id(loop), []).append((node, "create", model, None, None))

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

    def _flush(self, loop: cst.CSTNode) -> None:
        for call, kind, model, variable, update_fields in self.pending.pop(id(loop), []):
            info = self.ctx.index.model(model)
            name = info.name if info else model.rsplit(".", 1)[-1]
            if kind == "save":
                fields = update_fields or self.assigned.get((id(loop), variable or ""), [])
                listing = "[" + ", ".join(f'"{f}"' for f in fields) + "]" if fields else "[<fields you change>]"
                rows = _list_name(variable)
                code = f"{name}.objects.bulk_update({rows}, {listing})"
                message = (
                    f"{name}.save() inside a loop runs one UPDATE per iteration. Collect the rows and "
                    f"call {code} once after the loop; bulk_update() does not call save() or send "
                    f"pre_save/post_save signals, so check that nothing here relies on them."
                )
            elif kind == "insert":
                rows = _list_name(variable)
                code = f"{name}.objects.bulk_create({rows})"
                message = (
                    f"{name}.save() on a new {name} inside a loop runs one INSERT per iteration. Collect the "
                    f"new objects in a list and call {code} once after the loop; bulk_create() does not call "
                    f"save() or send pre_save/post_save signals, so check that nothing here relies on them."
                )
            else:
                code = f"{name}.objects.bulk_create([{name}(...) for ...])"
                message = (
                    f"{name}.objects.create() inside a loop runs one INSERT per iteration. Build the "
                    f"{name} objects in a list and call {code} once; bulk_create() does not call save() "
                    f"or send pre_save/post_save signals, so check that nothing here relies on them."
                )
            self.report(call, message, FixSpec(f"use {code}", "suggestion"))

    leave_For = leave_While = leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _flush


def _list_name(variable: str | None) -> str:
    """`book` -> `books`; never a keyword or the loop variable itself."""
    if not variable or len(variable) < 3:
        return "objs"
    name = plural(variable)
    return name if not keyword.iskeyword(name) and name != variable else f"{variable}_list"
