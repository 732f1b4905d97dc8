"""DJR501: a data migration's `RunPython` without `reverse_code`.

Django cannot unapply it: `migrate <app> <earlier>` (or `zero`) stops with IrreversibleError,
so a bad deploy cannot be rolled back past it and a developer cannot step back through the
app's migrations. Reported in initial migrations too: `migrate app zero` is blocked there.

The fix adds `reverse_code=migrations.RunPython.noop`. That is safe when every model the
forward function fills is created by the same migration: unapplying drops their tables, so
there is nothing left to undo. Otherwise only the author knows whether the forward step
needs an undo, and the fix is unsafe.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit, append_arguments
from djreview.rule import Rule
from djreview.rules._migration_ops import (
    ModuleFunctions,
    argument,
    is_get_model,
    model_asked,
    operation,
    without_reverse,
)
from djreview.syntax import literal_string
from djreview.walk import descendants


class IrreversibleRunPython(ModuleFunctions, Rule):
    code = "DJR501"
    name = "irreversible-runpython"
    fixable = True
    triggers = ("RunPython",)
    skip_kinds = frozenset({"tests"})
    only_kinds = frozenset({"migrations"})

    def wants(self, text, facts, index, prefilter) -> bool:
        if not super().wants(text, facts, index, prefilter):
            return False
        return without_reverse(facts, prefilter, "RunPython")

    def start(self, ctx) -> None:
        super().start(ctx)
        self._runs: list[cst.Call] = []
        self._created: set[str] = set()  # lower-cased names of the models CreateModel makes here

    def visit_Call(self, node: cst.Call) -> None:
        kind = operation(self.ctx.flow.qualify(node.func))
        if kind == "RunPython":
            self._runs.append(node)
        elif kind == "CreateModel":
            name = argument(node, "name", 0)
            text = literal_string(name.node) if name.state == "given" else None
            if text:
                self._created.add(text.lower())

    def leave_Module(self, original_node: cst.Module) -> None:
        for call in self._runs:
            reverse = argument(call, "reverse_code", 1)
            if reverse.state in ("given", "unknown"):
                continue
            self._report(call, reverse.node)

    def _report(self, call: cst.Call, none: cst.BaseExpression | None) -> None:
        code = argument(call, "code", 0)
        forward = self.ctx.module.code_for_node(code.node) if code.node is not None else "its function"
        app = self.ctx.index.app_label_of(self.ctx.facts.module)
        noop = f"{self.ctx.module.code_for_node(call.func)}.noop"
        filled = self._models_filled(code.node)
        only_new = bool(filled) and all(label == app and model in self._created for label, model in filled)
        written = "reverse_code=None" if none is not None else "no reverse_code"
        message = (
            f"RunPython({forward}) has {written}: Django cannot unapply this migration, so "
            f"`migrate {app or '<app>'} <earlier migration>` stops with IrreversibleError and a "
            "rollback cannot go back past it."
        )
        if only_new:
            hint = (
                f"Add reverse_code={noop}: {forward} only fills tables this migration creates, "
                "and unapplying it drops them, so there is nothing to undo."
            )
        else:
            hint = (
                f"Write a function that undoes {forward} and pass it as reverse_code, or pass "
                f"reverse_code={noop} if undoing needs nothing (the rows it changed can stay as they are)."
            )
        edit = NodeEdit(none, noop) if none is not None else append_arguments(call, [f"reverse_code={noop}"])
        fix = None
        if edit is not None:
            fix = FixSpec(f"add reverse_code={noop}", "safe" if only_new else "unsafe", (edit,))
        self.report(call, message, fix, hint=hint)

    def _models_filled(self, code: cst.BaseExpression | None) -> list[tuple[str, str]]:
        """(app label, lower-cased model name) of each `apps.get_model(...)` in the forward
        function of this module; [] when the function is not one we can read."""
        function = self._functions.get(code.value) if isinstance(code, cst.Name) else None
        if function is None:
            return []
        return [model_asked(call) for call in descendants(function) if is_get_model(call)]
