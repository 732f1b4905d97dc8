"""DJR205: `@receiver` below another decorator (parity: Ruff DJ013, flake8-django DJ13).

Decorators apply from the bottom up. `@receiver` connects the function it is given to the
signal at import time; below another decorator, that is the undecorated function, so the
decorator above it (a transaction, a logging or caching wrapper) never runs when the signal
fires.
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import INDENT, FixSpec, NodeEdit
from djreview.rule import Rule

# a decorator, then (after its arguments' lines, comments or blank lines) `@receiver` or
# `@dispatch.receiver`: over-approximates the decorator lists the rule reports
_BELOW = re.compile(
    r"^[ \t]*@[^\n]*\n(?:(?![ \t]*(?:async[ \t]+)?(?:def|class)\b)[^\n]*\n)*?[ \t]*@[ \t]*(?:[\w.]+\.)?receiver\b",
    re.MULTILINE,
)
_RECEIVER = frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"})


class ReceiverNotOutermost(Rule):
    code = "DJR205"
    name = "receiver-not-outermost"
    fixable = True
    triggers = ("receiver",)

    def wants(self, text, facts, index, prefilter) -> bool:
        """Only a decorator line followed by a `@receiver` line (or `@receiver` under another
        name) can be reported: Django's source says "receiver" in 60 files that have none."""
        if not super().wants(text, facts, index, prefilter):
            return False
        return bool(_BELOW.search(text)) or "import receiver as" in text or "dispatch as" in text

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorators = node.decorators
        for position, decorator in enumerate(decorators):
            if position == 0 or not self._is_receiver(decorator):
                continue
            above = ", ".join(f"@{self._name(d)}" for d in decorators[:position])
            one = position == 1
            message = (
                f"@receiver on {node.name.value}() is below {above}: decorators apply from the bottom up, so the "
                f"signal is connected to the function before {above} {'wraps' if one else 'wrap'} it, and "
                f"{'it never runs' if one else 'they never run'} when the signal fires."
            )
            hint = "Put @receiver first, above the other decorators."
            self.report(decorator, message, self._fix(decorator, decorators[0]), hint=hint)

    def _fix(self, decorator: cst.Decorator, first: cst.Decorator) -> FixSpec | None:
        spans = self.ctx.spans([decorator.decorator])
        if spans is None:
            return None
        source = spans.of(decorator.decorator)  # as written: decorators share one indentation
        return FixSpec(
            "move @receiver above the other decorators",
            "unsafe",  # the other decorators start to run on every signal
            (
                NodeEdit(decorator, "", "lines"),
                NodeEdit(first, f"@{source}\n{INDENT}", "before", indent_like=first),
            ),
        )

    def _is_receiver(self, decorator: cst.Decorator) -> bool:
        expression = decorator.decorator
        func = expression.func if isinstance(expression, cst.Call) else expression
        return self.ctx.flow.qualify(func) in _RECEIVER

    def _name(self, decorator: cst.Decorator) -> str:
        expression = decorator.decorator
        func = expression.func if isinstance(expression, cst.Call) else expression
        return self.ctx.module.code_for_node(func)
